//! `pmo-vmo report`: write the self-contained HTML report, never over an existing
//! file unless `--force`; the file appears whole or not at all, through a link to
//! its target, and a pipe or device (`/dev/stdout`) is written into, never replaced.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use pmo_vmo::atomic::{self, Wrote};
use pmo_vmo::input::decode::io_reason;

use crate::args::ReportArgs;
use crate::cmd::common::load_members;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

/// Paths that mean this process's standard output, written as `-` is (a link
/// followed to a file that the shell has just emptied would otherwise be
/// refused as existing, or renamed over).
const STDOUT_PATHS: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

pub fn run(settings: &Settings, args: &ReportArgs) -> Result<ExitStatus> {
    let out = &args.output;
    let to_stdout = STDOUT_PATHS.iter().any(|p| out.as_os_str() == *p);
    if out.is_dir() {
        bail!("{} is a folder; name the HTML file to write", out.display());
    }
    // Checked first so a refused run does no work; the final link re-checks. Only
    // a regular file (or a link to one) can be overwritten: a FIFO or a device is
    // written into.
    if !to_stdout && !args.force && atomic::is_file(out) {
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
    // A temporary file beside the report is removed if a signal stops the run.
    ctrlc::set_handler(|| {
        atomic::discard_staged_for_exit();
        std::process::exit(130);
    })
    .context("could not install the Ctrl-C handler")?;
    let wrote = write(out, html.as_bytes(), args.force)?;
    let sheets = format!(
        "{} answer sheet{}",
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    let said = match wrote {
        Wrote::File => format!("wrote {} ({sheets})", out.display()),
        Wrote::Through(target) => format!(
            "wrote {} through the link {} ({sheets})",
            target.display(),
            out.display()
        ),
        Wrote::Into => format!("wrote the report into {} ({sheets})", out.display()),
    };
    let _ = writeln!(std::io::stderr(), "{said}");
    Ok(status)
}

/// Writes the report whole, with the errors worded for the command line.
fn write(out: &Path, html: &[u8], force: bool) -> Result<Wrote> {
    match atomic::write(out, html, force) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => bail!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            out.display()
        ),
        Err(e) => bail!("could not write {}: {}", out.display(), io_reason(&e)),
        Ok(wrote) => Ok(wrote),
    }
}
