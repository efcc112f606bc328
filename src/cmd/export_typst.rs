use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write every document `cib build` would typeset as a typst project (for benchmarks).
///
/// Each folder compiles with the typst CLI of the version cib embeds:
/// `typst compile --root DIR DIR/.cib/lesson.typ out.pdf --pdf-standard ua-1`.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  cib export-typst /tmp/typst-projects")]
pub struct Args {
    /// A new or empty folder to write into.
    out: PathBuf,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    match cib::build::export_typst(root, &args.out)? {
        Ok(count) => {
            println!(
                "wrote {count} typst projects to {}; see projects.tsv there",
                args.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(_) => {
            eprintln!("error: the curriculum has errors; `cib check` lists them");
            Ok(ExitCode::from(1))
        }
    }
}
