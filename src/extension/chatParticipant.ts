/**
 * The `@sleeptime` participant in VS Code's Chat view: answers from the notes within the test-time budget,
 * cites code as references and anchors, shows the cost and offers anticipated questions as follow-ups.
 * The `vscode` module and the engine are injected, so the participant runs against fakes in unit tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ToolOutput } from '../core/agents/agentTools';
import type { AskOptions, AskResult } from '../core/ask';
import type { ChatModel } from '../core/llm/chatModel';
import type { Logger } from '../core/logger';
import type { Note } from '../core/types';
import { agentToolsFor, resolveFolder, type AgentFolder, type AgentWorkspace } from './lmTools';

/** Id of the participant, as contributed in package.json. */
export const PARTICIPANT_ID = 'sleeptime.chat';

/** The part of `vscode.ChatResponseStream` the participant writes to; `L` is a location. */
export interface ParticipantStream<L> {
  markdown(value: string): void;
  progress(value: string): void;
  reference(value: L): void;
  anchor(value: L, title?: string): void;
}

/** The part of a cancellation token the participant reads. */
export interface ParticipantToken {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/** What the participant keeps in `ChatResult.metadata` for its follow-ups. */
export interface ParticipantMetadata {
  folder?: string;
  question: string;
  /** Repository-relative files the answer used, most relevant first. */
  files: string[];
}

/** The participant's `ChatResult`. */
export interface ParticipantResult {
  metadata: ParticipantMetadata;
  errorDetails?: { message: string };
}

/** Dependencies of the participant. */
export interface ParticipantDeps<L> {
  workspace: AgentWorkspace;
  /** Core `ask` (or a fake). */
  ask(opts: AskOptions): Promise<AskResult>;
  /** Test-time budget settings of a folder (`sleeptime.questionBudgetTokens`, `sleeptime.maxAnswerTokens`). */
  budget(folder: AgentFolder): { questionBudgetTokens: number; maxAnswerTokens: number };
  /** The model that answers for a folder; answers are offline (packed notes) while it gives none. */
  getModel?(folder: AgentFolder): Promise<ChatModel | undefined> | ChatModel | undefined;
  /** A location at 1-based lines of an absolute path. */
  location(absPath: string, startLine: number, endLine: number): L;
  /** True when the file exists (default: on disk). */
  exists?(absPath: string): boolean;
  logger: Logger;
}

/** Slash commands, as contributed in package.json. */
export const PARTICIPANT_COMMANDS = {
  architecture: { tool: 'architecture_overview', description: 'How the repository is organized' },
  bugs: { tool: 'likely_bugs', description: 'Likely bugs, optionally under a path' },
  tests: { tool: 'test_hooks', description: 'How to test the repository or a path' },
} as const;

const MAX_CITATIONS = 12;
const CITATION = /(?<![\w/.@-])((?:[\w.@-]+\/)*[\w.@-]+\.[A-Za-z][A-Za-z0-9]*):(\d+)(?:-(\d+))?(?!\w)/g;

/** A `path:line` citation. */
export interface Citation {
  path: string;
  startLine: number;
  endLine: number;
}

/** `path:line` and `path:start-end` citations in a text, de-duplicated, in order; never paths leaving the folder. */
export function findCitations(text: string): Citation[] {
  const out = new Map<string, Citation>();
  for (const m of text.matchAll(CITATION)) {
    const p = m[1];
    if (p.split('/').includes('..')) continue;
    const startLine = Number(m[2]);
    const endLine = Math.max(startLine, Number(m[3] ?? m[2]));
    const key = `${p}:${startLine}`;
    if (startLine >= 1 && !out.has(key)) out.set(key, { path: p, startLine, endLine });
  }
  return [...out.values()];
}

function formatMs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The cost line under an answer. */
export function costLine(result: AskResult, maxAnswerTokens: number): string {
  const by = result.servedBy === 'model' ? `model ${result.model ?? ''}`.trim() : result.servedBy === 'anticipated' ? 'anticipated answer, no model call' : 'offline, no model call';
  const completion = result.usage?.completionTokens ?? 0;
  return `_Cost: ${result.contextTokens.toLocaleString('en-US')} / ${result.budgetTokens.toLocaleString('en-US')} context tokens · ${completion.toLocaleString('en-US')} / ${maxAnswerTokens.toLocaleString('en-US')} completion tokens · ${result.notes.length} note${result.notes.length === 1 ? '' : 's'} · ${formatMs(result.latencyMs)} · ${by}_`;
}

function normalizeQuestion(q: string): string {
  return q.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function dirSegments(p: string): string[] {
  return p.split('/').slice(0, -1);
}

/** How near a note's paths are to the answer's files: same file 100, else shared leading folders. */
function nearness(note: Note, files: readonly string[]): number {
  const paths = [...(note.subject ? [note.subject] : []), ...note.evidence.map((e) => e.path)];
  let best = 0;
  for (const p of paths) {
    for (const f of files) {
      if (p === f || f.startsWith(p + '/')) return 100;
      const a = dirSegments(p);
      const b = dirSegments(f);
      let shared = 0;
      while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
      best = Math.max(best, shared + (a.length === b.length && shared === a.length ? 1 : 0));
    }
  }
  return best;
}

/**
 * Follow-up questions from anticipated-question notes (kind `qa`, `meta.question`): those about the answer's
 * files or nearby folders first, then the strongest others; never the question just asked.
 */
export function followupQuestions(notes: readonly Note[], files: readonly string[], asked: string, max = 3): string[] {
  const seen = new Set([normalizeQuestion(asked)]);
  const candidates = notes
    .filter((n) => n.kind === 'qa' && !n.stale && typeof n.meta?.question === 'string' && (n.meta.question as string).trim())
    .map((n) => ({ q: (n.meta?.question as string).trim(), near: nearness(n, files), score: n.score ?? 0 }))
    .sort((a, b) => b.near - a.near || b.score - a.score || a.q.localeCompare(b.q));
  const out: string[] = [];
  for (const c of candidates) {
    const key = normalizeQuestion(c.q);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c.q);
    if (out.length >= max) break;
  }
  return out;
}

function parseCommand(command: string | undefined): keyof typeof PARTICIPANT_COMMANDS | undefined {
  return command && command in PARTICIPANT_COMMANDS ? (command as keyof typeof PARTICIPANT_COMMANDS) : undefined;
}

/** The participant's request handler and follow-up provider over injected dependencies. */
export function createParticipant<L>(deps: ParticipantDeps<L>): {
  handle(request: { prompt: string; command?: string }, stream: ParticipantStream<L>, token: ParticipantToken): Promise<ParticipantResult>;
  followups(result: { metadata?: Partial<ParticipantMetadata> }): Promise<{ prompt: string; label: string }[]>;
} {
  const exists = deps.exists ?? ((p: string): boolean => fs.existsSync(p));

  /** References for evidence and citations that point at existing files of the folder; anchors listed after the answer. */
  const cite = (folder: AgentFolder, stream: ParticipantStream<L>, citations: Citation[]): void => {
    const shown: Citation[] = [];
    for (const c of citations) {
      if (shown.length >= MAX_CITATIONS) break;
      const abs = path.resolve(folder.root, c.path);
      const rel = path.relative(folder.root, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel) || !exists(abs)) continue;
      if (shown.some((s) => s.path === c.path && s.startLine === c.startLine)) continue;
      shown.push(c);
      stream.reference(deps.location(abs, c.startLine, c.endLine));
    }
    if (shown.length === 0) return;
    stream.markdown('\n\n**Sources:** ');
    shown.forEach((c, i) => {
      if (i > 0) stream.markdown(' · ');
      stream.anchor(deps.location(path.resolve(folder.root, c.path), c.startLine, c.endLine), `${c.path}:${c.startLine}`);
    });
  };

  const runCommand = (name: keyof typeof PARTICIPANT_COMMANDS, folder: AgentFolder, relPath: string | undefined, stream: ParticipantStream<L>): ToolOutput => {
    const tool = PARTICIPANT_COMMANDS[name].tool;
    const output = agentToolsFor(folder.notes, deps.budget(folder).questionBudgetTokens).call(tool, relPath ? { path: relPath } : {});
    stream.markdown(output.text);
    cite(folder, stream, output.references.map((e) => ({ path: e.path, startLine: e.startLine, endLine: e.endLine })));
    return output;
  };

  return {
    async handle(request, stream, token) {
      const question = request.prompt.trim();
      const command = parseCommand(request.command);
      const folders = await deps.workspace.folders();
      const pathArg = command && question && !/\s/.test(question) ? question : undefined;
      const resolved = resolveFolder(folders, deps.workspace.activePath(), pathArg);
      if ('error' in resolved) {
        stream.markdown(resolved.error);
        return { metadata: { question, files: [] }, errorDetails: { message: resolved.error } };
      }
      const folder = resolved.folder;
      if (command) {
        const output = runCommand(command, folder, resolved.path, stream);
        return { metadata: { folder: folder.name, question, files: [...new Set(output.references.map((e) => e.path))] } };
      }
      if (!question) {
        const hint = 'Ask a question about this repository, e.g. `@sleeptime where are settings read?`, or use /architecture, /bugs or /tests.';
        stream.markdown(hint);
        return { metadata: { folder: folder.name, question, files: [] } };
      }
      const { questionBudgetTokens, maxAnswerTokens } = deps.budget(folder);
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let streamed = false;
      try {
        const model = await deps.getModel?.(folder);
        stream.progress(model ? `Answering from the notes with ${model.id}…` : 'Reading the notes…');
        const result = await deps.ask({
          root: folder.root,
          storeDir: folder.storeDir,
          question,
          budgetTokens: questionBudgetTokens,
          maxAnswerTokens,
          offline: !model,
          model,
          signal: abort.signal,
          logger: deps.logger,
          onText: (text) => {
            streamed = true;
            stream.markdown(text);
          },
        });
        if (!streamed) stream.markdown(result.answer);
        const fromNotes = result.notes.filter((n) => n.path && n.startLine >= 1).map((n) => ({ path: n.path, startLine: n.startLine, endLine: Math.max(n.startLine, n.endLine) }));
        cite(folder, stream, [...findCitations(result.answer), ...fromNotes]);
        stream.markdown(`\n\n${costLine(result, maxAnswerTokens)}`);
        deps.logger.info(`@sleeptime answered in ${result.latencyMs} ms from ${result.notes.length} notes (${result.servedBy}, ${result.contextTokens}/${result.budgetTokens} context tokens)`);
        return { metadata: { folder: folder.name, question, files: result.files.map((f) => f.path) } };
      } catch (error) {
        const message = abort.signal.aborted || token.isCancellationRequested ? 'Stopped.' : error instanceof Error ? error.message : String(error);
        deps.logger.warn(`@sleeptime: ${message}`);
        return { metadata: { folder: folder.name, question, files: [] }, errorDetails: { message } };
      } finally {
        sub.dispose();
      }
    },

    async followups(result) {
      const meta = result.metadata;
      if (!meta) return [];
      const folders = await deps.workspace.folders();
      const folder = folders.find((f) => f.name === meta.folder) ?? folders[0];
      if (!folder) return [];
      return followupQuestions(folder.notes, meta.files ?? [], meta.question ?? '').map((q) => ({ prompt: q, label: q }));
    },
  };
}

/** The parts of the `vscode` module the participant uses: the real module, or a fake in tests. */
export interface ParticipantApi {
  chat: { createChatParticipant(id: string, handler: vscode.ChatRequestHandler): vscode.ChatParticipant };
  Uri: { file(path: string): vscode.Uri };
  Location: new (uri: vscode.Uri, range: vscode.Range) => vscode.Location;
  Range: new (startLine: number, startCharacter: number, endLine: number, endCharacter: number) => vscode.Range;
  ThemeIcon: new (id: string) => vscode.ThemeIcon;
}

/** Create and register the `@sleeptime` participant. */
export function registerChatParticipant(api: ParticipantApi, deps: Omit<ParticipantDeps<vscode.Location>, 'location'>): vscode.ChatParticipant {
  const participant = createParticipant<vscode.Location>({
    ...deps,
    location: (abs, startLine, endLine) => new api.Location(api.Uri.file(abs), new api.Range(startLine - 1, 0, endLine - 1, 0)),
  });
  const chat = api.chat.createChatParticipant(PARTICIPANT_ID, (request, _context, stream, token) =>
    participant.handle(request, { markdown: (v) => stream.markdown(v), progress: (v) => stream.progress(v), reference: (l) => stream.reference(l), anchor: (l, t) => stream.anchor(l, t) }, token),
  );
  chat.iconPath = new api.ThemeIcon('notebook');
  chat.followupProvider = { provideFollowups: (result) => participant.followups(result as { metadata?: Partial<ParticipantMetadata> }) };
  return chat;
}
