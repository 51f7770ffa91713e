/** Lexical similarity of short texts (questions), for anticipated-answer matching and k-sample merging. */

const STOPWORDS = new Set(
  ('a an and are as at be by can could do does did for from how i if in into is it its me my of on or should ' +
    'so that the their them then there these this those to was we what when where which who why will with ' +
    'would you your about any all get got has have just not only use used using via than').split(' '),
);

/** Content words of a text: camelCase and snake_case split, lowercased, stopwords dropped, lightly stemmed. */
export function matchTerms(text: string): string[] {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
  return words.map((w) => (w.length > 4 ? w.replace(/(ies|ing|ed|es|s)$/, (m) => (m === 'ies' ? 'y' : '')) : w));
}

/** Cosine similarity of the term-count vectors of two texts, in [0, 1]. */
export function textSimilarity(a: string, b: string): number {
  const count = (terms: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };
  const va = count(matchTerms(a));
  const vb = count(matchTerms(b));
  let dot = 0;
  for (const [t, n] of va) dot += n * (vb.get(t) ?? 0);
  const norm = (v: Map<string, number>): number => Math.sqrt([...v.values()].reduce((s, n) => s + n * n, 0));
  const d = norm(va) * norm(vb);
  return d ? dot / d : 0;
}
