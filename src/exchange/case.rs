//! 1EdTech CASE 1.1 packages: every framework out as a `CFPackage`, and a package
//! (1.1, or 1.0 as OpenSALT writes it) back in as a framework file.
//!
//! Identifiers are UUID v5 names of the framework id and the item code, so they
//! survive reordering and retitling, and the same curriculum always gives the same
//! bytes. What CASE has no field for (verification status, hours, levels, criteria)
//! travels in `extensions.cib`, which is what makes export, import and export again
//! give the same package; other consumers read the standard fields and the notes.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::diag::{Code, Diagnostic, Span};
use crate::load::{Document, Kind};
use crate::model::{CompetencyFramework, Curriculum, Framework, FrameworkId, Relation, slug};

/// The key under `extensions` that holds what only cib reads.
pub(super) const EXTENSION: &str = "cib";
/// The item type every competency of ours has.
pub(super) const COMPETENCY: &str = "Competency";

/// The UUID v5 of a name in cib's own namespace.
fn uuid(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:cib:case");
    Uuid::new_v5(&namespace, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// A framework's `CFDocument` identifier.
pub(super) fn document_id(framework: &str) -> String {
    uuid(&format!("document/{framework}"))
}

/// An item's identifier: external items by framework and code, our competencies by
/// their framework and id.
pub(super) fn item_id(framework: &str, code: &str) -> String {
    uuid(&format!("item/{framework}/{code}"))
}

/// The frameworks a curriculum can export, external first, in file order.
pub fn framework_ids(c: &Curriculum) -> Vec<&FrameworkId> {
    c.frameworks
        .iter()
        .map(|f| &f.id.value)
        .chain(c.competency_frameworks.iter().map(|f| &f.id.value))
        .collect()
}

/// The CFPackage of one framework, or `None` when the curriculum has no framework
/// `id`. `base_uri` makes every `uri` resolvable where the packages will be served
/// (`{base}/ims/case/v1p1/CFItems/{id}`, as CASE services lay them out); without
/// one, `uri` is the identifier as a `urn:uuid:` name. The curriculum must check
/// clean: every reference resolves.
pub fn export(c: &Curriculum, id: &FrameworkId, base_uri: Option<&str>) -> Option<Value> {
    let settings = c.settings.as_ref()?;
    let exporter = Exporter {
        c,
        base: base_uri.map(|b| b.trim_end_matches('/')),
        changed: format!("{}T00:00:00+00:00", settings.date),
        language: &settings.language,
        publisher: &settings.publisher,
    };
    if let Some(f) = c.framework(id) {
        return Some(exporter.external(f));
    }
    c.competency_framework(id).map(|f| exporter.ours(f))
}

struct Exporter<'a> {
    c: &'a Curriculum,
    base: Option<&'a str>,
    changed: String,
    language: &'a str,
    publisher: &'a str,
}

/// What an association may carry besides its ends.
#[derive(Default)]
struct Extra<'a> {
    sequence: Option<usize>,
    notes: Option<&'a str>,
    extension: Option<Value>,
}

/// A package under construction.
#[derive(Default)]
struct Package {
    items: Vec<Value>,
    associations: Vec<Value>,
    /// Item type title → description, in first-use order.
    types: Vec<(String, String)>,
}

impl Exporter<'_> {
    fn uri(&self, class: &str, id: &str) -> String {
        match self.base {
            Some(base) => format!("{base}/ims/case/v1p1/{class}/{id}"),
            None => format!("urn:uuid:{id}"),
        }
    }

    fn link(&self, class: &str, id: &str, title: &str) -> Value {
        json!({"title": title, "identifier": id, "uri": self.uri(class, id)})
    }

    fn item_type(&self, package: &mut Package, title: &str, description: String) -> Value {
        if !package.types.iter().any(|(t, _)| t == title) {
            package.types.push((title.to_owned(), description));
        }
        self.link("CFItemTypes", &uuid(&format!("item-type/{title}")), title)
    }

    /// One association; `origin` and `destination` are (identifier, title, class).
    fn associate(
        &self,
        package: &mut Package,
        kind: &str,
        origin: (&str, &str, &str),
        destination: (&str, &str, &str),
        extra: Extra,
    ) {
        let Extra {
            sequence,
            notes,
            extension,
        } = extra;
        let id = uuid(&format!(
            "association/{kind}/{}/{}",
            origin.0, destination.0
        ));
        let mut a = Map::new();
        a.insert("identifier".into(), json!(id));
        a.insert("associationType".into(), json!(kind));
        if let Some(n) = sequence {
            a.insert("sequenceNumber".into(), json!(n));
        }
        a.insert("uri".into(), json!(self.uri("CFAssociations", &id)));
        a.insert(
            "originNodeURI".into(),
            self.link(origin.2, origin.0, origin.1),
        );
        a.insert(
            "destinationNodeURI".into(),
            self.link(destination.2, destination.0, destination.1),
        );
        a.insert("lastChangeDateTime".into(), json!(self.changed));
        if let Some(notes) = notes {
            a.insert("notes".into(), json!(notes.trim()));
        }
        if let Some(extension) = extension {
            a.insert("extensions".into(), json!({ EXTENSION: extension }));
        }
        package.associations.push(Value::Object(a));
    }

    fn package(
        &self,
        document: Map<String, Value>,
        package: Package,
        license: Option<&str>,
    ) -> Value {
        let mut definitions = Map::new();
        let types: Vec<Value> = package
            .types
            .iter()
            .map(|(title, description)| {
                let id = uuid(&format!("item-type/{title}"));
                json!({
                    "identifier": id,
                    "uri": self.uri("CFItemTypes", &id),
                    "title": title,
                    "description": description,
                    "hierarchyCode": title,
                    "lastChangeDateTime": self.changed,
                })
            })
            .collect();
        if !types.is_empty() {
            definitions.insert("CFItemTypes".into(), Value::Array(types));
        }
        if let Some(spdx) = license {
            let id = license_id(spdx);
            definitions.insert(
                "CFLicenses".into(),
                json!([{
                    "identifier": id,
                    "uri": self.uri("CFLicenses", &id),
                    "title": spdx,
                    "licenseText": format!(
                        "Licensed under {spdx} (an SPDX license identifier); the full text is at https://spdx.org/licenses/{spdx}.html."
                    ),
                    "lastChangeDateTime": self.changed,
                }]),
            );
        }
        json!({
            "CFDocument": Value::Object(document),
            "CFItems": package.items,
            "CFAssociations": package.associations,
            "CFDefinitions": Value::Object(definitions),
        })
    }

    fn document(&self, id: &str, creator: &str, title: &str) -> Map<String, Value> {
        let mut d = Map::new();
        d.insert("identifier".into(), json!(id));
        d.insert("uri".into(), json!(self.uri("CFDocuments", id)));
        d.insert("caseVersion".into(), json!("1.1"));
        d.insert("creator".into(), json!(creator));
        d.insert("title".into(), json!(title));
        d.insert("lastChangeDateTime".into(), json!(self.changed));
        d
    }

    /// An external framework: its items as a tree of `isChildOf` associations, in
    /// the owner's order.
    fn external(&self, f: &Framework) -> Value {
        let framework = f.id.value.as_str();
        let doc_id = document_id(framework);
        let mut d = self.document(&doc_id, &f.publisher, &f.title);
        if let Some(url) = &f.url {
            d.insert("officialSourceURL".into(), json!(url));
        }
        d.insert("publisher".into(), json!(f.publisher));
        if let Some(description) = &f.description {
            d.insert("description".into(), json!(description.trim()));
        }
        d.insert("version".into(), json!(f.version));
        d.insert(
            "notes".into(),
            json!(format!(
                "Transcribed for curriculum alignment by {}. Titles and descriptions are restated, not quoted; items marked provisional, and codes marked as the transcriber's, are not the owner's confirmed codes.",
                self.publisher
            )),
        );
        let mut extension = Map::new();
        extension.insert("kind".into(), json!("framework"));
        extension.insert("id".into(), json!(framework));
        super::yaml::some(&mut extension, "url", f.url.as_deref());
        super::yaml::some(&mut extension, "source", f.source.as_deref());
        if let Some(hours) = f.hours {
            extension.insert("hours".into(), json!(hours));
        }
        if let Some(r) = &f.requirements {
            extension.insert("requirements".into(), super::yaml::requirements(r));
        }
        d.insert("extensions".into(), json!({ EXTENSION: extension }));

        let mut package = Package::default();
        let mut siblings: HashMap<Option<usize>, usize> = HashMap::new();
        for item in &f.items {
            let code = item.code.value.as_str();
            let id = item_id(framework, code);
            let sequence = siblings.entry(item.parent).or_default();
            *sequence += 1;
            let mut o = Map::new();
            o.insert("identifier".into(), json!(id));
            o.insert(
                "fullStatement".into(),
                json!(item.description.as_deref().unwrap_or(&item.title).trim()),
            );
            if item.description.is_some() {
                o.insert("abbreviatedStatement".into(), json!(item.title.trim()));
            }
            if let Some(kind) = &item.kind {
                let link = self.item_type(
                    &mut package,
                    kind,
                    format!("A `{kind}` of an external framework's hierarchy."),
                );
                o.insert("CFItemType".into(), json!(kind));
                o.insert("CFItemTypeURI".into(), link);
            }
            o.insert("uri".into(), json!(self.uri("CFItems", &id)));
            o.insert("humanCodingScheme".into(), json!(code));
            o.insert("listEnumeration".into(), json!(sequence.to_string()));
            let notes = item_notes(item);
            if !notes.is_empty() {
                o.insert("notes".into(), json!(notes));
            }
            o.insert("lastChangeDateTime".into(), json!(self.changed));
            let mut extension = Map::new();
            extension.insert("status".into(), json!(item.status.as_str()));
            super::yaml::some(&mut extension, "source", item.source.as_deref());
            super::yaml::some(
                &mut extension,
                "verify_against",
                item.verify_against.as_deref(),
            );
            if item.our_code {
                extension.insert("our_code".into(), json!(true));
            }
            if let Some(hours) = item.hours {
                extension.insert("hours".into(), json!(hours));
            }
            super::yaml::some(&mut extension, "skill_level", item.skill_level.as_deref());
            if let Some(required) = item.required {
                extension.insert("required".into(), json!(required));
            }
            o.insert("extensions".into(), json!({ EXTENSION: extension }));
            package.items.push(Value::Object(o));

            let parent = match item.parent {
                Some(p) => {
                    let parent = &f.items[p];
                    (
                        item_id(framework, &parent.code.value),
                        parent.title.clone(),
                        "CFItems",
                    )
                }
                None => (doc_id.clone(), f.title.clone(), "CFDocuments"),
            };
            self.associate(
                &mut package,
                "isChildOf",
                (&id, &item.title, "CFItems"),
                (&parent.0, &parent.1, parent.2),
                Extra {
                    sequence: Some(*sequence),
                    ..Extra::default()
                },
            );
        }
        self.package(d, package, None)
    }

    /// One of our competency frameworks: competencies under the document, their
    /// prerequisites as `precedes` and their alignments as associations to the
    /// external frameworks' items.
    fn ours(&self, f: &CompetencyFramework) -> Value {
        let framework = f.id.value.as_str();
        let doc_id = document_id(framework);
        let mut d = self.document(&doc_id, self.publisher, &f.title);
        d.insert("publisher".into(), json!(self.publisher));
        if let Some(description) = &f.description {
            d.insert("description".into(), json!(description.trim()));
        }
        d.insert("language".into(), json!(self.language));
        d.insert("version".into(), json!(f.version));
        let license = license_id(&f.license);
        d.insert(
            "licenseURI".into(),
            self.link("CFLicenses", &license, &f.license),
        );
        let mut extension = Map::new();
        extension.insert("kind".into(), json!("competency-framework"));
        extension.insert("id".into(), json!(framework));
        extension.insert("license".into(), json!(f.license));
        if let Some(delivers) = &f.delivers {
            extension.insert("delivers".into(), json!(delivers.value.as_str()));
        }
        d.insert("extensions".into(), json!({ EXTENSION: extension }));

        let titles = self.external_titles();
        let mut package = Package::default();
        for (n, k) in f.competencies.iter().enumerate() {
            let code = k.id.value.as_str();
            let id = item_id(framework, code);
            let mut o = Map::new();
            o.insert("identifier".into(), json!(id));
            o.insert("fullStatement".into(), json!(k.statement.value.trim()));
            o.insert("abbreviatedStatement".into(), json!(k.title.trim()));
            let link = self.item_type(
                &mut package,
                COMPETENCY,
                "One assessable outcome: what a student can do, to what standard.".into(),
            );
            o.insert("CFItemType".into(), json!(COMPETENCY));
            o.insert("CFItemTypeURI".into(), link);
            o.insert("uri".into(), json!(self.uri("CFItems", &id)));
            o.insert("humanCodingScheme".into(), json!(code));
            o.insert("listEnumeration".into(), json!((n + 1).to_string()));
            if let Some(area) = &k.area {
                o.insert("conceptKeywords".into(), json!([area]));
            }
            o.insert("notes".into(), json!(competency_notes(k)));
            o.insert("language".into(), json!(self.language));
            o.insert(
                "licenseURI".into(),
                self.link("CFLicenses", &license, &f.license),
            );
            o.insert("lastChangeDateTime".into(), json!(self.changed));
            let mut extension = Map::new();
            super::yaml::some(&mut extension, "area", k.area.as_deref());
            extension.insert("level".into(), json!(k.level.value.as_str()));
            extension.insert("hours".into(), json!(k.hours));
            extension.insert(
                "criteria".into(),
                json!(k.criteria.iter().map(|c| c.trim()).collect::<Vec<_>>()),
            );
            o.insert("extensions".into(), json!({ EXTENSION: extension }));
            package.items.push(Value::Object(o));

            self.associate(
                &mut package,
                "isChildOf",
                (&id, &k.title, "CFItems"),
                (&doc_id, &f.title, "CFDocuments"),
                Extra {
                    sequence: Some(n + 1),
                    ..Extra::default()
                },
            );
            for p in &k.prerequisites {
                let Some(before) = self.c.competency(p.value.as_str()) else {
                    continue;
                };
                let outside = before.framework != f.id.value;
                self.associate(
                    &mut package,
                    "precedes",
                    (
                        &item_id(before.framework.as_str(), p.value.as_str()),
                        &before.title,
                        "CFItems",
                    ),
                    (&id, &k.title, "CFItems"),
                    Extra {
                        extension: outside.then(|| json!({ "prerequisite": p.value.as_str() })),
                        ..Extra::default()
                    },
                );
            }
            for a in &k.alignments {
                let target = &a.target.value;
                let title = titles
                    .get(&(target.framework.as_str(), target.code.as_str()))
                    .copied()
                    .unwrap_or(target.code.as_str());
                let competency = (id.as_str(), k.title.as_str(), "CFItems");
                let external = item_id(target.framework.as_str(), &target.code);
                let item = (external.as_str(), title, "CFItems");
                let (kind, from_item) = a.relation.case();
                let (origin, destination) = if from_item {
                    (item, competency)
                } else {
                    (competency, item)
                };
                self.associate(
                    &mut package,
                    kind,
                    origin,
                    destination,
                    Extra {
                        notes: a.note.as_deref(),
                        extension: Some(json!({ "target": target.to_string() })),
                        ..Extra::default()
                    },
                );
            }
        }
        self.package(d, package, Some(&f.license))
    }

    /// Every external item's title by (framework, code), for alignment links.
    fn external_titles(&self) -> HashMap<(&str, &str), &str> {
        self.c
            .frameworks
            .iter()
            .flat_map(|f| {
                f.items.iter().map(move |i| {
                    (
                        (f.id.value.as_str(), i.code.value.as_str()),
                        i.title.as_str(),
                    )
                })
            })
            .collect()
    }
}

fn license_id(spdx: &str) -> String {
    uuid(&format!("license/{spdx}"))
}

/// What a reader of the package without cib must know about an item: whether its
/// code is confirmed.
fn item_notes(item: &crate::model::Item) -> String {
    let mut notes = Vec::new();
    if item.status == crate::model::Status::Provisional {
        notes.push(format!(
            "Provisional: the code and title could not be confirmed in the owner's document; verify against {}.",
            item.verify_against.as_deref().unwrap_or("the owner's current edition").trim()
        ));
    }
    if item.our_code {
        notes.push(
            "The owner publishes no code for this item; this code was assigned by the transcriber."
                .to_owned(),
        );
    }
    notes.join(" ")
}

/// A competency's level, hours and criteria, for readers without cib.
fn competency_notes(k: &crate::model::Competency) -> String {
    let mut notes = format!(
        "Level: {}. Estimated hours: {}. Performance criteria:",
        k.level.value.as_str(),
        k.hours
    );
    for criterion in &k.criteria {
        notes.push_str("\n- ");
        notes.push_str(criterion.trim());
    }
    notes
}

/// A CASE package read into the shape of a framework file: the value the
/// framework schema checks, where each node came from in the package, and what
/// the package held that could not be carried over.
pub(crate) struct Imported {
    pub kind: Kind,
    pub value: Value,
    /// Framework pointer → package pointer.
    pub origins: HashMap<String, String>,
    pub findings: Vec<Diagnostic>,
}

/// The deepest item tree an import builds (as deep as the YAML loader allows).
const MAX_DEPTH: usize = 64;

/// Reads a package that passed the CASE schema into a framework: one of ours when
/// cib exported it (`extensions.cib.kind`), else an external framework whose
/// items are the package's items in its `isChildOf` tree. `id` names the
/// framework when the package does not (the default is made from its title).
pub(crate) fn import(doc: &Document, id: Option<&str>) -> Imported {
    let mut r = Reader::new(doc);
    let package = &doc.value;
    let document = &package["CFDocument"];
    let extension = document
        .pointer("/extensions/cib")
        .cloned()
        .unwrap_or_default();
    let ours = extension["kind"] == "competency-framework";
    let framework_id = id
        .map(str::to_owned)
        .or_else(|| extension["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| slug(text(&document["title"])).unwrap_or_else(|| "imported".into()));
    let mut out = Map::new();
    out.insert("id".into(), json!(framework_id));
    r.origin("/id", "/CFDocument/title");
    out.insert("title".into(), json!(text(&document["title"])));
    r.origin("/title", "/CFDocument/title");
    let version = document["version"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            text(&document["lastChangeDateTime"])
                .chars()
                .take(10)
                .collect()
        });
    if ours {
        out.insert("version".into(), json!(version));
        let license = extension["license"].as_str().or_else(|| {
            document
                .pointer("/licenseURI/title")
                .and_then(Value::as_str)
        });
        if let Some(license) = license {
            out.insert("license".into(), json!(license));
        }
        copy(&mut out, "description", document, "description");
        if let Some(delivers) = extension["delivers"].as_str() {
            out.insert("delivers".into(), json!(delivers));
        }
    } else {
        let publisher = document["publisher"]
            .as_str()
            .unwrap_or(text(&document["creator"]));
        out.insert("publisher".into(), json!(publisher));
        out.insert("version".into(), json!(version));
        r.origin("/version", "/CFDocument");
        let url = extension["url"]
            .as_str()
            .or(document["officialSourceURL"].as_str());
        if let Some(url) = url {
            out.insert("url".into(), json!(url));
        }
        let source = extension["source"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| {
                format!(
                    "CASE package \"{}\" ({}), last changed {}",
                    text(&document["title"]),
                    text(&document["uri"]),
                    text(&document["lastChangeDateTime"])
                )
            });
        out.insert("source".into(), json!(source));
        copy(&mut out, "description", document, "description");
        for key in ["hours", "requirements"] {
            if let Some(v) = extension.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    let tree = r.tree();
    if ours {
        let competencies = r.competencies(&tree);
        out.insert("competencies".into(), Value::Array(competencies));
    } else {
        let title = text(&document["title"]).to_owned();
        let items = r.items(&tree, tree.roots(), "/items", 0, &title);
        out.insert("items".into(), Value::Array(items));
    }
    Imported {
        kind: if ours {
            Kind::CompetencyFramework
        } else {
            Kind::Framework
        },
        value: Value::Object(out),
        origins: r.origins,
        findings: r.findings,
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("").trim()
}

fn copy(out: &mut Map<String, Value>, key: &str, from: &Value, field: &str) {
    if let Some(s) = from[field].as_str() {
        out.insert(key.into(), json!(s.trim()));
    }
}

/// The items' `isChildOf` tree: each item's parent (an item, or the document
/// when `None`) and children in `sequenceNumber` order.
struct Tree {
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl Tree {
    fn roots(&self) -> &[usize] {
        &self.roots
    }
}

struct Reader<'a> {
    doc: &'a Document,
    items: &'a [Value],
    associations: &'a [Value],
    by_id: HashMap<&'a str, usize>,
    origins: HashMap<String, String>,
    findings: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn new(doc: &'a Document) -> Self {
        let empty: &'a [Value] = &[];
        let items = doc.value["CFItems"].as_array().map_or(empty, Vec::as_slice);
        let associations = doc.value["CFAssociations"]
            .as_array()
            .map_or(empty, Vec::as_slice);
        let mut r = Reader {
            doc,
            items,
            associations,
            by_id: HashMap::new(),
            origins: HashMap::new(),
            findings: Vec::new(),
        };
        for (n, item) in items.iter().enumerate() {
            let id = text(&item["identifier"]);
            if let Some(first) = r.by_id.insert(id, n) {
                r.by_id.insert(id, first);
                let d = Diagnostic::new(
                    Code::CaseImport,
                    r.at(&format!("/CFItems/{n}/identifier")),
                    format!("two items have the identifier `{id}`; the second is left out"),
                )
                .with_related(
                    r.at(&format!("/CFItems/{first}/identifier")),
                    "first used here",
                )
                .with_hint("give every CFItem its own identifier");
                r.findings.push(d);
            }
        }
        r
    }

    /// An item as people know it: its code, else its identifier.
    fn name(&self, n: usize) -> &str {
        let item = &self.items[n];
        item["humanCodingScheme"]
            .as_str()
            .unwrap_or_else(|| text(&item["identifier"]))
    }

    fn at(&self, pointer: &str) -> Span {
        Span::new(self.doc.file, self.doc.spans.span(pointer))
    }

    fn origin(&mut self, to: &str, from: &str) {
        self.origins.insert(to.to_owned(), from.to_owned());
    }

    fn warn(&mut self, pointer: &str, message: String, hint: &str) {
        let d = Diagnostic::new(Code::CaseImport, self.at(pointer), message).with_hint(hint);
        self.findings.push(d);
    }

    /// The item an association end names, if it is one of this package's.
    fn item(&self, association: &Value, end: &str) -> Option<usize> {
        let id = association[end]["identifier"].as_str()?;
        let n = *self.by_id.get(id.trim())?;
        (text(&self.items[n]["identifier"]) == id.trim()).then_some(n)
    }

    fn tree(&mut self) -> Tree {
        let document = text(&self.doc.value["CFDocument"]["identifier"]).to_owned();
        let mut parent: Vec<Option<(Option<usize>, u64, usize)>> = vec![None; self.items.len()];
        for (a, association) in self.associations.iter().enumerate() {
            if association["associationType"] != "isChildOf" {
                continue;
            }
            let Some(child) = self.item(association, "originNodeURI") else {
                self.warn(
                    &format!("/CFAssociations/{a}/originNodeURI"),
                    "this `isChildOf` starts at no item of the package; it is left out".into(),
                    "an `isChildOf` links an item of this package to its parent",
                );
                continue;
            };
            let destination = text(&association["destinationNodeURI"]["identifier"]);
            let up = if destination == document {
                None
            } else if let Some(p) = self.item(association, "destinationNodeURI") {
                Some(p)
            } else {
                self.warn(
                    &format!("/CFAssociations/{a}/destinationNodeURI"),
                    "this `isChildOf` leads to neither an item of the package nor its document; the item is placed at the top".into(),
                    "check that the package holds every item of the framework",
                );
                None
            };
            let sequence = association["sequenceNumber"].as_u64().unwrap_or(u64::MAX);
            if let Some((_, _, first)) = parent[child] {
                let d = Diagnostic::new(
                    Code::CaseImport,
                    self.at(&format!("/CFAssociations/{a}/destinationNodeURI")),
                    format!(
                        "item `{}` has a second parent here; it stays under its first",
                        self.name(child)
                    ),
                )
                .with_related(
                    self.at(&format!("/CFAssociations/{first}/destinationNodeURI")),
                    "its first parent",
                )
                .with_hint("a framework file holds each item once, under one parent");
                self.findings.push(d);
                continue;
            }
            parent[child] = Some((up, sequence, a));
        }
        // An item whose chain of parents comes back to it is placed at the top.
        for start in 0..self.items.len() {
            let mut at = start;
            let mut steps = 0;
            while let Some((Some(up), _, _)) = parent[at] {
                at = up;
                steps += 1;
                if at == start || steps > self.items.len() {
                    let a = parent[start].map(|p| p.2).unwrap_or_default();
                    self.warn(
                        &format!("/CFAssociations/{a}/destinationNodeURI"),
                        format!(
                            "the `isChildOf` links of item `{}` form a loop; the item is placed at the top",
                            self.name(start)
                        ),
                        "an item cannot be its own ancestor",
                    );
                    parent[start] = parent[start].map(|(_, s, a)| (None, s, a));
                    break;
                }
            }
        }
        let mut children = vec![Vec::new(); self.items.len()];
        let mut roots = Vec::new();
        for (n, item) in self.items.iter().enumerate() {
            if self.by_id.get(text(&item["identifier"])) != Some(&n) {
                continue;
            }
            match parent[n] {
                Some((Some(up), s, _)) => children[up].push((s, n)),
                Some((None, s, _)) => roots.push((s, n)),
                None => roots.push((u64::MAX, n)),
            }
        }
        let order = |list: &mut Vec<(u64, usize)>| {
            list.sort();
            list.iter().map(|&(_, n)| n).collect::<Vec<_>>()
        };
        Tree {
            children: children.iter_mut().map(order).collect(),
            roots: order(&mut roots),
        }
    }

    /// An item's code: its `humanCodingScheme`, else one made from its identifier
    /// and marked as ours.
    fn code(&mut self, n: usize, out: &mut Map<String, Value>, to: &str) -> String {
        let item = &self.items[n];
        match item["humanCodingScheme"].as_str().map(str::trim) {
            Some(code) if !code.is_empty() => {
                // Kept as the owner writes it; only runs of spaces and line breaks,
                // which no one means, become one space.
                let code: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
                self.origin(
                    &format!("{to}/code"),
                    &format!("/CFItems/{n}/humanCodingScheme"),
                );
                code
            }
            _ => {
                out.insert("our_code".into(), json!(true));
                let id = text(&item["identifier"]);
                format!("CASE-{}", id.chars().take(8).collect::<String>())
            }
        }
    }

    fn items(
        &mut self,
        tree: &Tree,
        level: &[usize],
        to: &str,
        depth: usize,
        document: &str,
    ) -> Vec<Value> {
        let mut made = Vec::new();
        for &n in level {
            let item = &self.items[n];
            let to = format!("{to}/{}", made.len());
            self.origin(&to, &format!("/CFItems/{n}"));
            let extension = item.pointer("/extensions/cib").cloned().unwrap_or_default();
            let mut o = Map::new();
            let mut extra = Map::new();
            let code = self.code(n, &mut extra, &to);
            o.insert("code".into(), json!(code));
            let full = text(&item["fullStatement"]);
            match item["abbreviatedStatement"].as_str() {
                Some(short) => {
                    o.insert("title".into(), json!(short.trim()));
                    o.insert("description".into(), json!(full));
                }
                None => {
                    o.insert("title".into(), json!(full));
                }
            }
            if let Some(kind) = item["CFItemType"].as_str() {
                o.insert("kind".into(), json!(kind.trim()));
            }
            for key in [
                "hours",
                "skill_level",
                "required",
                "status",
                "source",
                "verify_against",
            ] {
                if let Some(v) = extension.get(key) {
                    o.insert(key.into(), v.clone());
                }
            }
            if !o.contains_key("status") {
                o.insert("status".into(), json!("verified"));
                o.insert(
                    "source".into(),
                    json!(format!(
                        "CASE package \"{document}\", item {}",
                        text(&item["identifier"])
                    )),
                );
            }
            if extension["our_code"] == true {
                o.insert("our_code".into(), json!(true));
            }
            o.extend(extra);
            let children = &tree.children[n];
            if !children.is_empty() {
                if depth + 1 >= MAX_DEPTH {
                    self.warn(
                        &format!("/CFItems/{n}"),
                        format!("items nest deeper than {MAX_DEPTH} levels here; the deeper ones are left out"),
                        "a framework file holds at most 64 levels of items",
                    );
                } else {
                    let nested =
                        self.items(tree, children, &format!("{to}/items"), depth + 1, document);
                    o.insert("items".into(), Value::Array(nested));
                }
            }
            made.push(Value::Object(o));
        }
        made
    }

    fn competencies(&mut self, tree: &Tree) -> Vec<Value> {
        let mut touching = vec![Vec::new(); self.items.len()];
        for (a, association) in self.associations.iter().enumerate() {
            let ends = [
                self.item(association, "originNodeURI"),
                self.item(association, "destinationNodeURI"),
            ];
            for n in ends.into_iter().flatten() {
                if touching[n].last() != Some(&a) {
                    touching[n].push(a);
                }
            }
        }
        let mut order = Vec::new();
        let mut stack: Vec<usize> = tree.roots().iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            order.push(n);
            stack.extend(tree.children[n].iter().rev());
        }
        let mut made = Vec::new();
        for n in order {
            let item = &self.items[n];
            let to = format!("/competencies/{}", made.len());
            self.origin(&to, &format!("/CFItems/{n}"));
            let extension = item.pointer("/extensions/cib").cloned().unwrap_or_default();
            let mut o = Map::new();
            let id = self.code(n, &mut Map::new(), &to);
            if let Some(from) = self.origins.remove(&format!("{to}/code")) {
                self.origin(&format!("{to}/id"), &from);
            }
            o.insert("id".into(), json!(id));
            let title = item["abbreviatedStatement"]
                .as_str()
                .unwrap_or(text(&item["fullStatement"]));
            o.insert("title".into(), json!(title.trim()));
            o.insert("statement".into(), json!(text(&item["fullStatement"])));
            for key in ["area", "level", "hours", "criteria"] {
                if let Some(v) = extension.get(key) {
                    o.insert(key.into(), v.clone());
                }
            }
            let (prerequisites, alignments) = self.links(n, &touching[n]);
            if !prerequisites.is_empty() {
                o.insert("prerequisites".into(), Value::Array(prerequisites));
            }
            if !alignments.is_empty() {
                o.insert("alignments".into(), Value::Array(alignments));
            }
            made.push(Value::Object(o));
        }
        made
    }

    /// A competency's prerequisites (`precedes` into it) and alignments (the
    /// alignment types out of it), in package order.
    fn links(&mut self, n: usize, touching: &[usize]) -> (Vec<Value>, Vec<Value>) {
        let mut prerequisites = Vec::new();
        let mut alignments = Vec::new();
        for &a in touching {
            let association = &self.associations[a];
            let kind = association["associationType"].as_str().unwrap_or("");
            let extension = association.pointer("/extensions/cib");
            if kind == "precedes" && self.item(association, "destinationNodeURI") == Some(n) {
                let before = match self.item(association, "originNodeURI") {
                    Some(p) => self.items[p]["humanCodingScheme"].as_str(),
                    None => extension.and_then(|e| e["prerequisite"].as_str()),
                };
                match before {
                    Some(id) => prerequisites.push(json!(id.trim())),
                    None => self.warn(
                        &format!("/CFAssociations/{a}/originNodeURI"),
                        "this `precedes` starts at no competency cib can name; it is left out"
                            .into(),
                        "a prerequisite outside the package needs `extensions.cib.prerequisite`",
                    ),
                }
            } else if let Some(relation) = self.alignment(association, n) {
                match extension.and_then(|e| e["target"].as_str()) {
                    Some(target) => {
                        let mut o = Map::new();
                        o.insert("target".into(), json!(target));
                        o.insert("relation".into(), json!(relation.as_str()));
                        copy(&mut o, "note", association, "notes");
                        alignments.push(Value::Object(o));
                    }
                    None => self.warn(
                        &format!("/CFAssociations/{a}/destinationNodeURI"),
                        format!("this `{kind}` leads to an item cib cannot name as `<framework>:<code>`; it is left out"),
                        "add the alignment to the competency framework file by hand",
                    ),
                }
            }
        }
        (prerequisites, alignments)
    }

    /// The relation an association gives competency `n`: an alignment type
    /// out of it, or an `isPartOf` into it from an item that is not one of
    /// its own (its items come in by `isChildOf`), which it contains.
    fn alignment(&self, association: &Value, n: usize) -> Option<Relation> {
        let kind = association["associationType"].as_str()?;
        let relation = Relation::ALL
            .into_iter()
            .find(|r| r.case() == (kind, false))?;
        if self.item(association, "originNodeURI") == Some(n) {
            return Some(relation);
        }
        let into = self.item(association, "destinationNodeURI") == Some(n)
            && self.item(association, "originNodeURI").is_none();
        (into && relation == Relation::IsPartOf).then_some(Relation::HasPart)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "2026-01-01T00:00:00+00:00";

    fn id(n: usize) -> String {
        format!("00000000-0000-4000-8000-{n:012}")
    }

    fn item(n: usize) -> Value {
        json!({"identifier": id(n), "uri": format!("urn:uuid:{}", id(n)), "fullStatement": format!("Item {n}"), "humanCodingScheme": format!("I{n}"), "lastChangeDateTime": T})
    }

    fn child(a: usize, origin: &str, destination: &str) -> Value {
        json!({"identifier": id(1000 + a), "associationType": "isChildOf", "uri": "urn:x",
            "originNodeURI": {"title": "", "identifier": origin, "uri": "urn:x"},
            "destinationNodeURI": {"title": "", "identifier": destination, "uri": "urn:x"},
            "lastChangeDateTime": T})
    }

    /// Imports a package built in memory: the framework value and the messages.
    fn import_of(items: Vec<Value>, associations: Vec<Value>) -> (Value, Vec<String>) {
        let package = json!({
            "CFDocument": {"identifier": id(0), "uri": "urn:x", "creator": "Tests", "title": "Test framework", "lastChangeDateTime": T},
            "CFItems": items,
            "CFAssociations": associations,
        });
        let text = serde_json::to_string_pretty(&package).unwrap();
        let loaded = crate::load::framework_bytes("p.json", text.into_bytes());
        let doc = &loaded.documents[0];
        assert_eq!(doc.kind, Kind::Case11);
        let imported = import(doc, None);
        let messages = imported
            .findings
            .iter()
            .map(|d| d.message.clone())
            .collect();
        (imported.value, messages)
    }

    fn codes(items: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for i in items.as_array().unwrap() {
            let nested = i.get("items").map(codes).unwrap_or_default();
            out.push(format!("{}{:?}", i["code"].as_str().unwrap(), nested));
        }
        out
    }

    #[test]
    fn a_loop_of_parents_is_broken_at_its_first_item() {
        let doc = id(0);
        let (value, messages) = import_of(
            vec![item(1), item(2), item(3)],
            vec![
                child(1, &id(1), &id(2)),
                child(2, &id(2), &id(1)),
                child(3, &id(3), &doc),
            ],
        );
        assert_eq!(codes(&value["items"]), ["I1[\"I2[]\"]", "I3[]"]);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("`I1` form a loop"), "{messages:?}");
        assert_eq!(value["id"], "test-framework");
        assert_eq!(
            value["version"], "2026-01-01",
            "no version: the change date"
        );
    }

    #[test]
    fn links_to_nothing_repeated_identifiers_and_second_parents_are_left_out_with_a_word() {
        let doc = id(0);
        let mut twin = item(2);
        twin["humanCodingScheme"] = "TWIN".into();
        let (value, messages) = import_of(
            vec![item(1), item(2), twin, item(3)],
            vec![
                child(1, &id(1), &doc),
                child(2, &id(2), &id(1)),
                child(3, &id(99), &id(1)),
                child(4, &id(3), &id(98)),
                child(5, &id(2), &doc),
            ],
        );
        assert_eq!(codes(&value["items"]), ["I1[\"I2[]\"]", "I3[]"]);
        let expected = [
            "two items have the identifier",
            "starts at no item",
            "leads to neither an item of the package nor its document",
            "item `I2` has a second parent",
        ];
        assert_eq!(messages.len(), expected.len(), "{messages:?}");
        for (message, part) in messages.iter().zip(expected) {
            assert!(message.contains(part), "{message} lacks {part}");
        }
    }

    #[test]
    fn items_nested_past_the_yaml_depth_are_left_out_with_a_word() {
        let mut associations = vec![child(0, &id(1), &id(0))];
        for n in 2..=70 {
            associations.push(child(n, &id(n), &id(n - 1)));
        }
        let (value, messages) = import_of((1..=70).map(item).collect(), associations);
        let mut depth = 0;
        let mut level = &value["items"];
        while let Some(first) = level.get(0) {
            depth += 1;
            level = &first["items"];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("deeper than 64 levels"));
    }
}
