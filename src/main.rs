//! The `communique` binary: parse arguments, start logging, dispatch, turn the outcome into
//! an exit code.

use clap::Parser;
use communique::cli::{Cli, Command, LogFormat};
use communique::commands::export::ExportConfig;
use communique::commands::validate::ValidateConfig;
use communique::commands::{self, exit};
use communique::config::{IngestConfig, ReingestConfig};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

// mimalloc instead of the system allocator: extraction makes hundreds of small allocations
// a release, and glibc's malloc and free were a sixth of its instructions (see
// `communique::alloc` for how it is asked).
#[global_allocator]
static GLOBAL: communique::alloc::Mimalloc = communique::alloc::Mimalloc;

fn init_logging(cli: &Cli) {
    let default = match (cli.quiet, cli.verbose) {
        (true, _) => "warn",
        (false, 0) => "warn",
        (false, 1) => "info,communique=debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match cli.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    let mut stdout = std::io::stdout().lock();
    // a progress bar only for a person watching a terminal
    let progress = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && !cli.quiet
        && cli.log_format == LogFormat::Text;
    let result = match &cli.command {
        Command::Ingest(args) => {
            IngestConfig::new(args, cli.quiet, progress, source_date_epoch.as_deref())
                .and_then(|config| commands::ingest::run(&config, &mut stdout))
                .map(|(_, code)| code)
        }
        Command::Reingest(args) => {
            ReingestConfig::new(args, cli.quiet, progress, source_date_epoch.as_deref())
                .and_then(|config| commands::reingest::run(&config, &mut stdout))
                .map(|(_, code)| code)
        }
        Command::Export(args) => {
            commands::export::run(&ExportConfig::new(args, cli.quiet), &mut stdout)
                .map(|_| exit::OK)
        }
        Command::Validate(args) => {
            ValidateConfig::new(args, cli.quiet, source_date_epoch.as_deref())
                .and_then(|config| commands::validate::run(&config, &mut stdout))
                .map(|(_, code)| code)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // a closed pipe (`communique ... | head`) is not an error
            if error.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::from(exit::OK);
            }
            eprintln!("error: {error:#}");
            commands::exit_code_for(&error)
        }
    }
}
