//! The recommendation table for people (comfy-table lives only here): a detailed
//! table per sheet that explains itself, then a summary of all sheets.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::num::{index_num, num, opt_factor_num};
use super::words::leaning;
use super::{Output, Style};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::{Band, LoadedRubric};

/// Above this many sheets, only the summary is shown unless detail is asked for.
pub(crate) const DETAIL_LIMIT: usize = 20;

/// `score`'s table: drawn at the end (a detailed table per sheet, then the
/// summary). Only what will be drawn is kept: every result while its detail may
/// be shown (up to [`DETAIL_LIMIT`] sheets, or all when detail is asked for), and
/// for the summary a row per sheet, not the result (a few hundred bytes, not
/// kilobytes: 100,000 rows of an export).
pub(crate) struct TableOutput<'a, 'r, W: Write> {
    rubric: &'a LoadedRubric,
    style: Style,
    out: W,
    /// The results whose detail may be drawn; emptied once it will not be.
    results: Vec<SheetResult<'r>>,
    /// The summary's row of every sheet so far.
    rows: Vec<SummaryRow>,
    errors: usize,
}

impl<'a, W: Write> TableOutput<'a, '_, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, style: Style, out: W) -> Self {
        TableOutput {
            rubric,
            style,
            out,
            results: Vec::new(),
            rows: Vec::new(),
            errors: 0,
        }
    }

    /// Whether the detail of `n` sheets is drawn: asked for, or up to
    /// [`DETAIL_LIMIT`] sheets; one sheet always is.
    fn shows_detail(&self, n: usize) -> bool {
        n <= 1 || self.style.detail.unwrap_or(n <= DETAIL_LIMIT)
    }
}

impl<'r, W: Write> Output<SheetResult<'r>> for TableOutput<'_, 'r, W> {
    fn item(&mut self, result: &SheetResult<'r>) -> io::Result<()> {
        self.rows.push(SummaryRow::of(result));
        let n = self.rows.len();
        if self.shows_detail(n) {
            self.results.push(result.clone());
        } else if !self.results.is_empty() {
            // Past the limit: no detail will be drawn, the summary needs only rows.
            self.results = Vec::new();
        }
        Ok(())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        self.errors += 1;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let many = self.rows.len() > 1;
        let show_detail = self.shows_detail(self.rows.len());
        if show_detail {
            for (i, r) in self.results.iter().enumerate() {
                if i > 0 {
                    writeln!(self.out)?;
                }
                self.out
                    .write_all(detail(self.rubric, r, self.style).as_bytes())?;
            }
        }
        if many {
            if show_detail {
                writeln!(self.out)?;
            }
            self.out
                .write_all(summary_of(self.rubric, &self.rows, self.style).as_bytes())?;
        }
        self.out.flush()
    }
}

/// The longest word a table cell shows whole; a longer one is cut with "…"
/// ([`crate::render::clean::cut_long_words`]), which keeps wrapping fast.
pub(crate) const LONGEST_WORD: usize = 300;

/// A cell of text from a rubric, a sheet or a file name: cleaned for the terminal
/// and with over-long words cut. Every text cell of every table goes through here.
pub(crate) fn text(s: &str) -> Cell {
    use crate::render::clean::{cut_long_words, printable};
    Cell::new(cut_long_words(&printable(s), LONGEST_WORD))
}

/// The longest word a column is kept wide enough for; a longer one (a path, an id)
/// may still be cut, as `text` cuts words longer than [`LONGEST_WORD`].
const KEEP_WORD: usize = 24;

/// Keeps every word of a table whole: each column at least as wide as its longest
/// word (up to [`KEEP_WORD`] columns), so that comfy-table, which cuts a word that
/// does not fit its column, wraps between words instead. Columns with a
/// constraint of their own keep it. Call once the rows are in.
pub(crate) fn keep_words(t: &mut Table) {
    let longest = |cell: &Cell| {
        (cell.content().split_whitespace())
            .map(console::measure_text_width)
            .max()
            .unwrap_or(0)
    };
    let mut widths: Vec<usize> = Vec::new();
    let rows = t.header().into_iter().chain(t.row_iter());
    for row in rows {
        for (i, cell) in row.cell_iter().enumerate() {
            if widths.len() <= i {
                widths.resize(i + 1, 0);
            }
            widths[i] = widths[i].max(longest(cell).min(KEEP_WORD));
        }
    }
    for (c, w) in t.column_iter_mut().zip(widths) {
        if c.constraint().is_none() && w > 0 {
            let w = u16::try_from(w).unwrap_or(u16::MAX);
            c.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(
                comfy_table::Width::Fixed(w),
            ));
        }
    }
}

/// The table as text: drawn when no word of it is cut, else stacked (each row a block of "Header: value" lines, wrapped between
/// words), so that no word is ever cut at a narrow terminal.
pub(crate) fn fitted(mut t: Table, style: Style) -> String {
    let drawn = t.to_string();
    if !cuts_words(&t, &drawn) {
        return drawn;
    }
    // comfy-table cut a word: ask it again with each column as wide as its longest
    // word, and check what it drew, word by word, against the cells.
    keep_words(&mut t);
    let drawn = t.to_string();
    if !cuts_words(&t, &drawn) {
        return drawn;
    }
    stacked(&t, usize::from(style.width.unwrap_or(100)))
}

/// Whether a drawn table shows a piece of a word that no cell has whole.
fn cuts_words(t: &Table, drawn: &str) -> bool {
    let cells: Vec<String> = (t.header().into_iter().chain(t.row_iter()))
        .flat_map(|row| row.cell_iter().map(Cell::content))
        .collect();
    let whole: std::collections::HashSet<&str> =
        cells.iter().flat_map(|c| c.split_whitespace()).collect();
    drawn
        .lines()
        .filter(|l| !l.starts_with(['╭', '╞', '├', '╰']))
        .flat_map(|l| l.split(['│', '┆']).flat_map(str::split_whitespace))
        .any(|w| !whole.contains(w))
}

/// A table as blocks, one per row: its first cell, then each other cell under its
/// header (a table without a header: "first: second").
fn stacked(t: &Table, width: usize) -> String {
    let wrap = |text: &str, first: &str, rest: &str| {
        let options = textwrap::Options::new(width.max(20))
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .initial_indent(first)
            .subsequent_indent(rest);
        textwrap::fill(text, options)
    };
    let head: Vec<String> = t
        .header()
        .map(|h| h.cell_iter().map(Cell::content).collect())
        .unwrap_or_default();
    let mut out = String::new();
    for row in t.row_iter() {
        let cells: Vec<String> = row.cell_iter().map(Cell::content).collect();
        let Some((first, rest)) = cells.split_first() else {
            continue;
        };
        if head.is_empty() {
            let text = format!("{first}: {}", rest.join(" ").replace('\n', " / "));
            out.push_str(&wrap(&text, "", "    "));
            out.push('\n');
            continue;
        }
        out.push_str(&wrap(&first.replace('\n', " "), "", "  "));
        out.push('\n');
        // Short cells share a line ("Mean: 4.5 · Median: 4.5"); long ones get their own.
        let mut short = Vec::new();
        let mut long = Vec::new();
        for (h, c) in head.iter().skip(1).zip(rest) {
            if c.trim().is_empty() {
                continue;
            }
            let label = if h.trim().is_empty() {
                String::new()
            } else {
                format!("{}: ", h.replace('\n', " "))
            };
            let text = format!("{label}{}", c.replace('\n', " / "));
            if c.contains('\n') || console::measure_text_width(c) > KEEP_WORD {
                long.push(text);
            } else {
                short.push(text);
            }
        }
        if !short.is_empty() {
            out.push_str(&wrap(&short.join(" · "), "  ", "  "));
            out.push('\n');
        }
        for text in long {
            out.push_str(&wrap(&text, "  ", "      "));
            out.push('\n');
        }
    }
    out
}

/// Text around the tables wrapped to `style.width` between words (a line of a
/// drawn table is left as it is; it already fits). Without a width, unchanged.
pub(crate) fn wrap_prose(text: &str, style: Style) -> String {
    let Some(width) = style.width.map(usize::from) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        let drawn = bare.starts_with(['╭', '│', '╞', '├', '╰']);
        if drawn || console::measure_text_width(bare) <= width {
            out.push_str(line);
            continue;
        }
        let indent: String = bare.chars().take_while(|c| *c == ' ').collect();
        let hang = format!("{indent}  ");
        let options = textwrap::Options::new(width)
            .break_words(false)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .initial_indent(&indent)
            .subsequent_indent(&hang);
        out.push_str(&textwrap::fill(bare.trim_start(), options));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// A table in the house style, fitted to `style.width`.
/// Without a width (output piped), text-heavy tables are kept to 100 columns.
pub(crate) fn new_table(style: Style) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED.with_rounded_corners());
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(style.width.unwrap_or(100));
    if !style.color {
        t.force_no_tty();
    } else {
        t.enforce_styling();
    }
    t
}

fn band_color(b: Band) -> Color {
    match b {
        Band::Pmo => Color::Blue,
        Band::Hybrid => Color::Yellow,
        Band::Vmo => Color::Green,
        Band::None => Color::Grey,
        Band::Both => Color::Cyan,
        Band::Federated => Color::Magenta,
    }
}

fn styled(s: impl ToString, style: Style, band: Option<Band>, bold: bool) -> Cell {
    let mut c = text(&s.to_string());
    if style.color {
        if let Some(b) = band {
            c = c.fg(band_color(b));
        }
        if bold {
            c = c.add_attribute(Attribute::Bold);
        }
    }
    c
}

/// A bar of `width` cells for a 0..=100 score, with eighth-block precision.
pub(crate) fn bar(score: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = ((score.clamp(0.0, 100.0) / 100.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8]);
    }
    let used = s.chars().count();
    s.push_str(&"·".repeat(width.saturating_sub(used)));
    s
}

/// The heading line above a sheet's table.
pub(crate) fn heading(r: &SheetResult) -> String {
    let mut who = Vec::new();
    if let Some(n) = &r.respondent {
        who.push(n.clone());
    }
    if let Some(role) = &r.role {
        who.push(format!("({role})"));
    }
    if let Some(o) = &r.organisation {
        who.push(format!("· {o}"));
    }
    // Names come from sheets and exports: no escape sequence reaches the terminal.
    let line = if who.is_empty() {
        crate::render::words::short_source(&r.source)
    } else {
        format!(
            "{} · {}",
            crate::render::words::short_source(&r.source),
            who.join(" ")
        )
    };
    let line = crate::render::clean::printable_line(&line);
    crate::render::clean::cut_long_words(&line, LONGEST_WORD).into_owned()
}

/// The full, self-explaining table for one sheet; a provisional result says so
/// first, under the heading.
pub fn detail(rubric: &LoadedRubric, r: &SheetResult, style: Style) -> String {
    let mut t = factor_table(rubric, r, style);
    if !r.evaluation.axes.is_empty() {
        t = format!("{t}\n{}", axis_table(rubric, r, style));
    }
    let v = verdict_table(rubric, r, style);
    let m = match crate::render::plan::PlanView::of_sheet(rubric, r) {
        Some(view) => plan(rubric, &view, style),
        None => crate::render::roadmap::View::of_sheet(rubric, r)
            .map(|view| roadmap(rubric, &view, style))
            .unwrap_or_default(),
    };
    let all = match crate::render::words::provisional_sentence(&r.evaluation) {
        Some(p) => format!("{}\n{p}\n{t}\n{v}\n{m}", heading(r)),
        None => format!("{}\n{t}\n{v}\n{m}", heading(r)),
    };
    wrap_prose(&all, style)
}

/// The sheet's factors, one row each: score, weight, leaning and a bar. Where
/// outcome rules decide (format 3), a factor does not lean to an office: it reads
/// on its own scale (its `low` and `high` words).
fn factor_table(rubric: &LoadedRubric, r: &SheetResult, style: Style) -> String {
    let e = &r.evaluation;
    let rb = &rubric.rubric;
    let own_scale = rubric.has_outcomes();
    let mut t = new_table(style);
    t.set_header(vec![
        styled("Factor", style, None, true),
        styled("Score", style, None, true),
        styled("Weight", style, None, true),
        styled(
            if own_scale { "Reads" } else { "Leaning" },
            style,
            None,
            true,
        ),
        styled(
            if own_scale {
                "0 ··· 100"
            } else {
                "PMO ◂ 0 ··· 100 ▸ VMO"
            },
            style,
            None,
            true,
        ),
    ]);
    for (fi, (f, fs)) in rb.factor.iter().zip(&e.factors).enumerate() {
        let (lean, b, bar_s) = match (fs.score, fs.leaning) {
            (Some(s), _) if own_scale => (scale_word(f, s), None, bar(s, 20)),
            (Some(s), Some(band)) => (leaning(band).to_string(), Some(band), bar(s, 20)),
            _ => ("unanswered".to_string(), None, String::new()),
        };
        let answered = if fs.answered < fs.questions {
            format!("{} ({}/{} answered)", f.title, fs.answered, fs.questions)
        } else {
            f.title.clone()
        };
        t.add_row(vec![
            text(&answered),
            Cell::new(opt_factor_num(rubric, fi, fs.score)).set_alignment(CellAlignment::Right),
            Cell::new(super::num::setting_num(fs.weight)).set_alignment(CellAlignment::Right),
            styled(lean, style, b, false),
            styled(bar_s, style, b, false),
        ]);
    }
    for c in t.column_iter_mut().skip(1).take(2) {
        c.set_cell_alignment(CellAlignment::Right);
    }
    fitted(t, style)
}

/// Where a score falls on a factor's own scale (format 3), in fifths: its `low`
/// word, towards it, between, towards its `high` word, the `high` word.
fn scale_word(f: &crate::rubric::Factor, score: f64) -> String {
    let low = f.low.as_deref().unwrap_or("low");
    let high = f.high.as_deref().unwrap_or("high");
    match score {
        s if s < 20.0 => low.to_string(),
        s if s < 40.0 => format!("towards {low}"),
        s if s < 60.0 => format!("between {low} and {high}"),
        s if s < 80.0 => format!("towards {high}"),
        _ => high.to_string(),
    }
}

/// What the organisation needs and can carry (format 3): one row per axis.
fn axis_table(rubric: &LoadedRubric, r: &SheetResult, style: Style) -> String {
    let mut t = new_table(style);
    t.set_header(vec![
        styled("Needs and capacity", style, None, true),
        styled("Score", style, None, true),
        styled("0 ··· 100", style, None, true),
    ]);
    for (a, s) in rubric.rubric.axis.iter().zip(&r.evaluation.axes) {
        t.add_row(vec![
            text(&a.title),
            Cell::new(s.score.map_or_else(|| "unanswered".into(), num))
                .set_alignment(CellAlignment::Right),
            Cell::new(s.score.map(|x| bar(x, 20)).unwrap_or_default()),
        ]);
    }
    fitted(t, style)
}

/// The sheet's result, one labelled row each: index (or, where outcome rules
/// decide, the office), recommendation, why (the gates that changed it, or the
/// summary), margin, answered, gates or risks, how firm it is and next steps.
fn verdict_table(rubric: &LoadedRubric, r: &SheetResult, style: Style) -> String {
    use crate::render::words;
    let e = &r.evaluation;
    let mut v = new_table(style);
    let label = |s: &str| styled(s, style, None, true);
    let format3 = e.outcome.is_some();
    if !format3 {
        v.add_row(vec![label("Index"), text(&index_text(rubric, e))]);
    }
    v.add_row(vec![
        label("Recommendation"),
        styled(
            recommendation_text(e, r.advice.source.title(rubric)),
            style,
            Some(e.recommendation),
            true,
        ),
    ]);
    if let Some(office) = words::office_sentence(rubric, e) {
        v.add_row(vec![label("Office"), text(&office)]);
    }
    let lead = r.advice.lead_texts(rubric);
    if !lead.is_empty() {
        let name = match r.advice.lead {
            crate::advice::Lead::Gates(_) => "Why",
            _ => "Summary",
        };
        v.add_row(vec![label(name), text(&lead.join("\n"))]);
    }
    v.add_row(vec![
        label("Margin"),
        text(&words::margin_sentence(rubric, e)),
    ]);
    let about = if r.context.is_empty() {
        String::new()
    } else {
        format!(", and {} about the organisation", r.context.len())
    };
    v.add_row(vec![
        label("Answered"),
        Cell::new(format!(
            "{} of {}{about}",
            e.answered,
            words::count(e.questions, "question", "questions")
        )),
    ]);
    if !r.unknown.is_empty() {
        let texts: Vec<String> = (r.unknown.iter())
            .filter_map(|id| {
                rubric
                    .question(id)
                    .map(|qi| &rubric.rubric.question[qi].text)
            })
            .map(|t| format!("\"{t}\""))
            .collect();
        v.add_row(vec![label("Don't know"), text(&texts.join("\n"))]);
    }
    if e.provisional {
        let ask = words::ask_lines(rubric, e, &r.unknown);
        if !ask.is_empty() {
            v.add_row(vec![label("Who to ask"), text(&ask.join("\n"))]);
        }
    }
    if !e.gates.is_empty() {
        let lines = words::fired_gate_lines(rubric, &e.gates, &r.advice, e.recommendation);
        let name = if format3 { "Risks" } else { "Gates fired" };
        v.add_row(vec![label(name), text(&lines.join("\n"))]);
    }
    v.add_row(vec![
        label("How firm"),
        text(&words::firmness_of(rubric, e, &r.sensitivity).join("\n")),
    ]);
    let steps: Vec<String> = if e.provisional {
        vec![words::provisional_step(e)]
    } else if r.plan.is_some() {
        // The plan opens with them: said once.
        Vec::new()
    } else {
        r.advice
            .shown_steps(rubric)
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {s}", i + 1))
            .collect()
    };
    if !steps.is_empty() {
        v.add_row(vec![label("Next steps"), text(&steps.join("\n"))]);
    }
    fitted(v, style)
}

/// The recommendation cell: `HYBRID · title`, what a gate changed, or that the
/// result is only provisional (then without the title, which reads as a firm call).
fn recommendation_text(e: &crate::scoring::Evaluation, title: &str) -> String {
    let id = e.recommendation.label().to_uppercase();
    if e.provisional {
        return format!("{id}, provisional: too few answers for a firm recommendation");
    }
    if e.band != e.recommendation {
        format!(
            "{id} · {title} (the {} band was changed by a gate)",
            e.band.label()
        )
    } else {
        format!("{id} · {title}")
    }
}

/// `47.5 of 100 (Hybrid band: PMO below 40.0, VMO from 60.0)`.
fn index_text(rubric: &LoadedRubric, e: &crate::scoring::Evaluation) -> String {
    let rb = &rubric.rubric;
    format!(
        "{} of 100 ({} band: PMO below {}, VMO from {})",
        index_num(rubric, e.index),
        e.band.label(),
        crate::render::num::setting_num(rb.scoring.hybrid_from),
        crate::render::num::setting_num(rb.scoring.vmo_from)
    )
}

/// The roadmap for the terminal: a `Roadmap` line with the headline, then each
/// phase's steps as a table (step, the move, the action, the index after).
pub(crate) fn roadmap(
    rubric: &LoadedRubric,
    view: &crate::render::roadmap::View<'_>,
    style: Style,
) -> String {
    use std::fmt::Write as _;
    let mut out = format!("Roadmap · {}\n", view.headline);
    if view.group && !view.rows.is_empty() {
        let _ = writeln!(out, "{}", crate::render::words::GROUP_START);
    }
    for (phase, steps) in view.phases() {
        let _ = writeln!(
            out,
            "Phase {phase} · {}",
            crate::render::words::phase_title(phase)
        );
        let mut t = new_table(style);
        let mut head = vec!["Step", "Move", "Action", "Index after"];
        if view.group {
            head.push("Already");
        }
        t.set_header(head);
        for (n, s, already) in steps {
            let (q, from, to) = crate::render::words::step_move(rubric, s);
            let mut row = vec![
                Cell::new(n).set_alignment(CellAlignment::Right),
                text(&format!("{q}\n{from} → {to}")),
                text(crate::render::words::step_action(s)),
                Cell::new(crate::render::roadmap::after_words(rubric, s)),
            ];
            if let Some((a, of)) = already {
                row.push(Cell::new(crate::render::roadmap::already_words(a, of)));
            }
            t.add_row(row);
        }
        let _ = writeln!(out, "{}", fitted(t, style));
    }
    out
}

/// The plan for the terminal: a `Plan` line with the headline, then a table per
/// horizon; the first opens with the next steps.
pub(crate) fn plan(
    rubric: &LoadedRubric,
    view: &crate::render::plan::PlanView,
    style: Style,
) -> String {
    use crate::render::plan::{
        already_words, done_words, horizon_title, move_labels, needs_words, owner_title,
    };
    use std::fmt::Write as _;
    let mut out = format!("Plan · {}\n", view.headline);
    for (h, list) in view.horizons() {
        let _ = writeln!(out, "{}", horizon_title(h));
        if h == 1 && !view.first_steps.is_empty() {
            let width = usize::from(style.width.unwrap_or(100)).max(20);
            let opts = textwrap::Options::new(width)
                .initial_indent("  - ")
                .subsequent_indent("    ");
            for s in &view.first_steps {
                let _ = writeln!(out, "{}", textwrap::fill(s, &opts));
            }
        }
        if list.is_empty() {
            continue;
        }
        let mut t = new_table(style);
        t.set_header(vec!["#", "Initiative", "What to do", "Lead"]);
        for (n, i) in list {
            let (from, to) = move_labels(rubric, i);
            let mut what = format!("{}\nNow: {from}\nAim: {to}", i.title);
            if let Some(after) = needs_words(view.plan, i) {
                let _ = write!(what, "\n{after}");
            }
            let mut action = i.action.to_string();
            if let Some(done) = i.done_when {
                let _ = write!(action, "\n{}", done_words(done));
            }
            let mut lead = owner_title(rubric, i).unwrap_or("").to_string();
            if let Some(a) = already_words(i) {
                let _ = write!(lead, "\n{a}");
            }
            t.add_row(vec![
                Cell::new(n).set_alignment(CellAlignment::Right),
                text(&what),
                text(&action),
                text(&lead),
            ]);
        }
        let _ = writeln!(out, "{}", fitted(t, style));
    }
    out
}

/// What the summary shows of one sheet: its cells as text, and what the counts
/// and the mean under the table need.
pub(crate) struct SummaryRow {
    source: Box<str>,
    respondent: Box<str>,
    index: f64,
    recommendation: Band,
    provisional: bool,
    margin: f64,
    factors: Box<[Option<f64>]>,
}

impl SummaryRow {
    fn of(r: &SheetResult) -> SummaryRow {
        let e = &r.evaluation;
        SummaryRow {
            source: crate::render::clean::printable_line(&crate::render::words::short_source(
                &r.source,
            ))
            .into(),
            respondent: crate::render::clean::printable_line(r.respondent.as_deref().unwrap_or(""))
                .into(),
            index: e.index,
            recommendation: e.recommendation,
            provisional: e.provisional,
            margin: e.margin,
            factors: e.factors.iter().map(|f| f.score).collect(),
        }
    }
}

/// One row per sheet, then counts per recommendation and the mean index.
pub fn summary(rubric: &LoadedRubric, results: &[SheetResult], style: Style) -> String {
    let rows: Vec<SummaryRow> = results.iter().map(SummaryRow::of).collect();
    summary_of(rubric, &rows, style)
}

/// [`summary`] of the rows kept of each sheet.
fn summary_of(rubric: &LoadedRubric, rows: &[SummaryRow], style: Style) -> String {
    let mut drawn = summary_drawn(rubric, rows, style);
    let tally =
        (Band::ALL.iter()).map(|&b| (b, rows.iter().filter(|r| r.recommendation == b).count()));
    let counts: Vec<String> = (crate::render::words::shown_counts(tally).into_iter())
        .map(|(b, n)| format!("{} {n}", b.label()))
        .collect();
    let mean = rows.iter().map(|r| r.index).sum::<f64>() / rows.len().max(1) as f64;
    let provisional = rows.iter().filter(|r| r.provisional).count();
    let firm = if provisional == 0 {
        String::new()
    } else {
        format!(" · {provisional} provisional (too few answers for a firm result)")
    };
    // Added to the table's text, not copied with it (14 MB for 100,000 sheets).
    let _ = writeln!(
        drawn,
        "\n{} · {} · mean index {}{firm}",
        crate::render::words::count(rows.len(), "sheet", "sheets"),
        counts.join(" · "),
        num(mean)
    );
    drawn
}

/// Above this many rows, a piped summary is drawn this many rows at a time: a
/// table of 100,000 rows at once held kilobytes of cells per row.
const PIECE: usize = 1000;

/// The summary's table as text. Piped (one line a row, columns as wide as their
/// widest cell), a long one is drawn in pieces, each with the rows that make the
/// columns widest so that every piece has the same widths (its borders say so,
/// else the table is drawn whole); only the pieces' rows are kept.
fn summary_drawn(rubric: &LoadedRubric, rows: &[SummaryRow], style: Style) -> String {
    if style.width.is_some() || rows.len() <= PIECE {
        return summary_table(rubric, rows.iter(), style).to_string();
    }
    summary_in_pieces(rubric, rows, style)
        .unwrap_or_else(|| summary_table(rubric, rows.iter(), style).to_string())
}

/// The piped summary drawn [`PIECE`] rows at a time; `None` if a piece came out
/// with other widths than the first.
fn summary_in_pieces(rubric: &LoadedRubric, rows: &[SummaryRow], style: Style) -> Option<String> {
    // The first row of the widest cell of each column.
    let mut widest: Vec<(usize, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for (c, cell) in summary_cells(rubric, r, style).iter().enumerate() {
            let w = textwrap::core::display_width(&cell.content());
            if widest.len() <= c {
                widest.resize(c + 1, (0, i));
            }
            if w > widest[c].0 {
                widest[c] = (w, i);
            }
        }
    }
    let mut setting: Vec<usize> = widest.iter().map(|&(_, i)| i).collect();
    setting.sort_unstable();
    setting.dedup();
    let mut out = String::new();
    // The top border, header, header rule and bottom border of the first piece.
    let mut frame: Option<[String; 4]> = None;
    for piece in rows.chunks(PIECE) {
        let table = summary_table(
            rubric,
            setting.iter().map(|&i| &rows[i]).chain(piece),
            style,
        );
        let drawn = table.to_string();
        drop(table);
        let lines: Vec<&str> = drawn.split('\n').collect();
        if lines.len() != setting.len() + piece.len() + 4 {
            return None;
        }
        let [top, head, rule] = [lines[0], lines[1], lines[2]];
        let bottom = lines[lines.len() - 1];
        let this = [top, head, rule, bottom].map(str::to_string);
        match &frame {
            None => {
                for l in [top, head, rule] {
                    out.push_str(l);
                    out.push('\n');
                }
                frame = Some(this);
            }
            Some(f) if *f != this => return None,
            Some(_) => {}
        }
        for l in &lines[3 + setting.len()..lines.len() - 1] {
            out.push_str(l);
            out.push('\n');
        }
    }
    out.push_str(&frame?[3]);
    Some(out)
}

/// The summary's table of `rows`.
fn summary_table<'s>(
    rubric: &LoadedRubric,
    rows: impl Iterator<Item = &'s SummaryRow>,
    style: Style,
) -> Table {
    let mut t = new_table(style);
    if style.width.is_none() {
        // Piped: one line per sheet reads (and greps) better than wrapped cells.
        t.set_content_arrangement(ContentArrangement::Disabled);
    }
    let mut header = vec!["Source", "Respondent", "Index", "Result", "Margin"]
        .into_iter()
        .map(|h| styled(h, style, None, true))
        .collect::<Vec<_>>();
    header.extend(
        rubric
            .rubric
            .factor
            .iter()
            .map(|f| styled(&f.id, style, None, true)),
    );
    t.set_header(header);
    for r in rows {
        t.add_row(summary_cells(rubric, r, style));
    }
    // Numbers keep their width; source and respondent take what is left.
    for c in t.column_iter_mut().skip(2) {
        c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
    }
    keep_words(&mut t);
    t
}

/// The cells of one sheet's row of the summary.
fn summary_cells(rubric: &LoadedRubric, r: &SummaryRow, style: Style) -> Vec<Cell> {
    let mut row = vec![
        text(&r.source),
        text(&r.respondent),
        Cell::new(index_num(rubric, r.index)).set_alignment(CellAlignment::Right),
        styled(
            if r.provisional {
                format!("{} (provisional)", r.recommendation.label())
            } else {
                r.recommendation.label().to_string()
            },
            style,
            Some(r.recommendation),
            false,
        ),
        Cell::new(num(r.margin)).set_alignment(CellAlignment::Right),
    ];
    row.extend(r.factors.iter().enumerate().map(|(fi, &score)| {
        Cell::new(opt_factor_num(rubric, fi, score)).set_alignment(CellAlignment::Right)
    }));
    row
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bar_is_proportional_and_fixed_width() {
        assert_eq!(bar(0.0, 4), "····");
        assert_eq!(bar(100.0, 4), "████");
        assert_eq!(bar(50.0, 4), "██··");
        assert_eq!(bar(12.5, 4).chars().count(), 4);
        assert!(bar(12.5, 4).starts_with('▌'));
    }

    /// Issue 29, finding 16: a long piped summary, drawn in pieces, is the table
    /// drawn whole, byte for byte, whatever row makes a column widest (wide
    /// characters, a provisional result, an escape) and with colours.
    #[test]
    fn a_summary_drawn_in_pieces_is_the_summary_drawn_whole() {
        use super::*;
        let rubric = crate::LoadedRubric::embedded().unwrap();
        let factors = rubric.rubric.factor.len();
        let names = ["Ann", "李小龙 Bruce", "Eve\u{1b}[2J", "Bo 🎉", ""];
        let rows: Vec<SummaryRow> = (0..2 * PIECE + 37)
            .map(|i| SummaryRow {
                source: format!("export.csv:{}", i + 2).into(),
                respondent: if i == 1500 {
                    "一个很长的名字 with a long tail".into()
                } else {
                    names[i % names.len()].into()
                },
                index: (i % 101) as f64 * 0.997,
                recommendation: Band::ALL[i % Band::ALL.len()],
                provisional: i == 1999,
                margin: (i % 7) as f64 * 3.3,
                factors: (0..factors)
                    .map(|f| (i % (f + 3) != 0).then_some(((i * 7 + f) % 100) as f64))
                    .collect(),
            })
            .collect();
        for color in [false, true] {
            let style = Style {
                color,
                width: None,
                detail: None,
            };
            let whole = summary_table(&rubric, rows.iter(), style).to_string();
            let pieces = summary_in_pieces(&rubric, &rows, style);
            assert_eq!(pieces.as_ref(), Some(&whole), "colour {color}");
            assert_eq!(summary_drawn(&rubric, &rows, style), whole);
        }
    }
}
