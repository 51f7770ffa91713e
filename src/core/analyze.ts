import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readHistory } from './history/history';
import { silentLogger, type Logger } from './logger';
import { buildArchitectureNotes, repoNameOf } from './notes/architectureNotes';
import { buildBugNotes } from './notes/bugNotes';
import { buildFileCards } from './notes/fileCards';
import { mergeNotes } from './notes/staleness';
import { buildTestHookNotes } from './notes/testHooks';
import { ParsePool, type ParseJob } from './parse/parsePool';
import { scanRepository } from './scan/scan';
import { findNotesFile, importNotes } from './share/importNotes';
import { defaultStoreDir, Store, type CachedFile } from './store/store';
import { findEntryPoints, type EntryPoint } from './structure/entryPoints';
import { buildStructure, goModulePath, type Structure } from './structure/structure';
import type { FileAnalysis, HistoryResult, Note, NoteKind, SkipReason } from './types';

/** Options for one analysis run of a repository folder. */
export interface AnalyzeOptions {
  root: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  signal?: AbortSignal;
  /** Parse worker threads; 0 parses in the calling thread. Default: min(2, cores). */
  parseWorkers?: number;
  /** Files larger than this are skipped as `too-large`. Default 1 MB. */
  maxFileBytes?: number;
  include?: string[];
  exclude?: string[];
  logger?: Logger;
  onProgress?: (progress: AnalyzeProgress) => void;
}

export interface AnalyzeProgress {
  phase: string;
  done: number;
  total: number;
}

/** What `sleeptime analyze --json` prints. */
export interface AnalyzeStats {
  files: { seen: number; parsed: number; reused: number; skipped: Partial<Record<SkipReason, number>> };
  symbols: number;
  notes: Partial<Record<NoteKind, number>>;
  ms: Record<string, number>;
  peakRssMb: number;
  warnings: string[];
  /** Notes written anew this run (the rest were unchanged and kept as they were). */
  notesRewritten?: number;
  /** true when the run was cancelled; work done so far is kept in the cache. */
  cancelled?: boolean;
}

/** The structure summary kept in the store for the other fronts (retrieval boosts, views). */
export interface StoredStructure {
  fileRank: Record<string, number>;
  entryPoints: EntryPoint[];
  components: { id: string; files: number; dependsOn: string[] }[];
  /** Commits per file, for ordering sleep-time jobs. */
  churn: Record<string, number>;
  /** The shared notes file last imported, so an unchanged one is not read again. */
  sharedNotes?: { file: string; mtimeMs: number };
  headCommit?: string;
}

/** How long a run waits for another process's write to the same store. */
const LOCK_WAIT_MS = 60_000;

/** Scan, parse (incrementally), relate and write notes for `opts.root` into its store. */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeStats> {
  const logger = opts.logger ?? silentLogger;
  const root = path.resolve(opts.root);
  const ms: Record<string, number> = {};
  const rss = new RssSampler();
  const timed = async <T>(phase: string, fn: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      ms[phase] = Math.round(performance.now() - t0);
      rss.sample();
    }
  };
  const progress = (phase: string, done: number, total: number): void => opts.onProgress?.({ phase, done, total });
  const t0 = performance.now();

  try {
    const scan = await timed('scan', () => scanRepository(root, { maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude, signal: opts.signal }));
    const { store, warnings } = await timed('load', () => Store.open(opts.storeDir ?? defaultStoreDir(root), { root, logger }));
    warnings.push(...scan.errors);
    const cache = store.files();
    const files = new Map<string, CachedFile>();
    const jobs: ParseJob[] = [];
    const statOf = new Map<string, { size: number; mtimeMs: number }>();
    for (const f of scan.files) {
      statOf.set(f.path, { size: f.size, mtimeMs: f.mtimeMs });
      const hit = cache.get(f.path);
      if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs && hit.language === f.language) files.set(f.path, hit);
      else jobs.push({ path: f.path, absPath: path.join(root, f.path), language: f.language });
    }
    const reused = files.size;
    progress('parse', 0, jobs.length);

    const historyPromise = timed('history', () => readHistory(root, { signal: opts.signal }));
    const parsed = await timed('parse', () => parseAll(jobs, opts, (done) => progress('parse', done, jobs.length)));
    for (const a of parsed) {
      const st = statOf.get(a.path)!;
      files.set(a.path, { ...a, size: st.size, mtimeMs: st.mtimeMs });
    }
    const history = await historyPromise;

    const base = {
      files: { seen: scan.files.length, parsed: parsed.length, reused, skipped: countSkips(scan.skipped) },
      symbols: 0,
      notes: {},
      peakRssMb: 0,
      warnings,
    };
    if (opts.signal?.aborted) {
      // Keep what was parsed so the next run resumes where this one stopped.
      await timed('store', () => store.save({ files: mergeCache(cache, files, statOf) }));
      return { ...base, ms: finish(ms, t0), peakRssMb: rss.stop(), cancelled: true };
    }
    for (const a of parsed) if (a.parseError) warnings.push(`${a.path}: not parsed (${a.parseError})`);

    const readText = textReader(root, files);
    const structure = await timed('structure', () => buildStructure([...files.values()], { goModule: goModulePath(readText('go.mod')) }));
    progress('notes', 0, 1);
    const notes = await timed('notes', () =>
      buildNotes({ root, files, structure, history, readText, now: new Date().toISOString(), scanFiles: scan }),
    );
    const stored: StoredStructure = {
      fileRank: structure.fileRank,
      entryPoints: notes.entryPoints,
      components: structure.components.map((c) => ({ id: c.id, files: c.files.length, dependsOn: c.dependsOn.map((d) => d.component) })),
      churn: Object.fromEntries(Object.entries(history.files).map(([p, h]) => [p, h.commits])),
      headCommit: history.head,
    };
    // Another process (CLI or editor) may have written notes meanwhile: merge with the latest under the lock.
    const merged = await timed('store', () =>
      store.withWriteLock(async () => {
        const latest = await Store.open(store.dir, { root, logger });
        let result = mergeNotes(latest.store.notes(), notes, files);
        const shared = importSharedNotes(root, result, latest.store.structure<StoredStructure>()?.sharedNotes, warnings);
        if (shared) {
          result = Object.assign(shared.notes, { rewritten: result.rewritten });
          stored.sharedNotes = shared.stamp;
        }
        await store.save({ files, notes: result, structure: stored, head: history.head });
        return result;
      }, { waitMs: LOCK_WAIT_MS }),
    );
    progress('notes', 1, 1);

    const counts: Partial<Record<NoteKind, number>> = {};
    for (const n of merged) counts[n.kind] = (counts[n.kind] ?? 0) + 1;
    let symbols = 0;
    for (const f of files.values()) symbols += f.defs.length;
    logger.info(`analyzed ${root}: ${scan.files.length} files (${parsed.length} parsed, ${reused} reused), ${merged.length} notes`);
    return { ...base, symbols, notes: counts, notesRewritten: merged.rewritten, ms: finish(ms, t0), peakRssMb: rss.stop() };
  } finally {
    rss.stop();
  }
}

/**
 * Bring in the model notes of a notes file committed to the repository (computed once, e.g. on CI),
 * when it changed since the last import. Static notes are always this run's own.
 */
function importSharedNotes(
  root: string,
  local: Note[],
  last: StoredStructure['sharedNotes'],
  warnings: string[],
): { notes: Note[]; stamp: { file: string; mtimeMs: number } } | undefined {
  const file = findNotesFile(root);
  if (!file) return undefined;
  const mtimeMs = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (last && last.file === file && last.mtimeMs === mtimeMs) return undefined;
  const r = importNotes({ root, file, localNotes: local });
  warnings.push(...r.errors);
  const notes = [...local.filter((n) => n.origin === 'static'), ...r.notes.filter((n) => n.origin !== 'static')];
  return { notes, stamp: { file, mtimeMs } };
}

async function parseAll(jobs: ParseJob[], opts: AnalyzeOptions, onDone: (n: number) => void): Promise<FileAnalysis[]> {
  if (!jobs.length) return [];
  const workers = opts.parseWorkers ?? Math.min(2, os.availableParallelism());
  // Small batches are faster in the calling thread than paying for worker start-up.
  const pool = new ParsePool({ workers: jobs.length < 40 ? 0 : workers });
  let done = 0;
  try {
    return await pool.run(jobs, { signal: opts.signal, onResult: () => onDone(++done) });
  } finally {
    await pool.close();
  }
}

interface BuiltNotes extends Array<Note> {
  entryPoints: EntryPoint[];
}

function buildNotes(input: {
  root: string;
  files: Map<string, FileAnalysis>;
  structure: Structure;
  history: HistoryResult;
  readText: (p: string) => string | undefined;
  now: string;
  scanFiles: Awaited<ReturnType<typeof scanRepository>>;
}): BuiltNotes {
  const { files, structure, history, readText, now } = input;
  const entryPoints = findEntryPoints([...files.values()], readText);
  const notes = [
    ...buildArchitectureNotes({ repoName: repoNameOf(input.root), files, structure, entryPoints, history, now }),
    ...buildBugNotes({ files, history, fileRank: structure.fileRank, now }),
    ...buildTestHookNotes({ scan: input.scanFiles, files, readText, now }),
    ...buildFileCards({ files, structure, history, now }),
  ] as BuiltNotes;
  notes.entryPoints = entryPoints;
  return notes;
}

/** Reads repository text files the scan kept (never skipped or secret ones), memoized. */
function textReader(root: string, files: Map<string, FileAnalysis>): (p: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (p) => {
    if (memo.has(p)) return memo.get(p);
    let text: string | undefined;
    if (files.has(p)) {
      try {
        text = fs.readFileSync(path.join(root, p), 'utf8');
      } catch {
        text = undefined;
      }
    }
    memo.set(p, text);
    return text;
  };
}

function mergeCache(cache: Map<string, CachedFile>, fresh: Map<string, CachedFile>, stat: Map<string, unknown>): Map<string, CachedFile> {
  const out = new Map<string, CachedFile>();
  for (const [p, f] of cache) if (stat.has(p)) out.set(p, f);
  for (const [p, f] of fresh) out.set(p, f);
  return out;
}

function countSkips(skipped: { reason: SkipReason }[]): Partial<Record<SkipReason, number>> {
  const out: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) out[s.reason] = (out[s.reason] ?? 0) + 1;
  return out;
}

function finish(ms: Record<string, number>, t0: number): Record<string, number> {
  return { ...ms, total: Math.round(performance.now() - t0) };
}

/** Peak resident set size of this process (worker threads included) while a run lasts. */
class RssSampler {
  private peak = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), 50).unref();

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(this.peak / (1024 * 1024));
  }
}
