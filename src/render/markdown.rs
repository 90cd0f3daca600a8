//! A GitHub-flavoured Markdown table, one row per sheet, then the counts.

use std::io::{self, Write};

use super::num::num;
use super::{Output, summary_header, summary_row};
use crate::diag::InputError;
use crate::result::SheetResult;
use crate::rubric::{Band, LoadedRubric};

/// `score --format markdown`: a row per sheet as it comes, then the counts.
pub(crate) struct MarkdownOutput<'a, W: Write> {
    rubric: &'a LoadedRubric,
    out: W,
    started: bool,
    /// An input failed (said on stderr).
    errored: bool,
    counts: [usize; 6],
    sum: f64,
    n: usize,
    /// Each provisional result's source and why, said under the table.
    provisional: Vec<(String, String)>,
    /// The roadmaps of the first [`ROADMAPS_SHOWN`] sheets, drawn under the table.
    roadmaps: Vec<String>,
}

/// A Markdown document shows the roadmaps of this many sheets; JSON has every one.
pub(crate) const ROADMAPS_SHOWN: usize = crate::render::table::DETAIL_LIMIT;

impl<'a, W: Write> MarkdownOutput<'a, W> {
    pub(crate) fn new(rubric: &'a LoadedRubric, out: W) -> Self {
        MarkdownOutput {
            rubric,
            out,
            started: false,
            errored: false,
            counts: [0; 6],
            sum: 0.0,
            n: 0,
            provisional: Vec::new(),
            roadmaps: Vec::new(),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let header = summary_header(self.rubric);
            writeln!(self.out, "| {} |", header.join(" | "))?;
            writeln!(self.out, "|{}", "---|".repeat(header.len()))?;
        }
        Ok(())
    }
}

/// Escapes text (a name, a file name, a rubric's title) for Markdown on one line,
/// so that it shows as written and is never read as markup: HTML (`<img onerror>`)
/// and entities become inert (`&lt;`, `&amp;`), link brackets and code backticks
/// become character references (`&#91;`, `&#93;`, `&#96;`), emphasis marks, the
/// table's `|` and the backslash are backslash-escaped, a newline becomes a space,
/// and control characters are escaped for the terminal ([`printable`]).
///
/// [`printable`]: crate::render::clean::printable
pub(crate) fn cell(s: &str) -> String {
    let s = crate::render::clean::printable(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '`' => out.push_str("&#96;"),
            '\\' | '|' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The roadmap as a Markdown section (`heading`: its `#` level and title).
pub(crate) fn roadmap(
    rubric: &LoadedRubric,
    view: &crate::render::roadmap::View<'_>,
    heading: &str,
) -> String {
    use std::fmt::Write as _;
    let mut out = format!("{heading}\n\n{}\n", cell(&view.headline));
    if view.rows.is_empty() {
        return out;
    }
    if view.group {
        let _ = writeln!(out, "\n{}", cell(crate::render::words::GROUP_START));
    }
    for (phase, steps) in view.phases() {
        let _ = writeln!(
            out,
            "\n**Phase {phase}: {}**\n",
            crate::render::words::phase_title(phase)
        );
        for (n, s, already) in steps {
            let (q, from, to) = crate::render::words::step_move(rubric, s);
            let _ = write!(
                out,
                "{n}. {} **{} → {}.** {} *Then: index {}.*",
                cell(&q),
                cell(&from),
                cell(&to),
                cell(crate::render::words::step_action(s)),
                cell(&crate::render::roadmap::after_words(rubric, s))
            );
            if let Some((a, of)) = already {
                let _ = write!(
                    out,
                    " Already there: {}.",
                    crate::render::roadmap::already_words(a, of)
                );
            }
            out.push('\n');
        }
    }
    out
}

/// A format-3 result as a memo section that pastes into a document: who and
/// where from, the recommendation and the office in words, the summary (or why a
/// gate changed it), how firm it is and the risks, by their messages (no ids).
/// The plan follows it.
fn memo(rubric: &LoadedRubric, r: &SheetResult) -> String {
    use crate::render::words;
    use std::fmt::Write as _;
    let e = &r.evaluation;
    let who = [r.respondent(), r.role.as_deref(), r.organisation.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!(
        "### {}

",
        cell(&r.source.to_string())
    );
    if !who.is_empty() {
        let _ = writeln!(out, "*{}*\n", cell(&who));
    }
    let title = r.advice.source.title(rubric);
    let _ = writeln!(
        out,
        "**Recommendation:** {}",
        if e.provisional {
            format!(
                "{}, provisional: too few answers for a firm recommendation",
                e.recommendation.label()
            )
        } else {
            format!("{} ({})", cell(title), e.recommendation.label())
        }
    );
    if let Some(office) = words::office_sentence(rubric, e) {
        let _ = writeln!(out, "\n**Office:** {}", cell(&office));
    }
    for t in r.advice.lead_texts(rubric) {
        let _ = writeln!(out, "\n{}", cell(t));
    }
    let _ = writeln!(
        out,
        "\n**How firm:** {}",
        cell(&words::margin_sentence(rubric, e))
    );
    if !e.risks.is_empty() {
        let _ = writeln!(out, "\n**Risks**\n");
        for risk in &e.risks {
            let _ = writeln!(out, "- {}", cell(risk.message));
        }
    }
    out.push('\n');
    out
}

/// The plan as a Markdown section (`heading`: its `#` level and title).
pub(crate) fn plan(
    rubric: &LoadedRubric,
    view: &crate::render::plan::PlanView,
    heading: &str,
) -> String {
    use crate::render::plan::{
        already_words, done_words, horizon_title, move_labels, needs_words, owner_title,
    };
    use std::fmt::Write as _;
    let mut out = format!("{heading}\n\n{}\n", cell(&view.headline));
    for (h, list) in view.horizons() {
        let _ = writeln!(out, "\n**{}**\n", horizon_title(h));
        for s in &view.first_steps {
            if h == 1 {
                let _ = writeln!(out, "- {}", cell(s));
            }
        }
        if h == 1 && !view.first_steps.is_empty() && !list.is_empty() {
            out.push('\n');
        }
        for (n, i) in list {
            let (from, to) = move_labels(rubric, i);
            let _ = write!(
                out,
                "{n}. **{}**: from \"{}\" to \"{}\". {}",
                cell(i.title),
                cell(from),
                cell(to),
                cell(&i.action)
            );
            if let Some(done) = i.done_when {
                let _ = write!(out, " *{}*", cell(&done_words(done)));
            }
            if let Some(lead) = owner_title(rubric, i) {
                let _ = write!(out, " *Lead:* {}.", cell(lead));
            }
            if let Some(after) = needs_words(view.plan, i) {
                let _ = write!(out, " {after}.");
            }
            if let Some(a) = already_words(i) {
                let _ = write!(out, " {}.", cell(&a));
            }
            out.push('\n');
        }
    }
    out
}

/// Tracker rows as Markdown: a table per plan, in the order given.
pub fn tracker_markdown(rows: &[crate::render::plan::TrackerRow]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for r in rows {
        if current != Some(r.plan.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "## Plan: {}\n", cell(&r.plan));
            out.push_str("| # | when | initiative | owner | after | done when |\n");
            out.push_str("|---|---|---|---|---|---|\n");
            current = Some(&r.plan);
        }
        let when = if r.later { "later" } else { r.when };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.number,
            when,
            cell(&r.summary),
            cell(&r.owner),
            cell(&r.depends_on.replace(';', ", ")),
            cell(&r.done_when)
        );
    }
    out
}

impl<'r, W: Write> Output<SheetResult<'r>> for MarkdownOutput<'_, W> {
    fn item(&mut self, result: &SheetResult<'r>) -> io::Result<()> {
        self.start()?;
        let row: Vec<String> = summary_row(result, Some(self.rubric))
            .iter()
            .map(|c| cell(c))
            .collect();
        writeln!(self.out, "| {} |", row.join(" | "))?;
        self.counts[result.evaluation.recommendation as usize] += 1;
        if let Some(why) = crate::render::words::provisional_sentence(&result.evaluation) {
            self.provisional.push((result.source.to_string(), why));
        }
        if self.roadmaps.len() < ROADMAPS_SHOWN
            && let Some(view) = crate::render::plan::PlanView::of_sheet(self.rubric, result)
        {
            let mut memo = memo(self.rubric, result);
            memo.push_str(&plan(self.rubric, &view, "#### Plan"));
            self.roadmaps.push(memo);
        } else if self.roadmaps.len() < ROADMAPS_SHOWN
            && let Some(view) = crate::render::roadmap::View::of_sheet(self.rubric, result)
        {
            let heading = format!("### Roadmap: {}", cell(&result.source.to_string()));
            self.roadmaps.push(roadmap(self.rubric, &view, &heading));
        }
        self.sum += result.evaluation.index;
        self.n += 1;
        Ok(())
    }

    fn error(&mut self, _error: &InputError) -> io::Result<()> {
        self.errored = true;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Nothing scored because the input failed: no empty table on stdout.
        if self.n == 0 && self.errored {
            return self.out.flush();
        }
        self.start()?;
        writeln!(self.out)?;
        let counts: Vec<String> =
            super::words::shown_counts(Band::ALL.iter().map(|&b| (b, self.counts[b as usize])))
                .into_iter()
                .map(|(b, n)| format!("{}: {n}", b.label()))
                .collect();
        write!(
            self.out,
            "**{}** · {}",
            super::words::count(self.n, "sheet", "sheets"),
            counts.join(" · ")
        )?;
        if self.n > 0 {
            write!(self.out, " · mean index {}", num(self.sum / self.n as f64))?;
        }
        if !self.provisional.is_empty() {
            write!(self.out, " · **{} provisional**", self.provisional.len())?;
        }
        writeln!(self.out)?;
        if !self.provisional.is_empty() {
            writeln!(self.out)?;
        }
        for (source, why) in &self.provisional {
            writeln!(self.out, "- {}: {}", cell(source), cell(why))?;
        }
        for m in &self.roadmaps {
            write!(self.out, "\n{m}")?;
        }
        if self.n > ROADMAPS_SHOWN {
            writeln!(
                self.out,
                "\nRoadmaps are shown for the first {ROADMAPS_SHOWN} sheets; `--format json` has every sheet's."
            )?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_carry_no_live_markup() {
        assert_eq!(cell("Ann Lee"), "Ann Lee");
        assert_eq!(
            cell("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            cell("[x](javascript:alert(1))"),
            "&#91;x&#93;(javascript:alert(1))"
        );
        assert_eq!(cell("a|b\\c\nd"), "a\\|b\\\\c d");
        assert_eq!(
            cell("`code` *b* _i_ ~s~"),
            "&#96;code&#96; \\*b\\* \\_i\\_ \\~s\\~"
        );
        assert_eq!(cell("&lt; AT&T"), "&amp;lt; AT&amp;T");
        // Escaped for the terminal, then the escape's backslash for Markdown.
        assert_eq!(cell("x\u{1b}]0;t\u{7}"), "x\\\\u{1b}&#93;0;t\\\\u{7}");
    }
}
