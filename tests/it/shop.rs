//! The shop profile: a lesson's machine time against a section's size and
//! the shop's machines (C022).

use std::fs;
use std::path::Path;

use crate::{curriculum, run, stdout};

/// The C022 fixture: 18 students, 2 CNC mills, and lesson one (45 minutes)
/// asking for `machine_time` as given.
fn shop(machine_time: &str) -> tempfile::TempDir {
    let dir = curriculum(Some("C022"));
    let lesson = dir.path().join("lessons/one.md");
    let text = fs::read_to_string(&lesson).unwrap();
    let start = text.find("machine_time:\n").unwrap();
    let end = start + text[start..].find("teaches:").unwrap();
    fs::write(
        &lesson,
        format!("{}{machine_time}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    dir
}

fn findings(root: &Path) -> (i32, String) {
    let out = run(root, &["check", "--format", "short", "--deny", "warnings"]);
    (out.status.code().unwrap(), stdout(&out))
}

#[test]
fn a_lesson_that_fits_the_shop_checks_clean() {
    // 5-minute turns: each mill takes 9 in 45 minutes, 18 on two.
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 5\n");
    assert_eq!(findings(dir.path()), (0, String::new()));
    // Pairs sharing a mill need 9 turns; 10-minute turns give 2 × 4 = 8.
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 10\n    group: 2\n");
    let (code, text) = findings(dir.path());
    assert_eq!(code, 1);
    assert!(
        text.contains("for each of 9 groups of 2 (90 min in all), but 2 machines × 4 turns each fit in 45 min, so it takes 2 sessions"),
        "{text}"
    );
}

#[test]
fn too_much_machine_time_says_how_many_sessions_it_takes() {
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 20\n");
    let (code, text) = findings(dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("warning[C022]: `lesson-one` needs 20 min on `cnc-mill` for each of 18 students (360 min in all), but 2 machines × 2 turns each fit in 45 min, so it takes 5 sessions, or a rotation of 4 turns per session"),
        "{text}"
    );
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 60\n");
    assert!(
        findings(dir.path())
            .1
            .contains("one turn of 60 min is longer than the 45-minute lesson")
    );
}

#[test]
fn a_machine_the_shop_does_not_list_is_named_with_a_suggestion() {
    let dir = shop("machine_time:\n  - machine: cnc-mil\n    minutes: 5\n");
    let out = run(dir.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("the shop profile in curriculum.yaml lists no machine `cnc-mil`"),
        "{text}"
    );
    assert!(text.contains("cnc-mill"), "suggests the listed one: {text}");
    // Without a shop profile nothing is checked.
    let settings = dir.path().join("curriculum.yaml");
    let text = fs::read_to_string(&settings).unwrap();
    let cut = text.find("shop:\n").unwrap();
    let rest = &text[cut..];
    let end = cut + rest.find("x-owner").unwrap();
    fs::write(&settings, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    assert_eq!(findings(dir.path()), (0, String::new()));
}
