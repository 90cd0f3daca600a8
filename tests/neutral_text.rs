//! No respondent surface of the default rubric shows a leading word (the rubric's
//! `scoring.leading-words`: the offices' names, "rubric", "recommend", "score"...):
//! `init`'s sheet, `rubric show` as a table and as Markdown, the HTML form's data
//! and the Apps Script's. The interview is checked in a pty
//! (`tests/interview_pty.rs`), the HTML page as Chromium draws it
//! (`tests/form_browser.rs`) and the Google Form under Node
//! (`tests/apps_script.rs`), with the same matching (`lint::leading_word_in`).
//!
//! The tool's own name, `pmo-vmo` (the rubric's id, a file name), is taken out
//! first: it names the program, not an answer. So are the ids `init` lists beside
//! the labels (keys to type, not wording; the lint reads wording): one of them,
//! `value-score`, would otherwise count, and renaming it would break every sheet
//! that answers it.

use std::process::Command;

use pmo_vmo::LoadedRubric;
use pmo_vmo::lint::leading_word_in;

/// Runs the binary on the embedded rubric; returns stdout.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .args(args)
        .env("PMO_VMO_RUBRIC", "")
        .env("COLUMNS", "100")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn rubric() -> LoadedRubric {
    LoadedRubric::embedded().unwrap()
}

/// Fails on the first line of `text` that holds a leading word.
fn assert_neutral(surface: &str, text: &str) {
    let r = rubric();
    assert!(
        r.rubric
            .scoring
            .leading_words
            .as_ref()
            .is_some_and(|w| w.len() > 10),
        "the default rubric lists its leading words"
    );
    let mut lines = 0;
    let mut ids: Vec<&str> = (r.rubric.question.iter())
        .flat_map(|q| std::iter::once(q.id.as_str()).chain(q.option.iter().map(|o| o.id.as_str())))
        .collect();
    // Longest first, so that no id is cut by a shorter one inside it.
    ids.sort_by_key(|id| std::cmp::Reverse(id.len()));
    for line in text.lines() {
        let mut line = line.replace("pmo-vmo", "");
        for id in ids.iter().filter(|id| id.contains('-')) {
            line = line.replace(&format!(" {id} "), "  ");
        }
        if let Some(word) = leading_word_in(&r, &line) {
            panic!("{surface}: `{word}` in: {line}");
        }
        lines += 1;
    }
    assert!(lines > 20, "{surface}: only {lines} lines");
}

/// The strings of a JSON value, each on a line of its own.
fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            out.push_str(&s.replace('\n', " "));
            out.push('\n');
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        // Ids are keys, never shown on the page.
        serde_json::Value::Object(o) => (o.iter())
            .filter(|(k, _)| *k != "id" && *k != "factor")
            .for_each(|(_, v)| strings(v, out)),
        _ => {}
    }
}

#[test]
fn the_check_itself_finds_a_leading_word() {
    let r = rubric();
    assert_eq!(
        leading_word_in(&r, "Which suits a VMO best?").as_deref(),
        Some("VMO")
    );
    assert_eq!(leading_word_in(&r, "How often is work reviewed?"), None);
}

#[test]
fn init_shows_no_leading_word() {
    let sheet = run(&["init", "-o", "-"]);
    // What a respondent reads: the comments.
    let comments: String = (sheet.lines())
        .filter(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_neutral("init", &comments);
    // Every question is there, the organisation's included.
    let r = rubric();
    for q in &r.rubric.question {
        assert!(sheet.contains(&format!("\n{} = \"\"\n", q.id)), "{}", q.id);
    }
}

#[test]
fn rubric_show_shows_no_leading_word_unless_asked_for_the_consultant_view() {
    let table = run(&["rubric", "show"]);
    assert_neutral("rubric show", &table);
    assert_neutral(
        "rubric show --format markdown",
        &run(&["rubric", "show", "--format", "markdown"]),
    );
    // The consultant view adds what answers mean, which names the offices.
    let consultant = run(&["rubric", "show", "--consultant"]);
    let r = rubric();
    let explain = r.rubric.question[0].option[0].explain.as_deref().unwrap();
    let first_words: String = explain.split(' ').take(3).collect::<Vec<_>>().join(" ");
    assert!(consultant.contains(&first_words), "{first_words}");
    assert!(!table.contains(&first_words), "{first_words}");
    assert!(
        consultant.lines().any(|l| leading_word_in(&r, l).is_some()),
        "the consultant view names the offices"
    );
}

#[test]
fn the_forms_carry_no_leading_word() {
    let page = run(&["form", "--format", "html"]);
    let open = "id=\"pmo-vmo-rubric\">";
    let start = page.find(open).unwrap() + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let mut text = String::new();
    strings(&data, &mut text);
    assert_neutral("form --format html", &text);
    assert!(!page.contains("\"explain\""));

    let gs = run(&["form", "--format", "apps-script"]);
    let start = gs.find("var RUBRIC = ").unwrap() + "var RUBRIC = ".len();
    let end = start + gs[start..].find("};\n").unwrap() + 1;
    let data: serde_json::Value = serde_json::from_str(&gs[start..end]).unwrap();
    let mut text = String::new();
    strings(&data, &mut text);
    assert_neutral("form --format apps-script", &text);
}
