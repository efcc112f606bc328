//! Nothing assumes a machine shop: a Culinary Arts curriculum with its own
//! formulas, level scale, owner codes with spaces, shared images, deferred
//! competencies and bundles in teaching order checks clean and builds.

use std::fs;

use crate::{copy_tree, edit, fixtures, run, short_check, stdout};

fn culinary() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("culinary"), dir.path());
    dir
}

const SCALING: &str = "lessons/kitchen-math/scaling-recipes.md";

#[test]
fn a_culinary_curriculum_checks_clean_and_builds_in_teaching_order() {
    let dir = culinary();
    assert_eq!(short_check(dir.path()), (0, String::new()));
    let out = run(dir.path(), &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Listed last lesson first; printed measures, scaling, then yield.
    let zip = dir
        .path()
        .join("build/bundles/kitchen-math-student-1.0.zip");
    let mut archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let lessons: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().into_owned())
        .filter(|n| n.contains("/lessons/"))
        .collect();
    assert_eq!(
        lessons,
        [
            "kitchen-math-student-1.0/lessons/01-culinary-kitchen-measures.pdf",
            "kitchen-math-student-1.0/lessons/02-culinary-scaling-recipes.pdf",
            "kitchen-math-student-1.0/lessons/03-culinary-knife-safety-and-yield.pdf",
        ]
    );
    // The owner's codes travel as written.
    let case =
        fs::read_to_string(dir.path().join("build/case/culinary-outline-example.json")).unwrap();
    assert!(
        case.contains(r#""humanCodingScheme": "Unit 2 (a)""#),
        "{case}"
    );
    let csv =
        fs::read_to_string(dir.path().join("build/csv/culinary-outline-example.csv")).unwrap();
    assert!(csv.contains("\nitem,Unit 2 (a),Unit 2,"), "{csv}");
}

#[test]
fn wrong_answers_and_placeholders_are_found() {
    let dir = culinary();
    edit(
        dir.path(),
        SCALING,
        "    answer: 1.875\n",
        "    answer: 1.75\n",
    );
    edit(
        dir.path(),
        SCALING,
        "objectives:\n",
        "objectives:\n  - Replace with what a student can do by the end of the lesson.\n",
    );
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1);
    assert!(text.contains("warning[C025]"), "{text}");
    assert!(
        text.contains("error[C003]: calculation `minestrone-onions`: `original_quantity * conversion_factor` with original_quantity = 0.75 lb, conversion_factor = 2.5 gives 1.875 lb, but the stated answer is 1.75"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn levels_follow_the_declared_scale() {
    let dir = culinary();
    edit(
        dir.path(),
        "competencies/culinary.yaml",
        "level: Proficient",
        "level: Proficent",
    );
    let (_, text) = short_check(dir.path());
    assert!(
        text.contains("error[R007]: competency `")
            && text.contains("names level `Proficent`, which is not on the curriculum's scale"),
        "{text}"
    );
    let out = run(dir.path(), &["check"]);
    assert!(stdout(&out).contains("did you mean `Proficient`? the levels are those of `competency_levels` in curriculum.yaml: `Introductory`, `Developing`, `Proficient`"));
    // DESE's levels are not this program's.
    let dir = culinary();
    edit(
        dir.path(),
        "curriculum.yaml",
        "    levels: [Introductory]",
        "    levels: [basic]",
    );
    assert!(
        short_check(dir.path())
            .1
            .contains("error[R007]: bundle `culinary-introductory-student` names level `basic`")
    );
}

#[test]
fn a_listed_order_that_teaches_too_late_is_a_warning() {
    let dir = culinary();
    edit(
        dir.path(),
        "curriculum.yaml",
        "    group: Kitchen math\n",
        "    group: Kitchen math\n    order: listed\n",
    );
    let (code, text) = short_check(dir.path());
    assert_eq!(code, 1);
    assert!(
        text.contains("warning[C027]: bundle `kitchen-math-student` lists `culinary-knife-safety-and-yield` before `culinary-scaling-recipes`"),
        "{text}"
    );
}

#[test]
fn shared_images_are_checked_like_a_lessons_own() {
    let dir = culinary();
    edit(dir.path(), SCALING, "](/assets/", "](/assets/x");
    let out = run(dir.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("is not in the shared `assets/` folder"),
        "{text}"
    );
    assert!(
        text.contains("did you mean `/assets/measuring-equivalents.svg`?"),
        "{text}"
    );
    // Only the shared folder is named from the root.
    let dir = culinary();
    edit(dir.path(), SCALING, "](/assets/", "](/etc/");
    let (_, text) = short_check(dir.path());
    assert!(
        text.contains("error[C008]") && text.contains("is an absolute path; only `/assets/…`"),
        "{text}"
    );
}
