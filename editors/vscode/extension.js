// Starts `cib lsp` for the YAML and Markdown files of a cib curriculum. All
// the work is the server's; this file only tells VS Code how to start it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("cib").get("path") || "cib";
  client = new LanguageClient(
    "cib",
    "cib",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "markdown" },
      ],
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
