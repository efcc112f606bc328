//! Packages real CASE servers wrote (tests/fixtures/case-real/SOURCES.md): each
//! is imported into a curriculum, checked and exported again, and must come back
//! with every identifier and every association, valid against the official
//! schema, and the same to `cib diff`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::exchange::{errors, official_validator, ok};
use crate::{check_json, curriculum, fixtures, run, stderr};

/// (file, the warning codes its import gives).
const PACKAGES: [(&str, &[&str]); 4] = [
    (
        "opensalt-2017-what-standards-could-be.json",
        &["X004", "X005", "X006", "X007"],
    ),
    ("opensalt-2017-act-holistic-math.json", &["X007"]),
    ("opensalt-2018-act-holistic-science.json", &["X007"]),
    ("opencase-2026-ikenohata.json", &["X004", "X007"]),
];

/// What a package says about identity: its document's identifier, its items'
/// identifiers, and each association as (identifier, type, origin, destination).
#[derive(Debug, PartialEq)]
struct Identity {
    document: String,
    items: BTreeSet<String>,
    associations: BTreeSet<(String, String, String, String)>,
    by_type: BTreeMap<String, usize>,
}

fn identity(package: &Value) -> Identity {
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    let associations: BTreeSet<_> = package["CFAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                text(&a["identifier"]),
                text(&a["associationType"]),
                text(&a["originNodeURI"]["identifier"]),
                text(&a["destinationNodeURI"]["identifier"]),
            )
        })
        .collect();
    let mut by_type = BTreeMap::new();
    for (_, kind, _, _) in &associations {
        *by_type.entry(kind.clone()).or_default() += 1;
    }
    Identity {
        document: text(&package["CFDocument"]["identifier"]),
        items: package["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| text(&i["identifier"]))
            .collect(),
        associations,
        by_type,
    }
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn real_packages_keep_every_identifier_and_association_through_import_check_and_export() {
    let validator = official_validator();
    for (name, warnings) in PACKAGES {
        let package = fixtures().join("case-real").join(name);
        let original = read(&package);
        let dir = curriculum(None);
        let root = dir.path();
        let out = run(
            root,
            &[
                "import",
                "case",
                package.to_str().unwrap(),
                "--id",
                "real",
                "--format",
                "json",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: BTreeSet<&str> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            warnings.iter().copied().collect(),
            "{name}: {report:#}"
        );
        let summary = stderr(&out);
        assert!(
            summary.contains("not kept: 0 items and 0 associations"),
            "{name}: {summary}"
        );

        // The curriculum with the framework checks clean, but for the
        // characters the embedded fonts lack (the Japanese package).
        let (checked, _) = check_json(root, &[]);
        let stopping: Vec<&Value> = checked["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error" && d["code"] != "C010")
            .collect();
        assert!(stopping.is_empty(), "{name}: {stopping:#?}");

        ok(
            root,
            &["export", "case", "--framework", "real", "--out", "out"],
        );
        let exported_path = root.join("out/case/real.json");
        let exported = read(&exported_path);
        let problems = errors(&validator, &exported);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        let (before, after) = (identity(&original), identity(&exported));
        assert!(!before.items.is_empty(), "{name}");
        assert_eq!(before, after, "{name}: identity changed in the round trip");

        // A spreadsheet round trip keeps them too: CSV out, back in, and the
        // CASE package is the same bytes.
        ok(
            root,
            &["export", "csv", "--framework", "real", "--out", "out"],
        );
        ok(
            root,
            &[
                "import",
                "csv",
                "out/csv/real.csv",
                "--force",
                "--out",
                "frameworks/real.yaml",
            ],
        );
        ok(
            root,
            &["export", "case", "--framework", "real", "--out", "again"],
        );
        assert!(
            fs::read(root.join("again/case/real.json")).unwrap()
                == fs::read(&exported_path).unwrap(),
            "{name}: the CSV round trip changed the CASE package"
        );

        let out = run(
            root,
            &[
                "diff",
                package.to_str().unwrap(),
                exported_path.to_str().unwrap(),
                "--exit-code",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: cib diff sees a change:\n{}{}",
            crate::stdout(&out),
            stderr(&out)
        );
    }
}

/// A publisher's new version that points an exemplar somewhere else and drops
/// another: `cib diff` names both links.
#[test]
fn diff_shows_an_external_link_that_moved_or_went() {
    let dir = tempfile::tempdir().unwrap();
    let name = "opensalt-2017-what-standards-could-be.json";
    let old = fixtures().join("case-real").join(name);
    let mut package = read(&old);
    let associations = package["CFAssociations"].as_array_mut().unwrap();
    let exemplars: Vec<usize> = (0..associations.len())
        .filter(|&n| associations[n]["associationType"] == "exemplar")
        .collect();
    assert_eq!(exemplars.len(), 2);
    associations[exemplars[0]]["destinationNodeURI"]["uri"] =
        "https://tasks.example.org/ratios/1".into();
    associations.remove(exemplars[1]);
    let new = dir.path().join("new.json");
    fs::write(&new, serde_json::to_vec_pretty(&package).unwrap()).unwrap();
    let out = run(
        dir.path(),
        &[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = crate::stdout(&out);
    for link in [
        "exemplar to http://opensalt-staging.opened.com/uri/https://www.illustrativemathematics.org/content-standards/6/RP/A/1/tasks/1181",
        "exemplar to https://tasks.example.org/ratios/1",
        "exemplar to http://opensalt-staging.opened.com/uri/https://www.opened.com/video/fractions-proportions-understanding-math-ratios/115642",
    ] {
        assert!(report.contains(link), "{link} not in {report}");
    }
    assert!(report.contains("external link Destination"), "{report}");
}

/// An association names an item of its own framework by code, and a code that
/// is not there is reported where it is written, with the nearest one.
#[test]
fn an_association_to_a_code_the_framework_lacks_is_an_unresolved_reference() {
    let dir = curriculum(None);
    let file = dir.path().join("frameworks/ext.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let from = "        source: Test document, page 2\n";
    assert!(text.contains(from));
    let edited = text.replacen(
        from,
        &format!(
            "{from}        associations:\n          - type: precedes\n            to: A.2\n          - type: exemplar\n            node: {{identifier: x-1, uri: https://tasks.example.org/1}}\n"
        ),
        1,
    );
    fs::write(&file, &edited).unwrap();
    let (report, exit) = check_json(dir.path(), &[]);
    assert_eq!(exit, 1, "{report:#}");
    let found: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "R006")
        .collect();
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["code"], "R002");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("framework `ext` has no item `A.2`"),
        "{report:#}"
    );
    let line = edited.lines().position(|l| l.contains("to: A.2")).unwrap() as u64 + 1;
    assert_eq!(
        crate::located(&report, "R002"),
        Some(("frameworks/ext.yaml".into(), Some((line, 17))))
    );
}

/// The coverage report shows an imported item's associations: to items of the
/// framework as links within the report, to nodes outside as external links.
#[test]
fn coverage_reports_show_associations_and_external_links() {
    let dir = curriculum(None);
    let root = dir.path();
    let package = fixtures()
        .join("case-real")
        .join("opensalt-2017-what-standards-could-be.json");
    ok(
        root,
        &["import", "case", package.to_str().unwrap(), "--id", "real"],
    );
    ok(root, &["coverage", "--out", "rep"]);
    let report = read(&root.join("rep/reports/coverage.json"));
    let items = |id: &str| -> Vec<Value> {
        let frameworks = report["frameworks"].as_array().unwrap();
        let f = frameworks.iter().find(|f| f["id"] == id).unwrap();
        f["items"].as_array().unwrap().clone()
    };
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for item in &items("real") {
        assert!(item["case_identifier"].is_string(), "{item:#}");
        for a in item["associations"].as_array().into_iter().flatten() {
            *by_type
                .entry(a["type"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }
    let expected: BTreeMap<String, usize> = [
        ("exactMatchOf", 16),
        ("exemplar", 2),
        ("isRelatedTo", 2),
        ("precedes", 3),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(by_type, expected);
    let html = fs::read_to_string(root.join("rep/reports/coverage.html")).unwrap();
    assert!(
        html.contains("(external link: http://opensalt-staging.opened.com/uri/https://www.illustrativemathematics.org/content-standards/6/RP/A/1/tasks/1181)"),
        "the exemplar is not shown"
    );
    // A hand-written framework's items carry neither key.
    for item in &items("ext") {
        assert!(item.get("associations").is_none() && item.get("case_identifier").is_none());
    }
}

/// A package of one of our competency frameworks, edited in another CASE tool
/// (an association between two competencies, an exemplar outside), comes back
/// in with both, and exports them again unchanged.
#[test]
fn associations_added_to_our_competencies_elsewhere_are_kept() {
    let dir = curriculum(None);
    let root = dir.path();
    ok(
        root,
        &["export", "case", "--framework", "comp", "--out", "first"],
    );
    let mut package = read(&root.join("first/case/comp.json"));
    let items = package["CFItems"].as_array().unwrap().clone();
    assert!(items.len() >= 2);
    let link = |i: &Value| serde_json::json!({"title": i["abbreviatedStatement"], "identifier": i["identifier"], "uri": i["uri"]});
    let added = [
        serde_json::json!({
            "identifier": "3f2a1b0c-0000-4000-8000-000000000001",
            "associationType": "isPeerOf",
            "uri": "urn:uuid:3f2a1b0c-0000-4000-8000-000000000001",
            "originNodeURI": link(&items[0]),
            "destinationNodeURI": link(&items[1]),
            "lastChangeDateTime": "2026-01-15T00:00:00+00:00"
        }),
        serde_json::json!({
            "identifier": "3f2a1b0c-0000-4000-8000-000000000002",
            "associationType": "exemplar",
            "uri": "urn:uuid:3f2a1b0c-0000-4000-8000-000000000002",
            "originNodeURI": link(&items[1]),
            "destinationNodeURI": {"title": "A worked example", "identifier": "ex-1", "uri": "https://examples.example.org/1"},
            "lastChangeDateTime": "2026-01-15T00:00:00+00:00"
        }),
    ];
    package["CFAssociations"]
        .as_array_mut()
        .unwrap()
        .extend(added.iter().cloned());
    fs::write(
        root.join("edited.json"),
        serde_json::to_vec_pretty(&package).unwrap(),
    )
    .unwrap();
    let out = run(
        root,
        &[
            "import",
            "case",
            "edited.json",
            "--force",
            "--out",
            "competencies/comp.yaml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not kept: 0 items and 0 associations"),
        "{}",
        stderr(&out)
    );
    let yaml = fs::read_to_string(root.join("competencies/comp.yaml")).unwrap();
    assert!(yaml.contains("type: isPeerOf"), "{yaml}");
    assert!(
        yaml.contains("uri: https://examples.example.org/1"),
        "{yaml}"
    );
    ok(
        root,
        &["export", "case", "--framework", "comp", "--out", "second"],
    );
    let again = identity(&read(&root.join("second/case/comp.json")));
    assert_eq!(again, identity(&package));
}

#[test]
fn an_association_to_a_competency_the_framework_lacks_is_an_unresolved_reference() {
    let dir = curriculum(None);
    let file = dir.path().join("competencies/comp.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let from = "    criteria: [Does it]\n";
    assert!(text.contains(from));
    let edited = text.replacen(
        from,
        &format!("{from}    associations:\n      - type: isPeerOf\n        to: C-TOW\n"),
        1,
    );
    fs::write(&file, &edited).unwrap();
    let (report, exit) = check_json(dir.path(), &[]);
    assert_eq!(exit, 1, "{report:#}");
    let line = edited
        .lines()
        .position(|l| l.contains("to: C-TOW"))
        .unwrap() as u64
        + 1;
    assert_eq!(
        crate::located(&report, "R002"),
        Some(("competencies/comp.yaml".into(), Some((line, 13))))
    );
    assert!(
        report.to_string().contains("did you mean `C-TWO`?"),
        "{report:#}"
    );
}
