import { stemmer } from 'stemmer';
import { memoized } from '../memo';

/** English and programming filler words that carry no retrieval signal. */
const STOPWORDS = new Set(
  ('a an and are as at be been but by can could do does did doing for from had has have how i if in into is it its ' +
    'me my no not of on or our should so some than that the their them then there these they this those to too ' +
    'up us was we were what when where which while who whom why will with would you your about after again all ' +
    'also any because before being both each few more most much other over own same such only just very s t ' +
    'don now get gets got use used using make makes made need needs want wants way new one two see via vs etc ' +
    'please thanks e g ie eg let lets').split(/\s+/),
);

/** An identifier or word as the tokenizer reads it. */
export const WORD_RUN = /[A-Za-z_$][A-Za-z0-9_$]*|\d+[A-Za-z][A-Za-z0-9]*/g;

/** Split an identifier into lowercase sub-words: `parseHTTPResponse_v2` -> parse, http, response, v2. */
export function splitIdentifier(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** Normalize one word for indexing and querying: lowercase, stopwords dropped, Porter-stemmed. */
export const normalizeTerm = memoized((word: string): string | null => {
  const w = word.toLowerCase();
  return w.length < 2 || STOPWORDS.has(w) || /^\d+$/.test(w) ? null : stemmer(w);
});

/**
 * Index/query tokenizer: every word-like run (identifiers kept whole, lowercased) plus its
 * camelCase/snake_case sub-words, so `getUserName` matches both `getusername` and `user`.
 */
export function tokenizeText(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.match(WORD_RUN) ?? []) for (const p of wordParts(raw)) out.push(p);
  return out;
}

/** One word run as indexed: lowercase words as they are, identifiers whole plus their sub-words. */
function wordParts(raw: string): string[] {
  return /^[a-z0-9]+$/.test(raw) ? [raw] : identifierParts(raw);
}

/** The normalized search terms of a text, in order (stop words and noise left out). */
export function textTerms(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenizeText(text)) {
    const n = normalizeTerm(t);
    if (n) out.push(n);
  }
  return out;
}

/** The content term of a whole identifier as file contents are indexed (`livereload_port` -> `livereloadport`), or null. */
export function identifierTerm(raw: string): string | null {
  const whole = wordParts(raw)[0];
  return whole ? normalizeTerm(whole) : null;
}

const identifierParts = memoized((raw: string): string[] => {
  const sub = splitIdentifier(raw);
  return sub.length > 1 ? [raw.toLowerCase().replace(/[_$]/g, ''), ...sub] : sub;
});

/** Keywords shared by the supported languages: frequent in every file, so no signal about what a file does. */
const CODE_KEYWORDS = new Set(
  ('abstract async await break case catch class const continue def default defer delete elif else end enum export ' +
    'extends extern false final finally fn func function go impl implements import interface lambda elsif nil none ' +
    'null package pass private protected pub public raise require return self static struct super switch this throw ' +
    'throws true try type typeof undefined unless var void yield int bool boolean char float double long string ' +
    'str byte err nullptr module begin rescue mut').split(/\s+/),
);

/** The normalized content terms of one word run (keywords dropped), remembered across files. */
const contentParts = memoized((raw: string): string[] => {
  const out: string[] = [];
  for (const t of wordParts(raw)) {
    if (CODE_KEYWORDS.has(t)) continue;
    const n = normalizeTerm(t);
    if (n) out.push(n);
  }
  return out;
});

/** How often each word run (identifier-like token, case kept) occurs in a text. */
export type WordRuns = ReadonlyMap<string, number>;

/** Counts the word runs of `source`: one pass that serves both the content terms and the bug patterns. */
export function wordRuns(source: string): WordRuns {
  const runs = new Map<string, number>();
  for (const raw of source.match(WORD_RUN) ?? []) runs.set(raw, (runs.get(raw) ?? 0) + 1);
  return runs;
}

/** Content terms kept per file by default. */
export const MAX_CONTENT_TERMS = 300;

/**
 * Content terms kept for a file of `lines` lines: 300, growing with the square root of the length up to
 * 3,000, so that a large file keeps the rarer words that say what its parts do.
 */
export function contentTermCap(lines: number): number {
  return Math.min(3000, Math.max(MAX_CONTENT_TERMS, Math.round(20 * Math.sqrt(lines))));
}

/**
 * A file's content term vector: counts of normalized terms (identifiers whole and split, comment and
 * string words) over `source`, language keywords dropped; past `max` distinct terms, the `max` most
 * frequent (ties by term). Encoded as `term:count` pairs separated by spaces: one string per file
 * instead of an object with its own set of keys, which cost more to build, copy between threads and store.
 */
export function contentTerms(source: string | WordRuns, max = MAX_CONTENT_TERMS): string {
  const runs = typeof source === 'string' ? wordRuns(source) : source;
  const counts = new Map<string, number>();
  for (const [raw, k] of runs) for (const n of contentParts(raw)) counts.set(n, (counts.get(n) ?? 0) + k);
  let kept: Iterable<[string, number]> = counts;
  // Most files have fewer distinct terms than `max`: no need to rank them.
  if (counts.size > max) kept = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max);
  let out = '';
  for (const [term, count] of kept) out += out ? ` ${term}:${count}` : `${term}:${count}`;
  return out;
}

/** The `[term, count]` pairs of a term vector as `contentTerms` encodes it (or as older caches hold it). */
export function termCounts(terms: string | Record<string, number> | undefined): [string, number][] {
  if (!terms) return [];
  if (typeof terms !== 'string') return Object.entries(terms);
  return terms.split(' ').map((pair) => {
    const colon = pair.lastIndexOf(':');
    return [pair.slice(0, colon), Number(pair.slice(colon + 1))];
  });
}

/**
 * Text a question quotes, as its words (at most 12): `'returned a new value'`, "Unable to create converter",
 * an `Error: ...` it pastes. Quotes of fewer than three words are left out; so are apostrophes (`doesn't`) and
 * code in backticks, whose names `namedIdentifiers` takes.
 */
export function quotedPhrases(question: string): string[][] {
  const out: string[][] = [];
  const QUOTED = /(?<![\w])(?:"([^"\n]+)"|'([^'\n]+)'|\u201c([^\u201d\n]+)\u201d)(?![\w])|\b\w*(?:Error|Exception)\b:\s*([^\n]+)/g;
  for (const m of question.matchAll(QUOTED)) {
    const words = (m[1] ?? m[2] ?? m[3] ?? m[4]).match(/[A-Za-z0-9]+/g) ?? [];
    if (words.length >= 3) out.push(words.slice(0, 12));
  }
  return out;
}

/** Identifier-like tokens a question names literally: code in backticks, camelCase, snake_case, dotted or called names. */
export function namedIdentifiers(question: string): string[] {
  const found = new Set<string>();
  for (const m of question.matchAll(/`([^`]+)`/g)) {
    for (const id of m[1].match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) found.add(id);
  }
  for (const m of question.matchAll(/[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*(\(\))?/g)) {
    const tok = m[0];
    const codey = /[a-z][A-Z]|_|\$|\(\)$/.test(tok) || /^[A-Z][a-z]+[A-Z]/.test(tok) || tok.includes('.');
    if (!codey) continue;
    for (const part of tok.replace(/\(\)$/, '').split('.')) if (part.length >= 2) found.add(part);
  }
  return [...found];
}

/**
 * Capitalized words a question uses mid-sentence that are, case for case, the name of a type the repository
 * defines: "transform of CH digraph according Metaphone basic rules" names the class `Metaphone`. Words that
 * open a sentence or sit in a leading `[Tag]` are left out, where a capital says nothing; so are owners
 * (`Rack::Static`), which `qualifiedNames` takes.
 */
export function namedTypes(question: string, typeNames: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const body = question.replace(/^\s*(?:\[[^\]\n]*\]\s*)+/, (tags) => ' '.repeat(tags.length));
  for (const m of body.matchAll(/(?<![\w$.])[A-Z][A-Za-z0-9]*(?![\w$]|(?:::|\.|#|->)[A-Za-z_])/g)) {
    if (!typeNames.has(m[0])) continue;
    if (/(?:^|[.!?:*\n])\s*$/.test(body.slice(0, m.index))) continue;
    found.add(m[0]);
  }
  return [...found];
}

/** Members a question names through their owner: `Mock::poll_write`, `Response.elapsed`, `User#save`, `$db->query` -> [owner, member]. */
export function qualifiedNames(question: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of question.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:::|\.|#|->)([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (m[1].length >= 2 && m[2].length >= 2) out.push([m[1], m[2]]);
  }
  return out;
}

/** Path-like mentions in a question: `src/a/b.ts`, `b.ts`, `utils.py`. */
export function namedPaths(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(/[A-Za-z0-9_\-./]+\.[A-Za-z][A-Za-z0-9]{0,5}\b/g)) {
    const p = m[0].replace(/^\.\//, '').replace(/[.,;:]+$/, '');
    if (/\.[A-Za-z]/.test(p)) out.add(p.toLowerCase());
  }
  return [...out];
}

/**
 * Words that say what the asker wants done ("fix: ...", "fixed ...", "... bug"), not where: matched against
 * file and folder names and contents they pull in whatever happens to be called `fix-*` or `Bug/` or mentions fixes.
 */
const INTENT_WORDS = /\b(?:fix|fixes|fixed|fixing|bugfix|hotfix|bugs?)\b/gi;

/** A person as a message credits them: `@handle`, or one to four capitalized words (`Ben Maurer`, `Jean-Luc de Vos`). */
const PERSON = String.raw`(?:@[\w-]+|[A-Z][\w'.-]*(?:\s+(?:(?:van|von|de|der|da|di|du|le|la)\s+)?[A-Z][\w'.-]*){0,3})`;
/** A tracker item: `GitHub issue 5357`, `GitLab merge requests 12 and 14`. */
const TRACKER_ITEM = String.raw`\b(?:[Gg]it[Hh]ub|[Gg]it[Ll]ab|[Bb]itbucket|[Cc]odeberg)\s+(?:[Ii]ssues?|[Pp]ull\s+[Rr]equests?|PRs?|[Dd]iscussions?|[Mm]erge\s+[Rr]equests?|MRs?)\s*#?\d+(?:\s*(?:,|and)\s*#?\d+)*`;

/**
 * Who reported, suggested or sent a change, and on which tracker: `GitHub issue 5357 from Ben Maurer`,
 * `reported by Aliz Hammond`, `Thanks to @jdoe`, `Signed-off-by: ...` lines. No word of it says where the change
 * lands, and a rare name or `GitHub` matches whatever file happens to hold it (a contributor's copyright line, a URL).
 */
const CREDITS = [
  /^\s*(?:signed-off-by|co-authored-by|reviewed-by|reported-by|acked-by|tested-by|suggested-by|helped-by|cc):.*$/gim,
  new RegExp(String.raw`(?:\bfrom\s+${PERSON}\s+in\s+)?${TRACKER_ITEM}(?:\s+(?:from|by)\s+${PERSON})?`, 'g'),
  new RegExp(String.raw`\b(?:[Rr]eported|[Ss]uggested|[Rr]equested|[Ff]ound|[Nn]oticed|[Dd]iagnosed|[Ii]nvestigated|[Ss]potted|[Ss]ent|[Ss]ubmitted|[Cc]ontributed|[Oo]riginal(?:ly)?|[Pp]atch(?:es)?|[Dd]iff)(?:\s+(?:out|in part|originally|also))?\s+by\s+${PERSON}`, 'g'),
  new RegExp(String.raw`\b[Tt]hanks?\s+to\s+${PERSON}`, 'g'),
];

/** The question without the credits in it (see `CREDITS`). */
export function withoutCredits(question: string): string {
  return CREDITS.reduce((q, re) => q.replace(re, ' '), question);
}

/**
 * The verb a request opens with ("Add ...", "feat(cli): support ...", "Allow ..."): it says that something is wanted,
 * not where; the same word later in a sentence may name a method (`add`) and stays.
 */
const LEADING_REQUEST = /^(\s*(?:[\w-]+(?:\([^)]*\))?!?:\s*)?)(?:add|adds|added|adding|implement|implements|implemented|support|supports|introduce|introduces|allow|allows|enable|enables)\b(?!\()/i;

/**
 * A commit subject's scope: `fix(compiler-core): ...`, `feat(android/aarch64)!: ...`, `emscripten: ...`, also after the
 * tags in brackets a message may open with (`[locale] ka: fix ...`, `[SLF4J-564] slf4j-simple: fix ...`).
 */
const LEADING_SCOPE = /^\s*(?:\[[^\]\n]*\]\s*)*(?:[A-Za-z]+\(([^)]+)\)|([A-Za-z][\w.-]*(?:\/[\w.-]+)*))!?:\s/;

/** What a message or a pasted log line opens with that is no scope: `Error: ...`, `TypeError: ...`, `fix: ...`, `WIP: ...`. */
const NO_SCOPE = /^(\w*(error|exception)|warn(ing)?|note|info|debug|fatal|panic|question|bug|issue|fix(es|ed)?|hotfix|feat(ure)?|chore|docs?|refactor|perf|style|build|ci|tests?|revert|wip|todo|release|merge|update|security)$/i;

/** The lower-case names in the scope the question opens with, if it opens like a commit subject (see `LEADING_SCOPE`). */
export function leadingScope(question: string): string[] {
  const m = LEADING_SCOPE.exec(question);
  const scope = m?.[1] ?? (m?.[2] && !NO_SCOPE.test(m[2]) ? m[2] : undefined);
  return scope ? scope.toLowerCase().split(/[\s,/]+/).filter(Boolean) : [];
}

/** The question without its intent words, except where it quotes them as code (in backticks). */
export function withoutIntentWords(question: string): string {
  return outsideQuotedCode(question.replace(LEADING_REQUEST, '$1 '), (part) => part.replace(INTENT_WORDS, ' '));
}

/** `text` with `edit` applied to what it does not quote as code (in backticks). */
export function outsideQuotedCode(text: string, edit: (part: string) => string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : edit(part)))
    .join('');
}
