//! R004: every alignment target must be an item of an external framework.

use std::collections::{HashMap, HashSet};

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, index: &Index, out: &mut Vec<Diagnostic>) {
    if !c.complete.frameworks {
        return;
    }
    // Thousands of alignments into frameworks of thousands of items.
    let codes: HashMap<&str, HashSet<&str>> = index
        .frameworks
        .iter()
        .map(|(id, f)| (*id, f.items.iter().map(|i| i.code.value.as_str()).collect()))
        .collect();
    for competency in c.competencies() {
        for alignment in &competency.alignments {
            let target = &alignment.target;
            let framework_id = target.value.framework.as_str();
            let Some(framework) = index.frameworks.get(framework_id) else {
                let mut d = Diagnostic::new(
                    Code::UnknownAlignmentTarget,
                    target.span.clone(),
                    format!("alignment target `{}` names framework `{framework_id}`, which is not in frameworks/", target.value),
                )
                .with_label("unknown framework")
                .with_suggestion(framework_id, index.frameworks.keys().copied());
                if index.competency_frameworks.contains(framework_id) {
                    d = d.with_hint("alignments point at external frameworks (frameworks/), not at our competency frameworks");
                }
                out.push(d);
                continue;
            };
            let code = target.value.code.as_str();
            if !codes[framework_id].contains(code) {
                out.push(
                    Diagnostic::new(
                        Code::UnknownAlignmentTarget,
                        target.span.clone(),
                        format!("framework `{framework_id}` has no item `{code}`"),
                    )
                    .with_label("unknown item code")
                    .with_suggestion(code, framework.items.iter().map(|i| i.code.value.as_str()))
                    .with_related(
                        framework.id.span.clone(),
                        format!("`{framework_id}` is defined here"),
                    ),
                );
            }
        }
    }
}
