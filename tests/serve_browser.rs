//! `pmo-vmo serve` in real Chromium over the DevTools protocol: twelve participants,
//! each in a browser context of their own (their own storage, as on their own
//! phone), join on loopback and answer every question at once, while a facilitator
//! page watches; one goes offline mid-way and the page sends its answers when back;
//! one reloads and carries on as the same participant. Every answer ends on disk.
//!
//! End-to-end tier (`#[ignore]`d: `cargo test -- --ignored` runs it, as `.ci/run` does).

use std::path::Path;
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::Tab;
use headless_chrome::protocol::cdp::Network;
use pmo_vmo::input::load_text;
use pmo_vmo::{LoadedRubric, SheetFormat};
use serde_json::Value;

mod cdp;
use cdp::{choose, fill, js, launch, skip_without_chromium};
mod server;
use server::start;

/// Participants, each in a context of their own.
const PARTICIPANTS: usize = 12;

fn open(tab: &Tab, url: &str) {
    // Twelve pages on two shared cores: navigation may take longer than the
    // default 20 s.
    tab.set_default_timeout(Duration::from_secs(90));
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("html[data-pmo-vmo-ready=true]")
        .expect("the form did not build itself");
}

/// Waits until the page has nothing left to send and has sent at least `sent`.
fn wait_sent(tab: &Tab, sent: usize) {
    let start = Instant::now();
    loop {
        let state = js(
            tab,
            "JSON.stringify([document.documentElement.dataset.pmoVmoSent || '0', window.pmoVmoForm.live.pending(), document.getElementById('pmo-vmo-status').textContent])",
        );
        let state: Value = serde_json::from_str(state.as_str().unwrap()).unwrap();
        let done: usize = state[0].as_str().unwrap().parse().unwrap();
        if done >= sent && state[1] == 0 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "still waiting for {sent} acks: {state}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn set_offline(tab: &Tab, offline: bool) {
    tab.call_method(Network::EmulateNetworkConditions {
        offline,
        latency: 0.0,
        download_throughput: -1.0,
        upload_throughput: -1.0,
        connection_Type: None,
        packet_loss: None,
        packet_queue_length: None,
        packet_reordering: None,
    })
    .unwrap();
}

#[test]
#[ignore = "e2e: needs chromium (cargo test -- --ignored)"]
fn twelve_participants_answer_at_once_and_the_facilitator_sees_them() {
    let Some(bin) = skip_without_chromium() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("room");
    let server = start(&dir, &[]);
    assert!(
        server.join_url.starts_with("http://127.0.0.1:"),
        "{}",
        server.join_url
    );
    let rubric = LoadedRubric::embedded().unwrap();
    let questions = &rubric.rubric.question;
    let browser = launch(&bin);
    let contexts: Vec<_> = (0..PARTICIPANTS)
        .map(|_| browser.new_context().unwrap())
        .collect();
    let tabs: Vec<_> = contexts.iter().map(|c| c.new_tab().unwrap()).collect();
    for (i, tab) in tabs.iter().enumerate() {
        open(tab, &server.join_url);
        fill(tab, "pmo-vmo-respondent", &format!("Person {i}"));
        fill(
            tab,
            "pmo-vmo-role",
            if i % 2 == 0 { "sponsor" } else { "pm" },
        );
        fill(tab, "pmo-vmo-organisation", "Acme");
    }
    // Participant 0 goes offline before answering: the page keeps its answers.
    tabs[0]
        .call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap();
    set_offline(&tabs[0], true);
    // Everyone answers, question by question, all the tabs interleaved.
    for (qi, q) in questions.iter().enumerate() {
        for (i, tab) in tabs.iter().enumerate() {
            let o = &q.option[(i + qi) % q.option.len()];
            choose(tab, &q.id, &o.id);
        }
    }
    // A note on a scored question (the reveal walks the workshop's agenda).
    let scored = questions.iter().find(|q| !q.factor.is_empty()).unwrap();
    let note_id = js(
        &tabs[1],
        &format!(
            "document.querySelector('textarea[data-question=\"{}\"]').id",
            scored.id
        ),
    );
    fill(
        &tabs[1],
        note_id.as_str().unwrap(),
        "<img src=x onerror=alert(1)> we disagree",
    );
    let pending = js(&tabs[0], "window.pmoVmoForm.live.pending()");
    assert!(pending.as_u64().unwrap() > 0, "offline answers are kept");
    let status = js(
        &tabs[0],
        "document.getElementById('pmo-vmo-status').textContent",
    );
    assert!(
        status.as_str().unwrap().contains("kept in this browser"),
        "{status}"
    );
    set_offline(&tabs[0], false);
    wait_sent(&tabs[1], questions.len() + 1);
    for tab in &tabs[1..] {
        wait_sent(tab, questions.len());
    }
    wait_sent(&tabs[0], 1);

    // A reload carries on as the same participant.
    open(&tabs[2], &server.join_url);
    let q = &questions[0];
    choose(&tabs[2], &q.id, &q.option[0].id);
    wait_sent(&tabs[2], 1);

    another_device(&browser, &server.join_url, &tabs[5], questions.len());

    // On disk: one sheet each, every question answered, as the pages chose.
    for i in 0..PARTICIPANTS {
        let path = dir.join(format!("participant-{:03}.json", i + 1));
        let text = std::fs::read_to_string(&path).unwrap();
        let sheet = load_text(&rubric, path.as_path(), &text, SheetFormat::Json).unwrap();
        assert_eq!(sheet.sheet.answers.len(), questions.len(), "{text}");
    }
    let sheets = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(sheets, PARTICIPANTS + 1, "the sheets and the session file");

    facilitator_sees_everyone(&browser, &server.facilitator_url, questions.len());
    // Sheets are numbered in joining order, which the offline tab changed.
    let sheet = (1..=PARTICIPANTS)
        .map(|n| dir.join(format!("participant-{n:03}.json")))
        .find(|p| std::fs::read_to_string(p).unwrap().contains("\"Person 3\""))
        .unwrap();
    revote(&browser, &server.facilitator_url, &tabs[3], &rubric, &sheet);
}

/// The facilitator presses "Re-vote" on the most divided question; a participant's
/// page asks it again, and the new answer lands in their sheet.
fn revote(
    browser: &headless_chrome::Browser,
    url: &str,
    participant: &Tab,
    rubric: &LoadedRubric,
    sheet: &Path,
) {
    let fac = browser.new_tab().unwrap();
    fac.navigate_to(&format!("{url}/reveal/1"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let action = js(
        &fac,
        "document.querySelector('form').getAttribute('action')",
    );
    let question = action
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    js(&fac, "document.querySelector('form button').click()");
    let start = Instant::now();
    while !js(&fac, "document.body.innerText")
        .as_str()
        .unwrap()
        .contains("asked to answer this question again")
    {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the re-vote did not open"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let start = Instant::now();
    while js(
        participant,
        "document.documentElement.dataset.pmoVmoRevote || ''",
    ) != question.as_str()
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the page was not asked again"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        js(participant, "!!document.getElementById('pmo-vmo-revote')"),
        true
    );
    let q = rubric
        .rubric
        .question
        .iter()
        .find(|q| q.id == question)
        .unwrap();
    let before: Value = serde_json::from_str(&std::fs::read_to_string(sheet).unwrap()).unwrap();
    let other = q
        .option
        .iter()
        .find(|o| before["answers"][&q.id] != o.id.as_str())
        .unwrap();
    let sent: usize = js(participant, "document.documentElement.dataset.pmoVmoSent")
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    choose(participant, &q.id, &other.id);
    wait_sent(participant, sent + 1);
    let after: Value = serde_json::from_str(&std::fs::read_to_string(sheet).unwrap()).unwrap();
    assert_eq!(after["answers"][&q.id], other.id.as_str());
}

/// Another device: a participant's link opens their answers in a context of its
/// own, and the token leaves the address bar.
fn another_device(
    browser: &headless_chrome::Browser,
    join_url: &str,
    from: &Tab,
    questions: usize,
) {
    let token = js(
        from,
        "JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('pmo-vmo-live-id:'))))",
    );
    let other_phone = browser.new_context().unwrap();
    let phone = other_phone.new_tab().unwrap();
    phone
        .navigate_to(&format!("{}#resume={}", join_url, token.as_str().unwrap()))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let start = Instant::now();
    while js(
        &phone,
        "document.documentElement.dataset.pmoVmoResumed || ''",
    ) != "true"
    {
        assert!(start.elapsed() < Duration::from_secs(15), "did not resume");
        std::thread::sleep(Duration::from_millis(100));
    }
    let progress = js(
        &phone,
        "document.getElementById('pmo-vmo-progress').textContent",
    );
    assert!(
        progress
            .as_str()
            .unwrap()
            .starts_with(&format!("{} of ", questions)),
        "{progress}"
    );
    assert_eq!(
        js(
            &phone,
            "document.getElementById('pmo-vmo-respondent').value"
        ),
        "Person 5"
    );
    assert_eq!(
        js(&phone, "location.hash"),
        "",
        "the token leaves the address bar"
    );
}

/// The facilitator sees everyone and the counts, and the note revealed as text,
/// with no name.
fn facilitator_sees_everyone(browser: &headless_chrome::Browser, url: &str, questions: usize) {
    let fac = browser.new_tab().unwrap();
    fac.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let text = js(&fac, "document.body.innerText");
    let text = text.as_str().unwrap();
    for i in 0..PARTICIPANTS {
        assert!(text.contains(&format!("Person {i}")), "{text}");
    }
    assert!(
        text.contains(&format!("{PARTICIPANTS} of at most")),
        "{text}"
    );
    let mut found = false;
    for n in 1..=questions {
        fac.navigate_to(&format!("{url}/reveal/{n}"))
            .unwrap()
            .wait_until_navigated()
            .unwrap();
        let body = js(&fac, "document.body.innerText");
        if body
            .as_str()
            .unwrap()
            .contains("<img src=x onerror=alert(1)> we disagree")
        {
            found = true;
            assert_eq!(js(&fac, "document.images.length"), 0);
            assert!(!body.as_str().unwrap().contains("Person 1"), "anonymous");
        }
    }
    assert!(found, "the note is revealed, as text");
}
