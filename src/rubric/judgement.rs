//! Rubric format 3: what the organisation needs apart from what it can carry (axes),
//! outcome rules that pick one of six recommendations, office types, and the plan
//! data of each practice's move up. Every key is optional: a rubric that uses none of
//! them is read and scored exactly as format 2.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Band, Condition, NextStep, default_weight};

/// What a question is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// Something the organisation does: improvable, so its moves up are initiatives.
    #[default]
    Practice,
    /// Evidence that moves when practices move (the delivery record): scored, never
    /// an initiative of its own.
    Outcome,
    /// What the organisation wants: scored, never "improved".
    Preference,
    /// A fact that is not scored (size, structure, the office that exists...): it
    /// selects texts and may appear in outcome rules.
    Context,
}

impl QuestionKind {
    pub fn id(self) -> &'static str {
        match self {
            QuestionKind::Practice => "practice",
            QuestionKind::Outcome => "outcome",
            QuestionKind::Preference => "preference",
            QuestionKind::Context => "context",
        }
    }

    pub(crate) fn is_practice(&self) -> bool {
        *self == QuestionKind::Practice
    }

    pub(crate) fn is_default(&self) -> bool {
        *self == QuestionKind::Practice
    }
}

/// How long a move up takes, roughly.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Effort {
    Weeks,
    Months,
    Quarters,
}

impl Effort {
    pub fn id(self) -> &'static str {
        match self {
            Effort::Weeks => "weeks",
            Effort::Months => "months",
            Effort::Quarters => "quarters",
        }
    }

    /// Its length in months, for the plan's horizons.
    pub fn months(self) -> u32 {
        match self {
            Effort::Weeks => 1,
            Effort::Months => 3,
            Effort::Quarters => 6,
        }
    }
}

/// "Question `question` answered at least as high as option `reaches`": what a move
/// needs (`requires`) or what an office needs (`needs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Requirement {
    pub question: String,
    /// An option id of that question: the level it must reach (by score).
    pub reaches: String,
}

/// Text that replaces an option's plan texts where its conditions hold (context).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OptionVariant {
    /// All must hold.
    pub when: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improve: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_when: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// A weighted group of factors or questions, scored 0..=100 like a factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Axis {
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[schemars(length(min = 1))]
    pub member: Vec<AxisMember>,
}

/// One part of an axis: a factor's score or a question's answer score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(extend("oneOf" = [{"required": ["factor"]}, {"required": ["question"]}]))]
pub struct AxisMember {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[schemars(range(min = 0.000001, max = 1000000.0))]
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// Counts as 100 minus its score.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reverse: bool,
}

/// The kinds of office an outcome may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OfficeKind {
    /// A project management office (supportive, controlling, directive...).
    Pmo,
    /// A value office (strategic portfolio office, lean portfolio function...).
    Value,
    /// No office: a role.
    None,
    /// Offices in the divisions with a thin centre.
    Federated,
}

impl OfficeKind {
    pub fn id(self) -> &'static str {
        match self {
            OfficeKind::Pmo => "pmo",
            OfficeKind::Value => "value",
            OfficeKind::None => "none",
            OfficeKind::Federated => "federated",
        }
    }

    /// The kind an `office`/`also` of an outcome names, when it names a kind.
    pub fn parse(s: &str) -> Option<OfficeKind> {
        match s {
            "pmo" => Some(OfficeKind::Pmo),
            "value" => Some(OfficeKind::Value),
            "none" => Some(OfficeKind::None),
            "federated" => Some(OfficeKind::Federated),
            _ => None,
        }
    }
}

/// An office type: what an outcome recommends, beyond its recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OfficeType {
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    pub kind: OfficeKind,
    pub title: String,
    /// Consultant voice: what this office does and does not do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<String>,
    /// All must hold for this type to be chosen among its kind (first match wins).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
    /// At least one must hold, when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_any: Vec<Condition>,
    /// The practice levels this office needs (the plan's target).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Requirement>,
    /// Who leads instead, where this office type is the plan's target: a role id
    /// of `[roles]` to the role id that takes its initiatives (a part-time role
    /// has no office lead: `{ office-lead = "executive" }`).
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub roles: indexmap::IndexMap<String, String>,
}

/// One outcome rule: when its conditions hold (the first that does), the result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutcomeRule {
    #[schemars(regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))]
    pub id: String,
    /// Another (earlier) outcome whose recommendation, offices, needs and texts
    /// this one uses: the same result reached by other conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Band>,
    /// An office type id, or a kind (`pmo`, `value`, `none`, `federated`): the
    /// first office type of that kind whose conditions hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// For `both`: the second office (type id or kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub also: Option<String>,
    /// All must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
    /// At least one must hold, when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_any: Vec<Condition>,
    /// Practice levels this outcome needs beyond its office's (value duties of a
    /// hybrid, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<Requirement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<Vec<NextStep>>,
    /// Texts for a context: each text comes from the first variant that holds and
    /// sets it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variant: Vec<TextVariant>,
}

impl OutcomeRule {
    /// Whether the rule has no condition (the catch-all).
    pub fn unconditional(&self) -> bool {
        self.when.is_empty() && self.when_any.is_empty()
    }
}

/// Outcome texts for a context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TextVariant {
    /// All must hold.
    pub when: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<Vec<NextStep>>,
}

/// The conditions that hide a next step: one table, or a list of them (hidden when
/// any holds).
#[derive(Debug, Clone, PartialEq, JsonSchema)]
#[schemars(untagged)]
pub enum Unless {
    One(Condition),
    Any(Vec<Condition>),
}

impl Unless {
    pub fn conditions(&self) -> &[Condition] {
        match self {
            Unless::One(c) => std::slice::from_ref(c),
            Unless::Any(v) => v,
        }
    }
}

impl Serialize for Unless {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Unless::One(c) => c.serialize(s),
            Unless::Any(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Unless {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Unless;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a condition table, or a list of them")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Unless, A::Error> {
                Condition::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(Unless::One)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, s: A) -> Result<Unless, A::Error> {
                Vec::<Condition>::deserialize(serde::de::value::SeqAccessDeserializer::new(s))
                    .map(Unless::Any)
            }
        }
        d.deserialize_any(Visit)
    }
}

use std::collections::HashMap;

use super::{
    Names, Problem, QuestionKind as Kind, Rubric, at, check_cond, check_id, check_steps,
    check_unique, check_weight, key,
};
use crate::diag::{Item, RubricFault, Rule, Seg};

/// The checks of format 3's keys: axes, office types, outcome rules, the plan data
/// of options, the questions `[scoring]` names, roles, and dependency cycles.
pub(super) fn validate(r: &Rubric, names: &Names, out: &mut Vec<Problem>) {
    validate_axes(r, names, out);
    let offices = validate_offices(r, names, out);
    validate_outcomes(r, names, &offices, out);
    validate_scoring_refs(r, names, out);
    validate_plan_data(r, names, &offices, out);
    validate_roles(r, out);
    if let Some(path) = requires_cycle(r, names) {
        // Point at the `requires` of the first move around the circle.
        let at_first = path.first().and_then(|(q, o)| {
            let qi = names.questions.get(q.as_str()).copied()?;
            let oi = r.question[qi].option.iter().position(|x| &x.id == o)?;
            let mut p = key(&at("question", qi), "option");
            p.push(Seg::Index(oi));
            Some(key(&p, "requires"))
        });
        out.push((
            at_first.unwrap_or_default(),
            false,
            RubricFault::RequiresCycle { path },
        ));
    }
}

fn validate_axes(r: &Rubric, names: &Names, out: &mut Vec<Problem>) {
    let mut seen = HashMap::new();
    for (i, a) in r.axis.iter().enumerate() {
        let p = at("axis", i);
        check_id(out, key(&p, "id"), &a.id, Item::Axis);
        check_unique(out, &mut seen, &a.id, i, key(&p, "id"), Item::Axis);
        for (j, m) in a.member.iter().enumerate() {
            let mut mp = key(&p, "member");
            mp.push(Seg::Index(j));
            let rule = Rule::AxisMember {
                axis: a.id.clone(),
                n: j + 1,
            };
            // A member is a condition's target without a test.
            let target = super::Condition {
                question: m.question.clone(),
                factor: m.factor.clone(),
                axis: None,
                below: None,
                at_least: Some(0.0),
                is: None,
            };
            check_cond(out, &mp, &rule, &target, names);
            check_weight(out, key(&mp, "weight"), m.weight);
            if let Some(q) = &m.question
                && let Some(&qi) = names.questions.get(q.as_str())
                && r.question[qi].kind == Kind::Context
            {
                let question = q.clone();
                out.push((
                    key(&mp, "question"),
                    false,
                    RubricFault::ContextScore {
                        question,
                        option: "*".into(),
                    },
                ));
            }
        }
    }
}

/// `[[office]]`: ids and conditions. Returns the ids, for the outcomes and options
/// that name one.
fn validate_offices<'a>(
    r: &'a Rubric,
    names: &Names,
    out: &mut Vec<Problem>,
) -> HashMap<&'a str, usize> {
    let mut seen = HashMap::new();
    for (i, o) in r.office.iter().enumerate() {
        let p = at("office", i);
        check_id(out, key(&p, "id"), &o.id, Item::Office);
        check_unique(out, &mut seen, &o.id, i, key(&p, "id"), Item::Office);
        let rule = Rule::Office { id: o.id.clone() };
        conditions(out, &p, "when", &o.when, &rule, names);
        conditions(out, &p, "when-any", &o.when_any, &rule, names);
        requirements(out, &key(&p, "needs"), &o.needs, names);
    }
    seen
}

fn conditions(
    out: &mut Vec<Problem>,
    p: &[Seg],
    name: &str,
    list: &[super::Condition],
    rule: &Rule,
    names: &Names,
) {
    for (j, c) in list.iter().enumerate() {
        let mut cp = key(p, name);
        cp.push(Seg::Index(j));
        check_cond(out, &cp, rule, c, names);
    }
}

/// `requires` or `needs`: known practice questions and levels they have.
fn requirements(out: &mut Vec<Problem>, p: &[Seg], list: &[Requirement], names: &Names) {
    for (j, req) in list.iter().enumerate() {
        let mut rp = p.to_vec();
        rp.push(Seg::Index(j));
        let Some(&qi) = names.questions.get(req.question.as_str()) else {
            let question = req.question.clone();
            out.push((
                key(&rp, "question"),
                false,
                RubricFault::UnknownRequiredQuestion { question },
            ));
            continue;
        };
        let q = &names.rubric.question[qi];
        if q.kind != Kind::Practice {
            let question = q.id.clone();
            out.push((
                key(&rp, "question"),
                false,
                RubricFault::RequiresNonPractice { question },
            ));
        }
        if !q.option.iter().any(|o| o.id == req.reaches) {
            out.push((
                key(&rp, "reaches"),
                false,
                RubricFault::UnknownLevel {
                    question: q.id.clone(),
                    option: req.reaches.clone(),
                },
            ));
        }
    }
}

fn office_ref(offices: &HashMap<&str, usize>, s: &str) -> bool {
    offices.contains_key(s) || OfficeKind::parse(s).is_some()
}

fn validate_outcomes(
    r: &Rubric,
    names: &Names,
    offices: &HashMap<&str, usize>,
    out: &mut Vec<Problem>,
) {
    let mut seen = HashMap::new();
    let mut own: HashMap<&str, usize> = HashMap::new();
    for (i, o) in r.outcome.iter().enumerate() {
        let p = at("outcome", i);
        check_id(out, key(&p, "id"), &o.id, Item::Outcome);
        check_unique(out, &mut seen, &o.id, i, key(&p, "id"), Item::Outcome);
        let rule = Rule::Outcome { id: o.id.clone() };
        conditions(out, &p, "when", &o.when, &rule, names);
        conditions(out, &p, "when-any", &o.when_any, &rule, names);
        let outcome = o.id.clone();
        if let Some(other) = &o.same_as {
            if !own.contains_key(other.as_str()) {
                let other = other.clone();
                out.push((
                    key(&p, "same-as"),
                    false,
                    RubricFault::UnknownSameAs { outcome, other },
                ));
            } else if o.recommendation.is_some()
                || o.office.is_some()
                || o.title.is_some()
                || o.summary.is_some()
                || o.next_steps.is_some()
                || !o.variant.is_empty()
                || !o.needs.is_empty()
            {
                out.push((
                    key(&p, "same-as"),
                    true,
                    RubricFault::SameAsWithResult { outcome },
                ));
            }
            continue;
        }
        own.insert(&o.id, i);
        match o.recommendation {
            None => out.push((
                key(&p, "id"),
                false,
                RubricFault::OutcomeWithoutRecommendation {
                    outcome: outcome.clone(),
                },
            )),
            Some(b) if b != Band::Both && o.also.is_some() => out.push((
                key(&p, "also"),
                true,
                RubricFault::AlsoWithoutBoth {
                    outcome: outcome.clone(),
                },
            )),
            _ => {}
        }
        if o.title.is_none() || o.summary.is_none() {
            out.push((
                key(&p, "id"),
                false,
                RubricFault::OutcomeWithoutText { outcome },
            ));
        }
        for (name, office) in [("office", &o.office), ("also", &o.also)] {
            if let Some(x) = office
                && !office_ref(offices, x)
            {
                let office = x.clone();
                out.push((key(&p, name), false, RubricFault::UnknownOffice { office }));
            }
        }
        requirements(out, &key(&p, "needs"), &o.needs, names);
        let steps = o.next_steps.as_deref().unwrap_or_default();
        check_steps(out, &key(&p, "next-steps"), steps, names, |n| {
            Rule::OutcomeStep {
                outcome: o.id.clone(),
                n,
            }
        });
        validate_variants(o, &p, names, out);
    }
    if let Some(last) = r.outcome.last()
        && !last.unconditional()
    {
        let i = r.outcome.len() - 1;
        let outcome = last.id.clone();
        out.push((
            key(&at("outcome", i), "id"),
            false,
            RubricFault::LastOutcomeConditional { outcome },
        ));
    }
}

/// An outcome's text variants: their conditions and their steps' conditions.
fn validate_variants(o: &OutcomeRule, p: &[Seg], names: &Names, out: &mut Vec<Problem>) {
    for (j, v) in o.variant.iter().enumerate() {
        let mut vp = key(p, "variant");
        vp.push(Seg::Index(j));
        let rule = Rule::Variant {
            outcome: o.id.clone(),
            n: j + 1,
        };
        conditions(out, &vp, "when", &v.when, &rule, names);
        let steps = v.next_steps.as_deref().unwrap_or_default();
        check_steps(out, &key(&vp, "next-steps"), steps, names, |n| {
            Rule::OutcomeStep {
                outcome: o.id.clone(),
                n,
            }
        });
    }
}

fn validate_scoring_refs(r: &Rubric, names: &Names, out: &mut Vec<Problem>) {
    let sp = vec![Seg::Key("scoring".into())];
    let lookup = |k: &'static str, q: &Option<String>, out: &mut Vec<Problem>| {
        let q = q.as_deref()?;
        let found = names.questions.get(q).copied();
        if found.is_none() {
            let question = q.to_string();
            out.push((
                key(&sp, k),
                false,
                RubricFault::UnknownScoringQuestion { key: k, question },
            ));
        }
        found
    };
    let existing = lookup("existing-office", &r.scoring.existing_office, out);
    if let Some(qi) = existing
        && r.question[qi].kind != Kind::Context
    {
        let question = r.question[qi].id.clone();
        out.push((
            key(&sp, "existing-office"),
            false,
            RubricFault::ExistingOfficeNotContext { question },
        ));
    }
    for (i, q) in r.question.iter().enumerate() {
        if Some(i) != existing && q.option.iter().any(|o| o.office.is_some()) {
            let question = q.id.clone();
            out.push((
                key(&at("question", i), "id"),
                false,
                RubricFault::OfficeOnOtherQuestion { question },
            ));
        }
    }
    let problem = lookup("pressing-problem", &r.scoring.pressing_problem, out);
    let known =
        |id: &str| problem.is_some_and(|qi| r.question[qi].option.iter().any(|o| o.id == id));
    for (i, q) in r.question.iter().enumerate() {
        let p = at("question", i);
        let check = |p: Vec<Seg>, list: &[String], out: &mut Vec<Problem>| {
            for a in list {
                if r.scoring.pressing_problem.is_none() {
                    out.push((p.clone(), false, RubricFault::AddressesWithoutProblem));
                    return;
                }
                if problem.is_some() && !known(a) {
                    let problem = a.clone();
                    out.push((p.clone(), false, RubricFault::UnknownProblem { problem }));
                }
            }
        };
        check(key(&p, "addresses"), &q.addresses, out);
        for (j, o) in q.option.iter().enumerate() {
            let mut op = key(&p, "option");
            op.push(Seg::Index(j));
            check(
                key(&op, "addresses"),
                o.addresses.as_deref().unwrap_or_default(),
                out,
            );
        }
    }
}

/// The plan data of options: `requires`, `office` lists, variants.
fn validate_plan_data(
    r: &Rubric,
    names: &Names,
    offices: &HashMap<&str, usize>,
    out: &mut Vec<Problem>,
) {
    for (i, q) in r.question.iter().enumerate() {
        let p = at("question", i);
        for (j, o) in q.option.iter().enumerate() {
            let mut op = key(&p, "option");
            op.push(Seg::Index(j));
            requirements(out, &key(&op, "requires"), &o.requires, names);
            for x in o.office.iter().flatten() {
                if !offices.contains_key(x.as_str()) {
                    let office = x.clone();
                    out.push((
                        key(&op, "office"),
                        false,
                        RubricFault::UnknownOffice { office },
                    ));
                }
            }
            for (k, v) in o.variant.iter().enumerate() {
                let mut vp = key(&op, "variant");
                vp.push(Seg::Index(k));
                let rule = Rule::OptionVariant {
                    question: q.id.clone(),
                    option: o.id.clone(),
                };
                conditions(out, &vp, "when", &v.when, &rule, names);
            }
        }
    }
}

/// Roles named by `ask` and `owner` exist in `[roles]`, when it is given.
fn validate_roles(r: &Rubric, out: &mut Vec<Problem>) {
    if r.roles.is_empty() {
        return;
    }
    for role in r.roles.keys() {
        check_id(
            out,
            vec![Seg::Key("roles".into()), Seg::Key(role.clone())],
            role,
            Item::Role,
        );
    }
    let known = |x: &str| r.roles.contains_key(x);
    for (i, q) in r.question.iter().enumerate() {
        let p = at("question", i);
        for a in q.ask.iter().filter(|a| !known(a)) {
            let role = a.clone();
            out.push((key(&p, "ask"), false, RubricFault::UnknownRole { role }));
        }
        for (j, o) in q.option.iter().enumerate() {
            let mut op = key(&p, "option");
            op.push(Seg::Index(j));
            let owners = o
                .owner
                .iter()
                .chain(o.variant.iter().filter_map(|v| v.owner.as_ref()));
            for x in owners.filter(|x| !known(x)) {
                let role = x.clone();
                out.push((key(&op, "owner"), false, RubricFault::UnknownRole { role }));
            }
        }
    }
    for (i, o) in r.office.iter().enumerate() {
        let p = key(&at("office", i), "roles");
        for (from, to) in &o.roles {
            let mut k = p.clone();
            k.push(Seg::Key(from.clone()));
            for x in [from, to].into_iter().filter(|x| !known(x)) {
                let role = x.clone();
                out.push((k.clone(), false, RubricFault::UnknownRole { role }));
            }
        }
    }
}

/// A move up: (question, the rank of the option it starts from).
type Move = (usize, usize);

/// A circle in the `requires` of moves up, if any: the moves (question id, the
/// option the move starts from) around it, the first repeated at the end. A move
/// needs the move just below it on its own ladder, and for each requirement (`q`
/// reaches `o`) the move of `q` into `o`.
fn requires_cycle(r: &Rubric, names: &Names) -> Option<Vec<(String, String)>> {
    let ranked: Vec<Vec<usize>> = r.question.iter().map(rank).collect();
    let pos = |qi: usize, oi: usize| ranked[qi].iter().position(|&x| x == oi).unwrap_or(0);
    let edges = |(qi, k): (usize, usize)| -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        if k > 0 {
            v.push((qi, k - 1));
        }
        for req in &r.question[qi].option[ranked[qi][k]].requires {
            let Some(&q2) = names.questions.get(req.question.as_str()) else {
                continue;
            };
            let Some(o2) = r.question[q2]
                .option
                .iter()
                .position(|o| o.id == req.reaches)
            else {
                continue;
            };
            let target = pos(q2, o2);
            if target > 0 {
                v.push((q2, target - 1));
            }
        }
        v
    };
    // Depth-first, without recursion (a rubric may be large): 1 = on the path,
    // 2 = done.
    let mut state: HashMap<(usize, usize), u8> = HashMap::new();
    for (qi, q) in r.question.iter().enumerate() {
        for k in 0..q.option.len().saturating_sub(1) {
            if state.contains_key(&(qi, k)) {
                continue;
            }
            let mut path: Vec<(Move, Vec<Move>)> = vec![((qi, k), edges((qi, k)))];
            state.insert((qi, k), 1);
            while let Some((node, todo)) = path.last_mut() {
                let node = *node;
                match todo.pop() {
                    None => {
                        state.insert(node, 2);
                        path.pop();
                    }
                    Some(next) => match state.get(&next) {
                        Some(2) => {}
                        Some(_) => {
                            let from = path.iter().position(|(n, _)| *n == next).unwrap_or(0);
                            let mut ring: Vec<(usize, usize)> =
                                path[from..].iter().map(|(n, _)| *n).collect();
                            ring.push(next);
                            return Some(
                                ring.into_iter()
                                    .map(|(q, k)| {
                                        let o = &r.question[q].option[ranked[q][k]];
                                        (r.question[q].id.clone(), o.id.clone())
                                    })
                                    .collect(),
                            );
                        }
                        None => {
                            state.insert(next, 1);
                            path.push((next, edges(next)));
                        }
                    },
                }
            }
        }
    }
    None
}

/// A question's options in order of score (file order among equals).
pub(crate) fn rank(q: &super::Question) -> Vec<usize> {
    let mut v: Vec<usize> = (0..q.option.len()).collect();
    v.sort_by(|&a, &b| q.option[a].score.total_cmp(&q.option[b].score));
    v
}
