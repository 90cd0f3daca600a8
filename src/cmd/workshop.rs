//! `pmo-vmo workshop`: one group result from many respondents, with their disagreement.

use anyhow::{Result, bail};
use pmo_vmo::render::{self, Setup};
use pmo_vmo::workshop::{Group, Workshop};

use crate::args::WorkshopArgs;
use crate::cmd::common::{for_each_member, refuse_mixed};
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &WorkshopArgs) -> Result<ExitStatus> {
    let rubric = settings.load_rubric(None)?;
    // Aggregated as the sheets come: no member is kept. No output shows a
    // member's flip, so none is searched.
    let mut group = Group::new(&rubric);
    let failed = for_each_member(settings, &rubric, &args.sheets, false, |sheet, result| {
        group.add(&sheet, &result);
        Ok(())
    })?;
    refuse_mixed(&group, args.mixed)?;
    let Some(w) = group.finish(args.target.map(Into::into)) else {
        bail!("no sheet could be scored, so there is no group result");
    };
    let setup = Setup {
        rubric: &rubric,
        style: settings.style(None),
        single: false,
    };
    let mut text = Vec::new();
    let Some(mut output) = render::output::<Workshop>(args.format.into(), setup, &mut text) else {
        bail!("`workshop` has no {:?} output", args.format);
    };
    output.item(&w)?;
    output.finish()?;
    drop(output);
    term::emit(&text, ExitStatus::error_if(failed))
}
