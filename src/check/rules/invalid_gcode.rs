//! C004: fenced ```gcode blocks must be well-formed programs for the lesson's control.
//!
//! A deliberately small reader of Fanuc-style word-address code: comments in
//! parentheses or after `;`, `%` tape marks, then address letters each followed by a
//! number. It knows the G and M codes of each supported control and tracks the two
//! modal facts the issue asks for: a feed before the first cutting move, a spindle
//! speed before the spindle starts.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Control, Curriculum, Lesson};

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        for block in gcode_blocks(&lesson.body) {
            let base = lesson.body_offset;
            let Some(control) = lesson.control else {
                out.push(
                    Diagnostic::new(
                        Code::InvalidGcode,
                        Span::new(
                            lesson.file,
                            base + block.fence.start..base + block.fence.end,
                        ),
                        format!(
                            "lesson `{}` has G-code but declares no `control`",
                            lesson.id.value
                        ),
                    )
                    .with_label("G-code block")
                    .with_hint(
                        "add `control: fanuc-mill` or `control: fanuc-lathe` to the front matter",
                    ),
                );
                break;
            };
            let mut program = Program::default();
            for (offset, line) in block.lines {
                if let Err((range, message, hint)) = program.line(line, control) {
                    out.push(finding(lesson, base + offset, range, message, hint));
                    break;
                }
            }
        }
    }
}

fn finding(
    lesson: &Lesson,
    line_start: usize,
    range: Range<usize>,
    message: String,
    hint: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidGcode,
        Span::new(
            lesson.file,
            line_start + range.start..line_start + range.end,
        ),
        message,
    )
    .with_label("here")
    .with_hint(hint)
}

struct Block<'a> {
    fence: Range<usize>,
    /// Each line of the block's text with its offset in the body.
    lines: Vec<(usize, &'a str)>,
}

fn gcode_blocks(body: &str) -> Vec<Block<'_>> {
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

/// The modal state that matters for the checks.
#[derive(Default)]
struct Program {
    feed: bool,
    speed: bool,
}

type Problem = (Range<usize>, String, &'static str);

impl Program {
    fn line(&mut self, line: &str, control: Control) -> Result<(), Problem> {
        let words = words(line)?;
        if words.iter().any(|w| w.letter == 'F') {
            self.feed = true;
        }
        if words.iter().any(|w| w.letter == 'S') {
            self.speed = true;
        }
        for word in &words {
            match word.letter {
                'G' => {
                    let code = known(word, control)?;
                    if matches!(code, 1..=3) && !self.feed {
                        return Err((
                            word.range.clone(),
                            format!(
                                "G{code:02} cuts at the programmed feed, but no feed (F) has been set"
                            ),
                            "give the first cutting move a feed, for example `G01 Z-0.1 F5.0`",
                        ));
                    }
                }
                'M' => {
                    let code = known(word, control)?;
                    if matches!(code, 3 | 4) && !self.speed {
                        return Err((
                            word.range.clone(),
                            format!(
                                "M{code:02} starts the spindle, but no spindle speed (S) has been set"
                            ),
                            "set the speed on or before this line, for example `S1200 M03`",
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

struct Word {
    letter: char,
    value: f64,
    text_has_point: bool,
    range: Range<usize>,
}

/// Splits a line into words, skipping comments and `%`; errors name the column.
fn words(line: &str) -> Result<Vec<Word>, Problem> {
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

/// A G or M word's code, if the control knows it.
fn known(word: &Word, control: Control) -> Result<u32, Problem> {
    let code = whole(word)?;
    let (codes, hint) = match word.letter {
        'G' => (
            known_g(control),
            "check the code against the control's manual; G and M codes differ between mills and lathes",
        ),
        _ => (
            known_m(control),
            "check the code against the control's manual",
        ),
    };
    if codes.contains(&code) {
        return Ok(code);
    }
    Err((
        word.range.clone(),
        format!(
            "{letter}{code:02} is not {article} {letter}-code the {} control knows",
            name(control),
            letter = word.letter,
            article = if word.letter == 'M' { "an" } else { "a" },
        ),
        hint,
    ))
}

fn whole(word: &Word) -> Result<u32, Problem> {
    if word.text_has_point || word.value < 0.0 || word.value > 999.0 {
        return Err((
            word.range.clone(),
            format!("`{}` codes are whole numbers", word.letter),
            "write G and M codes as whole numbers, such as `G01` or `M03`",
        ));
    }
    Ok(word.value as u32)
}

fn name(control: Control) -> &'static str {
    match control {
        Control::FanucMill => "fanuc-mill",
        Control::FanucLathe => "fanuc-lathe",
    }
}

/// The common Fanuc-style codes (see shared reference cnc-basics.md), plus the
/// canned cycles Fanuc controls add: G73/G74 peck drilling and reverse tapping on the
/// mill, G74/G75 peck drilling and grooving on the lathe. The lathe list is Fanuc's
/// lathe system A, where G90/G92/G94 are turning, threading and facing cycles and
/// distance mode is chosen by X/Z versus U/W addresses.
fn known_g(control: Control) -> &'static [u32] {
    match control {
        Control::FanucMill => &[
            0, 1, 2, 3, 4, 17, 18, 19, 20, 21, 28, 40, 41, 42, 43, 44, 49, 53, 54, 55, 56, 57, 58,
            59, 73, 74, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 98, 99,
        ],
        Control::FanucLathe => &[
            0, 1, 2, 3, 4, 18, 20, 21, 28, 32, 40, 41, 42, 50, 53, 54, 55, 56, 57, 58, 59, 70, 71,
            72, 74, 75, 76, 90, 92, 94, 96, 97, 98, 99,
        ],
    }
}

fn known_m(control: Control) -> &'static [u32] {
    match control {
        Control::FanucMill => &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30, 98, 99],
        Control::FanucLathe => &[0, 1, 2, 3, 4, 5, 7, 8, 9, 30, 98, 99],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &str, control: Control) -> Result<(), String> {
        let mut p = Program::default();
        for line in program.lines() {
            p.line(line, control).map_err(|(_, m, _)| m)?;
        }
        Ok(())
    }

    #[test]
    fn accepts_a_commented_mill_program() {
        let program = "%\nO1001 (FACE AND POCKET)\nG20 G17 G40 G49 G80 G90\nT1 M06 ; 1/2 END MILL\nG54 G00 X-0.6 Y0.\nS1200 M03\nG43 H01 Z0.1 M08\nG01 Z-0.05 F10.\nX4.6\nG02 X5. Y0.4 R0.4\nG00 Z1. M09\nG28 G91 Z0.\nM30\n%";
        assert_eq!(run(program, Control::FanucMill), Ok(()));
    }

    #[test]
    fn finds_the_classic_mistakes() {
        use Control::{FanucLathe as Lathe, FanucMill as Mill};
        let cases = [
            ("G01 X1.", Mill, "no feed"),
            ("M03", Mill, "no spindle speed"),
            ("G1O X1.", Mill, "not followed by a number"),
            ("G12 X1.", Mill, "G12 is not"),
            ("G96 S500", Mill, "G96 is not"),
            ("T0101 M06", Lathe, "M06 is not"),
            ("G00 X1. (open comment", Mill, "not closed"),
            ("#100=1", Mill, "unexpected `#`"),
            ("G01.5", Mill, "whole numbers"),
        ];
        for (program, control, expected) in cases {
            let error = run(program, control).expect_err(program);
            assert!(error.contains(expected), "{program}: {error}");
        }
        assert_eq!(run("G96 S500 M03", Lathe), Ok(()));
        assert_eq!(run("G75 X0.8 Z-0.5 P500 Q100 F0.004", Lathe), Ok(()));
        assert_eq!(run("G73 X1. Y1. Z-0.5 R0.1 Q0.1 F5.", Mill), Ok(()));
    }

    #[test]
    fn finds_blocks_with_their_offsets() {
        let body = "Text\n\n```gcode\nG00 X0\nG01 X1 F5\n```\n\n```text\nG99\n```\n";
        let blocks = gcode_blocks(body);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].lines[1], (body.find("G01").unwrap(), "G01 X1 F5"));
        assert_eq!(&body[blocks[0].fence.clone()], "```gcode");
    }
}
