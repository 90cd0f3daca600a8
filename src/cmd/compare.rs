//! `pmo-vmo compare BEFORE AFTER`: a re-assessment against its baseline.

use anyhow::{Result, bail};
use pmo_vmo::compare::Comparison;
use pmo_vmo::render::{self, Setup};

use crate::args::CompareArgs;
use crate::cmd::common::collect_side;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &CompareArgs) -> Result<ExitStatus> {
    let rubric = settings.load_rubric(None)?;
    let format = args.read.input_format.into();
    let options = args.read.read_options();
    let side = |path: &std::path::PathBuf| {
        collect_side(
            settings,
            &rubric,
            std::slice::from_ref(path),
            format,
            &options,
        )
    };
    let (before, failed_before) = side(&args.before);
    let (after, failed_after) = side(&args.after);
    for (name, path, side) in [
        ("BEFORE", &args.before, &before),
        ("AFTER", &args.after, &after),
    ] {
        if side.is_empty() {
            bail!(
                "{name} ({}) holds no sheet that could be scored, so there is nothing to compare",
                path.display()
            );
        }
    }
    let Some(c) = pmo_vmo::compare::compare_sides(before, after) else {
        bail!("no sheet could be scored, so there is nothing to compare");
    };
    if let Some([b, a]) = &c.versions {
        term::warn_text(&format!(
            "the sides were filled against different rubric versions (before {}, after {}); questions and factors are compared by id",
            b.join(", "),
            a.join(", ")
        ));
    }
    let setup = Setup {
        rubric: &rubric,
        style: settings.style(None),
        single: false,
    };
    let mut text = Vec::new();
    let Some(mut output) = render::output::<Comparison>(args.format.into(), setup, &mut text)
    else {
        bail!("`compare` has no {:?} output", args.format);
    };
    output.item(&c)?;
    output.finish()?;
    drop(output);
    term::emit(&text, ExitStatus::error_if(failed_before || failed_after))
}
