//! The respondent's voice of a rubric, in one place: every surface a respondent
//! reads (the interview, the HTML form, the Apps Script, `init`'s blank sheet,
//! `rubric show` without `--consultant`) takes its text from [`RespondentText`],
//! and `rubric check`'s `leading-word` lint reads the same texts, so the surfaces
//! cannot drift apart or show a word the lint never saw.
//!
//! It holds titles, descriptions, question text and help, option labels and help,
//! and ids (a sheet needs them). Never a score, a weight, a gate, an outcome, a
//! plan text or a consultant's `explain`, which would be one "view source" away in
//! a file sent to respondents.
//!
//! Options are kept in the rubric's order. That order runs from least to most of
//! what a question measures, which reads as a scale to a respondent (as any
//! survey's does) and is what a paper copy and an export show; scoring reads the
//! option's id, so no surface's order changes a result.

use serde::Serialize;

use super::LoadedRubric;

/// What a respondent reads of a rubric, keys as in the rubric file.
#[derive(Debug, Serialize)]
pub struct RespondentText<'a> {
    /// The rubric's id (written into the sheet).
    pub id: &'a str,
    /// The rubric's version (written into the sheet).
    pub version: &'a str,
    /// The questionnaire's title.
    pub title: &'a str,
    /// The questionnaire's introduction.
    pub description: &'a str,
    /// The parts, in file order.
    pub factor: Vec<RespondentFactor<'a>>,
    /// The questions, in file order (the rubric's indexes).
    pub question: Vec<RespondentQuestion<'a>>,
}

/// One part of the questionnaire.
#[derive(Debug, Serialize)]
pub struct RespondentFactor<'a> {
    /// The factor's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its description (may be empty).
    pub description: &'a str,
}

/// One question as a respondent reads it.
#[derive(Debug, Serialize)]
pub struct RespondentQuestion<'a> {
    /// The question's id (the key in a sheet's answers).
    pub id: &'a str,
    /// Its factor's id; empty for a question about the organisation.
    pub factor: &'a str,
    /// The question.
    pub text: &'a str,
    /// What it looks like day to day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// The answers, in the rubric's order.
    pub option: Vec<RespondentOption<'a>>,
}

/// One answer as a respondent reads it.
#[derive(Debug, Serialize)]
pub struct RespondentOption<'a> {
    /// The option's id (the value in a sheet's answers).
    pub id: &'a str,
    /// The answer.
    pub label: &'a str,
    /// An example that tells it from its neighbours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
}

/// Which respondent text a string is, for findings that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// The questionnaire's title or description.
    Questionnaire(&'static str),
    /// A factor's title or description, by factor id.
    Factor(&'a str, &'static str),
    /// A question's `text` or `help`, by question id.
    Question(&'a str, &'static str),
    /// An option's `label` or `help`, by question and option id.
    Option(&'a str, &'a str, &'static str),
}

impl<'a> RespondentText<'a> {
    /// The respondent text of `rubric`.
    pub fn of(rubric: &'a LoadedRubric) -> RespondentText<'a> {
        let r = &rubric.rubric;
        let blank = |s: &'a Option<String>| s.as_deref().filter(|h| !h.trim().is_empty());
        RespondentText {
            id: &r.id,
            version: &r.version,
            title: &r.title,
            description: &r.description,
            factor: (r.factor.iter())
                .map(|f| RespondentFactor {
                    id: &f.id,
                    title: &f.title,
                    description: &f.description,
                })
                .collect(),
            question: (r.question.iter())
                .map(|q| RespondentQuestion {
                    id: &q.id,
                    factor: &q.factor,
                    text: &q.text,
                    help: blank(&q.help),
                    option: (q.option.iter())
                        .map(|o| RespondentOption {
                            id: &o.id,
                            label: &o.label,
                            help: blank(&o.help),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The question with this id.
    pub fn question_by_id(&self, id: &str) -> Option<&RespondentQuestion<'a>> {
        self.question.iter().find(|q| q.id == id)
    }

    /// The factor with this id.
    pub fn factor_by_id(&self, id: &str) -> Option<&RespondentFactor<'a>> {
        self.factor.iter().find(|f| f.id == id)
    }

    /// Every text a respondent reads, with what it is: the lint and the tests walk
    /// this, so a text added to the view is checked as soon as it is shown.
    pub fn texts(&self) -> Vec<(Field<'a>, &'a str)> {
        let mut out = vec![
            (Field::Questionnaire("title"), self.title),
            (Field::Questionnaire("description"), self.description),
        ];
        for f in &self.factor {
            out.push((Field::Factor(f.id, "title"), f.title));
            out.push((Field::Factor(f.id, "description"), f.description));
        }
        for q in &self.question {
            out.push((Field::Question(q.id, "text"), q.text));
            if let Some(h) = q.help {
                out.push((Field::Question(q.id, "help"), h));
            }
            for o in &q.option {
                out.push((Field::Option(q.id, o.id, "label"), o.label));
                if let Some(h) = o.help {
                    out.push((Field::Option(q.id, o.id, "help"), h));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_leaves_out_scores_gates_explanations_and_outcomes() {
        let r = crate::testing::default3();
        let text = serde_json::to_string(&RespondentText::of(r)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut keys: Vec<&str> = (json.as_object().unwrap().keys())
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "description",
                "factor",
                "id",
                "question",
                "title",
                "version"
            ]
        );
        for absent in [
            "\"score\"",
            "\"weight\"",
            "\"gate\"",
            "\"improve\"",
            "\"scoring\"",
            "\"explain\"",
            "\"outcome\"",
            "\"practice\"",
        ] {
            assert!(!text.contains(absent), "{absent} is in the respondent text");
        }
        // The rubric has consultant text, and none of it is in the view.
        let explained: Vec<&str> = (r.rubric.question.iter())
            .flat_map(|q| {
                q.explain
                    .iter()
                    .chain(q.option.iter().flat_map(|o| o.explain.iter()))
            })
            .map(String::as_str)
            .collect();
        assert!(explained.len() > 10, "the default rubric explains answers");
        for e in explained {
            let e = serde_json::to_string(e).unwrap();
            assert!(!text.contains(&e), "{e} is in the respondent text");
        }
        assert_eq!(
            json["question"].as_array().unwrap().len(),
            r.rubric.question.len()
        );
    }

    #[test]
    fn texts_walks_every_shown_string() {
        let r = crate::testing::default3();
        let view = RespondentText::of(r);
        let texts = view.texts();
        let labels = (r.rubric.question.iter())
            .map(|q| q.option.len())
            .sum::<usize>();
        let shown = texts
            .iter()
            .filter(|(f, _)| matches!(f, Field::Option(_, _, "label")))
            .count();
        assert_eq!(shown, labels);
        assert!(texts.contains(&(Field::Questionnaire("title"), r.rubric.title.as_str())));
    }
}
