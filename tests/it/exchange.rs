//! `cib export case|csv` and `cib import case|csv`: the repository's frameworks
//! as CASE 1.1 packages that pass the official schema, round trips that give the
//! same bytes, OpenSALT's CASE 1.0 shape, and every way an import is refused.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::{copy_tree, curriculum, fixtures, located, run, stderr, stdout};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the repository's own curriculum.
pub(crate) fn repo_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo_root().join("curriculum.yaml"),
        dir.path().join("curriculum.yaml"),
    )
    .unwrap();
    for folder in [
        "schemas",
        "frameworks",
        "competencies",
        "lessons",
        "assessments",
    ] {
        copy_tree(&repo_root().join(folder), &dir.path().join(folder));
    }
    dir
}

pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "cib {args:?} failed:\n{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Every file of a folder by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub(crate) fn official_validator() -> jsonschema::Validator {
    let text =
        fs::read_to_string(repo_root().join("schemas/case/case_v1p1_cfpackage-jsonschema1.json"))
            .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft201909::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub(crate) fn errors(validator: &jsonschema::Validator, package: &Value) -> Vec<String> {
    validator
        .iter_errors(package)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_framework_of_the_repository_exports_as_a_case_package_the_official_schema_accepts() {
    let dir = repo_copy();
    ok(dir.path(), &["export", "case"]);
    let packages: BTreeMap<String, Value> = files(&dir.path().join("build/case"))
        .into_iter()
        .map(|(name, bytes)| (name, serde_json::from_slice(&bytes).unwrap()))
        .collect();
    let names: Vec<&str> = packages.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "cnc-lathe.json",
            "cnc-mill.json",
            "dese-vmach.json",
            "machine-tool-technology.json",
            "macwic-amtp.json",
            "nims-machining-1.json",
            "osha-10-gi.json",
            "osha-10.json"
        ]
    );
    let validator = official_validator();
    let mut identifiers = HashSet::new();
    let mut items = 0;
    for (name, package) in &packages {
        assert_eq!(errors(&validator, package), Vec::<String>::new(), "{name}");
        assert_eq!(package["CFDocument"]["caseVersion"], "1.1");
        for item in package["CFItems"].as_array().unwrap() {
            let id = item["identifier"].as_str().unwrap();
            assert_eq!(&id[14..15], "5", "{name}: {id} is a UUID version 5");
            assert!(identifiers.insert(id.to_owned()), "{id} is used twice");
            assert!(item["humanCodingScheme"].is_string());
            items += 1;
        }
    }
    // 4 external frameworks' items and 4 of our frameworks' competencies.
    let c = cib::check(&repo_root()).unwrap().curriculum;
    let expected: usize =
        c.frameworks.iter().map(|f| f.items.len()).sum::<usize>() + c.competencies().count();
    assert_eq!(items, expected);
    // Every association ends at an item or document of some exported package:
    // alignments point at the external frameworks' own items.
    for package in packages.values() {
        identifiers.insert(
            package["CFDocument"]["identifier"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut alignments = 0;
    for (name, package) in &packages {
        for a in package["CFAssociations"].as_array().unwrap() {
            for end in ["originNodeURI", "destinationNodeURI"] {
                let id = a[end]["identifier"].as_str().unwrap();
                assert!(identifiers.contains(id), "{name}: {end} {id} dangles");
            }
            if a["associationType"] != "isChildOf" && a["associationType"] != "precedes" {
                alignments += 1;
            }
        }
    }
    let aligned: usize = c.competencies().map(|k| k.alignments.len()).sum();
    assert_eq!(alignments, aligned);

    // Formats are checked: a malformed UUID or date fails the official schema.
    let mut broken = packages["cnc-mill.json"].clone();
    broken["CFItems"][0]["identifier"] = "CNC-MILL-01".into();
    broken["CFDocument"]["lastChangeDateTime"] = "2026-09-01".into();
    let found = errors(&validator, &broken);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|e| e.contains("/CFItems/0/identifier")));
}

#[test]
fn identifiers_survive_reordering_and_retitling_and_uris_follow_a_base() {
    let dir = curriculum(None);
    ok(dir.path(), &["export", "case", "--framework", "comp"]);
    let before: Value =
        serde_json::from_slice(&fs::read(dir.path().join("build/case/comp.json")).unwrap())
            .unwrap();
    let file = dir.path().join("competencies/comp.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let (head, rest) = text.split_at(text.find("  - id: C-ONE").unwrap());
    let (one, two) = rest.split_at(rest.find("  - id: C-TWO").unwrap());
    fs::write(
        &file,
        format!(
            "{head}{two}{}",
            one.replace("title: First", "title: Renamed")
        ),
    )
    .unwrap();
    ok(
        dir.path(),
        &["export", "case", "--base-uri", "https://case.example.org/"],
    );
    let after: Value =
        serde_json::from_slice(&fs::read(dir.path().join("build/case/comp.json")).unwrap())
            .unwrap();
    let by_code = |p: &Value| -> BTreeMap<String, (String, String)> {
        p["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["humanCodingScheme"].as_str().unwrap().to_owned(),
                    (
                        i["identifier"].as_str().unwrap().to_owned(),
                        i["abbreviatedStatement"].as_str().unwrap().to_owned(),
                    ),
                )
            })
            .collect()
    };
    let (b, a) = (by_code(&before), by_code(&after));
    assert_eq!(b["C-ONE"].0, a["C-ONE"].0);
    assert_eq!(b["C-TWO"].0, a["C-TWO"].0);
    assert_eq!(a["C-ONE"].1, "Renamed");
    assert_eq!(after["CFItems"][0]["humanCodingScheme"], "C-TWO");
    let id = a["C-ONE"].0.clone();
    let item = after["CFItems"][1].clone();
    assert_eq!(
        item["uri"],
        format!("https://case.example.org/ims/case/v1p1/CFItems/{id}")
    );
    assert_eq!(before["CFItems"][0]["uri"], format!("urn:uuid:{id}"));
}

#[test]
fn export_then_import_then_export_gives_the_same_bytes_for_case_and_csv() {
    let dir = repo_copy();
    let root = dir.path();
    // Titles a spreadsheet would run as formulas, as a package from elsewhere can
    // carry them, and one that starts with the apostrophe that defuses them.
    let edit = |file: &str, from: &str, to: &str| {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "competencies/cnc-mill.yaml",
        "    title: Proving a mill program\n",
        "    title: '=HYPERLINK(\"http://example.org\",\"Proving a mill program\")'\n",
    );
    edit(
        "frameworks/nims-machining-1.yaml",
        "    title: Measurement, Materials & Safety\n",
        "    title: \"@SUM(1+1) 'Measurement, Materials & Safety\"\n",
    );
    edit(
        "competencies/cnc-mill.yaml",
        "    title: Linear interpolation programs\n",
        "    title: \"'Linear' interpolation programs\"\n",
    );
    ok(root, &["export", "case", "--out", "first"]);
    ok(root, &["export", "csv", "--out", "first"]);
    let case = files(&root.join("first/case"));
    let csv = files(&root.join("first/csv"));
    assert_eq!(case.len(), 8);
    let text = |name: &str| String::from_utf8(csv[name].clone()).unwrap();
    let mill = text("cnc-mill.csv");
    assert!(
        mill.contains(r#","'=HYPERLINK(""http://example.org"",""Proving a mill program"")","#),
        "{mill}"
    );
    assert!(
        mill.contains(",''Linear' interpolation programs,"),
        "{mill}"
    );
    assert!(
        text("nims-machining-1.csv").contains(",\"'@SUM(1+1) 'Measurement, Materials & Safety\""),
        "{}",
        text("nims-machining-1.csv")
    );
    // No cell starts a formula.
    for (name, bytes) in &csv {
        let table = String::from_utf8_lossy(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(table.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@'])
                        && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                    "{name}: {cell}"
                );
            }
        }
    }

    // CASE → YAML, replacing every framework file, then export again.
    let place = |name: &str| -> String {
        let id = name.rsplit_once('.').unwrap().0;
        let external = root.join(format!("frameworks/{id}.yaml"));
        if external.exists() {
            format!("frameworks/{id}.yaml")
        } else {
            format!("competencies/{id}.yaml")
        }
    };
    for name in case.keys() {
        let package = format!("first/case/{name}");
        ok(
            root,
            &["import", "case", &package, "--force", "--out", &place(name)],
        );
    }
    ok(root, &["check", "--deny", "warnings"]);
    ok(root, &["export", "case", "--out", "second"]);
    assert_eq!(files(&root.join("second/case")), case, "CASE round trip");

    // CSV → YAML the same way.
    for name in csv.keys() {
        let table = format!("first/csv/{name}");
        ok(
            root,
            &["import", "csv", &table, "--force", "--out", &place(name)],
        );
    }
    ok(root, &["check", "--deny", "warnings"]);
    ok(root, &["export", "csv", "--out", "third"]);
    ok(root, &["export", "case", "--out", "third"]);
    assert_eq!(files(&root.join("third/csv")), csv, "CSV round trip");
    assert_eq!(
        files(&root.join("third/case")),
        case,
        "CSV kept what CASE carries"
    );
}

#[test]
fn an_opensalt_case_1_0_package_imports_with_its_codes_tree_and_statements() {
    let dir = curriculum(None);
    let package = fixtures().join("exchange/opensalt-1.0.json");
    let out = run(
        dir.path(),
        &[
            "import",
            "case",
            package.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // CASE 1.0's links back to the package are left out (X007); its one
    // `isChildOf` from nothing cannot be kept (X001).
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["X007", "X007", "X001"], "{report:#}");
    let written = dir
        .path()
        .join("frameworks/precision-measurement-sample-case-1-0.yaml");
    let text = fs::read_to_string(&written).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=../schemas/framework.schema.json\n"));
    ok(dir.path(), &["check"]);

    let loaded = cib::load::framework_file(&written, "imported.yaml").unwrap();
    let checked = cib::check_framework_file(loaded).unwrap();
    let f = &checked.curriculum.frameworks[0];
    assert_eq!(f.title, "Precision Measurement Sample (CASE 1.0)");
    assert_eq!(f.publisher, "Sample Publisher");
    assert_eq!(f.version, "1.0");
    assert_eq!(
        f.url.as_deref(),
        Some("https://case.example.org/frameworks/pm")
    );
    let tree: Vec<(String, Option<String>, String, Option<String>)> = f
        .items
        .iter()
        .map(|i| {
            (
                i.code.value.clone(),
                i.parent.map(|p| f.items[p].code.value.clone()),
                i.title.clone(),
                i.kind.clone(),
            )
        })
        .collect();
    let own = |c: &str, p: Option<&str>, t: &str, k: &str| {
        (
            c.to_owned(),
            p.map(str::to_owned),
            t.to_owned(),
            Some(k.to_owned()),
        )
    };
    assert_eq!(
        tree,
        [
            own("PM", None, "Precision measurement", "Strand"),
            own("PM.1", Some("PM"), "Semi-precision tools", "Standard"),
            own(
                "PM.1.a",
                Some("PM.1"),
                "Measure a length with a steel rule to the nearest 1/64 inch.",
                "Objective"
            ),
            own("PM.2", Some("PM"), "Micrometers", "Standard"),
            own(
                "CASE-a1000000",
                Some("PM"),
                "Keep measuring tools clean and stored in their cases.",
                "Objective"
            ),
            own("SAF", None, "Shop safety", "Strand"),
        ]
    );
    assert!(f.items[4].our_code, "a code cib made up is marked as ours");
    assert_eq!(
        f.items[1].description.as_deref(),
        Some("Read steel rules and combination squares to the nearest 1/64 inch.")
    );
}

/// The first diagnostic of a JSON report: (code, file, line, column).
fn first(report: &Value) -> (String, String, u64, u64) {
    let d = &report["diagnostics"][0];
    let (file, at) = located(report, d["code"].as_str().unwrap()).unwrap();
    let (line, column) = at.unwrap();
    (d["code"].as_str().unwrap().to_owned(), file, line, column)
}

fn import_json(dir: &Path, format: &str, file: &str) -> (Value, i32) {
    let out = run(
        dir,
        &["import", format, file, "--check", "--format", "json"],
    );
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (report, out.status.code().unwrap())
}

#[test]
fn a_package_that_breaks_the_case_schema_is_refused_at_its_line_and_column() {
    let dir = curriculum(None);
    let text = fs::read_to_string(fixtures().join("exchange/opensalt-1.0.json")).unwrap();
    let bad = text.replacen(
        "\"identifier\": \"a1000000-0000-4000-8000-000000000002\"",
        "\"identifier\": \"PM-1\"",
        1,
    );
    assert_ne!(bad, text);
    fs::write(dir.path().join("bad.json"), &bad).unwrap();
    let (report, exit) = import_json(dir.path(), "case", "bad.json");
    assert_eq!(exit, 1);
    let line = bad.lines().position(|l| l.contains("\"PM-1\"")).unwrap() as u64 + 1;
    let errors: Vec<(u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "S001")
        .map(|d| {
            let at = &d["range"]["start"];
            (at["line"].as_u64().unwrap(), at["column"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(errors, [(line, 21)], "{report:#}");
    assert!(
        !dir.path()
            .join("frameworks/precision-measurement-sample-case-1-0.yaml")
            .exists()
    );
}

#[test]
fn import_refuses_what_is_not_a_package_and_never_overwrites_without_force() {
    let dir = curriculum(None);
    let root = dir.path();
    let out = run(root, &["import", "case", "frameworks/ext.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a CASE package"),
        "{}",
        stderr(&out)
    );

    let big = fs::File::create(root.join("big.json")).unwrap();
    big.set_len(33 * 1024 * 1024).unwrap();
    let out = run(root, &["import", "case", "big.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`big.json` is larger than the 32.0 MiB limit"),
        "{}",
        stderr(&out)
    );

    let out = run(root, &["import", "case", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read `missing.json`"),
        "{}",
        stderr(&out)
    );

    ok(root, &["export", "case", "--framework", "ext"]);
    let before = fs::read(root.join("frameworks/ext.yaml")).unwrap();
    let out = run(root, &["import", "case", "build/case/ext.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pass --force"), "{}", stderr(&out));
    assert_eq!(fs::read(root.join("frameworks/ext.yaml")).unwrap(), before);

    let out = run(root, &["import", "csv", "build/case/ext.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a CSV table"),
        "{}",
        stderr(&out)
    );

    let out = run(root, &["export", "case", "--framework", "comps"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `comp`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_refuses_a_curriculum_with_errors() {
    let dir = curriculum(Some("R002"));
    let out = run(dir.path(), &["export", "case"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("R002"), "{}", stdout(&out));
    assert!(!dir.path().join("build/case").exists());
}

#[test]
fn csv_tables_are_checked_at_the_cell_the_user_wrote() {
    let dir = curriculum(None);
    let root = dir.path();
    ok(
        root,
        &["export", "csv", "--framework", "comp", "--framework", "ext"],
    );
    let comp = fs::read_to_string(root.join("build/csv/comp.csv")).unwrap();

    // A value the schema refuses: reported at its cell, not in some YAML.
    let bad = comp.replacen(",essential,3.5,", ",essential,-3,", 1);
    fs::write(root.join("hours.csv"), &bad).unwrap();
    let (report, exit) = import_json(root, "csv", "hours.csv");
    assert_eq!(exit, 1, "{report:#}");
    let line = bad.lines().position(|l| l.contains(",-3,")).unwrap();
    let column = bad.lines().nth(line).unwrap().find(",-3,").unwrap() + 2;
    assert_eq!(
        first(&report),
        (
            "S001".into(),
            "hours.csv".into(),
            line as u64 + 1,
            column as u64
        )
    );

    // A misspelt column.
    let bad = comp.replacen("statement", "statment", 1);
    fs::write(root.join("column.csv"), &bad).unwrap();
    let (report, exit) = import_json(root, "csv", "column.csv");
    assert_eq!(exit, 1);
    let header = bad.lines().next().unwrap().trim_start_matches('\u{feff}');
    let column = header.find("statment").unwrap() + 1;
    assert_eq!(
        first(&report),
        ("X002".into(), "column.csv".into(), 1, column as u64)
    );
    let hints = report["diagnostics"][0]["hints"].to_string();
    assert!(hints.contains("did you mean `statement`?"), "{hints}");

    // A parent listed after its child.
    let ext = fs::read_to_string(root.join("build/csv/ext.csv")).unwrap();
    let mut lines: Vec<&str> = ext.lines().collect();
    lines.swap(2, 3);
    let bad = lines.join("\n");
    fs::write(root.join("order.csv"), &bad).unwrap();
    let (report, exit) = import_json(root, "csv", "order.csv");
    assert_eq!(exit, 1, "{report:#}");
    let (code, file, line, _) = first(&report);
    assert_eq!(
        (code.as_str(), file.as_str(), line),
        ("X002", "order.csv", 3)
    );
    assert!(
        report
            .to_string()
            .contains("no earlier row has the code `A`")
    );

    // A CASE identity that is not JSON, at its cell.
    let row = ext.lines().position(|l| l.starts_with("item,A,")).unwrap();
    let mut lines: Vec<String> = ext.lines().map(str::to_owned).collect();
    let line = lines[row].trim_end_matches('\r').to_owned();
    assert!(line.ends_with(",,"), "{line}");
    lines[row] = format!("{},{{broken,", &line[..line.len() - 2]);
    let bad = lines.join("\n");
    fs::write(root.join("identity.csv"), &bad).unwrap();
    let (report, exit) = import_json(root, "csv", "identity.csv");
    assert_eq!(exit, 1, "{report:#}");
    let column = lines[row].find("{broken").unwrap() + 1;
    assert_eq!(
        first(&report),
        (
            "X002".into(),
            "identity.csv".into(),
            row as u64 + 1,
            column as u64
        )
    );
    assert!(
        report.to_string().contains("`case` is not JSON"),
        "{report:#}"
    );

    // The same kind of id twice: the resolver's finding, at the second row.
    let twice = format!("{comp}{}\r\n", comp.lines().nth(2).unwrap());
    fs::write(root.join("twice.csv"), &twice).unwrap();
    let (report, exit) = import_json(root, "csv", "twice.csv");
    assert_eq!(exit, 1);
    assert_eq!(first(&report).0, "R001");
    assert_eq!(first(&report).2, 5);

    // An empty file and a table of something else.
    fs::write(root.join("empty.csv"), "").unwrap();
    assert_eq!(import_json(root, "csv", "empty.csv").1, 1);
    fs::write(root.join("other.csv"), "name,email\nAda,ada@example.org\n").unwrap();
    let (report, _) = import_json(root, "csv", "other.csv");
    assert_eq!(first(&report).0, "X002");
}

#[test]
fn a_csv_table_from_a_spreadsheet_imports_as_a_competency_framework() {
    let dir = curriculum(None);
    let root = dir.path();
    // Hand-made, as a curriculum office would type it: no byte-order mark,
    // LF line ends, quoted cells with commas and line breaks, blank cells.
    let table = "type,id,title,statement,area,level,hours,criteria,prerequisites,alignments,version,license,delivers\n\
framework,shop,Shop basics,\"Basic shop practice, for new students.\",,,,,,,2027.1,CC0-1.0,\n\
competency,SHOP-01,Housekeeping,Keep the work area clean and clear.,Safety,basic,1.5,\"Sweeps chips with a brush, never by hand.\nStores tools after use.\",,exactMatchOf ext:A.1 Same outcome as the topic,,,\n\
competency,SHOP-02,Deburring,Remove burrs with a file and a deburring tool.,Bench work,basic,2,Leaves no sharp edge.,SHOP-01,,,,\n";
    fs::write(root.join("shop.csv"), table).unwrap();
    ok(root, &["import", "csv", "shop.csv"]);
    let text = fs::read_to_string(root.join("competencies/shop.yaml")).unwrap();
    ok(root, &["check"]);
    let loaded = cib::load::framework_bytes("shop.yaml", text.into_bytes());
    let checked = cib::check_framework_file(loaded).unwrap();
    let f = &checked.curriculum.competency_frameworks[0];
    assert_eq!(f.version, "2027.1");
    assert_eq!(
        f.description.as_deref(),
        Some("Basic shop practice, for new students.")
    );
    let one = &f.competencies[0];
    assert_eq!(one.hours, 1.5);
    assert_eq!(
        one.criteria,
        [
            "Sweeps chips with a brush, never by hand.",
            "Stores tools after use."
        ]
    );
    assert_eq!(one.alignments[0].target.value.to_string(), "ext:A.1");
    assert_eq!(
        one.alignments[0].note.as_deref(),
        Some("Same outcome as the topic")
    );
    assert_eq!(f.competencies[1].prerequisites[0].value.as_str(), "SHOP-01");
}

#[test]
fn a_competency_that_contains_an_item_exports_as_the_item_part_of_it_and_imports_back() {
    let dir = repo_copy();
    let root = dir.path();
    let file = root.join("competencies/cnc-lathe.yaml");
    let yaml = fs::read_to_string(&file).unwrap();
    let at = yaml
        .find("relation: isPartOf")
        .expect("an isPartOf alignment");
    let mut contained = yaml.clone();
    contained.replace_range(at..at + "relation: isPartOf".len(), "relation: hasPart");
    fs::write(&file, &contained).unwrap();
    let target = contained[..at]
        .rsplit("target: ")
        .next()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .trim_matches('"')
        .to_owned();
    ok(root, &["check", "--deny", "warnings"]);
    ok(root, &["export", "case", "--out", "out"]);

    let package: Value =
        serde_json::from_slice(&fs::read(root.join("out/case/cnc-lathe.json")).unwrap()).unwrap();
    let reversed: Vec<&Value> = package["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["extensions"]["cib"]["target"] == target.as_str())
        .collect();
    assert_eq!(reversed.len(), 1, "{target}");
    let a = reversed[0];
    assert_eq!(a["associationType"], "isPartOf");
    let own: HashSet<&Value> = package["CFItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["identifier"])
        .collect();
    assert!(
        !own.contains(&a["originNodeURI"]["identifier"])
            && own.contains(&a["destinationNodeURI"]["identifier"]),
        "the association runs from the external item into a competency of the package: {a:#}"
    );
    assert!(errors(&official_validator(), &package).is_empty());

    ok(
        root,
        &[
            "import",
            "case",
            "out/case/cnc-lathe.json",
            "--force",
            "--out",
            "competencies/cnc-lathe.yaml",
        ],
    );
    let back = fs::read_to_string(&file).unwrap();
    assert_eq!(
        back.matches("relation: hasPart").count(),
        1,
        "the containing alignment comes back as hasPart"
    );
    ok(root, &["check", "--deny", "warnings"]);
}
