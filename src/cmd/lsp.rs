use std::io::BufReader;
use std::path::Path;
use std::process::ExitCode;

/// The language server an editor starts: findings as you type, completion, rename.
///
/// Speaks the Language Server Protocol on standard input and output; an
/// editor starts it, not a person. The curriculum is the workspace folder
/// the editor names, or the folder above it holding curriculum.yaml;
/// without one, the one cib would use here (--root). docs/editors.md says
/// how to set up VS Code, Neovim, Helix and Zed.
#[derive(clap::Args)]
#[command(after_help = "Example (what an editor runs):\n  cib lsp")]
pub struct Args {
    /// Accepted for editors that pass it (VS Code's client does); standard
    /// input and output are the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

pub fn run(root: &Path, _args: &Args) -> anyhow::Result<ExitCode> {
    let input = BufReader::new(std::io::stdin());
    let code = cib::lsp::serve(input, std::io::stdout(), root.to_path_buf());
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}
