//! A read that fails part-way (the disk, the network, a pipe's writer going wrong)
//! ends the run with exit 2 and a message naming the input, never with the rows
//! read so far and exit 0. Standard input here is a TCP connection that is reset
//! after part of an export has arrived: its reads give the bytes sent, then fail
//! with "connection reset".

#![cfg(unix)]

use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::process::{Command, Output, Stdio};

/// The whole rows sent before the connection breaks.
const ROWS: usize = 10_000;

/// The first rows of an export of the default rubric (more than the 64 KiB read
/// before its rows), cut in the middle of a row.
fn export_start() -> Vec<u8> {
    let mut text = String::from("maturity-standards,Name\n");
    for i in 0..ROWS {
        let answer = ["ad-hoc", "consistent"][i % 2];
        text.push_str(answer);
        text.push_str(",r");
        text.push_str(&i.to_string());
        text.push('\n');
    }
    text.push_str("ad-h");
    text.into_bytes()
}

/// Runs `pmo-vmo ARGS` with standard input a connection that gives `sent`, then
/// is reset once the binary has read it all (where that can be seen).
fn run_with_reset_stdin(args: &[&str], sent: &[u8]) -> Output {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let port = client.local_addr().unwrap().port();
    let (mut server, _) = listener.accept().unwrap();
    // A byte the server never reads: closing a socket with unread data resets the
    // connection instead of ending it.
    (&client).write_all(b"?").unwrap();
    // Output goes to files, read at the end: a pipe nobody reads yet would stop
    // the binary before it has read its input.
    let (stdout, stderr) = (tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .env(
            "PMO_VMO_RUBRIC",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
            ),
        )
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .stdin(Stdio::from(OwnedFd::from(client)))
        .stdout(stdout.try_clone().unwrap())
        .stderr(stderr.try_clone().unwrap())
        .spawn()
        .unwrap();
    server.write_all(sent).unwrap();
    wait_until_read(port);
    drop(server);
    let status = child.wait().unwrap();
    let read = |mut f: std::fs::File| {
        let mut bytes = Vec::new();
        f.seek(SeekFrom::Start(0)).unwrap();
        f.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Output {
        status,
        stdout: read(stdout),
        stderr: read(stderr),
    }
}

/// Waits until the socket on local `port` has nothing left to read: the binary
/// has taken every byte sent (Linux says so in /proc/net/tcp; elsewhere, a pause).
fn wait_until_read(port: u16) {
    let local = format!(":{port:04X} ");
    for _ in 0..500 {
        std::thread::sleep(std::time::Duration::from_millis(10));
        let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
            return;
        };
        // `sl local rem st tx_queue:rx_queue ...`
        let queued = table.lines().find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() > 4 && format!("{} ", f[1]).ends_with(&local))
                .then(|| f[4].split(':').nth(1).map(str::to_string))
                .flatten()
        });
        if queued
            .as_deref()
            .is_some_and(|q| q.trim_start_matches('0').is_empty())
        {
            return;
        }
    }
}

#[test]
fn an_export_on_stdin_that_fails_part_way_exits_2() {
    let out = run_with_reset_stdin(
        &["score", "-", "--input-format", "csv", "--format", "csv"],
        &export_start(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: <stdin>: could not read: "),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Where the reset came after the rows (Linux), they were scored: the run is
    // partial, and says so with its exit status.
    if cfg!(target_os = "linux") {
        let rows = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(rows, 1 + ROWS, "{stderr}");
    }
}

#[test]
fn a_check_of_an_export_on_stdin_that_fails_part_way_exits_2() {
    let out = run_with_reset_stdin(&["check", "-", "--input-format", "csv"], &export_start());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("<stdin>: could not read: "), "{stderr}");
}

#[test]
fn a_sheet_on_stdin_that_fails_part_way_exits_2() {
    let out = run_with_reset_stdin(&["score", "-"], b"rubric = \"pmo-vmo\"\n[answers]\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: <stdin>: could not read: "),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
