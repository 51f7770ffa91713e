import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runExport, runImport } from '../../src/cli/export';
import { silentLogger } from '../../src/core/logger';
import { importNotes } from '../../src/core/share/importNotes';
import { NOTES_FILE_FORMAT, parseNotesFile } from '../../src/core/share/notesFile';
import { Store } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';

const SECRET = 'AKIAIOSFODNN7EXAMPLQ';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

function note(p: Partial<Note> & Pick<Note, 'id' | 'kind'>): Note {
  return { title: p.id, body: `About ${p.id}.`, evidence: [], dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00.000Z', ...p };
}

async function storeNotes(root: string): Promise<Note[]> {
  return (await Store.open(path.join(root, '.sleeptime'), { root })).store.notes();
}

describe('export / import of notes across clones', () => {
  let tmp: string;
  let a: string;
  let b: string;
  let notes: Note[];

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-share-'));
    a = path.join(tmp, 'a');
    b = path.join(tmp, 'b');
    fs.mkdirSync(path.join(a, 'src'), { recursive: true });
    const srcA = 'export const a = 1;\n';
    const srcB = 'export function b(): number {\n  return 2;\n}\n';
    fs.writeFileSync(path.join(a, 'src/a.ts'), srcA);
    fs.writeFileSync(path.join(a, 'src/b.ts'), srcB);
    fs.writeFileSync(path.join(a, '.gitignore'), '.sleeptime/\n');
    git(a, 'init', '-q');
    git(a, 'add', '.');
    git(a, 'commit', '-q', '-m', 'init');
    notes = [
      note({ id: 'architecture:overview', kind: 'architecture', title: 'Architecture overview', body: '# Overview\n\nTwo modules: `src/a.ts:1` and `src/b.ts:1`.\n\n## Layers\n\n```sh\n# not a heading\n```', evidence: [{ path: 'src/a.ts', startLine: 1, endLine: 1 }], dependsOn: { 'src/a.ts': sha1(srcA), 'src/b.ts': sha1(srcB) } }),
      note({ id: 'file:src/a.ts', kind: 'file', title: 'src/a.ts', subject: 'src/a.ts', body: `Exports \`a\`. Example key ${SECRET} was found here.`, evidence: [{ path: 'src/a.ts', startLine: 1, endLine: 1 }], dependsOn: { 'src/a.ts': sha1(srcA) }, meta: { symbols: ['a'] } }),
      note({ id: 'bug:src/b.ts:2', kind: 'bug', title: 'Magic number in b', subject: 'src/b.ts', score: 0.7, body: 'Returns a constant (src/b.ts:2).', evidence: [{ path: 'src/b.ts', startLine: 2, endLine: 2 }], dependsOn: { 'src/b.ts': sha1(srcB) } }),
      note({ id: 'test-hook:repo', kind: 'test-hook', title: 'Run the tests', body: 'Run `npm test`.' }),
      note({ id: 'qa:what-does-b-return', kind: 'qa', title: 'What does b return?', origin: 'llm:test-model', body: 'Always 2 (src/b.ts:2).', evidence: [{ path: 'src/b.ts', startLine: 2, endLine: 2 }], dependsOn: { 'src/b.ts': sha1(srcB) } }),
      note({ id: 'file:src/gone.ts', kind: 'file', title: 'src/gone.ts', stale: true }),
    ];
    const { store } = await Store.open(path.join(a, '.sleeptime'), { root: a });
    await store.save({ notes });
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('exports a portable, redacted notes file keyed by HEAD and a markdown digest', async () => {
    const result = await runExport({ root: a, logger: silentLogger });
    assert.equal(result.notesFile, path.join(a, 'sleeptime-notes.json'));
    assert.equal(result.digestFile, path.join(a, 'sleeptime-notes.md'));
    assert.equal(result.commit, git(a, 'rev-parse', 'HEAD'));
    assert.equal(result.exported, 5);
    assert.equal(result.staleSkipped, 1);
    assert.equal(result.redactions, 1);
    assert.match(result.summary, /Exported 5 notes at [0-9a-f]{12}/);

    const raw = fs.readFileSync(result.notesFile!, 'utf8');
    assert.ok(!raw.includes(SECRET));
    const parsed = parseNotesFile(raw);
    assert.deepEqual(parsed.errors, []);
    const file = parsed.file!;
    assert.equal(file.format, NOTES_FILE_FORMAT);
    assert.equal(file.version, 1);
    assert.equal(file.commit, result.commit);
    assert.equal(file.toolVersion, JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version);
    assert.deepEqual(file.notes.map((n) => n.id), [...file.notes.map((n) => n.id)].sort());
    assert.deepEqual(file.notes.find((n) => n.id === 'bug:src/b.ts:2'), notes[2]);

    const digest = fs.readFileSync(result.digestFile!, 'utf8');
    assert.ok(!digest.includes(SECRET));
    for (const heading of ['# Repository notes (Sleeptime)', '## Architecture overview', '## How to test', '## Likely bugs', '## Anticipated questions']) {
      assert.ok(digest.includes(heading), heading);
    }
    assert.match(digest, /\*\*Magic number in b\*\* \(src\/b\.ts:2\)/);
    assert.match(digest, /npm test/);
    assert.match(digest, /^### Overview$/m);
    assert.match(digest, /^#### Layers$/m);
    assert.match(digest, /^# not a heading$/m);
    assert.deepEqual(digest.split('\n').filter((l) => l.startsWith('# ')), ['# Repository notes (Sleeptime)', '# not a heading']);
  });

  it('imports into a second clone: notes intact, those of edited files marked stale', async () => {
    git(a, 'add', 'sleeptime-notes.json');
    git(a, 'commit', '-q', '-m', 'notes');
    git(tmp, 'clone', '-q', a, b);
    fs.writeFileSync(path.join(b, 'src/b.ts'), 'export function b(): number {\n  return 3;\n}\n');

    const result = await runImport({ root: b, logger: silentLogger });
    assert.equal(result.file, path.join(b, 'sleeptime-notes.json'));
    assert.deepEqual({ imported: result.imported, stale: result.stale, skipped: result.skipped }, { imported: 2, stale: 3, skipped: 0 });

    const got = new Map((await storeNotes(b)).map((n) => [n.id, n]));
    assert.equal(got.size, 5);
    const staleIds = [...got.values()].filter((n) => n.stale).map((n) => n.id).sort();
    assert.deepEqual(staleIds, ['architecture:overview', 'bug:src/b.ts:2', 'qa:what-does-b-return']);
    for (const original of notes.filter((n) => !n.stale && n.id !== 'file:src/a.ts')) {
      assert.deepEqual({ ...got.get(original.id)!, stale: false }, original);
    }
    assert.match(got.get('file:src/a.ts')!.body, /\[REDACTED:aws-access-key\]/);
  });

  it('keeps newer local notes and replaces older ones on re-import', async () => {
    const { store } = await Store.open(path.join(b, '.sleeptime'), { root: b });
    const mine = note({ id: 'test-hook:repo', kind: 'test-hook', title: 'Run the tests', body: 'Run `npm run test:unit`.', createdAt: '2030-01-01T00:00:00.000Z' });
    const old = note({ id: 'qa:what-does-b-return', kind: 'qa', body: 'Old local answer.', createdAt: '2000-01-01T00:00:00.000Z' });
    await store.save({ notes: [mine, old] });
    const result = await runImport({ root: b, logger: silentLogger });
    assert.equal(result.skipped, 1);
    const got = new Map((await storeNotes(b)).map((n) => [n.id, n]));
    assert.equal(got.get('test-hook:repo')!.body, 'Run `npm run test:unit`.');
    assert.equal(got.get('qa:what-does-b-return')!.body, 'Always 2 (src/b.ts:2).');
  });

  it('finds .github/sleeptime-notes.json and rejects unusable files without crashing', async () => {
    const c = path.join(tmp, 'c');
    fs.mkdirSync(path.join(c, '.github'), { recursive: true });
    fs.copyFileSync(path.join(a, 'sleeptime-notes.json'), path.join(c, '.github/sleeptime-notes.json'));
    const found = importNotes({ root: c, localNotes: [] });
    assert.equal(found.file, path.join(c, '.github/sleeptime-notes.json'));
    assert.equal(found.stale, 4); // src/ files are absent here
    assert.equal(found.imported, 1);

    const none = importNotes({ root: path.join(tmp, 'empty-nowhere'), localNotes: [] });
    assert.match(none.errors[0], /no notes file found/);
    await assert.rejects(runImport({ root: c, file: path.join(c, 'missing.json'), logger: silentLogger }), /cannot read/);

    fs.writeFileSync(path.join(c, 'garbage.json'), '{"format":"sleeptime-notes",');
    assert.match(importNotes({ root: c, file: 'garbage.json', localNotes: [] }).errors[0], /not JSON/);
    fs.writeFileSync(path.join(c, 'other.json'), JSON.stringify({ format: 'something-else', notes: [] }));
    assert.match(importNotes({ root: c, file: 'other.json', localNotes: [] }).errors[0], /not a sleeptime-notes v1 file/);

    const evil = { format: 'sleeptime-notes', version: 1, commit: null, createdAt: '2025-01-01T00:00:00.000Z', toolVersion: 'x', notes: [
      note({ id: 'evil', kind: 'file', dependsOn: { '../../etc/passwd': 'x' } }),
      { id: 'broken' },
      note({ id: 'fine', kind: 'qa' }),
    ] };
    fs.writeFileSync(path.join(c, 'evil.json'), JSON.stringify(evil));
    const r = importNotes({ root: c, file: 'evil.json', localNotes: [] });
    assert.deepEqual({ imported: r.imported, stale: r.stale, skipped: r.skipped }, { imported: 1, stale: 0, skipped: 2 });
    assert.deepEqual(r.notes.map((n) => n.id), ['fine']);
  });

  it('refuses to export an empty store', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    await assert.rejects(runExport({ root: empty, logger: silentLogger }), /run sleeptime analyze/);
  });
});
