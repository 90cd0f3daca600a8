//! The HTML form: one file with its style and script inline and a
//! Content-Security-Policy that allows no connection at all. The rubric goes in a
//! `<script type="application/json">` block as JSON with `<`, `>` and `&` escaped,
//! so no rubric text can close the block or start markup; the page's script reads
//! it with `JSON.parse` and builds every element with `textContent`.

use super::fill;
use crate::rubric::LoadedRubric;

const TEMPLATE: &str = include_str!("form.html");

/// The page for `rubric`, with the consultant's context (`--intro`) above the
/// questions when there is one.
pub fn render(rubric: &LoadedRubric, intro: Option<&str>) -> String {
    let json = super::data(rubric, intro, None);
    fill(TEMPLATE, &script_json(&json))
}

/// The same page for a live workshop (`serve`): its policy lets it connect to the
/// server it came from, and nowhere else.
pub fn render_live(rubric: &LoadedRubric, intro: Option<&str>, live: &super::Live<'_>) -> String {
    let json = super::data(rubric, intro, Some(live));
    let template = TEMPLATE.replacen(
        "default-src 'none';",
        "default-src 'none'; connect-src 'self';",
        1,
    );
    fill(&template, &script_json(&json))
}

/// JSON made safe inside an HTML `<script>` element: `<`, `>`, `&`, U+2028 and
/// U+2029 become `\uXXXX` escapes. They can only occur inside JSON strings, where
/// the escape means the same character, so `JSON.parse` gives the text back.
pub(crate) fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_json_is_escaped_and_parses_back() {
        let text = "</script><!-- <b>&amp;</b> \u{2028}\"\\";
        let json = serde_json::to_string(&text).unwrap();
        let safe = script_json(&json);
        for c in ['<', '>', '&', '\u{2028}'] {
            assert!(!safe.contains(c), "{c:?} left in {safe}");
        }
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn the_page_holds_the_rubric_once_and_only_two_scripts() {
        let r = crate::testing::v2();
        let page = render(&r, None);
        assert!(!page.contains(super::super::PLACEHOLDER));
        assert_eq!(page.matches("<script").count(), 2);
        assert_eq!(page.matches("</script>").count(), 2);
        assert!(page.contains("default-src 'none'"));
        let open = "id=\"pmo-vmo-rubric\">";
        let start = page.find(open).unwrap() + open.len();
        let end = start + page[start..].find("</script>").unwrap();
        let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(data["title"], r.rubric.title.as_str());
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "a link to another host"
        );
    }
}
