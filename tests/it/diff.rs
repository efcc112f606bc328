//! `cib diff`: two versions of one framework file, from files or git revisions.
//!
//! `tests/fixtures/diff/{old,new}/` hold two versions of an external framework
//! and of a competency framework, written so every class of change occurs.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::{cib, fixtures, run, stderr, stdout};

fn dir() -> PathBuf {
    fixtures().join("diff")
}

fn diff(args: &[&str]) -> Output {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    run(&dir(), &all)
}

/// `cib diff OLD NEW --format json` on the fixtures: the report of a run that
/// compared them.
fn json_diff(old: &str, new: &str) -> Value {
    let out = diff(&[old, new, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    json_of(&out)
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// Asserts that cib could not run (exit 2, no report) and says `message`
/// first on stderr, after `error: `.
fn assert_error(out: &Output, message: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert_eq!(stdout(out), "");
    let said = stderr(out);
    assert!(said.starts_with(&format!("error: {message}")), "{said}");
}

/// `git` in `dir`, untouched by the machine's or user's git configuration.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// A git repository holding the old external framework in one commit, with
/// the new one over it in the working tree.
fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("temp dir");
    let path = repo.path();
    git(path, &["init", "-q"]);
    git(path, &["config", "user.name", "Fixture Author"]);
    git(path, &["config", "user.email", "author@example.org"]);
    git(path, &["config", "commit.gpgsign", "false"]);
    let old = std::fs::read(dir().join("old/framework.yaml")).unwrap();
    std::fs::write(path.join("framework.yaml"), old).unwrap();
    git(path, &["add", "framework.yaml"]);
    git(path, &["commit", "-q", "-m", "v1"]);
    std::fs::copy(
        dir().join("new/framework.yaml"),
        path.join("framework.yaml"),
    )
    .unwrap();
    repo
}

#[test]
fn the_human_report_shows_every_kind_of_change() {
    for (name, file) in [
        ("diff_human_framework", "framework.yaml"),
        ("diff_human_competencies", "competencies.yaml"),
    ] {
        let out = diff(&[&format!("old/{file}"), &format!("new/{file}")]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stderr(&out), "");
        insta::assert_snapshot!(name, stdout(&out));
    }
}

#[test]
fn the_json_report_counts_and_lists_every_change() {
    let report = json_diff("old/framework.yaml", "new/framework.yaml");
    assert_eq!(report["version"], 1);
    assert_eq!(report["kind"], "framework");
    assert_eq!(
        report["old"],
        json!({"file": "old/framework.yaml", "id": "shop-basics", "version": "2024", "entries": 8})
    );
    assert_eq!(report["new"]["version"], "2025");
    assert_eq!(report["new"]["entries"], 9);
    assert_eq!(
        report["counts"],
        json!({"added": 3, "removed": 2, "recoded": 1, "reworded": 1, "moved": 1, "revised": 1, "unchanged": 2, "suggested": 2})
    );
    assert_eq!(
        report["thresholds"],
        json!({"recoded": 0.8, "suggested": 0.5})
    );
    assert_eq!(report["similarity_skipped"], false);
    let changed = report["changed"].as_array().unwrap();
    let codes = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let flags = |c: &Value| {
        (
            c["recoded"] == true,
            c["reworded"] == true,
            c["moved"] == true,
        )
    };
    assert_eq!(changed.len(), 4);
    // Old document order: 1.A, 1.B, 1.C, then 2.A.
    assert_eq!(changed[0]["new"]["code"], "1.A");
    assert_eq!(flags(&changed[0]), (false, false, false));
    assert_eq!(
        changed[0]["revised"],
        json!([{"fact": "hours", "old": null, "new": "1.5"}])
    );
    assert_eq!(
        changed[0]["new"]["facts"],
        json!({"hours": "1.5", "status": "provisional"})
    );
    let changed = &changed[1..];
    assert_eq!(changed[0]["old"]["code"], "1.B");
    assert_eq!(flags(&changed[0]), (false, true, false));
    assert_eq!(
        changed[0]["old"]["text"],
        "Clear chips with a brush or chip hook once the spindle has stopped, never with bare hands or compressed air."
    );
    assert!(
        changed[0]["new"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Remove chips")
    );
    let s = changed[0]["similarity"].as_f64().unwrap();
    assert!(s > 0.0 && s < 0.8, "{s}");
    assert_eq!(changed[1]["new"]["code"], "1.C");
    assert_eq!(flags(&changed[1]), (false, false, true));
    assert_eq!(
        (&changed[1]["old"]["parent"], &changed[1]["new"]["parent"]),
        (&json!("1"), &json!("3"))
    );
    assert_eq!(flags(&changed[2]), (true, false, false));
    assert_eq!(
        (&changed[2]["old"]["code"], &changed[2]["new"]["code"]),
        (&json!("2.A"), &json!("2.1"))
    );
    assert_eq!(changed[2]["similarity"], 1.0);
    assert_eq!(codes(&report["removed"]), ["2.B", "2.C"]);
    assert_eq!(codes(&report["added"]), ["2.2", "3", "3.A"]);
    let suggested = &report["replaced_by"];
    assert_eq!(suggested.as_array().unwrap().len(), 2);
    assert_eq!(
        suggested[0],
        json!({"type": "replacedBy", "origin": "2.A", "destination": "2.1", "similarity": 1.0, "recoded": true})
    );
    assert_eq!(
        (
            &suggested[1]["origin"],
            &suggested[1]["destination"],
            &suggested[1]["recoded"]
        ),
        (&json!("2.B"), &json!("2.2"), &json!(false))
    );
    let s = suggested[1]["similarity"].as_f64().unwrap();
    assert!((0.5..0.8).contains(&s), "{s}");
}

#[test]
fn competencies_are_compared_by_id_with_their_area_as_parent() {
    let report = json_diff("old/competencies.yaml", "new/competencies.yaml");
    assert_eq!(report["kind"], "competency-framework");
    assert_eq!(
        report["counts"],
        json!({"added": 2, "removed": 2, "recoded": 1, "reworded": 2, "moved": 1, "revised": 0, "unchanged": 1, "suggested": 2})
    );
    let changed = report["changed"].as_array().unwrap();
    let recoded = changed.iter().find(|c| c["recoded"] == true).unwrap();
    assert_eq!(
        (&recoded["old"]["code"], &recoded["new"]["code"]),
        (&json!("LATHE-04"), &json!("LATHE-10"))
    );
    assert_eq!(recoded["reworded"], true, "both re-coded and reworded");
    let moved = changed.iter().find(|c| c["moved"] == true).unwrap();
    assert_eq!(
        (
            &moved["new"]["code"],
            &moved["old"]["parent"],
            &moved["new"]["parent"]
        ),
        (&json!("LATHE-03"), &json!("Turning"), &json!("Holemaking"))
    );
    let suggested: Vec<(&str, &str)> = report["replaced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["origin"].as_str().unwrap(),
                s["destination"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        suggested,
        [("LATHE-04", "LATHE-10"), ("LATHE-06", "LATHE-11")]
    );
}

#[test]
fn the_markdown_report_is_a_pull_request_comment() {
    let out = diff(&[
        "old/framework.yaml",
        "new/framework.yaml",
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("diff_markdown_framework", stdout(&out));
}

#[test]
fn a_git_revision_is_compared_with_the_working_tree() {
    let repo = repository();
    let out = run(
        repo.path(),
        &["diff", "HEAD:framework.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json_of(&out);
    assert_eq!(report["old"]["file"], "HEAD:framework.yaml");
    assert_eq!(report["old"]["version"], "2024");
    assert_eq!(report["new"]["file"], "framework.yaml");
    assert_eq!(report["new"]["version"], "2025");
    let from_files = json_diff("old/framework.yaml", "new/framework.yaml");
    assert_eq!(report["counts"], from_files["counts"]);
    assert_eq!(report["changed"], from_files["changed"]);
    // Both sides from git: the same revision twice is no change.
    let out = run(
        repo.path(),
        &[
            "diff",
            "HEAD:framework.yaml",
            "HEAD:framework.yaml",
            "--exit-code",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "0 added, 0 removed, 0 re-coded, 0 reworded, 0 moved, 0 revised, 8 unchanged"
        )
    );
}

#[test]
fn exit_code_gives_1_on_differences_and_0_on_identical_files() {
    let changed = diff(&["old/framework.yaml", "new/framework.yaml", "--exit-code"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    assert!(stdout(&changed).contains("3 added, 2 removed"));
    let same = diff(&["new/framework.yaml", "new/framework.yaml", "--exit-code"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let without = diff(&["old/framework.yaml", "new/framework.yaml"]);
    assert_eq!(without.status.code(), Some(0));
}

#[test]
fn a_missing_file_is_exit_2_and_named() {
    let out = diff(&["old/framework.yaml", "new/nothing-here.yaml"]);
    assert_error(&out, "cannot read `new/nothing-here.yaml`");
}

#[test]
fn a_side_with_a_schema_error_prints_its_diagnostics_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(dir().join("new/framework.yaml")).unwrap();
    let broken = text.replacen("    status: provisional\n", "    status: unsure\n", 1);
    assert_ne!(broken, text);
    std::fs::write(tmp.path().join("broken.yaml"), broken).unwrap();
    std::fs::copy(
        dir().join("old/framework.yaml"),
        tmp.path().join("old.yaml"),
    )
    .unwrap();
    let out = run(tmp.path(), &["diff", "old.yaml", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("error[S001]"), "{printed}");
    assert!(printed.contains("┌─ broken.yaml:10:13"), "{printed}");
    assert!(!printed.contains("added"), "no comparison: {printed}");
    assert_eq!(stderr(&out), "checked 1 file: 1 error, 0 warnings\n");
    let json = run(
        tmp.path(),
        &["diff", "old.yaml", "broken.yaml", "--format", "json"],
    );
    assert_eq!(json.status.code(), Some(1));
    let report = json_of(&json);
    assert_eq!(report["diagnostics"][0]["code"], "S001");
    assert_eq!(report["diagnostics"][0]["file"], "broken.yaml");
    assert_eq!(report["diagnostics"][0]["range"]["start"]["line"], 10);
}

#[test]
fn different_kinds_are_an_error_naming_both_files() {
    let out = diff(&["old/framework.yaml", "new/competencies.yaml"]);
    assert_error(&out, "cannot compare");
    assert_eq!(
        stderr(&out),
        "error: cannot compare `old/framework.yaml` (external framework) with `new/competencies.yaml` (competency framework): give two versions of the same framework\n"
    );
}

#[test]
fn different_framework_ids_are_a_warning_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(dir().join("new/framework.yaml")).unwrap();
    std::fs::write(
        tmp.path().join("other.yaml"),
        text.replace("id: shop-basics", "id: shop-other"),
    )
    .unwrap();
    std::fs::copy(
        dir().join("new/framework.yaml"),
        tmp.path().join("new.yaml"),
    )
    .unwrap();
    let out = run(
        tmp.path(),
        &["diff", "new.yaml", "other.yaml", "--exit-code"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "warning: `new.yaml` holds framework `shop-basics` but `other.yaml` holds `shop-other`; comparing them anyway\n"
    );
    assert!(
        stdout(&out).contains("`shop-basics → shop-other`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_unknown_git_revision_or_path_is_exit_2_with_a_clear_message() {
    let repo = repository();
    let out = run(repo.path(), &["diff", "no-such-rev:framework.yaml"]);
    assert_error(
        &out,
        "cannot read `no-such-rev:framework.yaml` from git: invalid object name 'no-such-rev'",
    );
    let out = run(repo.path(), &["diff", "HEAD:absent.yaml", "framework.yaml"]);
    assert_error(
        &out,
        "cannot read `HEAD:absent.yaml` from git: path 'absent.yaml' does not exist in 'HEAD'",
    );
}

#[test]
fn a_path_from_a_subfolder_gets_a_hint_that_works() {
    let repo = repository();
    let sub = repo.path().join("frameworks");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(repo.path().join("framework.yaml"), sub.join("ours.yaml")).unwrap();
    git(repo.path(), &["add", "frameworks/ours.yaml"]);
    git(repo.path(), &["commit", "-q", "-m", "subfolder"]);
    let out = run(&sub, &["diff", "HEAD:ours.yaml", "ours.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("hint: git reads `REV:PATH` from the repository's top folder; for a path from the current folder write `HEAD:./ours.yaml`"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &sub,
        &["diff", "HEAD:./ours.yaml", "ours.yaml", "--exit-code"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn reading_a_revision_without_git_is_a_clear_error() {
    let repo = repository();
    let out = cib(repo.path())
        .env("PATH", repo.path())
        .args(["diff", "HEAD:framework.yaml"])
        .output()
        .unwrap();
    assert_error(&out, "cannot read `HEAD:framework.yaml`: git");
    assert_eq!(
        stderr(&out),
        "error: cannot read `HEAD:framework.yaml`: git is not installed or not on PATH\n"
    );
}

#[test]
fn without_new_the_old_side_must_be_a_revision() {
    let out = diff(&["old/framework.yaml"]);
    assert_error(
        &out,
        "give the newer version too (`cib diff old/framework.yaml NEW`)",
    );
}

#[test]
fn a_framework_compares_with_its_case_package_and_csv_table() {
    let tmp = crate::curriculum(None);
    let root = tmp.path();
    let out = run(root, &["export", "case", "--framework", "comp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(root, &["export", "csv", "--framework", "comp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for exported in ["build/case/comp.json", "build/csv/comp.csv"] {
        let out = run(
            root,
            &["diff", exported, "competencies/comp.yaml", "--exit-code"],
        );
        assert_eq!(out.status.code(), Some(0), "{exported}: {}", stdout(&out));
    }
    let file = root.join("competencies/comp.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(
            "Do the second thing to standard.",
            "Do the second task to the standard.",
        ),
    )
    .unwrap();
    let out = run(
        root,
        &[
            "diff",
            "build/case/comp.json",
            "competencies/comp.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["counts"]["reworded"], 1, "{report:#}");
    assert_eq!(report["changed"][0]["new"]["code"], "C-TWO", "{report:#}");
    assert_eq!(report["changed"][0]["reworded"], true, "{report:#}");
}

/// Each fact an auditor compares, changed alone, is reported as a revision
/// in words and makes `--exit-code` exit 1.
#[test]
fn a_change_of_status_relation_hours_level_or_criteria_is_a_revision() {
    let competencies = "id: k\ntitle: K\nversion: \"1\"\nlicense: CC0-1.0\ncompetencies:\n  - id: K-01\n    title: Facing\n    statement: Face the end of round stock square to its axis.\n    level: basic\n    hours: 2\n    criteria: [Square within 0.002 in]\n    alignments:\n      - target: ext:A\n        relation: isRelatedTo\n";
    let framework = std::fs::read_to_string(dir().join("old/framework.yaml")).unwrap();
    let cases = [
        (
            "k.yaml",
            competencies,
            "relation: isRelatedTo",
            "relation: exactMatchOf",
            "alignment to ext:A: isRelatedTo → exactMatchOf",
        ),
        (
            "k.yaml",
            competencies,
            "hours: 2",
            "hours: 2.5",
            "hours: 2 → 2.5",
        ),
        (
            "k.yaml",
            competencies,
            "level: basic",
            "level: essential",
            "level: basic → essential",
        ),
        (
            "k.yaml",
            competencies,
            "within 0.002 in",
            "within 0.001 in",
            "criteria: Square within 0.002 in → Square within 0.001 in",
        ),
        (
            "f.yaml",
            framework.as_str(),
            "    status: provisional\n    verify_against: Nothing; this framework exists only to test cib diff\n    items:",
            "    status: verified\n    source: The owner's published framework, page 3\n    items:",
            "status: provisional → verified",
        ),
    ];
    for (name, text, from, to, words) in cases {
        let temp = tempfile::tempdir().unwrap();
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text, "{from}");
        std::fs::write(temp.path().join(format!("old-{name}")), text).unwrap();
        std::fs::write(temp.path().join(format!("new-{name}")), &changed).unwrap();
        let (old, new) = (format!("old-{name}"), format!("new-{name}"));
        let out = run(temp.path(), &["diff", &old, &new, "--exit-code"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{words}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let report = stdout(&out);
        assert!(
            report.contains(&format!("    {words}\n")),
            "{words}: {report}"
        );
        assert!(report.contains(", 1 revised,"), "{report}");
    }
}
