import type { FileAnalysis } from '../types';
import { termCounts } from './terms';

/** Okapi BM25 term-frequency saturation. */
const K1 = 1.2;
/** Okapi BM25 length normalization. */
const B = 0.75;

/**
 * BM25 over the per-file content term vectors computed at analysis time (`FileAnalysis.terms`), so a
 * question is matched against file contents without reading any file. Counts are precomputed, which is
 * why this scores postings directly rather than re-tokenizing text through a search library. The postings
 * of a term are gathered the first time a question uses it: a process that answers one question (the CLI)
 * reads only the lengths of the vectors, not every term of every file.
 */
export class ContentIndex {
  /** Indexed file per slot; '' for the slot of a file gone since (see `build`'s `previous`). */
  private readonly paths: string[] = [];
  private readonly lengths: number[] = [];
  /** The term vector each slot was indexed from. */
  private readonly vectors: (string | Record<string, number>)[] = [];
  private readonly slotOf = new Map<string, number>();
  /** Term -> [slot, count] postings, for the terms asked about since the slots last changed. */
  private readonly postings = new Map<string, [number, number][]>();
  private totalLength = 0;

  private constructor() {}

  /**
   * Index the files that carry a term vector; files without one are left out. `previous`, an index of an
   * earlier snapshot that is no longer used, is brought up to date in place instead: only the files whose
   * vector changed, appeared or went are indexed again (an editor's question after an edit).
   */
  static build(files: Iterable<FileAnalysis>, previous?: ContentIndex): ContentIndex {
    // Each update leaves the slots of changed files empty: start afresh once they are half of all.
    const idx = previous && previous.paths.length < 2 * Math.max(1, previous.slotOf.size) ? previous : new ContentIndex();
    const gone = new Set(idx.slotOf.keys());
    for (const fa of files) {
      gone.delete(fa.path);
      const slot = idx.slotOf.get(fa.path);
      if (slot !== undefined && idx.vectors[slot] === fa.terms) continue;
      if (slot !== undefined) idx.drop(slot);
      if (fa.terms) idx.add(fa.path, fa.terms);
    }
    for (const p of gone) idx.drop(idx.slotOf.get(p)!);
    return idx;
  }

  /** Number of indexed files. */
  get size(): number {
    return this.slotOf.size;
  }

  /** BM25 score of every file matching at least one of the (normalized) `terms`, by path. */
  score(terms: Iterable<string>): Map<string, number> {
    const n = this.slotOf.size;
    const avgLength = n ? Math.max(1, this.totalLength / n) : 1;
    const acc = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = this.postingsOf(term);
      if (!list.length) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [i, tf] of list) {
        const norm = K1 * (1 - B + (B * this.lengths[i]) / avgLength);
        acc.set(i, (acc.get(i) ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm));
      }
    }
    const out = new Map<string, number>();
    for (const [i, s] of acc) out.set(this.paths[i], s);
    return out;
  }

  /** The files whose contents hold the (normalized) `term`. */
  filesWith(term: string): string[] {
    return this.postingsOf(term).map(([slot]) => this.paths[slot]);
  }

  /** The files holding `term`, with its count in each, in slot order. */
  private postingsOf(term: string): [number, number][] {
    let list = this.postings.get(term);
    if (list) return list;
    list = [];
    const key = `${term}:`;
    for (let slot = 0; slot < this.vectors.length; slot++) {
      const count = countIn(this.vectors[slot], term, key);
      if (count > 0) list.push([slot, count]);
    }
    this.postings.set(term, list);
    return list;
  }

  private add(path: string, vector: string | Record<string, number>): void {
    const len = vectorLength(vector);
    this.paths.push(path);
    this.lengths.push(len);
    this.vectors.push(vector);
    this.slotOf.set(path, this.paths.length - 1);
    this.totalLength += len;
    this.postings.clear();
  }

  private drop(slot: number): void {
    this.slotOf.delete(this.paths[slot]);
    this.totalLength -= this.lengths[slot];
    this.paths[slot] = '';
    this.lengths[slot] = 0;
    this.vectors[slot] = '';
    this.postings.clear();
  }
}

/** Sum of the counts of a term vector. */
function vectorLength(vector: string | Record<string, number>): number {
  if (typeof vector !== 'string') return termCounts(vector).reduce((n, [, c]) => (c > 0 ? n + c : n), 0);
  let len = 0;
  for (let colon = vector.indexOf(':'); colon !== -1; colon = vector.indexOf(':', colon + 1)) {
    const end = vector.indexOf(' ', colon);
    const count = Number(vector.slice(colon + 1, end === -1 ? undefined : end));
    if (count > 0) len += count;
  }
  return len;
}

/** The count of `term` in a term vector (`key` is `term:`), 0 when absent. */
function countIn(vector: string | Record<string, number>, term: string, key: string): number {
  if (typeof vector !== 'string') return Object.hasOwn(vector, term) ? vector[term] : 0;
  let at = vector.startsWith(key) ? 0 : vector.indexOf(` ${key}`);
  if (at === -1) return 0;
  if (at > 0) at++;
  const start = at + key.length;
  const end = vector.indexOf(' ', start);
  return Number(vector.slice(start, end === -1 ? undefined : end));
}
