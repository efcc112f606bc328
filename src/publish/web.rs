//! Lessons as web pages, from the same data the PDF is typeset from.
//!
//! [`crate::render::lesson_tree`] is the one description of a lesson for an
//! audience: the typst template walks it for the PDF, and this module walks it
//! for the page a student reads on a phone, the catalog links and a cartridge
//! carries into an LMS. A student tree holds no instructor field at all, so no
//! page can show what its PDF would not.

use serde_json::{Value, json};

use super::{escape_html, render_html};

const LESSON: &str = include_str!("lesson.html");
const ASSESSMENT: &str = include_str!("assessment.html");
/// The style sheet both kinds of page carry inline.
const STYLE: &str = include_str!("page.css");
/// The page templates, for the build's cache key: a page changes with them.
pub const TEMPLATES: [&str; 3] = [LESSON, ASSESSMENT, STYLE];

/// The block nodes under `key` of a tree, each as HTML.
fn html_list(tree: &Value, key: &str, media: &dyn Fn(&str) -> String) -> Vec<String> {
    tree[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|nodes| blocks(nodes, media))
        .collect()
}

/// Where a page's links lead, relative to the page.
pub struct Links<'a> {
    /// The page's own PDF, and the other audience's page when the reader may
    /// see it (instructors see the student page; students never the plan).
    pub pdf: String,
    pub other: Option<(&'a str, String)>,
    /// Back to the catalog, when the page is part of one.
    pub catalog: Option<String>,
    /// A root-relative image path (`/lessons/x/a.svg`) as the page links it.
    pub media: &'a dyn Fn(&str) -> String,
}

/// The whole page for a lesson tree (the value `render::lesson_tree` gives).
/// `lang` is the curriculum's language tag; `footer` its publisher line.
pub fn lesson_page(tree: &Value, lang: &str, footer: &str, links: &Links<'_>) -> String {
    let html = |value: &Value| blocks(value, links.media);
    let list = |key: &str| html_list(tree, key, links.media);
    let alignment: Vec<Value> = tree["alignment"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            json!({
                "id": row["id"], "title": row["title"], "role": row["role"],
                "targets": row["targets"],
            })
        })
        .collect();
    let procedure: Vec<Value> = tree["procedure"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| json!({"minutes": s["minutes"], "step": html(&s["step"])}))
        .collect();
    let questions: Vec<Value> = tree["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|q| json!({"prompt": html(&q["prompt"])}))
        .collect();
    let context = json!({
        "lang": lang,
        "style": STYLE,
        "title": tree["title"],
        "instructor": tree["instructor"],
        "audience_label": tree["audience_label"],
        "duration_label": tree["duration_label"],
        "program": tree["program"],
        "objectives": list("objectives"),
        "safety": list("safety"),
        "instructor_safety": list("instructor_safety"),
        "materials": list("materials"),
        "instructor_materials": list("instructor_materials"),
        "alignment": alignment,
        "procedure": procedure,
        "notes": html(&tree["notes"]),
        "body": html(&tree["body"]),
        "questions": questions,
        "answers": list("answers"),
        "pdf": links.pdf,
        "other": links.other.as_ref().map(|(label, href)| json!({"label": label, "href": href})),
        "catalog": links.catalog,
        "footer": footer,
    });
    render_html("lesson.html", LESSON, &context)
}

/// The whole page for one sheet of an assessment (the value
/// `render::assessment_tree` gives): the student's task sheet, or the
/// instructor's score sheet.
pub fn assessment_page(tree: &Value, lang: &str, footer: &str, links: &Links<'_>) -> String {
    let html = |value: &Value| blocks(value, links.media);
    let list = |key: &str| html_list(tree, key, links.media);
    let criteria: Vec<Value> = tree["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| {
            json!({
                "title": k["title"], "competency": k["competency"], "weight": k["weight"],
                "critical": k["critical"],
                "descriptors": k["descriptors"].as_array().into_iter().flatten().map(&html).collect::<Vec<_>>(),
                "note": html(&k["note"]),
            })
        })
        .collect();
    let schedule: Vec<Value> = tree["schedule"]
        .as_array()
        .into_iter()
        .flatten()
        .map(
            |s| json!({"step": html(&s["step"]), "minutes": s["minutes"], "machine": s["machine"]}),
        )
        .collect();
    let prints: Vec<Value> = tree["prints"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            json!({
                "title": p["title"], "alt": p["alt"],
                "src": (links.media)(p["src"].as_str().unwrap_or("")),
            })
        })
        .collect();
    let passing = &tree["passing"];
    let context = json!({
        "lang": lang,
        "style": STYLE,
        "title": tree["title"],
        "sheet": tree["sheet"],
        "score": tree["score"],
        "kind": tree["kind"],
        "program": tree["program"],
        "duration": tree["duration"],
        "machine_minutes": tree["machine_minutes"],
        "machines": tree["machines"],
        "demonstrates": tree["demonstrates"],
        "setup": html(&tree["setup"]),
        "safety": list("safety"),
        "materials": if tree["score"] == true { Vec::new() } else { list("materials") },
        "signoff": list("signoff"),
        "task": html(&tree["task"]),
        "schedule": schedule,
        "prints": if tree["score"] == true { Vec::new() } else { prints },
        "levels": tree["levels"],
        "criteria": criteria,
        "passing": {
            "level": passing["level"],
            "points": passing["points"],
            "text": if passing["text"].is_null() { String::new() } else { html(&passing["text"]) },
        },
        "inspection": tree["inspection"],
        "notes": html(&tree["notes"]),
        "model_answers": html(&tree["model_answers"]),
        "pdf": links.pdf,
        "other": links.other.as_ref().map(|(label, href)| json!({"label": label, "href": href})),
        "catalog": links.catalog,
        "footer": footer,
    });
    render_html("assessment.html", ASSESSMENT, &context)
}

/// A list of block nodes (see `render::markdown`) as HTML. Every text is
/// escaped; URLs reach an attribute only as the author wrote them, which
/// `cib check` has held to web and e-mail addresses (C008).
pub fn blocks(nodes: &Value, media: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    for node in nodes.as_array().into_iter().flatten() {
        write_node(&mut out, node, media);
    }
    out
}

fn children(out: &mut String, node: &Value, media: &dyn Fn(&str) -> String) {
    for child in node["c"].as_array().into_iter().flatten() {
        write_node(out, child, media);
    }
}

fn wrap(out: &mut String, tag: &str, node: &Value, media: &dyn Fn(&str) -> String) {
    out.push_str(&format!("<{tag}>"));
    children(out, node, media);
    out.push_str(&format!("</{tag}>"));
}

/// One node. The tree's depth is bounded where it is built (Markdown nesting
/// past twelve levels is flattened), so recursion here is bounded too.
fn write_node(out: &mut String, node: &Value, media: &dyn Fn(&str) -> String) {
    let text = |key: &str| escape_html(node[key].as_str().unwrap_or(""));
    match node["t"].as_str().unwrap_or("") {
        "text" => out.push_str(&text("v")),
        "code" => out.push_str(&format!("<code>{}</code>", text("v"))),
        "linebreak" => out.push_str("<br>"),
        "rule" => out.push_str("<hr>"),
        "para" => wrap(out, "p", node, media),
        "quote" => wrap(out, "blockquote", node, media),
        "emph" => wrap(out, "em", node, media),
        "strong" => wrap(out, "strong", node, media),
        "strike" => wrap(out, "s", node, media),
        "item" => wrap(out, "li", node, media),
        "heading" => {
            let level = node["level"].as_u64().unwrap_or(3).clamp(3, 6);
            wrap(out, &format!("h{level}"), node, media);
        }
        "list" => {
            let ordered = node["ordered"].as_bool().unwrap_or(false);
            let start = node["start"].as_u64().unwrap_or(1);
            if ordered && start != 1 {
                out.push_str(&format!("<ol start=\"{start}\">"));
            } else {
                out.push_str(if ordered { "<ol>" } else { "<ul>" });
            }
            children(out, node, media);
            out.push_str(if ordered { "</ol>" } else { "</ul>" });
        }
        "task" => {
            let done = node["done"].as_bool().unwrap_or(false);
            out.push_str(if done { "☑ " } else { "☐ " });
        }
        "codeblock" => {
            // Its own scroll box, reachable by keyboard: a G-code line is
            // never wrapped, as a wrapped block reads as two.
            let lang = node["lang"].as_str().unwrap_or("");
            let label = if lang.is_empty() {
                "Code".to_owned()
            } else {
                format!("{} code", escape_html(lang))
            };
            out.push_str(&format!(
                "<pre tabindex=\"0\" aria-label=\"{label}\"><code>{}</code></pre>",
                text("v")
            ));
        }
        "table" => {
            let aligns: Vec<&str> = node["align"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| a.as_str().unwrap_or("left"))
                .collect();
            out.push_str(
                "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table\"><table>",
            );
            // A header's cells sit directly under it; a body row's under the row.
            for part in node["c"].as_array().into_iter().flatten() {
                let head = part["t"] == "thead";
                out.push_str(if head { "<thead><tr>" } else { "<tr>" });
                for (i, cell) in part["c"].as_array().into_iter().flatten().enumerate() {
                    let align = aligns.get(i).copied().unwrap_or("left");
                    out.push_str(&if head {
                        format!("<th scope=\"col\" class=\"{align}\">")
                    } else {
                        format!("<td class=\"{align}\">")
                    });
                    children(out, cell, media);
                    out.push_str(if head { "</th>" } else { "</td>" });
                }
                out.push_str(if head { "</tr></thead>" } else { "</tr>" });
            }
            out.push_str("</table></div>");
        }
        "link" => {
            let url = node["url"].as_str().unwrap_or("");
            out.push_str(&format!("<a href=\"{}\">", escape_html(url)));
            children(out, node, media);
            out.push_str("</a>");
        }
        "image" => {
            let src = media(node["src"].as_str().unwrap_or(""));
            let width = node["width"]
                .as_u64()
                .map(|w| format!(" style=\"width:{w}%\""))
                .unwrap_or_default();
            out.push_str(&format!(
                "<img src=\"{}\" alt=\"{}\"{width}>",
                escape_html(&src),
                text("alt")
            ));
        }
        "fnref" => {
            out.push_str("<small class=\"note\">(");
            children(out, node, media);
            out.push_str(")</small>");
        }
        // "group" and anything the tree may grow: its content, unwrapped.
        _ => children(out, node, media),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let tree = crate::render::markdown_tree(markdown, "/lessons/x");
        blocks(&tree, &|src| format!("media{src}"))
    }

    #[test]
    fn text_never_becomes_markup() {
        let out = html("<script>alert(1)</script> & *\"quoted\"*");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("&amp;"), "{out}");
    }

    #[test]
    fn the_constructs_lessons_use() {
        let out = html(
            "# Top\n\nSome *em* and `G01`.\n\n```gcode\nG90 G54\nM30\n```\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n![A plate.](plate.svg)\n",
        );
        assert!(out.contains("<h3>Top</h3>"), "{out}");
        assert!(out.contains("<em>em</em>"), "{out}");
        assert!(out.contains("<code>G01</code>"), "{out}");
        assert!(
            out.contains(
                "<pre tabindex=\"0\" aria-label=\"gcode code\"><code>G90 G54\nM30</code></pre>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<th scope=\"col\" class=\"left\">A</th>"),
            "{out}"
        );
        assert!(out.contains("<td class=\"right\">2</td>"), "{out}");
        assert!(
            out.contains("<img src=\"media/lessons/x/plate.svg\" alt=\"A plate.\">"),
            "{out}"
        );
    }
}
