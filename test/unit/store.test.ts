import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SCHEMA_VERSION, Store, type CachedFile } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-store-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => path.join(tmpRoot, `s${n++}`, '.sleeptime');

const file: CachedFile = {
  path: 'src/a.ts', language: 'typescript', hash: 'abc', bytes: 10, lines: 1, defs: [], refs: [], imports: [], bugs: [],
  size: 10, mtimeMs: 123,
};
const note: Note = {
  id: 'file:src/a.ts', kind: 'file', title: 'a', body: 'see src/a.ts:1', evidence: [{ path: 'src/a.ts', startLine: 1, endLine: 1 }],
  dependsOn: { 'src/a.ts': 'abc' }, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00.000Z',
};

const dataFiles = (dir: string, kind: string): string[] => fs.readdirSync(dir).filter((f) => f.startsWith(`${kind}-`)).sort();
const onlyShard = (dir: string, kind: string): string => {
  const [name, ...more] = dataFiles(dir, kind);
  assert.ok(name && more.length === 0, `one ${kind} shard in ${dir}`);
  return path.join(dir, name);
};
const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, 'utf8'));

async function saved(): Promise<string> {
  const dir = freshDir();
  const { store } = await Store.open(dir, { root: path.dirname(dir) });
  await store.save({ files: new Map([[file.path, file]]), notes: [note], structure: { k: 1 }, head: 'h1' });
  return dir;
}

describe('Store', () => {
  it('opens a missing store empty without writing anything', async () => {
    const dir = freshDir();
    const { store, warnings } = await Store.open(dir, { root: tmpRoot });
    assert.deepEqual(warnings, []);
    assert.equal(store.files().size, 0);
    assert.deepEqual(store.notes(), []);
    assert.equal(store.structure(), undefined);
    assert.equal(fs.existsSync(dir), false);
  });

  it('round-trips files, notes, structure and manifest', async () => {
    const dir = await saved();
    assert.deepEqual(fs.readdirSync(dir).map((f) => f.replace(/-[0-9a-f]{12}\.json$/, '')).sort(), ['.gitignore', 'files', 'manifest.json', 'notes', 'structure']);
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').trim(), '*');
    const { store, warnings } = await Store.open(dir, { root: path.dirname(dir) });
    assert.deepEqual(warnings, []);
    assert.deepEqual(store.files().get('src/a.ts'), file);
    assert.deepEqual(store.notes(), [note]);
    assert.deepEqual(store.structure<{ k: number }>(), { k: 1 });
    assert.equal(store.info()?.head, 'h1');
    assert.equal(store.info()?.schemaVersion, SCHEMA_VERSION);

    await store.save({ notes: [] });
    const again = (await Store.open(dir, { root: path.dirname(dir) })).store;
    assert.deepEqual(again.notes(), []);
    assert.equal(again.files().size, 1, 'parts not given keep their value');
    assert.equal(again.info()?.head, 'h1');
  });

  const corruptions: [string, (dir: string) => void, RegExp][] = [
    ['truncated JSON', (d) => fs.writeFileSync(onlyShard(d, 'notes'), fs.readFileSync(onlyShard(d, 'notes'), 'utf8').slice(0, 20)), /not valid JSON/],
    ['garbage', (d) => fs.writeFileSync(onlyShard(d, 'files'), '\u0000\u0001garbage'), /not valid JSON/],
    ['wrong shape', (d) => fs.writeFileSync(onlyShard(d, 'files'), '[{"path":1}]'), /unexpected shape/],
    ['a note without a body', (d) => fs.writeFileSync(onlyShard(d, 'notes'), JSON.stringify([{ ...note, body: undefined }])), /unexpected shape/],
    ['a shard that is not an array', (d) => fs.writeFileSync(onlyShard(d, 'notes'), '{}'), /unexpected shape/],
    ['a note order that does not match', (d) => {
      const m = readJson(path.join(d, 'manifest.json'));
      fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...m, layout: { ...m.layout, noteOrder: [...m.layout.noteOrder, 0] } }));
    }, /note order/],
    ['a manifest naming a file outside the store', (d) => {
      const m = readJson(path.join(d, 'manifest.json'));
      fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...m, layout: { ...m.layout, structure: '../x.json' } }));
    }, /manifest.json has an unexpected shape/],
    ['older schema', (d) => {
      const m = readJson(path.join(d, 'manifest.json'));
      fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...m, schemaVersion: 0 }));
    }, /schema 0/],
    ['missing data file', (d) => fs.rmSync(onlyShard(d, 'structure')), /incomplete/],
    ['missing manifest', (d) => fs.rmSync(path.join(d, 'manifest.json')), /incomplete/],
  ];
  for (const [name, corrupt, why] of corruptions) {
    it(`rebuilds after ${name} with one warning`, async () => {
      const dir = await saved();
      corrupt(dir);
      const { store, warnings } = await Store.open(dir, { root: path.dirname(dir) });
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], why);
      assert.equal(store.files().size, 0);
      // Intact notes survive damage elsewhere; damaged notes, a lost manifest or another schema lose them.
      assert.deepEqual(store.notes(), ['garbage', 'wrong shape', 'missing data file'].includes(name) ? [note] : []);
      await store.save({ notes: [note] });
      const reopened = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(reopened.warnings, []);
      assert.deepEqual(reopened.store.notes(), [note]);
      assert.equal(reopened.store.files().size, 0);
    });
  }

  it('a failed write leaves the old data and no temp files', async () => {
    const dir = await saved();
    const before = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    // Block the file the new structure would be written to.
    const name = `structure-${createHash('sha1').update(JSON.stringify({ k: 2 })).digest('hex').slice(0, 12)}.json`;
    fs.mkdirSync(path.join(dir, name, 'blocker'), { recursive: true });
    const { store } = await Store.open(dir, { root: path.dirname(dir) });
    await assert.rejects(store.save({ notes: [], structure: { k: 2 } }), /Sleeptime store .* could not be written/);
    assert.equal(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'), before);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
    const reopened = await Store.open(dir, { root: path.dirname(dir) });
    assert.deepEqual(reopened.warnings, []);
    assert.deepEqual(reopened.store.notes(), [note]);
  });

  it('save rejects with a clear message when the folder cannot be created', async () => {
    const blocker = path.join(tmpRoot, 'plainfile');
    fs.writeFileSync(blocker, 'x');
    const { store } = await Store.open(path.join(blocker, '.sleeptime'), { root: tmpRoot });
    await assert.rejects(store.save({ notes: [note] }), /Sleeptime store .*plainfile.* could not be written: ENOTDIR/);
  });

  it('clear empties the store', async () => {
    const dir = await saved();
    const { store } = await Store.open(dir, { root: path.dirname(dir) });
    await store.clear();
    assert.equal(store.files().size, 0);
    const reopened = await Store.open(dir, { root: path.dirname(dir) });
    assert.deepEqual(reopened.warnings, []);
    assert.equal(reopened.store.files().size, 0);
  });

  it('withWriteLock excludes a live holder, takes over a dead one, and releases', async () => {
    const dir = await saved();
    const { store } = await Store.open(dir, { root: path.dirname(dir) });
    const lock = path.join(dir, 'lock');
    const result = await store.withWriteLock(async () => {
      assert.equal(fs.existsSync(lock), true);
      await assert.rejects(store.withWriteLock(async () => 0), /being written by another process \(pid \d+\)/);
      return 42;
    });
    assert.equal(result, 42);
    assert.equal(fs.existsSync(lock), false);

    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'dead' }));
    assert.equal(await store.withWriteLock(async () => 'took over'), 'took over');
    assert.equal(fs.existsSync(lock), false);

    await assert.rejects(store.withWriteLock(async () => { throw new Error('boom'); }), /boom/);
    assert.equal(fs.existsSync(lock), false, 'released after a failure');
  });
});
