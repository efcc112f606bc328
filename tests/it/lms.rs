//! What reaches a school's LMS and a phone: lesson web pages, Common
//! Cartridge courses with their quizzes, and frameworks as LMS outcomes.
//! Cartridges are read as an LMS reads them: the manifest's modules and the
//! resources they lead to (the students' view), and the lesson plans kept
//! apart from them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::build::{build, fixture, pdf_text};
use crate::{files, run, stderr, stdout};

/// Instructor-only words of the build fixture: lesson one's notes,
/// procedure, answer key, materials and safety; assessment a-one's setup,
/// scoring notes (general and by criterion) and model answers.
const MARKERS: [&str; 9] = [
    "ZEBRANOTES",
    "ZEBRAPROCEDURE",
    "ZEBRAANSWER",
    "ZEBRAMATERIALS",
    "ZEBRASAFETY",
    "ZEBRASETUP",
    "ZEBRASCORING",
    "ZEBRACRITERION",
    "ZEBRAMODEL",
];
/// How many of them, first, a lesson plan holds.
const PLAN: usize = 5;

/// The build fixture, with an image in lesson one so that pages and
/// cartridges must carry it.
fn lms_fixture() -> tempfile::TempDir {
    let dir = fixture();
    fs::copy(
        dir.path().join("assessments/part.svg"),
        dir.path().join("lessons/part.svg"),
    )
    .unwrap();
    crate::edit(
        dir.path(),
        "lessons/one.md",
        "Body text for everyone.",
        "Body text for everyone.\n\n![A turned part with one shoulder.](part.svg)\n",
    );
    dir
}

/// Every entry of a zip, by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// The text a reader gets from a cartridge file: a PDF's text, else the file.
fn text_of(name: &str, bytes: &[u8]) -> String {
    if name.ends_with(".pdf") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.pdf");
        fs::write(&path, bytes).unwrap();
        pdf_text(&path)
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    }
}

/// A cartridge as its manifest describes it.
struct Cartridge {
    entries: BTreeMap<String, Vec<u8>>,
    manifest: String,
}

impl Cartridge {
    fn open(path: &Path) -> Cartridge {
        let entries = unzip(path);
        let manifest = String::from_utf8(entries["imsmanifest.xml"].clone()).unwrap();
        Cartridge { entries, manifest }
    }

    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.manifest).unwrap()
    }

    /// The resources modules lead to, with their dependencies: what a
    /// student can open. By identifier: (type, intendeduse, files).
    fn student_view(&self) -> BTreeMap<String, (String, Option<String>, Vec<String>)> {
        let doc = self.doc();
        let resources: BTreeMap<String, roxmltree::Node> = doc
            .descendants()
            .filter(|n| n.has_tag_name("resource"))
            .map(|n| (n.attribute("identifier").unwrap().to_owned(), n))
            .collect();
        let mut wanted: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .filter_map(|n| n.attribute("identifierref").map(str::to_owned))
            .collect();
        let mut seen = BTreeMap::new();
        while let Some(id) = wanted.pop() {
            if seen.contains_key(&id) {
                continue;
            }
            let r = resources[&id];
            wanted.extend(
                r.children()
                    .filter(|n| n.has_tag_name("dependency"))
                    .map(|n| n.attribute("identifierref").unwrap().to_owned()),
            );
            let files = r
                .children()
                .filter(|n| n.has_tag_name("file"))
                .map(|n| n.attribute("href").unwrap().to_owned())
                .collect();
            seen.insert(
                id,
                (
                    r.attribute("type").unwrap().to_owned(),
                    r.attribute("intendeduse").map(str::to_owned),
                    files,
                ),
            );
        }
        seen
    }
}

/// A QTI file's items: (ident, profile, what the student is shown, accepted
/// answers, feedback).
struct Item {
    ident: String,
    profile: String,
    shown: String,
    accepted: Vec<String>,
    feedback: String,
}

fn items(qti: &str) -> Vec<Item> {
    let doc = roxmltree::Document::parse(qti).unwrap();
    let text = |n: roxmltree::Node| -> String {
        n.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| {
            let child = |name: &str| item.descendants().find(|n| n.has_tag_name(name));
            let profile = item
                .descendants()
                .filter(|n| n.has_tag_name("qtimetadatafield"))
                .find(|f| {
                    f.children()
                        .any(|c| c.has_tag_name("fieldlabel") && c.text() == Some("cc_profile"))
                })
                .and_then(|f| f.children().find(|c| c.has_tag_name("fieldentry")))
                .and_then(|e| e.text())
                .unwrap()
                .to_owned();
            Item {
                ident: item.attribute("ident").unwrap().to_owned(),
                profile,
                shown: child("presentation").map(text).unwrap_or_default(),
                accepted: item
                    .descendants()
                    .filter(|n| n.has_tag_name("varequal"))
                    .map(|n| n.text().unwrap().to_owned())
                    .collect(),
                feedback: child("itemfeedback").map(text).unwrap_or_default(),
            }
        })
        .collect()
}

#[test]
fn web_pages_and_the_students_view_of_a_cartridge_hold_no_instructor_text() {
    let dir = lms_fixture();
    build(dir.path(), &[]);
    let out = dir.path().join("build");

    // The web pages: the student's has the lesson and none of the plan.
    let student = fs::read_to_string(out.join("site/lessons/lesson-one.student.html")).unwrap();
    let plan = fs::read_to_string(out.join("site/lessons/lesson-one.instructor.html")).unwrap();
    for expected in [
        "Body text for everyone.",
        "Do the first thing",
        "What is the first thing?",
        "Wear safety glasses with side shields.",
        "A footnote everyone may read.",
        "<img src=\"../media/lessons/part.svg\" alt=\"A turned part with one shoulder.\">",
        "href=\"../../lessons/lesson-one.student.pdf\"",
    ] {
        assert!(
            student.contains(expected),
            "the student page lacks {expected}"
        );
    }
    for marker in &MARKERS[..PLAN] {
        assert!(plan.contains(marker), "the plan page lacks {marker}");
    }
    for marker in MARKERS {
        assert!(!student.contains(marker), "the student page shows {marker}");
    }
    // An assessment's sheets: the task sheet's page has the task, the score
    // sheet's what only the instructor reads.
    let task = fs::read_to_string(out.join("site/assessments/a-one.task-sheet.html")).unwrap();
    let score = fs::read_to_string(out.join("site/assessments/a-one.score-sheet.html")).unwrap();
    assert!(task.contains("Task text for everyone"), "{task}");
    for marker in &MARKERS[PLAN..] {
        assert!(
            score.contains(marker),
            "the score sheet page lacks {marker}"
        );
    }
    for marker in MARKERS {
        assert!(!task.contains(marker), "the task sheet page shows {marker}");
    }
    assert!(out.join("site/media/lessons/part.svg").is_file());
    assert!(out.join("lessons/lesson-one.student.pdf").is_file());
    for page in [&student, &plan] {
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("<script") && !page.contains("<link"));
    }
    let catalog = fs::read_to_string(out.join("site/index.html")).unwrap();
    assert!(catalog.contains("href=\"lessons/lesson-one.student.html\""));
    assert!(catalog.contains("href=\"../lms/comp-student-1.0.imscc\""));
    assert!(
        catalog.contains("For instructors:"),
        "the site says who it is for"
    );

    // The cartridge of each student bundle: the students' view holds the
    // lesson, the handout and the quiz prompts, never the plan.
    let cartridges: Vec<PathBuf> = fs::read_dir(out.join("lms"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "imscc"))
        .collect();
    assert_eq!(
        cartridges.len(),
        2,
        "one per student bundle: {cartridges:?}"
    );
    let cartridge = Cartridge::open(&out.join("lms/comp-student-1.0.imscc"));
    let view = cartridge.student_view();
    let mut read = 0;
    for (id, (kind, intended, files)) in &view {
        assert_ne!(
            intended.as_deref(),
            Some("lessonplan"),
            "{id} is a lesson plan in a module"
        );
        for file in files {
            let bytes = &cartridge.entries[file];
            if kind.contains("assessment") {
                for item in items(&String::from_utf8(bytes.clone()).unwrap()) {
                    for marker in MARKERS {
                        assert!(!item.shown.contains(marker), "{file} asks with {marker}");
                    }
                }
                continue;
            }
            if file.ends_with(".svg") {
                continue;
            }
            let text = text_of(file, bytes);
            for marker in MARKERS {
                assert!(!text.contains(marker), "{file} shows {marker}");
            }
            read += 1;
        }
    }
    assert!(read >= 4, "only {read} student files read");
    // The quiz grades the question by the answer key, shown after submitting.
    let quiz = String::from_utf8(
        cartridge.entries["quizzes/lesson-one-questions/assessment_qti.xml"].clone(),
    )
    .unwrap();
    let asked = items(&quiz);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].profile, "cc.essay.v0p1");
    assert!(asked[0].shown.contains("What is the first thing?"));
    assert!(asked[0].feedback.contains("ZEBRAANSWER the first thing."));

    // The plan travels apart, marked for instructors, with all its text.
    let doc = cartridge.doc();
    let plan = doc
        .descendants()
        .find(|n| n.attribute("identifier") == Some("cib-lesson-one-plan"))
        .unwrap();
    assert_eq!(plan.attribute("intendeduse"), Some("lessonplan"));
    let role: String = plan
        .descendants()
        .filter(|n| n.has_tag_name("value"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(role, "Instructor");
    let plan_page = text_of(
        "instructor/lesson-one.html",
        &cartridge.entries["instructor/lesson-one.html"],
    );
    for marker in &MARKERS[..PLAN] {
        assert!(plan_page.contains(marker), "the plan lacks {marker}");
    }
    assert!(
        cartridge
            .entries
            .contains_key("instructor/lesson-one.instructor.pdf")
    );
    assert!(cartridge.entries.contains_key("media/lessons/part.svg"));
    // Every file the manifest names is in the cartridge, and every XML id is
    // an NCName (a CASE UUID or a lesson id may start with a digit).
    for node in doc.descendants() {
        if let Some(href) = node.attribute("href") {
            assert!(cartridge.entries.contains_key(href), "{href} is missing");
        }
        if let Some(id) = node.attribute("identifier") {
            assert!(id.starts_with("cib-"), "{id}");
        }
    }
}

#[test]
fn a_student_site_holds_nothing_for_instructors() {
    let dir = lms_fixture();
    let out = build(dir.path(), &["--site", "students"]);
    assert!(stderr(&out).contains("for students:"), "{}", stderr(&out));
    let built = dir.path().join("build");
    let all = files(&built);
    for (path, bytes) in &all {
        let name = path.to_string_lossy();
        for word in [
            "instructor",
            "score-sheet",
            "records/",
            "reports/",
            "lms/",
            ".delivery.",
        ] {
            assert!(!name.contains(word), "a student site holds {name}");
        }
        let text = if name.ends_with(".pdf") {
            pdf_text(&built.join(path))
        } else if name.ends_with(".zip") {
            unzip(&built.join(path))
                .iter()
                .map(|(n, b)| text_of(n, b))
                .collect()
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        for marker in MARKERS {
            assert!(!text.contains(marker), "{name} shows {marker}");
        }
    }
    assert!(all.contains_key(Path::new("site/lessons/lesson-one.student.html")));
    assert!(all.contains_key(Path::new("lessons/lesson-one.student.pdf")));
    let catalog = String::from_utf8(all[Path::new("site/index.html")].clone()).unwrap();
    assert!(catalog.contains("For students:"));
    assert!(!catalog.contains("reports/coverage"), "no report to link");
}

#[test]
fn cc_1_3_names_the_standards_each_lesson_teaches_by_their_case_identifiers() {
    let dir = lms_fixture();
    let out = run(
        dir.path(),
        &["export", "cc", "--cc-version", "1.3", "--out", "cc13"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Common Cartridge 1.3"),
        "{}",
        stdout(&out)
    );
    let out = run(dir.path(), &["export", "case", "--out", "cc13"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut identifiers = BTreeMap::new();
    for (path, bytes) in files(&dir.path().join("cc13/case")) {
        let package: Value = serde_json::from_slice(&bytes).unwrap();
        let framework = path.file_stem().unwrap().to_string_lossy().into_owned();
        for item in package["CFItems"].as_array().unwrap() {
            let code = item["humanCodingScheme"].as_str().unwrap().to_owned();
            identifiers.insert(
                format!("{framework}:{code}"),
                item["identifier"].as_str().unwrap().to_owned(),
            );
        }
    }
    let cartridge = Cartridge::open(&dir.path().join("cc13/lms/comp-student-1.0.imscc"));
    assert!(
        cartridge
            .manifest
            .contains("<schemaversion>1.3.0</schemaversion>")
    );
    let doc = cartridge.doc();
    let page = doc
        .descendants()
        .find(|n| n.attribute("identifier") == Some("cib-lesson-one-page"))
        .unwrap();
    let labelled: BTreeMap<String, String> = page
        .descendants()
        .filter(|n| n.has_tag_name("labelledGUID"))
        .map(|g| {
            let child = |name| {
                g.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_owned()
            };
            (child("label"), child("GUID"))
        })
        .collect();
    // Lesson one teaches C-ONE and C-TWO, aligned to ext:A.1 and ext:B.
    assert_eq!(
        labelled.keys().collect::<Vec<_>>(),
        ["comp:C-ONE", "comp:C-TWO", "ext:A.1", "ext:B"]
    );
    for (label, guid) in &labelled {
        assert_eq!(Some(guid), identifiers.get(label), "{label}");
    }
}

/// This repository's cartridges, exported once for the tests that read them.
fn repo_build() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let out = dir.path().join("out");
            let result = run(root, &["export", "cc", "--out", out.to_str().unwrap()]);
            assert!(result.status.success(), "{}", stderr(&result));
            dir
        })
        .path()
}

#[test]
fn every_checked_calculation_of_this_repository_is_an_auto_graded_quiz_item() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = cib::check(root).unwrap();
    let c = &checked.curriculum;
    let mut quizzes: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let cartridges = files(&repo_build().join("out/lms"))
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "imscc"));
    for path in cartridges {
        let cartridge = Cartridge::open(&repo_build().join("out/lms").join(&path));
        for (name, bytes) in &cartridge.entries {
            if let Some(lesson) = name
                .strip_prefix("quizzes/")
                .and_then(|n| n.strip_suffix("-calculations/assessment_qti.xml"))
            {
                quizzes.insert(
                    lesson.to_owned(),
                    items(&String::from_utf8(bytes.clone()).unwrap()),
                );
            }
        }
    }
    let mut checked_items = 0;
    for lesson in &c.lessons {
        if lesson.calculations.is_empty() {
            continue;
        }
        let quiz = quizzes
            .get(lesson.id.value.as_str())
            .unwrap_or_else(|| panic!("no cartridge has a quiz for {}", lesson.id.value));
        for calc in &lesson.calculations {
            let ident = format!("cib-{}-calculations-{}", lesson.id.value, calc.id.value);
            let item = quiz
                .iter()
                .find(|i| i.ident == ident)
                .unwrap_or_else(|| panic!("{ident} is not in the quiz"));
            assert_eq!(item.profile, "cc.fib.v0p1", "{ident}");
            let answer = calc.answer.value;
            let stated = format!("{answer:.*}", calc.answer_places);
            assert!(
                item.accepted.contains(&stated),
                "{ident} does not accept {stated}"
            );
            // Every accepted answer is within the tolerance, a number, and
            // on the side of the stated answer the lesson rounds to: never
            // a whole last place past it.
            let unit = 10f64.powi(-(calc.answer_places as i32));
            for a in &item.accepted {
                let value: f64 = a.parse().unwrap_or_else(|_| panic!("{ident}: {a}"));
                assert!(
                    (value - answer).abs() <= calc.tolerance + 1e-9,
                    "{ident} accepts {a}, outside {answer} ± {}",
                    calc.tolerance
                );
                match calc.rounding {
                    Some(cib::model::Rounding::Down) => {
                        assert!(
                            value < answer + unit - 1e-12,
                            "{ident} accepts {a}, rounded up"
                        )
                    }
                    Some(cib::model::Rounding::Up) => {
                        assert!(
                            value > answer - unit + 1e-12,
                            "{ident} accepts {a}, rounded down"
                        )
                    }
                    None => {}
                }
            }
            // At the stated precision, a rounding of one result: at most two
            // neighbouring values besides the stated one.
            let at_precision: Vec<f64> = item
                .accepted
                .iter()
                .filter(|a| a.split('.').nth(1).map_or(0, str::len) == calc.answer_places)
                .map(|a| a.parse().unwrap())
                .collect();
            assert!(
                !at_precision.is_empty()
                    && at_precision.len() <= 6
                    && at_precision
                        .iter()
                        .all(|v| (v - answer).abs() <= unit + 1e-9),
                "{ident}: {at_precision:?}"
            );
            assert!(
                item.feedback.contains(&format!("Answer: {stated}")),
                "{ident}: the feedback shows the worked answer"
            );
            checked_items += 1;
        }
    }
    let declared: usize = c.lessons.iter().map(|l| l.calculations.len()).sum();
    assert_eq!(checked_items, declared);
    assert!(declared > 50, "only {declared} calculations");
}

#[test]
fn this_repositorys_cartridges_are_modules_in_teaching_order() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = cib::check(root).unwrap();
    let c = &checked.curriculum;
    let settings = c.settings.as_ref().unwrap();
    let students: Vec<_> = settings
        .bundles
        .iter()
        .filter(|b| b.audience == cib::model::Audience::Student)
        .collect();
    for bundle in students {
        let stem = format!("{}-{}", bundle.id.value, settings.version);
        let cartridge = Cartridge::open(&repo_build().join(format!("out/lms/{stem}.imscc")));
        let doc = cartridge.doc();
        let modules: Vec<String> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("item")
                    && n.attribute("identifier")
                        .is_some_and(|i| i.ends_with("-module"))
            })
            .filter(|n| n.attribute("identifier") != Some("cib-assessments-module"))
            .map(|n| n.attribute("identifier").unwrap().to_owned())
            .collect();
        let lessons: Vec<String> = cib::model::bundle::lessons(c, bundle)
            .iter()
            .map(|l| format!("cib-{}-module", l.id.value))
            .collect();
        assert_eq!(modules, lessons, "{stem}");
    }
}

/// Parses a CSV file as an importer would: header, then records.
fn csv_records(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, records)
}

#[test]
fn outcomes_import_parse_and_carry_the_case_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.path().to_str().unwrap();
    for args in [
        &["export", "case", "--out", out][..],
        &["export", "outcomes", "--lms", "canvas", "--out", out],
        &["export", "outcomes", "--lms", "moodle", "--out", out],
    ] {
        let result = run(root, args);
        assert!(result.status.success(), "{args:?}: {}", stderr(&result));
    }
    // The identifiers of every CASE package: documents and items.
    let mut documents = BTreeMap::new();
    let mut items: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in files(&dir.path().join("case")) {
        let package: Value = serde_json::from_slice(&bytes).unwrap();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        documents.insert(
            id.clone(),
            package["CFDocument"]["identifier"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        items.insert(
            id,
            package["CFItems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["identifier"].as_str().unwrap().to_owned())
                .collect(),
        );
    }

    // Canvas: its documented columns, groups before what they hold, every
    // CASE item once, each framework a group.
    let (header, records) = csv_records(&dir.path().join("lms/outcomes/canvas-outcomes.csv"));
    assert_eq!(&header[..10], cib::exchange::outcomes::CANVAS_COLUMNS);
    assert!(header[10..].iter().all(String::is_empty));
    let mut groups = BTreeSet::new();
    let mut guids = BTreeSet::new();
    for r in &records {
        assert_eq!(r.len(), header.len());
        assert!(
            !r[0].contains(' ') && !r[0].contains(':'),
            "vendor_guid {}",
            r[0]
        );
        assert!(guids.insert(r[0].clone()), "{} twice", r[0]);
        for parent in r[8].split_whitespace() {
            assert!(groups.contains(parent), "{} names {parent} before it", r[0]);
        }
        match r[1].as_str() {
            "group" => {
                groups.insert(r[0].clone());
                assert!(
                    r[5].is_empty() && r[9].is_empty(),
                    "a group has no method or ratings"
                );
            }
            "outcome" => {
                assert_eq!(r[5], "highest");
                assert_eq!(
                    &r[9..17],
                    [
                        "4",
                        "4 Exceeds",
                        "3",
                        "3 Meets",
                        "2",
                        "2 Approaching",
                        "1",
                        "1 Beginning"
                    ]
                );
            }
            other => panic!("object_type {other}"),
        }
    }
    let case_guids: BTreeSet<String> = items
        .values()
        .flatten()
        .cloned()
        .chain(documents.values().cloned())
        .collect();
    assert_eq!(guids, case_guids, "Canvas's guids are the CASE identifiers");

    // Moodle: one file per framework, its 14 columns, one framework row
    // first, parents before children, every CASE item once.
    for (framework, document) in &documents {
        let (header, records) = csv_records(
            &dir.path()
                .join(format!("lms/outcomes/moodle/{framework}.csv")),
        );
        assert_eq!(header, cib::exchange::outcomes::MOODLE_COLUMNS);
        assert_eq!(records[0][1], *document);
        assert_eq!(records[0][12], "1");
        let configuration: Value = serde_json::from_str(&records[0][6]).unwrap();
        let levels = records[0][5].split(',').count();
        assert_eq!(configuration.as_array().unwrap().len(), levels + 1);
        let proficient: Vec<u64> = configuration.as_array().unwrap()[1..]
            .iter()
            .map(|l| l["proficient"].as_u64().unwrap())
            .collect();
        assert_eq!(
            proficient,
            [0, 0, 1, 1],
            "3 Meets, the rubrics' passing level, and above"
        );
        let mut seen = BTreeSet::new();
        for r in &records[1..] {
            assert_eq!(r[12], "", "one framework row per file");
            assert!(
                r[0].is_empty() || seen.contains(&r[0]),
                "{framework}: {} before its parent",
                r[1]
            );
            assert!(r[2].chars().count() <= 100);
            seen.insert(r[1].clone());
        }
        assert_eq!(seen, items[framework], "{framework}");
    }
}

#[test]
fn lms_export_errors_name_the_problem_and_change_nothing() {
    let dir = crate::curriculum(None);
    let out = run(dir.path(), &["export", "outcomes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--lms"), "{}", stderr(&out));
    let out = run(dir.path(), &["export", "cc", "--cc-version", "1.2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("1.1") && stderr(&out).contains("1.3"),
        "{}",
        stderr(&out)
    );
    let out = run(dir.path(), &["build", "--site", "everyone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("students"), "{}", stderr(&out));
    let out = run(
        dir.path(),
        &[
            "export",
            "outcomes",
            "--lms",
            "moodle",
            "--framework",
            "compp",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `comp`"),
        "{}",
        stderr(&out)
    );

    // A curriculum with errors exports no cartridge and leaves build/ alone.
    crate::edit(
        dir.path(),
        "lessons/one.md",
        "teaches: [",
        "teaches: [C-NOPE, ",
    );
    let out = run(dir.path(), &["export", "cc"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("R005") || stderr(&out).contains("R005"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing exported"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("build").exists());
}

/// Pages and cartridges come from the cache when nothing changed, and are
/// made again, with the edit, when a lesson changed.
#[test]
fn pages_and_cartridges_follow_an_edit() {
    let dir = lms_fixture();
    let out = dir.path().join("build");
    build(dir.path(), &[]);
    let page = out.join("site/lessons/lesson-one.student.html");
    let cartridge = out.join("lms/comp-student-1.0.imscc");
    let before = (fs::read(&page).unwrap(), fs::read(&cartridge).unwrap());
    build(dir.path(), &[]);
    assert_eq!(
        before,
        (fs::read(&page).unwrap(), fs::read(&cartridge).unwrap())
    );
    crate::edit(
        dir.path(),
        "lessons/one.md",
        "Body text for everyone.",
        "Body text, revised, for everyone.",
    );
    build(dir.path(), &[]);
    let revised = "Body text, revised, for everyone.";
    assert!(fs::read_to_string(&page).unwrap().contains(revised));
    let inside = Cartridge::open(&cartridge).entries["lessons/lesson-one.html"].clone();
    assert!(String::from_utf8(inside).unwrap().contains(revised));
    // A file every page reads: the plan's alignment table names the
    // competency by its new title.
    crate::edit(
        dir.path(),
        "competencies/comp.yaml",
        "title: First",
        "title: First, retitled",
    );
    build(dir.path(), &[]);
    let plan = fs::read_to_string(out.join("site/lessons/lesson-one.instructor.html")).unwrap();
    assert!(plan.contains("First, retitled"), "{plan}");
}
