//! The log: one line per command, from the window and the command line
//! alike, with its name, the account, how long it took and its outcome (a
//! code), written to a daily file in the data folder (`logs/`, the last 14
//! days kept) and, with `-v`, to stderr. It never holds member data beyond
//! the account's name and an error's code; an `internal` error adds its
//! cause chain, which is what a bug report needs.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use seatdesk_core::{Error, ErrorCode};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::prelude::*;

/// Days of log files kept in the data folder.
pub const KEPT_DAYS: usize = 14;

/// Starts logging for this process (once; later calls do nothing). A data
/// folder whose `logs/` cannot be written only loses the file.
pub fn init(data_dir: &Path, verbose: bool) {
    let dir = data_dir.join("logs");
    let file = std::fs::create_dir_all(&dir)
        .ok()
        .and_then(|_| {
            RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("seatdesk")
        .filename_suffix("log")
                .max_log_files(KEPT_DAYS)
                .build(&dir)
                .ok()
        })
        .map(|appender| tracing_subscriber::fmt::layer().with_writer(appender).with_ansi(false).with_target(false));
    let stderr = verbose
        .then(|| tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal()).with_target(false));
    // Only the first call in a process installs it (tests open many windows).
    let _ = tracing_subscriber::registry().with(file).with(stderr).try_init();
}

/// Runs one command and logs it: `name`, the account (if any), the time it
/// took and its outcome.
pub fn command<T>(name: &str, account: Option<&str>, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    let started = Instant::now();
    let result = f();
    let ms = (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
    let account = account.unwrap_or("-");
    match &result {
        Ok(_) => tracing::info!(command = name, account, ms, outcome = "ok"),
        Err(e) if e.code == ErrorCode::Internal => tracing::error!(command = name, account, ms, outcome = e.code.as_str(), cause = %e.chain()),
        Err(e) => tracing::info!(command = name, account, ms, outcome = e.code.as_str()),
    }
    result
}
