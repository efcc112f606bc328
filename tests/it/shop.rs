//! The shop profile: a lesson's machine time against a section's size and
//! the shop's machines (C022).

use std::fs;

use crate::{curriculum, run, short_check, stdout};

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

#[test]
fn a_lesson_that_fits_the_shop_checks_clean() {
    // 5-minute turns: each mill takes 9 in 45 minutes, 18 on two.
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 5\n");
    assert_eq!(short_check(dir.path()), (0, String::new()));
    // Pairs sharing a mill need 9 turns; 10-minute turns give 2 × 4 = 8.
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 10\n    group: 2\n");
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1);
    assert!(
        text.contains("for each of 9 groups of 2 (90 min in all), but 2 machines × 4 turns each fit in a 45-minute period, so it takes 2 periods of 45 min (it has 1)"),
        "{text}"
    );
}

#[test]
fn too_much_machine_time_says_how_many_sessions_it_takes() {
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 20\n");
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("warning[C022]: `lesson-one` needs 20 min on `cnc-mill` for each of 18 students (360 min in all), but 2 machines × 2 turns each fit in a 45-minute period, so it takes 5 periods of 45 min (it has 1), or a rotation of 4 turns per period"),
        "{text}"
    );
    let dir = shop("machine_time:\n  - machine: cnc-mill\n    minutes: 60\n");
    assert!(
        short_check(dir.path())
            .1
            .contains("one turn of 60 min is longer than the lesson's 45-minute period")
    );
}

#[test]
fn a_lesson_over_several_periods_plans_its_turns_period_by_period() {
    let spread = |duration: u32, sessions: u32, minutes: u32| {
        let dir = shop(&format!(
            "sessions: {sessions}\nmachine_time:\n  - machine: cnc-mill\n    minutes: {minutes}\n"
        ));
        let lesson = dir.path().join("lessons/one.md");
        let text = fs::read_to_string(&lesson).unwrap();
        fs::write(
            &lesson,
            text.replace("duration: 45\n", &format!("duration: {duration}\n")),
        )
        .unwrap();
        short_check(dir.path())
    };
    // Five 45-minute periods: 2 mills × 2 turns × 5 = 20 turns for 18 students.
    assert_eq!(spread(225, 5, 20), (0, String::new()));
    // 90 minutes in two periods hold no 50-minute turn, though 90 in one would.
    let (code, text) = spread(90, 2, 50);
    assert_eq!(code, 1);
    assert!(
        text.contains("one turn of 50 min is longer than the lesson's 45-minute period"),
        "{text}"
    );
    let (_, text) = spread(90, 1, 50);
    assert!(
        text.contains("2 machines × 1 turn each fit in a 90-minute period, so it takes 9 periods"),
        "{text}"
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
    assert_eq!(short_check(dir.path()), (0, String::new()));
}
