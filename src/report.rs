//! The HTML report for the client: one self-contained file (no external scripts,
//! styles, fonts or images) with the recommendation, a radar chart in inline SVG,
//! the factor table, gates, the flip, the agenda, next steps and the sheets' notes.
//! Every piece of text that comes from a sheet or a rubric is HTML-escaped.

use std::fmt::Write as _;

use maud::{Markup, html};

use crate::batch::SheetResult;
use crate::render::num;
use crate::render::workshop::{counts, flag_lines, gate_lines, tipping_sentence};
use crate::rubric::LoadedRubric;
use crate::sheet::ResolvedSheet;
use crate::workshop::{Workshop, aggregate};

/// Above this many respondents the chart draws one polygon per role instead.
pub const MAX_POLYGONS: usize = 8;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

const CSS: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5dae3; --bg: #f6f7f9;
  --pmo: #1f5fa8; --hybrid: #b07800; --vmo: #23803a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
.muted { color: var(--muted); }
.verdict { border-left: 6px solid var(--hybrid); background: var(--bg); padding: .8rem 1rem; border-radius: 4px; }
.verdict.pmo { border-color: var(--pmo); } .verdict.vmo { border-color: var(--vmo); }
.verdict .band { font-size: 1.8rem; font-weight: 700; }
.figures { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin-top: .5rem; }
.chart { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.chart svg { width: 100%; max-width: 700px; height: auto; flex: 3 1 480px; }
.legend { list-style: none; padding: 0; margin: 0; flex: 1 1 180px; }
.legend li { margin: .2rem 0; }
.swatch { display: inline-block; width: 1.4em; height: .7em; margin-right: .4em; vertical-align: middle; border-radius: 2px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: #a33; }
blockquote { margin: .4rem 0 .8rem; padding: .3rem .8rem; border-left: 3px solid var(--line); background: var(--bg); }
@media (max-width: 600px) {
  body { font-size: 15px; }
  main { padding: .6rem; }
  th, td { padding: .3rem .3rem; }
}
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .chart, .verdict, blockquote { break-inside: avoid; page-break-inside: avoid; }
  .verdict, th, .swatch, svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Splits a label into lines of about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A coordinate with one decimal, as the SVG attributes carry it.
fn f1(x: f64) -> String {
    format!("{x:.1}")
}

/// One polygon of the radar chart.
struct Series {
    name: String,
    values: Vec<Option<f64>>,
}

/// The colour of the `k`th series, in the chart and its legend.
fn colour(k: usize) -> &'static str {
    PALETTE[k % PALETTE.len()]
}

/// The band boundaries of the rubric, drawn dashed.
fn boundaries(rubric: &LoadedRubric) -> [f64; 2] {
    [
        rubric.rubric.scoring.hybrid_from,
        rubric.rubric.scoring.vmo_from,
    ]
}

/// With fewer than three factors a radar is a line: one 0..100 strip per factor
/// instead, a dot per series and a diamond for the group.
fn strips(rubric: &LoadedRubric, series: &[Series], group: &[Option<f64>]) -> Markup {
    let factors = &rubric.rubric.factor;
    let (left, right, row) = (170.0, 670.0, 70.0);
    let height = 40.0 + row * factors.len() as f64;
    let x = |v: f64| left + (right - left) * v.clamp(0.0, 100.0) / 100.0;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 700 " (height)} role="img"
            aria-labelledby="chart-title"
        {
            title id="chart-title" {
                "Factor scores, 0 (PMO-leaning) on the left to 100 (VMO-leaning) on the right"
            }
            @for (i, f) in factors.iter().enumerate() {
                @let y = 40.0 + row * i as f64;
                text x=(f1(left - 10.0)) y=(f1(y + 4.0)) text-anchor="end" font-size="13"
                    fill="#1d2330"
                { (f.title) }
                line x1=(left) y1=(y) x2=(right) y2=(y) stroke="#d5dae3" stroke-width="2" {}
                @for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
                    text x=(f1(x(v))) y=(f1(y + 22.0)) text-anchor="middle" font-size="10"
                        fill="#5b6475"
                    { (v) }
                }
                @for b in boundaries(rubric) {
                    line class="boundary" x1=(f1(x(b))) y1=(f1(y - 12.0)) x2=(f1(x(b)))
                        y2=(f1(y + 12.0)) stroke="#8a93a5" stroke-dasharray="4 3" {}
                }
                @for (k, se) in series.iter().enumerate() {
                    @if let Some(v) = se.values[i] {
                        circle class="series" cx=(f1(x(v))) cy=(y) r="6" fill=(colour(k))
                            fill-opacity="0.8"
                        {
                            title { (se.name) }
                        }
                    }
                }
                @if let Some(v) = group[i] {
                    @let gx = x(v);
                    polygon class="group" points={
                        (f1(gx)) "," (f1(y - 9.0)) " " (f1(gx + 9.0)) "," (y) " "
                        (f1(gx)) "," (f1(y + 9.0)) " " (f1(gx - 9.0)) "," (y)
                    } fill="#1d2330" {
                        title { "Group mean" }
                    }
                }
            }
        }
    }
}

/// The geometry of the radar: one axis per factor around a centre, 0 at the
/// centre and 100 at `radius`.
struct Radar {
    axes: usize,
    cx: f64,
    cy: f64,
    radius: f64,
}

impl Radar {
    /// Where the value `v` lies on axis `i`; the first axis points up.
    fn point(&self, i: usize, v: f64) -> (f64, f64) {
        let n = self.axes.max(1) as f64;
        let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n;
        let r = self.radius * v.clamp(0.0, 100.0) / 100.0;
        (self.cx + r * a.cos(), self.cy + r * a.sin())
    }

    /// The `points` of a ring at `v` on every axis.
    fn ring(&self, v: f64) -> String {
        self.shape(&vec![Some(v); self.axes])
    }

    /// The `points` of a shape. An unanswered factor has no corner: drawing it at
    /// 0 would read as fully PMO-leaning. The shape joins the answered axes only.
    fn shape(&self, values: &[Option<f64>]) -> String {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let (x, y) = self.point(i, (*v)?);
                Some(format!("{x:.1},{y:.1}"))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The rings every 25 points and the band boundaries, dashed.
    fn grid(&self, rubric: &LoadedRubric) -> Markup {
        html! {
            @for v in [25.0, 50.0, 75.0, 100.0] {
                polygon class="grid" points=(self.ring(v)) fill="none" stroke="#d5dae3"
                    stroke-width="1" {}
            }
            @for b in boundaries(rubric) {
                polygon class="boundary" points=(self.ring(b)) fill="none" stroke="#8a93a5"
                    stroke-width="1" stroke-dasharray="4 3" {}
            }
        }
    }

    /// The axis of factor `i` and its title beyond the edge, wrapped.
    fn axis(&self, i: usize, title: &str) -> Markup {
        let (x, y) = self.point(i, 100.0);
        let (lx, ly) = self.point(i, 122.0);
        let anchor = if (lx - self.cx).abs() < 1.0 {
            "middle"
        } else if lx > self.cx {
            "start"
        } else {
            "end"
        };
        let lines = wrap(title, 22);
        // Labels above the chart grow upwards, others downwards.
        let first_y = if ly < self.cy - 1.0 {
            ly + 4.0 - 15.0 * (lines.len() as f64 - 1.0)
        } else {
            ly + 4.0
        };
        html! {
            line x1=(self.cx) y1=(self.cy) x2=(f1(x)) y2=(f1(y)) stroke="#d5dae3" {}
            text x=(f1(lx)) y=(f1(first_y)) text-anchor=(anchor) font-size="13"
                fill="#1d2330"
            {
                @for (k, line) in lines.iter().enumerate() {
                    tspan x=(f1(lx)) dy=(if k == 0 { 0 } else { 15 }) { (line) }
                }
            }
        }
    }

    /// The scale on the first axis. 100 is the outer edge, said in the caption;
    /// a label there would touch the title.
    fn scale(&self) -> Markup {
        html! {
            @for v in [25.0, 50.0, 75.0] {
                @let (x, y) = self.point(0, v);
                text x=(f1(x + 3.0)) y=(f1(y - 2.0)) font-size="10" fill="#5b6475" {
                    (v)
                }
            }
        }
    }

    /// The shape of the `k`th series, with dots on its corners: they keep a shape
    /// visible when it collapses to the centre.
    fn series(&self, k: usize, se: &Series) -> Markup {
        let colour = colour(k);
        html! {
            polygon class="series" points=(self.shape(&se.values)) fill=(colour)
                fill-opacity="0.08" stroke=(colour) stroke-width="2"
            {
                title { (se.name) }
            }
            @for (i, v) in se.values.iter().enumerate() {
                @if let Some(v) = *v {
                    @let (x, y) = self.point(i, v);
                    circle cx=(f1(x)) cy=(f1(y)) r="3.5" fill=(colour) {}
                }
            }
        }
    }
}

/// The radar chart as inline SVG: one axis per factor, rings every 25 points, the
/// band boundaries dashed, one polygon per series and the group on top.
fn radar(rubric: &LoadedRubric, series: &[Series], group: &[Option<f64>]) -> Markup {
    let factors = &rubric.rubric.factor;
    if factors.len() < 3 {
        return strips(rubric, series, group);
    }
    let radar = Radar {
        axes: factors.len(),
        cx: 350.0,
        cy: 232.0,
        radius: 165.0,
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 700 465" role="img"
            aria-labelledby="chart-title"
        {
            title id="chart-title" {
                "Factor scores, 0 (PMO-leaning) at the centre to 100 (VMO-leaning) at the edge"
            }
            (radar.grid(rubric))
            @for (i, f) in factors.iter().enumerate() {
                (radar.axis(i, &f.title))
            }
            (radar.scale())
            @for (k, se) in series.iter().enumerate() {
                (radar.series(k, se))
            }
            polygon class="group" points=(radar.shape(group)) fill="#1d2330"
                fill-opacity="0.12" stroke="#1d2330" stroke-width="3.5" stroke-dasharray="8 4"
            {
                title { "Group mean" }
            }
        }
    }
}

fn display_name(r: &SheetResult) -> String {
    r.respondent.clone().unwrap_or_else(|| r.source.clone())
}

/// Renders the report for the scored sheets; `None` when there is none.
pub fn render(rubric: &LoadedRubric, members: &[(ResolvedSheet, SheetResult)]) -> Option<String> {
    let w = aggregate(rubric, members)?;
    Some(render_with(rubric, members, &w))
}

fn render_with(
    rubric: &LoadedRubric,
    members: &[(ResolvedSheet, SheetResult)],
    w: &Workshop,
) -> String {
    let rb = &rubric.rubric;
    let single = members.len() == 1;
    let rec = rb.recommendation.get(w.recommendation);
    let mut h = String::new();
    let orgs: Vec<&str> = {
        let mut o: Vec<&str> = members
            .iter()
            .filter_map(|(_, m)| m.organisation.as_deref())
            .collect();
        o.dedup();
        o
    };
    let title = if orgs.len() == 1 {
        format!("{} · {}", rb.title, orgs[0])
    } else {
        rb.title.clone()
    };
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>",
        esc(&title)
    );
    let who = if single {
        format!("Answers of {}", esc(&display_name(&members[0].1)))
    } else {
        format!("{} respondents", w.respondents)
    };
    let _ = writeln!(
        h,
        "<header>\n<h1>{}</h1>\n<p class=\"muted\">{who} · rubric {} {}</p>\n</header>",
        esc(&title),
        esc(&rb.id),
        esc(&rb.version)
    );

    // The verdict.
    let gate_note = if w.band != w.recommendation {
        format!(
            "<div class=\"muted\">The index alone says {}; a gate changed it.</div>",
            w.band.label()
        )
    } else {
        String::new()
    };
    let _ = write!(
        h,
        "<section id=\"recommendation\">\n<h2>Recommendation</h2>\n<div class=\"verdict {}\">\n<div class=\"band\">{}</div>{}\n<div><strong>{}</strong></div>\n<p>{}</p>\n<div class=\"figures\"><span>Index <strong>{}</strong> of 100</span><span>Margin {} points</span>",
        w.recommendation.id(),
        w.recommendation.label(),
        gate_note,
        esc(&rec.title),
        esc(&rec.summary),
        crate::render::index_num(rubric, w.index),
        num(w.margin)
    );
    if !single {
        let _ = write!(h, "<span>Individual results: {}</span>", esc(&counts(w)));
    }
    let _ = writeln!(
        h,
        "</div>\n<p class=\"muted\">Bands: PMO below {}, hybrid from {}, VMO from {}.{}</p>\n</div>\n</section>",
        crate::render::setting_num(rb.scoring.hybrid_from),
        crate::render::setting_num(rb.scoring.hybrid_from),
        crate::render::setting_num(rb.scoring.vmo_from),
        if single {
            ""
        } else {
            " The group index is the mean of the respondents' indexes; gates are applied to the factor means."
        }
    );

    // The chart.
    let by_role = members.len() > MAX_POLYGONS && !w.roles.is_empty();
    let series: Vec<Series> = if by_role {
        w.roles
            .iter()
            .map(|r| Series {
                name: format!("{} ({})", r.role, r.respondents),
                values: r.factors.iter().map(|f| f.mean).collect(),
            })
            .collect()
    } else if single || members.len() > MAX_POLYGONS {
        // One respondent is the group shape itself; too many without roles are unreadable.
        Vec::new()
    } else {
        members
            .iter()
            .map(|(_, m)| Series {
                name: match &m.role {
                    Some(role) => format!("{} ({role})", display_name(m)),
                    None => display_name(m),
                },
                values: m.evaluation.factors.iter().map(|f| f.score).collect(),
            })
            .collect()
    };
    let group: Vec<Option<f64>> = w.factors.iter().map(|f| f.mean).collect();
    let _ = write!(
        h,
        "<section id=\"chart\">\n<h2>Factors at a glance</h2>\n<p class=\"muted\">{} {}</p>\n<div class=\"chart\">{}\n<ul class=\"legend\">",
        if rb.factor.len() < 3 {
            "0 on the left leans PMO, 100 on the right leans VMO; the dashed marks are the band boundaries; the diamond is the group mean."
        } else {
            "0 at the centre leans PMO, 100 at the edge leans VMO; the dashed rings are the band boundaries."
        },
        if by_role && members.iter().any(|(_, m)| m.role.is_none()) {
            "One shape per role; respondents without a role count only in the group mean."
        } else if by_role {
            "One shape per role."
        } else if members.len() > MAX_POLYGONS {
            "Too many respondents and no roles to group them: only the group mean is drawn."
        } else if single {
            ""
        } else {
            "One shape per respondent."
        },
        radar(rubric, &series, &group).into_string()
    );
    for (k, se) in series.iter().enumerate() {
        let _ = write!(
            h,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
            PALETTE[k % PALETTE.len()],
            esc(&se.name)
        );
    }
    let _ = writeln!(
        h,
        "<li><span class=\"swatch\" style=\"background:#1d2330\"></span><strong>{}</strong></li></ul>\n</div>\n</section>",
        if single {
            esc(&display_name(&members[0].1))
        } else {
            "Group mean".to_string()
        }
    );

    // The factor table.
    h.push_str("<section id=\"factors\">\n<h2>Factor scores</h2>\n<div class=\"scroll\"><table class=\"factors\">\n");
    if single {
        h.push_str("<thead><tr><th>Factor</th><th class=\"n\">Score</th><th class=\"n\">Weight</th><th class=\"n\">Answered</th></tr></thead>\n<tbody>\n");
        for (fi, (f, fs)) in rb
            .factor
            .iter()
            .zip(&members[0].1.evaluation.factors)
            .enumerate()
        {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} of {}</td></tr>",
                esc(&f.title),
                fs.score
                    .map_or("–".into(), |x| crate::render::factor_num(rubric, fi, x)),
                crate::render::setting_num(f.weight),
                fs.answered,
                fs.questions
            );
        }
    } else {
        h.push_str("<thead><tr><th>Factor</th><th class=\"n\">Mean</th><th class=\"n\">Median</th><th class=\"n\">Spread (stdev)</th><th class=\"n\">Min</th><th class=\"n\">Max</th><th class=\"n\">Answered</th></tr></thead>\n<tbody>\n");
        for (fi, (f, s)) in rb.factor.iter().zip(&w.factors).enumerate() {
            let o = |x: Option<f64>| x.map_or("–".into(), num);
            let mean = s
                .mean
                .map_or("–".into(), |m| crate::render::factor_num(rubric, fi, m));
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} of {}</td></tr>",
                esc(&f.title),
                mean,
                o(s.median),
                o(s.stdev),
                o(s.min),
                o(s.max),
                s.answered,
                w.respondents
            );
        }
    }
    h.push_str("</tbody></table></div>\n</section>\n");

    // Gates.
    h.push_str("<section id=\"gates\">\n<h2>Gates</h2>\n");
    let fired = gate_lines(rubric, w);
    if fired.is_empty() {
        h.push_str("<p>No gate fired: the recommendation is the band of the index.</p>\n");
    } else {
        h.push_str("<ul>");
        for g in fired {
            let _ = write!(h, "<li>{}</li>", esc(&g));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");

    // The flip.
    h.push_str("<section id=\"flip\">\n<h2>How firm is it?</h2>\n");
    if single {
        let _ = writeln!(
            h,
            "<p>{}</p>",
            esc(&crate::flip::sentence(rubric, members[0].1.flip.as_ref()))
        );
    } else {
        let _ = write!(
            h,
            "<p>{}</p>\n<p class=\"muted\">Per respondent, the single answer that would change each one's own result:</p>\n<ul>",
            esc(&tipping_sentence(rubric, w.tipping.as_ref()))
        );
        for (_, m) in members {
            let _ = write!(
                h,
                "<li><strong>{}</strong> ({}): {}</li>",
                esc(&display_name(m)),
                m.evaluation.recommendation.label(),
                esc(&crate::flip::sentence(rubric, m.flip.as_ref()))
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");

    // The agenda and roles (groups only).
    if !single && !w.agenda.is_empty() {
        h.push_str("<section id=\"agenda\">\n<h2>Agenda for the discussion</h2>\n<p class=\"muted\">The questions the respondents disagree on most come first.</p>\n<div class=\"scroll\"><table class=\"agenda\">\n<thead><tr><th class=\"n\">#</th><th>Question</th><th class=\"n\">Spread</th><th>Answers</th></tr></thead>\n<tbody>\n");
        for (i, item) in w.agenda.iter().enumerate() {
            let Some(qi) = rubric.question(&item.question) else {
                continue;
            };
            let q = &rb.question[qi];
            let split: Vec<String> = item
                .split
                .iter()
                .map(|(o, c)| {
                    let label = q
                        .option
                        .iter()
                        .find(|x| x.id == *o)
                        .map_or(o.as_str(), |x| x.label.as_str());
                    format!("{}: {c}", esc(label))
                })
                .collect();
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                i + 1,
                esc(&q.text),
                num(item.stdev),
                split.join("<br>")
            );
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }
    if !single && !w.roles.is_empty() {
        h.push_str("<section id=\"roles\">\n<h2>Roles</h2>\n<div class=\"scroll\"><table class=\"roles\">\n<thead><tr><th>Role</th><th class=\"n\">Respondents</th>");
        for f in &rb.factor {
            let _ = write!(h, "<th class=\"n\">{}</th>", esc(&f.title));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for r in &w.roles {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td>",
                esc(&r.role),
                r.respondents
            );
            for f in &r.factors {
                let _ = write!(h, "<td class=\"n\">{}</td>", f.mean.map_or("–".into(), num));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
        let flags = flag_lines(rubric, w);
        if flags.is_empty() {
            let _ = writeln!(
                h,
                "<p>No two roles are {} points or more apart on any factor.</p>",
                crate::workshop::ROLE_GAP
            );
        } else {
            h.push_str("<ul>");
            for f in flags {
                let _ = write!(h, "<li class=\"flag\">⚑ {}</li>", esc(&f));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }

    // Next steps.
    if !rec.next_steps.is_empty() {
        h.push_str("<section id=\"next-steps\">\n<h2>Next steps</h2>\n<ol>");
        for s in &rec.next_steps {
            let _ = write!(h, "<li>{}</li>", esc(s));
        }
        h.push_str("</ol>\n</section>\n");
    }

    // Notes.
    if !w.notes.is_empty() {
        h.push_str("<section id=\"notes\">\n<h2>Notes from the answer sheets</h2>\n");
        for n in &w.notes {
            let q = rubric
                .question(&n.question)
                .map_or(n.question.as_str(), |i| rb.question[i].text.as_str());
            let _ = writeln!(
                h,
                "<p><strong>{}</strong> on <em>{}</em></p>\n<blockquote>{}</blockquote>",
                esc(&n.respondent),
                esc(q),
                esc(&n.text)
            );
        }
        h.push_str("</section>\n");
    }

    // Respondents.
    h.push_str("<section id=\"respondents\">\n<h2>Respondents</h2>\n<div class=\"scroll\"><table class=\"respondents\">\n<thead><tr><th>Respondent</th><th>Role</th><th class=\"n\">Index</th><th>Result</th><th class=\"n\">Answered</th></tr></thead>\n<tbody>\n");
    for (_, m) in members {
        let e = &m.evaluation;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{} of {}</td></tr>",
            esc(&display_name(m)),
            esc(m.role.as_deref().unwrap_or("")),
            crate::render::index_num(rubric, e.index),
            e.recommendation.label(),
            e.answered,
            e.questions
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
    let _ = writeln!(
        h,
        "<footer><p class=\"muted\">Made with pmo-vmo {} from {} answer sheet{}.</p></footer>\n</main>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        members.len(),
        if single { "" } else { "s" }
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            esc(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    fn members(names: &[&str]) -> (LoadedRubric, Vec<(ResolvedSheet, SheetResult)>) {
        let r = LoadedRubric::embedded().unwrap();
        let ms = names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let mut text = format!(
                    "rubric = \"pmo-vmo\"\nrespondent = '{name}'\nrole = '{name}'\norganisation = '{name}'\n[answers]\n"
                );
                for (i, q) in r.rubric.question.iter().enumerate() {
                    let _ = writeln!(text, "{} = \"{}\"", q.id, q.option[(i + k) % q.option.len()].id);
                }
                let _ = writeln!(text, "[notes]\n{} = '{name}'", r.rubric.question[0].id);
                let s = crate::sheet::load_text(&r, "s.toml", &text, crate::sheet::SheetFormat::Toml)
                    .unwrap();
                let res = crate::batch::score(&r, &s).unwrap();
                (s, res)
            })
            .collect();
        (r, ms)
    }

    #[test]
    fn an_unanswered_factor_has_no_corner_on_the_radar() {
        let r = LoadedRubric::embedded().unwrap();
        let series = [Series {
            name: "A".into(),
            values: vec![Some(50.0), None, Some(50.0), Some(50.0)],
        }];
        let svg = radar(&r, &series, &[Some(50.0), None, Some(50.0), Some(50.0)]).into_string();
        let corners = |class: &str| {
            let at = svg.find(&format!("class=\"{class}\" points=\"")).unwrap();
            let rest = &svg[at..];
            let points = rest.split('"').nth(3).unwrap();
            points.split(' ').count()
        };
        assert_eq!(corners("series"), 3, "{svg}");
        assert_eq!(corners("group"), 3);
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn user_text_never_reaches_the_page_unescaped() {
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        let (r, ms) = members(&[evil, "Bob & <b>Co</b>"]);
        let html = render(&r, &ms).unwrap();
        assert!(!html.contains("<script"), "a script element leaked");
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>Co"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Bob &amp; &lt;b&gt;Co&lt;/b&gt;"));
    }

    #[test]
    fn self_contained_and_complete() {
        let (r, ms) = members(&["Ann", "Bob", "Cy"]);
        let html = render(&r, &ms).unwrap();
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
        let html = render(&r, &ms).unwrap();
        assert_eq!(html.matches("class=\"series\"").count(), 0);
        assert_eq!(html.matches("class=\"group\"").count(), 1);
        let flip = esc(&crate::flip::sentence(&r, ms[0].1.flip.as_ref()));
        assert!(html.contains(&flip), "{flip}");
        // No group-only sections for one person.
        assert!(!html.contains("<section id=\"agenda\">"));
        assert!(!html.contains("<section id=\"roles\">"));
    }

    #[test]
    fn many_respondents_are_drawn_per_role() {
        let names: Vec<String> = (0..10).map(|i| format!("p{}", i % 3)).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let (r, ms) = members(&refs);
        let html = render(&r, &ms).unwrap();
        // Roles p0, p1, p2.
        assert_eq!(html.matches("class=\"series\"").count(), 3);
        assert!(html.contains("One shape per role."));
    }
}
