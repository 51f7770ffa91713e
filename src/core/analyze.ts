import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitDirAbove, gitHeadStamp, readHistory } from './history/history';
import { silentLogger, type Logger } from './logger';
import { buildArchitectureNotes, repoNameOf } from './notes/architectureNotes';
import { buildBugNotes } from './notes/bugNotes';
import { buildFileCards } from './notes/fileCards';
import { mergeNotes } from './notes/staleness';
import { buildTestHookNotes, isTestPath, updateTestHookNotes } from './notes/testHooks';
import { withoutBanners } from './parse/banners';
import { keepRecentTrees } from './parse/keptTrees';
import { ParsePool, type ParseJob } from './parse/parsePool';
import { diskReader } from './repoText';
import { fitsLanguage, languageForPath } from './scan/languages';
import { scanRepository, withSkips, type ScanOptions } from './scan/scan';
import { headCommit, toolVersion } from './share/exportNotes';
import { findNotesFile, importNotes } from './share/importNotes';
import { defaultStoreDir, Store, type CachedFile } from './store/store';
import { findEntryPoints, type EntryPoint } from './structure/entryPoints';
import { withFacades } from './structure/facades';
import { buildStructure, goModulePath, importedFiles, type Structure } from './structure/structure';
import { packageEntries, psr4Roots, rustCrates, tsOutputRoots, workspacePackages } from './structure/importResolver';
import type { FileAnalysis, HistoryResult, Language, Note, NoteKind, ScanResult, SkipReason } from './types';

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
  /** Git history as of `headCommit`, reused while HEAD stays put. */
  history?: HistoryResult;
  /** The shared notes file last imported, so an unchanged one is not read again. */
  sharedNotes?: { file: string; mtimeMs: number };
  headCommit?: string;
}

/** Syntax trees kept in the calling thread for the files it parsed last (see `keepRecentTrees`). */
const KEPT_TREES = 8;

/** How long a run waits for another process's write to the same store. */
const LOCK_WAIT_MS = 60_000;

/** Options of one run of an {@link AnalysisSession}. */
export interface RunOptions extends Omit<AnalyzeOptions, 'root' | 'storeDir' | 'logger'> {
  /**
   * Paths (relative to the root) known to have changed since the last run of this session,
   * e.g. from a file watcher: only they are looked at again. Without it the folder is rescanned.
   */
  changed?: string[];
}

/** Scan, parse (incrementally), relate and write notes for `opts.root` into its store. */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeStats> {
  const session = await AnalysisSession.open(opts);
  return session.run(opts);
}

/**
 * A repository's analysis kept in memory between runs (the editor keeps one per folder): a run
 * after an edit re-parses only the changed files and, when their shape (definitions, imports,
 * references) is unchanged, keeps the graph and rewrites only the notes that depend on them.
 */
export class AnalysisSession {
  private scan: ScanResult | undefined;
  private history: HistoryResult | undefined;
  private structure: Structure | undefined;
  private entryPoints: EntryPoint[] = [];
  private testHookNotes: Note[] | undefined;
  private stored: StoredStructure | undefined;
  private headSeen: { stamp: string; head: string } | undefined;
  private readonly openWarnings: string[];

  private constructor(
    readonly root: string,
    private readonly store: Store,
    private readonly logger: Logger,
    warnings: string[],
  ) {
    this.openWarnings = warnings;
  }

  /** Open (or create on first save) the store of `opts.root`. */
  static async open(opts: { root: string; storeDir?: string; logger?: Logger }): Promise<AnalysisSession> {
    const root = path.resolve(opts.root);
    if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`Folder to scan does not exist: ${root}`);
    const logger = opts.logger ?? silentLogger;
    const { store, warnings } = await Store.open(opts.storeDir ?? defaultStoreDir(root), { root, logger });
    // Edits come back to the same few files: their trees let tree-sitter re-parse only what changed.
    keepRecentTrees(KEPT_TREES);
    return new AnalysisSession(root, store, logger, warnings);
  }

  /** One incremental analysis run; cancelled runs keep their progress for the next one. */
  async run(opts: RunOptions = {}): Promise<AnalyzeStats> {
    const { root, store, logger } = this;
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
    const warnings = this.openWarnings.splice(0);
    let pool: ParsePool | undefined;

    try {
      // Files another version of Sleeptime analyzed are analyzed again: its queries and bug rules may differ.
      const cache = store.info()?.toolVersion === toolVersion() ? store.files() : new Map<string, CachedFile>();
      // A cold run parses nearly every file: start the workers and load grammars while the scan classifies.
      const prepare = cache.size === 0
        ? (listed: readonly string[]) => (pool = newPool(opts, listed.length)).prepare(listed.map(languageForPath))
        : undefined;
      // The history is read beside the scan and the parse: git walks the log while the scan lists the files.
      const historyPromise = timed('history', () => this.readHistory(opts));
      historyPromise.catch(() => undefined); // awaited below, unless the scan fails first
      let scan = await timed('scan', () => this.scanFiles(opts, cache, prepare));
      warnings.push(...scan.errors);
      const files = new Map<string, CachedFile>();
      const jobs: ParseJob[] = [];
      const statOf = new Map<string, { size: number; mtimeMs: number }>();
      for (const f of scan.files) {
        statOf.set(f.path, { size: f.size, mtimeMs: f.mtimeMs });
        const hit = cache.get(f.path);
        // A file whose grammar could not be loaded last time is tried again; real parse failures are kept.
        const retry = hit?.parseError?.startsWith('cannot load');
        if (hit && hit.size === f.size && hit.mtimeMs === f.mtimeMs && fitsLanguage(f.path, f.language, hit.language) && !retry) files.set(f.path, hit);
        else jobs.push({ path: f.path, absPath: path.join(root, f.path), language: f.language, sniff: true });
      }
      const reused = files.size;
      progress('parse', 0, jobs.length);

      const parser = (pool ??= newPool(opts, jobs.length));
      const results = await timed('parse', () => parseAll(parser, jobs, opts, (done) => progress('parse', done, jobs.length)));
      // Workers hold every grammar's WASM memory: let it go before the notes are built.
      await pool?.close();
      pool = undefined;
      // Files the parse jobs found binary, minified or generated leave the scan's files for its skips.
      const skips = new Map(results.flatMap((a) => (a.skipped ? [[a.path, a.skipped] as const] : [])));
      if (skips.size) {
        this.scan = scan = withSkips(scan, skips);
        for (const p of skips.keys()) statOf.delete(p);
      }
      const parsed = results.filter((a) => !a.skipped);
      let reshaped = scan.files.length !== cache.size || [...cache.keys()].some((p) => !statOf.has(p));
      for (const a of parsed) {
        const st = statOf.get(a.path)!;
        const before = cache.get(a.path);
        if (!before || shapeOf(before) !== shapeOf(a)) reshaped = true;
        files.set(a.path, { ...a, size: st.size, mtimeMs: st.mtimeMs });
      }
      const history = await historyPromise;
      // Path order, not the order workers finished in: the graph and the notes must not depend on timing.
      const byPath = new Map<string, CachedFile>();
      for (const f of scan.files) {
        const a = files.get(f.path);
        if (a) byPath.set(f.path, a);
      }
      files.clear();
      for (const [p, a] of byPath) files.set(p, a);

      const base = {
        files: { seen: scan.files.length, parsed: parsed.length, reused, skipped: countSkips(scan.skipped) },
        symbols: 0,
        notes: {},
        peakRssMb: 0,
        warnings,
      };
      if (opts.signal?.aborted) {
        // Keep what was parsed so the next run resumes where this one stopped.
        await timed('store', () => store.withWriteLock(() => store.save({ files: mergeCache(cache, files, statOf) }), { waitMs: LOCK_WAIT_MS }));
        this.scan = undefined;
        return { ...base, ms: finish(ms, t0), peakRssMb: rss.stop(), cancelled: true };
      }
      for (const a of parsed) if (a.parseError) warnings.push(`${a.path}: not parsed (${a.parseError})`);

      const readText = textReader(root, files);
      const changed = new Set(parsed.map((a) => a.path));
      const keepGraph = Boolean(this.structure) && !reshaped;
      const structure = await timed('structure', () =>
        keepGraph ? withMovedSymbols(this.structure!, files, changed) : buildStructure([...files.values()], projectRoots(files, readText)),
      );
      this.structure = structure;
      progress('notes', 0, 1);
      const now = new Date().toISOString();
      const notes = await timed('notes', () => {
        const described = withoutBanners(files);
        const changedFiles = [...changed].map((p) => files.get(p)!);
        // The graph kept its shape: the facades found before still stand, only new entries need theirs.
        this.entryPoints = keepGraph
          ? [...this.entryPoints.filter((e) => !changed.has(e.path)), ...withFacades(findEntryPoints(changedFiles, readText, files.keys()), structure, isTestPath)]
          : withFacades(findEntryPoints([...files.values()], readText), structure, isTestPath);
        const cards = keepGraph
          ? [...store.notes().filter((n) => n.kind === 'file' && n.origin === 'static' && !changed.has(n.subject ?? '')), ...buildFileCards({ files: described, structure, history, now, only: changed })]
          : buildFileCards({ files: described, structure, history, now });
        return [
          ...buildArchitectureNotes({ repoName: repoNameOf(root, readText, files.keys()), files: described, structure, entryPoints: this.entryPoints, history, now }),
          ...buildBugNotes({ files, history, fileRank: structure.fileRank, now }),
          ...this.testHooks(keepGraph, changed, { scan, files, readText, now, imports: importedFiles(structure) }),
          ...cards,
        ];
      });
      const previous = this.stored;
      const unchanged = previous && keepGraph && previous.history === history && JSON.stringify(previous.entryPoints) === JSON.stringify(this.entryPoints);
      // The same object when nothing in it changed, so the store does not write it again.
      const stored: StoredStructure = unchanged
        ? previous
        : {
            fileRank: structure.fileRank,
            entryPoints: this.entryPoints,
            components: structure.components.map((c) => ({ id: c.id, files: c.files.length, dependsOn: c.dependsOn.map((d) => d.component) })),
            churn: Object.fromEntries(Object.entries(history.files).map(([p, h]) => [p, h.commits])),
            history,
            headCommit: history.head,
          };
      this.stored = stored;
      // Another process (CLI or editor) may have written notes meanwhile: merge with the latest under the lock.
      const merged = await timed('store', () =>
        store.withWriteLock(async () => {
          const latest = store.changedOnDisk() ? (await Store.open(store.dir, { root, logger })).store : store;
          let result = mergeNotes(latest.notes(), notes, files);
          const sharedBefore = latest.structure<StoredStructure>()?.sharedNotes;
          const shared = importSharedNotes(root, result, sharedBefore, warnings);
          let toSave = stored;
          if (shared) {
            result = Object.assign(shared.notes, { rewritten: result.rewritten });
            toSave = this.stored = { ...stored, sharedNotes: shared.stamp };
          } else if (sharedBefore !== stored.sharedNotes) toSave = this.stored = { ...stored, sharedNotes: sharedBefore };
          await store.save({ files, notes: result, structure: toSave, head: history.head });
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
      await pool?.close();
    }
  }

  /** Test-hook notes: brought up to date from the last ones when the graph kept its shape, else rebuilt. */
  private testHooks(keepGraph: boolean, changed: Set<string>, input: Parameters<typeof buildTestHookNotes>[0]): Note[] {
    const prior = this.testHookNotes;
    const updated = prior && keepGraph ? updateTestHookNotes(prior, changed, input) : undefined;
    return (this.testHookNotes = updated ?? buildTestHookNotes(input));
  }

  /** The files to consider: the last scan patched with `changed`, or a fresh scan that trusts unchanged stats. */
  private async scanFiles(opts: RunOptions, cache: Map<string, CachedFile>, onListed?: ScanOptions['onListed']): Promise<ScanResult> {
    const prior = this.scan;
    if (prior && opts.changed) {
      const byPath = new Map(prior.files.map((f) => [f.path, f]));
      let unknown = false;
      for (const p of opts.changed) {
        const st = fs.statSync(path.join(this.root, p), { throwIfNoEntry: false });
        const known = byPath.get(p);
        if (!st) byPath.delete(p);
        else if (known && st.isFile()) byPath.set(p, { ...known, size: st.size, mtimeMs: st.mtimeMs });
        else unknown = true;
      }
      if (!unknown) return (this.scan = { ...prior, files: [...byPath.values()], errors: [] });
    }
    // The parse jobs read every new or changed file anyway: they check its content (`sniff`), not the scan.
    const scan = await scanRepository(this.root, { maxFileBytes: opts.maxFileBytes, include: opts.include, exclude: opts.exclude, signal: opts.signal, known: cache, onListed, sniff: false });
    this.scan = opts.signal?.aborted ? undefined : scan;
    return scan;
  }

  /** HEAD's commit; asked of git only when `.git` shows that HEAD may have moved since the last time. */
  private async currentHead(): Promise<string | undefined> {
    const stamp = gitHeadStamp(this.root);
    if (stamp !== undefined && this.headSeen?.stamp === stamp) return this.headSeen.head;
    const head = (await headCommit(this.root)) ?? undefined;
    this.headSeen = stamp !== undefined && head !== undefined ? { stamp, head } : undefined;
    return head;
  }

  /** Git history, read again only when HEAD moved (edits in the work tree do not change it). */
  private async readHistory(opts: RunOptions): Promise<HistoryResult> {
    const known = this.history ?? this.store.structure<StoredStructure>()?.history;
    // Outside git (still no `.git` above the folder) there is nothing to re-read: spare each edit two git spawns.
    if (known && !known.available && !gitDirAbove(this.root)) return (this.history = known);
    const head = await this.currentHead();
    // A history an older version read has no past commits: read it again.
    if (known && known.head === head && head !== undefined && known.commits) return (this.history = known);
    return (this.history = await readHistory(this.root, { signal: opts.signal }));
  }
}

/** What the graph depends on in a file: its definitions, imports and referenced names, not its lines. */
function shapeOf(f: FileAnalysis): string {
  const defs = f.defs.map((d) => `${d.kind} ${d.parent ?? ''}.${d.name} ${d.exported ? 1 : 0}`).join(',');
  const imports = f.imports.map((i) => i.source).join(',');
  const refs = [...new Set(f.refs.map((r) => r.name))].sort().join(',');
  return `${f.language}|${f.parseError ? 'x' : ''}|${defs}|${imports}|${refs}|${f.doc ?? ''}`;
}

/** The same graph with the symbols of edited files moved to their new lines. */
function withMovedSymbols(structure: Structure, files: Map<string, FileAnalysis>, changed: Set<string>): Structure {
  const symbols = structure.symbols.map((s) => {
    if (!changed.has(s.path)) return s;
    const d = files.get(s.path)?.defs.find((x) => x.name === s.name);
    return d ? { ...s, startLine: d.startLine, endLine: d.endLine } : s;
  });
  return { ...structure, symbols };
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

/** Fewer files than this are parsed faster in the calling thread than by starting workers. */
const MIN_WORKER_JOBS = 40;

/** A pool for `jobs` files; workers start on its first use. */
function newPool(opts: RunOptions, jobs: number): ParsePool {
  const workers = opts.parseWorkers ?? Math.min(2, os.availableParallelism());
  return new ParsePool({ workers: jobs < MIN_WORKER_JOBS ? 0 : workers });
}

async function parseAll(pool: ParsePool, jobs: ParseJob[], opts: RunOptions, onDone: (n: number) => void): Promise<FileAnalysis[]> {
  if (!jobs.length) return [];
  let done = 0;
  return await pool.run(jobs, { signal: opts.signal, onResult: () => onDone(++done) });
}

/** `tsconfig.json`, `tsconfig.build.json`, `packages/x/tsconfig.json`. */
const TS_CONFIG = /(^|\/)tsconfig[\w.-]*\.json$/;

/** What the import resolver needs from the project's manifests: go.mod, composer.json, the workspace's package.json and tsconfig files. */
function projectRoots(files: Map<string, FileAnalysis>, readText: (p: string) => string | undefined): Parameters<typeof buildStructure>[1] {
  const manifests = [...files.keys()].filter((p) => (p === 'package.json' || p.endsWith('/package.json')) && !isTestPath(p));
  return {
    goModule: goModulePath(readText('go.mod')),
    phpRoots: psr4Roots(readText('composer.json')),
    jsPackages: workspacePackages(manifests, readText),
    jsEntries: packageEntries(manifests, readText),
    rustCrates: rustCrates([...files.keys()].filter((p) => p === 'Cargo.toml' || p.endsWith('/Cargo.toml')), readText),
    jsOutputs: tsOutputRoots([...files.keys()].filter((p) => TS_CONFIG.test(p) && !isTestPath(p)), readText),
  };
}

/** Reads repository text files the scan kept (never skipped or secret ones), memoized. */
function textReader(root: string, files: Map<string, FileAnalysis>): (p: string) => string | undefined {
  const read = diskReader(root);
  const memo = new Map<string, string | undefined>();
  return (p) => {
    if (!memo.has(p)) memo.set(p, files.has(p) ? read(p) : undefined);
    return memo.get(p);
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
