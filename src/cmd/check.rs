use std::io::{IsTerminal, Write};

use std::path::Path;
use std::process::ExitCode;

use cib::diag::{Tally, render};
use clap::ValueEnum;

/// Validate the curriculum: schemas, references, prerequisites, lessons.
///
/// Exit status: 0 when clean, 1 when there are errors (or warnings with
/// `--deny warnings`), 2 when cib could not run.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib check\n  cib check --root path/to/curriculum --format short\n  cib check --format github --deny warnings   # in CI"
)]
pub struct Args {
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Treat warnings as errors for the exit status.
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Option<Deny>,

    /// When to color human output (NO_COLOR is respected with `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style, with the source line and a caret.
    Human,
    /// One line per finding: path:line:col: severity[CODE]: message.
    Short,
    /// A JSON document (see docs/diagnostics-json.md).
    Json,
    /// GitHub Actions annotations (::error file=...::message).
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let checked = cib::check(root)?;
    let format = match args.format {
        Format::Human => render::Format::Human,
        Format::Short => render::Format::Short,
        Format::Json => render::Format::Json,
        Format::Github => render::Format::Github,
    };
    let stdout = std::io::stdout();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut out = stdout.lock();
    render::write(
        &mut out,
        format,
        color,
        &checked.diagnostics,
        &checked.sources,
    )?;
    let tally = Tally::of(&checked.diagnostics);
    if matches!(args.format, Format::Human | Format::Short) {
        writeln!(
            std::io::stderr(),
            "{}",
            render::summary(tally, checked.sources.len())
        )?;
    }
    out.flush()?;
    let failed = tally.errors > 0 || (args.deny.is_some() && tally.warnings > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
