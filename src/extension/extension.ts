/**
 * Entry point. `activate()` only creates the log channel and registers the commands; the engine,
 * views and worker plumbing load with a dynamic import so activation stays cheap.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { Note, NoteKind } from '../core/types';
import { registerChatParticipant } from './chatParticipant';
import type { Controller } from './controller';
import { LM_TOOLS, registerLmTools, type AgentWorkspace } from './lmTools';
import { redactSecrets } from '../core/privacy/redact';
import { SECRET_KEYS, readSettings } from './settings';

let controller: Controller | undefined;

/** The core Logger over the extension's one LogOutputChannel, with secrets redacted. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    debug: (m) => channel.debug(redactSecrets(m).text),
    info: (m) => channel.info(redactSecrets(m).text),
    warn: (m) => channel.warn(redactSecrets(m).text),
    error: (m) => channel.error(redactSecrets(m).text),
  };
}

/** Called by VS Code when the extension activates. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('Sleeptime', { log: true });
  const logger = channelLogger(channel);
  context.subscriptions.push(channel);

  let loaded: Promise<Controller> | undefined;
  const load = (): Promise<Controller> =>
    (loaded ??= import('./controller').then(async ({ Controller }) => {
      const c = new Controller(context, logger);
      context.subscriptions.push(c);
      await c.start();
      controller = c;
      return c;
    }));

  const withController = (fn: (c: Controller, ...args: never[]) => unknown) =>
    async (...args: never[]): Promise<void> => {
      try {
        await fn(await load(), ...args);
      } catch (error) {
        logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        void showError(`Sleeptime: ${error instanceof Error ? error.message : String(error)}`, channel);
      }
    };

  const commands: Record<string, (...args: never[]) => unknown> = {
    'sleeptime.analyzeNow': withController((c) => c.analyzeNow()),
    'sleeptime.pauseIdle': withController((c) => {
      c.setIdleEnabled(false);
      void vscode.window.showInformationMessage('Sleeptime: idle analysis paused.');
    }),
    'sleeptime.resumeIdle': withController((c) => {
      c.setIdleEnabled(true);
      void vscode.window.showInformationMessage('Sleeptime: idle analysis resumed.');
    }),
    'sleeptime.ask': withController(async (c) => {
      const selection = vscode.window.activeTextEditor?.selection;
      const text = selection && !selection.isEmpty ? vscode.window.activeTextEditor?.document.getText(selection) : undefined;
      await c.chat.focusInput(text ? `What does this do?\n\n\`\`\`\n${text.slice(0, 2000)}\n\`\`\`` : undefined);
    }),
    'sleeptime.showArchitecture': withController((c) => pickNote(c, 'architecture', 'No architecture notes yet.')),
    'sleeptime.showBugs': withController((c) => pickNote(c, 'bug', 'No likely-bug notes: none found, or the workspace is not analyzed yet.')),
    'sleeptime.showTestHooks': withController((c) => pickNote(c, 'test-hook', 'No test hooks found yet.')),
    'sleeptime.clearNotes': withController(async (c) => {
      const ok = await vscode.window.showWarningMessage('Delete all Sleeptime notes and caches of this workspace?', { modal: true }, 'Clear Notes');
      if (ok === 'Clear Notes') await c.clearNotes();
    }),
    'sleeptime.setApiKey': async () => {
      const key = await vscode.window.showInputBox({
        title: 'Sleeptime: API key for the OpenAI-compatible endpoint',
        prompt: 'Stored in VS Code SecretStorage only. Leave empty to delete the stored key.',
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key) await context.secrets.store(SECRET_KEYS.apiKey, key.trim());
      else await context.secrets.delete(SECRET_KEYS.apiKey);
      void vscode.window.showInformationMessage(key ? 'Sleeptime: API key saved.' : 'Sleeptime: API key deleted.');
    },
    'sleeptime.selectModel': async () => (await import('./models')).selectModel(context.secrets),
    'sleeptime.exportNotes': withController((c) => exportNotes(c)),
    'sleeptime.showLog': () => channel.show(true),
    'sleeptime.focusNotes': withController((c) => c.focusNotes()),
    'sleeptime.openNote': withController(async (c, folder: number, id: string) => {
      const note = c.note(folder, id);
      const { openNotePreview } = await import('./notesView');
      if (note) await openNotePreview(folder, note);
    }),
    'sleeptime.runTests': withController(async (c, folder: number, command: string) => {
      const f = c.folders[folder];
      if (!f || !vscode.workspace.isTrusted) return;
      const { runTestsInTerminal } = await import('./editorFeatures');
      runTestsInTerminal(f.folder, command);
    }),
  };
  for (const [id, fn] of Object.entries(commands)) context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  registerAgentSurfaces(context, logger, load);

  try {
    await load();
    logger.info(`activated for ${vscode.workspace.workspaceFolders?.length ?? 0} folder(s)`);
  } catch (error) {
    logger.error(`activation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void showError(`Sleeptime failed to start: ${error instanceof Error ? error.message : String(error)}`, channel);
  }
}

/** Called by VS Code on shutdown. */
export function deactivate(): void {
  controller?.dispose();
  controller = undefined;
}

/** The `@sleeptime` chat participant, the language-model tools and their hidden diagnostic command. */
function registerAgentSurfaces(context: vscode.ExtensionContext, logger: Logger, load: () => Promise<Controller>): void {
  const workspace: AgentWorkspace = {
    folders: async () => (await load()).folders.map((f) => ({ name: f.folder.name, root: f.folder.uri.fsPath, storeDir: f.storeDir, notes: f.notes })),
    activePath: () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      return uri?.scheme === 'file' ? uri.fsPath : undefined;
    },
  };
  const registered: string[] = [];
  try {
    context.subscriptions.push(registerChatParticipant(vscode, {
      workspace,
      logger,
      ask: async (opts) => (await import('../core/ask')).ask({ ...opts, prepare: async (request, signal) => (await load()).prepareAnswer(request, signal) }),
      budget: (folder) => readSettings(vscode.Uri.file(folder.root)),
      getModel: async (folder) => (await (await import('./models')).resolveModel(readSettings(vscode.Uri.file(folder.root)), context.secrets)).model,
    }));
    registered.push('chat participant @sleeptime');
  } catch (error) {
    logger.warn(`chat participant not registered: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    context.subscriptions.push(...registerLmTools(vscode, workspace, logger));
    registered.push(`${LM_TOOLS.length} language-model tools`);
  } catch (error) {
    logger.warn(`language-model tools not registered: ${error instanceof Error ? error.message : String(error)}`);
  }
  logger.info(`registered ${registered.join(' and ') || 'no agent surfaces'}`);
  context.subscriptions.push(vscode.commands.registerCommand('sleeptime.debug.listTools', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('sleeptime_')).map((t) => t.name);
    logger.info(`debug: vscode.lm.tools lists ${ours.length} Sleeptime tools: ${ours.join(', ')}`);
    return ours;
  }));
}

async function showError(message: string, channel: vscode.LogOutputChannel): Promise<void> {
  if ((await vscode.window.showErrorMessage(message, 'Show Log')) === 'Show Log') channel.show(true);
}

async function pickNote(c: Controller, kind: NoteKind, empty: string): Promise<void> {
  const notes = c.notesOfKind(kind);
  const [{ openNotePreview }, { NOTE_GROUPS }] = await Promise.all([import('./notesView'), import('./notesModel')]);
  if (notes.length === 0) {
    void vscode.window.showInformationMessage(`Sleeptime: ${empty}`, 'Analyze Now').then((a) => a && vscode.commands.executeCommand('sleeptime.analyzeNow'));
    return;
  }
  const overviews = kind === 'architecture' ? notes.filter((n) => n.note.id === 'architecture:overview') : [];
  if (overviews.length === 1) return openNotePreview(overviews[0].folder, overviews[0].note);
  if (notes.length === 1) return openNotePreview(notes[0].folder, notes[0].note);
  const multi = c.folders.length > 1;
  const picked = await vscode.window.showQuickPick(
    notes.map(({ folder, note }) => ({
      label: note.title,
      description: [note.stale ? 'stale' : '', note.evidence[0] ? `${note.evidence[0].path}:${note.evidence[0].startLine}` : note.subject ?? ''].filter(Boolean).join(' · '),
      detail: multi ? c.folders[folder].folder.name : undefined,
      folder,
      note,
    })),
    { title: `Sleeptime: ${notes.length} ${NOTE_GROUPS.find((g) => g.kind === kind)?.label.toLowerCase() ?? 'notes'}`, matchOnDescription: true, placeHolder: 'Pick a note to open it with its evidence' },
  );
  if (picked) await openNotePreview(picked.folder, picked.note);
}

async function exportNotes(c: Controller): Promise<void> {
  const { noteMarkdown, relativeLink } = await import('./notesModel');
  const all: { root: string; note: Note }[] = c.folders.flatMap((f) => f.notes.map((note) => ({ root: f.folder.uri.fsPath, note })));
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Sleeptime: no notes to export yet.');
    return;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Sleeptime: export notes',
    defaultUri: c.folders[0] ? vscode.Uri.joinPath(c.folders[0].folder.uri, 'sleeptime-notes.md') : undefined,
    filters: { Markdown: ['md'], JSON: ['json'] },
  });
  if (!target) return;
  const text = target.fsPath.endsWith('.json')
    ? JSON.stringify(all.map((a) => a.note), null, 2)
    : `# Sleeptime notes\n\n${all.map((a) => noteMarkdown(a.note, relativeLink(path.dirname(target.fsPath), a.root)).replace(/^# /, '## ').replace(/\n## /g, '\n### ')).join('\n---\n\n')}`;
  await fs.writeFile(target.fsPath, text, 'utf8');
  const open = await vscode.window.showInformationMessage(`Sleeptime: exported ${all.length} notes.`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}
