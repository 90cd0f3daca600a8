//! Terminal output at 60, 80 and 120 columns (`COLUMNS`): every line fits (but
//! one holding a word longer than the width, a long path), and no
//! word is cut (comfy-table cuts a word that does not fit its column; below the
//! width a table needs for its longest words, it is stacked instead). A word is
//! cut when a piece of it appears that the same output at 1,000 columns, where
//! nothing wraps, does not have.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn run(columns: u16, args: &[&str]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_pmo-vmo"))
        .args(args)
        .current_dir(root)
        .env("COLUMNS", columns.to_string())
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("PMO_VMO_RUBRIC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The words of a text: its runs of letters.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

const A: &str = "tests/fixtures/organisations/sheets-a/01-hospital-after-rollout.toml";
const B: &str = "tests/fixtures/organisations/sheets-b/01-hospital-after-rollout.toml";
const LATER: &str = "tests/fixtures/organisations/sheets-a/02-hospital-year-on.toml";

#[test]
fn no_word_is_cut_and_every_line_fits_at_60_80_and_120_columns() {
    let commands: [&[&str]; 4] = [
        &["score", A],
        &["workshop", A, B],
        &["workshop", "--format", "markdown", A, B],
        &["compare", A, LATER],
    ];
    for args in commands {
        let whole = words(&run(1000, args));
        for columns in [60, 80, 120] {
            let text = run(columns, args);
            for (i, line) in text.lines().enumerate() {
                // Markdown is not fitted to the terminal; its words must still be whole.
                if args.contains(&"markdown") {
                    break;
                }
                let width = console::measure_text_width(line);
                // A word longer than the line (a long path) cannot be wrapped whole.
                let longest = (line.split_whitespace())
                    .map(console::measure_text_width)
                    .max()
                    .unwrap_or(0);
                assert!(
                    width <= usize::from(columns) || longest + 2 > usize::from(columns),
                    "{args:?} at {columns}: line {} is {width} wide: {line}",
                    i + 1
                );
            }
            let cut: Vec<String> = words(&text).difference(&whole).cloned().collect();
            assert!(
                cut.is_empty(),
                "{args:?} at {columns} columns cuts words: {cut:?}\n{text}"
            );
        }
    }
}
