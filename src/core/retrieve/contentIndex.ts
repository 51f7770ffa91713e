import type { FileAnalysis } from '../types';
import { termCounts } from './terms';

/** Okapi BM25 term-frequency saturation. */
const K1 = 1.2;
/** Okapi BM25 length normalization. */
const B = 0.75;

/**
 * BM25 over the per-file content term vectors computed at analysis time (`FileAnalysis.terms`), so a
 * question is matched against file contents without reading any file. Counts are precomputed, which is
 * why this scores postings directly rather than re-tokenizing text through a search library.
 */
export class ContentIndex {
  private readonly paths: string[] = [];
  private readonly lengths: number[] = [];
  /** Term -> [file index, count] postings. */
  private readonly postings = new Map<string, [number, number][]>();
  private avgLength = 1;

  private constructor() {}

  /** Index the files that carry a term vector; files without one are left out. */
  static build(files: Iterable<FileAnalysis>): ContentIndex {
    const idx = new ContentIndex();
    let total = 0;
    for (const fa of files) {
      if (!fa.terms) continue;
      const i = idx.paths.length;
      idx.paths.push(fa.path);
      let len = 0;
      for (const [term, count] of termCounts(fa.terms)) {
        if (!(count > 0)) continue;
        len += count;
        const list = idx.postings.get(term);
        if (list) list.push([i, count]);
        else idx.postings.set(term, [[i, count]]);
      }
      idx.lengths.push(len);
      total += len;
    }
    idx.avgLength = idx.paths.length ? Math.max(1, total / idx.paths.length) : 1;
    return idx;
  }

  /** Number of indexed files. */
  get size(): number {
    return this.paths.length;
  }

  /** BM25 score of every file matching at least one of the (normalized) `terms`, by path. */
  score(terms: Iterable<string>): Map<string, number> {
    const n = this.paths.length;
    const acc = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [i, tf] of list) {
        const norm = K1 * (1 - B + (B * this.lengths[i]) / this.avgLength);
        acc.set(i, (acc.get(i) ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm));
      }
    }
    const out = new Map<string, number>();
    for (const [i, s] of acc) out.set(this.paths[i], s);
    return out;
  }
}
