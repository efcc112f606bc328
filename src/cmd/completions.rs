use std::process::ExitCode;

use clap_complete::Shell;

/// Print a shell completion script for cib.
///
/// The script completes subcommands, options and their values, and is
/// generated from cib's own argument definitions, so it matches this version.
/// docs/editors.md says where each shell looks for it.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib completions bash > ~/.local/share/bash-completion/completions/cib\n  cib completions zsh > ~/.zfunc/_cib          # with fpath+=(~/.zfunc) before compinit\n  cib completions fish > ~/.config/fish/completions/cib.fish\n  cib completions powershell >> $PROFILE"
)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut command = super::public_command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cib", &mut script);
    super::print_all(&script)?;
    Ok(ExitCode::SUCCESS)
}
