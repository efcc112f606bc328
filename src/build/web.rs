//! The build's web pages and LMS cartridges, taken from the cache like its
//! PDFs: a rebuild in which no source changed writes them without preparing a
//! single lesson again.
//!
//! A page is made from its lesson's or assessment's file and the files every
//! page reads (settings, frameworks, formulas); a cartridge from its lessons'
//! and assessments' files, those shared files, and the PDFs it carries, which
//! its key names by their hashes. An edit to one lesson so makes again only
//! that lesson's pages and the cartridges that hold it.

use std::path::Path;

use anyhow::Context as _;

use super::cache::Cache;
use super::output::{self, Output};
use super::{Contents, Made, Site, assessment_path, file_info};
use crate::diag::{FileId, Sources};
use crate::exchange::cc;
use crate::model::{Assessment, Audience, Curriculum, Lesson};
use crate::package::Stamp;
use crate::publish::{self, FileInfo};
use crate::render::{self, Sheet};

/// What every page and cartridge is made from.
pub(super) struct Context<'a> {
    pub root: &'a Path,
    pub c: &'a Curriculum,
    pub cache: &'a Cache,
    pub output: &'a Output,
    pub sources: &'a Sources,
    /// [`shared_key`] of the build.
    pub shared: [u8; 32],
}

/// A hash of what every page and cartridge depends on besides its own
/// lessons and assessments: cib's version (in `exports`, the key of the
/// framework exports, over the settings and every framework file), the page
/// templates and the formula files.
pub(super) fn shared_key(c: &Curriculum, sources: &Sources, exports: &[u8; 32]) -> [u8; 32] {
    let mut formulas: Vec<FileId> = c.formulas.iter().map(|f| f.name.span.file).collect();
    formulas.sort();
    formulas.dedup();
    let texts: Vec<&[u8]> = publish::web::TEMPLATES
        .iter()
        .map(|t| t.as_bytes())
        .chain(formulas.iter().map(|&f| sources.text(f).as_bytes()))
        .collect();
    key(exports, &texts)
}

fn key(base: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut key = Sha256::new();
    key.update(base);
    for part in parts {
        key.update((part.len() as u64).to_le_bytes());
        key.update(part);
    }
    key.finalize().into()
}

/// One web page of the site.
enum Page<'c> {
    Lesson(&'c Lesson, Audience),
    Sheet(&'c Assessment, Sheet),
}

impl Page<'_> {
    fn path(&self) -> String {
        match self {
            Page::Lesson(l, audience) => publish::web_path(l, *audience),
            Page::Sheet(a, sheet) => publish::assessment_web_path(a, *sheet),
        }
    }

    /// The file the page is written from.
    fn file(&self) -> FileId {
        match self {
            Page::Lesson(l, _) => l.file,
            Page::Sheet(a, _) => a.file,
        }
    }

    fn write(&self, cx: &Context<'_>) -> Vec<u8> {
        let (root, c) = (cx.root, cx.c);
        let settings = c.settings.as_ref();
        let lang = settings.map(|s| s.language.as_str()).unwrap_or("en");
        let footer = settings
            .map(|s| format!("{} · version {} · {}", s.publisher, s.version, s.license))
            .unwrap_or_default();
        let media = |src: &str| format!("../media{src}");
        let html = match self {
            Page::Lesson(lesson, audience) => {
                let other = (*audience == Audience::Instructor)
                    .then(|| ("Student page", format!("{}.student.html", lesson.id.value)));
                publish::web::lesson_page(
                    &render::lesson_tree(root, c, lesson, *audience),
                    lang,
                    &footer,
                    &publish::web::Links {
                        pdf: format!("../../{}", publish::lesson_path(lesson, *audience)),
                        other,
                        catalog: Some("../index.html".into()),
                        media: &media,
                    },
                )
            }
            Page::Sheet(a, sheet) => {
                let other = (*sheet == Sheet::Score).then(|| {
                    (
                        "Task sheet",
                        format!("{}.{}.html", a.id.value, Sheet::Task.as_str()),
                    )
                });
                publish::web::assessment_page(
                    &render::assessment_tree(root, c, a, *sheet),
                    lang,
                    &footer,
                    &publish::web::Links {
                        pdf: format!("../../{}", assessment_path(a, *sheet)),
                        other,
                        catalog: Some("../index.html".into()),
                        media: &media,
                    },
                )
            }
        };
        html.into_bytes()
    }
}

/// The pages a build wrote.
pub(super) struct Pages {
    pub count: usize,
    /// Their bytes, with the images'.
    pub bytes: usize,
    /// Each page's path in the output folder and hex SHA-256.
    pub hashes: Vec<(String, String)>,
}

/// Writes the web page of every lesson and assessment sheet the site's
/// audience may read, and the `images` they show under `site/media/`.
pub(super) fn pages(cx: &Context<'_>, site: Site, images: &[String]) -> anyhow::Result<Pages> {
    let c = cx.c;
    let sheets: &[Sheet] = match site {
        Site::Instructors => &[Sheet::Task, Sheet::Score],
        Site::Students => &[Sheet::Task],
    };
    let lessons = c.lessons.iter().flat_map(|l| {
        [Audience::Student, Audience::Instructor]
            .into_iter()
            .filter(|a| site.holds(*a))
            .map(move |a| Page::Lesson(l, a))
    });
    let assessments = c
        .assessments
        .iter()
        .flat_map(|a| sheets.iter().map(move |s| Page::Sheet(a, *s)));
    let all: Vec<Page> = lessons.chain(assessments).collect();
    // Pages missing from the cache are written on every core.
    let mut hashes = Vec::with_capacity(all.len());
    let mut bytes = 0;
    let mut missing = Vec::new();
    for page in &all {
        let path = page.path();
        let source = cx.sources.text(page.file()).as_bytes();
        let key = key(&cx.shared, &[path.as_bytes(), source]);
        match cx.cache.reuse(&key, &cx.output.stage().join(&path))? {
            Some(hit) => {
                bytes += hit.size;
                hashes.push((path, hit.sha256));
            }
            None => missing.push((page, path, key)),
        }
    }
    let written = crate::parallel::map(&missing, |(page, _, _)| page.write(cx));
    for ((_, path, key), html) in missing.iter().zip(written) {
        let sha256 = cx
            .cache
            .store(key, 0, &html, &cx.output.stage().join(path))?;
        bytes += html.len();
        hashes.push((path.clone(), sha256));
    }
    for src in images {
        let from = cx.root.join(src.trim_start_matches('/'));
        let image =
            std::fs::read(&from).with_context(|| format!("cannot read `{}`", from.display()))?;
        output::write(&cx.output.stage().join(format!("site/media{src}")), &image)?;
        bytes += image.len();
    }
    Ok(Pages {
        count: all.len(),
        bytes,
        hashes,
    })
}

/// Writes the cartridge of every student bundle into `lms/`, in Common
/// Cartridge `version`. `made` holds the PDFs the build made, `index_of`
/// finds one by its path.
pub(super) fn cartridges<'c>(
    cx: &Context<'_>,
    bundles: &'c [Contents<'c>],
    made: &[Made],
    index_of: &dyn Fn(&str) -> usize,
    version: cc::Version,
    stamp: Stamp,
) -> anyhow::Result<Vec<(&'c str, FileInfo)>> {
    let (root, c) = (cx.root, cx.c);
    let lesson_pdf =
        |l: &Lesson, audience| made[index_of(&publish::lesson_path(l, audience))].pdf_file();
    let sheet_pdf = |a: &Assessment, sheet| made[index_of(&assessment_path(a, sheet))].pdf_file();
    let files = cc::Files {
        lesson: &lesson_pdf,
        sheet: &sheet_pdf,
    };
    let mut out = Vec::new();
    for contents in bundles
        .iter()
        .filter(|b| b.bundle.audience == Audience::Student)
    {
        let bundle = contents.bundle;
        // The key names every PDF by its hash, so no page of the cartridge
        // is written to know whether it changed.
        let mut parts: Vec<Vec<u8>> = vec![
            version.as_str().as_bytes().to_vec(),
            format!("{stamp:?}").into_bytes(),
            bundle.id.value.as_str().as_bytes().to_vec(),
        ];
        for l in &contents.lessons {
            parts.push(cx.sources.text(l.file).as_bytes().to_vec());
            for audience in [Audience::Student, Audience::Instructor] {
                parts.push(lesson_pdf(l, audience).sha256.as_bytes().to_vec());
            }
        }
        for a in &contents.assessments {
            parts.push(cx.sources.text(a.file).as_bytes().to_vec());
            for sheet in [Sheet::Task, Sheet::Score] {
                parts.push(sheet_pdf(a, sheet).sha256.as_bytes().to_vec());
            }
        }
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        let key = key(&cx.shared, &parts);
        let path = cc::path(c, bundle);
        let target = cx.output.stage().join(&path);
        let made = match cx.cache.reuse(&key, &target)? {
            Some(hit) => (hit.size, hit.sha256),
            None => {
                let course = cc::Course {
                    root,
                    curriculum: c,
                    bundle,
                    lessons: &contents.lessons,
                    assessments: &contents.assessments,
                };
                let packing = cc::cartridge(&course, &files, version)?;
                let bytes = packing.zip(stamp).with_context(|| {
                    format!(
                        "cannot pack the LMS cartridge of bundle `{}`",
                        bundle.id.value
                    )
                })?;
                (bytes.len(), cx.cache.store(&key, 0, &bytes, &target)?)
            }
        };
        out.push((bundle.id.value.as_str(), file_info(&path, made.0, made.1)));
    }
    Ok(out)
}
