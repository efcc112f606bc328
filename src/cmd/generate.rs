use std::path::PathBuf;
use std::process::ExitCode;

use cib::generate::{self, Spec};

/// Write a synthetic curriculum of a given size (for benchmarks).
///
/// The same seed and sizes always give the same files. Texts are filler and
/// framework codes are invented; see BENCHMARKS.md.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  cib generate /tmp/big --lessons 1000 --competencies 10000 --frameworks 10"
)]
pub struct Args {
    /// A new or empty folder to write into.
    dir: PathBuf,

    /// How many lessons (at most 9000).
    #[arg(long, default_value_t = 200)]
    lessons: usize,

    /// How many competencies, spread over the competency frameworks.
    #[arg(long, default_value_t = 2000)]
    competencies: usize,

    /// How many competency frameworks (each gets an instructor and a student bundle).
    #[arg(long, default_value_t = 4)]
    frameworks: usize,

    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let written = generate::write(
        &args.dir,
        &Spec {
            lessons: args.lessons,
            competencies: args.competencies,
            frameworks: args.frameworks,
            seed: args.seed,
        },
    )?;
    println!(
        "wrote {} files ({} bytes) to {}",
        written.files,
        written.bytes,
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
