//! One fixture per diagnostic code: the code fires, at the expected file, line and
//! column, with the expected exit status; the human rendering is snapshotted.

use std::fs;
use std::path::Path;

use cib::diag::{Code, Severity};

use crate::{check_json, codes_base, curriculum, located, run, stdout};

enum Setup {
    /// Files from `tests/fixtures/codes/<CODE>/` laid over the base fixture.
    Overlay,
    /// Inputs too large, binary or environment-specific to commit.
    Generate(fn(&Path)),
}

struct Case {
    code: &'static str,
    setup: Setup,
    file: &'static str,
    at: Option<(u64, u64)>,
}

fn cases() -> Vec<Case> {
    use Setup::*;
    let case = |code, setup, file, at| Case {
        code,
        setup,
        file,
        at,
    };
    vec![
        case(
            "L001",
            Generate(|root| {
                let f = fs::File::create(root.join("competencies/big.yaml")).unwrap();
                f.set_len(9 * 1024 * 1024).unwrap();
            }),
            "competencies/big.yaml",
            None,
        ),
        case(
            "L002",
            Generate(|root| {
                fs::write(
                    root.join("lessons/latin1.md"),
                    b"---\nid: caf\xE9\ntitle: x\n---\n",
                )
                .unwrap();
            }),
            "lessons/latin1.md",
            Some((2, 8)),
        ),
        case(
            "L003",
            Generate(|root| {
                let text = codes_base().replace("title: First", "title: Fi\0rst");
                fs::write(root.join("competencies/comp.yaml"), text).unwrap();
            }),
            "competencies/comp.yaml",
            Some((8, 14)),
        ),
        case(
            "L004",
            Generate(|root| {
                std::os::unix::fs::symlink("/", root.join("lessons/escape.md")).unwrap();
            }),
            "lessons/escape.md",
            None,
        ),
        case(
            "L007",
            Generate(|root| {
                // With curriculum.yaml, ext.yaml and comp.yaml read first, the
                // 9 998th of these is file 10 001.
                fs::create_dir_all(root.join("lessons/many")).unwrap();
                for i in 0..9_998 {
                    fs::write(root.join(format!("lessons/many/f{i:05}.md")), "").unwrap();
                }
            }),
            "lessons/many/f09997.md",
            None,
        ),
        case(
            "L005",
            Generate(|root| {
                std::os::unix::fs::symlink("missing.md", root.join("lessons/broken.md")).unwrap();
            }),
            "lessons/broken.md",
            None,
        ),
        case(
            "L006",
            Generate(|root| {
                let text = format!("\u{FEFF}{}", codes_base());
                fs::write(root.join("competencies/comp.yaml"), text).unwrap();
            }),
            "competencies/comp.yaml",
            Some((1, 1)),
        ),
        case("P001", Overlay, "competencies/comp.yaml", Some((9, 4))),
        case("P002", Overlay, "competencies/comp.yaml", Some((12, 5))),
        case("P003", Overlay, "frameworks/deep.yaml", Some((2, 68))),
        case(
            "P004",
            Generate(|root| {
                let list = vec!["1"; 1_000_001].join(",");
                fs::write(
                    root.join("frameworks/many.yaml"),
                    format!("id: many\nitems: [{list}]\n"),
                )
                .unwrap();
            }),
            "frameworks/many.yaml",
            Some((2, 1_999_999)),
        ),
        case("P005", Overlay, "frameworks/ext.yaml", Some((4, 12))),
        case("P006", Overlay, "frameworks/ext.yaml", Some((4, 12))),
        case("P007", Overlay, "frameworks/empty.yaml", None),
        case("P008", Overlay, "frameworks/two.yaml", Some((3, 1))),
        case("P009", Overlay, "frameworks/complex.yaml", Some((3, 3))),
        case("P010", Overlay, "lessons/no-front-matter.md", Some((1, 1))),
        case("P011", Overlay, "lessons/unterminated.md", Some((1, 1))),
        case("S001", Overlay, "competencies/comp.yaml", Some((15, 19))),
        case("S002", Overlay, "frameworks/ext.yaml", Some((1, 1))),
        case("R001", Overlay, "competencies/more.yaml", Some((7, 9))),
        case("R002", Overlay, "competencies/comp.yaml", Some((22, 21))),
        case("R003", Overlay, "competencies/comp.yaml", Some((23, 21))),
        case("R004", Overlay, "competencies/comp.yaml", Some((14, 17))),
        case("R005", Overlay, "lessons/one.md", Some((5, 25))),
        case("R006", Overlay, "competencies/comp.yaml", Some((26, 9))),
        case("R007", Overlay, "competencies/comp.yaml", Some((10, 12))),
        case("C001", Overlay, "competencies/comp.yaml", Some((18, 16))),
        case("C002", Overlay, "lessons/one.md", Some((9, 9))),
        case("C003", Overlay, "lessons/one.md", Some((17, 13))),
        case("C004", Overlay, "lessons/one.md", Some((21, 1))),
        case("C005", Overlay, "competencies/course.yaml", Some((6, 11))),
        case("C006", Overlay, "lessons/one.md", Some((4, 11))),
        case("C007", Overlay, "lessons/one.md", Some((26, 1))),
        case("C008", Overlay, "lessons/one.md", Some((26, 27))),
        case("C009", Overlay, "lessons/one.md", Some((26, 1))),
        case("C010", Overlay, "lessons/one.md", Some((24, 35))),
        case("C011", Overlay, "assessments/a.md", Some((25, 9))),
        case("C012", Overlay, "assessments/a.md", Some((23, 19))),
        case("C013", Overlay, "assessments/a.md", Some((5, 23))),
        case("C014", Overlay, "assessments/a.md", Some((30, 22))),
        case("C015", Overlay, "assessments/a.md", Some((6, 11))),
        case("C016", Overlay, "competencies/comp.yaml", Some((17, 9))),
        case("C017", Overlay, "lessons/one.md", Some((26, 1))),
        case("C018", Overlay, "lessons/one.md", Some((24, 73))),
        case("C019", Overlay, "curriculum.yaml", Some((28, 13))),
        case("C020", Overlay, "curriculum.yaml", Some((28, 13))),
        case("C021", Overlay, "curriculum.yaml", Some((27, 18))),
        case("C022", Overlay, "lessons/one.md", Some((6, 14))),
        case("C023", Overlay, "lessons/one.md", Some((31, 5))),
        case("C024", Overlay, "lessons/one.md", Some((12, 13))),
        case("C025", Overlay, "lessons/one.md", Some((9, 5))),
        case("C026", Overlay, "formulas.yaml", Some((6, 17))),
        case("C027", Overlay, "curriculum.yaml", Some((16, 15))),
        case("C028", Overlay, "lessons/one.md", Some((28, 1))),
        case("B001", Overlay, "lessons/one.md", Some((2, 5))),
        case("X001", Overlay, "package.json", Some((95, 29))),
        case("X002", Overlay, "table.csv", Some((1, 15))),
        case("X003", Overlay, "package.json", Some((57, 5))),
        case("X004", Overlay, "package.json", Some((23, 7))),
        case("X005", Overlay, "package.json", Some((22, 29))),
        case("X006", Overlay, "package.json", Some((46, 25))),
        case("X007", Overlay, "package.json", Some((23, 7))),
        case("X008", Overlay, "package.json", Some((20, 24))),
        case("X009", Overlay, "package.json", Some((21, 28))),
    ]
}

fn prepare(case: &Case) -> tempfile::TempDir {
    match case.setup {
        Setup::Overlay => curriculum(Some(case.code)),
        Setup::Generate(make) => {
            let dir = curriculum(None);
            make(dir.path());
            dir
        }
    }
}

/// Build codes (B) come from `cib build`, exchange codes (X) from `cib import`
/// of the fixture's file, the others from `cib check`; all print findings the
/// same ways.
fn findings(dir: &Path, case: &Case, args: &[&str]) -> std::process::Output {
    let mut all = match case.code.as_bytes()[0] {
        b'B' => vec!["build", "--no-progress"],
        b'X' => {
            let format = if case.file.ends_with(".csv") {
                "csv"
            } else {
                "case"
            };
            vec!["import", format, case.file, "--check"]
        }
        _ => vec!["check"],
    };
    all.extend_from_slice(args);
    run(dir, &all)
}

/// Whether a code's fixture runs another command than `cib check`.
fn not_check(code: &str) -> bool {
    code.starts_with('B') || code.starts_with('X')
}

#[test]
fn every_code_fires_at_its_fixture() {
    for case in cases() {
        let dir = prepare(&case);
        let (report, exit) = if not_check(case.code) {
            let out = findings(dir.path(), &case, &["--format", "json"]);
            let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{}: {e}: {}", case.code, stdout(&out)));
            (report, out.status.code().unwrap())
        } else {
            check_json(dir.path(), &[])
        };
        let code = Code::lookup(case.code).expect("known code");
        let found = located(&report, case.code)
            .unwrap_or_else(|| panic!("{} did not fire; report: {report:#}", case.code));
        assert_eq!(
            found,
            (case.file.to_owned(), case.at),
            "{} location",
            case.code
        );
        let expected_exit = match code.default_severity() {
            Severity::Error => 1,
            Severity::Warning => 0,
        };
        assert_eq!(
            exit, expected_exit,
            "{} exit status; report: {report:#}",
            case.code
        );
        if expected_exit == 0 && !not_check(case.code) {
            let (_, denied) = check_json(dir.path(), &["--deny", "warnings"]);
            assert_eq!(denied, 1, "{} with --deny warnings", case.code);
        }
    }
}

#[test]
fn every_code_has_a_fixture_and_documentation() {
    let table: Vec<&str> = cases().iter().map(|c| c.code).collect();
    for code in Code::ALL {
        assert!(
            table.contains(&code.as_str()),
            "{code} has no fixture in tests/it/codes.rs"
        );
        let doc = code.doc();
        for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
            assert!(doc.contains(section), "{code} doc lacks {section}");
        }
        assert!(!code.title().is_empty());
        let out = run(Path::new("."), &["explain", code.as_str()]);
        assert!(out.status.success());
        assert!(stdout(&out).contains(code.name()));
    }
    assert_eq!(
        table.len(),
        Code::ALL.len(),
        "fixture table lists a code twice or an unknown code"
    );
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = std::collections::BTreeSet::new();
    for code in Code::ALL {
        let text = code.as_str();
        assert!(seen.insert(text), "{text} used twice");
        assert!(seen.len() <= Code::ALL.len());
        let (letter, digits) = text.split_at(1);
        assert!(
            "LPSRCBX".contains(letter)
                && digits.len() == 3
                && digits.bytes().all(|b| b.is_ascii_digit()),
            "{text}"
        );
        assert!(
            code.name()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{text} name"
        );
    }
}

#[test]
fn human_diagnostics_match_their_snapshots() {
    for case in cases() {
        if case.code == "P004" || case.code == "L007" {
            // A 2 MB line; 9 997 empty lessons before the limit. Their
            // locations are asserted above.
            continue;
        }
        let dir = prepare(&case);
        let human = stdout(&findings(dir.path(), &case, &["--color", "never"]));
        let short = stdout(&findings(dir.path(), &case, &["--format", "short"]));
        insta::assert_snapshot!(case.code, format!("{short}\n{human}"));
    }
}
