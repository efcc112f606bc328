use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use cib::analyze::coverage::{Status, coverage};
use cib::diag::Severity;
use cib::publish::coverage as report;
use serde_json::Value;

use super::findings;

/// Report how far the curriculum covers every external framework.
///
/// For each item: the competencies aligned to it, the lessons that teach and
/// assess them, the assessments that demonstrate them, planned hours and a status
/// (demonstrated, assessed, taught, aligned, gap).
///
/// Writes reports/coverage.html, .pdf, .json and .csv in the output folder and
/// prints a summary. Exit status: 0 when every threshold in curriculum.yaml
/// (and --fail-under) is met, 1 when one is not or the check finds errors, 2
/// when cib could not run.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib coverage\n  cib coverage --fail-under 80      # every framework at least 80 % taught\n  cib coverage --baseline old/build/reports/coverage.json   # what changed since\n  cib coverage --baseline ../curriculum-2025                 # an older checkout"
)]
pub struct Args {
    #[command(flatten)]
    findings: findings::Args,

    /// The output folder; reports go to its reports/ [default: build/ under the
    /// curriculum root].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Fail unless every framework has at least this percentage of its items
    /// taught or assessed.
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    fail_under: Option<f64>,

    /// Compare with an earlier version: its coverage.json, or the root folder of
    /// an older checkout. Every report then lists what changed.
    #[arg(long, value_name = "FILE|DIR")]
    baseline: Option<PathBuf>,
}

/// The largest coverage.json cib reads as a baseline.
const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

/// An earlier coverage report: read from a coverage.json, or computed from an
/// older checkout (which must check clean).
fn baseline(path: &Path) -> anyhow::Result<Value> {
    if path.is_dir() {
        let checked = cib::check(path)
            .with_context(|| format!("cannot read the baseline `{}`", path.display()))?;
        let errors = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors > 0 {
            bail!(
                "the baseline `{}` has {errors} error{}; run `cib --root {} check` to see them",
                path.display(),
                if errors == 1 { "" } else { "s" },
                path.display()
            );
        }
        let c = &checked.curriculum;
        let cov = coverage(c);
        let provenance = cib::load::provenance(path, &checked.sources);
        return Ok(report::json(c, &cov, &cov.thresholds(c), &provenance));
    }
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read the baseline `{}`", path.display()))?
        .len();
    if size > MAX_BASELINE_BYTES {
        bail!(
            "the baseline `{}` is {size} bytes; a coverage.json is far smaller (limit 64 MiB)",
            path.display()
        );
    }
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the baseline `{}`", path.display()))?;
    let value: Value = serde_json::from_slice(&bytes).with_context(|| {
        format!(
            "the baseline `{}` is not valid JSON; give a coverage.json written by cib, or an older checkout's folder",
            path.display()
        )
    })?;
    let known = value["coverage_version"]
        .as_u64()
        .is_some_and(|v| (1..=report::VERSION).contains(&v));
    if !known || !value["frameworks"].is_array() {
        bail!(
            "the baseline `{}` is not a cib coverage.json (versions 1 to {}); give one written by `cib coverage`, or an older checkout's folder",
            path.display(),
            report::VERSION
        );
    }
    Ok(value)
}

fn percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}

pub fn run(root: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let checked = cib::check(root)?;
    if checked.has_errors() {
        findings::print(&args.findings, &checked)?;
        return Ok(ExitCode::from(1));
    }
    let old = args.baseline.as_deref().map(baseline).transpose()?;
    let c = &checked.curriculum;
    let cov = coverage(c);
    let thresholds = cov.thresholds(c);
    let out = args.out.clone().unwrap_or_else(|| root.join("build"));
    let provenance = cib::load::provenance(root, &checked.sources);
    let full = report::report(c, &cov, &thresholds, &provenance, old.as_ref());
    let mut files = report::files(c, &full);
    let document = cib::render::coverage(c, &full, &report::described_changes(&full));
    let pdf = cib::render::Renderer::default()
        .pdf(root, &document)
        .map_err(|e| anyhow::anyhow!("internal error: cannot typeset coverage.pdf: {e}"))?;
    files.push(("reports/coverage.pdf".into(), pdf.pdf));
    cib::build::write_files(&out, &files)?;

    let mut failed = thresholds.iter().any(|t| !t.met);
    let under: Vec<(&str, f64)> = match args.fail_under {
        Some(min) => cov
            .frameworks
            .iter()
            .map(|f| {
                (
                    f.framework.id.value.as_str(),
                    f.leaves().percent_at_least(Status::Taught),
                )
            })
            .filter(|(_, reached)| !cib::analyze::coverage::reaches(*reached, min))
            .collect(),
        None => Vec::new(),
    };
    failed |= !under.is_empty();
    let mut stdout = std::io::stdout().lock();
    if args.findings.github() {
        stdout.write_all(report::markdown(&full, args.fail_under, &under).as_bytes())?;
        return Ok(if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    writeln!(
        stdout,
        "{:<22} {:>6} {:>12} {:>9} {:>7} {:>8} {:>5} {:>8}  hours planned / required",
        "framework", "items", "demonstrated", "assessed", "taught", "aligned", "gap", "excepted",
    )?;
    for f in &cov.frameworks {
        let leaves = f.leaves();
        let share = |s: Status| format!("{:.0}%", leaves.percent(s));
        let hours = format!("{:.1}", f.minutes / 60.0);
        let required = match f.framework.required_hours() {
            None => "-".to_owned(),
            Some(h) if f.hours_met() == Some(true) => format!("{h} (met)"),
            Some(h) => format!(
                "{h} ({:.0}%, not met: {:.1} h short)",
                f.minutes / 60.0 * 100.0 / h,
                h - f.minutes / 60.0
            ),
        };
        writeln!(
            stdout,
            "{:<22} {:>6} {:>12} {:>9} {:>7} {:>8} {:>5} {:>8}  {hours} / {required}",
            f.framework.id.value.as_str(),
            leaves.total(),
            share(Status::Demonstrated),
            share(Status::Assessed),
            share(Status::Taught),
            share(Status::Aligned),
            share(Status::Gap),
            f.excepted,
        )?;
        if let (Some(min), Some((_, reached))) = (
            args.fail_under,
            under
                .iter()
                .find(|(id, _)| *id == f.framework.id.value.as_str()),
        ) {
            writeln!(
                stdout,
                "  below --fail-under: {reached:.1}% of items taught or assessed, {min}% required"
            )?;
        }
    }
    for f in full["frameworks"].as_array().into_iter().flatten() {
        if let Some(caveat) = f["caveat"].as_str() {
            writeln!(stdout, "  {}: {caveat}", f["id"].as_str().unwrap_or(""))?;
        }
    }
    let thresholds = full["thresholds"].as_array().cloned().unwrap_or_default();
    if !thresholds.is_empty() {
        writeln!(stdout, "\nthresholds (curriculum.yaml):")?;
    }
    for t in &thresholds {
        let scope = match t["item"].as_str() {
            Some(item) => format!("{} {item}", t["framework"].as_str().unwrap_or("")),
            None => t["framework"].as_str().unwrap_or("").to_owned(),
        };
        writeln!(
            stdout,
            "  {} {scope}: {}",
            if t["met"] == true {
                "met    "
            } else {
                "NOT MET"
            },
            t["text"].as_str().unwrap_or(""),
        )?;
    }
    let exceptions = full["exceptions"].as_array().map_or(0, Vec::len);
    if exceptions > 0 {
        writeln!(
            stdout,
            "\n{exceptions} exception{} (curriculum.yaml), left out of the percentages; the reports give their reasons",
            if exceptions == 1 { "" } else { "s" }
        )?;
    }
    if let Some(old) = &old {
        let changes = full["baseline"]["changes"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        writeln!(
            stdout,
            "\nchanges since version {} ({}): {}",
            old["curriculum"]["version"].as_str().unwrap_or("?"),
            old["curriculum"]["date"].as_str().unwrap_or("?"),
            if changes.is_empty() {
                "none".to_owned()
            } else {
                changes.len().to_string()
            }
        )?;
        const SHOWN: usize = 40;
        for change in changes.iter().take(SHOWN) {
            writeln!(stdout, "  {}", report::describe(change))?;
        }
        if changes.len() > SHOWN {
            writeln!(
                stdout,
                "  … and {} more, listed in coverage.json, .csv and .html",
                changes.len() - SHOWN
            )?;
        }
    }
    writeln!(
        stdout,
        "\nreports: {}",
        out.join("reports/coverage.{html,pdf,json,csv}").display()
    )?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
