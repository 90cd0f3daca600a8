//! The DevTools-protocol helpers the browser tests share (`form_browser`,
//! `serve_browser`): finding and launching Chromium, evaluating script, clicking
//! an option and typing into a field the way a person's input fires events.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use headless_chrome::browser::tab::Tab;
use headless_chrome::{Browser, LaunchOptions};
use serde_json::Value;

pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
}

pub fn launch(bin: &Path) -> Browser {
    let flags = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];
    Browser::new(
        LaunchOptions::default_builder()
            .path(Some(bin.to_path_buf()))
            .headless(true)
            .sandbox(false) // adds --no-sandbox
            .window_size(Some((1200, 1600)))
            .args(flags.iter().map(OsStr::new).collect())
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    )
    .expect("could not start chromium")
}

/// Evaluates `expr` and returns its value (JSON-able results only).
pub fn js(tab: &Tab, expr: &str) -> Value {
    tab.evaluate(expr, false)
        .unwrap_or_else(|e| panic!("evaluating {expr}: {e}"))
        .value
        .unwrap_or(Value::Null)
}

/// Clicks an option by question and option id, through the DOM (a click event,
/// which also fires change).
pub fn choose(tab: &Tab, question: &str, option: &str) {
    let q = serde_json::to_string(question).unwrap();
    let o = serde_json::to_string(option).unwrap();
    let found = js(
        tab,
        &format!(
            "(() => {{ const i = [...document.querySelectorAll('input[type=radio]')]
                .find(x => x.dataset.question === {q} && x.dataset.option === {o});
              if (!i) return false; i.click(); return true; }})()"
        ),
    );
    assert_eq!(
        found,
        Value::Bool(true),
        "no option {option} for {question}"
    );
}

/// Sets a text field or note by id and fires `input`, as typing does.
pub fn fill(tab: &Tab, id: &str, text: &str) {
    let id = serde_json::to_string(id).unwrap();
    let text = serde_json::to_string(text).unwrap();
    js(
        tab,
        &format!(
            "(() => {{ const e = document.getElementById({id}); e.value = {text};
              e.dispatchEvent(new Event('input', {{ bubbles: true }})); }})()"
        ),
    );
}

pub fn skip_without_chromium() -> Option<PathBuf> {
    let bin = chromium();
    if bin.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium is not installed; .ci/run installs it (apt-get install -y chromium)");
        }
        eprintln!(
            "note: chromium not found on PATH; skipping the browser test (CI=true makes this a failure)"
        );
    }
    bin
}
