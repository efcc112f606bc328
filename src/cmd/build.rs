use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cib::build::{DocumentKind, Options, Outcome, Report, Site};

use super::findings;

/// Build everything: PDFs, bundle zips, web lessons, LMS cartridges, the catalog.
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

    /// Who the output folder is for, once published: `instructors` holds
    /// everything (lesson plans, answer keys, score sheets, records, reports,
    /// LMS cartridges), so publish it only where students cannot reach it;
    /// `students` holds only handouts, web lessons, task sheets and student
    /// bundles.
    #[arg(long, value_enum, default_value_t = SiteArg::Instructors)]
    site: SiteArg,

    /// The Common Cartridge version of the LMS cartridges in lms/: 1.1 is
    /// imported by every LMS; 1.3 adds the standards each lesson teaches
    /// (Moodle cannot import it).
    #[arg(long, value_name = "VERSION", default_value = "1.1", value_parser = ["1.1", "1.3"])]
    cc_version: String,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum SiteArg {
    Instructors,
    Students,
}

impl From<SiteArg> for Site {
    fn from(site: SiteArg) -> Site {
        match site {
            SiteArg::Instructors => Site::Instructors,
            SiteArg::Students => Site::Students,
        }
    }
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let mut stderr = std::io::stderr();
    let progress = !args.no_progress && stderr.is_terminal() && std::env::var_os("CI").is_none();
    let options = Options {
        out: args.out.clone().unwrap_or_else(|| root.join("build")),
        progress,
        site: args.site.into(),
        cc: cib::exchange::cc::Version::parse(&args.cc_version).unwrap_or_default(),
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
    fn row(
        out: &mut impl Write,
        folder: &str,
        count: usize,
        what: String,
        size: usize,
    ) -> std::io::Result<()> {
        writeln!(out, "  {folder:<13}{count:>4} {what:<17}{:>9}", mb(size))
    }
    row(
        out,
        "lessons/",
        of(DocumentKind::Lesson).count(),
        "PDFs".into(),
        bytes(DocumentKind::Lesson),
    )?;
    let sheets = of(DocumentKind::Assessment).count();
    if sheets > 0 {
        row(
            out,
            "assessments/",
            sheets,
            "PDFs".into(),
            bytes(DocumentKind::Assessment),
        )?;
    }
    row(
        out,
        "records/",
        of(DocumentKind::Records).count(),
        "PDFs, with CSVs".into(),
        bytes(DocumentKind::Records),
    )?;
    row(
        out,
        "bundles/",
        of(DocumentKind::Bundle).count(),
        format!("PDFs ({pages} pages)"),
        bytes(DocumentKind::Bundle),
    )?;
    row(out, "", report.zips.len(), "zips".into(), zip_bytes)?;
    if !report.cartridges.is_empty() {
        let size = report.cartridges.iter().map(|(_, size)| size).sum();
        row(
            out,
            "lms/",
            report.cartridges.len(),
            "cartridges".into(),
            size,
        )?;
    }
    writeln!(out, "  {:<35}{:>9}", report.site, mb(report.site_size))?;
    let (pages, size) = report.web_pages;
    row(out, "site/", pages, "web pages".into(), size)?;
    match report.audience {
        Site::Instructors => {
            writeln!(out, "  reports/coverage.html, .pdf, .json, .csv")?;
            writeln!(
                out,
                "  lms/outcomes/canvas-outcomes.csv, moodle/<framework>.csv"
            )?;
            writeln!(
                out,
                "for instructors: holds lesson plans and answer keys; publish it only where students cannot reach it (`--site students` for a student site)"
            )?;
        }
        Site::Students => writeln!(
            out,
            "for students: no lesson plans, answer keys, score sheets, records or reports"
        )?,
    }
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
