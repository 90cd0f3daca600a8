//! `pmo-vmo interview`: the questionnaire in the terminal. The flow lives in
//! `pmo_vmo::interview`; this file is the terminal prompter (its own list and line input on `console`), the atomic saver, Ctrl-C
//! handling and the final recommendation.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use console::Key;
use console::{Term, style};
use pmo_vmo::LoadedRubric;
use pmo_vmo::input::decode::read_text;
use pmo_vmo::input::{ResolvedSheet, Sheet, SheetDate, SheetFormat};
use pmo_vmo::input::{format_of, load_text};
use pmo_vmo::interview::{
    AskView, Ended, FactorView, Interview, InterviewError, Prompter, Reply, ReviewEntry,
    ReviewReply,
};
use pmo_vmo::render::clean::{printable, printable_line};
use pmo_vmo::render::rubric::CONTEXT_PART;
use pmo_vmo::render::words::count;
use pmo_vmo::render::{Style, table};
use pmo_vmo::rubric::respondent::{RespondentQuestion, RespondentText};

use crate::args::InterviewArgs;
use crate::cmd::common::shell_word;
use crate::settings::Settings;
use crate::term::{self, ExitStatus};

/// Where the sheet goes without `-o` or `--resume`.
pub const DEFAULT_OUTPUT: &str = "pmo-vmo-answers.toml";

/// What the Ctrl-C handler needs to say where the answers are. The lock is held
/// while a save is under way, so an interrupt never lands between the temporary
/// file and the rename.
struct Saved {
    /// The sheet on disk, once there is one.
    path: Option<PathBuf>,
    /// The command line up to `interview` (`pmo-vmo --rubric r.toml`).
    prefix: String,
}

static SAVED: Mutex<Saved> = Mutex::new(Saved {
    path: None,
    prefix: String::new(),
});

fn lock_saved() -> std::sync::MutexGuard<'static, Saved> {
    SAVED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Restores the cursor, says where the answers are and exits with 130. Called from
/// the Ctrl-C handler and from the prompt that read the key, whichever comes first.
fn interrupted() -> ! {
    let saved = lock_saved();
    let term = Term::stderr();
    let _ = term.show_cursor();
    let msg = match &saved.path {
        Some(p) => format!(
            "\ninterrupted: your answers so far are saved in {}\ncontinue with: {}",
            p.display(),
            resume_command(&saved.prefix, p)
        ),
        None => "\ninterrupted before any answer; nothing was saved".to_string(),
    };
    let _ = writeln!(io::stderr(), "{msg}");
    std::process::exit(130);
}

/// The command that continues the interview saved in `path`.
fn resume_command(prefix: &str, path: &Path) -> String {
    format!(
        "{prefix} interview --resume {}",
        shell_word(&path.display().to_string())
    )
}

/// The format of a single answer sheet file: TOML or JSON (an export is many sheets).
fn sheet_format(path: &Path) -> Option<SheetFormat> {
    format_of(path).filter(|f| *f != SheetFormat::Csv)
}

/// Writes the sheet to a temporary file in the output's folder, then renames it
/// over the output: a crash leaves the previous sheet or the new one, never half.
/// A link is followed (its target gets the answers, the link stays), and a
/// resumed TOML sheet is edited in place: its comments and layout stay.
///
/// It only ever replaces its own file: the first save of a new sheet refuses a file
/// that appeared meanwhile, and later saves refuse a file someone else has written
/// since (two people started `interview` in the same folder). Then the answers go
/// to a free name beside it instead, and the save fails with a [`Conflict`].
struct Saver {
    /// The sheet as named on the command line (a link, maybe), for messages.
    path: PathBuf,
    /// Where it is written: `path` with its links followed.
    real: PathBuf,
    format: SheetFormat,
    /// The resumed TOML document, whose comments and layout each save keeps.
    original: Option<toml_edit::DocumentMut>,
    /// The resumed JSON text, whose key order each save keeps.
    original_json: Option<String>,
    /// The resumed sheet's lines end in CRLF: each save writes them so too.
    crlf: bool,
    /// The identity of the file this interview last wrote (or resumed).
    claimed: std::cell::Cell<Option<FileId>>,
}

/// Device and inode on Unix (length elsewhere), and the modification time: an
/// inode freed and reused by a new file still shows a new time.
type FileId = (u64, u64, u128);

fn file_id(path: &Path) -> Option<FileId> {
    let m = std::fs::metadata(path).ok()?;
    let time = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino(), time))
    }
    #[cfg(not(unix))]
    {
        Some((0, m.len(), time))
    }
}

/// The sheet file was taken by someone else; the answers are in `moved_to`.
#[derive(Debug)]
struct Conflict {
    path: PathBuf,
    moved_to: PathBuf,
    /// The command that continues from `moved_to`.
    resume: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} was written by another program while you answered (a second interview in \
             this folder?); it was left alone, and your answers so far are in {}; continue with: \
             {}",
            self.path.display(),
            self.moved_to.display(),
            self.resume
        )
    }
}

impl std::error::Error for Conflict {}

impl Saver {
    /// `claimed`: the identity of the resumed file when it was read (so that a
    /// change made while the first prompts were open is not overwritten).
    fn new(path: PathBuf, format: SheetFormat, claimed: Option<FileId>) -> Saver {
        Saver {
            real: pmo_vmo::atomic::resolve(&path),
            path,
            format,
            original: None,
            original_json: None,
            crlf: false,
            claimed: std::cell::Cell::new(claimed),
        }
    }

    /// Saves over `original`'s text (a resumed sheet): a TOML sheet keeps its
    /// comments and layout, a JSON sheet its key order, and both their line
    /// endings (CRLF where the first line ends so).
    fn keeping(mut self, original: Option<&str>) -> Saver {
        let Some(text) = original else { return self };
        match self.format {
            SheetFormat::Toml => self.original = text.parse().ok(),
            SheetFormat::Json => self.original_json = Some(text.to_string()),
            SheetFormat::Csv => {}
        }
        self.crlf = text.find('\n').is_some_and(|i| text[..i].ends_with('\r'));
        self
    }

    fn save(&self, sheet: &Sheet) -> io::Result<()> {
        let text = match self.format {
            SheetFormat::Toml => match &self.original {
                Some(doc) => sheet.to_toml_over(doc),
                None => sheet.to_toml(),
            },
            SheetFormat::Json => match self
                .original_json
                .as_deref()
                .and_then(|t| sheet.to_json_over(t))
            {
                Some(s) => s,
                None => {
                    let mut s = serde_json::to_string_pretty(sheet).map_err(io::Error::other)?;
                    s.push('\n');
                    s
                }
            },
            SheetFormat::Csv => {
                return Err(io::Error::other("an answer sheet is saved as TOML or JSON"));
            }
        };
        // The line endings the resumed sheet had (text that has some CRLF
        // already, from a comment kept, is made all one or the other).
        let text = if self.crlf {
            text.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            text
        };
        if text.trim().is_empty() {
            // Never replace a sheet with nothing.
            return Err(io::Error::other("the sheet could not be written as text"));
        }
        let mut saved = lock_saved();
        // Written beside the sheet with its mode kept (a new one gets the mode a plain
        // new file would), synced; then linked in below.
        let staged = pmo_vmo::atomic::stage(&self.real, text.as_bytes())?;
        let now = file_id(&self.real);
        let ours = match (self.claimed.get(), now) {
            // Our file, as we left it: replace it.
            (Some(c), Some(now)) => c == now,
            // Nothing there (never saved, or removed): create it, but not over a
            // file that appears in between.
            (_, None) => true,
            // Someone else's file.
            (None, Some(_)) => false,
        };
        // Our file is replaced (or created, but not over a file that appears in
        // between); what is left unlinked goes beside it.
        let unlinked = if !ours {
            Some(staged)
        } else {
            let linked = if now.is_some() {
                staged.replace()
            } else {
                staged.create()
            };
            match linked {
                Ok(()) => None,
                Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Some(e.staged),
                Err(e) => return Err(e.error),
            }
        };
        if let Some(staged) = unlinked {
            // Someone else's file: the answers go to a free name beside it.
            let beside = free_name(&self.real);
            staged.create_at(&beside)?;
            saved.path = Some(beside.clone());
            return Err(io::Error::other(Conflict {
                path: self.path.clone(),
                resume: resume_command(&saved.prefix, &beside),
                moved_to: beside,
            }));
        }
        saved.path = Some(self.path.clone());
        self.claimed.set(file_id(&self.real));
        Ok(())
    }
}

/// `name-2.toml`, `name-3.toml`... the first that does not exist beside `path`.
fn free_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_extension("tmp"))
}

pub fn run(settings: &Settings, args: &InterviewArgs) -> Result<ExitStatus> {
    if !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        let _ = writeln!(
            io::stderr(),
            "error: the interview needs a terminal (stdin and stderr must be a TTY)\n\
             without one, write a blank sheet with `pmo-vmo init -o answers.toml`, fill it in,\n\
             then get the recommendation with `pmo-vmo score answers.toml`"
        );
        return Ok(ExitStatus::Error);
    }
    console::set_colors_enabled_stderr(settings.color_err);
    console::set_colors_enabled(settings.color);
    let rubric = settings.load_rubric(None)?;

    let Resumed {
        claimed,
        sheet: mut base,
        choices,
        text,
    } = resumed_sheet(&rubric, args.resume.as_deref())?;
    let (output, format) = output_sheet(args)?;
    remember_command(settings, &output);
    ctrlc::set_handler(|| interrupted()).context("could not install the Ctrl-C handler")?;

    let mut prompter = TermPrompter::new(&rubric);
    // A resumed sheet: how far it got, for the greeting.
    let resumed = args
        .resume
        .is_some()
        .then(|| Interview::new(&rubric, base.clone(), choices.clone()).progress());
    prompter
        .intro(&output, resumed, base.respondent.as_deref())
        .or_else(stop_on_interrupt)?;
    // A resumed sheet with a name was asked for its details before: not again
    // (Back from the first question changes them).
    let ask = resumed.is_none() || base.respondent.is_none();
    ask_who(&mut prompter, args, &mut base, ask)?;

    // The day of this session: a resumed sheet takes the day it was last answered.
    base.date = Some(SheetDate::today_utc());
    let saver = Saver::new(output.clone(), format, claimed).keeping(text.as_deref());
    let mut interview = Interview::new(&rubric, base, choices).with_details_back();
    // Saved at once, so that the file is there (and claimed) from the start.
    saver
        .save(&interview.sheet())
        .with_context(|| format!("could not save {}", output.display()))?;
    loop {
        let res = interview.run(&mut prompter, &mut |s| saver.save(s));
        match res {
            Ok(Ended::Done) => break,
            // Back from the first question: the details again, then question 1.
            Ok(Ended::Details) => {
                edit_who(&mut prompter, interview.base_mut())?;
                saver
                    .save(&interview.sheet())
                    .with_context(|| format!("could not save {}", output.display()))?;
            }
            Err(e) if e.is_interrupted() => interrupted(),
            Err(InterviewError::Save(e)) => {
                return Err(e).with_context(|| format!("could not save {}", output.display()));
            }
            Err(e) => return Err(e.into()),
        }
    }

    let target = args.target.map(Into::into);
    print_result(settings, &rubric, (&output, format), &interview, target)?;
    Ok(ExitStatus::Success)
}

/// A sheet to continue, or a fresh one.
#[derive(Default)]
struct Resumed {
    /// The identity of its file when it was read.
    claimed: Option<FileId>,
    sheet: Sheet,
    choices: Vec<Option<usize>>,
    /// The sheet's text, which each save keeps (a TOML sheet's comments and layout, a
    /// JSON sheet's key order, the line endings).
    text: Option<String>,
}

/// The sheet being resumed, validated like any other, with the claim on its
/// file and its text; a fresh sheet without `--resume`.
fn resumed_sheet(rubric: &LoadedRubric, resume: Option<&Path>) -> Result<Resumed> {
    let Some(path) = resume else {
        return Ok(Resumed::default());
    };
    let format = sheet_format(path).with_context(|| {
        format!(
            "{}: cannot resume: expected a .toml or .json sheet",
            path.display()
        )
    })?;
    // Taken before reading: a change made from now on is someone else's.
    let claimed = file_id(path);
    let text = read_text(path)?;
    let resolved = load_text(rubric, path, &text, format)?;
    for w in &resolved.warnings {
        term::warn(w);
    }
    // Kept to write the sheet back over itself, as it was laid out.
    let text = Some(text);
    Ok(Resumed {
        claimed,
        sheet: resolved.sheet,
        choices: resolved.choices,
        text,
    })
}

/// Where the answers go, and in which format; refuses to overwrite a sheet
/// other than the one being resumed.
fn output_sheet(args: &InterviewArgs) -> Result<(PathBuf, SheetFormat)> {
    let output = args
        .output
        .clone()
        .or_else(|| args.resume.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUTPUT));
    let Some(format) = sheet_format(&output) else {
        bail!(
            "{}: the answer sheet must end in .toml or .json",
            output.display()
        );
    };
    if output.exists() && !is_same_file(&output, args.resume.as_deref()) {
        bail!(
            "{} already exists; not overwriting it (continue it with --resume {}, or choose another file with -o)",
            output.display(),
            output.display()
        );
    }
    Ok((output, format))
}

/// Records the command line and the sheet on disk, so that an interrupt can say
/// how to resume.
fn remember_command(settings: &Settings, output: &Path) {
    let mut saved = lock_saved();
    let mut prefix = String::from("pmo-vmo");
    // An empty rubric (an empty PMO_VMO_RUBRIC) is the default: not repeated.
    if let Some(r) = settings.rubric_file() {
        prefix.push_str(" --rubric ");
        prefix.push_str(&shell_word(&r.display().to_string()));
    }
    saved.prefix = prefix;
    if output.exists() {
        saved.path = Some(output.to_path_buf());
    }
}

/// The prompts for the respondent's details.
const NAME: &str = "Your name (optional)";
const ROLE: &str = "Your role (e.g. sponsor)";
const ORGANISATION: &str = "Organisation";

/// The respondent's name, role and organisation: from the options, else from the
/// resumed sheet, else asked for when `ask`.
fn ask_who(
    prompter: &mut TermPrompter<'_>,
    args: &InterviewArgs,
    base: &mut Sheet,
    ask: bool,
) -> Result<()> {
    let fields = [
        (&args.respondent, &mut base.respondent, NAME),
        (&args.role, &mut base.role, ROLE),
        (&args.organisation, &mut base.organisation, ORGANISATION),
    ];
    for (given, field, prompt) in fields {
        if let Some(v) = given {
            *field = Some(v.clone());
        } else if ask && field.is_none() {
            *field = prompter.text(prompt, "").or_else(stop_on_interrupt)?;
        }
    }
    Ok(())
}

/// The details again (Back from the first question), each starting from what it
/// was.
fn edit_who(prompter: &mut TermPrompter<'_>, base: &mut Sheet) -> Result<()> {
    let fields = [
        (&mut base.respondent, NAME),
        (&mut base.role, ROLE),
        (&mut base.organisation, ORGANISATION),
    ];
    for (field, prompt) in fields {
        let was = field.clone().unwrap_or_default();
        *field = prompter.text(prompt, &was).or_else(stop_on_interrupt)?;
    }
    Ok(())
}

/// The final recommendation, scored as `score` does, and where the answers are.
fn print_result(
    settings: &Settings,
    rubric: &LoadedRubric,
    (output, format): (&Path, SheetFormat),
    interview: &Interview<'_>,
    target: Option<pmo_vmo::Band>,
) -> Result<()> {
    let sheet = interview.sheet();
    let source = output.display().to_string();
    let resolved = ResolvedSheet {
        source: output.into(),
        sheet: sheet.clone(),
        choices: interview.choices().to_vec(),
        unknown: interview.unknown(),
        warnings: Vec::new(),
        format,
        text: None,
    };
    // The same scoring as `score` (sensitivity included), so the two always agree.
    let extras = pmo_vmo::result::Extras {
        sensitivity: true,
        roadmap: true,
        target,
        answers: true,
        advice: true,
        texts: false,
    };
    match pmo_vmo::result::score_with(rubric, resolved, extras) {
        Ok(result) => {
            let style = Style {
                color: settings.color,
                width: settings.width,
                detail: Some(true),
            };
            let _ = writeln!(io::stderr());
            term::write_stdout(table::detail(rubric, &result, style).as_bytes())?;
            let _ = writeln!(
                io::stderr(),
                "\nanswers saved in {source}\nscore them again with: pmo-vmo score {}",
                shell_word(&source)
            );
        }
        Err(_) => {
            let _ = writeln!(
                io::stderr(),
                "\nevery question was skipped, so there is no recommendation\nthe sheet is in {source}"
            );
        }
    }
    Ok(())
}

/// Ctrl-C at a prompt: exit 130 now; any other error goes up.
fn stop_on_interrupt<T>(e: io::Error) -> io::Result<T> {
    if e.kind() == io::ErrorKind::Interrupted {
        interrupted();
    }
    Err(e)
}

fn is_same_file(a: &Path, b: Option<&Path>) -> bool {
    let Some(b) = b else { return false };
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The real prompter: lists and lines drawn on stderr with `console`, text wrapped
/// to the terminal.
/// Every rubric text it shows comes from [`RespondentText`], as on every other
/// respondent surface.
struct TermPrompter<'a> {
    words: RespondentText<'a>,
    term: Term,
    /// Nothing printed since the intro's closing blank line.
    fresh: bool,
    /// How many lines the last answered line took, right above the cursor (0 once
    /// something else is printed): Back erases it with the question it leaves.
    summary_lines: usize,
}

/// The marks of the answered line and the review: answered, "don't know",
/// skipped, not reached yet.
const MARK_ANSWERED: &str = "✔";
const MARK_UNKNOWN: &str = "?";
const MARK_SKIPPED: &str = "–";
const MARK_OPEN: &str = "·";

/// Labels of the "don't know" and skip choices.
const DONT_KNOW: &str = "Don't know";
const SKIP: &str = "Skip this question";
/// Labels of the note choice, without and with a note.
const ADD_NOTE: &str = "Add a note (evidence)";
const EDIT_NOTE: &str = "Edit the note";

/// A question's progress line, text, help and note, wrapped to `w`; ends with a
/// newline.
fn question_block(view: &AskView<'_>, q: &RespondentQuestion<'_>, part: &str, w: usize) -> String {
    let mut block = String::new();
    // Wrapped like every line here: a line the terminal wraps itself would be
    // miscounted when the block is erased.
    let progress = wrap(&format!("{}/{} · {part}", view.position, view.total), w, "");
    block.push_str(&style(progress).for_stderr().cyan().to_string());
    block.push_str(&style(wrap(q.text, w, "")).for_stderr().bold().to_string());
    if let Some(help) = q.help {
        block.push_str(&style(wrap(help, w, "  ")).for_stderr().dim().to_string());
    }
    if let Some(note) = view.note {
        let note = wrap(&format!("Note: {}", one_line(note)), w, "  ");
        block.push_str(&style(note).for_stderr().yellow().to_string());
    }
    block
}

/// A note on one line, cleaned for the terminal, for showing and editing in a
/// one-line prompt.
fn one_line(text: &str) -> String {
    let joined = text
        .split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    printable_line(&joined).into_owned()
}

impl<'a> TermPrompter<'a> {
    fn new(rubric: &'a LoadedRubric) -> Self {
        TermPrompter {
            words: RespondentText::of(rubric),
            term: Term::stderr(),
            fresh: false,
            summary_lines: 0,
        }
    }

    /// Columns to wrap to: the terminal's, at most 100 for readability.
    fn width(&self) -> usize {
        usize::from(self.term.size().1).clamp(20, 100)
    }

    fn rows(&self) -> usize {
        usize::from(self.term.size().0).max(8)
    }

    /// The title, the introduction and the keys; on `--resume`, a greeting with
    /// how far the sheet got (answered, total).
    fn intro(
        &mut self,
        output: &Path,
        resumed: Option<(usize, usize)>,
        name: Option<&str>,
    ) -> io::Result<()> {
        let r = &self.words;
        let w = self.width();
        let mut out = String::new();
        out.push_str(
            &style(printable_line(r.title))
                .for_stderr()
                .bold()
                .to_string(),
        );
        out.push('\n');
        if !r.description.is_empty() {
            out.push_str(&wrap(r.description, w, ""));
        }
        out.push('\n');
        let how = format!(
            "{} in {}. Press an option's number, or use ↑/↓ (Home/End) and Enter; Esc \
             goes back, Ctrl-C stops; \"Add a note\" keeps the evidence for an answer. \
             Every answer and note is saved at once to {}.",
            count(r.question.len(), "question", "questions"),
            count(r.factor.len(), "part", "parts"),
            output.display(),
        );
        out.push_str(&style(wrap(&how, w, "")).for_stderr().dim().to_string());
        if let Some((answered, total)) = resumed {
            let who = name
                .map(|n| format!(", {}", printable_line(n)))
                .unwrap_or_default();
            let back = format!(
                "Welcome back{who}: {answered} of {total} answered. The interview goes on at \
                 the first question still open (skipped ones stay skipped), then to the review."
            );
            out.push_str(&style(wrap(&back, w, "")).for_stderr().bold().to_string());
        }
        self.term.write_str(&out)?;
        self.fresh = true;
        self.term.write_line("")
    }

    /// The note for the question on screen, edited in a one-line prompt (the old
    /// note is the starting text; clearing it removes the note). The prompt's line
    /// is cleared after Enter: the question is asked again and shows the note.
    fn note_text(&mut self, view: &AskView<'_>) -> io::Result<String> {
        let prompt = format!("Note for {}/{}", view.position, view.total);
        let was = view.note.map(one_line).unwrap_or_default();
        let text = line_input(&self.term, &prompt, &was, self.width())?;
        // Esc keeps the note as it was.
        Ok(text.unwrap_or(was).trim().to_string())
    }

    /// The one-line summary left on screen after a question: "✔ 3/16 text · answer".
    fn answered_line(&mut self, view: &AskView<'_>, step: &Reply) -> io::Result<()> {
        let Some(q) = self.words.question_by_id(&view.question.id) else {
            return Ok(());
        };
        let (mark, answer) = match step {
            Reply::Answer(i) => (MARK_ANSWERED, q.option[*i].label),
            Reply::Skip => (MARK_SKIPPED, "skipped"),
            Reply::DontKnow => (MARK_UNKNOWN, "don't know"),
            Reply::Back | Reply::Note(_) => return Ok(()),
        };
        let line = format!(
            "{mark} {}/{} {} · {answer}",
            view.position, view.total, q.text
        );
        // Wrapped, never cut: the answer is always read whole.
        let text = wrap(&line, self.width(), "");
        self.summary_lines = text.matches('\n').count();
        self.term
            .write_str(&style(text).for_stderr().green().to_string())
    }

    /// An optional line of text, starting from `initial`; empty is `None`.
    fn text(&mut self, prompt: &str, initial: &str) -> io::Result<Option<String>> {
        self.fresh = false;
        let s = line_input(&self.term, prompt, initial, self.width())?
            .unwrap_or_else(|| initial.to_string());
        let s = s.trim();
        let done = wrap(&format!("✔ {prompt} · {s}"), self.width(), "");
        self.term
            .write_str(&style(done).for_stderr().green().to_string())?;
        Ok((!s.is_empty()).then(|| s.to_string()))
    }
}

impl Prompter for TermPrompter<'_> {
    fn factor(&mut self, view: &FactorView<'_>) -> io::Result<()> {
        let w = self.width();
        self.summary_lines = 0;
        let factor = view.factor.and_then(|f| self.words.factor_by_id(&f.id));
        let title = factor.map_or(CONTEXT_PART, |f| f.title);
        let head = format!(
            "Part {}/{} · {} ({})",
            view.number,
            view.count,
            title,
            count(view.questions, "question", "questions")
        );
        let mut out = String::new();
        if !std::mem::take(&mut self.fresh) {
            out.push('\n');
        }
        out.push_str(
            &style(wrap(&head, w, ""))
                .for_stderr()
                .bold()
                .cyan()
                .to_string(),
        );
        if let Some(f) = factor
            && !f.description.is_empty()
        {
            out.push_str(
                &style(wrap(f.description, w, ""))
                    .for_stderr()
                    .dim()
                    .to_string(),
            );
        }
        self.term.write_str(&out)?;
        self.term.write_line("")
    }

    fn ask(&mut self, view: &AskView<'_>) -> io::Result<Reply> {
        let w = self.width();
        let Some(q) = self.words.question_by_id(&view.question.id) else {
            return Err(io::Error::other("a question the rubric does not have"));
        };
        let part = (view.factor)
            .and_then(|f| self.words.factor_by_id(&f.id))
            .map_or(CONTEXT_PART, |f| f.title);
        let block = question_block(view, q, part, w);
        let block_lines = block.matches('\n').count();
        self.term.write_str(&block)?;

        let mut items: Vec<Item> = (q.option.iter().enumerate())
            .map(|(i, o)| Item {
                text: format!("{}. {}", i + 1, o.label),
                help: o.help.map(str::to_string),
                key: char::from_digit(u32::try_from(i + 1).unwrap_or(0), 10),
            })
            .collect();
        for text in [DONT_KNOW, SKIP] {
            items.push(Item::plain(text));
        }
        items.push(Item::plain(if view.note.is_some() {
            EDIT_NOTE
        } else {
            ADD_NOTE
        }));
        if view.can_go_back {
            items.push(Item::plain(if view.from_review {
                "Back to the review"
            } else if view.position == 1 {
                "Back to your details"
            } else {
                "Back"
            }));
        }
        let default = match (view.unknown, view.skipped) {
            (true, _) => q.option.len(),
            (false, true) => q.option.len() + 1,
            _ => view.default_option(),
        };
        let max = self.rows().saturating_sub(block_lines + 2).max(4);
        let picked = menu(&self.term, "Your answer", &items, default, w, max)?;
        let n = q.option.len();
        let step = match picked {
            Some(i) if i < n => Reply::Answer(i),
            Some(i) if i == n => Reply::DontKnow,
            Some(i) if i == n + 1 => Reply::Skip,
            Some(i) if i == n + 2 => Reply::Note(self.note_text(view)?),
            // Esc (or the Back item).
            _ => Reply::Back,
        };
        self.term.clear_last_lines(block_lines)?;
        // Back: the previous question comes again, so its answered line goes too.
        if step == Reply::Back && !view.from_review {
            self.term.clear_last_lines(self.summary_lines)?;
        }
        self.summary_lines = 0;
        self.answered_line(view, &step)?;
        Ok(step)
    }

    fn review(&mut self, entries: &[ReviewEntry<'_>]) -> io::Result<ReviewReply> {
        let w = self.width();
        let answered = entries.iter().filter(|e| e.answer.is_some()).count();
        let head = format!(
            "Review: {answered} of {} answered{}. Enter finishes; pick an answer to change it \
             or its note.",
            entries.len(),
            match entries.iter().filter(|e| e.note.is_some()).count() {
                0 => String::new(),
                1 => ", 1 note".to_string(),
                k => format!(", {k} notes"),
            }
        );
        let mut block = String::from("\n");
        block.push_str(&style(wrap(&head, w, "")).for_stderr().bold().to_string());
        let block_lines = block.matches('\n').count();
        self.term.write_str(&block)?;

        let mut items = vec![Item::plain("Finish and see the result")];
        for e in entries {
            let q = self.words.question_by_id(&e.question.id);
            let label = |id: &str| {
                let o = q.and_then(|q| q.option.iter().find(|o| o.id == id));
                o.map_or("", |o| o.label)
            };
            let (mark, answer) = match e.answer {
                Some(o) => (MARK_ANSWERED, label(&o.id)),
                None if e.unknown => (MARK_UNKNOWN, "don't know"),
                None if e.skipped => (MARK_SKIPPED, "skipped"),
                None => (MARK_OPEN, "not answered yet"),
            };
            let note = if e.note.is_some() { " ✎" } else { "" };
            let part = (e.factor)
                .and_then(|f| self.words.factor_by_id(&f.id))
                .map_or(CONTEXT_PART, |f| f.title);
            let mut about = format!("{part} · {}", q.map_or("", |q| q.text));
            if let Some(note) = e.note {
                about.push_str("\nNote: ");
                about.push_str(&one_line(note));
            }
            items.push(Item {
                text: format!("{mark} {:>2}. {answer}{note}", e.position),
                help: Some(about),
                key: None,
            });
        }
        // Room for the heading and the prompt.
        let max = self.rows().saturating_sub(block_lines + 2).max(4);
        let picked = menu(&self.term, "Your answers", &items, 0, w, max)?;
        self.term.clear_last_lines(block_lines)?;
        Ok(match picked {
            Some(i) if i > 0 => ReviewReply::Change(i - 1),
            // Enter on Finish; Esc here is not an exit but there is nothing to go
            // back to, so the review is shown again.
            Some(_) => ReviewReply::Finish,
            None => ReviewReply::Change(usize::MAX),
        })
    }
}

/// A line of text typed below the cursor, starting from `initial`: letters add,
/// Backspace removes the last one, Enter ends (`Some`), Esc leaves it (`None`).
/// Long text wraps to `width`, and the lines it drew are erased when it ends, so
/// nothing of it stays in the scrollback.
fn line_input(
    term: &Term,
    prompt: &str,
    initial: &str,
    width: usize,
) -> io::Result<Option<String>> {
    let width = width.saturating_sub(1).max(20);
    let mut text = initial.to_string();
    let mut drawn = 0;
    let done = loop {
        let shown = format!("? {prompt} › {}", printable_line(&text));
        let mut out = String::new();
        // Cut at the width by characters (not words), as typing fills a line.
        let chars: Vec<char> = shown.chars().collect();
        for chunk in chars.chunks(width) {
            out.extend(chunk);
            out.push('\n');
        }
        term.clear_last_lines(drawn)?;
        term.write_str(&out)?;
        drawn = out.matches('\n').count();
        match term.read_key()? {
            Key::Enter => break Some(text),
            Key::Escape => break None,
            Key::Backspace => {
                text.pop();
            }
            Key::CtrlC => return Err(io::Error::new(io::ErrorKind::Interrupted, "^C")),
            Key::Char(c) if !c.is_control() => text.push(c),
            _ => {}
        }
    };
    term.clear_last_lines(drawn)?;
    Ok(done)
}

/// One choice of a [`menu`]: its text, the help shown under it while it is
/// highlighted, and the key that picks it at once (a digit).
struct Item {
    text: String,
    help: Option<String>,
    key: Option<char>,
}

impl Item {
    fn plain(text: &str) -> Item {
        Item {
            text: text.to_string(),
            help: None,
            key: None,
        }
    }
}

/// The lines of one item, wrapped to `width` (never cut), with the help under the
/// highlighted one.
fn item_lines(item: &Item, active: bool, width: usize) -> Vec<String> {
    let text_width = width.saturating_sub(2).max(10);
    // Wrapped lines of "1. label" line up under the label.
    let hang = item
        .text
        .find(". ")
        .filter(|&i| i <= 4)
        .map_or(0, |i| i + 2);
    let opts = textwrap::Options::new(text_width).subsequent_indent(&"    "[..hang.min(4)]);
    let mut out = Vec::new();
    for (k, line) in textwrap::wrap(&printable_line(&item.text), opts)
        .iter()
        .enumerate()
    {
        let marker = if active && k == 0 { "❯ " } else { "  " };
        let line = format!("{marker}{line}");
        out.push(if active {
            style(line).for_stderr().cyan().bold().to_string()
        } else {
            line
        });
    }
    if active && let Some(h) = &item.help {
        let body = wrap(h, width, "     ");
        for line in body.lines() {
            out.push(style(line).for_stderr().dim().to_string());
        }
    }
    out
}

/// A list to pick one item from, drawn below the cursor and erased when done: ↑/↓
/// move (and wrap around), Home/End go to the first and last item, Page Up/Down
/// jump, a digit picks its item at once, Enter picks the highlighted one, Esc
/// returns `None`. Items wrap to `width`; when they do not all fit in
/// `max_lines`, the list scrolls around the highlighted one. It draws and erases
/// exactly its own lines, so nothing is left twice in the scrollback.
fn menu(
    term: &Term,
    prompt: &str,
    items: &[Item],
    default: usize,
    width: usize,
    max_lines: usize,
) -> io::Result<Option<usize>> {
    let width = width.saturating_sub(1).max(20);
    let last = items.len().saturating_sub(1);
    let mut sel = default.min(last);
    let mut top = 0;
    let mut drawn = 0;
    let digits: String = items.iter().filter_map(|i| i.key).collect();
    let hint = match (digits.chars().next(), digits.chars().last()) {
        (Some(a), Some(b)) if a != b => format!(" ({a}-{b}, ↑/↓, Enter)"),
        _ => " (↑/↓, Enter)".to_string(),
    };
    let head = fit(&format!("? {prompt}{hint}"), width);
    term.hide_cursor()?;
    let picked = loop {
        let heights: Vec<usize> = (items.iter().enumerate())
            .map(|(i, it)| item_lines(it, i == sel, width).len())
            .collect();
        // The window: from `top`, moved so the highlighted item shows.
        let room = max_lines.saturating_sub(3).max(1);
        top = top.min(sel);
        while top < sel && heights[top..=sel].iter().sum::<usize>() > room {
            top += 1;
        }
        let mut bottom = top;
        let mut used = heights[top];
        while bottom < last && used + heights[bottom + 1] <= room.max(heights[sel]) {
            bottom += 1;
            used += heights[bottom];
        }
        let bottom = bottom.max(sel);
        let mut out = style(&head).for_stderr().bold().to_string();
        out.push('\n');
        if top > 0 {
            out.push_str(&style("  ↑ more").for_stderr().dim().to_string());
            out.push('\n');
        }
        for (i, it) in items.iter().enumerate().take(bottom + 1).skip(top) {
            for line in item_lines(it, i == sel, width) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        if bottom < last {
            out.push_str(&style("  ↓ more").for_stderr().dim().to_string());
            out.push('\n');
        }
        term.clear_last_lines(drawn)?;
        term.write_str(&out)?;
        drawn = out.matches('\n').count();
        let key = match term.read_key() {
            Ok(k) => k,
            Err(e) => {
                let _ = term.show_cursor();
                return Err(e);
            }
        };
        match key {
            Key::ArrowDown | Key::Tab => sel = if sel >= last { 0 } else { sel + 1 },
            Key::ArrowUp | Key::BackTab => sel = if sel == 0 { last } else { sel - 1 },
            Key::Home => sel = 0,
            Key::End => sel = last,
            Key::PageDown => sel = (sel + 5).min(last),
            Key::PageUp => sel = sel.saturating_sub(5),
            Key::Enter => break Some(sel),
            Key::Escape => break None,
            Key::CtrlC => {
                let _ = term.show_cursor();
                return Err(io::Error::new(io::ErrorKind::Interrupted, "^C"));
            }
            Key::Char(c) => {
                if let Some(i) = items.iter().position(|it| it.key == Some(c)) {
                    break Some(i);
                }
            }
            _ => {}
        }
    };
    term.clear_last_lines(drawn)?;
    term.show_cursor()?;
    Ok(picked)
}

/// Wraps text to `width` columns with an indent; ends with a newline. The text
/// (from the rubric, mostly) is cleaned for the terminal first.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let opts = textwrap::Options::new(width.max(indent.len() + 10))
        .initial_indent(indent)
        .subsequent_indent(indent);
    let mut s = textwrap::fill(printable(text.trim()).as_ref(), opts);
    s.push('\n');
    s
}

/// Cuts text to `width` columns, ending with "…" when cut. The text (an option
/// label, a question) is cleaned for the terminal and kept to one line first.
fn fit(text: &str, width: usize) -> String {
    let text = printable_line(text);
    let text = text.as_ref();
    if console::measure_text_width(text) <= width {
        return text.to_string();
    }
    console::truncate_str(text, width.max(2), "…").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_to_the_width_and_indents() {
        let s = wrap(
            "How consistently is a common project management method applied across projects?",
            30,
            "  ",
        );
        assert!(s.lines().count() >= 3, "{s}");
        assert!(
            s.lines()
                .all(|l| l.starts_with("  ") && l.chars().count() <= 30)
        );
        assert!(s.ends_with('\n'));
    }

    #[test]
    fn a_note_is_shown_on_one_line_without_terminal_escapes() {
        let shown = one_line("Handbook\r\n\n\u{1b}]0;pwned\u{7} v2");
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\n'),
            "{shown:?}"
        );
        assert!(shown.starts_with("Handbook / "), "{shown:?}");
    }

    #[test]
    fn fit_cuts_long_text_with_an_ellipsis() {
        assert_eq!(fit("short", 10), "short");
        let cut = fit("a rather long answer label", 10);
        assert_eq!(console::measure_text_width(&cut), 10);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_saver_never_replaces_a_sheet_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let sheet = |name: &str| Sheet {
            rubric: "pmo-vmo".into(),
            respondent: Some(name.into()),
            ..Sheet::default()
        };
        // Two interviews started in the same folder: Alice saves first.
        let alice = Saver::new(path.clone(), SheetFormat::Toml, None);
        let bob = Saver::new(path.clone(), SheetFormat::Toml, None);
        alice.save(&sheet("Alice")).unwrap();
        let err = bob.save(&sheet("Bob")).unwrap_err();
        let conflict = err.get_ref().unwrap().downcast_ref::<Conflict>().unwrap();
        assert_eq!(conflict.moved_to, dir.path().join("s-2.toml"));
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        assert!(read(&path).contains("Alice"));
        assert!(read(&dir.path().join("s-2.toml")).contains("Bob"));
        // Alice goes on saving over her own file.
        alice.save(&sheet("Alice 2")).unwrap();
        assert!(read(&path).contains("Alice 2"));
        // Someone replaces it: her next answer goes beside it, theirs stays.
        let other = dir.path().join("other");
        std::fs::write(&other, "rubric = \"pmo-vmo\"\nrespondent = \"Carol\"\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        let err = alice.save(&sheet("Alice 3")).unwrap_err();
        assert!(err.to_string().contains("s-3.toml"), "{err}");
        assert!(read(&path).contains("Carol"));
        assert!(read(&dir.path().join("s-3.toml")).contains("Alice 3"));
        // A resumed sheet is claimed from the start.
        let resumed = Saver::new(path.clone(), SheetFormat::Toml, file_id(&path));
        resumed.save(&sheet("Carol 2")).unwrap();
        assert!(read(&path).contains("Carol 2"));
        // A resumed sheet changed after it was read is not overwritten either.
        let stale = Saver::new(path.clone(), SheetFormat::Toml, file_id(&path));
        let other = dir.path().join("other");
        std::fs::write(&other, "rubric = \"pmo-vmo\"\nrespondent = \"Dan\"\n").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(stale.save(&sheet("Carol 3")).is_err());
        assert!(read(&path).contains("Dan"));
    }

    #[test]
    fn saver_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let saver = Saver::new(path.clone(), SheetFormat::Toml, None);
        let mut sheet = Sheet {
            rubric: "pmo-vmo".into(),
            ..Sheet::default()
        };
        saver.save(&sheet).unwrap();
        sheet.respondent = Some("Ana".into());
        saver.save(&sheet).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("respondent = \"Ana\""), "{text}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["s.toml"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            // A plain new file shows what the umask allows.
            let plain = dir.path().join("plain");
            std::fs::write(&plain, "x").unwrap();
            assert_eq!(mode(&path), mode(&plain), "a new sheet gets the usual mode");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            saver.save(&sheet).unwrap();
            assert_eq!(
                mode(&path),
                0o640 & mode(&plain),
                "a resumed sheet keeps its mode"
            );
            std::fs::remove_file(&plain).unwrap();
        }
        let json = Saver::new(dir.path().join("s.json"), SheetFormat::Json, None);
        json.save(&sheet).unwrap();
        let back: Sheet =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("s.json")).unwrap())
                .unwrap();
        assert_eq!(back, sheet);
    }

    #[cfg(unix)]
    #[test]
    fn a_saver_writes_through_a_link_and_keeps_the_comments() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        let target = dir.path().join("elsewhere/s.toml");
        let text = "#:schema ../schema/sheet.schema.json\n# our own note\nrubric = \"pmo-vmo\"\n\n[answers]\n# confirmed with the PMO\nq1 = \"a\"\n";
        std::fs::write(&target, text).unwrap();
        let link = dir.path().join("s.toml");
        std::os::unix::fs::symlink("elsewhere/s.toml", &link).unwrap();
        let saver = Saver::new(link.clone(), SheetFormat::Toml, file_id(&link)).keeping(Some(text));
        let mut sheet = Sheet {
            rubric: "pmo-vmo".into(),
            ..Sheet::default()
        };
        sheet.answers.insert("q1".into(), "a".into());
        sheet.answers.insert("q2".into(), "b".into());
        saver.save(&sheet).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        let saved = std::fs::read_to_string(&target).unwrap();
        assert_eq!(
            saved,
            format!("{text}q2 = \"b\"\n"),
            "comments and order kept, the new answer added"
        );
        // A second save goes through the link again (the claim is the target's).
        sheet.answers.insert("q2".into(), "c".into());
        saver.save(&sheet).unwrap();
        assert!(
            std::fs::read_to_string(&target)
                .unwrap()
                .contains("q2 = \"c\"")
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("elsewhere"))
            .unwrap()
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    /// Issue 29, finding 22: a resumed sheet changes in its answers only. A CRLF
    /// sheet stays CRLF (not every line changed in `git diff`) and a JSON sheet
    /// keeps its key order.
    #[test]
    fn a_resumed_sheet_keeps_its_line_endings_and_key_order() {
        let dir = tempfile::tempdir().unwrap();
        let resume = |name: &str, format, text: &str, sheet: &Sheet| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let saver = Saver::new(path.clone(), format, file_id(&path)).keeping(Some(text));
            saver.save(sheet).unwrap();
            std::fs::read_to_string(&path).unwrap()
        };
        let mut sheet = Sheet {
            rubric: "pmo-vmo".into(),
            respondent: Some("Ann".into()),
            ..Sheet::default()
        };
        sheet.answers.insert("q2".into(), "b".into());
        sheet.answers.insert("q1".into(), "a".into());
        sheet.answers.insert("q3".into(), "c".into());

        let toml = "# Ann's sheet\r\nrespondent = \"Ann\"\r\nrubric = \"pmo-vmo\"\r\n\r\n[answers]\r\nq2 = \"b\"\r\nq1 = \"\"\r\n";
        let saved = resume("crlf.toml", SheetFormat::Toml, toml, &sheet);
        assert_eq!(
            saved,
            toml.replace("q1 = \"\"", "q1 = \"a\"") + "q3 = \"c\"\r\n",
            "only the answers change"
        );

        let json = "{\r\n  \"respondent\": \"Ann\",\r\n  \"rubric\": \"pmo-vmo\",\r\n  \"answers\": {\r\n    \"q2\": \"b\",\r\n    \"q1\": \"\"\r\n  }\r\n}\r\n";
        let saved = resume("crlf.json", SheetFormat::Json, json, &sheet);
        let want = "{\r\n  \"respondent\": \"Ann\",\r\n  \"rubric\": \"pmo-vmo\",\r\n  \"answers\": {\r\n    \"q2\": \"b\",\r\n    \"q1\": \"a\",\r\n    \"q3\": \"c\"\r\n  }\r\n}\r\n";
        assert_eq!(saved, want, "key order and CRLF kept");

        // LF stays LF; a key the sheet no longer has goes, a new one comes last.
        let json =
            "{\n  \"answers\": {\"q3\": \"c\", \"q9\": \"x\"},\n  \"rubric\": \"pmo-vmo\"\n}\n";
        let saved = resume("lf.json", SheetFormat::Json, json, &sheet);
        assert!(!saved.contains('\r'), "{saved:?}");
        let keys: Vec<&str> = saved
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
            .collect();
        assert_eq!(keys, ["answers", "q3", "q2", "q1", "rubric", "respondent"]);
    }
}
