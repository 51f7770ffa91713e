import { isSecretPath } from '../privacy/secretFiles';
import type { Note, SymbolDef } from '../types';
import { DEFAULT_WEIGHTS, RetrievalIndex, type RankWeights, type RankedFile, type RetrievalData } from './searchIndex';
import { FUNCTION_KINDS, leadingDefinitions } from '../structure/definitions';
import { bestDocSection, HOW_TO } from './docSections';
import { namedIdentifiers, normalizeTerm, tokenizeText } from './terms';
import { countTokens, truncateToTokens } from './tokens';

/** A note that served a packed context (same shape as `ServedNote` in ask.ts). */
export interface PackedNote {
  id: string;
  kind: Note['kind'];
  title: string;
  path: string;
  startLine: number;
  endLine: number;
}

/** A code span placed in the context. */
export interface PackedSpan {
  path: string;
  startLine: number;
  endLine: number;
}

/** The prompt context for one question, within a token budget. */
export interface PackedContext {
  text: string;
  /** o200k_base tokens of `text`; always <= the budget. */
  contextTokens: number;
  /** Files the context cites, most relevant first. */
  files: { path: string; score: number }[];
  notes: PackedNote[];
  spans: PackedSpan[];
  /** True when the question matched no file: `files` are then the project's central files. */
  unmatched: boolean;
  /** The definitions the question matched in each listed file, best first (`Ky._retry` for a question about retries). */
  matchedDefs: Map<string, SymbolDef[]>;
  /** The question's normalized words. */
  terms: ReadonlySet<string>;
}

/** Packing options. */
export interface PackOptions {
  weights?: RankWeights;
  /** Max files listed in the "most relevant files" section. Default 12. */
  maxListedFiles?: number;
  /** Max lines per code span. Default 40. */
  maxSpanLines?: number;
  /** Lines of context shown before a definition. Default 2. */
  contextLines?: number;
}

/** The instruction line at the top of every packed prompt. */
export const INSTRUCTIONS =
  'Answer the question about this repository using only the notes and code below. Cite code as path:line.';

interface Item {
  priority: number;
  text: string;
  tokens: number;
  note?: Note;
  span?: PackedSpan;
  /** The span is of a guide (README, docs/*.md), not of code. */
  doc?: boolean;
  paths: string[];
}

function noteLocation(note: Note): { path: string; startLine: number; endLine: number } {
  const e = note.evidence[0];
  if (e) return { path: e.path, startLine: e.startLine, endLine: e.endLine };
  return { path: note.subject ?? '', startLine: 1, endLine: 1 };
}

function renderNote(note: Note, maxTokens: number): string {
  const loc = noteLocation(note);
  const head = `### [${note.kind}] ${note.title}${loc.path ? ` (${loc.path}:${loc.startLine})` : ''}\n`;
  const bodyBudget = maxTokens - countTokens(head) - 1;
  if (bodyBudget <= 8) return '';
  const body = truncateToTokens(note.body.trim(), bodyBudget);
  return body ? `${head}${body.trimEnd()}\n` : '';
}

/** A comment line (`//`, `/*`, ` * `, `#` but not a Rust `#[attribute]`, `--`). */
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|#(?!\[)|--)/;

/**
 * The lines of `def` quoted: a few above it (its decorators, a short doc comment), then the definition. The tail
 * of a longer doc comment (`/// # }` of an example) and blank lines are left out: the span starts at the definition.
 */
function spanFor(def: SymbolDef, lines: string[], contextLines: number, maxLines: number): PackedSpan {
  let startLine = Math.max(1, def.startLine - contextLines);
  if (startLine > 1 && COMMENT_LINE.test(lines[startLine - 2])) {
    while (startLine < def.startLine && COMMENT_LINE.test(lines[startLine - 1])) startLine++;
  }
  // Blank lines above a definition show nothing.
  while (startLine < def.startLine && !lines[startLine - 1]?.trim()) startLine++;
  const endLine = Math.min(lines.length, def.endLine, startLine + maxLines - 1);
  return { path: '', startLine, endLine: Math.max(startLine, endLine) };
}

/** Files whose text is read to choose what of them to quote. */
const QUOTED_FILES = 12;

/** The question's (normalized) words on each line of a file. */
function termsByLine(lines: string[], terms: ReadonlySet<string>): (Set<string> | undefined)[] {
  return lines.map((line) => {
    let found: Set<string> | undefined;
    for (const t of tokenizeText(line)) {
      const n = normalizeTerm(t);
      if (n && terms.has(n)) (found ??= new Set()).add(n);
    }
    return found;
  });
}

/** A definition to quote and the lines of it to show. */
interface Quote {
  def: SymbolDef;
  span: PackedSpan;
}

/**
 * The `window` lines from `head` on, up to `endLine`, that hold the most distinct question words; `head` when
 * none does better. A class or a long function is quoted where the question's words are, not where it starts.
 */
function bestWindow(endLine: number, onLine: (Set<string> | undefined)[], head: PackedSpan, window: number): PackedSpan {
  const last = Math.min(onLine.length, endLine);
  if (last - head.startLine + 1 <= window) return head;
  // Slid one line at a time, counting each word's lines inside the window.
  const counts = new Map<string, number>();
  const add = (line: number, by: number): void => {
    for (const w of onLine[line - 1] ?? []) {
      const n = (counts.get(w) ?? 0) + by;
      if (n) counts.set(w, n);
      else counts.delete(w);
    }
  };
  for (let l = head.startLine; l < head.startLine + window; l++) add(l, 1);
  let best = head;
  let bestCount = counts.size;
  for (let from = head.startLine + 1; from + window - 1 <= last; from++) {
    add(from - 1, -1);
    add(from + window - 1, 1);
    if (counts.size > bestCount) {
      bestCount = counts.size;
      best = { path: '', startLine: from, endLine: from + window - 1 };
    }
  }
  return best;
}

/** The innermost definition inside `outer` (or `outer` itself) whose lines hold `line`. */
function innermostAt(all: readonly SymbolDef[], outer: SymbolDef, line: number): SymbolDef {
  let best = outer;
  for (const d of all) {
    if (d.startLine <= line && line <= d.endLine && outer.startLine <= d.startLine && d.endLine <= outer.endLine && d.endLine - d.startLine < best.endLine - best.startLine) best = d;
  }
  return best;
}

function distinctWords(onLine: (Set<string> | undefined)[], from: number, to: number, except?: ReadonlySet<string | null>): number {
  const words = new Set<string>();
  for (let l = from; l <= to; l++) for (const w of onLine[l - 1] ?? []) if (!except?.has(w)) words.add(w);
  return words.size;
}

/**
 * The question's words in a definition's name: `_rotateFile` for "how are log files rotated". They count for
 * functions and methods, which do the work a question asks about; a class's name counts through the ranking.
 */
function nameWords(def: SymbolDef, terms: ReadonlySet<string>): number {
  let n = 0;
  for (const t of nameTerms(def)) if (t && terms.has(t)) n++;
  return n;
}

/** The normalized words of a definition's name. */
function nameTerms(def: SymbolDef): Set<string | null> {
  return new Set(tokenizeText(def.name).map(normalizeTerm));
}

/** `FilenameUtils()` in `class FilenameUtils`, `Foo::Foo`: a constructor named as its class. */
function isConstructor(def: SymbolDef): boolean {
  return def.parent !== undefined && def.name === def.parent.slice(def.parent.search(/[^.:]*$/));
}

/**
 * The definitions of a file to quote for a question, best first, each with the lines to show. A definition the
 * ranking matched by name (`named`, best first) starts ahead; each gains one for every distinct question word in
 * the lines it would show (the part of a long one where they are) and one more for each in its name: for "how does
 * the router match a path?" `Route.matches`, whose body uses them, comes before the `Match` enum. A definition only
 * its body matches needs two such words. Of two whose lines overlap, the better one is quoted; on a tie, the inner.
 */
function definitionsToQuote(
  named: SymbolDef[], all: readonly SymbolDef[], lines: string[], onLine: (Set<string> | undefined)[], terms: ReadonlySet<string>,
  contextLines: number, maxLines: number, identifiers: readonly string[] = [],
): Quote[] {
  if (!terms.size) return named.map((def) => ({ def, span: spanFor(def, lines, contextLines, maxLines) }));
  // Lines that write an identifier the question names (`throw new AmbiguousOptionException(...)`).
  const mentioning = identifiers.length ? new RegExp(`(?<![\\w$])(${identifiers.map((n) => n.replace(/\$/g, '\\$')).join('|')})(?![\\w$])`) : undefined;
  const mentions = (def: SymbolDef, span: PackedSpan): number => {
    if (!mentioning || identifiers.includes(def.name)) return 0;
    for (let l = span.startLine; l <= span.endLine; l++) if (mentioning.test(lines[l - 1] ?? '')) return 2;
    return 0;
  };
  const scored = all.map((def) => {
    const head = spanFor(def, lines, contextLines, maxLines);
    const span = bestWindow(def.endLine, onLine, head, maxLines);
    // A constructor bears its class's name: a question naming the class asks about the class, not about it.
    const constructor = isConstructor(def);
    const i = constructor ? -1 : named.indexOf(def);
    const className = constructor ? nameTerms(def) : undefined;
    const score = distinctWords(onLine, span.startLine, span.endLine, className) + (FUNCTION_KINDS.has(def.kind) && !constructor ? 2 * nameWords(def, terms) : 0)
      + (i >= 0 ? 2 + (named.length - i) / named.length : 0) + mentions(def, span);
    // A class quoted inside one of its methods is quoted as that method.
    return { def: span === head ? def : innermostAt(all, def, span.startLine), span, score };
  });
  const ranked = scored
    .filter((x) => x.score >= 2)
    .sort((a, b) => b.score - a.score || (a.def.endLine - a.def.startLine) - (b.def.endLine - b.def.startLine) || a.def.startLine - b.def.startLine);
  const out: Quote[] = [];
  for (const q of ranked) {
    if (!out.some((o) => o.span.startLine <= q.span.endLine && q.span.startLine <= o.span.endLine)) out.push({ def: q.def, span: q.span });
  }
  return out;
}

/**
 * Pack the notes and code spans most relevant to `question` into a prompt of at most
 * `budgetTokens` o200k_base tokens: instructions, the question, a ranked file list, then notes and
 * code spans (definitions that match the question, read with `data.readText`) greedily by relevance.
 */
export function packContext(
  question: string,
  source: RetrievalData | RetrievalIndex,
  budgetTokens: number,
  opts: PackOptions = {},
): PackedContext {
  const index = source instanceof RetrievalIndex ? source : RetrievalIndex.build(source);
  const data = index.data;
  const budget = Math.max(0, Math.floor(budgetTokens));
  const maxListed = opts.maxListedFiles ?? 12;
  const maxSpanLines = opts.maxSpanLines ?? 40;
  const contextLines = opts.contextLines ?? 2;
  const ranking = index.rank(question, opts.weights ?? DEFAULT_WEIGHTS);
  const fileScore = new Map(ranking.files.map((f) => [f.path, f.score]));
  const topFileScore = ranking.files[0]?.score ?? 1;
  const topNoteScore = ranking.notes[0]?.score ?? 1;

  const header = truncateToTokens(`${INSTRUCTIONS}\n\nQuestion: ${question.trim()}\n`, budget);
  let used = countTokens(header);
  const parts: string[] = [header];
  const cited: string[] = [];

  // The text of the best files, and what of each to quote.
  const identifiers = namedIdentifiers(question).filter((n) => n.length >= 4);
  const quoted = new Map<string, { lines: string[]; onLine: (Set<string> | undefined)[]; quotes: Quote[] }>();
  if (data.readText) {
    for (const f of ranking.files.slice(0, QUOTED_FILES)) {
      if (isSecretPath(f.path)) continue;
      const content = data.readText(f.path);
      if (content === undefined) continue;
      const lines = content.split(/\r?\n/);
      const all = data.files.get(f.path)?.defs ?? [];
      const onLine = ranking.terms.size ? termsByLine(lines, ranking.terms) : [];
      quoted.set(f.path, { lines, onLine, quotes: definitionsToQuote(f.defs, all, lines, onLine, ranking.terms, contextLines, maxSpanLines, identifiers) });
    }
  }
  const matched = (f: RankedFile): SymbolDef[] => quoted.get(f.path)?.quotes.map((q) => q.def) ?? f.defs;

  // A compact ranked file list: the cheapest way to point at the right places.
  const listed: RankedFile[] = ranking.files.slice(0, maxListed);
  if (listed.length) {
    const title = '\n## Most relevant files\n';
    const titleTokens = countTokens(title);
    if (used + titleTokens < budget) {
      const lines: string[] = [];
      let listTokens = titleTokens;
      for (const f of listed) {
        const defs = matched(f).slice(0, 3);
        const line = `- ${f.path}${defs.length ? `:${defs[0].startLine} (${defs.map((d) => d.name).join(', ')})` : ''}${f.central ? ' (central file; the question did not match it)' : ''}\n`;
        const t = countTokens(line);
        if (used + listTokens + t > budget) break;
        lines.push(line);
        listTokens += t;
        cited.push(f.path);
      }
      if (lines.length) {
        parts.push(title + lines.join(''));
        used += listTokens;
      }
    }
  }

  // Candidates: notes and code spans, ordered by relevance.
  const items: Item[] = [];
  const perItemCap = Math.max(120, Math.floor(budget / 5));
  for (const rn of ranking.notes.slice(0, 40)) {
    const text = renderNote(rn.note, perItemCap);
    if (!text) continue;
    const paths = [...new Set([...rn.note.evidence.map((e) => e.path), ...(rn.note.subject && data.files.has(rn.note.subject) ? [rn.note.subject] : [])])];
    items.push({ priority: rn.score / topNoteScore, text, tokens: countTokens(text), note: rn.note, paths });
  }
  for (const f of ranking.files.slice(0, QUOTED_FILES)) {
    const q = quoted.get(f.path);
    if (!q) continue;
    const { lines, onLine } = q;
    const quotes = q.quotes.length
      ? q.quotes.slice(0, 2)
      : leadingDefinitions(data.files.get(f.path)?.defs ?? []).slice(0, 1).map((def) => ({ def, span: spanFor(def, lines, contextLines, maxSpanLines) }));
    quotes.forEach(({ span: sp }, i) => {
      const span: PackedSpan = { path: f.path, startLine: sp.startLine, endLine: sp.endLine };
      const body = lines.slice(span.startLine - 1, span.endLine).join('\n');
      const head = `\n\`\`\`${f.path}:${span.startLine}-${span.endLine}\n`;
      const raw = `${head}${body}\n\`\`\`\n`;
      let text = raw;
      let tokens = countTokens(raw);
      if (tokens > perItemCap) {
        const cut = truncateToTokens(body, perItemCap - countTokens(head) - 4);
        const kept = cut.split('\n').length - (cut.endsWith('\n') ? 1 : 0);
        if (kept < 1 || !cut) return;
        // What fits of the span: its lines that hold the question's words, not merely its first ones.
        span.startLine = bestWindow(span.endLine, onLine, { path: '', startLine: span.startLine, endLine: span.startLine + kept - 1 }, kept).startLine;
        span.endLine = span.startLine + kept - 1;
        text = `\n\`\`\`${f.path}:${span.startLine}-${span.endLine}\n${lines.slice(span.startLine - 1, span.endLine).join('\n')}\n\`\`\`\n`;
        tokens = countTokens(text);
      }
      items.push({ priority: (f.score / topFileScore) * (i === 0 ? 1.05 : 0.6), text, tokens, span, paths: [f.path] });
    });
  }
  // A how-to question: the section of the project's own guides that answers it, beside the code.
  if (HOW_TO.test(question) && data.readText) {
    const doc = bestDocSection(ranking.terms, data.files.keys(), data.readText);
    if (doc) {
      const head = (endLine: number): string => `\n#### ${doc.path}:${doc.startLine}-${endLine}\n`;
      const body = truncateToTokens(doc.lines.join('\n').trimEnd(), perItemCap - countTokens(head(doc.endLine)) - 2);
      if (body) {
        const span: PackedSpan = { path: doc.path, startLine: doc.startLine, endLine: doc.startLine + body.split('\n').length - 1 };
        const text = `${head(span.endLine)}${body}\n`;
        // Ahead of the code: a how-to question asks for usage, which the guide states.
        items.push({ priority: 1.1, text, tokens: countTokens(text), span, doc: true, paths: [doc.path] });
      }
    }
  }
  items.sort((a, b) => b.priority - a.priority);

  const chosen: Item[] = [];
  for (const it of items) {
    if (used + it.tokens > budget) continue;
    chosen.push(it);
    used += it.tokens;
  }
  const noteItems = chosen.filter((c) => c.note);
  const docItems = chosen.filter((c) => c.doc);
  const spanItems = chosen.filter((c) => c.span && !c.doc);
  if (noteItems.length) parts.push('\n## Notes\n', ...noteItems.map((c) => c.text));
  if (docItems.length) parts.push('\n## Documentation\n', ...docItems.map((c) => c.text));
  if (spanItems.length) parts.push('\n## Code\n', ...spanItems.map((c) => c.text));

  // Section titles and joins can tokenize differently from the pieces: drop items until the whole fits.
  let text = parts.join('');
  let contextTokens = countTokens(text);
  while (contextTokens > budget && chosen.length) {
    const drop = chosen.pop() as Item;
    const i = parts.indexOf(drop.text);
    if (i >= 0) parts.splice(i, 1);
    text = parts.join('');
    contextTokens = countTokens(text);
  }
  if (contextTokens > budget) {
    text = truncateToTokens(text, budget);
    contextTokens = countTokens(text);
  }

  for (const c of chosen) for (const p of c.paths) cited.push(p);
  const seen = new Set<string>();
  const files = cited
    .filter((p) => data.files.has(p) && !seen.has(p) && seen.add(p) && text.includes(p))
    .map((p) => ({ path: p, score: Math.round((fileScore.get(p) ?? 0) * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score);
  const notes = chosen.filter((c) => c.note).map((c) => {
    const n = c.note as Note;
    return { id: n.id, kind: n.kind, title: n.title, ...noteLocation(n) };
  });
  const spans = chosen.filter((c) => c.span).map((c) => c.span as PackedSpan);
  const unmatched = ranking.files.length > 0 && ranking.files.every((f) => f.central);
  const matchedDefs = new Map(listed.filter((f) => matched(f).length).map((f) => [f.path, matched(f).slice(0, 3)]));
  return { text, contextTokens, files, notes, spans, unmatched, matchedDefs, terms: ranking.terms };
}
