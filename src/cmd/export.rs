use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use cib::model::FrameworkId;

use super::findings;

/// Write the curriculum for other tools: CASE, CSV, Common Cartridge, LMS outcomes.
///
/// CASE packages are for state systems, LMSs and OpenSALT; CSV tables for
/// spreadsheets (docs/csv.md); cartridges and outcomes for Canvas, Moodle and
/// other LMSs (docs/lms.md).
///
/// For CASE, CSV and outcomes the curriculum must check clean, but for errors
/// that only stop printing (C010, C028); files go to the output folder's
/// case/, csv/ or lms/outcomes/, each replaced atomically; build/SHA256SUMS
/// lists them. A cartridge holds PDFs, so `cib export cc` builds as `cib
/// build` does.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export case                          # every framework, build/case/<id>.json\n  cib export case --framework cnc-mill --base-uri https://case.example.org\n  cib export csv --framework cnc-mill      # build/csv/cnc-mill.csv\n  cib export cc --cc-version 1.3           # build/lms/<bundle>.imscc with standards metadata\n  cib export outcomes --lms canvas         # build/lms/outcomes/canvas-outcomes.csv"
)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(clap::Subcommand)]
enum Format {
    /// One CASE 1.1 CFPackage (JSON) per framework, ours and external.
    Case(CaseArgs),
    /// One CSV table per framework, in the layout docs/csv.md describes.
    Csv(CsvArgs),
    /// One Common Cartridge per student bundle, for the school's LMS.
    Cc(CcArgs),
    /// Frameworks as LMS outcomes: Canvas's outcomes CSV or Moodle's
    /// competency-framework CSVs, keyed on the CASE identifiers.
    Outcomes(OutcomesArgs),
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export cc                       # build/lms/<bundle>.imscc, CC 1.1\n  cib export cc --cc-version 1.3      # with the standards each lesson teaches (not for Moodle)"
)]
struct CcArgs {
    #[command(flatten)]
    findings: findings::Args,

    /// The Common Cartridge version: 1.1 is imported by every LMS; 1.3 adds
    /// the standards each lesson teaches (Moodle cannot import it).
    #[arg(long, value_name = "VERSION", default_value = "1.1", value_parser = ["1.1", "1.3"])]
    cc_version: String,

    /// The output folder, built whole as `cib build` builds it [default:
    /// build/ under the curriculum root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export outcomes --lms canvas                     # build/lms/outcomes/canvas-outcomes.csv\n  cib export outcomes --lms moodle --framework cnc-mill   # build/lms/outcomes/moodle/cnc-mill.csv"
)]
struct OutcomesArgs {
    #[command(flatten)]
    common: Common,

    /// The LMS whose import format to write.
    #[arg(long, value_enum)]
    lms: LmsArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LmsArg {
    Canvas,
    Moodle,
}

#[derive(clap::Args)]
struct Common {
    #[command(flatten)]
    findings: findings::Args,

    /// Export only this framework (repeatable) [default: every framework].
    #[arg(long = "framework", value_name = "ID")]
    frameworks: Vec<String>,

    /// The output folder [default: build/ under the curriculum root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export case                                   # build/case/<id>.json for every framework\n  cib export case --framework cnc-mill --out dist\n  cib export case --base-uri https://case.example.org   # uri: https://case.example.org/ims/case/v1p1/…"
)]
struct CaseArgs {
    #[command(flatten)]
    common: Common,

    /// Where the packages will be served: every `uri` becomes
    /// BASE/ims/case/v1p1/<class>/<identifier>. Without it, a `uri` is the
    /// identifier as a urn:uuid: name.
    #[arg(long, value_name = "BASE")]
    base_uri: Option<String>,
}

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export csv                              # build/csv/<id>.csv for every framework\n  cib export csv --framework cnc-mill --framework osha-10"
)]
struct CsvArgs {
    #[command(flatten)]
    common: Common,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let common = match &args.format {
        Format::Case(a) => &a.common,
        Format::Csv(a) => &a.common,
        Format::Outcomes(a) => &a.common,
        Format::Cc(a) => return cartridges(root, a),
    };
    let checked = cib::check(root)?;
    if checked.has_exchange_errors() {
        findings::print(&common.findings, &checked)?;
        eprintln!("error: nothing exported; fix the errors above first");
        return Ok(ExitCode::from(1));
    }
    if checked.has_errors() {
        findings::print(&common.findings, &checked)?;
        eprintln!(
            "note: the errors above stop `cib build` from printing, not this export; exporting"
        );
    }
    let c = &checked.curriculum;
    let all = cib::exchange::case::framework_ids(c);
    let chosen: Vec<&FrameworkId> = if common.frameworks.is_empty() {
        all
    } else {
        let mut chosen = Vec::new();
        for wanted in &common.frameworks {
            match all.iter().find(|id| id.as_str() == wanted) {
                Some(id) => chosen.push(*id),
                None => {
                    let names: Vec<&str> = all.iter().map(|id| id.as_str()).collect();
                    let hint = cib::diag::suggest(wanted, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    bail!(
                        "no framework `{wanted}`; {hint}the frameworks are: {}",
                        names.join(", ")
                    );
                }
            }
        }
        chosen
    };
    let mut files = Vec::new();
    if let Format::Outcomes(OutcomesArgs {
        lms: LmsArg::Canvas,
        ..
    }) = &args.format
    {
        let csv = cib::exchange::outcomes::canvas(c, &chosen).context(
            "internal error: the Canvas outcomes could not be written; please report this",
        )?;
        files.push((
            "lms/outcomes/canvas-outcomes.csv".to_owned(),
            csv.into_bytes(),
        ));
    }
    for id in chosen {
        let (name, bytes) = match &args.format {
            Format::Case(a) => (
                format!("case/{id}.json"),
                cib::exchange::case_file(c, id, a.base_uri.as_deref()),
            ),
            Format::Csv(_) => (
                format!("csv/{id}.csv"),
                cib::exchange::csv::export(c, id).map(String::into_bytes),
            ),
            Format::Outcomes(OutcomesArgs {
                lms: LmsArg::Moodle,
                ..
            }) => (
                format!("lms/outcomes/moodle/{id}.csv"),
                cib::exchange::outcomes::moodle(c, id).map(String::into_bytes),
            ),
            // Canvas's one file is written above; cartridges never come here.
            Format::Outcomes(_) | Format::Cc(_) => continue,
        };
        let bytes = bytes.with_context(|| {
            format!("internal error: framework `{id}` could not be exported; please report this")
        })?;
        files.push((name, bytes));
    }
    let out = common.out.clone().unwrap_or_else(|| root.join("build"));
    cib::build::write_files(&out, &files)?;
    for (name, _) in &files {
        println!("wrote {}", out.join(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `cib export cc`: a build whose cartridges are in the version asked for.
fn cartridges(root: &Path, args: &CcArgs) -> anyhow::Result<ExitCode> {
    let options = cib::build::Options {
        out: args.out.clone().unwrap_or_else(|| root.join("build")),
        progress: false,
        site: cib::build::Site::Instructors,
        cc: cib::exchange::cc::Version::parse(&args.cc_version).unwrap_or_default(),
    };
    match cib::build::build(root, &options)? {
        cib::build::Outcome::Failed(checked) => {
            findings::print(&args.findings, &checked)?;
            eprintln!(
                "error: nothing exported; fix the errors above first (`{}` is as it was)",
                options.out.display()
            );
            Ok(ExitCode::from(1))
        }
        cib::build::Outcome::Built(report) => {
            for (path, size) in &report.cartridges {
                println!(
                    "wrote {} (Common Cartridge {}, {:.1} MB)",
                    options.out.join(path).display(),
                    options.cc.as_str(),
                    *size as f64 / 1_000_000.0
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
