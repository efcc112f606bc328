//! Positions as editors count them. cib's spans are byte offsets; the
//! protocol's positions are a zero-based line and a column in UTF-16 code
//! units, or in bytes when the client says it can (UTF-8).

use std::ops::Range;

use serde_json::{Value, json};

/// How columns are counted, agreed at start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of a text starts, as the protocol ends lines: at `\n`,
/// `\r\n` or a lone `\r`.
pub struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut at = 0;
        while at < bytes.len() {
            match bytes[at] {
                b'\n' => starts.push(at + 1),
                b'\r' if bytes.get(at + 1) != Some(&b'\n') => starts.push(at + 1),
                _ => {}
            }
            at += 1;
        }
        Lines { text, starts }
    }

    /// The line and column of a byte offset, clamped into the text.
    pub fn position(&self, offset: usize, encoding: Encoding) -> (u32, u32) {
        let offset = boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let column = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        (to_u32(line), to_u32(column))
    }

    /// The byte offset of a line and column. A line past the end is the end;
    /// a column past its line's end is that end, and one inside a character
    /// (or a UTF-16 pair) is where that character starts: what the protocol
    /// asks of a server given a position it cannot use as it is.
    pub fn offset(&self, line: u32, column: u32, encoding: Encoding) -> usize {
        let Some(&start) = self.starts.get(line as usize) else {
            return self.text.len();
        };
        let end = self.line_end(line as usize);
        let mut counted = 0;
        for (at, ch) in self.text[start..end].char_indices() {
            let width = match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
            };
            if counted + width > column as usize {
                return start + at;
            }
            counted += width;
        }
        end
    }

    /// Where a line's text ends, before its line break.
    fn line_end(&self, line: usize) -> usize {
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = &self.text[self.starts[line]..next];
        let kept = text.trim_end_matches(['\n', '\r']).len();
        self.starts[line] + kept
    }

    /// A byte range as a protocol `Range`.
    pub fn range(&self, range: &Range<usize>, encoding: Encoding) -> Value {
        let (a, b) = (
            self.position(range.start, encoding),
            self.position(range.end, encoding),
        );
        json!({
            "start": {"line": a.0, "character": a.1},
            "end": {"line": b.0, "character": b.1},
        })
    }

    /// A protocol `Range` as a byte range (ends swapped if given backwards).
    pub fn bytes(&self, range: &Value, encoding: Encoding) -> Option<Range<usize>> {
        let a = self.offset_of(range.get("start")?, encoding)?;
        let b = self.offset_of(range.get("end")?, encoding)?;
        Some(a.min(b)..a.max(b))
    }

    /// A protocol `Position` as a byte offset.
    pub fn offset_of(&self, position: &Value, encoding: Encoding) -> Option<usize> {
        let line = position.get("line")?.as_u64()?;
        let column = position.get("character")?.as_u64()?;
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Some(self.offset(clamp(line), clamp(column), encoding))
    }
}

/// Applies one `contentChanges` entry: the whole text, or a range replaced.
pub fn apply(text: &mut String, change: &Value, encoding: Encoding) -> Option<()> {
    let new = change.get("text")?.as_str()?;
    match change.get("range") {
        None | Some(Value::Null) => *text = new.to_owned(),
        Some(range) => {
            let range = Lines::new(text).bytes(range, encoding)?;
            text.replace_range(range, new);
        }
    }
    Some(())
}

fn boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let text = "a: é—𝑥b\r\nz\rq";
        let lines = Lines::new(text);
        let b = text.find('b').unwrap();
        // é and — are one UTF-16 unit each, 𝑥 is two; in bytes 2, 3 and 4.
        assert_eq!(lines.position(b, Encoding::Utf16), (0, 7));
        assert_eq!(lines.position(b, Encoding::Utf8), (0, 12));
        assert_eq!(lines.offset(0, 7, Encoding::Utf16), b);
        assert_eq!(lines.offset(0, 12, Encoding::Utf8), b);
        // A lone \r ends a line too.
        assert_eq!(lines.position(text.len() - 1, Encoding::Utf16), (2, 0));
    }

    #[test]
    fn positions_out_of_reach_are_clamped_not_trusted() {
        let text = "ab𝑥\nc";
        let lines = Lines::new(text);
        // Inside the surrogate pair of 𝑥: where 𝑥 starts.
        assert_eq!(lines.offset(0, 3, Encoding::Utf16), 2);
        // Past the line's end: the end, before the break.
        assert_eq!(lines.offset(0, 99, Encoding::Utf16), 6);
        // Past the last line: the end of the text.
        assert_eq!(lines.offset(9, 0, Encoding::Utf16), text.len());
        // Inside a character's bytes, for a UTF-8 client.
        assert_eq!(lines.offset(0, 3, Encoding::Utf8), 2);
    }

    #[test]
    fn edits_apply_by_range_or_whole() {
        let mut text = "teaches: [MTT-1]\n".to_owned();
        let change = json!({"range": {"start": {"line": 0, "character": 14},
            "end": {"line": 0, "character": 15}}, "text": "7"});
        apply(&mut text, &change, Encoding::Utf16).unwrap();
        assert_eq!(text, "teaches: [MTT-7]\n");
        // Backwards ends are swapped, not a panic.
        let change = json!({"range": {"start": {"line": 0, "character": 15},
            "end": {"line": 0, "character": 10}}, "text": ""});
        apply(&mut text, &change, Encoding::Utf16).unwrap();
        assert_eq!(text, "teaches: []\n");
        apply(&mut text, &json!({"text": "new"}), Encoding::Utf16).unwrap();
        assert_eq!(text, "new");
        assert!(apply(&mut text, &json!({"range": {}}), Encoding::Utf16).is_none());
    }
}
