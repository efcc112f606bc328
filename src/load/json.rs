//! JSON read as the YAML loader's events, for CASE packages.
//!
//! YAML reads JSON, but saphyr's scanner keeps every token of a flow
//! collection that begins a document queued until the collection closes (it
//! might yet be a mapping key): for a 20 MB package that queue was 218 MB, half
//! the import's memory. JSON has no such keys, so this scanner hands each event
//! on as soon as it is read. The loader builds the same value and spans from
//! either source; on anything that is not plain JSON the caller reads the text
//! as YAML instead, which also words the errors.

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, ScalarStyle, ScanError, Span};

/// Whether `text` looks like a JSON document: its first character, after
/// white space, opens an object or an array.
pub(super) fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A value (the document's, an array element's or a member's).
    Value,
    /// The first key of an object, or its end.
    FirstKey,
    /// The first element of an array, or its end.
    FirstElement,
    /// A comma or the end of the innermost container.
    Next,
    /// Nothing but white space: the document is complete.
    End,
}

pub(super) struct Events<'a> {
    text: &'a str,
    /// Byte offset, and the character index, line and column there.
    at: usize,
    chars: usize,
    line: usize,
    column: usize,
    /// Open containers, innermost last: `true` for an object.
    open: Vec<bool>,
    expect: Expect,
    /// StreamStart, DocumentStart, the document, DocumentEnd, StreamEnd.
    stage: u8,
}

type Item<'a> = Result<(Event<'a>, Span), ScanError>;

impl<'a> Events<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Events {
            text,
            at: 0,
            chars: 0,
            line: 1,
            column: 0,
            open: Vec::new(),
            expect: Expect::Value,
            stage: 0,
        }
    }

    fn marker(&self) -> Marker {
        Marker::new(self.chars, self.line, self.column)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Moves past one character.
    fn bump(&mut self) -> Option<char> {
        let c = self.text[self.at..].chars().next()?;
        self.at += c.len_utf8();
        self.chars += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn fail(&self, what: &str) -> ScanError {
        ScanError::new_str(self.marker(), what)
    }

    fn event(&self, event: Event<'a>, start: Marker) -> Item<'a> {
        Ok((event, Span::new(start, self.marker())))
    }

    /// A string token, its quotes included in the span.
    fn string(&mut self) -> Result<String, ScanError> {
        self.bump();
        let mut out = String::new();
        loop {
            let run = self.text[self.at..]
                .find(|c: char| c == '"' || c == '\\' || c.is_control())
                .ok_or_else(|| self.fail("unterminated string"))?;
            let chunk = &self.text[self.at..self.at + run];
            out.push_str(chunk);
            self.chars += chunk.chars().count();
            self.column += chunk.chars().count();
            self.at += run;
            match self.bump() {
                Some('"') => return Ok(out),
                Some('\\') => {
                    let c = match self.bump() {
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('/') => '/',
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('u') => self.unicode()?,
                        _ => return Err(self.fail("invalid escape")),
                    };
                    out.push(c);
                }
                _ => return Err(self.fail("control character in string")),
            }
        }
    }

    /// The character of a `\u` escape, surrogate pairs joined.
    fn unicode(&mut self) -> Result<char, ScanError> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high).ok_or_else(|| self.fail("invalid \\u escape"));
        }
        if self.bump() != Some('\\') || self.bump() != Some('u') {
            return Err(self.fail("unpaired surrogate"));
        }
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(self.fail("unpaired surrogate"));
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            .ok_or_else(|| self.fail("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, ScanError> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.fail("invalid \\u escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.fail("invalid \\u escape"))?;
        for _ in 0..4 {
            self.bump();
        }
        Ok(value)
    }

    /// A number, `true`, `false` or `null`: the plain scalar YAML reads them as.
    fn word(&mut self) -> Result<&'a str, ScanError> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'+' | b'.')
        ) {
            self.bump();
        }
        let word = &self.text[start..self.at];
        let number = word
            .strip_prefix('-')
            .unwrap_or(word)
            .starts_with(|c: char| c.is_ascii_digit())
            && serde_json::from_str::<serde_json::Number>(word).is_ok();
        if number || matches!(word, "true" | "false" | "null") {
            Ok(word)
        } else {
            Err(self.fail("not a JSON value"))
        }
    }

    fn value(&mut self) -> Item<'a> {
        let start = self.marker();
        match self.peek() {
            Some(b'{') => {
                self.bump();
                self.open.push(true);
                self.expect = Expect::FirstKey;
                self.event(Event::MappingStart(0, None), start)
            }
            Some(b'[') => {
                self.bump();
                self.open.push(false);
                self.expect = Expect::FirstElement;
                self.event(Event::SequenceStart(0, None), start)
            }
            Some(b'"') => {
                let s = self.string()?;
                self.done();
                self.event(
                    Event::Scalar(Cow::Owned(s), ScalarStyle::DoubleQuoted, 0, None),
                    start,
                )
            }
            Some(_) => {
                let word = self.word()?;
                self.done();
                self.event(
                    Event::Scalar(Cow::Borrowed(word), ScalarStyle::Plain, 0, None),
                    start,
                )
            }
            None => Err(self.fail("unexpected end of text")),
        }
    }

    /// A value is complete: what may follow it.
    fn done(&mut self) {
        self.expect = if self.open.is_empty() {
            Expect::End
        } else {
            Expect::Next
        };
    }

    fn close(&mut self) -> Item<'a> {
        let start = self.marker();
        let object = self.open.pop().expect("a container is open");
        self.bump();
        self.done();
        let event = if object {
            Event::MappingEnd
        } else {
            Event::SequenceEnd
        };
        self.event(event, start)
    }

    fn key(&mut self) -> Item<'a> {
        let start = self.marker();
        if self.peek() != Some(b'"') {
            return Err(self.fail("expected a key in double quotes"));
        }
        let key = self.string()?;
        let span = Span::new(start, self.marker());
        self.skip_space();
        if self.peek() != Some(b':') {
            return Err(self.fail("expected `:` after a key"));
        }
        self.bump();
        self.expect = Expect::Value;
        Ok((
            Event::Scalar(Cow::Owned(key), ScalarStyle::DoubleQuoted, 0, None),
            span,
        ))
    }

    fn step(&mut self) -> Option<Item<'a>> {
        let here = self.marker();
        let span = Span::new(here, here);
        match self.stage {
            0 => {
                self.stage = 1;
                return Some(Ok((Event::StreamStart, span)));
            }
            1 => {
                self.stage = 2;
                return Some(Ok((Event::DocumentStart(false), span)));
            }
            3 => {
                self.stage = 4;
                return Some(Ok((Event::StreamEnd, span)));
            }
            4 => return None,
            _ => {}
        }
        self.skip_space();
        let item = match (self.expect, self.peek()) {
            (Expect::End, None) => {
                self.stage = 3;
                return Some(Ok((Event::DocumentEnd, span)));
            }
            (Expect::End, Some(_)) => Err(self.fail("text after the document")),
            (Expect::Value, _) => self.value(),
            (Expect::FirstKey, Some(b'}')) | (Expect::FirstElement, Some(b']')) => self.close(),
            (Expect::FirstKey, _) => self.key(),
            (Expect::FirstElement, _) => self.value(),
            (Expect::Next, Some(b',')) => {
                self.bump();
                self.skip_space();
                if self.open.last() == Some(&true) {
                    self.key()
                } else {
                    self.value()
                }
            }
            (Expect::Next, Some(b'}')) if self.open.last() == Some(&true) => self.close(),
            (Expect::Next, Some(b']')) if self.open.last() == Some(&false) => self.close(),
            (Expect::Next, _) => Err(self.fail("expected `,` or the end of the container")),
        };
        if item.is_err() {
            self.stage = 4;
        }
        Some(item)
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of a text as (kind, value, byte span), from either reader.
    fn events<'a>(items: impl Iterator<Item = Item<'a>>, text: &str) -> Vec<String> {
        let chars: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect();
        items
            .map(|item| {
                let (event, span) = item.unwrap();
                let at = format!("{}-{}", chars[span.start.index()], chars[span.end.index()]);
                match event {
                    Event::Scalar(v, style, _, _) => format!("scalar {v:?} {style:?} @{at}"),
                    Event::MappingStart(..) => format!("map @{at}"),
                    Event::SequenceStart(..) => format!("seq @{at}"),
                    Event::MappingEnd => format!("end map @{at}"),
                    Event::SequenceEnd => format!("end seq @{at}"),
                    other => format!("{other:?}"),
                }
            })
            .filter(|e| !e.starts_with("Stream") && !e.starts_with("Document"))
            .collect()
    }

    #[test]
    fn gives_the_events_and_places_the_yaml_reader_gives() {
        let text: &'static str = "{\n  \"a\": [1, -2.5e3, true, null, \"x\\u00e9\\n\"],\n  \"b\\\"\": {}, \"é\": \"ü\"\n}\n";
        let mut parser = saphyr_parser::Parser::new_from_str(text);
        let yaml = events(std::iter::from_fn(move || parser.next_event()), text);
        assert_eq!(events(Events::new(text), text), yaml);
        assert!(
            yaml.contains(&"scalar \"xé\\n\" DoubleQuoted @33-44".to_owned()),
            "{yaml:?}"
        );
    }

    /// JSON writes a character beyond the first 65 536 as two escapes, which
    /// YAML does not join: this reader does.
    #[test]
    fn surrogate_pairs_are_one_character() {
        let text: &'static str = "[\"\\ud83d\\ude00\"]";
        assert_eq!(
            events(Events::new(text), text),
            [
                "seq @0-1",
                "scalar \"😀\" DoubleQuoted @1-15",
                "end seq @15-16"
            ]
        );
    }

    /// Random documents, compact and pretty, give the same events and places
    /// from both readers.
    #[test]
    fn random_documents_read_the_same_as_yaml() {
        use serde_json::{Map, Value, json};
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let pieces = [
            "a", "B c", "é", "\\", "\"", "/", "\n", "\t", "ü😀", "x:y", "#", " - ", "{}", "[]", "",
        ];
        fn value(depth: u32, next: &mut impl FnMut(u64) -> u64, pieces: &[&str]) -> Value {
            let text = |next: &mut dyn FnMut(u64) -> u64| -> String {
                (0..next(4))
                    .map(|_| pieces[next(pieces.len() as u64) as usize])
                    .collect()
            };
            match if depth > 3 { next(4) } else { next(6) } {
                0 => json!(next(2_000_000) as i64 - 1_000_000),
                1 => json!((next(1_000_000) as f64) / 64.0 - 7000.5),
                2 => json!(text(next)),
                3 => [json!(true), json!(false), Value::Null][next(3) as usize].clone(),
                4 => Value::Array(
                    (0..next(4))
                        .map(|_| value(depth + 1, next, pieces))
                        .collect(),
                ),
                _ => {
                    let mut m = Map::new();
                    for _ in 0..next(4) {
                        let key = text(next);
                        m.insert(key, value(depth + 1, next, pieces));
                    }
                    Value::Object(m)
                }
            }
        }
        for _ in 0..400 {
            let mut doc = Map::new();
            doc.insert("root".into(), value(0, &mut next, &pieces));
            let doc = Value::Object(doc);
            for text in [
                serde_json::to_string(&doc).unwrap(),
                serde_json::to_string_pretty(&doc).unwrap(),
            ] {
                let mut parser = saphyr_parser::Parser::new_from_str(&text);
                let yaml = events(std::iter::from_fn(|| parser.next_event()), &text);
                assert_eq!(events(Events::new(&text), &text), yaml, "{text}");
            }
        }
    }

    #[test]
    fn anything_but_plain_json_is_an_error() {
        for bad in [
            "{\"a\": 1,}",
            "{a: 1}",
            "[1 2]",
            "{\"a\": 01x}",
            "{\"a\": \"\\q\"}",
            "{\"a\": \"\\ud800\"}",
            "[\"tab\there\"]",
            "{} {}",
            "[",
            "{\"a\": yes}",
        ] {
            let failed = Events::new(bad).any(|e| e.is_err());
            assert!(failed, "{bad}");
        }
    }
}
