import * as path from 'node:path';
import type { StoredStructure } from './analyze';
import type { Logger } from './logger';
import { redactSecrets } from './privacy/redact';
import { diskReader } from './repoText';
import { isGuidePath } from './retrieve/docSections';
import { packContext, type PackedContext, type PackedSpan } from './retrieve/pack';
import { leadingDefinitions } from './structure/definitions';
import { RetrievalIndex, type RetrievalData } from './retrieve/searchIndex';
import { answerOverheadTokens, answerWithModel, matchAnticipated } from './llm/answer';
import type { ChatModel } from './llm/chatModel';
import { openLedger } from './llm/ledger';
import { textTerms } from './retrieve/terms';
import { countTokens } from './retrieve/tokens';
import { defaultStoreDir, readDerived, Store, storeStamp, writeDerived } from './store/store';
import type { Note, NoteKind, SymbolDef } from './types';
import { counted } from './plural';

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
  /** The model that answers; without one (or with `offline`) the answer is the packed notes. */
  model?: ChatModel;
  /** Works out the retrieval elsewhere (the editor's analysis process); default {@link prepareAnswer} here. */
  prepare?: (request: PrepareRequest, signal?: AbortSignal) => Promise<PreparedAnswer>;
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

let cachedIndex: { dir: string; key: string; saved?: string; index: RetrievalIndex } | undefined;

/**
 * The retrieval index of a store, rebuilt only when the store was saved since: long-lived hosts keep it in
 * memory, and a short-lived process loads the text search {@link saveSearchIndex} left beside the store.
 */
function indexFor(storeDir: string, data: RetrievalData & { updatedAt?: string }): RetrievalIndex {
  const dir = path.resolve(storeDir);
  const saved = data.updatedAt ? `${data.updatedAt}|${data.notes.length}|${data.files.size}` : undefined;
  const key = `${dir}|${saved ?? ''}`;
  if (saved && cachedIndex?.key === key) return cachedIndex.index;
  // The index of the folder's last snapshot is updated rather than rebuilt: after an edit few notes and files changed.
  const previous = cachedIndex?.dir === dir ? cachedIndex.index : undefined;
  const index = RetrievalIndex.build(data, saved && !previous ? readDerived(dir, SEARCH_INDEX, `${SEARCH_FORMAT}|${saved}`) : undefined, previous);
  cachedIndex = { dir, key, saved, index };
  return index;
}

/**
 * Saves the text search that the last `ask` on `storeDir` built beside the store, for the next process to
 * load instead of rebuilding it (a CLI `ask` on a large repository spends most of its time there). Does
 * nothing when it was loaded from there; rejects when the store folder cannot be written.
 */
export async function saveSearchIndex(storeDir: string): Promise<void> {
  const c = cachedIndex;
  if (!c?.saved || c.index.restored || c.dir !== path.resolve(storeDir)) return;
  await writeDerived(c.dir, SEARCH_INDEX, `${SEARCH_FORMAT}|${c.saved}`, c.index.searchJSON());
}

const SEARCH_INDEX = 'search-index';
/** The saved index's format, part of its key: documents by note id and path (they were by position before). */
const SEARCH_FORMAT = 'by-id';

/** Default test-time budget of `ask`, in o200k_base tokens. */
export const DEFAULT_ASK_BUDGET = 2000;

/**
 * Open the store of `root` and return retrieval data (notes, file analyses, a disk reader).
 * Throws a one-line error when there are no notes ("run sleeptime analyze DIR first").
 */
export async function loadRetrievalData(root: string, storeDir?: string, logger?: Logger): Promise<RetrievalData & { updatedAt?: string }> {
  const dir = storeDir ?? defaultStoreDir(root);
  const missing = new Error(`no notes for ${root}: run sleeptime analyze ${root} first`);
  const saved = storeStamp(dir);
  if (!saved) throw missing;
  // Long-lived hosts (editor, MCP server) ask often: reuse what was loaded until the store is saved again.
  const stamp = `${root}\0${saved}`;
  const hit = loaded.get(dir);
  if (hit?.stamp === stamp) return hit.data;
  const data = (async () => {
    const { store, warnings } = await Store.open(dir, { root, logger });
    for (const w of warnings) logger?.warn(w);
    const notes = store.notes();
    if (notes.length === 0) throw missing;
    const structure = store.structure<StoredStructure>();
    return {
      notes, files: store.files(), readText: diskReader(root), fileRank: structure?.fileRank, entryPoints: structure?.entryPoints,
      pastCommits: structure?.history?.commits, updatedAt: store.info()?.updatedAt,
    };
  })();
  loaded.set(dir, { stamp, data });
  data.catch(() => loaded.delete(dir));
  if (loaded.size > MAX_LOADED_STORES) loaded.delete(loaded.keys().next().value!);
  return data;
}

const MAX_LOADED_STORES = 8;
const loaded = new Map<string, { stamp: string; data: Promise<RetrievalData & { updatedAt?: string }> }>();

/**
 * The lines of a note that say something (no headings, table rows or bare labels) and hold the question's words,
 * else its first such lines: of a file card, the definition the question is about rather than the line count.
 */
function tellingLines(body: string, terms: ReadonlySet<string>, maxLines: number): string[] {
  const lines = body.split('\n').filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('#') && !t.startsWith('|') && !t.endsWith(':');
  });
  const asked = lines.filter((l) => textTerms(l).some((t) => terms.has(t)));
  return (asked.length ? asked : lines).slice(0, maxLines);
}

/** `method \`Ky._retry\``: a definition's kind and name, a method's with its class. */
function definitionLabel(d: SymbolDef): string {
  return `${d.kind} \`${d.parent && d.kind === 'method' ? `${d.parent}.` : ''}${d.name}\``;
}

/** The offline answer: where to look, what the notes say, and the best code spans, all citing `path:line`. */
export function offlineAnswer(packed: PackedContext, notes: Note[], data?: RetrievalData): string {
  const byId = new Map(notes.map((n) => [n.id, n]));
  const out: string[] = [`Answered offline from ${counted(packed.notes.length, 'note')} (no model).`];
  if (packed.unmatched) out.push('', 'Nothing in the notes matches this question; these are the project\'s central files.');
  if (packed.files.length) {
    out.push('', packed.unmatched ? '**Central files**' : '**Where to look**');
    for (const f of packed.files.slice(0, 6)) {
      // The definitions the question matched, else the file's top-level ones.
      const defs = packed.matchedDefs.get(f.path) ?? leadingDefinitions(data?.files.get(f.path)?.defs ?? []).slice(0, 3);
      const line = defs[0]?.startLine ?? 1;
      out.push(`- \`${f.path}:${line}\`${defs.length ? ` ${defs.map(definitionLabel).join(', ')}` : ''}`);
    }
  }
  if (packed.notes.length) {
    out.push('', '**From the notes**');
    for (const sn of packed.notes.slice(0, 5)) {
      const note = byId.get(sn.id);
      const where = sn.path ? ` (\`${sn.path}:${sn.startLine}\`)` : '';
      out.push(`- [${sn.kind}] **${sn.title}**${where}`);
      if (note) for (const l of tellingLines(note.body, packed.terms, 2)) out.push(`  ${l.trim().replace(/^[-*]\s+/, '')}`);
    }
  }
  const quote = (sp: PackedSpan): string[] => {
    const text = data?.readText?.(sp.path);
    if (text === undefined) return [];
    const lines = text.split(/\r?\n/).slice(sp.startLine - 1, Math.min(sp.endLine, sp.startLine + 24));
    // A fence longer than any inside (a README's own ```ruby blocks) keeps the quote whole.
    const fence = '`'.repeat(Math.max(3, ...lines.map((l) => (/^\s*(`{3,})/.exec(l)?.[1].length ?? 0) + 1)));
    return [`\`${sp.path}:${sp.startLine}\``, fence + fenceLanguage(sp.path), ...lines, fence];
  };
  const guides = packed.spans.filter((sp) => isGuidePath(sp.path)).slice(0, 1).flatMap(quote);
  if (guides.length) out.push('', '**From the documentation**', ...guides);
  const shown = packed.spans.filter((sp) => !isGuidePath(sp.path)).slice(0, 2).flatMap(quote);
  if (shown.length) out.push('', '**Code**', ...shown);
  if (!packed.notes.length && !packed.spans.length && !packed.files.length) out.push('', 'Nothing in the notes matches this question.');
  return out.join('\n');
}

function fenceLanguage(p: string): string {
  const ext = p.slice(p.lastIndexOf('.') + 1);
  return /^[a-z0-9]+$/i.test(ext) ? ext : '';
}

/** Default completion bound when a model answers. */
export const DEFAULT_MAX_ANSWER_TOKENS = 400;

/**
 * Loads the store of `root` and builds (or brings up to date) its retrieval index in this process, so that
 * the next question here is answered without that wait: sleep-time work for a long-lived host.
 */
export async function warmRetrieval(root: string, storeDir?: string, logger?: Logger): Promise<void> {
  indexFor(storeDir ?? defaultStoreDir(root), await loadRetrievalData(root, storeDir, logger));
}

/** What {@link prepareAnswer} needs: the question, its store and budget, and whether a model will answer. */
export interface PrepareRequest {
  root: string;
  storeDir?: string;
  question: string;
  budgetTokens?: number;
  /** Pack the context for a model's prompt (the budget less the instructions) rather than answer offline. */
  forModel: boolean;
}

/**
 * Everything about an answer that needs the notes, and none that needs a model: plain data, so that a
 * long-lived host can work it out in another process (the editor's analysis process) and only the model
 * call stays with the host.
 */
export type PreparedAnswer = {
  question: string;
  budgetTokens: number;
  files: { path: string; score: number }[];
  notes: ServedNote[];
  /** Tokens of the packed context (of the answer, when it needs no model). */
  contextTokens: number;
  /** Tokens the top cited files would cost whole (the ledger's comparison). */
  rawTokens: number;
} & (
  | { servedBy: 'anticipated'; answer: string; noteOrigin: string }
  | { servedBy: 'offline'; answer: string }
  | { servedBy: 'model'; context: string; overheadTokens: number }
);

/**
 * Retrieval for one question: a close anticipated question (prepared at sleep time) is the answer itself;
 * otherwise the notes and spans are packed into the budget, as a model's context or as the offline answer.
 */
export async function prepareAnswer(req: PrepareRequest, logger?: Logger): Promise<PreparedAnswer> {
  const budgetTokens = req.budgetTokens ?? DEFAULT_ASK_BUDGET;
  const storeDir = req.storeDir ?? defaultStoreDir(req.root);
  const data = await loadRetrievalData(req.root, req.storeDir, logger);
  const index = indexFor(storeDir, data);
  const base = { question: req.question, budgetTokens };

  const anticipated = matchAnticipated(req.question, data.notes.filter((n) => n.kind === 'qa'));
  if (anticipated && countTokens(anticipated.note.body) <= budgetTokens) {
    const n = anticipated.note;
    const answer = `${redactSecrets(n.body).text}\n\n_Served from an anticipated question prepared at sleep time ("${String(n.meta?.question ?? n.title)}", similarity ${anticipated.similarity.toFixed(2)}): no model call._`;
    const paths = [...new Set(n.evidence.map((e) => e.path))];
    const files = paths.map((p, i) => ({ path: p, score: 1 - i / Math.max(1, paths.length) }));
    return { ...base, servedBy: 'anticipated', answer, noteOrigin: n.origin, contextTokens: countTokens(n.body), files, notes: [servedNote(n)], rawTokens: rawTokensFor(n.evidence, data) };
  }
  if (req.forModel) {
    const overheadTokens = answerOverheadTokens(req.question);
    const packed = packContext(req.question, index, Math.max(0, budgetTokens - overheadTokens));
    const common = { contextTokens: packed.contextTokens, files: packed.files, notes: packed.notes, rawTokens: rawTokensFor(packed.files, data) };
    return { ...base, ...common, servedBy: 'model', context: packed.text, overheadTokens };
  }
  const packed = packContext(req.question, index, budgetTokens);
  // The answer quotes code: secrets in it are masked like everything Sleeptime shows or sends.
  const answer = redactSecrets(offlineAnswer(packed, data.notes, data)).text;
  return { ...base, servedBy: 'offline', answer, contextTokens: packed.contextTokens, files: packed.files, notes: packed.notes, rawTokens: rawTokensFor(packed.files, data) };
}

/**
 * Answer a question about an analyzed repository from its notes within a test-time budget:
 * a close anticipated question (prepared at sleep time) is served with no model call; otherwise
 * the packed notes and spans go to the model, or make the answer themselves offline.
 */
export async function ask(opts: AskOptions): Promise<AskResult> {
  const started = performance.now();
  const storeDir = opts.storeDir ?? defaultStoreDir(opts.root);
  const forModel = opts.model !== undefined && !opts.offline;
  const request: PrepareRequest = { root: opts.root, storeDir: opts.storeDir, question: opts.question, budgetTokens: opts.budgetTokens, forModel };
  const prepared = await (opts.prepare ? opts.prepare(request, opts.signal) : prepareAnswer(request, opts.logger));
  opts.signal?.throwIfAborted();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const { question, budgetTokens, files, notes, rawTokens } = prepared;
  const base = { question, budgetTokens, files, notes };

  if (prepared.servedBy !== 'model') {
    opts.onText?.(prepared.answer);
    if (prepared.servedBy === 'anticipated') {
      record(storeDir, { job: 'anticipated', model: prepared.noteOrigin, promptTokens: 0, completionTokens: 0, notes: notes.map((n) => n.id), question, rawTokens });
    }
    return { ...base, contextTokens: prepared.contextTokens, answer: prepared.answer, servedBy: prepared.servedBy, latencyMs: elapsed() };
  }
  const reply = await answerWithModel({
    question,
    context: prepared.context,
    model: opts.model!,
    maxAnswerTokens: opts.maxAnswerTokens ?? DEFAULT_MAX_ANSWER_TOKENS,
    signal: opts.signal,
    onText: opts.onText,
  });
  const usage = { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens };
  record(storeDir, { job: 'answer', model: reply.model, ...usage, estimated: reply.usage.estimated, notes: notes.map((n) => n.id), question, rawTokens });
  return {
    ...base,
    contextTokens: Math.min(budgetTokens, prepared.overheadTokens + prepared.contextTokens),
    answer: reply.text,
    servedBy: 'model',
    latencyMs: elapsed(),
    usage,
    model: reply.model,
  };
}

/** What answering from raw code would send: the top files whole (about 4 bytes a token). */
function rawTokensFor(files: { path: string }[], data: RetrievalData): number {
  return Math.round(files.slice(0, RAW_FILES).reduce((sum, f) => sum + (data.files.get(f.path)?.bytes ?? 0), 0) / 4);
}

const RAW_FILES = 5;

function servedNote(n: Note): ServedNote {
  const e = n.evidence[0];
  return { id: n.id, kind: n.kind, title: n.title, path: e?.path ?? '', startLine: e?.startLine ?? 0, endLine: e?.endLine ?? 0 };
}

/** Test-time calls go to the store's ledger; a ledger that cannot be written never fails an answer. */
function record(storeDir: string, entry: { job: string; model: string; promptTokens: number; completionTokens: number; estimated?: boolean; notes: string[]; question: string; rawTokens: number }): void {
  try {
    openLedger(storeDir).append({ at: new Date().toISOString(), kind: 'test', ...entry });
  } catch {
    /* the answer matters more than its bookkeeping */
  }
}
