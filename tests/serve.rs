//! `pmo-vmo serve` over HTTP, on loopback only: a participant joins and answers,
//! the sheet on disk reads as an ordinary answer sheet, wrong codes and secrets are
//! 404, an oversized body 413, the cap 429; a name like a path and a note with a
//! script stay data; a SIGKILL loses no acknowledged answer and a restart resumes;
//! `workshop DIR --format json` gives the facilitator view's group result.
//!
//! The client is a few lines over `std::net::TcpStream` (HTTP/1.1, one request a
//! connection); every wait is bounded.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use pmo_vmo::input::load_text;
use pmo_vmo::{LoadedRubric, SheetFormat};
use serde_json::{Value, json};

mod server;
use server::{Server, start};

/// One request; the status and the body.
fn request(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut out = Vec::new();
    // A refused large body may be answered before it is all read: the
    // connection then closes early, which is fine.
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn post(s: &Server, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) = request(&s.addr, "POST", path, Some(&body.to_string()));
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn join(s: &Server, name: &str, role: &str) -> String {
    let (status, body) = post(
        s,
        &format!("/j/{}/join", s.join),
        &json!({ "respondent": name, "role": role, "organisation": "Acme" }),
    );
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

fn answer(s: &Server, id: &str, question: &str, option: &str, note: &str) -> (u16, Value) {
    post(
        s,
        &format!("/j/{}/answer", s.join),
        &json!({ "id": id, "question": question, "answer": option, "note": note }),
    )
}

fn rubric() -> LoadedRubric {
    LoadedRubric::embedded().unwrap()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// The ports listening on every IPv4 interface (`0.0.0.0`), from /proc.
#[cfg(target_os = "linux")]
fn listening_on_any(port: u16) -> bool {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    // local_address is `00000000:PPPP` (hex), state 0A is LISTEN.
    let want = format!("00000000:{port:04X}");
    table.lines().skip(1).any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.get(1) == Some(&want.as_str()) && f.get(3) == Some(&"0A")
    })
}

/// `--lan` is tested by what it binds and prints, never by connecting to a
/// network address: loopback still answers (every interface is bound).
#[test]
fn lan_binds_every_interface_and_loopback_binds_only_loopback() {
    let tmp = tempfile::tempdir().unwrap();
    let local = start(&tmp.path().join("a"), &[]);
    assert!(local.addr.starts_with("127.0.0.1:"), "{}", local.addr);
    let lan = start(&tmp.path().join("b"), &["--lan"]);
    let (host, port) = lan.addr.rsplit_once(':').unwrap();
    let port: u16 = port.parse().unwrap();
    assert!(
        host.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| !ip.is_unspecified()),
        "{host}"
    );
    let (status, _) = request(
        &format!("127.0.0.1:{port}"),
        "GET",
        &format!("/j/{}", lan.join),
        None,
    );
    assert_eq!(status, 200);
    #[cfg(target_os = "linux")]
    {
        assert!(listening_on_any(port));
        let local_port: u16 = local.addr.rsplit_once(':').unwrap().1.parse().unwrap();
        assert!(!listening_on_any(local_port));
    }
}

#[test]
fn a_participant_answers_and_every_refusal_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("room");
    let s = start(&dir, &["--max-participants", "2"]);
    assert!(s.addr.starts_with("127.0.0.1:"), "{}", s.addr);
    let r = rubric();
    // A scored question: a sheet with only context answers has no result.
    let q = r
        .rubric
        .question
        .iter()
        .find(|q| !q.factor.is_empty())
        .unwrap();

    // The join page is the form, live; a wrong code is a plain 404.
    let (status, page) = request(&s.addr, "GET", &format!("/j/{}", s.join), None);
    assert_eq!(status, 200);
    assert!(page.contains("pmo-vmo-rubric") && page.contains("connect-src 'self'"));
    assert_eq!(request(&s.addr, "GET", "/j/wrongcode", None).0, 404);
    assert_eq!(
        post(&s, "/j/wrongcode/join", &json!({ "respondent": "x" })).0,
        404
    );

    // A name like a path is data: it names no file.
    let id = join(&s, "../../etc/x", "sponsor");
    let evil = "<script>alert(1)</script> & more";
    let (status, ack) = answer(&s, &id, &q.id, &q.option[0].id, evil);
    assert_eq!(status, 200, "{ack}");
    assert_eq!(ack["answered"], 1);
    assert_eq!(files(&dir), [".pmo-vmo-serve", "participant-001.json"]);
    assert!(!tmp.path().join("etc").exists());
    let text = std::fs::read_to_string(dir.join("participant-001.json")).unwrap();
    let sheet = load_text(&r, "p.json", &text, SheetFormat::Json).unwrap();
    assert_eq!(sheet.sheet.respondent.as_deref(), Some("../../etc/x"));
    assert_eq!(sheet.sheet.answers[&q.id], q.option[0].id);
    assert_eq!(sheet.sheet.notes[&q.id], evil);

    // A participant (on another device) gets their own sheet back, by their token.
    let me = format!("/j/{}/me", s.join);
    let (status, own) = post(&s, &me, &json!({ "id": id }));
    assert_eq!(status, 200);
    assert_eq!(own["notes"][&q.id], evil);
    assert_eq!(post(&s, &me, &json!({ "id": "bogus" })).0, 404);
    assert_eq!(post(&s, "/j/wrongcode/me", &json!({ "id": id })).0, 404);

    // An unknown option or question is refused, and the sheet stays as it was.
    assert_eq!(answer(&s, &id, &q.id, "no-such-option", "").0, 400);
    assert_eq!(answer(&s, &id, "no-such-question", "x", "").0, 400);
    assert_eq!(
        answer(&s, "not-a-participant", &q.id, &q.option[0].id, "").0,
        404
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("participant-001.json")).unwrap(),
        text
    );

    // An oversized body is 413; a name needs giving without --allow-anonymous.
    let big = json!({ "respondent": "x".repeat(20_000) });
    assert_eq!(post(&s, &format!("/j/{}/join", s.join), &big).0, 413);
    assert_eq!(
        post(
            &s,
            &format!("/j/{}/join", s.join),
            &json!({ "respondent": " " })
        )
        .0,
        403
    );
    let long = json!({ "respondent": "y".repeat(300) });
    assert_eq!(post(&s, &format!("/j/{}/join", s.join), &long).0, 400);

    // The cap: two may join, the third is told the room is full.
    join(&s, "Bea", "finance");
    let (status, body) = post(
        &s,
        &format!("/j/{}/join", s.join),
        &json!({ "respondent": "Cy" }),
    );
    assert_eq!(status, 429);
    assert!(body["error"].as_str().unwrap().contains("full"));

    // A wrong secret is 404 everywhere; the right one reveals, escaped.
    for path in [
        "",
        "/status.json",
        "/result",
        "/result.json",
        "/report",
        "/reveal/1",
    ] {
        assert_eq!(
            request(&s.addr, "GET", &format!("/f/wrong{path}"), None).0,
            404
        );
        let (status, _) = request(&s.addr, "GET", &format!("/f/{}{path}", s.secret), None);
        assert_eq!(status, 200, "{path}");
    }
    let (_, reveal) = request(&s.addr, "GET", &format!("/f/{}/reveal/1", s.secret), None);
    assert!(reveal.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(!reveal.contains("<script"), "{reveal}");
    assert!(!reveal.contains("../../etc/x"), "the reveal names no one");
    let (_, dash) = request(&s.addr, "GET", &format!("/f/{}", s.secret), None);
    assert!(dash.contains("../../etc/x") && !dash.contains("<script"));

    // Nothing a participant can reach returns another's answers.
    let (_, page) = request(&s.addr, "GET", &format!("/j/{}", s.join), None);
    assert!(!page.contains("alert(1)") && !page.contains(&s.secret));
    let (_, round) = request(&s.addr, "GET", &format!("/j/{}/round", s.join), None);
    assert_eq!(round, r#"{"revote":null}"#);
}

#[test]
fn a_sigkill_loses_no_acknowledged_answer_and_a_restart_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("room");
    let r = rubric();
    let qs = &r.rubric.question;
    let mut s = start(&dir, &[]);
    let id = join(&s, "Ann", "pm");
    for q in qs.iter().take(3) {
        assert_eq!(answer(&s, &id, &q.id, &q.option[1].id, "").0, 200);
    }
    let (join_code, secret, addr) = (s.join.clone(), s.secret.clone(), s.addr.clone());
    // SIGKILL: no shutdown of any kind.
    s.child.kill().unwrap();
    s.child.wait().unwrap();
    let text = std::fs::read_to_string(dir.join("participant-001.json")).unwrap();
    let sheet = load_text(&r, "p.json", &text, SheetFormat::Json).unwrap();
    assert_eq!(sheet.sheet.answers.len(), 3);
    drop(s);

    let s = start(&dir, &[]);
    assert_eq!((&s.join, &s.secret), (&join_code, &secret));
    assert_eq!(s.addr, addr, "the last run's port, free again");
    // The same participant goes on where they were.
    let q = &qs[3];
    let (status, ack) = answer(&s, &id, &q.id, &q.option[0].id, "after the restart");
    assert_eq!(status, 200, "{ack}");
    assert_eq!(ack["answered"], 4);
    let (_, status) = request(
        &s.addr,
        "GET",
        &format!("/f/{}/status.json", s.secret),
        None,
    );
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["participants"][0]["answered"], 4);
    assert_eq!(status["participants"][0]["respondent"], "Ann");
}

#[test]
fn workshop_on_the_folder_gives_the_facilitator_view_group_result() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("room");
    let r = rubric();
    let s = start(&dir, &["--allow-anonymous"]);
    let roles = ["sponsor", "pm", "finance", "pm", ""];
    for (i, role) in roles.iter().enumerate() {
        let name = if i == 4 {
            ""
        } else {
            ["Ann", "Bo", "Cy", "Di"][i]
        };
        let id = join(&s, name, role);
        for (qi, q) in r.rubric.question.iter().enumerate() {
            let o = &q.option[(i + qi) % q.option.len()];
            let note = if qi == i {
                format!("note {i}")
            } else {
                String::new()
            };
            assert_eq!(answer(&s, &id, &q.id, &o.id, &note).0, 200);
        }
    }
    let (status, served) = request(
        &s.addr,
        "GET",
        &format!("/f/{}/result.json", s.secret),
        None,
    );
    assert_eq!(status, 200);
    let served: Value = serde_json::from_str(&served).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .args(["workshop", "--format", "json"])
        .arg(&dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, served);
    assert_eq!(cli["respondents"], 5);
}

#[test]
fn a_revote_keeps_the_first_round_and_the_sheets_hold_the_second() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("room");
    let r = rubric();
    let q = r
        .rubric
        .question
        .iter()
        .find(|q| !q.factor.is_empty())
        .unwrap();
    let s = start(&dir, &[]);
    let ids: Vec<String> = (0..3).map(|i| join(&s, &format!("P{i}"), "pm")).collect();
    for id in &ids {
        assert_eq!(answer(&s, id, &q.id, &q.option[0].id, "").0, 200);
    }
    let round = format!("/j/{}/round", s.join);
    let (_, before) = request(&s.addr, "GET", &round, None);
    assert_eq!(
        serde_json::from_str::<Value>(&before).unwrap()["revote"],
        Value::Null
    );
    let to = format!("/f/wrong/revote/{}", q.id);
    assert_eq!(request(&s.addr, "POST", &to, None).0, 404);
    let to = format!("/f/{}/revote/{}", s.secret, q.id);
    let (status, _) = request(&s.addr, "POST", &to, None);
    assert_eq!(status, 303, "back to the reveal");
    let (_, open) = request(&s.addr, "GET", &round, None);
    assert_eq!(
        serde_json::from_str::<Value>(&open).unwrap()["revote"],
        q.id.as_str()
    );
    // After the discussion, two change their minds.
    for id in &ids[..2] {
        assert_eq!(answer(&s, id, &q.id, &q.option[2].id, "").0, 200);
    }
    let (_, page) = request(&s.addr, "GET", &format!("/f/{}/reveal/1", s.secret), None);
    assert!(page.contains("Before the discussion"), "{page}");
    let rounds = std::fs::read_to_string(dir.join(".pmo-vmo-rounds")).unwrap();
    assert_eq!(
        rounds.matches(q.option[0].id.as_str()).count(),
        3,
        "{rounds}"
    );
    // The sheets hold the second round, and `workshop DIR` reads them as they are.
    let text = std::fs::read_to_string(dir.join("participant-001.json")).unwrap();
    assert!(text.contains(&q.option[2].id));
    let (_, served) = request(
        &s.addr,
        "GET",
        &format!("/f/{}/result.json", s.secret),
        None,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .args(["workshop", "--format", "json"])
        .arg(&dir)
        .env_remove("PMO_VMO_RUBRIC")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::from_str::<Value>(&served).unwrap()
    );
}
