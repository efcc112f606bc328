//! One file per subcommand.

pub mod build;
pub mod check;
pub mod completions;
pub mod coverage;
pub mod diff;
pub mod explain;
pub mod export;
pub mod export_typst;
mod findings;
pub mod generate;
pub mod import;
pub mod init;
pub mod lsp;
pub mod man;
pub mod new;
pub mod serve;

use std::io::Write;

use clap::CommandFactory;

/// cib's command line as users meet it: [`crate::Cli`] without its hidden
/// subcommands, for completion scripts and man pages (clap_complete would
/// otherwise offer `generate` and `export-typst`).
pub fn public_command() -> clap::Command {
    let full = crate::Cli::command();
    let mut public = clap::Command::new("cib")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(full.is_subcommand_required_set())
        .arg_required_else_help(full.is_arg_required_else_help_set())
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        public = public.about(about.clone());
    }
    if let Some(about) = full.get_long_about() {
        public = public.long_about(about.clone());
    }
    if let Some(text) = full.get_after_help() {
        public = public.after_help(text.clone());
    }
    public
}

/// Writes `bytes` to standard output, quietly stopping at a closed pipe.
pub fn print_all(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    quiet_on_broken_pipe(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A reader that stops early (`cib explain | head`) is not a failure: like other
/// Unix tools, stop writing quietly instead of reporting the broken pipe.
pub fn quiet_on_broken_pipe(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        crate::Cli::command().debug_assert();
        super::public_command().debug_assert();
    }

    #[test]
    fn the_public_command_is_the_full_one_less_hidden_subcommands() {
        let full = crate::Cli::command();
        let public = super::public_command();
        let names = |c: &clap::Command, hidden: bool| -> Vec<String> {
            c.get_subcommands()
                .filter(|s| hidden || !s.is_hide_set())
                .map(|s| s.get_name().to_owned())
                .collect()
        };
        assert_eq!(names(&public, true), names(&full, false));
        assert!(names(&full, true).contains(&"generate".to_owned()));
        assert!(!names(&public, true).contains(&"generate".to_owned()));
        let args = |c: &clap::Command| -> Vec<String> {
            c.get_arguments().map(|a| a.get_id().to_string()).collect()
        };
        assert_eq!(args(&public), args(&full));
        assert_eq!(public.get_about(), full.get_about());
        assert_eq!(public.get_after_help(), full.get_after_help());
        assert_eq!(public.get_version(), full.get_version());
        assert_eq!(public.get_name(), full.get_name());
    }
}
