//! The `cib` command line: parses arguments, calls the library, maps the outcome to
//! an exit status (0 clean, 1 findings, 2 cib could not run).

mod cmd;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::PathBuf;
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
    /// The curriculum's root folder (the one holding curriculum.yaml).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Build(args) => cmd::build::run(&cli.root, &args),
        Command::Check(args) => cmd::check::run(&cli.root, &args),
        Command::Coverage(args) => cmd::coverage::run(&cli.root, &args),
        Command::Diff(args) => cmd::diff::run(&args),
        Command::Explain(args) => cmd::explain::run(&args),
        Command::Export(args) => cmd::export::run(&cli.root, &args),
        Command::Import(args) => cmd::import::run(&cli.root, &args),
        Command::Serve(args) => cmd::serve::run(&cli.root, &args),
        Command::Init(args) => cmd::init::run(&args),
        Command::New(args) => cmd::new::run(&cli.root, &args),
        Command::Completions(args) => cmd::completions::run(&args),
        Command::Man(args) => cmd::man::run(&args),
        Command::Generate(args) => cmd::generate::run(&args),
        Command::ExportTypst(args) => cmd::export_typst::run(&cli.root, &args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error:#}");
            ExitCode::from(2)
        }
    }
}
