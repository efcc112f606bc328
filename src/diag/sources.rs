use std::ops::Range;

use codespan_reporting::files::{self, Files, SimpleFiles};

/// A loaded file, by index into [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

/// The text of every file a run looked at, so any finding can be shown in context.
///
/// Paths are stored as they should be printed: relative to the working directory the
/// user gave `--root` from, with `/` separators, so CI annotations and editors can open
/// them.
#[derive(Default)]
pub struct Sources {
    files: SimpleFiles<String, String>,
    count: usize,
}

/// A 1-based line and column; columns count Unicode scalar values, as codespan does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.add(path, text);
        self.count += 1;
        FileId(self.count - 1)
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Every file, in the order added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.count).map(FileId)
    }

    pub fn path(&self, id: FileId) -> &str {
        self.file(id).name()
    }

    pub fn text(&self, id: FileId) -> &str {
        self.file(id).source()
    }

    fn file(&self, id: FileId) -> &files::SimpleFile<String, String> {
        self.files
            .get(id.0)
            .expect("FileId is only made by Sources::add")
    }

    /// The line and column of a byte offset (clamped to the file's end).
    pub fn position(&self, id: FileId, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text(id), offset);
        let loc = self
            .files
            .location(id.0, offset)
            .expect("offset is clamped into the file");
        Position {
            line: loc.line_number,
            column: loc.column_number,
        }
    }

    /// The range clamped into the file and onto character boundaries.
    pub fn clamp(&self, id: FileId, range: &Range<usize>) -> Range<usize> {
        let text = self.text(id);
        let start = clamp_to_char_boundary(text, range.start);
        let end = clamp_to_char_boundary(text, range.end.max(start));
        start..end
    }

    pub(crate) fn codespan(&self) -> &SimpleFiles<String, String> {
        &self.files
    }

    pub(crate) fn codespan_id(id: FileId) -> usize {
        id.0
    }
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
