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
mod docx;
mod progress;
mod roadmap;
mod style;
mod summary;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::brand::{Brand, Logo};
use crate::compare::Comparison;
use crate::input::sheet::ResolvedSheet;
use crate::render::num;
use crate::render::workshop::{bare_counts, counts, flag_lines, lead, tipping_sentence};
use crate::result::SheetResult;
use crate::rubric::LoadedRubric;
use crate::spill::Spill;
use crate::workshop::Workshop;
use std::fmt::Write as _;
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

/// At most this many questions on the agenda in the body; the appendix has all.
const AGENDA: usize = 5;

/// How respondents are named: as their sheets name them, or (anonymous) as R1..Rn
/// in order of first appearance, the same respondent the same number.
#[derive(Debug, Default)]
struct Names {
    anonymous: bool,
    numbers: indexmap::IndexMap<String, usize>,
}

impl Names {
    /// Counts a respondent in.
    fn add(&mut self, who: &str) {
        if self.anonymous && !self.numbers.contains_key(who) {
            let n = self.numbers.len() + 1;
            self.numbers.insert(who.to_string(), n);
        }
    }

    /// The name to show for `who` (a name, or a sheet's source).
    fn of(&self, who: &str) -> String {
        if !self.anonymous {
            return who.to_string();
        }
        self.numbers
            .get(who)
            .map_or_else(|| "A respondent".to_string(), |n| format!("R{n}"))
    }

    /// The name to show for a member.
    fn member(&self, m: &SheetResult) -> String {
        self.of(&display_name(m))
    }
}

/// A CSS string that shows `text`: every character but letters, digits and
/// spaces written as a CSS escape, so nothing in it can end the string or the
/// style element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in crate::render::clean::printable_line(text).chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// A logo as a `data:` URI.
fn data_uri(logo: &Logo) -> String {
    format!("data:{};base64,{}", logo.mime, base64(&logo.bytes))
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
    names: Names,
    brand: Brand,
    logo: Option<Logo>,
    /// A Word document's respondents table, kept when one is asked for.
    docx_rows: Option<Vec<Vec<String>>>,
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
            names: Names::default(),
            brand: Brand::default(),
            logo: None,
            docx_rows: None,
        }
    }

    /// Writes a Word document (`.docx`) instead of the HTML page: the respondents'
    /// rows are kept in memory for its table. Set before the first member is added.
    pub fn docx(&mut self) {
        self.docx_rows = Some(Vec::new());
    }

    /// Names the respondents R1..Rn (with their roles) instead of by name; notes
    /// are kept, under the number. Set before the first member is added.
    pub fn anonymous(&mut self) {
        self.names.anonymous = true;
    }

    /// The firm's brand: name, logo (its bytes, embedded in the page), accent
    /// colour and the footer line of every printed page.
    pub fn brand(&mut self, brand: Brand, logo: Option<Logo>) {
        self.brand = brand;
        self.logo = logo;
    }

    /// How many members so far.
    pub fn members(&self) -> usize {
        self.count
    }

    /// Adds one scored sheet.
    pub fn add(&mut self, sheet: ResolvedSheet, result: SheetResult<'r>) -> io::Result<()> {
        self.count += 1;
        self.names.add(&display_name(&result));
        self.roleless |= result.role.is_none();
        if let Some(o) = result.organisation.as_deref() {
            match &self.org {
                Org::None => self.org = Org::One(o.to_string()),
                Org::One(x) if x != o => self.org = Org::Several,
                _ => {}
            }
        }
        let name = self.names.member(&result);
        if let Some(rows) = &mut self.docx_rows {
            let e = &result.evaluation;
            let role = (result.role.as_deref())
                .map(|r| summary::role_words(self.rubric, r))
                .unwrap_or_default();
            let mut shown = e.recommendation.label().to_string();
            if e.provisional {
                shown.push_str(" (provisional: too few answers)");
            }
            rows.push(vec![
                name.clone(),
                role,
                crate::render::num::index_num(self.rubric, e.index),
                shown,
                format!("{} of {}", e.answered, e.questions),
            ]);
        }
        self.flips.write_all(
            flip_item(self.rubric, &name, &result)
                .into_string()
                .as_bytes(),
        )?;
        self.rows.write_all(
            respondent_row(self.rubric, &name, &result)
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
            names: &self.names,
            brand: &self.brand,
            logo: self.logo.as_ref(),
        };
        if let Some(rows) = &self.docx_rows {
            return out.write_all(&report.docx(rows)?);
        }
        // Sheet and rubric text may hold direction overrides: shown, never obeyed.
        let mut safe = crate::render::clean::BidiSafe::new(out);
        let out: &mut dyn Write = &mut safe;
        let page = report.page().into_string();
        let mut rest = page.as_str();
        // The lists go in where their marks are, in the order the page has them.
        let mut marks = [(FLIPS, self.flips), (ROWS, self.rows)];
        marks.sort_by_key(|(mark, _)| page.find(mark).unwrap_or(usize::MAX));
        for (mark, spill) in marks {
            if let Some((before, after)) = rest.split_once(mark) {
                out.write_all(before.as_bytes())?;
                spill.copy_to(out)?;
                rest = after;
            }
        }
        out.write_all(rest.as_bytes())?;
        safe.finish()
    }
}

/// One member in the list of each respondent's flip.
fn flip_item(rubric: &LoadedRubric, name: &str, m: &SheetResult) -> Markup {
    html! {
        li {
            strong { (name) }
            " (" (m.evaluation.recommendation.label()) "): "
            (crate::render::words::firmness_lines(rubric, &m.sensitivity).join(" "))
        }
    }
}

/// One member's row of the respondents table.
fn respondent_row(rubric: &LoadedRubric, name: &str, m: &SheetResult) -> Markup {
    let e = &m.evaluation;
    html! {
        tr {
            td { (name) }
            td { (m.role.as_deref().map(|r| summary::role_words(rubric, r)).unwrap_or_default()) }
            td.n { (crate::render::num::index_num(rubric, e.index)) }
            td {
                (e.recommendation.label())
                @if e.provisional { " (provisional: too few answers)" }
            }
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
    /// How respondents are named.
    names: &'a Names,
    brand: &'a Brand,
    logo: Option<&'a Logo>,
}

impl Report<'_> {
    /// The whole page, section by section: the cover and executive summary (page
    /// one in print), the detail, where people disagree, who answered, and an
    /// appendix with the full lists.
    fn page(&self) -> Markup {
        let title = self.title();
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    // The only markup not escaped: a constant of this file, and the
                    // brand's colour (checked `#rrggbb`) with the running lines of the
                    // printed pages as CSS strings whose every other character is a
                    // CSS escape (`css_string`): nothing in them can end the element.
                    style { (PreEscaped(CSS)) }
                    style { (PreEscaped(self.page_css())) }
                }
                body {
                    main {
                        (self.summary())
                        (self.recommendation())
                        @if let Some(c) = self.baseline {
                            (progress::section(self.rubric, c))
                        }
                        (self.chart())
                        (self.factors())
                        (self.gates())
                        (self.flip())
                        (self.next_steps())
                        (self.roadmap())
                        @if !self.single && (!self.w.agenda.is_empty() || !self.w.roles.is_empty()) {
                            (self.disagreement())
                        }
                        @if self.single {
                            (self.answers())
                        }
                        (self.respondents())
                        (self.appendix())
                        footer {
                            @if let Some(f) = &self.brand.footer {
                                p.confidential { (f) }
                            }
                            p.muted {
                                "Made with pmo-vmo " (env!("CARGO_PKG_VERSION")) " from "
                                (self.count) " answer sheet" @if !self.single { "s" }
                                ", against the questionnaire \u{201c}" (self.rubric.rubric.title)
                                "\u{201d} (version " (self.rubric.rubric.version) ")."
                            }
                        }
                    }
                }
            }
        }
    }

    /// The page's own CSS: the accent colour, and the running header and footer
    /// of printed pages.
    fn page_css(&self) -> String {
        let mut css = String::new();
        if let Some(c) = self.brand.accent {
            let _ = writeln!(css, ":root {{ --accent: {}; }}", c.hex());
        }
        let head = match (&self.brand.firm, self.org) {
            (Some(f), Some(o)) => format!("{o} \u{b7} {f}"),
            (Some(f), None) => f.clone(),
            (None, Some(o)) => o.to_string(),
            (None, None) => self.rubric.rubric.title.clone(),
        };
        let foot = self.brand.footer.clone().unwrap_or_default();
        let _ = writeln!(
            css,
            "@page {{ @top-left {{ content: {}; }} @bottom-left {{ content: {}; }} }}\n@page :first {{ @top-left {{ content: none; }} }}",
            css_string(&head),
            css_string(&foot)
        );
        css
    }

    /// The firm's logo and name on the cover.
    fn brand_mark(&self) -> Markup {
        html! {
            @if self.logo.is_some() || self.brand.firm.is_some() {
                div.brand {
                    @if let Some(logo) = self.logo {
                        img.logo src=(data_uri(logo)) alt=(self.brand.firm.as_deref().unwrap_or("Logo"));
                    }
                    @if let Some(f) = &self.brand.firm { span.firm { (f) } }
                }
            }
        }
    }

    /// The firm that prepared the report, when the brand names one.
    fn firm(&self) -> Option<&str> {
        self.brand.firm.as_deref()
    }

    /// The rubric's title, and the organisation when all sheets name the same one.
    fn title(&self) -> String {
        match self.org {
            Some(org) => format!("{} · {org}", self.rubric.rubric.title),
            None => self.rubric.rubric.title.clone(),
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
            Some(r) => r
                .advice
                .lead_texts(self.rubric)
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
                            "The scores alone point to " (w.band.label()) "; a warning sign changed it."
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
                        @if !self.single {
                            span {
                                "Each respondent's own result: "
                                @if self.names.anonymous { (bare_counts(w)) } @else { (counts(w)) }
                            }
                        }
                    }
                    p { (self.firmness()) }
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
            th { "Factor" } th.n { "Score" } th.n { "Answered" }
        };
        let body = html! {
            @for (fi, (f, fs)) in rows.enumerate() {
                tr {
                    td { (f.title) }
                    td.n { (factor(fi, fs.score)) }
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
            th { "Factor" } th.n { "Mean" } th.n { "Median" } th.n { "Spread" }
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

    /// The warning signs that fired, in words: each message, and what it did to
    /// the result.
    fn gates(&self) -> Markup {
        let fired =
            crate::render::words::gate_sentences(self.rubric, &self.w.gates, self.w.recommendation);
        html! {
            section id="gates" {
                h2 { "Warning signs" }
                @if fired.is_empty() {
                    p { "None: the recommendation follows from the scores alone." }
                } @else {
                    ul { @for g in &fired { li { (g) } } }
                }
            }
        }
    }

    /// How firm the result is: the sheet's flip, or the group's tipping point
    /// (each respondent's own flip is in the appendix).
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
                    p { (self.firmness()) }
                    p { (tipping_sentence(rubric, self.w.tipping.as_ref())) }
                }
            }
        }
    }

    /// Where people disagree: the questions answered most differently (those
    /// with any spread, at most [`AGENDA`]) with the notes left on them, and the
    /// largest gaps between roles.
    fn disagreement(&self) -> Markup {
        let rubric = self.rubric;
        let items: Vec<_> = (self.w.agenda.iter())
            .filter(|item| item.stdev > 0.0)
            .take(AGENDA)
            .filter_map(|item| {
                let q = &rubric.rubric.question[rubric.question(&item.question)?];
                Some((item, q))
            })
            .collect();
        let item = |n: usize, item: &crate::workshop::AgendaItem, q: &crate::rubric::Question| {
            html! {
                li.item value=(n) {
                    p { strong { (q.text) } }
                    p.split {
                        @for (j, (o, c)) in item.split.iter().enumerate() {
                            @if j > 0 { " · " }
                            @let option = q.option.iter().find(|x| x.id == *o);
                            (option.map_or(o.as_str(), |x| x.label.as_str())) ": " (c)
                        }
                    }
                    @for n in self.w.notes.iter().filter(|n| n.question == item.question) {
                        blockquote {
                            (n.text)
                            span.who { " \u{2014} " (self.names.of(&n.respondent)) }
                        }
                    }
                }
            }
        };
        html! {
            section id="agenda" {
                // The heading, its introduction and the first question stay on one page.
                div.keep {
                    h2 { "Where people disagree" }
                    @if items.is_empty() {
                        p { "The respondents gave the same answer to every question they all answered." }
                    } @else {
                        p.muted {
                            "The questions the respondents answered most differently, most divided "
                            "first, with the notes they left on them: the agenda for the discussion."
                        }
                        ol.agenda { (item(1, items[0].0, items[0].1)) }
                    }
                }
                @if items.len() > 1 {
                    ol.agenda start="2" {
                        @for (k, (it, q)) in items.iter().enumerate().skip(1) {
                            (item(k + 1, it, q))
                        }
                    }
                }
                @if !self.w.roles.is_empty() {
                    (self.roles())
                }
            }
        }
    }

    /// Every question someone answered, most divided first: the appendix's list.
    fn agenda_table(&self) -> Markup {
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
                    // A context question has no scores, so no spread.
                    td.n { @if item.stdev.is_finite() { (num(item.stdev)) } @else { "–" } }
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
        scroll_table("agenda", &head, &body)
    }

    /// The factor means per role and the largest gaps between roles.
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
                    td { (summary::role_words(rubric, &r.role)) }
                    td.n { (r.respondents) }
                    @for f in &r.factors { td.n { (f.mean.map_or("–".into(), num)) } }
                }
            }
        };
        html! {
            div id="roles" {
                h3 { "By role" }
                (scroll_table("roles", &head, &body))
                @if flags.is_empty() {
                    p {
                        "No two roles of two or more respondents are " (crate::workshop::ROLE_GAP)
                        " points or more apart on any factor."
                    }
                } @else {
                    ul {
                        @for f in &flags { li.flag { "⚑ " (f) } }
                        @if w.more_flags > 0 {
                            li.muted { "and " (crate::render::words::count(w.more_flags, "smaller gap", "smaller gaps")) " of that size" }
                        }
                    }
                }
            }
        }
    }

    fn next_steps(&self) -> Markup {
        // A format-3 plan opens with them: said once.
        if self.plan_view().is_some() {
            return html! {};
        }
        let steps: Vec<String> = match self.sheet() {
            Some(r) if r.evaluation.provisional => {
                vec![crate::render::words::provisional_step(&r.evaluation)]
            }
            Some(r) => r
                .advice
                .shown_steps(self.rubric)
                .into_iter()
                .map(str::to_string)
                .collect(),
            None => self
                .w
                .advice
                .shown_steps(self.rubric)
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

    /// Every note the respondents left, with who left it.
    fn notes(&self) -> Markup {
        html! {
            div id="notes" {
                h3 { "Every note from the answer sheets" }
                @for n in &self.w.notes {
                    blockquote {
                        p.about { em { (question_text(self.rubric, &n.question)) } }
                        (n.text)
                        span.who { " \u{2014} " (self.names.of(&n.respondent)) }
                    }
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

    /// The full lists: every question by how divided it is, every note, each
    /// respondent's own flip, and how the result is worked out.
    fn appendix(&self) -> Markup {
        html! {
            section id="appendix" {
                h2 { "Appendix" }
                @if !self.single && self.w.agenda.len() > AGENDA {
                    h3 { "Every question, most divided first" }
                    (self.agenda_table())
                }
                @if !self.single && !self.w.notes.is_empty() {
                    (self.notes())
                }
                @if !self.single {
                    h3 { "How firm each respondent's own result is" }
                    p.muted { "The answers one step from changing each one's own result:" }
                    ul.flips { (PreEscaped(FLIPS)) }
                }
                h3 { "How the result is worked out" }
                p {
                    (crate::render::words::bands_sentence(self.rubric))
                    @if !self.single {
                        " The group index is the mean of the respondents' indexes; the warning "
                        "signs read the group's mean on each factor."
                    }
                }
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
                ("<header class=\"cover\">", "title"),
                ("<header class=\"cover\">", "org"),
                ("<footer>", "title"),
                ("<footer>", "version"),
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
                ("appendix", "who1"),
                ("flip", "factor0"),
                ("agenda", "question"),
                ("agenda", "option"),
                ("<table class=\"roles\">", "role0"),
                ("<table class=\"roles\">", "factor2"),
                ("<li class=\"flag\">", "role1"),
                ("<li class=\"flag\">", "factor"),
                ("next-steps", "next-step"),
                ("appendix", "question0"),
                ("appendix", "note"),
                ("agenda", "note"),
                ("agenda", "who0"),
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
                ("<header class=\"cover\">", "org"),
                ("<header class=\"cover\">", "title"),
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
                !html.contains(bad)
                    || (bad == "http://"
                        && html.matches(bad).count()
                            == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()),
                "{bad}"
            );
        }
        // The only http:// is the SVG namespace (of the bars and the radar), which is
        // not fetched.
        assert_eq!(
            html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
            2
        );
        // One polygon per respondent plus the group, over 4 grid rings and 2 boundaries.
        assert_eq!(html.matches("class=\"series\"").count(), 3);
        assert_eq!(html.matches("class=\"group\"").count(), 1);
        for id in [
            "recommendation",
            "chart",
            "factors",
            "summary",
            "gates",
            "flip",
            "agenda",
            "respondents",
            "appendix",
        ] {
            assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
        }
        // The summary first; the roles and every note inside their sections.
        let body = &html[html.find("<body>").unwrap()..];
        assert!(
            body.find("<section id=\"summary\">") < body.find("<section id=\"recommendation\">")
        );
        for id in ["roles", "notes"] {
            assert!(html.contains(&format!("<div id=\"{id}\">")), "{id}");
        }
        assert!(html.contains("@page"));
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

    /// The bars (issue 27): one per factor with the group's mean, the spread of the
    /// respondents' scores where they differ; the radar only where it reads (up to
    /// four shapes), the bars always.
    #[test]
    fn the_bars_show_each_factor_s_mean_and_spread_and_the_radar_only_where_it_reads() {
        let (r, ms) = members(&["Ann", "Bob", "Cy"]);
        let html = render(r, &ms).unwrap();
        let bars = part(&html, "<svg class=\"bars\"", "</svg>");
        let factors = r.rubric.factor.len();
        assert_eq!(bars.matches("class=\"mean\"").count(), factors, "{bars}");
        // The three sheets differ, so at least one factor has a spread.
        assert!(bars.contains("class=\"spread\""), "{bars}");
        assert!(
            html.contains("class=\"group\""),
            "three shapes: the radar is drawn"
        );
        let names: Vec<String> = (0..6).map(|i| format!("n{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (r, ms) = members(&refs);
        let html = render(r, &ms).unwrap();
        assert!(html.contains("<svg class=\"bars\""));
        assert!(!html.contains("class=\"group\""), "six shapes: no radar");
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
        let factors = r.rubric.factor.len();
        assert_eq!(
            html.matches("class=\"baseline\"").count(),
            1 + factors,
            "one dashed shape on the radar, one band behind each factor's bar"
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
