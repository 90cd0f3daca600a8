//! The plan (contract section 6) on the default rubric, over the 44 sheets of the
//! organisations corpus (22 organisations, two blind readers each): the order of
//! needs, at most seven initiatives shown, the pressing problem early, a plan that
//! builds the recommended office, and a group plan that agrees with its headline.

use std::path::{Path, PathBuf};

use pmo_vmo::input::{self, SheetFormat};
use pmo_vmo::result::{self, SheetResult};
use pmo_vmo::workshop::Group;
use pmo_vmo::{Batch, LoadedRubric};
use serde_json::Value;

const DIR: &str = "tests/fixtures/organisations";

fn rubric() -> &'static LoadedRubric {
    static R: std::sync::LazyLock<LoadedRubric> =
        std::sync::LazyLock::new(|| LoadedRubric::embedded().unwrap());
    &R
}

fn sheets() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for reader in ["sheets-a", "sheets-b"] {
        let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new(DIR).join(reader))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        out.extend(v);
    }
    assert_eq!(out.len(), 44);
    out
}

fn score(path: &Path) -> SheetResult<'static> {
    let text = std::fs::read_to_string(path).unwrap();
    let sheet = input::load_text(rubric(), path, &text, SheetFormat::Toml).unwrap();
    result::score(rubric(), sheet, false).unwrap()
}

/// Each sheet's JSON, with its plan.
fn plans() -> Vec<(PathBuf, Value)> {
    (sheets().into_iter())
        .map(|p| {
            let json = serde_json::to_value(score(&p)).unwrap();
            (p, json)
        })
        .collect()
}

/// The first reader's sheet of a case of the corpus, scored, as JSON.
fn first_reader(case: &str) -> Value {
    serde_json::to_value(score(&Path::new(DIR).join(format!("sheets-a/{case}.toml")))).unwrap()
}

/// The ids of a result's risks, in order.
fn risk_ids(json: &Value) -> Vec<String> {
    (json["risks"].as_array().unwrap().iter())
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every initiative of a plan, shown then later.
fn all(plan: &Value) -> Vec<&Value> {
    let shown = plan["initiatives"].as_array().unwrap();
    let later = plan["later"].as_array().unwrap();
    shown.iter().chain(later).collect()
}

#[test]
fn the_json_has_the_contract_s_shape() {
    let json = serde_json::to_value(score(
        &Path::new(DIR).join("sheets-a/01-hospital-after-rollout.toml"),
    ))
    .unwrap();
    let plan = &json["roadmap"];
    for key in ["target", "reached", "initiatives", "later"] {
        assert!(plan.get(key).is_some(), "no {key}: {plan}");
    }
    let first = &plan["initiatives"][0];
    for key in [
        "horizon",
        "question",
        "from",
        "to",
        "title",
        "action",
        "done-when",
        "owner",
        "effort",
        "requires",
        "projected",
    ] {
        assert!(first.get(key).is_some(), "no {key}: {first}");
    }
    assert!(first["projected"]["index"].is_f64());
    assert!(first["projected"]["recommendation"].is_string());
}

#[test]
fn nothing_comes_before_what_it_needs_and_horizons_never_go_back() {
    let mut initiatives = 0;
    for (path, json) in plans() {
        let Some(plan) = json.get("roadmap") else {
            assert_eq!(json["provisional"], true, "{}: no plan", path.display());
            continue;
        };
        let list = all(plan);
        initiatives += list.len();
        let mut last = 1;
        for (k, i) in list.iter().enumerate() {
            let h = i["horizon"].as_u64().unwrap();
            assert!((1..=3).contains(&h));
            if k < plan["initiatives"].as_array().unwrap().len() {
                assert!(h >= last, "{}: horizon goes back at {k}", path.display());
                last = h;
            }
            for need in i["requires"].as_array().unwrap() {
                let at = list.iter().position(|x| x["question"] == *need);
                assert!(
                    at.is_some_and(|j| j < k),
                    "{}: {} needs {need}, which is not before it",
                    path.display(),
                    i["question"]
                );
            }
        }
    }
    assert!(
        initiatives > 80,
        "the corpus makes real plans: {initiatives}"
    );
}

#[test]
fn no_plan_shows_more_than_seven_and_only_practices_move() {
    let r = &rubric().rubric;
    for (path, json) in plans() {
        let Some(plan) = json.get("roadmap") else {
            continue;
        };
        assert!(
            plan["initiatives"].as_array().unwrap().len() <= 7,
            "{}",
            path.display()
        );
        for i in all(plan) {
            let q = r.question.iter().find(|q| q.id == i["question"]).unwrap();
            assert_eq!(q.kind, pmo_vmo::rubric::QuestionKind::Practice, "{}", q.id);
            let score = |id: &Value| q.option.iter().find(|o| o.id == *id).unwrap().score;
            assert!(
                score(&i["to"]) > score(&i["from"]),
                "{}: {}",
                path.display(),
                q.id
            );
        }
    }
}

#[test]
fn a_plan_builds_the_recommended_office() {
    let mut pmo = 0;
    for (path, json) in plans() {
        let Some(plan) = json.get("roadmap") else {
            continue;
        };
        assert_eq!(plan["target"], json["recommendation"], "{}", path.display());
        assert_eq!(plan["office"], json["office"]["type"], "{}", path.display());
        if json["recommendation"] == "pmo" {
            pmo += 1;
            assert_eq!(json["office"]["kind"], "pmo");
        }
    }
    assert!(pmo >= 4, "the corpus has PMO results: {pmo}");
}

#[test]
fn the_pressing_problem_gets_an_initiative_in_the_first_two_horizons() {
    let rb = rubric();
    let r = &rb.rubric;
    let problem_q = r.scoring.pressing_problem.as_deref().unwrap();
    let mut checked = 0;
    for (path, json) in plans() {
        let Some(plan) = json.get("roadmap") else {
            continue;
        };
        let Some(problem) = json["answers"][problem_q].as_str() else {
            continue;
        };
        // The moves that address it: a practice whose level crossed names it.
        let addresses = |i: &Value| {
            let q = r.question.iter().find(|q| q.id == i["question"]).unwrap();
            let score = |id: &Value| q.option.iter().find(|o| o.id == *id).unwrap().score;
            let (from, to) = (score(&i["from"]), score(&i["to"]));
            q.option
                .iter()
                .filter(|o| o.score >= from && o.score < to)
                .any(|o| {
                    o.addresses
                        .as_ref()
                        .unwrap_or(&q.addresses)
                        .iter()
                        .any(|a| a == problem)
                })
        };
        // Mapped, and the organisation has room on a practice that addresses it.
        let room = r.question.iter().any(|q| {
            let now = json["answers"][q.id.as_str()].as_str();
            q.kind == pmo_vmo::rubric::QuestionKind::Practice
                && q.option.iter().any(|o| {
                    let now_score = q
                        .option
                        .iter()
                        .find(|x| Some(x.id.as_str()) == now)
                        .map(|x| x.score);
                    now_score.is_some_and(|s| o.score >= s && o.score < 100.0)
                        && o.addresses
                            .as_ref()
                            .unwrap_or(&q.addresses)
                            .iter()
                            .any(|a| a == problem)
                })
        });
        if !room {
            continue;
        }
        checked += 1;
        let early = all(plan)
            .into_iter()
            .any(|i| i["horizon"].as_u64().unwrap() <= 2 && addresses(i));
        assert!(
            early,
            "{}: nothing in the first year addresses {problem}",
            path.display()
        );
    }
    assert!(checked >= 20, "the corpus names mapped problems: {checked}");
}

#[test]
fn client_text_shows_no_index_figure() {
    let style = pmo_vmo::render::Style {
        color: false,
        width: Some(100),
        detail: Some(true),
    };
    for path in sheets().into_iter().take(10) {
        let r = score(&path);
        let text = pmo_vmo::render::table::detail(rubric(), &r, style);
        let plan = &text[text.find("Plan · ").unwrap_or(text.len())..];
        assert!(
            !plan.contains("index") && !plan.contains("Index"),
            "{}:\n{plan}",
            path.display()
        );
    }
}

#[test]
fn the_group_plan_agrees_with_the_group_headline() {
    for reader in ["sheets-a", "sheets-b"] {
        let inputs = input::expand(&[Path::new(DIR).join(reader)], SheetFormat::Toml);
        let batch = Batch::run(rubric(), &inputs);
        let mut g = Group::new(rubric());
        for r in &batch.results {
            let text = std::fs::read_to_string(r.source.to_string()).unwrap();
            let sheet = input::load_text(rubric(), &r.source, &text, SheetFormat::Toml).unwrap();
            g.add(&sheet, r);
        }
        let w = g.finish(None).unwrap();
        let json = serde_json::to_value(&w).unwrap();
        // The agenda holds scored questions only: a context question has no spread.
        for item in json["agenda"].as_array().unwrap() {
            assert!(item["stdev"].is_f64(), "{item}");
            assert!(
                !item["question"].as_str().unwrap().starts_with("context-"),
                "{item}"
            );
        }
        let plan = &json["roadmap"];
        assert_eq!(plan["target"], json["recommendation"], "{json}");
        assert_eq!(plan["reached"], true);
        for i in all(plan) {
            let a = &i["already"];
            assert!(a["count"].as_u64().unwrap() <= a["of"].as_u64().unwrap());
            assert!(
                i.get("projected").is_none(),
                "a group plan projects no index"
            );
        }
    }
}

#[test]
fn compare_reports_each_initiative_s_progress() {
    // The hospital a year on, against the hospital after its failed roll-out.
    let bin = env!("CARGO_BIN_EXE_pmo-vmo");
    let out = std::process::Command::new(bin)
        .args([
            "compare",
            &format!("{DIR}/sheets-a/01-hospital-after-rollout.toml"),
            &format!("{DIR}/sheets-a/02-hospital-year-on.toml"),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = json["roadmap"].as_array().unwrap();
    assert!(!steps.is_empty());
    for s in steps {
        let status = s["status"].as_str().unwrap();
        assert!(
            ["done", "in-progress", "not-started"].contains(&status),
            "{s}"
        );
        assert_eq!(s["done"] == true, status == "done");
    }
    assert!(
        steps.iter().any(|s| s["status"] == "done"),
        "a year on, something is done: {json}"
    );
}

#[test]
fn the_plan_command_writes_tracker_rows() {
    let bin = env!("CARGO_BIN_EXE_pmo-vmo");
    let out = std::process::Command::new(bin)
        .args(["plan", "examples/sheets/hospital-after-rollout.toml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows = csv::Reader::from_reader(&out.stdout[..]);
    let head: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    for col in [
        "summary",
        "description",
        "owner",
        "when",
        "depends-on",
        "done-when",
    ] {
        assert!(head.contains(&col.to_string()), "{head:?}");
    }
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let json = serde_json::to_value(score(Path::new(
        "examples/sheets/hospital-after-rollout.toml",
    )))
    .unwrap();
    assert_eq!(records.len(), all(&json["roadmap"]).len());
    // A dependency names an earlier row.
    let dep = head.iter().position(|c| c == "depends-on").unwrap();
    for (k, r) in records.iter().enumerate() {
        for d in r[dep].split(';').filter(|d| !d.is_empty()) {
            assert!(
                d.parse::<usize>().unwrap() <= k,
                "row {} depends on {d}",
                k + 1
            );
        }
    }
}

/// A plan towards a part-time role (no office) is led by the leadership team, not by
/// an "office lead" nobody has: the office type's `roles` map (the 40-person
/// start-up of the corpus, case 09, and every other sheet whose plan aims at no
/// office).
#[test]
fn a_plan_without_an_office_has_no_office_lead() {
    let mut seen = 0;
    for (path, json) in plans() {
        let plan = &json["roadmap"];
        if plan["office"] != "portfolio-role" {
            continue;
        }
        seen += 1;
        for i in all(plan) {
            assert_ne!(i["owner"], "office-lead", "{}: {i}", path.display());
        }
    }
    assert!(
        seen >= 2,
        "the corpus aims {seen} plans at a part-time role"
    );
}

/// What a practitioner must read for the start-up (case 09): no office, and the
/// risks of a small organisation named (process borrowed from large companies,
/// priorities in a few heads, urgent work overrunning the plan); for the
/// consultancy's investment office (case 10), thin delivery foundations are named
/// without telling it to build them before it starts.
#[test]
fn the_small_organisation_and_the_value_office_hear_their_own_risks() {
    let risks = risk_ids(&first_reader("09-startup-40"));
    for id in [
        "process-creep",
        "priorities-unwritten",
        "urgent-work-overruns",
    ] {
        assert!(risks.iter().any(|r| r == id), "{id} not in {risks:?}");
    }
    let value = first_reader("10-consultancy-pot");
    assert_eq!(value["recommendation"], "vmo");
    let risks = risk_ids(&value);
    assert!(
        risks.iter().any(|r| r == "foundations-thin-value"),
        "{risks:?}"
    );
    assert!(!risks.iter().any(|r| r == "foundations-thin"), "{risks:?}");
    // Its plan opens with the list of work it will decide on, not a status report.
    let first = &value["roadmap"]["initiatives"][0];
    assert_eq!(
        first["question"], "maturity-governance-reporting",
        "{first}"
    );
    assert!(
        first["action"]
            .as_str()
            .unwrap()
            .contains("what it has cost"),
        "{first}"
    );
}

/// `score --format markdown` pastes into a memo (issue 27): for each sheet, the
/// recommendation and office in words, the summary, how firm, the risks by their
/// messages (no gate ids in the memo), then the plan opened by the first steps.
#[test]
fn the_markdown_memo_has_the_result_in_words_then_the_plan() {
    let bin = env!("CARGO_BIN_EXE_pmo-vmo");
    let sheet = Path::new(DIR).join("sheets-a/09-startup-40.toml");
    let out = std::process::Command::new(bin)
        .args(["score", "--format", "markdown"])
        .arg(&sheet)
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    let memo = &md[md.find("\n### ").expect("a memo section") + 1..];
    let plan_at = memo.find("#### Plan").expect("the plan after the memo");
    let (head, plan) = memo.split_at(plan_at);
    for want in [
        "**Recommendation:** A role, not an office",
        "**Office:** Part-time portfolio role, no office",
        "**How firm:**",
        "**Risks**",
        "governance borrowed from large companies",
    ] {
        assert!(head.contains(want), "{want:?} not in:\n{head}");
    }
    for id in [
        "process-creep",
        "priorities-unwritten",
        "urgent-work-overruns",
    ] {
        assert!(!head.contains(id), "gate id {id} in the memo:\n{head}");
    }
    // The outcome's first steps open the plan's first 90 days.
    assert!(
        plan.contains("- Agree a limit on how much runs at once"),
        "{plan}"
    );
}

/// `score --format json --texts` writes the rubric's texts beside the ids (issue
/// 27): the outcome's title and summary, the office type's title and the next
/// steps, as the table shows them; without `--texts`, none (the JSON's consumers
/// of the bench and of CI keep their rows).
#[test]
fn json_with_texts_carries_the_words_beside_the_ids() {
    let bin = env!("CARGO_BIN_EXE_pmo-vmo");
    let sheet = Path::new(DIR).join("sheets-a/09-startup-40.toml");
    let run = |extra: &[&str]| -> Value {
        let out = std::process::Command::new(bin)
            .args(["score", "--format", "json"])
            .args(extra)
            .arg(&sheet)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["results"][0].clone()
    };
    let with = run(&["--texts"]);
    let texts = &with["texts"];
    assert_eq!(texts["title"], "A role, not an office", "{with}");
    assert_eq!(texts["office"], "Part-time portfolio role, no office");
    assert!(
        texts["lead"][0]
            .as_str()
            .unwrap()
            .contains("a standing office")
    );
    let steps = texts["next-steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s
            .as_str()
            .unwrap()
            .contains("a limit on how much runs at once")),
        "{steps:?}"
    );
    let without = run(&[]);
    assert_eq!(without["outcome"], "small-portfolio");
    assert!(without.get("texts").is_none());
}

/// A format-3 workshop reads as its client would (issue 27): the outcome and the
/// office type in words, how firm in the terms of what decides it, and the risks
/// by their messages; no group index, no "index points", no gate ids, in the
/// terminal and in Markdown. JSON names the outcome, the office and the margin's
/// measure as a sheet's result does.
#[test]
fn a_format_3_workshop_speaks_of_outcome_office_and_risks_not_index_and_ids() {
    let bin = env!("CARGO_BIN_EXE_pmo-vmo");
    let sheets = [
        Path::new(DIR).join("sheets-a/12-bank-hostile.toml"),
        Path::new(DIR).join("sheets-b/12-bank-hostile.toml"),
    ];
    let run = |format: &str| {
        let out = std::process::Command::new(bin)
            .args(["workshop", "--format", format])
            .args(&sheets)
            .env("COLUMNS", "100")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert!(json["outcome"].is_string(), "{json}");
    assert!(json["office"]["type"].is_string(), "{json}");
    let gate_ids: Vec<String> = (json["gates"].as_array().unwrap().iter())
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !gate_ids.is_empty(),
        "the bank's leaders resist: a risk fires"
    );
    for format in ["table", "markdown"] {
        let text = run(format);
        for word in ["Group index", "index points", "Gates fired", "- Gate "] {
            assert!(!text.contains(word), "{format}: {word:?} in\n{text}");
        }
        for id in &gate_ids {
            assert!(
                !text.contains(id.as_str()),
                "{format}: gate id {id} in\n{text}"
            );
        }
        assert!(text.contains("Risks"), "{format}:\n{text}");
        assert!(text.contains("Controlling PMO"), "{format}:\n{text}");
    }
}

/// The product scale-up (case 03) building a lean portfolio function hears the two
/// risks of its type: a value office without a say in funding turns into a renamed
/// PMO, and a framework adopted whole costs more than it returns. The value office
/// that already steers funding (case 13) hears neither.
#[test]
fn a_new_value_office_hears_the_risks_of_its_type() {
    let scale_up = risk_ids(&first_reader("03-product-scaleup"));
    for id in ["value-office-without-say", "framework-whole"] {
        assert!(scale_up.iter().any(|r| r == id), "{id} not in {scale_up:?}");
    }
    let steering = risk_ids(&first_reader("13-value-office-chaos"));
    assert!(
        !(steering.iter()).any(|r| r == "value-office-without-say" || r == "framework-whole"),
        "{steering:?}"
    );
}

/// Resistant leaders mean different things by the office recommended (the third
/// practitioner review): to a delivery office, resistance to central methods and
/// reviews (the manufacturer's plants, case 05); to an office with value duties,
/// resistance to value challenge (the bank, case 12).
#[test]
fn resistant_leaders_are_named_in_the_terms_of_the_office_recommended() {
    let plants = risk_ids(&first_reader("05-capex-manufacturer"));
    assert!(
        plants.iter().any(|r| r == "leaders-resist-control"),
        "{plants:?}"
    );
    assert!(!plants.iter().any(|r| r == "leaders-resist"), "{plants:?}");
    let bank = risk_ids(&first_reader("12-bank-hostile"));
    assert!(bank.iter().any(|r| r == "leaders-resist"), "{bank:?}");
    assert!(
        !bank.iter().any(|r| r == "leaders-resist-control"),
        "{bank:?}"
    );
}
