/** `sleeptime export [DIR] [--out FILE]` and `sleeptime import [DIR] [--file FILE]`: share c′ through a notes file. */
import * as path from 'node:path';
import type { Logger } from '../core/logger';
import { markStaleOnDisk } from '../core/notes/staleness';
import { exportNotes, type ExportResult } from '../core/share/exportNotes';
import { importNotes, type ImportResult } from '../core/share/importNotes';
import { defaultStoreDir, Store } from '../core/store/store';

/** Options shared by {@link runExport} and {@link runImport}. */
export interface ShareCliOptions {
  root: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  logger: Logger;
}

async function openStore(opts: ShareCliOptions): Promise<{ root: string; store: Store }> {
  const root = path.resolve(opts.root);
  const { store, warnings } = await Store.open(opts.storeDir ?? defaultStoreDir(root), { root, logger: opts.logger });
  for (const w of warnings) opts.logger.warn(w);
  return { root, store };
}

/**
 * Exports the store's fresh notes to `<root>/sleeptime-notes.json` (or `out`) plus a `.md` digest next to it.
 * Rejects when the store has no notes or nothing could be written; `summary` is a line for the user.
 */
export async function runExport(opts: ShareCliOptions & { out?: string }): Promise<ExportResult & { summary: string }> {
  const { root, store } = await openStore(opts);
  if (store.notes().length === 0) throw new Error(`no notes for ${root}: run sleeptime analyze ${root} first`);
  const notes = markStaleOnDisk(root, store.notes(), store.files());
  const result = await exportNotes({ root, notes, outFile: opts.out && path.resolve(opts.out) });
  for (const e of result.errors) opts.logger.error(e);
  if (!result.notesFile) throw new Error(result.errors[0] ?? 'export failed');
  const at = result.commit ? ` at ${result.commit.slice(0, 12)}` : '';
  const extra = [
    result.staleSkipped ? `${result.staleSkipped} stale left out` : '',
    result.redactions ? `${result.redactions} secret(s) redacted` : '',
  ].filter(Boolean);
  const summary =
    `Exported ${result.exported} notes${at} to ${result.notesFile}` +
    (result.digestFile ? ` (digest ${result.digestFile})` : '') +
    (extra.length ? `; ${extra.join(', ')}` : '');
  return { ...result, summary };
}

/**
 * Imports a notes file (`file`, or `sleeptime-notes.json` / `.github/sleeptime-notes.json` under root) into the
 * store under its writer lock. Rejects when no usable file is found; `summary` is a line for the user.
 */
export async function runImport(opts: ShareCliOptions & { file?: string }): Promise<ImportResult & { summary: string }> {
  const { root, store } = await openStore(opts);
  const result = await store.withWriteLock(async () => {
    const r = importNotes({ root, file: opts.file && path.resolve(opts.file), localNotes: store.notes() });
    if (r.imported + r.stale > 0) await store.save({ notes: r.notes });
    return r;
  }, { waitMs: 5000 });
  for (const e of result.errors) opts.logger.warn(e);
  if (!result.file || result.commit === undefined) throw new Error(result.errors[0] ?? 'import failed');
  const from = result.commit ? ` (exported at ${result.commit.slice(0, 12)})` : '';
  const summary =
    `Imported ${result.imported} notes from ${result.file}${from}; ${result.stale} marked stale, ${result.skipped} skipped`;
  return { ...result, summary };
}
