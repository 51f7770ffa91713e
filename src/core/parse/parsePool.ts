import { Worker } from 'node:worker_threads';
import { distPath } from '../assets';
import type { FileAnalysis, Language } from '../types';
import { analyzeBatch, failedAnalysis, floorBatch, type FloorResult } from './batch';
import { sharedModules } from './grammars';
import type { OptimizedModules } from './wasmCompiler';

/** One file to analyze. */
export interface ParseJob {
  /** POSIX path relative to the scanned root (copied into the result). */
  path: string;
  /** Absolute path the worker reads. */
  absPath: string;
  language: Language | null;
  /** Check the content first (`sniffContent`): a binary, minified or generated file comes back with `skipped`. */
  sniff?: boolean;
}

/**
 * Main thread to worker: one batch of files; or, with no reply, grammars to load ahead of the batches, or the
 * compiled tree-sitter runtime and grammars to instantiate (`optimizedModules`, sent first when there are some).
 */
export type WorkerRequest =
  | { id: number; mode: 'full' | 'floor'; jobs: ParseJob[] }
  | { mode: 'prepare'; languages: Language[] }
  | { mode: 'compiled'; modules: OptimizedModules };

/** Worker to main thread: the outcome of one batch. */
export interface WorkerResponse {
  id: number;
  payload: FileAnalysis[] | FloorResult;
}

/** Batches in flight per worker: one being worked on, one queued so the worker never idles. */
const IN_FLIGHT = 2;
const MAX_BATCH = 64;

interface Pending {
  mode: Mode;
  jobs: ParseJob[];
  done: (payload: FileAnalysis[] | FloorResult) => void;
}

interface Slot {
  worker: Worker;
  /** Settles once the compiled modules, if any, have been posted: every other message is posted after them. */
  ready: Promise<void>;
  inflight: Map<number, Pending>;
  dead: boolean;
}

type Mode = 'full' | 'floor';

/**
 * Parses files in worker threads (`dist/parseWorker.js`, so run `npm run build` first), or in the
 * calling thread with `workers: 0`. Workers start on the first run and are kept until `close()`;
 * a worker that crashes is replaced and the files of its batches come back with `parseError`.
 */
export class ParsePool {
  private readonly size: number;
  private readonly slots: (Slot | undefined)[] = [];
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(opts: { workers: number }) {
    this.size = Math.max(0, Math.floor(opts.workers));
  }

  /**
   * Analyzes `jobs`; results come in completion order. On abort, no new batch is dispatched and
   * the promise resolves with the results so far (check `signal.aborted`). Runs are serialized.
   */
  run(jobs: ParseJob[], opts: { signal?: AbortSignal; onResult?: (r: FileAnalysis) => void } = {}): Promise<FileAnalysis[]> {
    const results: FileAnalysis[] = [];
    const collect = (payload: FileAnalysis[] | FloorResult): void => {
      for (const r of payload as FileAnalysis[]) {
        results.push(r);
        opts.onResult?.(r);
      }
    };
    return this.enqueue(() => this.execute('full', jobs, opts.signal, collect)).then(() => results);
  }

  /** Reads and parses `jobs` without tags, hashes or bug patterns (the throughput floor). */
  runFloor(jobs: ParseJob[]): Promise<FloorResult> {
    const total: FloorResult = { files: 0, bytes: 0 };
    const collect = (payload: FileAnalysis[] | FloorResult): void => {
      const f = payload as FloorResult;
      total.files += f.files;
      total.bytes += f.bytes;
    };
    return this.enqueue(() => this.execute('floor', jobs, undefined, collect)).then(() => total);
  }

  /**
   * Starts the workers and has them load the grammars of the files' `languages` (one entry per file), so that
   * a run started later (e.g. once a scan has finished) finds them ready: the first worker loads every one, the
   * others only those that `pinnedLanguages` leaves to all workers.
   */
  prepare(languages: readonly (Language | null)[]): void {
    if (this.closed) return;
    const pinned = pinnedLanguages(languages, this.size);
    const all = [...new Set(languages)].filter((l): l is Language => l !== null);
    for (let i = 0; i < this.size; i++) {
      post(this.slot(i, all), { mode: 'prepare', languages: i === 0 ? all : all.filter((l) => !pinned.has(l)) });
    }
  }

  /** Terminates the workers. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => (s ? s.worker.terminate() : undefined)));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(() => {
      if (this.closed) throw new Error('ParsePool is closed');
      return task();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async execute(mode: Mode, jobs: ParseJob[], signal: AbortSignal | undefined, collect: Pending['done']): Promise<void> {
    if (this.size === 0) {
      for (const batch of splitBatches(jobs, batchSize(jobs.length, 1))) {
        if (signal?.aborted) return;
        collect(mode === 'floor' ? await floorBatch(batch) : await analyzeBatch(batch));
        // Let timers and abort handlers run between batches.
        await new Promise((r) => setImmediate(r));
      }
      return;
    }
    const { pinned, shared } = planBatches(jobs, this.size);
    const languages = jobs.flatMap((j) => (j.language ? [j.language] : []));
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let settled = false;
      const finish = (err?: unknown): void => {
        settled = true;
        signal?.removeEventListener('abort', pump);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onBatch = (payload: FileAnalysis[] | FloorResult): void => {
        active--;
        if (settled) return;
        try {
          collect(payload);
        } catch (err) {
          // A throwing onResult callback fails the run instead of the worker's message handler.
          return finish(err);
        }
        pump();
      };
      const pump = (): void => {
        if (settled) return;
        if (signal?.aborted || this.closed) return finish();
        for (let i = 0; i < this.size; i++) {
          // The first worker takes the pinned batches first: the others share the rest meanwhile.
          const queue = (): ParseJob[][] => (i === 0 && pinned.length ? pinned : shared);
          if (!queue().length) continue;
          const slot = this.slot(i, languages);
          while (slot.inflight.size < IN_FLIGHT && queue().length) {
            active++;
            this.send(slot, mode, queue().shift()!, onBatch);
          }
        }
        if (!pinned.length && !shared.length && active === 0) finish();
      };
      signal?.addEventListener('abort', pump);
      pump();
    });
  }

  /** Worker `i`, started if need be; `languages` are those of the files it will parse first. */
  private slot(i: number, languages: Iterable<Language>): Slot {
    const existing = this.slots[i];
    if (existing && !existing.dead) return existing;
    const worker = new Worker(distPath('parseWorker.js'));
    const ready = sharedModules(languages).then((modules) => {
      if (modules) worker.postMessage({ mode: 'compiled', modules } satisfies WorkerRequest);
    });
    const slot: Slot = { worker, ready, inflight: new Map(), dead: false };
    worker.on('message', (msg: WorkerResponse) => {
      const pending = slot.inflight.get(msg.id);
      if (!pending) return;
      slot.inflight.delete(msg.id);
      if (slot.inflight.size === 0) worker.unref();
      pending.done(msg.payload);
    });
    const crashed = (reason: string): void => {
      if (slot.dead) return;
      slot.dead = true;
      if (this.slots[i] === slot) this.slots[i] = undefined;
      const lost = [...slot.inflight.values()];
      slot.inflight.clear();
      void worker.terminate();
      for (const p of lost) p.done(p.mode === 'floor' ? { files: 0, bytes: 0 } : p.jobs.map((j) => failedAnalysis(j, reason)));
    };
    worker.on('error', (err) => crashed(`parse worker crashed: ${err.message}`));
    worker.on('exit', (code) => crashed(`parse worker exited with code ${code}`));
    worker.unref();
    this.slots[i] = slot;
    return slot;
  }

  private send(slot: Slot, mode: Mode, jobs: ParseJob[], done: Pending['done']): void {
    const id = this.nextId++;
    slot.inflight.set(id, { mode, jobs, done });
    slot.worker.ref();
    post(slot, { id, mode, jobs });
  }
}

function post(slot: Slot, request: WorkerRequest): void {
  void slot.ready.then(() => slot.worker.postMessage(request));
}

/**
 * Languages left to the first worker alone: compiling a grammar's tags query costs each worker 20-500 ms, more
 * than parsing a few files. The rarest languages are pinned while their files add up to at most half of one
 * worker's share, so the first worker, which takes them first, still finishes with the others; the most common
 * language never is.
 */
export function pinnedLanguages(languages: readonly (Language | null)[], workers: number): Set<Language> {
  const pinned = new Set<Language>();
  if (workers < 2) return pinned;
  const counts = new Map<Language, number>();
  for (const l of languages) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
  const budget = languages.length / (2 * workers);
  let used = 0;
  for (const [language, n] of [...counts].sort((a, b) => a[1] - b[1]).slice(0, -1)) {
    if (used + n > budget) break;
    used += n;
    pinned.add(language);
  }
  return pinned;
}

/** The batches of a run on `workers` workers: those of pinned languages (see `pinnedLanguages`) and the rest. */
export function planBatches(jobs: ParseJob[], workers: number): { pinned: ParseJob[][]; shared: ParseJob[][] } {
  const languages = pinnedLanguages(jobs.map((j) => j.language), workers);
  const size = batchSize(jobs.length, workers);
  return {
    pinned: splitBatches(jobs.filter((j) => j.language && languages.has(j.language)), size),
    shared: splitBatches(jobs.filter((j) => !j.language || !languages.has(j.language)), size),
  };
}

/** Files per batch: about 8 batches per worker for balance, at most `MAX_BATCH` files each. */
function batchSize(jobs: number, workers: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(jobs / (Math.max(1, workers) * 8))));
}

function splitBatches(jobs: ParseJob[], size: number): ParseJob[][] {
  const out: ParseJob[][] = [];
  for (let i = 0; i < jobs.length; i += size) out.push(jobs.slice(i, i + size));
  return out;
}

/**
 * The throughput floor: a fresh pool of `workers` reads and parses `jobs` (no tags, hashes or bug
 * patterns). `ms` includes starting the workers, as a cold analysis does.
 */
export async function floorParse(jobs: ParseJob[], workers: number): Promise<{ files: number; bytes: number; ms: number }> {
  const pool = new ParsePool({ workers });
  const t0 = performance.now();
  try {
    const r = await pool.runFloor(jobs);
    return { ...r, ms: performance.now() - t0 };
  } finally {
    await pool.close();
  }
}
