import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StoredStructure } from './analyze';
import type { Logger } from './logger';
import { isSecretPath } from './privacy/secretFiles';
import { packContext, type PackedContext } from './retrieve/pack';
import { RetrievalIndex, type RetrievalData } from './retrieve/searchIndex';
import { Store } from './store/store';
import type { Note, NoteKind } from './types';

export interface AskOptions {
  root: string;
  question: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  /** Bound on the whole prompt (instructions + notes + spans + question), o200k_base tokens. */
  budgetTokens?: number;
  /** Bound on the completion when a model answers. */
  maxAnswerTokens?: number;
  /** Answer from the notes alone, with no model call. */
  offline?: boolean;
  signal?: AbortSignal;
  logger?: Logger;
  /** Streamed answer text as it arrives. */
  onText?: (delta: string) => void;
}

/** A note that served an answer. */
export interface ServedNote {
  id: string;
  kind: NoteKind;
  title: string;
  path: string;
  startLine: number;
  endLine: number;
}

/** What `sleeptime ask --json` prints. */
export interface AskResult {
  question: string;
  budgetTokens: number;
  /** Tokens of the packed prompt; always <= budgetTokens. */
  contextTokens: number;
  /** Repository files the packed context cites, most relevant first, paths relative to root. */
  files: { path: string; score: number }[];
  notes: ServedNote[];
  answer: string;
  /** `offline` (packed notes, no model), `anticipated` (a precomputed qa note, no model), `model`. */
  servedBy: 'offline' | 'anticipated' | 'model';
  latencyMs: number;
  usage?: { promptTokens: number; completionTokens: number };
  model?: string;
}

let cachedIndex: { key: string; notes: Note[]; index: RetrievalIndex } | undefined;

/** The retrieval index of a store, rebuilt only when the store was saved since (long-lived hosts ask often). */
function indexFor(storeDir: string, data: RetrievalData & { updatedAt?: string }): RetrievalIndex {
  const key = `${path.resolve(storeDir)}|${data.updatedAt ?? ''}|${data.notes.length}`;
  if (!data.updatedAt || cachedIndex?.key !== key) cachedIndex = { key, notes: data.notes, index: RetrievalIndex.build(data) };
  return cachedIndex.index;
}

/** Default test-time budget of `ask`, in o200k_base tokens. */
export const DEFAULT_ASK_BUDGET = 2000;

const MAX_READ_BYTES = 2_000_000;

/** A `readText` for retrieval: files under `root`, never secret files, never outside root, never huge ones. */
export function diskReader(root: string): (rel: string) => string | undefined {
  const base = path.resolve(root);
  return (rel) => {
    if (isSecretPath(rel)) return undefined;
    const abs = path.resolve(base, rel);
    if (abs !== base && !abs.startsWith(base + path.sep)) return undefined;
    try {
      if (fs.statSync(abs).size > MAX_READ_BYTES) return undefined;
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/**
 * Open the store of `root` and return retrieval data (notes, file analyses, a disk reader).
 * Throws a one-line error when there are no notes ("run sleeptime analyze DIR first").
 */
export async function loadRetrievalData(root: string, storeDir?: string, logger?: Logger): Promise<RetrievalData & { updatedAt?: string }> {
  const dir = storeDir ?? path.join(root, '.sleeptime');
  const missing = new Error(`no notes for ${root}: run sleeptime analyze ${root} first`);
  if (!fs.existsSync(dir)) throw missing;
  const { store, warnings } = await Store.open(dir, { root, logger });
  for (const w of warnings) logger?.warn(w);
  const notes = store.notes();
  if (notes.length === 0) throw missing;
  const fileRank = store.structure<StoredStructure>()?.fileRank;
  return { notes, files: store.files(), readText: diskReader(root), fileRank, updatedAt: store.info()?.updatedAt };
}

function firstLines(body: string, maxLines: number): string {
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, maxLines).join('\n');
}

/** The offline answer: a readable digest of the packed notes and spans, with `path:line` citations. */
export function offlineAnswer(packed: PackedContext, notes: Note[]): string {
  const byId = new Map(notes.map((n) => [n.id, n]));
  const out: string[] = [`Answered offline from ${packed.notes.length} note${packed.notes.length === 1 ? '' : 's'} (no model).`];
  if (packed.files.length) {
    out.push('', '**Most relevant files**', ...packed.files.slice(0, 8).map((f) => `- \`${f.path}\``));
  }
  if (packed.notes.length) {
    out.push('', '**Notes**');
    for (const sn of packed.notes.slice(0, 6)) {
      const note = byId.get(sn.id);
      const where = sn.path ? ` — \`${sn.path}:${sn.startLine}\`` : '';
      out.push(`- [${sn.kind}] **${sn.title}**${where}`);
      if (note) for (const l of firstLines(note.body, 3).split('\n')) if (l) out.push(`  ${l.replace(/^\s*[-*]\s*/, '')}`);
    }
  }
  if (packed.spans.length) {
    out.push('', '**Code**', ...packed.spans.slice(0, 8).map((s) => `- \`${s.path}:${s.startLine}-${s.endLine}\``));
  }
  if (!packed.notes.length && !packed.spans.length && !packed.files.length) out.push('', 'Nothing in the notes matches this question.');
  return out.join('\n');
}

/**
 * Answer a question about an analyzed repository from its notes within a test-time budget.
 * Offline (and for now whenever no model is wired in) the answer is the packed notes and spans.
 */
export async function ask(opts: AskOptions): Promise<AskResult> {
  const started = performance.now();
  const budgetTokens = opts.budgetTokens ?? DEFAULT_ASK_BUDGET;
  const data = await loadRetrievalData(opts.root, opts.storeDir, opts.logger);
  opts.signal?.throwIfAborted();
  const packed = packContext(opts.question, indexFor(opts.storeDir ?? path.join(opts.root, '.sleeptime'), data), budgetTokens);
  const answer = offlineAnswer(packed, cachedIndex?.notes ?? data.notes);
  opts.onText?.(answer);
  return {
    question: opts.question,
    budgetTokens,
    contextTokens: packed.contextTokens,
    files: packed.files,
    notes: packed.notes,
    answer,
    servedBy: 'offline',
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
