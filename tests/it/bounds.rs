//! C028: the size limits that keep every lesson `cib check` accepts within
//! the build's bound (SECURITY.md, "Limits"). Each limit is tried just inside
//! (accepted) and just past (refused, at the place the limit is passed), on
//! lessons generated here rather than committed as large files.
//! `scripts/bench-bounds.py` builds the accepted sizes and measures them.

use std::fmt::Write as _;
use std::path::Path;

use crate::{check_json, curriculum, located, png_header as png};

/// A lesson's front matter: its title and objective are texts too (3 and 5
/// characters; the objective is two elements, its block and its paragraph).
const FRONT: &str =
    "---\nid: big\ntitle: Big\nduration: 45\nteaches: [C-ONE]\nobjectives: [Do it]\n---\n";
/// The line of a generated lesson's first body line.
const BODY_LINE: u64 = 8;

/// Checks the base curriculum with `lessons/big.md` holding `body` (and
/// `files` beside it): C028's place, or `None` when the check accepts it.
fn c028(body: &str, files: &[(&str, Vec<u8>)]) -> Option<(u64, u64, String)> {
    let dir = curriculum(None);
    let root = dir.path();
    std::fs::write(root.join("lessons/big.md"), format!("{FRONT}{body}")).unwrap();
    for (name, bytes) in files {
        std::fs::write(root.join("lessons").join(name), bytes).unwrap();
    }
    let (report, status) = check_json(root, &[]);
    let Some((file, at)) = located(&report, "C028") else {
        assert_eq!(status, 0, "accepted, so no other error either: {report:#}");
        return None;
    };
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(file, Path::new("lessons/big.md").to_str().unwrap());
    let message = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "C028")
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .unwrap();
    let (line, column) = at.expect("C028 has a place");
    Some((line, column, message))
}

fn lines(count: usize, line: &str) -> String {
    let mut out = String::new();
    for _ in 0..count {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn table(rows: usize, columns: usize) -> String {
    let mut out = String::new();
    for row in 0..rows {
        out.push('|');
        for column in 0..columns {
            write!(out, " {} |", row * columns + column).unwrap();
        }
        out.push('\n');
        if row == 0 {
            out.push_str(&"|---".repeat(columns));
            out.push_str("|\n");
        }
    }
    out
}

#[test]
fn text_is_limited_to_200_000_characters() {
    let line = "x".repeat(99);
    // 1 999 lines of 100 characters, the objective's 5 and the title's 3: 199 908.
    assert_eq!(c028(&lines(1_999, &line), &[]), None);
    let (at_line, column, message) = c028(&lines(2_001, &line), &[]).expect("refused");
    // The title's 3 characters count first: the body's character 199 997
    // passes the limit, in its line 2 000.
    assert_eq!((at_line, column), (BODY_LINE + 1_999, 98));
    assert_eq!(
        message,
        "this lesson has 200108 characters of text; the limit is 200000"
    );
}

#[test]
fn elements_are_limited_to_8_000() {
    // A tight list is one element and each item one more; the objective two.
    assert_eq!(c028(&lines(7_997, "- a"), &[]), None);
    let (line, column, message) = c028(&lines(8_000, "- a"), &[]).expect("refused");
    assert_eq!((line, column), (BODY_LINE + 7_999, 1), "the last item");
    assert!(
        message.starts_with("this lesson has 8003 paragraphs, list items, table cells"),
        "{message}"
    );
}

#[test]
fn a_table_is_limited_to_16_columns_and_2_000_cells() {
    let intro = "A chart:\n\n";
    assert_eq!(c028(&format!("{intro}{}", table(2, 16)), &[]), None);
    let (line, column, message) = c028(&format!("{intro}{}", table(2, 17)), &[]).expect("wide");
    assert_eq!((line, column), (BODY_LINE + 2, 1), "the table's first line");
    assert_eq!(message, "a table has 17 columns; the limit is 16");

    assert_eq!(c028(&format!("{intro}{}", table(500, 4)), &[]), None);
    let (line, _, message) = c028(&format!("{intro}{}", table(501, 4)), &[]).expect("long");
    assert_eq!(line, BODY_LINE + 2);
    assert_eq!(message, "a table has 2004 cells; the limit is 2000");
}

#[test]
fn footnotes_are_limited_to_300() {
    let notes = |count| format!("{}\n[^a]: The note.\n", lines(count, "x[^a]"));
    assert_eq!(c028(&notes(300), &[]), None);
    let (line, column, message) = c028(&notes(301), &[]).expect("refused");
    assert_eq!((line, column), (BODY_LINE + 300, 2), "the 301st mark");
    assert_eq!(message, "this lesson has 301 footnotes; the limit is 300");
}

#[test]
fn images_are_limited_to_30_megapixels_counting_each_file_once() {
    let photo = png(4_000, 2_500);
    let shows = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("![A photo of the setup]({n})\n\n"))
            .collect::<String>()
    };
    let files: Vec<(&str, Vec<u8>)> = ["a.png", "b.png", "c.png", "d.png"]
        .into_iter()
        .map(|n| (n, photo.clone()))
        .collect();
    // Three different 10-megapixel photos, one of them shown twice: 30.
    let accepted = shows(&["a.png", "b.png", "a.png", "c.png"]);
    assert_eq!(c028(&accepted, &files), None);
    let (line, column, message) =
        c028(&shows(&["a.png", "b.png", "c.png", "d.png"]), &files).expect("refused");
    assert_eq!((line, column), (BODY_LINE + 6, 1), "the fourth photo");
    assert_eq!(
        message,
        "this lesson's images have 40 megapixels in all; the limit is 30"
    );
}

#[test]
fn a_table_in_front_matter_is_found_in_its_field() {
    let dir = curriculum(None);
    let root = dir.path();
    let mut answer = String::from("|");
    answer.push_str(&" a |".repeat(17));
    answer.push_str("\\n|");
    answer.push_str(&"---|".repeat(17));
    let lesson = format!(
        "---\nid: big\ntitle: Big\nduration: 45\nteaches: [C-ONE]\nobjectives: [Do it]\nquestions:\n  - id: q1\n    prompt: Read the chart.\ninstructor:\n  answer_key:\n    q1: \"{answer}\"\n---\nBody.\n"
    );
    std::fs::write(root.join("lessons/big.md"), lesson).unwrap();
    let (report, status) = check_json(root, &[]);
    assert_eq!(status, 1, "{report:#}");
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "C028")
        .expect("C028");
    assert_eq!(
        found["message"],
        "a table in its answer key has 17 columns; the limit is 16"
    );
    assert_eq!(found["range"]["start"]["line"], 12, "{found:#}");
}

/// The C028 findings of the base curriculum with `lessons` added, each
/// `(file name, body)`, and `files` beside them.
fn bundle_findings(
    lessons: &[(String, String)],
    files: &[(String, Vec<u8>)],
) -> Vec<serde_json::Value> {
    let dir = curriculum(None);
    let root = dir.path();
    for (name, body) in lessons {
        let front = FRONT.replace("id: big", &format!("id: {name}"));
        std::fs::write(
            root.join(format!("lessons/{name}.md")),
            format!("{front}{body}"),
        )
        .unwrap();
    }
    for (name, bytes) in files {
        std::fs::write(root.join("lessons").join(name), bytes).unwrap();
    }
    let (report, _) = check_json(root, &[]);
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "C028")
        .cloned()
        .collect()
}

#[test]
fn a_bundle_is_limited_to_25_000_elements_in_all() {
    // Lessons teaching C-ONE are in the `comp-student` and `topic-a-prep`
    // bundles, with lesson-one: four of 6 000 list items each are within the
    // limit; five are not, in both bundles.
    let lessons = |count: usize| -> Vec<(String, String)> {
        (0..count)
            .map(|n| (format!("big-{n}"), lines(6_000, "- a")))
            .collect()
    };
    assert_eq!(
        bundle_findings(&lessons(4), &[]),
        Vec::<serde_json::Value>::new()
    );
    let found = bundle_findings(&lessons(5), &[]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0]["file"], "curriculum.yaml");
    assert_eq!(
        (
            &found[0]["range"]["start"]["line"],
            &found[0]["range"]["start"]["column"]
        ),
        (&serde_json::json!(8), &serde_json::json!(9)),
        "the bundle's id"
    );
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("bundle `comp-student` holds 300")
            && message.ends_with("; the limit is 25000"),
        "{message}"
    );
}

#[test]
fn a_bundle_is_limited_to_32_mib_of_images_counting_each_file_once() {
    // A 10 × 10 PNG padded to 7 MiB: its size, not its pixels, counts here.
    let mut photo = png(10, 10);
    photo.resize(7 * 1024 * 1024, 0);
    let lesson = |n: usize, image: &str| (format!("big-{n}"), format!("![A photo]({image})\n"));
    let files: Vec<(String, Vec<u8>)> = (0..5)
        .map(|n| (format!("p{n}.png"), photo.clone()))
        .collect();
    // Four different files and one shown twice: 28 MiB.
    let within: Vec<_> = (0..5)
        .map(|n| lesson(n, &format!("p{}.png", n.min(3))))
        .collect();
    assert_eq!(
        bundle_findings(&within, &files),
        Vec::<serde_json::Value>::new()
    );
    let over: Vec<_> = (0..5).map(|n| lesson(n, &format!("p{n}.png"))).collect();
    let found = bundle_findings(&over, &files);
    assert_eq!(found.len(), 2, "both bundles that hold them: {found:#?}");
    assert_eq!(
        found[0]["message"],
        "bundle `comp-student` shows 35.0 MiB of images in all; the limit is 32.0 MiB"
    );
}
