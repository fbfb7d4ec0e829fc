// Seatdesk: one binary, the window when run bare and the command line when
// given a subcommand.

use clap::{CommandFactory, FromArgMatches};

use seatdesk::cli::{self, Cli};
use seatdesk::{run_window, WindowOptions};

fn main() {
    // Everything Seatdesk creates (the data folder, the database and its
    // WAL, backups, exports, preferences) is for this user only; the core
    // also sets those modes itself.
    // SAFETY: umask only changes this process's file-creation mask.
    unsafe { libc::umask(0o077) };
    // Usage errors exit 2 with the usage; --help and --version exit 0.
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if cli.command.is_some() {
        std::process::exit(cli::run(cli, &cli::command_path(&matches)));
    }
    lighten_webkit();
    let json = cli.global.json;
    let verbose = cli.global.verbose;
    let result = cli::environment(&cli.global)
        .and_then(|(data_dir, clock)| run_window(WindowOptions { data_dir, clock, verbose }));
    if let Err(e) = result {
        cli::report_error(&e, json);
        std::process::exit(1);
    }
}

/// WebKit settings for a small local window, unless the user set them: no
/// JavaScript JIT (the UI's script is 71 KB; the JIT's code and profiling
/// cost 8 MiB of idle memory and bought nothing measurable) and no DMA-BUF
/// renderer (3 MiB more, and the usual cure for blank WebKitGTK windows on
/// some GPU drivers). Set here, before any thread or WebKit process starts.
fn lighten_webkit() {
    for (key, value) in [("JSC_useJIT", "0"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")] {
        if std::env::var_os(key).is_none() {
            std::env::set_var(key, value);
        }
    }
}
