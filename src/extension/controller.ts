/**
 * The extension's heavy half, loaded by `activate()` with a dynamic import: per-folder stores,
 * the idle scheduler and its analysis worker, the status bar, the views and the editor features.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeProgress } from '../core/analyze';
import type { Logger } from '../core/logger';
import { Store } from '../core/store/store';
import type { Note, NoteKind } from '../core/types';
import { runAnalysisWorker } from './analysisRunner';
import { ChatViewProvider } from './chatView';
import { EditorFeatures } from './editorFeatures';
import { IdleScheduler, type SchedulerState } from './idleScheduler';
import { markStale, staleCount, type FolderNotes } from './notesModel';
import { NoteDocumentProvider, NOTE_SCHEME, NotesTreeProvider } from './notesView';
import { readSettings } from './settings';

/** One workspace folder and its store. */
interface FolderState {
  folder: vscode.WorkspaceFolder;
  storeDir: string;
  notes: Note[];
  /** Folder-relative paths changed since the last analysis. */
  changed: Set<string>;
  dirty: boolean;
}

/** Store folder of a workspace folder: `<workspace storage>/<hash of the folder URI>`. */
export function storeDirFor(storageRoot: string, folderUri: string): string {
  return path.join(storageRoot, createHash('sha1').update(folderUri).digest('hex').slice(0, 16));
}

const IGNORED_CHANGE = /(^|\/)(node_modules|\.git|\.sleeptime|dist|out|build|\.vscode-test)(\/|$)/;

/** Everything the extension does once activated. */
export class Controller implements vscode.Disposable {
  readonly folders: FolderState[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly scheduler: IdleScheduler;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly tree: NotesTreeProvider;
  private readonly treeView: vscode.TreeView<unknown>;
  private readonly editor: EditorFeatures;
  readonly chat: ChatViewProvider;
  private progress: { folder: number; of: number; phase?: AnalyzeProgress } | undefined;
  private manualRun: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when notes were reloaded or marked stale. */
  readonly onDidChangeNotes = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {
    const storageRoot = (context.storageUri ?? context.globalStorageUri).fsPath;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      this.folders.push({ folder, storeDir: storeDirFor(storageRoot, folder.uri.toString()), notes: [], changed: new Set(), dirty: true });
    }

    this.scheduler = new IdleScheduler({
      delayMs: readSettings().idleDelaySeconds * 1000,
      clock: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      work: (signal) => this.analyzeDirty(signal),
      onState: (state) => {
        this.logger.debug(`idle scheduler: ${state}`);
        this.renderStatus();
      },
      onError: (error) => this.logger.error(`idle analysis failed: ${errorText(error)}`),
    });

    this.statusItem = vscode.window.createStatusBarItem('sleeptime.status', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'Sleeptime';
    this.statusItem.command = 'sleeptime.focusNotes';
    this.statusItem.show();

    this.tree = new NotesTreeProvider(() => this.folderNotes());
    this.treeView = vscode.window.createTreeView('sleeptime.notes', { treeDataProvider: this.tree, showCollapseAll: true });
    this.chat = new ChatViewProvider(context, this, logger);
    this.editor = new EditorFeatures(this);

    this.disposables.push(
      this.statusItem,
      this.treeView,
      this.editor,
      this.changed,
      vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, this.chat, { webviewOptions: { retainContextWhenHidden: true } }),
      vscode.workspace.registerTextDocumentContentProvider(NOTE_SCHEME, new NoteDocumentProvider(this)),
      ...this.watchActivity(),
      ...this.watchFiles(),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sleeptime.idleDelaySeconds')) this.scheduler.setDelay(readSettings().idleDelaySeconds * 1000);
        if (e.affectsConfiguration('sleeptime')) this.editor.refresh();
        if (e.affectsConfiguration('sleeptime.include') || e.affectsConfiguration('sleeptime.exclude') || e.affectsConfiguration('sleeptime.maxFileSizeKb')) {
          this.queueAll();
        }
      }),
      { dispose: () => this.scheduler.dispose() },
    );
  }

  /** Load stored notes and queue the first idle analysis. */
  async start(): Promise<void> {
    await Promise.all(this.folders.map((f) => this.reload(f)));
    this.scheduler.setDebugging(vscode.debug.activeDebugSession !== undefined);
    this.queueAll();
    this.renderStatus();
  }

  /** Notes of each folder, for views. */
  folderNotes(): FolderNotes[] {
    return this.folders.map((f, i) => ({ index: i, name: f.folder.name, root: f.folder.uri.fsPath, notes: f.notes }));
  }

  /** A note by folder index and id. */
  note(folder: number, id: string): Note | undefined {
    return this.folders[folder]?.notes.find((n) => n.id === id);
  }

  /** Notes of one kind across folders, with their folder index. */
  notesOfKind(kind: NoteKind): { folder: number; note: Note }[] {
    return this.folders.flatMap((f, i) => f.notes.filter((n) => n.kind === kind).map((note) => ({ folder: i, note })));
  }

  /** Folder index for a URI (the active editor's folder), defaulting to the first folder. */
  folderIndexFor(uri?: vscode.Uri): number {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
    const i = folder ? this.folders.findIndex((f) => f.folder.uri.toString() === folder.uri.toString()) : -1;
    return i >= 0 ? i : 0;
  }

  /** Reveal the Notes view. */
  async focusNotes(): Promise<void> {
    await vscode.commands.executeCommand('sleeptime.notes.focus');
  }

  /** Analyze Now: run at once with a cancellable progress notification, regardless of idleness. */
  async analyzeNow(): Promise<void> {
    if (this.manualRun) return;
    for (const f of this.folders) f.dirty = true;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Sleeptime: analyzing', cancellable: true },
      async (report, token) => {
        const controller = new AbortController();
        this.manualRun = controller;
        token.onCancellationRequested(() => controller.abort());
        let last = 0;
        const sub = setInterval(() => {
          const pct = this.percent();
          if (pct > last) report.report({ increment: pct - last, message: `${pct}%` });
          last = Math.max(last, pct);
        }, 250);
        try {
          const done = await this.scheduler.runNow(controller.signal);
          if (done) vscode.window.setStatusBarMessage('$(check) Sleeptime: notes up to date', 4000);
        } finally {
          clearInterval(sub);
          this.manualRun = undefined;
        }
      },
    );
  }

  /** Pause or resume idle analysis (commands). */
  setIdleEnabled(enabled: boolean): void {
    this.scheduler.setEnabled(enabled);
    if (enabled) this.scheduler.queue();
  }

  /** Delete every folder's notes and cache. */
  async clearNotes(): Promise<void> {
    this.scheduler.activity();
    await this.scheduler.settled();
    for (const f of this.folders) {
      try {
        const { store } = await Store.open(f.storeDir, { root: f.folder.uri.fsPath, logger: this.logger });
        await store.clear();
      } catch (error) {
        this.logger.error(`could not clear notes of ${f.folder.name}: ${errorText(error)}`);
      }
      f.notes = [];
      f.changed.clear();
    }
    this.notesChanged();
  }

  /** Store folder of a folder index (for ask). */
  storeDir(folder: number): string | undefined {
    return this.folders[folder]?.storeDir;
  }

  dispose(): void {
    this.manualRun?.abort();
    for (const d of this.disposables) d.dispose();
  }

  private queueAll(): void {
    for (const f of this.folders) f.dirty = true;
    if (this.folders.length > 0) this.scheduler.queue();
  }

  private watchActivity(): vscode.Disposable[] {
    const userDoc = (uri: vscode.Uri): boolean => uri.scheme === 'file' || uri.scheme === 'untitled' || uri.scheme === 'vscode-notebook-cell';
    return [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (userDoc(e.document.uri) && e.contentChanges.length > 0) this.scheduler.activity();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (userDoc(e.textEditor.document.uri) && e.kind !== undefined) this.scheduler.activity();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduler.activity()),
      vscode.debug.onDidStartDebugSession(() => this.scheduler.setDebugging(true)),
      vscode.debug.onDidTerminateDebugSession(() => this.scheduler.setDebugging(vscode.debug.activeDebugSession !== undefined)),
    ];
  }

  private watchFiles(): vscode.Disposable[] {
    const out: vscode.Disposable[] = [];
    this.folders.forEach((f) => {
      const onChange = (uri: vscode.Uri): void => {
        const rel = path.relative(f.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
        if (rel.startsWith('..') || IGNORED_CHANGE.test(rel)) return;
        this.fileChanged(f, [rel]);
      };
      const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f.folder, '**/*'));
      const head = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f.folder, '.git/{HEAD,refs/heads/**}'));
      const onHead = (): void => {
        this.logger.info(`git HEAD changed in ${f.folder.name}; re-analysis queued`);
        this.fileChanged(f, []);
      };
      out.push(files, head, files.onDidChange(onChange), files.onDidCreate(onChange), files.onDidDelete(onChange), head.onDidChange(onHead), head.onDidCreate(onHead));
    });
    return out;
  }

  private fileChanged(f: FolderState, paths: string[]): void {
    for (const p of paths) f.changed.add(p);
    f.notes = markStale(f.notes, f.changed);
    f.dirty = true;
    this.scheduler.queue();
    this.notesChanged();
  }

  /** The scheduler's work: analyze every dirty folder in the worker, one after the other. */
  private async analyzeDirty(signal: AbortSignal): Promise<boolean> {
    const dirty = this.folders.filter((f) => f.dirty);
    const script = path.join(this.context.extensionPath, 'dist', 'analysisWorker.js');
    for (const [i, f] of dirty.entries()) {
      if (signal.aborted) return false;
      const settings = readSettings(f.folder.uri);
      this.progress = { folder: i, of: dirty.length };
      this.renderStatus();
      const changedBefore = new Set(f.changed);
      const stats = await runAnalysisWorker(
        script,
        {
          root: f.folder.uri.fsPath,
          storeDir: f.storeDir,
          include: settings.include.length ? settings.include : undefined,
          exclude: settings.exclude.length ? settings.exclude : undefined,
          maxFileBytes: settings.maxFileSizeKb * 1024,
        },
        {
          signal,
          logger: this.logger,
          onProgress: (phase) => {
            this.progress = { folder: i, of: dirty.length, phase };
            this.renderStatus();
          },
        },
      ).finally(() => (this.progress = undefined));
      if (stats.cancelled) {
        this.logger.info(`analysis of ${f.folder.name} paused; it resumes from its cache at the next idle period`);
        return false;
      }
      for (const w of stats.warnings) this.logger.warn(w);
      for (const p of changedBefore) f.changed.delete(p);
      f.dirty = f.changed.size > 0;
      await this.reload(f);
    }
    return this.folders.every((f) => !f.dirty);
  }

  private async reload(f: FolderState): Promise<void> {
    try {
      await fs.access(f.storeDir);
    } catch {
      return;
    }
    try {
      const { store, warnings } = await Store.open(f.storeDir, { root: f.folder.uri.fsPath, logger: this.logger });
      for (const w of warnings) this.logger.warn(w);
      f.notes = markStale(store.notes(), f.changed);
    } catch (error) {
      this.logger.error(`could not read notes of ${f.folder.name}: ${errorText(error)}`);
    }
    this.notesChanged();
  }

  private notesChanged(): void {
    this.tree.refresh();
    this.editor.refresh();
    this.changed.fire();
    this.renderStatus();
  }

  private percent(): number {
    const p = this.progress;
    if (!p) return 0;
    const within = p.phase && p.phase.total > 0 ? p.phase.done / p.phase.total : 0;
    return Math.min(99, Math.floor(((p.folder + within) / p.of) * 100));
  }

  private renderStatus(): void {
    const state: SchedulerState = this.scheduler.state;
    const stale = staleCount(this.folderNotes());
    const notes = this.folders.reduce((n, f) => n + f.notes.length, 0);
    const item = this.statusItem;
    item.backgroundColor = undefined;
    switch (state) {
      case 'running': {
        const phase = this.progress?.phase?.phase;
        item.text = `$(sync~spin) Analyzing ${this.percent()}%`;
        item.tooltip = `Sleeptime is writing notes while the editor is idle${phase ? ` (${phase})` : ''}. Typing pauses it.`;
        break;
      }
      case 'paused':
        item.text = '$(debug-pause) Paused';
        item.tooltip = 'Sleeptime analysis is paused while you work; it resumes where it left off when the editor is idle.';
        break;
      case 'disabled':
        item.text = '$(circle-slash) Sleeptime off';
        item.tooltip = 'Idle analysis is turned off (Sleeptime: Resume Idle Analysis turns it back on).';
        break;
      case 'debugging':
        item.text = '$(debug) Paused while debugging';
        item.tooltip = 'Sleeptime never analyzes during a debug session.';
        break;
      case 'waiting':
        item.text = stale > 0 ? `$(warning) ${stale} notes stale` : notes > 0 ? '$(clock) Notes queued' : '$(clock) Waiting for idle';
        item.tooltip = 'Sleeptime will analyze the workspace when the editor has been idle for a while.';
        break;
      default:
        item.text = stale > 0 ? `$(warning) ${stale} notes stale` : '$(check) Notes up to date';
        item.tooltip = `Sleeptime: ${notes} notes${stale ? `, ${stale} stale` : ''}. Click to open the notes.`;
    }
  }
}

/** Message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
