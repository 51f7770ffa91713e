import { createHash } from 'node:crypto';
import { memoized } from '../memo';
import { pushTo } from '../multimap';
import { identifierTerm, termCounts } from '../retrieve/terms';
import { isBesidePath, isVendoredPath } from '../structure/besideFolders';
import { isDeclarationPath } from '../scan/languages';
import type { Evidence, FileAnalysis, Note, ScanResult, SymbolDef } from '../types';

/** Input of {@link buildTestHookNotes}. */
export interface TestHookInput {
  scan: ScanResult;
  files: Map<string, FileAnalysis>;
  /** Text of a scanned file (undefined when unreadable or skipped). */
  readText: (path: string) => string | undefined;
  /** ISO timestamp stamped on the notes. */
  now: string;
  /** The files each file imports, as the structure resolved its imports. */
  imports?: ReadonlyMap<string, readonly string[]>;
}

/** One way to run tests found in the repository. */
interface Hook {
  id: string;
  framework: string;
  command: string;
  /** Extra commands (named scripts, targets, envs). */
  commands: string[];
  /** Folder the command runs in, '' for the root. */
  cwd: string;
  evidence: Evidence[];
  detail: string[];
}

/**
 * Test folders: `tests`, `spec` ..., test projects such as `Foo.Tests`, `Foo.UnitTests`, `Foo.Acceptance.Specs`, `integration-tests`,
 * `jpms_test`, and test utilities (`testutil`, `test_helpers`, `okhttp-testing-support`).
 */
const TEST_DIR = /^(tests?|__tests__|specs?|e2e|testing|test(ing)?[-_]?(utils?|helpers?|support))$|[._-]((unit|integration|functional|acceptance|e2e)[._-]?)?tests?$|\.((unit|integration|functional|acceptance)\.)?specs?$|[._-]test(ing)?[-_](utils?|helpers?|support)$/i;
/**
 * Gradle and Kotlin Multiplatform test source sets (`src/jvmTest`, `src/androidTest`, `src/integrationTest`,
 * `src/testFixtures`) and test projects named without a dot (`src/UnitTests`, `IntegrationTests`, AutoFixture's
 * `IdiomsUnitTest`, PHP-DI's `tests/IntegrationTest`).
 */
const SOURCE_SET_TEST_DIR = /^([a-z][a-zA-Z0-9]*Tests?|test[A-Z][a-zA-Z0-9]*|[A-Z][a-zA-Z0-9]*Tests?)$/;
const DATA_DIR = /^(testdata|__fixtures__|fixtures|__mocks__|__snapshots__)$/i;
const HELPER_DIR = /^(helpers?|utils?|support|testutils?|test_?helpers?|mocks?)$/i;
const HELPER_FILE = /(^|\/)(conftest\.py|spec_helper\.rb|rails_helper\.rb|test_helper\.rb|(jest|vitest|test)\.setup\.[cm]?[jt]sx?|setup[-_]?tests?\.[cm]?[jt]sx?|testutils?\.go|helpers?_test\.go)$/i;
const TEST_NAME = [
  /\.(test|spec)\.[cm]?[jt]sx?$/i,
  /_test\.(go|py|rb|exs?)$/,
  /(^|\/)tests?_[^/]+\.py$/,
  // C and C++: `db_test.cc`, `env_unittest.cc`, `parser_tests.cpp`, `test_buffer.c`.
  /_(unit)?tests?\.(c|cc|cpp|cxx|h|hh|hpp)$/,
  /(^|\/)test_[^/]+\.(c|cc|cpp|cxx)$/,
  // RSpec's specs, but not a library class so named (`lib/grape/validations/validations_spec.rb`).
  /^(?!(.*\/)?(lib|app)\/).*_spec\.rb$/,
  // A Rust module of unit tests in a file of its own (`#[cfg(test)] mod tests;` -> `src/uri/tests.rs`).
  /(^|\/)tests?\.rs$/,
  // A JavaScript package's `test.js`, or one beside each module (date-fns's `src/addDays/test.ts`); not a test
  // runner's own `lib/test.js`.
  /^(?!(.*\/)?lib\/)(.*\/)?tests?\.[cm]?[jt]sx?$/,
  /[A-Z][A-Za-z0-9]*(Test|Tests|IT|Spec)\.(java|kt|cs|php|scala|groovy|swift)$/,
  /(^|\/)conftest\.py$/,
  // Test utilities beside the code: `testutil.rs`, `test_helpers.py`, `test-support.ts`.
  /(^|\/)test[-_]?(utils?|helpers?|support)\.[A-Za-z]+$/i,
];

/**
 * True for test code and test data: test-named files and anything under a test, spec or fixture folder.
 * Every phase asks about every path, many times: the answers are remembered.
 */
export const isTestPath = memoized(
  (path: string): boolean => TEST_NAME.some((re) => re.test(path)) ||
    path.split('/').slice(0, -1).some((d) => TEST_DIR.test(d) || SOURCE_SET_TEST_DIR.test(d) || DATA_DIR.test(d)),
);

/** True for test data: anything under a fixtures/testdata/mocks folder (sample code, not the project's own). */
export function isFixturePath(path: string): boolean {
  return path.split('/').slice(0, -1).some((d) => DATA_DIR.test(d));
}

/** Test files that exercise `path`, according to the `test-hook:map` note among `notes`. */
export function testsForSource(path: string, notes: Note[]): string[] {
  const map = notes.find((n) => n.id === MAP_ID)?.meta?.map as Record<string, string[]> | undefined;
  if (!map) return [];
  return Object.entries(map)
    .filter(([, sources]) => sources.includes(path))
    .map(([test]) => test)
    .sort();
}

const MAP_ID = 'test-hook:map';

/**
 * Static `test-hook` notes: how to run the tests (one note per framework/command set, with the config lines
 * that define it), which tests exercise which sources, which public symbols no test names, and the shared
 * fixtures and helpers.
 */
export function buildTestHookNotes(input: TestHookInput): Note[] {
  const ctx = new Context(input);
  const hooks = [
    ...npmHooks(ctx), ...pythonHooks(ctx), ...goHooks(ctx), ...cargoHooks(ctx), ...jvmHooks(ctx), ...swiftHooks(ctx), ...makeHooks(ctx),
    ...rubyHooks(ctx), ...phpHooks(ctx), ...dotnetHooks(ctx), ...cmakeHooks(ctx), ...automakeHooks(ctx),
  ];
  if (!hooks.length) hooks.push(...testFolderMakeHooks(ctx));
  // The root project's commands first, then those of sub-projects by depth (a stable sort keeps each language's order).
  hooks.sort((a, b) => depthOf(a.cwd) - depthOf(b.cwd));
  const map = sourceTestMap(ctx);
  const notes: Note[] = hooks.map((h) => hookNote(ctx, h, map));
  const mapNote = sourceMapNote(ctx, map);
  if (mapNote) notes.push(mapNote);
  const untested = untestedNote(ctx);
  if (untested) notes.push(untested);
  const fixtures = fixturesNote(ctx);
  if (fixtures) notes.push(fixtures);
  return notes;
}

/** Language files the hooks read as text (fixture decorators, nox sessions, Swift and Kotlin build scripts): their edits can change the notes. */
const READ_AS_TEXT = /(^|\/)((conftest|noxfile)\.py|Package\.swift|build\.gradle\.kts|settings\.gradle\.kts)$/;
const UNTESTED_ID = 'test-hook:untested';

/**
 * The test-hook notes after the files `changed` were edited, from the notes built before, or undefined
 * when they must be rebuilt. The caller has checked that no file's names or imports changed (the
 * graph's shape). The notes then stay true unless a config file or a file read as text changed; they
 * cite line 1 of test and source files, except the untested-symbol note, which cites definitions and is
 * rebuilt when one of them is in an edited file. Hashes are brought up to date.
 */
export function updateTestHookNotes(prior: Note[], changed: Set<string>, input: TestHookInput): Note[] | undefined {
  if ([...changed].some((p) => !input.files.get(p)?.language || READ_AS_TEXT.test(p))) return undefined;
  return prior.flatMap((n) => {
    if (n.id === UNTESTED_ID && (n.meta?.untested as { path: string }[] | undefined)?.some((u) => changed.has(u.path))) {
      const fresh = untestedNote(new Context(input));
      return fresh ? [fresh] : [];
    }
    const touched = Object.keys(n.dependsOn).filter((p) => changed.has(p));
    if (!touched.length) return [n];
    const dependsOn = { ...n.dependsOn };
    for (const p of touched) dependsOn[p] = input.files.get(p)!.hash;
    return [{ ...n, dependsOn }];
  });
}

class Context {
  private pathList: string[] | undefined;
  private allPaths: Set<string> | undefined;
  private readonly texts = new Map<string, string | undefined>();

  constructor(readonly input: TestHookInput) {}

  /**
   * Scanned paths outside fixture/test-data folders (sample projects there are not this repository's) and vendored
   * copies (a bundled googletest's own CMake options and Python tests are not how this project runs its tests).
   */
  get paths(): string[] {
    return (this.pathList ??= this.input.scan.files.map((f) => f.path).filter((p) => !isFixturePath(p) && !isVendoredPath(p)));
  }

  /** `paths` and the skipped files. */
  get all(): Set<string> {
    return (this.allPaths ??= new Set([...this.paths, ...this.input.scan.skipped.map((s) => s.path)]));
  }

  text(path: string): string | undefined {
    if (!this.texts.has(path)) this.texts.set(path, this.input.readText(path));
    return this.texts.get(path);
  }

  lines(path: string): string[] {
    return this.text(path)?.split(/\r?\n/) ?? [];
  }

  /** Paths whose base name is one of `names`. */
  /** Files with one of these names, the repository's own (shallowest) first. */
  named(...names: string[]): string[] {
    const depth = (p: string): number => p.split('/').length;
    return this.paths.filter((p) => names.includes(baseName(p))).sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  hash(path: string): string | undefined {
    const known = this.input.files.get(path)?.hash;
    if (known) return known;
    const text = this.text(path);
    return text === undefined ? undefined : createHash('sha1').update(text).digest('hex');
  }

  /** Evidence for the first line matching `re` (1-based), if any. */
  lineOf(path: string, re: RegExp): Evidence | undefined {
    const i = this.lines(path).findIndex((l) => re.test(l));
    return i < 0 ? undefined : { path, startLine: i + 1, endLine: i + 1 };
  }

  /** Evidence for every line matching `re`, capped. */
  linesOf(path: string, re: RegExp, cap = 10): Evidence[] {
    const out: Evidence[] = [];
    this.lines(path).forEach((l, i) => {
      if (out.length < cap && re.test(l)) out.push({ path, startLine: i + 1, endLine: i + 1 });
    });
    return out;
  }

  first(path: string): Evidence {
    return { path, startLine: 1, endLine: 1 };
  }
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Folders from the root to `cwd`: 0 for the root. */
function depthOf(cwd: string): number {
  return cwd ? cwd.split('/').length : 0;
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function inDir(cwd: string, command: string): string {
  return cwd ? `cd ${cwd} && ${command}` : command;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keeps only the outermost of nested project files (monorepo members run from their parent). */
function outermost(paths: string[]): string[] {
  const dirs = paths.map(dirName);
  return paths.filter((_, i) => !dirs.some((d, j) => j !== i && (d === '' ? dirs[i] !== '' : dirs[i].startsWith(d + '/'))));
}

const NPM_FRAMEWORKS: [string, RegExp][] = [
  ['vitest', /\bvitest\b/], ['jest', /\bjest\b/], ['mocha', /\bmocha\b/], ['ava', /\bava\b/], ['tap', /\btap\b/],
  ['tape', /\btape\b/], ['borp', /\bborp\b/], ['uvu', /\buvu\b/], ['jasmine', /\bjasmine\b/], ['karma', /\bkarma\b/],
  ['playwright', /\bplaywright\b/], ['cypress', /\bcypress\b/], ['node:test', /(^|\s)--test(\s|$)/],
];

/**
 * A script run from another: `npm run lint`, `pnpm run borp`, `yarn test-types`, `npm test`, `npm run -s x`; or the
 * scripts npm-run-all runs, by name or pattern: `run-s clean build test-node:*`, `npm-run-all -p lint test`.
 */
const RUN_SCRIPT = /\b(?:npm|pnpm|yarn|bun)(?:\s+run(?:-script)?)?(?:\s+--?[a-z][\w-]*)*\s+([\w:.-]+)|\b(?:run-s|run-p|npm-run-all)((?:\s+[^\s;&|]+)+)/g;

/** `cmd` with the scripts it runs written out in its place (five levels deep, within 20,000 characters), so that their runners show. */
function expandScripts(cmd: string, scripts: Record<string, unknown>, depth = 5): string {
  if (depth === 0 || cmd.length > 20_000) return cmd;
  return cmd.replace(RUN_SCRIPT, (call, name: string | undefined, patterns: string | undefined) => {
    const names = name !== undefined ? [name] : patterns!.trim().split(/\s+/).filter((a) => !a.startsWith('-')).flatMap((pattern) => {
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '.*').replace(/\*/g, '[^:]*')}$`);
      return Object.keys(scripts).filter((n) => re.test(n));
    });
    const bodies = names.map((n) => scripts[n]).filter((b): b is string => typeof b === 'string');
    return bodies.length ? `${call} ( ${bodies.map((b) => expandScripts(b, scripts, depth - 1)).join(' ; ')} )` : call;
  });
}

/** The JavaScript test runners a command uses, in the order it runs them. */
function frameworksIn(cmd: string): string[] {
  return NPM_FRAMEWORKS.map(([name, re]) => [name, cmd.search(re)] as const).filter(([, at]) => at >= 0).sort((a, b) => a[1] - b[1]).map(([name]) => name);
}

/** Configuration file names of each JavaScript test framework, without extension. */
const NPM_FRAMEWORK_CONFIGS: Record<string, string[]> = {
  vitest: ['vitest.config', 'vitest.workspace'], jest: ['jest.config'], mocha: ['.mocharc'], ava: ['ava.config'],
  playwright: ['playwright.config'], cypress: ['cypress.config'],
};
const CONFIG_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs', 'json', 'jsonc', 'yml', 'yaml'];

function npmHooks(ctx: Context): Hook[] {
  const hooks: Hook[] = [];
  for (const pkgPath of ctx.named('package.json')) {
    let pkg: { scripts?: Record<string, unknown>; devDependencies?: Record<string, unknown>; dependencies?: Record<string, unknown>; packageManager?: unknown };
    try {
      pkg = JSON.parse(ctx.text(pkgPath) ?? '');
    } catch {
      continue;
    }
    const scripts = Object.entries(pkg.scripts ?? {}).filter(
      ([name, cmd]) => /^test([:_-]|$)/.test(name) && typeof cmd === 'string' && !/no test specified/.test(cmd),
    ) as [string, string][];
    if (!scripts.length) continue;
    const cwd = dirName(pkgPath);
    const near = (f: string): boolean => ctx.all.has(cwd ? `${cwd}/${f}` : f) || ctx.all.has(f);
    // The package manager the project pins (`"packageManager": "bun@1.2.20"`), else the one its lockfile belongs to.
    const pinned = /^(npm|pnpm|yarn|bun)@/.exec(typeof pkg.packageManager === 'string' ? pkg.packageManager : '')?.[1];
    const pm = pinned ?? (near('pnpm-lock.yaml') ? 'pnpm' : near('yarn.lock') ? 'yarn' : near('bun.lock') || near('bun.lockb') ? 'bun' : 'npm');
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).join(' ');
    const fromDeps = NPM_FRAMEWORKS.find(([, re]) => re.test(deps))?.[0];
    // `bun test` is bun's own runner, not the `test` script.
    const run = (name: string): string => (name === 'test' && pm !== 'bun' ? `${pm} test` : `${pm} run ${name}`);
    const main = scripts.find(([n]) => n === 'test') ?? scripts[0];
    const runners = (cmd: string): string[] => frameworksIn(expandScripts(cmd, pkg.scripts ?? {}));
    const frameworks = [...new Set(scripts.flatMap(([, c]) => runners(c)))];
    const framework = runners(main[1]).join(', ') || frameworks[0] || fromDeps || 'npm-scripts';
    // A script on a line of its own, or inside a one-line `"scripts": { "test": "make test" }`.
    const evidence = scripts
      .map(([name]) => ctx.lineOf(pkgPath, new RegExp(`^\\s*"${escapeRe(name)}"\\s*:`)) ?? ctx.lineOf(pkgPath, new RegExp(`"scripts"\\s*:.*"${escapeRe(name)}"\\s*:`)))
      .filter((e): e is Evidence => !!e);
    if (!evidence.length) evidence.push(ctx.lineOf(pkgPath, /"scripts"\s*:/) ?? ctx.first(pkgPath));
    const depLine = fromDeps ? ctx.lineOf(pkgPath, new RegExp(`^\\s*"(@[\\w-]+/)?${escapeRe(fromDeps)}"\\s*:`)) : undefined;
    if (depLine) evidence.push(depLine);
    const configs = frameworks.concat(fromDeps ?? []).flatMap((f) => NPM_FRAMEWORK_CONFIGS[f] ?? [])
      .flatMap((name) => CONFIG_EXTENSIONS.map((ext) => (cwd ? `${cwd}/${name}.${ext}` : `${name}.${ext}`)))
      .filter((p, i, all) => ctx.all.has(p) && all.indexOf(p) === i);
    evidence.push(...configs.map((p) => ctx.first(p)));
    hooks.push({
      id: `npm:${cwd || '.'}`,
      framework,
      command: inDir(cwd, run(main[0])),
      commands: scripts.map(([n]) => inDir(cwd, run(n))),
      cwd,
      evidence,
      detail: [...scripts.map(([n, c]) => `\`${run(n)}\` runs \`${c}\``), ...(configs.length ? [`Configured in ${configs.map((p) => `\`${p}\``).join(', ')}.`] : [])],
    });
  }
  return hooks;
}

/** Where the project declares pytest among its dependencies (`pyproject.toml`, `requirements*.txt`, `setup.py`, `Pipfile`), if it does. */
function pytestDeclared(ctx: Context): Evidence | undefined {
  for (const p of ctx.named('pyproject.toml', 'setup.py', 'setup.cfg')) {
    const e = ctx.lineOf(p, /(^|["'\s])pytest\s*(?:[<>=~!;,"'\[]|$)/);
    if (e) return e;
  }
  for (const p of ctx.paths.filter((q) => /(^|\/)([\w-]*requirements[\w.-]*\.(txt|in)|requirements\/[^/]+\.(txt|in)|Pipfile)$/.test(q))) {
    const e = ctx.lineOf(p, /^\s*"?pytest"?\s*(?:[<>=~!;\[]|$)/);
    if (e) return e;
  }
  return undefined;
}

function pythonHooks(ctx: Context): Hook[] {
  const hooks: Hook[] = [];
  const evidence: Evidence[] = [];
  const add = (e: Evidence | undefined): void => void (e && evidence.push(e));
  for (const p of ctx.named('pytest.ini')) add(ctx.lineOf(p, /^\s*\[pytest\]/));
  for (const p of ctx.named('pyproject.toml')) add(ctx.lineOf(p, /^\s*\[tool\.pytest\.ini_options\]/));
  for (const p of ctx.named('setup.cfg')) add(ctx.lineOf(p, /^\s*\[tool:pytest\]/));
  for (const p of ctx.named('tox.ini')) add(ctx.lineOf(p, /^\s*\[pytest\]/));
  for (const p of ctx.named('conftest.py').slice(0, 3)) evidence.push(ctx.first(p));
  const testFiles = ctx.paths.filter((p) => /(^|\/)(test_[^/]+|[^/]+_test)\.py$/.test(p));
  const configured = evidence.length > 0;
  const declared = pytestDeclared(ctx);
  // unittest finds only `TestCase` classes; plain `def test_x(): assert ...` functions are pytest's.
  const usesPytest = configured || declared !== undefined
    || testFiles.some((p) => /^\s*(import pytest|from pytest)/m.test(ctx.text(p) ?? ''))
    || !testFiles.some((p) => /^\s*(import unittest|from unittest\b)|\bTestCase\b/m.test(ctx.text(p) ?? ''));
  if (testFiles.length && !evidence.length) evidence.push(...testFiles.slice(0, 3).map((p) => ctx.first(p)));
  if (declared && evidence.length) evidence.push(declared);
  if (evidence.length) {
    const runner = ctx.all.has('poetry.lock') ? 'poetry run ' : ctx.all.has('uv.lock') ? 'uv run ' : '';
    const framework = usesPytest ? 'pytest' : 'unittest';
    const command = usesPytest ? `${runner}pytest` : `${runner}python -m unittest discover`;
    hooks.push({
      id: `${framework}:.`, framework, command, commands: [command], cwd: '', evidence,
      detail: [`${testFiles.length} test module(s) found.`],
    });
  }
  for (const p of ctx.named('tox.ini')) {
    // tox 4 spells it `env_list`.
    const env = ctx.lineOf(p, /^\s*env_?list\s*=/);
    if (!env) continue;
    const envs = toxEnvs(ctx.lines(p), env.startLine - 1);
    const cwd = dirName(p);
    hooks.push({
      id: `tox:${cwd || '.'}`, framework: 'tox', command: inDir(cwd, 'tox'),
      commands: envs.map((e) => inDir(cwd, `tox -e ${e}`)), cwd, evidence: [env],
      detail: [`Environments: ${envs.join(', ') || '(see tox.ini)'}.`],
    });
  }
  for (const p of ctx.named('noxfile.py')) {
    const lines = ctx.lines(p);
    const sessions: string[] = [];
    const ev: Evidence[] = [];
    // A session is a top-level function taking the nox `session`, under `@nox.session` or a decorator of the file's own.
    lines.forEach((l, i) => {
      const name = /^def\s+([A-Za-z]\w*)\s*\(\s*session\b/.exec(l)?.[1];
      if (!name) return;
      sessions.push(name);
      ev.push({ path: p, startLine: i + 1, endLine: i + 1 });
    });
    if (!ev.length) continue;
    const cwd = dirName(p);
    hooks.push({
      id: `nox:${cwd || '.'}`, framework: 'nox', command: inDir(cwd, 'nox'),
      commands: sessions.map((s) => inDir(cwd, `nox -s ${s}`)), cwd, evidence: ev.slice(0, 10),
      detail: [`Sessions: ${sessions.join(', ')}.`],
    });
  }
  // A runner guessed from the test files alone comes after the tox or nox the project runs its tests with.
  const guessed = !configured && hooks[0]?.id.endsWith(':.') && hooks[0].framework !== 'tox' && hooks[0].framework !== 'nox';
  if (guessed && hooks.some((h) => h.id === 'tox:.' || h.id === 'nox:.')) hooks.push(hooks.shift()!);
  return hooks;
}

function goHooks(ctx: Context): Hook[] {
  const mods = ctx.named('go.mod');
  // A GOPATH-era package (no go.mod) still runs its tests with `go test`.
  if (!mods.length) {
    const tests = ctx.paths.filter((p) => p.endsWith('_test.go') && !isFixturePath(p));
    return tests.length ? [goHook('', ctx.first(tests[0]), tests.length)] : [];
  }
  return mods.flatMap((mod) => {
    const cwd = dirName(mod);
    const tests = ctx.paths.filter((p) => p.endsWith('_test.go') && (!cwd || p.startsWith(cwd + '/'))).length;
    // A module inside tests or test data with no tests of its own is a fixture (bat's syntax-test sources); a
    // sub-module without tests (urfave/cli's `docs`) has nothing to run.
    if (tests === 0 && (cwd || isTestPath(mod))) return [];
    return [goHook(cwd, ctx.lineOf(mod, /^\s*module\s+\S+/) ?? ctx.first(mod), tests)];
  });
}

/** `go test` for the packages under `cwd`, which hold `tests` test files. */
function goHook(cwd: string, evidence: Evidence, tests: number): Hook {
  return {
    id: `go:${cwd || '.'}`, framework: 'go', command: inDir(cwd, 'go test ./...'),
    commands: [inDir(cwd, 'go test ./...'), inDir(cwd, 'go test -run NAME ./PKG')], cwd,
    evidence: [evidence], detail: [`${tests} \`_test.go\` file(s).`],
  };
}

function cargoHooks(ctx: Context): Hook[] {
  return outermost(ctx.named('Cargo.toml')).flatMap((toml) => {
    const section = ctx.lineOf(toml, /^\s*\[(package|workspace)\]/);
    if (!section) return [];
    const cwd = dirName(toml);
    const name = ctx.lineOf(toml, /^\s*name\s*=/);
    // A workspace root that is also a package tests only that package with a plain `cargo test`.
    const text = ctx.text(toml) ?? '';
    const both = /^\s*\[workspace\]/m.test(text) && /^\s*\[package\]/m.test(text);
    const command = inDir(cwd, both ? 'cargo test --workspace' : 'cargo test');
    return [{
      id: `cargo:${cwd || '.'}`, framework: 'cargo', command,
      commands: [command, inDir(cwd, 'cargo test NAME')], cwd,
      evidence: name ? [section, name] : [section], detail: both ? ['The root is a package too: plain `cargo test` tests only that package.'] : [],
    }];
  });
}

/**
 * Picks the JVM build files that are the repository's own. Maven and Gradle keep a project's build file beside
 * its `src`, so one below a `src` folder (a resource template, a sample project an integration test builds, as
 * in `src/intTest/projects/app`) is content, unless the repository has no other build file.
 */
function jvmProjectPicker(candidates: string[]): (paths: string[]) => string[] {
  const own = (p: string): boolean => !p.split('/').slice(0, -1).some((d) => d === 'src' || SOURCE_SET_TEST_DIR.test(d));
  const anyOwn = candidates.some(own);
  return (paths) => outermost(anyOwn ? paths.filter(own) : paths);
}

/** What a Gradle build file says of tests: a test dependency, a test framework, a `test { }` block. */
const GRADLE_TEST_MARKER = /(useJUnitPlatform|testImplementation|testCompile|androidTestImplementation|junit|testng|spock|kotest|\btest\s*\{)/;
const JVM_SOURCE = /\.(java|kt|kts|groovy|scala)$/;

/** Whether the Gradle project in `cwd` has tests: JVM test sources below it, or a build file there that names them. */
function hasJvmTests(ctx: Context, cwd: string, gradleBuilds: string[]): boolean {
  const below = (p: string): boolean => !cwd || p.startsWith(`${cwd}/`);
  return ctx.paths.some((p) => below(p) && JVM_SOURCE.test(p) && isTestPath(p)) ||
    gradleBuilds.some((b) => below(b) && GRADLE_TEST_MARKER.test(ctx.text(b) ?? ''));
}

function jvmHooks(ctx: Context): Hook[] {
  const hooks: Hook[] = [];
  const poms = ctx.named('pom.xml');
  const gradleBuilds = ctx.paths.filter((p) => /(^|\/)build\.gradle(\.kts)?$/.test(p));
  const sbts = ctx.named('build.sbt');
  const mills = ctx.named('build.mill', 'build.sc');
  const jvmProjects = jvmProjectPicker([...poms, ...gradleBuilds, ...sbts, ...mills]);
  for (const pom of jvmProjects(poms)) {
    const cwd = dirName(pom);
    const wrapper = ctx.all.has(cwd ? `${cwd}/mvnw` : 'mvnw');
    const mvn = wrapper ? './mvnw' : 'mvn';
    const evidence = [ctx.lineOf(pom, /<artifactId>/) ?? ctx.first(pom)];
    const surefire = ctx.lineOf(pom, /maven-(surefire|failsafe)-plugin/);
    if (surefire) evidence.push(surefire);
    const junit = ctx.lineOf(pom, /<artifactId>(junit|junit-jupiter[\w-]*|testng)<\/artifactId>/);
    if (junit) evidence.push(junit);
    hooks.push({
      id: `maven:${cwd || '.'}`, framework: 'maven', command: inDir(cwd, `${mvn} test`),
      commands: [inDir(cwd, `${mvn} test`), inDir(cwd, `${mvn} test -Dtest=CLASS`)], cwd, evidence, detail: [],
    });
  }
  for (const build of jvmProjects(gradleBuilds)) {
    const cwd = dirName(build);
    // A build for packaging code of another language (fmt's Android `support/build.gradle`) has no tests to run.
    if (!hasJvmTests(ctx, cwd, gradleBuilds)) continue;
    const gradle = ctx.all.has(cwd ? `${cwd}/gradlew` : 'gradlew') ? './gradlew' : 'gradle';
    const evidence = [ctx.lineOf(build, /(useJUnitPlatform|testImplementation|junit|test\s*\{)/) ?? ctx.first(build)];
    hooks.push({
      id: `gradle:${cwd || '.'}`, framework: 'gradle', command: inDir(cwd, `${gradle} test`),
      commands: [inDir(cwd, `${gradle} test`), inDir(cwd, `${gradle} test --tests CLASS`)], cwd, evidence, detail: [],
    });
  }
  for (const sbt of jvmProjects(sbts)) {
    const cwd = dirName(sbt);
    hooks.push({
      id: `sbt:${cwd || '.'}`, framework: 'sbt', command: inDir(cwd, 'sbt test'),
      commands: [inDir(cwd, 'sbt test'), inDir(cwd, 'sbt "testOnly CLASS"')], cwd,
      evidence: [ctx.lineOf(sbt, /(scalatest|munit|specs2|utest|weaver|%\s*Test\b)/) ?? ctx.first(sbt)], detail: [],
    });
  }
  for (const build of jvmProjects(mills)) {
    const cwd = dirName(build);
    const mill = ctx.all.has(cwd ? `${cwd}/mill` : 'mill') ? './mill' : 'mill';
    hooks.push({
      id: `mill:${cwd || '.'}`, framework: 'mill', command: inDir(cwd, `${mill} __.test`),
      commands: [inDir(cwd, `${mill} __.test`), inDir(cwd, `${mill} MODULE.test`)], cwd,
      evidence: [ctx.lineOf(build, /(TestModule|object\s+test\b|utest|munit|scalatest)/) ?? ctx.first(build)], detail: [],
    });
  }
  return hooks;
}

function swiftHooks(ctx: Context): Hook[] {
  return outermost(ctx.named('Package.swift')).map((pkg) => {
    const cwd = dirName(pkg);
    return {
      id: `swift:${cwd || '.'}`, framework: 'swift', command: inDir(cwd, 'swift test'),
      commands: [inDir(cwd, 'swift test'), inDir(cwd, 'swift test --filter NAME')], cwd,
      evidence: [ctx.lineOf(pkg, /\.testTarget\s*\(/) ?? ctx.first(pkg)], detail: [],
    };
  });
}

const BUILD_ARTIFACT = /\.(o|obj|a|so|dylib|dll|exe|c|cc|cpp|h)$/;
const CI_CONFIG = /^(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.yml|\.travis\.yml|azure-pipelines\.yml|\.circleci\/config\.yml)$/;

/** Make targets the CI configuration runs (`make check`, `run: make -j4 test`), in order. */
function ciMakeTargets(ctx: Context): string[] {
  const out: string[] = [];
  for (const p of ctx.paths.filter((x) => CI_CONFIG.test(x))) {
    for (const line of ctx.lines(p)) for (const m of line.matchAll(/\bmake\s+(?:-\S+\s+)*([A-Za-z][\w.-]*)/g)) out.push(m[1]);
  }
  return out;
}

/** A make target's rule line: `all:`, `test: build` (not a `VAR := value` assignment). */
const MAKE_TARGET = /^([A-Za-z][\w.-]*)\s*:(?!=)/;
const MAKE_TEST_TARGET = /^(test[\w.-]*|check)$/;
/** Targets that run no tests, even in a folder of tests. */
const HOUSEKEEPING_TARGET = /^(clean|distclean|mostlyclean|realclean|install|uninstall|help|depend|format|lint)$/;

/** The repository's Makefiles, by the names make looks for. */
function makefiles(ctx: Context): string[] {
  return ctx.named('Makefile', 'makefile', 'GNUmakefile');
}

function makeHooks(ctx: Context): Hook[] {
  return makefiles(ctx).flatMap((mk) => makeHook(ctx, mk, (t) => MAKE_TEST_TARGET.test(t)));
}

/**
 * When nothing else says how to run the tests: a Makefile in a folder of tests (stb's `tests/Makefile`, whose `all:`
 * builds them) runs them with its targets; not an example's in a test framework copied in.
 */
function testFolderMakeHooks(ctx: Context): Hook[] {
  return makefiles(ctx)
    .filter((mk) => isTestPath(mk) && !isBesidePath(mk))
    .flatMap((mk) => makeHook(ctx, mk, (t) => !HOUSEKEEPING_TARGET.test(t)));
}

/** The test hook of Makefile `mk` whose targets `isTest` accepts, if it has any. */
function makeHook(ctx: Context, mk: string, isTest: (target: string) => boolean): Hook[] {
  const targets: string[] = [];
  const evidence: Evidence[] = [];
  ctx.lines(mk).forEach((l, i) => {
    const m = l.match(MAKE_TARGET);
    // `test.o:` builds an object file, not the tests.
    if (m && isTest(m[1]) && !targets.includes(m[1]) && !BUILD_ARTIFACT.test(m[1])) {
      targets.push(m[1]);
      evidence.push({ path: mk, startLine: i + 1, endLine: i + 1 });
    }
  });
  if (!targets.length) return [];
  const cwd = dirName(mk);
  // The target CI runs (`make check`, which starts the server the tests need) over a plain `test`.
  const inCi = ciMakeTargets(ctx).find((t) => targets.includes(t));
  const main = inCi ?? (targets.includes('test') ? 'test' : targets[0]);
  return [{
    id: `make:${cwd || '.'}`, framework: 'make', command: inDir(cwd, `make ${main}`),
    commands: targets.map((t) => inDir(cwd, `make ${t}`)), cwd, evidence, detail: [`Targets: ${targets.join(', ')}.`],
  }];
}

/** `task :test do`, `task test: [:spec]`, `task 'test' => ...`: a Rakefile's own test task. */
const RAKE_TEST_TASK = /^\s*task\s*\(?\s*(:test\b|test:|['"]test['"])/;
const RUBY_TEST_FILE = /(_test|\/test_[^/]+)\.rb$/;

/** A file that makes its folder a Ruby project whose specs run from there. */
const RUBY_PROJECT_FILE = /(^|\/)(Gemfile|\.rspec|[^/]+\.gemspec)$/;

/**
 * RSpec per Ruby project: specs run from the nearest folder above them with a Gemfile, `.rspec` or gemspec
 * (sinatra's `rack-protection/spec` from `rack-protection`), the root's when no such folder holds specs.
 * Minitest per Rakefile that defines a `Rake::TestTask`.
 */
function rubyHooks(ctx: Context): Hook[] {
  const hooks: Hook[] = [];
  const projects = new Set([...ctx.all].filter((p) => RUBY_PROJECT_FILE.test(p)).map(dirName));
  // Specs outside any Ruby project (a vendored tool's `tests/unity/test/spec/`) run from the folder above their `spec/`.
  const projectOf = (p: string): string => {
    for (let d = dirName(p); d; d = dirName(d)) if (projects.has(d)) return d;
    return /^(.*)\/spec\//.exec(p)?.[1] ?? '';
  };
  const specs = new Map<string, string[]>();
  for (const p of ctx.paths) if (p.endsWith('_spec.rb') && isTestPath(p)) pushTo(specs, projectOf(p), p);
  if (!specs.size) specs.set('', []);
  const bundle = (cwd: string): string => (ctx.all.has(cwd ? `${cwd}/Gemfile` : 'Gemfile') ? 'bundle exec ' : '');
  for (const [cwd, files] of [...specs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const at = (name: string): string => (cwd ? `${cwd}/${name}` : name);
    const evidence: Evidence[] = [];
    if (ctx.all.has(at('.rspec'))) evidence.push(ctx.first(at('.rspec')));
    const gem = ctx.all.has(at('Gemfile')) ? ctx.lineOf(at('Gemfile'), /gem\s+['"]rspec/) : undefined;
    if (gem) evidence.push(gem);
    const task = ctx.all.has(at('Rakefile')) ? ctx.lineOf(at('Rakefile'), /RSpec::Core::RakeTask/) : undefined;
    if (task) evidence.push(task);
    if (!evidence.length && !files.length) continue;
    if (!evidence.length) evidence.push(ctx.first(files[0]));
    const rspec = `${bundle(cwd)}rspec`;
    hooks.push({
      id: `rspec:${cwd || '.'}`, framework: 'rspec', command: inDir(cwd, rspec), commands: [inDir(cwd, rspec), inDir(cwd, `${rspec} spec/FILE_spec.rb`)],
      cwd, evidence, detail: [`${files.length} spec file(s).`],
    });
  }
  for (const r of ctx.named('Rakefile')) {
    const cwd = dirName(r);
    const under = cwd ? `${cwd}/test/` : 'test/';
    const tests = ctx.paths.filter((p) => p.startsWith(under) && RUBY_TEST_FILE.test(p));
    // A Rake::TestTask, or a `task :test` of its own (faraday's runs `script/test`) beside Ruby tests.
    const e = ctx.lineOf(r, /Rake::TestTask/) ?? (tests.length ? ctx.lineOf(r, RAKE_TEST_TASK) : undefined);
    if (!e) continue;
    const helper = ctx.paths.find((p) => p.startsWith(under) && /helper\.rb$/.test(p) && ctx.lineOf(p, /^\s*require\s+['"]test\/unit['"]/));
    const framework = helper ? 'test-unit' : 'minitest';
    hooks.push({
      id: `${framework}:${cwd || '.'}`, framework, command: inDir(cwd, `${bundle(cwd)}rake test`), commands: [inDir(cwd, `${bundle(cwd)}rake test`)],
      cwd, evidence: [e], detail: tests.length ? [`${tests.length} test file(s).`] : [],
    });
  }
  return hooks;
}

function phpHooks(ctx: Context): Hook[] {
  const hooks: Hook[] = [];
  const configs = ctx.named('phpunit.xml', 'phpunit.xml.dist');
  const composerTest = ctx.named('composer.json').map((c) => ctx.lineOf(c, /^\s*"test"\s*:/)).find((e) => !!e);
  if (configs.length || composerTest) {
    const evidence = configs.map((c) => ctx.lineOf(c, /<phpunit/) ?? ctx.first(c));
    if (composerTest) evidence.push(composerTest);
    const command = composerTest ? 'composer test' : 'vendor/bin/phpunit';
    hooks.push({
      id: 'phpunit:.', framework: 'phpunit', command, commands: [command, 'vendor/bin/phpunit --filter NAME'],
      cwd: '', evidence, detail: [],
    });
  }
  return hooks;
}

/**
 * A .NET test project references a test framework (directly, or its versions kept centrally), says it is one
 * (`<IsTestProject>true`, a `<ProjectType>Test` its build imports), or is named so (`Acme.Tests.csproj`). A build
 * project's `<PackageDownload Include="xunit.runner.console">` fetches a tool and references nothing.
 */
const DOTNET_TEST_PROJECT = /<(?:PackageReference|PackageVersion|Reference)\s[^>]*?\bInclude="(Microsoft\.NET\.Test\.Sdk|xunit|NUnit|MSTest|FsCheck\.(Xunit|NUnit)|TUnit|Expecto)|<IsTestProject>\s*true|<ProjectType>\s*Test\b/i;
const DOTNET_TEST_NAME = /[.](Unit|Integration|Functional)?(Tests?|Specs)\.(cs|fs|vb)proj$/i;

/** Whether the .NET project file at `path`, reading `text`, builds tests. */
export function isDotnetTestProject(path: string, text: string): boolean {
  return DOTNET_TEST_PROJECT.test(text) || DOTNET_TEST_NAME.test(path);
}

function dotnetHooks(ctx: Context): Hook[] {
  const projects = ctx.paths
    .filter((p) => /\.(cs|fs|vb)proj$/.test(p))
    .map((p) => ({ p, e: ctx.lineOf(p, DOTNET_TEST_PROJECT) ?? (DOTNET_TEST_NAME.test(p) ? ctx.first(p) : undefined) }))
    .filter((x): x is { p: string; e: Evidence } => !!x.e)
    // The tests' own projects before others that run tests (a docs project checking its snippets).
    .sort((a, b) => Number(isTestPath(b.p)) - Number(isTestPath(a.p)));
  if (!projects.length) return [];
  const sln = ctx.paths.some((p) => !p.includes('/') && /\.slnx?$/.test(p));
  return [{
    id: 'dotnet:.', framework: 'dotnet', command: sln ? 'dotnet test' : `dotnet test ${projects[0].p}`,
    commands: projects.map((x) => `dotnet test ${x.p}`), cwd: '', evidence: projects.map((x) => x.e),
    detail: [`Test projects: ${projects.map((x) => x.p).join(', ')}.`],
  }];
}

/** `option(ACME_BUILD_TESTS "Build tests" OFF)`, `cmake_dependent_option(...)`: a switch that may be off unless the build asks for the tests. */
const CMAKE_TEST_OPTION = /^\s*(?:cmake_dependent_)?option\s*\(\s*(\w*TEST\w*)\b/i;
/** The same, with its default `OFF` (the call may span lines). */
const CMAKE_OFF_OPTION = /^\s*(?:cmake_dependent_)?option\s*\(\s*\w+\s+"[^"]*"\s+OFF\b/i;
/** An option that turns something off: off by default, the thing stays on. */
const NEGATIVE_OPTION = /^(DISABLE|NO|SKIP|WITHOUT|EXCLUDE)_|_(DISABLE|DISABLED|OFF)$/i;

/** Calls that add one test (or one executable's tests), not the suite. */
const CMAKE_ADD_TEST_CALLS = 'add_test|gtest_discover_tests|catch_discover_tests';
/** A call that registers tests with CTest. */
const CMAKE_TEST_CALL = new RegExp(String.raw`^\s*(enable_testing|${CMAKE_ADD_TEST_CALLS})\s*\(`, 'i');
const CMAKE_ADD_TEST = new RegExp(String.raw`^\s*(${CMAKE_ADD_TEST_CALLS})\s*\(`, 'i');
/** A call that turns the whole suite on. */
const CMAKE_SUITE_CALL = /^\s*(enable_testing\s*\(|add_subdirectory\s*\(\s*\S*tests?\b)/i;

/**
 * Whether the blocks that `guard` opens gate the tests: one turns the suite on (`enable_testing()`,
 * `add_subdirectory(tests)`), or they hold every test the build files add. `if(ENABLE_SSL_TESTS)` around one
 * definition, or `if(FMT_CUDA_TEST)` around one more test, only adds to the tests that run anyway.
 */
function guardsTests(lists: string[][], guard: RegExp): boolean {
  let inside = 0;
  let outside = 0;
  for (const lines of lists) {
    const guarded = new Set<number>();
    for (let i = 0; i < lines.length; i++) {
      if (!guard.test(lines[i])) continue;
      for (let j = i + 1, depth = 1; j < lines.length && depth > 0; j++) {
        if (/^\s*if\s*\(/i.test(lines[j])) depth++;
        else if (/^\s*endif\s*\(/i.test(lines[j])) depth--;
        else if (depth === 1 && /^\s*else(if)?\s*\(/i.test(lines[j])) break;
        else if (CMAKE_SUITE_CALL.test(lines[j])) return true;
        guarded.add(j);
      }
    }
    for (let i = 0; i < lines.length; i++) {
      if (!CMAKE_ADD_TEST.test(lines[i])) continue;
      if (guarded.has(i)) inside++;
      else outside++;
    }
  }
  return inside > 0 && outside === 0;
}

function cmakeHooks(ctx: Context): Hook[] {
  const lists = ctx.named('CMakeLists.txt');
  const evidence = lists.flatMap((p) => ctx.linesOf(p, CMAKE_TEST_CALL, 5));
  if (!evidence.length) return [];
  // The tests build only when an option that is off by default guards them (`if(ACME_BUILD_TESTS)`): turn the first on.
  let option: string | undefined;
  for (const p of lists) {
    for (const line of ctx.linesOf(p, CMAKE_TEST_OPTION)) {
      const text = ctx.lines(p);
      const name = CMAKE_TEST_OPTION.exec(text[line.startLine - 1])![1];
      if (!CMAKE_OFF_OPTION.test(text.slice(line.startLine - 1, line.startLine + 3).join(' '))) continue;
      // `option(DISABLE_TESTS ... OFF)` guarded by `if(NOT DISABLE_TESTS)` is already the way that builds them.
      if (NEGATIVE_OPTION.test(name)) continue;
      const guard = new RegExp(`^\\s*(else)?if\\s*\\((.*[\\s(])?(?<!\\bNOT\\s+)${name}(\\s|\\))`, 'i');
      if (!option && guardsTests(lists.map((l) => ctx.lines(l)), guard)) {
        option = name;
        evidence.unshift(line);
      }
    }
  }
  const flag = option ? ` -D${option}=ON` : '';
  return [{
    id: 'ctest:.', framework: 'ctest', command: `cmake -S . -B build${flag} && cmake --build build && ctest --test-dir build`,
    commands: ['ctest --test-dir build', 'ctest --test-dir build -R NAME'], cwd: '', evidence: evidence.slice(0, 10),
    detail: option ? [`The tests build only with \`${option}=ON\`.`] : [],
  }];
}

/**
 * Automake's test suite (`TESTS = tests/jqtest ...`), run by `make check` once `configure` has made the Makefile: in
 * the root Makefile.am or in one its `SUBDIRS` reach (jansson's `test/Makefile.am`).
 */
function automakeHooks(ctx: Context): Hook[] {
  if (!ctx.all.has('Makefile.am') || makefiles(ctx).includes('Makefile')) return [];
  const suite: Evidence[] = [];
  const queue = ['Makefile.am'];
  for (let i = 0; i < queue.length && suite.length < 3; i++) {
    const am = queue[i];
    suite.push(...ctx.linesOf(am, /^\s*(TESTS|check_PROGRAMS|check_SCRIPTS)\s*\+?=/, 3 - suite.length));
    const dir = dirName(am);
    for (const sub of subdirsOf(ctx.text(am) ?? '')) {
      const next = `${dir ? `${dir}/` : ''}${sub}/Makefile.am`;
      if (ctx.all.has(next) && !queue.includes(next)) queue.push(next);
    }
  }
  if (!suite.length) return [];
  const configure = ctx.all.has('configure') ? './configure' : ctx.all.has('configure.ac') || ctx.all.has('configure.in') ? 'autoreconf -i && ./configure' : undefined;
  if (!configure) return [];
  return [{
    id: 'automake:.', framework: 'automake', command: `${configure} && make check`,
    commands: ['make check'], cwd: '', evidence: suite, detail: ['`make check` builds and runs the programs and scripts `TESTS` names.'],
  }];
}

/** The folders `SUBDIRS = doc src test` names (continued lines joined; `.` and variables left out). */
function subdirsOf(makefileAm: string): string[] {
  const value = /^\s*SUBDIRS\s*\+?=((?:[^\n]*\\\n)*[^\n]*)/m.exec(makefileAm)?.[1] ?? '';
  return value.replace(/\\\n/g, ' ').split(/\s+/).filter((d) => d && d !== '.' && !d.includes('$'));
}

function hookNote(ctx: Context, hook: Hook, map: Map<string, Set<string>>): Note {
  const covers = new Set<string>();
  for (const [test, sources] of map) {
    if (!hook.cwd || test.startsWith(hook.cwd + '/')) for (const s of sources) covers.add(s);
  }
  const body = [
    `Run the tests with \`${hook.command}\` (${hook.framework}).`,
    ...hook.detail,
    otherCommands(hook),
    `Defined at ${hook.evidence.map((e) => `${e.path}:${e.startLine}`).join(', ')}.`,
  ].filter(Boolean).join('\n\n');
  return note(ctx, {
    id: `test-hook:${hook.id}`,
    title: `Tests: ${hook.framework}${hook.cwd ? ` in ${hook.cwd}` : ''}`,
    body,
    evidence: hook.evidence,
    paths: hook.evidence.map((e) => e.path),
    subject: hook.cwd || undefined,
    // The project's own command sits at its root; one in a sub-project answers only questions about that part.
    score: hook.cwd ? 0.45 : 0.9,
    meta: { command: hook.command, commands: hook.commands, framework: hook.framework, cwd: hook.cwd, covers: [...covers].sort() },
  });
}

function note(
  ctx: Context,
  n: { id: string; title: string; body: string; evidence: Evidence[]; paths: string[]; subject?: string; score: number; meta: Record<string, unknown> },
): Note {
  const dependsOn: Record<string, string> = {};
  for (const p of [...new Set(n.paths)].sort()) {
    const h = ctx.hash(p);
    if (h) dependsOn[p] = h;
  }
  const out: Note = {
    id: n.id, kind: 'test-hook', title: n.title, body: n.body, evidence: n.evidence, dependsOn, origin: 'static',
    stale: false, createdAt: ctx.input.now, score: n.score, meta: n.meta,
  };
  if (n.subject) out.subject = n.subject;
  return out;
}

/**
 * The index among `folders` of the first that holds test data or test helpers, or -1. A helper folder counts inside
 * a test folder only: the project's own `mock/` or `utils/` package keeps its tests (`mock/mock_test.go`).
 */
function supportDirIndex(folders: string[]): number {
  return folders.findIndex((d, k) => DATA_DIR.test(d) || (HELPER_DIR.test(d) && folders.slice(0, k).some((x) => TEST_DIR.test(x))));
}

/** Test files that hold tests (not fixtures or helper data). */
function testFiles(ctx: Context): string[] {
  return ctx.input.scan.files
    .filter((f) => f.language !== null && isTestPath(f.path) && !HELPER_FILE.test(f.path))
    .filter((f) => supportDirIndex(f.path.split('/').slice(0, -1)) < 0)
    .map((f) => f.path);
}

function sourceFiles(ctx: Context): string[] {
  return ctx.input.scan.files.filter((f) => f.language !== null && !isTestPath(f.path)).map((f) => f.path);
}

/** The name a test file is named after, case kept (`foo.test.ts`, `test_foo.py`, `FooTest.java`, `FooTester.cs` -> `foo`, `Foo`). */
function testedName(test: string): string {
  return baseName(test).replace(/\.[^.]+$/, '')
    .replace(/\.(test|spec)$/i, '').replace(/_(unit)?(tests?|spec)$/, '').replace(/^tests?_/, '')
    .replace(/(Tests?|Tester|IT|Spec)$/, '');
}

/** The source name a test file is named after, lower-cased. */
function testedStem(test: string): string {
  return testedName(test).toLowerCase();
}

/** The words of the name a test file is named after: `CharRangeReadObjectTest.java` -> Char, Range, Read, Object. */
function testedWords(test: string): string[] {
  return testedName(test).split(/[_.-]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
}

/** A test named after the class it tests (`FooTest.java`, `FooTests.cs`): the class's name. */
const CLASS_TEST = /^([A-Z][A-Za-z0-9]*?)(?:Tests?|Tester|IT|Spec)\.(?:java|kt|cs|php|scala|groovy|swift)$/;

function stemOf(path: string): string {
  return baseName(path).replace(/(\.d)?\.[^.]+$/, '').toLowerCase();
}

const FAMILY: Record<string, string> = { typescript: 'js', tsx: 'js', javascript: 'js', c: 'c', cpp: 'c' };

/** Path segments that carry no meaning for matching test and source folders. */
const NEUTRAL_DIR = /^(src|lib|app|main|java|kotlin|python|tests?|__tests__|specs?|unit|integration|e2e|source)$/i;

function meaningfulDirs(path: string): string[] {
  return path.split('/').slice(0, -1).filter((d) => !NEUTRAL_DIR.test(d));
}

/** How many trailing folders `a` and `b` share. */
function commonSuffix(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Names of the helpers tests share, which test nothing called so. */
const GENERIC_TEST_HELPER = /^(helpers?|utils?|utilities|common|support|setup|shared|base|fixtures?|mocks?|testutils?|assemblyinfo)$/i;
const PACKAGE_MANIFEST = /^(Cargo\.toml|package\.json|pyproject\.toml|setup\.py|go\.mod|pom\.xml|build\.gradle(\.kts)?|composer\.json|[^/]+\.gemspec|[^/]+\.csproj)$/;

/** The folder of the package (crate, workspace member, project) a path belongs to: '' for the repository's own. */
function packageRoots(paths: string[]): (path: string) => string {
  const roots = new Set(paths.filter((p) => PACKAGE_MANIFEST.test(baseName(p))).map(dirName));
  return memoized((p: string): string => {
    for (let d = dirName(p); d; d = dirName(d)) if (roots.has(d)) return d;
    return '';
  });
}

/** test path -> source paths it exercises, by naming convention and by imports. */
function sourceTestMap(ctx: Context): Map<string, Set<string>> {
  const sources = sourceFiles(ctx);
  const langOf = new Map(ctx.input.scan.files.map((f) => [f.path, f.language]));
  const byStem = new Map<string, string[]>();
  for (const s of sources) {
    const k = stemOf(s) === 'index' || stemOf(s) === '__init__' ? baseName(dirName(s)).toLowerCase() : stemOf(s);
    pushTo(byStem, k.replace(/-/g, ''), s);
  }
  /** Sources named `stem`, hyphens aside (`map-set.js` tests `mapset.ts`), else its plural or singular (`patch.js`, `patches.ts`). */
  const namedLike = (stem: string): string[] => {
    const k = stem.replace(/-/g, '');
    return byStem.get(k) ?? byStem.get(`${k}s`) ?? byStem.get(`${k}es`) ?? (k.endsWith('s') ? byStem.get(k.replace(/e?s$/, '')) ?? byStem.get(k.slice(0, -1)) : undefined) ?? [];
  };
  const sourceSet = new Set(sources);
  const family = (p: string): string => {
    const l = langOf.get(p);
    return l ? (FAMILY[l] ?? l) : '';
  };
  const dirsOf = new Map<string, string[]>();
  const map = new Map<string, Set<string>>();
  const packageOf = packageRoots(ctx.paths);
  const withSources = new Set(sources.map(packageOf));
  for (const test of testFiles(ctx)) {
    const found = new Set<string>();
    const stem = testedStem(test);
    // A helper beside the tests (`test/helper.rb`, `tests/utils.py`, `Properties/AssemblyInfo.cs`) tests nothing of its name.
    const helper = stem === stemOf(test) && GENERIC_TEST_HELPER.test(stem);
    // `test_auth.py` also tests Python's private module `_auth.py`; a helper named `utils.py` does not test `_utils.py`.
    const named = helper ? [] : [...namedLike(stem), ...(stem !== stemOf(test) ? (byStem.get(`_${stem}`) ?? []) : [])];
    // In a repository of several packages (crates, workspace members), a test names the sources of its own package,
    // unless that package is all tests (`moshi-kotlin-tests`, `Acme.Tests.csproj`).
    const ownPackage = withSources.has(packageOf(test)) ? packageOf(test) : '';
    // A test named like an example (`tests/blocking.rs`, `examples/blocking.rs`) does not test it, unless it sits beside it.
    const besideTest = isBesidePath(test);
    // `IsTest.php` tests the class `Is`, not the locale file `is.php`: class names keep their case.
    const testedClass = CLASS_TEST.exec(baseName(test))?.[1];
    const fits = (s: string, cls: string | undefined): boolean =>
      family(s) === family(test) && (besideTest || !isBesidePath(s)) && (!cls || baseName(s).startsWith(`${cls}.`)) &&
      (ownPackage === '' || packageOf(s) === ownPackage);
    let candidates = named.filter((s) => fits(s, testedClass));
    // Named after no source: a test of one aspect is named after what it tests and then the aspect
    // (`CharRangeReadObjectTest.java`, `mapstructure_bugs_test.go`): the longest leading words that name one.
    const words = helper ? [] : testedWords(test);
    for (let n = words.length - 1; !candidates.length && n >= 1; n--) {
      const prefix = words.slice(0, n).join('');
      candidates = namedLike(prefix.toLowerCase()).filter((s) => fits(s, testedClass && prefix));
    }
    if (candidates.length) {
      const testDirs = meaningfulDirs(test);
      const rawTestDirs = test.split('/').slice(0, -1);
      // Folders in common, layout folders left out; then, to tell apart `commands/source/remove.py` from
      // `commands/python/remove.py` for `commands/source/test_remove.py`, the folders as they are.
      const score = (s: string): number => {
        let d = dirsOf.get(s);
        if (!d) dirsOf.set(s, (d = meaningfulDirs(s)));
        const main = (dirName(s) === dirName(test) ? 100 : 0) + commonSuffix(d, testDirs) * 10 - Math.abs(d.length - testDirs.length);
        return main * 100 + commonSuffix(s.split('/').slice(0, -1), rawTestDirs);
      };
      const best = Math.max(...candidates.map(score));
      candidates.filter((s) => score(s) === best).slice(0, 3).forEach((s) => found.add(s));
    }
    for (const s of ctx.input.imports?.get(test) ?? []) if (sourceSet.has(s)) found.add(s);
    if (found.size) map.set(test, found);
  }
  return map;
}

/**
 * The environments of a tox `envlist` (`env_list`) at `lines[at]`, its continuation lines included, generative names expanded:
 * `envlist =` / `    py{39,38}-django{3,4}` / `    style` -> py39-django3, py39-django4, py38-django3, py38-django4, style.
 */
function toxEnvs(lines: string[], at: number): string[] {
  let text = lines[at].slice(lines[at].indexOf('=') + 1);
  for (let i = at + 1; i < lines.length && /^\s+\S/.test(lines[i]) && !/^\s*[\w.-]+\s*=/.test(lines[i]); i++) text += `\n${lines[i]}`;
  const names = text.replace(/\s*#.*$/gm, '').match(/(?:[^\s,{}]|\{[^{}]*\})+/g) ?? [];
  return names.flatMap(expandBraces);
}

/** `py{39,38}-x{1,2}` -> py39-x1, py39-x2, py38-x1, py38-x2. */
function expandBraces(name: string): string[] {
  const m = /\{([^{}]*)\}/.exec(name);
  if (!m) return [name];
  return m[1].split(',').flatMap((part) => expandBraces(name.slice(0, m.index) + part.trim() + name.slice(m.index + m[0].length)));
}

/** Commands a test-hook note lists besides its main one; its meta keeps them all. */
const OTHER_COMMANDS_SHOWN = 10;

/** `Other commands: \`tox -e py39\`, ...`, the first few, or '' when there is none. */
function otherCommands(hook: Hook): string {
  const others = hook.commands.filter((c) => c !== hook.command);
  if (!others.length) return '';
  const more = others.length - OTHER_COMMANDS_SHOWN;
  return `Other commands: ${others.slice(0, OTHER_COMMANDS_SHOWN).map((c) => `\`${c}\``).join(', ')}${more > 0 ? `, and ${more} more` : ''}.`;
}

/** Sources listed per test in the map note; the note's `meta.map` keeps them all. */
const SOURCES_SHOWN = 5;

/** A test's sources as the map note lists them: those named like it first (as found), then the ones it imports, the first few. */
function sourceList(sources: string[]): string {
  const more = sources.length - SOURCES_SHOWN;
  return sources.slice(0, SOURCES_SHOWN).join(', ') + (more > 0 ? `, and ${more} more it imports` : '');
}

function sourceMapNote(ctx: Context, map: Map<string, Set<string>>): Note | undefined {
  if (!map.size) return undefined;
  const entries = [...map].sort(([a], [b]) => (a < b ? -1 : 1));
  const covers = [...new Set(entries.flatMap(([, s]) => [...s]))].sort();
  const covered = new Set(covers);
  const uncovered = sourceFiles(ctx).filter((s) => !covered.has(s));
  const shown = entries.slice(0, 60);
  const cited = entries.slice(0, 50).map(([t]) => t);
  const body = [
    `${entries.length} test file(s) mapped to ${covers.length} source file(s) by name and imports; ${uncovered.length} source file(s) have no matching test.`,
    '',
    ...shown.map(([t, s]) => `- ${t}:1 -> ${sourceList([...s])}`),
    ...(entries.length > shown.length ? [`- ... ${entries.length - shown.length} more`] : []),
  ].join('\n');
  const mapMeta: Record<string, string[]> = {};
  for (const [t, s] of entries) mapMeta[t] = [...s].sort();
  return note(ctx, {
    id: MAP_ID,
    title: 'Which tests exercise which sources',
    body,
    evidence: cited.map((t) => ctx.first(t)),
    // The tests it cites, not every file it maps: an edit to any of those would rewrite this large note.
    paths: cited,
    score: 0.7,
    meta: { framework: 'any', map: mapMeta, covers, uncovered: uncovered.slice(0, 200) },
  });
}

const KIND_WEIGHT: Record<string, number> = { function: 1, method: 0.9, class: 1, struct: 0.8, trait: 0.8, enum: 0.5, interface: 0.4, type: 0.3 };

/** Constructors and Python's dunder methods run without being named: a test of the class runs them. */
const CONSTRUCTOR = /^(__\w+__|constructor|initialize|__construct)$/;
/**
 * Methods of the standard traits and overrides, which the language calls for the code that uses the type (`fmt` when
 * a value is formatted, `eq` for `==`, `toString`, `GetHashCode`): a test of the type runs them without naming them.
 */
const STANDARD_METHOD = /^(fmt|from|try_from|into|eq|ne|cmp|partial_cmp|hash|clone|default|drop|deref|deref_mut|as_ref|as_mut|borrow|from_str|index|index_mut|toString|equals|hashCode|compareTo|ToString|Equals|GetHashCode|CompareTo|Dispose)$/;

/** Names of test cases and test functions: `SanityTests`, `test_all_schemas_are_valid`, `TestParse`. */
const TEST_CODE_NAME = /^(test_\w+|Test[A-Z]\w*)$|[a-z]Tests?$/;
/** Definitions no test calls by name. */
const UNTESTABLE_KINDS = new Set(['module', 'constant', 'variable']);
/** Kinds whose privacy hides their members (`private static final class TextField`, C#'s `internal class`). */
const HIDING_KINDS = new Set(['class', 'struct', 'enum', 'trait']);
/** Python build and tooling scripts: `noxfile.py`, `setup.py`, Sphinx's `conf.py`, Django's `manage.py`. */
const PYTHON_TOOLING = /(^|\/)(noxfile|setup|conf|fabfile|manage)\.py$/;

/** A Python private module (`pkg/_utils.py`, `pkg/_impl/x.py`) or tooling script: reached through the package's API, if at all. */
function notTheApi(path: string, fa: FileAnalysis): boolean {
  return fa.language === 'python' && (PYTHON_TOOLING.test(path) || path.split('/').some((part) => /^_(?!_)/.test(part)));
}

function isCalledImplicitly(def: SymbolDef): boolean {
  return CONSTRUCTOR.test(def.name) || def.name === def.parent || (def.kind === 'method' && STANDARD_METHOD.test(def.name));
}

const fileWords = new WeakMap<FileAnalysis, string[]>();

/** The terms of a file's content vector, read once per analysis of the file. */
function wordsOf(fa: FileAnalysis): string[] {
  let words = fileWords.get(fa);
  if (!words) fileWords.set(fa, (words = termCounts(fa.terms).map(([t]) => t)));
  return words;
}

function untestedNote(ctx: Context): Note | undefined {
  const tests = ctx.input.scan.files.filter((f) => isTestPath(f.path) && ctx.input.files.has(f.path)).map((f) => f.path);
  if (!tests.length) return undefined;
  const named = new Set<string>();
  for (const t of tests) {
    const fa = ctx.input.files.get(t);
    for (const r of fa?.refs ?? []) named.add(r.name);
    // A name a test imports is one it mentions (`from attr.exceptions import FrozenError`, `import com.acme.Key;`).
    for (const imp of fa?.imports ?? []) for (const w of imp.source.split(/[^\w$]+/)) if (w) named.add(w);
  }
  // A name the tests write in a form no tag captures (`Faraday::Error`, `(*Logger).WithLazy`, a function passed as a
  // value) is still in their words: a symbol is untested only if its whole name is in none of them.
  const words = new Set<string>();
  for (const t of tests) {
    const fa = ctx.input.files.get(t);
    if (fa) for (const w of wordsOf(fa)) words.add(w);
  }
  const usage = new Map<string, number>();
  for (const [p, fa] of ctx.input.files) if (!isTestPath(p)) for (const r of fa.refs) usage.set(r.name, (usage.get(r.name) ?? 0) + (r.count ?? 1));
  const candidates: { path: string; def: SymbolDef; score: number }[] = [];
  for (const [p, fa] of ctx.input.files) {
    // Examples, benchmarks, vendored copies, type declarations, build scripts and private modules are not the API the tests are for.
    if (isTestPath(p) || isBesidePath(p) || isVendoredPath(p) || fa.language === null || isDeclarationPath(p) || notTheApi(p, fa)) continue;
    const interfaces = new Set(fa.defs.filter((d) => d.kind === 'interface').map((d) => d.name));
    // A private or internal class's members are not API, whatever their own modifiers say.
    const hidden = new Set(fa.defs.filter((d) => !d.exported && HIDING_KINDS.has(d.kind)).map((d) => d.name));
    /** Overloads (`append(int)`, `append(long)`) are one symbol. */
    const listed = new Set<string>();
    for (const def of fa.defs) {
      // A namespace or module is no unit a test calls (`namespace Ramsey\Uuid\Builder;`, `module Puma`), nor is a
      // constant or variable, nor an interface's method (the tests call its implementations), nor a private class's.
      if (!def.exported || UNTESTABLE_KINDS.has(def.kind) || named.has(def.name) || def.name.length < 2 || isCalledImplicitly(def) || words.has(identifierTerm(def.name) ?? '')) continue;
      const owner = def.parent?.split(/[.:]/).pop();
      if (owner !== undefined && (interfaces.has(owner) || hidden.has(owner) || (fa.language === 'python' && owner.startsWith('_')))) continue;
      const key = `${def.parent ?? ''}.${def.name}`;
      if (listed.has(key)) continue;
      listed.add(key);
      // Test code outside a test-named file: a `SanityTests` case class and its `test_*` methods.
      if (TEST_CODE_NAME.test(def.name) || TEST_CODE_NAME.test(owner ?? '')) continue;
      const size = def.endLine - def.startLine + 1;
      const score = (KIND_WEIGHT[def.kind] ?? 0.3) * (1 + Math.log2(1 + (usage.get(def.name) ?? 0))) * (1 + Math.log2(size) / 4);
      candidates.push({ path: p, def, score });
    }
  }
  if (!candidates.length) return undefined;
  candidates.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.def.startLine - b.def.startLine));
  const top = candidates.slice(0, 40);
  const body = [
    `${candidates.length} exported symbol(s) are not referenced by name in any of the ${tests.length} test file(s); the most used and largest first:`,
    '',
    ...top.map((c) => `- \`${c.def.parent ? c.def.parent + '.' : ''}${c.def.name}\` (${c.def.kind}) ${c.path}:${c.def.startLine}`),
    ...(candidates.length > top.length ? [`- ... ${candidates.length - top.length} more`] : []),
  ].join('\n');
  return note(ctx, {
    id: UNTESTED_ID,
    title: 'Public symbols no test mentions',
    body,
    evidence: top.slice(0, 30).map((c) => ({ path: c.path, startLine: c.def.startLine, endLine: c.def.endLine })),
    paths: top.map((c) => c.path),
    score: 0.6,
    meta: { framework: 'any', untested: top.map((c) => ({ path: c.path, name: c.def.name, line: c.def.startLine })), total: candidates.length },
  });
}

function fixturesNote(ctx: Context): Note | undefined {
  const evidence: Evidence[] = [];
  const lines: string[] = [];
  const fixtures: string[] = [];
  for (const conf of ctx.named('conftest.py')) {
    const src = ctx.lines(conf);
    src.forEach((l, i) => {
      if (!/^\s*@pytest\.fixture/.test(l)) return;
      const j = src.findIndex((x, k) => k > i && /^\s*(async\s+)?def\s+\w+/.test(x));
      const name = j < 0 ? undefined : src[j].match(/def\s+(\w+)/)?.[1];
      if (!name || j - i > 3) return;
      fixtures.push(name);
      if (evidence.length < 30) evidence.push({ path: conf, startLine: j + 1, endLine: j + 1 });
      lines.push(`- pytest fixture \`${name}\` ${conf}:${j + 1}`);
    });
  }
  const helperFiles = ctx.paths.filter((p) => HELPER_FILE.test(p) && !p.endsWith('conftest.py'));
  for (const h of helperFiles.slice(0, 20)) {
    evidence.push(ctx.first(h));
    lines.push(`- setup/helper file ${h}:1`);
  }
  const dirs = new Map<string, number>();
  for (const p of ctx.input.scan.files.map((f) => f.path)) {
    const segs = p.split('/').slice(0, -1);
    const i = supportDirIndex(segs);
    if (i < 0) continue;
    const dir = segs.slice(0, i + 1).join('/');
    dirs.set(dir, (dirs.get(dir) ?? 0) + 1);
  }
  const dirList = [...dirs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 20);
  for (const [dir, count] of dirList) {
    const sample = ctx.input.scan.files.find((f) => f.path.startsWith(dir + '/'))?.path;
    if (sample && evidence.length < 40) evidence.push(ctx.first(sample));
    lines.push(`- ${dir}/ (${count} file(s))${sample ? `, e.g. ${sample}:1` : ''}`);
  }
  if (!lines.length) return undefined;
  return note(ctx, {
    id: 'test-hook:fixtures',
    title: 'Shared test fixtures and helpers',
    body: ['Reuse these when writing new tests:', '', ...lines.slice(0, 80)].join('\n'),
    evidence,
    paths: evidence.map((e) => e.path),
    score: 0.5,
    meta: { framework: 'any', fixtures, helpers: helperFiles, dirs: dirList.map(([d]) => d) },
  });
}
