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
    let matches = Cli::command().try_get_matches().unwrap_or_else(|e| usage_error(e));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| usage_error(e));
    if cli.command.is_some() {
        std::process::exit(cli::run(cli, &cli::command_path(&matches)));
    }
    lighten_webkit();
    let json = cli.global.json;
    let verbose = cli.global.verbose;
    let database = cli.global.database.clone().filter(|u| !u.trim().is_empty());
    let result = cli::environment(&cli.global)
        .and_then(|(data_dir, clock)| run_window(WindowOptions { data_dir, database, clock, verbose }));
    if let Err(e) = result {
        cli::report_error(&e, json);
        std::process::exit(1);
    }
}

/// A command line clap refuses: its usage on stderr, exit 2, its first line
/// naming the code as every refusal does (`error[invalid_argument]: …`);
/// with `--json` also the `{"error":{"code":"invalid_argument",…}}`
/// document on stdout. `--help` and `--version` print and exit 0.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
        e.exit()
    }
    let wants_json = std::env::args().skip(1).take_while(|a| a != "--").any(|a| a == "--json");
    if !wants_json {
        eprint!("{}", e.render().to_string().replacen("error: ", "error[invalid_argument]: ", 1));
        std::process::exit(2);
    }
    let message = e.render().to_string();
    // The first paragraph, on one line: "… not provided: --yes".
    let first: Vec<&str> = message.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    let first = first.join(" ").trim_start_matches("error: ").to_string();
    cli::report_error(&seatdesk_core::Error::new(seatdesk_core::ErrorCode::InvalidArgument, first), true);
    eprint!("{}", message.replacen("error: ", "error[invalid_argument]: ", 1));
    std::process::exit(2);
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
