//! `compare` of two groups: the change of recommendation leads, and when the groups
//! are not the same people it says who left and who joined, with the change for
//! those in both. One spelling of each outcome.

use std::path::Path;
use std::process::Command;

#[test]
fn groups_that_differ_say_who_left_and_who_joined() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/organisations");
    let tmp = tempfile::tempdir().unwrap();
    let (before, after) = (tmp.path().join("before"), tmp.path().join("after"));
    std::fs::create_dir_all(&before).unwrap();
    std::fs::create_dir_all(&after).unwrap();
    // Before: the COO (Margaret Doyle) and the CFO. After: the COO again, and the
    // PMO lead (Daniel Okafor) instead of the CFO.
    let coo = root.join("sheets-a/01-hospital-after-rollout.toml");
    std::fs::copy(&coo, before.join("coo.toml")).unwrap();
    std::fs::copy(
        root.join("sheets-b/01-hospital-after-rollout.toml"),
        before.join("cfo.toml"),
    )
    .unwrap();
    let later = std::fs::read_to_string(&coo)
        .unwrap()
        .replace("date = 2026-11-03", "date = 2027-05-03");
    std::fs::write(after.join("coo.toml"), later).unwrap();
    std::fs::copy(
        root.join("sheets-a/02-hospital-year-on.toml"),
        after.join("lead.toml"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .arg("compare")
        .arg(&before)
        .arg(&after)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    // The recommendation first, then how the groups differ.
    assert!(lines[1].starts_with("The recommendation "), "{text}");
    assert!(
        lines[2].starts_with(
            "The two groups are not the same people: 1 left (Chief Financial Officer (presents cases to the FIC)), 1 joined (Daniel Okafor). For the 1 person in both, the index moved "
        ),
        "{text}"
    );
    // One spelling of each outcome: as its label, never in capitals.
    for shouty in ["HYBRID", "FEDERATED", "BOTH"] {
        assert!(!text.contains(shouty), "{shouty}: {text}");
    }
}
