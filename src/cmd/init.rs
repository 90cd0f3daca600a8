//! `pmo-vmo init`: write a blank answer sheet, never over an existing file.

use anyhow::{Context, Result, bail};
use pmo_vmo::render::blank_sheet::blank_sheet;
use pmo_vmo::render::clean::printable_line;
use pmo_vmo::render::words::count;

use crate::args::InitArgs;
use crate::cmd::common::shell_word;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &InitArgs) -> Result<ExitStatus> {
    let path = match &args.output {
        Some(p) if p.as_os_str() != "-" => p,
        _ => {
            let rubric = settings.load_rubric(None)?;
            return term::emit(blank_sheet(&rubric).as_bytes(), ExitStatus::Success);
        }
    };
    // The blank sheet is TOML, its questions and options in comments: a name that
    // says otherwise would make `score` read it as something else, or not at all.
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !is_toml {
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        bail!(
            "{}: init writes a TOML sheet, so the name must end in .toml{}",
            path.display(),
            if json {
                "; for a JSON sheet, answer it with `pmo-vmo interview -o FILE.json`"
            } else {
                ""
            }
        );
    }
    if path.is_dir() {
        bail!(
            "{} is a folder; name the sheet file to write",
            path.display()
        );
    }
    if path.exists() {
        bail!(
            "{} already exists; not overwriting it (choose another -o path)",
            path.display()
        );
    }
    let rubric = settings.load_rubric(None)?;
    let text = blank_sheet(&rubric);
    // The sheet appears whole or not at all, and a file that appeared meanwhile is
    // still not overwritten.
    match pmo_vmo::atomic::write(path, text.as_bytes(), false) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (choose another -o path)",
            path.display()
        ),
        other => other
            .map(drop)
            .with_context(|| format!("could not write {}", path.display()))?,
    }
    let shown = printable_line(&path.display().to_string()).into_owned();
    // The command to copy is quoted for the shell (`pmo-vmo score 'acme board.toml'`).
    let word = printable_line(&shell_word(&path.display().to_string())).into_owned();
    eprintln!(
        "wrote {shown} ({}); fill it in, then run: pmo-vmo score {word}",
        count(rubric.rubric.question.len(), "question", "questions"),
    );
    Ok(ExitStatus::Success)
}
