//! The HTML report for the client: one self-contained file (no external scripts,
//! styles, fonts or images) with the recommendation, a radar chart in inline SVG,
//! the factor table, gates, the flip, the agenda, next steps and the sheets' notes.
//! The page is built with maud's `html!`, which HTML-escapes every value put
//! into it, so text from a sheet or a rubric cannot become markup; only the
//! constant CSS goes in as it is.
//!
//! This file lays out the page and its text sections; `chart` draws the radar
//! (or, for fewer than three factors, the strips) and its legend, `style` holds
//! the CSS.

mod chart;
mod progress;
mod roadmap;
mod style;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::compare::Comparison;
use crate::input::sheet::ResolvedSheet;
use crate::render::num;
use crate::render::workshop::{counts, flag_lines, gate_lines, lead, tipping_sentence};
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;
use crate::spill::Spill;
use crate::workshop::Workshop;
use std::io::{self, Write};
use style::CSS;

/// Above this many respondents the chart draws one polygon per role instead.
pub(crate) const MAX_POLYGONS: usize = 8;

/// The text of question `id`, or the id when the rubric has no such question.
fn question_text<'a>(rubric: &'a LoadedRubric, id: &'a str) -> &'a str {
    rubric
        .question(id)
        .map_or(id, |i| rubric.rubric.question[i].text.as_str())
}

fn display_name(r: &SheetResult) -> String {
    r.respondent.clone().unwrap_or_else(|| r.source.to_string())
}

/// Where the rows listing every member go in the page: comments that no escaped
/// text can spell (maud writes `<` in text as `&lt;`).
const FLIPS: &str = "<!--pmo-vmo:flips-->";
const ROWS: &str = "<!--pmo-vmo:respondents-->";

/// Whether the sheets name one organisation.
#[derive(Debug, Clone, PartialEq)]
enum Org {
    None,
    One(String),
    Several,
}

/// A report built one member at a time, in flat memory: the
/// first members whole (the chart draws up to [`MAX_POLYGONS`] of them, a report of
/// one sheet shows its own figures), and the two lists of every member (their flips
/// and the respondents table) rendered as they come into [`Spill`]s, which go into
/// the page when it is written.
pub struct Builder<'r> {
    rubric: &'r LoadedRubric,
    first: Vec<(ResolvedSheet, SheetResult<'r>)>,
    count: usize,
    roleless: bool,
    org: Org,
    flips: Spill,
    rows: Spill,
}

impl<'r> Builder<'r> {
    /// A report with no member yet.
    pub fn new(rubric: &'r LoadedRubric) -> Self {
        Builder {
            rubric,
            first: Vec::new(),
            count: 0,
            roleless: false,
            org: Org::None,
            flips: Spill::new(),
            rows: Spill::new(),
        }
    }

    /// How many members so far.
    pub fn members(&self) -> usize {
        self.count
    }

    /// Adds one scored sheet.
    pub fn add(&mut self, sheet: ResolvedSheet, result: SheetResult<'r>) -> io::Result<()> {
        self.count += 1;
        self.roleless |= result.role.is_none();
        if let Some(o) = result.organisation.as_deref() {
            match &self.org {
                Org::None => self.org = Org::One(o.to_string()),
                Org::One(x) if x != o => self.org = Org::Several,
                _ => {}
            }
        }
        self.flips
            .write_all(flip_item(self.rubric, &result).into_string().as_bytes())?;
        self.rows.write_all(
            respondent_row(self.rubric, &result)
                .into_string()
                .as_bytes(),
        )?;
        if self.first.len() <= MAX_POLYGONS {
            self.first.push((sheet, result));
        }
        Ok(())
    }

    /// Writes the page for the members' group result `w`, compared with `baseline`
    /// when there is one.
    pub fn finish(
        self,
        out: &mut dyn Write,
        w: &Workshop<'_>,
        baseline: Option<&Comparison>,
    ) -> io::Result<()> {
        let report = Report {
            rubric: self.rubric,
            first: &self.first,
            count: self.count,
            roleless: self.roleless,
            org: match &self.org {
                Org::One(o) => Some(o.as_str()),
                _ => None,
            },
            w,
            single: self.count == 1,
            baseline,
        };
        let page = report.page().into_string();
        let mut rest = page.as_str();
        for (mark, spill) in [(FLIPS, self.flips), (ROWS, self.rows)] {
            if let Some((before, after)) = rest.split_once(mark) {
                out.write_all(before.as_bytes())?;
                spill.copy_to(out)?;
                rest = after;
            }
        }
        out.write_all(rest.as_bytes())?;
        Ok(())
    }
}

/// One member in the list of each respondent's flip.
fn flip_item(rubric: &LoadedRubric, m: &SheetResult) -> Markup {
    html! {
        li {
            strong { (display_name(m)) }
            " (" (m.evaluation.recommendation.label()) "): "
            (crate::render::words::firmness_lines(rubric, &m.sensitivity).join(" "))
        }
    }
}

/// One member's row of the respondents table.
fn respondent_row(rubric: &LoadedRubric, m: &SheetResult) -> Markup {
    let e = &m.evaluation;
    html! {
        tr {
            td { (display_name(m)) }
            td { (m.role.as_deref().unwrap_or("")) }
            td.n { (crate::render::num::index_num(rubric, e.index)) }
            td { (e.recommendation.label()) }
            td.n { (e.answered) " of " (e.questions) }
        }
    }
}

/// What every section of the report draws on.
struct Report<'a> {
    rubric: &'a LoadedRubric,
    /// The first members, whole: all of them up to [`MAX_POLYGONS`].
    first: &'a [(ResolvedSheet, SheetResult<'a>)],
    count: usize,
    /// Some member gave no role.
    roleless: bool,
    /// The organisation every sheet that names one names.
    org: Option<&'a str>,
    w: &'a Workshop<'a>,
    /// One answer sheet: its own figures and flip, no group-only sections.
    single: bool,
    /// The comparison with an earlier assessment, when there is one.
    baseline: Option<&'a Comparison>,
}

impl Report<'_> {
    /// The whole page, section by section.
    fn page(&self) -> Markup {
        let title = self.title();
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    // The only markup not escaped: a constant of this file.
                    style { (PreEscaped(CSS)) }
                }
                body {
                    main {
                        header {
                            h1 { (title) }
                            p.muted {
                                (self.who()) " · rubric " (self.rubric.rubric.id) " "
                                (self.rubric.rubric.version)
                            }
                        }
                        (self.recommendation())
                        (self.chart())
                        @if let Some(c) = self.baseline {
                            (progress::section(self.rubric, c))
                        }
                        (self.factors())
                        (self.gates())
                        (self.flip())
                        @if !self.single && !self.w.agenda.is_empty() {
                            (self.agenda())
                        }
                        @if !self.single && !self.w.roles.is_empty() {
                            (self.roles())
                        }
                        (self.next_steps())
                        (self.roadmap())
                        @if self.single {
                            (self.answers())
                        } @else if !self.w.notes.is_empty() {
                            (self.notes())
                        }
                        (self.respondents())
                        footer {
                            p.muted {
                                "Made with pmo-vmo " (env!("CARGO_PKG_VERSION")) " from "
                                (self.count) " answer sheet" @if !self.single { "s" } "."
                            }
                        }
                    }
                }
            }
        }
    }

    /// The rubric's title, and the organisation when all sheets name the same one.
    fn title(&self) -> String {
        match self.org {
            Some(org) => format!("{} · {org}", self.rubric.rubric.title),
            None => self.rubric.rubric.title.clone(),
        }
    }

    /// Whose answers these are, under the title.
    fn who(&self) -> String {
        if self.single {
            format!("Answers of {}", display_name(&self.first[0].1))
        } else {
            crate::render::words::count(self.w.respondents, "respondent", "respondents")
        }
    }

    /// The single sheet's result, when the report is of one sheet.
    fn sheet(&self) -> Option<&SheetResult<'_>> {
        self.single.then(|| &self.first[0].1)
    }

    /// The sentence saying the single sheet's result is provisional, if it is.
    fn provisional(&self) -> Option<String> {
        crate::render::words::provisional_sentence(&self.sheet()?.evaluation)
    }

    /// The texts that lead: the sheet's (or group's) gate messages or summary.
    fn lead(&self) -> Vec<String> {
        match self.sheet() {
            Some(r) => crate::render::words::lead_texts(self.rubric, &r.advice)
                .into_iter()
                .map(str::to_string)
                .collect(),
            None => lead(self.rubric, self.w),
        }
    }

    /// The verdict: the band, what it means, the index and the band boundaries. A
    /// provisional result says so before anything else, and shows no title.
    fn recommendation(&self) -> Markup {
        let (rubric, w) = (self.rubric, self.w);
        let advice = self.sheet().map_or(&w.advice, |r| &r.advice);
        let title = advice.source.title(rubric);
        let provisional = self.provisional();
        html! {
            section id="recommendation" {
                h2 { "Recommendation" }
                @if let Some(p) = &provisional {
                    p.provisional { strong { (p) } }
                }
                div.verdict.(w.recommendation.id()) {
                    div.band {
                        (w.recommendation.label())
                        @if provisional.is_some() { " (provisional)" }
                    }
                    @if w.band != w.recommendation {
                        div.muted {
                            "The index alone says " (w.band.label()) "; a gate changed it."
                        }
                    }
                    @if provisional.is_none() {
                        div { strong { (title) } }
                    }
                    @for t in self.lead() { p { (t) } }
                    div.figures {
                        span {
                            "Index " strong { (crate::render::num::index_num(rubric, w.index)) }
                            " of 100"
                        }
                        span { "Margin " (num(w.margin)) " points" }
                        @if !self.single {
                            span { "Individual results: " (counts(w)) }
                        }
                    }
                    p.muted {
                        (crate::render::words::bands_sentence(self.rubric))
                        @if !self.single {
                            " The group index is the mean of the respondents' indexes; "
                            "gates are applied to the factor means."
                        }
                    }
                }
            }
        }
    }

    /// The factor table: one sheet's scores, or the group's statistics.
    fn factors(&self) -> Markup {
        html! {
            section id="factors" {
                h2 { "Factor scores" }
                @if self.single {
                    (self.factor_table_single())
                } @else {
                    (self.factor_table_group())
                }
            }
        }
    }

    fn factor_table_single(&self) -> Markup {
        let rubric = self.rubric;
        let rows = rubric
            .rubric
            .factor
            .iter()
            .zip(&self.first[0].1.evaluation.factors);
        let factor = |fi, x: Option<f64>| {
            x.map_or("–".into(), |x| {
                crate::render::num::factor_num(rubric, fi, x)
            })
        };
        let head = html! {
            th { "Factor" } th.n { "Score" } th.n { "Weight" } th.n { "Answered" }
        };
        let body = html! {
            @for (fi, (f, fs)) in rows.enumerate() {
                tr {
                    td { (f.title) }
                    td.n { (factor(fi, fs.score)) }
                    td.n { (crate::render::num::setting_num(f.weight)) }
                    td.n { (fs.answered) " of " (fs.questions) }
                }
            }
        };
        scroll_table("factors", &head, &body)
    }

    fn factor_table_group(&self) -> Markup {
        let (rubric, w) = (self.rubric, self.w);
        let o = |x: Option<f64>| x.map_or("–".into(), num);
        let factor = |fi, x: Option<f64>| {
            x.map_or("–".into(), |x| {
                crate::render::num::factor_num(rubric, fi, x)
            })
        };
        let head = html! {
            th { "Factor" } th.n { "Mean" } th.n { "Median" } th.n { "Spread (stdev)" }
            th.n { "Min" } th.n { "Max" } th.n { "Answered" }
        };
        let body = html! {
            @for (fi, (f, s)) in rubric.rubric.factor.iter().zip(&w.factors).enumerate() {
                tr {
                    td { (f.title) }
                    td.n { (factor(fi, s.mean)) }
                    td.n { (o(s.median)) }
                    td.n { (o(s.stdev)) }
                    td.n { (o(s.min)) }
                    td.n { (o(s.max)) }
                    td.n { (s.answered) " of " (w.respondents) }
                }
            }
        };
        scroll_table("factors", &head, &body)
    }

    fn gates(&self) -> Markup {
        let fired = gate_lines(self.rubric, self.w);
        html! {
            section id="gates" {
                h2 { "Gates" }
                @if fired.is_empty() {
                    p { "No gate fired: the recommendation is the band of the index." }
                } @else {
                    ul { @for g in &fired { li { (g) } } }
                }
            }
        }
    }

    /// How firm the result is: the sheet's flip, or the group's tipping point and
    /// each respondent's flip.
    fn flip(&self) -> Markup {
        let rubric = self.rubric;
        html! {
            section id="flip" {
                h2 { "How firm is it?" }
                @if self.single {
                    @for line in crate::render::words::firmness_lines(rubric, &self.first[0].1.sensitivity) {
                        p { (line) }
                    }
                } @else {
                    p { (tipping_sentence(rubric, self.w.tipping.as_ref())) }
                    p.muted {
                        "Per respondent, the answers one step from changing each one's own result:"
                    }
                    ul { (PreEscaped(FLIPS)) }
                }
            }
        }
    }

    /// The questions the group disagrees on most, with how the answers split.
    fn agenda(&self) -> Markup {
        let rubric = self.rubric;
        let items = self.w.agenda.iter().enumerate().filter_map(|(i, item)| {
            let q = &rubric.rubric.question[rubric.question(&item.question)?];
            Some((i, item, q))
        });
        let head = html! {
            th.n { "#" } th { "Question" } th.n { "Spread" } th { "Answers" }
        };
        let body = html! {
            @for (i, item, q) in items {
                tr {
                    td.n { (i + 1) }
                    td { (q.text) }
                    td.n { (num(item.stdev)) }
                    td {
                        @for (j, (o, c)) in item.split.iter().enumerate() {
                            @if j > 0 { br; }
                            @let option = q.option.iter().find(|x| x.id == *o);
                            (option.map_or(o.as_str(), |x| x.label.as_str())) ": " (c)
                        }
                    }
                }
            }
        };
        html! {
            section id="agenda" {
                h2 { "Agenda for the discussion" }
                p.muted { "The questions the respondents disagree on most come first." }
                (scroll_table("agenda", &head, &body))
            }
        }
    }

    /// The factor means per role and the gaps between roles.
    fn roles(&self) -> Markup {
        let (rubric, w) = (self.rubric, self.w);
        let flags = flag_lines(rubric, w);
        let head = html! {
            th { "Role" } th.n { "Respondents" }
            @for f in &rubric.rubric.factor { th.n { (f.title) } }
        };
        let body = html! {
            @for r in &w.roles {
                tr {
                    td { (r.role) }
                    td.n { (r.respondents) }
                    @for f in &r.factors { td.n { (f.mean.map_or("–".into(), num)) } }
                }
            }
        };
        html! {
            section id="roles" {
                h2 { "Roles" }
                (scroll_table("roles", &head, &body))
                @if flags.is_empty() {
                    p {
                        "No two roles are " (crate::workshop::ROLE_GAP)
                        " points or more apart on any factor."
                    }
                } @else {
                    ul { @for f in &flags { li.flag { "⚑ " (f) } } }
                }
            }
        }
    }

    fn next_steps(&self) -> Markup {
        // A format-3 plan opens with them: said once.
        if self.plan_view().is_some() {
            return html! {};
        }
        let words = crate::render::words::shown_steps;
        let steps: Vec<String> = match self.sheet() {
            Some(r) if r.evaluation.provisional => {
                vec![crate::render::words::provisional_step(&r.evaluation)]
            }
            Some(r) => words(self.rubric, &r.advice)
                .into_iter()
                .map(str::to_string)
                .collect(),
            None => words(self.rubric, &self.w.advice)
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        html! {
            @if !steps.is_empty() {
                section id="next-steps" {
                    h2 { "Next steps" }
                    ol { @for s in &steps { li { (s) } } }
                }
            }
        }
    }

    /// The evidence of a single sheet: every question, the answer chosen and the
    /// sheet's note on it, factor by factor.
    fn answers(&self) -> Markup {
        let rubric = self.rubric;
        let r = &self.first[0].1;
        let rows = rubric.rubric.question.iter().map(|q| {
            let answer = r
                .answers
                .get(&q.id)
                .and_then(|o| q.option.iter().find(|x| x.id == *o))
                .map(|o| o.label.as_str());
            (q, answer, r.notes.get(&q.id))
        });
        let head = html! { th { "Question" } th { "Answer" } th { "Note" } };
        let body = html! {
            @for (q, answer, note) in rows {
                tr {
                    td { (q.text) }
                    td {
                        @match answer {
                            Some(a) => (a),
                            None => span.muted { "not answered" },
                        }
                    }
                    td { (note.map_or("", String::as_str)) }
                }
            }
        };
        html! {
            section id="answers" {
                h2 { "Answers" }
                (scroll_table("answers", &head, &body))
            }
        }
    }

    /// The notes the respondents left on questions.
    fn notes(&self) -> Markup {
        html! {
            section id="notes" {
                h2 { "Notes from the answer sheets" }
                @for n in &self.w.notes {
                    p {
                        strong { (n.respondent) }
                        " on "
                        em { (question_text(self.rubric, &n.question)) }
                    }
                    blockquote { (n.text) }
                }
            }
        }
    }

    fn respondents(&self) -> Markup {
        let head = html! {
            th { "Respondent" } th { "Role" } th.n { "Index" } th { "Result" } th.n { "Answered" }
        };
        let body = html! { (PreEscaped(ROWS)) };
        html! {
            section id="respondents" {
                h2 { "Respondents" }
                (scroll_table("respondents", &head, &body))
            }
        }
    }
}

/// A table that scrolls sideways on a narrow screen: `head` is the cells of its
/// header row, `body` its rows.
fn scroll_table(class: &str, head: &Markup, body: &Markup) -> Markup {
    html! {
        div.scroll {
            table class=(class) {
                thead { tr { (head) } }
                tbody { (body) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::chart::{Series, radar};
    use super::*;

    /// The report of the scored sheets, aggregated as `report` does; `None` when
    /// there is none.
    fn render(rubric: &LoadedRubric, members: &[(ResolvedSheet, SheetResult)]) -> Option<String> {
        render_with(rubric, members, None, None)
    }

    /// [`render`], compared with a baseline (the chart draws it dashed and a Progress
    /// section says what moved) and with the roadmap aimed at `target` (else the band
    /// above the result).
    fn render_with(
        rubric: &LoadedRubric,
        members: &[(ResolvedSheet, SheetResult)],
        baseline: Option<&Comparison>,
        target: Option<crate::rubric::Band>,
    ) -> Option<String> {
        let mut group = crate::workshop::Group::new(rubric);
        let mut b = Builder::new(rubric);
        for (sheet, result) in members {
            group.add(sheet, result);
            b.add(sheet.clone(), result.clone()).ok()?;
        }
        let w = group.finish(target)?;
        let mut out = Vec::new();
        b.finish(&mut out, &w, baseline).ok()?;
        String::from_utf8(out).ok()
    }

    /// Sheet number `k` on `r`: the answers vary with `k`, one note on the first
    /// question. Each text goes into a TOML literal string.
    fn sheet<'r>(
        r: &'r LoadedRubric,
        k: usize,
        [respondent, role, organisation, note]: [&str; 4],
    ) -> (ResolvedSheet, SheetResult<'r>) {
        let mut text = format!(
            "rubric = \"pmo-vmo\"\nrespondent = '{respondent}'\nrole = '{role}'\norganisation = '{organisation}'\n[answers]\n"
        );
        for (i, q) in r.rubric.question.iter().enumerate() {
            let _ = writeln!(
                text,
                "{} = \"{}\"",
                q.id,
                q.option[(i + k) % q.option.len()].id
            );
        }
        let _ = writeln!(text, "[notes]\n{} = '{note}'", r.rubric.question[0].id);
        load(r, &text)
    }

    /// A scored sheet from its TOML text.
    fn load<'r>(r: &'r LoadedRubric, text: &str) -> (ResolvedSheet, SheetResult<'r>) {
        let s =
            crate::input::load_text(r, "s.toml", text, crate::input::SheetFormat::Toml).unwrap();
        let res = crate::result::score(r, s.clone(), true).unwrap();
        (s, res)
    }

    fn members(
        names: &[&str],
    ) -> (
        &'static LoadedRubric,
        Vec<(ResolvedSheet, SheetResult<'static>)>,
    ) {
        let r = crate::testing::embedded();
        let ms = names
            .iter()
            .enumerate()
            .map(|(k, name)| sheet(r, k, [name; 4]))
            .collect();
        (r, ms)
    }

    /// Text that would become a `<u>` element, an entity and the end of an
    /// attribute if it reached the page unescaped; `tag` says where it came from.
    fn mark(tag: &str) -> String {
        format!("<u>{tag}</u>&amp;\"")
    }

    /// The start of `mark(tag)` as it must arrive on the page, for every tag that
    /// starts with `prefix`.
    fn escaped(prefix: &str) -> String {
        format!("&lt;u&gt;{prefix}")
    }

    /// The end of every mark as it must arrive on the page.
    const ESCAPED_END: &str = "&lt;/u&gt;&amp;amp;&quot;";

    /// The embedded rubric with every text the report shows marked.
    fn marked_rubric(r: LoadedRubric) -> LoadedRubric {
        r.changed(|rb| {
            (rb.id, rb.version, rb.title) = (mark("rubric-id"), mark("version"), mark("title"));
            for (i, f) in rb.factor.iter_mut().enumerate() {
                f.title = mark(&format!("factor{i}"));
            }
            for (i, q) in rb.question.iter_mut().enumerate() {
                q.text = mark(&format!("question{i}"));
                for o in &mut q.option {
                    o.label = mark("option");
                }
            }
            for g in &mut rb.gate {
                g.message = mark("gate");
            }
            let recs = rb.recommendation.as_mut().unwrap();
            for rec in [&mut recs.pmo, &mut recs.hybrid, &mut recs.vmo] {
                rec.title = mark("rec-title");
                rec.summary = mark("rec-summary");
                rec.next_steps = vec![crate::rubric::NextStep::Always(mark("next-step"))];
            }
        })
    }

    /// The part of `html` from `start` to the first `end` after it.
    fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
        let at = html.find(start).unwrap_or_else(|| panic!("no {start}"));
        let len = html[at..]
            .find(end)
            .unwrap_or_else(|| panic!("no {end} after {start}"));
        &html[at..at + len]
    }

    /// Asserts that no mark is markup on the page and that each (place, tag) has
    /// a mark escaped in that section (by id) or element (from its start tag to
    /// its end). A tag may be the start of the marks' tags (`question` for any).
    fn assert_escaped_in(html: &str, places: &[(&str, &str)]) {
        assert!(
            !html.contains("<u>"),
            "marked text reached the page as markup"
        );
        // Every mark arrives whole: its `&` and `"` escaped too.
        assert_eq!(
            html.matches(&escaped("")).count(),
            html.matches(ESCAPED_END).count(),
            "a mark arrived partly escaped"
        );
        for (place, tag) in places {
            let text = if place.starts_with('<') {
                let name = place
                    .trim_start_matches('<')
                    .split([' ', '>'])
                    .next()
                    .unwrap();
                part(html, place, &format!("</{name}>"))
            } else {
                part(html, &format!("<section id=\"{place}\">"), "</section>")
            };
            assert!(
                text.contains(&escaped(tag)),
                "{tag} not escaped in {place}: {text}"
            );
        }
    }

    #[test]
    fn group_text_arrives_escaped_in_every_place() {
        let r = crate::testing::v2();
        // These sheets fire a gate and put their roles far apart: two at every
        // lowest option (role0), two at every highest (role1), so each role has the
        // two respondents a role gap needs, and the buy-in gate fires on the means
        // without changing Hybrid.
        let ms: Vec<_> = [false, true, false, true]
            .into_iter()
            .enumerate()
            .map(|(j, top)| {
                let (who, role) = (mark(&format!("who{j}")), mark(&format!("role{}", j % 2)));
                let mut s = sheet(&r, 0, [&who, &role, &mark("org"), &mark("note")]).0;
                for (c, q) in s.choices.iter_mut().zip(&r.rubric.question) {
                    *c = Some(if top { q.option.len() - 1 } else { 0 });
                }
                let res = crate::result::score(&r, s.clone(), true).unwrap();
                (s, res)
            })
            .collect();
        let r = marked_rubric(r.clone());
        let html = render(&r, &ms).unwrap();
        assert_escaped_in(
            &html,
            &[
                ("<title>", "title"),
                ("<title>", "org"),
                ("<header>", "title"),
                ("<header>", "org"),
                ("<header>", "rubric-id"),
                ("<header>", "version"),
                ("recommendation", "rec-title"),
                ("recommendation", "rec-summary"),
                ("<svg", "factor0"),
                ("<svg", "factor3"),
                ("<polygon class=\"series\"", "who0"),
                ("<polygon class=\"series\"", "role0"),
                ("<ul class=\"legend\">", "who1"),
                ("<ul class=\"legend\">", "role1"),
                ("factors", "factor0"),
                ("factors", "factor3"),
                ("gates", "gate"),
                ("flip", "who1"),
                ("flip", "factor0"),
                ("agenda", "question"),
                ("agenda", "option"),
                ("<table class=\"roles\">", "role0"),
                ("<table class=\"roles\">", "factor2"),
                ("<li class=\"flag\">", "role1"),
                ("<li class=\"flag\">", "factor"),
                ("next-steps", "next-step"),
                ("notes", "who0"),
                ("notes", "question0"),
                ("notes", "note"),
                ("respondents", "who1"),
                ("respondents", "role1"),
            ],
        );
    }

    #[test]
    fn single_sheet_text_arrives_escaped_in_every_place() {
        let r = crate::testing::v2();
        // One step from PMO (the delivery record one step down caps it), so "how
        // firm" names a question and two options.
        let text = format!(
            r#"rubric = "pmo-vmo"
respondent = '{}'
role = '{}'
organisation = '{}'

[answers]
maturity-standards = "documented"
maturity-delivery-track-record = "sometimes"
objective-success-measure = "business-case"
authority-funding-decisions = "office-advises"
alignment-strategy-link = "mapped"

[notes]
maturity-standards = '{}'
"#,
            mark("who"),
            mark("role"),
            mark("org"),
            mark("note"),
        );
        let ms = vec![load(&r, &text)];
        let r = marked_rubric(r.clone());
        let html = render(&r, &ms).unwrap();
        assert_escaped_in(
            &html,
            &[
                ("<title>", "org"),
                ("<header>", "who"),
                ("<ul class=\"legend\">", "who"),
                ("factors", "factor1"),
                ("flip", "question"),
                ("flip", "option"),
                ("answers", "question"),
                ("answers", "option"),
                ("answers", "note"),
                ("respondents", "who"),
                ("respondents", "role"),
            ],
        );
    }

    #[test]
    fn a_single_sheet_report_lists_every_question_with_its_answer_and_note() {
        let r = crate::testing::v2();
        let text = "rubric = \"pmo-vmo\"\n[answers]\nmaturity-standards = \"documented\"\n\
                    authority-stakeholder-buy-in = \"resist\"\n[notes]\n\
                    maturity-standards = \"Handbook in use since 2021\"\n";
        let html = render(&r, &[load(&r, text)]).unwrap();
        let answers = part(&html, "<section id=\"answers\">", "</section>");
        assert_eq!(answers.matches("<tr>").count(), 1 + r.rubric.question.len());
        for q in &r.rubric.question {
            let shown = maud::html! { (q.text) }.into_string();
            assert!(answers.contains(&shown), "{}", q.id);
        }
        assert!(answers.contains("A documented method most projects follow"));
        assert!(answers.contains("Handbook in use since 2021"));
        assert_eq!(answers.matches("not answered").count(), 18);
        // Two answers: provisional, said before the verdict, with no title or summary.
        let verdict = part(&html, "<section id=\"recommendation\">", "</section>");
        let said = verdict
            .find("Provisional: based on 2 of 20 answers")
            .unwrap();
        assert!(said < verdict.find("class=\"band\"").unwrap());
        for b in crate::rubric::Band::LADDER {
            let rec = r.rubric.recommendation.as_ref().unwrap().get(b);
            assert!(!verdict.contains(&rec.summary), "{b:?}");
        }
    }

    #[test]
    fn roles_on_the_chart_arrive_escaped() {
        let r = crate::testing::v2();
        let ms: Vec<_> = (0..=MAX_POLYGONS)
            .map(|k| {
                let role = mark(&format!("role{}", k % 2));
                sheet(&r, k, [&format!("p{k}"), &role, "org", "note"])
            })
            .collect();
        let html = render(&r, &ms).unwrap();
        assert_escaped_in(
            &html,
            &[
                ("<polygon class=\"series\"", "role0"),
                ("<ul class=\"legend\">", "role1"),
            ],
        );
    }

    #[test]
    fn strips_text_arrives_escaped() {
        let r = marked_rubric(crate::testing::v2()).changed(|rb| rb.factor.truncate(2));
        let series = [Series {
            name: mark("series"),
            values: vec![Some(40.0), Some(60.0)],
        }];
        let svg = radar(&r, &series, &[Some(40.0), Some(60.0)], None).into_string();
        assert!(
            !svg.contains("<polygon class=\"grid\""),
            "not the strips: {svg}"
        );
        assert_escaped_in(
            &svg,
            &[("<text", "factor0"), ("<circle class=\"series\"", "series")],
        );
    }

    #[test]
    fn user_text_never_reaches_the_page_unescaped() {
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let (r, ms) = members(&[evil, "Bob & <b>Co</b>"]);
        let html = render(r, &ms).unwrap();
        assert!(!html.contains("<script"), "a script element leaked");
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>Co"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Bob &amp; &lt;b&gt;Co&lt;/b&gt;"));
    }

    #[test]
    fn self_contained_and_complete() {
        let (r, ms) = members(&["Ann", "Bob", "Cy"]);
        let html = render(r, &ms).unwrap();
        // Nothing fetched from elsewhere.
        for bad in ["<link", "src=", "@import", "url(", "http://", "https://"] {
            assert!(
                !html.contains(bad) || (bad == "http://" && html.matches(bad).count() == 1),
                "{bad}"
            );
        }
        // The only http:// is the SVG namespace, which is not fetched.
        assert!(html.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        // One polygon per respondent plus the group, over 4 grid rings and 2 boundaries.
        assert_eq!(html.matches("class=\"series\"").count(), 3);
        assert_eq!(html.matches("class=\"group\"").count(), 1);
        for id in [
            "recommendation",
            "chart",
            "factors",
            "gates",
            "flip",
            "agenda",
            "roles",
            "notes",
            "respondents",
        ] {
            assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
        }
        assert!(html.contains("@media print"));
        assert!(html.contains("name=\"viewport\""));
    }

    #[test]
    fn one_respondent_gets_the_sheet_flip_and_one_shape() {
        let (r, ms) = members(&["Solo"]);
        let html = render(r, &ms).unwrap();
        assert_eq!(html.matches("class=\"series\"").count(), 0);
        assert_eq!(html.matches("class=\"group\"").count(), 1);
        let firm = crate::render::words::firmness_lines(r, &ms[0].1.sensitivity);
        let firm = html! { (firm[0]) }.into_string();
        assert!(html.contains(&firm), "{firm}");
        // No group-only sections for one person.
        assert!(!html.contains("<section id=\"agenda\">"));
        assert!(!html.contains("<section id=\"roles\">"));
    }

    #[test]
    fn many_respondents_are_drawn_per_role() {
        let names: Vec<String> = (0..10).map(|i| format!("p{}", i % 3)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (r, ms) = members(&refs);
        let html = render(r, &ms).unwrap();
        // Roles p0, p1, p2.
        assert_eq!(html.matches("class=\"series\"").count(), 3);
        assert!(html.contains("One shape per role."));
    }

    #[test]
    fn a_baseline_is_drawn_dashed_and_its_progress_listed() {
        let r = crate::testing::v2();
        let before = sheet(&r, 0, ["Ann", "pm", "Acme", "n"]);
        let mut after = sheet(&r, 1, ["Ann", "pm", "Acme", "n"]);
        after.0.sheet.date = crate::input::date::SheetDate::parse("2026-11-25");
        let mut b = before.clone();
        b.0.sheet.date = crate::input::date::SheetDate::parse("2026-05-04");
        let c = crate::compare::compare(&r, std::slice::from_ref(&b), std::slice::from_ref(&after))
            .unwrap();
        let html = render_with(&r, std::slice::from_ref(&after), Some(&c), None).unwrap();
        assert_eq!(
            html.matches("class=\"baseline\"").count(),
            1,
            "one dashed shape"
        );
        assert!(html.contains("id=\"progress\""));
        assert!(html.contains("Baseline (2026-05-04)"));
        let progress = part(&html, "id=\"progress\"", "</section>");
        assert!(progress.contains("Baseline: 2026-05-04, 1 sheet. Now: 2026-11-25, 1 sheet."));
        assert!(progress.contains(&crate::render::compare::change(c.index_change)));
        // Without a baseline, neither.
        let plain = render(&r, std::slice::from_ref(&after)).unwrap();
        assert!(!plain.contains("class=\"baseline\"") && !plain.contains("id=\"progress\""));
    }
}
