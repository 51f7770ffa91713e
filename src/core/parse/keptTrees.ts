import type { Edit, Point, Tree } from 'web-tree-sitter';
import type { Language } from '../types';

/**
 * Syntax trees of the files this thread analyzed last, kept when asked for (an editor's session): the next
 * parse of an edited file hands its tree to tree-sitter, which then re-parses only around the change.
 * Keyed by the file's path; the edit is worked out from the texts, so a tree is only ever reused for the
 * text it was parsed from.
 */
const kept = new Map<string, { source: string; language: Language; tree: Tree }>();
let limit = 0;

/** Keep the trees of the last `n` files analyzed in this thread; 0 (the default) keeps none. */
export function keepRecentTrees(n: number): void {
  limit = Math.max(0, Math.floor(n));
  trim();
}

/** The kept tree of `path`, edited to match `source`; the caller now owns it. Null when none fits. */
export function takeEditedTree(path: string, language: Language, source: string): Tree | null {
  const entry = kept.get(path);
  if (!entry) return null;
  kept.delete(path);
  if (entry.language !== language) {
    entry.tree.delete();
    return null;
  }
  entry.tree.edit(editBetween(entry.source, source));
  return entry.tree;
}

/** Keeps `tree`, parsed from `source`, for the next parse of `path`. False when trees are not kept: delete it. */
export function keepTree(path: string, language: Language, source: string, tree: Tree): boolean {
  if (limit === 0) return false;
  kept.set(path, { source, language, tree });
  trim();
  return true;
}

function trim(): void {
  // Oldest first: a tree taken and kept again moves to the end.
  for (const [path, entry] of kept) {
    if (kept.size <= limit) break;
    entry.tree.delete();
    kept.delete(path);
  }
}

/** The one edit that turns `before` into `after`: everything between their common start and common end. */
function editBetween(before: string, after: string): Edit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return {
    startIndex: start,
    oldEndIndex: before.length - tail,
    newEndIndex: after.length - tail,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, before.length - tail),
    newEndPosition: pointAt(after, after.length - tail),
  };
}

/** Row and column of offset `index` in `text`, in the UTF-16 units web-tree-sitter counts in. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
