//! JSON-RPC messages framed as the Language Server Protocol frames them:
//! headers, a blank line, then `Content-Length` bytes of JSON.
//!
//! Written here rather than taken from a crate because a server must survive
//! its client: a length of petabytes is refused before anything is allocated,
//! a header line has a bound, and a body that is not JSON is answered with a
//! parse error while the connection goes on.

use std::io::{self, BufRead, Read, Write};

use serde_json::Value;

/// The largest message read: well above the largest file cib reads (8 MiB),
/// written out as a JSON string with every character escaped.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;
/// The longest header line, and the most header lines, of one message.
const MAX_HEADER_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 32;

/// What one frame held.
#[derive(Debug)]
pub enum Frame {
    Message(Value),
    /// A body that is not JSON, with the parser's reason.
    NotJson(String),
}

/// Reads the next frame; `Ok(None)` at the end of the input. `Err` when the
/// framing itself is broken, after which nothing more can be read.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return if headers == 0 {
                Ok(None)
            } else {
                Err(broken("the input ended inside a message's headers"))
            };
        }
        if line.last() != Some(&b'\n') {
            return Err(broken("a header line is too long or unterminated"));
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if headers == 0 {
                continue;
            }
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Err(broken("a message has too many headers"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(broken(&format!("`{line}` is not a header")));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value: usize = value
                .trim()
                .parse()
                .map_err(|_| broken(&format!("`{}` is not a length", value.trim())))?;
            length = Some(value);
        }
    }
    let length = length.ok_or_else(|| broken("a message has no Content-Length header"))?;
    if length > MAX_MESSAGE {
        return Err(broken(&format!(
            "a message of {length} bytes is over the {MAX_MESSAGE}-byte limit"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(match serde_json::from_slice(&body) {
        Ok(value) => Frame::Message(value),
        Err(error) => Frame::NotJson(error.to_string()),
    }))
}

/// Writes one message and flushes it.
pub fn write(output: &mut impl Write, message: &Value) -> io::Result<()> {
    let body = message.to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

fn broken(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<Frame, String>> {
        let mut input = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read(&mut input) {
                Ok(Some(frame)) => out.push(Ok(frame)),
                Ok(None) => return out,
                Err(error) => {
                    out.push(Err(error.to_string()));
                    return out;
                }
            }
        }
    }

    #[test]
    fn reads_what_it_writes_and_goes_on_after_bad_json() {
        let mut bytes = Vec::new();
        write(&mut bytes, &serde_json::json!({"id": 1})).unwrap();
        bytes.extend_from_slice(b"content-length: 5\r\n\r\n{not}");
        write(&mut bytes, &serde_json::json!({"id": 2})).unwrap();
        let read = frames(&bytes);
        assert_eq!(read.len(), 3);
        assert!(matches!(&read[0], Ok(Frame::Message(v)) if v["id"] == 1));
        assert!(matches!(&read[1], Ok(Frame::NotJson(_))));
        assert!(matches!(&read[2], Ok(Frame::Message(v)) if v["id"] == 2));
    }

    #[test]
    fn refuses_a_huge_length_before_allocating_it() {
        let read = frames(b"Content-Length: 99999999999999\r\n\r\n{}");
        assert!(matches!(&read[..], [Err(e)] if e.contains("over the")));
        let read = frames(b"Content-Type: x\r\n\r\n{}");
        assert!(matches!(&read[..], [Err(e)] if e.contains("no Content-Length")));
        let long = vec![b'x'; 10_000];
        assert!(matches!(&frames(&long)[..], [Err(e)] if e.contains("too long")));
        let read = frames(b"Content-Length: 10\r\n\r\n{}");
        assert!(matches!(&read[..], [Err(_)]));
    }
}
