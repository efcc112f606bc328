use std::path::PathBuf;
use std::process::ExitCode;

use cib::diag::Code;
use cib::scaffold::{self, Project, Template};

use super::findings;

/// Start a new curriculum repository that builds as written.
///
/// It holds the schemas, curriculum.yaml, a competency framework named after
/// the title with one competency and one lesson, a pre-commit hook and a
/// GitHub Actions workflow. Their text is placeholders, which `cib check`
/// lists (C025) until you replace them. `--template machining` writes a
/// worked machine-shop example instead, with an EXAMPLE external framework
/// whose codes are made up.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib init my-curriculum\n  cib init welding --title \"Welding and Metal Fabrication\" --publisher \"Valley Regional Technical School\"\n  cib init mtt --template machining --license CC-BY-SA-4.0 && cd mtt && cib check && cib build"
)]
pub struct Args {
    /// A new or empty folder to create the curriculum in.
    dir: PathBuf,

    /// The curriculum's title, as printed on covers and the catalog; the
    /// empty template names its competency framework and ids after it.
    #[arg(long, default_value = "My Program")]
    title: String,

    /// What to start with.
    #[arg(long, value_enum, default_value_t = Template::Empty)]
    template: Template,

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
            template: args.template,
        },
    )?;
    // The templates must give a curriculum whose only findings are their
    // placeholders; anything else is a bug.
    let checked = cib::check(&args.dir)?;
    let placeholders = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Placeholder)
        .count();
    if placeholders < checked.diagnostics.len() {
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
    println!("\nNext:\n  cd {dir} && cib check && cib build    # then open build/site/index.html");
    if placeholders > 0 {
        println!(
            "Replace the {placeholders} placeholders `cib check` lists (C025) with your own text;"
        );
    } else {
        println!("Replace the EXAMPLE framework in frameworks/ with the standards you align to;");
    }
    println!("add files with `cib new lesson|competency|framework` (see `cib new --help`).");
    Ok(ExitCode::SUCCESS)
}
