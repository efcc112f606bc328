//! C022: a lesson's machine time must fit the shop. With a shop profile in
//! curriculum.yaml, each `machine_time` entry asks for turns (one per student,
//! or per group sharing a machine) of so many minutes; the shop's machines of
//! that kind give `machines × ⌊duration / minutes⌋` turns in the lesson.

use crate::diag::{Code, Diagnostic};
use crate::model::Curriculum;

use super::Index;

pub fn check(c: &Curriculum, _: &Index, out: &mut Vec<Diagnostic>) {
    let Some(shop) = c.settings.as_ref().and_then(|s| s.shop.as_ref()) else {
        return;
    };
    for lesson in &c.lessons {
        for need in &lesson.machine_time {
            let name = need.machine.value.as_str();
            let Some(&(_, machines)) = shop.machines.iter().find(|(id, _)| id == name) else {
                out.push(
                    Diagnostic::new(
                        Code::MachineCapacity,
                        need.machine.span.clone(),
                        format!("the shop profile in curriculum.yaml lists no machine `{name}`"),
                    )
                    .with_label("not in `shop.machines`")
                    .with_suggestion(name, shop.machines.iter().map(|(id, _)| id.as_str()))
                    .with_hint("name a machine of `shop.machines`, or add this one there with how many the shop has"),
                );
                continue;
            };
            let turns = shop.students.div_ceil(need.group);
            let per_machine = lesson.duration_minutes / need.minutes;
            let fits = machines * per_machine;
            if turns <= fits {
                continue;
            }
            let who = if need.group == 1 {
                format!("{turns} students")
            } else {
                format!("{turns} groups of {}", need.group)
            };
            let plan = if fits == 0 {
                if machines == 0 {
                    format!("the shop has no `{name}`")
                } else {
                    format!(
                        "one turn of {} min is longer than the {}-minute lesson",
                        need.minutes, lesson.duration_minutes
                    )
                }
            } else {
                format!(
                    "{machines} machine{} × {per_machine} turn{} each fit in {} min, so it takes {} sessions, or a rotation of {fits} turns per session",
                    if machines == 1 { "" } else { "s" },
                    if per_machine == 1 { "" } else { "s" },
                    lesson.duration_minutes,
                    turns.div_ceil(fits)
                )
            };
            out.push(
                Diagnostic::new(
                    Code::MachineCapacity,
                    need.machine.span.clone(),
                    format!(
                        "`{}` needs {} min on `{name}` for each of {who} ({} min in all), but {plan}",
                        lesson.id.value,
                        need.minutes,
                        turns * need.minutes
                    ),
                )
                .with_label(format!("{machines} in the shop for {} students", shop.students))
                .with_hint("plan the sessions or rotation in the lesson and raise `duration`, share machines (`group`), or shorten each turn"),
            );
        }
    }
}
