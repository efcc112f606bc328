use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use cib::diag::{Code, suggest};

/// Explain a diagnostic code: what it checks, why, an example, how to fix.
///
/// Without a code, list every code.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib explain R003\n  cib explain prerequisite-cycle\n  cib explain            # list all codes"
)]
pub struct Args {
    /// A code (`R003`) or its name (`prerequisite-cycle`).
    code: Option<String>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let Some(text) = &args.code else {
        let listed = Code::ALL.iter().try_for_each(|code| {
            writeln!(
                out,
                "{}  {:<8} {:<28} {}",
                code.as_str(),
                code.default_severity().as_str(),
                code.name(),
                code.title()
            )
        });
        crate::cmd::quiet_on_broken_pipe(listed)?;
        return Ok(ExitCode::SUCCESS);
    };
    let Some(code) = Code::lookup(text) else {
        let names = Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]);
        let hint = suggest(text, names)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!("unknown code `{text}`{hint}; run `cib explain` to list all codes");
    };
    let written = writeln!(
        out,
        "{} {} ({}): {}\n\n{}",
        code.as_str(),
        code.name(),
        code.default_severity().as_str(),
        code.title(),
        code.doc()
    );
    crate::cmd::quiet_on_broken_pipe(written)?;
    Ok(ExitCode::SUCCESS)
}
