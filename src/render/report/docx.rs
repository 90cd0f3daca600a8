//! `report --format docx`: the report as a Word document a consultant edits. The
//! same sections as the HTML page, from the same [`Report`]; headings in Word's
//! built-in heading styles (so a firm's template restyles them) and tables as Word
//! tables. The chart is not drawn: Word shows SVG only beside a bitmap, and the
//! factor table carries the same figures.

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, ShdType, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use super::{AGENDA, Report, summary};
use crate::render::num::{self, num};
use crate::render::words;

/// Word's style ids for the headings, with the names Word knows them by.
const HEADINGS: [(&str, &str, usize); 3] = [
    ("Heading1", "heading 1", 32),
    ("Heading2", "heading 2", 26),
    ("Heading3", "heading 3", 22),
];

fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

fn heading(level: usize, t: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(t))
        .style(HEADINGS[level - 1].0)
        .keep_next(true)
}

fn bold(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t).bold())
}

fn quote(t: &str, who: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(t).italic())
        .add_run(Run::new().add_text(format!(" \u{2014} {who}")))
        .style("Quote")
}

fn bullet(t: &str) -> Paragraph {
    text(&format!("\u{2022} {t}"))
}

/// A Word table: a bold header row, then the rows.
fn table(head: &[&str], rows: &[Vec<String>]) -> Table {
    let cell = |t: &str, b: bool| {
        let run = Run::new().add_text(t);
        TableCell::new().add_paragraph(Paragraph::new().add_run(if b { run.bold() } else { run }))
    };
    let mut all = vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
    all.extend(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(all)
}

/// Cells of the factor chart: each stands for five points of 0 to 100.
const BAR_CELLS: usize = 20;

/// The factor chart as a Word table: the factor's title, twenty cells shaded up
/// to `mean` (accent) and on to `before` (grey) where the baseline is higher, and
/// the mean as a number. Cell `k` is shaded when its middle (5k + 2.5) is below
/// the value, so 0 shades none and 100 all twenty.
fn bars(rows: &[(String, Option<f64>, Option<f64>)]) -> Table {
    let shade = |fill: &str| {
        Shading::new()
            .shd_type(ShdType::Clear)
            .color("auto")
            .fill(fill)
    };
    let title_width = 2800;
    let cell_width = 260;
    let mut grid = vec![title_width];
    grid.extend([cell_width; BAR_CELLS]);
    grid.push(900);
    let all = rows
        .iter()
        .map(|(title, mean, before)| {
            let mut cells = vec![
                TableCell::new()
                    .width(title_width, WidthType::Dxa)
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(title))),
            ];
            for k in 0..BAR_CELLS {
                let middle = 5.0 * k as f64 + 2.5;
                let fill = if mean.is_some_and(|m| middle < m) {
                    "1F5FBF"
                } else if before.is_some_and(|b| middle < b) {
                    "C9CED8"
                } else {
                    "EEF1F6"
                };
                cells.push(
                    TableCell::new()
                        .width(cell_width, WidthType::Dxa)
                        .shading(shade(fill))
                        .add_paragraph(Paragraph::new()),
                );
            }
            let figure = mean.map_or("–".into(), |m| format!("{m:.0}"));
            cells.push(
                TableCell::new().width(900, WidthType::Dxa).add_paragraph(
                    Paragraph::new()
                        .align(AlignmentType::Right)
                        .add_run(Run::new().add_text(figure)),
                ),
            );
            TableRow::new(cells)
        })
        .collect();
    Table::new(all).set_grid(grid)
}

impl Report<'_> {
    /// The whole document, packed into `out`.
    pub(super) fn docx(&self, rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
        let mut d = Docx::new()
            .page_margin(
                PageMargin::new()
                    .top(1020)
                    .bottom(1020)
                    .left(900)
                    .right(900),
            )
            .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial"))
            .default_size(20)
            .default_line_spacing(LineSpacing::new().after(100));
        for (id, name, size) in HEADINGS {
            d = d.add_style(
                Style::new(id, StyleType::Paragraph)
                    .name(name)
                    .based_on("Normal")
                    .next("Normal")
                    .bold()
                    .size(size)
                    .line_spacing(LineSpacing::new().before(240).after(80))
                    .outline_lvl(HEADINGS.iter().position(|h| h.0 == id).unwrap_or(0)),
            );
        }
        d = d.add_style(
            Style::new("Quote", StyleType::Paragraph)
                .name("Quote")
                .based_on("Normal")
                .italic(),
        );
        let mut footer = Footer::new();
        if let Some(f) = &self.brand.footer {
            footer = footer.add_paragraph(text(f));
        }
        footer = footer.add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Page "))
                .add_page_num(PageNum::new())
                .align(AlignmentType::Right),
        );
        d = d.footer(footer);
        let mut doc = Doc(d);
        self.docx_summary(&mut doc);
        self.docx_detail(&mut doc);
        if !self.single {
            self.docx_disagreement(&mut doc);
        }
        self.docx_closing(&mut doc, rows);
        let mut buf = std::io::Cursor::new(Vec::new());
        doc.0
            .build()
            .pack(&mut buf)
            .map_err(std::io::Error::other)?;
        Ok(buf.into_inner())
    }

    /// The cover and the executive summary, then a page break.
    fn docx_summary(&self, doc: &mut Doc) {
        let (rubric, w) = (self.rubric, self.w);
        if let Some(f) = self.firm() {
            doc.p(Paragraph::new().add_run(Run::new().add_text(f).bold().color("555555")));
        }
        doc.p(text(&rubric.rubric.title.to_uppercase()));
        doc.p(Paragraph::new().add_run(
            Run::new()
                .add_text(self.org.unwrap_or("Assessment"))
                .bold()
                .size(44),
        ));
        let mut meta = Vec::new();
        meta.extend(self.date_words());
        meta.push(self.respondents_words());
        if let Some(f) = self.firm() {
            meta.push(format!("Prepared by {f}"));
        }
        doc.p(text(&meta.join(" \u{b7} ")));
        doc.p(heading(1, "Executive summary"));
        doc.p(text("We recommend"));
        doc.p(Paragraph::new().add_run(
            Run::new()
                .add_text(summary::recommendation_words(w.recommendation))
                .bold()
                .size(32),
        ));
        if let Some(o) = self.office_words() {
            doc.p(text(&o));
        }
        if self.provisional().is_none() {
            let advice = self.sheet().map_or(&w.advice, |r| &r.advice);
            doc.p(bold(advice.source.title(rubric)));
        }
        doc.p(heading(2, "Why"));
        for (i, r) in self.reasons().iter().enumerate() {
            doc.p(text(&format!("{}. {r}", i + 1)));
        }
        doc.p(heading(2, "Top risks"));
        let risks = self.risks();
        if risks.is_empty() {
            doc.p(text(
                "No warning sign stands against the recommended office.",
            ));
        }
        for r in &risks {
            doc.p(bullet(r));
        }
        let (steps, first) = self.first_moves();
        if !steps.is_empty() || !first.is_empty() {
            doc.p(heading(2, "The first 90 days"));
            for s in steps.iter().chain(&first) {
                doc.p(bullet(s));
            }
        }
        doc.p(heading(2, "How firm is this?"));
        doc.p(text(&self.firmness()));
        doc.p(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    }

    /// The recommendation in detail, the factors, the warning signs and the plan.
    fn docx_detail(&self, doc: &mut Doc) {
        let (rubric, w) = (self.rubric, self.w);
        doc.p(heading(1, "Recommendation"));
        for t in self.lead() {
            doc.p(text(&t));
        }
        if w.outcome.is_none() {
            doc.p(text(&format!(
                "Index {} of 100.",
                num::index_num(rubric, w.index)
            )));
        }
        doc.p(heading(1, "Factor scores"));
        let before: Option<Vec<Option<f64>>> = self
            .baseline
            .map(|c| c.before.factors.iter().map(|f| f.score).collect());
        let chart: Vec<(String, Option<f64>, Option<f64>)> = (rubric.rubric.factor.iter())
            .zip(&w.factors)
            .enumerate()
            .map(|(fi, (f, s))| {
                let b = before.as_ref().and_then(|b| b.get(fi).copied().flatten());
                (f.title.clone(), s.mean, b)
            })
            .collect();
        doc.t(bars(&chart));
        doc.p(text(if before.is_some() {
            "Each row is a factor from 0 (leaning PMO) to 100 (leaning VMO), a cell for every five points: blue up to the group's mean, grey on to the baseline's where it was higher."
        } else {
            "Each row is a factor from 0 (leaning PMO) to 100 (leaning VMO), a cell for every five points, blue up to the group's mean."
        }));
        let factor =
            |fi, x: Option<f64>| x.map_or("–".into(), |x| num::factor_num(rubric, fi, x));
        let o = |x: Option<f64>| x.map_or("–".into(), num);
        let factors = &rubric.rubric.factor;
        if let Some(r) = self.sheet() {
            let rows: Vec<Vec<String>> = (factors.iter().zip(&r.evaluation.factors))
                .enumerate()
                .map(|(fi, (f, s))| {
                    vec![
                        f.title.clone(),
                        factor(fi, s.score),
                        format!("{} of {}", s.answered, s.questions),
                    ]
                })
                .collect();
            doc.t(table(&["Factor", "Score", "Answered"], &rows));
        } else {
            let rows: Vec<Vec<String>> = (factors.iter().zip(&w.factors))
                .enumerate()
                .map(|(fi, (f, s))| {
                    vec![
                        f.title.clone(),
                        factor(fi, s.mean),
                        o(s.median),
                        o(s.stdev),
                        o(s.min),
                        o(s.max),
                        format!("{} of {}", s.answered, w.respondents),
                    ]
                })
                .collect();
            doc.t(table(
                &[
                    "Factor", "Mean", "Median", "Spread", "Min", "Max", "Answered",
                ],
                &rows,
            ));
        }
        doc.p(heading(1, "Warning signs"));
        let fired = words::gate_sentences(rubric, &w.gates, w.recommendation);
        if fired.is_empty() {
            doc.p(text(
                "None: the recommendation follows from the scores alone.",
            ));
        }
        for g in &fired {
            doc.p(bullet(g));
        }
        self.docx_plan(doc);
    }

    /// The plan by horizon (format 3), else the next steps.
    fn docx_plan(&self, doc: &mut Doc) {
        let (rubric, w) = (self.rubric, self.w);
        let Some(view) = self.plan_view() else {
            let advice = self.sheet().map_or(&w.advice, |r| &r.advice);
            let steps = advice.shown_steps(rubric);
            if !steps.is_empty() {
                doc.p(heading(1, "Next steps"));
                for s in steps {
                    doc.p(bullet(s));
                }
            }
            return;
        };
        doc.p(heading(1, "Plan"));
        doc.p(text(&view.headline));
        for (h, list) in view.horizons() {
            doc.p(heading(2, crate::render::plan::horizon_title(h)));
            if h == 1 {
                for s in &view.first_steps {
                    doc.p(bullet(s));
                }
            }
            for (n, i) in list {
                let (from, to) = crate::render::plan::move_labels(rubric, i);
                doc.p(heading(3, &format!("{n}. {}", i.title)));
                doc.p(text(&format!("Now: {from}. Aim: {to}.")));
                doc.p(text(&i.action));
                if let Some(done) = i.done_when {
                    doc.p(text(&crate::render::plan::done_words(done)));
                }
                if let Some(lead) = crate::render::plan::owner_title(rubric, i) {
                    doc.p(text(&format!("Lead: {lead}.")));
                }
            }
        }
    }

    /// Where people disagree: the divided questions with their notes, the roles.
    fn docx_disagreement(&self, doc: &mut Doc) {
        let (rubric, w) = (self.rubric, self.w);
        doc.p(heading(1, "Where people disagree"));
        let items = (w.agenda.iter())
            .filter(|item| item.stdev > 0.0)
            .take(AGENDA)
            .filter_map(|item| {
                Some((
                    item,
                    &rubric.rubric.question[rubric.question(&item.question)?],
                ))
            });
        for (item, q) in items {
            doc.p(bold(&q.text));
            let split: Vec<String> = (item.split.iter())
                .map(|(o, c)| {
                    let label = q.option.iter().find(|x| x.id == *o);
                    format!("{}: {c}", label.map_or(o.as_str(), |x| x.label.as_str()))
                })
                .collect();
            doc.p(text(&split.join(" \u{b7} ")));
            for n in w.notes.iter().filter(|n| n.question == item.question) {
                doc.p(quote(&n.text, &self.names.of(&n.respondent)));
            }
        }
        if w.roles.is_empty() {
            return;
        }
        doc.p(heading(2, "By role"));
        let mut head = vec!["Role".to_string(), "Respondents".to_string()];
        head.extend(rubric.rubric.factor.iter().map(|f| f.title.clone()));
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = (w.roles.iter())
            .map(|r| {
                let mut row = vec![
                    summary::role_words(rubric, &r.role),
                    r.respondents.to_string(),
                ];
                row.extend(r.factors.iter().map(|f| f.mean.map_or("–".into(), num)));
                row
            })
            .collect();
        doc.t(table(&head, &rows));
        for f in crate::render::workshop::flag_lines(rubric, w) {
            doc.p(bullet(&f));
        }
    }

    /// The respondents and the appendix.
    fn docx_closing(&self, doc: &mut Doc, rows: &[Vec<String>]) {
        let (rubric, w) = (self.rubric, self.w);
        doc.p(heading(1, "Respondents"));
        doc.t(table(
            &["Respondent", "Role", "Index", "Result", "Answered"],
            rows,
        ));
        doc.p(heading(1, "Appendix"));
        if !self.single && !w.notes.is_empty() {
            doc.p(heading(2, "Every note from the answer sheets"));
            for n in &w.notes {
                doc.p(bold(super::question_text(rubric, &n.question)));
                doc.p(quote(&n.text, &self.names.of(&n.respondent)));
            }
        }
        doc.p(heading(2, "How the result is worked out"));
        doc.p(text(&words::bands_sentence(rubric)));
        doc.p(text(&format!(
            "Made with pmo-vmo {} from {}, against the questionnaire \u{201c}{}\u{201d} (version {}).",
            env!("CARGO_PKG_VERSION"),
            words::count(self.count, "answer sheet", "answer sheets"),
            rubric.rubric.title,
            rubric.rubric.version
        )));
    }
}

/// A document being written, paragraph by paragraph.
struct Doc(Docx);

impl Doc {
    fn p(&mut self, p: Paragraph) {
        self.0 = std::mem::take(&mut self.0).add_paragraph(p);
    }

    fn t(&mut self, t: Table) {
        self.0 = std::mem::take(&mut self.0).add_table(t);
    }
}
