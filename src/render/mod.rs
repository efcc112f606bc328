//! Stage: lessons to PDF through the typst crates, used as a library.
//!
//! cib brings its own typst `World`: fonts embedded in the binary (no system fonts,
//! the same output everywhere), no packages, a fixed date, and file access limited
//! to the curriculum root. The lesson reaches the embedded template as data
//! (`/.cib/data.json`, see [`markdown`]), never as spliced markup. Instructor-only
//! material is left out of the data of a student document altogether, so no
//! template mistake can print it.

mod markdown;

pub use markdown::options as markdown_options;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::model::{Audience, Curriculum, Lesson};

const TEMPLATE: &str = include_str!("lesson.typ");
const DATA_PATH: &str = "/.cib/data.json";
const MAIN_PATH: &str = "/.cib/lesson.typ";
/// The largest image a lesson may embed.
const MAX_ASSET_BYTES: u64 = 8 * 1024 * 1024;

/// What stays the same across documents: the standard library and the fonts.
/// Building it once and reusing it is what makes rendering many lessons cheap.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Default for Renderer {
    fn default() -> Self {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Renderer {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

/// The date printed and stamped into PDFs: the curriculum's version date, so the
/// same inputs always give the same bytes.
#[derive(Clone, Copy, Debug)]
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

impl Renderer {
    /// Renders one lesson for one audience as a tagged PDF/UA-1 document.
    ///
    /// `root` is the curriculum root (typst may read images under it and nothing
    /// else); `lesson_dir` is the lesson's folder relative to the root.
    pub fn lesson(
        &self,
        root: &Path,
        c: &Curriculum,
        lesson: &Lesson,
        lesson_dir: &str,
        audience: Audience,
        date: Date,
    ) -> Result<Vec<u8>, RenderError> {
        let data = lesson_data(c, lesson, lesson_dir, audience);
        let world = DocumentWorld {
            renderer: self,
            root: root.canonicalize().map_err(|e| RenderError {
                messages: vec![format!("cannot open the curriculum root: {e}")],
            })?,
            main: Source::new(file_id(MAIN_PATH), TEMPLATE.to_owned()),
            data: Bytes::new(serde_json::to_vec(&data).expect("JSON values serialize")),
            today: date.datetime(),
        };
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| to_error(&errors[..]))?;
        let options = PdfOptions {
            ident: Smart::Custom(format!("{}-{}", lesson.id.value, audience_name(audience))),
            timestamp: Some(Timestamp::new_utc(date.datetime())),
            standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| RenderError {
                messages: vec![e.message().to_string()],
            })?,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|errors| to_error(&errors[..]))
    }
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

fn audience_name(audience: Audience) -> &'static str {
    match audience {
        Audience::Instructor => "instructor",
        Audience::Student => "student",
    }
}

/// One document's view of the world.
struct DocumentWorld<'a> {
    renderer: &'a Renderer,
    root: PathBuf,
    main: Source,
    data: Bytes,
    today: Datetime,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == file_id(DATA_PATH) {
            return Ok(self.data.clone());
        }
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        if *id.root() != VirtualRoot::Project {
            return Err(FileError::AccessDenied);
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
        if meta.len() > MAX_ASSET_BYTES {
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

/// The data the template shows. A student document's data has no instructor
/// fields at all: procedure, notes, answers and the alignment table stay empty.
fn lesson_data(c: &Curriculum, lesson: &Lesson, lesson_dir: &str, audience: Audience) -> Value {
    let image_dir = format!("/{}", lesson_dir.trim_matches('/'));
    let md = |text: &str| markdown::blocks(text, &image_dir);
    let instructor = audience == Audience::Instructor;
    let settings = c.settings.as_ref();
    let (lang, region) = settings
        .map(|s| s.language.as_str())
        .unwrap_or("en")
        .split_once('-')
        .map(|(l, r)| (l.to_owned(), Some(r.to_owned())))
        .unwrap_or_else(|| {
            (
                settings
                    .map(|s| s.language.clone())
                    .unwrap_or_else(|| "en".into()),
                None,
            )
        });
    let body = md(&lesson.body);
    let footnotes = footnotes(&body);
    let competencies = crate::check::rules::Index::new(c).competencies;
    let alignment: Vec<Value> = if instructor {
        let assessed = |id: &str| lesson.assesses.iter().any(|a| a.value.as_str() == id);
        lesson
            .teaches
            .iter()
            .map(|id| {
                let k = competencies.get(id.value.as_str());
                json!({
                    "id": id.value.as_str(),
                    "title": k.map(|k| k.title.as_str()).unwrap_or(""),
                    "role": if assessed(id.value.as_str()) { "taught and assessed" } else { "taught" },
                    "targets": k.map(|k| k.alignments.iter().map(|a| a.target.value.to_string()).collect::<Vec<_>>()).unwrap_or_default(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let program = lesson
        .teaches
        .first()
        .and_then(|id| competencies.get(id.value.as_str()))
        .and_then(|k| {
            c.competency_frameworks
                .iter()
                .find(|f| f.id.value == k.framework)
        })
        .map(|f| f.title.clone())
        .unwrap_or_default();
    json!({
        "title": lesson.title,
        "audience": audience_name(audience),
        "audience_label": if instructor { "Instructor lesson plan" } else { "Student handout" },
        "duration_label": format!("{} minutes", lesson.duration_minutes),
        "program": program,
        "publisher": settings.map(|s| s.publisher.as_str()).unwrap_or(""),
        "curriculum_version": settings.map(|s| format!("version {}", s.version)).unwrap_or_default(),
        "license": settings.map(|s| s.license.as_str()).unwrap_or(""),
        "lang": lang,
        "region": region,
        "keywords": lesson.teaches.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(),
        "objectives": lesson.objectives.iter().map(|o| md(o)).collect::<Vec<_>>(),
        "materials": lesson.materials.iter().map(|m| md(m)).collect::<Vec<_>>(),
        "safety": lesson.safety.iter().map(|s| md(s)).collect::<Vec<_>>(),
        "questions": lesson.questions.iter().map(|q| json!({"prompt": md(&q.prompt)})).collect::<Vec<_>>(),
        "body": body,
        "footnotes": footnotes,
        "alignment": alignment,
        "procedure": if instructor {
            lesson.instructor.procedure.iter().map(|s| json!({"minutes": s.minutes, "step": md(&s.text)})).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
        "notes": if instructor { lesson.instructor.notes.as_deref().map(md).unwrap_or_else(|| json!([])) } else { json!([]) },
        "answers": if instructor {
            lesson
                .questions
                .iter()
                .map(|q| {
                    let answer = lesson.instructor.answer_key.iter().find(|(id, _)| id.value == q.id.value).map(|(_, a)| a.as_str()).unwrap_or("");
                    md(answer)
                })
                .collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

/// Footnote definitions by label, as inline nodes, for the template to place at
/// their references.
fn footnotes(blocks: &Value) -> Value {
    let mut map = serde_json::Map::new();
    for block in blocks.as_array().into_iter().flatten() {
        if block["t"] == "fndef" {
            let inline: Vec<Value> = block["c"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|b| {
                    b["c"]
                        .as_array()
                        .cloned()
                        .unwrap_or_else(|| vec![b.clone()])
                })
                .collect();
            map.insert(
                block["label"].as_str().unwrap_or("").to_owned(),
                Value::Array(inline),
            );
        }
    }
    Value::Object(map)
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
        let student = lesson_data(c, lesson, "lessons", Audience::Student).to_string();
        let instructor = lesson_data(c, lesson, "lessons", Audience::Instructor).to_string();
        for (_, answer) in &lesson.instructor.answer_key {
            assert!(instructor.contains(answer.as_str()));
            assert!(
                !student.contains(answer.as_str()),
                "answer leaked: {answer}"
            );
        }
        assert!(!student.contains("taught and assessed"));
    }
}
