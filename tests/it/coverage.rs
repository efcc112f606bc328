//! `cib coverage` on fixture curricula: statuses, hours, thresholds, and the
//! JSON and CSV reports agreeing row by row.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{curriculum, run, stderr, stdout};

/// A third objective under topic A that nothing is aligned to.
fn add_gap(root: &Path) {
    let path = root.join("frameworks/ext.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let gap = "        source: Test document, page 2\n      - code: A.2\n        title: Objective A.2\n        status: verified\n        source: Test document, page 3\n";
    fs::write(
        &path,
        text.replace("        source: Test document, page 2\n", gap),
    )
    .unwrap();
}

fn coverage(root: &Path, extra: &[&str]) -> (i32, Value, Vec<Vec<String>>) {
    let mut args = vec!["coverage"];
    args.extend_from_slice(extra);
    let out = run(root, &args);
    let code = out.status.code().unwrap();
    let reports = root.join("build/reports");
    let json: Value = serde_json::from_slice(
        &fs::read(reports.join("coverage.json"))
            .unwrap_or_else(|e| panic!("no coverage.json ({e}): {}{}", stdout(&out), stderr(&out))),
    )
    .unwrap();
    let csv = fs::read_to_string(reports.join("coverage.csv")).unwrap();
    (code, json, parse_csv(&csv))
}

/// Enough of RFC 4180 for our own output: quoted fields with doubled quotes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte-order mark");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// An item of a coverage.json value.
pub(crate) fn item<'a>(json: &'a Value, framework: &str, code: &str) -> &'a Value {
    json["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == framework)
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()
}

fn status_of(json: &Value, framework: &str, code: &str) -> String {
    item(json, framework, code)["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_gap_shows_as_a_gap_and_a_threshold_below_target_exits_1() {
    let dir = curriculum(None);
    let (code, json, _) = coverage(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(status_of(&json, "ext", "A"), "assessed");

    add_gap(dir.path());
    let out = run(dir.path(), &["coverage"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "NOT MET ext A: at least 100 % of 2 leaf items taught or better: 50 % reached"
        ),
        "{}",
        stdout(&out)
    );
    let (_, json, _) = coverage(dir.path(), &[]);
    assert_eq!(status_of(&json, "ext", "A.2"), "gap");
    assert_eq!(status_of(&json, "ext", "A"), "gap");
    assert_eq!(json["thresholds"][0]["met"], false);
    // A.2, and B, which a competency is only related to.
    assert_eq!(json["frameworks"][0]["leaves"]["gap"], 2);
}

#[test]
fn fail_under_applies_to_every_framework() {
    let dir = curriculum(None);
    add_gap(dir.path());
    // Leaves: A.1 assessed, A.2 gap, B gap (only related) → 33.3 % taught or better.
    let out = run(dir.path(), &["coverage", "--fail-under", "30"]);
    assert!(
        !stdout(&out).contains("below --fail-under"),
        "{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["coverage", "--fail-under", "70"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("below --fail-under: 33.3%"),
        "{}",
        stdout(&out)
    );
    let bad = run(dir.path(), &["coverage", "--fail-under", "120"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a percentage from 0 to 100"));
}

#[test]
fn removing_one_alignment_changes_exactly_the_expected_rows() {
    let dir = curriculum(None);
    let (_, _, before) = coverage(dir.path(), &[]);
    let path = dir.path().join("competencies/comp.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "    alignments:\n      - target: ext:B\n        relation: isRelatedTo\n",
            "",
        ),
    )
    .unwrap();
    let (_, json, after) = coverage(dir.path(), &[]);
    assert_eq!(before.len(), after.len());
    let changed: Vec<(&str, &str)> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(_, b)| (b[0].as_str(), b[1].as_str()))
        .collect();
    assert_eq!(changed, [("ext", "B")]);
    assert_eq!(status_of(&json, "ext", "B"), "gap");
    // Only C-ONE's 22.5 minutes reach the framework, before and after.
    assert_eq!(json["frameworks"][0]["planned_hours"], 0.4);
}

#[test]
fn hours_add_up_and_csv_agrees_with_json_row_by_row() {
    let dir = curriculum(None);
    let (_, json, rows) = coverage(dir.path(), &[]);
    let header = &rows[0];
    assert_eq!(header[..3], ["framework", "code", "title"]);
    let items: Vec<(&Value, &Value)> = json["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["items"].as_array().unwrap().iter().map(move |i| (f, i)))
        .collect();
    assert_eq!(rows.len() - 1, items.len());
    for (row, (f, item)) in rows[1..].iter().zip(&items) {
        let col = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
        assert_eq!(col("framework"), f["id"].as_str().unwrap());
        assert_eq!(col("code"), item["code"].as_str().unwrap());
        assert_eq!(col("status"), item["status"].as_str().unwrap());
        assert_eq!(col("planned_hours"), &item["planned_hours"].to_string());
        let lessons: Vec<&str> = item["teaching"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(col("teaching_lessons"), &lessons.join("; "));
    }
    // One 45-minute lesson: 0.375 h to A.1 (and so A); C-TWO is only related
    // to B, so its 0.375 h reach no item. Hours print to one decimal.
    let ext = &json["frameworks"][0];
    assert_eq!(ext["planned_hours"], 0.4);
    let top: f64 = ext["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["parent"].is_null())
        .map(|i| i["planned_hours"].as_f64().unwrap())
        .sum();
    assert!((top - 0.4).abs() < 0.011, "{top}");
}

#[test]
fn check_errors_stop_the_report_and_a_foreign_folder_is_not_written() {
    let dir = curriculum(None);
    fs::write(dir.path().join("lessons/one.md"), "no front matter\n").unwrap();
    let out = run(dir.path(), &["coverage", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error[P010]"), "{}", stdout(&out));
    assert!(!dir.path().join("build").exists());

    let dir = curriculum(None);
    fs::create_dir(dir.path().join("mine")).unwrap();
    fs::write(dir.path().join("mine/keep.txt"), "x").unwrap();
    let out = run(dir.path(), &["coverage", "--out", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("mine/reports").exists());
}

#[test]
fn the_html_report_is_self_contained_and_shows_every_item_with_a_text_status() {
    let dir = curriculum(None);
    add_gap(dir.path());
    let (_, json, _) = coverage(dir.path(), &[]);
    let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
    for item in json["frameworks"][0]["items"].as_array().unwrap() {
        let status = item["status"].as_str().unwrap();
        assert!(
            html.contains(&format!("data-status=\"{status}\"")),
            "{status}"
        );
        assert!(html.contains(&format!("<span class=\"badge {status}\">{status}</span>")));
    }
    assert!(
        html.contains("id=\"item-ext-A_2e2\""),
        "the gap item has an anchor"
    );
    assert!(
        html.contains("href=\"#k-C-ONE\""),
        "items link to competencies"
    );
    assert!(
        html.contains("href=\"#item-ext-A_2e1\""),
        "competencies link back"
    );
    assert!(
        html.contains("href=\"#l-lesson-one\""),
        "items link to lessons"
    );
    assert!(html.contains("<span class=\"unmet\">Not met</span>"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(!html.contains("-0.0"));
    let pdf = fs::read(dir.path().join("build/reports/coverage.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "coverage.pdf is written too");
}

fn remove_b_alignment(root: &Path) {
    let path = root.join("competencies/comp.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let cut = "    alignments:\n      - target: ext:B\n        relation: isRelatedTo\n";
    assert!(text.contains(cut));
    fs::write(&path, text.replace(cut, "")).unwrap();
}

#[test]
fn the_baseline_comparison_lists_exactly_the_changes_made() {
    let old = curriculum(None);
    let (_, _, _) = coverage(old.path(), &[]);
    let saved = old.path().join("baseline.json");
    fs::copy(old.path().join("build/reports/coverage.json"), &saved).unwrap();

    let dir = curriculum(None);
    add_gap(dir.path());
    remove_b_alignment(dir.path());
    let expected = serde_json::json!([
        {"framework": "ext", "code": "A", "kind": "status", "from": "assessed", "to": "gap"},
        {"framework": "ext", "code": "A.2", "kind": "item-added"},
        {"framework": "ext", "code": "B", "kind": "alignment-removed", "competency": "C-TWO", "relation": "isRelatedTo"},
    ]);
    // From a saved coverage.json, and from the older checkout itself.
    for baseline in [saved.clone(), old.path().to_path_buf()] {
        let arg = baseline.to_str().unwrap();
        let out = run(dir.path(), &["coverage", "--baseline", arg]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "the A threshold fails: {}",
            stdout(&out)
        );
        assert!(
            stdout(&out).contains("changes since version 1.0 (2026-01-15): 3"),
            "{}",
            stdout(&out)
        );
        assert!(stdout(&out).contains("ext:B no longer aligned: C-TWO (related to)"));
        let (_, json, rows) = coverage(dir.path(), &["--baseline", arg]);
        assert_eq!(json["baseline"]["changes"], expected, "baseline {arg}");
        let header = &rows[0];
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let cells: Vec<(&str, &str)> = rows[1..]
            .iter()
            .map(|r| (r[col("code")].as_str(), r[col("baseline_status")].as_str()))
            .collect();
        assert_eq!(
            cells,
            [
                ("A", "assessed"),
                ("A.1", "assessed"),
                ("A.2", "new"),
                ("B", "gap")
            ]
        );
        let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
        assert!(html.contains("Changes since version 1.0 (2026-01-15)"));
        assert!(html.contains("ext:A.2 new item"));
    }
    // Without a baseline, there is no comparison anywhere.
    let (_, json, rows) = coverage(dir.path(), &[]);
    assert!(json.get("baseline").is_none());
    let last_two = rows[0].len() - 2;
    assert_eq!(rows[0][last_two..], ["baseline_status", "changes"]);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[last_two..].iter().all(String::is_empty))
    );
}

#[test]
fn a_baseline_that_is_not_a_coverage_report_is_refused() {
    let dir = curriculum(None);
    fs::write(dir.path().join("notes.json"), "{ not json").unwrap();
    fs::write(dir.path().join("other.json"), "{\"hello\": 1}").unwrap();
    let broken = crate::curriculum(None);
    fs::write(broken.path().join("lessons/one.md"), "no front matter\n").unwrap();
    for (arg, says) in [
        ("notes.json", "the baseline `notes.json` is not valid JSON"),
        ("other.json", "is not a cib coverage.json (versions 1 to 3)"),
        ("missing.json", "cannot read the baseline `missing.json`"),
        (
            broken.path().to_str().unwrap(),
            "has 1 error; run `cib --root",
        ),
    ] {
        let out = run(dir.path(), &["coverage", "--baseline", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert!(stderr(&out).contains(says), "{arg}: {}", stderr(&out));
    }
}

#[test]
fn the_github_format_is_a_markdown_step_summary_with_every_gap() {
    let dir = curriculum(None);
    add_gap(dir.path());
    let out = run(
        dir.path(),
        &["coverage", "--format", "github", "--fail-under", "70"],
    );
    assert_eq!(out.status.code(), Some(1));
    let summary = stdout(&out);
    assert!(
        summary.starts_with("## Coverage — Fixture curriculum, version 1.0\n"),
        "{summary}"
    );
    assert!(
        summary.contains(
            "| External framework | 3 | 0 (0 %) | 1 (33 %) | 0 (0 %) | 0 (0 %) | 2 (67 %) | 0 | 0.4 h / — |"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "| ext A | at least 100 % of 2 leaf items taught or better: 50 % reached | ❌ **not met** |"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "| ext | `--fail-under`: at least 70 % taught: 33.3 % reached | ❌ **not met** |"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("### Gaps (2)\n\n- `ext:A.2` Objective A.2\n- `ext:B` Topic B\n"),
        "{summary}"
    );
}

/// Evidence has a strength: adding a performance assessment whose rubric is
/// tied to C-ONE moves A.1 (and topic A) from assessed to demonstrated, and a
/// threshold that requires `demonstrated` fails until it is there.
#[test]
fn a_performance_assessment_makes_its_items_demonstrated() {
    let dir = curriculum(None);
    let settings = dir.path().join("curriculum.yaml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        text.replace(
            "      status: taught\n      min_percent: 100\n",
            "      status: taught\n      min_percent: 100\n    - framework: ext\n      item: A\n      status: demonstrated\n      min_percent: 100\n",
        ),
    )
    .unwrap();
    let (code, json, _) = coverage(dir.path(), &[]);
    assert_eq!(code, 1, "the demonstrated threshold fails");
    assert_eq!(json["coverage_version"], 3);
    assert_eq!(status_of(&json, "ext", "A.1"), "assessed");
    assert_eq!(json["thresholds"][1]["status"], "demonstrated");
    assert_eq!(json["thresholds"][1]["met"], false);

    crate::copy_tree(
        &crate::fixtures().join("build/assessments"),
        &dir.path().join("assessments"),
    );
    let (code, json, rows) = coverage(dir.path(), &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(status_of(&json, "ext", "A.1"), "demonstrated");
    assert_eq!(status_of(&json, "ext", "A"), "demonstrated");
    assert_eq!(
        status_of(&json, "ext", "B"),
        "gap",
        "C-TWO is only related to B"
    );
    assert_eq!(json["thresholds"][1]["met"], true);
    let leaves = &json["frameworks"][0]["leaves"];
    assert_eq!(leaves["demonstrated"], 1);
    assert_eq!(leaves["percent_at_least"]["assessed"], 50.0);
    let item = &json["frameworks"][0]["items"][1];
    assert_eq!(
        item["assessments"],
        serde_json::json!([{
            "id": "a-one",
            "title": "First thing practical",
            "kind": "practical-exam",
            "evidence": "performance",
            "criteria": ["does-it"],
            "criteria_titles": ["Does the first thing"],
        }])
    );
    assert!(
        json["rules"]
            .as_str()
            .unwrap()
            .contains("demonstrated when")
    );
    let header = &rows[0];
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let a1 = rows.iter().find(|r| r[col("code")] == "A.1").unwrap();
    assert_eq!(a1[col("status")], "demonstrated");
    assert_eq!(a1[col("assessments")], "a-one (performance)");
    assert_eq!(a1[col("assessment_criteria")], "a-one:does-it");

    // Written evidence counts as assessed, not demonstrated.
    let sheet = dir.path().join("assessments/a-one.md");
    let text = fs::read_to_string(&sheet).unwrap();
    fs::write(
        &sheet,
        text.replace("kind: practical-exam", "kind: written-test"),
    )
    .unwrap();
    let (code, json, _) = coverage(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&json, "ext", "A.1"), "assessed");
    let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
    assert!(
        html.contains("href=\"#a-a-one\""),
        "items link their assessments"
    );
    assert!(html.contains("id=\"a-a-one\""));
}

#[test]
fn a_deferred_competency_is_not_untaught_and_the_report_says_why() {
    let dir = curriculum(Some("R006"));
    let root = dir.path();
    let check = |root: &Path| stdout(&run(root, &["check", "--format", "short"]));
    assert!(check(root).contains("warning[R006]: no lesson teaches `C-THREE`"));
    let file = root.join("competencies/comp.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replace(
            "    criteria: [Does it a third time]\n",
            "    criteria: [Does it a third time]\n    deferred:\n      reason: Taught in the grade 11 course.\n      until: 2027-09\n",
        ),
    )
    .unwrap();
    let found = check(root);
    assert!(!found.contains("R006"), "{found}");

    let (_, json, _) = coverage(root, &[]);
    let a1 = json["frameworks"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "A.1")
        .unwrap();
    let three = a1["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "C-THREE")
        .unwrap();
    assert_eq!(
        three["deferred"]["reason"],
        "Taught in the grade 11 course."
    );
    assert_eq!(three["deferred"]["until"], "2027-09");
    let html = fs::read_to_string(root.join("build/reports/coverage.html")).unwrap();
    assert!(
        html.contains("deferred: Taught in the grade 11 course. (until 2027-09)"),
        "the report names it"
    );
}
