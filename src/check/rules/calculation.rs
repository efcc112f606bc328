//! A lesson's calculation, recomputed once for every rule that reads it (C003,
//! C024, C026): its formula found in the library, its inputs matched to the
//! formula's, the result in the answer's unit.

use crate::check::formula::{self, Definition, Input, Problem};
use crate::diag::{Span, suggest};
use crate::model::{Calculation, Curriculum, FormulaRef, Given};

/// A calculation's exact result, and how it was reached, for messages.
pub struct Outcome {
    pub exact: f64,
    pub unit: String,
    /// The expression with its inputs, as written: "`a * b` with a = 2 in, b = 3 in".
    pub working: String,
    /// What the formula computes, in words (empty for a lesson's own
    /// expression), and each input as given ("a = 2 in"): a quiz asks with these.
    pub title: String,
    pub givens: Vec<String>,
}

/// Why a calculation cannot be recomputed, at the place to fix.
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub hint: String,
}

/// Recomputes `calc`. `Err(None)` when the fault is the library formula's own,
/// which C026 reports once at the formula rather than at every use.
pub fn calculate(c: &Curriculum, calc: &Calculation) -> Result<Outcome, Option<Finding>> {
    let id = &calc.id.value;
    let at = |span: &Span, message: String, hint: &str| {
        Some(Finding {
            span: span.clone(),
            message: format!("calculation `{id}`: {message}"),
            hint: hint.to_owned(),
        })
    };
    let definition = match &calc.formula {
        FormulaRef::Named(name) => {
            let Some(definition) = formula::lookup(&c.formulas, &name.value) else {
                let hint = match suggest(&name.value, formula::names(&c.formulas)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name a formula of formulas.yaml or a built-in one (`cib explain C003` lists them), or write the calculation's own `expression:` and `unit:`".to_owned(),
                };
                return Err(at(
                    &name.span,
                    format!("there is no formula `{}`", name.value),
                    &hint,
                ));
            };
            let own = c.formulas.iter().find(|f| f.name.value == name.value);
            if let Some(f) = own {
                let inputs: Vec<_> = f
                    .inputs
                    .iter()
                    .map(|i| (i.value.0.as_str(), i.value.1.as_str()))
                    .collect();
                if formula::check_formula(&f.expression.value, &inputs, &f.unit.value).is_err() {
                    return Err(None);
                }
            }
            for (wanted, unit) in &definition.inputs {
                if !calc.inputs.contains_key(*wanted) {
                    return Err(at(
                        &calc.id.span,
                        format!("formula `{}` needs input `{wanted}` ({unit})", name.value),
                        &format!("add `{wanted}:` under `inputs`, a number in {unit}"),
                    ));
                }
            }
            if let Some((extra, given)) = calc.inputs.iter().find(|(n, _)| {
                !n.starts_with("x-") && !definition.inputs.iter().any(|(w, _)| w == n)
            }) {
                let wanted: Vec<_> = definition.inputs.iter().map(|(w, _)| *w).collect();
                let hint = match suggest(extra, wanted.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("its inputs are {}", wanted.join(", ")),
                };
                return Err(at(
                    &given.span,
                    format!("formula `{}` has no input `{extra}`", name.value),
                    &hint,
                ));
            }
            definition
        }
        FormulaRef::Inline(expression) => {
            let Some(unit) = &calc.unit else {
                return Err(None); // The schema requires `unit` with `expression`.
            };
            Definition {
                title: "",
                inputs: calc
                    .inputs
                    .keys()
                    .filter(|n| !n.starts_with("x-"))
                    .map(|n| (n.as_str(), ""))
                    .collect(),
                expression: &expression.value,
                unit: &unit.value,
            }
        }
    };
    let unit = calc.unit.as_ref().map_or(definition.unit, |u| &u.value);
    let inputs: Vec<Input> = definition
        .inputs
        .iter()
        .map(|&(name, declared)| Input {
            name,
            unit: (!declared.is_empty()).then_some(declared),
            given: &calc.inputs[name].value,
        })
        .collect();
    let exact = formula::evaluate(definition.expression, &inputs, unit).map_err(|problem| {
        let fix = "write the expression with the inputs' names, numbers, units and + − × ÷ ^ ( ); cib converts units itself";
        match problem {
            Problem::Input(name, message) => at(
                &calc.inputs[name.as_str()].span,
                format!("input `{name}` {message}"),
                "give a number in the formula's unit, or a number and a unit it converts to (\"2200 psi\")",
            ),
            Problem::Unit(message) => at(
                calc.unit.as_ref().map_or(&calc.id.span, |u| &u.span),
                format!("the answer's unit {message}"),
                "write the unit as cib knows it: `in`, `mm`, `lb`, `kJ/in`, `ft^3/h`, `°F` …",
            ),
            Problem::Expression(message) => match &calc.formula {
                FormulaRef::Inline(expression) => at(
                    &expression.span,
                    format!("the expression cannot be evaluated: {message}"),
                    fix,
                ),
                FormulaRef::Named(name) => match &calc.unit {
                    Some(unit) if message.contains("do not give") => at(
                        &unit.span,
                        format!("formula `{}` cannot give its result in `{}`: {message}", name.value, unit.value),
                        "state the answer in a unit of the same kind as the formula's",
                    ),
                    // A library formula that passed its own check, or a built-in
                    // one: these inputs are the trouble (a division by zero, say).
                    _ => at(
                        &name.span,
                        format!(
                            "formula `{}` cannot be evaluated with these inputs: {message}",
                            name.value
                        ),
                        "check the inputs' values",
                    ),
                },
            },
        }
    })?;
    let working = definition
        .inputs
        .iter()
        .map(|&(name, declared)| match &calc.inputs[name].value {
            Given::Number(n) if declared.is_empty() || declared == "1" => format!("{name} = {n}"),
            Given::Number(n) => format!("{name} = {n} {declared}"),
            Given::Quantity(q) => format!("{name} = {q}"),
        })
        .collect::<Vec<_>>();
    Ok(Outcome {
        exact,
        unit: unit.to_owned(),
        working: if working.is_empty() {
            format!("`{}`", definition.expression)
        } else {
            format!("`{}` with {}", definition.expression, working.join(", "))
        },
        title: definition.title.to_owned(),
        givens: working,
    })
}
