/** Category 2: store faults (SIGKILL while writing, corruption, old schema, read-only, concurrent writers). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { Store } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';
import {
  badCitations, BASE_FILES, CLI, cliEnv, cliNotes, crashed, gitInitCommit, rng, runCli, runCliAsync, writeFiles,
  type CaseMetrics, type FaultCase,
} from './harness';

const STORE_WARNING = /^warning: Sleeptime store .*$/gm;

/** A repository of `n` extra TypeScript files plus the base files, committed. */
function repo(root: string, n: number): void {
  const files: Record<string, string> = { ...BASE_FILES };
  for (let i = 0; i < n; i++) {
    files[`src/mod${i % 10}/file${i}.ts`] =
      `import { Greeter } from '../greeter';\n\n/** Part ${i}. */\nexport function run${i}(n: number): number {\n  const g = new Greeter('${i}');\n  g.greet();\n  try {\n    return n * ${i};\n  } catch (e) {}\n  return 0;\n}\n`;
  }
  writeFiles(root, files);
  gitInitCommit(root);
}

function sha1(root: string, p: string): string {
  return createHash('sha1').update(fs.readFileSync(path.join(root, p))).digest('hex');
}

/** A model note as an earlier sleep-time run would have written it, depending on an unchanging file. */
function modelNote(root: string, i: number, origin = 'llm:scripted'): Note {
  return {
    id: `qa:durable-${origin.replace(/\W/g, '')}-${i}`,
    kind: 'qa',
    title: `How does greeting number ${i} work?`,
    body: `Greeter.greet builds the text (src/greeter.ts:4).`,
    evidence: [{ path: 'src/greeter.ts', startLine: 4, endLine: 6 }],
    dependsOn: { 'src/greeter.ts': sha1(root, 'src/greeter.ts') },
    origin,
    stale: false,
    createdAt: new Date().toISOString(),
    meta: { job: `qa:durable-${i}`, question: `How does greeting number ${i} work?` },
  };
}

/** Adds notes to the store under its writer lock, as a sleep-time run does. */
async function addNotes(root: string, notes: Note[], drop: (n: Note) => boolean = () => false): Promise<void> {
  const dir = path.join(root, '.sleeptime');
  const { store } = await Store.open(dir, { root });
  await store.withWriteLock(async () => {
    const latest = (await Store.open(dir, { root })).store.notes().filter((n) => !drop(n));
    await store.save({ notes: [...latest, ...notes] });
  });
}

/** Ids of `durable` missing from the store as the CLI shows it. */
function missing(root: string, durable: string[]): string[] {
  const { notes } = cliNotes(root);
  const ids = new Set(notes.map((n) => n.id));
  return durable.filter((id) => !ids.has(id));
}

/**
 * Analyzed repository with durable non-static notes: 5 model notes written by an "earlier sleep-time run"
 * and 5 that arrive through `sleeptime import` of an exported notes file.
 */
async function seededRepo(root: string, exportDir: string, n: number): Promise<string[]> {
  repo(root, n);
  const first = runCli(['analyze', root, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const imported = Array.from({ length: 5 }, (_, i) => modelNote(root, i, 'llm:imported'));
  await addNotes(root, imported);
  const file = path.join(exportDir, 'notes.json');
  const ex = runCli(['export', root, '--out', file]);
  assert.equal(ex.code, 0, ex.stderr);
  await addNotes(root, Array.from({ length: 5 }, (_, i) => modelNote(root, i)), (n) => n.origin === 'llm:imported');
  const im = runCli(['import', root, '--file', file]);
  assert.equal(im.code, 0, im.stderr);
  const durable = [...imported.map((x) => x.id), ...Array.from({ length: 5 }, (_, i) => modelNote(root, i).id)];
  assert.deepEqual(missing(root, durable), [], 'seeded notes present');
  return durable;
}

/** Spawns `analyze` and SIGKILLs it after `delayMs`; resolves with how it ended. */
function killedAnalyze(root: string, delayMs: number): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'analyze', root, '--json'], { env: cliEnv() });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, stderr });
    });
  });
}

/** One normal analysis after a fault: at most one store warning, no crash; returns metrics. */
function recoveryRun(root: string, label: string): { warnings: number; metrics: CaseMetrics } {
  const r = runCli(['analyze', root, '--json']);
  if (crashed(r)) return { warnings: 0, metrics: { crashes: 1, extra: { label, stderr: r.stderr.slice(0, 300) } } };
  assert.equal(r.code, 0, `${label}: ${r.stderr}`);
  const warnings = r.stderr.match(STORE_WARNING) ?? [];
  assert.ok(warnings.length <= 1, `${label}: one store warning at most, got ${JSON.stringify(warnings)}`);
  return { warnings: warnings.length, metrics: {} };
}

export const storeFaultCases: FaultCase[] = [
  {
    category: 'store',
    name: 'analyze killed with SIGKILL at random points (quick: 4 runs, full: 40)',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const durable = await seededRepo(root, ctx.tmp(), 300);
      // How long a re-analysis with changed files takes, to spread the kill points over all of it.
      const touch = (i: number): void => {
        for (let k = 0; k < 40; k++) fs.appendFileSync(path.join(root, `src/mod${k % 10}/file${(k * 7 + i) % 300}.ts`), `// edit ${i}\n`);
      };
      touch(0);
      const t0 = performance.now();
      assert.equal(runCli(['analyze', root, '--json']).code, 0);
      const span = performance.now() - t0;
      const runs = ctx.quick ? 4 : 40;
      const random = rng(7);
      let notesLost = 0;
      let killed = 0;
      let crashes = 0;
      const lostIds = new Set<string>();
      for (let i = 1; i <= runs; i++) {
        touch(i);
        const r = await killedAnalyze(root, 30 + random() * span * 1.1);
        if (r.killed) killed++;
        else if (r.code !== 0) crashes++;
        // The store still opens (atomic writes) and keeps every durable note.
        const { store, warnings } = await Store.open(path.join(root, '.sleeptime'), { root });
        assert.deepEqual(warnings, [], `run ${i}: store opens cleanly after SIGKILL`);
        const ids = new Set(store.notes().map((n) => n.id));
        for (const id of durable) if (!ids.has(id)) lostIds.add(id);
      }
      notesLost = lostIds.size;
      const rec = recoveryRun(root, 'after kills');
      crashes += rec.metrics.crashes ?? 0;
      notesLost = new Set([...lostIds, ...missing(root, durable)]).size;
      const leftovers = fs.readdirSync(path.join(root, '.sleeptime')).filter((f) => f.includes('.tmp-'));
      assert.deepEqual(leftovers, [], 'no temp files left behind once a run completes');
      assert.deepEqual(badCitations(root, cliNotes(root).notes), []);
      return { runs, crashes, notesLost, extra: { killed, spanMs: Math.round(span) } };
    },
  },
  {
    category: 'store',
    name: 'truncated, corrupted, emptied and missing store files (quick: one damage per file kind)',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const durable = await seededRepo(root, ctx.tmp(), 20);
      const dir = path.join(root, '.sleeptime');
      const damages: Record<string, (file: string) => void> = {
        truncated: (f) => fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2)),
        garbage: (f) => fs.writeFileSync(f, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b])),
        empty: (f) => fs.writeFileSync(f, ''),
        'wrong shape': (f) => fs.writeFileSync(f, '{"unexpected": true}'),
        missing: (f) => fs.rmSync(f),
      };
      let crashes = 0;
      let notesLost = 0;
      let runs = 0;
      // The store is a manifest listing content-named shards (files-*, notes-*, structure-*).
      const pick = (kind: string): string => {
        const names = fs.readdirSync(dir).filter((f) => f.startsWith(`${kind}-`) && f.endsWith('.json')).sort();
        assert.ok(names.length, `a ${kind} data file exists`);
        return path.join(dir, names[0]);
      };
      const quickPlan: Record<string, string> = { files: 'garbage', structure: 'missing', manifest: 'truncated', notes: 'wrong shape' };
      for (const kind of ['files', 'structure', 'manifest', 'notes']) {
        for (const [how, damage] of Object.entries(damages)) {
          if (ctx.quick && quickPlan[kind] !== how) continue;
          damage(kind === 'manifest' ? path.join(dir, 'manifest.json') : pick(kind));
          const rec = recoveryRun(root, `${kind} ${how}`);
          runs++;
          crashes += rec.metrics.crashes ?? 0;
          const again = runCli(['analyze', root, '--json']);
          assert.equal(again.code, 0);
          assert.equal((again.stderr.match(STORE_WARNING) ?? []).length, 0, `${kind} ${how}: rebuilt, no warning on the next run`);
          // Only damage to what holds the notes (their shards, the manifest listing them) may take them.
          const lost = missing(root, durable);
          if (kind === 'files' || kind === 'structure') notesLost += lost.length;
          // Put lost notes back so the next damage starts from the same store.
          if (lost.length) await reseed(root, durable);
        }
      }
      return { runs, crashes, notesLost };
    },
  },
  {
    category: 'store',
    name: 'a store written with an older schema',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      repo(root, 10);
      assert.equal(runCli(['analyze', root]).code, 0);
      const manifest = path.join(root, '.sleeptime/manifest.json');
      fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), schemaVersion: 0 }));
      const rec = recoveryRun(root, 'old schema');
      assert.equal(rec.warnings, 1, 'one warning says the store is rebuilt');
      const next = runCli(['analyze', root]);
      assert.equal((next.stderr.match(STORE_WARNING) ?? []).length, 0);
      assert.ok(cliNotes(root).notes.length > 0);
      return rec.metrics;
    },
  },
  {
    category: 'store',
    name: 'a read-only store folder (run as nobody)',
    quick: false,
    async run(ctx) {
      const root = ctx.tmp();
      repo(root, 10);
      assert.equal(runCli(['analyze', root]).code, 0);
      const before = fs.readFileSync(path.join(root, '.sleeptime/manifest.json'), 'utf8');
      writeFiles(root, { 'src/greeter.ts': `${BASE_FILES['src/greeter.ts']}// changed\n` });
      let crashes = 0;
      const r = runCli(['analyze', root], { asNobody: true });
      if (crashed(r)) crashes++;
      assert.equal(r.code, 1, 'analysis fails');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line: ${r.stderr}`);
      assert.match(lines[0], /not writable/);
      // Reading still works: notes and offline answers.
      const notes = runCli(['notes', root], { asNobody: true });
      if (crashed(notes)) crashes++;
      assert.equal(notes.code, 0, notes.stderr);
      const ask = runCli(['ask', root, 'how does the greeter greet?', '--offline'], { asNobody: true });
      if (crashed(ask)) crashes++;
      assert.equal(ask.code, 0, ask.stderr);
      assert.equal(fs.readFileSync(path.join(root, '.sleeptime/manifest.json'), 'utf8'), before, 'store untouched');
      return { crashes, runs: 3 };
    },
  },
  {
    category: 'store',
    name: 'two CLI processes and an in-process (editor) analysis of one folder at once',
    quick: false,
    async run(ctx) {
      const root = ctx.tmp();
      const n = ctx.quick ? 60 : 150;
      const durable = await seededRepo(root, ctx.tmp(), n);
      let crashes = 0;
      for (let round = 0; round < (ctx.quick ? 1 : 6); round++) {
        for (let k = 0; k < 30; k++) fs.appendFileSync(path.join(root, `src/mod${k % 10}/file${(k * 3 + round) % n}.ts`), `// round ${round}\n`);
        const [a, b, c] = await Promise.all([runCliAsync(['analyze', root, '--json']), runCliAsync(['analyze', root, '--json']), analyze({ root, parseWorkers: 0 })]);
        for (const r of [a, b]) {
          if (crashed(r)) crashes++;
          assert.equal(r.code, 0, r.stderr);
          assert.equal((r.stderr.match(STORE_WARNING) ?? []).length, 0, r.stderr);
        }
        assert.ok(!c.cancelled && c.warnings.length === 0, JSON.stringify(c.warnings));
      }
      const { store, warnings } = await Store.open(path.join(root, '.sleeptime'), { root });
      assert.deepEqual(warnings, []);
      assert.ok(store.notes().length > 0);
      assert.deepEqual(badCitations(root, cliNotes(root).notes), []);
      return { crashes, notesLost: missing(root, durable).length, runs: ctx.quick ? 1 : 6 };
    },
  },
];

/** Puts back durable notes a damage case legitimately took (so later damages are measured from the same start). */
async function reseed(root: string, durable: string[]): Promise<void> {
  const have = new Set(cliNotes(root).notes.map((n) => n.id));
  const back: Note[] = [];
  for (const id of durable) {
    if (have.has(id)) continue;
    const m = /^qa:durable-(llm\w+)-(\d+)$/.exec(id);
    if (m) back.push(modelNote(root, Number(m[2]), m[1] === 'llmimported' ? 'llm:imported' : 'llm:scripted'));
  }
  await addNotes(root, back);
}
