//! C004: fenced ```gcode blocks must be well-formed programs for the lesson's control.
//!
//! A deliberately small reader of Fanuc-style word-address code: comments in
//! parentheses or after `;`, `%` tape marks, then address letters each followed by a
//! number. It knows the G and M codes of each supported control and tracks the two
//! modal facts the issue asks for: a feed before the first cutting move, a spindle
//! speed before the spindle starts.

use std::ops::Range;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::{Control, Curriculum, Lesson};

use super::Index;
use super::gcode::{Problem, Word, gcode_blocks, words};

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

/// The modal state that matters for the checks.
#[derive(Default)]
struct Program {
    feed: bool,
    speed: bool,
}

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
}
