//! The `cib` command line: parses arguments, calls the library, maps the outcome to
//! an exit status (0 clean, 1 findings, 2 cib could not run).

mod cmd;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cib",
    version,
    about = "Curriculum-in-a-box: validate, cross-map and publish competency-based curriculum kept in git",
    after_help = "Examples:\n  cib check                    # the curriculum in this folder\n  cib --root ../mtt build      # another curriculum\n  cib explain R003\n\n`cib COMMAND --help` shows a command's options and examples."
)]
struct Cli {
    /// The curriculum's root folder (the one holding curriculum.yaml); by
    /// default the nearest folder, from this one upward, that holds one.
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(cmd::build::Args),
    Check(cmd::check::Args),
    Coverage(cmd::coverage::Args),
    Diff(cmd::diff::Args),
    Explain(cmd::explain::Args),
    Export(cmd::export::Args),
    Import(cmd::import::Args),
    Serve(cmd::serve::Args),
    Lsp(cmd::lsp::Args),
    Init(cmd::init::Args),
    New(cmd::new::Args),
    // Set-up helpers, listed after the commands that work on a curriculum.
    Completions(cmd::completions::Args),
    Man(cmd::man::Args),
    #[command(hide = true)]
    Generate(cmd::generate::Args),
    #[command(hide = true)]
    ExportTypst(cmd::export_typst::Args),
}

/// The nearest folder from here upward holding curriculum.yaml, as a relative
/// path (`.`, `..`, `../..`), so printed paths stay relative to where cib
/// runs; `.` when there is none, for the command to say so.
fn found_root() -> PathBuf {
    let mut relative = PathBuf::from(".");
    let Ok(mut here) = std::env::current_dir() else {
        return relative;
    };
    loop {
        if here.join("curriculum.yaml").is_file() {
            return relative;
        }
        if !here.pop() {
            return PathBuf::from(".");
        }
        relative = if relative == Path::new(".") {
            PathBuf::from("..")
        } else {
            relative.join("..")
        };
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.clone().unwrap_or_else(found_root);
    let root = root.as_path();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(root, &args),
        Command::Check(args) => cmd::check::run(root, &args),
        Command::Coverage(args) => cmd::coverage::run(root, &args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Explain(args) => cmd::explain::run(&args),
        Command::Export(args) => cmd::export::run(root, &args),
        Command::Import(args) => cmd::import::run(root, &args),
        Command::Serve(args) => cmd::serve::run(root, &args),
        Command::Lsp(args) => cmd::lsp::run(root, &args),
        Command::Init(args) => cmd::init::run(&args),
        Command::New(args) => cmd::new::run(root, &args),
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::man::run(&args),
        Command::Generate(args) => cmd::generate::run(&args),
        Command::ExportTypst(args) => cmd::export_typst::run(root, &args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            ExitCode::from(2)
        }
    }
}
