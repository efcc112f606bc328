use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use cib::model::FrameworkId;

use super::findings;

/// Write frameworks in formats other tools read: CASE 1.1 packages and CSV tables.
///
/// CASE packages are for state systems, LMSs and OpenSALT; CSV tables for
/// spreadsheets (docs/csv.md).
///
/// The curriculum must check clean, but for errors that only stop printing
/// (C010, C028). Files go to the output folder's case/ or
/// csv/, each replaced atomically; build/SHA256SUMS lists them.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib export case                          # every framework, build/case/<id>.json\n  cib export case --framework cnc-mill --base-uri https://case.example.org\n  cib export csv --framework cnc-mill      # build/csv/cnc-mill.csv"
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
