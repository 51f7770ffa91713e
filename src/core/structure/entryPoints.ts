import * as path from 'node:path';
import { escapeRegExp } from '../bugs/syntax';
import { isDotnetTestProject, isTestPath } from '../notes/testHooks';
import { partition } from '../multimap';
import { isPeripheralPath } from './peripheral';
import { autoloadRoots } from './importResolver';
import { goModuleName, goModulePath } from './structure';
import { tomlSectionName } from '../tomlName';
import type { FileAnalysis } from '../types';

/** Where execution or a request can enter the code. */
export interface EntryPoint {
  path: string;
  line: number;
  kind: 'bin' | 'main' | 'package' | 'route' | 'command';
  detail: string;
  /**
   * The file that runs, when the entry point is declared elsewhere (a package.json `bin` -> `bin/cli.js`); for a
   * package that names only a folder, the file it is used through (see `withFacades`).
   */
  target?: string;
  /** The folder of a package's sources, when its manifest names no file (a .NET project, a Maven module). */
  root?: string;
  /** Compiled only on demand: a C `main` inside `#ifdef TEST_MAIN` (a file's self-test). */
  conditional?: boolean;
}

/** What a Python module's `if __name__ == "__main__":` guard is listed as. */
export const MAIN_GUARD_DETAIL = '`if __name__ == "__main__"`';

const LINE_PATTERNS: { kind: EntryPoint['kind']; re: RegExp; detail: (m: RegExpExecArray) => string }[] = [
  { kind: 'main', re: /^\s*if\s+__name__\s*==\s*['"]__main__['"]/, detail: () => MAIN_GUARD_DETAIL },
  { kind: 'route', re: /^\s*@[\w.]*\.(route|get|post|put|delete|patch|websocket)\(\s*['"]([^'"]*)/, detail: (m) => `${m[1].toUpperCase()} ${m[2]}` },
  // A handler follows the path (`app.get('/x', h)`): Express's `app.get('trust proxy fn')` reads a setting, a dict's
  // `app.get("import_path", "?")` a value. A path starts with `/` (or `*`). `router.route('/x')` takes no handler.
  { kind: 'route', re: /\b(?:app|router|server|api|bp|blueprint|routes|mux|r|e|g)\.(?:(get|post|put|delete|patch|all|HandleFunc|Handle|GET|POST|PUT|DELETE|PATCH)\(\s*(['"`])([/*][^'"`]*)\2\s*,|(route)\(\s*['"`]([/*][^'"`]*))/, detail: (m) => `${(m[1] ?? m[4]).toUpperCase()} ${m[3] ?? m[5]}` },
  { kind: 'route', re: /@(Get|Post|Put|Delete|Patch|Request)Mapping\(\s*(?:value\s*=\s*)?"?([^")]*)/, detail: (m) => `${m[1].toUpperCase()} ${m[2]}` },
  { kind: 'route', re: /\bhttp\.HandleFunc\(\s*"([^"]+)"/, detail: (m) => `HTTP ${m[1]}` },
  // Laravel's `Route::get('/users', ...)` and Symfony's `#[Route('/users')]`.
  { kind: 'route', re: /\bRoute::(get|post|put|patch|delete|options|any|match|resource|apiResource)\(\s*['"]([^'"]*)/, detail: (m) => `${m[1].toUpperCase()} ${m[2]}` },
  { kind: 'route', re: /#\[Route\(\s*(?:path:\s*)?['"]([^'"]*)/, detail: (m) => `ROUTE ${m[1]}` },
  { kind: 'command', re: /registerCommand\(\s*['"`]([^'"`]+)/, detail: (m) => `command ${m[1]}` },
  { kind: 'command', re: /&cobra\.Command\{/, detail: () => 'cobra command' },
  { kind: 'command', re: /^\s*@[\w.]*\.(command|group)\(/, detail: (m) => `click ${m[1]}` },
  { kind: 'command', re: /\.(command|add_parser|add_command)\(\s*['"`]([^'"`]+)/, detail: (m) => `command ${m[2]}` },
];

/** A line that is a comment (`//`, `/*`, ` * `, `#` but not PHP's `#[` attribute): its `router.GET("/user/:id")` is an example in a doc comment. */
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|#(?!\[)|<!--)/;

/** Lines from a decorator to the `def` it decorates, through the decorators stacked under it. */
const DECORATOR_REACH = 12;

const TRIGGER_REFS = new Set([
  'route', 'get', 'post', 'put', 'delete', 'patch', 'all', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HandleFunc', 'Handle', 'registerCommand', 'command',
  'add_parser', 'add_command', 'Command', 'GetMapping', 'PostMapping', 'RequestMapping', 'group', 'websocket', 'Route',
]);

/** `index.php` at the root or in the folder a PHP web server serves. */
const PHP_FRONT_CONTROLLER = /^((public|web|htdocs|public_html)\/)?index\.php$/;

/** An extensionless file in a `bin/` or `exe/` folder near the root: `bin/rake`, `packages/cli/bin/tool`. */
const EXECUTABLE = /^([^/]+\/){0,2}(bin|exe)\/[^/.][^/.]*$/;

/** The line that opens a C or C++ `main`: `int main(` at the start of a line. */
const C_MAIN_LINE = /^[ \t]*int[ \t]+main[ \t]*\(/m;

/** Languages whose program entry is a method (`public static void main`, `static void Main`, an `object`'s `def main`). */
const MAIN_METHOD = new Set(['java', 'csharp', 'kotlin', 'scala']);

/** Find entry points from package manifests, `main` definitions and route/command registrations. */
export function findEntryPoints(files: FileAnalysis[], readText: (p: string) => string | undefined, allPaths?: Iterable<string>): EntryPoint[] {
  const out: EntryPoint[] = [];
  /** Where manifests may point: every file of the folder, not only the `files` looked at again. */
  const known = new Set(allPaths ?? files.map((f) => f.path));
  let jvmRoots: Set<string> | undefined;
  for (const f of files) {
    const base = path.posix.basename(f.path);
    if (base === 'package.json' && f.path.split('/').length <= 3) out.push(...packageJsonEntries(f.path, readText(f.path), known));
    if (base === 'pyproject.toml' || base === 'setup.py' || base === 'setup.cfg') out.push(...pythonScriptEntries(f.path, readText(f.path)));
    // One package entry per import package: a pyproject and a setup.py often both name it.
    if (base === 'pyproject.toml' || base === 'setup.py' || base === 'setup.cfg') {
      out.push(...pythonPackageEntry(f.path, readText(f.path), known).filter((e) => !out.some((o) => o.target === e.target)));
    }
    if (base === 'Cargo.toml') out.push(...cargoEntries(f.path, readText(f.path), known));
    if (base.endsWith('.gemspec') && f.path.split('/').length <= 2) out.push(...gemEntry(f.path, readText(f.path), known));
    if (base === 'composer.json' && f.path.split('/').length <= 2) out.push(...composerEntries(f.path, readText(f.path), known));
    if (base === 'go.mod' && f.path.split('/').length <= 2) out.push(...goModuleEntry(f.path, readText, known));
    // A library's build file, not a sample's, a test's or a vendored one's.
    const own = !isPeripheralPath(f.path);
    if (own && /\.(cs|fs|vb)proj$/.test(base)) out.push(...dotnetLibraryEntry(f.path, readText(f.path), known));
    if (own && base === 'pom.xml') out.push(...mavenEntry(f.path, readText, (jvmRoots ??= jvmSourceRoots(known))));
    if (own && /^build\.gradle(\.kts)?$/.test(base)) out.push(...gradleEntry(f.path, readText, (jvmRoots ??= jvmSourceRoots(known))));
  }
  const scanned = new Set<string>();
  for (const f of files) {
    if (!f.language || f.parseError || isTestPath(f.path)) continue;
    // One per file: the last `main` (Python's `@overload` stubs and C's `#ifdef` variants come before it).
    const main = f.defs.filter((d) => (d.name === 'main' || d.name === 'Main') && (d.kind === 'function' || (d.kind === 'method' && MAIN_METHOD.has(f.language!)))).at(-1);
    const base = path.posix.basename(f.path);
    if (main) {
      const conditional = (f.language === 'c' || f.language === 'cpp') && insideConditional(readText(f.path), main.startLine);
      out.push({ path: f.path, line: main.startLine, kind: 'main', detail: `\`${main.name}()\`${conditional ? ' (under `#if`)' : ''}`, ...(conditional && { conditional }) });
    } else if ((f.language === 'c' || f.language === 'cpp') && /main/i.test(base)) {
      // A signature split by `#ifdef _UNICODE ... wmain ... #else ... main ... #endif` (curl's tool_main.c) leaves the
      // syntax tree with no function: a C file named for its `main` is searched for the line that opens it.
      const text = readText(f.path);
      if (text && C_MAIN_LINE.test(text)) out.push({ path: f.path, line: lineNumber(text, C_MAIN_LINE), kind: 'main', detail: '`main()`' });
    }
    // A package's or gem's command: an extensionless script in `bin/` or `exe/`, which has a language only by its `#!` line.
    if (EXECUTABLE.test(f.path) && !out.some((e) => e.target === f.path)) out.push({ path: f.path, line: 1, kind: 'bin', detail: `executable \`${base}\`` });
    // A PHP application's front controller: every web request enters through `public/index.php`.
    if (f.language === 'php' && PHP_FRONT_CONTROLLER.test(f.path)) out.push({ path: f.path, line: 1, kind: 'main', detail: 'web front controller' });
    const wants = base === '__main__.py' || f.language === 'python' || f.refs.some((r) => TRIGGER_REFS.has(r.name));
    if (!wants || scanned.has(f.path)) continue;
    scanned.add(f.path);
    const text = readText(f.path);
    if (!text) continue;
    if (base === '__main__.py') out.push({ path: f.path, line: 1, kind: 'main', detail: '`python -m` package entry' });
    const lines = text.split('\n');
    // A Python decorator decorates a `def` a few lines below it; one in a docstring's example decorates nothing.
    const defLines = f.language === 'python' ? f.defs.map((d) => d.startLine) : undefined;
    const decorates = (line: number): boolean => !defLines || defLines.some((l) => l > line && l <= line + DECORATOR_REACH);
    let perFile = 0;
    for (let i = 0; i < lines.length && perFile < 40; i++) {
      const line = lines[i];
      if (line.length > 400 || COMMENT_LINE.test(line)) continue;
      for (const p of LINE_PATTERNS) {
        const m = p.re.exec(line);
        // A `__main__` guard that calls the file's `main()` is the same entry point.
        if (m && p.kind === 'main' && main) break;
        if (m && (!line.trimStart().startsWith('@') || decorates(i + 1))) {
          out.push({ path: f.path, line: i + 1, kind: p.kind, detail: p.detail(m) });
          perFile++;
          break;
        }
      }
    }
  }
  return dedupe(out);
}

function packageJsonEntries(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  if (!text) return [];
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text);
  } catch {
    return [];
  }
  const dir = path.posix.dirname(p);
  const lineOf = (key: string): number => lineNumber(text, new RegExp(`"${key}"\\s*:`));
  const out: EntryPoint[] = [];
  /** An entry declared at `line` that runs `rel` (relative to the package), with the file it names when that exists. */
  const add = (line: number, kind: EntryPoint['kind'], detail: string, rel: string): void => {
    const joined = path.posix.normalize(path.posix.join(dir, rel));
    const source = known.has(joined) ? undefined : builtFrom(dir, rel, known);
    if (known.has(joined)) out.push({ path: p, line, kind, detail: `${detail} -> \`${joined}\``, target: joined });
    else if (source) out.push({ path: p, line, kind, detail: `${detail}, built from \`${source}\``, target: source });
    // npm's template `"main": "index.js"` in a manifest that only runs scripts names nothing: a missing entry counts
    // only when a build writes it (`dist/...`) or it is a command.
    else if (kind === 'bin' || BUILD_OUTPUT_PREFIX.test(rel)) out.push({ path: p, line, kind, detail, ...(kind === 'package' && { root: dir }) });
  };
  if (typeof pkg.bin === 'string') add(lineOf('bin'), 'bin', `bin \`${pkg.name ?? ''}\` = ${pkg.bin}`, pkg.bin);
  else if (pkg.bin && typeof pkg.bin === 'object') {
    for (const [name, file] of Object.entries(pkg.bin as Record<string, string>)) add(lineOf(name), 'bin', `bin \`${name}\` = ${file}`, String(file));
  }
  for (const key of ['main', 'module', 'browser']) {
    const v = pkg[key];
    if (typeof v === 'string') add(lineOf(key), 'package', `${key} = ${v}`, v);
  }
  const exported = rootExport(pkg.exports);
  if (exported) add(lineOf('exports'), 'package', `exports \`.\` = ${exported}`, exported);
  // Without `main` or `exports`, Node loads the package's `index.js`.
  if (pkg.main === undefined && pkg.exports === undefined && known.has(path.posix.join(dir, 'index.js'))) {
    add(pkg.name === undefined ? 1 : lineOf('name'), 'package', "main = index.js (Node's default)", 'index.js');
  }
  return out;
}

/** Output folders a build writes a package's entry to: `dist/cjs/index.js`, `lib/esm/index.mjs`, `build/index.js`. */
const BUILD_OUTPUT_PREFIX = /^(\.\/)?((dist|build|lib|out|es|esm|cjs|umd|types)\/)+/;

/** The source a missing built entry is compiled from: `dist/cjs/index.js` -> `src/index.ts` (or `index.ts`, `src/index.js`). */
function builtFrom(dir: string, rel: string, known: Set<string>): string | undefined {
  if (!BUILD_OUTPUT_PREFIX.test(rel)) return undefined;
  const stem = rel.replace(BUILD_OUTPUT_PREFIX, '').replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  for (const base of [`src/${stem}`, stem]) {
    for (const ext of ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx']) {
      const candidate = path.posix.normalize(path.posix.join(dir, base + ext));
      if (known.has(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The file a package's `exports` gives for the package itself (`"./index.js"`, `{".": {"import": "./esm/index.js"}}`), types aside. */
function rootExport(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (!exports || typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  const subpaths = Object.keys(map).some((k) => k.startsWith('.'));
  // Subpath keys (`"."`, `"./utils"`) or, at the top, conditions (`"import"`, `"require"`) for the root alone.
  const conditions = subpaths ? map['.'] : map;
  if (typeof conditions === 'string') return conditions;
  if (!conditions || typeof conditions !== 'object') return undefined;
  for (const [condition, value] of Object.entries(conditions)) {
    if (condition === 'types') continue;
    const found = rootExport(value);
    if (found) return found;
  }
  return undefined;
}

function pythonScriptEntries(p: string, text: string | undefined): EntryPoint[] {
  if (!text) return [];
  const out: EntryPoint[] = [];
  const lines = text.split('\n');
  let inScripts = false;
  lines.forEach((line, i) => {
    if (/^\s*\[/.test(line)) inScripts = /^\s*\[(project\.scripts|tool\.poetry\.scripts|options\.entry_points)\]/.test(line);
    const m = /^\s*["']?([\w.-]+)["']?\s*=\s*["']?([\w.]+:[\w.]+)/.exec(line);
    if (inScripts && m) out.push({ path: p, line: i + 1, kind: 'bin', detail: `script \`${m[1]}\` = ${m[2]}` });
    const c = /["']([\w.-]+)\s*=\s*([\w.]+:[\w.]+)["']/.exec(line);
    if (!inScripts && c && /setup\.py$/.test(p)) out.push({ path: p, line: i + 1, kind: 'bin', detail: `console script \`${c[1]}\` = ${c[2]}` });
  });
  return out;
}

/**
 * The import package a Python project names: pyproject's `[project]`/`[tool.poetry]` `name = "Flask-Login"`,
 * setup.cfg's `[metadata] name`, or setup.py's literal `name="..."` or `packages=["requests"]`; it is
 * `flask_login/__init__.py`, or the same under `src/`.
 */
function pythonPackageEntry(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  if (!text) return [];
  const lines = text.split('\n');
  const base = path.posix.basename(p);
  const sections = base === 'setup.cfg' ? ['metadata'] : ['project', 'tool.poetry'];
  const nameAt =
    base === 'setup.py' ? /\b(?:name\s*=\s*|packages\s*=\s*\[\s*)["']([\w.-]+)["']/ : base === 'setup.cfg' ? /^\s*name\s*=\s*([\w.-]+)\s*$/ : /^\s*name\s*=\s*["']([\w.-]+)["']/;
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]/.exec(lines[i]);
    if (header) section = header[1].trim();
    const m = nameAt.exec(lines[i]);
    if (!m || (base !== 'setup.py' && !sections.includes(section))) continue;
    const dir = path.posix.dirname(p);
    const pkg = m[1].toLowerCase().replace(/[-.]/g, '_');
    const init = [`${pkg}/__init__.py`, `src/${pkg}/__init__.py`].map((rel) => path.posix.normalize(path.posix.join(dir, rel))).find((q) => known.has(q));
    if (init) return [{ path: p, line: i + 1, kind: 'package', detail: `import \`${pkg}\` -> \`${init}\``, target: init }];
  }
  return [];
}

/** A Composer package's commands (`bin`), the namespaces it maps to folders (PSR-4 and PSR-0 autoload) and the files it always loads. */
function composerEntries(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  let pkg: { bin?: unknown; autoload?: { files?: unknown } } | null;
  try {
    pkg = JSON.parse(text ?? '');
  } catch {
    return [];
  }
  if (!pkg || typeof pkg !== 'object') return [];
  const dir = path.posix.dirname(p);
  const within = (rel: string): string => path.posix.normalize(path.posix.join(dir, rel));
  const lineOf = (literal: string): number => lineNumber(text!, new RegExp(`"${escapeRegExp(JSON.stringify(literal).slice(1, -1))}"`));
  const out: EntryPoint[] = [];
  for (const bin of Array.isArray(pkg.bin) ? pkg.bin.filter((b): b is string => typeof b === 'string') : []) {
    const file = within(bin);
    out.push({ path: p, line: lineOf(bin), kind: 'bin', detail: `composer bin ${bin}`, ...(known.has(file) && { target: file }) });
  }
  for (const { prefix, dirs, key } of autoloadRoots(pkg.autoload)) {
    if (dirs.length) out.push({ path: p, line: lineOf(key), kind: 'package', detail: `namespace \`${prefix}\` -> \`${within(dirs[0])}\``, root: within(dirs[0]).replace(/\/$/, '') });
  }
  for (const file of Array.isArray(pkg.autoload?.files) ? pkg.autoload.files.filter((f): f is string => typeof f === 'string') : []) {
    const target = within(file);
    if (known.has(target)) out.push({ path: p, line: lineOf(file), kind: 'package', detail: `always loads \`${target}\``, target });
  }
  return out;
}

function cargoEntries(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  if (!text) return [];
  const out: EntryPoint[] = [];
  const lines = text.split('\n');
  let section = '';
  let libPath: string | undefined;
  lines.forEach((line, i) => {
    if (/^\s*\[\[bin\]\]/.test(line)) out.push({ path: p, line: i + 1, kind: 'bin', detail: 'cargo binary target' });
    section = /^\s*\[\[?([^\]]+)\]/.exec(line)?.[1].trim() ?? section;
    if (section === 'lib') libPath = /^\s*path\s*=\s*"([^"]+)"/.exec(line)?.[1] ?? libPath;
  });
  // A library crate: what `use <crate>::...` reaches, `src/lib.rs` unless `[lib] path` says otherwise.
  const crate = tomlSectionName(text, 'package');
  const lib = path.posix.normalize(path.posix.join(path.posix.dirname(p), libPath ?? 'src/lib.rs'));
  if (crate && known.has(lib)) {
    const line = lines.findIndex((l) => /^\s*\[package\]/.test(l)) + 1;
    out.push({ path: p, line: Math.max(1, line), kind: 'package', detail: `crate \`${crate.replace(/-/g, '_')}\` -> \`${lib}\``, target: lib });
  }
  return out;
}

/** A gem's library: `require '<name>'` loads `lib/<name>.rb`. */
function gemEntry(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  // `s.name = "devise"`, or the name given to the constructor: `Gem::Specification.new 'sinatra', Sinatra::VERSION do |s|`.
  const m = /^[ \t]*\w+\.name\s*=\s*['"]([\w.-]+)['"]/m.exec(text ?? '') ?? /\bGem::Specification\.new[ \t(]+['"]([\w.-]+)['"]/.exec(text ?? '');
  if (!m) return [];
  const lib = path.posix.normalize(path.posix.join(path.posix.dirname(p), `lib/${m[1]}.rb`));
  const line = text!.slice(0, m.index).split('\n').length;
  return known.has(lib) ? [{ path: p, line, kind: 'package', detail: `gem \`${m[1]}\` -> \`${lib}\``, target: lib }] : [];
}

/**
 * A Go module's package at its root (`import "github.com/gin-gonic/gin"`), named after the file called like the
 * package (`gin.go`), else its `doc.go`, else its first file. A root `package main` is a command, not an import.
 */
function goModuleEntry(p: string, readText: (p: string) => string | undefined, known: Set<string>): EntryPoint[] {
  const text = readText(p);
  const modulePath = goModulePath(text);
  if (!modulePath) return [];
  const dir = path.posix.dirname(p);
  const inDir = (name: string): string => (dir === '.' ? name : `${dir}/${name}`);
  const sources = [...known].filter((q) => path.posix.dirname(q) === dir && q.endsWith('.go') && !q.endsWith('_test.go')).sort();
  const target = [inDir(`${goModuleName(modulePath)}.go`), inDir('doc.go')].find((q) => sources.includes(q)) ?? sources[0];
  if (!target || /^\s*package\s+main\b/m.test(readText(target) ?? '')) return [];
  return [{ path: p, line: lineNumber(text!, /^module\s/m), kind: 'package', detail: `import \`${modulePath}\` -> \`${target}\``, target }];
}

/**
 * A .NET project that builds a library: `<PackageId>Markdig</PackageId>` (else its assembly's or its file's name) and
 * the folder of its sources. An application (`<OutputType>Exe`) enters through its `Main`; tests and projects marked
 * `<IsPackable>false` are not shipped.
 */
function dotnetLibraryEntry(p: string, text: string | undefined, known: Set<string>): EntryPoint[] {
  if (!text || DOTNET_NOT_LIBRARY.test(text) || isDotnetTestProject(p, text)) return [];
  const dir = path.posix.dirname(p);
  const within = dir === '.' ? '' : `${dir}/`;
  if (!someKnown(known, (q) => q.startsWith(within) && /\.(cs|fs|vb)$/.test(q))) return [];
  const named = /<(PackageId|AssemblyName)>\s*([\w.-]+)\s*</i;
  const m = named.exec(text);
  const name = m?.[2] ?? path.posix.basename(p).replace(/\.\w+$/, '');
  if (namesTests(name)) return [];
  return [{ path: p, line: m ? lineNumber(text, named) : 1, kind: 'package', detail: `NuGet package \`${name}\` -> \`${dir}\``, root: dir }];
}

function someKnown(known: Set<string>, test: (p: string) => boolean): boolean {
  for (const q of known) if (test(q)) return true;
  return false;
}

/** An application, a project kept out of packages, or one that only builds others (`Microsoft.Build.Traversal`). */
const DOTNET_NOT_LIBRARY = /<OutputType>\s*(Win)?Exe\s*<|<IsPackable>\s*false\s*<|<Project\s+Sdk="Microsoft\.Build\.(Traversal|NoTargets)\b/i;

/** A module named for tests: `test-jpms`, `picocli-codegen-tests-java9plus`, `YamlDotNet.Core7AoTCompileTest.Model`. */
function namesTests(name: string): boolean {
  return name.split(/[-_.:/]/).some((part) => /^tests?$/i.test(part) || /[a-z0-9]Tests?$/.test(part));
}

/** Build logic and fixtures, not modules: Gradle's `buildSrc`/`build-logic`, a build file inside another module's `src/` (`factory/src/it/functional`). */
const JVM_NOT_MODULE = /(^|\/)(buildSrc|build-logic)\/|(^|\/)src\/.*\//;

/** Java and Kotlin source roots that hold files: `core/src/main/java`. */
function jvmSourceRoots(known: Set<string>): Set<string> {
  const roots = new Set<string>();
  for (const q of known) {
    const m = /^(?:.*\/)?src\/main\/(?:java|kotlin)\//.exec(q);
    if (m) roots.add(m[0].slice(0, -1));
  }
  return roots;
}

/** The source root beside a build file in `dir`, `java` before `kotlin`. */
function sourceRootOf(dir: string, roots: Set<string>): string | undefined {
  const base = dir === '.' ? '' : `${dir}/`;
  return [`${base}src/main/java`, `${base}src/main/kotlin`].find((r) => roots.has(r));
}

/** Sections of a POM whose `<artifactId>` and `<groupId>` are other artifacts': the parent, dependencies, plugins, modules. */
const POM_ELSEWHERE = /<(parent|dependencies|dependencyManagement|build|profiles|reporting|modules|repositories|pluginRepositories|distributionManagement)>[\s\S]*?<\/\1>/g;

/** A Maven module that builds a jar: `<groupId>:<artifactId>` and its source root. A `pom` aggregator builds none. */
function mavenEntry(p: string, readText: (p: string) => string | undefined, roots: Set<string>): EntryPoint[] {
  const root = sourceRootOf(path.posix.dirname(p), roots);
  if (!root || JVM_NOT_MODULE.test(p)) return [];
  const text = readText(p);
  if (!text) return [];
  const own = text.replace(/<!--[\s\S]*?-->/g, '').replace(POM_ELSEWHERE, '');
  const tag = (name: string, xml: string): string | undefined => new RegExp(`<${name}>\\s*([^<\\s]+)\\s*</${name}>`).exec(xml)?.[1];
  const artifact = tag('artifactId', own);
  if (!artifact || namesTests(artifact) || !/^(jar|bundle|maven-plugin)$/.test(tag('packaging', own) ?? 'jar')) return [];
  // A module takes its parent's group unless it names its own.
  const group = tag('groupId', own) ?? tag('groupId', /<parent>[\s\S]*?<\/parent>/.exec(text)?.[0] ?? '');
  const line = lineNumber(text, new RegExp(`<artifactId>\\s*${escapeRegExp(artifact)}\\s*</artifactId>(?![\\s\\S]*?</parent>)`));
  return [{ path: p, line, kind: 'package', detail: `Maven artifact \`${group ? `${group}:` : ''}${artifact}\` -> \`${root}\``, root }];
}

/**
 * A Gradle project with Java or Kotlin sources that is not an application (whose `main` is listed): the root's
 * `rootProject.name`, else its project path (`:retrofit-adapters:guava`).
 */
function gradleEntry(p: string, readText: (p: string) => string | undefined, roots: Set<string>): EntryPoint[] {
  const dir = path.posix.dirname(p);
  const root = sourceRootOf(dir, roots);
  if (!root || JVM_NOT_MODULE.test(p) || namesTests(dir)) return [];
  const text = readText(p);
  if (!text || /^\s*(apply\s+plugin:\s*|id\s*\(?\s*)["'](application|org\.springframework\.boot)["']|^\s*application\b\s*$/m.test(text)) return [];
  const settings = dir === '.' ? (readText('settings.gradle.kts') ?? readText('settings.gradle')) : undefined;
  const name = dir === '.' ? /^\s*rootProject\.name\s*=\s*["']([^"']+)["']/m.exec(settings ?? '')?.[1] : `:${dir.replace(/\//g, ':')}`;
  return [{ path: p, line: 1, kind: 'package', detail: `Gradle ${name ? `project \`${name}\`` : 'root project'} -> \`${root}\``, root }];
}

/** Whether line `line` of C source `text` sits inside an `#if`/`#ifdef`/`#ifndef` block. */
function insideConditional(text: string | undefined, line: number): boolean {
  let depth = 0;
  for (const l of text?.split('\n', line - 1) ?? []) {
    const m = /^\s*#\s*(if|ifdef|ifndef|endif)\b/.exec(l);
    if (m) depth += m[1] === 'endif' ? -1 : 1;
  }
  return depth > 0;
}

function lineNumber(text: string, re: RegExp): number {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 1;
}

/**
 * Drops repeats and keeps at most 60 entries of a kind, the project's own before those of examples and docs
 * (curl's 60 example programs would otherwise crowd out its own `main`).
 */
function dedupe(list: EntryPoint[]): EntryPoint[] {
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  const [own, aside] = partition(list, (e) => !isPeripheralPath(e.path));
  return [...own, ...aside].filter((e) => {
    const key = `${e.path}:${e.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const n = (counts.get(e.kind) ?? 0) + 1;
    counts.set(e.kind, n);
    return n <= 60;
  });
}
