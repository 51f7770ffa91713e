/**
 * The portable notes file (`sleeptime-notes.json`): c′ keyed by commit, meant to be committed or published by CI
 * so a team computes it once.
 */
import { z } from 'zod';
import type { Note } from '../types';

/** Value of the file's `format` field. */
export const NOTES_FILE_FORMAT = 'sleeptime-notes';
/** Current version of the file layout. */
export const NOTES_FILE_VERSION = 1;
/** Default name of the notes file, written at the repository root. */
export const NOTES_FILE_NAME = 'sleeptime-notes.json';
/** Where import looks when no file is given, relative to the repository root, first match wins. */
export const NOTES_FILE_LOCATIONS: readonly string[] = [NOTES_FILE_NAME, `.github/${NOTES_FILE_NAME}`];

const lineRange = { startLine: z.number().int().min(1), endLine: z.number().int().min(1) };

/** Schema of one note inside a notes file (mirrors `Note` in types.ts). */
export const noteSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['architecture', 'bug', 'test-hook', 'file', 'qa']),
  title: z.string(),
  body: z.string(),
  evidence: z.array(z.object({ path: z.string().min(1), ...lineRange })),
  dependsOn: z.record(z.string(), z.string()),
  origin: z.string(),
  stale: z.boolean(),
  createdAt: z.string(),
  subject: z.string().optional(),
  score: z.number().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** The portable notes file. */
export interface NotesFile {
  format: typeof NOTES_FILE_FORMAT;
  version: number;
  /** HEAD sha the notes were computed at, or null outside git. */
  commit: string | null;
  createdAt: string;
  toolVersion: string;
  notes: Note[];
}

const headerSchema = z.object({
  format: z.literal(NOTES_FILE_FORMAT),
  version: z.literal(NOTES_FILE_VERSION),
  commit: z.string().nullable(),
  createdAt: z.string(),
  toolVersion: z.string(),
  notes: z.array(z.unknown()),
});

/** A notes file with its notes sorted by id (stable diffs when committed). */
export function buildNotesFile(notes: Note[], info: { commit: string | null; createdAt: string; toolVersion: string }): NotesFile {
  return {
    format: NOTES_FILE_FORMAT,
    version: NOTES_FILE_VERSION,
    commit: info.commit,
    createdAt: info.createdAt,
    toolVersion: info.toolVersion,
    notes: [...notes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/** Outcome of reading a notes file: the file (when its header is valid), notes that failed validation, errors. */
export interface ParsedNotesFile {
  file?: NotesFile;
  /** Notes left out because they did not validate. */
  invalid: number;
  errors: string[];
}

/** Parses and validates notes-file text; never throws. Invalid notes are dropped and counted, not fatal. */
export function parseNotesFile(text: string): ParsedNotesFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { invalid: 0, errors: [`not JSON: ${(e as Error).message}`] };
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) {
    const what = header.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    return { invalid: 0, errors: [`not a ${NOTES_FILE_FORMAT} v${NOTES_FILE_VERSION} file: ${what}`] };
  }
  const notes: Note[] = [];
  const errors: string[] = [];
  header.data.notes.forEach((n, i) => {
    const r = noteSchema.safeParse(n);
    if (r.success) notes.push(r.data);
    else errors.push(`note ${i}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  });
  return { file: { ...header.data, format: NOTES_FILE_FORMAT, notes }, invalid: errors.length, errors };
}
