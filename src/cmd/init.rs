use std::path::PathBuf;
use std::process::ExitCode;

use cib::scaffold::{self, Project};

use super::findings;

/// Start a new curriculum repository that checks and builds as written.
///
/// It holds the schemas, curriculum.yaml, an example framework, competencies
/// and a lesson, a pre-commit hook and a GitHub Actions workflow.
///
/// The example framework is clearly labelled as one and its codes are made
/// up: replace it with the standards you align to.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib init my-curriculum\n  cib init welding --title \"Welding\" --publisher \"Valley Regional Technical School\"\n  cib init mtt --license CC-BY-SA-4.0 && cd mtt && cib check && cib build"
)]
pub struct Args {
    /// A new or empty folder to create the curriculum in.
    dir: PathBuf,

    /// The curriculum's title, as printed on covers and the catalog.
    #[arg(long, default_value = "Machine Tool Technology")]
    title: String,

    /// Who publishes it: your school, district or organisation.
    #[arg(long, default_value = "Your school")]
    publisher: String,

    /// The license of the curriculum's content, as an SPDX identifier.
    #[arg(long, default_value = "CC-BY-4.0")]
    license: String,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let written = scaffold::init(
        &args.dir,
        &Project {
            title: args.title.clone(),
            publisher: args.publisher.clone(),
            license: args.license.clone(),
            date: scaffold::today(),
        },
    )?;
    // The templates must give a clean curriculum; anything else is a bug.
    let checked = cib::check(&args.dir)?;
    if !checked.diagnostics.is_empty() {
        findings::print_human(&checked)?;
        eprintln!(
            "error: internal error: the new curriculum does not pass `cib check`; please report this"
        );
        return Ok(ExitCode::from(1));
    }
    let dir = args.dir.display();
    println!("created a curriculum in {dir}:");
    let schemas = written.iter().filter(|p| p.starts_with("schemas/")).count();
    println!("  schemas/   the {schemas} JSON Schemas editors and cib check use");
    for path in written.iter().filter(|p| !p.starts_with("schemas/")) {
        println!("  {path}");
    }
    println!(
        "\nNext:\n  cd {dir} && cib check && cib build    # then open build/site/index.html\n\
         Replace the EXAMPLE framework in frameworks/ with the standards you align to;\n\
         add files with `cib new lesson|competency|framework` (see `cib new --help`)."
    );
    Ok(ExitCode::SUCCESS)
}
