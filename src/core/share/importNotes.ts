import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isStale } from '../notes/staleness';
import type { Note } from '../types';
import { NOTES_FILE_LOCATIONS, parseNotesFile } from './notesFile';

/** Options of {@link importNotes}. */
export interface ImportOptions {
  /** Repository root whose current files the notes are checked against. */
  root: string;
  /** Notes file; default the first of {@link NOTES_FILE_LOCATIONS} present under `root`. */
  file?: string;
  /** The store's notes; imported notes merge into these. */
  localNotes: Note[];
}

/** Counts of one import. */
export interface ImportCounts {
  /** Notes merged whose evidence still matches the working tree. */
  imported: number;
  /** Notes merged but marked stale (a file they depend on changed or is gone). */
  stale: number;
  /** Notes not merged: invalid, unsafe paths, or a local note with the same id won. */
  skipped: number;
}

/** Result of {@link importNotes}. */
export interface ImportResult extends ImportCounts {
  /** The notes file read (absolute), when one was found. */
  file?: string;
  /** Commit the file was exported at. */
  commit?: string | null;
  /** The merged note set to save into the store (local notes plus imported ones); equals `localNotes` on failure. */
  notes: Note[];
  errors: string[];
}

/** The notes file to import for `root`: `file` if given, else the first conventional location that exists. */
export function findNotesFile(root: string, file?: string): string | undefined {
  if (file) return path.resolve(root, file);
  for (const rel of NOTES_FILE_LOCATIONS) {
    const p = path.join(root, rel);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** A repository-relative path that stays inside the root, or undefined. */
function insideRoot(root: string, rel: string): string | undefined {
  if (path.isAbsolute(rel) || path.win32.isAbsolute(rel)) return undefined;
  const abs = path.resolve(root, rel);
  const back = path.relative(root, abs);
  return back === '' || back.startsWith('..') || path.isAbsolute(back) ? undefined : abs;
}

/**
 * Loads a notes file, keeps each note fresh only if every `dependsOn` file still has the recorded sha1 (others are
 * marked `stale: true`), and merges them into `localNotes` by id. A local note wins when it is fresh and at least as
 * new as the imported one. Never throws.
 */
export function importNotes(opts: ImportOptions): ImportResult {
  const root = path.resolve(opts.root);
  const result: ImportResult = { imported: 0, stale: 0, skipped: 0, notes: opts.localNotes, errors: [] };
  const file = findNotesFile(root, opts.file);
  if (!file) {
    result.errors.push(`no notes file found under ${root} (looked for ${NOTES_FILE_LOCATIONS.join(', ')})`);
    return result;
  }
  result.file = file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    result.errors.push(`cannot read ${file}: ${(e as Error).message}`);
    return result;
  }
  const parsed = parseNotesFile(text);
  result.errors.push(...parsed.errors.map((e) => `${file}: ${e}`));
  result.skipped += parsed.invalid;
  if (!parsed.file) return result;
  result.commit = parsed.file.commit;

  const hashes = new Map<string, string | undefined>();
  const currentHash = (rel: string): string | undefined => {
    const abs = insideRoot(root, rel);
    if (!abs) return undefined;
    if (!hashes.has(abs)) {
      let h: string | undefined;
      try {
        h = createHash('sha1').update(fs.readFileSync(abs)).digest('hex');
      } catch {
        h = undefined;
      }
      hashes.set(abs, h);
    }
    return hashes.get(abs);
  };

  const merged = new Map(opts.localNotes.map((n) => [n.id, n]));
  for (const note of parsed.file.notes) {
    const paths = [...Object.keys(note.dependsOn), ...note.evidence.map((e) => e.path)];
    if (paths.some((p) => !insideRoot(root, p))) {
      result.errors.push(`note ${note.id}: skipped, it names a path outside the repository`);
      result.skipped++;
      continue;
    }
    const local = merged.get(note.id);
    if (local && !local.stale && local.createdAt >= note.createdAt) {
      result.skipped++;
      continue;
    }
    const stale = isStale(note, currentHash);
    merged.set(note.id, { ...note, stale });
    if (stale) result.stale++;
    else result.imported++;
  }
  result.notes = [...merged.values()];
  return result;
}
