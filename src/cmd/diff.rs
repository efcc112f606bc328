use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, bail};
use cib::Checked;
use cib::analyze::diff::{self, Snapshot};
use cib::diag::render;
use cib::load::{self, MAX_EXCHANGE_BYTES};
use clap::ValueEnum;

use super::findings;

/// Compare two versions of a framework: what was added, removed, changed or moved.
///
/// Either version may be an external or competency framework file, a CASE
/// package or a CSV table. Entries are added, removed, re-coded, reworded,
/// moved or revised (status, alignment relations, hours, level, criteria); the
/// comparison also gives the CASE replacedBy associations that would record
/// them.
///
/// Each side is a file, or REV:PATH for PATH as it is in git revision REV
/// (read with `git show`, so git's path rules apply). Exit status: 0 when the
/// two versions were compared, whatever changed (with --exit-code, 1 when they
/// differ); 1 when a side has errors; 2 when cib could not run.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  cib diff HEAD~1:competencies/cnc-mill.yaml      # the last commit against the working tree\n  cib diff v2025:frameworks/dese-vmach.yaml HEAD:frameworks/dese-vmach.yaml\n  cib diff old/osha-10-gi.yaml frameworks/osha-10-gi.yaml --format json\n  cib diff origin/main:competencies/osha-10.yaml --format markdown > comment.md\n\nEntries whose code is on one side only are re-coded when their texts are at least 0.8\nsimilar (Sørensen–Dice of character trigrams); a removed entry gets a replacedBy\nsuggestion from 0.5. The JSON format is described in docs/diff-json.md."
)]
pub struct Args {
    /// The older version: a file, or REV:PATH.
    old: String,

    /// The newer version: a file, or REV:PATH [default: PATH in the working
    /// tree, when OLD is REV:PATH].
    new: Option<String>,

    /// How to print the comparison.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Exit with status 1 when the versions differ, as `git diff --exit-code`
    /// does.
    #[arg(long)]
    exit_code: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Counts, then a section per kind of change.
    Human,
    /// A JSON document (see docs/diff-json.md).
    Json,
    /// Tables for a pull-request comment.
    Markdown,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let new = match &args.new {
        Some(new) => new.clone(),
        None => working_copy(&args.old)?,
    };
    let (old, new) = (checked(&args.old)?, checked(&new)?);
    let format = match args.format {
        Format::Human => render::Format::Human,
        Format::Json => render::Format::Json,
        Format::Markdown => render::Format::Short,
    };
    let mut failed = false;
    for (_, side) in [&old, &new].into_iter().filter(|(_, c)| c.has_errors()) {
        findings::print_as(format, findings::auto_color(), side)?;
        failed = true;
    }
    if failed {
        return Ok(ExitCode::from(1));
    }
    let snapshot = |(name, side): &(&str, Checked)| {
        Snapshot::of_checked(name, &side.curriculum).with_context(|| {
            format!(
                "internal error: `{name}` checks clean but holds no framework; please report this"
            )
        })
    };
    let diff = diff::compare(snapshot(&old)?, snapshot(&new)?)?;
    if diff.old.id != diff.new.id {
        writeln!(
            std::io::stderr(),
            "warning: `{}` holds framework `{}` but `{}` holds `{}`; comparing them anyway",
            diff.old.file,
            diff.old.id,
            diff.new.file,
            diff.new.id
        )?;
    }
    let text = match args.format {
        Format::Human => diff::human(&diff),
        Format::Json => format!("{:#}\n", diff::json(&diff)),
        Format::Markdown => diff::markdown(&diff),
    };
    super::quiet_on_broken_pipe(std::io::stdout().lock().write_all(text.as_bytes()))?;
    Ok(if args.exit_code && diff.differs() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// NEW when only OLD is given: the working tree's copy of OLD's PATH.
fn working_copy(old: &str) -> anyhow::Result<String> {
    match old.split_once(':') {
        Some((_, path)) if !is_file(old) && !path.is_empty() => Ok(path.to_owned()),
        _ => bail!(
            "give the newer version too (`cib diff {old} NEW`), or write the older one as REV:PATH to compare it with PATH in the working tree"
        ),
    }
}

/// A name that exists on disk is a file even if it holds a colon.
fn is_file(name: &str) -> bool {
    Path::new(name).exists()
}

/// One side, read and checked; a CASE package is read into the framework it
/// describes, so a framework compares with a package (its own export, or a
/// publisher's new edition).
fn checked(name: &str) -> anyhow::Result<(&str, Checked)> {
    Ok((name, cib::check_framework_file(read(name)?)?))
}

/// One side: a file, or `REV:PATH` read from git.
fn read(name: &str) -> anyhow::Result<load::Loaded> {
    if is_file(name) || !name.contains(':') {
        return load::framework_file(Path::new(name), name);
    }
    Ok(load::framework_bytes(name, git_show(name)?))
}

/// The bytes of `REV:PATH`, as `git show` prints them in the current folder,
/// read no further than the limit for one file.
fn git_show(spec: &str) -> anyhow::Result<Vec<u8>> {
    let mut child = Command::new("git")
        .args(["show", "--no-textconv", "--end-of-options", spec])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                anyhow::anyhow!("cannot read `{spec}`: git is not installed or not on PATH")
            } else {
                anyhow::anyhow!("cannot read `{spec}`: cannot run git: {e}")
            }
        })?;
    let mut bytes = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        stdout
            .take(MAX_EXCHANGE_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read `{spec}` from git"))?;
    }
    if bytes.len() as u64 > MAX_EXCHANGE_BYTES {
        // Stopping git early is the point; how it ends does not matter.
        let _ = child.kill();
        let _ = child.wait();
        bail!(
            "`{spec}` is larger than the {} MiB limit for a file to compare",
            MAX_EXCHANGE_BYTES >> 20
        );
    }
    let output = child
        .wait_with_output()
        .with_context(|| format!("cannot read `{spec}` from git"))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said.trim().trim_start_matches("fatal: ");
        if said.is_empty() {
            bail!("cannot read `{spec}` from git: git {}", output.status);
        }
        let path = spec.split_once(':').map_or("", |(_, path)| path);
        if (said.contains("does not exist") || said.contains("exists, but not"))
            && !path.starts_with("./")
        {
            // Git reads REV:PATH from the repository's top folder, whatever
            // folder cib runs in; older gits say nothing of it.
            let (rev, _) = spec.split_once(':').unwrap_or((spec, ""));
            bail!(
                "cannot read `{spec}` from git: {said}\nhint: git reads `REV:PATH` from the repository's top folder; for a path from the current folder write `{rev}:./{path}`"
            );
        }
        bail!("cannot read `{spec}` from git: {said}");
    }
    Ok(bytes)
}
