//! Reading the ```gcode blocks of a lesson, for the rules that check them: the
//! blocks with each line's offset in the body, and each line's address words.
//! A deliberately small reader of Fanuc-style word-address code: comments in
//! parentheses or after `;`, `%` tape marks, then address letters each
//! followed by a number.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// What is wrong with a line: the columns, the message and a hint.
pub type Problem = (Range<usize>, String, &'static str);

pub struct Block<'a> {
    pub fence: Range<usize>,
    /// Each line of the block's text with its offset in the body.
    pub lines: Vec<(usize, &'a str)>,
}

pub fn gcode_blocks(body: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("gcode") =>
            {
                let fence_end = body[range.start..]
                    .find('\n')
                    .map_or(range.end, |i| range.start + i);
                current = Some(Block {
                    fence: range.start..fence_end,
                    lines: Vec::new(),
                });
            }
            Event::Text(_) if current.is_some() => {
                let block = current.as_mut().expect("checked above");
                let mut offset = range.start;
                for line in body[range].split_inclusive('\n') {
                    block
                        .lines
                        .push((offset, line.trim_end_matches(['\n', '\r'])));
                    offset += line.len();
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

impl Block<'_> {
    /// Whether the block is a whole program (it starts with a program number)
    /// rather than an excerpt of one.
    pub fn is_program(&self) -> bool {
        self.lines
            .iter()
            .map(|(_, l)| l.trim())
            .find(|l| !l.is_empty() && *l != "%")
            .and_then(|l| l.strip_prefix(['O', 'o']))
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    }
}

pub struct Word {
    pub letter: char,
    pub value: f64,
    pub text_has_point: bool,
    pub range: Range<usize>,
}

/// Splits a line into words, skipping comments and `%`; errors name the column.
pub fn words(line: &str) -> Result<Vec<Word>, Problem> {
    let bytes = line.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        match c {
            ' ' | '\t' | '%' => i += 1,
            ';' => break,
            '(' => match line[i..].find(')') {
                Some(end) => i += end + 1,
                None => {
                    return Err((
                        i..line.len(),
                        "comment is not closed: `(` without `)`".to_owned(),
                        "close the comment with `)` on the same line",
                    ));
                }
            },
            c if c.is_ascii_alphabetic() => {
                let start = i;
                i += 1;
                let number_start = i;
                if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
                    i += 1;
                }
                while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                    i += 1;
                }
                let number = &line[number_start..i];
                let letter = c.to_ascii_uppercase();
                let value = number
                    .parse::<f64>()
                    .ok()
                    .filter(|_| number.bytes().any(|b| b.is_ascii_digit()));
                let Some(value) = value.filter(|_| number.matches('.').count() <= 1) else {
                    return Err((
                        start..i.max(start + 1),
                        format!("address `{letter}` is not followed by a number"),
                        "every word is a letter and a number, such as `X1.25` or `G01`; a letter O in place of a zero is a common slip",
                    ));
                };
                words.push(Word {
                    letter,
                    value,
                    text_has_point: number.contains('.'),
                    range: start..i,
                });
            }
            _ => {
                let len = line[i..].chars().next().map_or(1, char::len_utf8);
                return Err((
                    i..i + len,
                    format!("unexpected `{}` in G-code", &line[i..i + len]),
                    "a G-code line holds address words, `(comments)` and `;` comments only; macro variables are not supported",
                ));
            }
        }
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_with_their_offsets() {
        let body = "Text\n\n```gcode\nG00 X0\nG01 X1 F5\n```\n\n```text\nG99\n```\n";
        let blocks = gcode_blocks(body);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].lines[1], (body.find("G01").unwrap(), "G01 X1 F5"));
        assert_eq!(&body[blocks[0].fence.clone()], "```gcode");
    }

    #[test]
    fn a_block_starting_with_a_program_number_is_a_program() {
        let body = "```gcode\n%\nO1001 (FACE)\nG00 X0\n```\n\n```gcode\nG01 X1 F5\n```\n";
        let blocks = gcode_blocks(body);
        assert!(blocks[0].is_program());
        assert!(!blocks[1].is_program());
    }
}
