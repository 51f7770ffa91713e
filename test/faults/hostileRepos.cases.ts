/** Category 1: hostile repositories. Each case builds its repository in a temp folder. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, type AnalyzeOptions, type AnalyzeStats } from '../../src/core/analyze';
import { markStaleOnDisk } from '../../src/core/notes/staleness';
import { scanRepository } from '../../src/core/scan/scan';
import { Store } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';
import {
  badCitations, BASE_FILES, cliNotes, crashed, git, gitInitCommit, rng, runCli, unexplainedFiles, writeFiles,
  type CaseMetrics, type FaultCase,
} from './harness';

interface Checked {
  stats: AnalyzeStats;
  notes: Note[];
  metrics: CaseMetrics;
}

/**
 * Analyzes `root` in-process and checks the invariants: the run finishes, every file is analyzed or
 * skipped with a reason (or is in an exempt folder), and no fresh note cites a line that does not exist.
 */
async function analyzeAndCheck(root: string, opts: Partial<AnalyzeOptions> & { exempt?: string[] } = {}): Promise<Checked> {
  const { exempt, ...rest } = opts;
  const stats = await analyze({ root, parseWorkers: 0, ...rest });
  assert.ok(!stats.cancelled, 'analysis finished');
  const scan = await scanRepository(root, { maxFileBytes: rest.maxFileBytes });
  assert.deepEqual(unexplainedFiles(root, scan, exempt), [], 'every file analyzed or skipped with a reason');
  const { store } = await Store.open(path.join(root, '.sleeptime'), { root });
  const notes = markStaleOnDisk(root, store.notes(), store.files());
  assert.ok(notes.length > 0 || scan.files.length === 0, 'notes written');
  assert.deepEqual(badCitations(root, notes), [], 'no note cites a line that does not exist');
  return { stats, notes, metrics: {} };
}

/** Same through the CLI process: exit code, crash signature, `notes --json` citations. */
function cliAnalyzeAndCheck(root: string, extra: string[] = []): { stats: AnalyzeStats; notes: Note[]; metrics: CaseMetrics } {
  const run = runCli(['analyze', root, '--json', ...extra]);
  if (crashed(run)) return { stats: undefined as unknown as AnalyzeStats, notes: [], metrics: { crashes: 1, extra: { stderr: run.stderr.slice(0, 400) } } };
  assert.equal(run.code, 0, run.stderr);
  const stats = JSON.parse(run.stdout) as AnalyzeStats;
  const { notes, run: nr } = cliNotes(root);
  assert.equal(nr.code, 0, nr.stderr);
  assert.deepEqual(badCitations(root, notes), [], 'no note cites a line that does not exist');
  return { stats, notes, metrics: {} };
}

function bytes(n: number, seed: number, lo = 0, hi = 256): Buffer {
  const r = rng(seed);
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = lo + Math.floor(r() * (hi - lo));
  return b;
}

const TS_BODY = (i: number): string =>
  `import { helper${(i + 1) % 7} } from './m${(i + 1) % 7}';\n\n/** Module ${i}. */\nexport function f${i}(x: number): number {\n  try {\n    return helper${(i + 1) % 7}(x) + ${i};\n  } catch (e) {}\n  return 0;\n}\n`;

/** Writes a tree of `n` small source files, 100 per folder, with a few import edges. */
function syntheticTree(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, 'pkg', `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, i % 5 === 4 ? `m${i % 7}_${i}.py` : `m${i % 7}_${i}.ts`), i % 5 === 4 ? `def f${i}(x):\n    return x + ${i}\n` : TS_BODY(i));
  }
  writeFiles(root, { 'package.json': '{"name":"synthetic"}\n' });
}

export const hostileRepoCases: FaultCase[] = [
  {
    category: 'hostile-repos',
    name: 'binary files with source extensions',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      writeFiles(root, {
        ...BASE_FILES,
        'src/blob.ts': bytes(20_000, 1),
        'src/highbytes.py': bytes(20_000, 2, 0x80, 0x100),
        'src/elf.c': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), bytes(4000, 3)]),
        'src/png.go': Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), bytes(3000, 4)]),
      });
      gitInitCommit(root);
      const { stats } = await analyzeAndCheck(root);
      assert.ok((stats.files.skipped.binary ?? 0) >= 3, `binary skips: ${JSON.stringify(stats.files.skipped)}`);
    },
  },
  {
    category: 'hostile-repos',
    name: 'a 50 MB source file',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const line = 'export const value = computeSomething(1, 2, 3); // padding padding padding\n';
      writeFiles(root, { ...BASE_FILES, 'src/huge.ts': line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)) });
      const { stats } = await analyzeAndCheck(root);
      assert.equal(stats.files.skipped['too-large'], 1);
      if (!ctx.quick) {
        // Raised limit: the file is read and parsed (or given up with a parse error), never a crash.
        const r = cliAnalyzeAndCheck(root, ['--max-file-kb', String(64 * 1024)]);
        return r.metrics;
      }
    },
  },
  {
    category: 'hostile-repos',
    name: 'a 5 MB one-line minified file',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const stmt = 'var a=function(b){return b*2},c=a(3);if(c>4){d=c}else{d=0};';
      writeFiles(root, { ...BASE_FILES, 'src/bundle.js': stmt.repeat(Math.ceil((5 * 1024 * 1024) / stmt.length)) });
      const big = await analyzeAndCheck(root);
      assert.equal(big.stats.files.skipped['too-large'], 1);
      const raised = await analyzeAndCheck(root, { maxFileBytes: 8 * 1024 * 1024 });
      assert.equal(raised.stats.files.skipped.minified, 1);
    },
  },
  {
    category: 'hostile-repos',
    name: 'invalid UTF-8 inside source files',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const bad = Buffer.concat([
        Buffer.from('// caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('\nexport function broken(): string {\n  return "'),
        Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('";\n}\n\nexport function after(): number {\n  try { return 1; } catch (e) {}\n  return 2;\n}\n'),
      ]);
      writeFiles(root, { ...BASE_FILES, 'src/bad.ts': bad, 'src/bad.py': Buffer.concat([Buffer.from('def ok():\n    return "'), Buffer.from([0xf0, 0x28, 0x8c, 0x28]), Buffer.from('"\n')]) });
      gitInitCommit(root);
      const { notes } = await analyzeAndCheck(root);
      assert.ok(notes.some((n) => n.id === 'file:src/bad.ts'), 'the file with invalid UTF-8 is analyzed');
    },
  },
  {
    category: 'hostile-repos',
    name: 'UTF-16 files with a BOM (LE and BE)',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const src = 'export function wide(a: number): number {\r\n  return a + 1;\r\n}\r\n\r\nexport class Wider {\r\n  go(): void {}\r\n}\r\n';
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src, 'utf16le')]);
      const be = Buffer.from(le);
      be.swap16();
      writeFiles(root, { ...BASE_FILES, 'src/wideLe.ts': le, 'src/wideBe.ts': be });
      gitInitCommit(root);
      const { notes } = await analyzeAndCheck(root);
      for (const p of ['src/wideLe.ts', 'src/wideBe.ts']) {
        const card = notes.find((n) => n.id === `file:${p}`);
        assert.ok(card, `${p} is analyzed as text`);
        assert.match(card.body, /wide|Wider/, `${p} symbols found`);
      }
    },
  },
  {
    category: 'hostile-repos',
    name: 'CRLF, CR-only and mixed line endings',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      writeFiles(root, {
        ...BASE_FILES,
        'src/crlf.ts': 'export function a(): void {\r\n  try { go(); } catch (e) {}\r\n}\r\n',
        'src/mixed.ts': 'export function b(): void {\n  go();\r\n}\r// old mac line\rexport function c(): number {\n  return 1;\r\n}\n',
        'src/cr.py': 'def d():\r    return 1\r\rdef e():\r    pass\r',
      });
      gitInitCommit(root);
      await analyzeAndCheck(root);
    },
  },
  {
    category: 'hostile-repos',
    name: 'conflict markers in source files',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      writeFiles(root, {
        ...BASE_FILES,
        'src/conflict.ts': 'export function pick(): number {\n<<<<<<< HEAD\n  return 1;\n=======\n  return 2;\n>>>>>>> feature\n}\n\nexport const after = 3;\n',
        'tools/conflict.py': 'def pick():\n<<<<<<< ours\n    return 1\n||||||| base\n    return 0\n=======\n    return 2\n>>>>>>> theirs\n',
      });
      gitInitCommit(root);
      await analyzeAndCheck(root);
    },
  },
  {
    category: 'hostile-repos',
    name: 'symlink loops, dangling links and links leaving the repository',
    quick: true,
    async run(ctx) {
      for (const useGit of [false, true]) {
        const root = ctx.tmp();
        writeFiles(root, BASE_FILES);
        fs.symlinkSync('.', path.join(root, 'src/self'));
        fs.symlinkSync('b', path.join(root, 'a.ts'));
        fs.symlinkSync('a.ts', path.join(root, 'b'));
        fs.symlinkSync('missing/nowhere.ts', path.join(root, 'dangling.ts'));
        fs.symlinkSync('/etc/passwd', path.join(root, 'passwd.ts'));
        fs.symlinkSync('/etc', path.join(root, 'etcdir'));
        if (useGit) gitInitCommit(root);
        const { stats, notes } = await analyzeAndCheck(root);
        assert.ok((stats.files.skipped.symlink ?? 0) >= 4, `symlinks skipped (${useGit ? 'git' : 'walk'}): ${JSON.stringify(stats.files.skipped)}`);
        assert.ok(!JSON.stringify(notes).includes('root:x:0:0'), 'nothing outside the repository is read');
      }
    },
  },
  {
    category: 'hostile-repos',
    name: 'unreadable files and folders (run as nobody)',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      writeFiles(root, { ...BASE_FILES, 'src/hidden.ts': 'export const hidden = 1;\n', 'locked/inner.ts': 'export const x = 1;\n' });
      fs.chmodSync(path.join(root, 'src/hidden.ts'), 0o000);
      fs.chmodSync(path.join(root, 'locked'), 0o000);
      const store = ctx.tmp('store-');
      fs.chmodSync(store, 0o777);
      const run = runCli(['analyze', root, '--store', store, '--json'], { asNobody: true });
      if (crashed(run)) return { crashes: 1, extra: { stderr: run.stderr.slice(0, 400) } };
      assert.equal(run.code, 0, run.stderr);
      const stats = JSON.parse(run.stdout) as Omit<AnalyzeStats, 'warnings'> & { warnings: number };
      assert.equal(stats.files.skipped.unreadable, 1, `unreadable skips: ${JSON.stringify(stats.files.skipped)}`);
      assert.ok(stats.warnings >= 1, 'the unlisted folder is reported');
      assert.match(run.stderr, /locked/, 'the warning names the folder');
      const { notes } = cliNotes(root, store);
      assert.deepEqual(badCitations(root, notes), []);
    },
  },
  {
    category: 'hostile-repos',
    name: 'names with spaces, unicode, newlines and leading dashes',
    quick: true,
    async run(ctx) {
      for (const useGit of [false, true]) {
        const root = ctx.tmp();
        writeFiles(root, {
          ...BASE_FILES,
          'src/with space.ts': 'export function spaced(): number {\n  return 1;\n}\n',
          'src/ünïcödé/日本語.ts': 'export function nihongo(): string {\n  return "日本";\n}\n',
          'src/e\u0301.ts': 'export const nfd = 1;\n',
          'src/new\nline.ts': 'export function newline(): void {\n  try { x(); } catch (e) {}\n}\n',
          'src/-rf.ts': 'export const dash = 1;\n',
          "src/quo'te\"s.py": 'def q():\n    return 1\n',
          'src/tab\there.ts': 'export const tab = 1;\n',
        });
        if (useGit) gitInitCommit(root);
        const { notes } = await analyzeAndCheck(root);
        for (const p of ['src/with space.ts', 'src/ünïcödé/日本語.ts', 'src/new\nline.ts', 'src/-rf.ts']) {
          assert.ok(notes.some((n) => n.id === `file:${p}`), `${JSON.stringify(p)} analyzed (${useGit ? 'git' : 'walk'})`);
        }
      }
    },
  },
  {
    category: 'hostile-repos',
    name: '30-level folder nesting',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const deep = Array.from({ length: 30 }, (_, i) => `level${i}`).join('/');
      writeFiles(root, { ...BASE_FILES, [`${deep}/deep.ts`]: "import { main } from '../../../../src/index';\nexport const deep = main;\n" });
      gitInitCommit(root);
      const { notes } = await analyzeAndCheck(root);
      assert.ok(notes.some((n) => n.id === `file:${deep}/deep.ts`));
    },
  },
  {
    category: 'hostile-repos',
    name: 'empty folder and empty git repository',
    quick: false,
    async run(ctx) {
      const plain = ctx.tmp();
      const empty = ctx.tmp();
      git(empty, 'init', '-q');
      let crashes = 0;
      for (const root of [plain, empty]) {
        const run = runCli(['analyze', root, '--json']);
        if (crashed(run)) crashes++;
        assert.equal(run.code, 0, run.stderr);
        assert.equal((JSON.parse(run.stdout) as AnalyzeStats).files.seen, 0);
        const notes = cliNotes(root);
        assert.ok(!crashed(notes.run), notes.run.stderr);
        const ask = runCli(['ask', root, 'where is the entry point?', '--offline']);
        if (crashed(ask)) crashes++;
        assert.ok(ask.code === 0 || /sleeptime: /.test(ask.stderr), ask.stderr);
      }
      return { crashes, runs: 2 };
    },
  },
  {
    category: 'hostile-repos',
    name: 'shallow clone, detached HEAD and a mid-rebase repository',
    quick: true,
    async run(ctx) {
      const origin = ctx.tmp();
      writeFiles(origin, BASE_FILES);
      gitInitCommit(origin);
      for (let i = 0; i < 4; i++) {
        writeFiles(origin, { 'src/greeter.ts': `${BASE_FILES['src/greeter.ts']}// fix ${i}\n` });
        git(origin, 'commit', '-qam', `fix: bug ${i}`);
      }
      const shallow = path.join(ctx.tmp(), 'shallow');
      git(origin, 'clone', '-q', '--depth', '1', `file://${origin}`, shallow);
      const { stats } = await analyzeAndCheck(shallow);
      assert.equal(stats.files.seen, Object.keys(BASE_FILES).length);

      const detached = path.join(ctx.tmp(), 'detached');
      git(origin, 'clone', '-q', origin, detached);
      git(detached, 'checkout', '-q', '--detach', 'HEAD~2');
      await analyzeAndCheck(detached);

      const rebasing = path.join(ctx.tmp(), 'rebasing');
      git(origin, 'clone', '-q', origin, rebasing);
      git(rebasing, 'checkout', '-q', '-b', 'topic');
      writeFiles(rebasing, { 'src/index.ts': 'export const topic = 1;\n' });
      git(rebasing, 'commit', '-qam', 'topic change');
      git(rebasing, 'checkout', '-q', 'main');
      writeFiles(rebasing, { 'src/index.ts': 'export const mainline = 2;\n' });
      git(rebasing, 'commit', '-qam', 'main change');
      git(rebasing, 'checkout', '-q', 'topic');
      assert.throws(() => git(rebasing, 'rebase', 'main'), /failed/);
      assert.ok(fs.existsSync(path.join(rebasing, '.git/rebase-merge')) || fs.existsSync(path.join(rebasing, '.git/rebase-apply')), 'mid-rebase');
      await analyzeAndCheck(rebasing);
    },
  },
  {
    category: 'hostile-repos',
    name: 'a repository with a file:// submodule',
    quick: true,
    async run(ctx) {
      const lib = ctx.tmp();
      writeFiles(lib, { 'lib.ts': 'export function fromLib(): number {\n  return 1;\n}\n' });
      gitInitCommit(lib);
      const root = ctx.tmp();
      writeFiles(root, BASE_FILES);
      gitInitCommit(root);
      git(root, 'submodule', 'add', '-q', `file://${lib}`, 'vendor-lib');
      git(root, 'commit', '-qm', 'add submodule');
      // The submodule is its own repository: its files are left to its own analysis.
      const { stats } = await analyzeAndCheck(root, { exempt: ['vendor-lib'] });
      assert.equal(stats.files.seen, Object.keys(BASE_FILES).length + 1, 'the work tree files and .gitmodules');
    },
  },
  {
    category: 'hostile-repos',
    name: 'a synthetic tree of 100,000 files (quick: 10,000)',
    quick: false,
    async run(ctx) {
      const root = ctx.tmp();
      const n = ctx.quick ? 10_000 : 100_000;
      syntheticTree(root, n);
      const { stats, metrics } = cliAnalyzeAndCheck(root);
      if (metrics.crashes) return metrics;
      assert.equal(stats.files.seen, n + 1);
      const again = runCli(['analyze', root, '--json']);
      assert.equal(again.code, 0, again.stderr);
      const second = JSON.parse(again.stdout) as AnalyzeStats;
      assert.equal(second.files.reused, n + 1, 'the second run reuses the cache');
      return { extra: { files: n, firstMs: stats.ms.total, secondMs: second.ms.total, peakRssMb: stats.peakRssMb } };
    },
  },
  {
    category: 'hostile-repos',
    name: 'files edited, renamed and deleted while an analysis runs',
    quick: true,
    async run(ctx) {
      let runs = 0;
      for (const phase of ctx.quick ? ['notes'] : ['parse', 'structure', 'notes']) {
        const root = ctx.tmp();
        const files: Record<string, string> = { ...BASE_FILES };
        for (let i = 0; i < 60; i++) files[`src/gen/m${i}.ts`] = TS_BODY(i).repeat(3);
        writeFiles(root, files);
        gitInitCommit(root);
        let mutated = false;
        const mutate = (): void => {
          if (mutated) return;
          mutated = true;
          fs.writeFileSync(path.join(root, 'src/gen/m1.ts'), 'export const shrunk = 1;\n');
          fs.renameSync(path.join(root, 'src/gen/m2.ts'), path.join(root, 'src/gen/renamed.ts'));
          fs.rmSync(path.join(root, 'src/gen/m3.ts'));
          fs.rmSync(path.join(root, 'tools'), { recursive: true });
        };
        const stats = await analyze({
          root,
          parseWorkers: 2,
          onProgress: (p) => {
            if (phase === 'parse' && p.phase === 'parse' && p.done >= 5) mutate();
            if (phase === 'structure' && p.phase === 'parse' && p.done === p.total) mutate();
            if (phase === 'notes' && p.phase === 'notes' && p.done === 0) mutate();
          },
        });
        runs++;
        assert.ok(mutated && !stats.cancelled);
        // Notes computed from the old text are stale now, so `notes` shows no citation into the new text.
        const { notes, run } = cliNotes(root);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(badCitations(root, notes), [], `after edits at ${phase}`);
        // The next run repairs everything: no citation is wrong, stale or not.
        await analyze({ root, parseWorkers: 0 });
        runs++;
        const { store } = await Store.open(path.join(root, '.sleeptime'), { root });
        assert.deepEqual(badCitations(root, store.notes(), { includeStale: true }), [], `second run after edits at ${phase}`);
        assert.ok(!store.notes().some((n) => n.id === 'file:src/gen/m3.ts'), 'deleted file has no card');
        assert.ok(store.notes().some((n) => n.id === 'file:src/gen/renamed.ts'), 'renamed file has a card');
      }
      return { runs };
    },
  },
];
