import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import { analyze, AnalysisSession, type StoredStructure } from '../../src/core/analyze';
import { distPath } from '../../src/core/assets';
import { markStaleOnDisk } from '../../src/core/notes/staleness';
import { Store } from '../../src/core/store/store';

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'demo', main: 'src/index.ts', scripts: { test: 'node --test' } }, null, 2),
  'src/index.ts': "import { Greeter } from './greeter';\n\nexport function main(): void {\n  new Greeter('x').greet();\n}\n",
  'src/greeter.ts': "/** Says hello. */\nexport class Greeter {\n  constructor(private name: string) {}\n  greet(): string {\n    return `hi ${this.name}`;\n  }\n}\n",
  'src/util.ts': "export function clamp(n: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, n));\n}\n",
  'tools/report.py': 'import os\n\n\ndef report(items=[]):\n    try:\n        os.remove("x")\n    except Exception:\n        pass\n    return items\n',
  'test/greeter.test.ts': "import { Greeter } from '../src/greeter';\nnew Greeter('t').greet();\n",
};

/** Every folder the tests make lives under one temporary folder, removed when they end. */
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-analyze-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(tmpRoot, prefix));
}

function makeRepo(files = FILES): string {
  const dir = tempDir('repo-');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

async function gitCommitAll(dir: string): Promise<void> {
  const git = simpleGit(dir);
  await git.init();
  await git.addConfig('user.name', 'Test');
  await git.addConfig('user.email', 'test@example.com');
  await git.add('.');
  await git.commit('initial');
}

test('a first analysis parses every file and writes every kind of static note', async () => {
  const dir = makeRepo();
  await gitCommitAll(dir);
  const stats = await analyze({ root: dir, parseWorkers: 0 });
  assert.equal(stats.files.seen, Object.keys(FILES).length);
  assert.equal(stats.files.parsed, Object.keys(FILES).length);
  assert.equal(stats.files.reused, 0);
  assert.ok(stats.symbols >= 5);
  for (const kind of ['architecture', 'file', 'bug', 'test-hook'] as const) assert.ok((stats.notes[kind] ?? 0) > 0, `has ${kind} notes`);
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const notes = store.notes();
  const ids = notes.map((n) => n.id);
  assert.ok(ids.includes('architecture:overview'));
  assert.ok(ids.includes('file:src/greeter.ts'));
  assert.ok(notes.some((n) => n.kind === 'bug' && n.evidence[0].path === 'tools/report.py'));
  for (const n of notes) {
    for (const e of n.evidence) {
      const lines = fs.readFileSync(path.join(dir, e.path), 'utf8').split('\n').length;
      assert.ok(e.startLine >= 1 && e.endLine <= lines, `${n.id} cites ${e.path}:${e.startLine}-${e.endLine} of ${lines} lines`);
    }
  }
  assert.equal(fs.readFileSync(path.join(dir, '.sleeptime', '.gitignore'), 'utf8').trim(), '*');
});

test('after one file changes, only that file is parsed and only dependent notes are rewritten', async () => {
  const dir = makeRepo();
  await gitCommitAll(dir);
  const first = await analyze({ root: dir, parseWorkers: 0 });
  const total = Object.values(first.notes).reduce((a, b) => a + (b ?? 0), 0);

  const again = await analyze({ root: dir, parseWorkers: 0 });
  assert.equal(again.files.parsed, 0);
  assert.equal(again.files.reused, first.files.seen);
  assert.equal(again.notesRewritten, 0);

  fs.appendFileSync(path.join(dir, 'src/util.ts'), '\nexport const ZERO = 0;\n');
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const marked = markStaleOnDisk(dir, store.notes(), store.files());
  assert.ok(marked.find((n) => n.id === 'file:src/util.ts')!.stale, 'the card of the edited file is stale before re-analysis');
  assert.ok(!marked.find((n) => n.id === 'file:src/greeter.ts')!.stale);

  const third = await analyze({ root: dir, parseWorkers: 0 });
  assert.equal(third.files.parsed, 1);
  assert.equal(third.files.reused, first.files.seen - 1);
  assert.ok(third.notesRewritten! >= 1 && third.notesRewritten! < total, `rewrote ${third.notesRewritten} of ${total}`);
  const after = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const card = after.store.notes().find((n) => n.id === 'file:src/util.ts')!;
  assert.match(card.body, /ZERO/);
  assert.equal(card.stale, false);
});

test('files another version of Sleeptime analyzed are parsed again, and its notes are kept until then', async () => {
  const dir = makeRepo();
  const storeDir = path.join(dir, '.sleeptime');
  const first = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  const manifestPath = path.join(storeDir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { toolVersion: string };
  fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, toolVersion: '0.0.0-older' }));
  const before = (await Store.open(storeDir, { root: dir })).store;
  assert.equal(before.notes().length, Object.values(first.notes).reduce((a, b) => a + (b ?? 0), 0));
  const upgraded = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(upgraded.files.parsed, first.files.seen);
  assert.equal(upgraded.files.reused, 0);
  const again = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(again.files.reused, first.files.seen, 'the store now names this version');
});

test('a C++ header with a .h extension is parsed as C++, and a second run reuses it', async () => {
  const dir = makeRepo({
    'include/shape.h': '#pragma once\nnamespace geo {\nclass Shape {\n public:\n  virtual double area() const = 0;\n};\ntemplate <typename T> T twice(T v) { return v + v; }\n}\n',
    'include/point.h': '#ifdef __cplusplus\nextern "C" {\n#endif\nstruct point { int x; int y; };\nint norm(struct point *p);\n#ifdef __cplusplus\n}\n#endif\n',
  });
  const storeDir = path.join(dir, '.sleeptime');
  const first = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(first.files.parsed, 2);
  const files = (await Store.open(storeDir, { root: dir })).store.files();
  const shape = files.get('include/shape.h')!;
  assert.equal(shape.language, 'cpp');
  assert.equal(shape.parseError, undefined);
  assert.deepEqual(shape.defs.filter((d) => d.kind === 'class').map((d) => d.name), ['Shape']);
  assert.equal(files.get('include/point.h')!.language, 'c');
  const second = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(second.files.parsed, 0);
  assert.equal(second.files.reused, 2);
});

test('an extensionless script is parsed in the language of its #! line, is an entry point in bin/, and a second run reuses it', async () => {
  const dir = makeRepo({
    'bin/tool': "#!/usr/bin/env ruby\nrequire_relative '../lib/tool'\n\ndef run(argv)\n  Tool.start(argv)\nend\n\nrun(ARGV)\n",
    'lib/tool.rb': 'class Tool\n  def self.start(argv)\n    argv.size\n  end\nend\n',
    'NOTICE': 'Plain text, no language.\n',
  });
  const storeDir = path.join(dir, '.sleeptime');
  const first = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(first.files.parsed, 3);
  const { store } = await Store.open(storeDir, { root: dir });
  const tool = store.files().get('bin/tool')!;
  assert.equal(tool.language, 'ruby');
  assert.deepEqual(tool.defs.map((d) => d.name), ['run']);
  assert.equal(store.files().get('NOTICE')!.language, null);
  assert.match(store.notes().find((n) => n.id === 'architecture:overview')!.body, /executable `tool` \(`bin\/tool:1`\)/);
  const second = await analyze({ root: dir, storeDir, parseWorkers: 0 });
  assert.equal(second.files.parsed, 0);
  assert.equal(second.files.reused, 3);
});

test('a folder outside git is analyzed from a walk that honours .gitignore', async () => {
  const dir = makeRepo({ ...FILES, '.gitignore': 'ignored/\n', 'ignored/secret.ts': 'export const x = 1;\n' });
  const stats = await analyze({ root: dir, parseWorkers: 0 });
  assert.equal(stats.files.seen, Object.keys(FILES).length + 1);
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  assert.ok(!store.files().has('ignored/secret.ts'));
});

test('a cancelled run keeps its progress and the next run resumes from it', async () => {
  const dir = makeRepo();
  const controller = new AbortController();
  controller.abort();
  const cancelled = await analyze({ root: dir, parseWorkers: 0, signal: controller.signal });
  assert.equal(cancelled.cancelled, true);
  const resumed = await analyze({ root: dir, parseWorkers: 0 });
  assert.equal(resumed.cancelled, undefined);
  assert.equal(resumed.files.parsed + resumed.files.reused, resumed.files.seen);
  assert.ok((resumed.notes.architecture ?? 0) > 0);
});

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [distPath('cli.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the CLI reports bad input in one line, without a stack trace', () => {
  const missing = path.join(os.tmpdir(), 'sleeptime-no-such-folder');
  for (const args of [['analyze', missing], ['notes', missing], ['ask', missing, 'why?'], ['frobnicate'], ['analyze', '--workers', 'x']]) {
    const r = cli(args);
    assert.equal(r.code, 1, `${args.join(' ')} exits 1`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^sleeptime: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  const empty = makeRepo({ 'a.ts': 'export const a = 1;\n' });
  const r = cli(['ask', empty, 'what?']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /run sleeptime analyze/);

  // A store written by an older Sleeptime is replaced when opened: `notes` says what to run instead of printing nothing.
  assert.equal(cli(['analyze', empty]).code, 0);
  const manifest = path.join(empty, '.sleeptime', 'manifest.json');
  fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), schemaVersion: 1 }));
  const old = cli(['notes', empty]);
  assert.equal(old.code, 1);
  assert.match(old.stderr, /schema 1/);
  assert.match(old.stderr.trim().split('\n').at(-1) ?? '', /^sleeptime: no notes for .*: run sleeptime analyze /);
  assert.equal(old.stdout, '');
});

test('analyze --json and ask --json print the documented shapes', () => {
  const dir = makeRepo();
  const a = cli(['analyze', dir, '--json']);
  assert.equal(a.code, 0, a.stderr);
  const stats = JSON.parse(a.stdout);
  assert.deepEqual(Object.keys(stats.files).sort(), ['parsed', 'reused', 'seen', 'skipped']);
  assert.equal(typeof stats.symbols, 'number');
  assert.equal(typeof stats.peakRssMb, 'number');
  assert.equal(typeof stats.ms.parse, 'number');
  const q = cli(['ask', dir, 'Where is the Greeter class defined?', '--json', '--budget', '800', '--offline']);
  assert.equal(q.code, 0, q.stderr);
  const answer = JSON.parse(q.stdout);
  assert.equal(answer.budgetTokens, 800);
  assert.ok(answer.contextTokens <= 800);
  assert.equal(answer.files[0].path, 'src/greeter.ts');
  for (const n of answer.notes) for (const k of ['id', 'kind', 'title', 'path', 'startLine', 'endLine']) assert.ok(k in n);
  assert.equal(typeof answer.answer, 'string');
  assert.ok(fs.existsSync(path.join(dir, '.sleeptime', 'derived-search-index.txt')), 'ask leaves its search index for the next ask');
  const again = JSON.parse(cli(['ask', dir, 'Where is the Greeter class defined?', '--json', '--budget', '800', '--offline']).stdout);
  assert.deepEqual({ ...again, latencyMs: 0 }, { ...answer, latencyMs: 0 }, 'the next ask loads it and answers the same');
  const plain = cli(['ask', dir, 'Where is the Greeter class defined?', '--offline']);
  assert.equal(plain.stdout.split('Answered offline').length - 1, 1, 'the answer is printed once');
  assert.match(plain.stdout, /-- offline answer: \d+\/2000 context tokens/);
  const listed = cli(['notes', dir]).stdout.trim().split('\n');
  assert.ok(listed.some((l) => l.startsWith('[bug] ')), 'the fixture has bug notes');
  for (const line of listed) {
    const places = line.match(/[\w./-]+\.\w+:\d+/g) ?? [];
    assert.equal(new Set(places).size, places.length, `each place once: ${line}`);
  }
});

test('analyze brings in the model notes of a committed notes file, and marks them stale when their code changes', async () => {
  const a = makeRepo();
  await analyze({ root: a, parseWorkers: 0 });
  const { store } = await Store.open(path.join(a, '.sleeptime'), { root: a });
  const hash = store.files().get('src/greeter.ts')!.hash;
  const qa = {
    id: 'qa:src:how-greet', kind: 'qa' as const, title: 'How does Greeter greet?', body: 'It returns `hi <name>` (src/greeter.ts:4).',
    evidence: [{ path: 'src/greeter.ts', startLine: 4, endLine: 6 }], dependsOn: { 'src/greeter.ts': hash },
    origin: 'llm:test-model', stale: false, createdAt: new Date().toISOString(), meta: { question: 'How does Greeter greet?' },
  };
  await store.save({ notes: [...store.notes(), qa] });
  const exported = cli(['export', a, '--out', path.join(a, 'sleeptime-notes.json')]);
  assert.equal(exported.code, 0, exported.stderr);

  const b = makeRepo();
  fs.copyFileSync(path.join(a, 'sleeptime-notes.json'), path.join(b, 'sleeptime-notes.json'));
  await analyze({ root: b, parseWorkers: 0 });
  const imported = (await Store.open(path.join(b, '.sleeptime'), { root: b })).store.notes().find((n) => n.id === qa.id);
  assert.ok(imported, 'the model note came in with the notes file');
  assert.equal(imported.stale, false);

  fs.appendFileSync(path.join(b, 'src/greeter.ts'), '// changed\n');
  await analyze({ root: b, parseWorkers: 0 });
  const after = (await Store.open(path.join(b, '.sleeptime'), { root: b })).store.notes().find((n) => n.id === qa.id);
  assert.equal(after?.stale, true);
});

test('a session re-reads only what the watcher reports, keeps the graph for body edits and rebuilds it for new imports', async () => {
  const dir = makeRepo();
  await gitCommitAll(dir);
  const session = await AnalysisSession.open({ root: dir });
  await session.run({ parseWorkers: 0 });

  fs.writeFileSync(path.join(dir, 'src/util.ts'), '// Clamp helpers.\n\n' + FILES['src/util.ts']);
  const edit = await session.run({ parseWorkers: 0, changed: ['src/util.ts'] });
  assert.equal(edit.files.parsed, 1);
  let notes = (await Store.open(path.join(dir, '.sleeptime'), { root: dir })).store.notes();
  const card = notes.find((n) => n.id === 'file:src/util.ts')!;
  assert.match(card.body, /`src\/util.ts:3`/, 'the card follows the function to its new line');

  fs.writeFileSync(path.join(dir, 'src/index.ts'), "import { clamp } from './util';\n" + FILES['src/index.ts'].replace('greet()', 'greet(); clamp(1, 0, 2)'));
  const reshaped = await session.run({ parseWorkers: 0, changed: ['src/index.ts'] });
  assert.equal(reshaped.files.parsed, 1);
  notes = (await Store.open(path.join(dir, '.sleeptime'), { root: dir })).store.notes();
  assert.match(notes.find((n) => n.id === 'file:src/util.ts')!.body, /Used by 1 file: `src\/index.ts`/);

  fs.writeFileSync(path.join(dir, 'src/extra.ts'), 'export const extra = 1;\n');
  const added = await session.run({ parseWorkers: 0, changed: ['src/extra.ts'] });
  assert.equal(added.files.parsed, 1);
  assert.equal(added.files.seen, Object.keys(FILES).length + 1);
});

test('a session reads the history again once HEAD moves', async () => {
  const dir = makeRepo();
  await gitCommitAll(dir);
  const session = await AnalysisSession.open({ root: dir });
  const commits = async (): Promise<number | undefined> =>
    (await Store.open(path.join(dir, '.sleeptime'), { root: dir })).store.structure<{ history?: { totalCommits: number } }>()?.history?.totalCommits;
  await session.run({ parseWorkers: 0 });
  assert.equal(await commits(), 1);
  const util = path.join(dir, 'src/util.ts');
  fs.appendFileSync(util, '// edited\n');
  await session.run({ parseWorkers: 0, changed: ['src/util.ts'] });
  assert.equal(await commits(), 1);
  await simpleGit(dir).add('.');
  await simpleGit(dir).commit('fix: clamp');
  fs.appendFileSync(util, '// edited again\n');
  await session.run({ parseWorkers: 0, changed: ['src/util.ts'] });
  assert.equal(await commits(), 2, 'the new commit is seen');
});

test('a history read by an older version, without its past commits, is read again', async () => {
  const dir = makeRepo();
  await gitCommitAll(dir);
  await (await AnalysisSession.open({ root: dir })).run({ parseWorkers: 0 });
  const storeDir = path.join(dir, '.sleeptime');
  const subjects = async (): Promise<string[] | undefined> =>
    (await Store.open(storeDir, { root: dir })).store.structure<StoredStructure>()?.history?.commits?.map((c) => c.subject);
  assert.deepEqual(await subjects(), ['initial']);
  const { store } = await Store.open(storeDir, { root: dir });
  const structure = store.structure<StoredStructure>()!;
  await store.save({ structure: { ...structure, history: { ...structure.history!, commits: undefined } } });
  assert.equal(await subjects(), undefined);
  fs.appendFileSync(path.join(dir, 'src/util.ts'), '// edited\n');
  await (await AnalysisSession.open({ root: dir })).run({ parseWorkers: 0, changed: ['src/util.ts'] });
  assert.deepEqual(await subjects(), ['initial']);
});

test('after body edits, the test-hook notes of a session equal those of a fresh analysis', async () => {
  const files: Record<string, string> = {
    ...FILES,
    'tests/conftest.py': 'import pytest\n\n\ndef db():\n    return {}\n',
    'tests/test_report.py': 'from tools.report import report\n\n\ndef test_report():\n    assert report() == []\n',
  };
  const dir = makeRepo(files);
  await gitCommitAll(dir);
  const session = await AnalysisSession.open({ root: dir });
  await session.run({ parseWorkers: 0 });
  const testHooks = async (storeDir: string): Promise<string> => {
    const notes = (await Store.open(storeDir, { root: dir })).store.notes().filter((n) => n.kind === 'test-hook');
    return JSON.stringify(notes.map(({ createdAt: _, ...n }) => n));
  };
  const edits: [string, string][] = [
    // An untested exported function moves two lines down: the untested-symbol note must follow it.
    ['src/util.ts', '\n\n' + FILES['src/util.ts']],
    // A test body changes; its names and imports do not.
    ['test/greeter.test.ts', FILES['test/greeter.test.ts'] + "new Greeter('u').greet();\n"],
    // A helper becomes a pytest fixture: same names, but the fixtures note reads the decorator.
    ['tests/conftest.py', 'import pytest\n\n@pytest.fixture\ndef db():\n    return {}\n'],
  ];
  for (const [file, text] of edits) {
    fs.writeFileSync(path.join(dir, file), text);
    const stats = await session.run({ parseWorkers: 0, changed: [file] });
    assert.equal(stats.files.parsed, 1);
    const fresh = tempDir('fresh-');
    await analyze({ root: dir, storeDir: fresh, parseWorkers: 0 });
    assert.equal(await testHooks(path.join(dir, '.sleeptime')), await testHooks(fresh), `test-hook notes after editing ${file}`);
  }
  const notes = (await Store.open(path.join(dir, '.sleeptime'), { root: dir })).store.notes();
  assert.match(notes.find((n) => n.id === 'test-hook:untested')!.body, /`clamp` \(function\) src\/util\.ts:3/);
  assert.match(notes.find((n) => n.id === 'test-hook:fixtures')!.body, /pytest fixture `db`/);
});

test('binary, minified and generated files are skipped by content, on a first run and when an edit makes them so', async () => {
  const dir = makeRepo({
    ...FILES,
    'src/blob.ts': 'export const a = 1;\0\0\0\n',
    'src/gen.ts': '// @generated by a tool\nexport const x = 1;\n',
    'src/bundle.js': 'var a=1;'.repeat(700),
    // A bundle behind a header of short lines: only the whole file's average line length gives it away.
    'src/packed.js': `${'// a header line 20\n'.repeat(200)}${'var a=1;'.repeat(12_000)}\n`,
    // Written by hand: a doc block of aligned lines 400 characters wide runs a long average line, not a long line.
    'src/Wide.php': `<?php\n/**\n${` * @method bool isMonday()${' '.repeat(360)}Checks the day.\n`.repeat(60)} */\nclass Wide {}\n`,
  });
  await gitCommitAll(dir);
  const session = await AnalysisSession.open({ root: dir });
  const first = await session.run({ parseWorkers: 2 });
  assert.deepEqual(first.files.skipped, { binary: 1, generated: 1, minified: 2 });
  assert.equal(first.files.seen, Object.keys(FILES).length + 1);

  fs.writeFileSync(path.join(dir, 'src/util.ts'), '\0'.repeat(64));
  const edit = await session.run({ parseWorkers: 0, changed: ['src/util.ts'] });
  assert.deepEqual(edit.files.skipped, { binary: 2, generated: 1, minified: 2 });
  assert.equal(edit.files.parsed, 0);
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  assert.deepEqual([...store.files().keys()].filter((p) => p.startsWith('src/')).sort(), ['src/Wide.php', 'src/greeter.ts', 'src/index.ts']);
  assert.ok(!store.notes().some((n) => n.evidence.some((e) => e.path === 'src/util.ts')), 'no note cites the now-binary file');
});

test('the notes do not depend on the order parse workers finish in', async () => {
  const files: Record<string, string> = { ...FILES };
  for (let i = 0; i < 60; i++) {
    const next = (i + 1) % 60;
    files[`src/gen/mod${i}.ts`] = `import { f${next} } from './mod${next}';\n\n/** Step ${i}. */\nexport function f${i}(n: number): number {\n  return n > 0 ? f${next}(n - 1) : ${i};\n}\n`;
  }
  const dir = makeRepo(files);
  const strip = (notes: { createdAt: string }[]): string => JSON.stringify(notes.map(({ createdAt: _, ...n }) => n));
  const runs: string[] = [];
  for (const parseWorkers of [0, 2]) {
    const storeDir = tempDir('order-');
    await analyze({ root: dir, storeDir, parseWorkers });
    runs.push(strip((await Store.open(storeDir, { root: dir })).store.notes()));
  }
  assert.equal(runs[0], runs[1]);
});

test('analyze resolves PHP use statements through composer.json\'s PSR-4 roots', async () => {
  const dir = makeRepo({
    'composer.json': JSON.stringify({ autoload: { 'psr-4': { 'Acme\\Shop\\': 'src/' } } }),
    'src/Models/Order.php': '<?php\nnamespace Acme\\Shop\\Models;\n\nclass Order\n{\n    public function total() { return 1; }\n}\n',
    'src/Legacy/Order.php': '<?php\nnamespace Acme\\Shop\\Legacy;\n\nclass Order\n{\n    public function sum() { return 2; }\n}\n',
    'src/Http/Checkout.php': '<?php\nnamespace Acme\\Shop\\Http;\n\nuse Acme\\Shop\\Models\\Order;\n\nclass Checkout\n{\n    public function run() { return new Order(); }\n}\n',
  });
  await analyze({ root: dir, parseWorkers: 0 });
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const card = store.notes().find((n) => n.id === 'file:src/Models/Order.php');
  assert.ok(card, 'the imported class gets a file card');
  assert.match(card.body, /src\/Http\/Checkout\.php/, 'its importer is named');
  const rank = store.structure<{ fileRank: Record<string, number> }>()?.fileRank ?? {};
  assert.ok(rank['src/Models/Order.php'] > rank['src/Legacy/Order.php'], 'the class the use statement names, not its namesake');
  const legacy = store.notes().find((n) => n.id === 'file:src/Legacy/Order.php');
  assert.doesNotMatch(legacy?.body ?? '', /Checkout/);
});

test('analyze resolves a monorepo\'s imports of its own packages by name', async () => {
  const dir = makeRepo({
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'packages/util/package.json': JSON.stringify({ name: '@mono/util', main: 'dist/index.js' }),
    'packages/util/src/index.ts': "export * from './strings';\n",
    'packages/util/src/strings.ts': 'export function shout(s: string): string {\n  return s.toUpperCase();\n}\n',
    'packages/app/src/main.ts': "import { shout } from '@mono/util';\n\nexport function greet(name: string): string {\n  return shout(name);\n}\n",
  });
  await analyze({ root: dir, parseWorkers: 0 });
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const rank = store.structure<{ fileRank: Record<string, number> }>()?.fileRank ?? {};
  assert.ok(rank['packages/util/src/strings.ts'] > rank['packages/app/src/main.ts'], 'main.ts uses strings.ts through the package');
  const card = store.notes().find((n) => n.id === 'file:packages/util/src/strings.ts');
  assert.match(card?.body ?? '', /packages\/app\/src\/main\.ts/);
});

test('file cards and the overview leave out the banner every file opens with', async () => {
  const banner = '// ⚡️ Acme is a web framework inspired by Express\n// 📌 API Documentation: https://docs.acme.io\n\npackage acme\n\n';
  const files: Record<string, string> = { 'go.mod': 'module example.com/acme\n\ngo 1.21\n' };
  for (const name of ['app', 'ctx', 'group', 'mount', 'listen']) files[`${name}.go`] = `${banner}func ${name}Start() {}\n`;
  files['path.go'] = banner.replace('\n\npackage', '\n// This path parser was inspired by urlpath.\n\npackage') + 'func parsePath() {}\n';
  const dir = makeRepo(files);
  await analyze({ root: dir, parseWorkers: 0 });
  const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
  const notes = store.notes();
  for (const n of notes) assert.doesNotMatch(n.body, /web framework inspired/, n.id);
  assert.match(notes.find((n) => n.id === 'file:path.go')!.body, /This path parser was inspired by urlpath/);
});
