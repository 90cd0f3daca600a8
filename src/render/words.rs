//! The sentences and phrases built from results: how a score leans, a fired gate,
//! the flip, the bands. Pure modules return data; the words are made here.

use crate::flip::Flip;
use crate::render::num::{index_words, setting_num};
use crate::rubric::{Band, LoadedRubric};

/// A count with its noun, singular for one: "1 sheet", "3 sheets".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a factor score leans, by the rubric's band boundaries.
pub fn leaning(rubric: &LoadedRubric, score: f64) -> &'static str {
    match crate::scoring::band_of(&rubric.rubric.scoring, score) {
        Band::Pmo => "PMO",
        Band::Hybrid => "balanced",
        Band::Vmo => "VMO",
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
    let verb = match g.effect {
        crate::rubric::Effect::Cap => "caps at",
        crate::rubric::Effect::Floor => "raises to at least",
    };
    format!("{} ({verb} {}): {msg}", g.id, g.to.label())
}

/// The flip as a sentence for people: "Answering X with Y would make it Hybrid."
pub fn flip_sentence(rubric: &LoadedRubric, flip: Option<&Flip>) -> String {
    let Some(f) = flip else {
        return "No single answer changes the recommendation.".to_string();
    };
    let Some(q) = rubric
        .question(&f.question)
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
            label(&f.to),
            f.recommendation.label(),
            index_words(rubric, f.index)
        ),
        Some(from) => format!(
            "Changing \"{}\" from \"{}\" to \"{}\" would make it {} (index {}).",
            q.text,
            label(from),
            label(&f.to),
            f.recommendation.label(),
            index_words(rubric, f.index)
        ),
    }
}

/// The band boundaries in one sentence: "Bands: PMO below 40.0, Hybrid from 40.0,
/// VMO from 60.0."
pub fn bands_sentence(rubric: &LoadedRubric) -> String {
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
    fn the_sentence_never_rounds_the_new_index_onto_a_boundary() {
        let r = LoadedRubric::embedded().unwrap();
        let q = &r.rubric.question[0];
        let flip = |index: f64| Flip {
            question: q.id.clone(),
            from: Some(q.option[0].id.clone()),
            to: q.option[1].id.clone(),
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
