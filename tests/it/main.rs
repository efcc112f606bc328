//! Integration tests: they drive the real `cib` binary on fixture curricula.
//!
//! One test binary (modules below) keeps link time and CI time down.

mod assessments;
mod audit;
mod bounds;
mod build;
mod case_real;
mod cli;
mod codes;
mod coverage;
mod curriculum;
mod delivery;
mod diff;
mod exchange;
mod formulas;
mod generate;
mod hostile;
mod init;
mod lms;
mod lsp;
mod other_trades;
mod print;
mod render;
mod schemas;
mod serve;
mod shop;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// Replaces the first `from` in `file` under `root` with `to`; `from` must be there.
pub fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `cib check --format short --deny warnings`: its exit code and findings.
pub fn short_check(root: &Path) -> (i32, String) {
    let out = run(root, &["check", "--format", "short", "--deny", "warnings"]);
    (out.status.code().unwrap(), stdout(&out))
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A temporary curriculum: a copy of `tests/fixtures/base`, with `overlay` (a folder
/// under `tests/fixtures/codes`, if given) copied over it.
pub fn curriculum(overlay: Option<&str>) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixtures().join("base"), dir.path());
    if let Some(name) = overlay {
        copy_tree(&fixtures().join("codes").join(name), dir.path());
    }
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("under from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`: its path relative to `dir`, and its bytes.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            (path, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The binary under test: the one cargo built with these tests, or the one
/// `CIB_BIN` names, so .ci/run can run the same tests against the packed
/// release binary (scripts/package-release.py).
pub fn binary() -> PathBuf {
    std::env::var_os("CIB_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cib")), PathBuf::from)
}

/// `cib` run in `dir` (so printed paths are relative), without colour settings
/// leaking in from the environment.
pub fn cib(dir: &Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    cib(dir).args(args).output().expect("run cib")
}

/// Asserts that `cib check --deny warnings` in `dir` finds nothing at all.
pub fn assert_clean(dir: &Path) {
    let out = run(dir, &["check", "--deny", "warnings"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("no problems found"),
        "{}",
        stderr(&out)
    );
}

/// Asserts that `cib check` in `dir` finds the template text `cib init` and
/// `cib new` left (C025) and nothing else, then writes text of the author's
/// own in its place (every file under `dir`) and asserts the curriculum is
/// clean. Returns how many placeholders there were.
pub fn replace_placeholders(dir: &Path) -> usize {
    let (report, _) = check_json(dir, &[]);
    let found = report["diagnostics"].as_array().unwrap();
    assert!(
        found.iter().all(|d| d["code"] == "C025"),
        "only placeholders: {report:#}"
    );
    for file in files(dir).keys() {
        let path = dir.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let own = text
            .replace("Replace with ", "Our own text, ")
            .replace("Replace this with ", "Our own text instead of ");
        if own != text {
            std::fs::write(&path, own).unwrap();
        }
    }
    assert_clean(dir);
    found.len()
}

/// `cib check --format json` in `dir`: the parsed report and the exit status.
pub fn check_json(dir: &Path, extra: &[&str]) -> (Value, i32) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (report, out.status.code().expect("exit code"))
}

/// The first diagnostic with `code`, as (file, Some((line, column))) for the checks.
pub fn located(report: &Value, code: &str) -> Option<(String, Option<(u64, u64)>)> {
    let d = report["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == code)?;
    let file = d["file"].as_str()?.to_owned();
    let pos = d["range"]
        .get("start")
        .map(|s| (s["line"].as_u64().unwrap(), s["column"].as_u64().unwrap()));
    Some((file, pos))
}

pub fn codes_in(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

/// A PNG's signature and header, `width` × `height` RGBA: all that `cib check`
/// reads of an image.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

pub fn codes_base() -> &'static str {
    include_str!("../fixtures/base/competencies/comp.yaml")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
