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
    // The parser's words, with what to do about them.
    let dir = curriculum(None);
    fs::write(
        dir.path().join("competencies/hostile.yaml"),
        yaml("id: x\ntitle: Reads labels: chemical ones\n"),
    )
    .unwrap();
    let (report, _) = check_json(dir.path(), &[]);
    let p001 = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "P001")
        .unwrap();
    assert!(
        p001["hints"][0]
            .as_str()
            .unwrap()
            .contains("put the whole value in double quotes"),
        "{p001:#}"
    );
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
    // The snippet shows the byte as a symbol, never raw to the terminal.
    let dir = curriculum(None);
    fs::write(
        dir.path().join("competencies/hostile.yaml"),
        yaml("id: a\0b\n"),
    )
    .unwrap();
    let out = crate::run(dir.path(), &["check"]);
    let shown = crate::stdout(&out);
    assert!(
        !shown.contains('\0') && shown.contains("id: a\u{2400}b"),
        "{shown}"
    );
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

/// A lesson `lessons/hostile.md` with `front` added to its front matter and `body`
/// as its text, in a fresh base curriculum.
fn lesson(front: &str, body: &str) -> tempfile::TempDir {
    let dir = curriculum(None);
    let text = format!(
        "---\nid: hostile\ntitle: Hostile\nduration: 15\nteaches: [C-ONE]\nobjectives: [Stay inside]\n{front}---\n{body}"
    );
    fs::write(dir.path().join("lessons/hostile.md"), text).unwrap();
    dir
}

#[test]
fn image_and_link_paths_that_leave_the_curriculum_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.svg"), "<svg/>").unwrap();
    let cases: &[(&str, &str)] = &[
        ("![Key](../../secret.svg)", "climbs out of its folder"),
        (
            "![Key](images/../../secret.svg)",
            "climbs out of its folder",
        ),
        ("![Key](/etc/passwd)", "is an absolute path"),
        ("![Key](C:\\Users\\me\\key.png)", "is a Windows drive path"),
        ("![Key](c:/key.png)", "is a Windows drive path"),
        (
            "![Key](\\\\server\\share\\key.png)",
            "paths are written with `/`",
        ),
        (
            "![Key](https://example.org/key.png)",
            "cib never downloads anything",
        ),
        ("![Key](file:///etc/passwd)", "cib never downloads anything"),
        (
            "![Key](data:image/svg+xml;base64,PHN2Zy8+)",
            "cib never downloads anything",
        ),
        (
            "[click](javascript:alert(1))",
            "uses the `javascript:` scheme",
        ),
        ("[sheet](file:///S:/feeds.xlsx)", "uses the `file:` scheme"),
        ("[other lesson](two.md)", "is not a web or e-mail address"),
        ("[nothing]()", "has no target"),
    ];
    for (markdown, message) in cases {
        let dir = lesson("", &format!("Before.\n\n{markdown}\n"));
        let (report, status) = check_json(dir.path(), &[]);
        assert_eq!(status, 1, "{markdown}: {report:#}");
        // The address alone is underlined (a `\\` escape is one `\` of it);
        // without one, the whole construct.
        let column = match markdown.find("](") {
            _ if markdown.ends_with("()") => 1,
            Some(at) if markdown.contains("\\\\") => at as u64 + 4,
            Some(at) => at as u64 + 3,
            None => 1,
        };
        assert_eq!(
            located(&report, "C008"),
            Some(("lessons/hostile.md".to_owned(), Some((10, column)))),
            "{markdown}: {report:#}"
        );
        assert!(
            report.to_string().contains(message),
            "{markdown}: {report:#}"
        );
    }

    // A symbolic link that leads outside, and the same path in a front-matter field.
    let dir = lesson("materials: [\"![Key](key.svg)\"]\n", "Text.\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.svg"),
        dir.path().join("lessons/key.svg"),
    )
    .unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    let found = located(&report, "C008").unwrap();
    // At the field's value, not at the lesson's id.
    let text = fs::read_to_string(dir.path().join("lessons/hostile.md")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("materials:"))
        .unwrap();
    let column = text.lines().nth(line).unwrap().find('"').unwrap();
    assert_eq!(
        found,
        (
            "lessons/hostile.md".to_owned(),
            Some((line as u64 + 1, column as u64 + 1))
        ),
        "{report:#}"
    );
    let message = report.to_string();
    assert!(
        message.contains("in its materials leads outside the curriculum"),
        "{report:#}"
    );

    // Safe forms pass: a file below the lesson's folder, web and e-mail links.
    let dir = lesson(
        "",
        "![Key](images/key.svg) [site](https://example.org) [mail](mailto:a@example.org) <a@example.org>\n",
    );
    fs::create_dir_all(dir.path().join("lessons/images")).unwrap();
    fs::write(
        dir.path().join("lessons/images/key.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
    )
    .unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{report:#}");
}

#[test]
fn image_files_are_vetted_for_format_size_and_dimensions() {
    use std::io::Write;
    let png = crate::png_header;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.png", png(20_000, 20_000), "20000 × 20000 pixels"),
        ("tall.png", png(100, 10_001), "100 × 10001 pixels"),
        ("many.png", png(8_000, 8_000), "8000 × 8000 pixels"),
        (
            "renamed.png",
            b"\xff\xd8\xff\xe0 a JPEG header".to_vec(),
            "the name and the content disagree",
        ),
        (
            "notes.bmp",
            b"BM".to_vec(),
            "not a picture format cib prints (`.bmp`)",
        ),
    ];
    for (name, bytes, message) in cases {
        let dir = lesson("", &format!("![A picture]({name})\n"));
        fs::write(dir.path().join("lessons").join(name), &bytes).unwrap();
        let (report, status) = check_json(dir.path(), &[]);
        assert_eq!(status, 1, "{name}: {report:#}");
        assert_eq!(
            located(&report, "C009"),
            Some(("lessons/hostile.md".to_owned(), Some((8, 1)))),
            "{name}"
        );
        assert!(report.to_string().contains(message), "{name}: {report:#}");
    }
    let dir = lesson("", "![A picture](big.svg)\n");
    let mut big = fs::File::create(dir.path().join("lessons/big.svg")).unwrap();
    big.write_all(b"<svg xmlns=\"http://www.w3.org/2000/svg\">")
        .unwrap();
    big.set_len(9 * 1024 * 1024).unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert!(
        report.to_string().contains("larger than the 8 MiB limit"),
        "{report:#}"
    );

    // Within every limit: no finding.
    let dir = lesson("", "![A picture](fine.png)\n");
    fs::write(dir.path().join("lessons/fine.png"), png(2_500, 1_800)).unwrap();
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{report:#}");
}

#[test]
fn characters_no_font_has_are_named_where_they_are() {
    let dir = lesson("", "Fine: ° ± Ø ≤ — “quotes”.\n\nNot fine: 漢字.\n");
    let (report, status) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(
        located(&report, "C010"),
        Some(("lessons/hostile.md".to_owned(), Some((10, 11))))
    );
    assert!(report.to_string().contains("`漢` (U+6F22)"), "{report:#}");
    // Written as an entity, in a front-matter field.
    let dir = lesson("safety: [\"Mind the &#x1F525; sign\"]\n", "Text.\n");
    let (report, _) = check_json(dir.path(), &[]);
    assert!(
        report.to_string().contains("U+1F525) in its safety"),
        "{report:#}"
    );
    // At the field's value, not at the lesson's id.
    let text = fs::read_to_string(dir.path().join("lessons/hostile.md")).unwrap();
    let line = text.lines().position(|l| l.starts_with("safety:")).unwrap();
    let column = text.lines().nth(line).unwrap().find('"').unwrap();
    assert_eq!(
        located(&report, "C010"),
        Some((
            "lessons/hostile.md".to_owned(),
            Some((line as u64 + 1, column as u64 + 1))
        ))
    );
    // A control character pasted from a terminal (found by the fuzz target).
    let dir = lesson("", "Half the difference \u{8}watch the indicator.\n");
    let (report, _) = check_json(dir.path(), &[]);
    assert_eq!(
        located(&report, "C010"),
        Some(("lessons/hostile.md".to_owned(), Some((8, 21))))
    );
}
