//! C003: every calculation a lesson declares, recomputed, agrees with its answer.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    for (lesson, results) in c.lessons.iter().zip(index.calculations()) {
        for (calc, result) in lesson.calculations.iter().zip(results) {
            // One that cannot be recomputed is C026's.
            let Ok(outcome) = result else {
                continue;
            };
            let exact = outcome.exact;
            let stated = calc.answer.value;
            let off = (stated - exact).abs();
            if off > calc.tolerance + 1e-9 {
                let unit = match outcome.unit.as_str() {
                    "1" => String::new(),
                    unit => format!(" {unit}"),
                };
                out.push(
                    Diagnostic::new(
                        Code::WrongCalculation,
                        calc.answer.span.clone(),
                        format!(
                            "calculation `{}`: {} gives {}{unit}, but the stated answer is {} (off by {}, tolerance ±{})",
                            calc.id.value,
                            outcome.working,
                            round(exact),
                            round(stated),
                            round(off),
                            round(calc.tolerance)
                        ),
                    )
                    .with_label(format!("expected {} ± {}", round(exact), round(calc.tolerance)))
                    .with_hint(
                        "correct the answer and the lesson text that shows it, or widen `tolerance` if the lesson rounds on purpose",
                    ),
                );
            }
        }
    }
}

/// Four decimals show a ten-thousandth of an inch, the finest unit in the shop, and
/// keep messages short.
fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
