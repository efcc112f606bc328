//! Checked formulas: an expression over named inputs with units, evaluated by a
//! unit-aware calculator (fend), so any trade's numbers can be recomputed and a
//! formula whose units do not add up is found before a student copies it.
//!
//! Units are the calculator's (SI and US customary) plus the few a shop says that
//! it does not know. Because the calculator converts units itself, a formula is
//! written as physics (`voltage * current / travel_speed` in kJ/in), without the
//! conversion constants of a hand-calculation (× 60 / 1000).

use std::sync::atomic::{AtomicU32, Ordering};

use crate::model::Formula;
pub use crate::model::Given;

/// A formula as the engine reads it, from the curriculum's library or built in.
pub struct Definition<'a> {
    /// What the formula computes, in words; empty for a lesson's own expression.
    pub title: &'a str,
    pub inputs: Vec<(&'a str, &'a str)>,
    pub expression: &'a str,
    pub unit: &'a str,
}

/// A formula every curriculum has: the machining calculations cib checked before
/// formulas were data. Input names are kept as lessons write them.
pub struct Builtin {
    pub name: &'static str,
    pub title: &'static str,
    pub inputs: &'static [(&'static str, &'static str)],
    pub expression: &'static str,
    pub unit: &'static str,
}

/// The built-in library. Written with units like any other formula: the 12 of
/// "12 × SFM / (π × D)" is the feet-to-inches the calculator does itself.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "spindle-rpm",
        title: "Spindle speed from surface speed and diameter",
        inputs: &[("surface_speed_sfm", "ft/min"), ("diameter_in", "in")],
        expression: "surface_speed_sfm / (pi * diameter_in)",
        unit: "rpm",
    },
    Builtin {
        name: "spindle-rpm-metric",
        title: "Spindle speed from metric cutting speed and diameter",
        inputs: &[("cutting_speed_m_min", "m/min"), ("diameter_mm", "mm")],
        expression: "cutting_speed_m_min / (pi * diameter_mm)",
        unit: "rpm",
    },
    Builtin {
        name: "surface-speed",
        title: "Surface speed from spindle speed and diameter",
        inputs: &[("rpm", "rpm"), ("diameter_in", "in")],
        expression: "rpm * pi * diameter_in",
        unit: "ft/min",
    },
    Builtin {
        name: "feed-rate",
        title: "Table feed from spindle speed, flutes and chip load",
        inputs: &[("rpm", "rpm"), ("flutes", "1"), ("chip_load_in", "in")],
        expression: "rpm * flutes * chip_load_in",
        unit: "in/min",
    },
    Builtin {
        name: "feed-per-rev",
        title: "Feed per revolution from table feed and spindle speed",
        inputs: &[("feed_ipm", "in/min"), ("rpm", "rpm")],
        expression: "feed_ipm / rpm",
        unit: "in",
    },
    Builtin {
        name: "feed-from-ipr",
        title: "Feed per minute from spindle speed and feed per revolution",
        inputs: &[("rpm", "rpm"), ("feed_per_rev_in", "in")],
        expression: "rpm * feed_per_rev_in",
        unit: "in/min",
    },
    Builtin {
        name: "thread-feed",
        title: "Tapping or threading feed: spindle speed times the thread's lead (its pitch, for a single-start thread)",
        inputs: &[("rpm", "rpm"), ("lead_in", "in")],
        expression: "rpm * lead_in",
        unit: "in/min",
    },
    Builtin {
        name: "cutting-time",
        title: "Minutes for a cut of a length at a feed",
        inputs: &[("length_in", "in"), ("feed_ipm", "in/min")],
        expression: "length_in / feed_ipm",
        unit: "min",
    },
    Builtin {
        name: "inch-to-mm",
        title: "Millimetres from inches",
        inputs: &[("inches", "in")],
        expression: "inches",
        unit: "mm",
    },
    Builtin {
        name: "mm-to-inch",
        title: "Inches from millimetres",
        inputs: &[("millimetres", "mm")],
        expression: "millimetres",
        unit: "in",
    },
    Builtin {
        name: "upper-limit",
        title: "Upper limit of size: nominal plus the plus tolerance",
        inputs: &[("nominal", "1"), ("plus", "1")],
        expression: "nominal + plus",
        unit: "1",
    },
    Builtin {
        name: "lower-limit",
        title: "Lower limit of size: nominal minus the minus tolerance (a positive number)",
        inputs: &[("nominal", "1"), ("minus", "1")],
        expression: "nominal - minus",
        unit: "1",
    },
    Builtin {
        name: "taper-per-foot",
        title: "Taper per foot from the two diameters and the length",
        inputs: &[
            ("large_diameter_in", "in"),
            ("small_diameter_in", "in"),
            ("length_in", "in"),
        ],
        expression: "(large_diameter_in - small_diameter_in) / length_in",
        unit: "in/ft",
    },
];

/// The formula called `name`: the curriculum's own first, then the built-ins.
pub fn lookup<'a>(library: &'a [Formula], name: &str) -> Option<Definition<'a>> {
    if let Some(f) = library.iter().find(|f| f.name.value == name) {
        return Some(Definition {
            title: &f.title,
            inputs: f
                .inputs
                .iter()
                .map(|i| (i.value.0.as_str(), i.value.1.as_str()))
                .collect(),
            expression: &f.expression.value,
            unit: &f.unit.value,
        });
    }
    BUILTIN.iter().find(|b| b.name == name).map(|b| Definition {
        title: b.title,
        inputs: b.inputs.to_vec(),
        expression: b.expression,
        unit: b.unit,
    })
}

/// Every formula name a calculation may use, for suggestions.
pub fn names(library: &[Formula]) -> impl Iterator<Item = &str> {
    library
        .iter()
        .map(|f| f.name.value.as_str())
        .chain(BUILTIN.iter().map(|b| b.name))
}

/// One input of a calculation: its name, the unit the formula declares for it
/// (inline formulas declare none), and the value given.
pub struct Input<'a> {
    pub name: &'a str,
    pub unit: Option<&'a str>,
    pub given: &'a Given,
}

/// What cannot be evaluated, and which part of the calculation is at fault.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// An input's value or declared unit (by input name).
    Input(String, String),
    /// The expression itself.
    Expression(String),
    /// The unit the answer is asked in.
    Unit(String),
}

/// Units shops write that the calculator lacks or reads otherwise. A revolution is
/// a count here, not 2π radians, so that rpm is "per minute" as on a machine's
/// dial; `in` is a keyword of the calculator, so it is read as `inch` (see
/// [`rewrite`]).
const SHOP_UNITS: [(&str, &str); 6] = [
    ("rpm", "1/min"),
    ("rev", "1"),
    ("revs", "1"),
    ("revolution", "1"),
    ("cfh", "ft^3/hour"),
    ("scfh", "ft^3/hour"),
];

/// How often the calculator may ask whether to stop before it is stopped: a
/// formula of a lesson takes a few thousand; `10^10^10` would run for hours.
/// A count, not a clock, so the same input always gives the same finding.
const STEP_BUDGET: u32 = 2_000_000;

/// Longest expression or unit text read; longer ones are refused unread.
pub const MAX_TEXT: usize = 400;

/// Evaluates `expression` over `inputs` and gives the result in `unit`.
pub fn evaluate(expression: &str, inputs: &[Input], unit: &str) -> Result<f64, Problem> {
    check_text(unit).map_err(Problem::Unit)?;
    check_text(expression).map_err(Problem::Expression)?;
    let names: Vec<&str> = inputs.iter().map(|i| i.name).collect();
    let target = rewrite(unit, &[]);
    run(&format!("1 * ({target})"))
        .map_err(|e| Problem::Unit(format!("`{unit}` is not a unit cib knows ({e})")))?;
    let mut program = String::new();
    for input in inputs {
        let value = quantity(input)?;
        program.push_str(&format!("cib_v_{} = ({value}); ", input.name));
    }
    program.push_str(&format!("({}) to ({target})", rewrite(expression, &names)));
    let result = run(&program).map_err(|e| {
        if e.contains("unknown identifier") {
            Problem::Expression(format!(
                "{e}: an expression may use its inputs ({}), numbers, units and functions",
                if names.is_empty() {
                    "none declared".to_owned()
                } else {
                    names.join(", ")
                }
            ))
        } else if e.contains("incompatible") {
            Problem::Expression(format!("its units do not give `{unit}`: {e}"))
        } else {
            Problem::Expression(e)
        }
    })?;
    Ok(result)
}

/// A formula checked on its own, before any lesson uses it: every input set to
/// one of its unit, the result must come out in the formula's unit.
pub fn check_formula(expression: &str, inputs: &[(&str, &str)], unit: &str) -> Result<(), Problem> {
    let one = Given::Number(1.0);
    let inputs: Vec<Input> = inputs
        .iter()
        .map(|&(name, unit)| Input {
            name,
            unit: Some(unit),
            given: &one,
        })
        .collect();
    match evaluate(expression, &inputs, unit) {
        // Division by zero or a root of a negative at 1 says nothing about units.
        Err(Problem::Expression(e)) if !e.contains("unit") && !e.contains("identifier") => Ok(()),
        other => other.map(|_| ()),
    }
}

/// An input as calculator text, checked against the unit the formula declares.
fn quantity(input: &Input) -> Result<String, Problem> {
    let bad = |message: String| Problem::Input(input.name.to_owned(), message);
    if let Some(unit) = input.unit {
        check_text(unit).map_err(bad)?;
    }
    let declared = input.unit.map(|u| rewrite(u, &[]));
    match (input.given, &declared) {
        (Given::Number(n), Some(unit)) => Ok(format!("{} * ({unit})", number(*n))),
        (Given::Number(n), None) => Ok(number(*n)),
        (Given::Quantity(text), _) => {
            check_text(text).map_err(bad)?;
            let written = rewrite(text, &[]);
            let probe = match &declared {
                Some(unit) => format!("({written}) to ({unit})"),
                None => format!("({written})"),
            };
            run(&probe).map_err(|e| {
                bad(match input.unit {
                    Some(unit) if e.contains("incompatible") => {
                        format!("`{text}` cannot be given in `{unit}`, the formula's unit for it")
                    }
                    _ => format!("`{text}` is not a quantity cib can read ({e})"),
                })
            })?;
            Ok(written)
        }
    }
}

/// Rust prints an `f64` without an exponent, which the calculator reads exactly.
fn number(n: f64) -> String {
    format!("({n})")
}

/// Text the calculator must never see: statements (`;`, `=`), strings, comments
/// and anything long enough to be something other than a formula.
fn check_text(text: &str) -> Result<(), String> {
    if text.len() > MAX_TEXT {
        return Err(format!("is longer than {MAX_TEXT} characters"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| matches!(c, ';' | '=' | '"' | '\'' | '#' | '\n' | '\\'))
    {
        return Err(format!(
            "contains `{c}`, which a formula or unit cannot hold"
        ));
    }
    if text.trim().is_empty() {
        return Err("is empty".to_owned());
    }
    Ok(())
}

/// Gives each input name its own namespace (so an input called `min` or `rpm` is
/// not a unit, and a unit in another input is not an input), and reads `in` as
/// inches. Only whole words change; everything else is left for the calculator.
fn rewrite(text: &str, inputs: &[&str]) -> String {
    let word_char = |c: char| c.is_alphanumeric() || c == '_' || c == '°';
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find(word_char) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..]
            .find(|c: char| !word_char(c))
            .unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        // A word that starts with a digit is a number (`2`, `1e5`): leave it whole.
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(word);
        } else if inputs.contains(&word) {
            out.push_str("cib_v_");
            out.push_str(word);
        } else if word == "in" {
            out.push_str("inch");
        } else {
            out.push_str(word);
        }
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    out
}

/// Runs a calculator program and reads the number it gives.
fn run(program: &str) -> Result<f64, String> {
    let mut context = fend_core::Context::new();
    for (singular, definition) in SHOP_UNITS {
        context.define_custom_unit_v1(
            singular,
            singular,
            definition,
            &fend_core::CustomUnitAttribute::None,
        );
    }
    let budget = Budget(AtomicU32::new(0));
    let result =
        fend_core::evaluate_with_interrupt(program, &mut context, &budget).map_err(|e| {
            if e.contains("interrupted") {
                "it takes too long to evaluate".to_owned()
            } else {
                e
            }
        })?;
    let text = result
        .get_main_result_spans()
        .find(|s| s.kind() == fend_core::SpanKind::Number)
        .map(|s| s.string().to_owned())
        .ok_or_else(|| format!("gives `{}`, not a number", result.get_main_result()))?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("gives `{text}`, not a real number"))
}

struct Budget(AtomicU32);

impl fend_core::Interrupt for Budget {
    fn should_interrupt(&self) -> bool {
        self.0.fetch_add(1, Ordering::Relaxed) >= STEP_BUDGET
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    fn eval(
        expression: &str,
        inputs: &[(&str, Option<&str>, Given)],
        unit: &str,
    ) -> Result<f64, Problem> {
        let inputs: Vec<Input> = inputs
            .iter()
            .map(|(name, unit, given)| Input {
                name,
                unit: *unit,
                given,
            })
            .collect();
        evaluate(expression, &inputs, unit)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6 * b.abs().max(1.0)
    }

    #[test]
    fn converts_units_so_formulas_carry_no_constants() {
        // AWS heat input: V × A × 60 / (1000 × S) kJ/in = 22 × 130 × 60 / 6000 = 28.6.
        let heat = eval(
            "voltage * current / travel_speed",
            &[
                ("voltage", Some("V"), Given::Number(22.0)),
                ("current", Some("A"), Given::Number(130.0)),
                ("travel_speed", Some("in/min"), Given::Number(6.0)),
            ],
            "kJ/in",
        );
        assert!(close(heat.unwrap(), 28.6));
        // 12 × SFM / (π × D) rev/min, with SFM in ft/min and D in inches.
        let rpm = eval(
            "sfm / (pi * d)",
            &[
                ("sfm", Some("ft/min"), Given::Number(100.0)),
                ("d", Some("in"), Given::Number(0.5)),
            ],
            "rpm",
        );
        assert!(close(rpm.unwrap(), 763.943_726_8));
    }

    #[test]
    fn reads_quantities_with_their_own_units() {
        let hours = eval(
            "volume / flow",
            &[
                ("volume", None, Given::Quantity("330 ft^3".into())),
                ("flow", None, Given::Quantity("25 cfh".into())),
            ],
            "h",
        );
        assert!(close(hours.unwrap(), 13.2));
        let kpa = eval(
            "p",
            &[("p", Some("psi"), Given::Quantity("2200 psi".into()))],
            "kPa",
        );
        assert!(close(kpa.unwrap(), 2200.0 * 6.894_757_293));
        let celsius = eval("t", &[("t", None, Given::Quantity("350 °F".into()))], "°C");
        assert!(close(celsius.unwrap(), (350.0 - 32.0) * 5.0 / 9.0));
    }

    #[test]
    fn input_names_never_clash_with_units() {
        // `min` and `rpm` are units; as input names they are the inputs.
        let feed = eval(
            "rpm * min",
            &[
                ("rpm", None, Given::Number(800.0)),
                ("min", None, Given::Number(2.0)),
            ],
            "1",
        );
        assert!(close(feed.unwrap(), 1600.0));
    }

    #[test]
    fn finds_units_that_do_not_add_up() {
        let wrong = eval(
            "length * width",
            &[
                ("length", Some("in"), Given::Number(2.0)),
                ("width", Some("in"), Given::Number(3.0)),
            ],
            "lb",
        );
        assert!(matches!(wrong, Err(Problem::Expression(e)) if e.contains("do not give `lb`")));
        let bad_input = eval(
            "p",
            &[("p", Some("psi"), Given::Quantity("3 ft".into()))],
            "kPa",
        );
        assert!(matches!(bad_input, Err(Problem::Input(name, _)) if name == "p"));
        assert!(matches!(eval("1", &[], "widgets"), Err(Problem::Unit(_))));
        assert!(matches!(
            check_formula("a * b", &[("a", "in"), ("b", "in")], "in^3"),
            Err(Problem::Expression(_))
        ));
        assert!(check_formula("a * b", &[("a", "in"), ("b", "in")], "mm^2").is_ok());
    }

    #[test]
    fn refuses_what_is_not_a_formula_and_stops_runaways() {
        assert!(
            matches!(eval("x", &[], "1"), Err(Problem::Expression(e)) if e.contains("unknown identifier"))
        );
        assert!(matches!(eval("1; 2", &[], "1"), Err(Problem::Expression(e)) if e.contains("`;`")));
        assert!(
            matches!(eval("10^10^10", &[], "1"), Err(Problem::Expression(e)) if e.contains("too long"))
        );
        assert!(
            matches!(eval("sqrt(-4)", &[], "1"), Err(Problem::Expression(e)) if e.contains("not a real number"))
        );
        assert!(matches!(
            eval("roll d6", &[], "1"),
            Err(Problem::Expression(_))
        ));
    }

    #[test]
    fn built_in_formulas_have_consistent_units_and_match_the_shop_formulas() {
        for b in BUILTIN {
            assert_eq!(
                check_formula(b.expression, b.inputs, b.unit),
                Ok(()),
                "{}",
                b.name
            );
        }
        let run_builtin = |name: &str, values: &[f64]| {
            let b = BUILTIN.iter().find(|b| b.name == name).unwrap();
            let inputs: Vec<_> = b
                .inputs
                .iter()
                .zip(values)
                .map(|(&(name, unit), v)| (name, Some(unit), Given::Number(*v)))
                .collect();
            eval(b.expression, &inputs, b.unit).unwrap()
        };
        // The shop forms: 12 × SFM / (π × D), 1000 × Vc / (π × D), RPM × π × D / 12,
        // (D − d) × 12 / L.
        assert!(close(
            run_builtin("spindle-rpm", &[100.0, 0.5]),
            1200.0 / (PI * 0.5)
        ));
        assert!(close(
            run_builtin("spindle-rpm-metric", &[30.0, 10.0]),
            30_000.0 / (PI * 10.0)
        ));
        assert!(close(
            run_builtin("surface-speed", &[764.0, 0.5]),
            764.0 * PI * 0.5 / 12.0
        ));
        assert!(close(run_builtin("feed-rate", &[800.0, 2.0, 0.001]), 1.6));
        assert!(close(run_builtin("feed-per-rev", &[3.0, 600.0]), 0.005));
        assert!(close(run_builtin("cutting-time", &[6.0, 3.0]), 2.0));
        assert!(close(run_builtin("inch-to-mm", &[0.5]), 12.7));
        assert!(close(run_builtin("mm-to-inch", &[12.7]), 0.5));
        assert!(close(run_builtin("upper-limit", &[1.0, 0.002]), 1.002));
        assert!(close(run_builtin("lower-limit", &[1.0, 0.002]), 0.998));
        assert!(close(run_builtin("taper-per-foot", &[1.0, 0.75, 3.0]), 1.0));
    }

    #[test]
    fn rewrites_whole_words_only() {
        assert_eq!(
            rewrite("2 in + inch_x * in^2", &["inch_x"]),
            "2 inch + cib_v_inch_x * inch^2"
        );
        assert_eq!(
            rewrite("1e5 * e + 212 °F", &["e", "F"]),
            "1e5 * cib_v_e + 212 °F"
        );
    }
}
