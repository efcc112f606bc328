//! The two things every XML file cib writes by hand needs.

/// Text for an XML element or attribute: escaped as HTML is, less the
/// characters XML 1.0 cannot hold at all (most control characters), which
/// `cib check` refuses in lessons anyway (C010), so only a slip could bring
/// one here.
pub fn escape(text: &str) -> String {
    let allowed = |c: &char| {
        (*c >= ' ' || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    crate::publish::escape_html(&text.chars().filter(allowed).collect::<String>())
}

/// A cib id as part of an XML `ID` (an NCName): letters, digits, `-`, `_`
/// and `.` stay, anything else becomes `_`. Callers put a letter prefix
/// (`cib-`) before it, as an NCName may not start with a digit and CASE
/// UUIDs and lesson ids may.
pub fn id_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_never_reach_the_file() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{7}"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
        assert_eq!(id_part("mtt-2.B/03 é"), "mtt-2.B_03__");
    }
}
