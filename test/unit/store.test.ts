import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readDerived, SCHEMA_VERSION, Store, writeDerived, type CachedFile } from '../../src/core/store/store';
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

  it('derived data is read back only under the key it was saved with', async () => {
    const dir = await saved();
    assert.equal(readDerived(dir, 'search-index', 'k1'), undefined);
    await writeDerived(dir, 'search-index', 'k1', '{"a":\n1}');
    assert.equal(readDerived(dir, 'search-index', 'k1'), '{"a":\n1}');
    assert.equal(readDerived(dir, 'search-index', 'k2'), undefined);
    assert.equal(readDerived(dir, 'other', 'k1'), undefined);
    const file = fs.readdirSync(dir).find((n) => n.startsWith('derived-search-index'))!;
    fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(dir, file)).subarray(0, 5));
    assert.equal(readDerived(dir, 'search-index', 'k1'), undefined, 'a cut-off file is no entry');
    await writeDerived(dir, 'search-index', 'k1', '{"a":\n1}');
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.tmp-')), []);
    const reopened = await Store.open(dir, { root: path.dirname(dir) });
    assert.deepEqual(reopened.warnings, [], 'derived data is not mistaken for a broken store');
  });

  it('a later open in the same process reuses the data files it parsed, and reads those that changed', async () => {
    const dir = freshDir();
    const { store } = await Store.open(dir, { root: path.dirname(dir) });
    const files = new Map<string, CachedFile>();
    for (let i = 0; i < 40; i++) files.set(`src/f${i}.ts`, { ...file, path: `src/f${i}.ts`, hash: `h${i}` });
    await store.save({ files, notes: [note], structure: { k: 1 }, head: 'h1' });
    const first = (await Store.open(dir, { root: path.dirname(dir) })).store;
    const edited = { ...files.get('src/f7.ts')!, hash: 'changed' };
    await store.save({ files: new Map([...files, [edited.path, edited]]), head: 'h1' });
    const second = (await Store.open(dir, { root: path.dirname(dir) })).store;
    assert.equal(second.files().get('src/f7.ts')!.hash, 'changed');
    assert.notEqual(second.files().get('src/f7.ts'), first.files().get('src/f7.ts'));
    const reused = [...files.keys()].filter((p) => second.files().get(p) === first.files().get(p));
    assert.ok(reused.length >= 30, `unchanged shards are not parsed again (${reused.length} of 40 files shared)`);
    assert.equal(second.notes()[0], first.notes()[0]);
  });

  it('clear empties the store', async () => {
    const dir = await saved();
    await writeDerived(dir, 'search-index', 'k', 'x');
    const { store } = await Store.open(dir, { root: path.dirname(dir) });
    await store.clear();
    assert.equal(readDerived(dir, 'search-index', 'k'), undefined);
    assert.equal(store.files().size, 0);
    const reopened = await Store.open(dir, { root: path.dirname(dir) });
    assert.deepEqual(reopened.warnings, []);
    assert.equal(reopened.store.files().size, 0);
  });

  describe('incremental saves', () => {
    const many = (k: number): { files: Map<string, CachedFile>; notes: Note[] } => {
      const files = new Map<string, CachedFile>();
      const notes: Note[] = [];
      for (let i = 0; i < k; i++) {
        const p = `src/m${i}.ts`;
        files.set(p, { ...file, path: p, hash: `h${i}` });
        notes.push({ ...note, id: `file:${p}`, title: `m${i}`, dependsOn: { [p]: `h${i}` } });
      }
      return { files, notes };
    };
    /** Name and inode of every file in the store: a rewrite (temp + rename) gets a new inode. */
    const snapshot = (dir: string): Map<string, number> =>
      new Map(fs.readdirSync(dir).filter((f) => f !== 'manifest.json').map((f) => [f, fs.statSync(path.join(dir, f)).ino]));
    const written = (before: Map<string, number>, after: Map<string, number>): string[] =>
      [...after].filter(([f, ino]) => before.get(f) !== ino).map(([f]) => f.replace(/-[0-9a-f]{12}\.json$/, '')).sort();

    async function bigStore(): Promise<{ dir: string; store: Store; files: Map<string, CachedFile>; notes: Note[] }> {
      const dir = freshDir();
      const { store } = await Store.open(dir, { root: path.dirname(dir) });
      const { files, notes } = many(300);
      await store.save({ files, notes, structure: { k: 1 }, head: 'h1' });
      return { dir, store, files, notes };
    }

    it('spreads entries over shards and writes only the shards whose entries changed', async () => {
      const { dir, store, files, notes } = await bigStore();
      assert.ok(dataFiles(dir, 'files').length > 20 && dataFiles(dir, 'notes').length > 20, 'sharded');
      const structure = store.structure();
      const before = snapshot(dir);

      const nextFiles = new Map(files);
      nextFiles.set('src/m7.ts', { ...files.get('src/m7.ts')!, hash: 'changed' });
      const nextNotes = notes.map((n) => (n.id === 'file:src/m9.ts' ? { ...n, body: 'changed' } : n));
      await store.save({ files: nextFiles, notes: nextNotes, structure, head: 'h2' });
      const after = snapshot(dir);
      assert.deepEqual(written(before, after), ['files', 'notes'], 'one files shard and one notes shard');
      assert.equal(after.size, before.size, 'the replaced shards were deleted');

      const reopened = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(reopened.warnings, []);
      assert.equal(reopened.store.files().get('src/m7.ts')?.hash, 'changed');
      assert.deepEqual(reopened.store.notes(), nextNotes, 'notes keep their order');
      assert.deepEqual([...reopened.store.files().keys()], [...nextFiles.keys()].sort());
      assert.equal(reopened.store.info()?.head, 'h2');
    });

    it('writes nothing but the manifest when entries are equal copies, or after loading', async () => {
      const { dir, files, notes } = await bigStore();
      const before = snapshot(dir);
      const { store } = await Store.open(dir, { root: path.dirname(dir) });
      await store.save({ files: new Map(store.files()), notes: [...store.notes()], structure: store.structure() });
      assert.deepEqual(written(before, snapshot(dir)), [], 'loaded objects are reused');
      const copies = new Map([...files].map(([k, f]) => [k, structuredClone(f)]));
      await store.save({ files: copies, notes: notes.map((n) => structuredClone(n)), structure: { k: 1 } });
      assert.deepEqual(written(before, snapshot(dir)), [], 'equal content is not rewritten');
      await store.save({ structure: { k: 2 } });
      assert.deepEqual(written(before, snapshot(dir)), ['structure']);
    });

    it('a new note order rewrites no shard and reloads in that order', async () => {
      const { dir, store, notes } = await bigStore();
      const before = snapshot(dir);
      const reversed = [...notes].reverse();
      await store.save({ notes: reversed });
      const reopened = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(reopened.store.notes(), reversed);
      // Each shard's content is its notes in order, so reversing rewrites the shards holding two or more.
      assert.ok(written(before, snapshot(dir)).every((k) => k === 'notes'));
    });

    it('a crash before the manifest leaves the old store intact; its files are removed later', async () => {
      const { dir, notes } = await bigStore();
      const oldFiles = new Set(fs.readdirSync(dir));
      // Produce the shards of a newer save in a copy, then put them (not its manifest) next to the old store.
      const copy = freshDir();
      fs.cpSync(dir, copy, { recursive: true });
      const { store: other } = await Store.open(copy, { root: path.dirname(copy) });
      await other.save({ notes: notes.map((n) => ({ ...n, body: `${n.body} v2` })) });
      const orphans = fs.readdirSync(copy).filter((f) => !oldFiles.has(f));
      assert.ok(orphans.length > 20);
      for (const f of orphans) if (f !== 'manifest.json') fs.copyFileSync(path.join(copy, f), path.join(dir, f));
      fs.writeFileSync(path.join(dir, 'notes-0123456789ab.json.tmp-1-deadbeef'), '[{"id":');

      const { store, warnings } = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(warnings, []);
      assert.deepEqual(store.notes(), notes);

      // Young orphans may belong to a save under way and are kept; old ones go on the next save.
      await store.save({ head: 'h2' });
      assert.ok(fs.existsSync(path.join(dir, 'notes-0123456789ab.json.tmp-1-deadbeef')));
      const old = new Date(Date.now() - 3_600_000);
      for (const f of fs.readdirSync(dir)) if (!oldFiles.has(f)) fs.utimesSync(path.join(dir, f), old, old);
      await store.save({ head: 'h3' });
      assert.deepEqual(new Set(fs.readdirSync(dir)), oldFiles);
      assert.deepEqual((await Store.open(dir, { root: path.dirname(dir) })).store.notes(), notes);
    });

    it('a writer whose shards another writer replaced rewrites them', async () => {
      const { dir, files, notes } = await bigStore();
      const a = (await Store.open(dir, { root: path.dirname(dir) })).store;
      const b = (await Store.open(dir, { root: path.dirname(dir) })).store;
      await b.save({ files: new Map([...files].map(([k, f]) => [k, { ...f, hash: 'b' }])), notes: [], structure: { k: 'b' } });
      await a.save({ files: a.files(), notes: a.notes(), structure: a.structure(), head: 'a' });
      const reopened = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(reopened.warnings, []);
      assert.deepEqual(reopened.store.notes(), notes);
      assert.deepEqual(reopened.store.structure(), { k: 1 });
      assert.equal(reopened.store.files().get('src/m1.ts')?.hash, 'h1');
    });

    it('saves of one instance started together run in turn', async () => {
      const { dir, store, notes } = await bigStore();
      const edit = (id: string): Note[] => notes.map((n) => (n.id === id ? { ...n, body: id } : n));
      await Promise.all([store.save({ notes: edit('file:src/m1.ts') }), store.save({ notes: edit('file:src/m2.ts') })]);
      const reopened = await Store.open(dir, { root: path.dirname(dir) });
      assert.deepEqual(reopened.warnings, []);
      assert.deepEqual(reopened.store.notes(), edit('file:src/m2.ts'));
    });

    it('a reader retries when a save replaces the store while it reads', async (t) => {
      const { dir, store, notes } = await bigStore();
      const v2 = notes.map((n) => ({ ...n, body: 'v2' }));
      const readFile = fs.promises.readFile;
      let saving: Promise<void> | undefined;
      // Run a save (which deletes the shards it replaces) between the reader's manifest and shard reads.
      t.mock.method(fs.promises, 'readFile', async (...args: Parameters<typeof readFile>) => {
        if (String(args[0]).includes(`${path.sep}notes-`)) await (saving ??= store.save({ notes: v2 }));
        return readFile(...args);
      });
      const { store: read, warnings } = await Store.open(dir, { root: path.dirname(dir) });
      assert.ok(saving, 'the save ran while reading');
      assert.deepEqual(warnings, []);
      assert.deepEqual(read.notes(), v2);
    });

    it('replaces a store of the previous schema and removes its files', async () => {
      const dir = freshDir();
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ schemaVersion: 2, toolVersion: '0', root: tmpRoot, createdAt: 'x', updatedAt: 'x' }));
      for (const f of ['files.json', 'notes.json', 'structure.json']) fs.writeFileSync(path.join(dir, f), '[]');
      const { store, warnings } = await Store.open(dir, { root: path.dirname(dir) });
      assert.match(warnings[0], /schema 2/);
      await store.save({ notes: [note] });
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !/-[0-9a-f]{12}\.json$/.test(f)), ['manifest.json']);
    });
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
