//! `pmo-vmo report`: write the self-contained HTML report, never over an existing
//! file unless `--force`; the file appears whole or not at all.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use crate::cli::{self, GlobalArgs};
use crate::cmd::score::InputFormat;
use crate::cmd::workshop::load_members;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Answer sheets: .toml or .json files, .csv survey exports (one sheet per row),
    /// folders (walked recursively), `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write (`-`: stdout)
    #[arg(long, short, value_name = "FILE.html")]
    pub output: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
}

pub fn run(g: &GlobalArgs, args: &ReportArgs) -> Result<ExitCode> {
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
    let rubric = cli::load_rubric(g, None)?;
    let (members, failed) = load_members(&rubric, &args.paths, args.input_format.into());
    let Some(html) = pmo_vmo::report::render(&rubric, &members) else {
        bail!("no sheet could be scored, so there is nothing to report");
    };
    let code = if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    };
    if to_stdout {
        return cli::emit(html.as_bytes(), code);
    }
    // A report is for sharing: the usual file mode, whole or not at all.
    cli::write_whole(
        out,
        html.as_bytes(),
        args.force,
        "pass --force to replace it",
    )?;
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} ({} answer sheet{})",
        out.display(),
        members.len(),
        if members.len() == 1 { "" } else { "s" }
    );
    Ok(code)
}
