//! The delivery records of a regulated course: the repository's OSHA 10-hour
//! course, alone, built into an instructor and a student bundle. The
//! instructor bundle holds the topic outline with every topic's minutes, a
//! sign-in sheet per session and the class record; the student bundle none of
//! it; the catalog says who may teach the course.

use std::fs;
use std::io::Read;
use std::path::Path;

use tempfile::TempDir;

use crate::build::{build, pdf_text, tool};
use crate::copy_tree;

fn osha_course() -> TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path();
    copy_tree(&root.join("schemas"), &to.join("schemas"));
    copy_tree(&root.join("frameworks"), &to.join("frameworks"));
    copy_tree(&root.join("lessons/osha-10"), &to.join("lessons/osha-10"));
    fs::create_dir_all(to.join("competencies")).unwrap();
    fs::copy(
        root.join("competencies/osha-10.yaml"),
        to.join("competencies/osha-10.yaml"),
    )
    .unwrap();
    fs::write(
        to.join("curriculum.yaml"),
        "# yaml-language-server: $schema=schemas/curriculum.schema.json\n\
         title: OSHA course\npublisher: cib tests\nversion: \"1.0\"\ndate: \"2026-01-15\"\nlicense: CC0-1.0\n\
         shop:\n  students: 18\n  machines: {drill-press: 1}\n\
         bundles:\n\
         \x20 - {id: osha-instructor, title: OSHA instructor, audience: instructor, frameworks: [osha-10]}\n\
         \x20 - {id: osha-student, title: OSHA student, audience: student, frameworks: [osha-10]}\n",
    )
    .unwrap();
    dir
}

fn zip_names(path: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect()
}

/// The planned minutes of each topic: the ten 60-minute lessons, one per
/// topic, except the hazardous-materials lesson (half E1, half E2) and the
/// two optional lessons.
const PLANNED: [(&str, &str, &str); 15] = [
    ("M1", "Introduction to OSHA", "60"),
    ("M2", "Walking and Working Surfaces", "60"),
    ("M3", "Exit Routes", "60"),
    ("M4", "Electrical", "60"),
    ("M5", "Personal Protective Equipment", "60"),
    ("M6", "Hazard Communication", "60"),
    ("E1", "Hazardous Materials", "30"),
    ("E2", "Materials Handling", "30"),
    ("E3", "Machine Guarding", "60"),
    ("E4", "Introduction to Industrial Hygiene", "0"),
    ("E5", "Bloodborne Pathogens", "0"),
    ("E6", "Ergonomics", "0"),
    ("E7", "Safety and Health Program", "0"),
    ("E8", "Fall Protection", "0"),
    ("OPT", "Optional topics", "120"),
];

#[test]
fn the_instructor_bundle_holds_the_outline_sign_in_sheets_and_class_record() {
    let dir = osha_course();
    let root = dir.path();
    build(root, &[]);
    let out = root.join("build");

    // Every item of the framework file is a row of the outline.
    let framework = fs::read_to_string(root.join("frameworks/osha-10-gi.yaml")).unwrap();
    let codes: Vec<&str> = framework
        .lines()
        .filter_map(|l| l.strip_prefix("  - code: "))
        .collect();
    assert_eq!(
        codes,
        PLANNED.iter().map(|(code, _, _)| *code).collect::<Vec<_>>()
    );

    let pdf = out.join("records/osha-instructor.delivery.pdf");
    let layout = tool(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    let layout = String::from_utf8(layout.stdout).unwrap();
    for (code, title, minutes) in PLANNED {
        let row = layout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(code))
            .unwrap_or_else(|| panic!("no outline row for {code}:\n{layout}"));
        assert!(row.contains(title), "{code}: {row}");
        // Columns are set apart by two spaces or more: the last three are the
        // required minutes, the planned minutes and the sessions.
        let columns: Vec<&str> = row
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let [.., required, planned, _sessions] = columns[..] else {
            panic!("{code}: {row}");
        };
        if code.starts_with('M') {
            assert_eq!(required, "60", "{code} requires an hour: {row}");
        } else {
            assert_eq!(required, "≥ 30 if taught", "{code}: {row}");
        }
        assert_eq!(planned, minutes, "{code}: {row}");
    }
    let text = pdf_text(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let total = layout.lines().find(|l| l.contains("All topics")).unwrap();
    assert_eq!(total.split_whitespace().last(), Some("600"), "{total}");
    assert!(flat.contains("only a trainer currently authorized in OSHA"));
    assert!(flat.contains("for 5 years"));
    assert!(flat.contains("at least 2 days"), "600 min at 7.5 h a day");
    // One sign-in sheet per session, each naming its topics and minutes.
    assert_eq!(text.matches("SIGN-IN SHEET").count(), 10, "{flat}");
    assert!(flat.contains("Session 8: Materials Handling"), "{flat}");
    assert!(flat.contains("E1 Hazardous Materials (30 min); E2 Materials Handling (30 min)"));
    // 18 students and 4 spare lines.
    assert!(flat.contains(" 22 ") && !flat.contains(" 23 "), "{flat}");
    // The class record lists every topic taught, to fill in.
    let record = &flat[flat.find("CLASS RECORD").expect("a class record")..];
    for (code, _, minutes) in PLANNED {
        assert_eq!(
            record.contains(&format!(" {code} ")),
            minutes != "0",
            "{code}"
        );
    }

    let instructor = zip_names(&out.join("bundles/osha-instructor-1.0.zip"));
    assert!(
        instructor.contains(&"osha-instructor-1.0/records/osha-10-gi-delivery-records.pdf".into()),
        "{instructor:?}"
    );
    let mut readme = String::new();
    zip::ZipArchive::new(fs::File::open(out.join("bundles/osha-instructor-1.0.zip")).unwrap())
        .unwrap()
        .by_name("osha-instructor-1.0/README.txt")
        .unwrap()
        .read_to_string(&mut readme)
        .unwrap();
    assert!(
        readme.contains("records/osha-10-gi-delivery-records.pdf"),
        "{readme}"
    );
    let combined = pdf_text(&out.join("bundles/osha-instructor-1.0.pdf"));
    assert_eq!(combined.matches("SIGN-IN SHEET").count(), 10);

    // Students get none of it, but are told who may teach the course.
    let student = zip_names(&out.join("bundles/osha-student-1.0.zip"));
    assert!(
        !student.iter().any(|n| n.contains("delivery")),
        "{student:?}"
    );
    let combined = pdf_text(&out.join("bundles/osha-student-1.0.pdf"));
    assert!(!combined.contains("SIGN-IN SHEET") && !combined.contains("CLASS RECORD"));
    let site = fs::read_to_string(out.join("site/index.html")).unwrap();
    assert_eq!(
        site.matches("Who may teach OSHA Outreach Training Program")
            .count(),
        2,
        "both bundles of the course say who may teach it"
    );
}
