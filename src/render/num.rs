//! Every figure a person reads, formatted in one place: one decimal, halves away
//! from zero, and never rounded across a band boundary or a gate threshold.

use crate::rubric::{LoadedRubric, reaches};

/// A number as people read it: one decimal.
pub(crate) fn num(x: f64) -> String {
    fixed(x, 1)
}

/// `x` with `decimals` decimals, halves rounded away from zero as people do on paper
/// (21.25 reads 21.3, like 18.75 reads 18.8; Rust's own formatting rounds the first
/// down, to even).
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    let r = (x * scale).round() / scale;
    if !r.is_finite() {
        return format!("{x:.decimals$}");
    }
    // No "-0.0" for a tiny negative.
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r:.decimals$}")
}

/// One decimal, or as many more as it takes for the figure shown to stay on the same
/// side of every threshold as the figure itself: an index of 59.96 under a VMO
/// boundary of 60 reads "59.96", not "60.0" beside a Hybrid result.
pub(crate) fn num_beside(x: f64, thresholds: &[f64]) -> String {
    for decimals in 1..=6 {
        let s = fixed(x, decimals);
        let r: f64 = s.parse().unwrap_or(x);
        if thresholds.iter().all(|&t| reaches(x, t) == reaches(r, t)) {
            return s;
        }
    }
    x.to_string()
}

/// An index as people read it, kept on its side of the band boundaries.
pub(crate) fn index_num(rubric: &LoadedRubric, x: f64) -> String {
    let s = &rubric.rubric.scoring;
    num_beside(x, &[s.hybrid_from, s.vmo_from])
}

/// An index inside a sentence: as [`index_num`], except that one a hair under a
/// boundary (less than 0.05, where one decimal would round it onto the boundary)
/// reads "just under 60.0" rather than "59.9999995".
pub(crate) fn index_words(rubric: &LoadedRubric, x: f64) -> String {
    let s = &rubric.rubric.scoring;
    for b in [s.hybrid_from, s.vmo_from] {
        if !reaches(x, b) && b - x < 0.05 {
            return format!("just under {}", setting_num(b));
        }
    }
    index_num(rubric, x)
}

/// Factor `fi`'s score as people read it, kept on its side of the band boundaries
/// (which set its leaning) and of the thresholds of the gates on that factor.
pub(crate) fn factor_num(rubric: &LoadedRubric, fi: usize, x: f64) -> String {
    let r = &rubric.rubric;
    let mut t = vec![r.scoring.hybrid_from, r.scoring.vmo_from];
    for (g, &gt) in r.gate.iter().zip(rubric.gate_targets()) {
        if gt == crate::rubric::Target::Factor(fi) {
            t.extend(g.below.iter().chain(&g.at_least));
        }
    }
    num_beside(x, &t)
}

/// A rubric setting (a weight, a band boundary, a gate threshold) as written: one
/// decimal when that is exact (1.0, 0.5), otherwise in full (0.25, 33.33, 0.000001),
/// since a setting is not a measurement and rounding it can misstate it.
pub(crate) fn setting_num(w: f64) -> String {
    if w.abs() >= 1e9 {
        return plain(w);
    }
    let s = num(w);
    if s.parse::<f64>() == Ok(w) {
        s
    } else {
        plain(w)
    }
}

/// Factor `fi`'s score as [`factor_num`], or a dash when unanswered.
pub(crate) fn opt_factor_num(rubric: &LoadedRubric, fi: usize, x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| factor_num(rubric, fi, x))
}

/// An optional score: one decimal, or a dash when unanswered.
pub(crate) fn opt_num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), num)
}

/// A number as short as it can be without hiding a difference from `other`
/// (so `4.96` is never shown as `5.0 < 5`), with no trailing zeros.
pub(crate) fn short(x: f64, other: f64) -> String {
    // `-0` (from `--min-margin -0`, say) reads as the 0 it equals.
    let (x, other) = (x + 0.0, other + 0.0);
    if x.abs() >= 1e9 {
        return plain(x);
    }
    for decimals in 1..=6 {
        let s = trim(fixed(x, decimals));
        let o = trim(fixed(other, decimals));
        if s != o || x == other {
            return s;
        }
    }
    plain(x)
}

/// A number written as given, for a message that quotes a setting: no `-0`, and a
/// very large or very small one in scientific notation (`1e308`, not 309 digits).
pub(crate) fn plain(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let a = x.abs();
    if a.is_finite() && !(1e-6..1e9).contains(&a) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// A figure without trailing zeros (`5.0` -> `5`, `4.50` -> `4.5`).
pub(crate) fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_minus_zero_and_no_309_digits() {
        // Hardening finding 21.
        assert_eq!(short(-0.0, 10.0), "0");
        assert_eq!(short(10.0, -0.0), "10");
        assert_eq!(plain(-0.0), "0");
        assert_eq!(plain(1e308), "1e308");
        assert_eq!(plain(-2.5e-9), "-2.5e-9");
        assert_eq!(plain(100.5), "100.5");
        assert_eq!(setting_num(1e308), "1e308");
    }

    #[test]
    fn a_shown_figure_stays_on_its_side_of_every_threshold() {
        let t = [40.0, 60.0];
        // One decimal where it cannot mislead.
        assert_eq!(num_beside(47.26, &t), "47.3");
        assert_eq!(num_beside(60.04, &t), "60.0");
        assert_eq!(num_beside(40.0, &t), "40.0");
        // Just under a boundary: as many decimals as it takes.
        assert_eq!(num_beside(59.96, &t), "59.96");
        assert_eq!(num_beside(39.9996, &t), "39.9996");
        assert_eq!(num_beside(60.0 - 1e-7, &t), (60.0 - 1e-7).to_string());
        // A rounding error under it counts as on it (scoring::TOLERANCE).
        assert_eq!(num_beside(59.99999999999999, &t), "60.0");
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(num(21.25), "21.3");
        assert_eq!(num(18.75), "18.8");
        assert_eq!(num(47.26), "47.3");
        assert_eq!(num(-0.04), "0.0");
        assert_eq!(fixed(59.995, 2), "60.00");
        assert_eq!(num(f64::NAN), "NaN");
    }

    #[test]
    fn a_small_weight_is_never_shown_as_zero() {
        assert_eq!(setting_num(1.0), "1.0");
        assert_eq!(setting_num(0.25), "0.25");
        assert_eq!(setting_num(0.000001), "0.000001");
        assert_eq!(setting_num(0.01), "0.01");
        // A band boundary at a third reads as written, not as 33.3.
        assert_eq!(setting_num(33.33), "33.33");
        assert_eq!(setting_num(40.0), "40.0");
    }

    #[test]
    fn factor_scores_respect_their_gates_and_indexes_the_bands() {
        let r = crate::scoring::tests::small();
        // small: bands 40/60, gate `a-weak` below 30 on factor a (0), `b-strong` at 90 on b.
        assert_eq!(factor_num(&r, 0, 29.97), "29.97");
        assert_eq!(factor_num(&r, 1, 29.97), "30.0");
        assert_eq!(factor_num(&r, 1, 89.96), "89.96");
        assert_eq!(index_num(&r, 29.97), "30.0");
        assert_eq!(index_num(&r, 39.97), "39.97");
        assert_eq!(index_words(&r, 39.97), "just under 40.0");
        assert_eq!(index_words(&r, 60.0 - 1e-7), "just under 60.0");
        assert_eq!(index_words(&r, 59.94), "59.9");
        assert_eq!(index_words(&r, 60.0), "60.0");
    }
}
