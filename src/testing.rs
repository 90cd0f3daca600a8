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

/// The embedded rubric, loaded once: results borrow from it for the whole test.
pub(crate) fn embedded() -> &'static crate::LoadedRubric {
    static RUBRIC: std::sync::LazyLock<crate::LoadedRubric> =
        std::sync::LazyLock::new(|| crate::LoadedRubric::embedded().unwrap());
    &RUBRIC
}
