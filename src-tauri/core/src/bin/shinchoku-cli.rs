//! `shinchoku-cli`: the command line without the window. It links only the core (no GTK, no
//! WebKit), so scripts (41 departments' sheets in a loop) pay no GUI start-up; the app binary
//! `shinchoku` accepts the same subcommands and flags.

fn main() {
    let code = shinchoku_core::cli::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code)
}
