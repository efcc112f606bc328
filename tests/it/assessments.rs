//! Performance assessments under `assessments/`: a good one checks clean, and
//! every way one can be wrong is found at its line and column, by the codes
//! assessments share with lessons (R001, R002, R005, C007–C010, P010) and by
//! their own variants of C011–C015 beyond the one fixture each has in codes.rs.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

use crate::{assert_clean, check_json, copy_tree, curriculum, edit, fixtures, located};

/// The base fixture with the build fixture's assessment `a-one` (and its print).
fn with_assessment() -> TempDir {
    let dir = curriculum(None);
    copy_tree(
        &fixtures().join("build/assessments"),
        &dir.path().join("assessments"),
    );
    dir
}

/// `cib check` after `change`: the first finding of `code`, and its message.
fn finds(change: impl FnOnce(&Path), code: &str) -> ((String, Option<(u64, u64)>), String) {
    let dir = with_assessment();
    change(dir.path());
    let (report, _) = check_json(dir.path(), &[]);
    let found = located(&report, code).unwrap_or_else(|| panic!("no {code}: {report:#}"));
    let message = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    (found, message)
}

const A: &str = "assessments/a-one.md";

fn at(line: u64, column: u64) -> (String, Option<(u64, u64)>) {
    (A.to_owned(), Some((line, column)))
}

#[test]
fn a_complete_assessment_checks_clean() {
    let dir = with_assessment();
    assert_clean(dir.path());
}

#[test]
fn assessment_ids_criteria_and_references_must_resolve() {
    // An assessment may not take a lesson's id, nor repeat a criterion id.
    let (found, message) = finds(|r| edit(r, A, "id: a-one", "id: lesson-one"), "R001");
    assert_eq!(found, at(2, 5));
    assert_eq!(message, "assessment `lesson-one` is defined more than once");
    let (found, message) = finds(
        |r| {
            edit(
                r,
                A,
                "      measured:",
                "    - id: does-it\n      title: Again\n      competency: C-ONE\n      levels: {pass: Yes., not-yet: No.}\n      measured:",
            )
        },
        "R001",
    );
    assert_eq!(found, at(37, 11));
    assert_eq!(message, "criterion id `does-it` is defined more than once");

    for (from, to, at_line, says) in [
        (
            "prerequisites: [lesson-one]",
            "prerequisites: [lesson-once]",
            (14, 17),
            "lesson `lesson-once` does not exist",
        ),
        (
            "    does-it: ZEBRACRITERION",
            "    does-that: ZEBRACRITERION",
            (47, 5),
            "criterion `does-that` does not exist",
        ),
        (
            "rubric:\n  levels:",
            "rubric:\n  scale: four-levels\n  levels:",
            (23, 10),
            "scale `four-levels` does not exist",
        ),
    ] {
        let (found, message) = finds(|r| edit(r, A, from, to), "R002");
        assert_eq!(found, at(at_line.0, at_line.1), "{to}");
        assert_eq!(message, says);
    }
    let (found, message) = finds(
        |r| {
            edit(
                r,
                "curriculum.yaml",
                "    lessons: [lesson-one]\n",
                "    lessons: [lesson-one]\n    assessments: [a-two]\n",
            )
        },
        "R002",
    );
    assert_eq!(found, ("curriculum.yaml".to_owned(), Some((16, 19))));
    assert_eq!(message, "assessment `a-two` does not exist");

    let (found, message) = finds(
        |r| {
            edit(
                r,
                A,
                "demonstrates: [C-ONE]",
                "demonstrates: [C-ONE, C-THREE]",
            )
        },
        "R005",
    );
    assert_eq!(found, at(5, 23));
    assert_eq!(
        message,
        "assessment `a-one` demonstrates `C-THREE`, which no competency framework defines"
    );
}

#[test]
fn prints_follow_the_image_rules_of_lessons() {
    let (found, message) = finds(
        |r| edit(r, A, "  - src: part.svg", "  - src: parts.svg"),
        "C007",
    );
    assert_eq!(found, at(19, 10));
    assert_eq!(
        message,
        "image file `parts.svg` in its prints is not next to the assessment"
    );
    let (found, message) = finds(
        |r| edit(r, A, "alt: A square plate 1.000 inch wide.", "alt: \" \""),
        "C007",
    );
    assert_eq!(found, at(19, 10));
    assert_eq!(message, "image `part.svg` in its prints has no alt text");
    let (found, message) = finds(
        |r| edit(r, A, "  - src: part.svg", "  - src: ../lessons/part.svg"),
        "C008",
    );
    assert_eq!(found, at(19, 10));
    assert!(message.contains("climbs out of its folder"), "{message}");
    let (found, message) = finds(
        |r| {
            fs::write(r.join("assessments/part.svg"), "not a picture").unwrap();
            edit(r, A, "  - src: part.svg", "  - src: part.png");
            fs::rename(
                r.join("assessments/part.svg"),
                r.join("assessments/part.png"),
            )
            .unwrap();
        },
        "C009",
    );
    assert_eq!(found, at(19, 10));
    assert!(message.contains("is not a .png file inside"), "{message}");
    // Images in the task, and characters no font has anywhere on a sheet.
    let (found, _) = finds(
        |r| {
            edit(
                r,
                A,
                "Task text for everyone",
                "![](part.svg) Task text for everyone",
            )
        },
        "C007",
    );
    assert_eq!(found, at(52, 1));
    let (found, message) = finds(
        |r| {
            edit(
                r,
                A,
                "title: Does the first thing",
                "title: Does the first thing ആ",
            )
        },
        "C010",
    );
    assert_eq!(found, at(2, 5));
    assert!(message.contains("in the assessment's rubric"), "{message}");
}

#[test]
fn rubric_levels_scales_and_passing_standards_must_fit() {
    for (from, to, line_col, says) in [
        (
            "rubric:\n  levels:\n    - {id: pass, label: Pass, points: 1}\n    - {id: not-yet, label: Not yet, points: 0}\n",
            "rubric:\n",
            (23, 3),
            "the rubric of `a-one` names no scale",
        ),
        (
            "        pass: Does it to standard, every time.",
            "        pass: Does it to standard, every time.\n        excellent: Does it blindfolded.",
            (36, 9),
            "`excellent` is not a level of the rubric's scale",
        ),
        (
            "    level: pass",
            "    level: passed",
            (27, 12),
            "the passing level `passed` is not a level of the rubric's scale",
        ),
        (
            "    level: pass",
            "    level: pass\n    points: 2",
            (28, 13),
            "the passing standard asks for 2 points, but the rubric gives at most 1",
        ),
        (
            "    - {id: not-yet, label: Not yet, points: 0}\n  passing:\n    level: pass",
            "    - {id: not-yet, label: Not yet}\n  passing:\n    level: pass\n    points: 1",
            (28, 13),
            "the passing standard counts points, but `not-yet` has no points",
        ),
    ] {
        let (found, message) = finds(|r| edit(r, A, from, to), "C011");
        assert_eq!(found, at(line_col.0, line_col.1), "{to}");
        assert_eq!(message, says, "{to}");
    }
    // A scale of curriculum.yaml, named as well as levels given.
    let (found, message) = finds(
        |r| {
            edit(
                r,
                "curriculum.yaml",
                "coverage:",
                "scales:\n  - id: two\n    title: Two\n    levels:\n      - {id: pass, label: Pass}\n      - {id: not-yet, label: Not yet}\ncoverage:",
            );
            edit(
                r,
                A,
                "rubric:\n  levels:",
                "rubric:\n  scale: two\n  levels:",
            );
        },
        "C011",
    );
    assert_eq!(found, at(23, 10));
    assert_eq!(
        message,
        "the rubric names a scale and gives levels of its own"
    );
}

#[test]
fn criteria_numbers_and_times_must_exist_and_add_up() {
    let (found, message) = finds(
        |r| edit(r, A, "      criterion: 1", "      criterion: 2"),
        "C012",
    );
    assert_eq!(found, at(32, 18));
    assert_eq!(
        message,
        "`C-ONE` has 1 performance criterion, so there is no criterion 2"
    );
    let (found, message) = finds(
        |r| edit(r, A, "machine_time: 40", "machine_time: 90"),
        "C015",
    );
    assert_eq!(found, at(7, 15));
    assert_eq!(
        message,
        "`a-one` has 90 minutes of machine time in a 60-minute duration"
    );
    let (found, message) = finds(|r| edit(r, A, "          nominal: 1.000\n", ""), "C014");
    assert_eq!(found, at(39, 22));
    assert_eq!(message, "`Plate width` has a tolerance but no nominal size");
}

#[test]
fn an_assessment_without_front_matter_is_refused() {
    let dir = with_assessment();
    fs::write(dir.path().join("assessments/notes.md"), "# Notes\n").unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(
        located(&report, "P010"),
        Some(("assessments/notes.md".to_owned(), Some((1, 1))))
    );
    assert!(
        report
            .to_string()
            .contains("a performance assessment must start with YAML front matter")
    );
}
