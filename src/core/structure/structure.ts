import Graph from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { stronglyConnectedComponents } from 'graphology-components';
import type { FileAnalysis, ImportRef, Language, SymbolDef } from '../types';
import { isFixturePath, isTestPath } from '../notes/testHooks';
import { memoized } from '../memo';
import { handedOnNames, insideFunctions } from './definitions';
import { countBy, pushTo } from '../multimap';
import { enclosingNamespaceFiles, ImportResolver, namespaceFiles, RUST_CRATES, type PhpRoots, type RustModule } from './importResolver';
import { isPeripheralPath } from './peripheral';
import { isBesidePath, isVendoredPath } from './besideFolders';
import { C_SOURCE_FILE } from '../scan/languages';

/** A resolved dependency of one file on another. */
export interface FileEdge {
  from: string;
  to: string;
  /** Import statements plus weighted symbol references. */
  weight: number;
  /** Line of the first import of `to` in `from`, when it is an import. */
  importLine?: number;
  /** Every import of `to` in `from` is deferred (inside a function, or of types only): no load-order dependency. */
  deferredImport?: boolean;
  /** `from` sees `to` through an import, a `using` or its namespace, not only through a name they share. */
  declared?: boolean;
  /** Linked by a name that is not a member's: `x.fetch()` alone may well call a library's `fetch`. */
  named?: boolean;
  /**
   * Linked only by calls of methods whose class `from` neither names nor imports (`w.WriteHeader()` on a
   * library's writer): it weighs a little in the ranking, but the notes do not count it as a use.
   */
  guessed?: boolean;
  /** Symbols of `to` that `from` references, most used first. */
  symbols: string[];
}

export interface RankedSymbol {
  name: string;
  kind: string;
  path: string;
  startLine: number;
  endLine: number;
  score: number;
  /** Files referencing it. */
  usedBy: number;
}

export interface Component {
  /** Folder path relative to the root; `.` for files at the root. */
  id: string;
  files: string[];
  lines: number;
  languages: Record<string, number>;
  /** Sum of its files' rank above the least ranked file's (the rank a file nothing uses has). */
  rank: number;
  dependsOn: { component: string; weight: number; example?: { path: string; line: number } }[];
}

/** The relational skeleton of a repository. */
export interface Structure {
  /** PageRank of each code file, scaled so the top file is 1. */
  fileRank: Record<string, number>;
  symbols: RankedSymbol[];
  edges: FileEdge[];
  components: Component[];
  /** Import cycles between files (strongly connected, 2+ files), largest first. */
  cycles: string[][];
  /** Import cycles between components. */
  componentCycles: string[][];
  hubs: { path: string; usedBy: number; uses: number }[];
}

/** Names too generic to link files by. */
const GENERIC = new Set([
  'constructor', '__init__', 'init', 'main', 'new', 'get', 'set', 'run', 'call', 'apply', 'toString', 'String',
  'length', 'len', 'size', 'value', 'name', 'id', 'type', 'data', 'self', 'this', 'super', 'map', 'filter', 'push',
  'append', 'add', 'close', 'open', 'read', 'write', 'error', 'test', 'describe', 'it', 'log', 'print', 'format',
]);

/**
 * Methods the standard libraries' objects, collections and strings have (Ruby's `dup` and `each`, JavaScript's
 * `forEach`, Java's `hashCode`, Rust's `is_some`) and that a project rarely makes its own API: a call `x.inspect`
 * is almost always the runtime's, so it does not make a project class's `inspect` a used symbol.
 */
const CORE_METHODS = new Set([
  // Ruby
  'dup', 'clone', 'inspect', 'to_s', 'to_h', 'to_hash', 'to_a', 'to_ary', 'to_str', 'to_sym', 'to_i', 'to_f', 'to_proc',
  'to_json', 'as_json', 'each', 'each_pair', 'each_with_index', 'each_with_object', 'include?', 'key?', 'empty?',
  'any?', 'all?', 'none?', 'nil?', 'freeze', 'frozen?', 'eql?', 'equal?', 'respond_to?', 'is_a?', 'kind_of?',
  'instance_of?', 'tap', 'merge!', 'public_send', 'merge', 'fetch', 'has_key?', 'match?', 'bytesize', 'gsub', 'send',
  'delete', 'dig', 'store', 'values_at', 'each_key', 'each_value', 'sub', 'map', 'select', 'reject', 'first', 'last', 'size',
  'length', 'to_path',
  // Python
  'setdefault', 'popitem', 'startswith', 'endswith', 'lower', 'upper', 'readline', 'readlines', 'append', 'items',
  'encode', 'decode', 'replace', 'extend', 'split', 'rsplit', 'strip', 'rstrip', 'lstrip', 'keys', 'values', 'update',
  'copy', 'remove', 'index', 'count', 'find', 'rfind', 'sort',
  // JavaScript
  'toString', 'valueOf', 'hasOwnProperty', 'forEach', 'findIndex', 'includes', 'indexOf', 'splice', 'toJSON',
  'startsWith', 'endsWith', 'has', 'push', 'pop', 'shift', 'unshift', 'slice', 'concat', 'join', 'then', 'catch', 'call',
  'apply', 'bind',
  // Java, C#, Go, Rust
  'equals', 'hashCode', 'getClass', 'Equals', 'GetHashCode', 'ToString', 'GetType', 'Dispose', 'isEmpty',
  'containsKey', 'hasNext', 'println', 'printf', 'Error', 'is_some', 'is_none', 'unwrap', 'as_str', 'as_ref',
  'compareTo', 'CompareTo', 'TryGetValue', 'ContainsKey', 'Concat', 'Add', 'AddRange', 'Remove', 'Contains', 'Clear',
  'Insert', 'IndexOf', 'Append', 'Select', 'Where', 'First', 'Any', 'ToList', 'ToArray',
  'borrow', 'borrow_mut', 'is_empty', 'into_inner', 'push_str', 'to_string', 'as_bytes', 'from', 'into', 'try_from',
  'try_into', 'next', 'fmt', 'default', 'deref', 'deref_mut', 'drop', 'partial_cmp', 'cmp', 'insert', 'clear', 'len',
]);

/**
 * What Ruby code calls without a receiver on every page: `include Mod`, `require`, `attr_reader`, `puts`. Such a call is
 * Ruby's own, not a use of the project's `FileList#include`, so it links no files.
 */
const RUBY_KERNEL = new Set([
  'include', 'extend', 'prepend', 'require', 'require_relative', 'load', 'autoload', 'puts', 'print', 'raise', 'fail',
  'attr_reader', 'attr_writer', 'attr_accessor', 'private', 'protected', 'public', 'module_function', 'define_method',
  'alias_method', 'loop', 'lambda', 'proc', 'format', 'sprintf', 'sleep', 'rand', 'warn', 'exit', 'abort', 'catch', 'throw',
  'at_exit', 'block_given?', 'caller', 'binding',
]);

/** Examples, benchmarks, docs and vendored copies: code beside the project's (tests are not). */
function isBesideOrVendored(path: string): boolean {
  return isBesidePath(path) || isVendoredPath(path);
}

/**
 * The C library's functions: a call to `free` or `fwrite` is the library's, even where the project defines one too (a
 * parser generator's prototype, a test's LD_PRELOAD shim, a Windows stand-in for pthreads).
 */
const C_LIBRARY = new Set([
  'malloc', 'calloc', 'realloc', 'free', 'memcpy', 'memmove', 'memset', 'memcmp', 'memchr', 'strlen', 'strcmp', 'strncmp', 'strcpy',
  'strncpy', 'strcat', 'strncat', 'strchr', 'strrchr', 'strstr', 'strdup', 'strndup', 'strtol', 'strtoul', 'strtod', 'strtoll',
  'strtoull', 'atoi', 'atof', 'printf', 'fprintf', 'sprintf', 'snprintf', 'vprintf', 'vfprintf', 'vsprintf', 'vsnprintf', 'puts',
  'fputs', 'fputc', 'putc', 'putchar', 'fgets', 'fgetc', 'getc', 'getchar', 'fread', 'fwrite', 'fopen', 'fclose', 'fflush', 'fseek',
  'ftell', 'rewind', 'feof', 'ferror', 'perror', 'exit', 'abort', 'atexit', 'qsort', 'bsearch', 'abs', 'labs', 'time', 'clock',
  'localtime', 'gmtime', 'mktime', 'strftime', 'isatty', 'close', 'lseek', 'fstat', 'mmap', 'munmap', 'getenv', 'setenv', 'signal',
  'raise', 'sleep', 'usleep', 'isalpha', 'isdigit', 'isspace', 'isalnum', 'isupper', 'islower', 'toupper', 'tolower',
  'pthread_create', 'pthread_join', 'pthread_mutex_lock', 'pthread_mutex_unlock', 'pthread_mutex_init', 'pthread_mutex_destroy',
  'pthread_key_create', 'pthread_getspecific', 'pthread_setspecific', 'pthread_once', 'pthread_cond_wait', 'pthread_cond_signal',
]);

/** Languages whose files import other files by name, so a used name must come through an import. */
const IMPORTS_NAME_FILES = new Set(['typescript', 'tsx', 'javascript', 'python', 'rust']);

/** Languages whose unqualified names are looked up in the file's own folder first (its namespace, its include folder). */
const OWN_FOLDER_FIRST = new Set(['php', 'c', 'cpp']);

/** Languages whose code sees another folder's names only through an import (or, on the JVM, a package it shares). */
const IMPORTS_ACROSS_FOLDERS = new Set([...IMPORTS_NAME_FILES, 'go', 'java', 'kotlin', 'scala']);

/** A Rust file's `use` paths and its items (definitions outside any type or impl). */
function rustModuleOf(f: FileAnalysis | undefined): RustModule | undefined {
  return f && {
    uses: f.imports.map((imp) => imp.source),
    defines: new Set(f.defs.filter((d) => !d.parent).map((d) => d.name)),
    privateModules: new Set(f.defs.filter((d) => !d.parent && d.kind === 'module' && !d.exported).map((d) => d.name)),
  };
}

/** The line of the barrel import through which `target` is seen, if any. */
function barrelImportLine(barrels: [Set<string>, number, ...unknown[]][] | undefined, target: string): number | undefined {
  return barrels?.find(([modules]) => modules.has(target))?.[1];
}

/** A JS/TS `index` file that defines nothing and only re-exports other modules (`export *`, `exports.x = require('./x')`). */
function isBarrel(f: FileAnalysis): boolean {
  return f.defs.every((d) => d.alias) && f.imports.length > 0 && /(^|\/)index\.[cm]?[jt]sx?$/.test(f.path);
}

/**
 * Python's `from pkg import a, b` where `pkg.a` and `pkg.b` are modules of their own: the statement's import of `pkg`
 * itself, which uses nothing of the package's `__init__` (a submodule importing its siblings makes no cycle with it).
 */
function packagesOfModulesOnly(f: FileAnalysis, resolver: ImportResolver): Set<ImportRef> {
  const out = new Set<ImportRef>();
  for (const imp of f.imports) {
    const members = f.imports.filter((m) => m.line === imp.line && m !== imp && m.source.startsWith(`${imp.source}.`));
    if (!members.length) continue;
    const own = new Set(resolver.resolve(f, imp));
    if (members.every((m) => resolver.resolve(f, m).some((t) => !own.has(t)))) out.add(imp);
  }
  return out;
}

/** Languages whose imports name one class each, so the imported name is the last segment of the path. */
const BINDS_IMPORTED_NAME = new Set(['php', 'java', 'kotlin', 'scala']);

/** The class name an import binds (`A\B\Foo`, `a.b.Foo` -> `Foo`); none for wildcards, groups and files. */
function importedName(source: string): string | undefined {
  if (/\.php$/i.test(source)) return undefined;
  const last = source.split(/[\\./]/).pop() ?? '';
  return /^[A-Za-z_]\w*$/.test(last) ? last : undefined;
}

const JVM = new Set(['java', 'kotlin', 'scala']);

/** Definition kinds a type reference can name. */
const TYPE_KINDS = new Set(['class', 'interface', 'struct', 'trait', 'enum', 'type', 'record', 'union', 'protocol', 'module', 'typedef', 'delegate']);

/**
 * A Java, Kotlin or Scala file's package, as its folder below the source root (`src/main/java/`,
 * `src/jvmMain/kotlin/`): two modules may put code in one package, which sees itself without imports.
 */
function jvmPackageDir(p: string): string {
  const dir = dirOf(p);
  const below = /(?:^|\/)(?:java|kotlin|scala)(\/.*)?$/.exec(dir);
  return below ? (below[1] ?? '') : dir;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Build the file graph (imports + symbol references), rank it, and derive components, cycles and hubs. */
/**
 * A node every file links to with `REST_WEIGHT`, for the dependencies a file has outside the project (the
 * standard library, packages). Without it a file passes all of its rank to its few project dependencies, so
 * a helper used only by a central file outranks it (click's `_winconsole.py`, imported by `_compat.py` alone,
 * ranked second). It links nowhere: its rank is spread evenly, as a random jump's.
 */
const REST = '\0rest';
/** What a guessed method call (see `FileEdge.guessed`) weighs against one of a class the file knows. */
const GUESS_WEIGHT = 0.3;
/** About five uses of one name, or five imports. */
const REST_WEIGHT = 5;

export function buildStructure(
  files: FileAnalysis[],
  opts: {
    goModule?: string; phpRoots?: PhpRoots; jsPackages?: ReadonlyMap<string, string>; jsEntries?: ReadonlyMap<string, string>;
    rustCrates?: ReadonlyMap<string, string>; jsOutputs?: ReadonlyMap<string, string>;
  } = {},
): Structure {
  const code = files.filter((f) => f.language && !f.parseError && !isFixturePath(f.path));
  const namespaces = namespaceFiles(code);
  const rustFiles = new Map(code.filter((f) => f.language === 'rust').map((f) => [f.path, f]));
  const resolver = new ImportResolver(code.map((f) => f.path), {
    goModule: opts.goModule, namespaces, phpRoots: opts.phpRoots, jsPackages: opts.jsPackages, jsEntries: opts.jsEntries, rustCrates: opts.rustCrates,
    jsOutputs: opts.jsOutputs, rustModule: memoized((path: string) => rustModuleOf(rustFiles.get(path))),
  });

  const definers = new Map<string, { path: string; exported: boolean; member: boolean; parent?: string; type: boolean; family: string; peripheral: boolean }[]>();
  const byPath = new Map(code.map((f) => [f.path, f]));
  // A name a file only hands on (`module.exports.Pool = Pool`) is defined where it comes from.
  const handedOn = handedOnNames(byPath);
  for (const f of code) {
    const seen = new Set<string>();
    const peripheral = isBesideOrVendored(f.path);
    const local = insideFunctions(f.defs);
    const aliases = handedOn.get(f.path);
    for (const d of f.defs) {
      if (seen.has(d.name) || d.name.length < 2 || local.has(d) || (d.alias && aliases?.has(d.name))) continue;
      seen.add(d.name);
      pushTo(definers, d.name, {
        path: f.path, exported: d.exported, member: Boolean(d.parent), parent: d.parent?.split(/[.:]/).pop(), type: TYPE_KINDS.has(d.kind), family: familyOf(f.language!), peripheral,
      });
    }
  }

  // Edges and symbol uses in the order they were first seen (ties in the rankings keep it), found through
  // nested maps: keys joined into one string cost more to build and hash than the rest of this function.
  const edges: FileEdge[] = [];
  /** Edges something besides a guessed method call made (see `FileEdge.guessed`). */
  const evident = new Set<FileEdge>();
  const edgeIndex = new Map<string, Map<string, FileEdge>>();
  const edgeFor = (from: string, to: string): FileEdge => {
    let out = edgeIndex.get(from);
    if (!out) edgeIndex.set(from, (out = new Map()));
    let e = out.get(to);
    if (!e) {
      out.set(to, (e = { from, to, weight: 0, symbols: [] }));
      edges.push(e);
    }
    return e;
  };
  /** Who uses each symbol: path -> name -> {from -> weight}. */
  const symbolUses: { path: string; name: string; users: Map<string, number> }[] = [];
  const symbolIndex = new Map<string, Map<string, Map<string, number>>>();
  const usersOf = (path: string, name: string): Map<string, number> => {
    let byName = symbolIndex.get(path);
    if (!byName) symbolIndex.set(path, (byName = new Map()));
    let users = byName.get(name);
    if (!users) {
      byName.set(name, (users = new Map()));
      symbolUses.push({ path, name, users });
    }
    return users;
  };

  const testFile = new Set(code.filter((f) => isTestPath(f.path)).map((f) => f.path));
  // Files each file imports, with the line of the import.
  const imported = new Map<string, Map<string, number>>();
  /** Per file: class names its imports bind (`use A\B\Foo;`, `import a.b.Foo;`) -> the files they resolve to. */
  const bound = new Map<string, Map<string, Set<string>>>();
  /** The modules a barrel file re-exports, through nested barrels; none for any other file. */
  const barrelTargets = new Map<string, Set<string>>();
  const reexported = (path: string, depth = 0): Set<string> | undefined => {
    const known = barrelTargets.get(path);
    if (known) return known;
    const barrel = byPath.get(path);
    if (!barrel || !isBarrel(barrel) || depth > 3) return undefined;
    const out = new Set<string>();
    for (const t of barrel.imports.flatMap((imp) => resolver.resolve(barrel, imp))) {
      out.add(t);
      for (const u of reexported(t, depth + 1) ?? []) out.add(u);
    }
    barrelTargets.set(path, out);
    return out;
  };
  /** The modules of its own package a Python `__init__.py` imports at load time. */
  const packageExports = memoized((path: string): Set<string> | undefined => {
    const init = path.endsWith('/__init__.py') ? byPath.get(path) : undefined;
    if (!init) return undefined;
    const dir = dirOf(path);
    return new Set(init.imports.filter((imp) => !imp.deferred).flatMap((imp) => resolver.resolve(init, imp)).filter((t) => t !== path && t.startsWith(`${dir}/`)));
  });
  /** Per file: the barrels it imports (their modules, the import line, the barrel). */
  const viaBarrels = new Map<string, [Set<string>, number, string][]>();
  /** Per file: the Python packages it imports (the modules their `__init__` loads, the import line). */
  const viaPackages = new Map<string, [Set<string>, number][]>();
  // A C# `using` names a whole namespace: it makes the namespace's files visible, and only the names
  // used from them make edges. Without one (line -1), a file sees the files of its own namespace and
  // the namespaces enclosing it, and the namespaces of the project's `global using`s.
  const globalUsings = code.flatMap((f) => f.imports.filter((imp) => imp.global).flatMap((imp) => resolver.resolve(f, imp)));
  /** Per Go file: the packages (their files, the import line) it imports; the names it uses pick the files. */
  const goPackages = new Map<string, [string[], number][]>();
  /** Per file: the files only its deferred imports reach (see `ImportRef.deferred`). */
  const deferredOnly = new Map<string, Set<string>>();
  /** Per file: the files an import of its names (not a whole package or namespace) reaches. */
  const importsFile = new Map<string, Set<string>>();
  for (const f of code) {
    const targets = new Map<string, number>();
    const eager = new Set<string>();
    const deferred = new Set<string>();
    const direct = new Set<string>();
    const namespaceImports = f.language === 'csharp';
    const visible = (target: string): boolean => target !== f.path && !(testFile.has(target) && !testFile.has(f.path));
    const names = BINDS_IMPORTED_NAME.has(f.language!) ? new Map<string, Set<string>>() : undefined;
    const onlyModules = f.language === 'python' ? packagesOfModulesOnly(f, resolver) : undefined;
    for (const imp of f.imports) {
      if (onlyModules?.has(imp)) continue;
      const resolved = resolver.resolve(f, imp);
      // A Go import names a package of many files: like a C# `using`, it makes them visible and the names used make edges.
      const goPackage = f.language === 'go' && resolved.length > 1;
      if (goPackage) pushTo(goPackages, f.path, [resolved.filter(visible), imp.line]);
      // A JVM package import makes the package's names visible; only the names used make edges.
      if (!resolved.length && JVM.has(f.language!)) {
        for (const target of resolver.packageImport(imp.source)) if (visible(target) && !targets.has(target)) targets.set(target, imp.line);
      }
      const name = names ? importedName(imp.source) : undefined;
      // Bound to what the import resolves to; an unresolved import binds its name only when it is clearly not the project's.
      if (names && name && (resolved.length || !resolver.mayBeProjectPackage(imp.source))) names.set(name, new Set([...(names.get(name) ?? []), ...resolved]));
      for (const target of resolved) {
        if (!visible(target)) continue;
        (imp.deferred ? deferred : eager).add(target);
        if (!targets.has(target)) targets.set(target, imp.line);
        if (namespaceImports || goPackage) continue;
        direct.add(target);
        // Through a barrel (`index.ts` that only re-exports) the names used reach the modules that define them.
        const barrelled = reexported(target);
        if (barrelled?.size) {
          pushTo(viaBarrels, f.path, [barrelled, imp.line, target]);
          continue;
        }
        // A Python package's `__init__` hands on the names it imports: `tenacity.stop_after_attempt` is stop.py's.
        const handedOn = packageExports(target);
        if (handedOn?.size) pushTo(viaPackages, f.path, [handedOn, imp.line]);
        const e = edgeFor(f.path, target);
        e.weight += 1;
        e.importLine ??= imp.line;
        e.declared = true;
        evident.add(e);
      }
    }
    if (namespaceImports) {
      const implicit = [...globalUsings];
      for (const d of f.defs) if (d.kind === 'module') implicit.push(...enclosingNamespaceFiles(namespaces, d.name));
      for (const target of implicit) if (visible(target) && !targets.has(target)) targets.set(target, -1);
    }
    imported.set(f.path, targets);
    importsFile.set(f.path, direct);
    for (const t of eager) deferred.delete(t);
    if (deferred.size) deferredOnly.set(f.path, deferred);
    if (names?.size) bound.set(f.path, names);
  }
  const inNamespace = new Set([...namespaces.values()].flat());
  // A JVM class outside a file's package is seen only through an import: `x.isTrue()` in a file that does not
  // import the project's class defining `isTrue` calls a library's. That holds where the folders follow the
  // packages, as imports resolving show; a Kotlin project may leave its root package out of them, and then none do.
  /** Whether imports resolve for enough of `files` (a tenth) to say what each of them sees. */
  const importsResolve = (files: FileAnalysis[]): boolean => files.filter((f) => imported.get(f.path)!.size > 0).length >= Math.max(1, files.length * 0.1);
  const jvmFoldersArePackages = importsResolve(code.filter((f) => JVM.has(f.language!)));
  // Go code sees another package's names only through its import, which resolves when the module's path is known.
  const goImportsKnown = importsResolve(code.filter((f) => f.language === 'go'));
  // A TypeScript, JavaScript, Python or Rust module sees a neighbour's names only through an import (a `use`), like
  // any other module's: where imports resolve, sharing a folder is no evidence (`formatter.parse()` beside `Logger.parse`).
  const folderBlind = new Set<string>();
  for (const family of [['typescript', 'tsx'], ['javascript'], ['python'], ['rust']]) {
    if (importsResolve(code.filter((f) => family.includes(f.language!)))) for (const l of family) folderBlind.add(l);
  }
  // Asked once per name reference: worked out once per file.
  const folderOf = memoized(dirOf);
  const packageDir = memoized(jvmPackageDir);
  for (const f of code) {
    const counts = new Map<string, number>();
    for (const r of f.refs) counts.set(r.name, (counts.get(r.name) ?? 0) + (r.count ?? 1));
    const local = new Set(f.defs.map((d) => d.name));
    // Classes the file works with: those it names, defines, or defines methods of (a Go type's methods over several files).
    const ownTypes = new Set(f.defs.flatMap((d) => (d.parent ? [d.name, d.parent.split(/[.:]/).pop()!] : [d.name])));
    const importedFile = importsFile.get(f.path)!;
    const dir = dirOf(f.path);
    const explicitImports = IMPORTS_NAME_FILES.has(f.language!);
    // C# names resolve through namespaces; only a type in the global namespace is seen from anywhere.
    const seenThroughNamespaces = f.language === 'csharp';
    const boundHere = bound.get(f.path);
    const bareCalls = new Set(f.refs.filter((r) => r.kind === 'function').map((r) => r.name));
    // Names used only as types (`catch (Exception e)`, `: Base`) name no property or method.
    const asTypeOnly = new Set(f.refs.filter((r) => r.kind === 'type' || r.kind === 'inherit').map((r) => r.name));
    for (const r of f.refs) if (r.kind !== 'type' && r.kind !== 'inherit') asTypeOnly.delete(r.name);
    // On the JVM, a package spread over modules sees itself without imports.
    const ownPackage = JVM.has(f.language!) ? packageDir(f.path) : undefined;
    const importedHere = imported.get(f.path)!;
    const jvmImportsKnown = ownPackage !== undefined && jvmFoldersArePackages;
    const goImportsResolve = f.language === 'go' && goImportsKnown;
    const ruby = f.language === 'ruby';
    const rust = f.language === 'rust';
    const cFamily = f.language === 'c' || f.language === 'cpp';
    const peripheralFile = isBesideOrVendored(f.path);
    // Swift's `defer` is not a function of the docs' JavaScript: a name reaches definitions of its own language family.
    const family = familyOf(f.language!);
    // Go never qualifies its own package's names: `errors.New()` in package resty is not resty's `New`.
    // Except in an external test package (`package jwt_test`), which imports its own folder's package and qualifies its names.
    const externalTest = f.language === 'go' && (goPackages.get(f.path) ?? []).some(([files]) => files.some((t) => folderOf(t) === dir));
    const qualifiedOnly = f.language === 'go' && !externalTest ? new Set(f.refs.filter((r) => r.kind === 'call').map((r) => r.name)) : undefined;
    for (const [name, count] of counts) {
      if (local.has(name) || GENERIC.has(name) || name.length < 3 || (ruby && RUBY_KERNEL.has(name)) || (rust && RUST_CRATES.has(name)) || (cFamily && C_LIBRARY.has(name))) continue;
      const all = definers.get(name);
      // Examples, benchmarks and vendored copies that reopen or subclass a class (`class API < Grape::API`) do not make its name ambiguous.
      const defs = all && !peripheralFile && all.some((d) => d.peripheral) ? all.filter((d) => !d.peripheral) : all;
      if (!defs?.length || defs.length > 5) continue;
      let targets = (defs.some((d) => d.exported) ? defs.filter((d) => d.exported) : defs).filter(
        (t) => t.path !== f.path && !(testFile.has(t.path) && !testFile.has(f.path)) && t.family === family && !(!t.exported && C_SOURCE_FILE.test(t.path)),
      );
      // Of several classes' methods of one name, those of the classes the file names: `$this->smtp->connect()` in
      // a file that uses `SMTP` and never `POP3` is SMTP's connect.
      const ofNamedClass = targets.filter((t) => t.member && t.parent && counts.has(t.parent));
      if (ofNamedClass.length && ofNamedClass.length < targets.filter((t) => t.member).length) {
        targets = targets.filter((t) => !t.member || ofNamedClass.includes(t));
      }
      // A name an import binds means what the import resolves to: `use Exception;` is the runtime's, not a project class.
      const boundTo = boundHere?.get(name);
      // A name defined in the file's own folder and elsewhere, and imported from nowhere, is its own folder's: PHP's
      // unqualified `RegexBasedAbstract` is in the file's namespace, C's `#include "zfstream.h"` is the one beside it.
      if (!boundTo && targets.length > 1 && OWN_FOLDER_FIRST.has(f.language!) && targets.some((t) => !t.member && folderOf(t.path) === dir)) {
        targets = targets.filter((t) => t.member || folderOf(t.path) === dir || importedHere.has(t.path));
      }
      for (const t of targets) {
        if (boundTo && !boundTo.has(t.path)) continue;
        // `trim($s)` calls a function, never the method `Str::trim`; a type is never a property's name.
        if (t.member && (bareCalls.has(name) || (asTypeOnly.has(name) && !t.type))) continue;
        if (!t.member && qualifiedOnly?.has(name) && folderOf(t.path) === dir) continue;
        // A name is only good evidence of a dependency when the file can see the definer: it
        // imports it, shares its folder (Go/Java packages), or the language has no file imports.
        // Members (`x.split()`) collide with library methods, so they weigh little on their own.
        // A package hands on its modules' functions and classes; their methods are reached through the class.
        const barrelLine = barrelImportLine(viaBarrels.get(f.path), t.path);
        const importLine = importedHere.get(t.path) ?? barrelLine ?? (t.member ? undefined : barrelImportLine(viaPackages.get(f.path), t.path));
        const samePackage = ownPackage !== undefined && packageDir(t.path) === ownPackage;
        // A method of a class the file neither imports, nor shares a folder with, nor names: `response.body`,
        // `request.options` are some other object's (faraday's test adapter had been "used by" 38 files).
        if (t.member && t.parent && importLine === undefined && dir !== folderOf(t.path) && !counts.has(t.parent)) continue;
        // The project's code never leans on its examples, benchmarks or vendored copies by a name alone.
        if (importLine === undefined && isPeripheralPath(t.path) && !isPeripheralPath(f.path)) continue;
        const hidden = explicitImports || goImportsResolve || (seenThroughNamespaces && inNamespace.has(t.path)) || (jvmImportsKnown && !samePackage);
        const visible = importLine !== undefined ? 1 : dir === folderOf(t.path) && !folderBlind.has(f.language!) ? 0.7 : hidden ? 0 : 0.4;
        if (!visible) continue;
        const w = (Math.sqrt(count) * visible * (t.member ? 0.3 : 1) * (name.startsWith('_') ? 0.2 : 1)) / targets.length;
        const e = edgeFor(f.path, t.path);
        // `w.WriteHeader()` names a method of whatever `w` is: the project's class only when the file knows that class.
        const guess = t.member && !t.type && t.parent !== undefined && !counts.has(t.parent) && !ownTypes.has(t.parent)
          && !importedFile.has(t.path) && barrelLine === undefined;
        e.weight += guess ? w * GUESS_WEIGHT : w;
        if (guess) continue;
        evident.add(e);
        // A C# name reached through a `using`: that line is the dependency's evidence.
        if (importLine !== undefined && importLine > 0) e.importLine ??= importLine;
        if (importLine !== undefined || samePackage) e.declared = true;
        if (!t.member) e.named = true;
        // The link stays (it weighs little), but such a call says nothing about which symbol is used.
        if (t.member && CORE_METHODS.has(name)) continue;
        e.symbols.push(name);
        const users = usersOf(t.path, name);
        users.set(f.path, (users.get(f.path) ?? 0) + w);
      }
    }
  }

  /** An import of `modules` none of whose names were seen used still links `from` to `target`, which stands for them. */
  const linkImport = (from: string, modules: Iterable<string>, line: number, target: string): void => {
    const out = edgeIndex.get(from);
    for (const t of modules) {
      const known = out?.get(t);
      if (known && evident.has(known)) return;
    }
    const e = edgeFor(from, target);
    e.weight += 1;
    e.importLine ??= line;
    e.declared = true;
    evident.add(e);
  };
  // A Go package imported and none of its names seen used (`_ "pkg"`, only its variables, only guessed method calls):
  // the import links to the package, through its doc.go or else its first file.
  for (const [from, packages] of goPackages) {
    for (const [files, line] of packages) if (files.length) linkImport(from, files, line, files.find((t) => t === 'doc.go' || t.endsWith('/doc.go')) ?? files[0]);
  }
  // A barrel imported and none of the names used found in its modules (`module.exports = require('./knex-builder/Knex')`
  // hands on a default export): the import links to the barrel.
  for (const [from, barrels] of viaBarrels) for (const [modules, line, barrel] of barrels) linkImport(from, modules, line, barrel);
  for (const e of edges) if (!evident.has(e)) e.guessed = true;

  const graph = new Graph({ type: 'directed', allowSelfLoops: false });
  for (const f of code) graph.addNode(f.path);
  for (const e of edges) graph.addDirectedEdge(e.from, e.to, { weight: e.weight });
  if (graph.order) {
    graph.addNode(REST);
    for (const f of code) graph.addDirectedEdge(f.path, REST, { weight: REST_WEIGHT });
  }
  const raw = graph.order ? pagerank(graph, { getEdgeWeight: 'weight', maxIterations: 200, tolerance: 1e-8 }) : {};
  delete raw[REST];
  const max = Math.max(1e-12, ...Object.values(raw));
  const fileRank: Record<string, number> = {};
  for (const [p, r] of Object.entries(raw)) fileRank[p] = r / max;

  const outWeight = new Map<string, number>();
  for (const e of edges) outWeight.set(e.from, (outWeight.get(e.from) ?? 0) + e.weight);
  const symbols: RankedSymbol[] = [];
  for (const { path: p, name, users } of symbolUses) {
    const def = byPath.get(p)?.defs.find((d) => d.name === name);
    if (!def) continue;
    let score = 0;
    for (const [from, w] of users) score += (fileRank[from] ?? 0) * (w / (outWeight.get(from) ?? 1));
    symbols.push({ name, kind: def.kind, path: p, startLine: def.startLine, endLine: def.endLine, score, usedBy: users.size });
  }
  symbols.sort((a, b) => b.score - a.score || b.usedBy - a.usedBy);
  const topSymbolScore = symbols[0]?.score || 1;
  for (const s of symbols) s.score /= topSymbolScore;
  for (const e of edges) e.symbols = [...new Set(e.symbols)].slice(0, 8);

  for (const e of edges) if (e.importLine !== undefined && deferredOnly.get(e.from)?.has(e.to)) e.deferredImport = true;
  const components = groupComponents(code, fileRank, edges);
  const importGraph = new Graph({ type: 'directed' });
  for (const f of code) importGraph.addNode(f.path);
  for (const e of edges) if (e.importLine !== undefined && !e.deferredImport) importGraph.mergeDirectedEdge(e.from, e.to);
  // Tests that import each other (a fixture for circular imports) say nothing about the project's layering.
  const cycles = stronglyConnectedComponents(importGraph)
    .filter((c) => c.length > 1 && !c.every((p) => testFile.has(p)))
    .map((c) => c.sort())
    .sort((a, b) => b.length - a.length)
    .slice(0, 20);

  const componentGraph = new Graph({ type: 'directed' });
  for (const c of components) componentGraph.addNode(c.id);
  for (const c of components) {
    for (const d of c.dependsOn) if (d.example) componentGraph.mergeDirectedEdge(c.id, d.component);
  }
  // Folders that lean on each other both ways, where files do too: a file cycle crosses two of them. Without one
  // (a root folder that both holds the config its plugins read and starts them), the layers are only tangled by name.
  const componentOfFile = new Map(components.flatMap((c) => c.files.map((f) => [f, c.id] as const)));
  const crossing = cycles.map((c) => new Set(c.map((f) => componentOfFile.get(f))));
  const componentCycles = stronglyConnectedComponents(componentGraph)
    .filter((c) => c.length > 1 && crossing.some((ids) => c.filter((id) => ids.has(id)).length >= 2))
    .map((c) => c.sort());

  const usedBy = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const e of edges) {
    if (e.guessed) continue;
    usedBy.set(e.to, (usedBy.get(e.to) ?? 0) + 1);
    uses.set(e.from, (uses.get(e.from) ?? 0) + 1);
  }
  const hubs = [...usedBy.entries()]
    .map(([p, n]) => ({ path: p, usedBy: n, uses: uses.get(p) ?? 0 }))
    .filter((h) => h.usedBy >= 3)
    .sort((a, b) => b.usedBy - a.usedBy)
    .slice(0, 15);

  return { fileRank, symbols: symbols.slice(0, 500), edges, components, cycles, componentCycles, hubs };
}

/**
 * Folders as modules: start from top-level folders and split any folder that holds most of the
 * code (`src/`, `packages/`, `lib/`) into its subfolders, until the split is informative.
 */
function groupComponents(code: FileAnalysis[], fileRank: Record<string, number>, edges: FileEdge[]): Component[] {
  const depthOf = new Map<string, number>(); // folder prefix -> depth at which to cut beneath it
  /** Component of each folder under the current `depthOf`; cleared when a cut changes it. */
  const byFolder = new Map<string, string>();
  const cut = (folder: string, depth: number): void => {
    depthOf.set(folder, depth);
    byFolder.clear();
  };
  const componentOf = (p: string): string => {
    const folder = dirOf(p);
    let id = byFolder.get(folder);
    if (id === undefined) {
      const parts = folder ? folder.split('/') : [];
      let depth = 1;
      let prefix = '';
      for (const part of parts) {
        prefix = prefix ? `${prefix}/${part}` : part;
        depth = depthOf.get(prefix) ?? depth;
      }
      id = parts.length ? parts.slice(0, Math.min(depth, parts.length)).join('/') : '.';
      byFolder.set(folder, id);
    }
    return id;
  };
  // Split on the project's own code: tests, examples, docs and vendored code should not decide how the source is cut.
  const own = code.filter((f) => !isPeripheralPath(f.path));
  const basis = own.length ? own : code;
  /** Components that keep a family of alike subfolders whole: cutting them again would change nothing. */
  const families = new Set<string>();
  // Six splits at most; a folder with one subfolder (Java's `src/main/java/org/...`) is passed through without
  // counting as one.
  for (let splits = 0; splits < 6; splits++) {
    const groups = countBy(basis.map((f) => componentOf(f.path)));
    if (groups.size >= 12) break;
    const [biggest, count] = [...groups.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['.', 0];
    if (biggest === '.' || families.has(biggest) || count < basis.length * 0.4) break;
    // What lies directly inside `biggest`: its files and subfolders, and which of those are folders.
    const depth = biggest.split('/').length + 1;
    const inside = basis.filter((f) => componentOf(f.path) === biggest).map((f) => f.path.split('/'));
    const sub = countBy(inside.map((parts) => parts.slice(0, depth).join('/')));
    const subfolders = [...new Set(inside.filter((parts) => parts.length > depth).map((parts) => parts.slice(0, depth).join('/')))];
    if (subfolders.length < 2) {
      // A lone subfolder is passed through when nothing lies beside it, or only a file or two beside a subfolder
      // that has folders of its own (a gem's `lib/pry.rb` beside `lib/pry/{commands,helpers}`).
      const besides = sub.size - subfolders.length;
      const nested = besides <= 2 && inside.some((parts) => parts.length > depth + 1);
      if (subfolders.length === 1 && (besides === 0 || nested)) {
        cut(biggest, depth);
        splits--;
        continue;
      }
      break;
    }
    cut(biggest, depth);
    // Folders of one kind (`locales/de`, `locales/fr` ...; `addDays/index.ts` ...) stay in `biggest`, not one component each.
    const family = alikeFolders(inside, depth);
    for (const folder of family) depthOf.set(folder, depth - 1);
    if (family.length) families.add(biggest);
  }

  // A file nothing uses still has the rank every file starts with: a folder of many such files (translations,
  // generated tables) is not central for its size. A component counts what its files gain above that floor.
  let floor = Infinity;
  for (const f of code) floor = Math.min(floor, fileRank[f.path] ?? 0);
  const byId = new Map<string, Component>();
  for (const f of code) {
    const id = componentOf(f.path);
    let c = byId.get(id);
    if (!c) byId.set(id, (c = { id, files: [], lines: 0, languages: {}, rank: 0, dependsOn: [] }));
    c.files.push(f.path);
    c.lines += f.lines;
    c.languages[f.language!] = (c.languages[f.language!] ?? 0) + 1;
    c.rank += (fileRank[f.path] ?? 0) - floor;
  }
  const fileComponent = new Map<string, string>();
  for (const c of byId.values()) for (const f of c.files) fileComponent.set(f, c.id);
  // A component's dependencies are its code's: the tests inside it (`src/jvmTest`, `x_test.go`) speak only for
  // a component made of tests.
  const testsOnly = new Set([...byId.values()].filter((c) => c.files.every((p) => isTestPath(p))).map((c) => c.id));
  const languageOf = new Map(code.map((f) => [f.path, f.language!]));
  const deps = new Map<string, Map<string, { weight: number; example?: { path: string; line: number } }>>();
  for (const e of edges) {
    const a = fileComponent.get(e.from);
    const b = fileComponent.get(e.to);
    if (!a || !b || a === b || e.guessed) continue;
    if (!testsOnly.has(a) && isTestPath(e.from)) continue;
    // A shared name alone is a dependency only where code sees other folders' names without importing them
    // (Ruby, C, C++, Swift, PHP and C# in the global namespace), and then not a member's name: okhttp's
    // `peek()` is not mockwebserver's.
    if (!e.declared && (IMPORTS_ACROSS_FOLDERS.has(languageOf.get(e.from)!) || !e.named)) continue;
    let m = deps.get(a);
    if (!m) deps.set(a, (m = new Map()));
    const d = m.get(b) ?? { weight: 0 };
    d.weight += e.weight;
    if (!d.example && e.importLine !== undefined && !e.deferredImport) d.example = { path: e.from, line: e.importLine };
    m.set(b, d);
  }
  for (const [id, m] of deps) {
    byId.get(id)!.dependsOn = [...m.entries()].map(([component, d]) => ({ component, ...d })).sort((x, y) => y.weight - x.weight);
  }
  for (const c of byId.values()) c.files.sort((x, y) => (fileRank[y] ?? 0) - (fileRank[x] ?? 0));
  return [...byId.values()].sort((a, b) => b.rank - a.rank || b.lines - a.lines);
}

/** Fewest subfolders that make a family of alike folders. */
const MIN_ALIKE_FOLDERS = 4;

/**
 * The subfolders at `depth` among `paths` (split into parts) that are of one kind, when most of them (three in four)
 * are: translations (`de/{custom,locale}.py`, `fr/{custom,extra,locale}.py`), one folder per function or plugin
 * (`addDays/index.ts`). A folder is of the kind its commonest file names make when it holds them all, and at most as
 * many more; a larger folder beside them (`_lib/`, `locale/`) is not.
 */
function alikeFolders(paths: string[][], depth: number): string[] {
  const names = new Map<string, string[]>();
  for (const parts of paths) if (parts.length > depth) pushTo(names, parts.slice(0, depth).join('/'), parts.slice(depth).join('/'));
  if (names.size < MIN_ALIKE_FOLDERS) return [];
  const kinds = countBy([...names.values()].map((files) => files.sort().join('\n')));
  const kind = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0][0].split('\n');
  const members = [...names].filter(([, files]) => files.length <= 2 * kind.length && kind.every((k) => files.includes(k))).map(([folder]) => folder);
  return members.length >= names.size * 0.75 ? members : [];
}

/** The module path declared by `go.mod`, if any. */
export function goModulePath(goMod: string | undefined): string | undefined {
  return goMod ? /^module\s+(\S+)/m.exec(goMod)?.[1] : undefined;
}

/** The name a Go module path ends in, past its major version: `github.com/urfave/cli/v3` -> `cli`. */
export function goModuleName(modulePath: string): string {
  return modulePath.split('/').filter((part) => !/^v\d+$/.test(part)).pop() ?? '';
}

/** The files each file imports, from the graph's edges that an import declares. */
export function importedFiles(structure: Structure): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of structure.edges) if (e.importLine !== undefined) pushTo(out, e.from, e.to);
  return out;
}

/** Languages that call each other's definitions by name: C with C++, the JVM's, JavaScript with TypeScript. */
const FAMILIES: Partial<Record<Language, string>> = { cpp: 'c', kotlin: 'java', scala: 'java', typescript: 'javascript', tsx: 'javascript' };

function familyOf(language: Language): string {
  return FAMILIES[language] ?? language;
}
