import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Controller } from './controller';
import { hooksFor } from './notesModel';
import { readSettings } from './settings';

/** Source name of Sleeptime's diagnostics. */
export const DIAGNOSTIC_SOURCE = 'Sleeptime';

/** Likely-bug notes as low-severity diagnostics, and "Run related tests" CodeLenses from test-hook notes. */
export class EditorFeatures implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('sleeptime');
  private readonly lensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly controller: Controller) {
    this.disposables = [
      this.diagnostics,
      this.lensEmitter,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    ];
  }

  /** Recompute diagnostics and lenses from the current notes and settings. */
  refresh(): void {
    this.diagnostics.clear();
    this.controller.folders.forEach((f) => {
      if (!readSettings(f.folder.uri).diagnosticsEnabled) return;
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const note of f.notes) {
        if (note.kind !== 'bug' || note.evidence.length === 0) continue;
        const e = note.evidence[0];
        const range = new vscode.Range(Math.max(0, e.startLine - 1), 0, Math.max(0, e.endLine - 1), Number.MAX_SAFE_INTEGER);
        // Information: low severity, yet listed in the Problems view (hints are not).
        const d = new vscode.Diagnostic(range, `${note.title}${note.stale ? ' (stale)' : ''}`, vscode.DiagnosticSeverity.Information);
        d.source = DIAGNOSTIC_SOURCE;
        if (typeof note.meta?.pattern === 'string') d.code = note.meta.pattern;
        const list = byFile.get(e.path) ?? [];
        list.push(d);
        byFile.set(e.path, list);
      }
      for (const [rel, list] of byFile) this.diagnostics.set(vscode.Uri.file(path.join(f.folder.uri.fsPath, rel)), list);
    });
    this.lensEmitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const i = this.controller.folders.findIndex((f) => vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() === f.folder.uri.toString());
    const f = this.controller.folders[i];
    if (!f) return [];
    const rel = path.relative(f.folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/');
    const commands = [...new Set(hooksFor(f.notes, rel).map((n) => n.meta?.command as string))];
    const top = new vscode.Range(0, 0, 0, 0);
    return commands.map(
      (command) =>
        new vscode.CodeLens(top, {
          title: commands.length > 1 ? `$(beaker) Run related tests: ${command}` : '$(beaker) Run related tests',
          tooltip: command,
          command: 'sleeptime.runTests',
          arguments: [i, command],
        }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Run a test command in the folder's "Sleeptime tests" terminal. */
export function runTestsInTerminal(folder: vscode.WorkspaceFolder, command: string): void {
  const name = `Sleeptime tests: ${folder.name}`;
  const terminal = vscode.window.terminals.find((t) => t.name === name) ?? vscode.window.createTerminal({ name, cwd: folder.uri });
  terminal.show();
  terminal.sendText(command);
}
