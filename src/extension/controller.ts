/**
 * The extension's heavy half, loaded by `activate()` with a dynamic import: per-folder stores,
 * the idle scheduler and its analysis worker, the status bar, the views and the editor features.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnalyzeProgress } from '../core/analyze';
import type { PreparedAnswer, PrepareRequest } from '../core/ask';
import type { ChatModel, ChatRequest, ChatResponse } from '../core/llm/chatModel';
import type { Logger } from '../core/logger';
import { runSleepTime } from '../core/sleep';
import { Store } from '../core/store/store';
import type { Note, NoteKind } from '../core/types';
import { AnalysisWorkerClient, spawnAnalysisWorker } from './analysisRunner';
import { ChatViewProvider } from './chatView';
import { EditorFeatures } from './editorFeatures';
import { IdleScheduler, type SchedulerState } from './idleScheduler';
import { markStale, staleCount, type FolderNotes } from './notesModel';
import { NoteDocumentProvider, NOTE_SCHEME, NotesTreeProvider } from './notesView';
import { resolveModel } from './models';
import { readSettings } from './settings';

/** One workspace folder and its store. */
interface FolderState {
  folder: vscode.WorkspaceFolder;
  storeDir: string;
  notes: Note[];
  /** Folder-relative paths changed since the last analysis. */
  changed: Set<string>;
  dirty: boolean;
  /** The next analysis rescans the folder (first run, git HEAD moved, deletions, scan settings). */
  full: boolean;
  /** The model's sleep-time jobs should run after the static analysis. */
  sleepPending: boolean;
  /** Recently changed paths, newest first: the focus of sleep-time jobs. */
  recent: string[];
}

/** Sleep-time work in progress, for the status bar. */
interface Thinking {
  folder: string;
  calls: number;
  tokens: number;
}

const RECENT_PATHS = 20;

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
  private thinking: Thinking | undefined;
  private readonly worker: AnalysisWorkerClient;
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
      this.folders.push({
        folder,
        storeDir: storeDirFor(storageRoot, folder.uri.toString()),
        notes: [],
        changed: new Set(),
        dirty: true,
        full: true,
        sleepPending: true,
        recent: [],
      });
    }

    // At most one worker: it analyzes folders one after the other and keeps each folder's session.
    const script = path.join(context.extensionPath, 'dist', 'analysisWorker.js');
    this.worker = new AnalysisWorkerClient(() => spawnAnalysisWorker(script), logger);

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
        const model = ['provider', 'baseUrl', 'model', 'dailySleepBudgetTokens', 'generationsPerJob'].some((k) => e.affectsConfiguration(`sleeptime.${k}`));
        if (model) this.queueSleep();
        if (model || e.affectsConfiguration('sleeptime.testTokenWeight')) void this.chat.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.queueSleep();
        void this.chat.refresh();
      }),
      { dispose: () => this.scheduler.dispose() },
      { dispose: () => this.worker.dispose() },
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

  /** The retrieval for a question, worked out in the analysis process: the extension host never builds a search index. */
  prepareAnswer(request: PrepareRequest, signal?: AbortSignal): Promise<PreparedAnswer> {
    return this.worker.prepare(request, signal);
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
    for (const f of this.folders) {
      f.dirty = true;
      f.full = true;
    }
    if (this.folders.length > 0) this.scheduler.queue();
  }

  /** The model settings changed (or trust was granted): sleep-time jobs run at the next idle period. */
  private queueSleep(): void {
    for (const f of this.folders) f.sleepPending = true;
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
      const relative = (uri: vscode.Uri): string | undefined => {
        const rel = path.relative(f.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
        return rel.startsWith('..') || IGNORED_CHANGE.test(rel) ? undefined : rel;
      };
      const onChange = (uri: vscode.Uri): void => {
        const rel = relative(uri);
        if (rel) this.fileChanged(f, [rel]);
      };
      // A deleted folder is reported as one path: only a rescan finds the files it held.
      const onDelete = (uri: vscode.Uri): void => {
        const rel = relative(uri);
        if (!rel) return;
        f.full = true;
        this.fileChanged(f, [rel]);
      };
      const files = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f.folder, '**/*'));
      const head = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(f.folder, '.git/{HEAD,refs/heads/**}'));
      const onHead = (): void => {
        this.logger.info(`git HEAD changed in ${f.folder.name}; full re-analysis queued`);
        f.full = true;
        this.fileChanged(f, []);
      };
      out.push(files, head, files.onDidChange(onChange), files.onDidCreate(onChange), files.onDidDelete(onDelete), head.onDidChange(onHead), head.onDidCreate(onHead));
    });
    return out;
  }

  private fileChanged(f: FolderState, paths: string[]): void {
    for (const p of paths) f.changed.add(p);
    f.recent = [...paths, ...f.recent.filter((p) => !paths.includes(p))].slice(0, RECENT_PATHS);
    f.notes = markStale(f.notes, f.changed);
    f.dirty = true;
    f.sleepPending = true;
    this.scheduler.queue();
    this.notesChanged();
  }

  /**
   * The scheduler's work: analyze every dirty folder in the worker, one after the other, then let
   * the model think about the folders whose notes changed. Resolves true when nothing is left.
   */
  private async analyzeDirty(signal: AbortSignal): Promise<boolean> {
    const dirty = this.folders.filter((f) => f.dirty);
    for (const [i, f] of dirty.entries()) {
      if (signal.aborted) return false;
      const settings = readSettings(f.folder.uri);
      this.progress = { folder: i, of: dirty.length };
      this.renderStatus();
      const changedBefore = new Set(f.changed);
      const full = f.full;
      f.full = false;
      const stats = await this.worker
        .run(
          {
            root: f.folder.uri.fsPath,
            storeDir: f.storeDir,
            include: settings.include.length ? settings.include : undefined,
            exclude: settings.exclude.length ? settings.exclude : undefined,
            maxFileBytes: settings.maxFileSizeKb * 1024,
          },
          {
            changed: full ? undefined : [...changedBefore],
            signal,
            onProgress: (phase) => {
              this.progress = { folder: i, of: dirty.length, phase };
              this.renderStatus();
            },
          },
        )
        .catch((error: unknown) => {
          f.full ||= full;
          throw error;
        })
        .finally(() => (this.progress = undefined));
      if (stats.cancelled) {
        f.full ||= full;
        this.logger.info(`analysis of ${f.folder.name} paused; it resumes from its cache at the next idle period`);
        return false;
      }
      for (const w of stats.warnings) this.logger.warn(w);
      this.logger.info(`analyzed ${f.folder.name} in ${stats.ms.total ?? 0} ms (${stats.files.parsed} parsed, ${stats.files.reused} reused${full ? ', full run' : ''})`);
      for (const p of changedBefore) f.changed.delete(p);
      f.dirty = f.changed.size > 0;
      await this.reload(f);
      // Sleep-time work for the chat: the next question finds the folder's index built.
      this.worker.warm({ root: f.folder.uri.fsPath, storeDir: f.storeDir }).catch((error: unknown) => this.logger.debug(`index not prepared: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (this.folders.some((f) => f.dirty)) return false;
    for (const f of this.folders.filter((x) => x.sleepPending)) {
      if (signal.aborted || !(await this.think(f, signal))) return false;
    }
    return true;
  }

  /**
   * Sleep-time compute for one folder: the model's jobs within the daily budget, focused on open
   * and recently edited files. Runs on the host (see models.ts). Resolves false when cut short.
   */
  private async think(f: FolderState, signal: AbortSignal): Promise<boolean> {
    const settings = readSettings(f.folder.uri);
    const { model, reason } = await resolveModel(settings, this.context.secrets);
    if (!model) {
      this.logger.debug(`no sleep-time jobs for ${f.folder.name}: ${reason}`);
      f.sleepPending = false;
      return true;
    }
    if (f.notes.length === 0) {
      f.sleepPending = false;
      return true;
    }
    const thinking: Thinking = { folder: f.folder.name, calls: 0, tokens: 0 };
    this.thinking = thinking;
    this.renderStatus();
    const counted: ChatModel = {
      id: model.id,
      chat: async (req: ChatRequest): Promise<ChatResponse> => {
        const res = await model.chat(req);
        thinking.calls++;
        thinking.tokens += res.usage.promptTokens + res.usage.completionTokens;
        this.renderStatus();
        return res;
      },
    };
    try {
      const result = await runSleepTime({
        root: f.folder.uri.fsPath,
        storeDir: f.storeDir,
        model: counted,
        dailyBudgetTokens: settings.dailySleepBudgetTokens,
        k: settings.generationsPerJob,
        focus: this.focusOf(f),
        signal,
        logger: this.logger,
      });
      const cancelled = signal.aborted || result.jobs.some((j) => j.status === 'cancelled');
      const done = result.jobs.filter((j) => j.status === 'done').length;
      this.logger.info(
        `sleep-time for ${f.folder.name}: ${done} jobs done, ${result.notesWritten} notes, ${result.usage.promptTokens + result.usage.completionTokens} tokens${cancelled ? ' (paused)' : ''}`,
      );
      if (!cancelled) f.sleepPending = false;
      if (result.notesWritten > 0) await this.reload(f);
      return !cancelled;
    } catch (error) {
      this.logger.error(`sleep-time for ${f.folder.name} failed: ${errorText(error)}`);
      f.sleepPending = false;
      return true;
    } finally {
      this.thinking = undefined;
      this.chat.postCost();
      this.renderStatus();
    }
  }

  /** Open and recently edited files of a folder, folder-relative. */
  private focusOf(f: FolderState): string[] {
    const open = vscode.workspace.textDocuments
      .filter((d) => d.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === f.folder.uri.toString())
      .map((d) => path.relative(f.folder.uri.fsPath, d.uri.fsPath).split(path.sep).join('/'));
    return [...new Set([...f.recent, ...open])];
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
        const t = this.thinking;
        if (t) {
          item.text = `$(sync~spin) Thinking: ${t.calls} model call${t.calls === 1 ? '' : 's'}`;
          item.tooltip = `Sleeptime's model is preparing notes and anticipated questions for ${t.folder} (${t.tokens.toLocaleString()} tokens so far). Typing pauses it.`;
          break;
        }
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
