//! The command line as clap reads it: plain types, no behaviour. `settings` turns
//! the global part into a checked configuration; each `cmd::*` file takes its own
//! `*Args` from here. Value enums convert into the library's own types.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::{Args, Subcommand, ValueEnum};
use encoding_rs::Encoding;
use pmo_vmo::Band;
use pmo_vmo::input::DateOrder;
use pmo_vmo::input::{ReadOptions, SheetFormat};

/// Exit codes and the rubric rule, under `pmo-vmo --help`.
pub const AFTER_HELP: &str = "\
Exit status:
  0    done, and every check passed
  1    `check` or `rubric check` found a failing sheet or lint
  2    error: bad usage, unreadable or invalid rubric or sheet, no terminal for `interview`
  130  the interview was interrupted with Ctrl-C (answers so far are on disk)

Without --rubric (or PMO_VMO_RUBRIC) the embedded default rubric is used.";

/// Keys and exit codes, under `interview --help`.
pub const INTERVIEW_AFTER_HELP: &str = "\
Keys: an option's number picks it; Up/Down (Home/End, Page Up/Down) move and Enter
chooses (the saved answer is highlighted, else the first option); Esc goes back, from
the first question to your name, role and organisation; Ctrl-C stops. \"Don't know\" is
an answer that counts nowhere; \"Skip this question\" leaves it unanswered on purpose.
After the last question a review (✔ answered, ? don't know, – skipped) lets you change
any answer before the recommendation is shown.

Resuming (--resume FILE) greets you with how many questions are answered, asks only the
questions still open (not those skipped or answered), then shows the review.

Notes: below each question's options, \"Add a note (evidence)\" opens a line for why the
answer was given (\"Edit the note\" once there is one; clear it to remove it). The note is
saved at once, like an answer, kept on --resume, marked ✎ in the review, and shown in
`report`. Write the note before or after choosing: Esc returns to the question before.

Each session writes today's date (UTC) into the sheet.

Exit status: 0 done, 2 no terminal or a bad sheet or rubric, 130 stopped with Ctrl-C (the
answers so far are saved; continue with --resume FILE).";

/// What each format is for, under `form --help`.
pub const FORM_AFTER_HELP: &str = "\
html: one page with its style and script inside. It makes no network request, keeps the
answers in the browser until they are saved, prints as a paper questionnaire, and saves
NAME-pmo-vmo.json, an answer sheet that score, check, workshop and report read as it is.

apps-script: paste it into a new project at script.google.com and run createForm. The
Google Form it creates exports a CSV (Responses > Download responses) that scores as it is.

Examples:
  pmo-vmo form --format html -o assessment.html
  pmo-vmo --rubric mine.toml form --format apps-script -o make-form.gs";

pub const SERVE_AFTER_HELP: &str = "\
Participants open the join address (or scan the QR code) and answer the same neutral form
as `form --format html`; each answer is written to DIR as an answer sheet
(participant-N.json) before the page is told it is saved, so `workshop DIR`, `report DIR`
and `compare` read the folder as it is. The facilitator address shows who joined and how
far each is, reveals the answers question by question (the most divided first), and gives
the group result and the report. Stopping the server loses nothing; starting it again on
the same DIR resumes the session with the same addresses.

Security: the join code and the facilitator secret are in the addresses; keep the
facilitator address to yourself. Without --tls-cert and --tls-key this is plain HTTP: on a
shared network (--lan) anyone on it can read what passes, answers included, and the codes
in the addresses. Use it on a network you trust, give it a certificate (HTTPS), or put it
behind a TLS proxy.

Examples:
  pmo-vmo serve workshop-acme
  pmo-vmo serve workshop-acme --lan --max-participants 40 --allow-anonymous
  pmo-vmo serve workshop-acme --lan --tls-cert room.pem --tls-key room-key.pem";

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Rubric file to score against (default: the embedded PMO/VMO rubric)
    // An empty PMO_VMO_RUBRIC (common in CI templates) means "not set", so the
    // parser takes empty values and `settings` decides what they mean.
    #[arg(
        long,
        global = true,
        env = "PMO_VMO_RUBRIC",
        hide_env_values = true,
        value_name = "FILE",
        value_parser = clap::builder::OsStringValueParser::new().map(PathBuf::from)
    )]
    pub rubric: Option<PathBuf>,
    /// When to use colour (NO_COLOR is respected under `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The sheets a command reads, shared by every command that reads them.
#[derive(Debug, Args)]
pub struct SheetArgs {
    /// Answer sheets: .toml or .json files; survey exports, one sheet per row (.csv,
    /// .tsv, .txt, or workbooks: .xlsx, .xls, .ods); folders (walked recursively);
    /// `-` for stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How sheets and exports are read, shared by every command that reads them.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Format of a sheet read from stdin (`-`)
    #[arg(long, value_enum, default_value_t = InputFormat::Toml, value_name = "FORMAT")]
    pub input_format: InputFormat,
    /// The worksheet of a workbook export to read, by name [default: the active
    /// one, else the first visible one whose header names questions]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The text encoding of exports (utf-8, windows-1252, macintosh, utf-16le...)
    /// [default: from a byte-order mark, else UTF-8 when valid, else windows-1252 or
    /// macintosh, whichever reads the header better]
    #[arg(long, value_name = "NAME", value_parser = encoding)]
    pub encoding: Option<&'static Encoding>,
    /// Which way round an export's dates such as 11/4/26 write day and month: mdy
    /// (month first, as in the United States) or dmy [default: as the dates show,
    /// where one has a day above 12]
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,
    /// Score the responses an export marks unfinished too (Qualtrics `Finished`,
    /// Typeform `Response Type`, Alchemer `Status`, QuestionPro `Response Status`,
    /// LimeSurvey `submitdate`), which are left out otherwise
    #[arg(long)]
    pub include_partial: bool,
}

/// `--date-order`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    Mdy,
    Dmy,
}

impl From<DateOrderArg> for DateOrder {
    fn from(o: DateOrderArg) -> DateOrder {
        match o {
            DateOrderArg::Mdy => DateOrder::Mdy,
            DateOrderArg::Dmy => DateOrder::Dmy,
        }
    }
}

impl ReadArgs {
    /// How exports are read, as these options ask.
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            date_order: self.date_order.map(DateOrder::from),
            include_partial: self.include_partial,
        }
    }
}

impl SheetArgs {
    /// The format of a sheet read from stdin.
    pub fn stdin_format(&self) -> SheetFormat {
        self.read.input_format.into()
    }

    /// How exports are read, as the options ask.
    pub fn read_options(&self) -> ReadOptions {
        self.read.read_options()
    }
}

/// An encoding by one of its names.
fn encoding(name: &str) -> Result<&'static Encoding, String> {
    ReadOptions::encoding_named(name).ok_or_else(|| {
        format!(
            "unknown encoding \"{name}\"; try utf-8, windows-1252, macintosh, iso-8859-1, utf-16le or utf-16be"
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Toml,
    Json,
    Csv,
}

impl From<InputFormat> for SheetFormat {
    fn from(f: InputFormat) -> SheetFormat {
        match f {
            InputFormat::Toml => SheetFormat::Toml,
            InputFormat::Json => SheetFormat::Json,
            InputFormat::Csv => SheetFormat::Csv,
        }
    }
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub sheets: SheetArgs,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ScoreFormat::Table)]
    pub format: ScoreFormat,
    /// Only the summary table, even for a few sheets
    #[arg(long, conflicts_with = "detail")]
    pub summary: bool,
    /// A detailed table for every sheet, even for many
    #[arg(long)]
    pub detail: bool,
    /// With `--format csv`: one more column per question, the option id chosen
    #[arg(long)]
    pub answers: bool,
    /// With `--format json`: the rubric's texts beside the ids (`texts`: the
    /// outcome's title and summary, the office types' titles, the next steps)
    #[arg(long)]
    pub texts: bool,
    /// The recommendation the roadmap aims at [default: the band above the result]
    #[arg(long, value_enum, value_name = "BAND")]
    pub target: Option<BandArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

impl From<ScoreFormat> for pmo_vmo::render::Format {
    fn from(f: ScoreFormat) -> Self {
        use pmo_vmo::render::Format;
        match f {
            ScoreFormat::Table => Format::Table,
            ScoreFormat::Json => Format::Json,
            ScoreFormat::Csv => Format::Csv { answers: false },
            ScoreFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub sheets: SheetArgs,
    /// Every sheet must get this recommendation (replaces each sheet's `expect.recommendation`)
    #[arg(long, value_enum, value_name = "RECOMMENDATION")]
    pub expect: Option<OutcomeArg>,
    /// Every sheet's margin must be at least N index points (replaces `expect.min-margin`)
    #[arg(long, value_name = "N", value_parser = parse_margin, allow_negative_numbers = true)]
    pub min_margin: Option<f64>,
    /// Every sheet must answer at least this share of the questions (0..=1)
    #[arg(long, value_name = "FRACTION", value_parser = parse_fraction, allow_negative_numbers = true)]
    pub min_answered: Option<f64>,
    /// A sheet whose `rubric-version` differs from the rubric's, or that names none
    /// (as no survey export row does), fails (otherwise a mismatch is a warning)
    #[arg(long)]
    pub strict_version: bool,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One PASS/FAIL line per sheet and a count
    Text,
    /// The `score` JSON with a verdict per result
    Json,
    /// JUnit XML, one test case per sheet
    Junit,
    /// GitHub Actions `::error` annotations
    Github,
}

impl From<CheckFormat> for pmo_vmo::render::Format {
    fn from(f: CheckFormat) -> Self {
        use pmo_vmo::render::Format;
        match f {
            CheckFormat::Text => Format::Text,
            CheckFormat::Json => Format::Json,
            CheckFormat::Junit => Format::Junit,
            CheckFormat::Github => Format::Github,
        }
    }
}

/// A recommendation named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BandArg {
    Pmo,
    Hybrid,
    Vmo,
}

/// Any recommendation, as `check --expect` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Pmo,
    Hybrid,
    Vmo,
    /// No central office: a role is enough
    None,
    /// A value office and a delivery office beside it
    Both,
    /// Offices in the divisions, with a thin centre
    Federated,
}

impl From<OutcomeArg> for Band {
    fn from(b: OutcomeArg) -> Band {
        match b {
            OutcomeArg::Pmo => Band::Pmo,
            OutcomeArg::Hybrid => Band::Hybrid,
            OutcomeArg::Vmo => Band::Vmo,
            OutcomeArg::None => Band::None,
            OutcomeArg::Both => Band::Both,
            OutcomeArg::Federated => Band::Federated,
        }
    }
}

impl From<BandArg> for Band {
    fn from(b: BandArg) -> Band {
        match b {
            BandArg::Pmo => Band::Pmo,
            BandArg::Hybrid => Band::Hybrid,
            BandArg::Vmo => Band::Vmo,
        }
    }
}

fn parse_number(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| "expected a number".to_string())
}

fn parse_margin(s: &str) -> Result<f64, String> {
    let x = parse_number(s)?;
    if !(0.0..=100.0).contains(&x) {
        return Err("a margin is 0 to 100 index points".into());
    }
    Ok(x)
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    let x = parse_number(s)?;
    if !(0.0..=1.0).contains(&x) {
        return Err("expected a fraction from 0 to 1, such as 0.75".into());
    }
    Ok(x)
}

#[derive(Debug, Args)]
pub struct WorkshopArgs {
    #[command(flatten)]
    pub sheets: SheetArgs,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = WorkshopFormat::Table)]
    pub format: WorkshopFormat,
    /// The recommendation the roadmap aims at [default: the band above the result]
    #[arg(long, value_enum, value_name = "BAND")]
    pub target: Option<BandArg>,
    /// Accept sheets that name more than one organisation in one group result
    /// (refused otherwise, so that one client's answers never mix with another's)
    #[arg(long)]
    pub mixed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkshopFormat {
    Table,
    Json,
    Markdown,
}

impl From<WorkshopFormat> for pmo_vmo::render::Format {
    fn from(f: WorkshopFormat) -> Self {
        use pmo_vmo::render::Format;
        match f {
            WorkshopFormat::Table => Format::Table,
            WorkshopFormat::Json => Format::Json,
            WorkshopFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub sheets: SheetArgs,
    /// Output format: rows for a tracker to import
    #[arg(long, short, value_enum, default_value_t = PlanFormat::Csv)]
    pub format: PlanFormat,
    /// One plan for all the sheets together (the workshop's group result), not one
    /// per sheet
    #[arg(long)]
    pub group: bool,
    /// The recommendation the plan aims at [default: the recommended office]
    #[arg(long, value_enum, value_name = "OUTCOME")]
    pub target: Option<OutcomeArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// One row per initiative, with a header (imports into Jira, Azure DevOps)
    Csv,
    /// One JSON object per initiative, one per line
    Json,
    /// A table per plan
    Markdown,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The baseline: a sheet, a folder of sheets, or a survey export (several sheets
    /// are compared as a group)
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,
    /// The follow-up, read the same way
    #[arg(value_name = "AFTER")]
    pub after: PathBuf,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = WorkshopFormat::Table)]
    pub format: WorkshopFormat,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub sheets: SheetArgs,
    /// The HTML file to write (`-`: stdout); a link is followed to its file, a pipe
    /// or device is written into
    #[arg(long, short, value_name = "FILE.html")]
    pub output: PathBuf,
    /// Replace the file if it exists (keeping its mode)
    #[arg(long)]
    pub force: bool,
    /// An earlier assessment to compare with (a sheet, a folder or an export): the
    /// chart shows it dashed, and a Progress section says what moved
    #[arg(long, value_name = "PATH")]
    pub baseline: Option<PathBuf>,
    /// The recommendation the roadmap aims at [default: the band above the result]
    #[arg(long, value_enum, value_name = "BAND")]
    pub target: Option<BandArg>,
    /// Accept sheets that name more than one organisation in one group result
    /// (refused otherwise, so that one client's answers never mix with another's)
    #[arg(long)]
    pub mixed: bool,
    /// A brand file (TOML: firm, logo, accent, footer; each optional): the firm on
    /// the cover, its logo embedded, its colour, and a footer line on every page
    #[arg(long, value_name = "FILE")]
    pub brand: Option<PathBuf>,
    /// Name the respondents R1, R2... with their roles instead of by name (notes
    /// are kept, under the number)
    #[arg(long)]
    pub anonymous: bool,
    /// What to write: the HTML page, or a Word document to edit (the same sections,
    /// Word's heading styles, tables as Word tables; no chart)
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Docx,
}

#[derive(Debug, Args)]
pub struct FormArgs {
    /// What to write
    #[arg(long, short, value_enum, value_name = "FORMAT")]
    pub format: FormFormat,
    /// The file to write; without it, or with `-`, the form goes to stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
    /// Your context for respondents, shown above the questions: who asks, by when,
    /// and who will read the answers
    #[arg(long, value_name = "TEXT")]
    pub intro: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The workshop's folder: the session and every participant's answer sheet
    /// (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The port to listen on (default: the last run's on this folder if free, else any free port)
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Listen on the machine's network address, for a room (plain HTTP: see below)
    #[arg(long)]
    pub lan: bool,
    /// The firm's brand file (firm, logo, accent, footer) for the report
    #[arg(long, value_name = "FILE")]
    pub brand: Option<PathBuf>,
    /// The most participants who may join
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_participants: u32,
    /// Let participants join without a name
    #[arg(long)]
    pub allow_anonymous: bool,
    /// Your context for participants, shown above the questions
    #[arg(long, value_name = "TEXT")]
    pub intro: Option<String>,
    /// Serve HTTPS with this PEM certificate (chain), with --tls-key
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormFormat {
    /// One HTML page that works offline and saves an answer sheet (.json)
    Html,
    /// A Google Apps Script that creates a Google Form whose CSV export scores as it is
    AppsScript,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the sheet, a .toml file (default, or `-`: stdout); an existing file is never overwritten
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InterviewArgs {
    /// Where to save the answer sheet, .toml or .json [default: pmo-vmo-answers.toml];
    /// an existing file is never overwritten, except the one being resumed
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Continue a saved sheet from its first open question (not skipped); without -o the
    /// answers are saved back to it (through a link, keeping a TOML sheet's comments)
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// The respondent's name (not asked when given)
    #[arg(long, value_name = "NAME")]
    pub respondent: Option<String>,
    /// The respondent's role, such as sponsor, pm or finance (not asked when given)
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The organisation being assessed (not asked when given)
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// The recommendation the roadmap aims at [default: the band above the result]
    #[arg(long, value_enum, value_name = "BAND")]
    pub target: Option<BandArg>,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate and lint a rubric (default: the one in use); exit 1 on a lint finding
    Check {
        /// Rubric file (overrides --rubric)
        file: Option<PathBuf>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Print the JSON Schema (draft-07) of rubric files, or of answer sheets with --sheet
    Schema {
        /// The schema of answer sheets instead of rubrics
        #[arg(long)]
        sheet: bool,
    },
    /// Print the questionnaire
    Show {
        /// Rubric file (overrides --rubric)
        file: Option<PathBuf>,
        /// Output format
        #[arg(long, short, value_enum, default_value_t = ShowFormat::Table)]
        format: ShowFormat,
        /// Also show ids, scores, weights, gates and what each answer means (the
        /// default shows only what respondents read)
        #[arg(long)]
        consultant: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `file:line: code: message`, one finding per line
    Text,
    /// `{"source", "findings": [{"line", "code", "message"}]}`
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
    Markdown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_values_are_checked() {
        assert_eq!(parse_fraction("0.75"), Ok(0.75));
        assert!(parse_fraction("1.5").is_err());
        assert!(parse_fraction("NaN").is_err());
        assert!(parse_margin("-1").is_err());
        assert!(parse_margin("1e300").is_err());
        assert_eq!(parse_margin("100"), Ok(100.0));
    }
}
