//! Coverage an auditor can sign: exceptions with reasons, evidence weighed by
//! relation, hours as thresholds, marks on every code, and a coverage.pdf
//! whose words never overprint.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::build::{build, pdf_text, tool};
use crate::coverage::item;
use crate::exchange::repo_copy;
use crate::{curriculum, edit, run, stderr, stdout};

/// Appends `block` under `coverage:` of the fixture's curriculum.yaml (it ends
/// with `x-owner`, after the thresholds).
fn coverage_setting(root: &Path, block: &str) {
    edit(
        root,
        "curriculum.yaml",
        "x-owner: cib tests\n",
        &format!("{block}x-owner: cib tests\n"),
    );
}

fn report(root: &Path) -> (i32, String, Value) {
    let out = run(root, &["coverage"]);
    let json = fs::read(root.join("build/reports/coverage.json"))
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or(Value::Null);
    (out.status.code().unwrap(), stdout(&out), json)
}

const ELECTIVE: &str = "  exceptions:\n    - framework: ext\n      item: B\n      status: elective-not-selected\n      reason: The program teaches the other electives.\n      approved_by: J. Reviewer, program advisory committee\n      approved_on: \"2026-05-01\"\n";

#[test]
fn an_exception_with_a_reason_leaves_the_gaps_and_gets_its_own_column() {
    let dir = curriculum(None);
    let (_, _, before) = report(dir.path());
    // B: a competency is only related to it, so it is a gap.
    assert_eq!(before["frameworks"][0]["leaves"]["gap"], 1);
    assert_eq!(before["gaps"][0]["code"], "B");

    coverage_setting(dir.path(), ELECTIVE);
    let (code, summary, json) = report(dir.path());
    assert_eq!(code, 0, "{summary}");
    let fw = &json["frameworks"][0];
    assert_eq!(fw["leaves"]["gap"], 0);
    assert_eq!(fw["leaves"]["total"], 1);
    assert_eq!(fw["excepted"], 1);
    assert_eq!(json["gaps"], serde_json::json!([]));
    let b = item(&json, "ext", "B");
    assert_eq!(b["status"], "excepted");
    assert_eq!(b["exception"]["label"], "elective not selected");
    assert_eq!(
        json["exceptions"][0]["reason"],
        "The program teaches the other electives."
    );
    assert_eq!(json["exceptions"][0]["approved_on"], "2026-05-01");
    assert!(
        summary.contains("1 exception (curriculum.yaml)"),
        "{summary}"
    );

    let csv = fs::read_to_string(dir.path().join("build/reports/coverage.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("ext,B,")).unwrap();
    assert!(
        row.contains("excepted,elective not selected,The program teaches the other electives."),
        "{row}"
    );
    let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
    let gaps = &html[html.find("id=\"gaps\"").unwrap()..html.find("id=\"summary\"").unwrap()];
    assert!(gaps.contains("elective not selected"), "{gaps}");
    assert!(gaps.contains("Approved by J. Reviewer, program advisory committee on 2026-05-01"));
    let pdf = pdf_text(&dir.path().join("build/reports/coverage.pdf"));
    assert!(pdf.contains("The program teaches the other electives."));
}

#[test]
fn an_exception_without_a_reason_or_on_a_required_topic_is_an_error() {
    let dir = curriculum(None);
    coverage_setting(
        dir.path(),
        "  exceptions:\n    - framework: ext\n      item: B\n      status: not-applicable\n      reason: \"  \"\n",
    );
    let out = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("error[C019]: the exception for `ext:B` gives no reason"),
        "{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["coverage"]);
    assert_eq!(out.status.code(), Some(1), "coverage refuses too");

    // The repository's OSHA 10-hour framework: M3 is a mandatory topic.
    let dir = repo_copy();
    edit(
        dir.path(),
        "curriculum.yaml",
        "  exceptions:\n",
        "  exceptions:\n    - framework: osha-10-gi\n      item: M3\n      status: not-applicable\n      reason: We teach no walking surfaces.\n",
    );
    let out = run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "error[C019]: the exception for `osha-10-gi:M3` hides a required item: `M3` is required"
        ),
        "{text}"
    );
    assert!(!text.contains("gives no reason"), "{text}");
}

#[test]
fn an_hours_threshold_below_target_exits_1_naming_the_shortfall() {
    let dir = curriculum(None);
    coverage_setting(dir.path(), "    - framework: ext\n      min_hours: 2\n");
    let (code, summary, json) = report(dir.path());
    assert_eq!(code, 1, "{summary}");
    // Only C-ONE's 22.5 minutes (0.375 h) cover the framework.
    assert!(
        summary.contains("NOT MET ext: at least 2.0 h planned: 0.4 h planned, 1.6 h short"),
        "{summary}"
    );
    let t = &json["thresholds"][1];
    assert_eq!(t["kind"], "hours");
    assert_eq!(t["met"], false);
    assert_eq!(t["planned_hours"], 0.4);
    let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
    assert!(html.contains("0.4 h planned, 1.6 h short"));
    let pdf = pdf_text(&dir.path().join("build/reports/coverage.pdf"));
    assert!(pdf.contains("1.6 h short"), "{pdf}");
    let github = stdout(&run(dir.path(), &["coverage", "--format", "github"]));
    assert!(
        github.contains("1.6 h short | ❌ **not met** |"),
        "{github}"
    );

    // The framework's own required hours, met or not, in words everywhere.
    edit(
        dir.path(),
        "frameworks/ext.yaml",
        "version: \"2020\"\n",
        "version: \"2020\"\nhours: 1\n",
    );
    edit(
        dir.path(),
        "curriculum.yaml",
        "      min_hours: 2\n",
        "      min_hours: required\n",
    );
    let (code, summary, json) = report(dir.path());
    assert_eq!(code, 1);
    assert!(
        summary.contains("0.4 / 1 (38%, not met: 0.6 h short)"),
        "{summary}"
    );
    assert_eq!(json["frameworks"][0]["hours"][0]["met"], false);
    let github = stdout(&run(dir.path(), &["coverage", "--format", "github"]));
    assert!(
        github.contains("Total hours — 0.4 of 1.0 hours planned, 0.6 short: not met"),
        "{github}"
    );
    assert!(summary.contains("at least 1.0 h planned: 0.4 h planned, 0.6 h short"));
}

#[test]
fn codes_are_marked_provisional_or_ours_wherever_they_are_printed() {
    let dir = crate::build::fixture();
    // ext:B is provisional; make A.1's code ours.
    edit(
        dir.path(),
        "frameworks/ext.yaml",
        "        source: Test document, page 2\n",
        "        source: Test document, page 2\n        our_code: true\n",
    );
    build(dir.path(), &[]);
    let plan = pdf_text(&dir.path().join("build/lessons/lesson-one.instructor.pdf"));
    let plan = plan.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(plan.contains("ext:B (provisional)"), "{plan}");
    assert!(plan.contains("ext:A.1 (our code)"), "{plan}");
    assert!(plan.contains("(related to)"), "relations in words: {plan}");
    let site = fs::read_to_string(dir.path().join("build/site/index.html")).unwrap();
    assert!(site.contains("ext:B (provisional)"));
    assert!(site.contains("ext:A.1 (our code)"));
    let html = fs::read_to_string(dir.path().join("build/reports/coverage.html")).unwrap();
    assert!(html.contains("<span class=\"prov\">(provisional)</span>"));
    assert!(html.contains("<span class=\"ours\">(our code)</span>"));
    let pdf = pdf_text(&dir.path().join("build/reports/coverage.pdf"));
    assert!(
        pdf.contains("provisional") && pdf.contains("our code"),
        "{pdf}"
    );
}

#[test]
fn every_share_that_counts_provisional_items_says_so_where_it_is_printed() {
    let dir = crate::build::fixture();
    edit(
        dir.path(),
        "curriculum.yaml",
        "x-owner: cib tests\n",
        "    - framework: ext\n      status: aligned\n      min_percent: 50\nx-owner: cib tests\n",
    );
    let caveat = "1 of the 2 items counted are provisional, not confirmed in the owner's document";
    let out = run(dir.path(), &["coverage"]);
    let terminal = stdout(&out);
    assert!(terminal.contains(&format!("  ext: {caveat}")), "{terminal}");
    let threshold = terminal
        .lines()
        .find(|l| l.contains("ext: at least 50 %"))
        .unwrap_or_else(|| panic!("{terminal}"));
    assert!(threshold.contains(caveat), "{threshold}");
    // The threshold on A counts no provisional item, and says nothing.
    let on_a = terminal.lines().find(|l| l.contains("ext A:")).unwrap();
    assert!(!on_a.contains("provisional"), "{on_a}");

    let github = stdout(&run(dir.path(), &["coverage", "--format", "github"]));
    assert!(github.contains(caveat), "{github}");
    let reports = dir.path().join("build/reports");
    let html = fs::read_to_string(reports.join("coverage.html"))
        .unwrap()
        .replace("&#39;", "'");
    assert!(html.contains(caveat), "{html}");
    let json: Value =
        serde_json::from_slice(&fs::read(reports.join("coverage.json")).unwrap()).unwrap();
    let ext = &json["frameworks"].as_array().unwrap()[0];
    assert!(ext["caveat"].as_str().unwrap().starts_with(caveat));
    let pdf = pdf_text(&reports.join("coverage.pdf"));
    let pdf = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(pdf.contains(caveat), "{pdf}");
}

#[test]
fn the_report_names_its_sources_and_links_both_ways() {
    let dir = crate::build::fixture();
    build(dir.path(), &[]);
    let reports = dir.path().join("build/reports");
    let json: Value =
        serde_json::from_slice(&fs::read(reports.join("coverage.json")).unwrap()).unwrap();
    let checksum = json["source"]["checksum"].as_str().unwrap();
    assert!(
        checksum.starts_with("sha256:") && checksum.len() == 71,
        "{checksum}"
    );
    assert!(json["source"]["files"].as_u64().unwrap() > 3);
    // The fixture is no git checkout.
    assert!(json["source"]["commit"].is_null());
    let html = fs::read_to_string(reports.join("coverage.html")).unwrap();
    assert!(html.contains(checksum));
    for link in [
        "href=\"../site/index.html\"",
        "href=\"coverage.pdf\"",
        "href=\"coverage.csv\"",
        "href=\"coverage.json\"",
        "href=\"../lessons/lesson-one.instructor.pdf\"",
        "href=\"../lessons/lesson-one.student.pdf\"",
    ] {
        assert!(html.contains(link), "{link}");
    }
    for (_, target) in html.match_indices("href=\"../").map(|(i, _)| {
        let rest = &html[i + 9..];
        (i, &rest[..rest.find('"').unwrap()])
    }) {
        assert!(
            reports.join("..").join(target).is_file(),
            "{target} is not built"
        );
    }
    let site = fs::read_to_string(dir.path().join("build/site/index.html")).unwrap();
    let html_at = site.find("../reports/coverage.html").unwrap();
    let pdf_at = site.find("../reports/coverage.pdf").unwrap();
    let csv_at = site.find("../reports/coverage.csv").unwrap();
    assert!(
        html_at < csv_at && pdf_at < csv_at,
        "the report first, then the data"
    );
    // Same sources, same checksum; a changed source, another.
    build(dir.path(), &[]);
    let again: Value =
        serde_json::from_slice(&fs::read(reports.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(again["source"], json["source"]);
    // A lesson's text changes no number; its front matter may.
    let lesson = dir.path().join("lessons/one.md");
    let text = fs::read_to_string(&lesson).unwrap();
    let checksum_after = |text: &str| -> Value {
        fs::write(&lesson, text).unwrap();
        let out = run(dir.path(), &["coverage"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}{}",
            stdout(&out),
            stderr(&out)
        );
        let json: Value =
            serde_json::from_slice(&fs::read(reports.join("coverage.json")).unwrap()).unwrap();
        json["source"]["checksum"].clone()
    };
    let before = &json["source"]["checksum"];
    assert_eq!(
        &checksum_after(&format!("{text}\nOne more sentence.\n")),
        before
    );
    assert_ne!(
        &checksum_after(&text.replacen("duration: 45", "duration: 50", 1)),
        before
    );
}

/// Word boxes from `pdftotext -bbox-layout`: page, and per word its box.
fn words(pdf: &Path) -> Vec<(usize, [f64; 4], String)> {
    let out = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
    };
    let mut page = 0;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let close = line.find('>').unwrap();
            let tag = &line[..close];
            let word = &line[close + 1..line.rfind("</word>").unwrap()];
            found.push((
                page,
                [
                    attr(tag, "xMin"),
                    attr(tag, "yMin"),
                    attr(tag, "xMax"),
                    attr(tag, "yMax"),
                ],
                word.to_owned(),
            ));
        }
    }
    found
}

#[test]
fn coverage_pdf_has_no_overprinted_words_and_passes_qpdf() {
    let dir = repo_copy();
    let out = run(dir.path(), &["coverage"]);
    assert!(
        out.status.code() == Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let pdf = dir.path().join("build/reports/coverage.pdf");
    let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let words = words(&pdf);
    assert!(words.len() > 2000, "{} words", words.len());
    // Two words overlap when their boxes, shrunk by half a point against
    // touching glyph edges, still intersect.
    let mut overlaps = Vec::new();
    for (i, (page, a, wa)) in words.iter().enumerate() {
        for (other, b, wb) in &words[i + 1..] {
            if other != page {
                break;
            }
            let shrink = 0.5;
            if a[0] + shrink < b[2] - shrink
                && b[0] + shrink < a[2] - shrink
                && a[1] + shrink < b[3] - shrink
                && b[1] + shrink < a[3] - shrink
            {
                overlaps.push(format!("page {page}: {wa:?} and {wb:?}"));
            }
        }
    }
    assert!(
        overlaps.is_empty(),
        "{} overlaps: {:?}",
        overlaps.len(),
        &overlaps[..overlaps.len().min(10)]
    );
    let text = pdf_text(&pdf);
    for expected in [
        "Prepared by",
        "Reviewed by",
        "CIP",
        "48.0501",
        "Gaps and exceptions",
        "elective not selected",
    ] {
        assert!(text.contains(expected), "{expected}");
    }
    for jargon in ["isPartOf", "exactMatchOf", "isRelatedTo"] {
        assert!(!text.contains(jargon), "{jargon} is CASE jargon");
    }
}
