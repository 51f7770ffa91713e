import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import pkg from '../../../package.json';
import { silentLogger, type Logger } from '../logger';
import type { FileAnalysis, Note } from '../types';

/** Bumped whenever the on-disk layout or a cached type changes incompatibly; older stores are rebuilt. */
export const SCHEMA_VERSION = 1;

/** The default store folder of a repository: `<root>/.sleeptime`. */
export function defaultStoreDir(root: string): string {
  return path.join(path.resolve(root), '.sleeptime');
}

/** A cached analysis with the file stat it was computed for. */
export interface CachedFile extends FileAnalysis {
  size: number;
  mtimeMs: number;
}

/** Contents of `manifest.json`. */
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

const MANIFEST = 'manifest.json';
const FILES = 'files.json';
const NOTES = 'notes.json';
const STRUCTURE = 'structure.json';
const LOCK = 'lock';

const manifestSchema = z.object({
  schemaVersion: z.number(),
  toolVersion: z.string(),
  root: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  head: z.string().optional(),
});
const cachedFileSchema = z.looseObject({
  path: z.string(),
  hash: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  lines: z.number(),
  defs: z.array(z.unknown()),
  refs: z.array(z.unknown()),
  imports: z.array(z.unknown()),
  bugs: z.array(z.unknown()),
});
const noteSchema = z.looseObject({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  evidence: z.array(z.unknown()),
  dependsOn: z.record(z.string(), z.string()),
});

class StoreFormatError extends Error {}
class LockBusyError extends Error {}

/**
 * The on-disk store of one analyzed folder (`<root>/.sleeptime` by default): manifest, per-file analysis
 * cache, notes and an opaque structure value, each a JSON file replaced atomically.
 */
export class Store {
  private manifest: StoreManifest | undefined;
  private cachedFiles = new Map<string, CachedFile>();
  private cachedNotes: Note[] = [];
  private cachedStructure: unknown;

  private constructor(
    readonly dir: string,
    private readonly root: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens (reads) the store in `dir`; writes nothing. A missing store opens empty; a corrupted, partial or
   * older-schema one opens empty with one warning and is replaced on the next save.
   */
  static async open(dir: string, opts: { root: string; logger?: Logger }): Promise<{ store: Store; warnings: string[] }> {
    const store = new Store(path.resolve(dir), path.resolve(opts.root), opts.logger ?? silentLogger);
    const warnings: string[] = [];
    try {
      await store.load();
    } catch (e) {
      store.reset();
      const why = e instanceof StoreFormatError ? e.message : `unreadable (${(e as Error).message})`;
      warnings.push(`Sleeptime store ${store.dir} was ${why}; it will be rebuilt.`);
      store.logger.warn(warnings[0]);
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

  /** The manifest of the last save, if the store exists. */
  info(): StoreManifest | undefined {
    return this.manifest;
  }

  /**
   * Writes the given parts atomically (temp file, fsync, rename), then the manifest. Creates the store
   * folder and its `.gitignore` on first use. Rejects with a readable message when the folder is not writable.
   */
  async save(update: StoreUpdate): Promise<void> {
    const firstWrite = !this.manifest;
    try {
      if (firstWrite) await this.create();
      if (update.files || firstWrite) {
        const files = update.files ?? this.cachedFiles;
        const list = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        await this.writeAtomic(FILES, list);
      }
      if (update.notes || firstWrite) await this.writeAtomic(NOTES, update.notes ?? this.cachedNotes);
      if (update.structure !== undefined || firstWrite) {
        await this.writeAtomic(STRUCTURE, update.structure ?? this.cachedStructure ?? null);
      }
      const now = new Date().toISOString();
      const manifest: StoreManifest = {
        schemaVersion: SCHEMA_VERSION,
        toolVersion: pkg.version,
        root: this.root,
        createdAt: this.manifest?.createdAt ?? now,
        updatedAt: now,
      };
      const head = update.head ?? this.manifest?.head;
      if (head) manifest.head = head;
      await this.writeAtomic(MANIFEST, manifest);
      this.manifest = manifest;
    } catch (e) {
      throw this.writeError(e);
    }
    if (update.files) this.cachedFiles = update.files;
    if (update.notes) this.cachedNotes = update.notes;
    if (update.structure !== undefined) this.cachedStructure = update.structure;
  }

  /** Deletes the saved data (keeps the folder and its `.gitignore`); the store is empty afterwards. */
  async clear(): Promise<void> {
    try {
      for (const name of [MANIFEST, FILES, NOTES, STRUCTURE]) await fs.promises.rm(path.join(this.dir, name), { force: true });
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
    this.cachedFiles = new Map();
    this.cachedNotes = [];
    this.cachedStructure = undefined;
  }

  private async load(): Promise<void> {
    const manifestText = await readOptional(path.join(this.dir, MANIFEST));
    if (manifestText === undefined) {
      const present = await Promise.all([FILES, NOTES, STRUCTURE].map((f) => exists(path.join(this.dir, f))));
      if (present.some(Boolean)) throw new StoreFormatError('incomplete (manifest.json missing)');
      return;
    }
    const manifest = parseWith(manifestSchema, manifestText, MANIFEST);
    if (manifest.schemaVersion !== SCHEMA_VERSION) {
      throw new StoreFormatError(`written with schema ${manifest.schemaVersion} (current ${SCHEMA_VERSION})`);
    }
    const [filesText, notesText, structureText] = await Promise.all(
      [FILES, NOTES, STRUCTURE].map((f) => readOptional(path.join(this.dir, f))),
    );
    if (filesText === undefined || notesText === undefined || structureText === undefined) {
      throw new StoreFormatError('incomplete (a data file is missing)');
    }
    const files = parseWith(z.array(cachedFileSchema), filesText, FILES) as unknown as CachedFile[];
    const notes = parseWith(z.array(noteSchema), notesText, NOTES) as unknown as Note[];
    const structure = parseWith(z.unknown(), structureText, STRUCTURE);
    this.manifest = manifest;
    this.cachedFiles = new Map(files.map((f) => [f.path, f]));
    this.cachedNotes = notes;
    this.cachedStructure = structure ?? undefined;
  }

  private async create(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const ignoreFile = path.join(this.dir, '.gitignore');
    if (!(await exists(ignoreFile))) await fs.promises.writeFile(ignoreFile, '*\n');
  }

  private async writeAtomic(name: string, value: unknown): Promise<void> {
    const target = path.join(this.dir, name);
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const data = JSON.stringify(value);
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

  private writeError(e: unknown): Error {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS' ? 'is not writable' : 'could not be written';
    return new Error(`Sleeptime store ${this.dir} ${why}: ${err.code ?? err.message}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, text: string, name: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoreFormatError(`corrupted (${name} is not valid JSON)`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoreFormatError(`corrupted (${name} has an unexpected shape)`);
  return parsed.data;
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
