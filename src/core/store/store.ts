import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import pkg from '../../../package.json';
import { silentLogger, type Logger } from '../logger';
import { memoized } from '../memo';
import type { FileAnalysis, Note } from '../types';

/** Bumped whenever the on-disk layout or a cached type changes incompatibly; older stores are rebuilt. */
export const SCHEMA_VERSION = 10;

/** A cheap token of the last save of the store in `dir` (undefined before the first): it changes with every save. */
export function storeStamp(dir: string): string | undefined {
  const st = fs.statSync(path.join(dir, MANIFEST), { throwIfNoEntry: false });
  return st ? `${st.mtimeMs}:${st.size}` : undefined;
}

/** The default store folder of a repository: `<root>/.sleeptime`. */
export function defaultStoreDir(root: string): string {
  return path.join(path.resolve(root), '.sleeptime');
}

/** A cached analysis with the file stat it was computed for. */
export interface CachedFile extends FileAnalysis {
  size: number;
  mtimeMs: number;
}

/** Contents of `manifest.json` besides its file layout. */
export interface StoreManifest {
  schemaVersion: number;
  toolVersion: string;
  root: string;
  createdAt: string;
  updatedAt: string;
  head?: string;
}

/** What {@link Store.save} writes; omitted parts keep their current value. */
export interface StoreUpdate {
  files?: Map<string, CachedFile>;
  notes?: Note[];
  structure?: unknown;
  head?: string;
}

/** Which data files hold the store; the manifest lists them, so replacing the manifest commits a save. */
interface Layout {
  /** File-cache shard file per shard index; null for an empty shard. */
  files: (string | null)[];
  /** Notes shard file per shard index; null for an empty shard. */
  notes: (string | null)[];
  /** Shard index of each note in order; each shard keeps its notes in that relative order. */
  noteOrder: number[];
  structure: string;
}

const MANIFEST = 'manifest.json';
const LOCK = 'lock';
const SHARDS = 64;
/** Unreferenced data files younger than this may belong to a save under way and are kept. */
const ORPHAN_GRACE_MS = 60_000;
const LEGACY_FILES = new Set(['files.json', 'notes.json', 'structure.json']);
const DATA_FILE = /^(?:files|notes|structure)-[0-9a-f]{12}\.json$/;
const DERIVED_FILE = /^derived-[\w-]+\.txt$/;
const TEMP_FILE = /\.tmp-\d+-[0-9a-f]{8}$/;

const manifestSchema = z.object({
  schemaVersion: z.number(),
  toolVersion: z.string(),
  root: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  head: z.string().optional(),
});
const shardList = (kind: string): z.ZodType<(string | null)[]> =>
  z.array(z.string().regex(new RegExp(`^${kind}-[0-9a-f]{12}\\.json$`)).nullable()).length(SHARDS);
const layoutSchema = z.object({
  files: shardList('files'),
  notes: shardList('notes'),
  noteOrder: z.array(z.number().int().min(0).max(SHARDS - 1)),
  structure: z.string().regex(/^structure-[0-9a-f]{12}\.json$/),
});

class StoreFormatError extends Error {}
class SchemaMismatchError extends StoreFormatError {}
class LockBusyError extends Error {}

/**
 * The on-disk store of one analyzed folder (`<root>/.sleeptime` by default). The file cache and the notes are
 * split into {@link SHARDS} shards by a hash of the path / note id; every data file is named by its content
 * hash and written once (temp file, fsync, rename), then `manifest.json` is replaced atomically to list them,
 * so a crash leaves the old or the new store whole. A save writes only the shards whose entries changed:
 * entries are treated as immutable, and a shard whose entries are the same objects as last saved or loaded
 * is skipped without serializing it.
 */
export class Store {
  private manifest: StoreManifest | undefined;
  private layout: Layout | undefined;
  private cachedFiles = new Map<string, CachedFile>();
  private cachedNotes: Note[] = [];
  private cachedStructure: unknown;
  /** Entries of each shard as last saved or loaded, in their serialized order. */
  private fileShards: CachedFile[][] = emptyShards();
  private noteShards: Note[][] = emptyShards();
  /** Saves of this instance run one after another. */
  private saving: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens (reads) the store in `dir`; writes nothing. A missing store opens empty; a corrupted, partial or
   * older-schema one opens empty (keeping intact notes unless the schema changed) with one warning and is
   * replaced on the next save. Callers report the returned warnings.
   */
  static async open(dir: string, opts: { root: string; logger?: Logger }): Promise<{ store: Store; warnings: string[] }> {
    const store = new Store(path.resolve(dir), path.resolve(opts.root), opts.logger ?? silentLogger);
    const warnings: string[] = [];
    try {
      await store.load();
    } catch (e) {
      store.reset();
      const why = e instanceof StoreFormatError ? e.message : `unreadable (${(e as Error).message})`;
      // Notes (model notes, imports) cannot be recomputed: keep them when their shards are intact.
      const kept = e instanceof SchemaMismatchError ? 0 : await store.salvageNotes();
      warnings.push(`Sleeptime store ${store.dir} was ${why}; it will be rebuilt${kept ? ` (its ${kept} notes kept)` : ''}.`);
    }
    return { store, warnings };
  }

  /** The cached per-file analyses by path. */
  files(): Map<string, CachedFile> {
    return this.cachedFiles;
  }

  /** The saved notes. */
  notes(): Note[] {
    return this.cachedNotes;
  }

  /** The saved structure value, as the orchestrator stored it. */
  structure<T>(): T | undefined {
    return this.cachedStructure as T | undefined;
  }

  /** True when another writer saved the store since this instance loaded or saved it. */
  changedOnDisk(): boolean {
    try {
      const onDisk = JSON.parse(fs.readFileSync(path.join(this.dir, MANIFEST), 'utf8')) as { updatedAt?: string };
      return onDisk.updatedAt !== this.manifest?.updatedAt;
    } catch {
      return false;
    }
  }

  /** The manifest of the last save, if the store exists. */
  info(): StoreManifest | undefined {
    return this.manifest;
  }

  /**
   * Writes the given parts: new shard and structure files first, then the manifest (the commit point), then
   * deletes data files no longer referenced. Only shards whose entries changed are written. Creates the store
   * folder and its `.gitignore` on first use. Rejects with a readable message when the folder is not writable.
   * Saves of one instance are queued; writers in other processes or instances must hold {@link withWriteLock}.
   */
  save(update: StoreUpdate): Promise<void> {
    const run = this.saving.then(() => this.write(update));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(update: StoreUpdate): Promise<void> {
    const old = this.layout;
    const files = update.files ?? this.cachedFiles;
    const notes = update.notes ?? this.cachedNotes;
    const structure = update.structure !== undefined ? update.structure : this.cachedStructure;
    let manifest: StoreManifest;
    let layout: Layout;
    let fileShards = this.fileShards;
    let noteShards = this.noteShards;
    let onDisk: Layout | undefined;
    try {
      if (!old) await this.create();
      onDisk = await this.readLayout();
      // Reuse only files the current manifest lists: another writer may have replaced (and deleted) ours.
      const present = new Set(old && onDisk ? layoutFiles(onDisk) : []);
      const writes = new Map<string, string>();
      if (update.files || !old) fileShards = shardFiles(files);
      let noteOrder = old?.noteOrder ?? [];
      if (update.notes || !old) {
        noteOrder = [];
        noteShards = shardNotes(notes, noteOrder);
      }
      const structureUnchanged = old !== undefined && structure === this.cachedStructure && present.has(old.structure);
      layout = {
        files: shardNames('files', fileShards, old && this.fileShards, old?.files, present, writes),
        notes: shardNames('notes', noteShards, old && this.noteShards, old?.notes, present, writes),
        noteOrder,
        structure: structureUnchanged ? old.structure : dataFile('structure', JSON.stringify(structure ?? null), present, writes),
      };
      await Promise.all([...writes].map(([name, text]) => this.writeAtomic(name, text)));
      if (writes.size) await syncDir(this.dir);
      const now = new Date().toISOString();
      manifest = {
        schemaVersion: SCHEMA_VERSION,
        toolVersion: pkg.version,
        root: this.root,
        createdAt: this.manifest?.createdAt ?? now,
        updatedAt: now,
      };
      const head = update.head ?? this.manifest?.head;
      if (head) manifest.head = head;
      await this.writeAtomic(MANIFEST, JSON.stringify({ ...manifest, layout }));
    } catch (e) {
      throw this.writeError(e);
    }
    this.manifest = manifest;
    this.layout = layout;
    this.fileShards = fileShards;
    this.noteShards = noteShards;
    this.cachedFiles = files;
    this.cachedNotes = notes;
    this.cachedStructure = structure;
    await this.removeUnreferenced(layout, [old, onDisk]);
  }

  /** Deletes the saved data (keeps the folder and its `.gitignore`); the store is empty afterwards. */
  async clear(): Promise<void> {
    try {
      await fs.promises.rm(path.join(this.dir, MANIFEST), { force: true });
      for (const name of await listDir(this.dir)) {
        if (isDataFile(name) || DERIVED_FILE.test(name)) await fs.promises.rm(path.join(this.dir, name), { force: true });
      }
    } catch (e) {
      throw this.writeError(e);
    }
    this.reset();
  }

  /**
   * Runs `fn` while holding the store's cross-process writer lock (a `lock` file holding the owner's pid,
   * taken over when that process is gone). Rejects at once when another live process holds it, unless
   * `waitMs` allows polling for it.
   */
  async withWriteLock<T>(fn: () => Promise<T>, opts: { waitMs?: number } = {}): Promise<T> {
    const lockPath = path.join(this.dir, LOCK);
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + (opts.waitMs ?? 0);
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      for (;;) {
        const owner = await tryCreateLock(lockPath, token);
        if (owner === undefined) break;
        if (!isAlive(owner)) {
          await fs.promises.rm(lockPath, { force: true });
          continue;
        }
        if (Date.now() >= deadline) {
          const pid = owner.pid > 0 ? `pid ${owner.pid}` : 'pid unknown';
          throw new LockBusyError(`Sleeptime store ${this.dir} is being written by another process (${pid}).`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (e) {
      throw e instanceof LockBusyError ? e : this.writeError(e);
    }
    try {
      return await fn();
    } finally {
      const held = await readLock(lockPath);
      if (held?.token === token) await fs.promises.rm(lockPath, { force: true });
    }
  }

  private reset(): void {
    this.manifest = undefined;
    this.layout = undefined;
    this.cachedFiles = new Map();
    this.cachedNotes = [];
    this.cachedStructure = undefined;
    this.fileShards = emptyShards();
    this.noteShards = emptyShards();
  }

  private async load(): Promise<void> {
    const manifestPath = path.join(this.dir, MANIFEST);
    for (let attempt = 0; ; attempt++) {
      const manifestText = await readOptional(manifestPath);
      if (manifestText === undefined) {
        if ((await listDir(this.dir)).some(isDataFile)) throw new StoreFormatError('incomplete (manifest.json missing)');
        return;
      }
      const raw = parseJson(manifestText, MANIFEST);
      const manifest = check(manifestSchema, raw, MANIFEST);
      if (manifest.schemaVersion !== SCHEMA_VERSION) {
        throw new SchemaMismatchError(`written with schema ${manifest.schemaVersion} (current ${SCHEMA_VERSION})`);
      }
      const layout = check(layoutSchema, (raw as { layout?: unknown }).layout, MANIFEST);
      const names = [...layout.files, ...layout.notes, layout.structure];
      // Data files are named by their content: one this process has parsed before need not be read again.
      const known = names.map((n) => (n === null ? undefined : parsedDataFiles.get(path.join(this.dir, n))));
      const texts = await Promise.all(names.map((n, i) => (n === null ? '[]' : known[i] !== undefined ? '' : readOptional(path.join(this.dir, n)))));
      if (texts.includes(undefined)) {
        // A writer may have committed a new store and removed the old files while this one was read.
        if (attempt < 2 && (await readOptional(manifestPath)) !== manifestText) continue;
        throw new StoreFormatError('incomplete (a data file is missing)');
      }
      const shard = <T>(i: number, ok: (o: Record<string, unknown>) => boolean): T[] => {
        if (known[i] !== undefined) return known[i] as T[];
        const value = parseJson(texts[i]!, names[i]!);
        if (!Array.isArray(value)) throw shapeError(names[i]!);
        return checkEach<T>(value, ok, names[i]!);
      };
      const fileShards = layout.files.map((_, i) => shard<CachedFile>(i, isCachedFile));
      const noteShards = layout.notes.map((_, i) => shard<Note>(SHARDS + i, isNote));
      const structure = known[2 * SHARDS] ?? parseJson(texts[2 * SHARDS]!, layout.structure);
      rememberDataFiles(this.dir, names, [...fileShards, ...noteShards, structure]);
      const notes = orderNotes(noteShards, layout.noteOrder);
      const all = fileShards.flat().sort(byPath);
      this.manifest = manifest;
      this.layout = layout;
      this.fileShards = fileShards;
      this.noteShards = noteShards;
      this.cachedFiles = new Map(all.map((f) => [f.path, f]));
      this.cachedNotes = notes;
      this.cachedStructure = structure ?? undefined;
      return;
    }
  }

  /** After a failed load: the notes alone, when the manifest and the notes shards are intact; how many were kept. */
  private async salvageNotes(): Promise<number> {
    try {
      const raw = parseJson((await readOptional(path.join(this.dir, MANIFEST))) ?? '', MANIFEST);
      const layout = check(layoutSchema, (raw as { layout?: unknown }).layout, MANIFEST);
      const shards = await Promise.all(
        layout.notes.map(async (name) => {
          if (name === null) return [];
          const value = parseJson((await readOptional(path.join(this.dir, name))) ?? '', name);
          if (!Array.isArray(value)) throw shapeError(name);
          return checkEach<Note>(value, isNote, name);
        }),
      );
      this.cachedNotes = orderNotes(shards, layout.noteOrder);
    } catch {
      this.cachedNotes = [];
    }
    return this.cachedNotes.length;
  }

  /** The layout the manifest on disk lists now, if it is readable. */
  private async readLayout(): Promise<Layout | undefined> {
    try {
      const text = await readOptional(path.join(this.dir, MANIFEST));
      if (text === undefined) return undefined;
      const parsed = layoutSchema.safeParse((JSON.parse(text) as { layout?: unknown }).layout);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Deletes data files the new layout does not list: at once when a replaced manifest listed them (readers
   * retry when a file vanishes), otherwise (a crashed or running save's files) once they are old.
   */
  private async removeUnreferenced(layout: Layout, replaced: (Layout | undefined)[]): Promise<void> {
    const keep = new Set(layoutFiles(layout));
    const superseded = new Set(replaced.flatMap((l) => (l ? layoutFiles(l) : [])));
    const now = Date.now();
    const names = await listDir(this.dir).catch(() => []);
    const remove = async (name: string): Promise<void> => {
      const file = path.join(this.dir, name);
      try {
        if (!superseded.has(name) && !LEGACY_FILES.has(name) && !fromDeadWriter(name)) {
          const st = await fs.promises.stat(file);
          if (now - st.mtimeMs < ORPHAN_GRACE_MS) return;
        }
        await fs.promises.rm(file, { force: true });
      } catch (e) {
        this.logger.debug(`Sleeptime store: could not remove ${file}: ${(e as Error).message}`);
      }
    };
    await Promise.all(names.filter((name) => !keep.has(name) && isDataFile(name)).map(remove));
  }

  private async create(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const ignoreFile = path.join(this.dir, '.gitignore');
    if (!(await exists(ignoreFile))) await fs.promises.writeFile(ignoreFile, '*\n');
  }

  private writeAtomic(name: string, data: string): Promise<void> {
    return writeFileAtomic(path.join(this.dir, name), data);
  }

  private writeError(e: unknown): Error {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS' ? 'is not writable' : 'could not be written';
    return new Error(`Sleeptime store ${this.dir} ${why}: ${err.code ?? err.message}`);
  }
}

/** Temp file, fsync, rename: `target` holds the old or the new text, never part of one. */
async function writeFileAtomic(target: string, data: string): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await fs.promises.open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * Derived data kept beside a store (a search index ...), valid while its `key` is the one it was saved
 * with. Reading never fails: a missing, unreadable or outdated entry is undefined.
 */
export function readDerived(dir: string, name: string, key: string): string | undefined {
  const header = Buffer.from(`${derivedKey(key)}\n`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(dir, derivedFile(name)), 'r');
    // An outdated entry is told by its first line, without reading the rest.
    const head = Buffer.alloc(header.length);
    if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || !head.equals(header)) return undefined;
    const body = Buffer.alloc(fs.fstatSync(fd).size - header.length);
    return fs.readSync(fd, body, 0, body.length, header.length) === body.length ? body.toString('utf8') : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Saves derived data beside the store in `dir` (which must exist) under `key`, atomically. */
export function writeDerived(dir: string, name: string, key: string, text: string): Promise<void> {
  return writeFileAtomic(path.join(dir, derivedFile(name)), `${derivedKey(key)}\n${text}`);
}

function derivedFile(name: string): string {
  return `derived-${name}.txt`;
}

/** Keys of derived data also name the schema and tool version that computed it. */
function derivedKey(key: string): string {
  return JSON.stringify([SCHEMA_VERSION, pkg.version, key]);
}

/**
 * Data files this process parsed, by absolute path, for the latest layout of each store it loaded. Their names
 * hash their content, so a later load (an editor's question after each analysis) reuses the unchanged ones;
 * the values are shared and never modified.
 */
const parsedDataFiles = new Map<string, unknown>();

function rememberDataFiles(dir: string, names: (string | null)[], values: unknown[]): void {
  for (const key of parsedDataFiles.keys()) if (path.dirname(key) === dir) parsedDataFiles.delete(key);
  names.forEach((n, i) => {
    if (n !== null && values[i] !== undefined && values[i] !== null) parsedDataFiles.set(path.join(dir, n), values[i]);
  });
}

function emptyShards<T>(): T[][] {
  return Array.from({ length: SHARDS }, () => []);
}

/** Stable shard index of a key (FNV-1a over UTF-16 code units); every save asks for every path. */
const shardOf = memoized((key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
});

function byPath(a: CachedFile, b: CachedFile): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Files by shard, each shard sorted by path so its content does not depend on insertion order. */
function shardFiles(files: Map<string, CachedFile>): CachedFile[][] {
  const shards = emptyShards<CachedFile>();
  for (const f of files.values()) shards[shardOf(f.path)].push(f);
  for (const s of shards) s.sort(byPath);
  return shards;
}

/** Notes by shard in their relative order; appends each note's shard index to `order`. */
function shardNotes(notes: Note[], order: number[]): Note[][] {
  const shards = emptyShards<Note>();
  for (const n of notes) {
    const i = shardOf(n.id);
    shards[i].push(n);
    order.push(i);
  }
  return shards;
}

function orderNotes(shards: Note[][], order: number[]): Note[] {
  const next = new Array<number>(SHARDS).fill(0);
  const notes: Note[] = [];
  for (const i of order) {
    const n = shards[i][next[i]++];
    if (!n) break;
    notes.push(n);
  }
  if (notes.length !== order.length || next.some((k, i) => k !== shards[i].length)) {
    throw new StoreFormatError('corrupted (the note order does not match the notes shards)');
  }
  return notes;
}

/**
 * The file name of each shard: the previous one when its entries are the same objects as before (and the
 * file is still listed on disk), else a content-hash name, queued in `writes` unless already present.
 */
function shardNames<T>(
  kind: 'files' | 'notes',
  shards: T[][],
  previous: T[][] | undefined,
  previousNames: (string | null)[] | undefined,
  present: Set<string>,
  writes: Map<string, string>,
): (string | null)[] {
  return shards.map((entries, i) => {
    if (!entries.length) return null;
    const prevName = previousNames?.[i];
    if (prevName && present.has(prevName) && sameEntries(entries, previous?.[i])) return prevName;
    return dataFile(kind, JSON.stringify(entries), present, writes);
  });
}

function dataFile(kind: string, text: string, present: Set<string>, writes: Map<string, string>): string {
  const name = `${kind}-${createHash('sha1').update(text).digest('hex').slice(0, 12)}.json`;
  if (!present.has(name)) writes.set(name, text);
  return name;
}

function sameEntries<T>(a: T[], b: T[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function layoutFiles(layout: Layout): string[] {
  return [...layout.files, ...layout.notes, layout.structure].filter((n): n is string => n !== null);
}

/** A temp file whose writing process no longer exists (killed mid-save): nobody will finish it. */
function fromDeadWriter(name: string): boolean {
  const pid = Number(/\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isDataFile(name: string): boolean {
  return DATA_FILE.test(name) || LEGACY_FILES.has(name) || TEMP_FILE.test(name);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StoreFormatError(`corrupted (${name} is not valid JSON)`);
  }
}

function shapeError(name: string): StoreFormatError {
  return new StoreFormatError(`corrupted (${name} has an unexpected shape)`);
}

function check<T>(schema: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw shapeError(name);
  return parsed.data;
}

/** Checks the key fields of every entry (cheaper than a full schema on big stores). */
function checkEach<T>(values: unknown[], ok: (v: Record<string, unknown>) => boolean, name: string): T[] {
  for (const v of values) if (typeof v !== 'object' || v === null || !ok(v as Record<string, unknown>)) throw shapeError(name);
  return values as T[];
}

function isCachedFile(o: Record<string, unknown>): boolean {
  return (
    typeof o.path === 'string' && typeof o.hash === 'string' && typeof o.size === 'number' && typeof o.mtimeMs === 'number' &&
    typeof o.lines === 'number' && Array.isArray(o.defs) && Array.isArray(o.refs) && Array.isArray(o.imports) && Array.isArray(o.bugs)
  );
}

function isNote(o: Record<string, unknown>): boolean {
  return (
    typeof o.id === 'string' && typeof o.kind === 'string' && typeof o.title === 'string' && typeof o.body === 'string' &&
    Array.isArray(o.evidence) && typeof o.dependsOn === 'object' && o.dependsOn !== null
  );
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Makes renames in `dir` durable where the platform allows opening a folder. */
async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.promises.access(file).then(
    () => true,
    () => false,
  );
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/** Creates the lock file; undefined when taken, otherwise the current owner. */
async function tryCreateLock(lockPath: string, token: string): Promise<LockOwner | undefined> {
  const mine: LockOwner = { pid: process.pid, host: os.hostname(), token };
  try {
    await fs.promises.writeFile(lockPath, JSON.stringify(mine), { flag: 'wx' });
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const owner = await readLock(lockPath);
  if (owner) return owner;
  // Unparseable: a writer may be between creating and filling it; give it a few seconds.
  const st = await fs.promises.stat(lockPath).catch(() => undefined);
  const young = st !== undefined && Date.now() - st.mtimeMs < 5000;
  return { pid: 0, host: young ? '' : os.hostname(), token: '' };
}

async function readLock(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const v = JSON.parse(await fs.promises.readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? ''), token: String(v.token ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock owner still runs; owners on other hosts are assumed alive. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid <= 0) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
