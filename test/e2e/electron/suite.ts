/** Runs inside the VS Code launched by runTests.ts: activation, commands and analysis. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Entry point VS Code calls with the extension host ready. */
export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('sleeptime.sleeptime');
  assert.ok(ext, 'extension installed');
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['analyzeNow', 'pauseIdle', 'resumeIdle', 'ask', 'showArchitecture', 'showBugs', 'showTestHooks', 'clearNotes', 'setApiKey', 'selectModel', 'exportNotes', 'showLog']) {
    assert.ok(commands.includes(`sleeptime.${id}`), `sleeptime.${id} registered`);
  }
  await vscode.commands.executeCommand('sleeptime.analyzeNow');
  await vscode.commands.executeCommand('sleeptime.showArchitecture');
  assert.ok(
    vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'sleeptime-note'),
    'architecture note opened as a sleeptime-note: document',
  );
}
