//! Hostile input: each must give a located diagnostic and exit 1 (or 0 for the
//! warning-only UTF-8 byte-order mark), never a panic, hang or memory blow-up.

use std::fs;
use std::path::Path;

use crate::{check_json, codes_base, curriculum, located};

const MODELINE: &str =
    "# yaml-language-server: $schema=../schemas/competency-framework.schema.json\n";

/// Writes `bytes` as `competencies/hostile.yaml` in a fresh base curriculum and checks
/// that `code` is reported there at `at`, with exit status `exit`.
fn expect(bytes: &[u8], code: &str, at: Option<(u64, u64)>, exit: i32) {
    let dir = curriculum(None);
    fs::write(dir.path().join("competencies/hostile.yaml"), bytes).unwrap();
    expect_in(dir.path(), code, "competencies/hostile.yaml", at, exit);
}

fn expect_in(root: &Path, code: &str, file: &str, at: Option<(u64, u64)>, exit: i32) {
    let (report, status) = check_json(root, &[]);
    let found = located(&report, code).unwrap_or_else(|| panic!("no {code}; report: {report:#}"));
    assert_eq!(found, (file.to_owned(), at), "{code}; report: {report:#}");
    assert_eq!(status, exit, "{code} exit; report: {report:#}");
}

fn yaml(body: &str) -> Vec<u8> {
    format!("{MODELINE}{body}").into_bytes()
}

#[test]
fn malformed_yaml() {
    expect(&yaml("id: [unclosed\ntitle: x\n"), "P001", Some((3, 6)), 1);
}

#[test]
fn wrong_types() {
    let (report, _) = {
        let dir = curriculum(None);
        fs::write(
            dir.path().join("competencies/hostile.yaml"),
            yaml("id: 5\ntitle: [a]\nversion: 1.10\nlicense: x\ncompetencies: {}\n"),
        )
        .unwrap();
        check_json(dir.path(), &[])
    };
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "S001")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages.len(),
        4,
        "every violation, not only the first: {messages:?}"
    );
    expect(
        &yaml("id: 5\ntitle: x\nversion: \"1\"\nlicense: x\ncompetencies: []\n"),
        "S001",
        Some((2, 5)),
        1,
    );
}

#[test]
fn version_as_a_number_suggests_quoting() {
    let dir = curriculum(None);
    let text = codes_base().replace("version: \"1.0\"", "version: 1.10");
    fs::write(dir.path().join("competencies/comp.yaml"), text).unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "S001");
    assert_eq!(d["hints"][0], "quote it so YAML reads it as text: \"1.10\"");
}

#[test]
fn top_level_list() {
    expect(&yaml("- a\n- b\n"), "S001", Some((2, 1)), 1);
}

#[test]
fn empty_file() {
    expect(b"", "P007", None, 1);
}

#[test]
fn comment_only_file() {
    expect(&yaml("# just a comment\n"), "P007", None, 1);
}

#[test]
fn duplicate_keys() {
    expect(&yaml("id: a\nid: b\n"), "P002", Some((3, 1)), 1);
}

#[test]
fn tab_indentation() {
    let dir = curriculum(None);
    fs::write(
        dir.path().join("competencies/hostile.yaml"),
        yaml("id: x\ncompetencies:\n\t- id: y\n"),
    )
    .unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "P001")
        .expect("P001");
    assert_eq!(d["range"]["start"]["line"], 4);
    assert!(
        d["hints"].to_string().contains("indent with spaces"),
        "{d:#}"
    );
}

#[test]
fn non_utf8_bytes() {
    let mut bytes = yaml("id: caf");
    bytes.extend_from_slice(b"\xE9\n");
    expect(&bytes, "L002", Some((2, 8)), 1);
}

#[test]
fn utf8_byte_order_mark_is_a_warning() {
    let dir = curriculum(None);
    fs::write(dir.path().join("competencies/comp.yaml"), {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(codes_base().as_bytes());
        b
    })
    .unwrap();
    expect_in(
        dir.path(),
        "L006",
        "competencies/comp.yaml",
        Some((1, 1)),
        0,
    );
}

#[test]
fn utf16_byte_order_mark() {
    let mut bytes = b"\xFF\xFE".to_vec();
    for unit in "id: x\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    expect(&bytes, "L002", None, 1);
}

#[test]
fn nul_bytes() {
    expect(&yaml("id: a\0b\n"), "L003", Some((2, 6)), 1);
}

#[test]
fn billion_laughs() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for name in names {
        text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = name;
    }
    expect(&yaml(&text), "P005", Some((2, 4)), 1);
}

#[test]
fn deep_flow_nesting() {
    expect(&yaml(&"[".repeat(100_000)), "P003", Some((2, 256)), 1);
}

#[test]
fn deep_block_nesting() {
    let text = format!("{}x\n", "- ".repeat(100_000));
    expect(&yaml(&text), "P003", Some((2, 129)), 1);
}

#[test]
fn sixty_megabyte_file() {
    let dir = curriculum(None);
    let f = fs::File::create(dir.path().join("competencies/hostile.yaml")).unwrap();
    f.set_len(60 * 1000 * 1000).unwrap();
    expect_in(dir.path(), "L001", "competencies/hostile.yaml", None, 1);
}

#[test]
fn twenty_megabyte_single_line() {
    let mut bytes = yaml("id: ");
    bytes.extend(std::iter::repeat_n(b'a', 20 * 1000 * 1000));
    expect(&bytes, "L001", None, 1);
}

#[test]
fn long_line_under_the_limit_still_parses() {
    let mut text = String::from("id: ");
    text.push_str(&"a".repeat(7 * 1000 * 1000));
    text.push_str("\ntitle: [unclosed\n");
    expect(&yaml(&text), "P001", Some((4, 1)), 1);
}

#[test]
fn custom_tags() {
    expect(&yaml("id: !!binary aGVsbG8=\n"), "P006", Some((2, 5)), 1);
    expect(
        &yaml("id: !python/object:os.system echo\n"),
        "P006",
        Some((2, 5)),
        1,
    );
}

#[test]
fn a_mapping_with_many_unknown_keys_is_reported_in_bounded_form() {
    let body: String = (0..200_000).map(|i| format!("k{i}: {i}\n")).collect();
    let dir = curriculum(None);
    fs::write(dir.path().join("competencies/hostile.yaml"), yaml(&body)).unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let in_file: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == "competencies/hostile.yaml")
        .collect();
    assert_eq!(in_file.len(), 100, "capped at 100 per file");
    let hints = in_file.last().unwrap()["hints"].to_string();
    assert!(
        hints.contains("199905 more schema violations in this file are not shown"),
        "{hints}"
    );
}

#[test]
fn a_key_repeated_many_times_is_reported_in_bounded_form() {
    let dir = curriculum(None);
    fs::write(
        dir.path().join("competencies/hostile.yaml"),
        yaml(&"a: 1\n".repeat(200_000)),
    )
    .unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let duplicates = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "P002")
        .count();
    assert_eq!(duplicates, 100);
    expect(&yaml("a: 1\na: 2\n"), "P002", Some((3, 1)), 1);
}

#[test]
fn a_pipe_named_like_a_lesson_is_refused_without_blocking() {
    let dir = curriculum(None);
    let fifo = dir.path().join("lessons/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    expect_in(dir.path(), "L005", "lessons/pipe.md", None, 1);
}

#[test]
fn a_directory_link_loop_inside_the_root_is_not_followed() {
    let dir = curriculum(None);
    std::os::unix::fs::symlink("..", dir.path().join("lessons/loop")).unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["summary"]["files"], 4, "the loop adds no file");
}
