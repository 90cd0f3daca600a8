//! `pmo-vmo serve --tls-cert --tls-key` (issue 31): the addresses say `https://`,
//! a client that trusts the certificate gets the participant's page over TLS, a
//! plain HTTP request to the same port gets no page, and a key that is not a key
//! is refused with exit 2 naming the file. Loopback only; every wait is bounded.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

mod server;
use server::start;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"));
    c.env_remove("PMO_VMO_RUBRIC").env_remove("RUST_BACKTRACE");
    c
}

#[test]
fn a_certificate_makes_the_workshop_https() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();

    let server = start(
        &dir.path().join("room"),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(
        server.join_url.starts_with("https://"),
        "{}",
        server.join_url
    );
    assert!(
        server.facilitator_url.starts_with("https://127.0.0.1:"),
        "{}",
        server.facilitator_url
    );
    let (addr, code) = (server.addr.as_str(), server.join.as_str());
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");

    // A client that trusts the certificate reads the participant's page.
    let mut roots = rustls::RootCertStore::empty();
    roots.add(certified.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls_pki_types::ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    write!(
        tls,
        "GET /j/{code} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut page = Vec::new();
    // The server may close without a TLS close_notify; what arrived is the page.
    let _ = tls.read_to_end(&mut page);
    let page = String::from_utf8_lossy(&page);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<!DOCTYPE html>"), "{page}");

    // Plain HTTP to the same port gets no page.
    let mut plain = TcpStream::connect(addr).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // The server ends the connection at the failed handshake: the write may fail.
    let _ = write!(plain, "GET /j/{code} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut got = Vec::new();
    let _ = plain.read_to_end(&mut got);
    assert!(!String::from_utf8_lossy(&got).contains("<!DOCTYPE html>"));

    drop(server);

    // A certificate given as the key: refused, naming the file, before serving.
    let out = bin()
        .arg("serve")
        .arg(dir.path().join("room"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&cert)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cert.pem: cannot serve HTTPS with it"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
