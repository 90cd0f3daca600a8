//! What the unit tests share.

/// A fixed-seed xorshift: the same cases on every run, so a failure replays.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    pub(crate) fn pick<'a>(&mut self, texts: &[&'a str]) -> &'a str {
        texts[self.below(texts.len())]
    }
}

/// The default rubric 2.0.0 (a copy kept for the tests written for it), loaded
/// once: results borrow from it for the whole test.
pub(crate) fn embedded() -> &'static crate::LoadedRubric {
    static RUBRIC: std::sync::LazyLock<crate::LoadedRubric> = std::sync::LazyLock::new(v2);
    &RUBRIC
}

/// The text of the default rubric 2.0.0.
pub(crate) const V2: &str = include_str!("../tests/fixtures/v2/pmo-vmo-2.0.0.toml");

/// A fresh copy of the default rubric 2.0.0.
pub(crate) fn v2() -> crate::LoadedRubric {
    crate::LoadedRubric::from_str("pmo-vmo-2.0.0.toml", V2).unwrap()
}

/// The embedded default rubric (format 3), loaded once.
pub(crate) fn default3() -> &'static crate::LoadedRubric {
    static RUBRIC: std::sync::LazyLock<crate::LoadedRubric> =
        std::sync::LazyLock::new(|| crate::LoadedRubric::embedded().unwrap());
    &RUBRIC
}
