//! Tells Zed how to start `cib lsp`: the `cib` on the PATH of the worktree's
//! shell. Everything else is the server's.

use zed_extension_api as zed;

struct Cib;

impl zed::Extension for Cib {
    fn new() -> Self {
        Cib
    }

    fn language_server_command(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree
            .which("cib")
            .ok_or("cib is not on PATH: install it (see cib's README) and reopen the folder")?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".to_owned()],
            env: Vec::new(),
        })
    }
}

zed::register_extension!(Cib);
