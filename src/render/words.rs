//! The sentences and phrases built from results: how a score leans, a fired gate,
//! the flip, the bands. Pure modules return data; the words are made here.

use crate::advice::{Advice, Lead};
use crate::flip::Flip;
use crate::render::num::{index_words, setting_num};
use crate::roadmap::{Blocked, Step};
use crate::rubric::{Band, LoadedRubric};
use crate::scoring::{Evaluation, FiredGate};

/// A count with its noun, singular for one: "1 sheet", "3 sheets".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a factor score leans, by the band it falls in.
pub(crate) fn leaning(band: Band) -> &'static str {
    match band {
        Band::Pmo => "PMO",
        Band::Hybrid => "balanced",
        Band::Vmo => "VMO",
    }
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

/// The texts that lead the explanation of a result: the messages of the gates
/// that changed it, or the recommendation's summary, or nothing (provisional).
pub(crate) fn lead_texts<'a>(
    rubric: &'a LoadedRubric,
    band: Band,
    advice: &Advice,
) -> Vec<&'a str> {
    let r = &rubric.rubric;
    match &advice.lead {
        Lead::Summary => vec![r.recommendation.get(band).summary.as_str()],
        Lead::Gates(gs) => gs.iter().map(|&g| r.gate[g].message.as_str()).collect(),
        Lead::Nothing => Vec::new(),
    }
}

/// The next steps shown for a result, in the rubric's order.
pub(crate) fn shown_steps<'a>(
    rubric: &'a LoadedRubric,
    band: Band,
    advice: &Advice,
) -> Vec<&'a str> {
    let steps = &rubric.rubric.recommendation.get(band).next_steps;
    advice.steps.iter().map(|&i| steps[i].text()).collect()
}

/// Every fired gate, one line each, saying what it did to this result: the gates
/// that changed it (their message leads elsewhere), the ones that agree with it
/// (with their message), and the ones that did nothing here (without their
/// message, which was written for another outcome).
pub(crate) fn fired_gate_lines(
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
            let verb = match g.effect {
                crate::rubric::Effect::Cap => "caps at",
                crate::rubric::Effect::Floor => "raises to at least",
            };
            let head = format!("{} ({verb} {})", g.id, g.to.label());
            match gi {
                Some(i) if leading.contains(&i) => format!("{head}: changed the result"),
                Some(i) if advice.also.contains(&i) => {
                    format!("{head}: {}", rubric.rubric.gate[i].message)
                }
                _ => format!(
                    "{head}: no effect, the result is {} anyway",
                    recommendation.label()
                ),
            }
        })
        .collect()
}

/// The flip as a sentence for people: "Answering X with Y would make it Hybrid."
pub(crate) fn flip_sentence(rubric: &LoadedRubric, flip: Option<&Flip>) -> String {
    let Some(f) = flip else {
        return "No single answer changes the recommendation.".to_string();
    };
    let Some(q) = rubric
        .question(f.question)
        .map(|i| &rubric.rubric.question[i])
    else {
        return format!(
            "Answering {} with {} would make it {}.",
            f.question,
            f.to,
            f.recommendation.label()
        );
    };
    let label = |id: &str| {
        q.option
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.label.clone())
    };
    match &f.from {
        None => format!(
            "Answering \"{}\" with \"{}\" would make it {} (index {}).",
            q.text,
            label(f.to),
            f.recommendation.label(),
            index_words(rubric, f.index)
        ),
        Some(from) => format!(
            "Changing \"{}\" from \"{}\" to \"{}\" would make it {} (index {}).",
            q.text,
            label(from),
            label(f.to),
            f.recommendation.label(),
            index_words(rubric, f.index)
        ),
    }
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
        return if steps == 0 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_out_of_reach_target_says_why_in_words() {
        let r = LoadedRubric::embedded().unwrap();
        let gate = Blocked::Gate {
            gate: "vmo-needs-buy-in",
            to: Band::Hybrid,
        };
        assert_eq!(
            roadmap_headline(&r, Some(Band::Vmo), 0, Some(&gate), 0, false),
            "Target: VMO, out of reach by raising the answers: even with every answered question at its top option, gate vmo-needs-buy-in would still cap the result at Hybrid."
        );
        let index = Blocked::Index { best: 59.99 };
        assert_eq!(
            roadmap_headline(&r, Some(Band::Vmo), 0, Some(&index), 2, true),
            "Target: VMO, out of reach by raising the typical answers: even with every answered question at its top option, the index would be just under 60.0, below the VMO band. Answering the 2 unanswered questions may change that."
        );
    }

    #[test]
    fn the_sentence_never_rounds_the_new_index_onto_a_boundary() {
        let r = LoadedRubric::embedded().unwrap();
        let q = &r.rubric.question[0];
        let flip = |index: f64| Flip {
            question: &q.id,
            from: Some(&q.option[0].id),
            to: &q.option[1].id,
            recommendation: Band::Hybrid,
            index,
        };
        // VMO starts at 60: 59.96 is Hybrid and must not read "60.0".
        let s = flip_sentence(&r, Some(&flip(59.96)));
        assert!(
            s.ends_with("would make it Hybrid (index just under 60.0)."),
            "{s}"
        );
        let s = flip_sentence(&r, Some(&flip(52.5)));
        assert!(s.ends_with("would make it Hybrid (index 52.5)."), "{s}");
    }
}
