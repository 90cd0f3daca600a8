//! `pmo-vmo form`: write the HTML form or the Apps Script for the rubric in use, to
//! stdout or to a file that appears whole and is never overwritten without `--force`.

use std::io::Write;

use anyhow::{Context, Result, bail};

use crate::args::{FormArgs, FormFormat};
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &FormArgs) -> Result<ExitStatus> {
    let out = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    if let Some(out) = out {
        if out.is_dir() {
            bail!("{} is a folder; name the file to write", out.display());
        }
        // Checked first so a refused run does no work; the final link re-checks.
        if !args.force && out.exists() {
            bail!(
                "{} already exists; not overwriting it (pass --force to replace it)",
                out.display()
            );
        }
    }
    let rubric = settings.load_rubric(None)?;
    let text = match args.format {
        FormFormat::Html => pmo_vmo::render::form::html::render(&rubric),
        FormFormat::AppsScript => pmo_vmo::render::form::apps_script::render(&rubric),
    };
    let Some(out) = out else {
        return term::emit(text.as_bytes(), ExitStatus::Success);
    };
    match pmo_vmo::atomic::write(out, text.as_bytes(), args.force) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        ),
        other => other.with_context(|| format!("could not write {}", out.display()))?,
    }
    let next = match args.format {
        FormFormat::Html => {
            "send it to respondents; each saves NAME-pmo-vmo.json, which `pmo-vmo score` reads"
        }
        FormFormat::AppsScript => {
            "paste it into a new project at script.google.com and run createForm (the README has the steps)"
        }
    };
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({} questions); {next}",
        out.display(),
        rubric.rubric.question.len()
    );
    Ok(ExitStatus::Success)
}
