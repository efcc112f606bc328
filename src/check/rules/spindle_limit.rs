//! C023: every spindle speed a lesson's programs command stays within the
//! setup limit the lesson states (`spindle_limit`). A speed in rev/min (G97,
//! or any S on a mill) must not exceed it; a lathe's G50 clamp must not
//! exceed it either, and a whole program must set such a clamp before it
//! turns on constant surface speed (G96), whose S is a surface speed.

use crate::diag::{Code, Diagnostic, Span};
use crate::model::Curriculum;

use super::Index;
use super::gcode::{Block, Problem, gcode_blocks, words};

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        let Some(limit) = &lesson.spindle_limit else {
            continue;
        };
        for block in gcode_blocks(&lesson.body) {
            let Some((offset, (range, message, hint))) = first_over(&block, limit.value) else {
                continue;
            };
            let start = lesson.body_offset + offset;
            out.push(
                Diagnostic::new(
                    Code::SpindleLimit,
                    Span::new(lesson.file, start + range.start..start + range.end),
                    message,
                )
                .with_label("too fast for the setup")
                .with_hint(hint)
                .with_related(
                    limit.span.clone(),
                    format!("the setup limit the lesson states: {} rev/min", limit.value),
                ),
            );
        }
    }
}

/// The first place in `block` that can run the spindle faster than `limit`:
/// the line's offset in the body, and the problem on that line.
fn first_over(block: &Block<'_>, limit: u32) -> Option<(usize, Problem)> {
    let limit = f64::from(limit);
    // Constant surface speed and whether a clamp is set, as the control keeps them.
    let mut surface_speed = false;
    let mut clamped = false;
    for &(offset, line) in &block.lines {
        // Malformed lines are C004's to report.
        let Ok(words) = words(line) else { continue };
        let has_g = |code: f64| words.iter().any(|w| w.letter == 'G' && w.value == code);
        let clamping = has_g(50.0);
        if has_g(96.0) {
            surface_speed = true;
        }
        if has_g(97.0) {
            surface_speed = false;
        }
        for s in words.iter().filter(|w| w.letter == 'S') {
            let problem = if clamping {
                clamped = true;
                (s.value > limit).then(|| {
                    (
                        format!(
                            "the G50 clamp S{} lets the spindle reach {} rev/min, above the setup limit of {limit} rev/min",
                            s.value, s.value
                        ),
                        "clamp at or below the setup limit, for example `G50 S3000`",
                    )
                })
            } else if surface_speed {
                (block.is_program() && !clamped).then(|| {
                    (
                        format!(
                            "constant surface speed (G96 S{}) with no G50 clamp before it: the spindle speeds up without limit as the diameter shrinks",
                            s.value
                        ),
                        "set the clamp first, on its own line: `G50 S3000` (the setup limit or less), then `G96`",
                    )
                })
            } else {
                (s.value > limit).then(|| {
                    (
                        format!(
                            "S{} runs the spindle at {} rev/min, above the setup limit of {limit} rev/min",
                            s.value, s.value
                        ),
                        "lower the speed to the limit or less (and the feed with it, to keep the chip load), or correct `spindle_limit` if the setup allows more",
                    )
                })
            };
            if let Some((message, hint)) = problem {
                return Some((offset, (s.range.clone(), message, hint)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(program: &str) -> Option<String> {
        let body = format!("```gcode\n{program}\n```\n");
        let blocks = gcode_blocks(&body);
        first_over(&blocks[0], 3000).map(|(offset, (range, message, _))| {
            format!(
                "{} {message}",
                &body[offset + range.start..offset + range.end]
            )
        })
    }

    #[test]
    fn every_kind_of_speed_is_read_against_the_limit() {
        let clamped = "O1001\nG50 S3000\nG96 S600 M03\nG01 X0 F0.006\nG97 S3000 M03\nM30";
        assert_eq!(over(clamped), None);
        let found = |program: &str, word: &str, says: &str| {
            let finding = over(program).unwrap_or_else(|| panic!("{program}"));
            assert!(
                finding.starts_with(word) && finding.contains(says),
                "{finding}"
            );
        };
        found("O1001\nG97 S3056 M03", "S3056", "above the setup limit");
        found("O1001\nG50 S3500\nG96 S600 M03", "S3500", "G50 clamp S3500");
        found("O1001\nG96 S600 M03", "S600", "no G50 clamp");
        // G97 ends constant surface speed: its S is a speed again.
        found(
            "O1001\nG50 S3000\nG96 S600\nG97 S4000",
            "S4000",
            "4000 rev/min",
        );
        // A mill's S is always rev/min.
        found("O2001\nS8000 M03", "S8000", "above");
        // An excerpt may rely on a clamp set before it; a whole program may not.
        assert_eq!(over("G96 S600 M03\nG01 X0 F0.006"), None);
    }
}
