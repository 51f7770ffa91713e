/**
 * Plain-data types shared by every layer of Sleeptime: the core engine, the CLI, the extension,
 * the on-disk store and the webview. Everything here is JSON-serializable.
 */

/** Languages with a shipped tree-sitter grammar and tag queries. */
export type Language =
  | 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java'
  | 'c' | 'cpp' | 'csharp' | 'ruby' | 'php' | 'kotlin' | 'swift' | 'scala';

/** Why the scanner left a file out. */
export type SkipReason =
  | 'binary' | 'too-large' | 'minified' | 'generated' | 'secret' | 'unreadable' | 'symlink';

/** A text file the scanner kept. `path` is POSIX-style and relative to the scanned root. */
export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** null for text files without a grammar (README, package.json, Makefile ...). */
  language: Language | null;
}

export interface ScanResult {
  root: string;
  isGit: boolean;
  files: ScannedFile[];
  skipped: { path: string; reason: SkipReason }[];
  /** Problems met while scanning; never fatal. */
  errors: string[];
}

/** 1-based inclusive line range. */
export interface LineRange {
  startLine: number;
  endLine: number;
}

export interface SymbolDef extends LineRange {
  name: string;
  /** function | method | class | interface | type | enum | struct | trait | module | constant | variable */
  kind: string;
  /** Enclosing class/impl/module name, if any. */
  parent?: string;
  /** First paragraph of the doc comment or docstring, trimmed. */
  doc?: string;
  exported: boolean;
  /** Go: the type of a function's last result (`error`, `bool`), when it has results. */
  lastResult?: string;
  /**
   * A JS/TS constant that only hands on a value defined elsewhere (`module.exports.Pool = Pool`,
   * `exports.x = require('./x')`, `export const X = Y`): where the name is defined for real, that definition wins.
   */
  alias?: true;
}

/** A name a file uses: one entry per distinct name, at its first use. */
export interface SymbolRef {
  name: string;
  line: number;
  /**
   * call | function | type | inherit | ref. `function`: only called without a receiver (`f(x)`), in a language where
   * such a call cannot reach a method (JS/TS, Python, Go, Rust, PHP).
   */
  kind: string;
  /** Uses of the name in the file; absent (older stores: one entry per use) means 1. */
  count?: number;
}

export interface ImportRef {
  /** Module specifier as written (`./util`, `os.path`, `github.com/x/y`, `java.util.List`). */
  source: string;
  line: number;
  /** C# `global using`: the namespace is visible in every file of the project. */
  global?: true;
  /**
   * Loaded only when some code runs (an import inside a function) or for types only (`import type`): the file
   * does not need the module to load, so the import makes no load-order cycle. So is a Rust re-export (`pub use`),
   * which only hands a name on, and a `use` in a Rust test module.
   */
  deferred?: true;
  /** A name that Python's `from X import name` imports: a submodule of X, or a class or function X defines. */
  member?: true;
}

/** A likely-bug hypothesis found by a syntax-tree pattern. */
export interface BugCandidate extends LineRange {
  /** Stable pattern id, e.g. `swallowed-exception`, `unawaited-promise`, `todo-marker`. */
  pattern: string;
  /** Why it is suspect, one or two sentences. */
  message: string;
  /** Pattern's prior strength in (0, 1]. */
  weight: number;
  /** The function whose result the finding is about (a Go error dropped from `FindRoute()`), by name. */
  callee?: string;
}

/** Everything extracted from one file; cached per content hash. */
export interface FileAnalysis {
  path: string;
  language: Language | null;
  /** sha1 of the raw bytes. */
  hash: string;
  bytes: number;
  lines: number;
  defs: SymbolDef[];
  refs: SymbolRef[];
  imports: ImportRef[];
  bugs: BugCandidate[];
  /** Leading file comment / module docstring, first paragraph. */
  doc?: string;
  /** Set when the file could not be parsed; the file then has no tags. */
  parseError?: string;
  /** Set when the content check of a parse job skipped the file; nothing else is then filled in. */
  skipped?: SkipReason;
  /**
   * Content term vector of a code file (see `contentTerms`): stemmed terms of its identifiers, comments
   * and strings with counts, the most frequent few hundred; lets questions be matched against contents.
   * Encoded as `term:count` pairs separated by spaces (read with `termCounts`); caches written by
   * earlier versions hold a `{term: count}` object.
   */
  terms?: string | Record<string, number>;
}

export interface FileHistory {
  commits: number;
  fixCommits: number;
  /** ISO date of the last commit touching the file. */
  lastChanged?: string;
  authors: number;
}

/** A past commit: its subject and the files it changed (by their current paths). */
export interface PastCommit {
  subject: string;
  files: string[];
}

export interface HistoryResult {
  available: boolean;
  shallow: boolean;
  totalCommits: number;
  head?: string;
  files: Record<string, FileHistory>;
  /** Files that changed together, most frequent first. */
  coChange: { a: string; b: string; count: number }[];
  /** ISO date of the newest commit. */
  lastCommitDate?: string;
  /** The commits read, newest first, less releases and mass changes (absent in histories of older versions). */
  commits?: PastCommit[];
}

export type NoteKind = 'architecture' | 'bug' | 'test-hook' | 'file' | 'qa';

export interface Evidence extends LineRange {
  path: string;
}

/** One unit of c′: prepared knowledge about the repository. */
export interface Note {
  /** Stable across runs for the same subject, e.g. `architecture:overview`, `file:src/a.ts`. */
  id: string;
  kind: NoteKind;
  title: string;
  /** Markdown; cites code as `path:line`. */
  body: string;
  evidence: Evidence[];
  /** Content hashes (sha1) of the files this note depends on, by path. */
  dependsOn: Record<string, string>;
  /** `static` or `llm:<model>`. */
  origin: string;
  stale: boolean;
  createdAt: string;
  /** Component folder or file path the note is about, for filtering by path. */
  subject?: string;
  /** Importance/confidence in [0, 1]; used for ranking within a kind. */
  score?: number;
  /** Kind-specific extra data (e.g. bug pattern, test command, qa question). */
  meta?: Record<string, unknown>;
}
