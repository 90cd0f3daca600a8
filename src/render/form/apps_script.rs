//! The Google Apps Script: run once in script.google.com, it creates a Google Form
//! with a page per factor, the question texts as item titles and the option labels
//! as choices, plus Name, Role and Organisation, so that the form's CSV export
//! scores as it is (`input::export` matches those headers and labels).

use super::fill;
use crate::rubric::LoadedRubric;

const TEMPLATE: &str = include_str!("apps-script.gs");

/// The script for `rubric`, with the consultant's context (`--intro`) at the top
/// of the form's description when there is one.
pub fn render(rubric: &LoadedRubric, intro: Option<&str>) -> String {
    let json = super::data(rubric, intro, None);
    let pretty = serde_json::from_str::<serde_json::Value>(&json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(json);
    fill(TEMPLATE, &js_literal(&pretty))
}

/// JSON as a JavaScript object literal: U+2028 and U+2029 escaped (raw, they end a
/// string before ES2019), and `</` written `<\/` so the text could sit in HTML too.
pub(crate) fn js_literal(json: &str) -> String {
    json.replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
        .replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literal_is_still_json_with_the_same_text() {
        let text = "a\u{2028}b</script>\"\\\n";
        let lit = js_literal(&serde_json::to_string(&text).unwrap());
        assert!(!lit.contains('\u{2028}') && !lit.contains("</"));
        let back: String = serde_json::from_str(&lit).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn the_script_defines_create_form_around_the_rubric() {
        let r = crate::testing::v2();
        let gs = render(&r, None);
        assert!(gs.contains("function createForm()"));
        assert!(gs.contains(&format!("\"id\": \"{}\"", r.rubric.id)));
        assert!(!gs.contains(super::super::PLACEHOLDER));
    }
}
