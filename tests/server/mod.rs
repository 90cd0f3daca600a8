//! Starting `pmo-vmo serve` for the tests that talk to it (`serve`, `serve_tls`,
//! `serve_browser`): the child process, killed when dropped, and the two addresses
//! it prints, whole and in their parts.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server, killed when dropped.
pub struct Server {
    pub child: Child,
    /// The participants' address as printed: `http://127.0.0.1:PORT/j/CODE`
    /// (`https://` with a certificate).
    pub join_url: String,
    /// The facilitator's address as printed: `http://127.0.0.1:PORT/f/SECRET`.
    pub facilitator_url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The join code.
    pub join: String,
    /// The facilitator's secret.
    pub secret: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pmo-vmo serve DIR EXTRA...` and reads the two addresses it prints
/// first, which must name one host and port and a secret of at least 96 bits.
pub fn start(dir: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .arg("serve")
        .arg(dir)
        .args(extra)
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut line = |label: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(label).expect(&line).to_owned()
    };
    let join_url = line("join: ");
    let facilitator_url = line("facilitator: ");
    let after_scheme = |url: &str| {
        let (_, rest) = url.split_once("://").expect(url);
        rest.to_owned()
    };
    let join_at = after_scheme(&join_url);
    let facilitator_at = after_scheme(&facilitator_url);
    let (addr, join) = join_at.split_once("/j/").unwrap();
    let (addr2, secret) = facilitator_at.split_once("/f/").unwrap();
    assert_eq!(addr, addr2);
    assert!(secret.len() >= 20, "a secret of at least 96 bits: {secret}");
    Server {
        addr: addr.to_owned(),
        join: join.to_owned(),
        secret: secret.to_owned(),
        child,
        join_url,
        facilitator_url,
    }
}
