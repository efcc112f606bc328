//! What a printed lesson needs, read back from the PDFs of a fixture build:
//! the student's question sheet on its own page with room to answer, the
//! answer key on its own page, code listings without stray line numbers and
//! programs kept whole, and the CNC programs and Markdown sources in the zips.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::build::{build, fixture, pdf_text_page, tool};

/// A lesson with questions asking for different answer spaces and six
/// 15-line programs among paragraphs of different lengths, so that some
/// program would straddle a page break if nothing kept it whole.
fn print_lesson() -> String {
    let mut body = String::from("# Programs\n\n");
    for k in 1..=6 {
        for _ in 0..k {
            body.push_str("A paragraph that pushes the next program down the page by a few lines, so that the programs fall at different heights on their pages.\n\n");
        }
        body.push_str("```gcode\n");
        body.push_str(&format!("O100{k} (START {k})\n"));
        for n in 2..=14 {
            body.push_str(&format!("N{} G01 X{}.0 F10.0\n", n * 10, n));
        }
        body.push_str(&format!("M30 (END {k})\n```\n\n"));
    }
    body.push_str("```text\nalpha\nbeta\ngamma\n```\n\n```text\n2 x 3 = 6\n```\n");
    // 54 words: a line for every nine and one more.
    let long = vec!["word"; 54].join(" ");
    format!(
        "---
id: lesson-print
title: Printing
duration: 45
teaches: [C-ONE]
control: fanuc-mill
objectives: [Print well]
questions:
  - id: q1
    prompt: QONE asks for three lines.
    space: lines
    lines: 3
  - id: q2
    prompt: QTWO asks for a grid four lines tall.
    space: grid
    lines: 4
  - id: q3
    prompt: QTHREE is answered at the machine.
    space: none
  - id: q4
    prompt: QFOUR is a calculation.
  - id: q5
    prompt: QFIVE asks for a long answer.
  - id: q6
    prompt: QSIX asks for a short one.
instructor:
  answer_key:
    q1: Three lines.
    q2: A grid.
    q3: Nothing to write.
    q4: 2 × 3 = 6
    q5: {long}
    q6: Two words.
---
{body}"
    )
}

/// The page (from 1) of `pdf` whose text contains `needle`, and that text.
fn page_with(pdf: &Path, needle: &str) -> (usize, String) {
    let pages = String::from_utf8(tool("qpdf", &["--show-npages", pdf.to_str().unwrap()]).stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (1..=pages)
        .map(|p| (p, pdf_text_page(pdf, p)))
        .find(|(_, text)| text.contains(needle))
        .unwrap_or_else(|| panic!("no page of {} shows {needle}", pdf.display()))
}

/// The top of each word of page `page` whose text starts with `word`, in
/// points from the top of the page.
fn word_tops(pdf: &Path, page: usize, word: &str) -> Vec<f64> {
    let page = page.to_string();
    let out = tool(
        "pdftotext",
        &[
            "-bbox",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    let html = String::from_utf8(out.stdout).unwrap();
    html.lines()
        .filter(|l| l.contains(&format!(">{word}")))
        .map(|l| {
            let at = l.find("yMin=\"").unwrap() + 6;
            l[at..].split('"').next().unwrap().parse().unwrap()
        })
        .collect()
}

/// The lines of a page before `heading`: only the running header (the kind
/// of document and the lesson's title) may be there.
fn starts_page(text: &str, heading: &str, header: [&str; 2]) -> bool {
    text.lines()
        .take_while(|l| !l.contains(heading))
        .all(|l| l.trim().is_empty() || header.iter().any(|h| l.contains(h)))
}

#[test]
fn a_handout_puts_its_questions_on_a_fresh_page_with_the_room_each_asks_for() {
    let dir = fixture();
    fs::write(dir.path().join("lessons/print.md"), print_lesson()).unwrap();
    build(dir.path(), &[]);
    let student = dir.path().join("build/lessons/lesson-print.student.pdf");
    let (page, text) = page_with(&student, "Check your understanding");
    assert!(page > 1);
    assert!(
        starts_page(
            &text,
            "Check your understanding",
            ["Student handout", "Printing"]
        ),
        "{text}"
    );
    for field in ["Name", "Date", "Period", "Score"] {
        assert!(text.contains(field), "no {field} line: {text}");
    }
    // Each question's top, and the room below it until the next one: the
    // prompt's line, the space it asked for at 22 pt a line, the gap.
    let top = |word| {
        let tops = word_tops(&student, page, word);
        assert_eq!(tops.len(), 1, "{word} on page {page}: {tops:?}");
        tops[0]
    };
    let (one, two, three, four) = (top("QONE"), top("QTWO"), top("QTHREE"), top("QFOUR"));
    let room = |from: f64, to: f64, lines: f64| {
        let space = to - from;
        assert!(
            (lines * 22.0 + 10.0..lines * 22.0 + 45.0).contains(&space),
            "{space} pt for {lines} lines"
        );
    };
    room(one, two, 3.0);
    room(two, three, 4.0);
    room(three, four, 0.0);
    // Unset, the space follows the length of the answer key's answer: 7
    // lines for 54 words, the least (3) for two.
    let (next, _) = page_with(&student, "QFIVE");
    let five = word_tops(&student, next, "QFIVE")[0];
    let six = word_tops(&student, next, "QSIX");
    assert_eq!(six.len(), 1, "QSIX follows QFIVE on page {next}");
    room(five, six[0], 7.0);
    assert!(!text.contains("Three lines"), "an answer in the handout");

    let instructor = dir.path().join("build/lessons/lesson-print.instructor.pdf");
    let (key, text) = page_with(&instructor, "Answer key");
    assert!(key > 1);
    assert!(
        starts_page(&text, "Answer key", ["Instructor lesson plan", "Printing"]),
        "{text}"
    );
    // pdftotext reads the thin spaces around × and = as none.
    assert!(
        text.contains("QFOUR") && text.replace(' ', "").contains("2×3=6"),
        "{text}"
    );
}

#[test]
fn listings_number_only_what_has_no_numbers_and_programs_stay_whole() {
    let dir = fixture();
    fs::write(dir.path().join("lessons/print.md"), print_lesson()).unwrap();
    build(dir.path(), &[]);
    let student = dir.path().join("build/lessons/lesson-print.student.pdf");
    let layout = String::from_utf8(
        tool(
            "pdftotext",
            &["-layout", "-enc", "UTF-8", student.to_str().unwrap(), "-"],
        )
        .stdout,
    )
    .unwrap();
    let numbered = |text: &str| {
        layout.lines().any(|l| {
            let l = l.trim_start();
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            digits > 0 && l[digits..].trim_start().starts_with(text)
        })
    };
    assert!(numbered("alpha"), "a three-line listing is numbered");
    assert!(!numbered("2 x 3"), "a one-line listing is not");
    assert!(!numbered("N20 G01"), "G-code has its own N-words");
    for k in 1..=6 {
        let (page, text) = page_with(&student, &format!("(START {k})"));
        assert!(
            text.contains(&format!("(END {k})")),
            "program {k} is split after page {page}"
        );
    }
}

#[test]
fn zips_carry_the_programs_as_nc_files_and_instructors_the_sources() {
    let dir = fixture();
    let source = print_lesson();
    fs::write(dir.path().join("lessons/print.md"), &source).unwrap();
    build(dir.path(), &[]);
    // The blocks between the fences, as written.
    let programs: Vec<&str> = source
        .split("```gcode\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").unwrap()])
        .collect();
    assert_eq!(programs.len(), 6);
    let read = |zip: &str| {
        let file = fs::File::open(dir.path().join("build/bundles").join(zip)).unwrap();
        let mut archive = zip::ZipArchive::new(file).unwrap();
        let mut entries = std::collections::BTreeMap::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            entries.insert(entry.name().unwrap().into_owned(), bytes);
        }
        entries
    };
    // The student bundle holds every lesson of the framework, this one second.
    let student = read("comp-student-1.0.zip");
    for (k, program) in programs.iter().enumerate() {
        let name = format!("comp-student-1.0/programs/02-lesson-print/O100{}.nc", k + 1);
        assert_eq!(
            student.get(&name).map(Vec::as_slice),
            Some(program.as_bytes()),
            "{name} in {:?}",
            student.keys().collect::<Vec<_>>()
        );
    }
    assert!(
        !student.keys().any(|n| n.contains("sources/")),
        "{student:?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&student["comp-student-1.0/manifest.json"]).unwrap();
    let lesson = &manifest["lessons"][1];
    assert_eq!(lesson["id"], "lesson-print");
    assert_eq!(lesson["source"], serde_json::Value::Null);
    assert_eq!(lesson["programs"][0]["number"], "O1001");
    assert_eq!(
        lesson["programs"][0]["file"],
        "programs/02-lesson-print/O1001.nc"
    );

    let instructor = read("one-instructor-1.0.zip");
    let one = fs::read(dir.path().join("lessons/one.md")).unwrap();
    assert_eq!(
        instructor.get("one-instructor-1.0/sources/01-lesson-one.md"),
        Some(&one)
    );
}

/// C018 sends nobody to paperwork that exists: the question sheet of a lesson
/// with questions, a section of the lesson named for it, a real-world sheet.
#[test]
fn only_paperwork_the_build_does_not_make_is_reported() {
    let findings = |body: &str, questions: bool| {
        let dir = crate::curriculum(None);
        let path = dir.path().join("lessons/one.md");
        let mut text = fs::read_to_string(&path)
            .unwrap()
            .replace("Body text.", body);
        if !questions {
            let start = text.find("questions:").unwrap();
            let end = text.find("---\n#").unwrap();
            text.replace_range(start..end, "");
        }
        fs::write(&path, text).unwrap();
        let (report, _) = crate::check_json(dir.path(), &[]);
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "C018")
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(findings("Answer on the question sheet.", true).is_empty());
    let missing = findings("Answer on the question sheet.", false);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("\"question sheet\""), "{missing:?}");
    let named =
        "Fill in the station recording sheet.\n\n## Station recording sheet\n\n| A |\n| - |\n";
    assert!(findings(named, true).is_empty());
    let real = "Read the Safety Data Sheet and the machine's setup sheet; use a worksheet.";
    let found = findings(real, true);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("\"worksheet\""), "{found:?}");
}
