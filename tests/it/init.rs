//! `cib init` (a new curriculum repository) and `cib new lesson|competency|framework`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::{assert_clean, cib, files, replace_placeholders, run, stderr, stdout};

/// A curriculum made by `cib init --template machining` in a temporary
/// folder: (the temp dir, the root).
fn initialised() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = run(tmp.path(), &["init", "school", "--template", "machining"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let root = tmp.path().join("school");
    (tmp, root)
}

/// `cib new ARGS…` in `root`.
fn new(root: &Path, args: &[&str]) -> Output {
    run(root, &[&["new"], args].concat())
}

/// Asserts that `text` holds every one of `parts`.
fn holds(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` not in:\n{text}");
    }
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn init_by_default_writes_a_program_of_placeholders_that_builds() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = run(
        tmp.path(),
        &["init", "weld", "--title", "Welding and Metal Fabrication"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    holds(
        &said,
        &[
            "competencies/welding-and-metal-fabrication.yaml",
            "lessons/welding-and-metal-fabrication/welding-and-metal-fabrication-first-lesson.md",
            "Replace the 12 placeholders `cib check` lists (C025)",
        ],
    );
    let root = tmp.path().join("weld");
    assert!(!root.join("frameworks").exists(), "no machine-shop example");
    let all: String = files(&root)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("schemas"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    for shop in ["machine", "lathe", "safety glasses", "steel rule"] {
        assert!(
            !all.to_lowercase().contains(shop),
            "`{shop}` in a welding start"
        );
    }
    assert!(
        read(root.join(".gitignore"))
            .lines()
            .any(|l| l == ".build.lock")
    );
    // Helix's project file names `cib lsp` as a server of both kinds of file
    // a curriculum has, beside Helix's own.
    let helix = read(root.join(".helix/languages.toml"));
    holds(
        &helix,
        &[
            "[language-server.cib]\ncommand = \"cib\"\nargs = [\"lsp\"]\n",
            "name = \"markdown\"\nlanguage-servers = [\"marksman\", \"cib\"]\n",
            "name = \"yaml\"\nlanguage-servers = [\"yaml-language-server\", \"cib\"]\n",
        ],
    );
    let checked = cib::check(&root).expect("check runs");
    let k = checked.curriculum.competencies().next().unwrap();
    assert_eq!(k.id.value.as_str(), "WMF-01");
    // It builds with its placeholders; --deny warnings lists exactly them,
    // and passes once they are replaced.
    let out = run(&root, &["build", "--no-progress"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(replace_placeholders(&root), 12);
    let out = run(&root, &["build", "--no-progress"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn init_writes_a_curriculum_that_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // A title YAML would misread unquoted, and a publisher YAML 1.1 took for `false`.
    let out = cib(tmp.path())
        .args([
            "init",
            "new-school",
            "--template",
            "machining",
            "--title",
            "Machine Tool Technology: Year 1",
        ])
        .args(["--publisher", "No", "--license", "CC-BY-SA-4.0"])
        .env("SOURCE_DATE_EPOCH", "1788220800")
        .output()
        .expect("run cib");
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let said = stdout(&out);
    holds(
        &said,
        &[
            "curriculum.yaml",
            "frameworks/example-standards.yaml",
            "competencies/shop-basics.yaml",
            "lessons/shop-basics/shop-safety-and-steel-rule.md",
            "cd new-school && cib check && cib build",
        ],
    );
    let root = tmp.path().join("new-school");
    let settings = read(root.join("curriculum.yaml"));
    assert!(
        settings.starts_with("# yaml-language-server: $schema=schemas/curriculum.schema.json\n")
    );
    holds(
        &settings,
        &[
            "title: \"Machine Tool Technology: Year 1\"\n",
            "publisher: \"No\"\n",
            "license: CC-BY-SA-4.0\n",
            "date: \"2026-09-01\"\n",
        ],
    );
    for (name, text) in cib::check::schema::EMBEDDED {
        assert_eq!(read(root.join("schemas").join(name)), *text);
    }
    let framework = read(root.join("frameworks/example-standards.yaml"));
    assert!(framework.contains("EXAMPLE") && framework.contains("status: provisional"));
    assert!(!framework.contains("status: verified"));

    assert_clean(&root);
    let checked = cib::check(&root).expect("check runs");
    let c = &checked.curriculum;
    assert_eq!(c.frameworks.len(), 1);
    assert_eq!(c.competencies().count(), 2);
    assert_eq!(c.lessons.len(), 1);
    let settings = c.settings.as_ref().expect("settings");
    assert_eq!(settings.bundles.len(), 2);
    assert_eq!(settings.thresholds.len(), 1);

    let out = run(&root, &["build", "--no-progress"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let site = read(root.join("build/site/index.html"));
    assert!(site.contains("Machine Tool Technology: Year 1"));
    assert!(
        root.join("build/lessons/shop-safety-and-steel-rule.student.pdf")
            .is_file()
    );
    let coverage = read(root.join("build/reports/coverage.json"));
    assert!(coverage.contains("EX-1.2"), "{coverage}");
}

#[test]
fn init_writes_a_pre_commit_hook_and_a_workflow_that_run_cib_check() {
    let (_tmp, root) = initialised();
    holds(
        &read(root.join(".pre-commit-config.yaml")),
        &[
            "repo: local",
            "entry: cib check --format short",
            "language: system",
            "pass_filenames: false",
            r"files: '^(curriculum\.yaml|frameworks/|competencies/|lessons/)'",
        ],
    );
    holds(
        &read(root.join(".github/workflows/curriculum.yml")),
        &[
            "TEMPLATE",
            concat!("CIB_VERSION: \"", env!("CARGO_PKG_VERSION"), "\"\n"),
            concat!(
                "cib-",
                env!("CARGO_PKG_VERSION"),
                "-x86_64-unknown-linux-gnu.tar.gz\n"
            ),
            "sha256sum --check --strict",
            "run: cib check --format github",
            "run: cib build",
            "uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
            "path: build/",
        ],
    );
    assert!(read(root.join(".gitignore")).lines().any(|l| l == "build/"));
    assert!(read(root.join("README.md")).starts_with("# My Program\n"));
}

#[test]
fn init_refuses_a_folder_with_files_and_bad_settings() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(tmp.path().join("used")).expect("mkdir");
    std::fs::write(tmp.path().join("used/notes.txt"), "keep me").expect("write");
    let out = run(tmp.path(), &["init", "used"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`used` is not empty; init into a new folder"),
        "{}",
        stderr(&out)
    );
    assert_eq!(files(&tmp.path().join("used")).len(), 1);
    assert_eq!(read(tmp.path().join("used/notes.txt")), "keep me");

    for (args, message) in [
        (&["--license", "my own"][..], "not an SPDX license"),
        (&["--title", " "][..], "the title is empty"),
        (
            &["--publisher", "two\nlines"][..],
            "the publisher holds a line break",
        ),
    ] {
        let out = cib(tmp.path())
            .args(["init", "fresh"])
            .args(args)
            .output()
            .expect("run cib");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(!tmp.path().join("fresh").exists(), "{args:?} wrote files");
    }

    // An empty folder is fine.
    std::fs::create_dir(tmp.path().join("empty")).expect("mkdir");
    assert!(run(tmp.path(), &["init", "empty"]).status.success());
    assert!(tmp.path().join("empty/curriculum.yaml").is_file());
}

#[test]
fn new_lesson_competency_and_framework_keep_the_curriculum_clean() {
    let (tmp, root) = initialised();
    let shop = root.join("competencies/shop-basics.yaml");
    let original = read(&shop);
    let added = |args: &[&str]| {
        let out = new(&root, args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    };

    let said = added(&[
        "competency",
        "SHOP-MEAS-02",
        "--framework",
        "shop-basics",
        "--title",
        "Measure with a micrometer",
        "--level",
        "essential",
        "--hours",
        "2.5",
        "--statement",
        "Measure an outside diameter: to ±0.001 in, with a 0-1 in micrometer.",
    ]);
    assert!(
        said.contains("added to competencies/shop-basics.yaml"),
        "{said}"
    );
    assert!(said.contains("no lesson teaches `SHOP-MEAS-02`"), "{said}");
    let extended = read(&shop);
    assert!(
        extended.starts_with(&original),
        "the file's text and comments are kept:\n{extended}"
    );
    assert!(original.contains("# Our competencies:"));
    assert_eq!(
        extended,
        format!(
            "{original}\n  - id: SHOP-MEAS-02\n    title: Measure with a micrometer\n    \
             statement: \"Measure an outside diameter: to ±0.001 in, with a 0-1 in micrometer.\"\n    \
             level: essential\n    hours: 2.5\n    criteria:\n      \
             - Replace with an observable criterion that shows the competency is met.\n"
        )
    );

    let said = added(&["framework", "cnc-mill", "--title", "CNC Milling"]);
    assert!(
        said.contains("created competencies/cnc-mill.yaml"),
        "{said}"
    );
    // From another folder, with --root.
    let out = run(
        tmp.path(),
        &[
            "--root",
            "school",
            "new",
            "framework",
            "state-mtt",
            "--external",
            "--title",
            "State framework",
            "--publisher",
            "State Department of Education",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("created school/frameworks/state-mtt.yaml"),
        "{}",
        stdout(&out)
    );

    let said = added(&[
        "lesson",
        "shop-micrometer",
        "--title",
        "Reading a Micrometer",
        "--teaches",
        "SHOP-MEAS-02,CNC-MILL-01",
        "--minutes",
        "90",
        "--folder",
        "shop-basics",
    ]);
    assert!(
        said.contains("created lessons/shop-basics/shop-micrometer.md"),
        "{said}"
    );

    // Every new competency is now taught: only the template text is left,
    // 7 in the new lesson, 4 in the new competency framework, 2 in the
    // external one and 1 in the new competency.
    assert_eq!(replace_placeholders(&root), 14);
    let checked = cib::check(&root).expect("check runs");
    let c = &checked.curriculum;
    let k = c.competency("SHOP-MEAS-02").expect("the new competency");
    assert_eq!(k.framework.as_str(), "shop-basics");
    assert_eq!(k.hours, 2.5);
    assert!(c.competency("CNC-MILL-01").is_some());
    assert!(
        c.frameworks
            .iter()
            .any(|f| f.id.value.as_str() == "state-mtt")
    );
    let lesson = c
        .lessons
        .iter()
        .find(|l| l.id.value.as_str() == "shop-micrometer")
        .expect("the new lesson");
    assert_eq!(lesson.duration_minutes, 90);
    assert_eq!(lesson.teaches.len(), 2);
}

#[test]
fn new_refuses_taken_and_malformed_ids_and_changes_nothing() {
    let (_tmp, root) = initialised();
    let before = files(&root);
    // Arguments are split at spaces.
    for (args, message) in [
        (
            "competency SHOP-SAFE-01 --framework shop-basics --title T",
            "a competency with id `SHOP-SAFE-01` already exists, in competencies/shop-basics.yaml",
        ),
        (
            "lesson shop-safety-and-steel-rule --title T --teaches SHOP-SAFE-01",
            "a lesson with id `shop-safety-and-steel-rule` already exists",
        ),
        (
            "framework shop-basics --title T",
            "a framework with id `shop-basics` already exists",
        ),
        (
            "framework example-standards --external --title T --publisher P",
            "a framework with id `example-standards` already exists",
        ),
        (
            "framework more-safety --title T --competency SHOP-SAFE-01",
            "a competency with id `SHOP-SAFE-01` already exists",
        ),
        (
            "lesson Bad_Id --title T --teaches SHOP-SAFE-01",
            "`Bad_Id` is not a valid lesson id: it must match the pattern ^[a-z0-9]+(-[a-z0-9]+)*$",
        ),
        (
            "competency shop-meas-03 --framework shop-basics --title T",
            "`shop-meas-03` is not a valid competency id: it must match the pattern ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
        ),
        (
            "framework CNC --title T",
            "`CNC` is not a valid framework id: it must match the pattern",
        ),
        (
            "competency SHOP-MEAS-03 --framework shop-basics --title T --level expert",
            "`expert` is not a level of the curriculum's scale: it must be one of basic, essential, advanced, advanced-plus",
        ),
        (
            "lesson new-one --title T --teaches SHOP-MEAS-1",
            "no competency `SHOP-MEAS-1` in competencies/; did you mean `SHOP-MEAS-01`?",
        ),
        (
            "lesson new-one --title T --teaches SHOP-SAFE-01 --minutes 5",
            "`5` is not a valid duration: it must be from 15 to 600",
        ),
        (
            "lesson new-one --title T --teaches SHOP-SAFE-01 --folder ../out",
            "--folder `../out` must be a folder under lessons/",
        ),
        (
            "competency SHOP-MEAS-03 --framework example-standards --title T",
            "`example-standards` is an external framework",
        ),
        (
            "competency SHOP-MEAS-03 --framework shop-basic --title T",
            "no competency framework `shop-basic` in competencies/; did you mean `shop-basics`?",
        ),
    ] {
        let out = new(&root, &args.split(' ').collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(2), "{args}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args}: {}", stderr(&out));
        assert_eq!(files(&root), before, "{args} changed a file");
    }
    // A file in the way is never replaced, even one holding another lesson;
    // and a lesson that does not load could hold any id, so nothing is added
    // until it is fixed.
    let lesson = read(root.join("lessons/shop-basics/shop-safety-and-steel-rule.md"));
    let other = lesson.replace("id: shop-safety-and-steel-rule", "id: other-lesson");
    for (text, id, message) in [
        (
            other.as_str(),
            "in-the-way",
            "`lessons/in-the-way.md` exists; cib new never replaces a file",
        ),
        (
            "no front matter\n",
            "fine-id",
            "a lesson file could not be read",
        ),
    ] {
        std::fs::write(root.join("lessons/in-the-way.md"), text).expect("write");
        let out = new(
            &root,
            &["lesson", id, "--title", "T", "--teaches", "SHOP-SAFE-01"],
        );
        assert_eq!(out.status.code(), Some(2), "{id}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{id}: {}", stderr(&out));
        assert_eq!(read(root.join("lessons/in-the-way.md")), text);
        assert!(!root.join("lessons/fine-id.md").exists());
    }
}

#[test]
fn new_puts_the_file_back_when_the_check_finds_an_error() {
    let (_tmp, root) = initialised();
    let before = files(&root);
    // No font cib prints with has Chinese characters (C010).
    for args in [
        "lesson odd --title 漢字 --teaches SHOP-SAFE-01 --folder odd/deeper",
        "competency SHOP-ODD-01 --framework shop-basics --title 漢字",
    ] {
        let out = new(&root, &args.split(' ').collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(1), "{args}: {}", stderr(&out));
        assert!(stdout(&out).contains("C010"), "{}", stdout(&out));
        assert!(
            stderr(&out).contains("was put back as it was"),
            "{}",
            stderr(&out)
        );
        assert_eq!(files(&root), before, "{args} left a change");
    }
    assert!(
        !root.join("lessons/odd").exists(),
        "the folders made are removed"
    );
}

#[test]
fn new_counts_what_it_added_and_what_the_curriculum_has_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "program"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let root = tmp.path().join("program");
    let out = new(
        &root,
        &[
            "lesson",
            "second-lesson",
            "--title",
            "Second",
            "--teaches",
            "MP-01",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // 7 placeholders in the new lesson, 12 left by `cib init`.
    assert!(
        stderr(&out).contains(
            "the new lesson adds 0 errors and 7 warnings; the curriculum has 0 errors and 19 warnings in all (`cib check` lists them)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("checked "), "{}", stderr(&out));
}
