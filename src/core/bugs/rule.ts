import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';

/** Called for a node of a given type during the single tree walk. */
export type NodeHandler = (node: Node) => void;

/** Per-file state of one bug pattern family: handlers by node type plus an optional end-of-file step. */
export interface Rule {
  /** Called when the walk enters a node of the keyed type. */
  enter?: Record<string, NodeHandler>;
  /** Runs after the walk, for patterns that need the whole file (e.g. async names declared later). */
  finish?: () => void;
}

/** What a rule sees of the file being checked and how it reports. */
export interface RuleContext {
  language: Language;
  source: string;
  /** Whole-word occurrences of an identifier in the source (a name written once cannot be shadowing). */
  occurrences(word: string): number;
  /** Records a candidate spanning `from` (through `to`, default `from`), about the result of `callee` if given. */
  report(pattern: string, weight: number, message: string, from: Node, to?: Node, callee?: string): void;
  /** Records a candidate on explicit 1-based lines. */
  reportLines(pattern: string, weight: number, message: string, startLine: number, endLine: number): void;
}

/** Builds a rule's per-file handlers, or returns null when the rule does not apply to the language. */
export type RuleFactory = (ctx: RuleContext) => Rule | null;
