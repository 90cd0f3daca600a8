//! `pmo-vmo form`: write the HTML form or the Apps Script for the rubric in use, to
//! stdout or to a file that appears whole and is never overwritten without
//! `--force` (the same writing as `report`: through a link to its target, into a
//! pipe or device).

use std::io::Write;

use anyhow::{Context, Result, bail};
use pmo_vmo::atomic::{self, Wrote};

use crate::args::{FormArgs, FormFormat};
use crate::cmd::common::{is_stdout, shown, write_output};
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &FormArgs) -> Result<ExitStatus> {
    let out = args.output.as_deref().filter(|p| !is_stdout(p));
    if let Some(out) = out {
        if out.is_dir() {
            bail!("{} is a folder; name the file to write", out.display());
        }
        // Checked first so a refused run does no work; the final link re-checks.
        if !args.force && atomic::is_file(out) {
            bail!(
                "{} already exists; not overwriting it (pass --force to replace it)",
                out.display()
            );
        }
    }
    let rubric = settings.load_rubric(None)?;
    let text = match args.format {
        FormFormat::Html => pmo_vmo::render::form::html::render(&rubric, args.intro.as_deref()),
        FormFormat::AppsScript => {
            pmo_vmo::render::form::apps_script::render(&rubric, args.intro.as_deref())
        }
    };
    let Some(out) = out else {
        return term::emit(text.as_bytes(), ExitStatus::Success);
    };
    // A temporary file beside the output is removed if a signal stops the run.
    ctrlc::set_handler(|| {
        atomic::discard_staged_for_exit();
        std::process::exit(130);
    })
    .context("could not install the Ctrl-C handler")?;
    let wrote = write_output(out, args.force, |w| w.write_all(text.as_bytes()))?;
    let place = match wrote {
        Wrote::File | Wrote::Into => shown(out),
        Wrote::Through(target) => {
            format!("{} through the link {}", shown(&target), shown(out))
        }
    };
    let next = match args.format {
        FormFormat::Html => {
            "send it to respondents; each saves NAME-pmo-vmo.json, which `pmo-vmo score` reads"
        }
        FormFormat::AppsScript => {
            "paste it into a new project at script.google.com and run createForm: it publishes the form and logs the link to send (the README has the steps)"
        }
    };
    let _ = writeln!(
        std::io::stderr(),
        "wrote {place} ({} questions); {next}",
        rubric.rubric.question.len()
    );
    Ok(ExitStatus::Success)
}
