//! `pmo-vmo form`: the questionnaire for people without a terminal. `html` is one
//! self-contained page that saves an answer sheet; `apps_script` is a Google Apps
//! Script that builds a Google Form whose CSV export scores as it is.
//!
//! Both embed the same [`crate::rubric::respondent::RespondentText`], the text
//! every respondent surface shows: titles, texts, labels and help, never scores,
//! weights, gates, explanations or recommendations, which would be one "view
//! source" away in a file sent to respondents. Each template holds one
//! placeholder, replaced once, so rubric text that happens to contain it changes
//! nothing.

use crate::rubric::LoadedRubric;
use crate::rubric::respondent::RespondentText;

pub mod apps_script;
pub mod html;

/// Where the rubric's data goes in each template.
const PLACEHOLDER: &str = "{{RUBRIC_JSON}}";

/// The data a form embeds: the respondent's text, and the consultant's context
/// under `intro` when given (text the consultant writes for respondents: who asks,
/// by when, what happens to the answers).
fn data(rubric: &LoadedRubric, intro: Option<&str>, live: Option<&Live<'_>>) -> String {
    let view = RespondentText::of(rubric);
    let intro = intro.map(str::trim).filter(|i| !i.is_empty());
    if intro.is_none() && live.is_none() {
        return serde_json::to_string(&view).unwrap_or_default();
    }
    let mut value = serde_json::to_value(&view).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        if let Some(intro) = intro {
            map.insert("intro".into(), intro.into());
        }
        if let Some(live) = live {
            map.insert(
                "live".into(),
                serde_json::to_value(live).unwrap_or_default(),
            );
        }
    }
    value.to_string()
}

/// The form served by `pmo-vmo serve`: the same page, which also sends each
/// answer to the server that gave it (to its own address, under `join`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Live<'a> {
    /// The session's join code: the page posts to `/j/<join>/...`.
    pub join: &'a str,
    /// Whether a participant may join without a name.
    pub anonymous: bool,
}

/// Fills a template's placeholder, once.
fn fill(template: &str, data: &str) -> String {
    template.replacen(PLACEHOLDER, data, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_in_the_data_is_not_replaced_again() {
        assert_eq!(
            fill("a {{RUBRIC_JSON}} b", "{{RUBRIC_JSON}}"),
            "a {{RUBRIC_JSON}} b"
        );
    }
}
