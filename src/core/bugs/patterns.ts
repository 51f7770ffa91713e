import type { Node } from 'web-tree-sitter';
import type { BugCandidate, Language } from '../types';

/** Likely-bug candidates found by syntax-tree patterns in one parsed file. */
export function findBugCandidates(root: Node, language: Language, source: string): BugCandidate[] {
  void root; void language; void source;
  return [];
}
