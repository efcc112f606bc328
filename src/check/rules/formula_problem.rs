//! C026: every formula can be evaluated and its units add up — the library's
//! formulas on their own, and each calculation with its inputs.

use std::collections::HashMap;

use crate::check::formula::{self, Problem};
use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    let mut seen = HashMap::new();
    for f in &c.formulas {
        if let Some(first) = seen.insert(f.name.value.as_str(), &f.name.span) {
            out.push(
                Diagnostic::new(
                    Code::FormulaProblem,
                    f.name.span.clone(),
                    format!("formula `{}` is defined twice", f.name.value),
                )
                .with_label("second definition")
                .with_related(first.clone(), "first definition")
                .with_hint("give each formula its own name"),
            );
        }
        let inputs: Vec<_> = f
            .inputs
            .iter()
            .map(|i| (i.value.0.as_str(), i.value.1.as_str()))
            .collect();
        let Err(problem) = formula::check_formula(&f.expression.value, &inputs, &f.unit.value)
        else {
            continue;
        };
        let (span, message, hint) = match problem {
            Problem::Input(name, message) => (
                f.inputs
                    .iter()
                    .find(|i| i.value.0 == name)
                    .map_or(&f.name.span, |i| &i.span),
                format!("the unit of input `{name}` {message}"),
                "write the unit as cib knows it: `in`, `mm`, `lb`, `V`, `A`, `in/min`, `ft^3/h`, `°F` …",
            ),
            Problem::Unit(message) => (
                &f.unit.span,
                format!("its unit {message}"),
                "write the unit as cib knows it: `in`, `mm`, `lb`, `kJ/in`, `ft^3/h`, `°F` …",
            ),
            Problem::Expression(message) => (
                &f.expression.span,
                format!("the expression cannot be evaluated: {message}"),
                "write the expression with its inputs' names, numbers and + − × ÷ ^ ( ); leave unit conversions (× 12, × 60 / 1000) to cib",
            ),
        };
        out.push(
            Diagnostic::new(
                Code::FormulaProblem,
                span.clone(),
                format!("formula `{}`: {message}", f.name.value),
            )
            .with_label("cannot be checked")
            .with_hint(hint),
        );
    }
    for results in index.calculations() {
        for finding in results.iter().filter_map(|r| r.as_ref().err()?.as_ref()) {
            out.push(
                Diagnostic::new(
                    Code::FormulaProblem,
                    finding.span.clone(),
                    finding.message.clone(),
                )
                .with_label("cannot be recomputed")
                .with_hint(finding.hint.clone()),
            );
        }
    }
}
