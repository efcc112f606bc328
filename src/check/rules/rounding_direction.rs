//! C024: a calculation that says which way its answer was rounded must be
//! rounded that way. A converted tolerance rounded up is wider than the
//! print allows, a lower limit rounded down lets a bad part pass: the
//! answer is within C003's tolerance either way, so only the direction
//! catches it.

use crate::diag::{Code, Diagnostic};
use crate::model::{Curriculum, Rounding};

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    for (lesson, results) in c.lessons.iter().zip(index.calculations()) {
        for (calc, result) in lesson.calculations.iter().zip(results) {
            let (Some(rounding), Ok(outcome)) = (calc.rounding, result) else {
                continue;
            };
            let exact = outcome.exact;
            let stated = calc.answer.value;
            let places = calc.answer_places;
            // A hair of slack for binary fractions: 0.1 + 0.2 is not 0.3.
            let slack = 1e-9 * exact.abs().max(1.0);
            let (wrong, word, right) = match rounding {
                Rounding::Down => (stated > exact + slack, "down", floor(exact, places)),
                Rounding::Up => (stated < exact - slack, "up", ceil(exact, places)),
            };
            if wrong {
                out.push(
                    Diagnostic::new(
                        Code::RoundingDirection,
                        calc.answer.span.clone(),
                        format!(
                            "calculation `{}` is rounded {word}, but {} is {} the exact {}: rounded {word} to {places} decimal places it is {}",
                            calc.id.value,
                            show(stated, places),
                            if word == "down" { "above" } else { "below" },
                            show(exact, places + 3),
                            show(right, places),
                        ),
                    )
                    .with_label(format!("should be {}", show(right, places)))
                    .with_hint(
                        "correct the answer and the lesson text that shows it, or the `rounding` if the lesson rounds the other way",
                    ),
                );
            }
        }
    }
}

fn floor(value: f64, places: usize) -> f64 {
    let scale = 10f64.powi(places as i32);
    (value * scale + 1e-9).floor() / scale
}

fn ceil(value: f64, places: usize) -> f64 {
    let scale = 10f64.powi(places as i32);
    (value * scale - 1e-9).ceil() / scale
}

fn show(value: f64, places: usize) -> String {
    format!("{value:.places$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directed_rounding_agrees_with_the_shop() {
        assert_eq!(show(floor(0.001_968_5, 4), 4), "0.0019");
        assert_eq!(show(ceil(0.785_433, 4), 4), "0.7855");
        // Already on the grid: no step either way.
        assert_eq!(show(floor(0.75, 2), 2), "0.75");
        assert_eq!(show(ceil(0.75, 2), 2), "0.75");
    }
}
