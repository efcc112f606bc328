//! The server's loop: messages in, the engine kept current, findings and
//! answers out.
//!
//! One thread reads frames and hands them over one at a time (so a client
//! that floods the server waits instead of filling memory); this one applies
//! edits as they come and checks only when no message is waiting, so a burst
//! of keystrokes costs one check. Requests that read the model's spans check
//! first; completion answers at once from the last check and the text as
//! typed, since it needs no span of the edited file.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use serde_json::{Value, json};

use super::engine::Engine;
use super::request::{Context, Refusal};
use super::text::{self, Encoding, Lines};
use super::transport::{self, Frame};
use super::{features, uri};
use crate::diag::{Diagnostic, FileId};

/// JSON-RPC and protocol error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;
const SERVER_NOT_INITIALIZED: i64 = -32002;
const REQUEST_FAILED: i64 = -32803;

/// What the loop waits for: a message from the editor, or files of the
/// curriculum that changed on disk.
enum Input {
    Frame(Frame),
    Disk(Vec<PathBuf>),
    /// The editor's output ended, or broke.
    Closed,
}

/// The most bytes of unsaved text the server holds for one document, and in
/// all: twice cib's file limit (a larger file is reported, not read), and the
/// curriculum's own limit.
const MAX_DOCUMENT: usize = 2 * crate::load::MAX_FILE_BYTES as usize;
const MAX_OPEN_BYTES: usize = crate::load::MAX_TOTAL_BYTES as usize;

/// Serves one client over `input` and `output` until it says `exit` or goes
/// away; returns the process's exit code (0 only after `shutdown`, as the
/// protocol asks). `fallback` is where to look for a curriculum when the
/// client names no folder that holds one.
pub fn serve(input: impl BufRead + Send + 'static, output: impl Write, fallback: PathBuf) -> i32 {
    let (inputs, inbox) = mpsc::sync_channel(0);
    let frames = inputs.clone();
    let reader = std::thread::spawn(move || {
        let mut input = input;
        loop {
            match transport::read(&mut input) {
                Ok(Some(frame)) => {
                    if frames.send(Input::Frame(frame)).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    eprintln!("cib lsp: {error}; closing the connection");
                    break;
                }
            }
        }
        // The watcher holds a sender too, so the end of input is said.
        let _ = frames.send(Input::Closed);
    });
    let mut server = Server::new(output, fallback, inputs);
    let code = server.run(&inbox);
    // A watcher blocked handing over a change is let go before it is dropped.
    drop(inbox);
    drop(server);
    // The reader may be blocked reading a client that never closes its end;
    // it holds nothing, so the process may end without it.
    if reader.is_finished() {
        let _ = reader.join();
    }
    code
}

struct Server<W: Write> {
    out: W,
    /// The client's output went away: nothing more can be said.
    gone: bool,
    encoding: Encoding,
    engine: Option<Engine>,
    fallback: PathBuf,
    initialized: bool,
    shutdown: bool,
    /// Open documents, by path relative to the root, with the client's URI.
    open: HashMap<PathBuf, String>,
    /// Files changed since the last check, and whether all must be read.
    changed: Vec<PathBuf>,
    whole: bool,
    /// What was last published for each file that had findings.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Where changes on disk are told, and the watcher telling them (from
    /// the moment the curriculum is known) so files not open stay current
    /// after a save, a `git pull` or a checkout.
    inputs: mpsc::SyncSender<Input>,
    watcher: Option<notify::RecommendedWatcher>,
}

impl<W: Write> Server<W> {
    fn new(out: W, fallback: PathBuf, inputs: mpsc::SyncSender<Input>) -> Self {
        Server {
            inputs,
            watcher: None,
            out,
            gone: false,
            encoding: Encoding::Utf16,
            engine: None,
            fallback,
            initialized: false,
            shutdown: false,
            open: HashMap::new(),
            changed: Vec::new(),
            whole: false,
            published: HashMap::new(),
        }
    }

    fn run(&mut self, inbox: &mpsc::Receiver<Input>) -> i32 {
        loop {
            let frame = if self.dirty() {
                match inbox.try_recv() {
                    Ok(frame) => frame,
                    Err(mpsc::TryRecvError::Empty) => {
                        self.refresh();
                        continue;
                    }
                    Err(mpsc::TryRecvError::Disconnected) => return 1,
                }
            } else {
                match inbox.recv() {
                    Ok(frame) => frame,
                    Err(_) => return 1,
                }
            };
            let exit = match frame {
                Input::Closed => Some(1),
                Input::Disk(paths) => {
                    self.on_disk(&paths);
                    None
                }
                Input::Frame(Frame::Message(message)) => self.message(message),
                Input::Frame(Frame::NotJson(why)) => {
                    self.send(&error(
                        Value::Null,
                        PARSE_ERROR,
                        &format!("not JSON: {why}"),
                    ));
                    None
                }
            };
            if let Some(code) = exit {
                return code;
            }
            if self.gone {
                return 1;
            }
        }
    }

    fn dirty(&self) -> bool {
        self.whole || !self.changed.is_empty()
    }

    /// Handles one message; `Some(code)` when the server is to exit.
    fn message(&mut self, message: Value) -> Option<i32> {
        let method = message.get("method").and_then(Value::as_str);
        let id = message.get("id");
        let valid_id = matches!(id, Some(Value::Number(_) | Value::String(_)));
        match (method, id) {
            // A response to a request of ours; the server sends none that
            // needs one.
            (None, Some(_))
                if message.get("result").is_some() || message.get("error").is_some() =>
            {
                None
            }
            (Some(method), None) => self.notification(method, message.get("params")),
            (Some(method), Some(id)) if valid_id => {
                let id = id.clone();
                let reply =
                    self.request(method, &id, message.get("params").unwrap_or(&Value::Null));
                self.send(&reply);
                None
            }
            _ => {
                let id = if valid_id {
                    id.cloned().unwrap_or(Value::Null)
                } else {
                    Value::Null
                };
                self.send(&error(
                    id,
                    INVALID_REQUEST,
                    "not a JSON-RPC request or notification",
                ));
                None
            }
        }
    }

    fn notification(&mut self, method: &str, params: Option<&Value>) -> Option<i32> {
        if method == "exit" {
            return Some(if self.shutdown { 0 } else { 1 });
        }
        if !self.initialized {
            return None;
        }
        let params = params.unwrap_or(&Value::Null);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match method {
            "initialized" => self.whole = true,
            "textDocument/didOpen" => self.opened(params),
            "textDocument/didChange" => self.edited(params),
            "textDocument/didClose" => self.closed(params),
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => self.whole = true,
            _ => {}
        }));
        if outcome.is_err() {
            eprintln!("cib lsp: an internal error while handling {method}; please report it");
        }
        None
    }

    fn request(&mut self, method: &str, id: &Value, params: &Value) -> Value {
        if method == "initialize" {
            return self.initialize(id, params);
        }
        if !self.initialized {
            return error(id.clone(), SERVER_NOT_INITIALIZED, "initialize first");
        }
        if self.shutdown {
            return error(id.clone(), INVALID_REQUEST, "the server is shutting down");
        }
        if method == "shutdown" {
            self.shutdown = true;
            return result(id.clone(), Value::Null);
        }
        if !features::knows(method) {
            return error(
                id.clone(),
                METHOD_NOT_FOUND,
                &format!("cib does not answer `{method}`"),
            );
        }
        // Completion reads the text as typed; every other answer reads spans
        // of the last check, which must be of that text.
        if method != "textDocument/completion" && self.dirty() {
            self.refresh();
        }
        let cx = Context {
            engine: self.engine.as_ref(),
            encoding: self.encoding,
            open: &self.open,
        };
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            features::answer(&cx, method, params)
        }));
        match answer {
            Ok(Ok(value)) => result(id.clone(), value),
            Ok(Err(Refusal::Params(why))) => error(id.clone(), INVALID_PARAMS, &why),
            Ok(Err(Refusal::Failed(why))) => error(id.clone(), REQUEST_FAILED, &why),
            Err(_) => error(
                id.clone(),
                INTERNAL_ERROR,
                "cib met an internal error answering this; please report it",
            ),
        }
    }

    fn initialize(&mut self, id: &Value, params: &Value) -> Value {
        if self.initialized {
            return error(id.clone(), INVALID_REQUEST, "already initialized");
        }
        self.initialized = true;
        let offered = &params["capabilities"]["general"]["positionEncodings"];
        if offered
            .as_array()
            .is_some_and(|list| list.iter().any(|e| e == "utf-8"))
        {
            self.encoding = Encoding::Utf8;
        }
        let folders = params["workspaceFolders"].as_array().into_iter().flatten();
        let named = [&params["rootUri"]]
            .into_iter()
            .chain(folders.map(|f| &f["uri"]))
            .filter_map(|u| uri::to_path(u.as_str()?))
            .chain(params["rootPath"].as_str().map(PathBuf::from));
        let root = named
            .chain([self.fallback.clone()])
            .find_map(|folder| curriculum_above(&folder));
        match root {
            Some(root) => self.start(root),
            None => self.show(
                2,
                "cib: no curriculum.yaml in the workspace folder or above it; open a file of a curriculum",
            ),
        }
        result(
            id.clone(),
            json!({
                "capabilities": {
                    "positionEncoding": match self.encoding {
                        Encoding::Utf8 => "utf-8",
                        Encoding::Utf16 => "utf-16",
                    },
                    "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
                    "completionProvider": {"triggerCharacters": ["[", ",", " ", ":", "(", "-"]},
                    "hoverProvider": true,
                    "definitionProvider": true,
                    "referencesProvider": true,
                    "renameProvider": {"prepareProvider": true},
                    "codeActionProvider": {"codeActionKinds": ["quickfix"]},
                    "documentSymbolProvider": true,
                },
                "serverInfo": {"name": "cib", "version": env!("CARGO_PKG_VERSION")},
            }),
        )
    }

    /// The document a notification names, relative to the curriculum's root;
    /// `None` for one outside it (or not a file), which the server leaves be.
    fn relative(&mut self, params: &Value) -> Option<(PathBuf, String)> {
        let uri = params["textDocument"]["uri"].as_str()?;
        let path = uri::to_path(uri)?;
        if self.engine.is_none() {
            let root = curriculum_above(path.parent()?)?;
            self.start(root);
            self.whole = true;
        }
        let engine = self.engine.as_ref()?;
        let relative = uri::relative(engine.root(), &path)?;
        crate::load::kind_of(&relative)?;
        Some((relative, uri.to_owned()))
    }

    /// Serves the curriculum at `root` from now on, and watches its files.
    fn start(&mut self, root: PathBuf) {
        let inputs = self.inputs.clone();
        match crate::load::watch(&root, move |paths| {
            let _ = inputs.send(Input::Disk(paths));
        }) {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(why) => eprintln!("cib lsp: {why:#}; files not open are read again only on a save"),
        }
        self.engine = Some(Engine::new(root));
    }

    /// Files changed on disk: everything is read again, unless each is open
    /// (the editor's text is the one that counts) and was only saved.
    fn on_disk(&mut self, paths: &[PathBuf]) {
        let Some(engine) = &self.engine else {
            return;
        };
        let root = engine.root().to_path_buf();
        let open = |path: &PathBuf| {
            uri::relative(&root, path).is_some_and(|relative| self.open.contains_key(&relative))
        };
        if !paths.iter().all(open) {
            self.whole = true;
        }
    }

    fn opened(&mut self, params: &Value) {
        let Some((relative, uri)) = self.relative(params) else {
            return;
        };
        let Some(text) = params["textDocument"]["text"].as_str() else {
            return;
        };
        if !self.fits(&relative, text.len()) {
            return;
        }
        self.open.insert(relative.clone(), uri);
        self.set(relative, text.to_owned());
    }

    fn edited(&mut self, params: &Value) {
        let Some((relative, _)) = self.relative(params) else {
            return;
        };
        let (Some(engine), Some(changes)) = (&self.engine, params["contentChanges"].as_array())
        else {
            return;
        };
        let Some(mut text) = engine.text(&relative) else {
            return;
        };
        for change in changes {
            if text::apply(&mut text, change, self.encoding).is_none() {
                self.show(
                    1,
                    "cib: an edit the server could not apply; reopen the file",
                );
                return;
            }
        }
        if self.fits(&relative, text.len()) {
            self.set(relative, text);
        }
    }

    fn closed(&mut self, params: &Value) {
        let Some((relative, _)) = self.relative(params) else {
            return;
        };
        self.open.remove(&relative);
        if let Some(engine) = &mut self.engine {
            engine.set_text(&relative, None);
        }
        self.note(relative);
    }

    /// Whether a document of `len` bytes may be held; says why not otherwise.
    fn fits(&mut self, relative: &Path, len: usize) -> bool {
        let others: usize = self
            .engine
            .iter()
            .flat_map(|e| e.overlay_sizes())
            .filter(|(path, _)| *path != relative)
            .map(|(_, size)| size)
            .sum();
        if len <= MAX_DOCUMENT && others + len <= MAX_OPEN_BYTES {
            return true;
        }
        self.show(
            1,
            &format!(
                "cib: `{}` is too large to follow as you type; cib checks what is saved",
                relative.display()
            ),
        );
        false
    }

    fn set(&mut self, relative: PathBuf, text: String) {
        if let Some(engine) = &mut self.engine {
            engine.set_text(&relative, Some(text));
        }
        self.note(relative);
    }

    fn note(&mut self, relative: PathBuf) {
        if !self.changed.contains(&relative) {
            self.changed.push(relative);
        }
    }

    /// Checks what changed and publishes the findings that moved.
    fn refresh(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        let whole = std::mem::take(&mut self.whole);
        let Some(engine) = &mut self.engine else {
            return;
        };
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if whole {
                engine.check_all()
            } else {
                engine.check(&changed)
            }
        }));
        match checked {
            Ok(Ok(())) => {}
            Ok(Err(why)) => {
                self.show(1, &format!("cib: {why:#}"));
                return;
            }
            Err(_) => {
                self.show(1, "cib: an internal error while checking; please report it");
                return;
            }
        }
        self.publish(&changed);
    }

    fn publish(&mut self, changed: &[PathBuf]) {
        let Some(engine) = &self.engine else {
            return;
        };
        let Some(state) = engine.state() else {
            return;
        };
        let mut by_file: Vec<Vec<Diagnostic>> = vec![Vec::new(); state.sources.len()];
        for d in &state.diagnostics {
            by_file[d.span.file.index()].push(d.clone());
        }
        let mut lines: HashMap<FileId, Lines> = HashMap::new();
        let root = engine.root();
        let mut messages = Vec::new();
        let mut seen = Vec::new();
        for (file, found) in state.sources.ids().zip(by_file) {
            let Some(relative) = uri::relative(engine.root(), Path::new(state.sources.path(file)))
            else {
                continue;
            };
            seen.push(relative.clone());
            let before = self.published.get(&relative);
            let same = before.map_or(found.is_empty(), |b| *b == found);
            if same && !changed.contains(&relative) {
                continue;
            }
            let items: Vec<Value> = found
                .iter()
                .map(|d| {
                    features::diagnostic(state, d, self.encoding, root, &self.open, &mut lines)
                })
                .collect();
            let uri = uri::of(engine.root(), &relative, &self.open);
            messages.push(json!({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {"uri": uri, "diagnostics": items},
            }));
            if found.is_empty() {
                self.published.remove(&relative);
            } else {
                self.published.insert(relative, found);
            }
        }
        // A file that is gone keeps no findings.
        let vanished: Vec<PathBuf> = self
            .published
            .keys()
            .filter(|p| !seen.contains(p))
            .cloned()
            .collect();
        for relative in vanished {
            self.published.remove(&relative);
            let uri = uri::of(engine.root(), &relative, &self.open);
            messages.push(json!({
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": {"uri": uri, "diagnostics": []},
            }));
        }
        for message in messages {
            self.send(&message);
        }
    }

    /// Tells the user something through the editor (1 error, 2 warning).
    fn show(&mut self, kind: u8, text: &str) {
        let message = json!({
            "jsonrpc": "2.0",
            "method": "window/showMessage",
            "params": {"type": kind, "message": text},
        });
        self.send(&message);
    }

    fn send(&mut self, message: &Value) {
        if self.gone {
            return;
        }
        if transport::write(&mut self.out, message).is_err() {
            self.gone = true;
        }
    }
}

/// The nearest folder from `folder` upward that holds curriculum.yaml.
fn curriculum_above(folder: &Path) -> Option<PathBuf> {
    let folder = folder.canonicalize().ok()?;
    folder
        .ancestors()
        .find(|f| f.join("curriculum.yaml").is_file())
        .map(Path::to_path_buf)
}

fn result(id: Value, value: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": value})
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}
