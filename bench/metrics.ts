/** Ranking metrics of one ranked list against a gold set. */
export interface CaseScore {
  'any@1': number; 'any@3': number; 'any@5': number;
  'all@1': number; 'all@3': number; 'all@5': number;
  mrr: number;
}

/** any@k / all@k (k = 1, 3, 5) and reciprocal rank of the first gold file. */
export function scoreRanking(ranked: string[], gold: string[]): CaseScore {
  const g = new Set(gold);
  const at = (k: number): { any: number; all: number } => {
    const top = new Set(ranked.slice(0, k));
    const hit = gold.filter((x) => top.has(x)).length;
    return { any: hit > 0 ? 1 : 0, all: hit === gold.length ? 1 : 0 };
  };
  const first = ranked.findIndex((p) => g.has(p));
  const a1 = at(1); const a3 = at(3); const a5 = at(5);
  return { 'any@1': a1.any, 'any@3': a3.any, 'any@5': a5.any, 'all@1': a1.all, 'all@3': a3.all, 'all@5': a5.all, mrr: first >= 0 ? 1 / (first + 1) : 0 };
}

/** Mean of each numeric field over `rows` (empty -> zeros). */
export function meanScores<T extends object>(rows: T[]): Record<keyof T, number> {
  const out = {} as Record<keyof T, number>;
  if (!rows.length) return out;
  for (const k of Object.keys(rows[0]) as (keyof T)[]) {
    out[k] = Math.round((rows.reduce((s, r) => s + Number(r[k]), 0) / rows.length) * 1000) / 1000;
  }
  return out;
}

/** Fraction of gold files present in a set (recall), and whether any/all are present. */
export function inContext(cited: Iterable<string>, gold: string[]): { any: number; all: number; recall: number } {
  const s = new Set(cited);
  const hit = gold.filter((g) => s.has(g)).length;
  return { any: hit > 0 ? 1 : 0, all: hit === gold.length ? 1 : 0, recall: hit / gold.length };
}

/** Value at quantile q (0..1) of a numeric list. */
export function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}
