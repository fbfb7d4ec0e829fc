// Seatdesk: one binary, the window when run bare and the command line when
// given a subcommand.

use clap::Parser;

use seatdesk::cli::{self, Cli};
use seatdesk::{run_window, WindowOptions};

fn main() {
    // Usage errors exit 2 with the usage; --help and --version exit 0.
    let cli = Cli::parse();
    if cli.command.is_some() {
        std::process::exit(cli::run(cli));
    }
    let json = cli.global.json;
    let result = cli::environment(&cli.global)
        .and_then(|(data_dir, clock)| run_window(WindowOptions { data_dir, clock }));
    if let Err(e) = result {
        cli::report_error(&e, json);
        std::process::exit(1);
    }
}
