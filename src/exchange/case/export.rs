//! Frameworks out as CASE 1.1 packages, valid against the official schema.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{COMPETENCY, EXTENSION, document_id, item_id, uuid};
use crate::model::{
    Association, AssociationEnd, CaseIdentity, CompetencyFramework, Curriculum, Framework,
    FrameworkId,
};

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
    /// The publisher's identifier, kept from an import.
    identifier: Option<&'a str>,
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

    /// A node's identifier and URI: the publisher's where the file keeps them,
    /// else made (`made` is the UUID v5 cib gives it).
    fn node(&self, class: &str, identity: Option<&CaseIdentity>, made: String) -> (String, String) {
        match identity {
            Some(c) => (
                c.identifier.clone(),
                c.uri
                    .clone()
                    .unwrap_or_else(|| self.uri(class, &c.identifier)),
            ),
            None => {
                let uri = self.uri(class, &made);
                (made, uri)
            }
        }
    }

    fn item_type(&self, package: &mut Package, title: &str, description: String) -> Value {
        if !package.types.iter().any(|(t, _)| t == title) {
            package.types.push((title.to_owned(), description));
        }
        self.link("CFItemTypes", &uuid(&format!("item-type/{title}")), title)
    }

    /// One association; `origin` and `destination` are links (title,
    /// identifier, uri).
    fn associate(
        &self,
        package: &mut Package,
        kind: &str,
        origin: Value,
        destination: Value,
        extra: Extra,
    ) {
        let Extra {
            identifier,
            sequence,
            notes,
            extension,
        } = extra;
        let id = identifier.map(str::to_owned).unwrap_or_else(|| {
            uuid(&format!(
                "association/{kind}/{}/{}",
                text(&origin["identifier"]),
                text(&destination["identifier"])
            ))
        });
        let mut a = Map::new();
        a.insert("identifier".into(), json!(id));
        a.insert("associationType".into(), json!(kind));
        if let Some(n) = sequence {
            a.insert("sequenceNumber".into(), json!(n));
        }
        a.insert("uri".into(), json!(self.uri("CFAssociations", &id)));
        a.insert("originNodeURI".into(), origin);
        a.insert("destinationNodeURI".into(), destination);
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

    fn document(&self, (id, uri): (&str, &str), creator: &str, title: &str) -> Map<String, Value> {
        let mut d = Map::new();
        d.insert("identifier".into(), json!(id));
        d.insert("uri".into(), json!(uri));
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
        let (doc_id, doc_uri) = self.node("CFDocuments", f.case.as_ref(), document_id(framework));
        let mut d = self.document((&doc_id, &doc_uri), &f.publisher, &f.title);
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
        crate::exchange::yaml::some(&mut extension, "url", f.url.as_deref());
        crate::exchange::yaml::some(&mut extension, "source", f.source.as_deref());
        if let Some(hours) = f.hours {
            extension.insert("hours".into(), json!(hours));
        }
        if let Some(r) = &f.requirements {
            extension.insert(
                "requirements".into(),
                crate::exchange::yaml::requirements(r),
            );
        }
        d.insert("extensions".into(), json!({ EXTENSION: extension }));

        let mut package = Package::default();
        let mut siblings: HashMap<Option<usize>, usize> = HashMap::new();
        let nodes: Vec<(String, String)> = f
            .items
            .iter()
            .map(|i| {
                self.node(
                    "CFItems",
                    i.case.as_ref(),
                    item_id(framework, &i.code.value),
                )
            })
            .collect();
        let by_code: HashMap<&str, usize> = f
            .items
            .iter()
            .enumerate()
            .map(|(n, i)| (i.code.value.as_str(), n))
            .collect();
        let item_link = |n: usize| json!({"title": f.items[n].title, "identifier": nodes[n].0, "uri": nodes[n].1});
        for (n, item) in f.items.iter().enumerate() {
            let code = item.code.value.as_str();
            let (id, uri) = &nodes[n];
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
            o.insert("uri".into(), json!(uri));
            let published = item.case.as_ref().and_then(|c| c.code.as_deref());
            o.insert("humanCodingScheme".into(), json!(published.unwrap_or(code)));
            o.insert("listEnumeration".into(), json!(sequence.to_string()));
            let notes = item_notes(item);
            if !notes.is_empty() {
                o.insert("notes".into(), json!(notes));
            }
            o.insert("lastChangeDateTime".into(), json!(self.changed));
            let mut extension = Map::new();
            extension.insert("status".into(), json!(item.status.as_str()));
            crate::exchange::yaml::some(&mut extension, "source", item.source.as_deref());
            crate::exchange::yaml::some(
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
            crate::exchange::yaml::some(&mut extension, "skill_level", item.skill_level.as_deref());
            if let Some(required) = item.required {
                extension.insert("required".into(), json!(required));
            }
            o.insert("extensions".into(), json!({ EXTENSION: extension }));
            package.items.push(Value::Object(o));

            let parent = match item.parent {
                Some(p) => item_link(p),
                None => json!({"title": f.title, "identifier": doc_id, "uri": doc_uri}),
            };
            self.associate(
                &mut package,
                "isChildOf",
                item_link(n),
                parent,
                Extra {
                    identifier: item.case.as_ref().and_then(|c| c.child_of.as_deref()),
                    sequence: Some(*sequence),
                    ..Extra::default()
                },
            );
            self.associations(&mut package, item_link(n), &item.associations, |code| {
                by_code.get(code).map(|&to| item_link(to))
            });
        }
        self.package(d, package, None)
    }

    /// The associations a framework file lists under a node: `to` names a node
    /// of the same framework, which `link` turns into its link.
    fn associations(
        &self,
        package: &mut Package,
        origin: Value,
        list: &[Association],
        link: impl Fn(&str) -> Option<Value>,
    ) {
        for a in list {
            let destination = match &a.to {
                AssociationEnd::Item(code) => match link(&code.value) {
                    Some(to) => to,
                    None => continue,
                },
                AssociationEnd::Node {
                    identifier,
                    uri,
                    title,
                } => json!({"title": title, "identifier": identifier, "uri": uri}),
            };
            self.associate(
                package,
                &a.kind,
                origin.clone(),
                destination,
                Extra {
                    identifier: a.identifier.as_deref(),
                    notes: a.note.as_deref(),
                    ..Extra::default()
                },
            );
        }
    }

    /// One of our competency frameworks: competencies under the document, their
    /// prerequisites as `precedes` and their alignments as associations to the
    /// external frameworks' items.
    fn ours(&self, f: &CompetencyFramework) -> Value {
        let framework = f.id.value.as_str();
        let (doc_id, doc_uri) = self.node("CFDocuments", f.case.as_ref(), document_id(framework));
        let mut d = self.document((&doc_id, &doc_uri), self.publisher, &f.title);
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
            let (id, uri) = self.node("CFItems", k.case.as_ref(), item_id(framework, code));
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
            o.insert("uri".into(), json!(uri));
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
            crate::exchange::yaml::some(&mut extension, "area", k.area.as_deref());
            extension.insert("level".into(), json!(k.level.value.as_str()));
            extension.insert("hours".into(), json!(k.hours));
            extension.insert(
                "criteria".into(),
                json!(k.criteria.iter().map(|c| c.trim()).collect::<Vec<_>>()),
            );
            o.insert("extensions".into(), json!({ EXTENSION: extension }));
            package.items.push(Value::Object(o));

            let competency = json!({"title": k.title, "identifier": id, "uri": uri});
            self.associate(
                &mut package,
                "isChildOf",
                competency.clone(),
                json!({"title": f.title, "identifier": doc_id, "uri": doc_uri}),
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
                let made = item_id(before.framework.as_str(), p.value.as_str());
                let (before_id, before_uri) = self.node("CFItems", before.case.as_ref(), made);
                self.associate(
                    &mut package,
                    "precedes",
                    json!({"title": before.title, "identifier": before_id, "uri": before_uri}),
                    competency.clone(),
                    Extra {
                        extension: outside.then(|| json!({ "prerequisite": p.value.as_str() })),
                        ..Extra::default()
                    },
                );
            }
            for a in &k.alignments {
                let target = &a.target.value;
                let (title, identity) = titles
                    .get(&(target.framework.as_str(), target.code.as_str()))
                    .copied()
                    .unwrap_or((target.code.as_str(), None));
                let made = item_id(target.framework.as_str(), &target.code);
                let (external, external_uri) = self.node("CFItems", identity, made);
                let item = json!({"title": title, "identifier": external, "uri": external_uri});
                let (kind, from_item) = a.relation.case();
                let (origin, destination) = if from_item {
                    (item, competency.clone())
                } else {
                    (competency.clone(), item)
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
            self.associations(&mut package, competency.clone(), &k.associations, |id| {
                let other = f.competencies.iter().find(|o| o.id.value.as_str() == id)?;
                let made = item_id(framework, id);
                let (to, uri) = self.node("CFItems", other.case.as_ref(), made);
                Some(json!({"title": other.title, "identifier": to, "uri": uri}))
            });
        }
        self.package(d, package, Some(&f.license))
    }

    /// Every external item's title and CASE identity by (framework, code), for
    /// alignment links.
    fn external_titles(&self) -> HashMap<(&str, &str), (&str, Option<&CaseIdentity>)> {
        self.c
            .frameworks
            .iter()
            .flat_map(|f| {
                f.items.iter().map(move |i| {
                    (
                        (f.id.value.as_str(), i.code.value.as_str()),
                        (i.title.as_str(), i.case.as_ref()),
                    )
                })
            })
            .collect()
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
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
