use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use super::findings;

/// Validate the curriculum: schemas, references, prerequisites, lessons.
///
/// Exit status: 0 when clean, 1 when there are errors (or warnings with
/// `--deny warnings`), 2 when cib could not run.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib check\n  cib check --root path/to/curriculum --format short\n  cib check --format github --deny warnings   # in CI"
)]
pub struct Args {
    #[command(flatten)]
    findings: findings::Args,

    /// Treat warnings as errors for the exit status.
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Option<Deny>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let checked = cib::check(root)?;
    let tally = findings::print(&args.findings, &checked)?;
    let failed = tally.errors > 0 || (args.deny.is_some() && tally.warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
