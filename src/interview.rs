//! The interview as a flow of steps, independent of any terminal: which question
//! comes next, what Back, skip and the review do, where a resumed sheet starts, and
//! the sheet to save after every answer.
//!
//! The questions are asked through a [`Prompter`] (the binary's draws on a
//! terminal; the tests' is a script), and every answer is handed to a saver, so the
//! whole flow is tested without a terminal.

use std::fmt;
use std::io;

use crate::input::sheet::Sheet;
use crate::rubric::{AnswerOption, Factor, LoadedRubric, Question};

/// What the respondent did with one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Chose the option at this index.
    Answer(usize),
    /// "Skip": the question is left unanswered on purpose (saved as `""`, so a
    /// resumed interview does not ask it again).
    Skip,
    /// "Don't know": an answer that counts nowhere (saved as `dont-know`).
    DontKnow,
    /// Back to the previous question (or, when changing an answer from the review,
    /// back to the review without changing it).
    Back,
    /// The note (evidence) for this question is now this text; blank removes it.
    /// The note is saved at once and the same question is asked again.
    Note(String),
}

/// What the respondent did on the review screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewReply {
    /// Done: score the sheet.
    Finish,
    /// Change the answer at this position in the asking order (0-based).
    Change(usize),
}

/// A factor about to be asked.
#[derive(Debug, Clone, Copy)]
pub struct FactorView<'a> {
    /// The factor; `None` for the part that asks about the organisation (its
    /// context questions, which belong to no factor).
    pub factor: Option<&'a Factor>,
    /// 1-based number of the factor.
    pub number: usize,
    /// How many factors the rubric has.
    pub count: usize,
    /// How many questions the factor has.
    pub questions: usize,
}

/// One question, as the prompter shows it.
#[derive(Debug, Clone, Copy)]
pub struct AskView<'a> {
    /// The question.
    pub question: &'a Question,
    /// `None` for a context question.
    pub factor: Option<&'a Factor>,
    /// 1-based position in the asking order.
    pub position: usize,
    /// How many questions there are.
    pub total: usize,
    /// The option already chosen (this session or in the resumed sheet).
    pub(crate) saved: Option<usize>,
    /// Whether it was answered "don't know".
    pub unknown: bool,
    /// Whether it was skipped on purpose.
    pub skipped: bool,
    /// Whether Back is offered: every question but the first, and every change
    /// made from the review (where Back returns to the review).
    pub can_go_back: bool,
    /// Whether the question was opened from the review screen.
    pub from_review: bool,
    /// The note written for this question so far.
    pub note: Option<&'a str>,
}

impl AskView<'_> {
    /// The option highlighted at first, so that Enter alone moves forward: the
    /// saved answer, else the first option (never Back, never skip).
    pub fn default_option(&self) -> usize {
        self.saved
            .filter(|&i| i < self.question.option.len())
            .unwrap_or(0)
    }
}

/// One line of the review screen.
#[derive(Debug, Clone, Copy)]
pub struct ReviewEntry<'a> {
    /// 1-based position in the asking order.
    pub position: usize,
    /// The question.
    pub question: &'a Question,
    /// `None` for a context question.
    pub factor: Option<&'a Factor>,
    /// The chosen option, or `None` when skipped, not known or not answered yet.
    pub answer: Option<&'a AnswerOption>,
    /// Whether the respondent chose "Don't know".
    pub unknown: bool,
    /// Whether the respondent chose to skip it.
    pub skipped: bool,
    /// The note written for this question, if any.
    pub note: Option<&'a str>,
}

/// Asks the questions. The terminal implementation lives in the binary; tests
/// use a scripted one. An error (such as `io::ErrorKind::Interrupted` for Ctrl-C)
/// stops the interview; what was saved stays saved.
pub trait Prompter {
    /// A new factor starts: show its title and description.
    fn factor(&mut self, view: &FactorView<'_>) -> io::Result<()>;
    /// Ask one question.
    fn ask(&mut self, view: &AskView<'_>) -> io::Result<Reply>;
    /// Show every answer; the default choice is to finish.
    fn review(&mut self, entries: &[ReviewEntry<'_>]) -> io::Result<ReviewReply>;
}

/// Why an interview stopped before the end.
#[derive(Debug)]
pub enum InterviewError {
    /// The prompter failed or was interrupted (Ctrl-C is `ErrorKind::Interrupted`).
    Prompt(io::Error),
    /// The sheet could not be saved.
    Save(io::Error),
}

impl InterviewError {
    /// Whether the respondent pressed Ctrl-C.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, InterviewError::Prompt(e) if e.kind() == io::ErrorKind::Interrupted)
    }
}

impl fmt::Display for InterviewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InterviewError::Prompt(e) => write!(f, "the interview stopped: {e}"),
            InterviewError::Save(e) => write!(f, "could not save the answers: {e}"),
        }
    }
}

impl std::error::Error for InterviewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InterviewError::Prompt(e) | InterviewError::Save(e) => Some(e),
        }
    }
}

/// How a run of the interview ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Finished from the review.
    Done,
    /// Back from the first question: the respondent's details are to be asked
    /// again; the next run starts at the first question.
    Details,
}

/// The state of one interview: the answers so far and the sheet fields around them.
#[derive(Debug, Clone)]
pub struct Interview<'a> {
    rubric: &'a LoadedRubric,
    /// Question indexes in asking order: factor by factor, file order within each.
    order: Vec<usize>,
    /// Per rubric question, the chosen option.
    choices: Vec<Option<usize>>,
    /// Per rubric question, whether it was answered "don't know".
    unknown: Vec<bool>,
    /// Per rubric question, whether it was skipped on purpose.
    skipped: Vec<bool>,
    /// Per rubric question, whether it was shown in this session.
    visited: Vec<bool>,
    /// Whether Back on the first question returns [`Ended::Details`].
    details_back: bool,
    /// Where the next run starts, when not at [`Interview::start`].
    next_start: Option<usize>,
    /// Respondent, role, organisation, notes and expectations carried into the sheet.
    base: Sheet,
}

impl<'a> Interview<'a> {
    /// A new interview. `base` supplies the respondent, role and anything else a
    /// resumed sheet had (its `answers` are ignored: `choices` holds them, one per
    /// rubric question, as [`crate::input::sheet::ResolvedSheet::choices`]).
    ///
    /// A resumed sheet's `dont-know` answers are answers, and its `""` answers
    /// before the last question it answers (in asking order) were skipped on
    /// purpose: neither is asked again. A `""` after that question was not reached
    /// (the rest of a sheet from `init`, all `""` until filled) and is asked.
    pub fn new(rubric: &'a LoadedRubric, base: Sheet, choices: Vec<Option<usize>>) -> Self {
        let n = rubric.rubric.question.len();
        let mut choices = choices;
        choices.resize(n, None);
        let mut order = Vec::with_capacity(n);
        // The organisation first (context questions), then factor by factor.
        let parts = std::iter::once(None).chain((0..rubric.rubric.factor.len()).map(Some));
        for part in parts {
            order.extend(
                (rubric.question_factors().iter().enumerate())
                    .filter(|(_, f)| **f == part)
                    .map(|(qi, _)| qi),
            );
        }
        let mut unknown = vec![false; n];
        let mut blank = vec![false; n];
        for (qid, v) in &base.answers {
            let Some(qi) = rubric.question(qid) else {
                continue;
            };
            match v.trim() {
                crate::rubric::DONT_KNOW => unknown[qi] = true,
                "" => blank[qi] = choices[qi].is_none(),
                _ => {}
            }
        }
        // The position of the last question answered (or "don't know").
        let reached = (order.iter())
            .rposition(|&qi| choices[qi].is_some() || unknown[qi])
            .map_or(0, |p| p + 1);
        let mut skipped = vec![false; n];
        for &qi in &order[..reached] {
            skipped[qi] = blank[qi];
        }
        Interview {
            rubric,
            order,
            choices,
            unknown,
            skipped,
            visited: vec![false; n],
            details_back: false,
            next_start: None,
            base,
        }
    }

    /// The questions answered "don't know", by rubric index.
    pub fn unknown(&self) -> Vec<usize> {
        (self.unknown.iter().enumerate())
            .filter(|(_, u)| **u)
            .map(|(qi, _)| qi)
            .collect()
    }

    /// Back on the first question ends the run with [`Ended::Details`], so that
    /// the respondent's details can be changed.
    pub fn with_details_back(mut self) -> Self {
        self.details_back = true;
        self
    }

    /// How many questions have an answer ("don't know" included), and how many
    /// there are.
    pub fn progress(&self) -> (usize, usize) {
        let answered = (self.choices.iter().zip(&self.unknown))
            .filter(|(c, u)| c.is_some() || **u)
            .count();
        (answered, self.order.len())
    }

    /// The respondent's details as they stand (to ask them again).
    pub fn base_mut(&mut self) -> &mut Sheet {
        &mut self.base
    }

    /// Whether the question at rubric index `qi` still waits for an answer: not
    /// answered, not "don't know", not skipped on purpose.
    fn open(&self, qi: usize) -> bool {
        self.choices[qi].is_none() && !self.unknown[qi] && !self.skipped[qi]
    }

    /// Where to go after the question at `pos`: the next question if it was
    /// shown this session or still waits for an answer, else the next one that
    /// waits (so a resumed interview walks no answered question), else the review.
    fn after(&self, pos: usize) -> usize {
        let next = pos + 1;
        if next >= self.order.len() {
            return self.order.len();
        }
        let qi = self.order[next];
        if self.visited[qi] || self.open(qi) {
            return next;
        }
        (next..self.order.len())
            .find(|&p| self.open(self.order[p]))
            .unwrap_or(self.order.len())
    }

    /// Question indexes in the order they are asked.
    #[cfg(test)]
    pub(crate) fn order(&self) -> &[usize] {
        &self.order
    }

    /// The chosen option of each rubric question.
    pub fn choices(&self) -> &[Option<usize>] {
        &self.choices
    }

    /// Where the interview starts: the first unanswered question in asking order,
    /// or the end (straight to the review) when everything is answered.
    pub(crate) fn start(&self) -> usize {
        self.order
            .iter()
            .position(|&q| self.open(q))
            .unwrap_or(self.order.len())
    }

    /// The note of the question at rubric index `qi`.
    pub(crate) fn note(&self, qi: usize) -> Option<&str> {
        let q = &self.rubric.rubric.question[qi];
        self.base.notes.get(&q.id).map(String::as_str)
    }

    /// Sets (or, when blank, removes) the note of the question at rubric index `qi`.
    /// The text is kept as written; only a blank note is dropped.
    pub(crate) fn set_note(&mut self, qi: usize, text: &str) {
        let id = &self.rubric.rubric.question[qi].id;
        if text.trim().is_empty() {
            self.base.notes.shift_remove(id);
        } else {
            self.base.notes.insert(id.clone(), text.to_string());
        }
    }

    /// The sheet as it stands: rubric id and version, the base fields, and the
    /// answers and notes so far in rubric order. Skipped questions are left out.
    pub fn sheet(&self) -> Sheet {
        let r = &self.rubric.rubric;
        let mut sheet = self.base.clone();
        sheet.rubric = r.id.clone();
        sheet.rubric_version = Some(r.version.clone());
        for field in [
            &mut sheet.respondent,
            &mut sheet.role,
            &mut sheet.organisation,
        ] {
            if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *field = None;
            }
        }
        sheet.answers = (r.question.iter().enumerate())
            .filter_map(|(qi, q)| {
                let value = match self.choices[qi] {
                    Some(oi) => q.option[oi].id.clone(),
                    None if self.unknown[qi] => crate::rubric::DONT_KNOW.to_string(),
                    None if self.skipped[qi] => String::new(),
                    None => return None,
                };
                Some((q.id.clone(), value))
            })
            .collect();
        // Notes in rubric order too (a note may stand beside a skipped question).
        sheet.notes = r
            .question
            .iter()
            .filter_map(|q| {
                let note = self.base.notes.get(&q.id)?;
                Some((q.id.clone(), note.clone()))
            })
            .collect();
        sheet
    }

    fn factor_view(&self, fi: Option<usize>) -> FactorView<'a> {
        let has_context = self.rubric.question_factors().iter().any(Option::is_none);
        let shift = usize::from(has_context);
        FactorView {
            factor: fi.map(|fi| &self.rubric.rubric.factor[fi]),
            number: fi.map_or(1, |fi| fi + 1 + shift),
            count: self.rubric.rubric.factor.len() + shift,
            questions: (self.rubric.question_factors().iter())
                .filter(|f| **f == fi)
                .count(),
        }
    }

    fn ask_view(&self, pos: usize, from_review: bool) -> AskView<'_> {
        let qi = self.order[pos];
        AskView {
            question: &self.rubric.rubric.question[qi],
            factor: self.rubric.question_factors()[qi].map(|fi| &self.rubric.rubric.factor[fi]),
            position: pos + 1,
            total: self.order.len(),
            saved: self.choices[qi],
            unknown: self.unknown[qi],
            skipped: self.skipped[qi],
            can_go_back: pos > 0 || from_review || self.details_back,
            from_review,
            note: self.note(qi),
        }
    }

    /// Every answer, in asking order, for the review screen.
    pub(crate) fn review_entries(&self) -> Vec<ReviewEntry<'_>> {
        let r = &self.rubric.rubric;
        self.order
            .iter()
            .enumerate()
            .map(|(pos, &qi)| {
                let q = &r.question[qi];
                ReviewEntry {
                    position: pos + 1,
                    question: q,
                    factor: self.rubric.question_factors()[qi].map(|fi| &r.factor[fi]),
                    answer: self.choices[qi].map(|oi| &q.option[oi]),
                    unknown: self.unknown[qi],
                    skipped: self.skipped[qi],
                    note: self.note(qi),
                }
            })
            .collect()
    }

    /// Runs the interview from [`Interview::start`] (or question 1 after
    /// [`Ended::Details`]) to the review's Finish, calling `save` with the whole
    /// sheet after every answer, skip, "don't know" or note. After a question, it
    /// goes to the next one if that was shown this session or still waits for an
    /// answer, else to the next that waits, else to the review: a resumed
    /// interview walks no question already answered or skipped.
    pub fn run(
        &mut self,
        prompter: &mut dyn Prompter,
        save: &mut dyn FnMut(&Sheet) -> io::Result<()>,
    ) -> Result<Ended, InterviewError> {
        let total = self.order.len();
        let mut pos = self.next_start.take().unwrap_or_else(|| self.start());
        let mut shown_factor: Option<Option<usize>> = None;
        // Set while a question opened from the review is on screen.
        let mut from_review = false;
        loop {
            if pos >= total {
                let entries = self.review_entries();
                match prompter.review(&entries).map_err(InterviewError::Prompt)? {
                    ReviewReply::Finish => return Ok(Ended::Done),
                    ReviewReply::Change(p) if p < total => {
                        pos = p;
                        from_review = true;
                    }
                    // Not a question: show the review again.
                    ReviewReply::Change(_) => {}
                }
                continue;
            }
            let qi = self.order[pos];
            let fi = self.rubric.question_factors()[qi];
            if !from_review && shown_factor != Some(fi) {
                prompter
                    .factor(&self.factor_view(fi))
                    .map_err(InterviewError::Prompt)?;
                shown_factor = Some(fi);
            }
            self.visited[qi] = true;
            let view = self.ask_view(pos, from_review);
            let options = view.question.option.len();
            let step = prompter.ask(&view).map_err(InterviewError::Prompt)?;
            let forward = match step {
                Reply::Answer(oi) if oi < options => {
                    self.choices[qi] = Some(oi);
                    self.unknown[qi] = false;
                    self.skipped[qi] = false;
                    true
                }
                // An option that does not exist: ask again.
                Reply::Answer(_) => false,
                Reply::Skip => {
                    self.choices[qi] = None;
                    self.unknown[qi] = false;
                    self.skipped[qi] = true;
                    true
                }
                Reply::DontKnow => {
                    self.choices[qi] = None;
                    self.unknown[qi] = true;
                    self.skipped[qi] = false;
                    true
                }
                // Saved at once; the same question is asked again, showing the note.
                Reply::Note(text) => {
                    self.set_note(qi, &text);
                    save(&self.sheet()).map_err(InterviewError::Save)?;
                    false
                }
                Reply::Back => {
                    if from_review {
                        pos = total;
                        from_review = false;
                    } else if pos == 0 && self.details_back {
                        self.next_start = Some(0);
                        return Ok(Ended::Details);
                    } else {
                        // On the first question there is nothing before: ask it again.
                        pos = pos.saturating_sub(1);
                    }
                    false
                }
            };
            if forward {
                save(&self.sheet()).map_err(InterviewError::Save)?;
                if from_review {
                    pos = total;
                    from_review = false;
                } else {
                    pos = self.after(pos);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::sheet::{SheetFormat, load_text};
    use std::collections::VecDeque;

    /// What the fake prompter was shown, in order.
    #[derive(Debug, Clone, PartialEq)]
    enum Shown {
        Factor(String),
        Ask {
            id: String,
            position: usize,
            saved: Option<usize>,
            default: usize,
            back: bool,
            note: Option<String>,
        },
        Review(Vec<Option<String>>),
    }

    #[derive(Debug, Clone)]
    enum Key {
        Ask(Reply),
        Review(ReviewReply),
        Interrupt,
    }

    /// Plays a script of answers and records every screen.
    struct Script {
        keys: VecDeque<Key>,
        shown: Vec<Shown>,
        /// The notes each review showed, one list per review.
        review_notes: Vec<Vec<Option<String>>>,
    }

    impl Script {
        fn new(keys: impl IntoIterator<Item = Key>) -> Self {
            Script {
                keys: keys.into_iter().collect(),
                shown: Vec::new(),
                review_notes: Vec::new(),
            }
        }

        fn next(&mut self) -> io::Result<Key> {
            match self.keys.pop_front() {
                Some(Key::Interrupt) => Err(io::Error::new(io::ErrorKind::Interrupted, "^C")),
                Some(k) => Ok(k),
                None => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "script ran out",
                )),
            }
        }

        fn asked(&self) -> Vec<String> {
            self.shown
                .iter()
                .filter_map(|s| match s {
                    Shown::Ask { id, .. } => Some(id.clone()),
                    _ => None,
                })
                .collect()
        }
    }

    impl Prompter for Script {
        fn factor(&mut self, view: &FactorView<'_>) -> io::Result<()> {
            self.shown.push(Shown::Factor(
                view.factor.map_or("context".to_string(), |f| f.id.clone()),
            ));
            Ok(())
        }

        fn ask(&mut self, view: &AskView<'_>) -> io::Result<Reply> {
            self.shown.push(Shown::Ask {
                id: view.question.id.clone(),
                position: view.position,
                saved: view.saved,
                default: view.default_option(),
                back: view.can_go_back,
                note: view.note.map(str::to_string),
            });
            match self.next()? {
                Key::Ask(s) => Ok(s),
                other => panic!("script expected a question, has {other:?}"),
            }
        }

        fn review(&mut self, entries: &[ReviewEntry<'_>]) -> io::Result<ReviewReply> {
            self.shown.push(Shown::Review(
                entries
                    .iter()
                    .map(|e| e.answer.map(|o| o.id.clone()))
                    .collect(),
            ));
            self.review_notes
                .push(entries.iter().map(|e| e.note.map(str::to_string)).collect());
            match self.next()? {
                Key::Review(s) => Ok(s),
                other => panic!("script expected the review, has {other:?}"),
            }
        }
    }

    fn rubric() -> LoadedRubric {
        crate::testing::v2()
    }

    fn base(r: &LoadedRubric) -> Sheet {
        Sheet {
            rubric: r.rubric.id.clone(),
            respondent: Some("Ana".into()),
            role: Some("sponsor".into()),
            ..Sheet::default()
        }
    }

    /// Runs a script and returns the interview, the script, and every saved sheet.
    fn play<'r>(
        r: &'r LoadedRubric,
        choices: Vec<Option<usize>>,
        keys: Vec<Key>,
    ) -> (
        Interview<'r>,
        Script,
        Vec<Sheet>,
        Result<Ended, InterviewError>,
    ) {
        let mut iv = Interview::new(r, base(r), choices);
        let mut script = Script::new(keys);
        let mut saved = Vec::new();
        let res = iv.run(&mut script, &mut |s: &Sheet| {
            saved.push(s.clone());
            Ok(())
        });
        (iv, script, saved, res)
    }

    fn answer(i: usize) -> Key {
        Key::Ask(Reply::Answer(i))
    }

    /// A rubric whose questions are listed out of factor order in the file.
    fn interleaved() -> LoadedRubric {
        let text = r#"
id = "mini"
version = "2.0.0"
title = "Mini"
[scoring]
hybrid-from = 40.0
vmo-from = 60.0
[[factor]]
id = "a"
title = "Factor A"
[[factor]]
id = "b"
title = "Factor B"
[[question]]
id = "b1"
factor = "b"
text = "B one?"
[[question.option]]
id = "x"
label = "X"
score = 0.0
[[question.option]]
id = "y"
label = "Y"
score = 100.0
[[question]]
id = "a1"
factor = "a"
text = "A one?"
[[question.option]]
id = "x"
label = "X"
score = 0.0
[[question.option]]
id = "y"
label = "Y"
score = 100.0
[[question]]
id = "a2"
factor = "a"
text = "A two?"
[[question.option]]
id = "x"
label = "X"
score = 0.0
[[question.option]]
id = "y"
label = "Y"
score = 100.0
[recommendation.pmo]
title = "P"
summary = "p"
[recommendation.hybrid]
title = "H"
summary = "h"
[recommendation.vmo]
title = "V"
summary = "v"
"#;
        LoadedRubric::from_str("mini.toml", text).unwrap()
    }

    #[test]
    fn asks_factor_by_factor_with_headings_and_saves_in_rubric_order() {
        let r = interleaved();
        let keys = vec![
            answer(1),
            answer(0),
            answer(1),
            Key::Review(ReviewReply::Finish),
        ];
        let (iv, script, saved, res) = play(&r, vec![], keys);
        res.unwrap();
        let shown: Vec<String> = script
            .shown
            .iter()
            .map(|s| match s {
                Shown::Factor(f) => format!("factor {f}"),
                Shown::Ask { id, position, .. } => format!("{position} {id}"),
                Shown::Review(_) => "review".into(),
            })
            .collect();
        assert_eq!(
            shown,
            ["factor a", "1 a1", "2 a2", "factor b", "3 b1", "review"]
        );
        assert_eq!(iv.choices(), &[Some(1), Some(1), Some(0)]);
        let last = saved.last().unwrap();
        let keys: Vec<&str> = last.answers.keys().map(String::as_str).collect();
        assert_eq!(keys, ["b1", "a1", "a2"], "rubric (file) order in the sheet");
        assert_eq!(last.rubric, "mini");
        assert_eq!(last.rubric_version.as_deref(), Some("2.0.0"));
    }

    #[test]
    fn every_answer_is_saved_with_the_whole_sheet_so_far() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut keys: Vec<Key> = (0..n).map(|i| answer(i % 5)).collect();
        keys.push(Key::Review(ReviewReply::Finish));
        let (iv, _, saved, res) = play(&r, vec![], keys);
        res.unwrap();
        assert_eq!(saved.len(), n, "one save per answer");
        for (k, sheet) in saved.iter().enumerate() {
            assert_eq!(sheet.answers.len(), k + 1, "save {k}");
            assert_eq!(sheet.respondent.as_deref(), Some("Ana"));
            assert_eq!(sheet.role.as_deref(), Some("sponsor"));
            let qi = iv.order()[k];
            let q = &r.rubric.question[qi];
            assert_eq!(sheet.answers[&q.id], q.option[k % 5].id);
            // Each saved sheet is a valid sheet that resolves to the same choices.
            let text = sheet.to_toml();
            let back = load_text(&r, "s.toml", &text, SheetFormat::Toml).unwrap();
            assert_eq!(back.choices[qi], Some(k % 5));
        }
    }

    #[test]
    fn back_returns_to_the_previous_question_with_its_answer_as_default() {
        let r = rubric();
        let keys = vec![
            answer(3),
            answer(2),
            Key::Ask(Reply::Back),
            Key::Ask(Reply::Back),
            // First question: Back does nothing, the question is asked again.
            Key::Ask(Reply::Back),
            answer(4),
            Key::Interrupt,
        ];
        let (_, script, saved, res) = play(&r, vec![], keys);
        assert!(res.unwrap_err().is_interrupted());
        let asks: Vec<(usize, Option<usize>, usize, bool)> = script
            .shown
            .iter()
            .filter_map(|s| match s {
                Shown::Ask {
                    position,
                    saved,
                    default,
                    back,
                    ..
                } => Some((*position, *saved, *default, *back)),
                _ => None,
            })
            .collect();
        assert_eq!(
            asks,
            [
                (1, None, 0, false),
                (2, None, 0, true),
                (3, None, 0, true),
                (2, Some(2), 2, true),
                (1, Some(3), 3, false),
                (1, Some(3), 3, false),
                (2, Some(2), 2, true),
            ]
        );
        // Back saves nothing; the changed first answer does.
        assert_eq!(saved.len(), 3);
        let q0 = &r.rubric.question[0];
        assert_eq!(saved[2].answers[&q0.id], q0.option[4].id);
    }

    #[test]
    fn skip_leaves_the_question_unanswered_and_clears_an_old_answer() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut keys = vec![answer(1), Key::Ask(Reply::Back), Key::Ask(Reply::Skip)];
        keys.extend((1..n).map(|_| Key::Ask(Reply::Skip)));
        keys.push(Key::Review(ReviewReply::Finish));
        let (iv, script, saved, res) = play(&r, vec![], keys);
        res.unwrap();
        assert!(iv.choices().iter().all(Option::is_none));
        assert_eq!(saved.len(), n + 1, "a skip is saved too");
        // Saved as "", skipped on purpose: every question, none answered.
        let last = &saved.last().unwrap().answers;
        assert_eq!(last.len(), n);
        assert!(last.values().all(String::is_empty));
        assert_eq!(
            script.shown.last(),
            Some(&Shown::Review(vec![None; n])),
            "the review shows every question as skipped"
        );
    }

    #[test]
    fn review_change_asks_one_question_then_returns_to_the_review() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut keys: Vec<Key> = (0..n).map(|_| answer(0)).collect();
        keys.push(Key::Review(ReviewReply::Change(5)));
        keys.push(answer(4));
        keys.push(Key::Review(ReviewReply::Change(2)));
        // Back from a change goes to the review, keeping the answer.
        keys.push(Key::Ask(Reply::Back));
        keys.push(Key::Review(ReviewReply::Finish));
        let (iv, script, saved, res) = play(&r, vec![], keys);
        res.unwrap();
        let q5 = iv.order()[5];
        assert_eq!(iv.choices()[q5], Some(4));
        assert_eq!(saved.len(), n + 1);
        let tail: Vec<&Shown> = script
            .shown
            .iter()
            .skip_while(|s| !matches!(s, Shown::Review(_)))
            .collect();
        assert_eq!(tail.len(), 5, "{tail:?}");
        assert!(matches!(
            tail[1],
            Shown::Ask {
                position: 6,
                saved: Some(0),
                back: true,
                ..
            }
        ));
        match tail[2] {
            Shown::Review(answers) => {
                let q = &r.rubric.question[q5];
                assert_eq!(answers[5].as_deref(), Some(q.option[4].id.as_str()));
            }
            other => panic!("expected the review, got {other:?}"),
        }
        assert!(matches!(tail[3], Shown::Ask { position: 3, .. }));
        assert!(matches!(tail[4], Shown::Review(_)));
        // No factor heading for a single change from the review.
        assert!(!tail.iter().any(|s| matches!(s, Shown::Factor(_))));
    }

    #[test]
    fn resume_starts_at_the_first_unanswered_question_and_keeps_answers() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut choices = vec![None; n];
        let order = Interview::new(&r, base(&r), vec![]).order().to_vec();
        for &qi in &order[..5] {
            choices[qi] = Some(2);
        }
        choices[order[7]] = Some(1);
        // Back to 5 and on: 6, 7, then 9 and the rest (8 has its answer).
        let mut keys = vec![Key::Ask(Reply::Back), answer(2)];
        keys.extend((6..n).map(|_| answer(0)));
        keys.push(Key::Review(ReviewReply::Finish));
        let (iv, script, saved, res) = play(&r, choices, keys);
        res.unwrap();
        let asked = script.asked();
        // 6, back to 5, then 6, 7 and 9 to the end.
        assert_eq!(asked.len(), n - 4, "{asked:?}");
        assert_eq!(asked[0], r.rubric.question[order[5]].id, "first unanswered");
        assert_eq!(asked[1], r.rubric.question[order[4]].id, "back");
        // The resumed answer is the default going back.
        assert!(matches!(
            script
                .shown
                .iter()
                .filter(|s| matches!(s, Shown::Ask { .. }))
                .nth(1),
            Some(Shown::Ask {
                saved: Some(2),
                default: 2,
                ..
            })
        ));
        // The heading of the factor resumed in is shown first.
        assert!(
            matches!(&script.shown[0], Shown::Factor(f) if *f == r.rubric.question[order[5]].factor)
        );
        // Question 8 had an answer: a resumed interview does not walk it (a stray
        // key would change it), and keeps it.
        assert!(
            !script
                .shown
                .iter()
                .any(|s| matches!(s, Shown::Ask { position: 8, .. }))
        );
        assert_eq!(iv.choices()[order[7]], Some(1));
        // The five answers before it, the one further on, and the new one.
        assert_eq!(saved.first().unwrap().answers.len(), 6);
        assert!(iv.choices().iter().all(Option::is_some));
    }

    #[test]
    fn a_resumed_skip_and_dont_know_are_not_asked_again_and_back_from_1_is_details() {
        let r = rubric();
        let n = r.rubric.question.len();
        let order = Interview::new(&r, base(&r), vec![]).order().to_vec();
        let (q0, q1, q2) = (order[0], order[1], order[2]);
        let mut b = base(&r);
        let id = |qi: usize| r.rubric.question[qi].id.clone();
        let oid = r.rubric.question[q0].option[0].id.clone();
        b.answers.insert(id(q0), oid);
        b.answers.insert(id(q1), String::new());
        b.answers.insert(id(q2), crate::rubric::DONT_KNOW.into());
        let mut choices = vec![None; n];
        choices[q0] = Some(0);
        let mut iv = Interview::new(&r, b, choices).with_details_back();
        assert_eq!(iv.progress(), (2, n), "an answer and a don't know");
        assert_eq!(iv.start(), 3, "the skip and the don't know are not open");
        // Back from the first question asked (4): to 3? No: 3 is answered
        // "don't know", Back still walks back one at a time.
        let mut keys = vec![Key::Ask(Reply::DontKnow)];
        keys.extend((4..n).map(|_| answer(0)));
        keys.push(Key::Review(ReviewReply::Finish));
        let mut script = Script::new(keys);
        let mut saved = Vec::new();
        let res = iv.run(&mut script, &mut |s: &Sheet| {
            saved.push(s.clone());
            Ok(())
        });
        assert_eq!(res.unwrap(), Ended::Done);
        assert_eq!(script.asked()[0], id(order[3]));
        let last = saved.last().unwrap();
        assert_eq!(last.answers[&id(q1)], "");
        assert_eq!(last.answers[&id(q2)], crate::rubric::DONT_KNOW);
        assert_eq!(last.answers[&id(order[3])], crate::rubric::DONT_KNOW);
        assert_eq!(iv.unknown().len(), 2);
        let entries = iv.review_entries();
        assert!(entries[1].skipped && !entries[1].unknown);
        assert!(entries[2].unknown && !entries[2].skipped);

        // A fresh interview: Back on question 1 ends with Details, and the next
        // run starts at question 1 again.
        let mut iv = Interview::new(&r, base(&r), vec![]).with_details_back();
        let mut script = Script::new(vec![Key::Ask(Reply::Back)]);
        let res = iv.run(&mut script, &mut |_| Ok(()));
        assert_eq!(res.unwrap(), Ended::Details);
        let mut script = Script::new(vec![Key::Interrupt]);
        let _ = iv.run(&mut script, &mut |_| Ok(()));
        assert_eq!(script.asked(), [id(order[0])]);
    }

    #[test]
    fn a_blank_sheet_skipped_nothing() {
        let r = rubric();
        let mut b = base(&r);
        for q in &r.rubric.question {
            b.answers.insert(q.id.clone(), String::new());
        }
        let iv = Interview::new(&r, b, vec![]);
        assert_eq!(iv.start(), 0);
        assert_eq!(iv.progress().0, 0);
    }

    #[test]
    fn a_complete_sheet_resumes_at_the_review() {
        let r = rubric();
        let n = r.rubric.question.len();
        let (_, script, saved, res) =
            play(&r, vec![Some(1); n], vec![Key::Review(ReviewReply::Finish)]);
        res.unwrap();
        assert_eq!(script.shown.len(), 1);
        assert!(matches!(&script.shown[0], Shown::Review(a) if a.iter().all(Option::is_some)));
        assert!(saved.is_empty());
    }

    #[test]
    fn interrupt_stops_at_once_and_the_last_save_has_every_answer_before_it() {
        let r = rubric();
        let keys = vec![answer(1), answer(2), answer(3), Key::Interrupt];
        let (_, _, saved, res) = play(&r, vec![], keys);
        let err = res.unwrap_err();
        assert!(err.is_interrupted(), "{err}");
        assert_eq!(saved.len(), 3);
        assert_eq!(saved[2].answers.len(), 3);
    }

    #[test]
    fn a_failed_save_stops_the_interview_with_a_save_error() {
        let r = rubric();
        let mut iv = Interview::new(&r, base(&r), vec![]);
        let mut script = Script::new(vec![answer(0), answer(0)]);
        let err = iv
            .run(&mut script, &mut |_| Err(io::Error::other("disk full")))
            .unwrap_err();
        assert!(matches!(err, InterviewError::Save(_)));
        assert!(err.to_string().contains("disk full"));
        assert_eq!(script.asked().len(), 1);
    }

    #[test]
    fn blank_respondent_is_left_out_and_resumed_fields_are_kept() {
        let r = rubric();
        let mut b = base(&r);
        b.respondent = Some("  ".into());
        b.organisation = Some("Acme".into());
        b.notes
            .insert(r.rubric.question[0].id.clone(), "evidence".into());
        let iv = Interview::new(&r, b, vec![Some(0)]);
        let s = iv.sheet();
        assert_eq!(s.respondent, None);
        assert_eq!(s.organisation.as_deref(), Some("Acme"));
        assert_eq!(s.notes.len(), 1);
        assert_eq!(s.answers.len(), 1);
        assert_eq!(iv.start(), 1);
    }

    fn note(text: &str) -> Key {
        Key::Ask(Reply::Note(text.into()))
    }

    /// The note each question view showed, in order.
    fn notes_shown(script: &Script) -> Vec<(usize, Option<String>)> {
        script
            .shown
            .iter()
            .filter_map(|s| match s {
                Shown::Ask { position, note, .. } => Some((*position, note.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_note_is_saved_at_once_and_the_question_asked_again_showing_it() {
        let r = rubric();
        let text = "Handbook \"v2\" since 2021\nC:\\docs";
        let keys = vec![note(text), answer(2), answer(1), Key::Interrupt];
        let (iv, script, saved, res) = play(&r, vec![], keys);
        assert!(res.unwrap_err().is_interrupted());
        let q0 = &r.rubric.question[iv.order()[0]];
        // The note alone is a save, before any answer.
        assert_eq!(saved.len(), 3);
        assert!(saved[0].answers.is_empty());
        assert_eq!(saved[0].notes[&q0.id], text);
        assert_eq!(saved[2].notes.len(), 1, "the note stays with later saves");
        assert_eq!(
            notes_shown(&script),
            [(1, None), (1, Some(text.into())), (2, None), (3, None)]
        );
        // It survives the trip through TOML.
        let back = load_text(&r, "s.toml", &saved[2].to_toml(), SheetFormat::Toml).unwrap();
        assert_eq!(back.sheet.notes[&q0.id], text);
    }

    #[test]
    fn a_note_can_be_edited_or_removed_and_stays_beside_a_skip() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut keys = vec![
            note("first"),
            note("second"),
            Key::Ask(Reply::Skip),
            note("gone soon"),
            note("   "),
            answer(0),
        ];
        keys.extend((2..n).map(|_| answer(0)));
        keys.push(Key::Review(ReviewReply::Finish));
        let (iv, script, saved, res) = play(&r, vec![], keys);
        res.unwrap();
        let q0 = &r.rubric.question[iv.order()[0]];
        let q1 = &r.rubric.question[iv.order()[1]];
        let last = saved.last().unwrap();
        assert_eq!(last.answers[&q0.id], "", "question 1 was skipped");
        assert_eq!(last.notes[&q0.id], "second", "the edit replaced the note");
        assert!(!last.notes.contains_key(&q1.id), "a blank note removes it");
        assert!(
            saved
                .iter()
                .any(|s| s.notes.get(&q1.id).map(String::as_str) == Some("gone soon")),
            "the removed note had been saved"
        );
        assert_eq!(
            notes_shown(&script)[..6],
            [
                (1, None),
                (1, Some("first".into())),
                (1, Some("second".into())),
                (2, None),
                (2, Some("gone soon".into())),
                (2, None),
            ]
        );
        let review = &script.review_notes[0];
        assert_eq!(review[0].as_deref(), Some("second"));
        assert!(review[1..].iter().all(Option::is_none));
    }

    #[test]
    fn resumed_notes_are_shown_kept_and_written_in_rubric_order() {
        let r = rubric();
        let n = r.rubric.question.len();
        let mut b = base(&r);
        let (first, last) = (&r.rubric.question[0].id, &r.rubric.question[n - 1].id);
        b.notes.insert(last.clone(), "from last time".into());
        b.notes.insert(first.clone(), "evidence".into());
        let mut iv = Interview::new(&r, b, vec![Some(1); n]);
        let mut script = Script::new(vec![
            Key::Review(ReviewReply::Change(0)),
            note("evidence, checked"),
            answer(1),
            Key::Review(ReviewReply::Finish),
        ]);
        let mut saved = Vec::new();
        iv.run(&mut script, &mut |s: &Sheet| {
            saved.push(s.clone());
            Ok(())
        })
        .unwrap();
        assert_eq!(script.review_notes[0][0].as_deref(), Some("evidence"));
        assert_eq!(notes_shown(&script)[0], (1, Some("evidence".into())));
        let sheet = saved.last().unwrap();
        let keys: Vec<&String> = sheet.notes.keys().collect();
        assert_eq!(keys, [first, last], "rubric order");
        assert_eq!(sheet.notes[first], "evidence, checked");
        assert_eq!(
            script.review_notes[1][n - 1].as_deref(),
            Some("from last time")
        );
    }
}
