import MiniSearch from 'minisearch';
import { enclosingDef } from '../enclosingDef';
import { projectNameOf } from '../notes/architectureNotes';
import { isTestPath } from '../notes/testHooks';
import { pushTo } from '../multimap';
import { isExamplePath, isRetiredPath, isVendoredPath } from '../structure/besideFolders';
import { isDeclarationPath } from '../scan/languages';
import { isPeripheralPath } from '../structure/peripheral';
import { handedOnNames } from '../structure/definitions';
import { withoutBanners } from '../parse/banners';
import type { EntryPoint } from '../structure/entryPoints';
import type { FileAnalysis, Note, NoteKind, PastCommit, SymbolDef } from '../types';
import { ContentIndex } from './contentIndex';
import { PastCommitIndex } from './pastCommits';
import { identifierTerm, leadingScope, namedIdentifiers, namedPaths, namedTypes, normalizeTerm, outsideQuotedCode, qualifiedNames, quotedPhrases, splitIdentifier, textTerms, tokenizeText, withoutCredits, withoutIntentWords, WORD_RUN } from './terms';

/** What retrieval works from: the store's notes and per-file analyses, plus a way to read file text. */
export interface RetrievalData {
  notes: Note[];
  files: ReadonlyMap<string, FileAnalysis>;
  /** Text of a repository file (relative POSIX path), or undefined when unreadable or secret. */
  readText?: (path: string) => string | undefined;
  /** Graph centrality (PageRank) of files, any scale; falls back to file-card note scores. */
  fileRank?: Readonly<Record<string, number>>;
  /** Where the program starts (executables, main functions, package exports, commands, routes). */
  entryPoints?: readonly EntryPoint[];
  /** Past commits, newest first: what was changed where, in the project's own words. */
  pastCommits?: readonly PastCommit[];
}

/** A note with its relevance to one question. */
export interface RankedNote {
  note: Note;
  score: number;
}

/** A file with its relevance to one question and the definitions that matched it best. */
export interface RankedFile {
  path: string;
  score: number;
  /** Definitions in this file the question matched, best first (only for the top files). */
  defs: SymbolDef[];
  /** Not matched by the question: one of the project's central files, listed so that there is somewhere to start. */
  central?: boolean;
}

/** Ranked notes and files for one question. */
export interface Ranking {
  notes: RankedNote[];
  files: RankedFile[];
  /** Normalized query terms, for span selection. */
  terms: Set<string>;
}

interface IndexDoc {
  /** `n:` and a note's id, or `f:` and a file's path. */
  id: string;
  title: string;
  body: string;
  paths: string;
  symbols: string;
  uses: string;
}

/** Tunable weights; defaults were chosen with `npm run bench`. */
export interface RankWeights {
  fields: Record<'title' | 'body' | 'paths' | 'symbols' | 'uses', number>;
  fileDoc: number;
  cardNote: number;
  otherNote: number;
  namedSymbol: number;
  /** An identifier the question names that nothing defines (a config key, a variable): each of the few files using it. */
  namedUse: number;
  /** A member named through its owner (`Mock::poll_write`): the file defining it in that owner. */
  qualifiedMember: number;
  wordSymbol: number;
  pathMention: number;
  /** A file whose base name is an identifier the question names (`TypedPath` -> `typed_path.rs`). */
  namedFile: number;
  /** A file whose base name is words of the question in a row ("the EM HTTP request adapter" -> `em_http_request_adapter.rb`). */
  namedPhrase: number;
  /** A named identifier nothing defines or uses, one edit from a file's name or a defined symbol (see `nearNames`). */
  nearName: number;
  /** How much the other definers of a member count when the question names it through an owner that lacks it. */
  newMember: number;
  /** Text the question quotes (an error message) found word for word in a file: each of the few files holding it. */
  quotedText: number;
  /** Files changed by past commits whose subjects read like the question, by their similarity. */
  pastCommit: number;
  basenameWord: number;
  centrality: number;
  /** BM25 over file contents (analysis-time term vectors), normalized to the best file. */
  content: number;
  /** Multiplier for test files when the question is not about tests. */
  testFile: number;
  /** Multiplier for test files when the question mentions tests without being about test code. */
  askedTestFile: number;
  /** Multiplier for test files when the question asks for tests ("which tests cover ...?"). */
  testsAskedFor: number;
  /** Multiplier for files without a grammar (docs, config) next to code. */
  nonCode: number;
  /** Multiplier for vendored or retired code (`deps/`, `third_party/`, `deprecated/`, `old/` ...) unless the question names its folder. */
  vendored: number;
  /** Multiplier for files under a folder the question names. */
  folderMention: number;
  /** Multiplier, instead, for files under a folder the question's commit-style scope names (`fix(middleware): ...`). */
  scopeFolder: number;
  /** Multiplier for examples, samples and snippets when the question asks about an example. */
  exampleFile: number;
  /** Multiplier for examples, samples and snippets when the question does not ask about an example. */
  unaskedExample: number;
  /** Multiplier for type declaration files (`.d.ts`, `.pyi`) when the question is not about types. */
  declarationFile: number;
  /** Multiplier for a C/C++ header a source file of its name implements, unless the question is about headers or macros. */
  implementedHeader: number;
  /**
   * Prior for the project's own large code files: a file's score is multiplied by 1 + size * log(1 + lines) /
   * log(1 + lines of the largest such file). Fixes land in the files that hold the logic, not in the small
   * ones that only name it (an enum, a settings class, an interface). Tests, examples, docs and vendored
   * code get no prior: their size says nothing about where the project's logic is.
   */
  size: number;
  /**
   * How much less a name counts the later the question mentions it: the k-th named thing weighs 1 / (1 + laterNamed * k).
   * A message names what it is about first ("Fix ... in Rack::Static. Similar to the fix for Rack::Directory").
   */
  laterNamed: number;
}

/** Default ranking weights. */
export const DEFAULT_WEIGHTS: RankWeights = {
  fields: { title: 2, body: 1, paths: 2, symbols: 2, uses: 2 },
  fileDoc: 1.5,
  cardNote: 0.6,
  otherNote: 0.35,
  namedSymbol: 2.5,
  namedUse: 2.5,
  qualifiedMember: 2.5,
  wordSymbol: 0.6,
  pathMention: 3,
  namedFile: 2,
  namedPhrase: 1,
  nearName: 4,
  newMember: 0.5,
  quotedText: 4,
  pastCommit: 1,
  basenameWord: 0.8,
  centrality: 0.3,
  content: 1.5,
  testFile: 0.35,
  askedTestFile: 0.5,
  testsAskedFor: 2,
  nonCode: 0.6,
  declarationFile: 0.5,
  implementedHeader: 0.7,
  folderMention: 1.25,
  scopeFolder: 2,
  exampleFile: 3,
  unaskedExample: 0.7,
  vendored: 0.5,
  size: 1,
  laterNamed: 0.6,
};

const KIND_CUES: { kind: NoteKind; re: RegExp; factor: number }[] = [
  { kind: 'test-hook', re: /\b(test|tests|testing|tested|spec|specs|coverage|fixture|fixtures|ci)\b/i, factor: 2 },
  { kind: 'bug', re: /\b(bug|bugs|crash|crashes|fail|fails|failing|failure|error|errors|broken|wrong|leak|regression|exception|hang|race)\b/i, factor: 1.6 },
  { kind: 'architecture', re: /\b(architect\w*|overview|structur\w*|components?|modules?|entry|entrypoints?|design\w*|organi[sz]\w*|layout|big picture|high[- ]level)\b/i, factor: 1.6 },
];

/** Most files read to find text the question quotes: those holding its rarest words, then the best ranked. */
const MAX_QUOTE_READS = 300;
/** Best ranked files read for a quote besides those holding its rarest words. */
const QUOTE_TOP_FILES = 30;
/** Fewest words of a quote matched word for word. */
const MIN_QUOTE_WORDS = 3;
/** A quote found in more files than this says nothing about where to look. */
const MAX_QUOTING_FILES = 5;

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Definition kinds that name a type: a capitalized word the question uses may name one (see `namedTypes`). */
const TYPE_KINDS = new Set(['class', 'interface', 'struct', 'enum', 'trait', 'module', 'type']);

const C_SOURCE = /\.(c|cc|cpp|cxx)$/;
const C_HEADER = /\.(h|hh|hpp|hxx)$/;
/** A declaration's share of a named symbol's credit (a C/C++ header's prototype, an interface's method) when another file implements it. */
const PROTOTYPE_SHARE = 0.5;

/** Whether each definition named `name` (lower case) in `defs` is a member of an interface `defs` define: a declaration. */
function onlyDeclares(defs: readonly SymbolDef[], name: string): boolean {
  let declared = false;
  for (const d of defs) {
    if (d.name.toLowerCase() !== name) continue;
    if (!d.parent || !defs.some((i) => i.kind === 'interface' && i.name === d.parent)) return false;
    declared = true;
  }
  return declared;
}

/** The shortest name, and the most files, a name one edit away is taken to point at. */
const MIN_NEAR_NAME = 5;
const MAX_NEAR_NAME_FILES = 3;

/** Whether `a` becomes `b` by inserting, deleting or changing one character. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.length === l.length ? s.slice(i + 1) === l.slice(i + 1) : s.slice(i) === l.slice(i + 1);
}

/** Kinds of definition that own members: a member the question names through one of them belongs there. */
const OWNER_KINDS = new Set(['class', 'struct', 'interface', 'trait', 'module', 'enum', 'type']);
/** The most files defining an owner of that name for a new member to point at them. */
const MAX_OWNER_FILES = 3;

/** Files using a named identifier above which it points nowhere in particular. */
const MAX_NAMED_USES = 10;
/** The share of the files whose contents a word must be in to count as everywhere (see `everywhere`), and the fewest files that share is taken of. */
const EVERYWHERE_SHARE = 0.5;
const MIN_EVERYWHERE_FILES = 10;

/**
 * A note's weight when the question is not of its kind: a test note's lists of files and symbols match many words;
 * a suspected bug in the code a how-to question is about is worth less than what that code does.
 */
const OFF_TOPIC_NOTE: Partial<Record<NoteKind, number>> = { 'test-hook': 0.5, bug: 0.5 };

/** Questions about the repository as a whole rather than one place in it. */
const WHOLE_REPO = /\b(architect\w*|overview|structur\w*|organi[sz]\w*|layout|big picture|high[- ]level|design of|how .* fit together)\b/i;
/** "What does this project do?", "Summarize the repository", "What is this library for?": the overview answers. */
const ABOUT_PURPOSE =
  /\bwhat (does|is|are) (this|the) (project|repo|repository|codebase|code ?base|library|package|app|application|tool|program)\b|\b(summar\w+|explain|describe|introduc\w*|purpose of|point of)\b.{0,20}\b(this|the) (project|repo|repository|codebase|code ?base|library|package)\b/i;

/** Words of a question about the whole that name the whole, not a part of it ("how is the project structured?"). */
const WHOLE_REPO_WORDS =
  /\b(project|repo|repository|codebase|code base|code|app|application|architect\w*|overview|structur\w*|organi[sz]\w*|high[- ]level|big picture|fit together|give|show|tell|explain|describe|walk)\b/gi;

/** Questions about where the program starts. */
const ENTRY_QUESTION = /\b(entry[- ]?points?|main (functions?|files?|modules?|class|methods?|programs?)|bootstrap\w*|start[- ]?up)\b|\bwhere (does|do) .{0,40}\b(start|begin)s?\b/i;
/** Entry points shown for such a question when its words pick none out. */
const ENTRY_POINTS_SHOWN = 5;
/** Words that name each kind of entry point. */
const ENTRY_KIND_WORDS: Record<EntryPoint['kind'], string> = {
  bin: 'bin cli command line executable binary', main: 'main program', package: 'package library module export api',
  command: 'command cli subcommand', route: 'route endpoint http api server url',
};
const ENTRY_ORDER: EntryPoint['kind'][] = ['bin', 'main', 'command', 'package', 'route'];
/** Words of such a question that ask for the entry itself ("where does the program start?"), not what it is the entry of. */
const ENTRY_ASKING = new Set(
  tokenizeText('entry entrypoint point main start startup begin bootstrap program application app code project repository repo run execution executable whole')
    .map(normalizeTerm).filter((w): w is string => w !== null),
);

/** "Where is X thrown?", "who calls X?": a question about the uses of what it names. */
const ABOUT_USES = /\bwhere\b.{0,80}\b(thrown|raised|used|called|invoked|created|instantiated|constructed|emitted|dispatched)\b|\bwho (calls|uses|throws|raises|creates)\b|\b(callers|usages|call sites) of\b/i;
/**
 * Questions that ask for tests ("which tests cover ...?", "where are the specs of ...?"): test files are the answer.
 * Other ones that are about tests ("tests for ...", "the test file of ...") are on a par with the code; those that only
 * mention tests ("..., and add tests", "fix the nohelp test") are mostly fixed in the code.
 */
const ASKS_FOR_TESTS = /^\W*(which|what|where|find|list|show)\b[^.?!\n]{0,30}\b(tests?|specs?)\b/i;
const ABOUT_TEST_CODE = /\b(tests?|specs?|coverage) (for|of|that|covering|covers?|exercising)\b|\btest (files?|suites?|cases?|helpers?|fixtures?)\b/i;
/** How far test files step back (below 1) or forward for a question, by whether and how it is about tests. */
function testFileFactor(question: string, aboutTests: boolean, weights: RankWeights): number {
  if (!aboutTests) return weights.testFile;
  if (ASKS_FOR_TESTS.test(question)) return weights.testsAskedFor;
  return ABOUT_TEST_CODE.test(question) ? 1 : weights.askedTestFile;
}
/** Questions that ask how to run the tests: the files that define the test commands are the answer. */
const RUN_TESTS = /\b(run|running|execute|invoke|launch)\b.*\b(tests?|specs?|test suite)\b|\btest (commands?|suite|runner|scripts?)\b/i;

/**
 * Questions about type declarations, where `.d.ts` and `.pyi` files are the answer rather than an echo of the code.
 * Naming the language ("the TypeScript plugin") is not asking about types, nor is naming a content type ("Content-Type",
 * "content type", "media types") or file types.
 */
const ABOUT_TYPES = /(?<!-|\b(?:media|mime|content|file) )\b(types?|typed|typings?|declarations?|d\.ts|stubs?|pyi)\b/i;
/** In a JavaScript project that ships `.d.ts` files, naming TypeScript is asking about them: its code is not TypeScript. */
const ABOUT_EXAMPLES = /\b(examples?|samples?|snippets?|demos?|tutorials?)\b/i;
const ABOUT_TYPESCRIPT = /\b(typescript|ts)\b/i;
const ABOUT_HEADERS = /\b(headers?|prototypes?|signatures?|declar\w*|macros?|#?define[sd]?|inline|api|abi)\b|\.(h|hh|hpp)\b/i;

/** Where a header-only C++ library implements a header's declarations: `impl/Argv_inl.hpp`, `logger-inl.h`, `x.ipp`, `x.tcc`. */
const INLINE_SOURCE = /([_-](inl|impl)\.(h|hh|hpp|hxx)|\.(inl|ipp|tcc|tpp))$/i;

/**
 * Headers (`x.h`, `x.hpp`) with a C or C++ source file of the same name (`x.c`, `x.cc`), or a header-only library's
 * implementation of them (`x_inl.hpp`, `x.ipp`), somewhere in the repository; and public headers most of whose
 * functions C or C++ sources of other names define (expat's `expat.h`, whose prototypes `xmlparse.c` implements).
 */
function implementedHeaders(files: ReadonlyMap<string, FileAnalysis>): Set<string> {
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1).toLowerCase();
  const stem = (p: string): string => base(p).replace(/\.[^.]+$/, '');
  const all = [...files.keys()];
  const own = all.filter((p) => !isPeripheralPath(p));
  const sources = new Set(own.filter((p) => /\.(c|cc|cpp|cxx|m|mm)$/i.test(p)).map(stem));
  const inline = new Set(own.filter((p) => INLINE_SOURCE.test(p)).map((p) => base(p).replace(INLINE_SOURCE, '')));
  // Free functions only: C++ methods share names too common (`Put`, `Flush`, `format`) to tell who implements whom.
  const functionsOf = (p: string): string[] => (files.get(p)?.defs ?? []).filter((d) => d.kind === 'function' && !d.parent).map((d) => d.name);
  const defined = new Set(own.filter((p) => C_SOURCE.test(p)).flatMap(functionsOf));
  const definedElsewhere = (p: string): boolean => {
    const declared = functionsOf(p);
    return declared.length >= MIN_IMPLEMENTED_PROTOTYPES && declared.filter((n) => defined.has(n)).length * 2 >= declared.length;
  };
  return new Set(
    all.filter((p) => /\.(h|hh|hpp|hxx)$/i.test(p) && (sources.has(stem(p)) || (!INLINE_SOURCE.test(p) && (inline.has(stem(p)) || definedElsewhere(p))))),
  );
}

/** The fewest functions a header must declare before sources elsewhere can be said to implement it. */
const MIN_IMPLEMENTED_PROTOTYPES = 3;

const ERASED_KINDS = new Set(['interface', 'type']);

/**
 * A file that only declares types and runs nothing, so a fix to what the code does lands elsewhere: a TypeScript file
 * of interfaces and type aliases (ky's `types/options.ts`), which compiles to nothing like a `.d.ts`; or, in any
 * language, a file of interfaces alone (AutoMapper's `IProfileExpression.cs`, Guice's `Binder.java`), whose methods
 * classes elsewhere implement and whose doc comments match many questions.
 */
function declaresTypesOnly(fa: FileAnalysis): boolean {
  const erased = fa.language === 'typescript' || fa.language === 'tsx';
  const interfaces = new Set(fa.defs.filter((d) => d.kind === 'interface').map((d) => d.name));
  const declared = (d: SymbolDef): boolean =>
    (erased && ERASED_KINDS.has(d.kind)) || (interfaces.size > 0 && (d.kind === 'interface' || d.kind === 'module' || (d.parent !== undefined && interfaces.has(d.parent))));
  return fa.defs.length > 0 && fa.defs.every(declared);
}

const SEARCH_OPTIONS = {
  fields: ['title', 'body', 'paths', 'symbols', 'uses'],
  tokenize: tokenizeText,
  processTerm: normalizeTerm,
};

/** What a note's or a file's search document is made of: the same signature, the same document. */
function noteSignature(note: Note): string {
  return `${note.title}\0${note.subject ?? ''}\0${note.evidence.map((e) => e.path).join(' ')}\0${note.body}`;
}

function fileSignature(fa: FileAnalysis, doc: string | undefined, handedOn?: Set<string>): string {
  return `${fa.hash}\0${fa.defs.length}\0${fa.refs.length}\0${fa.imports.length}\0${doc ?? ''}\0${[...(handedOn ?? [])].join(',')}`;
}

/** The search document of a note: its title, body and the paths it cites. */
function noteDoc(note: Note): Omit<IndexDoc, 'id'> {
  const paths = new Set<string>(note.evidence.map((e) => e.path));
  if (note.subject) paths.add(note.subject);
  return { title: note.title, body: note.body, paths: [...paths].join(' '), symbols: '', uses: '' };
}

/** The search document of a file: its path, doc comments (`doc` for the file's own), the names it defines and those it uses. */
function fileDoc(path: string, fa: FileAnalysis, doc: string | undefined, handedOn?: Set<string>): Omit<IndexDoc, 'id'> {
  const names = new Set<string>();
  for (const d of fa.defs) {
    if (d.alias && handedOn?.has(d.name)) continue;
    names.add(d.name);
    if (d.parent) names.add(d.parent);
  }
  const docText = [doc ?? '', ...fa.defs.map((d) => d.doc ?? '')].filter(Boolean).join('\n');
  const uses = new Set<string>(fa.refs.map((r) => r.name));
  for (const im of fa.imports) uses.add(im.source);
  return { title: path, body: docText, paths: path, symbols: [...names].join(' '), uses: [...uses].join(' ') };
}

/** A saved text search, if it parses and holds one document per note and file; otherwise undefined. */
function restoreSearch(json: string | undefined, documents: number): MiniSearch<IndexDoc> | undefined {
  if (json === undefined) return undefined;
  try {
    const mini = MiniSearch.loadJSON<IndexDoc>(json, SEARCH_OPTIONS);
    return mini.documentCount === documents ? mini : undefined;
  } catch {
    return undefined;
  }
}

/** Files (best first) for which matching definitions are worked out. */
const MATCHED_DEFS_FOR = 30;
/** A ranking with fewer files than this is topped up with the project's central files. */
const FEW_FILES = 5;

/** The overview, and the notes that say how to run the tests. */
function isLead(note: Note): boolean {
  if (note.stale) return false;
  if (note.kind === 'architecture') return note.subject === '.';
  return note.kind === 'test-hook' && typeof note.meta?.command === 'string';
}

/**
 * How much a note's own score weighs on its rank. A test command's score says whether it is the
 * project's (root) command or a sub-project's, so it weighs fully; other notes' scores only nudge.
 */
/** What a note keeps of its score when none of its files ranks for the question. */
const UNRANKED_NOTE = 0.3;

/**
 * A note about the files the question points at says more than a broad one its words merely touch: each note's
 * score is weighed by the mean standing of its files (a card's own file) in the ranking. The notes that answer the
 * kind of question asked (`leads`: the test command, the overview) keep theirs.
 */
function weighNotesByFiles(notes: RankedNote[], ranked: readonly RankedFile[], leads: ReadonlySet<Note>): void {
  const top = ranked[0]?.score;
  if (!top) return;
  const standing = new Map(ranked.map((r) => [r.path, r.score / top]));
  for (const n of notes) {
    if (leads.has(n.note)) continue;
    const paths = n.note.kind === 'file' && n.note.subject ? [n.note.subject] : [...new Set(n.note.evidence.map((e) => e.path))];
    const share = paths.reduce((sum, p) => sum + (standing.get(p) ?? 0), 0) / Math.max(1, paths.length);
    n.score *= UNRANKED_NOTE + (1 - UNRANKED_NOTE) * share;
  }
}

function notePrior(note: Note): number {
  const score = note.score ?? 0.5;
  return isLead(note) && note.kind === 'test-hook' ? score : 0.75 + 0.25 * score;
}

/** The normalized words of an entry point: its path, what it is, and the words for its kind. */
function entryWords(e: EntryPoint): string[] {
  return tokenizeText(`${e.path} ${e.detail} ${ENTRY_KIND_WORDS[e.kind]}`).map(normalizeTerm).filter((w): w is string => w !== null);
}

function basenameStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toLowerCase();
}

/** A name without case and separators: `TypedPath`, `typed_path` and `typed-path` are all `typedpath`. */
function joinedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A searchable index over notes, symbol names and file paths, built once per store snapshot. */
export class RetrievalIndex {
  readonly data: RetrievalData;
  private readonly mini: MiniSearch<IndexDoc>;
  /** Whether the text search was loaded from a saved one rather than built. */
  readonly restored: boolean;
  /** Documents of notes and files tokenized for this index (the rest came from a saved or the previous index). */
  tokenized = 0;
  /** Index doc id -> note index (>= 0) or file path. */
  private readonly docTarget = new Map<string, number | string>();
  /** Index doc id -> what its document was made of (see {@link RetrievalIndex.build}'s `previous`). */
  private readonly signatures = new Map<string, string>();
  /** Per file, the names its document leaves out (see {@link handedOnNames}). */
  private handedOn = new Map<string, Set<string>>();
  /** The files with their docs as indexed: banners taken off (see {@link withoutBanners}). */
  private described: ReadonlyMap<string, FileAnalysis> = new Map();
  /** Lowercased definition name -> files defining it. */
  private readonly symbolFiles = new Map<string, Set<string>>();
  /** Names of the classes, structs, interfaces, enums, traits and modules the repository defines, case kept. */
  private readonly typeNames = new Set<string>();
  /** Normalized sub-word of a file's base name -> files; and each file's sub-word count. */
  private readonly nameWordFiles = new Map<string, string[]>();
  private readonly nameWordCount = new Map<string, number>();
  /** File base name, lowercase without separators (`typed_path.rs` -> `typedpath`) -> files. */
  private readonly stemFiles = new Map<string, string[]>();
  /** Lowercased folder name, or a part of only one folder's name (`journald` of `tracing-journald`) -> files anywhere under such a folder. */
  private readonly folderFiles = new Map<string, string[]>();
  private readonly centrality = new Map<string, number>();
  /** The project's own code files' log line counts, relative to the largest (0-1). */
  private readonly size = new Map<string, number>();
  private readonly content: ContentIndex;
  private pastCommitIndex: PastCommitIndex | undefined;
  /** Terms of the project's name that are everywhere (see `withoutProjectName`), found on first use. */
  private projectTerms: Set<string> | undefined;
  /** Repository-wide notes a question of that kind should see even when its words miss them. */
  private readonly leads = new Map<NoteKind, Note[]>();
  /** Entry points, executables first. */
  private entryPoints: EntryPoint[] = [];
  /** A JavaScript project with type declarations of its own: more of its code is JavaScript than TypeScript. */
  private typedJavaScript = false;
  /** C and C++ headers whose functions a source file of the same name implements (`cJSON.h` of `cJSON.c`). */
  private implementedHeaders = new Set<string>();
  /** Files that only declare types: TypeScript that compiles to nothing, files of interfaces (see `declaresTypesOnly`). */
  private typeOnly = new Set<string>();

  private constructor(data: RetrievalData, mini: MiniSearch<IndexDoc> | undefined, restored: boolean, previousContent?: ContentIndex) {
    this.data = data;
    this.content = ContentIndex.build(data.files.values(), previousContent);
    this.restored = restored;
    this.mini = mini ?? new MiniSearch<IndexDoc>(SEARCH_OPTIONS);
  }

  /**
   * Build the index from notes and file analyses. `savedSearch` is {@link searchJSON} of an index built
   * from the same data: its text search is loaded instead of re-tokenizing every document (the slow part on
   * large repositories); one that does not fit the data is ignored. `previous` is an index of an earlier
   * snapshot that is no longer used: its text search is taken over and only the documents of the notes and
   * files that changed are tokenized again (an editor's question after an edit).
   */
  static build(data: RetrievalData, savedSearch?: string, previous?: RetrievalIndex): RetrievalIndex {
    const restored = restoreSearch(savedSearch, data.notes.length + data.files.size);
    const idx = new RetrievalIndex(data, restored ?? previous?.mini, restored !== undefined, previous?.content);
    const stale = new Set(restored ? [] : previous?.signatures.keys() ?? []);
    const docs: IndexDoc[] = [];
    const addDoc = (id: string, signature: string, target: number | string, doc: () => Omit<IndexDoc, 'id'>): void => {
      idx.docTarget.set(id, target);
      idx.signatures.set(id, signature);
      if (restored) return;
      stale.delete(id);
      const before = previous?.signatures.get(id);
      if (before === signature) return;
      if (before !== undefined) previous!.removeDoc(id);
      docs.push({ id, ...doc() });
    };
    data.notes.forEach((note, i) => {
      // Note ids are unique in a store; a second note of one id (a hand-edited notes file) still gets a document.
      const id = idx.docTarget.has(`n:${note.id}`) ? `n:${note.id}#${i}` : `n:${note.id}`;
      addDoc(id, noteSignature(note), i, () => noteDoc(note));
      if (note.kind === 'file' && note.subject && typeof note.score === 'number') idx.centrality.set(note.subject, note.score);
      if (isLead(note)) idx.leads.set(note.kind, [...(idx.leads.get(note.kind) ?? []), note]);
    });
    const partFolders = new Map<string, Set<string>>();
    idx.handedOn = handedOnNames(data.files);
    idx.described = withoutBanners(data.files);
    for (const [path, fa] of data.files) {
      const skipped = idx.handedOn.get(path);
      for (const d of fa.defs) {
        if (d.alias && skipped?.has(d.name)) continue;
        const key = d.name.toLowerCase();
        if (TYPE_KINDS.has(d.kind)) idx.typeNames.add(d.name);
        let set = idx.symbolFiles.get(key);
        if (!set) idx.symbolFiles.set(key, (set = new Set()));
        set.add(path);
      }
      const doc = idx.described.get(path)!.doc;
      addDoc(`f:${path}`, fileSignature(fa, doc, skipped), path, () => fileDoc(path, fa, doc, skipped));
      const nameWords = new Set(tokenizeText(basenameStem(path)).map(normalizeTerm).filter((w): w is string => w !== null));
      idx.nameWordCount.set(path, nameWords.size);
      for (const folder of new Set(path.toLowerCase().split('/').slice(0, -1))) {
        pushTo(idx.folderFiles, folder, path);
        for (const part of compoundParts(folder)) (partFolders.get(part) ?? partFolders.set(part, new Set()).get(part)!).add(folder);
      }
      for (const w of nameWords) pushTo(idx.nameWordFiles, w, path);
      pushTo(idx.stemFiles, joinedName(basenameStem(path)), path);
    }
    // A part of one folder's name alone calls that folder ("journald: fix ..." for `tracing-journald`); one that
    // several share (`tracing` of `tracing-core`, `tracing-log` ...) says nothing.
    for (const [part, folders] of partFolders) {
      if (folders.size === 1 && !idx.folderFiles.has(part)) idx.folderFiles.set(part, idx.folderFiles.get([...folders][0])!);
    }
    for (const id of stale) previous!.removeDoc(id);
    idx.mini.addAll(docs);
    idx.tokenized = docs.length;
    if (data.fileRank) {
      idx.centrality.clear();
      for (const [p, r] of Object.entries(data.fileRank)) idx.centrality.set(p, r);
    }
    const rank = (e: EntryPoint): number => idx.centrality.get(e.target ?? e.path) ?? 0;
    idx.entryPoints = [...(data.entryPoints ?? [])].sort((a, b) => ENTRY_ORDER.indexOf(a.kind) - ENTRY_ORDER.indexOf(b.kind) || rank(b) - rank(a));
    let maxSize = 0;
    let js = 0;
    let ts = 0;
    let declarations = 0;
    for (const [p, fa] of data.files) {
      if (fa.language == null || isPeripheralPath(p)) continue;
      if (declaresTypesOnly(fa) && !isDeclarationPath(p)) idx.typeOnly.add(p);
      if (isDeclarationPath(p)) declarations++;
      else if (fa.language === 'javascript') js++;
      else if (fa.language === 'typescript' || fa.language === 'tsx') ts++;
      const size = Math.log(1 + fa.lines);
      idx.size.set(p, size);
      maxSize = Math.max(maxSize, size);
    }
    if (maxSize > 0) for (const [p, v] of idx.size) idx.size.set(p, v / maxSize);
    idx.typedJavaScript = declarations > 0 && js > ts;
    idx.implementedHeaders = implementedHeaders(data.files);
    let maxC = 0;
    for (const c of idx.centrality.values()) maxC = Math.max(maxC, c);
    if (maxC > 0) for (const [p, c] of idx.centrality) idx.centrality.set(p, c / maxC);
    return idx;
  }

  /**
   * Takes the document `id` out of the text search, exactly (its words and the statistics they weigh in): the
   * document is built again from this index's data, as it was when added.
   */
  private removeDoc(id: string): void {
    const target = this.docTarget.get(id);
    if (target === undefined) return;
    if (typeof target === 'number') this.mini.remove({ id, ...noteDoc(this.data.notes[target]) });
    else this.mini.remove({ id, ...fileDoc(target, this.data.files.get(target)!, this.described.get(target)?.doc, this.handedOn.get(target)) });
  }

  /** The text search as JSON, for {@link RetrievalIndex.build} to load instead of rebuilding it. */
  searchJSON(): string {
    return JSON.stringify(this.mini);
  }

  /** Rank notes and files for `question`. */
  rank(asked: string, weights: RankWeights = DEFAULT_WEIGHTS): Ranking {
    const question = withoutCredits(asked);
    const files = new Map<string, { score: number; defs: Map<SymbolDef, number> }>();
    const bump = (path: string, by: number): void => {
      if (!this.data.files.has(path) || by <= 0) return;
      const f = files.get(path);
      if (f) f.score += by;
      else files.set(path, { score: by, defs: new Map() });
    };
    /** A definition the question names: shown first among its file's matches. */
    const creditDef = (path: string, def: SymbolDef, by: number): void => {
      const f = files.get(path);
      if (f) f.defs.set(def, (f.defs.get(def) ?? 0) + by * 4);
    };
    const kindFactor = new Map<NoteKind, number>();
    for (const cue of KIND_CUES) if (cue.re.test(question)) kindFactor.set(cue.kind, cue.factor);
    const aboutPurpose = ABOUT_PURPOSE.test(question);
    if (aboutPurpose && !kindFactor.has('architecture')) kindFactor.set('architecture', KIND_CUES.find((c) => c.kind === 'architecture')!.factor);
    const aboutWhole = aboutPurpose || WHOLE_REPO.test(question);
    const leads = [...kindFactor.keys()].filter((k) => k !== 'architecture' || aboutWhole).flatMap((k) => this.leads.get(k) ?? []);
    const aboutTests = kindFactor.has('test-hook');
    const testFactor = testFileFactor(question, aboutTests, weights);
    const aboutTypes = ABOUT_TYPES.test(question) || (this.typedJavaScript && ABOUT_TYPESCRIPT.test(question));
    const aboutExamples = ABOUT_EXAMPLES.test(question);
    /**
     * Test and declaration files step back unless the question is about them; so do their cards. Stubs written
     * beside untyped code (`.pyi`, a JavaScript project's `.d.ts`) are where its types live: they step forward.
     */
    const aboutHeaders = ABOUT_HEADERS.test(question);
    const aside = (p: string): number => {
      const tests = isTestPath(p) ? testFactor : 1;
      // A fix to what a C function does lands in its `.c`, not in the header that declares it.
      if (this.implementedHeaders.has(p)) return aboutHeaders || aboutTypes ? tests : tests * weights.implementedHeader;
      if (!isDeclarationPath(p) && !this.typeOnly.has(p)) return tests;
      if (!aboutTypes) return tests * weights.declarationFile;
      return this.typedJavaScript || p.endsWith('.pyi') ? tests / weights.declarationFile : tests;
    };

    // What the question is about: its words less those that only say a change is wanted or name the whole repository.
    const subject = this.withoutProjectName(withoutIntentWords(aboutWhole ? question.replace(WHOLE_REPO_WORDS, ' ') : question));
    const hits = subject.trim() ? this.mini.search(subject, { boost: weights.fields, combineWith: 'OR' }) : [];
    const max = hits.length ? hits[0].score : 1;
    const notes: RankedNote[] = [];
    for (const h of hits) {
      const s = h.score / max;
      const target = this.docTarget.get(h.id as string);
      if (target === undefined) continue;
      if (typeof target === 'string') {
        bump(target, s * weights.fileDoc);
        continue;
      }
      const note = this.data.notes[target];
      const card = note.kind === 'file' && note.subject ? aside(note.subject) : 1;
      const score = s * (kindFactor.get(note.kind) ?? OFF_TOPIC_NOTE[note.kind] ?? 1) * notePrior(note) * card;
      notes.push({ note, score });
      if (note.kind === 'file' && note.subject) bump(note.subject, s * weights.cardNote);
      else {
        const paths = new Set(note.evidence.map((e) => e.path));
        const share = (s * weights.otherNote) / Math.sqrt(Math.max(1, paths.size));
        for (const p of paths) bump(p, share);
      }
    }

    // The note that answers the kind of question asked ("how do I run the tests?": the test command) ranks with the
    // best match, weighed by its own prior (the root project's command above a sub-project's).
    const best = Math.max(0.5, ...notes.map((n) => n.score));
    const askedWords = new Set(subject.toLowerCase().match(/[a-z0-9][\w.-]*[a-z0-9]/g) ?? []);
    for (const note of leads) {
      // "How do I run the rack-protection tests?": the command of the sub-project it names, above every other note.
      const cwd = typeof note.meta?.cwd === 'string' ? note.meta.cwd.toLowerCase() : '';
      const named = cwd !== '' && askedWords.has(cwd.slice(cwd.lastIndexOf('/') + 1));
      const score = named ? best * 1.1 : best * notePrior(note);
      const hit = notes.find((n) => n.note === note);
      if (!hit) notes.push({ note, score });
      else hit.score = Math.max(hit.score, score);
    }
    // A question about the whole (structure, design) is answered by the files everything depends on.
    if (aboutWhole) for (const [p, c] of this.centrality) if (c > 0.2) bump(p, c);

    // Identifiers and words the question names that are definitions in the repository.
    // A type named in plain words counts when the word is rare in the code: `Metaphone`, not `Context` or `Guice`.
    const rare = (t: string): boolean => {
      const term = identifierTerm(t);
      return term !== null && this.content.filesWith(term).length <= MAX_NAMED_USES;
    };
    const namedRaw = [...new Set([...namedIdentifiers(question), ...namedTypes(question, this.typeNames).filter(rare)])];
    const named = new Set(namedRaw.map((n) => n.toLowerCase()));
    const order = mentionOrder(question, [...named, ...qualifiedNames(question).map(([, m]) => m.toLowerCase())]);
    const later = (name: string): number => 1 / (1 + weights.laterNamed * (order.get(name.toLowerCase()) ?? 0));
    // Members named through an owner that does not have them (`Param::isPublic()` where only other classes define
    // `isPublic`): the owner is where the member goes, and the classes that have one of that name are only alike.
    const newMembers = new Map<string, string[]>();
    for (const [owner, member] of qualifiedNames(question)) {
      const o = owner.toLowerCase();
      const m = member.toLowerCase();
      if (this.memberDefs(o, m).length) continue;
      const owners = [...(this.symbolFiles.get(o) ?? [])].filter((p) => this.data.files.get(p)?.defs.some((d) => d.name === owner && OWNER_KINDS.has(d.kind)));
      if (owners.length && owners.length <= MAX_OWNER_FILES) newMembers.set(m, owners);
    }
    for (const [m, owners] of newMembers) for (const p of owners) bump(p, (weights.qualifiedMember * later(m)) / Math.sqrt(owners.length));
    const words = new Set<string>();
    for (const w of subject.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []) if (w.length >= 3) words.add(w.toLowerCase());
    for (const n of named) words.add(n);
    for (const w of words) {
      const defining = this.symbolFiles.get(w);
      if (!defining) continue;
      const isNamed = named.has(w);
      const term = normalizeTerm(w);
      if (!isNamed && (term === null || this.everywhere(term))) continue;
      const weight = ((isNamed ? weights.namedSymbol * later(w) : weights.wordSymbol) / Math.sqrt(defining.size)) * (newMembers.has(w) ? weights.newMember : 1);
      // A C/C++ header's prototype announces what a source file defines: the logic, and the fix, are in the source.
      // So does an interface's method that a class implements elsewhere.
      const implemented = [...defining].some((p) => C_SOURCE.test(p));
      const declaring = new Set([...defining].filter((p) => onlyDeclares(this.data.files.get(p)?.defs ?? [], w)));
      const implementedElsewhere = declaring.size > 0 && declaring.size < defining.size;
      for (const p of defining) {
        const declared = (implemented && C_HEADER.test(p)) || (implementedElsewhere && declaring.has(p));
        const w8 = declared ? weight * PROTOTYPE_SHARE : weight;
        bump(p, w8);
        for (const d of this.data.files.get(p)?.defs ?? []) if (d.name.toLowerCase() === w) creditDef(p, d, w8);
      }
    }

    // Identifiers the question names that the repository does not define (a config key, a local, a registered
    // name): the few files whose contents use them. So are those it defines, when the question asks where they are
    // used ("where is AmbiguousOptionException thrown?"): the answer is a user, not the definition.
    const aboutUses = ABOUT_USES.test(question);
    for (const n of named) {
      if (this.symbolFiles.has(n) && !aboutUses) continue;
      const term = identifierTerm(n);
      const using = term ? this.content.filesWith(term) : [];
      if (using.length > MAX_NAMED_USES) continue;
      for (const p of using) bump(p, (weights.namedUse * later(n)) / Math.sqrt(using.length));
    }

    // Files named after a compound identifier the question names: `TypedPath` -> `typed_path.rs`, `file-stream.ts`
    // (one word, `Errors`, is too common a name); tests named so test it rather than hold it.
    for (const n of namedRaw) {
      const list = splitIdentifier(n).length > 1 ? this.stemFiles.get(joinedName(n))?.filter((p) => aboutTests || !isTestPath(p)) : undefined;
      if (list) for (const p of list) bump(p, (weights.namedFile * later(n)) / Math.sqrt(list.length));
    }

    // A name the repository has never seen, one edit from one it has: a new `gzfwrite()` goes beside `gzwrite`.
    if (weights.nearName) {
      for (const n of namedRaw) {
        const near = this.nearNames(n, aboutTests);
        for (const p of near) bump(p, (weights.nearName * later(n)) / Math.sqrt(near.length));
      }
    }

    // Files named by two to four plain words in a row: "the EM HTTP request adapter" -> `em_http_request_adapter.rb`.
    if (weights.namedPhrase) {
      const words = subject.split(/\s+/).map((w) => w.replace(/['’]s\b|^\W+|\W+$/g, ''));
      for (let i = 0; i < words.length; i++) {
        for (let len = 2; len <= 4 && i + len <= words.length; len++) {
          const phrase = words.slice(i, i + len);
          if (!phrase.every((w) => /^[A-Za-z0-9]+$/.test(w))) break;
          const list = this.stemFiles.get(joinedName(phrase.join('')))?.filter((p) => aboutTests || !isTestPath(p));
          if (list) for (const p of list) bump(p, weights.namedPhrase / Math.sqrt(list.length));
        }
      }
    }

    // Members named through their owner: `Mock::poll_write` is the `poll_write` of `Mock`, not of every writer.
    for (const [owner, member] of qualifiedNames(question)) {
      const o = owner.toLowerCase();
      const m = member.toLowerCase();
      const found = this.memberDefs(o, m);
      // `KeyVal.inputStream` of the interface and of the class that implements it: the class has the code.
      const implementedElsewhere = found.some(([, , declared]) => !declared);
      for (const [p, def, declared] of found) {
        const w8 = (declared && implementedElsewhere ? weights.qualifiedMember * PROTOTYPE_SHARE : weights.qualifiedMember) * later(m);
        bump(p, w8);
        creditDef(p, def, w8);
      }
    }

    // Paths and file names the question mentions.
    const namedFiles = new Set<string>();
    for (const m of namedPaths(question)) {
      for (const p of this.data.files.keys()) {
        const lp = p.toLowerCase();
        if (lp !== m && !lp.endsWith('/' + m)) continue;
        bump(p, weights.pathMention);
        namedFiles.add(p);
      }
    }
    const terms = new Set(textTerms(subject));
    // File base names whose words the question uses: rare words count most, full coverage more.
    const nFiles = Math.max(2, this.data.files.size);
    const nameHits = new Map<string, { idf: number; matched: number }>();
    for (const t of terms) {
      const list = this.nameWordFiles.get(t);
      if (!list || this.everywhere(t)) continue;
      const idf = Math.log(1 + nFiles / list.length) / Math.log(1 + nFiles);
      for (const p of list) {
        const h = nameHits.get(p) ?? { idf: 0, matched: 0 };
        h.idf += idf;
        h.matched++;
        nameHits.set(p, h);
      }
    }
    for (const [p, h] of nameHits) bump(p, weights.basenameWord * h.idf * Math.sqrt(h.matched / Math.max(1, this.nameWordCount.get(p) ?? 1)));

    // Folders the question names (`fix(persistence): ...`, "in the metadata-builder"): a prior among the files found.
    const inFolder = new Set<string>();
    for (const w of subject.toLowerCase().match(/[a-z0-9][a-z0-9_\-]*[a-z0-9]/g) ?? []) {
      const list = this.folderFiles.get(w);
      if (list && list.length <= nFiles / 2 && normalizeTerm(w) !== null) for (const p of list) inFolder.add(p);
    }
    // ... more so when the message opens with it as its scope ("emscripten: fix ...", `fix(trie-router): ...`); a
    // file of that name is in scope too ("RSA: ..." is `RSA.php` as much as `RSA/PublicKey.php`).
    const inScope = new Set<string>();
    for (const w of leadingScope(question)) {
      const list = this.folderFiles.get(w);
      if (list && list.length <= nFiles / 2) for (const p of list) inScope.add(p);
      for (const p of this.stemFiles.get(joinedName(w)) ?? []) inScope.add(p);
    }

    // File contents: BM25 over the term vectors prepared at analysis time.
    const contentScores = this.content.score(terms);
    let maxContent = 0;
    for (const s of contentScores.values()) maxContent = Math.max(maxContent, s);
    if (maxContent > 0) for (const [p, s] of contentScores) bump(p, (weights.content * s) / maxContent);

    // Past commits that read like the question: the files they changed.
    this.pastCommitIndex ??= new PastCommitIndex(this.data.pastCommits ?? []);
    for (const [p, s] of this.pastCommitIndex.filesFor(terms)) bump(p, weights.pastCommit * s);

    // Text the question quotes (an error message it saw): the files that hold it word for word, at its line.
    const quotes = quotedPhrases(question);
    const rankedSoFar = quotes.length ? [...files].sort((a, b) => b[1].score - a[1].score).slice(0, QUOTE_TOP_FILES).map(([p]) => p) : [];
    for (const phrase of quotes) {
      const quoting = this.filesQuoting(phrase, rankedSoFar);
      const share = weights.quotedText / Math.sqrt(quoting.length);
      for (const { path, line } of quoting) {
        bump(path, share);
        const def = enclosingDef(this.data.files.get(path)?.defs ?? [], line);
        if (def) creditDef(path, def, share);
      }
    }

    // Graph centrality and size as mild multipliers; tests and declaration files (which repeat the names of the
    // code they describe) step back unless the question is about them.
    for (const [p, f] of files) {
      f.score *= 1 + weights.centrality * (this.centrality.get(p) ?? 0);
      f.score *= 1 + weights.size * (this.size.get(p) ?? 0);
      f.score *= aside(p);
      if (this.data.files.get(p)?.language == null) f.score *= weights.nonCode;
      if (isExamplePath(p)) f.score *= aboutExamples ? weights.exampleFile : namedFiles.has(p) ? 1 : weights.unaskedExample;
      if (inScope.has(p)) f.score *= weights.scopeFolder;
      else if (inFolder.has(p)) f.score *= weights.folderMention;
      else if (isVendoredPath(p) || isRetiredPath(p)) f.score *= weights.vendored;
    }
    let top = 1e-6;
    for (const f of files.values()) top = Math.max(top, f.score);
    const raise = (path: string, score: number): void => {
      if (!this.data.files.has(path)) return;
      const f = files.get(path);
      if (f) f.score = Math.max(f.score, score);
      else files.set(path, { score, defs: new Map() });
    };
    // "How do I run the tests?": where each test command is defined ranks with the best file, root project first.
    if (RUN_TESTS.test(question)) {
      const commands = this.leads.get('test-hook') ?? [];
      const bestPrior = Math.max(1e-6, ...commands.map(notePrior));
      // Within a note, the root's files before those deeper down (flask's `setup.cfg` before its examples' copies).
      const depth = (p: string): number => p.split('/').length + (isExamplePath(p) || isPeripheralPath(p) ? 100 : 0);
      for (const note of commands) {
        const paths = [...new Set(note.evidence.map((e) => e.path))].sort((a, b) => depth(a) - depth(b));
        paths.forEach((p, i) => raise(p, top * 1.01 * (notePrior(note) / bestPrior) * (1 - 0.001 * i)));
      }
    }
    // "What is the entry point of the CLI?": the project's entry points the question's words pick out, else the first few.
    // "Where does parsing start?" asks about parsing: when its words pick out no entry point, the ranking stands.
    if (ENTRY_QUESTION.test(question)) {
      const own = this.entryPoints.filter((e) => !e.conditional && !isPeripheralPath(e.path));
      const picked = own.filter((e) => entryWords(e).some((w) => terms.has(w)));
      const topical = [...terms].some((t) => !ENTRY_ASKING.has(t));
      (picked.length || topical ? picked : own.slice(0, ENTRY_POINTS_SHOWN)).forEach((e, i) => raise(e.target ?? e.path, top * (1.02 - 0.001 * i)));
    }
    const ranked: RankedFile[] = [...files].map(([path, f]) => ({ path, score: f.score, defs: [] }));
    ranked.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
    if (ranked.length < FEW_FILES) ranked.push(...this.centralFiles(FEW_FILES - ranked.length, files, ranked.at(-1)?.score));
    for (const r of ranked.slice(0, MATCHED_DEFS_FOR)) r.defs = this.bestDefs(r.path, files.get(r.path)?.defs ?? new Map(), terms);
    weighNotesByFiles(notes, ranked, new Set(leads));
    notes.sort((a, b) => b.score - a.score);
    return { notes, files: ranked, terms };
  }

  /**
   * Whether a word is in the contents of more than half of the files (the project's name: "[Yaml] Fix ..." in symfony/yaml): it then
   * says nothing about which file a question means, however well it matches one's name or definitions.
   */
  private everywhere(term: string): boolean {
    return this.content.filesWith(term).length > EVERYWHERE_SHARE * Math.max(MIN_EVERYWHERE_FILES, this.content.size);
  }

  /**
   * The text less the words of the project's name that are in most files' contents and name no definition ("fix
   * SLF4J-515" in slf4j): they match the files that say the name most often, not the file a question means. Quoted
   * code keeps them.
   */
  private withoutProjectName(text: string): string {
    // A name the code defines (mockito's `Mockito`, node-fetch's `fetch`, pino's `pino()`) is its API: a question names that.
    this.projectTerms ??= new Set(projectNameOf(this.data.notes).match(WORD_RUN)?.filter((w) => !this.symbolFiles.has(w.toLowerCase()))
      .map(identifierTerm).filter((t): t is string => t !== null && this.everywhere(t)));
    if (!this.projectTerms.size) return text;
    const terms = this.projectTerms;
    return outsideQuotedCode(text, (part) => part.replace(WORD_RUN, (w) => (terms.has(identifierTerm(w) ?? '') ? ' ' : w)));
  }

  /**
   * The files holding `phrase` word for word (case, spacing and punctuation aside: `*and*` reads as `and`), with
   * the line of its first occurrence. Read are the files whose contents hold its two rarest words, and the best
   * files ranked so far (`ranked`): at most `MAX_QUOTE_READS`. A phrase no file holds whole is tried shorter, down to
   * `MIN_QUOTE_WORDS` words, since messages are built from pieces (`"Unable to create converter for %s"`).
   */
  private filesQuoting(phrase: string[], ranked: string[]): { path: string; line: number }[] {
    const read = this.data.readText;
    if (!read) return [];
    const terms = [...new Set(phrase.map((w) => normalizeTerm(w)).filter((t): t is string => t !== null))];
    const rare = terms.map((t) => this.content.filesWith(t)).filter((l) => l.length).sort((a, b) => a.length - b.length).slice(0, 2);
    const second = new Set(rare[1] ?? []);
    const withBoth = rare.length === 2 ? rare[0].filter((p) => second.has(p)) : rare[0] ?? [];
    const candidates = [...new Set([...withBoth, ...ranked])].slice(0, MAX_QUOTE_READS);
    const texts = new Map<string, string>();
    for (const p of candidates) {
      const text = read(p);
      if (text) texts.set(p, text);
    }
    for (let n = phrase.length; n >= MIN_QUOTE_WORDS; n--) {
      const pattern = new RegExp(`(?<![A-Za-z0-9])${phrase.slice(0, n).map(escapeRegExp).join('[^A-Za-z0-9]+')}(?![A-Za-z0-9])`, 'i');
      const found: { path: string; line: number }[] = [];
      for (const [path, text] of texts) {
        const m = pattern.exec(text);
        if (m) found.push({ path, line: lineAt(text, m.index) });
      }
      if (found.length) return found.length <= MAX_QUOTING_FILES ? found : [];
    }
    return [];
  }

  /** The definitions of `member` whose parent is `owner` (both lower case), by file, and whether each only declares it. */
  private memberDefs(owner: string, member: string): [string, SymbolDef, boolean][] {
    const found: [string, SymbolDef, boolean][] = [];
    for (const p of this.symbolFiles.get(member) ?? []) {
      const defs = this.data.files.get(p)?.defs ?? [];
      const def = defs.find((d) => d.parent?.toLowerCase() === owner && d.name.toLowerCase() === member);
      if (def) found.push([p, def, onlyDeclares(defs, member)]);
    }
    return found;
  }

  /**
   * Files for a named identifier that nothing in the repository defines or uses: those named one edit away from it
   * (`gzfwrite` -> `gzwrite.c`) or defining a symbol one edit away, when few do.
   */
  private nearNames(name: string, aboutTests: boolean): string[] {
    const n = name.toLowerCase();
    const term = identifierTerm(name);
    if (n.length < MIN_NEAR_NAME || this.symbolFiles.has(n) || (term && this.content.filesWith(term).length)) return [];
    const out = new Set<string>();
    const joined = joinedName(name);
    for (const [stem, paths] of this.stemFiles) if (oneEditApart(joined, stem)) for (const p of paths) out.add(p);
    for (const [symbol, paths] of this.symbolFiles) if (oneEditApart(n, symbol)) for (const p of paths) out.add(p);
    const found = [...out].filter((p) => aboutTests || !isTestPath(p));
    return found.length <= MAX_NEAR_NAME_FILES ? found : [];
  }

  /**
   * The project's own most central files (no tests, docs, examples or vendored code) not already in
   * `found`, scored below `lowest` so that they follow every file the question matched.
   */
  private centralFiles(count: number, found: ReadonlyMap<string, unknown>, lowest = 1): RankedFile[] {
    const own = [...this.centrality].filter(([p]) => !found.has(p) && !isPeripheralPath(p) && this.data.files.get(p)?.language != null);
    own.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return own.slice(0, count).map(([path, c]) => ({ path, score: 0.5 * lowest * c, defs: [], central: true }));
  }

  /** Definitions of `path` ordered by how well their names (and docs) match the query terms. */
  private bestDefs(path: string, exact: Map<SymbolDef, number>, terms: Set<string>): SymbolDef[] {
    const defs = this.data.files.get(path)?.defs ?? [];
    const scored: { d: SymbolDef; s: number }[] = [];
    for (const d of defs) {
      let s = exact.get(d) ?? 0;
      for (const part of splitIdentifier(d.name)) {
        const n = normalizeTerm(part);
        if (n && terms.has(n)) s += 1;
      }
      const docTerms = new Set<string>();
      if (d.doc) for (const t of tokenizeText(d.doc)) {
        const n = normalizeTerm(t);
        if (n && terms.has(n)) docTerms.add(n);
      }
      s += 0.2 * docTerms.size;
      // One word in common with its doc is chance ("follow" in a doc about header names), not a match.
      if (s >= 0.4) scored.push({ d, s });
    }
    scored.sort((a, b) => b.s - a.s || a.d.startLine - b.d.startLine);
    return scored.map((x) => x.d);
  }
}

/** Each name's place among the names the question mentions, by where it first appears: 0 for the first. */
function mentionOrder(question: string, names: string[]): Map<string, number> {
  const lower = question.toLowerCase();
  const at = new Map<string, number>();
  for (const n of new Set(names)) {
    const m = new RegExp(`(?<![a-z0-9_$])${escapeRegExp(n)}(?![a-z0-9_$])`).exec(lower);
    at.set(n, m ? m.index : lower.length);
  }
  return new Map([...at].sort((a, b) => a[1] - b[1]).map(([n], i) => [n, i]));
}

/** The parts of a compound folder name (`tracing-journald`, `spring_boot`) long enough to be a name. */
function compoundParts(folder: string): string[] {
  return /[-_.]/.test(folder) ? folder.split(/[-_.]+/).filter((part) => part.length >= 3) : [];
}
