use std::ops::Range;

use codespan_reporting::files::{self, Files, SimpleFile};

/// A loaded file, by index into [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

impl FileId {
    /// Its place among the files of its [`Sources`], from 0 in the order added.
    pub fn index(self) -> usize {
        self.0
    }
}

/// The text of every file a run looked at, so any finding can be shown in context.
///
/// Paths are stored as they should be printed: relative to the working directory the
/// user gave `--root` from, with `/` separators, so CI annotations and editors can open
/// them.
#[derive(Default)]
pub struct Sources {
    files: Vec<SimpleFile<String, String>>,
}

/// A 1-based line and column; columns count Unicode scalar values, as codespan does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn add(&mut self, path: String, text: String) -> FileId {
        self.files.push(SimpleFile::new(path, text));
        FileId(self.files.len() - 1)
    }

    /// Gives a file new text under the same id, so that spans into every other
    /// file stay true: how an editor's unsaved buffer replaces what is on disk.
    pub fn replace(&mut self, id: FileId, text: String) {
        let path = self.path(id).to_owned();
        self.files[id.0] = SimpleFile::new(path, text);
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every file, in the order added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len()).map(FileId)
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

    pub(crate) fn codespan_id(id: FileId) -> usize {
        id.0
    }
}

/// codespan shows findings straight from the sources, by [`FileId`] index.
impl<'a> Files<'a> for Sources {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self.files.get(id).ok_or(files::Error::FileMissing)?.name())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(self
            .files
            .get(id)
            .ok_or(files::Error::FileMissing)?
            .source())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        self.files
            .get(id)
            .ok_or(files::Error::FileMissing)?
            .line_index((), byte_index)
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        self.files
            .get(id)
            .ok_or(files::Error::FileMissing)?
            .line_range((), line_index)
    }
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
