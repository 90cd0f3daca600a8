//! `pmo-vmo plan`: each sheet's plan, or the group's, as rows a tracker imports.

use anyhow::{Result, bail};
use pmo_vmo::input::{self, Event};
use pmo_vmo::render::plan::{TrackerRow, tracker_rows};
use pmo_vmo::render::tracker_markdown;
use pmo_vmo::result::{Extras, score_with};
use pmo_vmo::workshop::Group;

use crate::args::{PlanArgs, PlanFormat};
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

pub fn run(settings: &Settings, args: &PlanArgs) -> Result<ExitStatus> {
    let rubric = settings.load_rubric(None)?;
    if !rubric.has_outcomes() {
        bail!(
            "the rubric `{}` has no outcome rules (format 2): its roadmap is in `score --format json`; `plan` needs a format-3 rubric",
            rubric.source()
        );
    }
    let target = args.target.map(Into::into);
    let extras = Extras {
        roadmap: true,
        target,
        ..Extras::default()
    };
    let inputs = input::expand(&args.sheets.paths, args.sheets.stdin_format());
    let mut failed = false;
    let mut rows: Vec<TrackerRow> = Vec::new();
    let mut group = Group::new(&rubric);
    let mut no_plan = 0usize;
    let map = |sheet: input::ResolvedSheet| {
        let extras = Extras {
            answers: args.group,
            ..extras
        };
        let result = score_with(&rubric, sheet.clone(), extras)?;
        Ok((sheet, result))
    };
    input::stream_with(
        &rubric,
        &inputs,
        &args.sheets.read_options(),
        map,
        |event| {
            match event {
                Event::Item((sheet, result)) if args.group => group.add(&sheet, &result),
                Event::Item((_, result)) => match &result.plan {
                    Some(plan) => rows.extend(tracker_rows(
                        &rubric,
                        plan,
                        &result.source.to_string(),
                        result.respondent(),
                    )),
                    None => no_plan += 1,
                },
                Event::Error(e) => {
                    term::print_input_error(&e, settings);
                    failed = true;
                }
                Event::Warning(w) => term::warn(&w),
                Event::Progress(_) => {}
            }
            Ok(())
        },
    )?;
    if args.group {
        let Some(w) = group.finish(target) else {
            bail!("no sheet could be scored, so there is no group plan");
        };
        if let Some(plan) = &w.plan {
            rows = tracker_rows(&rubric, plan, "group", None);
        }
    } else if no_plan > 0 {
        eprintln!(
            "note: {no_plan} sheet(s) have too few answers for a plan (a provisional result) and give no rows"
        );
    }
    let text = write_rows(&rows, args.format)?;
    term::emit(&text, ExitStatus::error_if(failed))
}

/// The rows in the format asked for.
fn write_rows(rows: &[TrackerRow], format: PlanFormat) -> Result<Vec<u8>> {
    let mut text: Vec<u8> = Vec::new();
    match format {
        PlanFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut text);
            for r in rows {
                w.serialize(r)?;
            }
            if rows.is_empty() {
                w.write_record([
                    "plan",
                    "respondent",
                    "number",
                    "horizon",
                    "when",
                    "summary",
                    "description",
                    "owner",
                    "depends-on",
                    "done-when",
                    "effort",
                    "later",
                    "question",
                    "from",
                    "to",
                ])?;
            }
            w.flush()?;
        }
        PlanFormat::Json => {
            for r in rows {
                serde_json::to_writer(&mut text, r)?;
                text.push(b'\n');
            }
        }
        PlanFormat::Markdown => text.extend(tracker_markdown(rows).into_bytes()),
    }
    Ok(text)
}
