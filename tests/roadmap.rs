//! The roadmap on the default rubric, read as a client reads it: in the score
//! table, in Markdown, in JSON, in the workshop and in the HTML report.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"));
    c.env(
        "PMO_VMO_RUBRIC",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/v2/pmo-vmo-2.0.0.toml"
        ),
    );
    c.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const IN_TRANSITION: &str = "tests/fixtures/v2/sheets/in-transition.toml";

#[test]
fn the_table_shows_the_target_the_phases_and_each_move_in_words() {
    let t = run(&["score", IN_TRANSITION]);
    let road = &t[t.find("Roadmap · ").expect("a roadmap section")..];
    assert!(
        road.starts_with("Roadmap · Target: VMO, reached in 7 steps."),
        "{road}"
    );
    // The gate on buy-in comes first, then the index rises.
    let p1 = road.find("Phase 1 · Clear the gates").unwrap();
    let p2 = road.find("Phase 2 · Raise the index").unwrap();
    assert!(p1 < p2);
    let phase1 = &road[p1..p2];
    // Labels, not ids; the action is the rubric's improve text of the answer now.
    assert!(phase1.contains("Some leaders would"), "{phase1}");
    assert!(phase1.contains("→ Most leaders"), "{phase1}");
    assert!(phase1.contains("Turn the supporters'"), "{phase1}");
    assert!(!phase1.contains("stakeholder-buy-in"), "{phase1}");
    // The last step is where the result turns VMO, and no earlier one does.
    let afters: Vec<&str> = road
        .lines()
        .filter_map(|l| l.split('┆').nth(3))
        .map(|c| c.trim_matches(|ch: char| ch == '│' || ch.is_whitespace()))
        .filter(|c| c.contains(" · "))
        .collect();
    assert_eq!(afters.len(), 7, "{road}");
    assert_eq!(afters[6], "61.4 · VMO");
    assert!(
        afters[..6].iter().all(|a| a.ends_with("Hybrid")),
        "{afters:?}"
    );
}

#[test]
fn a_target_can_be_asked_for_and_a_vmo_result_has_none_of_its_own() {
    // A VMO result has no target of its own.
    let t = run(&["score", "tests/fixtures/v2/sheets/value-focused.toml"]);
    assert!(t.contains("Roadmap · No target: VMO is the highest"), "{t}");
    // Asked for a lower target: no steps, and not "reached" (hardening finding 19):
    // the answers are past it.
    let t = run(&[
        "score",
        "--target",
        "hybrid",
        "tests/fixtures/v2/sheets/value-focused.toml",
    ]);
    assert!(
        t.contains("Roadmap · Target: Hybrid, below the result (VMO): a roadmap only raises answers, so it has no steps."),
        "{t}"
    );
    assert!(!t.contains("Phase 1"), "{t}");
    // JSON: contract section 6.
    let j: serde_json::Value = serde_json::from_str(&run(&[
        "score",
        "-f",
        "json",
        "--target",
        "vmo",
        IN_TRANSITION,
    ]))
    .unwrap();
    let m = &j["results"][0]["roadmap"];
    assert_eq!(m["target"], "vmo");
    assert_eq!(m["reached"], true);
    let steps = m["steps"].as_array().unwrap();
    assert_eq!(steps[0]["phase"], 1);
    assert_eq!(steps[0]["gate"], "vmo-needs-buy-in");
    assert!(steps[0]["action"].as_str().unwrap().contains("Done when"));
    assert_eq!(steps.last().unwrap()["recommendation"], "vmo");
}

#[test]
fn markdown_lists_the_steps_by_phase_with_the_index_after_each() {
    let md = run(&["score", "-f", "markdown", IN_TRANSITION]);
    let road = &md[md.find("### Roadmap: ").expect("a roadmap heading")..];
    assert!(road.contains("Target: VMO, reached in 7 steps."), "{road}");
    assert!(road.contains("**Phase 1: Clear the gates**"), "{road}");
    assert!(road.contains("**Phase 2: Raise the index**"), "{road}");
    assert!(
        road.contains("1. How would business leaders react if the office challenged investments on value? **Some leaders would welcome it, others not → Most leaders would welcome it.**"),
        "{road}"
    );
    assert!(road.contains("*Then: index 61.4 · VMO.*"), "{road}");
    // Numbered through the plan, not from 1 in each phase.
    assert!(road.contains("\n7. "), "{road}");
}

#[test]
fn a_workshop_plans_from_the_median_answers_and_counts_who_is_there() {
    let t = run(&["workshop", "--mixed", "tests/fixtures/v2/sheets"]);
    let road = &t[t.find("Roadmap · ").expect("a roadmap section")..];
    assert!(road.contains("the median answer by score"), "{road}");
    assert!(road.contains("Already"), "{road}");
    let j: serde_json::Value = serde_json::from_str(&run(&[
        "workshop",
        "--mixed",
        "-f",
        "json",
        "tests/fixtures/v2/sheets",
    ]))
    .unwrap();
    let m = &j["roadmap"];
    // Three sheets: the median of PMO-, hybrid- and VMO-leaning answers is the
    // hybrid sheet's answer wherever the three are ordered that way.
    assert_eq!(m["start"]["authority-stakeholder-buy-in"], "mixed");
    for s in m["steps"].as_array().unwrap() {
        assert_eq!(s["answered"], 3);
        assert!(s["already"].as_u64().unwrap() <= 3);
    }
}

#[test]
fn the_report_prints_a_phased_plan_for_one_sheet_and_for_a_group() {
    let html = run(&["report", IN_TRANSITION, "-o", "-"]);
    let road = &html[html
        .find("<section id=\"roadmap\">")
        .expect("a roadmap section")..];
    let road = &road[..road.find("</section>").unwrap()];
    assert!(road.contains("Target: VMO, reached in 7 steps."), "{road}");
    assert!(road.contains("<h3>Phase 1: Clear the gates</h3>"), "{road}");
    assert!(road.contains("<ol class=\"steps\" start=\"2\">"), "{road}");
    assert!(road.contains("Then: index 61.4 · VMO."), "{road}");
    // One sheet: no count of respondents.
    assert!(!road.contains("Already there"), "{road}");
    let html = run(&["report", "--mixed", "tests/fixtures/v2/sheets", "-o", "-"]);
    let road = &html[html.find("<section id=\"roadmap\">").unwrap()..];
    assert!(road.contains("Already there: "), "{road}");
    assert!(road.contains("median answer"), "{road}");
    // Asked for PMO, a hybrid group is past it.
    let html = run(&[
        "report",
        "--mixed",
        "--target",
        "pmo",
        "tests/fixtures/v2/sheets",
        "-o",
        "-",
    ]);
    assert!(
        html.contains("Target: PMO, below the result (Hybrid): a roadmap only raises answers, so it has no steps."),
        "roadmap with --target pmo"
    );
}
