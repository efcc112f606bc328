//! A lesson's questions and calculations as quizzes in the Common Cartridge
//! profile of QTI 1.2.1, the one quiz format every LMS imports from a cartridge.
//!
//! Open questions become essay items (`cc.essay.v0p1`) that carry the answer
//! key as general feedback, which LMSs show only after an attempt is
//! submitted. Checked calculations become fill-in-the-blank items
//! (`cc.fib.v0p1`) that the LMS grades itself, in a quiz of their own: their
//! givens are often what a question asks the student to find. The profile has
//! no numeric type and none of QTI's `vargte`/`varlte` comparisons, so the
//! right answers are written out ([`accepted`]).

use serde_json::Value;

use super::{Version, xml};
use crate::check::rules::calculation;
use crate::model::{Calculation, Curriculum, Lesson, Rounding};

/// The quiz of a lesson's questions, or `None` when it has none. `plan` is
/// the lesson's instructor tree (prompts and answer keys as block nodes);
/// `html` writes block nodes as HTML.
pub fn questions(
    lesson: &Lesson,
    plan: &Value,
    ident: &str,
    html: &dyn Fn(&Value) -> String,
    version: Version,
) -> Option<String> {
    let items: String = lesson
        .questions
        .iter()
        .enumerate()
        .map(|(n, question)| {
            essay(
                &format!("{ident}-{}", xml::id_part(&question.id.value)),
                &format!("Question {}", n + 1),
                &html(&plan["questions"][n]["prompt"]),
                &html(&plan["answers"][n]),
            )
        })
        .collect();
    assessment(
        ident,
        &format!("Questions: {}", lesson.title),
        &items,
        version,
    )
}

/// The quiz of a lesson's checked calculations, or `None` when it has none.
pub fn calculations(
    c: &Curriculum,
    lesson: &Lesson,
    ident: &str,
    version: Version,
) -> Option<String> {
    let items: String = lesson
        .calculations
        .iter()
        // A calculation `cib check` cannot recompute stops the build before
        // this; one that slipped through is left out rather than guessed.
        .filter_map(|calc| Some((calc, calculation::calculate(c, calc).ok()?)))
        .map(|(calc, outcome)| {
            // A speed past the lesson's spindle limit is asked as calculated:
            // a student who applies the limit would otherwise be marked wrong.
            let limit = lesson
                .spindle_limit
                .as_ref()
                .map(|l| l.value)
                .filter(|l| outcome.unit == "rpm" && calc.answer.value > f64::from(*l));
            fill_in(
                &format!("{ident}-{}", xml::id_part(&calc.id.value)),
                calc,
                &outcome,
                limit,
            )
        })
        .collect();
    assessment(
        ident,
        &format!("Calculations: {}", lesson.title),
        &items,
        version,
    )
}

fn assessment(ident: &str, title: &str, items: &str, version: Version) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <questestinterop xmlns=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2 {}\">\n\
         <assessment ident=\"{ident}\" title=\"{}\">\n\
         <qtimetadata>\n{}{}</qtimetadata>\n\
         <section ident=\"{ident}-root\">\n{items}</section>\n\
         </assessment>\n\
         </questestinterop>\n",
        version.qti_schema(),
        xml::escape(title),
        field("cc_profile", "cc.exam.v0p1"),
        field("qmd_assessmenttype", "Examination"),
    ))
}

fn field(label: &str, entry: &str) -> String {
    format!(
        "<qtimetadatafield><fieldlabel>{label}</fieldlabel><fieldentry>{entry}</fieldentry></qtimetadatafield>\n"
    )
}

fn mattext(html: &str) -> String {
    format!(
        "<material><mattext texttype=\"text/html\">{}</mattext></material>",
        xml::escape(html)
    )
}

fn essay(ident: &str, title: &str, prompt: &str, answer: &str) -> String {
    format!(
        "<item ident=\"{ident}\" title=\"{title}\">\n\
         <itemmetadata><qtimetadata>\n{}{}</qtimetadata></itemmetadata>\n\
         <presentation>{}\
         <response_str ident=\"{ident}-response\" rcardinality=\"Single\"><render_fib><response_label ident=\"{ident}-answer\"/></render_fib></response_str>\
         </presentation>\n\
         <resprocessing><outcomes><decvar varname=\"SCORE\" vartype=\"Decimal\" minvalue=\"0\" maxvalue=\"100\"/></outcomes>\
         <respcondition continue=\"Yes\"><conditionvar><other/></conditionvar>\
         <displayfeedback feedbacktype=\"Response\" linkrefid=\"general_fb\"/></respcondition></resprocessing>\n\
         <itemfeedback ident=\"general_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n\
         </item>\n",
        field("cc_profile", "cc.essay.v0p1"),
        field("qmd_computerscored", "No"),
        mattext(prompt),
        mattext(&format!("<p><strong>Answer key:</strong></p>{answer}")),
    )
}

fn fill_in(
    ident: &str,
    calc: &Calculation,
    outcome: &calculation::Outcome,
    limit: Option<u32>,
) -> String {
    let answers = accepted(
        calc.answer.value,
        outcome.exact,
        calc.tolerance,
        calc.answer_places,
        calc.rounding,
    );
    let conditions: String = answers
        .iter()
        .map(|a| format!("<varequal respident=\"{ident}-response\" case=\"No\">{a}</varequal>"))
        .collect();
    let unit = unit_words(&outcome.unit)
        .map(|u| format!(" {}", xml::escape(u)))
        .unwrap_or_default();
    // What a student typed to the asked precision may be; finer ones are
    // the exact result rounded further, which the feedback says in words.
    let places = |a: &str| a.split_once('.').map_or(0, |(_, f)| f.len());
    let stated: Vec<&str> = answers
        .iter()
        .map(String::as_str)
        .filter(|a| places(a) == calc.answer_places && !a.starts_with('.') && !a.starts_with("-."))
        .collect();
    let finer = match calc.rounding {
        Some(Rounding::Down) => "rounded down",
        Some(Rounding::Up) => "rounded up",
        None => "rounded",
    };
    let worked = format!(
        "<p>Answer: {}{unit}. The exact result is {}{unit}.</p><p>Accepted: {}, or the exact result {finer} to more decimal places.</p>",
        xml::escape(&super::number(calc.answer.value, calc.answer_places)),
        xml::escape(&exact_text(outcome.exact, calc.answer_places)),
        xml::escape(&stated.join(" or ")),
    );
    format!(
        "<item ident=\"{ident}\" title=\"{}\">\n\
         <itemmetadata><qtimetadata>\n{}</qtimetadata></itemmetadata>\n\
         <presentation>{}\
         <response_str ident=\"{ident}-response\" rcardinality=\"Single\"><render_fib><response_label ident=\"{ident}-answer\"/></render_fib></response_str>\
         </presentation>\n\
         <resprocessing><outcomes><decvar varname=\"SCORE\" vartype=\"Decimal\" minvalue=\"0\" maxvalue=\"100\"/></outcomes>\
         <respcondition continue=\"Yes\"><conditionvar><other/></conditionvar>\
         <displayfeedback feedbacktype=\"Response\" linkrefid=\"general_fb\"/></respcondition>\
         <respcondition continue=\"No\"><conditionvar>{conditions}</conditionvar>\
         <setvar action=\"Set\" varname=\"SCORE\">100</setvar></respcondition></resprocessing>\n\
         <itemfeedback ident=\"general_fb\"><flow_mat>{}</flow_mat></itemfeedback>\n\
         </item>\n",
        xml::escape(&format!("Calculation {}", calc.id.value)),
        field("cc_profile", "cc.fib.v0p1"),
        mattext(&prompt(calc, outcome, limit)),
        mattext(&worked),
    )
}

/// The exact result to three places more than the answer, less the zeros
/// that would only repeat an exact value's end.
fn exact_text(exact: f64, places: usize) -> String {
    let text = super::number(exact, places + 3);
    let Some((whole, fraction)) = text.split_once('.') else {
        return text;
    };
    let kept = fraction.trim_end_matches('0');
    let kept = &fraction[..kept.len().max(places)];
    if kept.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{kept}")
    }
}

/// A unit as a prompt names it; `None` for a pure number ("1").
fn unit_words(unit: &str) -> Option<&str> {
    let unit = unit.trim();
    (!unit.is_empty() && unit != "1").then_some(unit)
}

/// Words that end an input's name only to say its unit (`diameter_in`).
const UNIT_SUFFIXES: [&str; 10] = [
    "in", "mm", "sfm", "ipm", "ipr", "m", "ft", "min", "s", "deg",
];

/// An input's name as words: `surface_speed_sfm` reads "surface speed", as
/// its unit follows the value.
fn label(name: &str) -> String {
    if name == "rpm" {
        return "spindle speed".into();
    }
    let words: Vec<&str> = name.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && UNIT_SUFFIXES.contains(last) => rest.join(" "),
        _ => words.join(" "),
    }
}

/// The question a calculation asks, from its formula and inputs: what to
/// work out, from what, and how to write the answer.
fn prompt(calc: &Calculation, outcome: &calculation::Outcome, limit: Option<u32>) -> String {
    let what = match calc.question.as_deref().map(str::trim) {
        Some(question) => format!("{}.", question.trim_end_matches('.')),
        None if outcome.title.is_empty() => {
            format!("Work out calculation {} of the lesson.", calc.id.value)
        }
        None => format!("{}.", outcome.title),
    };
    let precision = match calc.answer_places {
        0 => "a whole number".to_owned(),
        1 => "1 decimal place".to_owned(),
        n => format!("{n} decimal places"),
    };
    let rounding = match calc.rounding {
        Some(Rounding::Down) => "rounded down",
        Some(Rounding::Up) => "rounded up",
        None => "rounded",
    };
    let givens: String = outcome
        .givens
        .iter()
        .map(|g| match g.split_once(" = ") {
            Some((name, value)) => {
                let value = value.strip_suffix(" 1").unwrap_or(value);
                format!(
                    "<li>{}: {}</li>",
                    xml::escape(&label(name)),
                    xml::escape(value)
                )
            }
            None => format!("<li>{}</li>", xml::escape(g)),
        })
        .collect();
    let unit = unit_words(&outcome.unit)
        .map(|u| format!(" in {}", xml::escape(if u == "in" { "inches" } else { u })))
        .unwrap_or_default();
    let mut notes = String::new();
    let uses_pi = outcome
        .working
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|word| word == "pi");
    if uses_pi {
        notes.push_str(" Use your calculator's π (3.14159…), not 3.14.");
    }
    if let Some(limit) = limit {
        notes.push_str(&format!(
            " Give the speed as calculated, before the spindle's limit of {limit} rpm."
        ));
    }
    format!(
        "<p>{}</p><p>Given:</p><ul>{givens}</ul><p>Type the answer{unit} as a number only, {rounding} to {precision}.{notes}</p>",
        xml::escape(&what),
    )
}

/// The most decimal places an answer is accepted with: an exact value such
/// as 1.515625 (a 33/64 limit) is right written out in full.
const MOST_PLACES: usize = 6;

/// The answers a student may type for a calculation: the exact result
/// rounded to any number of places, down or up (only down, or only up, when
/// the lesson says which way it rounds), that stays within the lesson's
/// `tolerance` of its stated `answer`; the stated answer itself; numbers
/// below one also without their leading zero (`.9252`). Rounded, not merely
/// near: a limit of 0.751 is not 0.7512, however small the difference.
pub fn accepted(
    answer: f64,
    exact: f64,
    tolerance: f64,
    places: usize,
    rounding: Option<Rounding>,
) -> Vec<String> {
    let mut out = vec![super::number(answer, places)];
    for precision in 0..=MOST_PLACES.max(places + 1) {
        let Ok(p) = i32::try_from(precision) else {
            break;
        };
        let scale = 10f64.powi(p);
        let units = exact * scale;
        // Integers in units of the last place, so that no value is printed
        // with a binary rounding error; an exact value is one integer.
        let (down, up) = if (units - units.round()).abs() < 1e-6 {
            (units.round(), units.round())
        } else {
            (units.floor(), units.ceil())
        };
        let candidates = match rounding {
            Some(Rounding::Down) => vec![down],
            Some(Rounding::Up) => vec![up],
            None => vec![down, up],
        };
        for units in candidates {
            if units.abs() > 1e15 {
                continue;
            }
            if (units / scale - answer).abs() <= tolerance + 1e-9 {
                out.push(scaled(units as i64, precision));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|a| seen.insert(a.clone()));
    let short: Vec<String> = out
        .iter()
        .filter_map(|a| {
            a.strip_prefix("0.")
                .map(|rest| format!(".{rest}"))
                .or_else(|| a.strip_prefix("-0.").map(|rest| format!("-.{rest}")))
        })
        .collect();
    for a in short {
        if seen.insert(a.clone()) {
            out.push(a);
        }
    }
    out
}

/// `units` of the `places`th decimal as text: `scaled(9252, 4)` is "0.9252".
fn scaled(units: i64, places: usize) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let digits = format!("{:0width$}", units.unsigned_abs(), width = places + 1);
    if places == 0 {
        return format!("{sign}{digits}");
    }
    let (whole, fraction) = digits.split_at(digits.len() - places);
    format!("{sign}{whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speed_is_the_exact_result_rounded_either_way_within_the_tolerance() {
        // 12 × 80 / (π × 0.234375) = 1303.8…
        let a = accepted(1304.0, 1303.83, 1.0, 0, None);
        assert_eq!(&a[..3], ["1304", "1303", "1303.8"]);
        assert!(a.contains(&"1303.9".to_owned()) && a.contains(&"1303.830".to_owned()));
        assert!(
            !a.contains(&"1305".to_owned()),
            "1305 is no rounding of 1303.83"
        );
        assert!(!a.contains(&"1304.0".to_owned()));
    }

    #[test]
    fn a_limit_is_graded_on_its_exact_value_not_the_lessons_slack() {
        let a = accepted(0.751, 0.751, 0.0005, 3, None);
        assert_eq!(
            a,
            [
                "0.751", "0.7510", "0.75100", "0.751000", ".751", ".7510", ".75100", ".751000"
            ]
        );
        assert!(!a.contains(&"0.7512".to_owned()));
    }

    #[test]
    fn a_stated_rounding_direction_is_the_only_one_accepted() {
        // 0.05 mm = 0.0019685 in, rounded down so the tolerance never widens.
        let down = accepted(0.0019, 0.05 / 25.4, 0.0001, 4, Some(Rounding::Down));
        assert!(down.contains(&"0.0019".to_owned()) && down.contains(&"0.00196".to_owned()));
        assert!(!down.contains(&"0.0020".to_owned()) && !down.contains(&"0.00197".to_owned()));
        let up = accepted(0.7855, 19.95 / 25.4, 0.0001, 4, Some(Rounding::Up));
        assert!(up.contains(&"0.7855".to_owned()));
        assert!(!up.contains(&"0.7854".to_owned()));
    }

    #[test]
    fn the_same_number_with_other_places_is_the_same_answer() {
        let a = accepted(6.0, 6.0, 0.0, 1, None);
        assert_eq!(
            a,
            ["6.0", "6", "6.00", "6.000", "6.0000", "6.00000", "6.000000"]
        );
        let fraction = accepted(1.5156, 1.515625, 0.0001, 4, Some(Rounding::Down));
        assert!(fraction.contains(&"1.515625".to_owned()));
        assert!(!fraction.contains(&"1.5157".to_owned()));
        assert_eq!(scaled(-5, 1), "-0.5");
        assert!(accepted(-0.5, -0.5, 0.0, 1, None).contains(&"-.5".to_owned()));
    }

    #[test]
    fn names_read_as_words_and_pure_numbers_have_no_unit() {
        assert_eq!(label("surface_speed_sfm"), "surface speed");
        assert_eq!(label("diameter_in"), "diameter");
        assert_eq!(label("rpm"), "spindle speed");
        assert_eq!(label("in"), "in");
        assert_eq!(unit_words("1"), None);
        assert_eq!(unit_words("in/min"), Some("in/min"));
        assert_eq!(exact_text(0.2, 3), "0.200");
        assert_eq!(exact_text(3_546.881_588, 0), "3546.882");
        assert_eq!(exact_text(6.0, 0), "6");
    }
}
