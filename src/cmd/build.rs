use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cib::build::{DocumentKind, Options, Outcome, Report};

use super::findings;

/// Build everything: lesson PDFs, bundle zips and the catalog site.
///
/// Runs the check first and stops at its errors. Output goes to `build/` under
/// the curriculum root (see --out), replaced whole at the end, so a failed build
/// leaves the previous one as it was. Unchanged documents are not typeset again.
///
/// Exit status: 0 when built, 1 when findings stopped the build, 2 when cib
/// could not run.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib build\n  cib build --verbose          # list each document, rendered or reused\n  SOURCE_DATE_EPOCH=1756684800 cib build   # zip entry times for reproducible-builds tooling"
)]
pub struct Args {
    #[command(flatten)]
    findings: findings::Args,

    /// The output folder [default: build/ under the curriculum root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// List every document with whether it was rendered (and how long that took) or reused.
    #[arg(short, long)]
    verbose: bool,

    /// Never draw a progress bar (it is drawn only on a terminal, and never when
    /// CI is set).
    #[arg(long)]
    no_progress: bool,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let mut stderr = std::io::stderr();
    let progress = !args.no_progress && stderr.is_terminal() && std::env::var_os("CI").is_none();
    let options = Options {
        out: args.out.clone().unwrap_or_else(|| root.join("build")),
        progress,
    };
    match cib::build::build(root, &options)? {
        Outcome::Failed(checked) => {
            findings::print(&args.findings, &checked)?;
            writeln!(
                stderr,
                "build stopped: nothing was written; `{}` is as it was",
                options.out.display()
            )?;
            Ok(ExitCode::from(1))
        }
        Outcome::Built(report) => {
            summary(&mut stderr.lock(), &report, args.verbose)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn summary(out: &mut impl Write, report: &Report, verbose: bool) -> std::io::Result<()> {
    if verbose {
        for d in &report.documents {
            if d.rendered {
                let ms = d.typeset.as_secs_f64() * 1000.0;
                writeln!(out, "rendered {} ({} pages) in {ms:.0} ms", d.path, d.pages)?;
            } else {
                writeln!(out, "reused   {} ({} pages)", d.path, d.pages)?;
            }
        }
    }
    let total = report.documents.len();
    let rendered = report.documents.iter().filter(|d| d.rendered).count();
    if rendered == 0 {
        writeln!(
            out,
            "nothing to render: all {total} documents are unchanged since the last build"
        )?;
    } else {
        writeln!(
            out,
            "rendered {rendered} of {total} documents ({} reused from the last build)",
            total - rendered
        )?;
    }
    let of = |kind| report.documents.iter().filter(move |d| d.kind == kind);
    let bytes = |kind| of(kind).map(|d| d.size).sum::<usize>();
    let pages: usize = of(DocumentKind::Bundle).map(|d| d.pages).sum();
    let zip_bytes: usize = report.zips.iter().map(|(_, size)| size).sum();
    // One row each: folder, count, what, size; the records' CSVs are small
    // and written beside their PDFs.
    let mut row = |folder: &str, count: usize, what: String, size: usize| {
        writeln!(out, "  {folder:<13}{count:>4} {what:<17}{:>9}", mb(size))
    };
    row(
        "lessons/",
        of(DocumentKind::Lesson).count(),
        "PDFs".into(),
        bytes(DocumentKind::Lesson),
    )?;
    let sheets = of(DocumentKind::Assessment).count();
    if sheets > 0 {
        row(
            "assessments/",
            sheets,
            "PDFs".into(),
            bytes(DocumentKind::Assessment),
        )?;
    }
    row(
        "records/",
        of(DocumentKind::Records).count(),
        "PDFs, with CSVs".into(),
        bytes(DocumentKind::Records),
    )?;
    row(
        "bundles/",
        of(DocumentKind::Bundle).count(),
        format!("PDFs ({pages} pages)"),
        bytes(DocumentKind::Bundle),
    )?;
    row("", report.zips.len(), "zips".into(), zip_bytes)?;
    writeln!(out, "  {:<35}{:>9}", report.site, mb(report.site_size))?;
    writeln!(out, "  reports/coverage.html, .pdf, .json, .csv")?;
    writeln!(
        out,
        "built {} in {:.1} s; open {}",
        report.out.display(),
        report.elapsed.as_secs_f64(),
        report.out.join(&report.site).display()
    )
}

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
