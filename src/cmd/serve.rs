//! `pmo-vmo serve`: a live workshop. The library runs the server; this prints the
//! addresses (the join address also as a QR code for phones) and the next steps.

use std::io::Write;

use anyhow::{Context, Result};
use pmo_vmo::serve::{Config, Started, serve};
use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use crate::args::ServeArgs;
use crate::cmd::common::{load_brand, shown};
use crate::settings::Settings;
use crate::term::ExitStatus;

pub fn run(settings: &Settings, args: &ServeArgs) -> Result<ExitStatus> {
    let brand = match &args.brand {
        Some(path) => Some(load_brand(path)?),
        None => None,
    };
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(pmo_vmo::serve::tls::config(cert, key).map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot serve HTTPS with it: {}",
                shown(&e.file),
                e.reason
            )
        })?),
        _ => None,
    };
    let rubric = settings.load_rubric(None)?;
    let config = Config {
        dir: args.dir.clone(),
        port: args.port,
        lan: args.lan,
        max_participants: args.max_participants as usize,
        allow_anonymous: args.allow_anonymous,
        intro: args.intro.clone(),
        brand,
        tls,
    };
    // A Ctrl-C stops the server; every acknowledged answer is already on disk,
    // and a half-written temporary file is removed.
    ctrlc::set_handler(|| {
        pmo_vmo::atomic::discard_staged_for_exit();
        std::process::exit(130);
    })
    .context("could not install the Ctrl-C handler")?;
    let dir = shown(&args.dir);
    serve(rubric, config, |s| announce(s, &dir, args.lan && !s.tls))
        .with_context(|| format!("could not serve the workshop in {dir}"))?;
    Ok(ExitStatus::Success)
}

/// The addresses on stdout (one per line, for scripts), the QR code and the
/// words on stderr.
fn announce(s: &Started, dir: &str, lan: bool) {
    let join = s.join_url();
    let mut err = std::io::stderr().lock();
    if let Ok(code) = QrCode::new(join.as_bytes()) {
        let qr = code.render::<Dense1x2>().quiet_zone(true).build();
        let _ = writeln!(err, "{qr}");
    }
    let resumed = match s.resumed {
        0 => String::new(),
        1 => " (resumed: 1 participant had joined)".to_owned(),
        n => format!(" (resumed: {n} participants had joined)"),
    };
    let _ = writeln!(
        err,
        "Live workshop in {dir}{resumed}; answers land there as answer sheets."
    );
    if lan {
        let _ = writeln!(
            err,
            "Listening on every network interface, over plain HTTP: anyone on this network can read what passes."
        );
    }
    let _ = writeln!(
        err,
        "Stop with Ctrl-C; run the same command again to resume."
    );
    let _ = err.flush();
    drop(err);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "join: {join}");
    let _ = writeln!(out, "facilitator: {}", s.facilitator_url());
    let _ = out.flush();
}
