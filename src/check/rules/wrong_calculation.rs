//! C003: recompute every calculation a lesson declares and compare with its answer.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use crate::diag::{Code, Diagnostic};
use crate::model::{CalculationKind, Curriculum};

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    for lesson in &c.lessons {
        for calc in &lesson.calculations {
            // Missing inputs are schema findings already; nothing to recompute.
            let Some((exact, formula)) = evaluate(calc.kind, &calc.inputs) else {
                continue;
            };
            let stated = calc.answer.value;
            let off = (stated - exact).abs();
            if !exact.is_finite() || off > calc.tolerance + 1e-9 {
                out.push(
                    Diagnostic::new(
                        Code::WrongCalculation,
                        calc.answer.span.clone(),
                        format!(
                            "calculation `{}`: {formula} = {}, but the stated answer is {} (off by {}, tolerance ±{})",
                            calc.id.value,
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

/// The exact result and the formula with its numbers, for the message.
pub(super) fn evaluate(
    kind: CalculationKind,
    inputs: &BTreeMap<String, f64>,
) -> Option<(f64, String)> {
    let get = |name: &str| inputs.get(name).copied();
    let n = |x: f64| round(x).to_string();
    Some(match kind {
        CalculationKind::SpindleRpm => {
            let (sfm, d) = (get("surface_speed_sfm")?, get("diameter_in")?);
            (
                12.0 * sfm / (PI * d),
                format!("12 × {} / (π × {})", n(sfm), n(d)),
            )
        }
        CalculationKind::SpindleRpmMetric => {
            let (vc, d) = (get("cutting_speed_m_min")?, get("diameter_mm")?);
            (
                1000.0 * vc / (PI * d),
                format!("1000 × {} / (π × {})", n(vc), n(d)),
            )
        }
        CalculationKind::SurfaceSpeed => {
            let (rpm, d) = (get("rpm")?, get("diameter_in")?);
            (
                rpm * PI * d / 12.0,
                format!("{} × π × {} / 12", n(rpm), n(d)),
            )
        }
        CalculationKind::FeedRate => {
            let (rpm, flutes, chip) = (get("rpm")?, get("flutes")?, get("chip_load_in")?);
            (
                rpm * flutes * chip,
                format!("{} × {} × {}", n(rpm), n(flutes), n(chip)),
            )
        }
        CalculationKind::FeedPerRev => {
            let (ipm, rpm) = (get("feed_ipm")?, get("rpm")?);
            (ipm / rpm, format!("{} / {}", n(ipm), n(rpm)))
        }
        CalculationKind::CuttingTime => {
            let (length, ipm) = (get("length_in")?, get("feed_ipm")?);
            (length / ipm, format!("{} / {}", n(length), n(ipm)))
        }
        CalculationKind::InchToMm => {
            let inches = get("inches")?;
            (inches * 25.4, format!("{} × 25.4", n(inches)))
        }
        CalculationKind::MmToInch => {
            let mm = get("millimetres")?;
            (mm / 25.4, format!("{} / 25.4", n(mm)))
        }
        CalculationKind::UpperLimit => {
            let (nominal, plus) = (get("nominal")?, get("plus")?);
            (nominal + plus, format!("{} + {}", n(nominal), n(plus)))
        }
        CalculationKind::LowerLimit => {
            let (nominal, minus) = (get("nominal")?, get("minus")?);
            (nominal - minus, format!("{} − {}", n(nominal), n(minus)))
        }
        CalculationKind::TaperPerFoot => {
            let (large, small, length) = (
                get("large_diameter_in")?,
                get("small_diameter_in")?,
                get("length_in")?,
            );
            (
                (large - small) * 12.0 / length,
                format!("({} − {}) × 12 / {}", n(large), n(small), n(length)),
            )
        }
    })
}

/// Four decimals show a ten-thousandth of an inch, the finest unit in the shop, and
/// keep messages short.
fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(kind: CalculationKind, pairs: &[(&str, f64)]) -> f64 {
        let inputs = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        evaluate(kind, &inputs).unwrap().0
    }

    #[test]
    fn matches_the_reference_worked_examples() {
        // cnc-basics.md: 0.5 in, 2 flutes, 100 SFM, 0.002 in/tooth -> 763.94 RPM, 3.056 IPM
        let rpm = eval(
            CalculationKind::SpindleRpm,
            &[("surface_speed_sfm", 100.0), ("diameter_in", 0.5)],
        );
        assert!((rpm - 763.94).abs() < 0.01);
        let ipm = eval(
            CalculationKind::FeedRate,
            &[("rpm", rpm), ("flutes", 2.0), ("chip_load_in", 0.002)],
        );
        assert!((ipm - 3.056).abs() < 0.001);
        assert_eq!(
            eval(
                CalculationKind::FeedRate,
                &[("rpm", 800.0), ("flutes", 2.0), ("chip_load_in", 0.001)]
            ),
            1.6
        );
        assert_eq!(eval(CalculationKind::InchToMm, &[("inches", 0.5)]), 12.7);
        assert!(
            (eval(
                CalculationKind::TaperPerFoot,
                &[
                    ("large_diameter_in", 1.0),
                    ("small_diameter_in", 0.75),
                    ("length_in", 3.0)
                ]
            ) - 1.0)
                .abs()
                < 1e-12
        );
    }

    #[test]
    fn missing_inputs_are_not_evaluated() {
        assert!(evaluate(CalculationKind::SpindleRpm, &BTreeMap::new()).is_none());
    }
}
