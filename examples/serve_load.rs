//! Load benchmark of `pmo-vmo serve` (issue 31), on loopback only: N simulated
//! participants (default 200) join at once and each answers every question of
//! the default rubric, one answer after the other as a phone's page sends them,
//! every one with a note. Each answer's acknowledgement is timed from the first
//! byte sent to the last byte read (a new connection each time, as a phone on a
//! flaky network would); at the end every sheet on disk must hold exactly the
//! answers and notes that were acknowledged. Prints the median, 95th percentile
//! and slowest acknowledgement, and the total time. Bounded: it gives up after
//! `--limit` seconds (default 300).
//!
//! `cargo run --release --example serve_load -- BINARY [PARTICIPANTS] [LIMIT_SECONDS]`
//! (bench/serve.sh builds the binary and runs it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pmo_vmo::LoadedRubric;
use serde_json::{Value, json};

fn request(addr: &str, path: &str, body: &str) -> Result<(u16, Value), String> {
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let msg = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(msg.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = String::new();
    s.read_to_string(&mut out).map_err(|e| e.to_string())?;
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status in {out:?}"))?;
    let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// One participant: joins, then answers every question in turn; the time of
/// each acknowledgement.
fn participant(
    i: usize,
    addr: &str,
    code: &str,
    rubric: &LoadedRubric,
    deadline: Instant,
) -> Result<Vec<Duration>, String> {
    let role = ["sponsor", "pm", "finance"][i % 3];
    let who = json!({ "respondent": format!("Participant {i}"), "role": role });
    let (status, body) = request(addr, &format!("/j/{code}/join"), &who.to_string())?;
    if status != 200 {
        return Err(format!("join: {status} {body}"));
    }
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    let mut times = Vec::new();
    for (qi, q) in rubric.rubric.question.iter().enumerate() {
        if Instant::now() > deadline {
            return Err("over the time limit".into());
        }
        let o = &q.option[(i + qi) % q.option.len()];
        let body =
            json!({ "id": id, "question": q.id, "answer": o.id, "note": format!("note {i} {qi}") });
        let t = Instant::now();
        let (status, ack) = request(addr, &format!("/j/{code}/answer"), &body.to_string())?;
        times.push(t.elapsed());
        if status != 200 || ack["answered"] != qi + 1 {
            return Err(format!("answer: {status} {ack}"));
        }
    }
    Ok(times)
}

/// How many answers the sheets on disk hold exactly as they were sent.
fn on_disk(dir: &std::path::Path, n: usize, rubric: &LoadedRubric) -> usize {
    let mut on_disk = 0;
    for number in 1..=n {
        let path = dir.join(format!("participant-{number:03}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let sheet: Value = serde_json::from_str(&text).expect("a sheet");
        let i: usize = sheet["respondent"].as_str().unwrap()["Participant ".len()..]
            .parse()
            .unwrap();
        for (qi, q) in rubric.rubric.question.iter().enumerate() {
            let o = &q.option[(i + qi) % q.option.len()];
            if sheet["answers"][&q.id] == o.id.as_str()
                && sheet["notes"][&q.id] == format!("note {i} {qi}").as_str()
            {
                on_disk += 1;
            }
        }
    }
    on_disk
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(bin) = args.next() else {
        eprintln!("usage: serve_load BINARY [PARTICIPANTS] [LIMIT_SECONDS]");
        return ExitCode::from(2);
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let limit = Duration::from_secs(args.next().and_then(|a| a.parse().ok()).unwrap_or(300));
    let rubric = Arc::new(LoadedRubric::embedded().expect("the embedded rubric"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("room");
    let mut child = Command::new(&bin)
        .arg("serve")
        .arg(&dir)
        .args(["--max-participants", &n.to_string()])
        .env_remove("PMO_VMO_RUBRIC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("could not start the server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let join = lines.next().unwrap().unwrap();
    let join = join.strip_prefix("join: http://").unwrap().to_owned();
    let (addr, code) = join.split_once("/j/").unwrap();
    let (addr, code) = (Arc::new(addr.to_owned()), Arc::new(code.to_owned()));
    let questions = rubric.rubric.question.len();
    let started = Instant::now();
    let deadline = started + limit;
    let workers: Vec<_> = (0..n)
        .map(|i| {
            let (addr, code, rubric) = (addr.clone(), code.clone(), rubric.clone());
            std::thread::spawn(move || participant(i, &addr, &code, &rubric, deadline))
        })
        .collect();
    let mut times = Vec::new();
    let mut failed = 0;
    for w in workers {
        match w.join() {
            Ok(Ok(t)) => times.extend(t),
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("a participant failed: {e}");
            }
            Err(_) => failed += 1,
        }
    }
    let total = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let on_disk = on_disk(&dir, n, &rubric);
    times.sort();
    if times.is_empty() {
        eprintln!("no answer was acknowledged");
        return ExitCode::FAILURE;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} participants x {questions} questions: {} answers acknowledged, {on_disk} on disk as sent, {failed} participants failed",
        times.len()
    );
    println!(
        "ack latency: median {:.1} ms, 95th {:.1} ms, slowest {:.1} ms; total {:.2} s ({:.0} answers/s)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap()),
        total.as_secs_f64(),
        times.len() as f64 / total.as_secs_f64()
    );
    if failed > 0 || on_disk != n * questions {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
