import type { Language as Grammar, Node } from 'web-tree-sitter';
import { wordRuns, type WordRuns } from '../retrieve/terms';
import type { BugCandidate, Language } from '../types';
import { csharpAsyncRules, jsAsyncRules, pythonAsyncRules } from './asyncRules';
import { assignmentInConditionRules, comparisonRules, selfAssignmentRules } from './comparisonRules';
import { catchRules, goErrorRules } from './exceptionRules';
import { emptyIfRules, unreachableRules } from './flowRules';
import { MARKER_PATTERN, markerRules, mutableDefaultRules, rustRules } from './miscRules';
import { resourceRules } from './resourceRules';
import { fallthroughRules } from './switchRules';
import type { NodeHandler, Rule, RuleContext, RuleFactory } from './rule';
import { goShadowRules, jsShadowRules, pythonShadowRules } from './scopeRules';
import { endLine, startLine } from './syntax';

/** Most candidates kept per file; comment markers only fill what the other patterns leave. */
export const MAX_BUGS_PER_FILE = 30;

const FACTORIES: RuleFactory[] = [
  catchRules, goErrorRules, jsAsyncRules, pythonAsyncRules, csharpAsyncRules, comparisonRules,
  assignmentInConditionRules, selfAssignmentRules, jsShadowRules, goShadowRules, pythonShadowRules,
  unreachableRules, emptyIfRules, fallthroughRules, resourceRules, mutableDefaultRules, rustRules, markerRules,
];

/**
 * The rules each language gets. Kotlin and Swift name their nodes differently: they get the rules taught
 * their syntax (catch blocks, comparisons, assignments); Scala, whose `catch` holds `case` clauses, only the
 * comment markers.
 */
function factoriesFor(language: Language): RuleFactory[] {
  if (language === 'kotlin' || language === 'swift') return [catchRules, comparisonRules, selfAssignmentRules, markerRules];
  if (language === 'scala') return [markerRules];
  return FACTORIES;
}

type Dispatch = Map<string, NodeHandler[]>;

/** Named node type by grammar type id (null for anonymous tokens), built once per loaded grammar. */
const typeTables = new WeakMap<Grammar, (string | null)[]>();

function typeTable(grammar: Grammar): (string | null)[] {
  let table = typeTables.get(grammar);
  if (!table) {
    table = [];
    for (let id = 0; id < grammar.nodeTypeCount; id++) {
      table.push(grammar.nodeTypeIsNamed(id) ? grammar.nodeTypeForId(id) : null);
    }
    typeTables.set(grammar, table);
  }
  return table;
}

function addHandlers(dispatch: Dispatch, handlers: Record<string, NodeHandler> | undefined): void {
  for (const [type, h] of Object.entries(handlers ?? {})) {
    const list = dispatch.get(type);
    if (list) list.push(h);
    else dispatch.set(type, [h]);
  }
}

/** Runs handlers; a failing rule must not cost the other rules their findings. */
function run(handlers: NodeHandler[], node: Node): void {
  for (const h of handlers) {
    try {
      h(node);
    } catch {
      /* rule bug on odd syntax: skip this node for this rule */
    }
  }
}

/**
 * Visits, in document order, the named nodes of the types some rule wants. The tree is searched inside
 * WASM in one call, so only candidate nodes cross into JavaScript.
 */
function walk(root: Node, dispatch: Dispatch): void {
  const byId = typeTable(root.tree.language).map((type) => (type === null ? undefined : dispatch.get(type)));
  for (const node of root.descendantsOfType([...dispatch.keys()])) {
    const handlers = node && byId[node.typeId];
    if (handlers) run(handlers, node);
  }
}

/** Keeps at most `MAX_BUGS_PER_FILE`: strongest non-marker candidates first, then markers; result ordered by line. */
function cap(found: BugCandidate[]): BugCandidate[] {
  if (found.length <= MAX_BUGS_PER_FILE) return found.sort((a, b) => a.startLine - b.startLine);
  const byWeight = (a: BugCandidate, b: BugCandidate): number => b.weight - a.weight || a.startLine - b.startLine;
  const main = found.filter((c) => c.pattern !== MARKER_PATTERN).sort(byWeight);
  const markers = found.filter((c) => c.pattern === MARKER_PATTERN).sort(byWeight);
  return [...main, ...markers].slice(0, MAX_BUGS_PER_FILE).sort((a, b) => a.startLine - b.startLine);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Python's `if __name__ == "__main__":`. */
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;
/** Weight factor of findings in a module's `__main__` block: demo and manual-test code, not what the module does. */
const MAIN_BLOCK_FACTOR = 0.3;

/** Lowers the findings that lie inside a Python module's top-level `__main__` blocks. */
function lowerMainBlocks(root: Node, found: BugCandidate[]): void {
  for (const block of root.namedChildren) {
    if (block?.type !== 'if_statement' || !MAIN_GUARD.test(block.childForFieldName('condition')?.text ?? '')) continue;
    const [from, to] = [startLine(block), endLine(block)];
    for (const c of found) if (c.startLine >= from && c.startLine <= to) c.weight = Math.round(c.weight * MAIN_BLOCK_FACTOR * 100) / 100;
  }
}

/**
 * Likely-bug candidates found by syntax-tree patterns in one parsed file. `runs` are the source's word
 * counts when the caller has them already (see `wordRuns`).
 */
export function findBugCandidates(root: Node, language: Language, source: string, runs?: WordRuns): BugCandidate[] {
  const found: BugCandidate[] = [];
  const seen = new Set<string>();
  const reportLines = (pattern: string, weight: number, message: string, start: number, end: number, callee?: string): void => {
    const key = `${pattern}:${start}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ pattern, message, weight, startLine: start, endLine: Math.max(start, end), ...(callee ? { callee } : {}) });
  };
  let counts = runs;
  const ctx: RuleContext = {
    language,
    source,
    occurrences: (word) => {
      if (!IDENTIFIER.test(word)) return source.split(word).length - 1;
      counts ??= wordRuns(source);
      return counts.get(word) ?? 0;
    },
    reportLines,
    report: (pattern, weight, message, from, to, callee) => reportLines(pattern, weight, message, startLine(from), endLine(to ?? from), callee),
  };
  try {
    const rules: Rule[] = [];
    for (const factory of factoriesFor(language)) {
      const rule = factory(ctx);
      if (rule) rules.push(rule);
    }
    const dispatch: Dispatch = new Map();
    for (const r of rules) addHandlers(dispatch, r.enter);
    walk(root, dispatch);
    for (const r of rules) {
      try {
        r.finish?.();
      } catch {
        /* keep what the other rules found */
      }
    }
    if (language === 'python' && source.includes('__main__')) lowerMainBlocks(root, found);
  } catch {
    /* broken tree or runtime: return what was found so far */
  }
  return cap(withoutSuppressed(found, source));
}

/** A linter told to be quiet on this line (`# noqa: B006`, `//nolint`, `// eslint-disable-line`, `// NOSONAR` ...). */
const SUPPRESSED_HERE = /(#|\/\/|\/\*).*\b(noqa|nosec|nolint|NOLINT|NOSONAR|NOPMD|eslint-disable-line|eslint-disable-next-line|pylint:\s*disable|rubocop:disable|phpcs:ignore|@phpstan-ignore|@psalm-suppress|lgtm)\b/;
/** ... or on the line after this one (`// eslint-disable-next-line`, `// NOLINTNEXTLINE`, `// ReSharper disable once`). */
const SUPPRESSED_NEXT = /(#|\/\/|\/\*).*\b(eslint-disable-next-line|NOLINTNEXTLINE|ReSharper disable once|phpcs:ignore|@phpstan-ignore-next-line|@phpstan-ignore|@psalm-suppress)\b/;

/** Findings on lines where the code tells a linter to stand down: someone has looked at that line and meant it. */
function withoutSuppressed(found: BugCandidate[], source: string): BugCandidate[] {
  if (!found.length || !SUPPRESSION_WORD.test(source)) return found;
  const lines = source.split('\n');
  return found.filter((c) => {
    const last = Math.min(c.endLine, c.startLine + 1);
    for (let l = c.startLine; l <= last; l++) if (SUPPRESSED_HERE.test(lines[l - 1] ?? '')) return false;
    return !SUPPRESSED_NEXT.test(lines[c.startLine - 2] ?? '');
  });
}

const SUPPRESSION_WORD = /noqa|nosec|nolint|NOLINT|NOSONAR|NOPMD|eslint-disable|pylint:|rubocop:disable|phpcs:ignore|@phpstan-ignore|@psalm-suppress|lgtm|ReSharper disable once/;
