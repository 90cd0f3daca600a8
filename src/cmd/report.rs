//! `pmo-vmo report`: write the self-contained HTML report, never over an existing
//! file unless `--force`; the file appears whole or not at all.

use std::io::Write;

use anyhow::{Context, Result, bail};

use crate::args::ReportArgs;
use crate::cmd::common::load_members;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &ReportArgs) -> Result<ExitStatus> {
    let out = &args.output;
    let to_stdout = out.as_os_str() == "-";
    if out.is_dir() {
        bail!("{} is a folder; name the HTML file to write", out.display());
    }
    // Checked first so a refused run does no work; the final link re-checks.
    if !to_stdout && !args.force && out.exists() {
        bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        );
    }
    let rubric = settings.load_rubric(None)?;
    let (members, failed) = load_members(settings, &rubric, &args.sheets);
    let Some(html) = pmo_vmo::render::report::render(&rubric, &members) else {
        bail!("no sheet could be scored, so there is nothing to report");
    };
    let status = ExitStatus::error_if(failed);
    if to_stdout {
        return term::emit(html.as_bytes(), status);
    }
    // A report is for sharing: the usual file mode, whole or not at all.
    match pmo_vmo::atomic::write(out, html.as_bytes(), args.force) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        ),
        other => other.with_context(|| format!("could not write {}", out.display()))?,
    }
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({} answer sheet{})",
        out.display(),
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    Ok(status)
}
