//! The sentences and phrases built from results: how a score leans, a fired gate,
//! how firm a result is, the bands. Pure modules return data; the words are made here.

use crate::advice::{Advice, Lead};
use crate::render::num::{index_words, num, setting_num};
use crate::roadmap::{Blocked, Step};
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{Evaluation, FiredGate};
use crate::sensitivity::Sensitivity;

/// The recommendations worth listing in a tally: the three bands of the index
/// always, the outcomes off that ladder (none, both, federated) where some sheet
/// has them.
pub fn shown_counts(tally: impl Iterator<Item = (Band, usize)>) -> Vec<(Band, usize)> {
    tally.filter(|&(b, n)| b.on_ladder() || n > 0).collect()
}

/// A count with its noun, singular for one: "1 sheet", "3 sheets".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A day as people write it: "3 November 2026".
pub(crate) fn day_words(d: crate::input::date::SheetDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[usize::from(d.month.clamp(1, 12)) - 1];
    format!("{} {month} {}", d.day, d.year)
}

/// When the answers were given: one day, or the first and the last.
pub(crate) fn dates_words(d: crate::workshop::Dates) -> String {
    if d.from == d.to {
        day_words(d.from)
    } else {
        format!("{} to {}", day_words(d.from), day_words(d.to))
    }
}

/// Whose answers a group result is, for its header: the organisation (or how
/// many), the dates and the number of respondents, joined by " · ".
pub(crate) fn group_header(w: &crate::workshop::Workshop) -> String {
    let mut parts = Vec::new();
    match w.organisations.as_slice() {
        [] => {}
        [one] => parts.push(crate::render::clean::printable_line(&one.name).into_owned()),
        many => parts.push(format!("{} organisations", many.len())),
    }
    parts.extend(w.dates.map(dates_words));
    parts.push(count(w.respondents, "respondent", "respondents"));
    parts.join(" · ")
}

/// Why a group of sheets from several organisations is refused: "the sheets
/// name 2 organisations: Acme (3 sheets) and Beta (1 sheet); ...".
pub fn mixed_organisations(orgs: &[crate::workshop::Organisation]) -> String {
    let named: Vec<String> = orgs
        .iter()
        .map(|o| {
            format!(
                "{} ({})",
                crate::render::clean::printable_line(&o.name),
                count(o.sheets, "sheet", "sheets")
            )
        })
        .collect();
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    format!(
        "the sheets name {} organisations: {}; one group result would mix their answers. Give one organisation's sheets, or pass --mixed if mixing them is intended",
        orgs.len(),
        and_list(&named)
    )
}

/// A fault of a brand file as `FILE:LINE: key `k`: what is wrong`.
pub fn brand_error(file: &std::path::Path, e: &crate::brand::BrandError) -> String {
    use crate::brand::BrandFault;
    let what = match &e.fault {
        BrandFault::Syntax(m) => m.trim_end().to_string(),
        BrandFault::UnknownKey => {
            "unknown key; a brand file has firm, logo, accent and footer, each optional".into()
        }
        BrandFault::NotAColour(v) => format!(
            "`{}` is not a colour; write it as #rrggbb (for example \"#0b5fff\")",
            crate::render::clean::printable_line(v)
        ),
        BrandFault::Empty => "empty; give a text or leave the key out".into(),
    };
    let key = e
        .key
        .as_deref()
        .map(|k| format!("key `{}`: ", crate::render::clean::printable_line(k)))
        .unwrap_or_default();
    format!("{}:{}: {key}{what}", file.display(), e.line)
}

/// How a factor score leans, by the band it falls in.
pub(crate) fn leaning(band: Band) -> &'static str {
    match band {
        Band::Pmo => "PMO",
        Band::Hybrid => "balanced",
        Band::Vmo => "VMO",
        Band::None | Band::Both | Band::Federated => "balanced",
    }
}

/// One fired gate as a sentence: `id (caps at Hybrid): message`.
pub fn gate_line(rubric: &LoadedRubric, g: &crate::scoring::FiredGate) -> String {
    let msg = rubric
        .rubric
        .gate
        .iter()
        .find(|x| x.id == g.id)
        .map_or("", |x| x.message.as_str());
    match (g.effect, g.to) {
        (crate::rubric::Effect::Cap, Some(to)) => {
            format!("{} (caps at {}): {msg}", g.id, to.label())
        }
        (crate::rubric::Effect::Floor, Some(to)) => {
            format!("{} (raises to at least {}): {msg}", g.id, to.label())
        }
        _ => format!("{}: {msg}", g.id),
    }
}

/// Every fired gate in words for a client, without its id: the message, and what
/// it did to the result when it changed it.
pub fn gate_sentences(
    rubric: &LoadedRubric,
    gates: &[FiredGate],
    recommendation: Band,
) -> Vec<String> {
    gates
        .iter()
        .map(|g| {
            let msg = (rubric.rubric.gate.iter())
                .find(|x| x.id == g.id)
                .map_or("", |x| x.message.as_str());
            let did = match (g.effect, g.to, g.changed) {
                (crate::rubric::Effect::Cap, Some(_), true) => {
                    format!(" This holds the result at {}.", recommendation.label())
                }
                (crate::rubric::Effect::Floor, Some(_), true) => {
                    format!(" This raises the result to {}.", recommendation.label())
                }
                _ => String::new(),
            };
            format!("{msg}{did}")
        })
        .collect()
}

/// Names joined as people list them: `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Why a result is provisional, in words, or `None` when it is firm:
/// "Provisional: based on 1 of 20 answers; maturity, authority and alignment are
/// not answered enough (a firm result needs 3 answers in each)."
pub(crate) fn provisional_sentence(e: &Evaluation) -> Option<String> {
    if !e.provisional {
        return None;
    }
    let names: Vec<&str> = e.shortfalls.iter().map(|s| s.factor).collect();
    let verb = if names.len() == 1 { "is" } else { "are" };
    let needed: Vec<usize> = e.shortfalls.iter().map(|s| s.needed).collect();
    let need = if needed.iter().all(|&n| n == needed[0]) {
        let each = if names.len() == 1 { "" } else { " in each" };
        format!("a firm result needs {}{each}", answers(needed[0]))
    } else {
        let parts: Vec<String> = e
            .shortfalls
            .iter()
            .map(|s| format!("{} needs {}", s.factor, s.needed))
            .collect();
        parts.join(", ")
    };
    Some(format!(
        "Provisional: based on {} of {} answers; {} {verb} not answered enough ({need}).",
        e.answered,
        e.questions,
        and_list(&names)
    ))
}

/// A share as people say it: `half`, `all`, `none`, else a percentage (`60%`).
pub(crate) fn share_words(m: f64) -> String {
    match m {
        0.0 => "none".into(),
        0.5 => "half".into(),
        1.0 => "all".into(),
        _ => format!(
            "{}%",
            crate::render::num::trim(crate::render::num::fixed(m * 100.0, 2))
        ),
    }
}

/// `1 answer`, `3 answers`.
fn answers(n: usize) -> String {
    if n == 1 {
        "1 answer".into()
    } else {
        format!("{n} answers")
    }
}

/// What a provisional result asks for instead of next steps.
pub(crate) fn provisional_step(e: &Evaluation) -> String {
    let names: Vec<&str> = e.shortfalls.iter().map(|s| s.factor).collect();
    format!(
        "Answer more of the {} questions and score the sheet again before acting on this result.",
        and_list(&names)
    )
}

/// Every fired gate, one line each: the gates that changed the result (their
/// message leads elsewhere), and every other one with its message, as a risk to
/// the recommended office whatever it did to the result.
pub fn fired_gate_lines(
    rubric: &LoadedRubric,
    gates: &[FiredGate],
    advice: &Advice,
    recommendation: Band,
) -> Vec<String> {
    let leading = match &advice.lead {
        Lead::Gates(gs) => gs.clone(),
        _ => Vec::new(),
    };
    gates
        .iter()
        .map(|g| {
            let gi = rubric.rubric.gate.iter().position(|x| x.id == g.id);
            let head = match (g.effect, g.to) {
                (crate::rubric::Effect::Cap, Some(to)) => {
                    format!("{} (caps at {}", g.id, to.label())
                }
                (crate::rubric::Effect::Floor, Some(to)) => {
                    format!("{} (raises to at least {}", g.id, to.label())
                }
                _ => g.id.to_string(),
            };
            let head = match (g.to.is_some(), g.changed) {
                (true, true) => format!("{head})"),
                (true, false) => {
                    format!("{head}; the result is {} anyway)", recommendation.label())
                }
                (false, _) => head,
            };
            match gi {
                Some(i) if leading.contains(&i) => format!("{head}: changed the result"),
                Some(i) => format!("{head}: {}", rubric.rubric.gate[i].message),
                None => head,
            }
        })
        .collect()
}

/// How firm a sheet's result is, in words that cannot contradict the rest of the
/// table: a provisional result is never called firm, and a firm recommendation
/// whose deciding rule sits on its threshold (a margin of 0) says so.
pub fn firmness_of(rubric: &LoadedRubric, e: &Evaluation, moves: &[Sensitivity]) -> Vec<String> {
    let mut lines = firmness_lines(rubric, moves);
    if e.provisional {
        lines[0] = if moves.is_empty() {
            "Not firm: the result is provisional. No answer given would change it one step up or down, but the missing answers could.".to_string()
        } else {
            format!(
                "Not firm: the result is provisional, and {}",
                lower_first(&lines[0])
            )
        };
    } else if moves.is_empty() && e.outcome.is_some() && e.margin < 0.05 {
        lines[0] = "Firm on the recommendation: no answer one step up or down would change it, though the reasoning behind it sits on a threshold (see Margin), so the office type or its wording could change.".to_string();
    }
    lines
}

/// How firm a result is, for people: "Firm: ..." when no answer one step up or
/// down changes it, else one line per such move: "\"How reliably ...?\" one
/// step down, from \"Most\" to \"About half\", would make it PMO."
pub fn firmness_lines(rubric: &LoadedRubric, moves: &[Sensitivity]) -> Vec<String> {
    if moves.is_empty() {
        return vec![
            "Firm: no answer one step up or down would change the recommendation.".to_string(),
        ];
    }
    let mut lines = vec![format!(
        "{} one step from changing it:",
        count(moves.len(), "answer is", "answers are")
    )];
    lines.extend(moves.iter().map(|m| {
        let q = rubric
            .question(m.question)
            .map(|i| &rubric.rubric.question[i]);
        let label = |id: &str| {
            (q.and_then(|q| q.option.iter().find(|o| o.id == id)))
                .map_or_else(|| id.to_string(), |o| o.label.clone())
        };
        let text = q.map_or(m.question, |q| q.text.as_str());
        let way = match m.direction {
            crate::sensitivity::Direction::Up => "up",
            crate::sensitivity::Direction::Down => "down",
        };
        format!(
            "\"{text}\" one step {way}, from \"{}\" to \"{}\", would make it {}.",
            label(m.from),
            label(m.to),
            m.recommendation.label()
        )
    }));
    lines
}

/// Where a roadmap stands, in one sentence: "Target: VMO, reached in 4 steps.", or
/// why the target is out of reach. `group`: the steps start from the typical
/// answers, not from one sheet's; `unanswered`: questions the plan cannot move.
pub(crate) fn roadmap_headline(
    rubric: &LoadedRubric,
    target: Option<Band>,
    steps: usize,
    blocked: Option<&Blocked>,
    unanswered: usize,
    group: bool,
    now: Band,
) -> String {
    let Some(target) = target else {
        return "No target: VMO is the highest recommendation (ask for another with --target)."
            .to_string();
    };
    let t = target.label();
    let whose = if group {
        "the typical answers"
    } else {
        "the answers"
    };
    let Some(why) = blocked else {
        return if steps == 0 && now > target && now.on_ladder() {
            format!(
                "Target: {t}, below the result ({}): a roadmap only raises answers, so it has no steps.",
                now.label()
            )
        } else if steps == 0 {
            format!("Target: {t}, reached already by {whose}.")
        } else {
            format!("Target: {t}, reached in {}.", count(steps, "step", "steps"))
        };
    };
    let reason = match why {
        Blocked::Gate { gate, to } => format!(
            "even with every answered question at its top option, gate {gate} would still cap the result at {}",
            to.label()
        ),
        Blocked::Index { best } => format!(
            "even with every answered question at its top option, the index would be {}, below the {t} band",
            index_words(rubric, *best)
        ),
    };
    let more = if unanswered > 0 {
        format!(
            " Answering the {} may change that.",
            count(unanswered, "unanswered question", "unanswered questions")
        )
    } else {
        String::new()
    };
    format!("Target: {t}, out of reach by raising {whose}: {reason}.{more}")
}

/// What a roadmap phase does, as its heading.
pub(crate) fn phase_title(phase: u8) -> &'static str {
    match phase {
        1 => "Clear the gates",
        _ => "Raise the index",
    }
}

/// A step's move as people read it: the question's text, and the labels of the
/// option it leaves and the one it reaches.
pub(crate) fn step_move(rubric: &LoadedRubric, step: &Step) -> (String, String, String) {
    let Some(q) = rubric
        .question(step.question)
        .map(|i| &rubric.rubric.question[i])
    else {
        return (
            step.question.to_string(),
            step.from.to_string(),
            step.to.to_string(),
        );
    };
    let label = |id: &str| {
        q.option
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.label.clone())
    };
    (q.text.clone(), label(step.from), label(step.to))
}

/// A step's action, or what to say when the rubric gives none.
pub(crate) fn step_action<'a>(step: &Step<'a>) -> &'a str {
    step.action
        .unwrap_or("(the rubric has no improve text for this answer)")
}

/// Why a provisional result shows no roadmap.
pub(crate) const PROVISIONAL_ROADMAP: &str = "No roadmap yet: a plan built on too few answers would aim at the wrong target. Answer the missing questions first.";

/// How a group's roadmap picks its starting answers.
pub(crate) const GROUP_START: &str = "The steps start from the group's typical answer to each question: the median answer by score among those who answered it (the lower of the two middle answers when their number is even). \"Already\" counts the respondents whose own answer is at or above the step's target answer.";

/// The band boundaries in one sentence: "Bands: PMO below 40.0, Hybrid from 40.0,
/// VMO from 60.0."
pub(crate) fn bands_sentence(rubric: &LoadedRubric) -> String {
    let s = &rubric.rubric.scoring;
    format!(
        "Bands: PMO below {}, Hybrid from {}, VMO from {}.",
        setting_num(s.hybrid_from),
        setting_num(s.hybrid_from),
        setting_num(s.vmo_from)
    )
}

/// The office recommended, in words: "Controlling PMO: build one" / "...: evolve
/// the office that exists" / "...: keep the office that exists", with the second
/// office of `both`. `None` when there is no office type.
pub fn office_sentence(rubric: &LoadedRubric, e: &Evaluation) -> Option<String> {
    office_words(rubric, e.office.as_ref(), e.recommendation)
}

/// [`office_sentence`] of an office view (a sheet's or a group's).
pub fn office_words(
    rubric: &LoadedRubric,
    office: Option<&crate::scoring::OfficeView>,
    recommendation: Band,
) -> Option<String> {
    let o = office?;
    let one = |o: &crate::scoring::OfficeView, hybrid: bool| {
        let title = (rubric.rubric.office.iter())
            .find(|x| x.id == o.type_)
            .map_or(o.type_, |x| x.title.as_str());
        let what = match (o.kind, o.action) {
            (crate::rubric::OfficeKind::None, _) => return title.to_string(),
            (_, None) => {
                "whether to build one or change the office that exists depends on what exists today (not answered)"
            }
            (_, Some(crate::scoring::Action::Build)) => "build one",
            (_, Some(crate::scoring::Action::Keep)) => "keep the office that exists",
            (_, Some(crate::scoring::Action::Evolve)) if hybrid => {
                "evolve the office that exists, which takes on value duties"
            }
            (_, Some(crate::scoring::Action::Evolve)) => "evolve the office that exists",
        };
        format!("{title} · {what}")
    };
    let hybrid = recommendation == Band::Hybrid;
    let mut s = one(o, hybrid);
    if let Some(also) = &o.also {
        s = format!("{s}; beside it, {}", lower_first(&one(also, false)));
    }
    Some(s)
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How far the outcome is from changing, for a format-3 result: "13.3 points: it
/// changes if Need to steer value goes below 45.0", or that no score can change it.
pub fn margin_sentence(rubric: &LoadedRubric, e: &Evaluation) -> String {
    margin_words(rubric, e.margin, e.margin_on.as_ref(), e.outcome.is_some())
}

/// [`margin_sentence`] of a margin (a sheet's or a group's): `format3` where
/// outcome rules decide.
pub fn margin_words(
    rubric: &LoadedRubric,
    margin: f64,
    margin_on: Option<&crate::scoring::MarginOn>,
    format3: bool,
) -> String {
    let Some(on) = margin_on else {
        return if format3 {
            "No answer's score can change it: the organisation's context decides it".to_string()
        } else {
            format!(
                "{} index points from the nearest band boundary",
                num(margin)
            )
        };
    };
    let r = &rubric.rubric;
    let title = match on.on {
        "axis" => r
            .axis
            .iter()
            .find(|a| a.id == on.id)
            .map(|a| a.title.as_str()),
        "factor" => r
            .factor
            .iter()
            .find(|f| f.id == on.id)
            .map(|f| f.title.as_str()),
        _ => r
            .question
            .iter()
            .find(|q| q.id == on.id)
            .map(|q| q.text.as_str()),
    }
    .unwrap_or(on.id);
    let what = if on.on == "question" {
        format!("the answer to \"{title}\"")
    } else {
        title.to_string()
    };
    format!(
        "{} points: the outcome changes where {what} meets {}",
        num(margin),
        crate::render::num::setting_num(on.threshold)
    )
}

/// Who should answer what is missing (unanswered or "don't know"), by the roles
/// each question names (`ask`): "Finance: funding model, benefits tracking".
pub fn ask_lines(rubric: &LoadedRubric, e: &Evaluation, unknown: &[&str]) -> Vec<String> {
    let r = &rubric.rubric;
    let mut by_role: Vec<(&str, Vec<&str>)> = Vec::new();
    let missing = e.unanswered.iter().chain(unknown);
    for id in missing {
        let Some(q) = r.question.iter().find(|q| q.id == *id) else {
            continue;
        };
        for role in &q.ask {
            let title = r.roles.get(role).map_or(role.as_str(), String::as_str);
            match by_role.iter_mut().find(|(t, _)| *t == title) {
                Some((_, qs)) => qs.push(&q.text),
                None => by_role.push((title, vec![&q.text])),
            }
        }
    }
    by_role
        .into_iter()
        .map(|(role, qs)| {
            let list: Vec<String> = qs.iter().map(|q| format!("\"{q}\"")).collect();
            format!("{role}: {}", list.join("; "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_out_of_reach_target_says_why_in_words() {
        let r = crate::testing::v2();
        let gate = Blocked::Gate {
            gate: "vmo-needs-buy-in",
            to: Band::Hybrid,
        };
        assert_eq!(
            roadmap_headline(&r, Some(Band::Vmo), 0, Some(&gate), 0, false, Band::Pmo),
            "Target: VMO, out of reach by raising the answers: even with every answered question at its top option, gate vmo-needs-buy-in would still cap the result at Hybrid."
        );
        let index = Blocked::Index { best: 59.99 };
        assert_eq!(
            roadmap_headline(&r, Some(Band::Vmo), 0, Some(&index), 2, true, Band::Pmo),
            "Target: VMO, out of reach by raising the typical answers: even with every answered question at its top option, the index would be just under 60.0, below the VMO band. Answering the 2 unanswered questions may change that."
        );
    }

    #[test]
    fn a_target_below_the_result_is_not_called_reached() {
        // Hardening finding 19: `--target pmo` on a VMO result.
        let r = crate::testing::v2();
        let h = roadmap_headline(&r, Some(Band::Pmo), 0, None, 0, false, Band::Vmo);
        assert!(!h.contains("reached"), "{h}");
        assert!(h.contains("below the result (VMO)"), "{h}");
        let at = roadmap_headline(&r, Some(Band::Pmo), 0, None, 0, false, Band::Pmo);
        assert_eq!(at, "Target: PMO, reached already by the answers.");
    }

    #[test]
    fn firmness_says_which_way_each_move_goes() {
        let r = crate::testing::v2();
        let q = &r.rubric.question[0];
        let moves = [crate::sensitivity::Sensitivity {
            question: &q.id,
            from: &q.option[1].id,
            to: &q.option[0].id,
            direction: crate::sensitivity::Direction::Down,
            recommendation: Band::Pmo,
        }];
        let lines = firmness_lines(&r, &moves);
        assert_eq!(lines[0], "1 answer is one step from changing it:");
        assert!(lines[1].contains(" one step down, from "), "{}", lines[1]);
        assert!(lines[1].ends_with("would make it PMO."), "{}", lines[1]);
        assert!(firmness_lines(&r, &[])[0].starts_with("Firm:"));
        // A provisional result is never called firm (the practitioner's reading of
        // a half-answered sheet: "provisional" and "Firm" side by side).
        let mut one = vec![None; r.rubric.question.len()];
        one[0] = Some(0);
        let mut e = crate::scoring::Outcome::of(&r, &one).unwrap().named(&r);
        e.provisional = true;
        assert!(firmness_of(&r, &e, &[])[0].starts_with("Not firm: the result is provisional"));
        e.provisional = false;
        assert!(firmness_of(&r, &e, &[])[0].starts_with("Firm:"));
    }
}

/// A sheet's source as the terminal shows it: a path under the current folder
/// relative to it (`/home/ann/acme/sheets/cfo.toml`, run from `/home/ann/acme`,
/// reads `sheets/cfo.toml`); anything else as given. JSON, CSV and Markdown keep
/// the path as given, for scripts.
pub(crate) fn short_source(o: &crate::Origin) -> String {
    static CWD: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let s = o.to_string();
    let cwd = CWD.get_or_init(|| {
        let d = std::env::current_dir().ok()?;
        let d = d.to_str()?.trim_end_matches(['/', '\\']).to_string();
        (!d.is_empty()).then_some(d)
    });
    match cwd.as_deref().and_then(|c| s.strip_prefix(c)) {
        Some(rest) if rest.starts_with(['/', '\\']) && rest.len() > 1 => rest[1..].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod short_source_tests {
    #[test]
    fn a_path_under_the_current_folder_is_shown_relative_and_others_as_given() {
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("sheets").join("cfo.toml");
        let o = crate::Origin::File(inside);
        assert_eq!(
            super::short_source(&o),
            std::path::Path::new("sheets")
                .join("cfo.toml")
                .display()
                .to_string()
        );
        // A folder whose name only starts like the current one's is not inside it.
        let beside = std::path::PathBuf::from(format!("{}-other/a.toml", cwd.display()));
        let o = crate::Origin::File(beside.clone());
        assert_eq!(super::short_source(&o), beside.display().to_string());
        let o = crate::Origin::File("rel/a.toml".into());
        assert_eq!(super::short_source(&o), "rel/a.toml");
    }
}
