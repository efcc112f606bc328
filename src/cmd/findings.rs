//! How `check`, `build` and `diff` print findings: the same formats and colour rules.

use std::io::{IsTerminal, Write};

use cib::Checked;
use cib::diag::{Tally, render};
use clap::ValueEnum;

#[derive(clap::Args)]
// Its own group id: clap names a group after its struct, and every command's
// own `Args` would otherwise clash with this one (a debug-build assertion).
#[group(id = "findings")]
pub struct Args {
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

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
enum Color {
    Auto,
    Always,
    Never,
}

impl Args {
    /// Whether output is for GitHub Actions (annotations, step summaries).
    pub fn github(&self) -> bool {
        matches!(self.format, Format::Github)
    }
}

/// Prints the findings to standard output and, for people, a summary line to
/// standard error.
pub fn print(args: &Args, checked: &Checked) -> anyhow::Result<Tally> {
    let format = match args.format {
        Format::Human => render::Format::Human,
        Format::Short => render::Format::Short,
        Format::Json => render::Format::Json,
        Format::Github => render::Format::Github,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => auto_color(),
    };
    print_as(format, color, checked)
}

/// [`print`] for a command with output formats of its own (`diff`), which
/// picks the findings format closest to the one asked for.
pub fn print_as(format: render::Format, color: bool, checked: &Checked) -> anyhow::Result<Tally> {
    let tally = print_findings(format, color, checked)?;
    if matches!(format, render::Format::Human | render::Format::Short) {
        writeln!(
            std::io::stderr(),
            "{}",
            render::summary(tally, checked.sources.len())
        )?;
    }
    Ok(tally)
}

/// The findings alone, without the summary line: for a command that counts
/// them its own way.
pub fn print_findings(
    format: render::Format,
    color: bool,
    checked: &Checked,
) -> anyhow::Result<Tally> {
    let mut out = std::io::stdout().lock();
    render::write(
        &mut out,
        format,
        color,
        &checked.diagnostics,
        &checked.sources,
    )?;
    out.flush()?;
    Ok(Tally::of(&checked.diagnostics))
}

/// Prints findings for people (the human format, coloured on a terminal), for
/// commands without a `--format` of their own.
pub fn print_human(checked: &Checked) -> anyhow::Result<Tally> {
    print_as(render::Format::Human, auto_color(), checked)
}

/// Colour when standard output is a terminal and NO_COLOR is unset or empty.
pub fn auto_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
