import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { simpleGit } from 'simple-git';
import { isSecretPath } from '../privacy/secretFiles';
import type { ScannedFile, ScanResult, SkipReason } from '../types';
import { languageForPath } from './languages';
import { DEFAULT_MAX_FILE_KB } from './limits';
import { SNIFF_BYTES, sniffContent } from './sniff';

/** Options for {@link scanRepository}. */
export interface ScanOptions {
  /** Files larger than this are skipped as `too-large`. Default 2 MiB (2,048 KB). */
  maxFileBytes?: number;
  /** Globs (POSIX, relative to the root); when given, only matching files are considered. */
  include?: string[];
  /** Globs whose matches are left out silently; wins over `include`. */
  exclude?: string[];
  signal?: AbortSignal;
  /** Files kept by an earlier scan; one whose size and mtime are unchanged is kept without reading it again. */
  known?: ReadonlyMap<string, { size: number; mtimeMs: number }>;
  /** Called once with the candidate paths as soon as they are all listed (files may be being classified already). */
  onListed?: (paths: readonly string[]) => void;
  /**
   * Read each file's first bytes to skip binary, minified and generated ones (default true). A caller that
   * reads the files anyway passes false and applies `sniffContent` itself, saving a read per file.
   */
  sniff?: boolean;
}

const DEFAULT_MAX_FILE_BYTES = DEFAULT_MAX_FILE_KB * 1024;

/** Folders never listed, in or outside git. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', 'node_modules', '.sleeptime']);

const BINARY_EXTENSIONS = new Set(
  ('png jpg jpeg gif bmp ico icns webp tif tiff psd ai pdf zip gz tgz bz2 xz zst 7z rar tar jar war ear class ' +
    'so dylib dll exe o a lib obj pdb wasm pyc pyo pyd whl egg woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac ' +
    'avi mov mkv webm sqlite sqlite3 db iso dmg deb rpm apk ipa npy npz pkl pickle parquet h5 onnx pt pth bin ' +
    'node lockb').split(' '),
);

const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'cargo.lock',
  'poetry.lock', 'pipfile.lock', 'uv.lock', 'go.sum', 'composer.lock', 'gemfile.lock', 'packages.lock.json',
]);
const GENERATED_DIRS = new Set(['dist', 'vendor']);
/**
 * What compilers and bundlers write into a `build` folder. A project's own `build` folder also holds its build
 * scripts (`build/build.ts`, `build/release.py`): those are code, kept.
 */
const BUILD_OUTPUT_NAME = /\.(js|mjs|cjs|jsx|css|map|html?|d\.[mc]?ts)$/;
const GENERATED_NAME = /(\.pb\.go|_pb2(_grpc)?\.pyi?|\.generated\.[^/]+|\.g\.dart|\.designer\.cs)$/i;
const MINIFIED_NAME = /\.min\.(js|mjs|cjs|css)$/i;
/**
 * Files that mark their folder as generated API documentation: Doxygen's and Javadoc's HTML output, committed beside
 * the code (tinyxml2's `docs/` holds 47 JavaScript files of Doxygen's search and menus).
 */
const DOC_OUTPUT_MARKERS = new Set(['doxygen.css', 'doxygen.svg', 'allclasses-frame.html', 'allclasses-index.html']);

/**
 * Lists the text files of a repository worth analyzing. In a git work tree it takes tracked and
 * untracked-but-not-ignored files; elsewhere it walks the folder honouring nested `.gitignore` files.
 * Throws only when `root` is missing or not a folder; every other problem lands in `errors`.
 */
export async function scanRepository(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const absRoot = path.resolve(root);
  let rootStat: fs.Stats;
  try {
    rootStat = await fs.promises.stat(absRoot);
  } catch {
    throw new Error(`Folder to scan does not exist: ${absRoot}`);
  }
  if (!rootStat.isDirectory()) throw new Error(`Path to scan is not a folder: ${absRoot}`);

  const result: ScanResult = { root: absRoot, isGit: false, files: [], skipped: [], errors: [] };
  const include = opts.include?.length ? picomatch(opts.include, { dot: true }) : undefined;
  const exclude = opts.exclude?.length ? picomatch(opts.exclude, { dot: true }) : undefined;
  const wanted = (p: string): boolean => !p.split('/').some((s) => ALWAYS_SKIPPED_DIRS.has(s)) && (!include || include(p)) && !exclude?.(p);
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  /** Classifies `paths`; those under a folder of generated documentation (`docOutput`) are skipped as generated. */
  const classifyAll = async (paths: string[], docOutput: string[]): Promise<void> => {
    for (let i = 0; i < paths.length && !opts.signal?.aborted; i++) {
      if (docOutput.some((dir) => paths[i].startsWith(dir))) result.skipped.push({ path: paths[i], reason: 'generated' });
      else classify(absRoot, paths[i], maxBytes, result, opts);
      // Let an abort (or the host's other work) in now and then.
      if (i % 512 === 511) await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const git = await listGitFiles(absRoot, result.errors);
  if (git) {
    result.isGit = true;
    // Tracked files are classified while git still looks for untracked ones (it walks every folder for them);
    // the whole list is announced as soon as it is known.
    const tracked = git.tracked.filter(wanted);
    const docOutput = docOutputFolders(tracked);
    const known = new Set(git.tracked);
    const untracked = git.untracked.then((list) => {
      const rest = list.filter((p) => !known.has(p) && wanted(p));
      opts.onListed?.([...tracked, ...rest]);
      return rest;
    });
    untracked.catch(() => undefined); // awaited below
    await classifyAll(tracked, docOutput);
    await classifyAll(await untracked, docOutput);
  } else {
    const listed: string[] = [];
    await walk(absRoot, listed, result, opts.signal);
    const candidates = listed.filter(wanted);
    opts.onListed?.(candidates);
    await classifyAll(candidates, docOutputFolders(candidates));
  }
  if (opts.signal?.aborted) result.errors.push('Scan cancelled.');

  result.files.sort((a, b) => compare(a.path, b.path));
  result.skipped.sort((a, b) => compare(a.path, b.path));
  return result;
}

/** `scan` with the files of `skips` moved from its files to its skipped ones, with their reasons. */
export function withSkips(scan: ScanResult, skips: ReadonlyMap<string, SkipReason>): ScanResult {
  const skipped = [...scan.skipped, ...[...skips].map(([p, reason]) => ({ path: p, reason }))];
  skipped.sort((a, b) => compare(a.path, b.path));
  return { ...scan, files: scan.files.filter((f) => !skips.has(f.path)), skipped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Tracked files from git (relative POSIX paths), and untracked files that are not ignored (still being listed);
 * undefined outside a git work tree or without git. Failing to list the untracked files costs only them, with a warning.
 */
async function listGitFiles(root: string, errors: string[]): Promise<{ tracked: string[]; untracked: Promise<string[]> } | undefined> {
  const lines = (out: string): string[] => [...new Set(out.split('\0').filter(Boolean))];
  try {
    const git = simpleGit({ baseDir: root });
    if ((await git.raw(['rev-parse', '--is-inside-work-tree'])).trim() !== 'true') return undefined;
    const untracked = git.raw(['ls-files', '-z', '--others', '--exclude-standard']).then(lines, (e: unknown) => {
      errors.push(`git could not list untracked files, scanning tracked files only: ${firstLine(e)}`);
      return [];
    });
    try {
      return { tracked: lines(await git.raw(['ls-files', '-z', '--cached'])), untracked };
    } catch (e) {
      await untracked;
      throw e;
    }
  } catch (e) {
    const message = String((e as Error).message ?? e);
    if (!/not a git repository/i.test(message) && !/ENOENT|spawn/i.test(message)) {
      errors.push(`git ls-files failed, walking the folder instead: ${firstLine(e)}`);
    }
    return undefined;
  }
}

function firstLine(e: unknown): string {
  return String((e as Error).message ?? e).split('\n')[0];
}

interface IgnoreLevel {
  /** Folder of the `.gitignore`, relative to the root, '' or ending with '/'. */
  base: string;
  ig: Ignore;
}

function isIgnored(rel: string, isDir: boolean, levels: IgnoreLevel[]): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, ig } = levels[i];
    const r = ig.test(rel.slice(base.length) + (isDir ? '/' : ''));
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

/**
 * Lists the files under `root` not ignored by the `.gitignore` files on their way. Synchronous
 * `readdir`s (an awaited one per folder left the thread idle for most of the walk), yielding now and then.
 */
async function walk(root: string, out: string[], result: ScanResult, signal: AbortSignal | undefined): Promise<void> {
  const pending: { dirRel: string; levels: IgnoreLevel[] }[] = [{ dirRel: '', levels: [] }];
  for (let n = 1; pending.length > 0 && !signal?.aborted; n++) {
    const { dirRel, levels: parentLevels } = pending.pop() as (typeof pending)[number];
    const abs = path.join(root, dirRel);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      result.errors.push(`Cannot list ${dirRel || '.'}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      continue;
    }
    let levels = parentLevels;
    if (entries.some((d) => d.name === '.gitignore' && d.isFile())) {
      try {
        levels = [...parentLevels, { base: dirRel, ig: ignore().add(fs.readFileSync(path.join(abs, '.gitignore'), 'utf8')) }];
      } catch (e) {
        result.errors.push(`Cannot read ${dirRel}.gitignore: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
    }
    for (const d of entries) {
      const rel = dirRel + d.name;
      if (d.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.has(d.name) && !isIgnored(rel, true, levels)) pending.push({ dirRel: rel + '/', levels });
      } else if (!isIgnored(rel, false, levels)) {
        if (d.isSymbolicLink()) result.skipped.push({ path: rel, reason: 'symlink' });
        else if (d.isFile()) out.push(rel);
      }
    }
    if (n % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Folders (`docs/html/`) holding a marker of generated documentation; one at the root is not taken for that. */
function docOutputFolders(paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const slash = p.lastIndexOf('/');
    if (slash > 0 && DOC_OUTPUT_MARKERS.has(p.slice(slash + 1).toLowerCase())) folders.add(p.slice(0, slash + 1));
  }
  return [...folders];
}

/** Skip reason decided from the path alone (no I/O), secrets aside. */
function pathSkipReason(rel: string): SkipReason | undefined {
  const lower = rel.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (LOCK_FILES.has(base) || GENERATED_NAME.test(base)) return 'generated';
  const dirs = lower.split('/').slice(0, -1);
  if (dirs.some((s) => GENERATED_DIRS.has(s))) return 'generated';
  if (dirs.includes('build') && BUILD_OUTPUT_NAME.test(base)) return 'generated';
  if (MINIFIED_NAME.test(base)) return 'minified';
  const dot = base.lastIndexOf('.');
  if (dot > 0 && BINARY_EXTENSIONS.has(base.slice(dot + 1))) return 'binary';
  return undefined;
}

/** Keep or skip one listed file. Synchronous: thousands of tiny stats and reads cost less than their promises. */
function classify(root: string, rel: string, maxBytes: number, result: ScanResult, { known, sniff = true }: ScanOptions): void {
  const skip = (reason: SkipReason): void => void result.skipped.push({ path: rel, reason });
  if (isSecretPath(rel)) return skip('secret');
  const abs = path.join(root, rel);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A name that is not UTF-8 comes back from the listing mangled (`\uFFFD`): the file is there, but not by that name.
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !rel.includes('\uFFFD')) return; // tracked but deleted in the work tree
    return skip('unreadable');
  }
  if (st.isSymbolicLink()) return skip('symlink');
  if (!st.isFile()) return; // submodule gitlinks, sockets ...
  const before = known?.get(rel);
  if (before && before.size === st.size && before.mtimeMs === st.mtimeMs && st.size <= maxBytes) {
    result.files.push({ path: rel, size: st.size, mtimeMs: st.mtimeMs, language: languageForPath(rel) });
    return;
  }
  const byPath = pathSkipReason(rel);
  if (byPath) return skip(byPath);
  if (st.size > maxBytes) return skip('too-large');
  const file: ScannedFile = { path: rel, size: st.size, mtimeMs: st.mtimeMs, language: languageForPath(rel) };
  if (!sniff) return void result.files.push(file);
  let head: Buffer;
  try {
    head = readHead(abs, Math.min(st.size, SNIFF_BYTES));
  } catch {
    return skip('unreadable');
  }
  const reason = sniffContent(head, st.size);
  if (reason) return skip(reason);
  result.files.push(file);
}

/** The first bytes of a file. */
function readHead(abs: string, length: number): Buffer {
  if (length === 0) return Buffer.alloc(0);
  const fd = fs.openSync(abs, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    return buf.subarray(0, fs.readSync(fd, buf, 0, length, 0));
  } finally {
    fs.closeSync(fd);
  }
}
