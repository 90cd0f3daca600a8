//! What the default rubric concludes, read as a PMO/VMO practitioner would: the
//! deal-breakers a mean would hide (most projects overrunning, leaders who would
//! resist a value office) rule out a VMO whatever else is answered; one answer is
//! never a firm result; 1.0.0 sheets keep scoring; the archetype organisations in
//! `tests/fixtures/archetypes` get the result their descriptions call for; and no
//! text shown contradicts the gates that fired.

use std::path::{Path, PathBuf};

use pmo_vmo::advice::Lead;
use pmo_vmo::check::{self, Check, Rules};
use pmo_vmo::input::{self, ResolvedSheet, SheetFormat};
use pmo_vmo::render::{Style, table};
use pmo_vmo::result::{self, SheetResult};
use pmo_vmo::{Band, LoadedRubric};
use proptest::prelude::*;

/// The default rubric, loaded once: results borrow its ids for the whole test.
fn rubric() -> &'static LoadedRubric {
    static RUBRIC: std::sync::LazyLock<LoadedRubric> = std::sync::LazyLock::new(|| {
        LoadedRubric::from_str(
            "tests/fixtures/v2/pmo-vmo-2.0.0.toml",
            &std::fs::read_to_string("tests/fixtures/v2/pmo-vmo-2.0.0.toml").unwrap(),
        )
        .unwrap()
    });
    &RUBRIC
}

fn load<'r>(r: &'r LoadedRubric, path: &Path) -> (ResolvedSheet, SheetResult<'r>) {
    let text = std::fs::read_to_string(path).unwrap();
    let format = if path.extension().is_some_and(|e| e == "json") {
        SheetFormat::Json
    } else {
        SheetFormat::Toml
    };
    let s = input::load_text(r, path, &text, format)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let res = result::score(r, s.clone(), true).unwrap();
    (s, res)
}

fn archetype(name: &str) -> SheetResult<'static> {
    let dir = Path::new("tests/fixtures/archetypes");
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains(name))
        .unwrap_or_else(|| panic!("no archetype {name}"));
    load(rubric(), &path).1
}

/// The option index of `question = option` in the default rubric.
fn pick(r: &LoadedRubric, question: &str, option: &str) -> (usize, usize) {
    let qi = r.question(question).unwrap();
    let oi = r.rubric.question[qi]
        .option
        .iter()
        .position(|o| o.id == option)
        .unwrap();
    (qi, oi)
}

/// Random sheets of the default rubric: any option or none for each of its 20
/// questions (an option index past the end means "unanswered").
fn sheets() -> impl Strategy<Value = Vec<Option<usize>>> {
    proptest::collection::vec(proptest::option::weighted(0.85, 0usize..5), 20)
}

fn evaluate<'r>(r: &'r LoadedRubric, choices: &[Option<usize>]) -> Option<pmo_vmo::Evaluation<'r>> {
    pmo_vmo::evaluate(r, choices).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// "Most projects overrun or get cut back" is a PMO, whatever the other answers.
    #[test]
    fn most_projects_overrunning_is_never_a_vmo(mut c in sheets()) {
        let r = rubric();
        let (qi, oi) = pick(r, "maturity-delivery-track-record", "rarely");
        c[qi] = Some(oi);
        let e = evaluate(r, &c).unwrap();
        prop_assert_eq!(e.recommendation, Band::Pmo, "{:?}", e);
    }

    /// Delivery that lands only about half the time is never a VMO.
    #[test]
    fn coin_toss_delivery_is_never_a_vmo(mut c in sheets()) {
        let r = rubric();
        let (qi, oi) = pick(r, "maturity-delivery-track-record", "sometimes");
        c[qi] = Some(oi);
        prop_assert_ne!(evaluate(r, &c).unwrap().recommendation, Band::Vmo);
    }

    /// Leaders who would resist, tolerate, or split over a value office never get
    /// one, whatever the other answers.
    #[test]
    fn leaders_who_would_resist_never_get_a_vmo(mut c in sheets(), o in 0usize..3) {
        let r = rubric();
        let qi = r.question("authority-stakeholder-buy-in").unwrap();
        c[qi] = Some(o);
        prop_assert_ne!(evaluate(r, &c).unwrap().recommendation, Band::Vmo);
    }

    /// No text shown contradicts the gates that fired. Over random sheets of the
    /// default rubric, in the detailed table a person reads:
    /// 1. if a gate changed the result (its band before the gates differs from the
    ///    result, or any gate reports a change), the text in the "Why" row is the
    ///    message of a fired gate whose band is the result, and the recommendation's
    ///    summary is not shown anywhere;
    /// 2. the summary is shown only when no gate changed the result and the result
    ///    is firm;
    /// 3. every fired gate's message is shown: the ones that changed the result in
    ///    the "Why" row, every other one as a risk to the recommended office,
    ///    whatever it did to the result;
    /// 4. no next step is shown whose `unless` holds for the sheet, and every step
    ///    whose `unless` does not hold (or that has none) is shown, for a firm
    ///    result; a provisional result shows no step of the rubric at all.
    #[test]
    fn no_text_shown_contradicts_the_gates_that_fired(c in sheets()) {
        let r = rubric();
        let Some(e) = evaluate(r, &c) else { return Ok(()) };
        let sheet = ResolvedSheet {
            source: "random.toml".into(),
            sheet: pmo_vmo::Sheet::default(),
            choices: c.clone(),
            unknown: Vec::new(),
            warnings: Vec::new(),
            format: SheetFormat::Toml,
            text: None,
        };
        let res = result::score(r, sheet, false).unwrap();
        let style = Style { color: false, width: Some(10_000), detail: None };
        let shown = table::detail(r, &res, style);
        let summary = res.advice.source.summary(r);
        let steps = res.advice.source.steps(r);
        let changed = e.band != e.recommendation || e.gates.iter().any(|g| g.changed);
        let message = |id: &str| &r.rubric.gate.iter().find(|g| g.id == id).unwrap().message;
        // 1 and 2.
        if changed {
            let why = shown.lines().find(|l| l.contains("│ Why "));
            let why = why.unwrap_or_else(|| panic!("no Why row: {shown}"));
            prop_assert!(
                e.gates.iter().any(|g| g.to == Some(e.recommendation) && why.contains(message(g.id).as_str())),
                "{shown}"
            );
            prop_assert!(!shown.contains(summary), "{shown}");
            prop_assert!(matches!(res.advice.lead, Lead::Gates(_)));
        } else {
            prop_assert_eq!(shown.contains(summary), !e.provisional, "{}", shown);
        }
        // 3.
        for g in &e.gates {
            prop_assert!(shown.contains(message(g.id).as_str()), "{}: {}", g.id, shown);
        }
        // 4.
        let scores: Vec<Option<f64>> = e.factors.iter().map(|f| f.score).collect();
        for s in steps {
            let done = s.unless().iter().any(|u| {
                let score = match (&u.question, &u.factor) {
                    (Some(q), _) => {
                        let qi = r.question(q).unwrap();
                        c[qi].map(|o| r.rubric.question[qi].option[o].score)
                    }
                    (None, Some(f)) => scores[r.factor(f).unwrap()],
                    (None, None) => None,
                };
                score.is_some_and(|x| u.holds(x))
            });
            let visible = shown.contains(s.text());
            prop_assert_eq!(visible, !done && !e.provisional, "{}: {}", s.text(), shown);
        }
    }
}

#[test]
fn one_answered_question_is_provisional_and_check_fails_it() {
    let r = rubric();
    let mut firm_texts = Vec::new();
    for (qi, q) in r.rubric.question.iter().enumerate() {
        for oi in 0..q.option.len() {
            let mut choices = vec![None; r.rubric.question.len()];
            choices[qi] = Some(oi);
            let sheet = ResolvedSheet {
                source: "one.toml".into(),
                sheet: pmo_vmo::Sheet::default(),
                choices,
                unknown: Vec::new(),
                warnings: Vec::new(),
                format: SheetFormat::Toml,
                text: None,
            };
            let res = result::score(r, sheet.clone(), false).unwrap();
            let e = &res.evaluation;
            assert!(e.provisional, "{}={}", q.id, q.option[oi].id);
            assert_eq!(e.shortfalls.len(), 4, "every factor is short: {e:?}");
            let v = check::judge(r, &sheet, res.clone(), &Rules::default());
            assert!(!v.passed(), "{}", q.id);
            assert!(matches!(
                v.failures().next().map(|j| &j.check),
                Some(Check::Coverage { .. })
            ));
            // Said first, in words, and with no summary.
            let shown = table::detail(r, &res, Style::default());
            let second = shown.lines().nth(1).unwrap();
            assert!(
                second.starts_with("Provisional: based on 1 of 20 answers;"),
                "{shown}"
            );
            firm_texts.extend(
                Band::LADDER
                    .iter()
                    .map(|b| &r.rubric.recommendation.as_ref().unwrap().get(*b).summary)
                    .filter(|s| shown.contains(s.as_str())),
            );
        }
    }
    assert!(firm_texts.is_empty(), "{firm_texts:?}");
}

#[test]
fn the_archetypes_get_the_results_their_descriptions_call_for() {
    let r = rubric();
    let dir = Path::new("tests/fixtures/archetypes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 15);
    let mut provisional = Vec::new();
    for p in &paths {
        let (s, res) = load(r, p);
        let expect = s.sheet.expect.clone().unwrap();
        assert_eq!(
            Some(res.evaluation.recommendation),
            expect.recommendation,
            "{}",
            p.display()
        );
        if let Some(m) = expect.min_margin {
            assert!(res.evaluation.margin >= m, "{}", p.display());
        }
        if res.evaluation.provisional {
            provisional.push(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    assert_eq!(
        provisional,
        ["e-one-answer", "n-alignment-under-answered"],
        "only the two under-answered archetypes are provisional"
    );
}

#[test]
fn a_fully_answered_ready_organisation_gets_a_vmo() {
    let res = archetype("d-ready-for-a-vmo");
    let e = &res.evaluation;
    assert_eq!(e.answered, 20);
    assert!(!e.provisional);
    assert_eq!(e.recommendation, Band::Vmo);
    assert!(e.gates.is_empty(), "{:?}", e.gates);
    for (q, o) in [
        ("maturity-standards", "tailored"),
        ("maturity-delivery-track-record", "reliably"),
        ("authority-stakeholder-buy-in", "welcome"),
    ] {
        assert_eq!(res.answers.get(q), Some(o), "{q}");
    }
}

#[test]
fn a_strategy_led_organisation_with_chaotic_delivery_gets_a_pmo() {
    let res = archetype("c-strategy-led-ministry");
    let e = &res.evaluation;
    assert_eq!(e.band, Band::Hybrid, "the index alone says hybrid");
    assert_eq!(e.recommendation, Band::Pmo);
    assert!(!e.provisional);
    assert_eq!(
        res.answers.get("maturity-delivery-track-record"),
        Some("rarely")
    );
    let r = rubric();
    let led: Vec<&str> = match &res.advice.lead {
        Lead::Gates(g) => g.iter().map(|&i| r.rubric.gate[i].id.as_str()).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(led, ["chaotic-delivery-means-pmo"]);
}

#[test]
fn the_example_sheets_and_every_1_0_0_sheet_still_score() {
    let r = rubric();
    let mut scored = 0;
    for (dir, want) in [
        (
            "tests/fixtures/v2/sheets",
            ["delivery-focused", "in-transition", "value-focused"],
        ),
        (
            "tests/fixtures/v1",
            ["delivery-focused", "in-transition", "value-focused"],
        ),
    ] {
        for (name, band) in want.iter().zip(Band::ALL) {
            let (s, res) = load(r, &Path::new(dir).join(format!("{name}.toml")));
            assert_eq!(res.evaluation.recommendation, band, "{dir}/{name}");
            assert!(!res.evaluation.provisional, "{dir}/{name}");
            let expect = s.sheet.expect.unwrap();
            assert!(
                res.evaluation.margin >= expect.min_margin.unwrap(),
                "{dir}/{name}"
            );
            scored += 1;
        }
    }
    // The other 1.0.0 sheets among the fixtures (all but the one broken on purpose).
    for p in [
        "tests/fixtures/check/sheets/gated.toml",
        "tests/fixtures/check/sheets/gated.json",
        "tests/fixtures/check/sheets/thin-margin.toml",
        "tests/fixtures/check/sheets/no-expect.toml",
    ] {
        let (_, res) = load(r, Path::new(p));
        assert!(res.evaluation.answered > 0, "{p}");
        scored += 1;
    }
    assert_eq!(scored, 10);
}

#[test]
fn every_1_0_0_question_and_option_is_kept_word_for_word() {
    let path = Path::new("tests/fixtures/v1/pmo-vmo-1.0.0.toml");
    let old = LoadedRubric::from_str(path, &std::fs::read_to_string(path).unwrap()).unwrap();
    let new = rubric();
    assert_eq!(old.rubric.version, "1.0.0");
    for q in &old.rubric.question {
        let n = &new.rubric.question[new.question(&q.id).unwrap_or_else(|| panic!("{}", q.id))];
        assert_eq!(
            (&n.text, &n.factor, n.weight),
            (&q.text, &q.factor, q.weight),
            "{}",
            q.id
        );
        for o in &q.option {
            let m = n.option.iter().find(|m| m.id == o.id);
            let m = m.unwrap_or_else(|| panic!("{}: option {}", q.id, o.id));
            assert_eq!(
                (&m.label, m.score),
                (&o.label, o.score),
                "{}/{}",
                q.id,
                o.id
            );
        }
    }
    assert_eq!(new.rubric.question.len(), old.rubric.question.len() + 4);
}
