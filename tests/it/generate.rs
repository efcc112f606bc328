//! `cib generate` (synthetic curricula for benchmarks) and `cib export-typst`
//! (the same documents as typst projects, for the typst CLI to compile).

use std::path::Path;

use crate::{assert_clean, files, run, stderr};

fn generate(dir: &Path, name: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["generate", name];
    all.extend_from_slice(args);
    run(dir, &all)
}

const SIZE: [&str; 6] = [
    "--lessons",
    "12",
    "--competencies",
    "60",
    "--frameworks",
    "3",
];

#[test]
fn a_generated_curriculum_is_clean_complete_and_the_same_for_a_seed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for (name, seed) in [("a", "5"), ("b", "5"), ("c", "6")] {
        let out = generate(tmp.path(), name, &[&SIZE[..], &["--seed", seed]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let a = files(&tmp.path().join("a"));
    assert_eq!(a, files(&tmp.path().join("b")), "same seed, same bytes");
    assert_ne!(a, files(&tmp.path().join("c")), "another seed, other text");

    let lessons: Vec<String> = a
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "md"))
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).expect("UTF-8"))
        .collect();
    assert_eq!(lessons.len(), 12);
    for lesson in &lessons {
        for part in [
            "| --- |",
            "```gcode",
            "![",
            "## ",
            "\n1. ",
            "answer_key:",
            "calculations:",
        ] {
            assert!(
                lesson.contains(part),
                "a lesson without `{part}`:\n{lesson}"
            );
        }
    }
    let competencies = a
        .iter()
        .filter(|(p, _)| p.starts_with("competencies"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).matches("\n  - id: ").count())
        .sum::<usize>();
    assert_eq!(competencies, 60);

    // No error and no warning: every competency is taught, every reference
    // resolves, every calculation and G-code block is right.
    assert_clean(&tmp.path().join("a"));
}

#[test]
fn a_generated_curriculum_builds() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let args = ["--lessons", "2", "--competencies", "6", "--frameworks", "1"];
    assert!(generate(tmp.path(), "g", &args).status.success());
    let out = run(&tmp.path().join("g"), &["build", "--no-progress"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 2 lessons × 2 audiences, 2 bundles, the coverage report, the
    // framework's records.
    assert!(
        stderr(&out).contains("rendered 8 of 8 documents"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn generate_refuses_a_folder_with_files_and_sizes_it_cannot_make() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(tmp.path().join("used")).expect("mkdir");
    std::fs::write(tmp.path().join("used/notes.txt"), "keep me").expect("write");
    let out = generate(tmp.path(), "used", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty; generate into a new folder"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("used/notes.txt")).expect("read"),
        "keep me"
    );
    for (args, message) in [
        (["--lessons", "0"], "at least one lesson"),
        (["--competencies", "0"], "at least one competency"),
        (["--frameworks", "0"], "number of competency frameworks"),
        (["--lessons", "9001"], "at most 9000 lessons"),
    ] {
        let out = generate(tmp.path(), "new", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(!tmp.path().join("new").exists(), "{args:?} wrote files");
    }
}

#[test]
fn export_typst_writes_a_project_for_every_document_a_build_makes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let args = ["--lessons", "3", "--competencies", "9", "--frameworks", "1"];
    assert!(generate(tmp.path(), "g", &args).status.success());
    let root = tmp.path().join("g");
    let out = run(&root, &["export-typst", "../projects"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let projects = tmp.path().join("projects");
    let list = std::fs::read_to_string(projects.join("projects.tsv")).expect("projects.tsv");
    let rows: Vec<Vec<&str>> = list.lines().map(|l| l.split('\t').collect()).collect();
    // 3 lessons × 2 audiences, the coverage report, the framework's
    // records, 2 bundle fronts.
    assert_eq!(rows.len(), 10, "{list}");
    for row in &rows {
        let [name, main, pdf, parts] = row[..] else {
            panic!("a row is folder, main file, PDF path, parts: {row:?}")
        };
        // A bundle's front lists the lesson projects that follow it, and only
        // a bundle's front does.
        assert_eq!(pdf.starts_with("bundles/"), !parts.is_empty(), "{row:?}");
        for part in parts.split(',').filter(|p| !p.is_empty()) {
            assert!(
                rows.iter()
                    .any(|r| r[0] == part && r[2].starts_with("lessons/")),
                "{part} is a lesson project"
            );
        }
        assert!(main.starts_with(&format!("{name}/")), "{row:?}");
        assert!(projects.join(main).is_file(), "{row:?}");
        let data = std::fs::read(projects.join(name).join(".cib/data.json")).expect("data");
        serde_json::from_slice::<serde_json::Value>(&data).expect("data.json is JSON");
        assert!(pdf.ends_with(".pdf"));
    }
    let lesson = rows
        .iter()
        .find(|r| r[2].starts_with("lessons/"))
        .expect("a lesson");
    assert!(
        projects
            .join(lesson[0])
            .join("lessons/gen-01/gen-01-setup.svg")
            .is_file(),
        "the lesson's image is in its project"
    );

    let out = run(&root, &["export-typst", "../projects"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty; export into a new folder"));

    std::fs::write(
        root.join("lessons/gen-01/gen-01-lesson-0001.md"),
        "no front matter\n",
    )
    .expect("write");
    let out = run(&root, &["export-typst", "../other"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the curriculum has errors"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("other").exists());
}
