import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { invert, pushTo } from '../multimap';
import { isTestPath } from '../notes/testHooks';
import { isDeclarationPath } from '../scan/languages';
import { tomlSectionName } from '../tomlName';
import type { FileAnalysis, ImportRef, Language } from '../types';

const SOURCE_EXTENSIONS: Partial<Record<Language, string[]>> = {
  typescript: ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs'],
  tsx: ['.tsx', '.ts', '.jsx', '.js'],
  javascript: ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx'],
  python: ['.py', '.pyi'],
  ruby: ['.rb'],
  php: ['.php'],
  c: ['.h', '.c'],
  cpp: ['.h', '.hpp', '.hh', '.hxx', '.cpp', '.cc', '.cxx'],
  rust: ['.rs'],
  java: ['.java', '.kt', '.scala'],
  kotlin: ['.kt', '.java'],
  scala: ['.scala', '.java'],
  csharp: ['.cs'],
  go: ['.go'],
};

/** Where a C/C++ include path may start (the part of a path before the included name): the root, `include/`, `src/`, `x/include/`. */
const C_INCLUDE_ROOT = /^((.*\/)?include\/|src\/)?$/;
/** Where Ruby's load path starts (the part of a path before the required name): the root, `lib/`, `test/`, `spec/`, `x/lib/`. */
const RUBY_LOAD_ROOT = /^((.*\/)?lib\/|test\/|spec\/)?$/;

/**
 * Resolves import specifiers to repository files, language by language, with one index of
 * paths by suffix so that absolute module names (`pkg.mod`, `com.x.Y`, `github.com/o/r/pkg`)
 * find their files without knowing the project's roots.
 */
export class ImportResolver {
  private readonly files = new Set<string>();
  /** Path without extension -> files (several when `a.h` and `a.c` both exist). */
  private readonly byStem = new Map<string, string[]>();
  /** Every trailing suffix of a stem (`b/c`, `c` for `a/b/c`) -> stems. */
  private readonly bySuffix = new Map<string, string[]>();
  /** Folder -> files directly inside it. */
  private readonly byDir = new Map<string, string[]>();
  /** Base names of all folders. */
  private readonly folderNames = new Set<string>();
  private readonly goModule: string | undefined;
  private readonly phpRoots: PhpRoots;
  private readonly jsPackages: ReadonlyMap<string, string>;
  /** Package folder -> its entry (see {@link packageEntries}). */
  private readonly jsEntries: ReadonlyMap<string, string>;
  /** Rust crate name (`tokio_util`) -> its `src` folder, and those folders longest first. */
  private readonly rustCrates: ReadonlyMap<string, string>;
  private readonly rustSrcDirs: string[];
  /** C# namespace -> files that declare it. */
  private readonly namespaces: ReadonlyMap<string, string[]>;
  /** The namespaces each C# file declares, built when a `using` first needs them. */
  private namespacesOf?: Map<string, string[]>;
  /** See {@link packageFolders}. */
  private byFolderSuffix: Map<string, string[]> | undefined;
  /** Results by language, {@link resolutionScope} and specifier: files of one folder, or one repository, import the same modules. */
  private readonly memo = new Map<string, string[]>();
  private readonly jsOutputs: ReadonlyMap<string, string>;
  private readonly rustModule: (path: string) => RustModule | undefined;

  /**
   * `goModule` is the Go module path (go.mod); `namespaces` maps each C# namespace to the files that declare it
   * (`namespaceFiles`), so that `using A.B;` finds the files of namespace `A.B` wherever they sit; `phpRoots` are
   * composer.json's PSR-4 roots ({@link psr4Roots}); `jsPackages` the folders of the workspace's own npm packages by
   * name ({@link workspacePackages}) and their entries by folder ({@link packageEntries}); `rustCrates` the `src` folders of the workspace's Rust crates by name ({@link rustCrates});
   * `rustModule` what a Rust file `use`s and defines, so that an item a module re-exports resolves to the file defining it.
   */
  constructor(
    paths: string[],
    opts: {
      goModule?: string; namespaces?: ReadonlyMap<string, string[]>; phpRoots?: PhpRoots;
      jsPackages?: ReadonlyMap<string, string>; jsEntries?: ReadonlyMap<string, string>; rustCrates?: ReadonlyMap<string, string>;
      jsOutputs?: ReadonlyMap<string, string>; rustModule?: (path: string) => RustModule | undefined;
    } = {},
  ) {
    this.rustModule = opts.rustModule ?? (() => undefined);
    this.jsEntries = opts.jsEntries ?? new Map();
    this.jsOutputs = opts.jsOutputs ?? new Map();
    this.goModule = opts.goModule;
    this.phpRoots = opts.phpRoots ?? [];
    this.jsPackages = opts.jsPackages ?? new Map();
    this.rustCrates = opts.rustCrates ?? new Map();
    this.rustSrcDirs = [...new Set(this.rustCrates.values())].sort((a, b) => b.length - a.length);
    this.namespaces = opts.namespaces ?? new Map();
    for (const p of paths) {
      this.files.add(p);
      const stem = stripExtension(p);
      pushTo(this.byStem, stem, p);
      pushTo(this.byDir, path.posix.dirname(p), p);
      for (const d of path.posix.dirname(p).split('/')) this.folderNames.add(d);
      pushTo(this.bySuffix, stem, stem);
      for (let i = stem.lastIndexOf('/'); i >= 0; i = i > 0 ? stem.lastIndexOf('/', i - 1) : -1) pushTo(this.bySuffix, stem.slice(i + 1), stem);
    }
  }

  /** Files that `imp` in `file` refers to; empty for external packages. */
  resolve(file: FileAnalysis, imp: ImportRef): string[] {
    const lang = file.language;
    if (!lang) return [];
    const spec = imp.source.trim();
    if (!spec) return [];
    const key = `${lang}\0${resolutionScope(lang, file.path, spec)}\0${spec}${imp.member ? '\0m' : ''}`;
    let hits = this.memo.get(key);
    if (!hits) this.memo.set(key, (hits = this.resolveIn(lang, file.path, spec, imp.member)));
    return hits;
  }

  private resolveIn(lang: Language, file: string, spec: string, member?: boolean): string[] {
    const dir = path.posix.dirname(file);
    switch (lang) {
      case 'typescript':
      case 'tsx':
      case 'javascript':
        if (spec.startsWith('.')) return this.relative(dir, spec, lang);
        // A bare name (`react`, `util`) is a package or a runtime module, never `src/react.ts`; a path under an
        // alias (`@/lib/x`, `~/x`, `components/x` from a baseUrl) may be the project's.
        return this.workspacePackage(spec, lang) ?? (spec.includes('/') ? this.bySuffixOf(spec.replace(/^[@~]\//, ''), lang, 2) : []);
      case 'python':
        return this.python(dir, spec, member);
      case 'php':
        return this.php(dir, spec);
      case 'ruby':
        return this.ruby(dir, file, spec);
      case 'c':
      case 'cpp': {
        const cleaned = spec.replace(/^<|>$/g, '').replace(/\\/g, '/');
        // `#include <poll.h>` searches the include path, not the file's folder: the system's poll.h, unless the
        // project keeps it at an include root (`<leveldb/db.h>` in `include/`, `<hiredis.h>` at the top).
        if (spec.startsWith('<')) {
          // `<memory>`, `<vector>`: the standard library's headers have no extension, the project's files all do.
          const ext = path.posix.extname(cleaned);
          if (!ext) return [];
          const key = stripExtension(cleaned);
          const atRoot = (this.bySuffix.get(key) ?? []).filter((stem) => C_INCLUDE_ROOT.test(stem.slice(0, stem.length - key.length)));
          return atRoot.flatMap((stem) => this.withExtensions(stem, lang)).filter((p) => p.endsWith(ext));
        }
        const rel = this.relative(dir, cleaned, lang).filter((p) => p !== file);
        return rel.length ? rel : this.bySuffixOf(cleaned.replace(/^\.?\//, ''), lang, 1);
      }
      case 'rust':
        return this.rust(file, spec);
      case 'java':
      case 'kotlin':
      case 'scala':
      case 'csharp':
        return this.dotted(spec, lang, file);
      case 'swift':
        // `import Foundation` names a whole module; names used from it make the edges.
        return [];
      case 'go':
        return this.go(spec);
    }
  }

  /**
   * Whether the package an unresolved class import comes from (`a.b` of `a.b.Foo`) could be the project's: a folder
   * has its name. No package (`use Exception;`) or an unknown one (`java.util`) is the runtime's or a library's.
   */
  mayBeProjectPackage(source: string): boolean {
    const segs = source.split(/[\\./]/).filter(Boolean);
    return segs.length >= 2 && this.folderNames.has(segs[segs.length - 2]);
  }

  /**
   * `require_relative 'x'` is beside the file; `require 'acme/widget'` is on the load path: a `lib` folder (a gem's),
   * `test` or `spec` (their helpers), or the root. Never a file elsewhere that happens to end the same way: `require
   * "sidekiq"` is the library's `lib/sidekiq.rb`, not a demo app's `config/initializers/sidekiq.rb`.
   */
  private ruby(dir: string, file: string, spec: string): string[] {
    // A file never loads itself: `require 'rake'` in `bin/rake` is the library on the load path.
    const rel = this.relative(dir, spec, 'ruby').filter((p) => p !== file);
    if (rel.length || spec.startsWith('.')) return rel;
    const key = stripExtension(spec.replace(/^\/+/, ''));
    const onLoadPath = (this.bySuffix.get(key) ?? []).filter((stem) => RUBY_LOAD_ROOT.test(stem.slice(0, stem.length - key.length)));
    return onLoadPath.flatMap((stem) => this.withExtensions(stem, 'ruby')).filter((p) => p !== file);
  }

  /** `require 'x.php'` names a file; `use A\B\C` a class. */
  private php(dir: string, spec: string): string[] {
    const cleaned = spec.replace(/\\/g, '/');
    if (cleaned.startsWith('.')) return this.relative(dir, cleaned, 'php');
    const name = cleaned.replace(/^\//, '');
    const autoloaded = this.psr4(spec.replace(/^\\/, ''));
    if (autoloaded) return [autoloaded];
    // A single name (`use Exception;`) is a class of the global namespace: the runtime's, not a project file of that name.
    return name.includes('/') || hasExactExtension(name, 'php') ? this.bySuffixOf(name, 'php', 2) : [];
  }

  /**
   * `@vue/shared` or `@vue/shared/src/x` in a monorepo: the package's source entry (`src/index.ts`, `index.ts`) or
   * the module under it. Undefined when no workspace package has that name.
   */
  private workspacePackage(spec: string, lang: Language): string[] | undefined {
    const parts = spec.split('/');
    for (let n = Math.min(parts.length, 2); n >= 1; n--) {
      const dir = this.jsPackages.get(parts.slice(0, n).join('/'));
      if (dir === undefined) continue;
      const rest = parts.slice(n).join('/');
      const entry = rest ? undefined : this.packageEntry(dir, lang);
      if (entry) return [entry];
      const bases = rest ? [rest, `src/${rest}`] : ['src/index', 'index', 'lib/index', 'src/main', 'main'];
      for (const base of bases) {
        const stem = path.posix.join(dir, base);
        const hits = this.withExtensions(stripExtension(stem), lang).concat(rest ? this.withExtensions(`${stem}/index`, lang) : []);
        if (hits.length) return hits.slice(0, 1);
      }
      return [];
    }
    return undefined;
  }

  /** The file composer's PSR-4 autoloader loads class `A\B\C` from: the longest matching namespace prefix first. */
  private psr4(className: string): string | undefined {
    for (const [prefix, dirs] of this.phpRoots) {
      if (!className.startsWith(prefix)) continue;
      const rest = className.slice(prefix.length).replace(/\\/g, '/');
      for (const dir of dirs) {
        const file = path.posix.join(dir, `${rest}.php`);
        if (this.files.has(file)) return file;
      }
    }
    return undefined;
  }

  private relative(dir: string, spec: string, lang: Language, compiled = true): string[] {
    const base = path.posix.normalize(path.posix.join(dir, spec));
    if (this.files.has(base)) return [base];
    // `./build/lib/yargs-factory.js` from a file the compiler does not build: what it compiles, `lib/yargs-factory.ts`.
    const source = compiled ? this.sourceOfOutput(base) : undefined;
    if (source !== undefined) return this.relative('', source, lang, false);
    if (hasExactExtension(spec, lang)) return [];
    const stem = stripExtension(base);
    const hits = this.withExtensions(stem, lang);
    if (hits.length) return hits;
    const entry = this.packageEntry(base, lang);
    if (entry) return [entry];
    return this.withExtensions(`${base}/index`, lang).concat(this.withExtensions(`${base}/__init__`, lang));
  }

  /** The source path TypeScript compiles to `output` (under a tsconfig's `outDir`), when that is where it points. */
  private sourceOfOutput(output: string): string | undefined {
    for (const [outDir, rootDir] of this.jsOutputs) {
      if (output.startsWith(`${outDir}/`)) return path.posix.join(rootDir, output.slice(outDir.length + 1));
    }
    return undefined;
  }

  /** The file of `lang` a package folder's `package.json` names as its entry, when it is in the repository. */
  private packageEntry(dir: string, lang: Language): string | undefined {
    const spec = this.jsEntries.get(dir);
    if (spec === undefined) return undefined;
    let target = path.posix.join(dir, spec);
    if (this.files.has(target)) return target;
    // `"main": "./dist/index.js"`: the build's output of `src/index.ts`.
    target = this.sourceOfOutput(target) ?? target;
    return [...this.withExtensions(stripExtension(target), lang), ...this.withExtensions(`${target}/index`, lang)][0];
  }

  private withExtensions(stem: string, lang: Language): string[] {
    const candidates = this.byStem.get(stem);
    if (!candidates) return [];
    const exts = SOURCE_EXTENSIONS[lang] ?? [];
    const hits = candidates.filter((p) => exts.some((e) => p.endsWith(e)));
    // An import loads the code, not the declarations beside it (`pino.js`, not `pino.d.ts`).
    const code = hits.filter((p) => !isDeclarationPath(p));
    return code.length ? code : hits;
  }

  /** Files whose stem ends with `spec` (at least `minParts` segments must match when ambiguous). */
  private bySuffixOf(spec: string, lang: Language, minParts: number): string[] {
    const key = stripExtension(spec.replace(/\/+$/, ''));
    let stems = [key, `${key}/index`, `${key}/__init__`, `${key}/mod`].flatMap((k) => this.bySuffix.get(k) ?? []);
    if (!stems.length) return [];
    // A test or fixture module rarely shadows the real one (`tests/apps/flask.py` vs `src/flask/`).
    if (stems.length > 1 && stems.some((s) => !isTestPath(s))) stems = stems.filter((s) => !isTestPath(s));
    if (stems.length > 1 && key.split('/').length < minParts) return [];
    if (stems.length > 3) return [];
    const hits = stems.flatMap((s) => this.withExtensions(s, lang));
    return hasExactExtension(spec, lang) ? hits.filter((h) => h.endsWith(path.posix.extname(spec))) : hits;
  }

  private python(dir: string, spec: string, member?: boolean): string[] {
    const dots = /^\.+/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(dots).replace(/\./g, '/');
    if (dots > 0) {
      let base = dir;
      for (let i = 1; i < dots; i++) base = path.posix.dirname(base);
      const target = rest ? path.posix.join(base, rest) : path.posix.join(base, '__init__');
      const direct = this.withExtensions(path.posix.normalize(target), 'python');
      if (direct.length) return direct;
      const pkg = this.withExtensions(path.posix.join(target, '__init__'), 'python');
      if (pkg.length || !rest) return pkg;
      // `from .mod import name`: `name` may be a class or function of `.mod`, then it is that module's; but `.mod`
      // itself names a module, never a name its package defines (a compiled `_quoting_c` is not `__init__.py`).
      return member ? this.python(dir, spec.slice(0, Math.max(dots, spec.lastIndexOf('.')))) : [];
    }
    // `a.b.c` may name module a/b/c or symbol c of module a/b.
    const parts = rest.split('/');
    for (let n = parts.length; n >= 1; n--) {
      const hits = this.bySuffixOf(parts.slice(0, n).join('/'), 'python', Math.min(2, n)).filter((h) => !this.insidePackage(h, n));
      if (hits.length) return hits;
    }
    return [];
  }

  /**
   * Whether the module `file`, matched by its last `segments` module names, sits inside a package: then its
   * first name is not a top-level one and an absolute import cannot reach it that way (`import typing` is the
   * standard library's, not `pydantic/typing.py`). The repository's root always counts as a source root.
   */
  private insidePackage(file: string, segments: number): boolean {
    const names = stripExtension(file).split('/');
    if (names[names.length - 1] === '__init__') names.pop();
    const root = names.slice(0, names.length - segments).join('/');
    return root !== '' && this.files.has(`${root}/__init__.py`);
  }

  /**
   * A Rust `use` path or `mod` declaration. `crate::`, `self::` and `super::` paths and paths into the
   * workspace's crates (`tokio::sync`) resolve exactly, in the module tree of the crate; any other first
   * segment names a submodule of the file's module or an outside crate (`std`, `loom`), never a file of
   * another crate that happens to share the name.
   */
  private rust(file: string, spec: string): string[] {
    const paths = rustUsePaths(spec);
    if (paths.length === 1) return this.rustPath(file, paths[0]);
    return [...new Set(paths.flatMap((p) => this.rustPath(file, p)))];
  }

  /**
   * The file defining `item` where `module` re-exports it (`pub use self::buf_impl::Buf;`, or a glob whose module
   * defines it), through chains of re-exports; undefined when `module` defines it itself or does not re-export it.
   */
  private rustReexport(module: string, item: string, depth: number): string[] | undefined {
    const info = this.rustModule(module);
    if (!info || info.defines.has(item) || depth > 4) return undefined;
    for (const use of info.uses) {
      for (const member of rustUsePaths(use)) {
        const [, target, alias] = /^(.*?)(?:\s+as\s+(\w+))?\s*$/s.exec(member)!;
        const last = target.slice(target.lastIndexOf(':') + 1);
        if (last === '*') {
          const globbed = this.rustPath(module, target, depth + 1).filter((t) => this.rustModule(t)?.defines.has(item));
          if (globbed.length) return globbed;
        } else if ((alias ?? last) === item) {
          const hits = this.rustPath(module, target, depth + 1);
          if (hits.length) return hits;
        }
      }
    }
    return undefined;
  }

  /** How many leading segments of `rest` name modules reachable from outside the crate rooted at `base`. */
  private rustPublicDepth(base: string, rest: string[]): number {
    let module = [`${base}/lib.rs`, `${base}/main.rs`].find((f) => this.files.has(f));
    for (let n = 0; n < rest.length; n++) {
      if (!module || this.rustModule(module)?.privateModules?.has(rest[n])) return n;
      const dir = [base, ...rest.slice(0, n + 1)].join('/');
      module = [`${dir}.rs`, `${dir}/mod.rs`].find((f) => this.files.has(f));
    }
    return rest.length;
  }

  private rustPath(file: string, spec: string, depth = 0): string[] {
    const cleaned = spec.replace(/[{}*\s].*$/, '').replace(/::$/, '');
    const dir = path.posix.dirname(file);
    if (!spec.includes('::')) {
      // `mod foo;` lives beside the declaring file (or in its folder for mod.rs/lib.rs/main.rs).
      const name = cleaned.replace(/^(self|super|crate)$/, '');
      if (!name) return [];
      return this.withExtensions(path.posix.join(dir, name), 'rust').concat(this.withExtensions(path.posix.join(dir, name, 'mod'), 'rust'));
    }
    const parts = cleaned.split('::').filter(Boolean);
    if (RUST_CRATES.has(parts[0])) return [];
    const crateSrc = this.rustSrcDirs.find((d) => file.startsWith(`${d}/`)) ?? rustSrcAbove(file);
    let base: string | undefined;
    let rest = parts;
    // A path into a module (`crate::`, `super::`, a workspace crate) may end in an item of that module's own file.
    let itemOfModule = true;
    /** Whether `base` is a crate's root module, whose lib.rs re-exports the crate's items. */
    let crateRoot = false;
    /** How many segments of `rest` may name modules (files). */
    let reachable = Infinity;
    if (parts[0] === 'self' || parts[0] === 'super') {
      base = rustModuleDir(file);
      while (rest[0] === 'self' || rest[0] === 'super') {
        if (rest[0] === 'super') base = path.posix.dirname(base);
        rest = rest.slice(1);
      }
    } else if (parts[0] === 'crate') {
      base = crateSrc;
      rest = parts.slice(1);
      crateRoot = true;
    } else if (this.rustCrates.has(parts[0])) {
      base = this.rustCrates.get(parts[0]);
      rest = parts.slice(1);
      crateRoot = true;
      // From another crate (its tests, a workspace neighbour) a private module is out of reach: `anyhow::ensure`
      // in tests/ is the exported macro, not the private `mod ensure;`.
      if (base !== undefined && !file.startsWith(`${base}/`)) reachable = this.rustPublicDepth(base, rest);
    } else if (crateSrc) {
      // Any other first segment is a submodule of this module (uniform paths) or an outside crate (`std`, `loom`).
      base = rustModuleDir(file);
      itemOfModule = false;
    } else {
      // Outside any crate's `src` (a loose script): the old guess by path suffix.
      for (let n = parts.length; n >= 1; n--) {
        const key = parts.slice(0, n).join('/');
        const hits = this.bySuffixOf(key, 'rust', 1).concat(this.bySuffixOf(`${key}/mod`, 'rust', 1));
        if (hits.length) return hits;
      }
      return [];
    }
    if (base === undefined) return [];
    // The longest module path that is a file; what follows it is an item of that module. An item of the crate
    // root (`crate::Json`) is nearly always re-exported there from the module that defines it: no edge to lib.rs.
    for (let n = Math.min(rest.length, reachable); n >= (itemOfModule ? 0 : 1); n--) {
      const module = [base, ...rest.slice(0, n)].join('/');
      const hits = n === 0
        ? [`${module}/mod.rs`, `${module}.rs`].filter((f) => this.files.has(f)).slice(0, 1)
        : [`${module}.rs`, `${module}/mod.rs`].filter((f) => this.files.has(f));
      // `crate::buf::Buf` where buf/mod.rs says `pub use self::buf_impl::Buf;` is buf_impl.rs's.
      const item = rest[n];
      const definer = item !== undefined && hits.length === 1 ? this.rustReexport(hits[0], item, depth) : undefined;
      if (definer) return definer.filter((h) => h !== file);
      if (hits.length) return hits.filter((h) => h !== file);
      if (n === 0 && item !== undefined && crateRoot) {
        const root = [`${base}/lib.rs`, `${base}/main.rs`].find((f) => this.files.has(f));
        const exported = root === undefined ? undefined : this.rustReexport(root, item, depth);
        if (exported) return exported.filter((h) => h !== file);
        // Seen from another crate, an item the root defines itself (anyhow's `Error` in lib.rs) is the root's.
        if (root !== undefined && reachable !== Infinity && this.rustModule(root)?.defines.has(item)) return [root];
      }
    }
    return [];
  }

  private dotted(spec: string, lang: Language, file: string): string[] {
    const parts = spec.replace(/^static\s+/, '').replace(/\.\*$/, '').split('.');
    // C# `using A.B;` names a namespace: the files that declare it; inside `namespace X.Y`, also `X.Y.A.B` or `X.A.B`.
    const declared = lang === 'csharp' ? this.namespaces.get(parts.join('.')) ?? this.nestedNamespace(file, parts.join('.')) : undefined;
    if (declared) return declared;
    for (let n = parts.length; n >= 2; n--) {
      const hits = this.bySuffixOf(parts.slice(0, n).join('/'), lang, 2);
      if (hits.length) return hits;
    }
    if (lang === 'csharp' && !this.namespaces.size) {
      // No namespace declarations known: a namespace usually maps to a folder.
      for (let n = parts.length; n >= 2; n--) {
        const files = this.dirsEndingWith(parts.slice(1, n).join('/'));
        if (files.length) return files.filter((f) => f.endsWith('.cs')).slice(0, 20);
      }
    }
    return [];
  }

  /** The files of namespace `name` as a `using` inside `file`'s own namespaces reads it, innermost first. */
  private nestedNamespace(file: string, name: string): string[] | undefined {
    this.namespacesOf ??= invert(this.namespaces);
    for (const own of this.namespacesOf.get(file) ?? []) {
      const parts = own.split('.');
      for (let n = parts.length; n >= 1; n--) {
        const files = this.namespaces.get(`${parts.slice(0, n).join('.')}.${name}`);
        if (files) return files;
      }
    }
    return undefined;
  }

  private go(spec: string): string[] {
    let rel: string | undefined;
    if (this.goModule && (spec === this.goModule || spec.startsWith(`${this.goModule}/`))) {
      rel = spec.slice(this.goModule.length).replace(/^\//, '') || '.';
    }
    const files = rel !== undefined ? this.byDir.get(rel) ?? [] : this.dirsEndingWith(spec.split('/').slice(-2).join('/'));
    return files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
  }

  /**
   * The files of the JVM package a Java, Kotlin or Scala import that resolves to no class names: `a.b` of
   * `import a.b.*`, or `a.b` of Kotlin's `import a.b.someFunction`. They see each other's names; they do not
   * depend on the whole package.
   */
  packageImport(spec: string): string[] {
    const parts = spec.split('.');
    for (const n of [parts.length, parts.length - 1]) {
      if (n < 2 || !/^[a-z]/.test(parts[n - 1])) continue;
      const files = this.packageFolders().get(parts.slice(0, n).join('/'));
      if (files) return files.filter((f) => JVM_SOURCE.test(f));
    }
    return [];
  }

  /** Files by each trailing run of two or more segments of their folder (`a/b/c/F.java` under `b/c` and `a/b/c`), built on first use. */
  private packageFolders(): Map<string, string[]> {
    if (!this.byFolderSuffix) {
      this.byFolderSuffix = new Map();
      for (const [dir, files] of this.byDir) {
        const segs = dir.split('/');
        for (let i = segs.length - 2; i >= 0; i--) {
          const list = this.byFolderSuffix.get(segs.slice(i).join('/'));
          if (list) list.push(...files);
          else this.byFolderSuffix.set(segs.slice(i).join('/'), [...files]);
        }
      }
    }
    return this.byFolderSuffix;
  }

  private dirsEndingWith(suffix: string): string[] {
    if (!suffix) return [];
    const out: string[] = [];
    for (const [dir, files] of this.byDir) if (dir === suffix || dir.endsWith(`/${suffix}`)) out.push(...files);
    return out;
  }
}

/** C# namespace -> the files that declare it (`namespace A.B { ... }` or `namespace A.B;`). */
export function namespaceFiles(files: FileAnalysis[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of files) {
    if (f.language !== 'csharp') continue;
    for (const d of f.defs) if (d.kind === 'module') pushTo(out, namespaceKey(d.name), f.path);
  }
  return out;
}

/** Files declaring namespace `name` or one enclosing it (`A.B.C`, `A.B`, `A`): what C# code in `name` sees without a using. */
export function enclosingNamespaceFiles(namespaces: ReadonlyMap<string, string[]>, name: string): string[] {
  const parts = namespaceKey(name).split('.');
  return parts.flatMap((_, i) => namespaces.get(parts.slice(0, parts.length - i).join('.')) ?? []);
}

/** A namespace as declared, spacing removed (`A . B` -> `A.B`). */
function namespaceKey(name: string): string {
  return name.replace(/\s+/g, '');
}

/** A `package.json`'s fields, or undefined when it is not a JSON object. */
function manifestOf(manifest: string, readText: (path: string) => string | undefined): Record<string, unknown> | undefined {
  try {
    const json: unknown = JSON.parse(readText(manifest) ?? '');
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not JSON: no package
  }
}

/** The workspace's own npm packages: name -> folder, from every `package.json` that names one. */
export function workspacePackages(manifests: string[], readText: (path: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const manifest of manifests) {
    const name = manifestOf(manifest, readText)?.name;
    if (typeof name === 'string' && name && !out.has(name)) out.set(name, path.posix.dirname(manifest));
  }
  return out;
}

/**
 * What requiring a package's folder loads: folder -> its entry as `package.json` gives it (`main`, else the
 * `exports` of `.`, else `module`), relative to the folder. `require('../..')` from a test loads the package's `main`.
 */
export function packageEntries(manifests: string[], readText: (path: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const manifest of manifests) {
    const m = manifestOf(manifest, readText);
    if (!m) continue;
    let exported = m.exports;
    if (exported && typeof exported === 'object') exported = (exported as Record<string, unknown>)['.'] ?? exported;
    if (exported && typeof exported === 'object') {
      const conditions = exported as Record<string, unknown>;
      exported = conditions.require ?? conditions.node ?? conditions.import ?? conditions.default;
    }
    const entry = [m.main, exported, m.module].find((e): e is string => typeof e === 'string' && e.length > 0);
    if (entry) out.set(path.posix.dirname(manifest), entry);
  }
  return out;
}

/**
 * Where TypeScript writes what it compiles, from tsconfig files: output folder -> source folder, both relative to the
 * repository (`outDir`, and `rootDir`, else the folder the config's first `include` starts in, else its own).
 */
export function tsOutputRoots(configs: string[], readText: (path: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const config of configs) {
    const json = parseJsonc(readText(config) ?? '', [], { allowTrailingComma: true }) as TsConfig | undefined;
    const opts = json?.compilerOptions;
    if (typeof opts?.outDir !== 'string') continue;
    const dir = path.posix.dirname(config);
    const firstInclude = Array.isArray(json?.include) && typeof json.include[0] === 'string' ? /^(?:\.\/)?([\w.-]+)\//.exec(json.include[0])?.[1] : undefined;
    const rootDir = typeof opts.rootDir === 'string' ? opts.rootDir : firstInclude ?? '.';
    const outDir = path.posix.normalize(path.posix.join(dir, opts.outDir)).replace(/\/+$/, '');
    const source = path.posix.normalize(path.posix.join(dir, rootDir)).replace(/\/+$/, '');
    if (outDir === '.' || outDir.startsWith('..') || outDir === source || out.has(outDir)) continue;
    out.set(outDir, source === '.' ? '' : source);
  }
  return out;
}

interface TsConfig {
  compilerOptions?: { outDir?: unknown; rootDir?: unknown };
  include?: unknown[];
}

/** The crates every Rust path may start with: `std::fmt` is never the project's `mod std;`. */
export const RUST_CRATES: ReadonlySet<string> = new Set(['std', 'core', 'alloc']);

/** What a Rust file `use`s (its `use` declarations' paths, re-exports among them) and the item names it defines. */
export interface RustModule {
  uses: readonly string[];
  defines: ReadonlySet<string>;
  /** Its submodules declared without `pub` (`mod ensure;`): out of reach of other crates. */
  privateModules?: ReadonlySet<string>;
}

/** The paths a `use` names, one per member of a group (`a::{b, c::{self, D}}` -> `a::b`, `a::c`); a glob keeps its `*`. */
function rustUsePaths(spec: string): string[] {
  const open = spec.indexOf('{');
  const close = spec.lastIndexOf('}');
  if (open < 0 || close < open) return [spec];
  const prefix = spec.slice(0, open);
  const members: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = from; i <= close; i++) {
    const c = spec[i];
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if ((c === ',' && depth === 0) || i === close) {
      members.push(spec.slice(from, i).trim());
      from = i + 1;
    }
  }
  return members.filter(Boolean).map((m) => (m === 'self' ? prefix.replace(/::$/, '') : `${prefix}${m.replace(/\{.*$/s, '')}`));
}

/** The folder of a Rust file's own submodules: `a/b.rs` and `a/b/mod.rs` both keep theirs in `a/b`. */
function rustModuleDir(file: string): string {
  const base = path.posix.basename(file, '.rs');
  const dir = path.posix.dirname(file);
  return base === 'mod' || base === 'lib' || base === 'main' ? dir : `${dir}/${base}`;
}

/** The nearest `src` folder above a Rust file: its crate's root, by Cargo's layout. */
function rustSrcAbove(file: string): string | undefined {
  const parts = file.split('/');
  const i = parts.lastIndexOf('src', parts.length - 2);
  return i < 0 ? undefined : parts.slice(0, i + 1).join('/');
}

/**
 * The workspace's Rust crates: name as code writes it (`tokio-util` -> `tokio_util`) -> the crate's `src` folder,
 * from each `Cargo.toml`'s `[package]` (or `[lib]`) name.
 */
export function rustCrates(manifests: string[], readText: (path: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const manifest of manifests) {
    const text = readText(manifest);
    const name = tomlSectionName(text, 'lib') ?? tomlSectionName(text, 'package');
    const dir = path.posix.dirname(manifest);
    if (name && !out.has(name.replace(/-/g, '_'))) out.set(name.replace(/-/g, '_'), dir === '.' ? 'src' : `${dir}/src`);
  }
  return out;
}

/** Namespace prefix (`App\`) -> folders its classes load from (`app`), longest prefix first. */
export type PhpRoots = [prefix: string, dirs: string[]][];

/** The PSR-4 roots of a composer.json (`autoload` and `autoload-dev`); none when it is missing or unreadable. */
export function psr4Roots(composerJson: string | undefined): PhpRoots {
  if (!composerJson) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(composerJson);
  } catch {
    return [];
  }
  const roots = new Map<string, string[]>();
  for (const section of ['autoload', 'autoload-dev']) {
    for (const { prefix, dirs } of autoloadRoots((parsed as Record<string, unknown> | null)?.[section])) {
      const clean = dirs.map((d) => path.posix.normalize(d.replace(/\\/g, '/')).replace(/^\.(\/|$)|\/$/g, '') || '.');
      roots.set(prefix, [...(roots.get(prefix) ?? []), ...clean]);
    }
  }
  return [...roots].sort((a, b) => b[0].length - a[0].length);
}

/**
 * The namespace roots of a composer.json `autoload` section: PSR-4's as written, and PSR-0's as PSR-4 would write
 * them (`"Whoops": "src/"` loads `Whoops\Run` from `src/Whoops/Run.php`: the root of `Whoops\` is `src/Whoops`).
 * `key` is the prefix as the file writes it. PEAR-style PSR-0 prefixes (`Twig_`) name no namespace and are left out.
 */
export function autoloadRoots(autoload: unknown): { prefix: string; dirs: string[]; key: string }[] {
  const section = (name: string): [string, string[]][] => {
    const map = autoload && typeof autoload === 'object' ? (autoload as Record<string, unknown>)[name] : undefined;
    if (!map || typeof map !== 'object') return [];
    return Object.entries(map).map(([key, value]) => [key, [value].flat().filter((d): d is string => typeof d === 'string')]);
  };
  const out = section('psr-4').map(([key, dirs]) => ({ prefix: key, dirs, key }));
  for (const [key, dirs] of section('psr-0')) {
    const namespace = key.replace(/\\+$/, '');
    if (!namespace || namespace.endsWith('_')) continue;
    out.push({ prefix: `${namespace}\\`, dirs: dirs.map((d) => path.posix.join(d.replace(/\\/g, '/'), namespace.replace(/\\/g, '/'))), key });
  }
  return out;
}

/** Languages whose imports name the file's real extension (`vec.h`, `util.php`). */
function hasExactExtension(spec: string, lang: Language): boolean {
  return (lang === 'c' || lang === 'cpp' || lang === 'php' || lang === 'ruby') && path.posix.extname(spec) !== '';
}

/** Source files a JVM package import can bring in. */
const JVM_SOURCE = /\.(java|kt|kts|scala)$/;

/**
 * What the resolution of `spec` depends on besides the specifier: the importing file for Rust (`self::`,
 * `super::`), its folder for relative imports and for languages that look beside the file first (Ruby, C,
 * C++), nothing for package-qualified names (Java, Kotlin, Scala, C#, Go, Swift, bare JS and Python ones).
 */
function resolutionScope(lang: Language, file: string, spec: string): string {
  switch (lang) {
    case 'rust': return file;
    case 'java': case 'kotlin': case 'scala': case 'csharp': case 'go': case 'swift': return '';
    case 'typescript': case 'tsx': case 'javascript': case 'python': return spec.startsWith('.') ? path.posix.dirname(file) : '';
    default: return path.posix.dirname(file);
  }
}

function stripExtension(p: string): string {
  if (p.endsWith('.d.ts')) return p.slice(0, -5);
  const ext = path.posix.extname(p);
  return ext ? p.slice(0, -ext.length) : p;
}
