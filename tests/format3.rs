//! Rubric format 3 on a small rubric worked out by hand
//! (`tests/fixtures/format3/rubric.toml`): every kind of outcome condition, office
//! types chosen by kind, build / evolve / keep, gates that cap or only warn, text
//! variants, margins, "don't know" and context questions.

use pmo_vmo::advice::Source;
use pmo_vmo::input::{self, SheetFormat};
use pmo_vmo::result::{self, SheetResult};
use pmo_vmo::scoring::Action;
use pmo_vmo::{Band, LoadedRubric};

fn rubric() -> &'static LoadedRubric {
    static R: std::sync::LazyLock<LoadedRubric> = std::sync::LazyLock::new(|| {
        LoadedRubric::from_str(
            "tests/fixtures/format3/rubric.toml",
            &std::fs::read_to_string("tests/fixtures/format3/rubric.toml").unwrap(),
        )
        .unwrap()
    });
    &R
}

/// Scores a sheet of `answers` (question = option).
fn score(answers: &[(&str, &str)]) -> SheetResult<'static> {
    let r = rubric();
    let mut text = String::from("rubric = \"small3\"\n[answers]\n");
    for (q, o) in answers {
        text = format!("{text}{q} = \"{o}\"\n");
    }
    let sheet = input::load_text(r, "s.toml", &text, SheetFormat::Toml).unwrap();
    result::score(r, sheet, true).unwrap()
}

fn office(res: &SheetResult) -> (&'static str, Option<Action>) {
    let o = res.evaluation.office.as_ref().expect("an office");
    let id = rubric()
        .rubric
        .office
        .iter()
        .find(|x| x.id == o.type_)
        .unwrap();
    (id.id.as_str(), o.action)
}

#[test]
fn a_context_answer_alone_decides_no_office() {
    let res = score(&[("ctx-size", "small"), ("d1", "hi"), ("v1", "no-value")]);
    let e = &res.evaluation;
    assert_eq!(e.recommendation, Band::None);
    assert_eq!(e.outcome, Some("small"));
    // A role, not an office: no action to take on one.
    assert_eq!(office(&res), ("role", None));
    // Context questions are not scored: 2 of the 3 scored questions answered.
    assert_eq!((e.answered, e.questions), (2, 3));
    assert_eq!(res.context.get("ctx-size"), Some("small"));
}

#[test]
fn a_value_office_over_chaotic_delivery_is_kept_and_a_delivery_office_built_beside_it() {
    let res = score(&[
        ("ctx-office", "vo"),
        ("d1", "hi"),
        ("d2", "rarely"),
        ("v1", "no-value"),
    ]);
    let e = &res.evaluation;
    assert_eq!(e.recommendation, Band::Both);
    assert_eq!(e.outcome, Some("chaos-under-value"));
    let o = e.office.as_ref().unwrap();
    assert_eq!((o.type_, o.action), ("vo", Some(Action::Keep)));
    let also = o.also.as_ref().unwrap();
    // d2 below 50: the controlling office, built (no delivery office exists).
    assert_eq!((also.type_, also.action), ("pmo-ctl", Some(Action::Build)));
    // The cap at hybrid fires but cannot move "both": a risk, shown with its message.
    assert!(e.gates.iter().any(|g| g.id == "unreliable" && !g.changed));
    assert!(e.risks.iter().any(|r| r.message == "Work does not land."));
}

#[test]
fn when_any_holds_on_either_of_its_conditions() {
    // d2 often, but the delivery factor below 30 (d1 lo, d2 often: (0 + 100) / 2 =
    // 50, not below 30) does not hold; with d1 lo and d2 unanswered it is 0.
    let res = score(&[("ctx-office", "vo"), ("d1", "lo"), ("v1", "mixed")]);
    assert_eq!(res.evaluation.outcome, Some("chaos-under-value"));
    let res = score(&[
        ("ctx-office", "vo"),
        ("d1", "lo"),
        ("d2", "often"),
        ("v1", "mixed"),
    ]);
    assert_eq!(res.evaluation.outcome, Some("mixed"));
}

#[test]
fn a_value_office_is_built_where_none_exists_and_a_cap_brings_it_to_hybrid() {
    let res = score(&[
        ("ctx-office", "none"),
        ("d1", "hi"),
        ("d2", "often"),
        ("v1", "no-value"),
    ]);
    assert_eq!(res.evaluation.recommendation, Band::Vmo);
    assert_eq!(office(&res), ("vo", Some(Action::Build)));
    // carry = (100 + 100) / 2 = 100; need 100: the rule holds 40 points from
    // carry's threshold (50) and need's (60): the margin is the nearer, 40.
    assert_eq!(res.evaluation.margin, 40.0);
    // d2 rarely: carry = 50, still the value rule, capped at hybrid by the gate:
    // the margin is then the gate's: d2 is 0, 50 points below where it stops.
    let res = score(&[
        ("ctx-office", "none"),
        ("d1", "hi"),
        ("d2", "rarely"),
        ("v1", "no-value"),
    ]);
    let e = &res.evaluation;
    assert_eq!((e.band, e.recommendation), (Band::Vmo, Band::Hybrid));
    assert!(e.gates.iter().any(|g| g.id == "unreliable" && g.changed));
    assert_eq!(e.margin, 50.0);
    let on = e.margin_on.as_ref().unwrap();
    assert_eq!((on.on, on.id, on.threshold), ("question", "d2", 50.0));
}

#[test]
fn same_as_borrows_the_result_and_texts_of_an_earlier_outcome() {
    // need 100, carry 0 (d1 lo alone: below 50, not "value"), a big organisation:
    // "value-again" decides, with "value"'s recommendation, office and texts.
    let res = score(&[("ctx-size", "big"), ("d1", "lo"), ("v1", "no-value")]);
    let e = &res.evaluation;
    assert_eq!(e.outcome, Some("value-again"));
    assert_eq!(e.recommendation, Band::Vmo);
    assert_eq!(res.advice.source.title(rubric()), "Value office");
}

#[test]
fn an_office_type_is_chosen_among_its_kind_by_its_conditions_and_an_existing_one_evolves() {
    // need 50: "mixed" (hybrid) with a pmo; d2 often: not the controlling type, so
    // the supportive one, which exists: a hybrid evolves it (it takes on value).
    let res = score(&[
        ("ctx-office", "pmo"),
        ("d1", "mid"),
        ("d2", "often"),
        ("v1", "mixed"),
    ]);
    assert_eq!(res.evaluation.recommendation, Band::Hybrid);
    assert_eq!(office(&res), ("pmo-sup", Some(Action::Evolve)));
    // The variant for an existing delivery office gives the title; the summary,
    // which it does not set, comes from the outcome.
    let s = res.advice.source;
    assert!(
        matches!(
            s,
            Source::Rule {
                title: Some(0),
                summary: None,
                ..
            }
        ),
        "{s:?}"
    );
    assert_eq!(s.title(rubric()), "Grow the office you have");
    assert_eq!(s.summary(rubric()), "Mixed.");
    // Without an office: no variant, and the office is built.
    let res = score(&[
        ("ctx-office", "none"),
        ("d1", "mid"),
        ("d2", "often"),
        ("v1", "mixed"),
    ]);
    assert_eq!(res.advice.source.title(rubric()), "One office for both");
    assert_eq!(office(&res), ("pmo-sup", Some(Action::Build)));
    // A PMO that exists and is the one recommended is kept.
    let res = score(&[
        ("ctx-office", "pmo"),
        ("d1", "mid"),
        ("d2", "often"),
        ("v1", "late"),
    ]);
    assert_eq!(res.evaluation.recommendation, Band::Pmo);
    assert_eq!(office(&res), ("pmo-sup", Some(Action::Keep)));
    // The sheet does not say what exists: no action.
    let res = score(&[("d1", "mid"), ("d2", "often"), ("v1", "late")]);
    assert_eq!(office(&res), ("pmo-sup", None));
}

#[test]
fn a_gate_without_cap_or_floor_is_a_risk_with_its_message() {
    let res = score(&[("d1", "lo"), ("d2", "often"), ("v1", "late")]);
    let e = &res.evaluation;
    assert_eq!(e.recommendation, Band::Pmo);
    let g = e.gates.iter().find(|g| g.id == "thin-method").unwrap();
    assert_eq!((g.to, g.changed), (None, false));
    assert!(
        e.risks
            .iter()
            .any(|r| r.id == "thin-method" && r.message == "The method is thin.")
    );
    let json = serde_json::to_value(&res).unwrap();
    let gate = &json["gates"][0];
    assert_eq!(gate["effect"], "risk", "{gate}");
    assert!(gate.get("to").is_none(), "{gate}");
}

#[test]
fn a_next_step_is_hidden_when_any_of_its_unless_conditions_holds() {
    let steps = |d1: &str| {
        let res = score(&[
            ("ctx-office", "none"),
            ("d1", d1),
            ("d2", "often"),
            ("v1", "no-value"),
        ]);
        let all = res.advice.source.steps(rubric());
        res.advice
            .steps
            .iter()
            .map(|&i| all[i].text().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(steps("hi"), vec!["Agree the remit."]);
    // d1 mid: carry = (50 + 100) / 2 = 75, still "value"; d1 at 50 hides the step.
    assert_eq!(steps("mid"), vec!["Agree the remit."]);
}

#[test]
fn dont_know_counts_nowhere_and_is_reported_apart_from_skipped_questions() {
    let res = score(&[("d1", "dont-know"), ("d2", "often"), ("v1", "late")]);
    let e = &res.evaluation;
    assert_eq!(res.unknown, vec!["d1"]);
    assert!(!e.unanswered.contains(&"d1"), "{:?}", e.unanswered);
    assert_eq!(e.answered, 2);
    // d1 counts nowhere: the delivery factor is d2's 100.
    assert_eq!(e.factors[0].score, Some(100.0));
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["unknown"], serde_json::json!(["d1"]));
}

#[test]
fn sensitivity_lists_the_adjacent_moves_that_change_the_outcome_in_both_directions() {
    // need 50: hybrid. v1 one step up (no-value, need 100, carry 75): vmo; one
    // step down (late, need 0): pmo.
    let res = score(&[
        ("ctx-office", "none"),
        ("d1", "mid"),
        ("d2", "often"),
        ("v1", "mixed"),
    ]);
    let moves: Vec<(&str, &str, Band)> = res
        .sensitivity
        .iter()
        .map(|s| (s.question, s.to, s.recommendation))
        .collect();
    assert!(moves.contains(&("v1", "late", Band::Pmo)), "{moves:?}");
    assert!(moves.contains(&("v1", "no-value", Band::Vmo)), "{moves:?}");
    // Context questions are facts, not moves.
    assert!(moves.iter().all(|m| !m.0.starts_with("ctx-")), "{moves:?}");
}

#[test]
fn axes_are_scored_like_factors_and_a_reversed_member_counts_as_100_less() {
    let res = score(&[("d1", "mid"), ("d2", "rarely"), ("v1", "mixed")]);
    let axes: Vec<(&str, Option<f64>)> = res
        .evaluation
        .axes
        .iter()
        .map(|a| (a.id, a.score))
        .collect();
    assert_eq!(
        axes,
        vec![
            ("need", Some(50.0)),
            ("carry", Some(25.0)),
            ("control", Some(100.0))
        ]
    );
}

#[test]
fn check_expects_every_outcome() {
    for (want, answers) in [
        ("none", vec![("ctx-size", "small"), ("d1", "hi")]),
        (
            "both",
            vec![("ctx-office", "vo"), ("d2", "rarely"), ("v1", "mixed")],
        ),
    ] {
        let res = score(&answers);
        assert_eq!(res.evaluation.recommendation, want.parse::<Band>().unwrap());
    }
    assert_eq!("federated".parse::<Band>(), Ok(Band::Federated));
}
