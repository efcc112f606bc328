use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use cib::load::Kind;

use super::findings;

/// Turn a CASE package or a CSV table into a framework file.
///
/// A CASE package may be 1.1, or 1.0 as OpenSALT publishes it; a CSV table is
/// laid out as docs/csv.md describes.
///
/// A package cib exported becomes one of our competency frameworks again; any
/// other becomes an external framework (frameworks/<id>.yaml) with the
/// package's codes, hierarchy and statements. The file written passes
/// `cib check`'s schema; what could not be carried over is reported.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib import case state-framework.json              # frameworks/<id>.yaml\n  cib import case pkg.json --id dese-amt --out frameworks/dese-amt.yaml\n  cib import csv cnc-mill.csv --force               # replace competencies/cnc-mill.yaml\n  cib import case pkg.json --check                  # only report problems"
)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(clap::Subcommand)]
enum Format {
    /// A CASE CFPackage (JSON).
    #[command(
        after_help = "Examples:\n  cib import case state-framework.json              # frameworks/<id>.yaml\n  cib import case pkg.json --id dese-amt --out frameworks/dese-amt.yaml\n  cib import case pkg.json --out -                  # print the YAML instead\n  cib import case pkg.json --check                  # only report problems"
    )]
    Case(Common),
    /// A CSV framework table.
    #[command(
        after_help = "Examples:\n  cib import csv cnc-mill.csv --force               # replace competencies/cnc-mill.yaml\n  cib import csv table.csv --id shop-math --out frameworks/shop-math.yaml\n  cib import csv table.csv --check                  # only report problems"
    )]
    Csv(Common),
}

#[derive(clap::Args)]
struct Common {
    /// The file to import.
    file: PathBuf,

    #[command(flatten)]
    findings: findings::Args,

    /// The framework id (used in alignment targets) [default: the package's, or
    /// one made from its title].
    #[arg(long, value_name = "ID")]
    id: Option<String>,

    /// Where to write the framework file; `-` for standard output [default:
    /// frameworks/<id>.yaml, or competencies/<id>.yaml for one of ours].
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,

    /// Only read and check the file; write nothing.
    #[arg(long)]
    check: bool,
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let (common, csv) = match &args.format {
        Format::Case(c) => (c, false),
        Format::Csv(c) => (c, true),
    };
    let display = common.file.display().to_string();
    let loaded = cib::load::framework_file(&common.file, &display)?;
    let is_case = loaded
        .documents
        .iter()
        .any(|d| matches!(d.kind, Kind::Case));
    let is_csv = display.to_ascii_lowercase().ends_with(".csv");
    if !csv && !is_case && loaded.diagnostics.is_empty() {
        bail!("`{display}` is not a CASE package: it has no `CFDocument`");
    }
    if csv && !is_csv {
        bail!("`{display}` is not a CSV table: its name does not end in .csv");
    }
    let mut checked = cib::check_framework_file(loaded)?;
    // Frameworks the curriculum already has, to name the ones an imported
    // competency framework aligns to but that are missing; a folder cib cannot
    // read as a curriculum has none.
    let known: Vec<cib::model::FrameworkId> = cib::check(root)
        .map(|c| {
            c.curriculum
                .frameworks
                .into_iter()
                .map(|f| f.id.value)
                .collect()
        })
        .unwrap_or_default();
    checked
        .diagnostics
        .extend(cib::exchange::missing_frameworks(
            &checked.curriculum,
            &known,
        ));
    let tally = findings::print(&common.findings, &checked)?;
    if let Some(kept) = &checked.tally {
        eprintln!("{}", kept.summary());
    }
    if checked.has_errors() {
        eprintln!("error: nothing imported; fix the errors above first");
        return Ok(ExitCode::from(1));
    }
    if common.check {
        return Ok(ExitCode::SUCCESS);
    }
    let c = &checked.curriculum;
    let (mut value, folder, schema) = if let Some(f) = c.frameworks.first() {
        (
            cib::exchange::framework_value(f),
            "frameworks",
            "framework.schema.json",
        )
    } else if let Some(f) = c.competency_frameworks.first() {
        (
            cib::exchange::competency_framework_value(f),
            "competencies",
            "competency-framework.schema.json",
        )
    } else {
        bail!("`{display}` holds no framework");
    };
    if let Some(id) = &common.id {
        value.insert("id".into(), serde_json::json!(id));
    }
    let id = value["id"].as_str().unwrap_or_default().to_owned();
    let out = common
        .out
        .clone()
        .unwrap_or_else(|| root.join(folder).join(format!("{id}.yaml")));
    let to_stdout = out == Path::new("-");
    let text = cib::exchange::yaml_file(&value, &format!("../schemas/{schema}"));
    // What is written must check clean; anything else is a bug in cib.
    let again = cib::check_framework_file(cib::load::framework_bytes(
        &out.display().to_string(),
        text.clone().into_bytes(),
    ))?;
    if again.has_errors() {
        findings::print(&common.findings, &again)?;
        bail!(
            "internal error: the imported framework does not pass its schema; please report this"
        );
    }
    if to_stdout {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    if out.exists() && !common.force {
        bail!(
            "`{}` exists; pass --force to replace it, or --out to write elsewhere",
            out.display()
        );
    }
    cib::build::replace_file(&out, text.as_bytes())
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    let count = c
        .frameworks
        .first()
        .map(|f| f.items.len())
        .or_else(|| {
            c.competency_frameworks
                .first()
                .map(|f| f.competencies.len())
        })
        .unwrap_or(0);
    eprintln!(
        "wrote {} ({count} {}, {} warning{})",
        out.display(),
        if folder == "frameworks" {
            "items"
        } else {
            "competencies"
        },
        tally.warnings,
        if tally.warnings == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}
