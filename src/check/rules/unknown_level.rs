//! R007: competencies and bundles name levels of the curriculum's scale.

use crate::diag::{Code, Diagnostic, suggest};
use crate::model::{Curriculum, Spanned};

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let Some(settings) = &c.settings else {
        return;
    };
    let scale = &settings.competency_levels;
    let declared = scale.as_slice() != crate::model::DESE_LEVELS;
    let named = c
        .competencies()
        .map(|k| ("competency", k.id.value.as_str(), &k.level))
        .chain(
            settings
                .bundles
                .iter()
                .flat_map(|b| b.levels.iter().map(|l| ("bundle", b.id.value.as_str(), l))),
        );
    for (what, owner, level) in named {
        if scale.contains(&level.value) {
            continue;
        }
        let Spanned { value, span } = level;
        let list = scale
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut hint = match suggest(value, scale.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`? "),
            None => String::new(),
        };
        hint.push_str(&if declared {
            format!("the levels are those of `competency_levels` in curriculum.yaml: {list}")
        } else {
            format!(
                "without `competency_levels` in curriculum.yaml the levels are DESE's: {list}; a program with its own scale lists it there, lowest first"
            )
        });
        out.push(
            Diagnostic::new(
                Code::UnknownLevel,
                span.clone(),
                format!(
                    "{what} `{owner}` names level `{value}`, which is not on the curriculum's scale"
                ),
            )
            .with_label("unknown level")
            .with_hint(hint),
        );
    }
}
