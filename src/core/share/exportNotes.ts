import * as fs from 'node:fs';
import * as path from 'node:path';
import { simpleGit } from 'simple-git';
import pkg from '../../../package.json';
import { redactSecrets } from '../privacy/redact';
import type { Note } from '../types';
import { renderDigest } from './digest';
import { buildNotesFile, NOTES_FILE_NAME } from './notesFile';

/** Options of {@link exportNotes}. */
export interface ExportOptions {
  /** Repository root the notes describe (for the commit sha and default output paths). */
  root: string;
  notes: Note[];
  /** Notes file path; default `<root>/sleeptime-notes.json`. */
  outFile?: string;
  /** Markdown digest path; default the notes file with `.md` instead of `.json`. */
  digestFile?: string;
  /** Timestamp to record; default now. */
  now?: string;
}

/** What {@link exportNotes} wrote. */
export interface ExportResult {
  /** Absolute paths written (absent when writing failed). */
  notesFile?: string;
  digestFile?: string;
  commit: string | null;
  exported: number;
  /** Stale notes left out of the export. */
  staleSkipped: number;
  /** Secrets replaced by the redaction pass. */
  redactions: number;
  errors: string[];
}

/** HEAD sha of the repository holding `root`, or null (not a repository, no commits). */
export async function headCommit(root: string): Promise<string | null> {
  try {
    return (await simpleGit(root).revparse(['HEAD'])).trim() || null;
  } catch {
    return null;
  }
}

/** Sleeptime's own version from its package.json. */
export function toolVersion(): string {
  return pkg.version;
}

function redactValue(value: unknown, count: { n: number }): unknown {
  if (typeof value === 'string') {
    const r = redactSecrets(value);
    count.n += r.count;
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, count));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, count)]));
  }
  return value;
}

/** A note with secrets redacted from its human-readable fields (ids, paths and hashes are kept as they are). */
function redactNote(note: Note, count: { n: number }): Note {
  const out: Note = { ...note, title: redactValue(note.title, count) as string, body: redactValue(note.body, count) as string };
  if (note.meta) out.meta = redactValue(note.meta, count) as Record<string, unknown>;
  return out;
}

function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Writes the portable notes file (fresh notes only, redacted, keyed by HEAD) and its markdown digest.
 * Never throws: write failures are returned in `errors`.
 */
export async function exportNotes(opts: ExportOptions): Promise<ExportResult> {
  const root = path.resolve(opts.root);
  const notesFile = path.resolve(opts.outFile ?? path.join(root, NOTES_FILE_NAME));
  const digestFile = path.resolve(opts.digestFile ?? notesFile.replace(/\.json$/i, '') + '.md');
  const commit = await headCommit(root);
  const createdAt = opts.now ?? new Date().toISOString();
  const info = { commit, createdAt, toolVersion: toolVersion() };
  const count = { n: 0 };
  const fresh = opts.notes.filter((n) => !n.stale).map((n) => redactNote(n, count));
  const file = buildNotesFile(fresh, info);
  const digest = redactSecrets(renderDigest(fresh, info));
  const result: ExportResult = {
    commit,
    exported: fresh.length,
    staleSkipped: opts.notes.length - fresh.length,
    redactions: count.n + digest.count,
    errors: [],
  };
  for (const [key, target, text] of [
    ['notesFile', notesFile, JSON.stringify(file, null, 2) + '\n'],
    ['digestFile', digestFile, digest.text],
  ] as const) {
    try {
      writeAtomic(target, text);
      result[key] = target;
    } catch (e) {
      result.errors.push(`cannot write ${target}: ${(e as Error).message}`);
    }
  }
  return result;
}
