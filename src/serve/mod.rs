//! `pmo-vmo serve`: a live workshop over HTTP (axum on a two-thread tokio runtime).
//! Participants open `/j/<join code>`, the same neutral form as `form --format html`
//! in its live mode, and each answer they give is written to the folder as an
//! ordinary answer sheet before it is acknowledged ([`session`]); the facilitator
//! opens `/f/<secret>` to see who joined, reveal the answers question by question,
//! and read the group result and the report, all made by the code `workshop` and
//! `report` use, from the sheets in the folder. Nothing without the secret returns
//! anyone's answers; a wrong code or secret is a plain 404.

pub(crate) mod session;
pub mod tls;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::batch::run_keeping_sheets;
use crate::brand::{Brand, Logo};
use crate::input::{self, ReadOptions, SheetFormat};
use crate::render::form::Live;
use crate::render::report::Builder;
use crate::render::serve as pages;
use crate::render::{Format, form};
use crate::rubric::LoadedRubric;
use crate::workshop::{Group, Workshop};
use session::{About, Refusal, Session, Update};

/// The largest request body taken, in bytes: an answer with its note and the
/// participant's name, role and organisation fits with room to spare.
pub const MAX_BODY: usize = 16 * 1024;

/// How `serve` runs.
#[derive(Debug)]
pub struct Config {
    /// The workshop's folder: the session and the sheets.
    pub dir: PathBuf,
    /// The port; `None` takes the port of the last run on this folder when it is
    /// free, or any free port.
    pub port: Option<u16>,
    /// Listen on every interface (a room), not only on loopback.
    pub lan: bool,
    /// The most participants who may join.
    pub max_participants: usize,
    /// Whether a participant may join without a name.
    pub allow_anonymous: bool,
    /// The consultant's context above the questions (`form --intro`).
    pub intro: Option<String>,
    /// The firm's brand, for the report.
    pub brand: Option<(Brand, Option<Logo>)>,
    /// HTTPS with this certificate chain and key ([`tls::config`]); `None`: HTTP.
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// What a started server tells its caller.
#[derive(Debug, Clone)]
pub struct Started {
    /// The host people type: `127.0.0.1`, or with `--lan` the machine's address.
    pub host: IpAddr,
    /// The address the server is bound to.
    pub bound: SocketAddr,
    /// The join code (the participants' address is `/j/<join>`).
    pub join: String,
    /// The facilitator's secret (their address is `/f/<secret>`).
    pub secret: String,
    /// How many participants had joined before (a resumed session).
    pub resumed: usize,
    /// Whether it speaks HTTPS.
    pub tls: bool,
}

impl Started {
    fn origin(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!(
            "{scheme}://{}",
            SocketAddr::new(self.host, self.bound.port())
        )
    }

    /// The participants' address.
    pub fn join_url(&self) -> String {
        format!("{}/j/{}", self.origin(), self.join)
    }

    /// The facilitator's address.
    pub fn facilitator_url(&self) -> String {
        format!("{}/f/{}", self.origin(), self.secret)
    }
}

struct App {
    rubric: LoadedRubric,
    session: Session,
    config: Config,
    form: String,
    join_url: String,
}

/// Opens (or resumes) the session in `config.dir`, binds, calls `ready` with the
/// addresses, and serves until the process ends. Every answer is on disk when it is
/// acknowledged, so there is no shutdown to wait for.
pub fn serve(rubric: LoadedRubric, config: Config, ready: impl FnOnce(&Started)) -> io::Result<()> {
    let session = Session::open(&config.dir, &rubric)?;
    let ip = if config.lan {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let listener = match config.port.or(session.port) {
        Some(port) => match TcpListener::bind((ip, port)) {
            Ok(l) => l,
            // The last run's port is taken: any free one.
            Err(_) if config.port.is_none() => TcpListener::bind((ip, 0))?,
            Err(e) => return Err(e),
        },
        None => TcpListener::bind((ip, 0))?,
    };
    let bound = listener.local_addr()?;
    session.keep_port(bound.port())?;
    listener.set_nonblocking(true)?;
    let started = Started {
        host: if config.lan { lan_address() } else { ip },
        bound,
        join: session.join.clone(),
        secret: session.secret.clone(),
        resumed: session.participants().len(),
        tls: config.tls.is_some(),
    };
    let live = Live {
        join: &session.join,
        anonymous: config.allow_anonymous,
    };
    let form = form::html::render_live(&rubric, config.intro.as_deref(), &live);
    let app = Arc::new(App {
        rubric,
        session,
        config,
        form,
        join_url: started.join_url(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let tls = app.config.tls.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        match tls {
            Some(config) => {
                let listener = tls::TlsListener::new(listener, config)?;
                ready(&started);
                axum::serve(listener, router(app)).await
            }
            None => {
                ready(&started);
                axum::serve(listener, router(app)).await
            }
        }
    })
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/j/{code}", get(join_page))
        .route("/j/{code}/join", post(join))
        .route("/j/{code}/answer", post(answer))
        .route("/f/{secret}", get(dashboard))
        .route("/f/{secret}/status.json", get(status))
        .route("/f/{secret}/reveal/{n}", get(reveal))
        .route("/f/{secret}/revote/{question}", post(revote))
        .route("/j/{code}/round", get(round))
        .route("/j/{code}/me", post(me))
        .route("/f/{secret}/result", get(result))
        .route("/f/{secret}/result.json", get(result_json))
        .route("/f/{secret}/report", get(report))
        .fallback(|| async { not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// The machine's address on the network a room would use: the source address of
/// the default route, found without sending a packet (a UDP socket's `connect`
/// only picks a route), or loopback when there is none.
fn lan_address() -> IpAddr {
    UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| {
            // TEST-NET-1 (RFC 5737): routed like any address, never answered.
            s.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// Compares a code from a request with the session's in time that does not depend
/// on where they differ.
fn same(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// The headers every page carries: no caching (the addresses are secrets), no
/// referrer (it would carry them elsewhere), no sniffing, no framing.
fn with_headers(mut r: Response, csp: &'static str) -> Response {
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    r
}

const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const FORM_CSP: &str = "default-src 'none'; connect-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const REPORT_CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn html(body: String, csp: &'static str) -> Response {
    with_headers(axum::response::Html(body).into_response(), csp)
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    with_headers(
        (status, axum::Json(value.clone())).into_response(),
        PAGE_CSP,
    )
}

fn refused(r: &Refusal) -> Response {
    let (status, words) = match r {
        Refusal::Full(n) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!("This workshop is full: {n} participants have joined, the most it takes. Ask the facilitator."),
        ),
        Refusal::NameNeeded => (
            StatusCode::FORBIDDEN,
            "Give your name to join: this workshop does not take anonymous answers.".to_owned(),
        ),
        Refusal::TooLong(field, n) => (
            StatusCode::BAD_REQUEST,
            format!("The {field} is too long: at most {n} characters."),
        ),
        Refusal::UnknownParticipant => (
            StatusCode::NOT_FOUND,
            "This browser's place in the workshop is not known to the server; reload the join page.".to_owned(),
        ),
        Refusal::UnknownQuestion => (
            StatusCode::BAD_REQUEST,
            "No such question in this questionnaire.".to_owned(),
        ),
        Refusal::Invalid(why) => (StatusCode::BAD_REQUEST, format!("Not saved: {why}")),
        Refusal::Io(why) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("The server could not save the answer ({why}); it is kept in your browser and sent again."),
        ),
    };
    json(status, &serde_json::json!({ "error": words }))
}

async fn join_page(State(app): State<Arc<App>>, Path(code): Path<String>) -> Response {
    if !same(&code, &app.session.join) {
        return not_found();
    }
    html(app.form.clone(), FORM_CSP)
}

/// Runs blocking work (a synced write, a read of the folder) off the runtime's
/// threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(f).await.ok()
}

async fn join(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Result<axum::Json<About>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !same(&code, &app.session.join) {
        return not_found();
    }
    let about = match body {
        Ok(axum::Json(a)) => a,
        Err(e) => return e.into_response(),
    };
    let done = blocking(move || {
        let c = &app.config;
        app.session
            .join(&app.rubric, &about, c.max_participants, c.allow_anonymous)
    })
    .await;
    match done {
        Some(Ok(token)) => json(StatusCode::OK, &serde_json::json!({ "id": token })),
        Some(Err(r)) => refused(&r),
        None => refused(&Refusal::Io("interrupted".into())),
    }
}

async fn answer(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Result<axum::Json<Update>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !same(&code, &app.session.join) {
        return not_found();
    }
    let update = match body {
        Ok(axum::Json(u)) => u,
        Err(e) => return e.into_response(),
    };
    match blocking(move || app.session.answer(&app.rubric, &update)).await {
        Some(Ok(answered)) => json(
            StatusCode::OK,
            &serde_json::json!({ "saved": true, "answered": answered }),
        ),
        Some(Err(r)) => refused(&r),
        None => refused(&Refusal::Io("interrupted".into())),
    }
}

fn facilitator(app: &App, secret: &str) -> Option<String> {
    same(secret, &app.session.secret).then(|| format!("/f/{}", app.session.secret))
}

/// The participants, as the facilitator sees them before the reveal.
fn joined(app: &App) -> Vec<pages::Joined> {
    (app.session.participants().iter())
        .map(|p| {
            let s = p.snapshot();
            pages::Joined {
                number: p.number,
                name: s.respondent,
                role: s.role,
                answered: s.answers.len(),
            }
        })
        .collect()
}

/// The group result of the folder's sheets, by the code `workshop DIR` runs (a
/// sheet that cannot be scored is left out, as `workshop` leaves it out).
fn with_group<T>(app: &App, f: impl FnOnce(Option<&Workshop<'_>>, &[Scored<'_>]) -> T) -> T {
    let inputs = input::expand(std::slice::from_ref(&app.config.dir), SheetFormat::Toml);
    let (outcomes, _warnings) = run_keeping_sheets(&app.rubric, &inputs, &ReadOptions::default());
    let members: Vec<Scored<'_>> = outcomes.into_iter().filter_map(Result::ok).collect();
    let mut group = Group::new(&app.rubric);
    for (sheet, result) in &members {
        group.add(sheet, result);
    }
    let w = group.finish(None);
    f(w.as_ref(), &members)
}

type Scored<'r> = (input::ResolvedSheet, crate::result::SheetResult<'r>);

async fn dashboard(State(app): State<Arc<App>>, Path(secret): Path<String>) -> Response {
    let Some(base) = facilitator(&app, &secret) else {
        return not_found();
    };
    let page = blocking(move || {
        let joined = joined(&app);
        with_group(&app, |w, _| {
            pages::dashboard(&pages::Dashboard {
                base: &base,
                join_url: &app.join_url,
                questions: app.rubric.rubric.question.len(),
                joined: &joined,
                group: w,
                cap: app.config.max_participants,
            })
        })
    })
    .await;
    page.map_or_else(not_found, |p| html(p, PAGE_CSP))
}

async fn status(State(app): State<Arc<App>>, Path(secret): Path<String>) -> Response {
    if facilitator(&app, &secret).is_none() {
        return not_found();
    }
    let list: Vec<serde_json::Value> = joined(&app)
        .into_iter()
        .map(|j| {
            serde_json::json!({
                "number": j.number, "respondent": j.name, "role": j.role, "answered": j.answered,
            })
        })
        .collect();
    json(
        StatusCode::OK,
        &serde_json::json!({
            "questions": app.rubric.rubric.question.len(),
            "participants": list,
        }),
    )
}

async fn reveal(State(app): State<Arc<App>>, Path((secret, n)): Path<(String, usize)>) -> Response {
    let Some(base) = facilitator(&app, &secret) else {
        return not_found();
    };
    let page = blocking(move || {
        with_group(&app, |w, _| match w {
            None => Some(pages::nothing_yet(&base)),
            Some(w) => {
                let question = &w.agenda.get(n.checked_sub(1)?)?.question;
                let first = app.session.first_round(question).map(|r| {
                    let mut counts = std::collections::BTreeMap::new();
                    for option in r.first.into_values() {
                        *counts.entry(option).or_insert(0) += 1;
                    }
                    counts
                });
                let revote = pages::Revote {
                    first,
                    open: app.session.open_revote().as_deref() == Some(question),
                };
                pages::reveal(&app.rubric, w, n, &base, &revote)
            }
        })
    })
    .await
    .flatten();
    page.map_or_else(not_found, |p| html(p, PAGE_CSP))
}

/// Puts a question to the room again, then shows its reveal.
async fn revote(
    State(app): State<Arc<App>>,
    Path((secret, question)): Path<(String, String)>,
) -> Response {
    let Some(base) = facilitator(&app, &secret) else {
        return not_found();
    };
    if !app.rubric.rubric.question.iter().any(|q| q.id == question) {
        return not_found();
    }
    let done = blocking(move || {
        app.session.revote(&question)?;
        // Back to the question's reveal, wherever the agenda now puts it.
        let at = with_group(&app, |w, _| {
            w.and_then(|w| w.agenda.iter().position(|a| a.question == question))
        });
        Ok::<_, io::Error>(at.map_or(1, |i| i + 1))
    })
    .await;
    match done {
        Some(Ok(n)) => {
            let to = format!("{base}/reveal/{n}");
            with_headers(axum::response::Redirect::to(&to).into_response(), PAGE_CSP)
        }
        Some(Err(e)) => refused(&Refusal::Io(e.to_string())),
        None => refused(&Refusal::Io("interrupted".into())),
    }
}

/// Who is asking for their own answers.
#[derive(Debug, serde::Deserialize)]
struct Me {
    id: String,
}

/// A participant's own sheet, by their token (a page continuing on another
/// device): never anyone else's.
async fn me(
    State(app): State<Arc<App>>,
    Path(code): Path<String>,
    body: Result<axum::Json<Me>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !same(&code, &app.session.join) {
        return not_found();
    }
    let me = match body {
        Ok(axum::Json(m)) => m,
        Err(e) => return e.into_response(),
    };
    match app.session.own_sheet(&me.id) {
        Some(sheet) => json(
            StatusCode::OK,
            &serde_json::to_value(&sheet).unwrap_or_default(),
        ),
        None => refused(&Refusal::UnknownParticipant),
    }
}

/// The question participants are asked to answer again, if any: all a
/// participant's page learns of the room.
async fn round(State(app): State<Arc<App>>, Path(code): Path<String>) -> Response {
    if !same(&code, &app.session.join) {
        return not_found();
    }
    json(
        StatusCode::OK,
        &serde_json::json!({ "revote": app.session.open_revote() }),
    )
}

async fn result(State(app): State<Arc<App>>, Path(secret): Path<String>) -> Response {
    let Some(base) = facilitator(&app, &secret) else {
        return not_found();
    };
    let page = blocking(move || {
        with_group(&app, |w, _| match w {
            None => pages::nothing_yet(&base),
            Some(w) => pages::result(&app.rubric, w, &base),
        })
    })
    .await;
    page.map_or_else(not_found, |p| html(p, PAGE_CSP))
}

async fn result_json(State(app): State<Arc<App>>, Path(secret): Path<String>) -> Response {
    if facilitator(&app, &secret).is_none() {
        return not_found();
    }
    let text = blocking(move || {
        with_group(&app, |w, _| {
            w.map(|w| pages::workshop_text(&app.rubric, w, Format::Json))
        })
    })
    .await
    .flatten();
    match text {
        Some(t) => with_headers(
            ([(header::CONTENT_TYPE, "application/json")], t).into_response(),
            PAGE_CSP,
        ),
        None => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "error": "no sheet could be scored yet" }),
        ),
    }
}

async fn report(State(app): State<Arc<App>>, Path(secret): Path<String>) -> Response {
    let Some(base) = facilitator(&app, &secret) else {
        return not_found();
    };
    let page = blocking(move || {
        with_group(&app, |w, members| {
            let Some(w) = w else {
                return pages::nothing_yet(&base);
            };
            let mut builder = Builder::new(&app.rubric);
            builder.anonymous();
            if let Some((brand, logo)) = &app.config.brand {
                builder.brand(brand.clone(), logo.clone());
            }
            for (sheet, result) in members {
                let _ = builder.add(sheet.clone(), result.clone());
            }
            let mut out = Vec::new();
            match builder.finish(&mut out, w, None) {
                Ok(()) => String::from_utf8_lossy(&out).into_owned(),
                Err(_) => pages::nothing_yet(&base),
            }
        })
    })
    .await;
    page.map_or_else(not_found, |p| html(p, REPORT_CSP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
        assert!(!same("", "abc"));
    }
}
