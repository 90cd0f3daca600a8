//! Group figures of `workshop` on a small rubric, computed by hand.
//!
//! Fixture: `tests/fixtures/workshop/` (rubric `ws-small`: factors a and b, weight 1
//! each; a1, a2 on a, b1 on b; options lo 0 / mid 50 / hi 100; bands 40 / 60; gate
//! b-weak caps at pmo when b < 40).
//!
//! | sheet | role    | a1  | a2  | b1  | a                 | b   | index              |
//! |-------|---------|-----|-----|-----|-------------------|-----|--------------------|
//! | Ann   | sponsor | hi  | hi  | hi  | 100               | 100 | 100   (vmo)        |
//! | Bob   | sponsor | hi  | mid | mid | 75                | 50  | 62.5  (vmo)        |
//! | Cy    | pm      | lo  | mid | lo  | 25                | 0   | 12.5  (pmo)        |
//! | Dee   | pm      | mid | -   | lo  | 50                | 0   | 25    (pmo)        |

use std::path::Path;

use pmo_vmo::input::SheetFormat;
use pmo_vmo::input::{self, Input};
use pmo_vmo::rubric::{Band, LoadedRubric};
use pmo_vmo::workshop::aggregate;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn group_figures_match_the_hand_computation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workshop");
    let path = dir.join("rubric.toml");
    let rubric = LoadedRubric::from_str(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let inputs = input::expand(&[dir.join("sheets")], SheetFormat::Toml);
    assert_eq!(inputs.len(), 4);
    let members: Vec<_> = inputs
        .iter()
        .map(|i: &Input| {
            let s = input::load(&rubric, i).unwrap();
            let r = pmo_vmo::result::score(&rubric, s.clone(), true).unwrap();
            (s, r)
        })
        .collect();
    let w = aggregate(&rubric, &members).unwrap();

    assert_eq!(w.respondents, 4);
    // Group index: (100 + 62.5 + 12.5 + 25) / 4 = 50 -> hybrid band, margin
    // min(50 - 40, 60 - 50) = 10. Gate on the factor means: b = 37.5 < 40 caps at pmo.
    assert_eq!(w.index, 50.0);
    assert_eq!(w.band, Band::Hybrid);
    assert_eq!(w.margin, 10.0);
    assert_eq!(w.recommendation, Band::Pmo);
    assert_eq!(w.gates.len(), 1);
    assert_eq!(w.gates[0].id, "b-weak");

    // Factor a: 100, 75, 25, 50. Mean 250/4 = 62.5; sorted 25 50 75 100, median
    // (50 + 75)/2 = 62.5; deviations 37.5 12.5 -37.5 -12.5, squares
    // 1406.25 + 156.25 + 1406.25 + 156.25 = 3125, /4 = 781.25, stdev sqrt = 27.9508...
    let a = &w.factors[0];
    assert_eq!(a.id, "a");
    assert_eq!(a.mean, Some(62.5));
    assert_eq!(a.median, Some(62.5));
    assert!(close(a.stdev.unwrap(), 781.25f64.sqrt()));
    assert!(close(a.stdev.unwrap(), 27.950_849_718_747_37));
    assert_eq!((a.min, a.max, a.answered), (Some(25.0), Some(100.0), 4));
    // Factor b: 100, 50, 0, 0. Mean 37.5; median (0 + 50)/2 = 25; deviations
    // 62.5 12.5 -37.5 -37.5, squares 3906.25 + 156.25 + 1406.25 + 1406.25 = 6875,
    // /4 = 1718.75, stdev 41.4578...
    let b = &w.factors[1];
    assert_eq!(b.mean, Some(37.5));
    assert_eq!(b.median, Some(25.0));
    assert!(close(b.stdev.unwrap(), 1718.75f64.sqrt()));
    assert_eq!((b.min, b.max, b.answered), (Some(0.0), Some(100.0), 4));

    // Individual results: Ann and Bob vmo, Cy and Dee pmo.
    assert_eq!(w.recommendations[&Band::Pmo], 2);
    assert_eq!(w.recommendations[&Band::Hybrid], 0);
    assert_eq!(w.recommendations[&Band::Vmo], 2);

    // Agenda. a1: 100 100 0 50, mean 62.5, squares 1406.25*2 + 3906.25 + 156.25 = 6875,
    // stdev sqrt(1718.75). b1: 100 50 0 0, the same 1718.75: a tie, rubric order keeps
    // a1 first. a2 (Dee did not answer): 100 50 50, mean 66.67, squares
    // 1111.1 + 277.8 + 277.8 = 1666.7, /3 = 555.6, stdev 23.57.
    let order: Vec<&str> = w.agenda.iter().map(|i| i.question.as_str()).collect();
    assert_eq!(order, ["a1", "b1", "a2"]);
    assert!(close(w.agenda[0].stdev, 1718.75f64.sqrt()));
    assert!(close(w.agenda[1].stdev, 1718.75f64.sqrt()));
    assert!(close(w.agenda[2].stdev, (5000.0f64 / 9.0).sqrt()));
    let split = |i: usize| {
        w.agenda[i]
            .split
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>()
    };
    assert_eq!(split(0), [("lo", 1), ("mid", 1), ("hi", 2)]);
    assert_eq!(split(1), [("lo", 2), ("mid", 1), ("hi", 1)]);
    assert_eq!(split(2), [("mid", 2), ("hi", 1)]);

    // Roles. sponsor: a (100 + 75)/2 = 87.5, b (100 + 50)/2 = 75.
    // pm: a (25 + 50)/2 = 37.5, b 0. Gaps: a 50, b 75, both >= 20, largest first.
    assert_eq!(w.roles.len(), 2);
    assert_eq!(w.roles[0].role, "sponsor");
    assert_eq!(w.roles[0].respondents, 2);
    assert_eq!(w.roles[0].factors[0].mean, Some(87.5));
    assert_eq!(w.roles[0].factors[1].mean, Some(75.0));
    assert_eq!(w.roles[1].role, "pm");
    assert_eq!(w.roles[1].factors[0].mean, Some(37.5));
    assert_eq!(w.roles[1].factors[1].mean, Some(0.0));
    let flags: Vec<(&str, f64)> = w
        .flags
        .iter()
        .map(|f| (f.factor.as_str(), f.difference))
        .collect();
    assert_eq!(flags, [("b", 75.0), ("a", 50.0)]);

    // Closest to changing: b's mean from 37.5 to 40 stops the gate; the index moves by
    // half of 2.5 (b is half the weight): 51.25, hybrid. No smaller move of a can do it
    // (the cap holds pmo whatever the index).
    let t = w.tipping.as_ref().unwrap();
    assert_eq!(t.factor, "b");
    assert_eq!(t.to, 40.0);
    assert_eq!(t.recommendation, Band::Hybrid);
    assert!(close(t.index, 51.25));

    // Notes come with who wrote them.
    assert_eq!(w.notes.len(), 2);
    assert_eq!(w.notes[0].respondent, "Ann");
    assert_eq!(w.notes[1].question, "a1");
}

#[test]
fn report_refuses_to_overwrite_without_force_and_replaces_with_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    std::fs::write(&out, "keep me").unwrap();
    let run = |force: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_pmo-vmo"));
        c.arg("--rubric")
            .arg(root.join("tests/fixtures/workshop/rubric.toml"))
            .arg("report")
            .arg(root.join("tests/fixtures/workshop/sheets"))
            .arg("-o")
            .arg(&out)
            .env_remove("RUST_BACKTRACE");
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");

    let forced = run(true);
    assert!(forced.status.success(), "{forced:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Factor A"));
    // Nothing left behind by the atomic write.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("report.html")]);
}
