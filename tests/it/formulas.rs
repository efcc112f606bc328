//! Checked formulas for any trade (C003, C026): a welding program's formula
//! library, inline formulas with units, and what a wrong one looks like.

use std::fs;

use crate::{assert_clean, copy_tree, edit, fixtures, short_check};

fn copy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(fixture), dir.path());
    dir
}

#[test]
fn a_welding_formula_library_checks_clean_and_a_slipped_answer_is_recomputed() {
    let dir = copy("welding-formulas");
    assert_clean(dir.path());
    // The hand formula without its × 60 / 1000: 24 V × 125 A / 8 in/min.
    edit(
        dir.path(),
        LESSON,
        "    answer: 22.5\n",
        "    answer: 375\n",
    );
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        text.trim(),
        "lessons/welding/welding-shop-math.md:29:13: error[C003]: calculation `smaw-heat-input`: \
         `voltage * current / travel_speed` with voltage = 24 V, current = 125 A, travel_speed = 8 in/min \
         gives 22.5 kJ/in, but the stated answer is 375 (off by 352.5, tolerance ±0.05)"
    );
}

#[test]
fn a_formula_whose_units_do_not_add_up_is_reported_once_at_the_formula() {
    let dir = copy("welding-formulas");
    // Forgetting the square: in × in × lb/in^3 is a weight per inch, not a weight.
    let text = fs::read_to_string(dir.path().join("formulas.yaml")).unwrap();
    let expression = text
        .lines()
        .find(|l| l.contains("leg_size^2"))
        .expect("the deposited-weight formula");
    let fixed = expression.replace("leg_size^2", "leg_size");
    edit(dir.path(), "formulas.yaml", expression, &fixed);
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("formulas.yaml:"), "{text}");
    assert!(
        text.contains("error[C026]: formula `deposited-weight`: the expression cannot be evaluated: its units do not give `lb`"),
        "{text}"
    );
}

/// The findings for the welding fixture's lesson with one edit made.
fn lesson_edited(from: &str, to: &str) -> String {
    let dir = copy("welding-formulas");
    edit(dir.path(), LESSON, from, to);
    short_check(dir.path()).1
}

const LESSON: &str = "lessons/welding/welding-shop-math.md";

#[test]
fn calculations_name_their_formula_and_inputs_or_are_told_what_is_missing() {
    let text = lesson_edited("    kind: heat-input\n", "    kind: heat-inptu\n");
    assert!(
        text.contains(
            "error[C026]: calculation `smaw-heat-input`: there is no formula `heat-inptu`"
        ),
        "{text}"
    );
    let given = "{voltage: 24, current: 125, travel_speed: 8}";
    let text = lesson_edited(given, "{voltage: 24, current: 125, travel: 8}");
    assert!(
        text.contains("calculation `smaw-heat-input`: formula `heat-input` needs input `travel_speed` (in/min)"),
        "{text}"
    );
    // A quantity of the wrong kind.
    let text = lesson_edited(given, "{voltage: 24, current: 125, travel_speed: 8 psi}");
    assert!(
        text.contains(
            "input `travel_speed` `8 psi` cannot be given in `in/min`, the formula's unit for it"
        ),
        "{text}"
    );
}

#[test]
fn inline_formulas_convert_units_and_a_lesson_may_state_another_unit() {
    let dir = copy("welding-formulas");
    // The same heat input in J/mm: 22.5 kJ/in ÷ 25.4 mm/in × 1000 = 885.83 J/mm.
    edit(
        dir.path(),
        LESSON,
        "    answer: 22.5\n",
        "    unit: J/mm\n    answer: 885.83\n",
    );
    assert_eq!(short_check(dir.path()), (0, String::new()));
    edit(dir.path(), LESSON, "    unit: J/mm\n", "    unit: lb\n");
    let (_, text) = short_check(dir.path());
    assert!(
        text.contains("formula `heat-input` cannot give its result in `lb`"),
        "{text}"
    );
}
