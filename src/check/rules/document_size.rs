//! C028: a lesson or assessment stays small enough to typeset, and a bundle
//! small enough to join, within the build's bound (SECURITY.md, "Limits":
//! 1 GiB and 30 s per document on a 2-core machine). typst holds a whole
//! document in memory while it lays it out, and its cost grows with the text,
//! the number of elements, table cells, footnotes and decoded image pixels; a
//! bundle's PDF is held whole while it is joined, and its cost grows with its
//! parts' elements and image bytes. Each has a limit here; the numbers and the
//! measurements behind them are in SECURITY.md and BENCHMARKS.md
//! (`scripts/bench-bounds.py` builds each limit).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diag::{Code, Diagnostic, FileId, Span};
use crate::model::{Bundle, Curriculum};

use super::references::{self, Page, Text};
use super::{Index, image_file, unsafe_path};

/// Characters of Markdown in all the texts of one lesson or assessment: about
/// 50 printed pages of prose. The largest real lesson has 24 000.
pub const TEXT_CHARS: usize = 200_000;
/// Paragraphs, list items, table cells, headings, emphasis, links, code spans
/// and footnote marks, in all its texts (each front-matter text counts one
/// more, for the block it makes).
pub const ELEMENTS: usize = 8_000;
/// Cells of one table, the header row included.
pub const TABLE_CELLS: usize = 2_000;
/// Columns of one table: more do not fit across a letter-size page legibly.
pub const TABLE_COLUMNS: usize = 16;
/// Footnote marks in all its texts.
pub const FOOTNOTES: usize = 300;
/// Decoded pixels of the different raster images it shows (each is decoded
/// once, however often it is shown).
pub const IMAGE_PIXELS: u64 = 30_000_000;
/// Elements of all the lessons and assessments one bundle holds.
pub const BUNDLE_ELEMENTS: usize = 25_000;
/// Bytes of the different image files one bundle's lessons and assessments
/// show: their data is held whole while the bundle is joined.
pub const BUNDLE_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

/// Each lesson's and assessment's own limits.
pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    for page in references::pages(c) {
        out.extend(index.sizes.of(&page).0.iter().cloned());
    }
}

/// Each bundle's limits, over the lessons and assessments it holds.
pub fn bundles(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    let bundles: Vec<&Bundle> = c.settings.iter().flat_map(|s| &s.bundles).collect();
    if bundles.is_empty() {
        return;
    }
    // Pages come lessons first, then assessments, each in curriculum order.
    let pages = references::pages(c);
    let tallies: Vec<Arc<Measure>> = pages.iter().map(|page| index.sizes.of(page)).collect();
    let tallies: Vec<&Tally> = tallies.iter().map(|m| &m.1).collect();
    let (of_lessons, of_assessments) = tallies.split_at(c.lessons.len());
    let lessons = by_id(c.lessons.iter().map(|l| l.id.value.as_str()), of_lessons);
    let assessments = by_id(
        c.assessments.iter().map(|a| a.id.value.as_str()),
        of_assessments,
    );
    for bundle in bundles {
        let parts: Vec<&Tally> = crate::model::bundle::members(c, bundle)
            .iter()
            .filter_map(|l| lessons.get(l.id.value.as_str()).copied())
            .chain(
                crate::model::bundle::assessments(c, bundle)
                    .iter()
                    .filter_map(|a| assessments.get(a.id.value.as_str()).copied()),
            )
            .collect();
        out.extend(oversized_bundle(bundle, &parts));
    }
}

/// A page's findings and tally.
type Measure = (Vec<Diagnostic>, Tally);

/// Each page measured once, by its file, shared by [`check`] and
/// [`bundles`], and kept between checks by a caller that checks again after
/// an edit (the language server), which forgets what it edited: measuring
/// every lesson is most of the time a check of what crosses files takes.
#[derive(Default)]
pub struct Sizes {
    pages: Mutex<HashMap<FileId, Arc<OnceLock<Arc<Measure>>>>>,
}

impl Sizes {
    fn of(&self, page: &Page<'_>) -> Arc<Measure> {
        let cell = {
            let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(pages.entry(page.file).or_default())
        };
        Arc::clone(cell.get_or_init(|| Arc::new(measure(page))))
    }

    /// Drops what was measured of `file`, which changed.
    pub fn forget(&mut self, file: FileId) {
        self.pages
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&file);
    }
}

/// Each page's tally by its id, the ids in the order of the pages.
fn by_id<'a>(
    ids: impl Iterator<Item = &'a str>,
    tallies: &[&'a Tally],
) -> BTreeMap<&'a str, &'a Tally> {
    ids.zip(tallies.iter().copied()).collect()
}

/// What one page holds, counted as the limits count it.
#[derive(Default)]
struct Tally {
    chars: usize,
    elements: usize,
    footnotes: usize,
    /// The different image files it shows, with their sizes in bytes.
    images: BTreeMap<PathBuf, u64>,
    /// Where each running total first passed its limit.
    chars_over: Option<Span>,
    elements_over: Option<Span>,
    footnotes_over: Option<Span>,
}

fn measure(page: &Page<'_>) -> (Vec<Diagnostic>, Tally) {
    let mut tally = Tally::default();
    let mut found = Vec::new();
    // Titles first: they have no Markdown to point into.
    tally.chars = page.plain.iter().map(|(_, t)| t.chars().count()).sum();
    for text in &page.texts {
        tally.elements += usize::from(text.offset.is_none());
        count(text, &mut tally, &mut found);
    }
    let too_many_pixels = images(page, &mut tally);
    let what = page.what;
    let over = |span: Option<Span>, counted: usize, limit: usize, noun: &str, hint: &str| {
        span.map(|span| {
            Diagnostic::new(
                Code::DocumentSize,
                span,
                format!("this {what} has {counted} {noun}; the limit is {limit}"),
            )
            .with_label("the limit is passed here")
            .with_hint(hint.to_owned())
        })
    };
    found.extend(over(
        tally.chars_over.take(),
        tally.chars,
        TEXT_CHARS,
        "characters of text",
        "split it into several lessons or assessments (a unit of several lessons prints as one bundle)",
    ));
    found.extend(over(
        tally.elements_over.take(),
        tally.elements,
        ELEMENTS,
        "paragraphs, list items, table cells and other elements",
        "split it into several lessons, or put long lists and tables in a file students download",
    ));
    found.extend(over(
        tally.footnotes_over.take(),
        tally.footnotes,
        FOOTNOTES,
        "footnotes",
        "write fewer notes, or move sources to a reading list at the end",
    ));
    found.extend(too_many_pixels);
    (found, tally)
}

/// A bundle's parts, summed against [`BUNDLE_ELEMENTS`] and
/// [`BUNDLE_IMAGE_BYTES`]; reported at the bundle's id.
fn oversized_bundle(bundle: &Bundle, parts: &[&Tally]) -> Vec<Diagnostic> {
    let elements: usize = parts.iter().map(|t| t.elements).sum();
    let images: BTreeMap<&PathBuf, u64> = parts
        .iter()
        .flat_map(|t| &t.images)
        .map(|(p, b)| (p, *b))
        .collect();
    let bytes: u64 = images.values().sum();
    let id = &bundle.id.value;
    let split = "split it into smaller bundles: by `levels`, or by listing `lessons`";
    let mut found = Vec::new();
    if elements > BUNDLE_ELEMENTS {
        found.push(
            Diagnostic::new(
                Code::DocumentSize,
                bundle.id.span.clone(),
                format!(
                    "bundle `{id}` holds {elements} paragraphs, list items, table cells and other elements in all; the limit is {BUNDLE_ELEMENTS}"
                ),
            )
            .with_label("too large to join into one PDF")
            .with_hint(split),
        );
    }
    if bytes > BUNDLE_IMAGE_BYTES {
        found.push(
            Diagnostic::new(
                Code::DocumentSize,
                bundle.id.span.clone(),
                format!(
                    "bundle `{id}` shows {} of images in all; the limit is {}",
                    crate::load::megabytes(bytes),
                    crate::load::megabytes(BUNDLE_IMAGE_BYTES)
                ),
            )
            .with_label("too large to join into one PDF")
            .with_hint(format!(
                "{split}; or make the images smaller (JPEG for photos)"
            )),
        );
    }
    found
}

/// Adds one Markdown text to the tally and reports its oversized tables.
fn count(text: &Text<'_>, tally: &mut Tally, found: &mut Vec<Diagnostic>) {
    let chars_before = tally.chars;
    tally.chars += text.markdown.chars().count();
    if chars_before <= TEXT_CHARS && tally.chars > TEXT_CHARS && tally.chars_over.is_none() {
        let at = text
            .markdown
            .char_indices()
            .nth(TEXT_CHARS - chars_before)
            .map_or(0, |(i, _)| i);
        tally.chars_over = Some(text.span(&(at..at)));
    }
    let mut table: Option<(Range<usize>, usize, usize)> = None;
    for (event, range) in
        Parser::new_ext(text.markdown, crate::render::markdown_options()).into_offset_iter()
    {
        let element = matches!(
            event,
            Event::Start(_)
                | Event::Code(_)
                | Event::FootnoteReference(_)
                | Event::HardBreak
                | Event::TaskListMarker(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
        );
        if element {
            tally.elements += 1;
            if tally.elements == ELEMENTS + 1 {
                tally.elements_over = Some(text.span(&range));
            }
        }
        match event {
            Event::FootnoteReference(_) => {
                tally.footnotes += 1;
                if tally.footnotes == FOOTNOTES + 1 {
                    tally.footnotes_over = Some(text.span(&range));
                }
            }
            Event::Start(Tag::Table(alignments)) => table = Some((range, alignments.len(), 0)),
            Event::Start(Tag::TableCell) => {
                if let Some((_, _, cells)) = table.as_mut() {
                    *cells += 1;
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((range, columns, cells)) = table.take() {
                    found.extend(oversized_table(text, &range, columns, cells));
                }
            }
            _ => {}
        }
    }
}

fn oversized_table(
    text: &Text<'_>,
    range: &Range<usize>,
    columns: usize,
    cells: usize,
) -> Option<Diagnostic> {
    // The table's first line: the whole table would fill the terminal.
    let first_line = text.markdown[range.clone()]
        .find('\n')
        .map_or(range.clone(), |at| range.start..range.start + at);
    let place = text.place();
    let (message, hint) = if columns > TABLE_COLUMNS {
        (
            format!("a table{place} has {columns} columns; the limit is {TABLE_COLUMNS}"),
            "split it into tables of fewer columns, or turn it so rows are the long side",
        )
    } else if cells > TABLE_CELLS {
        (
            format!("a table{place} has {cells} cells; the limit is {TABLE_CELLS}"),
            "split it into several tables, or keep the full chart in a file students download",
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::new(Code::DocumentSize, text.span(&first_line), message)
            .with_label("too large to typeset")
            .with_hint(hint),
    )
}

/// The decoded pixels of the page's different raster images, against
/// [`IMAGE_PIXELS`]; reported at the image that passes it.
fn images(page: &Page<'_>, tally: &mut Tally) -> Option<Diagnostic> {
    let mut seen = BTreeSet::new();
    let mut pixels: u64 = 0;
    let mut over = None;
    for found in page.references() {
        let image = &found.reference;
        if !image.image || unsafe_path::written(image).is_some() {
            continue;
        }
        let path = page.file(&image.dest);
        if !seen.insert(path.clone()) {
            continue;
        }
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        tally.images.insert(path.clone(), bytes);
        // Unreadable, damaged or oversized files are C007's and C009's findings.
        pixels += image_file::pixels(&path).unwrap_or(0);
        if pixels > IMAGE_PIXELS && over.is_none() {
            over = Some(found.span);
        }
    }
    over.map(|span| {
        Diagnostic::new(
            Code::DocumentSize,
            span,
            format!(
                "this {}'s images have {} megapixels in all; the limit is {}",
                page.what,
                pixels / 1_000_000,
                IMAGE_PIXELS / 1_000_000
            ),
        )
        .with_label("the limit is passed here")
        .with_hint(
            "scale the images down: a page is 8.5 inches wide, so 2 500 pixels across is plenty",
        )
    })
}
