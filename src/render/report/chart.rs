//! The charts of the report, in inline SVG: one bar per factor (the group's mean,
//! the spread of the respondents' scores, a band for the baseline), which reads
//! in print and on a phone; and, where it reads (three factors or more, a few
//! shapes), a radar with one axis per factor, or one strip per factor when there
//! are fewer than three; and their legend.

use maud::{Markup, html};

use super::{MAX_POLYGONS, Report};
use crate::rubric::LoadedRubric;

const PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

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
pub(super) struct Series {
    pub(super) name: String,
    pub(super) values: Vec<Option<f64>>,
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
fn strips(
    rubric: &LoadedRubric,
    series: &[Series],
    group: &[Option<f64>],
    before: Option<&[Option<f64>]>,
) -> Markup {
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
                @if let Some(v) = before.and_then(|b| b[i]) {
                    circle class="baseline" cx=(f1(x(v))) cy=(y) r="8" fill="none"
                        stroke="#8a93a5" stroke-width="2" stroke-dasharray="3 3"
                    {
                        title { "Baseline" }
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

/// The radar reads with at most this many shapes besides the group's.
const RADAR_SHAPES: usize = 4;

/// One bar per factor, full width, its title above it: the group's mean as the
/// bar, the lowest to highest respondent's score as a whisker with the middle
/// half-spread (mean less and plus one standard deviation) as a box, the band
/// boundaries dashed, and the baseline's mean as a grey band behind the bar.
/// Large type in a narrow view box, so that it reads at a phone's width.
pub(super) fn bars(
    rubric: &LoadedRubric,
    stats: &[crate::workshop::FactorStats],
    before: Option<&[Option<f64>]>,
) -> Markup {
    let factors = &rubric.rubric.factor;
    let (left, right, row) = (10.0, 490.0, 92.0);
    let height = 16.0 + row * factors.len() as f64 + 24.0;
    let x = |v: f64| left + (right - left) * v.clamp(0.0, 100.0) / 100.0;
    let whole = |v: f64| format!("{v:.0}");
    html! {
        svg.bars xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 500 " (height)} role="img"
            aria-labelledby="bars-title"
        {
            title id="bars-title" {
                "Factor scores of the group, 0 (PMO-leaning) on the left to 100 (VMO-leaning) on the right, with the spread of the respondents' scores"
            }
            @for (i, f) in factors.iter().enumerate() {
                @let top = 16.0 + row * i as f64;
                @let y = top + 30.0;
                @let st = stats.get(i);
                @let mean = st.and_then(|s| s.mean);
                text x=(left) y=(f1(top + 8.0)) font-size="17" font-weight="600" fill="#1d2330" {
                    (f.title)
                }
                text x=(right) y=(f1(top + 8.0)) text-anchor="end" font-size="17" fill="#1d2330" {
                    @match mean { Some(m) => (whole(m)), None => "not answered" }
                }
                rect x=(left) y=(f1(y)) width=(f1(right - left)) height="22" rx="3"
                    fill="#eef1f6" {}
                @if let Some(b) = before.and_then(|b| b.get(i).copied().flatten()) {
                    rect class="baseline" x=(left) y=(f1(y - 5.0)) width=(f1(x(b) - left))
                        height="32" rx="3" fill="#8a93a5" fill-opacity="0.28"
                    {
                        title { "Baseline: " (whole(b)) }
                    }
                }
                @if let Some(m) = mean {
                    rect class="mean" x=(left) y=(f1(y + 4.0)) width=(f1(x(m) - left))
                        height="14" rx="2" fill="#1f5fbf"
                    {
                        title { "Group mean: " (whole(m)) }
                    }
                }
                @for b in boundaries(rubric) {
                    line class="boundary" x1=(f1(x(b))) y1=(f1(y - 7.0)) x2=(f1(x(b)))
                        y2=(f1(y + 29.0)) stroke="#5b6475" stroke-dasharray="4 3" {}
                }
                @if let (Some(lo), Some(hi)) = (st.and_then(|s| s.min), st.and_then(|s| s.max)) {
                    @if hi > lo {
                        line class="spread" x1=(f1(x(lo))) y1=(f1(y + 38.0)) x2=(f1(x(hi)))
                            y2=(f1(y + 38.0)) stroke="#1d2330" stroke-width="2"
                        {
                            title { "Respondents from " (whole(lo)) " to " (whole(hi)) }
                        }
                        @for v in [lo, hi] {
                            line x1=(f1(x(v))) y1=(f1(y + 32.0)) x2=(f1(x(v))) y2=(f1(y + 44.0))
                                stroke="#1d2330" stroke-width="2" {}
                        }
                        @if let (Some(m), Some(sd)) = (mean, st.and_then(|s| s.stdev)) {
                            rect x=(f1(x(m - sd))) y=(f1(y + 33.0))
                                width=(f1((x(m + sd) - x(m - sd)).max(2.0))) height="10"
                                fill="#1d2330" fill-opacity="0.35" {}
                        }
                    }
                }
            }
            @let axis = 16.0 + row * factors.len() as f64 + 10.0;
            @for v in [0.0, 50.0, 100.0] {
                text x=(f1(x(v))) y=(f1(axis)) font-size="14" fill="#5b6475"
                    text-anchor=(if v == 0.0 { "start" } else if v == 100.0 { "end" } else { "middle" })
                { (whole(v)) }
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
pub(super) fn radar(
    rubric: &LoadedRubric,
    series: &[Series],
    group: &[Option<f64>],
    before: Option<&[Option<f64>]>,
) -> Markup {
    let factors = &rubric.rubric.factor;
    if factors.len() < 3 {
        return strips(rubric, series, group, before);
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
            @if let Some(before) = before {
                polygon class="baseline" points=(radar.shape(before)) fill="none"
                    stroke="#8a93a5" stroke-width="2.5" stroke-dasharray="3 5"
                {
                    title { "Baseline" }
                }
            }
            polygon class="group" points=(radar.shape(group)) fill="#1d2330"
                fill-opacity="0.12" stroke="#1d2330" stroke-width="3.5" stroke-dasharray="8 4"
            {
                title { "Group mean" }
            }
        }
    }
}

/// The chart section: the shapes, how to read them and the legend.
impl Report<'_> {
    /// Whether the chart draws one shape per role rather than per respondent.
    fn by_role(&self) -> bool {
        self.count > MAX_POLYGONS && !self.w.roles.is_empty()
    }

    /// The shapes on the chart besides the group's.
    fn series(&self) -> Vec<Series> {
        let (members, w) = (self.first, self.w);
        if self.by_role() {
            w.roles
                .iter()
                .map(|r| Series {
                    name: format!("{} ({})", r.role, r.respondents),
                    values: r.factors.iter().map(|f| f.mean).collect(),
                })
                .collect()
        } else if self.single || self.count > MAX_POLYGONS {
            // One respondent is the group shape itself; too many without roles are unreadable.
            Vec::new()
        } else {
            members
                .iter()
                .map(|(_, m)| Series {
                    name: match &m.role {
                        Some(role) => format!(
                            "{} ({})",
                            self.names.member(m),
                            super::summary::role_words(self.rubric, role)
                        ),
                        None => self.names.member(m),
                    },
                    values: m.evaluation.factors.iter().map(|f| f.score).collect(),
                })
                .collect()
        }
    }

    /// How to read the chart and what its shapes are.
    fn chart_caption(&self) -> String {
        let scale = if self.rubric.rubric.factor.len() < 3 {
            "0 on the left leans PMO, 100 on the right leans VMO; \
             the dashed marks are the band boundaries; the diamond is the group mean."
        } else {
            "0 at the centre leans PMO, 100 at the edge leans VMO; \
             the dashed rings are the band boundaries."
        };
        let shapes = if self.by_role() && self.roleless {
            "One shape per role; respondents without a role count only in the group mean."
        } else if self.by_role() {
            "One shape per role."
        } else if self.count > MAX_POLYGONS {
            "Too many respondents and no roles to group them: only the group mean is drawn."
        } else if self.single {
            ""
        } else {
            "One shape per respondent."
        };
        format!("{scale} {shapes}")
    }

    /// The chart with its legend.
    pub(super) fn chart(&self) -> Markup {
        let series = self.series();
        let group: Vec<Option<f64>> = self.w.factors.iter().map(|f| f.mean).collect();
        let before: Option<Vec<Option<f64>>> = self
            .baseline
            .map(|c| c.before.factors.iter().map(|f| f.score).collect());
        html! {
            section id="chart" {
                h2 { "Factors at a glance" }
                (bars(self.rubric, &self.w.factors, before.as_deref()))
                p.muted {
                    (BARS_CAPTION)
                    @if self.baseline.is_some() { " " (BASELINE_CAPTION) }
                }
                @if self.radar_reads(&series) {
                p.muted { (self.chart_caption()) }
                div.chart {
                    (radar(self.rubric, &series, &group, before.as_deref()))
                    ul.legend {
                        @for (k, se) in series.iter().enumerate() {
                            li { span.swatch style={ "background:" (colour(k)) } {} (se.name) }
                        }
                        @if let Some(c) = self.baseline {
                            li {
                                span.swatch.baseline {}
                                "Baseline"
                                @if let Some(d) = &c.before.date { " (" (d) ")" }
                            }
                        }
                        li {
                            span.swatch style="background:#1d2330" {}
                            strong {
                                @if self.single {
                                    (self.names.member(&self.first[0].1))
                                } @else {
                                    "Group mean"
                                }
                            }
                        }
                    }
                }
                }
            }
        }
    }

    /// Whether the radar (or the strips) reads beside the bars: a single
    /// respondent, or a few shapes. With many shapes the bars say it alone.
    fn radar_reads(&self, series: &[Series]) -> bool {
        series.len() <= RADAR_SHAPES
    }
}

/// How to read the bars.
const BARS_CAPTION: &str = "Each bar is the group's mean score on the factor, 0 leaning PMO and \
    100 leaning VMO; the dashed marks are the band boundaries. Below each bar, the line runs from \
    the lowest to the highest respondent and the box covers one standard deviation either side \
    of the mean.";

/// What the grey band is, when a baseline is drawn.
const BASELINE_CAPTION: &str = "The grey band behind each bar reaches the baseline's mean.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unanswered_factor_has_no_corner_on_the_radar() {
        let r = crate::testing::v2();
        let series = [Series {
            name: "A".into(),
            values: vec![Some(50.0), None, Some(50.0), Some(50.0)],
        }];
        let svg = radar(
            &r,
            &series,
            &[Some(50.0), None, Some(50.0), Some(50.0)],
            None,
        )
        .into_string();
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
}
