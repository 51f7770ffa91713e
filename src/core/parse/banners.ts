import type { FileAnalysis } from '../types';

/** Files whose docs must open with the same words for those words to be a banner, not a description. */
const BANNER_MIN_FILES = 5;
/** Words of a doc's opening compared to find the files that share a banner. */
const OPENING_WORDS = 6;
/** Share of a group's docs a word must appear in to belong to its banner. */
const BANNER_WORD_SHARE = 0.8;
/** A word with neither letter nor digit (an emoji, a dash): part of whatever banner surrounds it. */
const DECORATION = /^[^\p{L}\p{N}]+$/u;

/**
 * `files` with the banner that many of them open their leading comment with taken off their doc: fiber's
 * `⚡️ Fiber is an Express inspired web framework ... 📌 API Documentation: https://docs.gofiber.io` in every file.
 * Such a doc says nothing about the file it heads; what a file adds after the banner is kept, and a doc that is all
 * banner is dropped. A new map; entries are copies where their doc changed.
 */
export function withoutBanners(files: ReadonlyMap<string, FileAnalysis>): Map<string, FileAnalysis> {
  const groups = new Map<string, { path: string; words: string[] }[]>();
  for (const [p, f] of files) {
    if (!f.doc) continue;
    const words = f.doc.split(/\s+/).filter(Boolean);
    const key = words.slice(0, OPENING_WORDS).join(' ');
    const group = groups.get(key);
    if (group) group.push({ path: p, words });
    else groups.set(key, [{ path: p, words }]);
  }
  const out = new Map(files);
  for (const group of groups.values()) {
    if (group.length < BANNER_MIN_FILES) continue;
    const bannerWords = commonWords(group.map((g) => g.words));
    for (const { path, words } of group) {
      let i = 0;
      while (i < words.length && (bannerWords.has(words[i]) || DECORATION.test(words[i]))) i++;
      const rest = words.slice(i).join(' ');
      out.set(path, { ...files.get(path)!, doc: rest || undefined });
    }
  }
  return out;
}

/** The words found in at least `BANNER_WORD_SHARE` of `docs`. */
function commonWords(docs: string[][]): Set<string> {
  const count = new Map<string, number>();
  for (const words of docs) for (const w of new Set(words)) count.set(w, (count.get(w) ?? 0) + 1);
  return new Set([...count].filter(([, n]) => n >= docs.length * BANNER_WORD_SHARE).map(([w]) => w));
}
