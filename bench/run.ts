// `npm run bench -- --quick|--full [--out DIR] [--repos DIR] [--cases N]`: the sleep-time trade-off on
// real repositories (localization from fix commits vs raw BM25) and the cost of analysis. Never part of npm test.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { useBaselineWasmCompiler } from '../src/core/parse/wasmCompiler';
import type { AnalyzeStats, StoredStructure } from '../src/core/analyze';
import { ask } from '../src/core/ask';
import { diskReader } from '../src/core/repoText';
import { packContext } from '../src/core/retrieve/pack';
import { DEFAULT_WEIGHTS, RetrievalIndex, type RankWeights } from '../src/core/retrieve/searchIndex';
import { countTokens } from '../src/core/retrieve/tokens';
import { Store } from '../src/core/store/store';
import { RawBm25 } from './baseline';
import { extractSnapshot, findBareRepos, isTestFile, mineCases, type CommitKind, type LocalizationCase } from './cases';
import { inContext, meanScores, quantile, scoreRanking, type CaseScore } from './metrics';
import { lineChart, type Series } from './svg';

const ROOT = path.resolve(__dirname, '..');
const BUDGETS = [500, 1000, 2000, 8000];
const RAW_BUDGETS = [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000];
/** Prompt overhead a raw tool pays besides the files: instructions + question (counted per case). */
const RAW_HEADER = 'Answer the question about this repository using the files below.\n\nQuestion: ';

interface Args { mode: 'quick' | 'full'; out: string; repos?: string; cases: number; commits: CommitKind; keep?: string; reuse: boolean; weights: RankWeights }

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode = argv.includes('--full') ? 'full' : 'quick';
  return {
    mode,
    out: path.resolve(get('--out') ?? path.join(ROOT, 'bench', 'out')),
    repos: get('--repos') ? path.resolve(get('--repos') as string) : undefined,
    cases: Number(get('--cases') ?? (mode === 'full' ? 40 : 15)),
    // --commits feature mines "Add ..."/"feat: ..." commits instead of fixes: where new behaviour goes.
    commits: get('--commits') === 'feature' ? 'feature' : 'fix',
    // --keep DIR keeps snapshots, stores and cost measurements; --reuse then skips re-analysis (retrieval tuning).
    keep: get('--keep') ? path.resolve(get('--keep') as string) : undefined,
    reuse: argv.includes('--reuse'),
    // --weights '{"content":2}' overrides ranking weights (tuning).
    weights: { ...DEFAULT_WEIGHTS, ...(JSON.parse(get('--weights') ?? '{}') as Partial<RankWeights>) },
  };
}

const log = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

interface Target { name: string; gitDir?: string; dir?: string }

function targets(args: Args): Target[] {
  if (args.repos) {
    const base = args.repos;
    const bare = findBareRepos(base).map((g) => ({
      name: (path.relative(base, g.replace(/\/(repo|\.git)$/, '')) || path.basename(base)).replace(/\.git$/, '').replace(/\+/g, '/'),
      gitDir: g,
    }));
    const sized = bare.map((t) => ({ t, n: Number(execFileSync('git', ['--git-dir', t.gitDir, 'ls-tree', '-r', '--name-only', 'HEAD'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n').length) }));
    sized.sort((a, b) => a.n - b.n);
    // Quick mode: the four smallest repositories plus the largest (for analysis cost at scale).
    if (args.mode === 'quick' && sized.length > 5) return [...sized.slice(0, 4), sized[sized.length - 1]].map((s) => s.t);
    return sized.map((s) => s.t);
  }
  const own: Target[] = fs.existsSync(path.join(ROOT, '.git')) ? [{ name: 'sleeptime', gitDir: path.join(ROOT, '.git') }] : [];
  const pkgs = ['openai', 'zod'].map((p) => path.join(ROOT, 'node_modules', p)).filter((d) => fs.existsSync(d));
  return [...own, ...pkgs.map((d) => ({ name: `npm:${path.basename(d)}`, dir: d }))];
}

/** Runs `analyzeWorker.ts ROOT STORE ...extra` in a fresh process (own RSS, no bench state) and returns the JSON it prints. */
function runWorkerChild(root: string, storeDir: string, extra: string[]): unknown {
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'analyzeWorker.ts'), root, storeDir, ...extra], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26,
  });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !line.startsWith('{')) {
    // The error's own message, then where it was thrown.
    const lines = res.stderr.trim().split('\n');
    const message = lines.find((l) => l.trim() && !/^\s+at /.test(l)) ?? `exit ${res.status}`;
    throw new Error(`${extra[0] ?? 'analysis'} of ${root} failed: ${message} | ${lines.find((l) => /^\s+at /.test(l))?.trim() ?? ''}`);
  }
  return JSON.parse(line);
}

/** The editor's one-file update in a child process: a session that analyzed `root` is told `edited` changed. */
function updateInChild(root: string, storeDir: string, edited: string): { stats: AnalyzeStats; wallMs: number } {
  return runWorkerChild(root, storeDir, ['--edit', edited]) as { stats: AnalyzeStats; wallMs: number };
}

/** A cold analysis as users run it: the built CLI's `analyze --json` in a fresh process. */
function analyzeWithCli(root: string, storeDir: string): AnalyzeStats {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'analyze', root, '--store', storeDir, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`analysis of ${root} failed: ${res.stderr.trim().split('\n').pop() ?? `exit ${res.status}`}`);
  return JSON.parse(res.stdout) as AnalyzeStats;
}

/** Wall time of the built CLI's offline `ask --json` in a fresh process. */
function cliAskWallMs(root: string, storeDir: string, question: string): number {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'ask', root, question, '--store', storeDir, '--offline', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`sleeptime ask on ${root} failed: ${res.stderr.trim().split('\n')[0]}`);
  return Math.round(performance.now() - t0);
}

/** Event-loop delay of this (main) thread while a worker thread analyzes `root`. */
async function eventLoopDuringAnalysis(root: string, storeDir: string): Promise<{ p50: number; p99: number; max: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  const t0 = performance.now();
  h.enable();
  await new Promise<void>((resolve, reject) => {
    // Workers don't inherit tsx's loader: register it (CJS API) before requiring the TS entry.
    const boot = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(path.join(__dirname, 'analyzeWorker.ts'))});`;
    const w = new Worker(boot, { eval: true, workerData: { root, storeDir, parseWorkers: 2 } });
    w.on('message', (m: { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
    w.on('error', reject);
  });
  h.disable();
  const ms = (ns: number): number => Math.round((ns / 1e6) * 10) / 10;
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), ms: Math.round(performance.now() - t0) };
}

interface Floor { files: number; bytes: number; ms: number }

/** The floor for the files of the store in `storeDir`, measured in a fresh process as the cold analysis is. */
function measureFloor(root: string, storeDir: string): Floor | undefined {
  try {
    return (runWorkerChild(root, storeDir, ['--floor']) as { floor: Floor }).floor;
  } catch (err) {
    log(`floor unavailable: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

interface CaseResult {
  repo: string;
  sha: string;
  question: string;
  gold: string[];
  namesGoldFile: boolean;
  sleeptime: Record<number, { files: string[]; tokens: number }>;
  raw: { all: string[]; nonTest: string[] };
  rawTokens: Record<string, number>;
  headerTokens: number;
}

interface RepoReport {
  name: string;
  snapshot?: string;
  files: number;
  sourceFiles: number;
  mb: number;
  mined?: unknown;
  cases: number;
  analysis: {
    coldMs: number; phases: Record<string, number>; peakRssMb: number; floorMs?: number; floorFiles?: number;
    filesPerSec: number; mbPerSec: number; incrementalMs: number; incrementalParsed: number; askLatencyMs: number; askColdMs: number;
    /** Wall time of `sleeptime ask` in a fresh process: the first after analysis, then the next. */
    cliAskMs: number[];
    notes: Record<string, number>; symbols: number; eventLoop?: { p50: number; p99: number; max: number; ms: number };
  };
}

/** Ranked raw files that fit whole in `budget` tokens after the header: a greedy prefix. */
function rawPrefix(ranked: string[], tokens: Record<string, number>, budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const p of ranked) {
    const t = tokens[p] ?? 0;
    if (used + t > budget) break;
    out.push(p);
    used += t;
  }
  return out;
}

async function benchRepo(t: Target, args: Args, work: string, measureLoop: boolean): Promise<{ report: RepoReport; cases: CaseResult[] }> {
  const slug = t.name.replace(/[^\w.-]/g, '_');
  const tmp = args.keep ? path.join(args.keep, slug) : fs.mkdtempSync(path.join(work, `${slug}-`));
  const savedPath = path.join(tmp, 'analysis.json');
  const saved = args.reuse && fs.existsSync(savedPath) ? (JSON.parse(fs.readFileSync(savedPath, 'utf8')) as RepoReport['analysis'] & { cold: AnalyzeStats }) : undefined;
  let root = '';
  if (t.dir) {
    // A package inside node_modules is ignored by this repository's git: analyze a copy of it.
    const from = t.dir;
    root = path.join(tmp, 'src');
    if (!saved) {
      fs.rmSync(root, { recursive: true, force: true });
      fs.cpSync(from, root, { recursive: true, filter: (src) => !path.relative(from, src).split(path.sep).includes('node_modules') });
    }
  }
  let cases: LocalizationCase[] = [];
  let snapshot: string | undefined;
  let mined: unknown;
  if (t.gitDir) {
    const rc = mineCases(t.gitDir, t.name, args.cases, args.commits);
    mined = rc.mined;
    cases = rc.cases;
    snapshot = rc.snapshot || execFileSync('git', ['--git-dir', t.gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    root = path.join(tmp, 'src');
    if (!saved) {
      fs.rmSync(tmp, { recursive: true, force: true });
      extractSnapshot(t.gitDir, snapshot, root);
    }
  }
  const storeDir = path.join(tmp, 'store');
  log(`${t.name}: ${cases.length} cases, snapshot ${snapshot?.slice(0, 10) ?? '(working dir)'}; cold analysis...`);
  // Cold analysis and the floor, interleaved and repeated in full mode; the minimum of each is kept
  // (a shared 2-core machine drifts by tens of percent between runs).
  let cold = saved?.cold;
  let floor: Floor | undefined;
  const repeats = saved ? 0 : args.mode === 'full' ? 3 : 1;
  for (let i = 0; i < repeats; i++) {
    const dir = i === repeats - 1 ? storeDir : path.join(tmp, `store-cold-${i}`);
    const run = analyzeWithCli(root, dir);
    if (!cold || run.ms.total < cold.ms.total) cold = run;
    const f = measureFloor(root, dir);
    if (f && (!floor || f.ms < floor.ms)) floor = f;
    if (dir !== storeDir) fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!cold) throw new Error(`no analysis of ${root}`);
  const { store } = await Store.open(storeDir, { root });
  const files = store.files();
  const notes = store.notes();
  const bytes = [...files.values()].reduce((s, f) => s + f.bytes, 0);
  if (saved) floor = { files: saved.floorFiles ?? 0, bytes, ms: saved.floorMs ?? 0 };
  const structure = store.structure<StoredStructure>();
  const fileRank = structure?.fileRank;

  // Localization.
  const index = RetrievalIndex.build({ notes, files, readText: diskReader(root), fileRank, entryPoints: structure?.entryPoints, pastCommits: structure?.history?.commits });
  const sources = new Map<string, string>();
  for (const [p, f] of files) {
    if (f.language === null) continue;
    const text = diskReader(root)(p);
    if (text !== undefined) sources.set(p, text);
  }
  const rawAll = new RawBm25(sources);
  const rawNonTest = new RawBm25(new Map([...sources].filter(([p]) => !isTestFile(p))));
  const rawTokens = Object.fromEntries(rawAll.tokens);
  const results: CaseResult[] = [];
  for (const c of cases) {
    const sleeptime: CaseResult['sleeptime'] = {};
    for (const b of BUDGETS) {
      const packed = packContext(c.question, index, b, { weights: args.weights });
      sleeptime[b] = { files: packed.files.map((f) => f.path), tokens: packed.contextTokens };
    }
    results.push({
      ...c, sleeptime, raw: { all: rawAll.rank(c.question).slice(0, 200), nonTest: rawNonTest.rank(c.question).slice(0, 200) },
      rawTokens: {}, headerTokens: countTokens(RAW_HEADER + c.question),
    });
  }
  for (const r of results) for (const p of [...r.raw.all, ...r.raw.nonTest]) r.rawTokens[p] = rawTokens[p] ?? 0;

  // ask() end to end (store open + index build + pack), median of a few questions.
  const askQs = (cases.length ? cases.slice(0, 5).map((c) => c.question) : ['What are the entry points?', 'How do I run the tests?', 'Where are errors handled?']);
  // A reused analysis (retrieval tuning) keeps the latencies measured with it.
  const lat: number[] = saved ? [saved.askColdMs ?? 0, saved.askLatencyMs] : [];
  if (!saved) for (const q of askQs) lat.push((await ask({ root, storeDir, question: q, offline: true, budgetTokens: 2000 })).latencyMs);
  // `sleeptime ask` in fresh processes, as a shell or an agent runs it: the first builds the search index and
  // leaves it beside the store, the next loads it.
  if (!saved) for (const name of fs.readdirSync(storeDir)) if (name.startsWith('derived-')) fs.rmSync(path.join(storeDir, name));
  const cliAskMs = saved?.cliAskMs ?? [askQs[0], askQs[1] ?? askQs[0]].map((q) => cliAskWallMs(root, storeDir, q));

  // One-file incremental update as the editor runs it: a warm session told that the most central file changed.
  const central = Object.entries(fileRank ?? {}).sort((a, b) => b[1] - a[1]).map(([p]) => p).find((p) => sources.has(p)) ?? [...sources.keys()][0];
  let incrementalMs = -1;
  let incrementalParsed = -1;
  if (saved) {
    incrementalMs = saved.incrementalMs;
    incrementalParsed = saved.incrementalParsed;
  } else if (central && t.gitDir) {
    const inc = updateInChild(root, storeDir, central);
    incrementalMs = inc.stats.ms.total ?? inc.wallMs;
    incrementalParsed = inc.stats.files.parsed;
  }
  const eventLoop = saved ? saved.eventLoop : measureLoop ? await eventLoopDuringAnalysis(root, path.join(tmp, 'store-loop')) : undefined;
  const coldMs = cold.ms.total;
  const report: RepoReport = {
    name: t.name, snapshot, files: files.size, sourceFiles: sources.size, mb: Math.round((bytes / 1e6) * 100) / 100, mined, cases: cases.length,
    analysis: {
      coldMs, phases: cold.ms, peakRssMb: cold.peakRssMb, floorMs: floor ? Math.round(floor.ms) : undefined, floorFiles: floor?.files,
      filesPerSec: Math.round(files.size / (coldMs / 1000)), mbPerSec: Math.round((bytes / 1e6 / (coldMs / 1000)) * 100) / 100,
      incrementalMs, incrementalParsed, askLatencyMs: quantile(lat.slice(1), 0.5), askColdMs: lat[0], cliAskMs, notes: cold.notes as Record<string, number>, symbols: cold.symbols, eventLoop,
    },
  };
  log(`${t.name}: ${files.size} files, cold ${coldMs} ms (floor ${floor ? Math.round(floor.ms) : '?'} ms), incremental ${incrementalMs} ms, ask ${report.analysis.askLatencyMs} ms`);
  if (args.keep) fs.writeFileSync(savedPath, JSON.stringify({ ...report.analysis, cold }));
  else if (t.gitDir) fs.rmSync(tmp, { recursive: true, force: true });
  return { report, cases: results };
}

type Summary = CaseScore & { n: number };

function summarize(cases: CaseResult[]): Record<string, unknown> {
  const by = (pick: (c: CaseResult) => string[], subset: CaseResult[]): Summary => ({ ...meanScores(subset.map((c) => scoreRanking(pick(c), c.gold))), n: subset.length });
  const groups: Record<string, CaseResult[]> = { all: cases, namesGoldFile: cases.filter((c) => c.namesGoldFile), noFileName: cases.filter((c) => !c.namesGoldFile) };
  const out: Record<string, unknown> = {};
  for (const [g, subset] of Object.entries(groups)) {
    const byBudget: Record<number, unknown> = {};
    for (const b of BUDGETS) {
      const ctx = subset.map((c) => inContext(c.sleeptime[b].files, c.gold));
      byBudget[b] = {
        ...by((c) => c.sleeptime[b].files, subset),
        meanTokens: Math.round(subset.reduce((s, c) => s + c.sleeptime[b].tokens, 0) / Math.max(1, subset.length)),
        anyInContext: meanScores(ctx).any ?? 0, allInContext: meanScores(ctx).all ?? 0, recallInContext: meanScores(ctx).recall ?? 0,
        meanFilesCited: Math.round((subset.reduce((s, c) => s + c.sleeptime[b].files.length, 0) / Math.max(1, subset.length)) * 10) / 10,
      };
    }
    const rawCurve = (kind: 'all' | 'nonTest'): Record<number, unknown> => {
      const curve: Record<number, unknown> = {};
      for (const b of RAW_BUDGETS) {
        const ctx = subset.map((c) => inContext(rawPrefix(c.raw[kind], c.rawTokens, b - c.headerTokens), c.gold));
        curve[b] = { anyInContext: meanScores(ctx).any ?? 0, allInContext: meanScores(ctx).all ?? 0, recallInContext: meanScores(ctx).recall ?? 0 };
      }
      return curve;
    };
    const topKTokens = (kind: 'all' | 'nonTest', k: number): number =>
      Math.round(subset.reduce((s, c) => s + c.headerTokens + c.raw[kind].slice(0, k).reduce((t, p) => t + (c.rawTokens[p] ?? 0), 0), 0) / Math.max(1, subset.length));
    out[g] = {
      cases: subset.length,
      sleeptime: by((c) => c.sleeptime[2000].files, subset),
      bm25: { ...by((c) => c.raw.all, subset), tokensTop1: topKTokens('all', 1), tokensTop3: topKTokens('all', 3), tokensTop5: topKTokens('all', 5) },
      bm25NonTest: { ...by((c) => c.raw.nonTest, subset), tokensTop1: topKTokens('nonTest', 1), tokensTop3: topKTokens('nonTest', 3), tokensTop5: topKTokens('nonTest', 5) },
      byBudget,
      rawByBudget: { all: rawCurve('all'), nonTest: rawCurve('nonTest') },
    };
  }
  return out;
}

interface Curve { [budget: number]: { anyInContext: number; allInContext: number; recallInContext: number } }

/** The paper's headline: test-time tokens needed for equal recall, Sleeptime vs the best raw baseline. */
function headline(all: Record<string, unknown>): Record<string, unknown> {
  const st = all.byBudget as Curve;
  const raws = all.rawByBudget as { all: Curve; nonTest: Curve };
  const best = (['all', 'nonTest'] as const)
    .flatMap((k) => RAW_BUDGETS.map((b) => ({ baseline: k, budget: b, recall: raws[k][b].anyInContext })))
    .sort((a, b) => b.recall - a.recall || a.budget - b.budget)[0];
  const stMatch = BUDGETS.find((b) => st[b].anyInContext >= best.recall);
  const st2000 = st[2000].anyInContext;
  const rawFor2000 = (['all', 'nonTest'] as const)
    .map((k) => RAW_BUDGETS.find((b) => raws[k][b].anyInContext >= st2000))
    .filter((b): b is number => b !== undefined);
  const sleeptime = all.sleeptime as Summary;
  const bm = [all.bm25 as Summary, all.bm25NonTest as Summary];
  const beatsRankingAtEveryK = (['any@1', 'any@3', 'any@5', 'all@1', 'all@3', 'all@5', 'mrr'] as const).every((m) => bm.every((b) => sleeptime[m] >= b[m]));
  return {
    metric: 'any gold file in the test-time context (anyInContext)',
    bestRaw: best,
    sleeptimeBudgetMatchingBestRaw: stMatch ?? null,
    tokensRatioAtBestRaw: stMatch ? Math.round((best.budget / stMatch) * 10) / 10 : null,
    sleeptimeAt2000: st2000,
    rawBudgetMatchingSleeptime2000: rawFor2000.length ? Math.min(...rawFor2000) : null,
    tokensRatioAt2000: rawFor2000.length ? Math.round((Math.min(...rawFor2000) / 2000) * 10) / 10 : null,
    sleeptime2000BeatsBestRawRanking: beatsRankingAtEveryK,
  };
}

function plots(all: Record<string, unknown>, repos: RepoReport[], out: string, commits: CommitKind): void {
  const st = all.byBudget as Curve;
  const raws = all.rawByBudget as { all: Curve; nonTest: Curve };
  const series: Series[] = [
    { name: 'Sleeptime any', color: '#1f77b4', points: BUDGETS.map((b) => ({ x: b, y: st[b].anyInContext })) },
    { name: 'Sleeptime all', color: '#1f77b4', dashed: true, points: BUDGETS.map((b) => ({ x: b, y: st[b].allInContext })) },
    { name: 'raw BM25 any', color: '#d62728', points: RAW_BUDGETS.map((b) => ({ x: b, y: raws.all[b].anyInContext })) },
    { name: 'raw BM25 all', color: '#d62728', dashed: true, points: RAW_BUDGETS.map((b) => ({ x: b, y: raws.all[b].allInContext })) },
    { name: 'raw non-test any', color: '#ff7f0e', points: RAW_BUDGETS.map((b) => ({ x: b, y: raws.nonTest[b].anyInContext })) },
  ];
  fs.writeFileSync(path.join(out, 'recall-vs-tokens.svg'), lineChart({
    title: `Gold file in context vs test-time tokens (${all.cases} ${commits} commits)`, xLabel: 'test-time tokens (o200k_base, log scale)',
    yLabel: 'fraction of cases', series, logX: true, yMax: 1,
  }));
  const ns = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
  const colors = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  fs.writeFileSync(path.join(out, 'cost-per-question.svg'), lineChart({
    title: 'Amortized cost per question (static sleep-time analysis)', xLabel: 'questions asked about the same repository (log scale)',
    yLabel: 'ms per question (analysis/n + ask)', logX: true,
    series: repos.slice(0, 8).map((r, i) => ({ name: r.name, color: colors[i], points: ns.map((n) => ({ x: n, y: Math.round(r.analysis.coldMs / n + r.analysis.askLatencyMs) })) })),
  }));
}

function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${Math.round(x * 100)}%`;
}

function markdown(report: Record<string, unknown>): string {
  const loc = report.localization as Record<string, any>;
  const all = loc.all;
  const h = loc.headline;
  const repos = report.repos as RepoReport[];
  const lines: string[] = [
    `# Sleeptime benchmark (${report.mode}, ${report.date})`, '',
    `Machine: ${os.cpus().length} cores, Node ${process.version}. Cases: ${all.cases} ${report.commits ?? 'fix'} commits from ${repos.filter((r) => r.cases).length} repositories.`, '',
    '## Headline', '',
    `- Best raw baseline: ${h.bestRaw.baseline === 'all' ? 'BM25 over all source files' : 'BM25 over non-test files'} finds a gold file in context for ${pct(h.bestRaw.recall)} of cases at ${h.bestRaw.budget} tokens.`,
    h.sleeptimeBudgetMatchingBestRaw
      ? `- Sleeptime matches that at **${h.sleeptimeBudgetMatchingBestRaw} tokens: ${h.tokensRatioAtBestRaw}x fewer test-time tokens**.`
      : `- Sleeptime does not reach that recall within 8,000 tokens (best: ${pct(all.byBudget[8000].anyInContext)} at 8,000).`,
    `- Sleeptime at 2,000 tokens: ${pct(h.sleeptimeAt2000)}; raw needs ${h.rawBudgetMatchingSleeptime2000 ?? '>128k'} tokens for the same (${h.tokensRatioAt2000 ?? '-'}x).`,
    `- Sleeptime@2000 ranking beats raw BM25 ranking (any@k, all@k, MRR, any budget): **${h.sleeptime2000BeatsBestRawRanking ? 'yes' : 'no'}**.`, '',
    '![recall vs tokens](recall-vs-tokens.svg)', '',
    '## Localization (ranked files)', '',
    '| system | any@1 | any@3 | any@5 | all@1 | all@3 | all@5 | MRR | tokens |', '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const b of [500, 1000, 2000, 8000]) {
    const s = all.byBudget[b];
    lines.push(`| Sleeptime @${b} | ${s['any@1']} | ${s['any@3']} | ${s['any@5']} | ${s['all@1']} | ${s['all@3']} | ${s['all@5']} | ${s.mrr} | ${s.meanTokens} |`);
  }
  for (const [name, key] of [['BM25 raw, all files', 'bm25'], ['BM25 raw, non-test', 'bm25NonTest']] as const) {
    const s = all[key];
    lines.push(`| ${name} (top-1/3/5 whole) | ${s['any@1']} | ${s['any@3']} | ${s['any@5']} | ${s['all@1']} | ${s['all@3']} | ${s['all@5']} | ${s.mrr} | ${s.tokensTop1}/${s.tokensTop3}/${s.tokensTop5} |`);
  }
  lines.push('', '### Split: does the question name a gold file?', '', '| subset | cases | Sleeptime@2000 any@1 | any@5 | MRR | BM25 any@1 | any@5 | MRR |', '|---|---|---|---|---|---|---|---|');
  for (const g of ['namesGoldFile', 'noFileName']) {
    const s = loc[g];
    lines.push(`| ${g} | ${s.cases} | ${s.sleeptime['any@1'] ?? '-'} | ${s.sleeptime['any@5'] ?? '-'} | ${s.sleeptime.mrr ?? '-'} | ${s.bm25['any@1'] ?? '-'} | ${s.bm25['any@5'] ?? '-'} | ${s.bm25.mrr ?? '-'} |`);
  }
  lines.push('', '### Gold file in context by budget', '', '| tokens | Sleeptime any/all | raw all-files any/all | raw non-test any/all |', '|---|---|---|---|');
  for (const b of [500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000]) {
    const s = all.byBudget[b];
    const r = all.rawByBudget.all[b];
    const n = all.rawByBudget.nonTest[b];
    lines.push(`| ${b} | ${s ? `${pct(s.anyInContext)} / ${pct(s.allInContext)}` : ''} | ${pct(r.anyInContext)} / ${pct(r.allInContext)} | ${pct(n.anyInContext)} / ${pct(n.allInContext)} |`);
  }
  lines.push('', '## Analysis cost', '', '| repo | files | MB | cold ms | floor ms | cold/floor | files/s | MB/s | peak RSS MB | 1-file update ms (editor session) | ask ms (first / warm) | CLI ask ms (first / next process) |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of repos) {
    const a = r.analysis;
    lines.push(`| ${r.name} | ${r.files} | ${r.mb} | ${a.coldMs} | ${a.floorMs ?? '-'} | ${a.floorMs ? (a.coldMs / a.floorMs).toFixed(2) : '-'} | ${a.filesPerSec} | ${a.mbPerSec} | ${a.peakRssMb} | ${a.incrementalMs >= 0 ? `${a.incrementalMs} (${a.incrementalParsed} parsed)` : '-'} | ${a.askColdMs ?? '-'} / ${a.askLatencyMs} | ${a.cliAskMs?.join(' / ') ?? '-'} |`);
  }
  lines.push('', 'Phases (ms): ' + repos.map((r) => `${r.name}: ${Object.entries(r.analysis.phases).map(([k, v]) => `${k} ${v}`).join(', ')}`).join('; '));
  const loop = repos.find((r) => r.analysis.eventLoop);
  if (loop?.analysis.eventLoop) {
    const e = loop.analysis.eventLoop;
    lines.push('', `Main-thread event-loop delay while ${loop.name} is analyzed in a worker (${e.ms} ms): p50 ${e.p50} ms, p99 ${e.p99} ms, max ${e.max} ms.`);
  }
  lines.push('', '## Amortization', '', '![cost per question](cost-per-question.svg)', '',
    'Static sleep-time analysis costs no model tokens; its time is paid once and shared by every later question, while each question costs one `ask` (store load + retrieval).', '',
    '## Method', '',
    '- Cases: non-merge commits whose subject says fix/bug/regression/crash (with `--commits feature`: starts with add/implement/support/allow/enable/introduce/new or `feat:`, and says no fix), skipping docs/version/format/CI commits; gold = changed non-test source files (1-3) that exist before the commit. Question = subject + first body paragraph, PR numbers and URLs removed.',
    '- One snapshot per repository: the parent of the oldest case in the window of recent cases, checked out with its git history (a clone sharing the fetched objects), as a clone of the project has it. Every case is answered against that snapshot (never after its fix); cases whose gold files are missing there are dropped. Later cases therefore see slightly older code than their own parent (approximation to analyze once per repository).',
    '- Sleeptime: offline `packContext` (notes + symbol/path index + BM25 over the per-file content term vectors prepared at analysis time + code spans), files = those the packed context cites, most relevant first. The context opens with a compact ranked list of up to 12 files (path:line and matching symbols): pointers, not contents, which is why in-context recall is nearly flat across budgets; the ranked metrics (any@k, all@k, MRR) are the stricter comparison. Raw: BM25 (same code-aware tokenizer and stemmer) over whole files; in-context recall at a budget = the ranked prefix of whole files that fits.',
    '- Analysis cost: cold = the built CLI\'s `analyze --json` in a fresh process with a fresh store and 2 parse workers; floor = a fresh process reading and parsing the same files and nothing else (no tags query compiled, no hashing) with the same 2-worker pool; both times start when the work starts and include starting the workers and compiling the tree-sitter runtime; both compile WebAssembly as the CLI does: the tree-sitter runtime and the grammars with under 100 KB of code with V8\'s optimizing compiler, the larger grammars with its baseline compiler only. In full mode both run 3 times, interleaved, and the minimum of each is reported. The one-file update is the editor\'s case: a session that has analyzed the folder is told the most central file changed (a line appended); after one edit that loads the grammar, the median of five edits.',
  );
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // The floor reads and parses as the analysis it is compared with does: WebAssembly compiled as the CLI compiles it.
  useBaselineWasmCompiler();
  if (!fs.existsSync(path.join(ROOT, 'dist', 'parseWorker.js'))) {
    log('building dist/ first');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  }
  fs.mkdirSync(args.out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-bench-'));
  const list = targets(args);
  log(`${args.mode} mode: ${list.map((t) => t.name).join(', ')}`);
  const repos: RepoReport[] = [];
  const cases: CaseResult[] = [];
  const largest = list[list.length - 1];
  for (const t of list) {
    try {
      const r = await benchRepo(t, args, work, t === largest);
      repos.push(r.report);
      cases.push(...r.cases);
    } catch (err) {
      log(`${t.name}: skipped (${String(err).split('\n')[0]})`);
    }
  }
  fs.rmSync(work, { recursive: true, force: true });
  const loc = summarize(cases) as Record<string, Record<string, unknown>>;
  const all = loc.all;
  const big = [...repos].sort((a, b) => b.files - a.files)[0];
  const report: Record<string, unknown> = {
    mode: args.mode, commits: args.commits, date: new Date().toISOString().slice(0, 10),
    localization: {
      cases: cases.length, sleeptime: all.sleeptime, bm25: all.bm25, bm25NonTest: all.bm25NonTest, byBudget: all.byBudget,
      rawByBudget: all.rawByBudget, all, namesGoldFile: loc.namesGoldFile, noFileName: loc.noFileName,
      headline: cases.length ? headline(all) : null,
    },
    analysis: big ? { repo: big.name, files: big.files, coldMs: big.analysis.coldMs, floorMs: big.analysis.floorMs ?? null, incrementalMs: big.analysis.incrementalMs, peakRssMb: big.analysis.peakRssMb, filesPerSec: big.analysis.filesPerSec, mbPerSec: big.analysis.mbPerSec, askLatencyMs: big.analysis.askLatencyMs, askColdMs: big.analysis.askColdMs, eventLoop: big.analysis.eventLoop ?? null, phases: big.analysis.phases } : null,
    amortization: repos.map((r) => ({ repo: r.name, analysisMs: r.analysis.coldMs, sleepTokens: 0, askMs: r.analysis.askLatencyMs, testTokensPerQuestion: 2000, perQuestionMs: Object.fromEntries([1, 10, 100, 1000].map((n) => [n, Math.round(r.analysis.coldMs / n + r.analysis.askLatencyMs)])) })),
    repos,
    cases: cases.map((c) => ({ repo: c.repo, sha: c.sha, question: c.question, gold: c.gold, namesGoldFile: c.namesGoldFile, sleeptime2000: c.sleeptime[2000].files.slice(0, 5), bm25: c.raw.all.slice(0, 5), bm25NonTest: c.raw.nonTest.slice(0, 5) })),
  };
  fs.writeFileSync(path.join(args.out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  if (cases.length) {
    plots({ ...all, cases: cases.length }, repos, args.out, args.commits);
    fs.writeFileSync(path.join(args.out, 'summary.md'), markdown({ ...report, localization: { ...loc, headline: report.localization && (report.localization as Record<string, unknown>).headline } }));
  }
  log(`wrote ${args.out}/report.json${cases.length ? ', summary.md, recall-vs-tokens.svg, cost-per-question.svg' : ' (no localization cases: no plots)'}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
