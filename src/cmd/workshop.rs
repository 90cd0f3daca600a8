//! `pmo-vmo workshop`: one group result from many respondents, with their disagreement.

use anyhow::{Result, bail};
use pmo_vmo::render;

use crate::args::{WorkshopArgs, WorkshopFormat};
use crate::cmd::common::load_members;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &WorkshopArgs) -> Result<ExitStatus> {
    let rubric = settings.load_rubric(None)?;
    let (members, failed) = load_members(settings, &rubric, &args.sheets);
    let Some(mut w) = pmo_vmo::workshop::aggregate(&rubric, &members) else {
        bail!("no sheet could be scored, so there is no group result");
    };
    if let Some(target) = args.target {
        let counts = pmo_vmo::workshop::OptionCounts::of(&rubric, &members);
        w.roadmap = pmo_vmo::workshop::group_roadmap(
            &rubric,
            &counts,
            w.recommendation,
            Some(target.into()),
        );
    }
    let text = match args.format {
        WorkshopFormat::Json => render::workshop::json(&w),
        WorkshopFormat::Markdown => render::workshop::markdown(&rubric, &w),
        WorkshopFormat::Table => render::workshop::table(&rubric, &w, settings.style(None)),
    };
    term::emit(text.as_bytes(), ExitStatus::error_if(failed))
}
