/**
 * Shared machinery of the fault suite: case registration and result recording, temp repositories,
 * git, the built CLI, and the invariant checks (citations exist, skips have reasons).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Note, ScanResult } from '../../src/core/types';

/** Categories of the Reliability table, in table order. */
export type Category = 'hostile-repos' | 'store' | 'model' | 'secrets' | 'load';

/** What a case measured besides pass/fail. */
export interface CaseMetrics {
  /** Processes that died from an uncaught error or a signal they did not expect. */
  crashes?: number;
  /** Durably written notes missing afterwards. */
  notesLost?: number;
  /** Secret values found in requests, notes, export files or logs. */
  secretsSent?: number;
  /** Sub-runs the case made (e.g. SIGKILL iterations), default 1. */
  runs?: number;
  /** Free-form figures (latency, memory) kept in the results JSON. */
  extra?: Record<string, unknown>;
}

/** One fault case; `run` throws (assert) when the expectation fails. */
export interface FaultCase {
  category: Category;
  name: string;
  /** Part of the quick subset inside `npm test`. */
  quick?: boolean;
  run(ctx: CaseContext): Promise<CaseMetrics | void>;
}

export interface CaseContext {
  /** Quick mode: smaller sizes, fewer iterations. */
  quick: boolean;
  /** A fresh temp folder, removed after the case. */
  tmp(prefix?: string): string;
}

/** One row of the results JSON. */
export interface CaseResult {
  category: Category;
  case: string;
  passed: boolean;
  crashes: number;
  notesLost: number;
  secretsSent: number;
  runs: number;
  ms: number;
  error?: string;
  extra?: Record<string, unknown>;
}

/** Repository root of Sleeptime. */
export const REPO = path.resolve(__dirname, '../..');
/** The built CLI. */
export const CLI = path.join(REPO, 'dist/cli.js');
/** Where the suite writes its results (one JSON per test file and mode). */
export const RESULTS_DIR = path.join(REPO, 'test-results/faults');

/**
 * Registers `cases` as node:test tests (all of them, or the quick ones) and writes their results to
 * `test-results/faults/<file>.json` when the file's tests end. `FAULTS_ONLY=<regexp>` narrows the cases by name.
 */
export function registerCases(file: string, cases: FaultCase[], opts: { quick: boolean }): void {
  const results: CaseResult[] = [];
  const only = process.env.FAULTS_ONLY ? new RegExp(process.env.FAULTS_ONLY, 'i') : undefined;
  for (const c of cases) {
    if ((opts.quick && !c.quick) || (only && !only.test(c.name))) continue;
    test(`[${c.category}] ${c.name}`, { timeout: opts.quick ? 120_000 : 900_000 }, async () => {
      const dirs: string[] = [];
      const ctx: CaseContext = {
        quick: opts.quick,
        tmp: (prefix = 'fault-') => {
          const d = fs.mkdtempSync(path.join(os.tmpdir(), `sleeptime-${prefix}`));
          fs.chmodSync(d, 0o755);
          dirs.push(d);
          return d;
        },
      };
      const t0 = performance.now();
      const row: CaseResult = { category: c.category, case: c.name, passed: false, crashes: 0, notesLost: 0, secretsSent: 0, runs: 1, ms: 0 };
      results.push(row);
      try {
        const m = (await c.run(ctx)) ?? {};
        Object.assign(row, { crashes: m.crashes ?? 0, notesLost: m.notesLost ?? 0, secretsSent: m.secretsSent ?? 0, runs: m.runs ?? 1, extra: m.extra });
        row.passed = row.crashes === 0 && row.notesLost === 0 && row.secretsSent === 0;
        if (!row.passed) throw new Error(`crashes ${row.crashes}, notes lost ${row.notesLost}, secrets sent ${row.secretsSent}`);
      } catch (e) {
        row.error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
        const m = (e as { metrics?: CaseMetrics }).metrics;
        if (m) Object.assign(row, { crashes: m.crashes ?? row.crashes, notesLost: m.notesLost ?? row.notesLost, secretsSent: m.secretsSent ?? row.secretsSent });
        throw e;
      } finally {
        row.ms = Math.round(performance.now() - t0);
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
      }
    });
  }
  after(() => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const out = path.join(RESULTS_DIR, `${file}${opts.quick ? '.quick' : ''}.json`);
    fs.writeFileSync(out, JSON.stringify({ mode: opts.quick ? 'quick' : 'full', finishedAt: new Date().toISOString(), cases: results }, null, 2));
  });
}

/** Writes `files` (text or bytes) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = path.join(dir, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** A small healthy TypeScript + Python project to mix hostile files into. */
export const BASE_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'victim', main: 'src/index.ts', scripts: { test: 'node --test' } }, null, 2),
  'src/index.ts': "import { Greeter } from './greeter';\n\nexport function main(): void {\n  new Greeter('x').greet();\n}\n",
  'src/greeter.ts': "/** Says hello. */\nexport class Greeter {\n  constructor(private name: string) {}\n  greet(): string {\n    return `hi ${this.name}`;\n  }\n}\n",
  'tools/report.py': 'import os\n\n\ndef report(items=[]):\n    try:\n        os.remove("x")\n    except Exception:\n        pass\n    return items\n',
  'test/greeter.test.ts': "import { Greeter } from '../src/greeter';\nnew Greeter('t').greet();\n",
};

/** Runs git in `dir`; throws with stderr when it fails. */
export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'protocol.file.allow=always', ...args], { cwd: dir, encoding: 'utf8', env: gitEnv() });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Fault', GIT_AUTHOR_EMAIL: 'fault@example.com', GIT_COMMITTER_NAME: 'Fault', GIT_COMMITTER_EMAIL: 'fault@example.com',
    GIT_CONFIG_NOSYSTEM: '1', HOME: os.tmpdir(),
  };
}

/** `git init` + commit everything in `dir`. */
export function gitInitCommit(dir: string, message = 'initial'): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI synchronously; `asNobody` runs it as uid/gid 65534 through setpriv (root ignores file modes). */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; asNobody?: boolean; timeoutMs?: number } = {}): CliRun {
  const [cmd, argv] = opts.asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  const r: SpawnSyncReturns<string> = spawnSync(cmd, argv, {
    encoding: 'utf8',
    env: { ...cliEnv(), ...opts.env },
    timeout: opts.timeoutMs ?? 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs the built CLI asynchronously. */
export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cliEnv(), ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Environment for CLI runs: no model configured unless a case sets one; no debug stacks. */
export function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...gitEnv() };
  for (const k of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'SLEEPTIME_MODEL', 'SLEEPTIME_DEBUG', 'NODE_OPTIONS']) delete env[k];
  return env;
}

/**
 * True when a CLI run crashed: killed by a signal, an exit code other than 0/1/130, or an uncaught
 * error's stack trace on stderr (a handled failure prints exactly one `sleeptime: ...` line).
 */
export function crashed(r: CliRun): boolean {
  if (r.signal) return true;
  if (r.code !== 0 && r.code !== 1 && r.code !== 130) return true;
  return /^\s+at .+\(.+:\d+:\d+\)$/m.test(r.stderr) || /Uncaught|UnhandledPromiseRejection|FATAL ERROR/.test(r.stderr);
}

/** Reads the notes as `sleeptime notes --json` prints them. */
export function cliNotes(root: string, storeDir?: string): { notes: Note[]; run: CliRun } {
  const run = runCli(['notes', root, '--json', ...(storeDir ? ['--store', storeDir] : [])]);
  let notes: Note[] = [];
  try {
    notes = JSON.parse(run.stdout) as Note[];
  } catch {
    notes = [];
  }
  return { notes, run };
}

/** Line count as an editor shows it (a final newline does not start a line). */
export function lineCount(buf: Buffer): number {
  const text = decodeForCheck(buf);
  if (!text.length) return 0;
  const n = text.split('\n').length;
  return text.endsWith('\n') ? n - 1 : n;
}

function decodeForCheck(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  return buf.toString('utf8');
}

/**
 * Every citation of every note that points at a line the file on disk does not have: evidence ranges,
 * and `path:line` citations in note bodies for paths that are files of the repository. Stale notes (whose
 * files changed since) are checked only when `includeStale`.
 */
export function badCitations(root: string, notes: Note[], opts: { includeStale?: boolean } = {}): string[] {
  const bad: string[] = [];
  const counts = new Map<string, number | undefined>();
  const countOf = (p: string): number | undefined => {
    if (!counts.has(p)) {
      let n: number | undefined;
      try {
        const abs = path.join(root, p);
        n = fs.statSync(abs).isFile() ? lineCount(fs.readFileSync(abs)) : undefined;
      } catch {
        n = undefined;
      }
      counts.set(p, n);
    }
    return counts.get(p);
  };
  for (const n of notes) {
    if (n.stale && !opts.includeStale) continue;
    for (const e of n.evidence) {
      const lines = countOf(e.path);
      if (lines === undefined) bad.push(`${n.id}: evidence ${e.path} does not exist`);
      else if (!(e.startLine >= 1 && e.endLine >= e.startLine && e.endLine <= Math.max(lines, 1))) {
        bad.push(`${n.id}: evidence ${e.path}:${e.startLine}-${e.endLine} outside 1-${lines}`);
      }
    }
    // Body citations: paths the note names (no-space tokens, plus its evidence/dependsOn paths with spaces).
    const cites = new Set<string>();
    for (const m of n.body.matchAll(/([\w@.\/-]+\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?/g)) cites.add(m[0]);
    for (const p of new Set([...n.evidence.map((e) => e.path), ...Object.keys(n.dependsOn)])) {
      if (!/\s/.test(p)) continue;
      for (let at = n.body.indexOf(`${p}:`); at >= 0; at = n.body.indexOf(`${p}:`, at + 1)) {
        const m = /^:(\d+)(?:-(\d+))?/.exec(n.body.slice(at + p.length, at + p.length + 24));
        if (m) cites.add(`${p}${m[0]}`);
      }
    }
    for (const c of cites) {
      const m = /^(.*):(\d+)(?:-(\d+))?$/s.exec(c);
      if (!m) continue;
      const lines = countOf(m[1]);
      if (lines === undefined) continue; // not a path of this repository (prose, URLs)
      const end = Number(m[3] ?? m[2]);
      if (Number(m[2]) < 1 || end > Math.max(lines, 1)) bad.push(`${n.id}: body cites ${c} of ${lines} lines`);
    }
  }
  return bad;
}

const SKIP_REASONS = new Set(['binary', 'too-large', 'minified', 'generated', 'secret', 'unreadable', 'symlink']);

/**
 * Files under `root` (outside .git, .sleeptime and `exempt` folders) that the scan neither kept nor
 * skipped with a known reason, and that no scan error accounts for.
 */
export function unexplainedFiles(root: string, scan: ScanResult, exempt: string[] = []): string[] {
  const kept = new Set(scan.files.map((f) => f.path));
  const skipped = new Map(scan.skipped.map((s) => [s.path, s.reason]));
  const out: string[] = [];
  for (const [p, reason] of skipped) if (!SKIP_REASONS.has(reason)) out.push(`${p}: unknown reason ${reason}`);
  const walk = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      if (!scan.errors.some((e) => e.includes(rel.replace(/\/$/, '') || '.'))) out.push(`${rel}: unlisted folder without an error`);
      return;
    }
    for (const d of entries) {
      const p = rel + d.name;
      if (d.isDirectory()) {
        if (d.name === '.git' || d.name === '.sleeptime' || d.name === 'node_modules' || exempt.includes(p)) continue;
        walk(`${p}/`);
      } else if (!kept.has(p) && !skipped.has(p)) out.push(`${p}: neither analyzed nor skipped`);
    }
  };
  walk('');
  return out;
}

/** An Error carrying metrics for the results row. */
export function failWith(message: string, metrics: CaseMetrics): Error {
  return Object.assign(new Error(message), { metrics });
}

/** Deterministic pseudo-random numbers (mulberry32) so runs are repeatable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
