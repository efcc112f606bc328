//! The command line as users meet it: exit statuses, formats, colour, paths, explain.

use std::path::Path;

use crate::{check_json, cib, curriculum, run, stderr, stdout};

#[test]
fn the_repository_curriculum_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (report, status) = check_json(root, &[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0, "{report:#}");
}

#[test]
fn the_base_fixture_is_clean() {
    let dir = curriculum(None);
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(stderr(&out), "checked 4 files: no problems found\n");
}

#[test]
fn version_is_printed() {
    let out = run(Path::new("."), &["--version"]);
    assert_eq!(stdout(&out), format!("cib {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = curriculum(Some("R002"));
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["summary"]["files"], 4);
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["warnings"], 0);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "R002");
    assert_eq!(d["name"], "unresolved-reference");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "competency `C-ONEE` does not exist");
    assert_eq!(d["file"], "competencies/comp.yaml");
    assert_eq!(d["range"]["start"]["line"], 22);
    assert_eq!(d["range"]["end"]["column"], 27);
    assert_eq!(d["hints"][0], "did you mean `C-ONE`?");
    assert!(report["tool"].as_str().unwrap().starts_with("cib "));
}

#[test]
fn short_and_github_formats() {
    let dir = curriculum(Some("R002"));
    let short = stdout(&run(dir.path(), &["check", "--format", "short"]));
    assert_eq!(
        short,
        "competencies/comp.yaml:22:21: error[R002]: competency `C-ONEE` does not exist\n"
    );
    let github = stdout(&run(dir.path(), &["check", "--format", "github"]));
    assert_eq!(
        github,
        "::error file=competencies/comp.yaml,line=22,col=21,endLine=22,endColumn=27,title=R002 unresolved-reference::competency `C-ONEE` does not exist%0Ahelp: did you mean `C-ONE`?\n"
    );
}

#[test]
fn findings_are_sorted_by_file_and_position() {
    let dir = curriculum(Some("R002"));
    std::fs::write(
        dir.path().join("lessons/one.md"),
        include_str!("../fixtures/codes/R005/lessons/one.md"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("frameworks/ext.yaml"),
        include_str!("../fixtures/codes/S002/frameworks/ext.yaml"),
    )
    .unwrap();
    let short = stdout(&run(dir.path(), &["check", "--format", "short"]));
    let files: Vec<&str> = short
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "competencies/comp.yaml",
            "frameworks/ext.yaml",
            "lessons/one.md"
        ],
        "{short}"
    );
}

#[test]
fn deny_warnings_fails_on_warnings_only() {
    let dir = curriculum(Some("R006"));
    assert_eq!(run(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        run(dir.path(), &["check", "--deny", "warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = curriculum(Some("R002"));
    let plain = stdout(&run(dir.path(), &["check"]));
    assert!(!plain.contains('\u{1b}'), "no colour into a pipe");
    let coloured = stdout(&run(dir.path(), &["check", "--color", "always"]));
    assert!(coloured.contains('\u{1b}'));
    let out = cib(dir.path())
        .env("NO_COLOR", "1")
        .args(["check"])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\u{1b}'));
}

#[test]
fn root_flag_prefixes_printed_paths() {
    let dir = curriculum(Some("R002"));
    let root = dir.path().to_str().unwrap();
    let out = run(
        Path::new("/"),
        &["--root", root, "check", "--format", "short"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(&format!("{root}/competencies/comp.yaml:22:21:")),
        "{}",
        stdout(&out)
    );
    let out = run(Path::new("/"), &["check", "--root", root]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "--root also works after the subcommand"
    );
}

#[test]
fn a_folder_without_curriculum_yaml_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no curriculum.yaml"),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["check", "--root", "does-not-exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot open root does-not-exist"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_arguments_exit_2() {
    let out = run(Path::new("."), &["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_lists_explains_and_suggests() {
    let list = stdout(&run(Path::new("."), &["explain"]));
    assert!(list.lines().count() >= 20);
    assert!(list.contains("R003  error    prerequisite-cycle"));
    let one = run(Path::new("."), &["explain", "prerequisite-cycle"]);
    assert!(stdout(&one).starts_with(
        "R003 prerequisite-cycle (error): prerequisites form a cycle\n\n## What it checks"
    ));
    let lower = run(Path::new("."), &["explain", "r003"]);
    assert_eq!(stdout(&lower), stdout(&one));
    let unknown = run(Path::new("."), &["explain", "R999"]);
    assert_eq!(unknown.status.code(), Some(2));
    let typo = run(Path::new("."), &["explain", "prerequisite-cycles"]);
    assert!(
        stderr(&typo).contains("did you mean `prerequisite-cycle`?"),
        "{}",
        stderr(&typo)
    );
}

/// The subcommands a help page lists under `Commands:` (clap's own `help` aside).
fn listed_subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every visible subcommand, at any depth, as its words (`["export", "case"]`),
/// read from the help pages themselves, so a new subcommand is covered at once.
fn visible_subcommands() -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut queue = vec![Vec::new()];
    while let Some(words) = queue.pop() {
        let mut args: Vec<&str> = words.iter().map(String::as_str).collect();
        args.push("--help");
        let out = run(Path::new("."), &args);
        assert_eq!(out.status.code(), Some(0), "cib {}", args.join(" "));
        for name in listed_subcommands(&stdout(&out)) {
            let mut sub = words.clone();
            sub.push(name);
            found.push(sub.clone());
            queue.push(sub);
        }
    }
    found.sort();
    found
}

const VISIBLE: [&str; 13] = [
    "build",
    "check",
    "completions",
    "coverage",
    "diff",
    "explain",
    "export",
    "import",
    "init",
    "lsp",
    "man",
    "new",
    "serve",
];

#[test]
fn every_subcommand_help_has_an_example() {
    let subs = visible_subcommands();
    let top: Vec<&str> = subs
        .iter()
        .filter(|s| s.len() == 1)
        .map(|s| s[0].as_str())
        .collect();
    for name in VISIBLE {
        assert!(top.contains(&name), "`cib --help` lists {name}: {top:?}");
    }
    for nested in [
        ["export", "case"],
        ["export", "csv"],
        ["import", "case"],
        ["import", "csv"],
    ] {
        assert!(subs.iter().any(|s| s == &nested), "{nested:?} in {subs:?}");
    }
    for sub in &subs {
        let mut args: Vec<&str> = sub.iter().map(String::as_str).collect();
        args.push("--help");
        let help = stdout(&run(Path::new("."), &args));
        let examples = help
            .split_once("\nExample")
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("`cib {}` has no examples:\n{help}", args.join(" ")));
        assert!(
            examples.contains(&format!("cib {}", sub.join(" "))),
            "`cib {}`: no example runs it:\n{help}",
            args.join(" ")
        );
    }
}

#[test]
fn the_command_list_is_one_line_per_command() {
    let help = stdout(&run(Path::new("."), &["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(commands.len(), VISIBLE.len() + 1, "and `help`:\n{help}");
    for line in commands {
        assert!(
            line.starts_with("  ") && !line.starts_with("   ") && line.len() <= 100,
            "one short line per command: {line:?}\n{help}"
        );
    }
}

#[test]
fn completions_name_every_visible_subcommand_and_no_hidden_one() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(Path::new("."), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for name in VISIBLE {
            assert!(script.contains(name), "{shell}: no `{name}`");
        }
        for nested in ["case", "csv"] {
            assert!(script.contains(nested), "{shell}: no `{nested}`");
        }
        for hidden in ["generate", "export-typst", "export__typst", "export_typst"] {
            assert!(
                !script.contains(hidden),
                "{shell}: offers hidden `{hidden}`"
            );
        }
    }
    let bash = stdout(&run(Path::new("."), &["completions", "bash"]));
    assert!(bash.contains("complete -F _cib"), "{bash}");
    let unknown = run(Path::new("."), &["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("possible values"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn man_prints_cib_1_and_writes_a_page_per_subcommand() {
    let out = run(Path::new("."), &["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    let header = page
        .lines()
        .find(|l| l.starts_with(".TH "))
        .unwrap_or_else(|| panic!("no .TH line:\n{page}"));
    assert!(header.starts_with(".TH CIB 1 \"\" \"cib "), "{header}");
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(page.contains(".SH EXAMPLES\n.nf\n"), "{page}");
    assert!(page.contains("cib\\-check(1)"), "{page}");
    assert!(
        !page.contains("generate") && !page.contains("typst"),
        "{page}"
    );

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("man1");
    let target_arg = target.to_str().unwrap();
    let out = run(Path::new("."), &["man", "--out", target_arg]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut pages: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = visible_subcommands()
        .iter()
        .map(|words| format!("cib-{}.1", words.join("-")))
        .collect();
    expected.push("cib.1".into());
    expected.sort();
    assert_eq!(pages, expected);
    let check = std::fs::read_to_string(target.join("cib-check.1")).unwrap();
    assert!(check.contains(".TH CIB-CHECK 1 "), "{check}");
    assert!(
        check.contains("cib check \\-\\-format github \\-\\-deny warnings"),
        "{check}"
    );
    assert_eq!(std::fs::read_to_string(target.join("cib.1")).unwrap(), page);
}

#[test]
fn valid_curricula_resolve_completely() {
    // A file that passes its schema but fails to deserialize would silently switch
    // off the reference rules; the fixtures and the repo must resolve in full.
    let base = crate::fixtures().join("base");
    for root in [Path::new(env!("CARGO_MANIFEST_DIR")), base.as_path()] {
        let checked = cib::check(root).unwrap();
        let c = &checked.curriculum;
        assert!(
            c.complete.frameworks && c.complete.competencies && c.complete.lessons,
            "{root:?}"
        );
        assert!(c.settings.is_some());
        assert!(!c.lessons.is_empty() && c.competencies().count() >= 2);
        assert!(
            c.lessons
                .iter()
                .all(|l| !l.body.is_empty() && l.duration_minutes > 0)
        );
    }
}

#[test]
fn schema_line_must_name_the_right_schema_at_the_right_depth() {
    let dir = curriculum(None);
    let path = dir.path().join("frameworks/ext.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text.split_once('\n').unwrap().1;
    let cases = [
        (
            "# yaml-language-server: $schema=../schemas/competency-framework.schema.json",
            "but this file is an external framework",
        ),
        (
            "# yaml-language-server: $schema=../../schemas/framework.schema.json",
            "which is not where the schema is from this file",
        ),
    ];
    for (line, message) in cases {
        std::fs::write(&path, format!("{line}\n{body}")).unwrap();
        let (report, status) = check_json(dir.path(), &[]);
        assert_eq!(status, 0, "a warning only");
        let d = &report["diagnostics"][0];
        assert_eq!(d["code"], "S002");
        assert!(d["message"].as_str().unwrap().contains(message), "{d:#}");
    }
    let url = "# yaml-language-server: $schema=https://example.org/cib/framework.schema.json";
    std::fs::write(&path, format!("{url}\n{body}")).unwrap();
    assert_eq!(check_json(dir.path(), &[]).0["summary"]["warnings"], 0);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(crate::binary())
        .arg("explain")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn bundle_alignment_selectors_must_resolve() {
    let dir = curriculum(None);
    let path = dir.path().join("curriculum.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"ext:A\"", "\"ext:AA\", \"nope:A\"");
    std::fs::write(&path, text).unwrap();
    let short = stdout(&run(dir.path(), &["check", "--format", "short"]));
    assert_eq!(
        short,
        "curriculum.yaml:19:18: error[R002]: framework `ext` has no item `AA`\n\
         curriculum.yaml:19:28: error[R002]: framework `nope` does not exist\n"
    );
}

#[test]
fn a_duration_cib_cannot_read_is_one_finding_not_a_lesson_of_no_minutes() {
    let dir = curriculum(None);
    let lesson = dir.path().join("lessons/one.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    let text = text
        .replace(
            "duration: 45\n",
            "duration: 90 min\nmachine_time:\n  - {machine: lathe, minutes: 20}\n",
        )
        .replace(
            "instructor:\n",
            "instructor:\n  procedure:\n    - {minutes: 30, step: Demonstrate.}\n",
        );
    std::fs::write(&lesson, text).unwrap();
    let settings = dir.path().join("curriculum.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        yaml.replace(
            "x-owner: cib tests\n",
            "shop:\n  students: 10\n  machines: {lathe: 1}\nx-owner: cib tests\n",
        ),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "short"]);
    let found = stdout(&out);
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(
        found.contains("error[S001]: `duration` must be a whole number, found text"),
        "{found}"
    );
}

#[test]
fn from_a_folder_inside_the_curriculum_cib_finds_its_root() {
    let dir = curriculum(None);
    let lessons = dir.path().join("lessons");
    let out = run(&lessons, &["check", "--format", "short"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stderr(&out).contains("checked 4 files: no problems found"));
    // Findings name files from where cib runs.
    let file = lessons.join("one.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("duration: 45\n", "duration: 9\n")).unwrap();
    let out = run(&lessons, &["check", "--format", "short"]);
    assert!(
        stdout(&out).starts_with("../lessons/one.md:4:"),
        "{}",
        stdout(&out)
    );
    // Where there is none above, the error says how to find one.
    let empty = tempfile::tempdir().unwrap();
    let out = run(empty.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("or one below it, or pass --root DIR"),
        "{}",
        stderr(&out)
    );
}
