// Past commits as evidence of where a change goes: a question that reads like earlier commits points at the files
// those commits changed ("Fix mypy issues" at the files the last mypy fixes touched).
import { pushTo } from '../multimap';
import type { PastCommit } from '../types';
import { textTerms, withoutIntentWords } from './terms';

/** Most past commits that credit their files for one question. */
const SIMILAR_COMMITS = 10;
/** Least similarity (cosine of idf-weighted words) of a past commit to the question. */
const MIN_SIMILARITY = 0.35;
/** Fewest of the question's words a past commit must share ("Style fixes 2" is not like "More style fixes"). */
const MIN_SHARED_WORDS = 2;

/** Past commit subjects indexed by their words. */
export class PastCommitIndex {
  /** The commits using each word, by position. */
  private readonly postings = new Map<string, number[]>();
  /** Squared length of each commit's idf-weighted word vector. */
  private readonly norms: number[];

  constructor(private readonly commits: readonly PastCommit[]) {
    const termsOf = commits.map((c) => new Set(textTerms(withoutIntentWords(c.subject))));
    termsOf.forEach((terms, i) => {
      for (const t of terms) pushTo(this.postings, t, i);
    });
    this.norms = termsOf.map((terms) => [...terms].reduce((sum, t) => sum + this.idf(t) ** 2, 0));
  }

  /** A word's weight: rare words say more; one no commit uses weighs most. */
  private idf(term: string): number {
    return Math.log(1 + this.commits.length / (1 + (this.postings.get(term)?.length ?? 0)));
  }

  /**
   * Files the past commits most like the question changed, each with the summed similarity of those commits
   * (a commit's share split over the square root of its file count), at most 1.
   */
  filesFor(terms: ReadonlySet<string>): Map<string, number> {
    const out = new Map<string, number>();
    if (!terms.size || !this.commits.length) return out;
    let asked = 0;
    const shared = new Map<number, { weight: number; words: number }>();
    for (const t of terms) {
      const w = this.idf(t) ** 2;
      asked += w;
      for (const i of this.postings.get(t) ?? []) {
        const s = shared.get(i) ?? { weight: 0, words: 0 };
        s.weight += w;
        s.words++;
        shared.set(i, s);
      }
    }
    const minWords = Math.min(MIN_SHARED_WORDS, terms.size);
    const similar = [...shared]
      .filter(([, s]) => s.words >= minWords)
      .map(([i, s]) => ({ i, sim: s.weight / Math.sqrt(asked * this.norms[i]) }))
      .filter((c) => c.sim >= MIN_SIMILARITY)
      .sort((a, b) => b.sim - a.sim || a.i - b.i)
      .slice(0, SIMILAR_COMMITS);
    for (const { i, sim } of similar) {
      const files = this.commits[i].files;
      for (const f of files) out.set(f, Math.min(1, (out.get(f) ?? 0) + sim / Math.sqrt(files.length)));
    }
    return out;
  }
}
