//! `cib lsp` driven over stdio as an editor drives it: JSON-RPC frames in,
//! answers and published findings out.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use super::{binary, copy_tree, fixtures};

/// How long any answer may take before the test calls the server hung. Not
/// a measure of speed (BENCHMARKS.md has those): a guard against waiting
/// forever.
const HUNG: Duration = Duration::from_secs(60);

/// A client: the server's process, its input, and what it has said.
struct Client {
    child: Child,
    input: Option<ChildStdin>,
    inbox: Receiver<Value>,
    next_id: i64,
    /// The last findings published for each URI.
    published: HashMap<String, Vec<Value>>,
    /// How many times findings were published for each URI.
    publishes: HashMap<String, usize>,
    /// What the server asked the editor to show the user.
    shown: Vec<String>,
    root: PathBuf,
}

impl Client {
    /// Starts `cib lsp` in `root` (not yet initialized).
    fn spawn(root: &Path) -> Client {
        let mut child = Command::new(binary())
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start cib lsp");
        let stdout = child.stdout.take().unwrap();
        let (send, inbox) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                out.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let input = child.stdin.take();
        Client {
            child,
            input,
            inbox,
            next_id: 0,
            published: HashMap::new(),
            publishes: HashMap::new(),
            shown: Vec::new(),
            root: root.canonicalize().unwrap(),
        }
    }

    /// Starts and initializes a server on a copy of `root`.
    fn start(root: &Path) -> Client {
        let mut client = Client::spawn(root);
        let answer = client.request(
            "initialize",
            json!({"rootUri": uri(&client.root, ""), "capabilities": {}}),
        );
        assert_eq!(answer["result"]["serverInfo"]["name"], "cib", "{answer}");
        client.notify("initialized", json!({}));
        client
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("input open");
        input.write_all(bytes).unwrap();
        input.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.write_raw(frame.as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response, noting what was
    /// published meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.until(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message that `wanted` accepts, noting every publish.
    fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + HUNG;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.inbox.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("the server said nothing for {HUNG:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message["method"] == "textDocument/publishDiagnostics" {
                let uri = message["params"]["uri"].as_str().unwrap().to_owned();
                let found = message["params"]["diagnostics"].as_array().unwrap().clone();
                *self.publishes.entry(uri.clone()).or_default() += 1;
                self.published.insert(uri, found);
            }
            if message["method"] == "window/showMessage" {
                self.shown
                    .push(message["params"]["message"].as_str().unwrap().to_owned());
            }
            if wanted(&message) {
                return message;
            }
        }
    }

    /// Waits for findings of `file` that `wanted` accepts, and returns them.
    fn findings(&mut self, file: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = uri(&self.root, file);
        if let Some(found) = self.published.get(&uri)
            && wanted(found)
        {
            return found.clone();
        }
        let message = self.until(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri.as_str()
                && wanted(m["params"]["diagnostics"].as_array().unwrap())
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, file: &str) -> String {
        let text = std::fs::read_to_string(self.root.join(file)).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&self.root, file), "languageId": "", "version": 0, "text": text}}),
        );
        text
    }

    /// Replaces the whole text of an open document.
    fn replace(&mut self, file: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&self.root, file), "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    fn at(&self, file: &str, line: u32, character: u32) -> Value {
        json!({"textDocument": {"uri": uri(&self.root, file)},
               "position": {"line": line, "character": character}})
    }

    /// Shuts the server down as an editor does; returns its exit code and
    /// what it wrote to standard error.
    fn stop(mut self) -> (Option<i32>, String) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.finish()
    }

    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.input.take());
        let deadline = Instant::now() + HUNG;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (status.code(), stderr)
    }
}

fn uri(root: &Path, file: &str) -> String {
    let path = if file.is_empty() {
        root.to_path_buf()
    } else {
        root.join(file)
    };
    url::Url::from_file_path(path).unwrap().to_string()
}

/// The base fixture in a temporary folder.
fn base() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    dir
}

fn codes(found: &[Value]) -> Vec<&str> {
    found.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// A range as `((line, character), (line, character))`.
type Range = ((u64, u64), (u64, u64));

fn span(range: &Value) -> Range {
    let at = |p: &Value| {
        (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        )
    };
    (at(&range["start"]), at(&range["end"]))
}

/// Applies a list of `TextEdit`s to ASCII text, as an editor does.
fn apply(text: &str, edits: &[Value]) -> String {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let offset = |p: &Value| {
        starts[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

const LESSON: &str = "lessons/one.md";
const COMPETENCIES: &str = "competencies/comp.yaml";

#[test]
fn a_wrong_competency_id_is_reported_at_its_place_as_the_author_types() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(LESSON);
    assert_eq!(client.findings(LESSON, |_| true), Vec::<Value>::new());
    // Line 4 is `teaches: [C-ONE, C-TWO]`; type a new id at its start.
    assert!(text.lines().nth(4).unwrap().starts_with("teaches: [C-ONE"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&client.root, LESSON), "version": 1},
               "contentChanges": [{"range": {"start": {"line": 4, "character": 10},
                   "end": {"line": 4, "character": 10}}, "text": "C-THREE, "}]}),
    );
    let found = client.findings(LESSON, |f| !f.is_empty());
    assert_eq!(codes(&found), ["R005"], "{found:?}");
    assert_eq!(span(&found[0]["range"]), ((4, 10), (4, 17)));
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["source"], "cib");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`C-THREE`, which no competency framework defines"),
        "{message}"
    );
    // Typing it away clears it.
    client.replace(LESSON, 2, &text);
    assert_eq!(
        client.findings(LESSON, <[Value]>::is_empty),
        Vec::<Value>::new()
    );
    assert_eq!(client.stop().0, Some(0));
}

#[test]
fn a_finding_across_files_names_both_places() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(COMPETENCIES);
    client.replace(COMPETENCIES, 1, &text.replace("- id: C-TWO", "- id: C-ONE"));
    let found = client.findings(COMPETENCIES, |f| codes(f).contains(&"R001"));
    let duplicate = found.iter().find(|d| d["code"] == "R001").unwrap();
    let related = &duplicate["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri(&client.root, COMPETENCIES));
    assert_eq!(span(&related["location"]["range"]), ((6, 8), (6, 13)));
    assert_eq!(related["message"], "first defined here");
    // The lesson, not open, is told too: its `C-TWO` now names nothing.
    let lesson = client.findings(LESSON, |f| !f.is_empty());
    assert_eq!(codes(&lesson), ["R005"]);
    client.stop();
}

#[test]
fn a_file_changed_on_disk_is_read_again_without_a_word_from_the_editor() {
    let dir = base();
    let mut client = Client::start(dir.path());
    client.open(LESSON);
    assert_eq!(client.findings(LESSON, |_| true), Vec::<Value>::new());
    // A checkout or another program renames a competency the open lesson teaches.
    super::edit(dir.path(), COMPETENCIES, "- id: C-TWO", "- id: C-2");
    let found = client.findings(LESSON, |f| !f.is_empty());
    assert_eq!(codes(&found), ["R005"], "{found:?}");
    super::edit(dir.path(), COMPETENCIES, "- id: C-2", "- id: C-TWO");
    client.findings(LESSON, <[Value]>::is_empty);
    client.stop();
}

#[test]
fn completion_offers_ids_with_titles_and_codes_with_their_status() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(LESSON);
    client.replace(
        LESSON,
        1,
        &text.replace("teaches: [C-ONE, C-TWO]", "teaches: [C-"),
    );
    let answer = client.request("textDocument/completion", client.at(LESSON, 4, 12));
    let items = answer["result"]["items"].as_array().unwrap();
    let shown: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i["label"].as_str().unwrap(), i["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(shown, [("C-ONE", "First"), ("C-TWO", "Second")]);
    assert_eq!(span(&items[0]["textEdit"]["range"]), ((4, 10), (4, 12)));
    // Alignment targets, in a competency framework: `framework:code`.
    let text = client.open(COMPETENCIES);
    let line = text
        .lines()
        .position(|l| l.contains("target: ext:B"))
        .unwrap();
    client.replace(
        COMPETENCIES,
        1,
        &text.replace("target: ext:B", "target: ext:"),
    );
    let column = "      - target: ext:".len() as u32;
    let answer = client.request(
        "textDocument/completion",
        client.at(COMPETENCIES, line as u32, column),
    );
    let items = answer["result"]["items"].as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["ext:A", "ext:A.1", "ext:B"]);
    assert_eq!(items[2]["detail"], "Topic B (provisional)");
    // Relation names, on the next line, after `relation: is`.
    let answer = client.request(
        "textDocument/completion",
        client.at(COMPETENCIES, line as u32 + 1, 20),
    );
    let labels: Vec<&str> = answer["result"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["isPartOf", "isRelatedTo"]);
    client.stop();
}

#[test]
fn hover_shows_the_standard_and_the_competency_behind_an_id() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(COMPETENCIES);
    let line = text
        .lines()
        .position(|l| l.contains("target: ext:A.1"))
        .unwrap() as u32;
    let answer = client.request("textDocument/hover", client.at(COMPETENCIES, line, 18));
    let shown = answer["result"]["contents"]["value"].as_str().unwrap();
    for expected in [
        "**ext:A.1** · Objective A.1",
        "External framework (Test publisher, 2020)",
        "Coverage: **assessed**",
        "Competencies: `C-ONE` (exactMatchOf)",
        "Taught in: `lesson-one`",
    ] {
        assert!(shown.contains(expected), "{expected:?} in {shown}");
    }
    client.open(LESSON);
    let answer = client.request("textDocument/hover", client.at(LESSON, 4, 12));
    let shown = answer["result"]["contents"]["value"].as_str().unwrap();
    for expected in [
        "**C-ONE** · First",
        "Do the first thing to standard.",
        "Taught in: `lesson-one`",
    ] {
        assert!(shown.contains(expected), "{expected:?} in {shown}");
    }
    assert_eq!(span(&answer["result"]["range"]), ((4, 10), (4, 15)));
    // On a finding: what `cib explain` says of its code.
    let text = std::fs::read_to_string(client.root.join(LESSON)).unwrap();
    client.replace(LESSON, 1, &text.replace("C-TWO]", "C-NONE]"));
    client.findings(LESSON, |f| !f.is_empty());
    let answer = client.request("textDocument/hover", client.at(LESSON, 4, 19));
    let shown = answer["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("**R005** unknown-lesson-competency"),
        "{shown}"
    );
    assert!(shown.contains("## How to fix"), "{shown}");
    client.stop();
}

#[test]
fn definition_and_references_follow_a_competency_across_files() {
    let dir = base();
    let mut client = Client::start(dir.path());
    client.open(LESSON);
    let answer = client.request("textDocument/definition", client.at(LESSON, 4, 11));
    let found = answer["result"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["uri"], uri(&client.root, COMPETENCIES));
    assert_eq!(span(&found[0]["range"]), ((6, 8), (6, 13)));
    let mut params = client.at(LESSON, 4, 11);
    params["context"] = json!({"includeDeclaration": true});
    let answer = client.request("textDocument/references", params);
    let mut found: Vec<(String, Range)> = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let file = l["uri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            (file, span(&l["range"]))
        })
        .collect();
    found.sort();
    let expected = [
        ("comp.yaml", ((6, 8), (6, 13))),
        ("comp.yaml", ((22, 20), (22, 25))),
        ("one.md", ((4, 10), (4, 15))),
        ("one.md", ((5, 11), (5, 16))),
    ];
    let expected: Vec<(String, _)> = expected.iter().map(|(f, r)| (f.to_string(), *r)).collect();
    assert_eq!(found, expected);
    client.stop();
}

#[test]
fn renaming_a_competency_edits_every_file_that_names_it_and_nothing_else() {
    let dir = base();
    // A quoted use and a comment that mentions the id: the quotes stay, the
    // comment is not a use.
    super::edit(
        dir.path(),
        LESSON,
        "assesses: [C-ONE]",
        "assesses: [\"C-ONE\"] # C-ONE",
    );
    let mut client = Client::start(dir.path());
    client.open(LESSON);
    let prepared = client.request("textDocument/prepareRename", client.at(LESSON, 4, 12));
    assert_eq!(prepared["result"]["placeholder"], "C-ONE");
    assert_eq!(span(&prepared["result"]["range"]), ((4, 10), (4, 15)));
    let mut params = client.at(LESSON, 4, 12);
    params["newName"] = json!("C-FIRST");
    let answer = client.request("textDocument/rename", params);
    let changes = answer["result"]["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{answer}");
    for file in [LESSON, COMPETENCIES] {
        let path = dir.path().join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        let edits = changes[&uri(&client.root, file)].as_array().unwrap();
        let after = apply(&before, edits);
        let expected = match file {
            LESSON => before
                .replacen("C-ONE", "C-FIRST", 2)
                .replace("\"C-ONE\"", "\"C-FIRST\""),
            _ => before.replace("C-ONE", "C-FIRST"),
        };
        assert_eq!(after, expected, "{file}");
        std::fs::write(&path, after).unwrap();
    }
    // Refused: a name taken, a name that is no id, a place that is no id.
    for (name, why) in [
        ("C-TWO", "exists already"),
        ("c one", "is not a competency id"),
    ] {
        let mut params = client.at(LESSON, 4, 12);
        params["newName"] = json!(name);
        let answer = client.request("textDocument/rename", params);
        assert_eq!(answer["error"]["code"], -32803, "{answer}");
        assert!(
            answer["error"]["message"].as_str().unwrap().contains(why),
            "{answer}"
        );
    }
    let prepared = client.request("textDocument/prepareRename", client.at(LESSON, 2, 3));
    assert_eq!(prepared["result"], Value::Null);
    client.stop();
    let out = super::run(dir.path(), &["check", "--format", "short"]);
    assert_eq!(out.status.code(), Some(0), "{}", super::stdout(&out));
}

#[test]
fn quick_fixes_apply_a_did_you_mean_and_add_what_is_missing() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(LESSON);
    let typo = text.replace("teaches: [C-ONE, C-TWO]", "teaches: [C-ONE, C-TW0]");
    client.replace(LESSON, 1, &typo);
    let found = client.findings(LESSON, |f| !f.is_empty());
    assert_eq!(
        found[0]["data"],
        json!({"replace": "C-TW0", "with": "C-TWO"})
    );
    let mut params = client.at(LESSON, 4, 18);
    params["range"] = found[0]["range"].clone();
    params["context"] = json!({"diagnostics": found});
    let answer = client.request("textDocument/codeAction", params);
    let actions = answer["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["title"] == "Replace `C-TW0` with `C-TWO`")
        .unwrap_or_else(|| panic!("{answer}"));
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][uri(&client.root, LESSON)]
        .as_array()
        .unwrap();
    let fixed = apply(&typo, edits);
    assert_eq!(fixed, text);
    client.replace(LESSON, 2, &fixed);
    client.findings(LESSON, <[Value]>::is_empty);

    // A question without an answer: the fix adds its entry, indented as
    // the others, for the author to write.
    let asked = text.replace(
        "    prompt: What is the first thing?\n",
        "    prompt: What is the first thing?\n  - id: q2\n    prompt: And the second?\n",
    );
    client.replace(LESSON, 3, &asked);
    let found = client.findings(LESSON, |f| codes(f).contains(&"C002"));
    let unanswered = found.iter().find(|d| d["code"] == "C002").unwrap();
    let mut params = client.at(LESSON, 0, 0);
    params["range"] = unanswered["range"].clone();
    let answer = client.request("textDocument/codeAction", params);
    let fix = &answer["result"][0];
    assert_eq!(fix["title"], "Add `q2` to the answer key", "{answer}");
    let edits = fix["edit"]["changes"][uri(&client.root, LESSON)]
        .as_array()
        .unwrap();
    let answered = apply(&asked, edits);
    assert!(
        answered.contains("    q1: The first thing.\n    q2: Replace with the answer.\n---"),
        "{answered}"
    );
    client.replace(LESSON, 4, &answered);
    let found = client.findings(LESSON, |f| !codes(f).contains(&"C002"));
    assert_eq!(
        codes(&found),
        ["C025"],
        "the placeholder is left for the author"
    );

    // An id no framework defines: the fix creates it from `cib new`'s template.
    client.replace(LESSON, 5, &text.replace("C-TWO]", "C-THREE]"));
    let found = client.findings(LESSON, |f| codes(f).contains(&"R005"));
    let mut params = client.at(LESSON, 0, 0);
    params["range"] = found[0]["range"].clone();
    let answer = client.request("textDocument/codeAction", params);
    let fix = &answer["result"][0];
    assert_eq!(
        fix["title"], "Create competency `C-THREE` in `comp`",
        "{answer}"
    );
    let edits = fix["edit"]["changes"][uri(&client.root, COMPETENCIES)]
        .as_array()
        .unwrap();
    let path = dir.path().join(COMPETENCIES);
    let grown = apply(&std::fs::read_to_string(&path).unwrap(), edits);
    assert!(
        grown.contains("  - id: C-THREE\n    title: Replace with"),
        "{grown}"
    );
    std::fs::write(&path, grown).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri(&client.root, COMPETENCIES)}}),
    );
    let found = client.findings(LESSON, |f| !codes(f).contains(&"R005"));
    assert!(!codes(&found).contains(&"R005"), "{found:?}");
    client.stop();
}

#[test]
fn the_outline_lists_competencies_and_a_lessons_sections() {
    let dir = base();
    let mut client = Client::start(dir.path());
    client.open(COMPETENCIES);
    let answer = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&client.root, COMPETENCIES)}}),
    );
    let names: Vec<(&str, &str)> = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("C-ONE", "First"), ("C-TWO", "Second")]);
    let answer = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&client.root, LESSON)}}),
    );
    let names: Vec<&str> = answer["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["lesson-one", "Lesson one"]);
    client.stop();
}

#[test]
fn the_server_answers_what_a_client_gets_wrong_and_goes_on() {
    let dir = base();
    let mut client = Client::spawn(dir.path());
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let answer = client.request(
        "initialize",
        json!({"rootUri": uri(&client.root, ""),
               "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(
        answer["result"]["capabilities"]["positionEncoding"],
        "utf-8"
    );
    client.notify("initialized", json!({}));
    // Not JSON: a parse error for no id, and the connection goes on.
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let answer = client.until(|m| m["error"]["code"] == -32700);
    assert_eq!(answer["id"], Value::Null);
    // An id that is neither a number nor a string.
    client.send(&json!({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover"}));
    let answer = client.until(|m| m["error"]["code"] == -32600);
    assert_eq!(answer["id"], Value::Null);
    let answer = client.request("textDocument/formatting", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    client.notify("$/setTrace", json!({"value": "off"}));
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    // Parameters of the wrong shape, a file outside the curriculum, a
    // position far past the end: answered with nothing, not an error.
    for params in [
        json!({}),
        json!({"textDocument": {"uri": 7}, "position": "top"}),
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
        json!({"textDocument": {"uri": "file:///elsewhere/notes.md"}, "position": {"line": 0, "character": 0}}),
        client.at(LESSON, 9_999_999, 4_000_000_000),
    ] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
        ] {
            let answer = client.request(method, params.clone());
            assert!(answer.get("error").is_none(), "{method} {params}: {answer}");
        }
    }
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///elsewhere/notes.md", "languageId": "", "version": 0, "text": "x"}}),
    );
    // An edit whose range is past the end is clamped, not a crash.
    client.open(LESSON);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri(&client.root, LESSON), "version": 1},
               "contentChanges": [{"range": {"start": {"line": 500, "character": 3},
                   "end": {"line": 600, "character": 900}}, "text": "é"}]}),
    );
    let hover = client.request("textDocument/hover", client.at(LESSON, 4, 12));
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("C-ONE")
    );
    assert!(!client.publishes.contains_key("file:///elsewhere/notes.md"));
    // After shutdown, requests are refused, and `exit` ends the server well.
    let answer = client.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null);
    let answer = client.request("textDocument/hover", client.at(LESSON, 4, 12));
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    client.notify("exit", Value::Null);
    assert_eq!(client.finish().0, Some(0));
}

#[test]
fn a_lesson_not_yet_saved_is_checked_with_the_rest() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let file = "lessons/two.md";
    let text = std::fs::read_to_string(dir.path().join(LESSON))
        .unwrap()
        .replace("id: lesson-one", "id: lesson-two")
        .replace("C-TWO]", "C-NONE]");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&client.root, file), "languageId": "", "version": 0, "text": text}}),
    );
    let found = client.findings(file, |f| !f.is_empty());
    assert_eq!(codes(&found), ["R005"], "{found:?}");
    assert!(!dir.path().join(file).exists(), "the server writes nothing");
    client.stop();
}

#[test]
fn a_folder_that_is_no_curriculum_gets_a_warning_and_empty_answers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "# Notes\n").unwrap();
    let mut client = Client::spawn(dir.path());
    let answer = client.request(
        "initialize",
        json!({"rootUri": uri(&client.root, ""), "capabilities": {}}),
    );
    assert!(
        answer["result"]["capabilities"]["hoverProvider"] == true,
        "{answer}"
    );
    assert!(
        client
            .shown
            .iter()
            .any(|m| m.contains("no curriculum.yaml")),
        "{:?}",
        client.shown
    );
    client.notify("initialized", json!({}));
    client.open("notes.md");
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        let answer = client.request(method, client.at("notes.md", 0, 2));
        assert_eq!(answer["result"], Value::Null, "{method}: {answer}");
    }
    assert!(client.publishes.is_empty());
    assert_eq!(client.stop().0, Some(0));
}

#[test]
fn a_curriculum_yaml_that_does_not_parse_is_reported_and_the_server_stays_up() {
    let dir = base();
    let mut client = Client::start(dir.path());
    client.open("curriculum.yaml");
    client.replace("curriculum.yaml", 1, "title: [unclosed\n");
    let found = client.findings("curriculum.yaml", |f| !f.is_empty());
    assert_eq!(codes(&found), ["P001"], "{found:?}");
    client.open(LESSON);
    let answer = client.request("textDocument/hover", client.at(LESSON, 4, 12));
    assert!(
        answer["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("C-ONE")
    );
    client.stop();
}

#[test]
fn ten_thousand_edits_in_a_row_end_in_the_last_texts_findings() {
    let dir = base();
    let mut client = Client::start(dir.path());
    let text = client.open(LESSON);
    client.findings(LESSON, |_| true);
    let uri = uri(&client.root, LESSON);
    let mut burst = Vec::new();
    for version in 1..=10_000 {
        // Each edit types a character into the body, then the last one
        // breaks an id.
        let change = if version == 10_000 {
            json!({"text": text.replace("C-TWO]", "C-NONE]")})
        } else {
            json!({"range": {"start": {"line": 23, "character": 0}, "end": {"line": 23, "character": 0}}, "text": "x"})
        };
        let message = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}});
        let body = message.to_string();
        burst.extend_from_slice(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }
    // Written from a thread: the server may be checking while the pipe fills.
    let mut input = client.input.take().unwrap();
    let writer = std::thread::spawn(move || {
        input.write_all(&burst).unwrap();
        input.flush().unwrap();
        input
    });
    let found = client.findings(LESSON, |f| codes(f).contains(&"R005"));
    client.input = Some(writer.join().unwrap());
    assert!(found[0]["message"].as_str().unwrap().contains("C-NONE"));
    let publishes = client.publishes[&uri];
    assert!(
        publishes < 10_000,
        "{publishes} publishes: edits are taken together"
    );
    let status = std::fs::read_to_string(format!("/proc/{}/status", client.child.id())).unwrap();
    let peak_kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(peak_kib < 200 * 1024, "peak memory {peak_kib} KiB");
    client.stop();
}

#[test]
fn a_client_that_goes_away_or_sends_too_much_ends_the_server_cleanly() {
    let dir = base();
    // Input closed without `exit`: the protocol's code for that is 1.
    let client = Client::start(dir.path());
    assert_eq!(client.finish().0, Some(1));
    // A length no message has: refused before it is allocated.
    let mut client = Client::start(dir.path());
    client.write_raw(b"Content-Length: 99999999999999\r\n\r\n{}");
    let (code, stderr) = client.finish();
    assert_eq!(code, Some(1));
    assert!(stderr.contains("over the 67108864-byte limit"), "{stderr}");
    // `exit` before `shutdown`.
    let mut client = Client::start(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.finish().0, Some(1));
}
