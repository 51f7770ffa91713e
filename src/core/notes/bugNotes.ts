import { mayBeError } from '../bugs/exceptionRules';
import { MARKER_PATTERN } from '../bugs/miscRules';
import type { BugCandidate, FileAnalysis, HistoryResult, Note, SymbolDef } from '../types';
import { enclosingDef } from '../enclosingDef';
import { note } from './architectureNotes';
import { isTestPath } from './testHooks';
import { counted } from '../plural';
import { isPeripheralPath } from '../structure/peripheral';

/** Input of {@link buildBugNotes}. */
export interface BugNotesInput {
  files: Map<string, FileAnalysis>;
  history: HistoryResult;
  /** Centrality of each file (e.g. PageRank); any non-negative scale. */
  fileRank: Record<string, number>;
  /** ISO timestamp stamped on the notes. */
  now: string;
  /** Most notes returned, strongest first. Default 200. */
  limit?: number;
}

const DEFAULT_LIMIT = 200;
const MARKER_FACTOR = 0.5;
/** Each stronger finding of the same pattern divides a finding's rank by 1 + this: one pattern does not fill the list. */
const REPEAT_PENALTY = 0.1;
/** Pseudo-commits added to the fix-density denominator so one-commit files do not look maximally buggy. */
const FIX_SMOOTHING = 2;

const LABELS: Record<string, string> = {
  'swallowed-exception': 'Swallowed exception',
  'bare-except': 'Bare except',
  'catch-only-logs': 'Error only logged',
  'except-returns-none': 'Error turned into None',
  'broad-catch': 'Overly broad catch',
  'ignored-error': 'Ignored error',
  'unchecked-error': 'Unchecked error',
  'unawaited-promise': 'Unawaited promise',
  'unhandled-then': 'Promise chain without catch',
  'unawaited-coroutine': 'Coroutine never awaited',
  'async-void': 'async void method',
  'mutable-default': 'Mutable default argument',
  'self-comparison': 'Comparison with itself',
  'self-assignment': 'Self-assignment',
  'typeof-typo': 'Misspelled typeof result',
  'assignment-in-condition': 'Assignment in condition',
  'is-literal': 'Identity comparison with a literal',
  'string-reference-equality': 'String compared by reference',
  'impossible-comparison': 'Comparison that is always true/false',
  'shadowed-variable': 'Shadowed variable',
  'shadowed-builtin': 'Shadowed builtin',
  'unreachable-code': 'Unreachable code',
  'empty-if': 'Empty if',
  'unclosed-resource': 'Resource never closed',
  'switch-fallthrough': 'Case falls through',
  [MARKER_PATTERN]: 'Marker comment',
  'rust-unwrap': 'unwrap() outside tests',
  'unsafe-block': 'unsafe block',
};

interface Ranked {
  file: FileAnalysis;
  bug: BugCandidate;
  raw: number;
  /** `raw` less the repeat penalty: what the notes are ordered and scored by. */
  rank: number;
  evidence: string;
  /** The same marker comment elsewhere, or the same finding elsewhere in the file, folded into this note. */
  copies?: { file: FileAnalysis; line: number }[];
  /** The file's other marker comments, strongest first, folded into this marker's note. */
  siblings?: BugCandidate[];
}

/** Copies of one marker comment listed in its note. */
const COPIES_SHOWN = 5;
/** Other marker comments of the file listed (and cited) in its marker note. */
const SIBLINGS_SHOWN = 10;

/** Go functions and methods of the repository whose every definition ends its results with something other than an error. */
function errorlessGoFunctions(files: Map<string, FileAnalysis>): Set<string> {
  const returns = new Map<string, boolean>();
  for (const f of files.values()) {
    if (f.language !== 'go') continue;
    for (const d of f.defs) {
      if (d.lastResult === undefined) continue;
      returns.set(d.name, (returns.get(d.name) ?? false) || mayBeError(d.lastResult));
    }
  }
  return new Set([...returns].filter(([, error]) => !error).map(([name]) => name));
}

/** Human label of a bug pattern id. */
export function bugPatternLabel(pattern: string): string {
  return LABELS[pattern] ?? pattern.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * Bug notes from the files' syntax-tree candidates, ranked by evidence: pattern weight x (1 + smoothed
 * fix-commit density) x (1 + log churn) x (1 + normalised centrality), with markers down-weighted and
 * each repeat of a pattern a little lower than the one before. Tests and fixtures are left out, and so are docs,
 * examples and vendored code when the repository has code of its own.
 * Returns the strongest `limit` as `bug` notes.
 */
export function buildBugNotes(input: BugNotesInput): Note[] {
  const { files, history, fileRank } = input;
  const maxRank = Math.max(0, ...Object.values(fileRank).filter(Number.isFinite));
  const maxChurn = Math.max(0, ...Object.values(history.files).map((h) => h.commits));
  const ceiling = 2 * (1 + Math.log1p(maxChurn)) * 2;
  // Findings in code beside the project (docs, examples, benchmarks, vendored copies) are not about it, unless
  // the repository holds nothing else.
  const ownCode = [...files.values()].some((f) => f.language && !isTestPath(f.path) && !isPeripheralPath(f.path));
  const errorless = errorlessGoFunctions(files);
  const ranked: Ranked[] = [];
  for (const file of files.values()) {
    // Analysis no longer looks for bugs in tests; this also drops test findings cached by older versions.
    if (!file.bugs.length || isTestPath(file.path)) continue;
    if (ownCode && isPeripheralPath(file.path)) continue;
    const h = history.available ? history.files[file.path] : undefined;
    const commits = h?.commits ?? 0;
    const fixes = h?.fixCommits ?? 0;
    const density = fixes / (commits + FIX_SMOOTHING);
    const centrality = maxRank > 0 ? Math.max(0, fileRank[file.path] ?? 0) / maxRank : 0;
    const fileFactor = (1 + density) * (1 + Math.log1p(commits)) * (1 + centrality);
    const parts = [
      h ? `file has ${counted(fixes, 'fix commit')} out of ${commits}; churn ${commits}` : 'no git history for this file',
      `centrality ${centrality.toFixed(2)} of the most central file`,
    ];
    for (const bug of file.bugs) {
      // `node, _, _ := mx.tree.FindRoute(...)`: the repository's FindRoute returns no error last.
      if (bug.callee && errorless.has(bug.callee)) continue;
      const marker = bug.pattern === MARKER_PATTERN;
      const raw = bug.weight * fileFactor * (marker ? MARKER_FACTOR : 1);
      ranked.push({ file, bug, raw, rank: raw, evidence: parts.join('; ') + (marker ? '; comment marker (down-weighted)' : '') });
    }
  }
  const byPlace = (a: Ranked, b: Ranked): number => a.file.path.localeCompare(b.file.path) || a.bug.startLine - b.bug.startLine;
  ranked.sort((a, b) => b.raw - a.raw || byPlace(a, b));
  const kept = withMarkersByFile(withoutCopies(ranked));
  const seen = new Map<string, number>();
  for (const r of kept) {
    const stronger = seen.get(r.bug.pattern) ?? 0;
    seen.set(r.bug.pattern, stronger + 1);
    if (stronger === 0) continue;
    r.rank = r.raw / (1 + REPEAT_PENALTY * stronger);
    r.evidence += `; ${counted(stronger, 'stronger finding')} of this pattern (repeats rank lower)`;
  }
  kept.sort((a, b) => b.rank - a.rank || byPlace(a, b));
  return kept.slice(0, input.limit ?? DEFAULT_LIMIT).map((r) => toNote(r, ceiling, input.now));
}

/**
 * One marker comment copied to many places (`TODO: once rust-lang/rust#126198 is fixed`, next to each of nine
 * workarounds) is one note, at its strongest place, listing the others; so is one finding repeated word for word in
 * a file (`res, _ := readAsCSV(s)` in each branch of a switch), and the result of one function dropped again and
 * again in one function (fzf's `HexToColor`: `r, _ := strconv.ParseInt(...)`, then `g`, then `b`). `ranked` is
 * strongest first.
 */
function withoutCopies(ranked: Ranked[]): Ranked[] {
  const first = new Map<string, Ranked>();
  return ranked.filter((r) => {
    const keys = copyKeys(r);
    const original = keys.map((k) => first.get(k)).find((o) => o !== undefined);
    if (original) (original.copies ??= []).push({ file: r.file, line: r.bug.startLine });
    else for (const k of keys) first.set(k, r);
    return !original;
  });
}

/**
 * The marker comments of one file are one note, at its strongest, listing the others with their text: a large
 * C++ project's TODOs would otherwise fill the bug notes one line at a time (libzmq: 101 of 102 notes). A comment
 * copied to other files keeps its own note; one repeated within the file is listed with the others at each of its
 * lines. `kept` is strongest first.
 */
function withMarkersByFile(kept: Ranked[]): Ranked[] {
  const head = new Map<string, Ranked>();
  return kept.filter((r) => {
    if (r.bug.pattern !== MARKER_PATTERN || r.copies?.some((c) => c.file.path !== r.file.path)) return true;
    const first = head.get(r.file.path);
    if (!first) head.set(r.file.path, r);
    else (first.siblings ??= []).push(r.bug, ...(r.copies ?? []).map((c) => ({ ...r.bug, startLine: c.line, endLine: c.line })));
    return !first;
  });
}

/** What makes two findings one: the same marker text anywhere; in one file, the same message or the same callee in one function. */
function copyKeys({ file, bug }: Ranked): string[] {
  if (bug.pattern === MARKER_PATTERN) return [bug.message];
  const keys = [`${file.path}\0${bug.pattern}\0${bug.message}`];
  const def = bug.callee && enclosingDef(file.defs, bug.startLine);
  if (def) keys.push(`${file.path}\0${bug.pattern}\0${bug.callee}()\0${def.name}:${def.startLine}`);
  return keys;
}

function toNote(r: Ranked, ceiling: number, now: string): Note {
  const { file, bug } = r;
  const end = Math.max(bug.startLine, Math.min(bug.endLine, file.lines || bug.endLine));
  const cite = end > bug.startLine ? `${file.path}:${bug.startLine}-${end}` : `${file.path}:${bug.startLine}`;
  const def = enclosingDef(file.defs, bug.startLine);
  const owner = def ? `${def.parent ? `${def.parent}.` : ''}${def.name}` : '';
  const copies = r.copies ?? [];
  const siblings = (r.siblings ?? []).slice(0, SIBLINGS_SHOWN);
  const more = r.siblings?.length ?? 0;
  const label = bugPatternLabel(bug.pattern);
  const title = `${label}${owner ? ` in \`${owner}\`` : ''}${more ? ` and ${more} more` : ''} (${file.path}:${bug.startLine})`;
  const body = [
    `**${label}**${owner ? ` in \`${owner}\`` : ''} at \`${cite}\`.`,
    '',
    bug.message,
    ...(more ? ['', `${counted(more, 'more marker comment')} in this file:`, ...siblings.map((b) => `- \`${file.path}:${b.startLine}\`: ${b.message}`), ...(more > siblings.length ? ['- ...'] : [])] : []),
    ...(copies.length ? ['', `The same ${bug.pattern === MARKER_PATTERN ? 'comment' : 'finding'} is at ${counted(copies.length, 'more place')}: ${copies.slice(0, COPIES_SHOWN).map((c) => `\`${c.file.path}:${c.line}\``).join(', ')}${copies.length > COPIES_SHOWN ? ', ...' : ''}.`] : []),
    '',
    `Evidence for ranking: ${r.evidence}; pattern weight ${Number(bug.weight.toFixed(2))}.`,
    '',
    `Cite: \`${file.path}:${bug.startLine}\``,
  ].join('\n');
  return note({
    id: `bug:${file.path}:${bug.startLine}:${bug.pattern}`,
    kind: 'bug',
    title,
    body,
    evidence: [
      { path: file.path, startLine: bug.startLine, endLine: end },
      ...siblings.map((b) => ({ path: file.path, startLine: b.startLine, endLine: Math.max(b.startLine, b.endLine) })),
      ...copies.slice(0, COPIES_SHOWN).map((c) => ({ path: c.file.path, startLine: c.line, endLine: c.line })),
    ],
    dependsOn: Object.fromEntries([file, ...copies.map((c) => c.file)].map((f) => [f.path, f.hash])),
    subject: file.path,
    score: Math.min(1, r.rank / ceiling),
    now,
    meta: { pattern: bug.pattern, weight: bug.weight },
  });
}
