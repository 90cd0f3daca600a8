//! `pmo-vmo form`: the questionnaire for people without a terminal. `html` is one
//! self-contained page that saves an answer sheet; `apps_script` is a Google Apps
//! Script that builds a Google Form whose CSV export scores as it is.
//!
//! Both embed the same [`FormView`]: only what a respondent sees (titles, texts,
//! labels, help), never scores, weights, gates or recommendations, which would be
//! one "view source" away in a file sent to respondents. Each template holds one
//! placeholder, replaced once, so rubric text that happens to contain it changes
//! nothing.

use serde::Serialize;

use crate::rubric::LoadedRubric;

pub mod apps_script;
pub mod html;

/// Where the rubric's data goes in each template.
const PLACEHOLDER: &str = "{{RUBRIC_JSON}}";

/// The part of a rubric a form shows, keys as in the rubric file.
#[derive(Debug, Serialize)]
pub(crate) struct FormView<'a> {
    pub(crate) id: &'a str,
    pub(crate) version: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) factor: Vec<FormFactor<'a>>,
    pub(crate) question: Vec<FormQuestion<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FormFactor<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct FormQuestion<'a> {
    pub(crate) id: &'a str,
    pub(crate) factor: &'a str,
    pub(crate) text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) help: Option<&'a str>,
    pub(crate) option: Vec<FormOption<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct FormOption<'a> {
    pub(crate) id: &'a str,
    pub(crate) label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) help: Option<&'a str>,
}

impl<'a> FormView<'a> {
    pub(crate) fn of(rubric: &'a LoadedRubric) -> FormView<'a> {
        let r = &rubric.rubric;
        FormView {
            id: &r.id,
            version: &r.version,
            title: &r.title,
            description: &r.description,
            factor: r
                .factor
                .iter()
                .map(|f| FormFactor {
                    id: &f.id,
                    title: &f.title,
                    description: &f.description,
                })
                .collect(),
            question: r
                .question
                .iter()
                .map(|q| FormQuestion {
                    id: &q.id,
                    factor: &q.factor,
                    text: &q.text,
                    help: q.help.as_deref(),
                    option: q
                        .option
                        .iter()
                        .map(|o| FormOption {
                            id: &o.id,
                            label: &o.label,
                            help: o.help.as_deref(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Fills a template's placeholder, once.
fn fill(template: &str, data: &str) -> String {
    template.replacen(PLACEHOLDER, data, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_leaves_out_scores_gates_and_recommendations() {
        let r = crate::testing::v2();
        let text = serde_json::to_string(&FormView::of(&r)).unwrap();
        assert!(text.starts_with(&format!("{{\"id\":\"{}\",\"version\":", r.rubric.id)));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
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
        ] {
            assert!(!text.contains(absent), "{absent} is in the form view");
        }
        assert_eq!(
            json["question"].as_array().unwrap().len(),
            r.rubric.question.len()
        );
        assert_eq!(
            json["question"][0]["option"][0]["id"],
            r.rubric.question[0].option[0].id
        );
    }

    #[test]
    fn a_placeholder_in_the_data_is_not_replaced_again() {
        assert_eq!(
            fill("a {{RUBRIC_JSON}} b", "{{RUBRIC_JSON}}"),
            "a {{RUBRIC_JSON}} b"
        );
    }
}
