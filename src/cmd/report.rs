//! `pmo-vmo report`: write the self-contained HTML report, never over an existing
//! file unless `--force`; the file appears whole or not at all, through a link to
//! its target, and a pipe or device (`/dev/stdout`) is written into, never replaced.

use pmo_vmo::compare::SideSheets;
use std::io::Write;

use anyhow::{Context, Result, bail};
use pmo_vmo::atomic::{self, Wrote};

use crate::args::{ReportArgs, ReportFormat};
use crate::cmd::common::{
    collect_side, for_each_member, is_stdout, load_brand, refuse_mixed, shown, write_output,
};
use crate::settings::Settings;
use crate::term::ExitStatus;
use pmo_vmo::render::report::Builder;
use pmo_vmo::workshop::Group;

pub fn run(settings: &Settings, args: &ReportArgs) -> Result<ExitStatus> {
    let out = &args.output;
    let to_stdout = is_stdout(out);
    if out.is_dir() {
        bail!("{} is a folder; name the file to write", out.display());
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
    let brand = match &args.brand {
        Some(path) => Some(load_brand(path)?),
        None => None,
    };
    let rubric = settings.load_rubric(None)?;
    // Each sheet goes into the report as it comes: the rows listing every member
    // wait in temporary files, not in memory. Only a comparison with a baseline
    // keeps the sheets (it reads both sides whole).
    let mut builder = Builder::new(&rubric);
    if args.anonymous {
        builder.anonymous();
    }
    if args.format == ReportFormat::Docx {
        builder.docx();
    }
    if let Some((brand, logo)) = brand {
        builder.brand(brand, logo);
    }
    let mut group = Group::new(&rubric);
    // With a baseline, the report's sheets are also gathered as the after side of
    // the comparison (its figures, not the sheets).
    let mut after = args.baseline.is_some().then(|| SideSheets::new(&rubric));
    let mut failed = for_each_member(settings, &rubric, &args.sheets, true, |sheet, result| {
        if let Some(side) = &mut after {
            side.add(&sheet, &result);
        }
        group.add(&sheet, &result);
        builder.add(sheet, result)
    })?;
    refuse_mixed(&group, args.mixed)?;
    let comparison = match &args.baseline {
        None => None,
        Some(path) => {
            let (before, failed_before) = collect_side(
                settings,
                &rubric,
                std::slice::from_ref(path),
                args.sheets.stdin_format(),
                &args.sheets.read_options(),
            );
            failed |= failed_before;
            if before.is_empty() {
                bail!(
                    "the baseline ({}) holds no sheet that could be scored, so there is nothing to compare",
                    path.display()
                );
            }
            after.and_then(|after| pmo_vmo::compare::compare_sides(before, after))
        }
    };
    let members = builder.members();
    let Some(w) = group.finish(args.target.map(Into::into)) else {
        bail!("no sheet could be scored, so there is nothing to report");
    };
    let status = ExitStatus::error_if(failed);
    if to_stdout {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        return match builder
            .finish(&mut stdout, &w, comparison.as_ref())
            .and_then(|()| stdout.flush())
        {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(status),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(status),
        };
    }
    // A temporary file beside the report is removed if a signal stops the run.
    ctrlc::set_handler(|| {
        atomic::discard_staged_for_exit();
        std::process::exit(130);
    })
    .context("could not install the Ctrl-C handler")?;
    let wrote = write_output(out, args.force, |file| {
        builder.finish(file, &w, comparison.as_ref())
    })?;
    let sheets = format!(
        "{} answer sheet{}",
        members,
        if members == 1 { "" } else { "s" }
    );
    let said = match wrote {
        Wrote::File => format!("wrote {} ({sheets})", shown(out)),
        Wrote::Through(target) => format!(
            "wrote {} through the link {} ({sheets})",
            shown(&target),
            shown(out)
        ),
        Wrote::Into => format!("wrote the report into {} ({sheets})", shown(out)),
    };
    let _ = writeln!(std::io::stderr(), "{said}");
    Ok(status)
}
