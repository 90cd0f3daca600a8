//! The report's first page: a cover block (firm, organisation, date, who answered)
//! and the executive summary a CFO reads without turning the page: the
//! recommendation and the office in words, three reasons, the top risks, what to
//! do in the first 90 days and how firm the result is. No ids, no tool terms.

use maud::{Markup, html};

use super::Report;
use crate::advice::Lead;
use crate::render::words;
use crate::rubric::Band;

/// At most this many reasons and risks on the summary page.
const REASONS: usize = 3;
const RISKS: usize = 3;

/// The sentences of a text, split where a full stop, question or exclamation mark
/// is followed by a space and a capital letter.
pub(super) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '?' | '!')
            && bytes.get(i + 1) == Some(&b' ')
            && text[i + 2..].chars().next().is_some_and(char::is_uppercase)
        {
            out.push(text[start..=i].trim());
            start = i + 2;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Roles often written as abbreviations, shown in capitals.
const ABBREVIATIONS: [&str; 14] = [
    "ceo", "cfo", "coo", "cio", "cto", "cdo", "cro", "it", "hr", "pmo", "vmo", "epmo", "pm", "ppm",
];

/// A role as people read it: the rubric's title for a role id it knows, else the
/// words as written with abbreviations in capitals and the first letter a capital
/// ("pmo-lead" -> "PMO lead", "cfo" -> "CFO").
pub(super) fn role_words(rubric: &crate::rubric::LoadedRubric, role: &str) -> String {
    let key = crate::text::normalise(role);
    if let Some(title) = (rubric.rubric.roles.iter())
        .find(|(id, _)| crate::text::normalise(id) == key)
        .map(|(_, t)| t)
    {
        return title.clone();
    }
    let words: Vec<String> = role
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if ABBREVIATIONS.contains(&w.to_ascii_lowercase().as_str()) {
                w.to_ascii_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    let joined = words.join(" ");
    let mut c = joined.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Report<'_> {
    /// When the answers were given: one day, or the first and the last.
    pub(super) fn date_words(&self) -> Option<String> {
        self.w.dates.map(words::dates_words)
    }

    /// Who answered: "2 respondents: COO and CFO".
    pub(super) fn respondents_words(&self) -> String {
        let n = words::count(self.w.respondents, "respondent", "respondents");
        let roles: Vec<String> = (self.w.roles.iter())
            .map(|r| match r.respondents {
                1 => role_words(self.rubric, &r.role),
                k => format!("{} ({k})", role_words(self.rubric, &r.role)),
            })
            .collect();
        let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
        if roles.is_empty() {
            n
        } else {
            format!("{n}: {}", words::and_list(&roles))
        }
    }

    /// The office recommended, by its type's title where the rubric has types.
    pub(super) fn office_words(&self) -> Option<String> {
        let rubric = self.rubric;
        let title = |id: &str| {
            (rubric.rubric.office.iter())
                .find(|o| o.id == id)
                .map_or_else(|| id.to_string(), |o| o.title.clone())
        };
        if let Some(r) = self.sheet() {
            return words::office_sentence(rubric, &r.evaluation);
        }
        let plan = self.w.plan.as_ref()?;
        match (plan.office, plan.also) {
            (Some(a), Some(b)) => Some(format!("{}, beside it a {}", title(a), title(b))),
            (Some(a), None) => Some(title(a)),
            _ => None,
        }
    }

    /// Three reasons: the sentences of what leads the result (the gates that
    /// changed it, else the summary).
    pub(super) fn reasons(&self) -> Vec<String> {
        let lead = self.lead();
        let mut out: Vec<String> = Vec::new();
        for t in &lead {
            for s in sentences(t) {
                if out.len() < REASONS {
                    out.push(s.to_string());
                }
            }
        }
        out
    }

    /// The risks to the recommended office: the warning signs that fired without
    /// changing the result, each its first sentence.
    pub(super) fn risks(&self) -> Vec<String> {
        let advice = self.sheet().map_or(&self.w.advice, |r| &r.advice);
        let gates = &self.rubric.rubric.gate;
        (advice.risks.iter())
            .filter_map(|&g| gates.get(g))
            .filter_map(|g| sentences(&g.message).first().map(|s| s.to_string()))
            .take(RISKS)
            .collect()
    }

    /// What to do first: the next steps, then the first horizon's initiatives.
    pub(super) fn first_moves(&self) -> (Vec<String>, Vec<String>) {
        if let Some(view) = self.plan_view() {
            let steps = view.first_steps.iter().map(|s| s.to_string()).collect();
            let first = (view.horizons().into_iter())
                .filter(|(h, _)| *h == 1)
                .flat_map(|(_, list)| list.into_iter().map(|(_, i)| i.title.to_string()))
                .collect();
            return (steps, first);
        }
        let advice = self.sheet().map_or(&self.w.advice, |r| &r.advice);
        let steps = advice.shown_steps(self.rubric);
        (steps.into_iter().map(str::to_string).collect(), Vec::new())
    }

    /// How firm the result is, in one or two sentences without figures a client
    /// cannot read.
    pub(super) fn firmness(&self) -> String {
        let w = self.w;
        let rec = w.recommendation.label();
        if let Some(r) = self.sheet() {
            if let Some(p) = words::provisional_sentence(&r.evaluation) {
                return p;
            }
            return match r.sensitivity.len() {
                0 => "Firm: no single answer moved one step up or down would change this recommendation.".to_string(),
                n => format!(
                    "Not firm: {} one step from giving another result; the section on how firm it is names {}.",
                    words::count(n, "answer is", "answers are"),
                    if n == 1 { "it" } else { "them" }
                ),
            };
        }
        let agree = w
            .recommendations
            .get(&w.recommendation)
            .copied()
            .unwrap_or(0);
        let others: Vec<String> = (w.recommendations.iter())
            .filter(|&(b, &n)| *b != w.recommendation && n > 0)
            .map(|(b, n)| format!("{} {}", n, b.label()))
            .collect();
        let agreement = if agree == w.respondents {
            format!("Every respondent's own answers give {rec}")
        } else {
            format!(
                "{agree} of {} respondents' own answers give {rec} (the others: {})",
                w.respondents,
                words::and_list(&others.iter().map(String::as_str).collect::<Vec<_>>())
            )
        };
        let strength = if agree == w.respondents && w.tipping.is_none() {
            "Firm"
        } else if 2 * agree > w.respondents {
            "Fairly firm"
        } else {
            "Not firm"
        };
        let tipping = match &w.tipping {
            None => "no shift in the group's view of a single area would change it".to_string(),
            Some(t) => {
                let title = (self.rubric.rubric.factor.iter())
                    .find(|f| f.id == t.factor)
                    .map_or(t.factor.as_str(), |f| f.title.as_str());
                let way = if t.to < t.mean { "weaker" } else { "stronger" };
                format!(
                    "a {way} group view of {} would make it {}",
                    lower(title),
                    t.recommendation.label()
                )
            }
        };
        let provisional = if w.provisional.is_empty() {
            String::new()
        } else {
            format!(
                " {} answered too few questions for a firm result of their own.",
                words::count(w.provisional.len(), "respondent", "respondents")
            )
        };
        format!("{strength}. {agreement}; {tipping}.{provisional}")
    }

    /// The cover block and the executive summary: page one in print.
    pub(super) fn summary(&self) -> Markup {
        let w = self.w;
        let advice = self.sheet().map_or(&w.advice, |r| &r.advice);
        let provisional = self.provisional().is_some();
        let headline = if provisional {
            None
        } else {
            Some(advice.source.title(self.rubric))
        };
        let office = self.office_words();
        let reasons = self.reasons();
        let risks = self.risks();
        let (steps, first) = self.first_moves();
        let changed_by_gate = matches!(advice.lead, Lead::Gates(_)) && w.band != w.recommendation;
        html! {
            section id="summary" {
                header.cover {
                    (self.brand_mark())
                    p.kicker { (self.rubric.rubric.title) }
                    h1 {
                        @match self.org {
                            Some(org) => (org),
                            None => "Assessment",
                        }
                    }
                    p.meta {
                        @if let Some(d) = self.date_words() { span { (d) } }
                        span { (self.respondents_words()) }
                        @if let Some(firm) = self.firm() { span { "Prepared by " (firm) } }
                    }
                }
                h2 { "Executive summary" }
                div.verdict.(w.recommendation.id()) {
                    p.lede { "We recommend" }
                    div.band {
                        (recommendation_words(w.recommendation))
                        @if provisional { " (provisional)" }
                    }
                    @if let Some(o) = &office { p.office { (o) } }
                    @if let Some(h) = headline { p { strong { (h) } } }
                    @if changed_by_gate {
                        p.muted {
                            "The scores alone point to " (w.band.label())
                            "; a warning sign holds the result at " (w.recommendation.label()) "."
                        }
                    }
                }
                div.grid {
                    div {
                        h3 { "Why" }
                        @if reasons.is_empty() {
                            p { (self.provisional().unwrap_or_default()) }
                        } @else {
                            ol { @for r in &reasons { li { (r) } } }
                        }
                    }
                    div {
                        h3 { "Top risks" }
                        @if risks.is_empty() {
                            p { "No warning sign stands against the recommended office." }
                        } @else {
                            ul { @for r in &risks { li { (r) } } }
                        }
                    }
                }
                @if !steps.is_empty() || !first.is_empty() {
                    h3 { "The first 90 days" }
                    ul.first {
                        @for s in &steps { li { (s) } }
                        @for i in &first { li { strong { (i) } } }
                    }
                }
                h3 { "How firm is this?" }
                p.firm { (self.firmness()) }
            }
        }
    }
}

/// The recommendation as the summary names it.
pub(super) fn recommendation_words(b: Band) -> &'static str {
    match b {
        Band::Pmo => "A PMO: an office for delivery",
        Band::Hybrid => "A hybrid office: delivery and value",
        Band::Vmo => "A VMO: an office for value",
        Band::Both => "Both: a PMO and a VMO",
        Band::None => "No standing office",
        Band::Federated => "A federated office: a thin centre and divisional offices",
    }
}

fn lower(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_a_stop_before_a_capital() {
        assert_eq!(
            sentences("One thing. Two e.g. three? Four"),
            vec!["One thing.", "Two e.g. three?", "Four"]
        );
        assert_eq!(sentences(""), Vec::<&str>::new());
    }

    #[test]
    fn roles_read_as_people_write_them() {
        let r = crate::testing::embedded();
        assert_eq!(role_words(r, "cfo"), "CFO");
        assert_eq!(role_words(r, "Finance"), "Finance");
        assert_eq!(role_words(r, "office-lead"), "Office lead");
        assert_eq!(role_words(r, "head of delivery"), "Head of delivery");
        assert_eq!(role_words(r, "pmo-lead"), "PMO lead");
        assert_eq!(role_words(r, "business_lead"), "Business lead");
    }
}
