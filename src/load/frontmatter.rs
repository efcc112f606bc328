//! Splits a lesson into YAML front matter and Markdown body, keeping byte offsets so
//! findings in either part point at the right line of the original file.

use std::ops::Range;

/// Where the two parts of a lesson are, as byte ranges of the file's text.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
}

/// Why a lesson could not be split.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` line (its range) has no closing partner.
    Unterminated(Range<usize>),
}

/// Front matter is the text between a first line `---` and the next line that is
/// `---` or `...` (trailing spaces and a CR allowed).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = lines_with_offsets(text);
    let (first_start, first) = lines.next().ok_or(SplitError::Missing)?;
    if !is_fence(first, &["---"]) {
        return Err(SplitError::Missing);
    }
    let open_end = first_start + first.len();
    let yaml_start = next_line_start(text, open_end);
    for (start, line) in lines {
        if is_fence(line, &["---", "..."]) {
            let body_start = next_line_start(text, start + line.len());
            return Ok(Split {
                front_matter: yaml_start..start,
                body: body_start..text.len(),
            });
        }
    }
    Err(SplitError::Unterminated(first_start..open_end))
}

fn is_fence(line: &str, fences: &[&str]) -> bool {
    let trimmed = line.trim_end_matches([' ', '\t', '\r']);
    fences.contains(&trimmed)
}

/// Lines without their `\n`, each with its byte offset.
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.strip_suffix('\n').unwrap_or(raw))
    })
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    if text[line_end..].starts_with('\n') {
        line_end + 1
    } else {
        line_end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_offsets() {
        let text = "---\nid: a\n---\n# Body\n";
        let split = split(text).unwrap();
        assert_eq!(&text[split.front_matter], "id: a\n");
        assert_eq!(&text[split.body], "# Body\n");
    }

    #[test]
    fn accepts_crlf_and_dots() {
        let text = "---\r\nid: a\r\n...\r\nbody";
        let split = split(text).unwrap();
        assert_eq!(&text[split.front_matter], "id: a\r\n");
        assert_eq!(&text[split.body], "body");
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\nid: a\n"), Err(SplitError::Unterminated(0..3)));
    }
}
