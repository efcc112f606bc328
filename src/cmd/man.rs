use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap_mangen::Man;

/// Write cib's manual pages (roff, section 1).
///
/// Without --out, print cib(1) to standard output. With --out, write cib.1
/// and a page for every subcommand (cib-check.1, cib-export-case.1, …) into
/// that folder, creating it if needed.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib man | man -l -                        # read cib(1) now\n  cib man --out ~/.local/share/man/man1     # install every page for man cib-check"
)]
pub struct Args {
    /// The folder to write every page into [default: print cib.1 to standard output].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut command = super::public_command().disable_help_subcommand(true);
    command.build();
    let Some(dir) = &args.out else {
        super::print_all(&page(&command)?)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let written = write_pages(&command, dir)?;
    eprintln!("wrote {written} man pages to {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Writes the page of `command` and of each visible subcommand, recursively;
/// returns how many.
fn write_pages(command: &clap::Command, dir: &Path) -> anyhow::Result<usize> {
    let name = command.get_display_name().unwrap_or(command.get_name());
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page(command)?)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    let mut written = 1;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        written += write_pages(sub, dir)?;
    }
    Ok(written)
}

/// One page: clap_mangen's sections, with the `after_help` examples as an
/// EXAMPLES section set line by line (clap_mangen would fill them into one
/// paragraph under EXTRA).
fn page(command: &clap::Command) -> anyhow::Result<Vec<u8>> {
    let title = command
        .get_display_name()
        .unwrap_or(command.get_name())
        .to_uppercase();
    let examples = command.get_after_help().map(|text| text.to_string());
    let bare = command.clone().after_help(None::<&str>);
    let mut roff = Vec::new();
    Man::new(bare)
        .title(&title)
        .source(concat!("cib ", env!("CARGO_PKG_VERSION")))
        .manual("cib manual")
        .render(&mut roff)?;
    let roff = String::from_utf8(roff).context("clap_mangen wrote text that is not UTF-8")?;
    // No date (pages are reproducible): clap_mangen leaves the argument out
    // instead of writing "", which shifts the source and manual one place left.
    let mut roff = roff.replacen(
        &format!(".TH {title} 1  \""),
        &format!(".TH {title} 1 \"\" \""),
        1,
    );
    if let Some(text) = examples {
        let section = examples_section(&text);
        match roff.find("\n.SH VERSION") {
            Some(at) => roff.insert_str(at + 1, &section),
            None => roff.push_str(&section),
        }
    }
    Ok(roff.into_bytes())
}

/// `Examples:` and the lines after it, unfilled, escaped for roff.
fn examples_section(after_help: &str) -> String {
    let body = match after_help.split_once('\n') {
        Some((first, rest)) if first.trim_end().starts_with("Example") => rest,
        _ => after_help,
    };
    let mut section = String::from(".SH EXAMPLES\n.nf\n");
    for line in body.lines() {
        let escaped = line
            .replace('\\', r"\e")
            .replace('-', r"\-")
            .replace('\'', r"\*(Aq");
        if escaped.starts_with('.') {
            section.push_str(r"\&");
        }
        section.push_str(&escaped);
        section.push('\n');
    }
    section.push_str(".fi\n");
    section
}

#[cfg(test)]
mod tests {
    #[test]
    fn examples_are_unfilled_and_escaped() {
        let section = super::examples_section(
            "Examples:\n  cib check --format short   # it's short\n.not-a-request\nC:\\path",
        );
        assert_eq!(
            section,
            ".SH EXAMPLES\n.nf\n  cib check \\-\\-format short   # it\\*(Aqs short\n\\&.not\\-a\\-request\nC:\\epath\n.fi\n"
        );
    }
}
