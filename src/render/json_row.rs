//! One scored sheet as compact JSON, byte for byte what `serde_json::to_writer`
//! writes for a [`SheetResult`], without going through serde: most of a row's bytes
//! are the rubric's own texts (ids, the roadmap's `improve` texts), so their quoted
//! forms are worked out once per rubric and copied; anything else (names, notes,
//! paths, ids the rubric does not have) is escaped as it is written, as serde_json
//! escapes it. Field order and presence follow the `Serialize` derives of
//! [`SheetResult`], [`Evaluation`] (flattened into it), [`Flip`] and [`Roadmap`].

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::flip::{Flip, FlipAt};
use crate::input::ResolvedSheet;
use crate::origin::Origin;
use crate::result::SheetResult;
use crate::roadmap::{Blocked, BlockedAt, Plan, Roadmap, Step, StepAt};
use crate::rubric::{Band, Effect, LoadedRubric};
use crate::scoring::{Evaluation, FactorScore, FiredGate, NothingAnswered, Outcome, Shortfall};

/// A rubric string and its JSON form (quoted and escaped).
#[derive(Debug, Clone)]
struct Text {
    raw: Box<str>,
    json: Box<[u8]>,
}

impl Text {
    fn new(raw: &str) -> Self {
        let mut json = Vec::with_capacity(raw.len() + 2);
        string(&mut json, raw);
        Text {
            raw: raw.into(),
            json: json.into_boxed_slice(),
        }
    }
}

#[derive(Debug, Clone)]
struct OptionTexts {
    id: Text,
    improve: Option<Text>,
    /// `"question":"option"`, as `answers` lists it.
    answer: Box<[u8]>,
    /// A roadmap step up from this option: the option it moves to, and
    /// `"question":…,"from":…,"to":…,"action":…` as the step writes them.
    step: Option<(usize, Box<[u8]>)>,
}

#[derive(Debug, Clone)]
struct QuestionTexts {
    id: Text,
    options: Vec<OptionTexts>,
}

impl QuestionTexts {
    /// The option with this id (a few options a question: a scan beats a hash).
    fn option(&self, id: &str) -> Option<&OptionTexts> {
        self.options.iter().find(|o| &*o.id.raw == id)
    }
}

/// Writes one result as compact JSON, byte for byte what `serde_json::to_writer`
/// writes. Built once per rubric; `Send + Sync`, so worker threads can share one,
/// each writing into its own buffer. [`JsonRow::write`] allocates nothing beyond
/// growing that buffer.
#[derive(Debug, Clone)]
pub struct JsonRow {
    factors: Vec<Text>,
    /// Per factor, its weight (as bits) and that weight as JSON: the one float of a
    /// row that comes from the rubric.
    weights: Vec<(u64, Box<[u8]>)>,
    questions: Vec<QuestionTexts>,
    gates: Vec<Text>,
    /// Question id -> index in `questions`, for ids met out of rubric order.
    question_index: HashMap<Box<str>, usize>,
}

/// Where the next question id of a list in rubric order is likely to be.
#[derive(Clone, Copy, Default)]
struct Cursor(usize);

impl JsonRow {
    pub fn new(rubric: &LoadedRubric) -> Self {
        let r = &rubric.rubric;
        let questions: Vec<QuestionTexts> = r
            .question
            .iter()
            .enumerate()
            .map(|(qi, q)| {
                let id = Text::new(&q.id);
                let ids: Vec<Text> = q.option.iter().map(|o| Text::new(&o.id)).collect();
                let options = (q.option.iter().zip(&ids).enumerate())
                    .map(|(oi, (o, oid))| {
                        let improve = o.improve.as_deref().map(Text::new);
                        let answer = [&id.json[..], b":", &oid.json].concat().into();
                        let step = rubric.next_up(qi, oi).map(|to| {
                            let action: &[u8] = improve.as_ref().map_or(b"null", |t| &t.json);
                            let text = [
                                b"\"question\":",
                                &id.json[..],
                                b",\"from\":",
                                &oid.json,
                                b",\"to\":",
                                &ids[to].json,
                                b",\"action\":",
                                action,
                            ]
                            .concat();
                            (to, text.into())
                        });
                        OptionTexts {
                            id: oid.clone(),
                            improve,
                            answer,
                            step,
                        }
                    })
                    .collect();
                QuestionTexts { id, options }
            })
            .collect();
        let question_index = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.raw.clone(), i))
            .collect();
        JsonRow {
            factors: r.factor.iter().map(|f| Text::new(&f.id)).collect(),
            weights: r
                .factor
                .iter()
                .map(|f| {
                    let mut json = Vec::new();
                    float(&mut json, f.weight);
                    (f.weight.to_bits(), json.into_boxed_slice())
                })
                .collect(),
            questions,
            gates: r.gate.iter().map(|g| Text::new(&g.id)).collect(),
            question_index,
        }
    }

    /// `answers` from the chosen options, in rubric order, as the map holds them.
    fn answers_of_choices(&self, out: &mut Vec<u8>, choices: &[Option<usize>]) {
        let mut first = true;
        for (q, c) in self.questions.iter().zip(choices) {
            let Some(o) = c.and_then(|oi| q.options.get(oi)) else {
                continue;
            };
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&o.answer);
        }
    }

    /// Appends `r` to `out` as `serde_json::to_writer(out, r)` would.
    pub fn write(&self, r: &SheetResult, out: &mut Vec<u8>) {
        self.write_with(Head::of_result(r), Body::Named(r), out);
    }

    /// The row of a sheet: its own fields (`head`), then the rest, named in the
    /// result or worked out by index.
    fn write_with(&self, head: Head<'_>, body: Body<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"source\":");
        origin(out, head.source);
        out.extend_from_slice(b",\"respondent\":");
        opt_string(out, head.respondent);
        out.extend_from_slice(b",\"role\":");
        opt_string(out, head.role);
        if let Some(o) = head.organisation {
            out.extend_from_slice(b",\"organisation\":");
            string(out, o);
        }
        match &body {
            Body::Named(r) => self.evaluation(out, &r.evaluation),
            Body::At(at) => self.outcome(out, at.rubric, at.outcome, at.choices),
        }
        out.extend_from_slice(b",\"flip\":");
        match &body {
            Body::Named(SheetResult { flip: Some(f), .. }) => self.flip(out, f),
            Body::At(At { flip: Some(f), .. }) => self.flip_at(out, f),
            _ => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"answers\":{");
        match &body {
            Body::Named(r) => self.answers(out, &r.answers),
            Body::At(at) => self.answers_of_choices(out, at.choices),
        }
        out.extend_from_slice(b"},\"notes\":{");
        let mut at = Cursor::default();
        for (i, (q, note)) in head.notes.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let qt = self.question_at(q, &mut at);
            self.question_id(out, q, qt);
            out.push(b':');
            string(out, note);
        }
        out.push(b'}');
        match &body {
            Body::Named(SheetResult {
                roadmap: Some(m), ..
            }) => {
                out.extend_from_slice(b",\"roadmap\":");
                self.roadmap(out, m);
            }
            Body::At(At { plan: Some(p), .. }) => {
                out.extend_from_slice(b",\"roadmap\":");
                self.plan(out, p);
            }
            _ => {}
        }
        out.push(b'}');
    }

    /// `answers` as the result's map holds them.
    fn answers(&self, out: &mut Vec<u8>, map: &indexmap::IndexMap<String, String>) {
        let mut at = Cursor::default();
        for (i, (q, o)) in map.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let qt = self.question_at(q, &mut at);
            self.question_id(out, q, qt);
            out.push(b':');
            self.option_id(out, qt, o);
        }
    }

    /// The fields of an [`Evaluation`] from its [`Outcome`], as
    /// [`Self::evaluation`] writes the named one: every id is the rubric's.
    fn outcome(
        &self,
        out: &mut Vec<u8>,
        rubric: &LoadedRubric,
        o: &Outcome,
        choices: &[Option<usize>],
    ) {
        let unanswered =
            || (self.questions.iter().zip(choices)).filter_map(|(q, c)| c.is_none().then_some(q));
        let figures = Figures {
            recommendation: o.recommendation,
            band: o.band,
            index: o.index,
            margin: o.margin,
            answered: self.questions.len() - unanswered().count(),
            questions: self.questions.len(),
            provisional: o.shortfalls(rubric).next().is_some(),
        };
        let counts = (self.factors.iter().zip(&self.weights)).zip(rubric.questions_per_factor());
        evaluation_fields(
            out,
            &figures,
            |out| {
                items(
                    out,
                    counts.enumerate(),
                    |out, (fi, ((id, weight), &questions))| {
                        factor_fields(
                            out,
                            |out| out.extend_from_slice(&id.json),
                            o.scores[fi],
                            |out| out.extend_from_slice(&weight.1),
                            (o.answered(fi), questions),
                        );
                    },
                );
            },
            |out| {
                items(out, unanswered(), |out, q| {
                    out.extend_from_slice(&q.id.json)
                })
            },
            |out| {
                items(out, &o.gates, |out, &(gi, changed)| {
                    let (effect, to) = rubric.rubric.gate[gi].effect();
                    fired_gate_fields(out, &self.gates[gi].json, effect, to, changed);
                });
            },
            |out| {
                items(out, o.shortfalls(rubric), |out, (fi, needed)| {
                    shortfall_fields(out, &self.factors[fi].json, o.answered(fi), needed);
                });
            },
        );
    }

    /// The fields of an [`Evaluation`], flattened into the result's object: each
    /// preceded by a comma.
    fn evaluation(&self, out: &mut Vec<u8>, e: &Evaluation) {
        let figures = Figures {
            recommendation: e.recommendation,
            band: e.band,
            index: e.index,
            margin: e.margin,
            answered: e.answered,
            questions: e.questions,
            provisional: e.provisional,
        };
        evaluation_fields(
            out,
            &figures,
            |out| {
                items(out, e.factors.iter().enumerate(), |out, (i, f)| {
                    self.factor_score(out, i, f)
                })
            },
            |out| {
                let mut at = Cursor::default();
                items(out, &e.unanswered, |out, q| {
                    let qt = self.question_at(q, &mut at);
                    self.question_id(out, q, qt);
                });
            },
            |out| {
                let mut at = Cursor::default();
                items(out, &e.gates, |out, g| self.fired_gate(out, g, &mut at));
            },
            |out| {
                let mut at = Cursor::default();
                items(out, &e.shortfalls, |out, s| self.shortfall(out, s, &mut at));
            },
        );
    }

    fn factor_score(&self, out: &mut Vec<u8>, i: usize, f: &FactorScore) {
        factor_fields(
            out,
            |out| {
                let mut at = Cursor(i);
                known(out, &f.id, find_text(&self.factors, &f.id, &mut at));
            },
            f.score,
            |out| match self.weights.get(i) {
                // The same bits: the same figure.
                Some((bits, json)) if *bits == f.weight.to_bits() => out.extend_from_slice(json),
                _ => float(out, f.weight),
            },
            (f.answered, f.questions),
        );
    }

    fn fired_gate(&self, out: &mut Vec<u8>, g: &FiredGate, at: &mut Cursor) {
        match find_text(&self.gates, &g.id, at) {
            Some(t) => fired_gate_fields(out, &t.json, g.effect, g.to, g.changed),
            None => fired_gate_fields(out, &json_string(&g.id), g.effect, g.to, g.changed),
        }
    }

    fn shortfall(&self, out: &mut Vec<u8>, s: &Shortfall, at: &mut Cursor) {
        match find_text(&self.factors, &s.factor, at) {
            Some(t) => shortfall_fields(out, &t.json, s.answered, s.needed),
            None => shortfall_fields(out, &json_string(&s.factor), s.answered, s.needed),
        }
    }

    fn flip(&self, out: &mut Vec<u8>, f: &Flip) {
        let qt = self.question(&f.question);
        flip_fields(
            out,
            |out| self.question_id(out, &f.question, qt),
            |out| match &f.from {
                Some(o) => self.option_id(out, qt, o),
                None => out.extend_from_slice(b"null"),
            },
            |out| self.option_id(out, qt, &f.to),
            (f.recommendation, f.index),
        );
    }

    /// A flip by index: every id is the rubric's, so each is copied as it is.
    fn flip_at(&self, out: &mut Vec<u8>, f: &FlipAt) {
        let q = &self.questions[f.question];
        flip_fields(
            out,
            |out| out.extend_from_slice(&q.id.json),
            |out| match f.from {
                Some(o) => out.extend_from_slice(&q.options[o].id.json),
                None => out.extend_from_slice(b"null"),
            },
            |out| out.extend_from_slice(&q.options[f.to].id.json),
            (f.recommendation, f.index),
        );
    }

    fn roadmap(&self, out: &mut Vec<u8>, m: &Roadmap) {
        let blocked = m.blocked.as_ref().map(|b| match b {
            Blocked::Gate { gate, to } => {
                Why::Gate(|out: &mut Vec<u8>| self.gate_id(out, gate), *to)
            }
            Blocked::Index { best } => Why::Index(*best),
        });
        roadmap_fields(
            out,
            (m.target, m.reached),
            &m.steps,
            |out, s| self.step(out, s),
            blocked,
        );
    }

    /// A roadmap by index.
    fn plan(&self, out: &mut Vec<u8>, p: &Plan) {
        let blocked = p.blocked.map(|b| match b {
            BlockedAt::Gate { gate, to } => Why::Gate(
                move |out: &mut Vec<u8>| out.extend_from_slice(&self.gates[gate].json),
                to,
            ),
            BlockedAt::Index { best } => Why::Index(best),
        });
        roadmap_fields(
            out,
            (p.target, p.reached),
            &p.steps,
            |out, s| self.step_at(out, s),
            blocked,
        );
    }

    fn step(&self, out: &mut Vec<u8>, s: &Step) {
        let qt = self.question(&s.question);
        let from = qt.and_then(|q| q.option(&s.from));
        let to = qt.and_then(|q| q.option(&s.to));
        let texts = |out: &mut Vec<u8>| {
            out.extend_from_slice(b"\"question\":");
            self.question_id(out, &s.question, qt);
            out.extend_from_slice(b",\"from\":");
            known(out, &s.from, from.map(|o| &o.id));
            out.extend_from_slice(b",\"to\":");
            known(out, &s.to, to.map(|o| &o.id));
            out.extend_from_slice(b",\"action\":");
            match &s.action {
                // The action is the `improve` text of the option moved from.
                Some(a) => known(out, a, improve(from, a).or_else(|| improve(to, a))),
                None => out.extend_from_slice(b"null"),
            }
        };
        let gate = s
            .gate
            .as_ref()
            .map(|g| move |out: &mut Vec<u8>| self.gate_id(out, g));
        step_fields(out, s.phase, texts, (s.index, s.recommendation), gate);
    }

    /// A step by index: its texts are the rubric's, one fragment for a step one
    /// option up (as every step is).
    fn step_at(&self, out: &mut Vec<u8>, s: &StepAt) {
        let q = &self.questions[s.question];
        let from = &q.options[s.from];
        let texts = |out: &mut Vec<u8>| match &from.step {
            Some((to, texts)) if *to == s.to => out.extend_from_slice(texts),
            _ => {
                out.extend_from_slice(b"\"question\":");
                out.extend_from_slice(&q.id.json);
                out.extend_from_slice(b",\"from\":");
                out.extend_from_slice(&from.id.json);
                out.extend_from_slice(b",\"to\":");
                out.extend_from_slice(&q.options[s.to].id.json);
                out.extend_from_slice(b",\"action\":");
                match &from.improve {
                    Some(t) => out.extend_from_slice(&t.json),
                    None => out.extend_from_slice(b"null"),
                }
            }
        };
        let gate = s
            .gate
            .map(|g| move |out: &mut Vec<u8>| out.extend_from_slice(&self.gates[g].json));
        step_fields(out, s.phase, texts, (s.index, s.recommendation), gate);
    }

    /// The rubric's question with this id, looked up by hash.
    fn question(&self, id: &str) -> Option<&QuestionTexts> {
        self.question_index.get(id).map(|&i| &self.questions[i])
    }

    /// The rubric's question with this id, for ids listed in rubric order: tried
    /// first where the last one was found, then looked up by hash.
    fn question_at(&self, id: &str, at: &mut Cursor) -> Option<&QuestionTexts> {
        if let Some(q) = self.questions.get(at.0)
            && &*q.id.raw == id
        {
            at.0 += 1;
            return Some(q);
        }
        let i = *self.question_index.get(id)?;
        at.0 = i + 1;
        Some(&self.questions[i])
    }

    fn question_id(&self, out: &mut Vec<u8>, id: &str, q: Option<&QuestionTexts>) {
        known(out, id, q.map(|q| &q.id));
    }

    fn option_id(&self, out: &mut Vec<u8>, q: Option<&QuestionTexts>, id: &str) {
        known(out, id, q.and_then(|q| q.option(id)).map(|o| &o.id));
    }

    fn gate_id(&self, out: &mut Vec<u8>, id: &str) {
        known(out, id, find_text(&self.gates, id, &mut Cursor::default()));
    }
}

/// An evaluation's single figures (see [`evaluation_fields`]).
struct Figures {
    recommendation: Band,
    band: Band,
    index: f64,
    margin: f64,
    answered: usize,
    questions: usize,
    provisional: bool,
}

/// The fields of an evaluation, flattened into the result's object (each preceded
/// by a comma); its four lists' items written by the functions given.
fn evaluation_fields(
    out: &mut Vec<u8>,
    f: &Figures,
    factors: impl FnOnce(&mut Vec<u8>),
    unanswered: impl FnOnce(&mut Vec<u8>),
    gates: impl FnOnce(&mut Vec<u8>),
    shortfalls: impl FnOnce(&mut Vec<u8>),
) {
    out.extend_from_slice(b",\"recommendation\":");
    band(out, f.recommendation);
    out.extend_from_slice(b",\"band\":");
    band(out, f.band);
    out.extend_from_slice(b",\"index\":");
    float(out, f.index);
    out.extend_from_slice(b",\"margin\":");
    float(out, f.margin);
    out.extend_from_slice(b",\"answered\":");
    int(out, f.answered);
    out.extend_from_slice(b",\"questions\":");
    int(out, f.questions);
    out.extend_from_slice(b",\"factors\":[");
    factors(out);
    out.extend_from_slice(b"],\"unanswered\":[");
    unanswered(out);
    out.extend_from_slice(b"],\"gates\":[");
    gates(out);
    out.extend_from_slice(b"],\"provisional\":");
    boolean(out, f.provisional);
    out.extend_from_slice(b",\"shortfalls\":[");
    shortfalls(out);
    out.push(b']');
}

/// A list's items, separated by commas.
fn items<T>(
    out: &mut Vec<u8>,
    list: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut Vec<u8>, T),
) {
    for (i, x) in list.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
}

/// A factor score's object; its id and weight written by the functions given.
fn factor_fields(
    out: &mut Vec<u8>,
    id: impl FnOnce(&mut Vec<u8>),
    score: Option<f64>,
    weight: impl FnOnce(&mut Vec<u8>),
    (answered, questions): (usize, usize),
) {
    out.extend_from_slice(b"{\"id\":");
    id(out);
    out.extend_from_slice(b",\"score\":");
    match score {
        Some(s) => float(out, s),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"weight\":");
    weight(out);
    out.extend_from_slice(b",\"answered\":");
    int(out, answered);
    out.extend_from_slice(b",\"questions\":");
    int(out, questions);
    out.push(b'}');
}

/// A fired gate's object, its id given as JSON.
fn fired_gate_fields(out: &mut Vec<u8>, id: &[u8], effect: Effect, to: Band, changed: bool) {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id);
    out.extend_from_slice(b",\"effect\":");
    out.extend_from_slice(match effect {
        Effect::Cap => b"\"cap\"",
        Effect::Floor => b"\"floor\"",
    });
    out.extend_from_slice(b",\"to\":");
    band(out, to);
    out.extend_from_slice(b",\"changed\":");
    boolean(out, changed);
    out.push(b'}');
}

/// A shortfall's object, its factor id given as JSON.
fn shortfall_fields(out: &mut Vec<u8>, factor: &[u8], answered: usize, needed: usize) {
    out.extend_from_slice(b"{\"factor\":");
    out.extend_from_slice(factor);
    out.extend_from_slice(b",\"answered\":");
    int(out, answered);
    out.extend_from_slice(b",\"needed\":");
    int(out, needed);
    out.push(b'}');
}

/// A string's JSON form, for an id the rubric does not have.
fn json_string(s: &str) -> Vec<u8> {
    let mut json = Vec::with_capacity(s.len() + 2);
    string(&mut json, s);
    json
}

/// A flip's object; its ids written by the functions given.
fn flip_fields(
    out: &mut Vec<u8>,
    question: impl FnOnce(&mut Vec<u8>),
    from: impl FnOnce(&mut Vec<u8>),
    to: impl FnOnce(&mut Vec<u8>),
    (recommendation, index): (Band, f64),
) {
    out.extend_from_slice(b"{\"question\":");
    question(out);
    out.extend_from_slice(b",\"from\":");
    from(out);
    out.extend_from_slice(b",\"to\":");
    to(out);
    out.extend_from_slice(b",\"recommendation\":");
    band(out, recommendation);
    out.extend_from_slice(b",\"index\":");
    float(out, index);
    out.push(b'}');
}

/// Why a roadmap is blocked: a gate (its id written by the function) and the band
/// it holds the result to, or the best index.
enum Why<G> {
    Gate(G, Band),
    Index(f64),
}

/// A roadmap's object; each step written by `step`.
fn roadmap_fields<S, G: FnOnce(&mut Vec<u8>)>(
    out: &mut Vec<u8>,
    (target, reached): (Option<Band>, bool),
    steps: &[S],
    step: impl Fn(&mut Vec<u8>, &S),
    blocked: Option<Why<G>>,
) {
    out.extend_from_slice(b"{\"target\":");
    match target {
        Some(b) => band(out, b),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"reached\":");
    boolean(out, reached);
    out.extend_from_slice(b",\"steps\":[");
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        step(out, s);
    }
    out.push(b']');
    match blocked {
        Some(Why::Gate(gate, to)) => {
            out.extend_from_slice(b",\"blocked\":{\"reason\":\"gate\",\"gate\":");
            gate(out);
            out.extend_from_slice(b",\"to\":");
            band(out, to);
            out.push(b'}');
        }
        Some(Why::Index(best)) => {
            out.extend_from_slice(b",\"blocked\":{\"reason\":\"index\",\"best\":");
            float(out, best);
            out.push(b'}');
        }
        None => {}
    }
    out.push(b'}');
}

/// A step's object; `texts` writes its question, from, to and action fields.
fn step_fields(
    out: &mut Vec<u8>,
    phase: u8,
    texts: impl FnOnce(&mut Vec<u8>),
    (index, recommendation): (f64, Band),
    gate: Option<impl FnOnce(&mut Vec<u8>)>,
) {
    out.extend_from_slice(b"{\"phase\":");
    int(out, phase);
    out.push(b',');
    texts(out);
    out.extend_from_slice(b",\"index\":");
    float(out, index);
    out.extend_from_slice(b",\"recommendation\":");
    band(out, recommendation);
    if let Some(g) = gate {
        out.extend_from_slice(b",\"gate\":");
        g(out);
    }
    out.push(b'}');
}

/// What a row says of the sheet itself: the same from a result or from the sheet.
struct Head<'a> {
    source: &'a Origin,
    respondent: Option<&'a str>,
    role: Option<&'a str>,
    organisation: Option<&'a str>,
    notes: &'a indexmap::IndexMap<String, String>,
}

impl<'a> Head<'a> {
    fn of_result(r: &'a SheetResult) -> Self {
        Head {
            source: &r.source,
            respondent: r.respondent.as_deref(),
            role: r.role.as_deref(),
            organisation: r.organisation.as_deref(),
            notes: &r.notes,
        }
    }

    fn of_sheet(s: &'a ResolvedSheet) -> Self {
        Head {
            source: &s.source,
            respondent: s.sheet.respondent.as_deref(),
            role: s.sheet.role.as_deref(),
            organisation: s.sheet.organisation.as_deref(),
            notes: &s.sheet.notes,
        }
    }
}

/// The rest of a row: named in a result, or worked out by index.
enum Body<'a> {
    Named(&'a SheetResult),
    At(At<'a>),
}

/// A sheet's evaluation, flip and roadmap by index (see [`SearchingJsonRow`]).
struct At<'a> {
    rubric: &'a LoadedRubric,
    choices: &'a [Option<usize>],
    outcome: &'a Outcome,
    flip: Option<FlipAt>,
    plan: Option<&'a Plan>,
}

/// A [`JsonRow`] that scores each sheet itself, by index, and works out its flip
/// and roadmap from that: `score --format json` writes a row straight from the
/// sheet, with every id and `improve` text copied from the rubric's, and makes no
/// result (no ids copied per sheet, then dropped). The row is the same bytes as
/// [`JsonRow::write`] writes for the sheet scored with its flip, roadmap and
/// answers.
pub struct SearchingJsonRow<'a> {
    row: JsonRow,
    rubric: &'a LoadedRubric,
    /// The roadmap's target; `None`: the band above the result.
    target: Option<Band>,
}

impl<'a> SearchingJsonRow<'a> {
    pub fn new(rubric: &'a LoadedRubric, target: Option<Band>) -> Self {
        SearchingJsonRow {
            row: JsonRow::new(rubric),
            rubric,
            target,
        }
    }

    /// Appends the row of `sheet` to `out`; nothing when it has no answer.
    pub fn write_sheet(
        &self,
        sheet: &ResolvedSheet,
        out: &mut Vec<u8>,
    ) -> Result<(), NothingAnswered> {
        self.write_parts(Head::of_sheet(sheet), &sheet.choices, out)
    }

    /// Appends `r` (scored with or without its flip, roadmap and answers) to `out`
    /// as `serde_json::to_writer` writes it scored with them.
    pub fn write(&self, r: &SheetResult, out: &mut Vec<u8>) {
        // A result has at least one answer.
        let _ = self.write_parts(Head::of_result(r), &r.choices, out);
    }

    fn write_parts(
        &self,
        head: Head<'_>,
        choices: &[Option<usize>],
        out: &mut Vec<u8>,
    ) -> Result<(), NothingAnswered> {
        let outcome = crate::scoring::outcome(self.rubric, choices)?;
        let plan = crate::roadmap::plan_from(self.rubric, choices, &outcome, self.target);
        let at = At {
            rubric: self.rubric,
            choices,
            outcome: &outcome,
            flip: crate::flip::find_from(self.rubric, choices, &outcome),
            plan: plan.as_ref(),
        };
        self.row.write_with(head, Body::At(at), out);
        Ok(())
    }
}

/// The text with this raw form among `texts` (few: factors, gates), tried first at
/// the cursor, then from the start.
fn find_text<'a>(texts: &'a [Text], raw: &str, at: &mut Cursor) -> Option<&'a Text> {
    let i = match texts.get(at.0) {
        Some(t) if &*t.raw == raw => at.0,
        _ => texts.iter().position(|t| &*t.raw == raw)?,
    };
    at.0 = i + 1;
    Some(&texts[i])
}

/// The option's `improve` text, if it is `action`.
fn improve<'a>(o: Option<&'a OptionTexts>, action: &str) -> Option<&'a Text> {
    o?.improve.as_ref().filter(|t| &*t.raw == action)
}

/// `text`'s precomputed JSON when there is one, else `raw` escaped now.
fn known(out: &mut Vec<u8>, raw: &str, text: Option<&Text>) {
    match text {
        Some(t) => out.extend_from_slice(&t.json),
        None => string(out, raw),
    }
}

fn band(out: &mut Vec<u8>, b: Band) {
    out.extend_from_slice(match b {
        Band::Pmo => b"\"pmo\"",
        Band::Hybrid => b"\"hybrid\"",
        Band::Vmo => b"\"vmo\"",
    });
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// An f64 as serde_json writes it: zmij's shortest form, `null` when not finite.
fn float(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        super::num::remembered(&FLOATS, out, v, |out| {
            out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
        });
    } else {
        out.extend_from_slice(b"null");
    }
}

thread_local! {
    /// Figures written lately on this thread.
    static FLOATS: super::num::Written = const { std::cell::RefCell::new(Vec::new()) };
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// An origin as its `Serialize` writes it: its `Display` form, as a string.
fn origin(out: &mut Vec<u8>, o: &Origin) {
    match o {
        Origin::File(p) => path(out, p, None),
        Origin::Stdin => string(out, crate::origin::STDIN),
        Origin::Row { file, line } => path(out, file, Some(*line)),
    }
}

/// A path (then `:line`, for a row of an export) as a JSON string, as
/// `Path::display` shows it.
fn path(out: &mut Vec<u8>, p: &Path, line: Option<u64>) {
    out.push(b'"');
    match p.to_str() {
        Some(s) => escaped(out, s),
        // Not UTF-8: `display` replaces what is not.
        None => {
            let _ = fmt::write(&mut Escaping(out), format_args!("{}", p.display()));
        }
    }
    if let Some(line) = line {
        out.push(b':');
        int(out, line);
    }
    out.push(b'"');
}

/// Escapes what is written through it into the buffer.
struct Escaping<'a>(&'a mut Vec<u8>);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escaped(self.0, s);
        Ok(())
    }
}

/// A string, quoted and escaped as serde_json does.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

/// Escapes `"`, `\` and the control characters below 0x20 (`\b \t \n \f \r`, else
/// `\u00XX` in lowercase hex), and nothing else, as serde_json does.
fn escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0a => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x0d => out.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use indexmap::IndexMap;

    use super::*;
    use crate::input::{Input, ResolvedSheet, Sheet, SheetFormat};
    use crate::result::{Extras, score, score_with};
    use crate::testing::Rng;

    /// Texts that need escaping, or pass through as they are.
    const AWKWARD: &[&str] = &[
        "",
        "Ann O'Brien",
        "say \"yes\"",
        "back\\slash \\\\ two",
        "tab\there\nnew line\r\n",
        "\u{0}\u{1}\u{7}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
        "Zoë Çelik, Ärzte & Söhne",
        "日本語のメモ",
        "emoji 🎉👩‍👩‍👧 done",
        "</script><!-- & -->",
        "\u{2028}\u{2029}\u{feff}",
    ];

    /// Asserts that the row writes what serde_json writes, appended to what the
    /// buffer holds already.
    fn check(row: &JsonRow, r: &SheetResult) {
        let want = serde_json::to_string(r).unwrap();
        let mut out = b"[prefix]".to_vec();
        row.write(r, &mut out);
        let got = String::from_utf8(out).expect("UTF-8");
        assert_eq!(got.strip_prefix("[prefix]"), Some(want.as_str()), "{r:#?}");
    }

    fn origin(rng: &mut Rng) -> crate::origin::Origin {
        match rng.below(4) {
            0 => Origin::Stdin,
            1 => Origin::Row {
                file: Arc::from(Path::new(crate::origin::STDIN)),
                line: rng.next() % 1_000_000,
            },
            2 => Origin::Row {
                file: Arc::from(Path::new(rng.pick(AWKWARD))),
                line: rng.next(),
            },
            _ => Origin::File(PathBuf::from(rng.pick(AWKWARD)).join("sheet \"1\".toml")),
        }
    }

    /// A sheet with random answers (some unanswered), names and notes.
    fn random_sheet(rubric: &LoadedRubric, rng: &mut Rng) -> ResolvedSheet {
        let questions = &rubric.rubric.question;
        let skip = rng.below(4);
        let mut choices: Vec<Option<usize>> = questions
            .iter()
            .map(|q| (rng.below(4) >= skip).then(|| rng.below(q.option.len())))
            .collect();
        if choices.iter().all(Option::is_none) {
            choices[0] = Some(0);
        }
        let mut notes = IndexMap::new();
        for q in questions {
            if rng.below(5) == 0 {
                notes.insert(q.id.clone(), rng.pick(AWKWARD).to_string());
            }
        }
        if rng.below(5) == 0 {
            // Notes on a question the rubric does not have are kept as written.
            notes.insert(rng.pick(AWKWARD).to_string(), "orphan".to_string());
        }
        let sheet = Sheet {
            respondent: rng.maybe(AWKWARD),
            role: rng.maybe(AWKWARD),
            organisation: rng.maybe(AWKWARD),
            notes,
            ..Sheet::default()
        };
        ResolvedSheet {
            source: origin(rng),
            sheet,
            choices,
            warnings: Vec::new(),
            format: SheetFormat::Toml,
            text: None,
        }
    }

    fn random_extras(rng: &mut Rng) -> Extras {
        Extras {
            flip: rng.below(3) > 0,
            roadmap: rng.below(4) > 0,
            target: [None, Some(Band::Pmo), Some(Band::Hybrid), Some(Band::Vmo)][rng.below(4)],
            answers: rng.below(3) > 0,
            advice: rng.below(2) > 0,
        }
    }

    /// What the random results covered, so that the tests can insist on it.
    #[derive(Default)]
    struct Seen {
        flips: usize,
        steps: usize,
        actions: usize,
        gate_steps: usize,
        blocked_gate: usize,
        blocked_index: usize,
        fired: usize,
        shortfalls: usize,
        unanswered: usize,
    }

    impl Seen {
        fn add(&mut self, r: &SheetResult) {
            self.flips += usize::from(r.flip.is_some());
            self.fired += r.evaluation.gates.len();
            self.shortfalls += r.evaluation.shortfalls.len();
            self.unanswered += r.evaluation.unanswered.len();
            if let Some(m) = &r.roadmap {
                self.steps += m.steps.len();
                self.actions += m.steps.iter().filter(|s| s.action.is_some()).count();
                self.gate_steps += m.steps.iter().filter(|s| s.gate.is_some()).count();
                match m.blocked {
                    Some(Blocked::Gate { .. }) => self.blocked_gate += 1,
                    Some(Blocked::Index { .. }) => self.blocked_index += 1,
                    None => {}
                }
            }
        }
    }

    fn random_results(rubric: &LoadedRubric, seed: u64, n: usize) -> Seen {
        let row = JsonRow::new(rubric);
        let mut rng = Rng(seed);
        let mut seen = Seen::default();
        for _ in 0..n {
            let sheet = random_sheet(rubric, &mut rng);
            let r = score_with(rubric, sheet, random_extras(&mut rng)).unwrap();
            check(&row, &r);
            seen.add(&r);
        }
        seen
    }

    #[test]
    fn random_sheets_on_the_default_rubric_match_serde_json() {
        let rubric = LoadedRubric::embedded().unwrap();
        let seen = random_results(&rubric, 0x9e37_79b9_7f4a_7c15, 3000);
        assert!(seen.flips > 100, "flips {}", seen.flips);
        assert!(
            seen.steps > 100 && seen.actions > 100,
            "steps {}",
            seen.steps
        );
        assert!(seen.fired > 0 && seen.shortfalls > 0 && seen.unanswered > 0);
    }

    /// The small rubric with gate a-weak moved onto b, whose options all stay under
    /// its threshold, and low boundaries: some targets are out of reach, because of
    /// the gate or because of the index.
    fn blocking() -> LoadedRubric {
        let mut rubric = crate::scoring::tests::small();
        rubric.rubric.question[2].option[1].score = 20.0;
        rubric.rubric.question[2].option[2].score = 25.0;
        rubric.rubric.gate[0].factor = Some("b".into());
        rubric.rubric.scoring.vmo_from = 40.0;
        rubric.rubric.scoring.hybrid_from = 30.0;
        rubric.rubric.question[0].option[0].improve = Some("Raise \"A1\"\tnow".into());
        rubric.reindex();
        rubric
    }

    #[test]
    fn searching_rows_are_the_whole_results_serde_json() {
        // score's json rows: scored without the flip, the roadmap and the answers
        // map, which the row works out by index and writes from the rubric.
        let mut total = Seen::default();
        for rubric in [
            LoadedRubric::embedded().unwrap(),
            crate::scoring::tests::small(),
            blocking(),
        ] {
            let mut rng = Rng(0x0dd_ba11_5eed);
            let mut seen = Seen::default();
            for _ in 0..1500 {
                let sheet = random_sheet(&rubric, &mut rng);
                let whole = Extras {
                    flip: true,
                    roadmap: true,
                    answers: true,
                    ..random_extras(&mut rng)
                };
                let with = score_with(&rubric, sheet.clone(), whole).unwrap();
                let bare = Extras {
                    flip: false,
                    roadmap: false,
                    answers: false,
                    ..whole
                };
                let without = score_with(&rubric, sheet.clone(), bare).unwrap();
                assert!(without.answers.is_empty() && without.roadmap.is_none());
                seen.add(&with);
                let row = SearchingJsonRow::new(&rubric, whole.target);
                let want = serde_json::to_string(&with).unwrap();
                let mut got = Vec::new();
                row.write(&without, &mut got);
                assert_eq!(String::from_utf8(got).unwrap(), want);
                // Straight from the sheet, with no result made.
                let mut got = b"[prefix]".to_vec();
                row.write_sheet(&sheet, &mut got).unwrap();
                assert_eq!(got.strip_prefix(b"[prefix]"), Some(want.as_bytes()));
            }
            assert!(seen.flips > 100 && seen.steps > 100 && seen.unanswered > 0);
            total.fired += seen.fired;
            total.shortfalls += seen.shortfalls;
            total.actions += seen.actions;
            total.gate_steps += seen.gate_steps;
            total.blocked_gate += seen.blocked_gate;
            total.blocked_index += seen.blocked_index;
        }
        assert!(total.actions > 100 && total.gate_steps > 100);
        assert!(total.blocked_gate > 0 && total.blocked_index > 0);
        assert!(total.fired > 0 && total.shortfalls > 0);
    }

    #[test]
    fn a_sheet_with_no_answer_writes_no_row() {
        let rubric = LoadedRubric::embedded().unwrap();
        let mut rng = Rng(7);
        let mut sheet = random_sheet(&rubric, &mut rng);
        sheet.choices.iter_mut().for_each(|c| *c = None);
        let mut out = b"kept".to_vec();
        let row = SearchingJsonRow::new(&rubric, None);
        assert_eq!(row.write_sheet(&sheet, &mut out), Err(NothingAnswered));
        assert_eq!(out, b"kept");
    }

    #[test]
    fn random_sheets_on_a_small_rubric_match_serde_json() {
        let rubric = crate::scoring::tests::small();
        let seen = random_results(&rubric, 0x2545_f491_4f6c_dd1d, 1000);
        assert!(seen.flips > 0 && seen.steps > 0 && seen.gate_steps > 0);
        assert!(seen.fired > 0 && seen.unanswered > 0);
    }

    #[test]
    fn blocked_roadmaps_match_serde_json() {
        let seen = random_results(&blocking(), 0x0123_4567_89ab_cdef, 1000);
        assert!(seen.blocked_gate > 0, "no roadmap blocked by a gate");
        assert!(seen.blocked_index > 0, "no roadmap blocked by the index");
        assert!(seen.actions > 0);
    }

    #[test]
    fn the_example_sheets_match_serde_json() {
        let rubric = LoadedRubric::embedded().unwrap();
        let row = JsonRow::new(&rubric);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sheets");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let input = Input::File(path, SheetFormat::Toml);
            let sheet = crate::input::load(&rubric, &input).unwrap();
            let r = score(&rubric, sheet, true).unwrap();
            assert!(!r.answers.is_empty());
            check(&row, &r);
            n += 1;
        }
        assert_eq!(n, 3);
    }

    /// A result from the default rubric, for the tests that edit one by hand.
    fn edited() -> (JsonRow, SheetResult) {
        let rubric = LoadedRubric::embedded().unwrap();
        let mut rng = Rng(7);
        let mut sheet = random_sheet(&rubric, &mut rng);
        sheet.choices.fill(Some(0));
        let r = score(&rubric, sheet, true).unwrap();
        assert!(r.roadmap.as_ref().is_some_and(|m| !m.steps.is_empty()));
        (JsonRow::new(&rubric), r)
    }

    #[test]
    fn strings_the_rubric_does_not_have_are_escaped_as_written() {
        let (row, mut r) = edited();
        check(&row, &r);
        let odd = "q\"1\\\u{1}é🎉";
        r.evaluation.factors[0].id = odd.into();
        r.evaluation.unanswered.push(odd.into());
        r.answers.insert(odd.into(), odd.into());
        let first = r.answers.keys().next().unwrap().clone();
        r.answers.insert(first, "no-such-option\t".into());
        let m = r.roadmap.as_mut().unwrap();
        m.steps[0].action = Some(format!("{odd} not an improve text"));
        m.steps[0].gate = Some(odd.into());
        m.steps[0].from = odd.into();
        let mut step = m.steps[0].clone();
        step.question = odd.into();
        m.steps.push(step);
        m.blocked = Some(Blocked::Gate {
            gate: odd.into(),
            to: Band::Hybrid,
        });
        r.flip = Some(Flip {
            question: odd.into(),
            from: None,
            to: odd.into(),
            recommendation: Band::Vmo,
            index: 50.0,
        });
        check(&row, &r);
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        let (row, mut r) = edited();
        let floats = [
            0.0,
            -0.0,
            0.1 + 0.2,
            100.0 / 3.0,
            1e300,
            -2.5e-300,
            5e-324,
            f64::MAX,
            f64::EPSILON,
            123_456_789.0,
            1e16,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for (i, &x) in floats.iter().enumerate() {
            let y = floats[(i + 3) % floats.len()];
            r.evaluation.index = x;
            r.evaluation.margin = y;
            r.evaluation.factors[0].score = Some(x);
            r.evaluation.factors[1].weight = y;
            let m = r.roadmap.as_mut().unwrap();
            m.steps[0].index = x;
            m.blocked = Some(Blocked::Index { best: y });
            check(&row, &r);
        }
    }

    #[test]
    fn optional_fields_come_and_go_as_serde_decides() {
        let (row, mut r) = edited();
        r.organisation = None;
        r.respondent = None;
        r.flip = None;
        r.answers.clear();
        r.notes.clear();
        check(&row, &r);
        r.roadmap = None;
        r.evaluation.factors.clear();
        r.evaluation.gates.clear();
        r.evaluation.shortfalls.clear();
        r.evaluation.unanswered.clear();
        check(&row, &r);
    }

    #[test]
    fn every_origin_is_written_as_it_is_shown() {
        let (row, mut r) = edited();
        let origins = [
            Origin::Stdin,
            Origin::File(PathBuf::from("examples/sheets/value-focused.toml")),
            Origin::File(PathBuf::from("C:\\sheets\\\"q\".toml")),
            Origin::Row {
                file: Arc::from(Path::new("exports/march 2026.csv")),
                line: 2,
            },
            Origin::Row {
                file: Arc::from(Path::new(crate::origin::STDIN)),
                line: u64::MAX,
            },
        ];
        for o in origins {
            r.source = o;
            check(&row, &r);
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bad = Path::new(std::ffi::OsStr::from_bytes(b"bad\xff\"name\n.csv"));
            r.source = Origin::File(bad.to_path_buf());
            check(&row, &r);
            r.source = Origin::Row {
                file: Arc::from(bad),
                line: 9,
            };
            check(&row, &r);
        }
    }

    #[test]
    fn every_control_character_is_escaped_as_serde_json_does() {
        let mut out = Vec::new();
        for c in (0u8..0x80).map(char::from).chain(['é', '\u{80}', '🎉']) {
            let s = format!("a{c}b");
            out.clear();
            string(&mut out, &s);
            assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{c:?}");
        }
    }

    #[test]
    fn a_row_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<JsonRow>();
        let (row, r) = edited();
        let want = serde_json::to_vec(&r).unwrap();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let mut out = Vec::new();
                    for _ in 0..50 {
                        out.clear();
                        row.write(&r, &mut out);
                        assert_eq!(out, want);
                    }
                });
            }
        });
    }
}
