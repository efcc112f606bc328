//! What goes into a bundle's zip besides the PDFs: a manifest for tools and
//! auditors, a README for people, and the licence.

use std::borrow::Cow;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Entry, Stamp, sha256_hex, zip};
use crate::model::{Assessment, Bundle, Curriculum, Framework, Lesson};
use crate::render::Sheet;

/// A bundle's PDFs, ready to pack.
pub struct Bundled<'a> {
    pub curriculum: &'a Curriculum,
    pub bundle: &'a Bundle,
    pub lessons: &'a [&'a Lesson],
    /// The combined PDF (cover, contents, every lesson).
    pub combined: PdfFile<'a>,
    /// One PDF per lesson, in the order of `lessons`.
    pub lesson_pdfs: &'a [PdfFile<'a>],
    /// The assessments' sheets, in bundle order: a task sheet each, and for
    /// instructor bundles a score sheet after it.
    pub sheets: &'a [SheetFile<'a>],
    /// The delivery records of the regulated course the bundle delivers
    /// (instructor bundles only), and the framework whose owner requires them.
    pub delivery: Option<(&'a Framework, PdfFile<'a>)>,
    /// Each lesson's Markdown source, in the order of `lessons`: instructor
    /// bundles carry them, to edit and adapt.
    pub sources: &'a [&'a str],
    /// The text of the curriculum's LICENSE file, if it has one.
    pub license: Option<&'a str>,
}

/// A PDF the build has made: the file to read when packing, and what the
/// build already knows of it, so that deciding whether a zip must be packed
/// again reads no PDF.
#[derive(Clone, Copy)]
pub struct PdfFile<'a> {
    pub path: &'a Path,
    pub size: usize,
    /// Lowercase hex SHA-256.
    pub sha256: &'a str,
}

/// One sheet of an assessment, as made by the build.
#[derive(Clone, Copy)]
pub struct SheetFile<'a> {
    pub assessment: &'a Assessment,
    pub sheet: Sheet,
    pub pdf: PdfFile<'a>,
}

/// A zip before it is packed: its entries, the PDFs still as files, so that
/// whether it must be packed again is known without reading them. A bundle's
/// zip keeps its entries in one folder; a cartridge at the top.
pub struct Packing<'a> {
    stem: String,
    folder: bool,
    files: Vec<(String, Body<'a>)>,
}

/// An entry of a zip to pack.
pub enum Body<'a> {
    /// A PDF the build made, read when packing.
    Pdf(PdfFile<'a>),
    /// Bytes made or read already: text, images.
    Bytes(Vec<u8>),
}

impl Body<'_> {
    fn size(&self) -> usize {
        match self {
            Body::Pdf(pdf) => pdf.size,
            Body::Bytes(text) => text.len(),
        }
    }

    fn sha256(&self) -> String {
        match self {
            Body::Pdf(pdf) => pdf.sha256.to_owned(),
            Body::Bytes(text) => sha256_hex(text),
        }
    }
}

impl<'a> Packing<'a> {
    /// A zip of `files` at its top level, as a Common Cartridge is; `name`
    /// is what it is known as (it is part of the key).
    pub fn flat(name: String, files: Vec<(String, Body<'a>)>) -> Packing<'a> {
        Packing {
            stem: name,
            folder: false,
            files,
        }
    }

    /// A hash of everything the zip's bytes depend on: cib's version, the
    /// time stamp, and every entry's name and content (a PDF's by its hash).
    /// Equal keys mean equal zips, so a build may reuse an earlier one.
    pub fn key(&self, stamp: Stamp) -> [u8; 32] {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(env!("CARGO_PKG_VERSION").as_bytes());
        field(format!("{stamp:?}").as_bytes());
        field(self.stem.as_bytes());
        field(&[u8::from(self.folder)]);
        for (name, body) in &self.files {
            field(name.as_bytes());
            match body {
                Body::Pdf(pdf) => field(pdf.sha256.as_bytes()),
                Body::Bytes(text) => field(text),
            }
        }
        hash.finalize().into()
    }

    /// Packs the zip, reading the PDFs.
    pub fn zip(&self, stamp: Stamp) -> std::io::Result<Vec<u8>> {
        let mut contents = Vec::with_capacity(self.files.len());
        for (name, body) in &self.files {
            let bytes = match body {
                Body::Pdf(pdf) => Cow::Owned(std::fs::read(pdf.path)?),
                Body::Bytes(text) => Cow::Borrowed(text.as_slice()),
            };
            let name = if self.folder {
                format!("{}/{name}", self.stem)
            } else {
                name.clone()
            };
            contents.push((name, bytes));
        }
        let mut entries: Vec<Entry<'_>> = contents
            .iter()
            .map(|(name, bytes)| Entry {
                name: name.clone(),
                bytes,
            })
            .collect();
        zip(&mut entries, stamp)
    }
}

/// The folder every entry of a bundle's zip sits in, and the stem of its files:
/// `<bundle>-<version>`.
pub fn stem(c: &Curriculum, bundle: &Bundle) -> String {
    let version = c
        .settings
        .as_ref()
        .map(|s| s.version.as_str())
        .unwrap_or("");
    format!("{}-{}", bundle.id.value, version)
}

/// Plans a bundle's zip: the PDFs under `<stem>/`, then `manifest.json` (which
/// lists every other file with its size and SHA-256), `README.txt` and
/// `LICENSE`.
pub fn bundle_zip<'a>(b: &Bundled<'a>) -> Packing<'a> {
    let stem = stem(b.curriculum, b.bundle);
    let width = b.lessons.len().to_string().len().max(2);
    // Files in the order README.txt and the manifest describe them: the
    // combined PDF, then one per lesson, numbered in bundle order.
    let mut files: Vec<(String, Body<'a>)> = Vec::new();
    files.push((format!("{stem}.pdf"), Body::Pdf(b.combined)));
    for (index, (lesson, pdf)) in b.lessons.iter().zip(b.lesson_pdfs).enumerate() {
        files.push((
            format!("lessons/{:0width$}-{}.pdf", index + 1, lesson.id.value),
            Body::Pdf(*pdf),
        ));
    }
    let mut number = 0;
    for (i, s) in b.sheets.iter().enumerate() {
        if i == 0 || b.sheets[i - 1].assessment.id.value != s.assessment.id.value {
            number += 1;
        }
        files.push((
            format!(
                "assessments/{number:02}-{}.{}.pdf",
                s.assessment.id.value,
                s.sheet.as_str()
            ),
            Body::Pdf(s.pdf),
        ));
    }
    if let Some((framework, pdf)) = b.delivery {
        files.push((delivery_file(framework), Body::Pdf(pdf)));
    }
    let editable = editable(b, width);
    files.extend(
        editable
            .iter()
            .map(|e| (e.path.clone(), Body::Bytes(e.bytes.clone()))),
    );
    files.push((
        "README.txt".into(),
        Body::Bytes(readme(b, &files).into_bytes()),
    ));
    files.push(("LICENSE".into(), Body::Bytes(license(b).into_bytes())));
    let manifest = manifest(b, &files, &editable);
    files.push((
        "manifest.json".into(),
        Body::Bytes(serde_json::to_vec_pretty(&manifest).expect("JSON values serialize")),
    ));
    Packing {
        stem,
        folder: true,
        files,
    }
}

/// A file of a bundle's zip made to be edited or loaded, not printed.
struct Editable {
    /// The index of its lesson in the bundle.
    lesson: usize,
    /// The program number of a CNC program; `None` for a lesson's source.
    program: Option<String>,
    path: String,
    bytes: Vec<u8>,
}

/// The lessons' Markdown sources (instructor bundles only: they hold the
/// answer keys) and their CNC programs as `.nc` files named by program
/// number. The programs are printed in every handout, so students get them
/// too, to load into the control instead of typing them.
fn editable(b: &Bundled<'_>, width: usize) -> Vec<Editable> {
    let mut out = Vec::new();
    for (index, lesson) in b.lessons.iter().enumerate() {
        let folder = format!("{:0width$}-{}", index + 1, lesson.id.value);
        if b.bundle.audience == crate::model::Audience::Instructor
            && let Some(source) = b.sources.get(index)
        {
            out.push(Editable {
                lesson: index,
                program: None,
                path: format!("sources/{folder}.md"),
                bytes: source.as_bytes().to_vec(),
            });
        }
        let mut named = std::collections::BTreeMap::<String, usize>::new();
        for program in crate::render::programs(&lesson.body) {
            let seen = named.entry(program.number.clone()).or_default();
            *seen += 1;
            let name = match *seen {
                1 => program.number.clone(),
                n => format!("{}-{n}", program.number),
            };
            out.push(Editable {
                lesson: index,
                program: Some(program.number),
                path: format!("programs/{folder}/{name}.nc"),
                bytes: program.text.into_bytes(),
            });
        }
    }
    out
}

/// `files` are the bundle's files so far, in [`bundle_zip`]'s order: the
/// combined PDF, then the lessons'.
fn manifest(b: &Bundled<'_>, files: &[(String, Body<'_>)], editable: &[Editable]) -> Value {
    let c = b.curriculum;
    let settings = c.settings.as_ref();
    let mut competencies = Vec::new();
    let mut alignments = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for lesson in b.lessons {
        for k in crate::analyze::taught(c, lesson) {
            if !seen.insert(k.id.value.as_str()) {
                continue;
            }
            competencies.push(json!({
                "id": k.id.value.as_str(),
                "framework": k.framework.as_str(),
                "title": k.title,
                "level": k.level.value.as_str(),
                "hours": k.hours,
            }));
            for a in &k.alignments {
                alignments.push(json!({
                    "competency": k.id.value.as_str(),
                    "target": a.target.value.to_string(),
                    "relation": a.relation.as_str(),
                }));
            }
        }
    }
    json!({
        "manifest_version": 1,
        "bundle": {
            "id": b.bundle.id.value.as_str(),
            "title": b.bundle.title,
            "audience": b.bundle.audience.as_str(),
            "description": b.bundle.description,
        },
        "curriculum": {
            "title": settings.map(|s| s.title.as_str()),
            "publisher": settings.map(|s| s.publisher.as_str()),
            "version": settings.map(|s| s.version.as_str()),
            "date": settings.map(|s| s.date.as_str()),
            "license": settings.map(|s| s.license.as_str()),
        },
        "lessons": b.lessons.iter().enumerate().map(|(index, l)| json!({
            "id": l.id.value.as_str(),
            "title": l.title,
            "minutes": l.duration_minutes,
            "sessions": l.sessions,
            "file": files[index + 1].0,
            "teaches": l.teaches.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
            "assesses": l.assesses.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
            "source": editable.iter().find(|e| e.lesson == index && e.program.is_none()).map(|e| &e.path),
            "programs": editable.iter().filter(|e| e.lesson == index).filter_map(|e| {
                e.program.as_ref().map(|number| json!({"number": number, "file": e.path}))
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "assessments": assessments(b, files),
        "delivery_records": b.delivery.map(|(framework, _)| json!({
            "framework": framework.id.value.as_str(),
            "file": delivery_file(framework),
        })),
        "competencies": competencies,
        "alignments": alignments,
        "files": files.iter().map(|(name, body)| json!({
            "path": name,
            "size": body.size(),
            "sha256": body.sha256(),
        })).collect::<Vec<_>>(),
    })
}

/// The manifest's assessments, each with its sheets' files.
fn assessments(b: &Bundled<'_>, files: &[(String, Body<'_>)]) -> Vec<Value> {
    let first = 1 + b.lessons.len();
    let mut out: Vec<Value> = Vec::new();
    for (s, (name, _)) in b.sheets.iter().zip(&files[first..]) {
        let a = s.assessment;
        if out
            .last()
            .is_none_or(|last| last["id"] != a.id.value.as_str())
        {
            out.push(json!({
                "id": a.id.value.as_str(),
                "title": a.title,
                "kind": a.kind.as_str(),
                "evidence": a.evidence.as_str(),
                "minutes": a.duration_minutes,
                "machine_minutes": a.machine_minutes,
                "demonstrates": a.demonstrates.iter().map(|d| d.value.as_str()).collect::<Vec<_>>(),
                "files": [],
            }));
        }
        if let Some(Value::Array(list)) = out.last_mut().and_then(|last| last.get_mut("files")) {
            list.push(json!({"sheet": s.sheet.as_str(), "file": name}));
        }
    }
    out
}

fn readme(b: &Bundled<'_>, files: &[(String, Body<'_>)]) -> String {
    let settings = b.curriculum.settings.as_ref();
    let field = |f: fn(&crate::model::Settings) -> &str| settings.map(f).unwrap_or("");
    let minutes: u32 = b.lessons.iter().map(|l| l.duration_minutes).sum();
    let mut out = format!(
        "{title}\n{underline}\n\n{curriculum}, version {version} ({date})\nPublished by {publisher}.\n\n",
        title = b.bundle.title,
        underline = "=".repeat(b.bundle.title.chars().count()),
        curriculum = field(|s| &s.title),
        version = field(|s| &s.version),
        date = field(|s| &s.date),
        publisher = field(|s| &s.publisher),
    );
    if let Some(description) = &b.bundle.description {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    let mut assessed: Vec<&str> = b
        .sheets
        .iter()
        .map(|s| s.assessment.id.value.as_str())
        .collect();
    assessed.dedup();
    out.push_str(&format!(
        "{} lessons, {} of instruction{}.\n\n",
        b.lessons.len(),
        crate::render::hours_label(minutes),
        match assessed.len() {
            0 => String::new(),
            1 => ", and 1 performance assessment".to_owned(),
            n => format!(", and {n} performance assessments"),
        }
    ));
    out.push_str("Contents\n--------\n");
    out.push_str(&format!(
        "{:<44} every {} in one document, with a table of contents\n",
        files[0].0,
        if b.sheets.is_empty() {
            "lesson"
        } else {
            "lesson and assessment sheet"
        }
    ));
    for (lesson, (name, _)) in b.lessons.iter().zip(&files[1..]) {
        out.push_str(&format!(
            "{name:<44} {} ({} min)\n",
            lesson.title, lesson.duration_minutes
        ));
    }
    let first = 1 + b.lessons.len();
    for (s, (name, _)) in b.sheets.iter().zip(&files[first..]) {
        out.push_str(&format!("{name:<44} {}\n", s.sheet.title(s.assessment)));
    }
    if let Some((framework, _)) = b.delivery {
        out.push_str(&format!(
            "{:<44} the records {} requires of the teacher: topic outline with minutes, a sign-in sheet per session, the class record\n",
            delivery_file(framework),
            framework.publisher
        ));
    }
    if files.iter().any(|(name, _)| name.starts_with("sources/")) {
        out.push_str(&format!(
            "{:<44} each lesson's Markdown source, to adapt and rebuild with cib\n",
            "sources/"
        ));
    }
    if files.iter().any(|(name, _)| name.starts_with("programs/")) {
        out.push_str(&format!(
            "{:<44} each lesson's CNC programs as .nc files, named by program number, to load into the control\n",
            "programs/"
        ));
    }
    out.push_str(
        "manifest.json                                the lessons, assessments, competencies and alignments, and each file's SHA-256\n\
         LICENSE                                      the terms under which you may use and share this material\n\n\
         Printing\n--------\n\
         The PDFs are US Letter, tagged for screen readers (PDF/UA-1), with every font embedded.\n\
         Print at 100% (\"actual size\").\n",
    );
    out.push_str(if b.bundle.duplex {
        "The combined PDF is laid out for double-sided printing: every lesson and sheet starts\n\
         on a front page (a marked blank page comes before it where needed), so one can be\n\
         taken out of the printed stack on its own.\n\n"
    } else {
        "The combined PDF is laid out for single-sided printing.\n\n"
    });
    out.push_str(
        "Checking the files\n------------------\n\
         manifest.json lists the SHA-256 of every other file. On Linux or macOS:\n\
         sha256sum <file>  (or: shasum -a 256 <file>)\n",
    );
    out
}

fn license(b: &Bundled<'_>) -> String {
    if let Some(text) = b.license {
        return text.to_owned();
    }
    let settings = b.curriculum.settings.as_ref();
    let id = settings.map(|s| s.license.as_str()).unwrap_or("");
    let publisher = settings.map(|s| s.publisher.as_str()).unwrap_or("");
    let mut out = format!(
        "This material is published by {publisher} under the license with SPDX identifier {id}.\n"
    );
    if let Some(url) = license_url(id) {
        out.push_str(&format!("The license text: {url}\n"));
    }
    out
}

/// The legal code of the Creative Commons licenses curricula usually carry.
fn license_url(id: &str) -> Option<String> {
    if id == "CC0-1.0" {
        return Some("https://creativecommons.org/publicdomain/zero/1.0/legalcode".into());
    }
    let rest = id.strip_prefix("CC-")?;
    let (kind, version) = rest.rsplit_once('-')?;
    let known = ["BY", "BY-SA", "BY-NC", "BY-NC-SA", "BY-ND", "BY-NC-ND"];
    (known.contains(&kind) && version == "4.0").then(|| {
        format!(
            "https://creativecommons.org/licenses/{}/4.0/legalcode",
            kind.to_ascii_lowercase()
        )
    })
}

/// Where a bundle's zip holds the delivery records of `framework`.
fn delivery_file(framework: &Framework) -> String {
    format!("records/{}-delivery-records.pdf", framework.id.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creative_commons_ids_link_to_their_legal_code() {
        assert_eq!(
            license_url("CC-BY-SA-4.0").as_deref(),
            Some("https://creativecommons.org/licenses/by-sa/4.0/legalcode")
        );
        assert_eq!(license_url("MIT"), None);
        assert_eq!(license_url("CC-XX-4.0"), None);
    }
}
