//! `cib build` end to end on a fixture curriculum: every artifact is made and
//! valid, student artifacts hold no instructor text, outputs are reproducible
//! and incremental, and failures leave the previous build alone.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;
use tempfile::TempDir;

use crate::{cib, copy_tree, files as tree, fixtures, run, stderr};

/// The base fixture with two lessons: one carrying instructor-only marker
/// words, one full of characters that mean something to typst.
pub(crate) fn fixture() -> TempDir {
    let dir = crate::curriculum(None);
    copy_tree(&fixtures().join("build"), dir.path());
    dir
}

pub(crate) fn build(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--no-progress"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert!(
        out.status.success(),
        "cib build failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    out
}

/// Runs an outside tool that `.ci/run` installs (qpdf, poppler-utils).
pub(crate) fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Process::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{name}` ({e}); install qpdf and poppler-utils, as .ci/run does")
    })
}

pub(crate) fn pdf_text(path: &Path) -> String {
    let out = tool("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]);
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8(out.stdout).unwrap()
}

/// The text of page `page` (from 1) of a PDF.
pub(crate) fn pdf_text_page(path: &Path, page: usize) -> String {
    let page = page.to_string();
    let args = [
        "-enc",
        "UTF-8",
        "-f",
        &page,
        "-l",
        &page,
        path.to_str().unwrap(),
        "-",
    ];
    let out = tool("pdftotext", &args);
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8(out.stdout).unwrap()
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(|p| dir.join(p))
        .collect()
}

fn rendered(out: &std::process::Output) -> BTreeSet<String> {
    stderr(out)
        .lines()
        .filter_map(|l| l.strip_prefix("rendered "))
        .filter_map(|l| l.split(' ').next())
        .filter(|p| p.ends_with(".pdf"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn build_makes_every_artifact_and_each_pdf_is_valid_tagged_and_titled() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    // Everything in build/ is for publishing: the cache of earlier builds' files
    // lives beside it.
    let files: BTreeSet<String> = tree(&out)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let cache = tree(&dir.path().join(".build.cache"));
    assert!(
        cache
            .keys()
            .any(|p| p.extension().is_some_and(|e| e == "pdf")),
        "{cache:?}"
    );
    let expected: BTreeSet<String> = [
        ".cib-build",
        "lessons/lesson-one.instructor.pdf",
        "lessons/lesson-one.student.pdf",
        "lessons/lesson-two.instructor.pdf",
        "lessons/lesson-two.student.pdf",
        "assessments/a-one.task-sheet.pdf",
        "assessments/a-one.score-sheet.pdf",
        "records/comp.pdf",
        "records/comp.csv",
        "bundles/comp-student-1.0.pdf",
        "bundles/comp-student-1.0.zip",
        "bundles/one-instructor-1.0.pdf",
        "bundles/one-instructor-1.0.zip",
        "bundles/topic-a-prep-1.0.pdf",
        "bundles/topic-a-prep-1.0.zip",
        "case/comp.json",
        "case/ext.json",
        "csv/comp.csv",
        "csv/ext.csv",
        "reports/coverage.csv",
        "reports/coverage.html",
        "reports/coverage.json",
        "reports/coverage.pdf",
        "site/index.html",
        "site/assessments/a-one.score-sheet.html",
        "site/assessments/a-one.task-sheet.html",
        "site/lessons/lesson-one.instructor.html",
        "site/lessons/lesson-one.student.html",
        "site/lessons/lesson-two.instructor.html",
        "site/lessons/lesson-two.student.html",
        "site/media/assessments/part.svg",
        "lms/comp-student-1.0.imscc",
        "lms/topic-a-prep-1.0.imscc",
        "lms/outcomes/canvas-outcomes.csv",
        "lms/outcomes/moodle/comp.csv",
        "lms/outcomes/moodle/ext.csv",
        "SHA256SUMS",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(files, expected);
    let titles = [
        ("lesson-one.instructor.pdf", "Lesson one"),
        (
            "lesson-two.student.pdf",
            "Specials # $ * _ ` < > @ = - + / \\ [ ] ~",
        ),
        ("comp-student-1.0.pdf", "Student bundle"),
        ("one-instructor-1.0.pdf", "Instructor bundle"),
        ("coverage.pdf", "Coverage report — Fixture curriculum"),
        ("a-one.task-sheet.pdf", "Task sheet — First thing practical"),
        (
            "a-one.score-sheet.pdf",
            "Score sheet — First thing practical",
        ),
        ("comp.pdf", "Competency records: Competency framework"),
    ];
    for pdf in pdfs(&out) {
        let check = tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        assert!(
            check.status.success(),
            "qpdf --check {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&check.stdout)
        );
        let info = String::from_utf8(tool("pdfinfo", &[pdf.to_str().unwrap()]).stdout).unwrap();
        assert!(
            info.contains("Tagged:          yes"),
            "{}:\n{info}",
            pdf.display()
        );
        assert!(info.contains("612 x 792 pts (letter)"), "{}", pdf.display());
        let title = info
            .lines()
            .find_map(|l| l.strip_prefix("Title:"))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{} has no title:\n{info}", pdf.display()));
        let name = pdf.file_name().unwrap().to_str().unwrap();
        if let Some((_, want)) = titles.iter().find(|(file, _)| *file == name) {
            assert_eq!(title, *want, "{name}");
        } else {
            assert!(!title.is_empty(), "{name}");
        }
    }
    let site = fs::read_to_string(out.join("site/index.html")).unwrap();
    for link in [
        "../bundles/comp-student-1.0.zip",
        "../bundles/one-instructor-1.0.pdf",
        "../lessons/lesson-two.student.pdf",
        "../reports/coverage.csv",
        "../assessments/a-one.task-sheet.pdf",
        "../assessments/a-one.score-sheet.pdf",
        "../records/comp.pdf",
        "../records/comp.csv",
        "../case/comp.json",
        "../csv/ext.csv",
    ] {
        assert!(site.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // The build's framework files are what `cib export` writes.
    let exported = cib(dir.path())
        .args(["export", "case", "--out", "exported"])
        .output()
        .unwrap();
    assert!(exported.status.success());
    for name in ["comp.json", "ext.json"] {
        assert_eq!(
            fs::read(out.join("case").join(name)).unwrap(),
            fs::read(dir.path().join("exported/case").join(name)).unwrap(),
            "{name}"
        );
    }
    assert!(
        !site.contains("http://") && !site.contains("https://"),
        "the catalog loads nothing from elsewhere"
    );
}

#[test]
fn student_artifacts_hold_no_instructor_only_text() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let lesson_markers = [
        "ZEBRANOTES",
        "ZEBRAPROCEDURE",
        "ZEBRAANSWER",
        "ZEBRAMATERIALS",
        "ZEBRASAFETY",
    ];
    // An assessment's setup, scoring notes (general and by criterion) and
    // model answers.
    let sheet_markers = ["ZEBRASETUP", "ZEBRASCORING", "ZEBRACRITERION", "ZEBRAMODEL"];
    let markers: Vec<&str> = lesson_markers
        .iter()
        .chain(&sheet_markers)
        .copied()
        .collect();
    let instructor = pdf_text(&out.join("lessons/lesson-one.instructor.pdf"));
    let score = pdf_text(&out.join("assessments/a-one.score-sheet.pdf"));
    let bundle = pdf_text(&out.join("bundles/one-instructor-1.0.pdf"));
    for marker in lesson_markers {
        assert!(
            instructor.contains(marker),
            "the instructor plan lacks {marker}"
        );
    }
    for marker in sheet_markers {
        assert!(score.contains(marker), "the score sheet lacks {marker}");
        assert!(
            bundle.contains(marker),
            "the instructor bundle lacks {marker}"
        );
    }
    assert!(bundle.contains("ZEBRAANSWER"));
    let student_pdfs: Vec<PathBuf> = pdfs(&out)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains("student") || name.contains("topic-a-prep") || name.contains("task-sheet")
        })
        .collect();
    assert_eq!(student_pdfs.len(), 5, "{student_pdfs:?}");
    for pdf in &student_pdfs {
        let text = pdf_text(pdf);
        if pdf.ends_with("a-one.task-sheet.pdf") {
            assert!(text.contains("Task text for everyone"), "{}", pdf.display());
        } else if !pdf.ends_with("lesson-two.student.pdf") {
            assert!(text.contains("Body text for everyone"), "{}", pdf.display());
        }
        for marker in &markers {
            assert!(!text.contains(marker), "{} shows {marker}", pdf.display());
        }
    }

    // Every entry of every student zip: its PDFs' text and its other files.
    let zips: Vec<PathBuf> = tree(&out)
        .into_keys()
        .filter(|p| p.starts_with("bundles") && p.extension().is_some_and(|e| e == "zip"))
        .filter(|p| !p.to_string_lossy().contains("instructor"))
        .collect();
    assert_eq!(zips.len(), 2, "{zips:?}");
    let unpacked = tempfile::tempdir().unwrap();
    let mut entries = 0;
    for zip in &zips {
        let mut archive = zip::ZipArchive::new(fs::File::open(out.join(zip)).unwrap()).unwrap();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            assert!(
                !name.contains("instructor") && !name.contains("score-sheet"),
                "{} holds {name}",
                zip.display()
            );
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            let text = if name.ends_with(".pdf") {
                let path = unpacked.path().join(format!("{entries}.pdf"));
                fs::write(&path, &bytes).unwrap();
                pdf_text(&path)
            } else {
                String::from_utf8(bytes).unwrap()
            };
            for marker in &markers {
                assert!(
                    !text.contains(marker),
                    "{} entry {name} shows {marker}",
                    zip.display()
                );
            }
            entries += 1;
        }
    }
    assert!(entries >= 9, "only {entries} zip entries read");

    // The catalog lists both audiences' downloads, but no instructor-only text.
    let site = fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(site.contains("lesson-one.student.pdf"));
    assert!(site.contains("a-one.score-sheet.pdf"));
    for marker in &markers {
        assert!(!site.contains(marker), "the catalog shows {marker}");
    }
}

#[test]
fn typst_special_characters_render_literally() {
    let dir = fixture();
    build(dir.path(), &[]);
    let text = pdf_text(&dir.path().join("build/lessons/lesson-two.student.pdf"));
    for literal in [
        "Specials # $ * _ ` < > @ = - + / \\ [ ] ~",
        "Heading # $ @ <label> = ~",
        "Plain: # $ * _ ` < > @ = - + / \\ [ ] ~ end.",
        "= not a heading",
        "- not a list",
        "+ not an enum",
        "/ not a term: list",
        "#set page(width: 2cm)",
        "$x^2$ stays text and // is not a comment, nor is /* this */",
        "# and $",
        "<b> @x [y]",
        "link #with $specials* _",
        "#import \"@preview/x:1.0.0\": *",
        "#pagebreak() is just text",
        "Read #set, $x$ and @ref as plain text",
    ] {
        assert!(text.contains(literal), "missing {literal:?} in:\n{text}");
    }
}

#[test]
fn two_builds_from_nothing_are_byte_identical() {
    let dir = fixture();
    build(dir.path(), &["--out", "first"]);
    build(dir.path(), &["--out", "second"]);
    let first = tree(&dir.path().join("first"));
    let second = tree(&dir.path().join("second"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{} differs", path.display());
    }
}

/// `build/SHA256SUMS` lists every published file, `sha256sum -c` accepts it,
/// `cib coverage` keeps it true, and it catches an edited file.
#[test]
fn the_checksum_list_verifies_every_file_of_the_build() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let verify = || {
        Process::new("sha256sum")
            .args(["--check", "--strict", "--quiet", "SHA256SUMS"])
            .current_dir(&out)
            .output()
            .unwrap()
    };
    assert!(verify().status.success(), "{}", stderr(&verify()));
    let listed: BTreeSet<PathBuf> = fs::read_to_string(out.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|l| PathBuf::from(&l[66..]))
        .collect();
    let published: BTreeSet<PathBuf> = tree(&out)
        .into_keys()
        .filter(|p| !p.to_string_lossy().starts_with('.') && p != Path::new("SHA256SUMS"))
        .collect();
    assert_eq!(listed, published);
    assert!(listed.contains(Path::new("site/index.html")));

    let lesson = dir.path().join("lessons/two.md");
    let text = fs::read_to_string(&lesson).unwrap();
    fs::write(&lesson, text.replace("stays text", "remains text")).unwrap();
    let coverage = run(dir.path(), &["coverage"]);
    assert!(coverage.status.success(), "{}", stderr(&coverage));
    assert!(
        verify().status.success(),
        "after cib coverage: {}",
        stderr(&verify())
    );

    fs::write(out.join("site/index.html"), "edited").unwrap();
    let failed = verify();
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stdout).contains("site/index.html: FAILED"));
}

/// Same sources, different folder, clock, time zone, locale and umask: the
/// same bytes in every file, cache included.
#[test]
fn builds_in_different_places_times_zones_and_locales_are_byte_identical() {
    let settings = [
        ("UTC", "C", "022"),
        ("Pacific/Kiritimati", "de_DE.UTF-8", "077"),
    ];
    let mut trees = Vec::new();
    for (i, (zone, locale, umask)) in settings.into_iter().enumerate() {
        if i > 0 {
            // DOS times in zip entries have 2-second steps: be sure the clock moved.
            std::thread::sleep(std::time::Duration::from_millis(2100));
        }
        let dir = fixture();
        let script = format!("umask {umask} && exec \"$0\" build --no-progress");
        let out = Process::new("sh")
            .arg("-c")
            .arg(&script)
            .arg(crate::binary())
            .current_dir(dir.path())
            .env("TZ", zone)
            .env("LANG", locale)
            .env("LC_ALL", locale)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        trees.push(tree(&dir.path().join("build")));
    }
    assert_eq!(
        trees[0].keys().collect::<Vec<_>>(),
        trees[1].keys().collect::<Vec<_>>()
    );
    assert!(trees[0].len() >= 20, "{} files", trees[0].len());
    for (path, bytes) in &trees[0] {
        assert!(bytes == &trees[1][path], "{} differs", path.display());
    }
}

#[test]
fn an_unchanged_build_renders_nothing_and_an_edit_renders_only_what_uses_it() {
    let dir = fixture();
    let first = build(dir.path(), &["--verbose"]);
    assert_eq!(rendered(&first).len(), 11, "{}", stderr(&first));
    let before = tree(&dir.path().join("build"));

    let again = build(dir.path(), &["--verbose"]);
    assert!(rendered(&again).is_empty(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("nothing to render: all 11 documents are unchanged"),
        "{}",
        stderr(&again)
    );
    assert_eq!(tree(&dir.path().join("build")), before);

    let lesson = dir.path().join("lessons/two.md");
    let text = fs::read_to_string(&lesson).unwrap();
    fs::write(&lesson, text.replace("stays text", "remains text")).unwrap();
    let edited = build(dir.path(), &["--verbose"]);
    // The coverage report's checksum counts a lesson's front matter, not its
    // text: an edit to the text leaves the report as it was.
    let expected: BTreeSet<String> = [
        "lessons/lesson-two.instructor.pdf",
        "lessons/lesson-two.student.pdf",
        "bundles/comp-student-1.0.pdf",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(rendered(&edited), expected, "{}", stderr(&edited));
    assert!(stderr(&edited).contains("rendered 3 of 11 documents (8 reused"));

    // The task is on the task sheet only; the score sheet stays as it was,
    // and both bundles holding the task sheet are joined again.
    let assessment = dir.path().join("assessments/a-one.md");
    let text = fs::read_to_string(&assessment).unwrap();
    fs::write(
        &assessment,
        text.replace("make the plate", "file the plate"),
    )
    .unwrap();
    let edited = build(dir.path(), &["--verbose"]);
    let expected: BTreeSet<String> = [
        "assessments/a-one.task-sheet.pdf",
        "bundles/comp-student-1.0.pdf",
        "bundles/one-instructor-1.0.pdf",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(rendered(&edited), expected, "{}", stderr(&edited));
}

/// The framework exports are cached too, and made again when a framework file
/// changes: a new title reaches the package that holds it and the package of
/// every framework that links to it.
#[test]
fn framework_exports_follow_an_edit_to_a_framework_file() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    assert!(read("case/ext.json").contains("\"Objective A.1\""));
    assert!(
        read("case/comp.json").contains("\"Objective A.1\""),
        "an alignment's link title"
    );
    let unchanged = tree(&out);
    build(dir.path(), &[]);
    assert_eq!(tree(&out), unchanged);

    let framework = dir.path().join("frameworks/ext.yaml");
    let text = fs::read_to_string(&framework).unwrap();
    fs::write(
        &framework,
        text.replace("title: Objective A.1", "title: Objective A.one"),
    )
    .unwrap();
    build(dir.path(), &[]);
    for name in ["case/ext.json", "case/comp.json", "csv/ext.csv"] {
        assert!(read(name).contains("Objective A.one"), "{name}");
        assert!(!read(name).contains("Objective A.1\""), "{name}");
    }
}

#[test]
fn zips_hold_the_pdfs_a_manifest_with_checksums_a_readme_and_the_license() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let bytes = fs::read(out.join("bundles/comp-student-1.0.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    assert_eq!(
        names,
        [
            "comp-student-1.0/LICENSE",
            "comp-student-1.0/README.txt",
            "comp-student-1.0/assessments/01-a-one.task-sheet.pdf",
            "comp-student-1.0/comp-student-1.0.pdf",
            "comp-student-1.0/lessons/01-lesson-one.pdf",
            "comp-student-1.0/lessons/02-lesson-two.pdf",
            "comp-student-1.0/manifest.json",
        ]
    );
    let read = |archive: &mut zip::ZipArchive<_>, name: &str| {
        let mut entry = archive.by_name(name).unwrap();
        assert_eq!(entry.unix_mode(), Some(0o100644), "{name}");
        let when = entry.last_modified().unwrap();
        assert_eq!(
            (when.year(), when.month(), when.day()),
            (2026, 1, 15),
            "{name}"
        );
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        bytes
    };
    let manifest: Value =
        serde_json::from_slice(&read(&mut archive, "comp-student-1.0/manifest.json")).unwrap();
    assert_eq!(manifest["bundle"]["id"], "comp-student");
    assert_eq!(manifest["lessons"][1]["id"], "lesson-two");
    assert_eq!(manifest["competencies"].as_array().unwrap().len(), 2);
    assert_eq!(manifest["alignments"][0]["target"], "ext:A.1");
    assert_eq!(manifest["assessments"][0]["id"], "a-one");
    assert_eq!(manifest["assessments"][0]["demonstrates"][0], "C-ONE");
    assert_eq!(
        manifest["assessments"][0]["files"],
        serde_json::json!([{"sheet": "task-sheet", "file": "assessments/01-a-one.task-sheet.pdf"}])
    );
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    for file in files {
        let path = file["path"].as_str().unwrap();
        let bytes = read(&mut archive, &format!("comp-student-1.0/{path}"));
        assert_eq!(file["size"], bytes.len(), "{path}");
        assert_eq!(file["sha256"], cib::package::sha256_hex(&bytes), "{path}");
    }
    let student_pdf = read(&mut archive, "comp-student-1.0/lessons/02-lesson-two.pdf");
    assert_eq!(
        student_pdf,
        fs::read(out.join("lessons/lesson-two.student.pdf")).unwrap()
    );
    let task_sheet = read(
        &mut archive,
        "comp-student-1.0/assessments/01-a-one.task-sheet.pdf",
    );
    assert_eq!(
        task_sheet,
        fs::read(out.join("assessments/a-one.task-sheet.pdf")).unwrap()
    );
    let readme = String::from_utf8(read(&mut archive, "comp-student-1.0/README.txt")).unwrap();
    assert!(
        readme
            .lines()
            .any(|l| l.starts_with("assessments/01-a-one.task-sheet.pdf ")
                && l.ends_with(" Task sheet — First thing practical")),
        "{readme}"
    );
    assert!(readme.contains("2 lessons, 1.2 hours of instruction, and 1 performance assessment."));
    let license = String::from_utf8(read(&mut archive, "comp-student-1.0/LICENSE")).unwrap();
    assert!(license.contains("CC0-1.0"));

    // The instructor bundle holds the score sheet after the task sheet.
    let bytes = fs::read(out.join("bundles/one-instructor-1.0.zip")).unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let sheets: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.contains("/assessments/"))
        .collect();
    assert_eq!(
        sheets,
        [
            "one-instructor-1.0/assessments/01-a-one.score-sheet.pdf",
            "one-instructor-1.0/assessments/01-a-one.task-sheet.pdf",
        ]
    );
}

#[test]
fn source_date_epoch_sets_zip_times_and_a_bad_one_is_refused() {
    let dir = fixture();
    let out = crate::cib(dir.path())
        .args(["build", "--no-progress"])
        .env("SOURCE_DATE_EPOCH", "1756684800")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = fs::read(dir.path().join("build/bundles/one-instructor-1.0.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let when = archive.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((when.year(), when.month(), when.day()), (2025, 9, 1));

    let bad = crate::cib(dir.path())
        .args(["build", "--no-progress"])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("SOURCE_DATE_EPOCH is `yesterday`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_failed_build_leaves_the_previous_build_as_it_was() {
    let dir = fixture();
    build(dir.path(), &[]);
    let before = tree(&dir.path().join("build"));
    // A damaged image fails typst (B001) ...
    copy_tree(&fixtures().join("codes/B001"), dir.path());
    let out = run(dir.path(), &["build", "--no-progress", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let printed = crate::stdout(&out);
    assert!(
        printed.contains("error[B001]: typst could not render lesson `lesson-one`"),
        "{printed}"
    );
    assert!(printed.contains("┌─ lessons/one.md:2:5"), "{printed}");
    assert!(printed.contains("it embeds lessons/vise.png"), "{printed}");
    assert_eq!(
        printed.matches("error[B001]").count(),
        1,
        "reported once: {printed}"
    );
    assert_eq!(tree(&dir.path().join("build")), before);
    // ... and so does a check error, before anything is rendered.
    fs::write(dir.path().join("lessons/one.md"), "no front matter\n").unwrap();
    let out = run(dir.path(), &["build", "--no-progress", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::stdout(&out).contains("error[P010]"),
        "{}",
        crate::stdout(&out)
    );
    assert!(stderr(&out).contains("build stopped: nothing was written"));
    assert_eq!(tree(&dir.path().join("build")), before);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".stage-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind");
}

#[test]
fn a_stale_staging_folder_from_a_killed_build_is_cleared() {
    let dir = fixture();
    let stale = dir.path().join(".build.stage-99999");
    fs::create_dir_all(stale.join("lessons")).unwrap();
    fs::write(stale.join("lessons/half.pdf"), b"%PDF-1.7 trunc").unwrap();
    build(dir.path(), &[]);
    assert!(!stale.exists());
}

#[test]
fn a_folder_cib_did_not_make_is_never_replaced() {
    let dir = fixture();
    fs::create_dir(dir.path().join("notes")).unwrap();
    fs::write(dir.path().join("notes/keep.txt"), "mine").unwrap();
    let out = run(dir.path(), &["build", "--no-progress", "--out", "notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`notes` exists and was not made by `cib build`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes/keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_version_that_cannot_name_a_file_is_refused_before_anything_is_built() {
    let dir = fixture();
    let yaml = dir.path().join("curriculum.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(
        &yaml,
        text.replace("version: \"1.0\"", "version: \"../1.0\""),
    )
    .unwrap();
    let out = run(dir.path(), &["build", "--no-progress", "--format", "short"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::stdout(&out).contains("curriculum.yaml:4:10: error[S001]"),
        "{}",
        crate::stdout(&out)
    );
    assert!(!dir.path().join("build").exists());
}

/// A bundle's PDF is its front (cover, contents) followed by its lessons'
/// PDFs, joined so that what makes it accessible and navigable holds for the
/// whole: one structure tree, a consistent parent tree and ID tree, bookmarks
/// and contents links that lead to each lesson's first page.
#[test]
fn a_bundle_pdf_joins_its_lessons_with_their_structure_bookmarks_and_links() {
    use lopdf::{Document, Object, ObjectId};
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let load = |path: &str| Document::load(out.join(path)).unwrap();
    let pdf = load("bundles/comp-student-1.0.pdf");
    // The lessons for students, then the assessment's task sheet.
    let lessons = [
        ("lessons/lesson-one.student.pdf", "Lesson one"),
        (
            "lessons/lesson-two.student.pdf",
            "Specials # $ * _ ` < > @ = - + / \\ [ ] ~",
        ),
        (
            "assessments/a-one.task-sheet.pdf",
            "Task sheet — First thing practical",
        ),
    ];
    let counts: Vec<usize> = lessons
        .iter()
        .map(|(path, _)| load(path).get_pages().len())
        .collect();
    let pages: Vec<ObjectId> = pdf.page_iter().collect();
    // Double-sided by default: a blank page after each part with an odd page
    // count but the last, so that every part starts on a front (odd) page.
    let mut starts = Vec::new();
    let mut next = 3;
    for (i, count) in counts.iter().enumerate() {
        starts.push(next);
        next += count + usize::from(count % 2 == 1 && i + 1 < counts.len());
    }
    assert_eq!(
        pages.len(),
        next - 1,
        "cover, contents, lessons, task sheet, blank backs"
    );
    assert!(starts.iter().all(|s| s % 2 == 1), "{starts:?}");
    let firsts: Vec<ObjectId> = starts.iter().map(|s| pages[s - 1]).collect();

    let deref = |o: &Object| pdf.dereference(o).unwrap().1.clone();
    let dict = |o: &Object| deref(o).as_dict().unwrap().clone();
    let name = |o: &Object| String::from_utf8(o.as_name().unwrap().to_vec()).unwrap();
    // PDF text strings are PDFDocEncoding (ASCII here) or UTF-16BE after a
    // byte-order mark, as typst writes any title with an em dash.
    let text = |o: &Object| {
        let bytes = deref(o).as_str().unwrap().to_vec();
        match bytes.strip_prefix(&[0xFE, 0xFF]) {
            Some(wide) => String::from_utf16(
                &wide
                    .chunks(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect::<Vec<_>>(),
            )
            .unwrap(),
            None => String::from_utf8(bytes).unwrap(),
        }
    };
    let catalog = pdf.catalog().unwrap().clone();

    // One Document element, holding a Part per lesson.
    let root = dict(catalog.get(b"StructTreeRoot").unwrap());
    let kids = deref(root.get(b"K").unwrap());
    let top = kids.as_array().unwrap();
    assert_eq!(top.len(), 1);
    let document = dict(&top[0]);
    assert_eq!(name(document.get(b"S").unwrap()), "Document");
    let parts: Vec<_> = deref(document.get(b"K").unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(&dict)
        .filter(|k| name(k.get(b"S").unwrap()) == "Part")
        .collect();
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert_eq!(
            part.get(b"P").unwrap(),
            &top[0],
            "a Part's parent is the Document"
        );
    }

    // Parent tree: each page and annotation key is there once, in order.
    let nums = dict(root.get(b"ParentTree").unwrap());
    let nums = nums.get(b"Nums").unwrap().as_array().unwrap();
    let keys: Vec<i64> = nums.chunks(2).map(|p| p[0].as_i64().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    let next = root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
    assert!(keys.iter().all(|k| *k < next));
    let mut used = Vec::new();
    for &page in &pages {
        let page = pdf.get_dictionary(page).unwrap();
        // A blank back holds nothing tagged.
        let Ok(key) = page.get(b"StructParents") else {
            continue;
        };
        used.push(key.as_i64().unwrap());
        if let Ok(annotations) = page.get(b"Annots") {
            for a in deref(annotations).as_array().unwrap() {
                used.push(dict(a).get(b"StructParent").unwrap().as_i64().unwrap());
            }
        }
    }
    used.sort_unstable();
    assert_eq!(
        used, keys,
        "every key in use is in the parent tree, and only those"
    );

    // ID tree: sorted and unique, and every table header a cell names is in it.
    let ids = dict(root.get(b"IDTree").unwrap());
    let ids: Vec<String> = ids
        .get(b"Names")
        .unwrap()
        .as_array()
        .unwrap()
        .chunks(2)
        .map(|p| text(&p[0]))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert!(
        ids.iter().any(|id| id.starts_with("L1-")) && ids.iter().any(|id| id.starts_with("L2-"))
    );
    let mut headers = 0;
    for object in pdf.objects.values() {
        let Ok(element) = object.as_dict() else {
            continue;
        };
        if let Ok(id) = element.get(b"ID") {
            assert!(
                ids.contains(&text(id)),
                "{} is not in the ID tree",
                text(id)
            );
        }
        for attributes in element.get(b"A").map(deref).iter() {
            let list = match attributes {
                Object::Array(list) => list.clone(),
                other => vec![other.clone()],
            };
            for header in list
                .iter()
                .filter_map(|a| dict(a).get(b"Headers").ok().cloned())
            {
                for id in header.as_array().unwrap() {
                    assert!(
                        ids.contains(&text(id)),
                        "header {} is not in the ID tree",
                        text(id)
                    );
                    headers += 1;
                }
            }
        }
        for value in element.iter().map(|(_, v)| v) {
            if let Object::String(bytes, _) = value {
                assert!(
                    !bytes.starts_with(b"cib-lesson:"),
                    "a placeholder link is left"
                );
            }
        }
    }
    assert!(headers > 0, "lesson two's table cells name their headers");

    // The contents links lead to each lesson's first page and say where.
    let contents = pdf.get_dictionary(pages[1]).unwrap();
    let links: Vec<_> = deref(contents.get(b"Annots").unwrap())
        .as_array()
        .unwrap()
        .iter()
        .map(&dict)
        .collect();
    assert_eq!(links.len(), 3);
    for ((link, first), (_, title)) in links.iter().zip(firsts.iter().copied()).zip(lessons) {
        let action = dict(link.get(b"A").unwrap());
        assert_eq!(name(action.get(b"S").unwrap()), "GoTo");
        let target = deref(action.get(b"D").unwrap());
        assert_eq!(target.as_array().unwrap()[0], Object::Reference(first));
        assert_eq!(text(link.get(b"Contents").unwrap()), title);
    }
    let printed = pdf_text(&out.join("bundles/comp-student-1.0.pdf"));
    assert!(printed.contains("Lesson one . ."), "{printed}");
    // The contents give each part's first page, as printed on that page and
    // as the page labels number it.
    for ((_, title), &start) in lessons.iter().zip(&starts) {
        let title: String = title.chars().take(10).collect();
        assert!(
            printed
                .lines()
                .any(|l| l.starts_with(&title) && l.ends_with(&format!(" {start}"))),
            "{title} on page {start}: {printed}"
        );
        let page = pdf_text_page(&out.join("bundles/comp-student-1.0.pdf"), start);
        assert!(
            page.contains(&format!("page {start} of {}", pages.len())),
            "{page}"
        );
    }
    let labels = dict(catalog.get(b"PageLabels").unwrap());
    let ranges = labels.get(b"Nums").unwrap().as_array().unwrap();
    assert_eq!(ranges.len(), 2, "one range numbers every page");
    assert_eq!(ranges[0], Object::Integer(0));
    assert_eq!(name(dict(&ranges[1]).get(b"S").unwrap()), "D");

    // Bookmarks: the contents, then each lesson, at its first page.
    let outlines = dict(catalog.get(b"Outlines").unwrap());
    let mut item = outlines.get(b"First").ok().cloned();
    let mut bookmarks = Vec::new();
    while let Some(reference) = item {
        let entry = dict(&reference);
        let dest = deref(entry.get(b"Dest").unwrap());
        bookmarks.push((
            text(entry.get(b"Title").unwrap()),
            dest.as_array().unwrap()[0].clone(),
        ));
        item = entry.get(b"Next").ok().cloned();
    }
    let titles: Vec<&str> = bookmarks.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        ["Contents", lessons[0].1, lessons[1].1, lessons[2].1]
    );
    for (bookmark, first) in bookmarks[1..].iter().zip(firsts.iter().copied()) {
        assert_eq!(bookmark.1, Object::Reference(first));
    }

    // Nothing of the lessons' own catalogs and trees is left over.
    // (lopdf keeps the object streams and the cross-reference stream it read;
    // nothing refers to those by design.)
    let mut pruned = pdf.clone();
    let orphans: Vec<ObjectId> = pruned
        .prune_objects()
        .into_iter()
        .filter(|id| {
            let stream = pdf.get_object(*id).and_then(Object::as_stream);
            let kind = stream
                .ok()
                .and_then(|s| s.dict.get(b"Type").ok()?.as_name().ok());
            !matches!(kind, Some(b"ObjStm" | b"XRef"))
        })
        .collect();
    assert_eq!(orphans, [], "objects nothing refers to");

    // The metadata counts the pages of the whole.
    let metadata = pdf
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap();
    let xmp = String::from_utf8(metadata.as_stream().unwrap().content.clone()).unwrap();
    assert!(
        xmp.contains(&format!("<xmpTPg:NPages>{}</xmpTPg:NPages>", pages.len())),
        "{xmp}"
    );
}

/// An artifact edited in place is not served from the cache it shares a file
/// with, and an edit leaves the same output as a build from nothing.
#[test]
fn a_rebuild_equals_a_build_from_nothing_even_after_an_artifact_was_edited() {
    let dir = fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");
    let lesson = dir.path().join("lessons/two.md");
    let text = fs::read_to_string(&lesson).unwrap();
    fs::write(&lesson, text.replace("stays text", "remains text")).unwrap();
    // Same size, different bytes: only the content hash can tell.
    let artifact = out.join("lessons/lesson-one.student.pdf");
    let mut bytes = fs::read(&artifact).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    fs::OpenOptions::new()
        .write(true)
        .open(&artifact)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    let rebuilt = build(dir.path(), &["--verbose"]);
    assert!(
        rendered(&rebuilt).contains("lessons/lesson-one.student.pdf"),
        "{}",
        stderr(&rebuilt)
    );

    let fresh = crate::curriculum(None);
    copy_tree(&fixtures().join("build"), fresh.path());
    fs::write(
        fresh.path().join("lessons/two.md"),
        fs::read(&lesson).unwrap(),
    )
    .unwrap();
    build(fresh.path(), &[]);
    assert_eq!(tree(&out), tree(&fresh.path().join("build")));
}

#[test]
fn the_catalog_lists_a_bundle_under_its_group_or_what_it_is_aligned_to() {
    let dir = fixture();
    build(dir.path(), &[]);
    let site = fs::read_to_string(dir.path().join("build/site/index.html")).unwrap();
    assert!(
        site.contains(">Lessons aligned to External framework</h2>"),
        "an aligned_to bundle is not assumed to be exam preparation"
    );
    let settings = dir.path().join("curriculum.yaml");
    let text = fs::read_to_string(&settings).unwrap();
    fs::write(
        &settings,
        text.replace(
            "    aligned_to: [\"ext:A\"]\n",
            "    aligned_to: [\"ext:A\"]\n    group: Topic A review\n",
        ),
    )
    .unwrap();
    build(dir.path(), &[]);
    let site = fs::read_to_string(dir.path().join("build/site/index.html")).unwrap();
    assert!(site.contains(">Topic A review</h2>"), "the author's group");
    assert!(!site.contains("Lessons aligned to"));
}
