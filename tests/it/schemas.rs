//! The schemas in schemas/ are what the binary embeds, and they say enough for an
//! editor to help: every property has a title and a description.

use std::path::Path;

use serde_json::Value;

#[test]
fn embedded_schemas_match_the_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let embedded: Vec<&str> = cib::check::schema::EMBEDDED
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(
        on_disk, embedded,
        "every schema file is embedded, in name order"
    );
    for (name, text) in cib::check::schema::EMBEDDED {
        let file = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(&file, text, "{name}: the binary embeds a different copy");
    }
}

#[test]
fn every_property_has_a_title_and_description() {
    for (name, text) in cib::check::schema::EMBEDDED {
        let schema: Value = serde_json::from_str(text).unwrap();
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        let mut missing = Vec::new();
        visit(&schema, &schema, "", &mut missing);
        assert!(
            missing.is_empty(),
            "{name}: properties without title/description: {missing:?}"
        );
    }
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root
            .pointer(r.trim_start_matches('#'))
            .expect("local $ref resolves"),
        None => node,
    }
}

/// Walks properties, list items and map values; `$ref` cycles (items in items) end
/// at a fixed depth, deeper than any schema here nests.
fn visit(root: &Value, node: &Value, path: &str, missing: &mut Vec<String>) {
    if path.matches('/').count() > 8 {
        return;
    }
    let node = resolve(root, node);
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (key, prop) in props {
            let target = resolve(root, prop);
            if target.get("title").is_none() || target.get("description").is_none() {
                missing.push(format!("{path}/{key}"));
            }
            visit(root, prop, &format!("{path}/{key}"), missing);
        }
    }
    if let Some(items) = node.get("items") {
        visit(root, items, &format!("{path}/[]"), missing);
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        visit(root, extra, &format!("{path}/*"), missing);
    }
}

/// Editors and other validators tell the schemas apart by `$id`: an absolute URI,
/// one per schema, naming its file (docs/editors.md explains the scheme).
#[test]
fn every_schema_has_a_unique_absolute_id() {
    let mut seen = Vec::new();
    for (name, text) in cib::check::schema::EMBEDDED {
        let schema: Value = serde_json::from_str(text).unwrap();
        let id = schema["$id"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no $id"));
        let (scheme, rest) = id
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: $id `{id}` has no scheme"));
        assert!(
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
            "{name}: $id `{id}` has no valid scheme"
        );
        assert!(
            !rest.is_empty() && !id.contains('#') && !id.contains(char::is_whitespace),
            "{name}: $id `{id}` is not an absolute URI without a fragment"
        );
        assert_eq!(
            id,
            format!("https://cib.invalid/schemas/v1/{name}"),
            "{name}: $id follows the scheme in docs/editors.md"
        );
        assert!(
            !seen.contains(&id.to_owned()),
            "{name}: $id `{id}` is used twice"
        );
        seen.push(id.to_owned());
    }
    assert_eq!(seen.len(), cib::check::schema::EMBEDDED.len());
}

/// The schemas' own `examples` must be values their schemas accept, or the hints
/// built from them (and editors' completions) would suggest mistakes.
#[test]
fn every_example_is_valid_for_its_property() {
    for (name, text) in cib::check::schema::EMBEDDED {
        let schema: Value = serde_json::from_str(text).unwrap();
        let mut checked = 0;
        examples(&schema, &schema, name, &mut checked);
        assert!(checked >= 5, "{name}: only {checked} examples");
    }
}

fn examples(root: &Value, node: &Value, name: &str, checked: &mut usize) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get("examples") {
                let mut property = node.clone();
                property["definitions"] = root["definitions"].clone();
                let validator = jsonschema::draft7::new(&property)
                    .unwrap_or_else(|e| panic!("{name}: {e}: {node}"));
                for value in values {
                    assert!(
                        validator.is_valid(value),
                        "{name}: example {value} is not valid for {node}"
                    );
                    *checked += 1;
                }
            }
            for (key, child) in map {
                if key != "examples" {
                    examples(root, child, name, checked);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| examples(root, c, name, checked)),
        _ => {}
    }
}

/// The CASE schemas are copies of the published files: the binary embeds the
/// same bytes, whose SHA-256 is the one schemas/case/SOURCES.md records.
#[test]
fn the_case_schemas_are_the_published_copies_their_sources_name() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let sources = std::fs::read_to_string(dir.join("case/SOURCES.md")).unwrap();
    assert_eq!(cib::check::schema::CASE.len(), 1);
    for (name, text) in cib::check::schema::CASE {
        let file = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(
            file,
            text.as_bytes(),
            "{name}: the binary embeds a different copy"
        );
        let sha256 = cib::package::sha256_hex(&file);
        let row = sources
            .lines()
            .find(|l| l.starts_with(&format!("| {}", name.trim_start_matches("case/"))))
            .unwrap_or_else(|| panic!("{name} has no row in SOURCES.md"));
        assert!(
            row.contains(&sha256),
            "{name}: SOURCES.md records another SHA-256 than {sha256}"
        );
    }
}
