//! A live workshop's state, kept in its folder so that a restart (or a SIGKILL)
//! resumes it: the join code, the facilitator secret and who joined, in one hidden
//! file (`.pmo-vmo-serve`, no extension, so a folder walk neither reads nor names
//! it), and each participant's answers as an ordinary answer sheet
//! (`participant-N.json`), written whole after every answer and before it is
//! acknowledged. No name under the folder comes from what a participant sends:
//! the number `N` is the server's.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::Sheet;
use crate::atomic;
use crate::input::{SheetFormat, load_text};
use crate::origin::Origin;
use crate::rubric::LoadedRubric;

/// The session file in the workshop's folder.
pub(crate) const SESSION_FILE: &str = ".pmo-vmo-serve";

/// The re-vote rounds in the workshop's folder (no extension, as the session file).
pub(crate) const ROUNDS_FILE: &str = ".pmo-vmo-rounds";

/// The re-votes: for each question put to the room again, the answers it had
/// before (the first round; the sheets hold the latest), and which is open.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Rounds {
    /// The question participants are asked to answer again now, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open: Option<String>,
    #[serde(default)]
    round: Vec<Round>,
}

/// A question put to the room again, with its first round's answers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Round {
    pub(crate) question: String,
    /// Participant number (as text: a TOML key) = the option id they had chosen.
    #[serde(default)]
    pub(crate) first: std::collections::BTreeMap<String, String>,
}

/// The longest name, role or organisation taken, in characters.
pub(crate) const MAX_FIELD: usize = 200;

/// The longest note taken, in characters.
pub(crate) const MAX_NOTE: usize = 4000;

/// What the session file holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Stored {
    join: String,
    secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    #[serde(default)]
    participant: Vec<StoredParticipant>,
}

/// A participant as the session file keeps them: what they gave when joining.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StoredParticipant {
    token: String,
    number: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    respondent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organisation: Option<String>,
}

/// Who a participant says they are.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct About {
    #[serde(default)]
    pub(crate) respondent: Option<String>,
    #[serde(default)]
    pub(crate) role: Option<String>,
    #[serde(default)]
    pub(crate) organisation: Option<String>,
}

/// One answer as the page sends it: the option id (or `dont-know`), or `null` to
/// take the answer back; the note, empty to remove it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Update {
    pub(crate) id: String,
    pub(crate) question: String,
    #[serde(default)]
    pub(crate) answer: Option<String>,
    #[serde(default)]
    pub(crate) note: Option<String>,
    #[serde(flatten)]
    pub(crate) about: About,
}

/// Why a request was refused, as data; the server gives each its status and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The participant cap is reached.
    Full(usize),
    /// A name is needed and none was given.
    NameNeeded,
    /// A field is longer than it may be: its name and the limit.
    TooLong(&'static str, usize),
    /// No such participant in this session.
    UnknownParticipant,
    /// No such question in the rubric.
    UnknownQuestion,
    /// The sheet would not read back (an unknown option): the reader's words.
    Invalid(String),
    /// The sheet could not be written.
    Io(String),
}

/// One participant, with their sheet as last written.
#[derive(Debug)]
pub(crate) struct Participant {
    pub(crate) number: usize,
    sheet: Mutex<Sheet>,
}

impl Participant {
    fn sheet(&self) -> MutexGuard<'_, Sheet> {
        self.sheet
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The participant's sheet as it stands (for progress; never sent to another
    /// participant).
    pub(crate) fn snapshot(&self) -> Sheet {
        self.sheet().clone()
    }
}

/// A live session.
#[derive(Debug)]
pub(crate) struct Session {
    dir: PathBuf,
    pub(crate) join: String,
    pub(crate) secret: String,
    pub(crate) port: Option<u16>,
    stored: Mutex<Stored>,
    by_token: Mutex<HashMap<String, Arc<Participant>>>,
    /// In joining order.
    list: Mutex<Vec<Arc<Participant>>>,
    rounds: Mutex<Rounds>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `bits` random bits (rounded up to whole characters) in lower-case base 32
/// without the letters easily misread (no `i`, `l`, `o`, `u`).
pub(crate) fn random_code(bits: usize) -> io::Result<String> {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let chars = bits.div_ceil(5);
    let mut bytes = vec![0u8; chars];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

fn clean_field(value: Option<&String>, name: &'static str) -> Result<Option<String>, Refusal> {
    let Some(v) = value.map(|v| v.trim()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_FIELD {
        return Err(Refusal::TooLong(name, MAX_FIELD));
    }
    Ok(Some(v.to_owned()))
}

impl Session {
    /// Opens the session kept in `dir`, or starts one there.
    pub(crate) fn open(dir: &Path, rubric: &LoadedRubric) -> io::Result<Session> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(SESSION_FILE);
        let stored = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<Stored>(&text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {}", path.display(), e.message()),
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let stored = Stored {
                    join: random_code(50)?,
                    secret: random_code(130)?,
                    port: None,
                    participant: Vec::new(),
                };
                write_stored(dir, &stored)?;
                stored
            }
            Err(e) => return Err(e),
        };
        let mut by_token = HashMap::new();
        let mut list = Vec::new();
        for p in &stored.participant {
            let file = sheet_path(dir, p.number);
            // The sheet as last acknowledged; before the first answer, what they
            // gave when joining.
            let sheet = match std::fs::read_to_string(&file) {
                Ok(text) => Sheet::parse(&Origin::File(file.clone()), &text, SheetFormat::Json)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => blank(rubric, p),
                Err(e) => return Err(e),
            };
            let participant = Arc::new(Participant {
                number: p.number,
                sheet: Mutex::new(sheet),
            });
            by_token.insert(p.token.clone(), participant.clone());
            list.push(participant);
        }
        let rounds = match std::fs::read_to_string(dir.join(ROUNDS_FILE)) {
            Ok(text) => toml::from_str::<Rounds>(&text).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {}", dir.join(ROUNDS_FILE).display(), e.message()),
                )
            })?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Rounds::default(),
            Err(e) => return Err(e),
        };
        Ok(Session {
            rounds: Mutex::new(rounds),
            dir: dir.to_path_buf(),
            join: stored.join.clone(),
            secret: stored.secret.clone(),
            port: stored.port,
            stored: Mutex::new(stored),
            by_token: Mutex::new(by_token),
            list: Mutex::new(list),
        })
    }

    /// Keeps the port the server listens on, so that a restart offers the same
    /// addresses when it is free.
    pub(crate) fn keep_port(&self, port: u16) -> io::Result<()> {
        let mut stored = lock(&self.stored);
        if stored.port == Some(port) {
            return Ok(());
        }
        stored.port = Some(port);
        write_stored(&self.dir, &stored)
    }

    /// A participant's own sheet, by their token: for their page on another device.
    pub(crate) fn own_sheet(&self, token: &str) -> Option<Sheet> {
        let p = lock(&self.by_token).get(token).cloned()?;
        Some(p.snapshot())
    }

    /// The participants, in joining order.
    pub(crate) fn participants(&self) -> Vec<Arc<Participant>> {
        lock(&self.list).clone()
    }

    /// Adds a participant (written to the session file before it returns) and
    /// gives their token.
    pub(crate) fn join(
        &self,
        rubric: &LoadedRubric,
        about: &About,
        max: usize,
        anonymous: bool,
    ) -> Result<String, Refusal> {
        let respondent = clean_field(about.respondent.as_ref(), "name")?;
        let role = clean_field(about.role.as_ref(), "role")?;
        let organisation = clean_field(about.organisation.as_ref(), "organisation")?;
        if respondent.is_none() && !anonymous {
            return Err(Refusal::NameNeeded);
        }
        let token = random_code(130).map_err(|e| Refusal::Io(e.to_string()))?;
        let mut stored = lock(&self.stored);
        if stored.participant.len() >= max {
            return Err(Refusal::Full(max));
        }
        let number = stored
            .participant
            .iter()
            .map(|p| p.number)
            .max()
            .unwrap_or(0)
            + 1;
        let p = StoredParticipant {
            token: token.clone(),
            number,
            respondent,
            role,
            organisation,
        };
        let participant = Arc::new(Participant {
            number,
            sheet: Mutex::new(blank(rubric, &p)),
        });
        stored.participant.push(p);
        if let Err(e) = write_stored(&self.dir, &stored) {
            stored.participant.pop();
            return Err(Refusal::Io(e.to_string()));
        }
        lock(&self.by_token).insert(token.clone(), participant.clone());
        lock(&self.list).push(participant);
        Ok(token)
    }

    /// Applies one answer to the participant's sheet and writes the sheet whole
    /// (synced, renamed into place) before it returns: what it returns `Ok` for
    /// survives a crash. Returns how many questions the sheet answers.
    pub(crate) fn answer(&self, rubric: &LoadedRubric, update: &Update) -> Result<usize, Refusal> {
        let Some(participant) = lock(&self.by_token).get(&update.id).cloned() else {
            return Err(Refusal::UnknownParticipant);
        };
        let question = &update.question;
        if !rubric.rubric.question.iter().any(|q| &q.id == question) {
            return Err(Refusal::UnknownQuestion);
        }
        if let Some(a) = &update.answer
            && a.chars().count() > MAX_FIELD
        {
            return Err(Refusal::TooLong("answer", MAX_FIELD));
        }
        if let Some(n) = &update.note
            && n.chars().count() > MAX_NOTE
        {
            return Err(Refusal::TooLong("note", MAX_NOTE));
        }
        let respondent = clean_field(update.about.respondent.as_ref(), "name")?;
        let role = clean_field(update.about.role.as_ref(), "role")?;
        let organisation = clean_field(update.about.organisation.as_ref(), "organisation")?;
        // One participant's answers are written one at a time, in order.
        let mut sheet = participant.sheet();
        let mut next = sheet.clone();
        if respondent.is_some() {
            next.respondent = respondent;
        }
        if role.is_some() {
            next.role = role;
        }
        if organisation.is_some() {
            next.organisation = organisation;
        }
        match update
            .answer
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            Some(a) => {
                next.answers.insert(question.clone(), a.to_owned());
            }
            None => {
                next.answers.shift_remove(question);
            }
        }
        if let Some(note) = &update.note {
            match note.trim() {
                "" => {
                    next.notes.shift_remove(question);
                }
                n => {
                    next.notes.insert(question.clone(), n.to_owned());
                }
            }
        }
        sort_like_rubric(rubric, &mut next.answers);
        sort_like_rubric(rubric, &mut next.notes);
        let path = sheet_path(&self.dir, participant.number);
        let mut text =
            serde_json::to_string_pretty(&next).map_err(|e| Refusal::Io(e.to_string()))?;
        text.push('\n');
        // The reader `score` and `workshop` use is the judge of what is written.
        load_text(rubric, Origin::File(path.clone()), &text, SheetFormat::Json)
            .map_err(|e| Refusal::Invalid(e.to_string()))?;
        write_whole(&path, text.as_bytes()).map_err(|e| Refusal::Io(e.to_string()))?;
        let answered = next.answers.len();
        *sheet = next;
        Ok(answered)
    }
}

impl Session {
    /// Puts `question` to the room again: the answers it has now are kept as its
    /// first round (written before it returns), and participants are asked to
    /// answer it again; their sheets then hold the second round. A question already
    /// re-voted keeps its first round and is opened again.
    pub(crate) fn revote(&self, question: &str) -> io::Result<()> {
        let mut rounds = lock(&self.rounds);
        let mut next = rounds.clone();
        if !next.round.iter().any(|r| r.question == question) {
            let first = (self.participants().iter())
                .filter_map(|p| {
                    let answer = p.sheet().answers.get(question).cloned()?;
                    Some((p.number.to_string(), answer))
                })
                .collect();
            next.round.push(Round {
                question: question.to_owned(),
                first,
            });
        }
        next.open = Some(question.to_owned());
        let text = toml::to_string(&next).map_err(io::Error::other)?;
        write_whole(&self.dir.join(ROUNDS_FILE), text.as_bytes())?;
        *rounds = next;
        Ok(())
    }

    /// The question participants are asked to answer again, if any.
    pub(crate) fn open_revote(&self) -> Option<String> {
        lock(&self.rounds).open.clone()
    }

    /// The first round of a re-voted question.
    pub(crate) fn first_round(&self, question: &str) -> Option<Round> {
        (lock(&self.rounds).round.iter())
            .find(|r| r.question == question)
            .cloned()
    }
}

/// A participant's sheet before their first answer.
fn blank(rubric: &LoadedRubric, p: &StoredParticipant) -> Sheet {
    let r = &rubric.rubric;
    Sheet {
        rubric: r.id.clone(),
        rubric_version: Some(r.version.clone()).filter(|v| !v.is_empty()),
        respondent: p.respondent.clone(),
        role: p.role.clone(),
        organisation: p.organisation.clone(),
        ..Sheet::default()
    }
}

fn sort_like_rubric(rubric: &LoadedRubric, map: &mut IndexMap<String, String>) {
    let order = |id: &str| rubric.rubric.question.iter().position(|q| q.id == id);
    map.sort_by(|a, _, b, _| order(a).cmp(&order(b)));
}

/// Where participant `number`'s sheet is written.
pub(crate) fn sheet_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("participant-{number:03}.json"))
}

fn write_stored(dir: &Path, stored: &Stored) -> io::Result<()> {
    let text = toml::to_string(stored).map_err(io::Error::other)?;
    let text = format!(
        "# pmo-vmo serve: this workshop's join code, facilitator secret and participants.\n# Keep it private; delete it to start a new session in this folder.\n{text}"
    );
    write_whole(&dir.join(SESSION_FILE), text.as_bytes())
}

/// Writes a file whole: synced beside it, renamed over it.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomic::stage(path, bytes)?.replace().map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_enough_and_differ() {
        let a = random_code(130).unwrap();
        let b = random_code(130).unwrap();
        assert_eq!(a.len(), 26);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn an_answer_lands_as_a_sheet_and_a_restart_resumes() {
        let rubric = crate::testing::v2();
        let dir = tempfile::tempdir().unwrap();
        let s = Session::open(dir.path(), &rubric).unwrap();
        let about = About {
            respondent: Some("../../etc/x".into()),
            ..About::default()
        };
        assert_eq!(
            s.join(&rubric, &About::default(), 5, false),
            Err(Refusal::NameNeeded)
        );
        let token = s.join(&rubric, &about, 5, false).unwrap();
        let q = &rubric.rubric.question[0];
        let update = Update {
            id: token.clone(),
            question: q.id.clone(),
            answer: Some(q.option[0].id.clone()),
            note: Some("<script>x</script>".into()),
            about: About::default(),
        };
        assert_eq!(s.answer(&rubric, &update), Ok(1));
        let bad = Update {
            answer: Some("no-such-option".into()),
            ..update.clone()
        };
        assert!(matches!(s.answer(&rubric, &bad), Err(Refusal::Invalid(_))));
        let text = std::fs::read_to_string(sheet_path(dir.path(), 1)).unwrap();
        let sheet = load_text(&rubric, "p.json", &text, SheetFormat::Json).unwrap();
        assert_eq!(sheet.sheet.respondent.as_deref(), Some("../../etc/x"));
        assert_eq!(sheet.sheet.notes[&q.id], "<script>x</script>");
        drop(s);
        let again = Session::open(dir.path(), &rubric).unwrap();
        assert_eq!(again.participants().len(), 1);
        assert_eq!(again.participants()[0].snapshot().answers.len(), 1);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
