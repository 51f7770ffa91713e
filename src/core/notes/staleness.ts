import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis, Note } from '../types';

/** Per-path content hashes of the files as they are now; a missing file maps to undefined. */
export type HashLookup = (p: string) => string | undefined;

/** True when any file the note depends on changed or disappeared. */
export function isStale(note: Note, hashOf: HashLookup): boolean {
  for (const [p, h] of Object.entries(note.dependsOn)) if (hashOf(p) !== h) return true;
  return false;
}

/**
 * Combine the previous notes with this run's static notes. An unchanged static note keeps its
 * identity (and createdAt); notes from other origins (model, import) are kept and marked stale
 * when what they depend on changed. Static notes this run no longer produces are dropped.
 */
export function mergeNotes(previous: Note[], fresh: Note[], files: Map<string, FileAnalysis>): Note[] & { rewritten: number } {
  const prev = new Map(previous.map((n) => [n.id, n]));
  const hashOf: HashLookup = (p) => files.get(p)?.hash;
  let rewritten = 0;
  const out: Note[] = [];
  const seen = new Set<string>();
  for (const n of fresh) {
    seen.add(n.id);
    const old = prev.get(n.id);
    // A model-reviewed version of this note (e.g. a confirmed bug) wins while its files are unchanged.
    if (old && old.origin !== 'static' && !isStale(old, hashOf)) out.push(old);
    else if (old && old.origin === 'static' && !old.stale && sameContent(old, n)) out.push(old);
    else {
      out.push(n);
      rewritten++;
    }
  }
  for (const n of previous) {
    if (n.origin === 'static' || seen.has(n.id)) continue;
    out.push({ ...n, stale: isStale(n, hashOf) });
  }
  return Object.assign(out, { rewritten });
}

function sameContent(a: Note, b: Note): boolean {
  // An editor's session hands back the very notes of files it did not touch.
  if (a === b) return true;
  return a.body === b.body && a.title === b.title && JSON.stringify(a.evidence) === JSON.stringify(b.evidence) && JSON.stringify(a.dependsOn) === JSON.stringify(b.dependsOn);
}

/**
 * Mark notes whose files changed on disk since the last analysis, without re-analyzing:
 * files whose size or mtime differ from the cache are re-hashed.
 */
export function markStaleOnDisk(
  root: string,
  notes: Note[],
  cache: Map<string, FileAnalysis & { size: number; mtimeMs: number }>,
): Note[] {
  const current = new Map<string, string | undefined>();
  const hashOf: HashLookup = (p) => {
    if (current.has(p)) return current.get(p);
    const cached = cache.get(p);
    let h: string | undefined;
    try {
      const abs = path.join(root, p);
      const st = fs.statSync(abs);
      h = cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs ? cached.hash : createHash('sha1').update(fs.readFileSync(abs)).digest('hex');
    } catch {
      h = undefined;
    }
    current.set(p, h);
    return h;
  };
  return notes.map((n) => (n.stale || !isStale(n, hashOf) ? n : { ...n, stale: true }));
}
