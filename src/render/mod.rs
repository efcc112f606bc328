//! Stage: lessons to PDF through the typst crates, used as a library.
//!
//! cib brings its own typst `World`: fonts embedded in the binary (no system fonts,
//! the same output everywhere), no packages, a fixed date, and file access limited
//! to the curriculum root. The lesson reaches the embedded template as data
//! (`/.cib/data.json`, see [`markdown`]), never as spliced markup. Instructor-only
//! material is left out of the data of a student document altogether, so no
//! template mistake can print it.

mod assemble;
mod assessment;
mod delivery;
mod markdown;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod probe;
mod records;
pub use assemble::assemble;
pub use assessment::Sheet;
pub use markdown::options as markdown_options;
pub(crate) use markdown::printed_text;
pub use markdown::{Program, blocks as markdown_tree, programs};
pub use records::ROSTER_COLUMNS;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::{Assessment, Audience, Bundle, CompetencyFramework, Curriculum, Lesson};

const COMMON: &str = include_str!("common.typ");
const LESSON: &str = include_str!("lesson.typ");
const BUNDLE: &str = include_str!("bundle.typ");
const COVERAGE: &str = include_str!("coverage.typ");
const ASSESSMENT: &str = include_str!("assessment.typ");
const RECORDS: &str = include_str!("records.typ");
const DELIVERY: &str = include_str!("delivery.typ");
/// Template files as typst sees them inside the sandbox.
const TEMPLATES: [(&str, &str); 7] = [
    ("/.cib/common.typ", COMMON),
    ("/.cib/lesson.typ", LESSON),
    ("/.cib/bundle.typ", BUNDLE),
    ("/.cib/coverage.typ", COVERAGE),
    ("/.cib/assessment.typ", ASSESSMENT),
    ("/.cib/records.typ", RECORDS),
    ("/.cib/delivery.typ", DELIVERY),
];
const DATA_PATH: &str = "/.cib/data.json";
/// The largest image a lesson may embed (`cib explain C009`); typst's sandbox
/// enforces it too.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// What stays the same across documents: the standard library and the fonts.
/// Building it once and reusing it is what makes rendering many lessons cheap.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: Vec<Source>,
}

/// The fonts embedded in cib; the only ones typst may use.
fn fonts() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect()
    })
}

/// The first character of `text` that no embedded font can show, with its byte
/// offset. A tagged PDF may not hold text it cannot display, so typst would
/// refuse the whole document; `cib check` names the character instead.
pub fn unprintable(text: &str) -> Option<(usize, char)> {
    static BOOK: OnceLock<FontBook> = OnceLock::new();
    let book = BOOK.get_or_init(|| FontBook::from_fonts(fonts()));
    text.char_indices().find(|&(_, c)| {
        !(c.is_whitespace()
            || c.is_ascii_graphic()
            || typst::text::is_default_ignorable(c)
            || (0..)
                .map_while(|i| book.info(i))
                .any(|info| info.coverage.contains(c as u32)))
    })
}

impl Default for Renderer {
    fn default() -> Self {
        let fonts = fonts().to_vec();
        Renderer {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources: TEMPLATES
                .iter()
                .map(|(path, text)| Source::new(file_id(path), (*text).to_owned()))
                .collect(),
        }
    }
}

/// The date printed and stamped into PDFs: the curriculum's version date, so the
/// same inputs always give the same bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Datetime::from_ymd(year, month, day)?;
        Some(Date { year, month, day })
    }

    fn datetime(self) -> Datetime {
        Datetime::from_ymd(self.year, self.month, self.day).expect("validated in parse")
    }
}

/// Why a document could not be rendered: typst's messages, already worded.
#[derive(Debug)]
pub struct RenderError {
    pub messages: Vec<String>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.messages.join("; "))
    }
}

/// Everything one PDF is made from, prepared before typst runs so that a build
/// can tell from [`Document::fingerprint`] whether it needs to run typst at all.
#[derive(Clone)]
pub struct Document {
    main: &'static str,
    data: Bytes,
    /// Whether a last page holding a few lines is pulled back onto the page
    /// before it (see [`Renderer::pdf`]); [`bundle`] turns it off, as a
    /// front's last pages are laid over lessons.
    pull_back: bool,
    /// Root-relative paths of the images the document embeds.
    assets: Vec<String>,
    ident: String,
    date: Date,
}

/// Prepares one lesson for one audience. `root` is the curriculum root.
pub fn lesson(root: &Path, c: &Curriculum, lesson: &Lesson, audience: Audience) -> Document {
    let settings = c.settings.as_ref();
    let doc = doc_meta(
        c,
        lesson.title.clone(),
        audience_label(audience).to_owned(),
        lesson.teaches.iter().map(|t| t.value.to_string()).collect(),
    );
    let data = json!({
        "doc": doc,
        "lesson": lesson_data(root, c, lesson, audience),
    });
    document(
        "/.cib/lesson.typ",
        data,
        format!("{}-{}", lesson.id.value, audience.as_str()),
        settings,
    )
}

/// Prepares one sheet of an assessment: the student's task sheet or the
/// instructor's score sheet. `root` is the curriculum root.
pub fn assessment(root: &Path, c: &Curriculum, a: &Assessment, sheet: Sheet) -> Document {
    let doc = doc_meta(
        c,
        sheet.title(a),
        format!("{} · {}", sheet.label(), a.kind.label()),
        a.demonstrates.iter().map(|d| d.value.to_string()).collect(),
    );
    let data = json!({"doc": doc, "sheet": assessment::data(root, c, a, sheet)});
    document(
        "/.cib/assessment.typ",
        data,
        format!("{}-{}", a.id.value, sheet.as_str()),
        c.settings.as_ref(),
    )
}

/// Prepares the competency records of one competency framework.
pub fn records(c: &Curriculum, f: &CompetencyFramework) -> Document {
    let doc = doc_meta(
        c,
        format!("Competency records: {}", f.title),
        format!("Competency record · {}", f.title),
        vec![f.id.value.to_string(), "records".into()],
    );
    let data = json!({"doc": doc, "records": records::data(c, f)});
    document(
        "/.cib/records.typ",
        data,
        format!("{}-records", f.id.value),
        c.settings.as_ref(),
    )
}

/// Prepares the delivery records of the regulated course an instructor
/// bundle delivers.
pub fn delivery(
    c: &Curriculum,
    bundle: &Bundle,
    d: &crate::analyze::delivery::Delivery<'_>,
) -> Document {
    let doc = doc_meta(
        c,
        format!("Delivery records: {}", d.framework.title),
        "Delivery records".into(),
        vec![
            bundle.id.value.to_string(),
            d.framework.id.value.to_string(),
            "delivery records".into(),
        ],
    );
    let data = json!({"doc": doc, "delivery": delivery::data(c, d)});
    document(
        "/.cib/delivery.typ",
        data,
        format!("{}-delivery", bundle.id.value),
        c.settings.as_ref(),
    )
}

/// One document of a bundle's combined PDF, after the front.
pub struct Part<'a> {
    pub title: String,
    pub pages: usize,
    /// The lesson it is, if it is one: lessons count toward the bundle's hours.
    pub lesson: Option<&'a Lesson>,
}

/// Prepares the front of a bundle's combined PDF: a cover and the contents.
/// `parts` are the PDFs that follow it (the lessons for the bundle's audience,
/// then the assessments' sheets), with their page counts; [`assemble`] appends
/// them after the front.
pub fn bundle(c: &Curriculum, bundle: &Bundle, parts: &[Part<'_>]) -> Document {
    let settings = c.settings.as_ref();
    let lessons: Vec<&Lesson> = parts.iter().filter_map(|p| p.lesson).collect();
    let minutes: u32 = lessons.iter().map(|l| l.duration_minutes).sum();
    let assessments = parts.len() - lessons.len();
    let mut keywords = vec![bundle.id.value.to_string()];
    keywords.extend(bundle.frameworks.iter().map(|f| f.value.to_string()));
    keywords.extend(bundle.aligned_to.iter().map(|a| a.value.to_string()));
    let doc = doc_meta(c, bundle.title.clone(), bundle.title.clone(), keywords);
    let s = |f: fn(&crate::model::Settings) -> &str| settings.map(f).unwrap_or("").to_owned();
    let mut facts = vec![
        ("Audience", plural_label(bundle.audience).to_owned()),
        ("Lessons", lessons.len().to_string()),
        ("Hours", hours_label(minutes)),
        ("Curriculum", s(|s| &s.title)),
        ("Version", s(|s| &s.version)),
        ("Date", s(|s| &s.date)),
        ("Publisher", s(|s| &s.publisher)),
        ("License", s(|s| &s.license)),
    ];
    if assessments > 0 {
        facts.insert(3, ("Assessment sheets", assessments.to_string()));
    }
    let pages: Vec<usize> = parts.iter().map(|p| p.pages).collect();
    let blanks = assemble::blanks(bundle.duplex, &pages);
    let mut offset = 0;
    let mut number = 0;
    let contents: Vec<Value> = parts
        .iter()
        .zip(&blanks)
        .map(|(part, &blank)| {
            let lesson = part.lesson.map(|l| {
                number += 1;
                (number, l.duration_minutes)
            });
            let entry = json!({
                "title": part.title,
                "number": lesson.map(|(n, _)| n),
                "minutes": lesson.map(|(_, m)| m),
                "offset": offset,
            });
            offset += part.pages + usize::from(blank);
            entry
        })
        .collect();
    let layout = if bundle.duplex {
        "For double-sided printing: every lesson and sheet starts on a front page, so each \
         can be taken out of the printed stack on its own. Blank backs are marked."
    } else {
        "For single-sided printing."
    };
    let data = json!({
        "doc": doc,
        "cover": {
            "kicker": plural_label(bundle.audience),
            "title": bundle.title,
            "subtitle": s(|s| &s.title),
            "description": bundle.description.as_deref().unwrap_or(""),
            "facts": facts.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        },
        "contents": contents,
        "layout": layout,
        "duplex": bundle.duplex,
        "parts": pages.iter().zip(&blanks).map(|(pages, blank)| json!({"pages": pages, "blank_after": blank})).collect::<Vec<_>>(),
    });
    Document {
        pull_back: false,
        ..document(
            "/.cib/bundle.typ",
            data,
            bundle.id.value.to_string(),
            settings,
        )
    }
}

/// Prepares the coverage report as a PDF. `report` is the coverage.json value
/// (see `publish::coverage`), so the PDF shows exactly its numbers; `changes`
/// are its baseline changes in words.
pub fn coverage(c: &Curriculum, report: &Value, changes: &[String]) -> Document {
    let title = format!(
        "Coverage report — {}",
        c.settings.as_ref().map(|s| s.title.as_str()).unwrap_or("")
    );
    let doc = doc_meta(c, title, "Coverage report".into(), vec!["coverage".into()]);
    let data = json!({"doc": doc, "report": report, "changes": changes});
    document(
        "/.cib/coverage.typ",
        data,
        "coverage".into(),
        c.settings.as_ref(),
    )
}

fn document(
    main: &'static str,
    data: Value,
    ident: String,
    settings: Option<&crate::model::Settings>,
) -> Document {
    let mut assets = Vec::new();
    tree_images(&data, &mut assets);
    assets.sort();
    assets.dedup();
    Document {
        main,
        data: Bytes::new(serde_json::to_vec(&data).expect("JSON values serialize")),
        pull_back: true,
        assets,
        ident,
        date: settings.and_then(|s| Date::parse(&s.date)).unwrap_or(Date {
            year: 1980,
            month: 1,
            day: 1,
        }),
    }
}

/// The image paths (root-relative) in a document tree, such as
/// [`lesson_tree`]'s; iterative, as trees can be deep.
pub fn tree_images(data: &Value, out: &mut Vec<String>) {
    let mut stack = vec![data];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if map.get("t").and_then(Value::as_str) == Some("image")
                    && let Some(src) = map.get("src").and_then(Value::as_str)
                {
                    out.push(src.to_owned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
}

impl Document {
    /// The images the document embeds, as root-relative paths.
    pub fn images(&self) -> &[String] {
        &self.assets
    }

    /// A hash of everything the PDF depends on: cib's version, the templates,
    /// the document's data and the bytes of every image it embeds. Equal
    /// fingerprints mean equal PDFs, so a build may reuse a cached one.
    pub fn fingerprint(&self, root: &Path) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(env!("CARGO_PKG_VERSION").as_bytes());
        field(self.main.as_bytes());
        for (path, text) in TEMPLATES {
            field(path.as_bytes());
            field(text.as_bytes());
        }
        field(&self.data);
        field(self.ident.as_bytes());
        field(format!("{:?}", self.date).as_bytes());
        for asset in &self.assets {
            field(asset.as_bytes());
            // A missing image is hashed as empty: rendering will then fail and
            // say so, and nothing is cached for a failed document.
            field(&std::fs::read(root.join(asset.trim_start_matches('/'))).unwrap_or_default());
        }
        hash.finalize().into()
    }

    /// Writes the document as a typst project under `dir` (templates, data,
    /// the images it embeds) and returns the main file's path, so the typst
    /// CLI can compile exactly what cib compiles: benchmarks compare the two
    /// on the same sources. Compile it with `--root dir` and PDF/UA-1.
    pub fn write_project(&self, root: &Path, dir: &Path) -> anyhow::Result<PathBuf> {
        use anyhow::Context;
        let data = [(DATA_PATH, &self.data[..])];
        let templates = TEMPLATES
            .iter()
            .map(|(path, text)| (*path, text.as_bytes()));
        let mut files: Vec<(&str, std::borrow::Cow<[u8]>)> = templates
            .chain(data)
            .map(|(path, bytes)| (path, bytes.into()))
            .collect();
        for asset in &self.assets {
            let bytes = std::fs::read(root.join(asset.trim_start_matches('/')))
                .with_context(|| format!("cannot read `{asset}`"))?;
            files.push((asset, bytes.into()));
        }
        for (path, bytes) in files {
            let target = dir.join(path.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            std::fs::write(&target, bytes)
                .with_context(|| format!("cannot write `{}`", target.display()))?;
        }
        Ok(dir.join(self.main.trim_start_matches('/')))
    }
}

/// A typeset document.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

impl Renderer {
    /// Typesets a prepared document as a tagged PDF/UA-1 file. Only files under
    /// `root`, the curriculum root, can be read.
    pub fn pdf(&self, root: &Path, document: &Document) -> Result<Rendered, RenderError> {
        let world = DocumentWorld {
            renderer: self,
            root: root.canonicalize().map_err(|e| RenderError {
                messages: vec![format!("cannot open the curriculum root: {e}")],
            })?,
            main: file_id(document.main),
            data: document.data.clone(),
            today: document.date.datetime(),
            stand_in: None,
        };
        let (compiled, pdf) = self.typeset(&world, &document.ident)?;
        // A last page with a few lines on it: set the text tighter, one step
        // and then another, until they come back onto the page before.
        let mut best = (compiled.pages().len(), pdf);
        if document.pull_back && nearly_empty_end(&compiled) {
            for level in 1..=2 {
                let Some(data) = tightened(&document.data, level) else {
                    break;
                };
                let world = DocumentWorld {
                    data,
                    renderer: world.renderer,
                    root: world.root.clone(),
                    main: world.main,
                    today: world.today,
                    stand_in: None,
                };
                let (tight, tight_pdf) = self.typeset(&world, &document.ident)?;
                let pulled_back = tight.pages().len() < best.0;
                if pulled_back {
                    best = (tight.pages().len(), tight_pdf);
                }
                if pulled_back && !nearly_empty_end(&tight) {
                    break;
                }
            }
        }
        Ok(Rendered {
            pdf: best.1,
            pages: best.0,
        })
    }

    /// Compiles the world's main file and exports it as PDF/UA-1.
    fn typeset(
        &self,
        world: &DocumentWorld,
        ident: &str,
    ) -> Result<(PagedDocument, Vec<u8>), RenderError> {
        let compiled = typst::compile::<PagedDocument>(world)
            .output
            .map_err(|errors| to_error(&errors[..]))?;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_owned()),
            timestamp: Some(Timestamp::new_utc(world.today)),
            standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| RenderError {
                messages: vec![e.message().to_string()],
            })?,
            ..PdfOptions::default()
        };
        let pdf = typst_pdf::pdf(&compiled, &options).map_err(|errors| to_error(&errors[..]))?;
        Ok((compiled, pdf))
    }
}

/// The lowest end of a document's content, in points from the top of the
/// page, at which its last page counts as nearly empty: the top margin
/// (0.9 in) and three lines of text.
const NEARLY_EMPTY: f64 = 0.9 * 72.0 + 48.0;

/// Whether a document's content ends near the top of a last page that is not
/// its first: the `<cib-end>` marker that `common.typ` puts after the
/// content is no lower than [`NEARLY_EMPTY`].
fn nearly_empty_end(compiled: &PagedDocument) -> bool {
    last_page_end(compiled).is_some_and(|y| y <= NEARLY_EMPTY)
}

/// Where a document's content ends on its last page, in points from the
/// top, when that page is not its first.
fn last_page_end(compiled: &PagedDocument) -> Option<f64> {
    use typst::foundations::Label;
    use typst::introspection::{DocumentPosition, Introspector};
    let introspector = compiled.introspector().as_ref();
    let label = Label::new(typst::utils::PicoStr::intern("cib-end"))?;
    let location = introspector.query_label(label).ok()?.location()?;
    let DocumentPosition::Paged(at) = Introspector::position(introspector, location)? else {
        return None;
    };
    let page = at.page.get();
    (page > 1 && page == compiled.pages().len()).then(|| at.point.y.to_pt())
}

/// The document's data asking the layout to set text tighter (`doc.tight`,
/// 1 or 2), which pulls a few stray lines back onto the page before.
fn tightened(data: &Bytes, level: u8) -> Option<Bytes> {
    let mut value: Value = serde_json::from_slice(data).ok()?;
    value
        .get_mut("doc")?
        .as_object_mut()?
        .insert("tight".into(), level.into());
    Some(Bytes::new(serde_json::to_vec(&value).ok()?))
}

fn to_error(errors: &[SourceDiagnostic]) -> RenderError {
    RenderError {
        messages: errors
            .iter()
            .map(|e| {
                let hints: Vec<String> = e
                    .hints
                    .iter()
                    .map(|h| format!(" (hint: {})", h.v))
                    .collect();
                format!("{}{}", e.message, hints.concat())
            })
            .collect(),
    }
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("constant paths are valid"),
    )
    .intern()
}

fn audience_label(audience: Audience) -> &'static str {
    match audience {
        Audience::Instructor => "Instructor lesson plan",
        Audience::Student => "Student handout",
    }
}

fn plural_label(audience: Audience) -> &'static str {
    match audience {
        Audience::Instructor => "Instructor lesson plans",
        Audience::Student => "Student handouts",
    }
}

/// `90` minutes as `1.5 hours`.
pub fn hours_label(minutes: u32) -> String {
    let hours = f64::from(minutes) / 60.0;
    let text = format!("{hours:.1}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {}", if text == "1" { "hour" } else { "hours" })
}

/// One document's view of the world.
struct DocumentWorld<'a> {
    renderer: &'a Renderer,
    root: PathBuf,
    main: FileId,
    data: Bytes,
    today: Datetime,
    /// The bytes every other file reads as, for probes that have no files.
    stand_in: Option<Bytes>,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.renderer
            .sources
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or(FileError::NotSource)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id(DATA_PATH) {
            return Ok(self.data.clone());
        }
        if let Ok(source) = self.source(id) {
            return Ok(Bytes::from_string(source));
        }
        if *id.root() != VirtualRoot::Project {
            return Err(FileError::AccessDenied);
        }
        if let Some(bytes) = &self.stand_in {
            return Ok(bytes.clone());
        }
        let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
        // Resolve links, then insist on staying inside the root.
        let real = path
            .canonicalize()
            .map_err(|_| FileError::NotFound(path.clone()))?;
        if !real.starts_with(&self.root) {
            return Err(FileError::AccessDenied);
        }
        let meta = std::fs::metadata(&real).map_err(|_| FileError::NotFound(path.clone()))?;
        if meta.is_dir() {
            return Err(FileError::IsDirectory);
        }
        if meta.len() > MAX_IMAGE_BYTES {
            return Err(FileError::Other(Some(
                "the file is larger than 8 MiB".into(),
            )));
        }
        std::fs::read(&real)
            .map(Bytes::new)
            .map_err(|_| FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The document-level metadata and running header and footer text.
fn doc_meta(c: &Curriculum, title: String, header: String, keywords: Vec<String>) -> Value {
    let settings = c.settings.as_ref();
    let language = settings.map(|s| s.language.as_str()).unwrap_or("en");
    let (lang, region) = match language.split_once('-') {
        Some((lang, region)) => (lang, Some(region)),
        None => (language, None),
    };
    let footer = settings
        .map(|s| format!("{} · version {} · {}", s.publisher, s.version, s.license))
        .unwrap_or_default();
    json!({
        "title": title,
        "author": settings.map(|s| s.publisher.as_str()).unwrap_or(""),
        "keywords": keywords,
        "lang": lang,
        "region": region,
        "header": header,
        "footer": footer,
    })
}

/// A lesson for one audience as plain data: what its PDF is typeset from, and
/// what its web page and LMS page are written from (`publish::web`), so every
/// form of a lesson shows the same content.
pub fn lesson_tree(root: &Path, c: &Curriculum, lesson: &Lesson, audience: Audience) -> Value {
    lesson_data(root, c, lesson, audience)
}

/// One sheet of an assessment as plain data: what its PDF is typeset from,
/// and what its web page is written from.
pub fn assessment_tree(root: &Path, c: &Curriculum, a: &Assessment, sheet: Sheet) -> Value {
    assessment::data(root, c, a, sheet)
}

/// The data the lesson layout shows. A student document's data has no
/// instructor fields at all: procedure, notes, answers and the alignment table
/// stay empty, so no template mistake can print them.
fn lesson_data(root: &Path, c: &Curriculum, lesson: &Lesson, audience: Audience) -> Value {
    let image_dir = markdown::image_dir(root, &lesson.folder);
    let md = |text: &str| markdown::blocks(text, &image_dir);
    let instructor = audience == Audience::Instructor;
    let taught = crate::analyze::taught(c, lesson);
    let assessed = |id: &str| lesson.assesses.iter().any(|a| a.value.as_str() == id);
    let alignment: Vec<Value> = if instructor {
        taught
            .iter()
            .map(|k| {
                json!({
                    "id": k.id.value.as_str(),
                    "title": k.title,
                    "role": if assessed(k.id.value.as_str()) { "taught and assessed" } else { "taught" },
                    "targets": k.alignments.iter().map(|a| target(c, a)).collect::<Vec<_>>(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let program = taught
        .first()
        .and_then(|k| c.competency_framework(&k.framework))
        .map(|f| f.title.clone())
        .unwrap_or_default();
    let procedure: Vec<Value> = if instructor {
        lesson
            .instructor
            .procedure
            .iter()
            .map(|s| json!({"minutes": s.minutes, "step": md(&s.text)}))
            .collect()
    } else {
        Vec::new()
    };
    let notes = match (instructor, &lesson.instructor.notes) {
        (true, Some(notes)) => md(notes),
        _ => json!([]),
    };
    let answers: Vec<Value> = if instructor {
        lesson
            .questions
            .iter()
            .map(|q| {
                let answer = lesson
                    .instructor
                    .answer_key
                    .iter()
                    .find(|(id, _)| id.value == q.id.value)
                    .map(|(_, a)| a.as_str())
                    .unwrap_or("");
                md(answer)
            })
            .collect()
    } else {
        Vec::new()
    };
    let questions: Vec<Value> = lesson
        .questions
        .iter()
        .map(|q| {
            let (space, lines) = lesson.answer_space(q);
            json!({"prompt": md(&q.prompt), "space": space.as_str(), "lines": lines})
        })
        .collect();
    let own = |items: &[String]| -> Vec<Value> {
        if instructor {
            items.iter().map(|m| md(m)).collect()
        } else {
            Vec::new()
        }
    };
    json!({
        "title": lesson.title,
        "instructor": instructor,
        "audience_label": audience_label(audience),
        "duration_label": match lesson.sessions {
            1 => format!("{} minutes", lesson.duration_minutes),
            n => format!("{} minutes over {n} class periods", lesson.duration_minutes),
        },
        "program": program,
        "objectives": lesson.objectives.iter().map(|o| md(o)).collect::<Vec<_>>(),
        "materials": lesson.materials.iter().map(|m| md(m)).collect::<Vec<_>>(),
        "safety": lesson.safety.iter().map(|s| md(s)).collect::<Vec<_>>(),
        "instructor_materials": own(&lesson.instructor.materials),
        "instructor_safety": own(&lesson.instructor.safety),
        "questions": questions,
        "body": md(&lesson.body),
        "alignment": alignment,
        "procedure": procedure,
        "notes": notes,
        "answers": answers,
    })
}

/// An alignment target as the lesson plan prints it: its code, the item's
/// title and marks (provisional, our code) when the framework has the item,
/// and the relation in words.
fn target(c: &Curriculum, alignment: &crate::model::Alignment) -> Value {
    let item = c.item(&alignment.target.value);
    json!({
        "code": alignment.target.value.to_string(),
        "title": item.map(|i| i.title.as_str()).unwrap_or(""),
        "marks": item.map(|i| i.marks().join(", ")).unwrap_or_default(),
        "relation": alignment.relation.words(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_data_holds_no_instructor_material() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        let checked = crate::check(&root).unwrap();
        let c = &checked.curriculum;
        let lesson = &c.lessons[0];
        let student = lesson_data(&root, c, lesson, Audience::Student).to_string();
        let instructor = lesson_data(&root, c, lesson, Audience::Instructor).to_string();
        for (_, answer) in &lesson.instructor.answer_key {
            assert!(instructor.contains(answer.as_str()));
            assert!(
                !student.contains(answer.as_str()),
                "answer leaked: {answer}"
            );
        }
        assert!(!student.contains("taught and assessed"));
    }

    /// typst reads only files inside the root, whatever a document asks for:
    /// the guard under C008, for a lesson that slipped past the check.
    #[test]
    fn typst_reads_nothing_outside_the_root() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.svg"), "<svg/>").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("inside.svg"), "<svg/>").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.svg"),
            root.path().join("link.svg"),
        )
        .unwrap();
        let renderer = Renderer::default();
        let world = DocumentWorld {
            renderer: &renderer,
            root: root.path().canonicalize().unwrap(),
            main: file_id("/.cib/lesson.typ"),
            data: Bytes::new(b"{}".to_vec()),
            today: Date {
                year: 2026,
                month: 1,
                day: 1,
            }
            .datetime(),
            stand_in: None,
        };
        assert!(world.file(file_id("/inside.svg")).is_ok());
        assert!(matches!(
            world.file(file_id("/link.svg")),
            Err(FileError::AccessDenied)
        ));
        // `..` cannot even be named: typst refuses the path before asking.
        assert!(VirtualPath::new("/../secret.svg").is_err());
        assert!(VirtualPath::new("/x/../../secret.svg").is_err());
        // An absolute path is taken as relative to the root.
        let absolute = outside.path().join("secret.svg");
        assert!(matches!(
            world.file(file_id(absolute.to_str().unwrap())),
            Err(FileError::NotFound(_))
        ));
    }

    /// A lesson of `paragraphs` one-line paragraphs, as the template reads it.
    fn plain_lesson(paragraphs: usize) -> Document {
        let para =
            |i: usize| json!({"t": "para", "c": [{"t": "text", "v": format!("Paragraph {i}.")}]});
        let data = json!({
            "doc": {"title": "T", "author": "", "keywords": [], "lang": "en", "region": null, "header": "H", "footer": "F"},
            "lesson": {
                "title": "T", "instructor": false, "audience_label": "Student handout",
                "duration_label": "45 minutes", "program": "", "objectives": [[para(0)]],
                "materials": [], "safety": [], "instructor_materials": [], "instructor_safety": [],
                "questions": [], "body": (1..=paragraphs).map(para).collect::<Vec<_>>(),
                "alignment": [], "procedure": [], "notes": [], "answers": [],
            },
        });
        document("/.cib/lesson.typ", data, "t".into(), None)
    }

    /// Over a range of lengths some lesson ends a line or two into a new
    /// page; each such one comes out a page shorter, and the others as they
    /// were.
    #[test]
    fn a_nearly_empty_last_page_is_pulled_back() {
        let renderer = Renderer::default();
        let root = tempfile::tempdir().unwrap();
        let mut pulled = 0;
        for paragraphs in 40..75 {
            let document = plain_lesson(paragraphs);
            let world = DocumentWorld {
                renderer: &renderer,
                root: root.path().canonicalize().unwrap(),
                main: file_id(document.main),
                data: document.data.clone(),
                today: document.date.datetime(),
                stand_in: None,
            };
            let (loose, _) = renderer.typeset(&world, "t").unwrap();
            let rendered = renderer.pdf(root.path(), &document).unwrap();
            if nearly_empty_end(&loose) {
                pulled += 1;
                assert_eq!(rendered.pages, loose.pages().len() - 1, "{paragraphs}");
            } else {
                assert_eq!(rendered.pages, loose.pages().len(), "{paragraphs}");
            }
        }
        assert!(pulled > 0, "no length ended near the top of a page");
    }

    #[test]
    fn hours_read_naturally() {
        assert_eq!(hours_label(60), "1 hour");
        assert_eq!(hours_label(90), "1.5 hours");
        assert_eq!(hours_label(100), "1.7 hours");
        assert_eq!(hours_label(0), "0 hours");
    }
}
