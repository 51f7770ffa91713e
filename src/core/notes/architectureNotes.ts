import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAIN_GUARD_DETAIL, type EntryPoint } from '../structure/entryPoints';
import { countBy, partition } from '../multimap';
import { isDeclarationPath } from '../scan/languages';
import { isPeripheralPath } from '../structure/peripheral';
import { goModuleName, goModulePath, type Component, type RankedSymbol, type Structure } from '../structure/structure';
import type { Evidence, FileAnalysis, HistoryResult, Note } from '../types';
import { counted, thousands } from '../plural';
import { tomlSectionName } from '../tomlName';

export interface ArchitectureInput {
  repoName: string;
  files: Map<string, FileAnalysis>;
  structure: Structure;
  entryPoints: EntryPoint[];
  history: HistoryResult;
  now: string;
}

/** The architecture overview note plus one note per component. */
export function buildArchitectureNotes(input: ArchitectureInput): Note[] {
  const ordered = ownFirst(input.structure.components, componentPath);
  return [overview(input, ordered), ...pickComponents(ordered, 40, 8).map((c) => componentNote(input, c))];
}

/** Error types used everywhere: `InvalidArgumentException`, `ParseError`, `ExceptionInterface`. */
const ERROR_TYPE = /(Error|Exception)s?(Interface)?$/;

/** Whether every definition of `f` is an error type, a member of one, or a constant beside them (marshmallow's `SCHEMA`). */
function definesErrorTypesOnly(f: FileAnalysis): boolean {
  return f.defs.some((d) => ERROR_TYPE.test(d.name)) && f.defs.every((d) => ERROR_TYPE.test(d.name) ? d.kind !== 'function' : ERROR_TYPE.test(d.parent?.split(/[.:]/).pop() ?? '') || d.kind === 'module' || d.kind === 'constant');
}

/** The overview; `ordered` are the components, the project's own first. */
function overview(input: ArchitectureInput, ordered: Component[]): Note {
  const { files, structure, entryPoints, history } = input;
  const code = [...files.values()].filter((f) => f.language);
  const lines = code.reduce((n, f) => n + f.lines, 0);
  const langs = countLanguages(code);
  const ev = new EvidenceList(files);
  const out: string[] = [];
  out.push(`# Architecture overview: ${input.repoName}`, '');
  const hist = history.available
    ? ` History: ${counted(history.totalCommits, 'commit')}${history.shallow ? ' (shallow clone)' : ''}${history.lastCommitDate ? `, last on ${history.lastCommitDate.slice(0, 10)}` : ''}.`
    : ' No git history.';
  out.push(`${counted(code.length, 'source file')}, ${counted(lines, 'line')} (${langs}), in ${counted(structure.components.length, 'component')}.${hist}`, '');

  out.push('## Components', '');
  out.push('| Component | Files | Lines | Depends on |', '|---|---|---|---|');
  const listed = pickComponents(ordered, 25, 3);
  for (const c of listed) {
    const deps = c.dependsOn.slice(0, 4).map((d) => `\`${d.component}\``).join(', ') || '-';
    out.push(`| \`${c.id}\` | ${c.files.length} | ${thousands(c.lines)} | ${deps} |`);
  }
  const unlisted = structure.components.filter((c) => !listed.includes(c));
  if (unlisted.length) out.push('', `And ${unlisted.length} more: ${countByFolder(unlisted.map((c) => c.id.split('/')[0]))}.`);
  out.push('');
  for (const c of listed.slice(0, 12)) {
    const key = ownFirst(c.files, (p) => p)[0];
    const doc = files.get(key)?.doc;
    const line = `- **\`${c.id}\`**: key file ${ev.cite(key, firstDefLine(files.get(key)))}${doc ? ` - ${oneLine(doc)}` : ''}${c.dependsOn.length ? `; uses ${c.dependsOn.slice(0, 3).map((d) => `\`${d.component}\``).join(', ')}` : ''}`;
    out.push(/[.!?]$/.test(line) ? line : `${line}.`);
  }
  out.push('');

  if (entryPoints.length) {
    out.push('## Entry points', '');
    const shown = pickEntryPoints(orderEntryPoints(entryPoints, structure), 15, 3);
    for (const e of shown) out.push(`- ${e.kind}: ${e.detail} (${ev.cite(e.path, e.line)})`);
    if (entryPoints.length > shown.length) out.push(`- and ${entryPoints.length - shown.length} more: ${countByFolder(entryPoints.filter((e) => !shown.includes(e)).map((e) => path.posix.dirname(e.path)))}.`);
    out.push('');
  }

  // A barrel that only re-exports passes everything on without holding any of it: it is listed among the hubs.
  const ranked = Object.entries(structure.fileRank);
  const defining = ranked.filter(([p]) => (files.get(p)?.defs.length ?? 0) > 0);
  // An error type is used everywhere and explains little: files that define nothing else are named after the list.
  const errorsOnly = new Set(defining.filter(([p]) => definesErrorTypesOnly(files.get(p)!)).map(([p]) => p));
  const explaining = defining.filter(([p]) => !errorsOnly.has(p));
  const central = topOwnFirst(explaining.length >= 3 ? explaining : defining.length >= 3 ? defining : ranked, 10, ([, rank]) => rank, ([p]) => p);
  if (central.length) {
    out.push('## Most central files', '', 'Ranked by PageRank over imports and symbol references: a change here reaches the most code.', '');
    const usedBy = countUsers(structure);
    for (const [p, rank] of central) {
      const f = files.get(p);
      const top = keySymbols(f, structure, 3).map((n) => `\`${n}\``).join(', ');
      out.push(`- ${ev.cite(p, firstDefLine(f))} (rank ${rank.toFixed(2)}, used by ${counted(usedBy.get(p) ?? 0, 'file')})${top ? `: defines ${top}` : ''}${f?.doc ? ` - ${oneLine(f.doc)}` : ''}`);
    }
    const lowest = central.at(-1)![1];
    const passed = topOwnFirst(defining.filter(([p, rank]) => errorsOnly.has(p) && rank > lowest && !central.some(([c]) => c === p)), 5, ([, rank]) => rank, ([p]) => p);
    if (passed.length) out.push(`- Left out, though they rank higher: ${passed.map(([p]) => ev.cite(p, firstDefLine(files.get(p)))).join(', ')}, which only define error types.`);
    out.push('');
  }

  const symbols = oncePerName(ownFirst(structure.symbols, (s) => s.path)).slice(0, 10);
  if (symbols.length) {
    out.push('## Central symbols', '', 'Ranked by how central the files that use them are (PageRank passed on along references), not by how many use them.', '');
    for (const [s, more] of symbols) {
      const also = more ? `, and ${counted(more, 'other definition')}` : '';
      out.push(`- ${s.kind} \`${s.name}\` (${ev.cite(s.path, s.startLine, s.endLine)}${also}), referenced from ${counted(s.usedBy, 'file')}`);
    }
    out.push('');
  }

  if (structure.hubs.length) {
    out.push('## Hubs', '');
    for (const h of ownFirst(structure.hubs, (h) => h.path).slice(0, 6)) out.push(`- ${ev.cite(h.path, firstDefLine(files.get(h.path)))}: used by ${counted(h.usedBy, 'file')}, uses ${h.uses}`);
    out.push('');
  }

  if (structure.cycles.length || structure.componentCycles.length) {
    out.push('## Dependency cycles', '');
    for (const c of structure.componentCycles.slice(0, 5)) out.push(`- components ${c.map((x) => `\`${x}\``).join(' <-> ')}`);
    for (const c of structure.cycles.slice(0, 5)) out.push(`- files ${c.slice(0, 6).map((p) => ev.cite(p, 1)).join(' <-> ')}${c.length > 6 ? ` and ${c.length - 6} more` : ''}`);
    out.push('');
  }

  if (history.available) {
    const changed = Object.entries(history.files).filter(([p]) => files.get(p)?.language);
    const hot = topOwnFirst(changed, 6, ([, h]) => h.commits, ([p]) => p);
    if (hot.length) {
      out.push('## Change hotspots', '');
      for (const [p, h] of hot) out.push(`- ${ev.cite(p, 1)}: ${h.commits} commits, ${h.fixCommits} fixes${h.lastChanged ? `, last ${h.lastChanged.slice(0, 10)}` : ''}`);
      out.push('');
    }
  }

  return note({
    id: 'architecture:overview',
    kind: 'architecture',
    title: OVERVIEW_TITLE + input.repoName,
    body: out.join('\n').trim(),
    evidence: ev.list(),
    dependsOn: ev.hashes(),
    subject: '.',
    score: 1,
    now: input.now,
    meta: { components: structure.components.length, entryPoints: entryPoints.length },
  });
}

/** Files that describe the package or module they open: `doc.go`, `__init__.py`, `lib.rs`, `index.ts`, `package-info.java`. */
const PACKAGE_DOC_FILE = /(^|\/)(doc\.go|__init__\.py|mod\.rs|lib\.rs|index\.[cm]?[jt]sx?|package-info\.java|package\.scala)$/;

/**
 * What a component says it is: the doc of the file that opens its package, in its folder or that folder's `src/`
 * (a crate's `lib.rs`). Another file's doc describes that file ("Basic Auth Middleware" is one middleware of many),
 * not the component.
 */
function packageDoc(c: Component, files: ReadonlyMap<string, FileAnalysis>): string | undefined {
  const homes = new Set([c.id, path.posix.join(c.id, 'src')]);
  const opener = c.files.find((p) => PACKAGE_DOC_FILE.test(p) && homes.has(path.posix.dirname(p)) && files.get(p)?.doc);
  return opener && files.get(opener)!.doc;
}

function componentNote(input: ArchitectureInput, c: Component): Note {
  const { files, structure, history } = input;
  const ev = new EvidenceList(files);
  const out: string[] = [];
  const langs = Object.entries(c.languages).map(([l, n]) => `${l} ${n}`).join(', ');
  out.push(`# Component \`${c.id}\``, '', `${counted(c.files.length, 'file')}, ${counted(c.lines, 'line')} (${langs}).`);
  const leadDoc = packageDoc(c, files);
  if (leadDoc) out.push('', oneLine(leadDoc));
  out.push('', '## Key files', '');
  for (const p of ownFirst(c.files, (p) => p).slice(0, 8)) {
    const f = files.get(p);
    const defs = keySymbols(f, structure, 4).map((n) => `\`${n}\``).join(', ');
    out.push(`- ${ev.cite(p, firstDefLine(f))}${defs ? `: ${defs}` : ''}${f?.doc ? ` - ${oneLine(f.doc)}` : ''}`);
  }
  const inComponent = new Set(c.files);
  const symbols = structure.symbols.filter((s) => inComponent.has(s.path)).slice(0, 8);
  if (symbols.length) {
    out.push('', '## Most used symbols', '');
    for (const s of symbols) out.push(`- ${s.kind} \`${s.name}\` (${ev.cite(s.path, s.startLine, s.endLine)}), used by ${counted(s.usedBy, 'file')}`);
  }
  if (c.dependsOn.length) {
    out.push('', '## Depends on', '');
    for (const d of c.dependsOn.slice(0, 8)) out.push(`- \`${d.component}\`${d.example ? ` (e.g. ${ev.cite(d.example.path, d.example.line)})` : ''}`);
  }
  const users = structure.components.filter((o) => o.dependsOn.some((d) => d.component === c.id));
  if (users.length) {
    out.push('', '## Used by', '');
    for (const u of users.slice(0, 8)) {
      const d = u.dependsOn.find((x) => x.component === c.id)!;
      out.push(`- \`${u.id}\`${d.example ? ` (e.g. ${ev.cite(d.example.path, d.example.line)})` : ''}`);
    }
  }
  if (history.available) {
    let commits = 0;
    let fixes = 0;
    for (const p of c.files) {
      commits += history.files[p]?.commits ?? 0;
      fixes += history.files[p]?.fixCommits ?? 0;
    }
    out.push('', `## Activity`, '', `${commits} file changes in history, ${fixes} in fix commits.`);
  }
  for (const p of c.files.slice(0, 30)) ev.depend(p);
  return note({
    id: `architecture:component:${c.id}`,
    kind: 'architecture',
    title: `Component ${c.id}`,
    body: out.join('\n'),
    evidence: ev.list(),
    dependsOn: ev.hashes(),
    subject: c.id,
    score: Math.min(1, c.rank / Math.max(1e-9, structure.components[0]?.rank ?? 1)),
    now: input.now,
    meta: { files: c.files.length },
  });
}

/** Collects cited ranges (clamped to real lines) and the hashes of the files cited. */
export class EvidenceList {
  private readonly items: Evidence[] = [];
  private readonly deps: Record<string, string> = {};
  constructor(private readonly files: Map<string, FileAnalysis>) {}

  /** `path:line` for the body, recording the evidence. */
  cite(p: string, startLine = 1, endLine = startLine): string {
    const f = this.files.get(p);
    if (!f) return `\`${p}\``;
    const max = Math.max(1, f.lines);
    const s = Math.min(Math.max(1, startLine), max);
    const e = Math.min(Math.max(s, endLine), max);
    if (!this.items.some((x) => x.path === p && x.startLine === s)) this.items.push({ path: p, startLine: s, endLine: e });
    this.depend(p);
    return `\`${p}:${s}\``;
  }

  depend(p: string): void {
    const f = this.files.get(p);
    if (f) this.deps[p] = f.hash;
  }

  list(): Evidence[] {
    return this.items;
  }

  hashes(): Record<string, string> {
    return this.deps;
  }
}

/** Fill in the fields every static note shares. */
export function note(n: Omit<Note, 'origin' | 'stale' | 'createdAt'> & { now: string }): Note {
  const { now, ...rest } = n;
  return { ...rest, origin: 'static', stale: false, createdAt: now };
}

const ENTRY_ORDER = ['bin', 'package', 'main', 'command', 'route'];

/**
 * The project's own entry points before those of tests, examples and vendored code; then executables, commands
 * and routes; within a kind, the more central file (a manifest's: the file it enters through) first.
 */
function orderEntryPoints(list: EntryPoint[], structure: Structure): EntryPoint[] {
  const rank = (e: EntryPoint): number => structure.fileRank[e.target ?? e.path] ?? 0;
  const aside = (e: EntryPoint): number => (isPeripheralPath(e.path) || e.conditional ? 1 : 0);
  const guard = (e: EntryPoint): number => (isMainGuard(e) ? 1 : 0);
  // What a manifest declares: the root project's (sinatra.gemspec) before a sub-project's (rack-protection/).
  const depth = (e: EntryPoint): number => (e.target || e.root !== undefined ? e.path.split('/').length : 0);
  return [...list].sort((a, b) => aside(a) - aside(b) || ENTRY_ORDER.indexOf(a.kind) - ENTRY_ORDER.indexOf(b.kind) || guard(a) - guard(b) || depth(a) - depth(b) || rank(b) - rank(a));
}

/**
 * A Python module's `if __name__ == "__main__":` guard: in a library it mostly runs a demo of the module (rich has
 * 54), so the package's `__main__.py` and `main()` functions come first, and one folder's guards count as one group.
 */
function isMainGuard(e: EntryPoint): boolean {
  return e.kind === 'main' && e.detail === MAIN_GUARD_DETAIL;
}

/**
 * The first `max` of `ordered`, at most `perGroup` of those that `cappedGroup` puts in one group (items it
 * leaves out, `undefined`, are never capped): 200 example programs say little more than 3.
 */
function pickCapped<T>(ordered: T[], max: number, perGroup: number, cappedGroup: (item: T) => string | undefined): T[] {
  const taken = new Map<string, number>();
  const out: T[] = [];
  for (const item of ordered) {
    const group = cappedGroup(item);
    if (group !== undefined) {
      const n = taken.get(group) ?? 0;
      if (n >= perGroup) continue;
      taken.set(group, n + 1);
    }
    out.push(item);
    if (out.length === max) break;
  }
  return out;
}

/** The first `max` entry points, at most `perFolder` from one folder of tests, examples or vendored code, or routes from one file. */
function pickEntryPoints(ordered: EntryPoint[], max: number, perFolder: number): EntryPoint[] {
  return pickCapped(ordered, max, perFolder, (e) =>
    isPeripheralPath(e.path) ? peripheralRoot(e.path) : e.kind === 'route' ? e.path : isMainGuard(e) ? `${path.posix.dirname(e.path)}/__main__` : undefined);
}

/** The outermost folder that makes `p` peripheral (`examples` for `examples/colors/colors.py`), else its folder. */
function peripheralRoot(p: string): string {
  const parts = p.split('/');
  for (let k = 1; k < parts.length; k++) {
    const prefix = parts.slice(0, k).join('/');
    if (isPeripheralPath(`${prefix}/_`)) return prefix;
  }
  return path.posix.dirname(p);
}

/** `212 in `docs/examples`, 3 in `deps/x``: how many items each folder holds, largest first, three named. */
function countByFolder(folders: string[]): string {
  const top = [...countBy(folders)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = top.slice(0, 3).map(([dir, n]) => `${n} in \`${dir}\``);
  return top.length > 3 ? `${shown.join(', ')} and ${top.length - 3} other folders` : shown.join(', ');
}

/** The first `max` components, at most `perFolder` peripheral ones (tests, examples ...) under one top folder. */
function pickComponents(ordered: Component[], max: number, perFolder: number): Component[] {
  return pickCapped(ordered, max, perFolder, (c) => (isPeripheralPath(componentPath(c)) ? c.id.split('/')[0] : undefined));
}

/** A path inside the component's folder, for the peripheral-path test. */
function componentPath(c: Component): string {
  return `${c.id}/-`;
}

/**
 * Read after the project's own code: tests, examples, vendored code, and type declarations (`index.d.ts` is
 * central to a JavaScript package's typings, but its logic is in the `.js` files).
 */
function isAside(path: string): boolean {
  return isPeripheralPath(path) || isDeclarationPath(path);
}

/**
 * The project's own items first, then the others (see {@link isAside}), each group in its given order: a
 * vendored header every file includes is central, but not what to read first.
 */
function ownFirst<T>(items: T[], pathOf: (item: T) => string): T[] {
  const [own, aside] = partition(items, (item) => !isAside(pathOf(item)));
  return [...own, ...aside];
}

/** The `k` items of highest `score`, the project's own first (see {@link ownFirst}), without sorting them all. */
function topOwnFirst<T>(items: T[], k: number, score: (item: T) => number, pathOf: (item: T) => string): T[] {
  const [own, aside] = partition(items, (item) => !isAside(pathOf(item)));
  const top = topK(own, k, score);
  return top.length < k ? [...top, ...topK(aside, k - top.length, score)] : top;
}

/**
 * One entry per kind and name, at its first (most central) definition, with how many others it has: a macro each
 * header guards its own copy of (`JSON_EXPORT`), a C prototype and its body, a Ruby module reopened in every file.
 */
function oncePerName(symbols: RankedSymbol[]): [RankedSymbol, number][] {
  const seen = new Map<string, [RankedSymbol, number]>();
  for (const s of symbols) {
    const key = `${s.kind} ${s.name}`;
    const entry = seen.get(key);
    if (entry) entry[1]++;
    else seen.set(key, [s, 0]);
  }
  return [...seen.values()];
}

const MAJOR_KINDS = new Set(['class', 'interface', 'struct', 'trait', 'enum', 'type', 'function', 'module']);
const TYPE_KINDS = new Set(['class', 'interface', 'struct', 'trait', 'enum']);

/** The names that best say what a file offers: its most used symbols, then its top-level types and functions. */
function keySymbols(f: FileAnalysis | undefined, structure: Structure, n: number): string[] {
  if (!f) return [];
  const names = structure.symbols.filter((s) => s.path === f.path).map((s) => s.name);
  // A namespace or module wraps what the file defines (C#'s `namespace X;` holds the whole file): what it holds
  // is top-level, and it is named only when there is nothing else.
  const wrappers = new Set(f.defs.filter((d) => d.kind === 'module').map((d) => d.name));
  const topLevel = f.defs.filter((d) => !d.parent || wrappers.has(d.parent));
  for (const d of topLevel) if (d.exported && MAJOR_KINDS.has(d.kind) && !d.name.startsWith('__')) names.push(d.name);
  for (const d of topLevel) if (d.exported && !d.name.startsWith('_') && d.name.length > 1) names.push(d.name);
  // A file of internal types is still told by them rather than by its namespace.
  for (const d of topLevel) if (TYPE_KINDS.has(d.kind)) names.push(d.name);
  // A file whose names are handed out in one object (`module.exports = { levelSym }`) is told by its own names.
  if (!names.length) for (const d of topLevel) if (!d.name.startsWith('_') && d.name.length > 1) names.push(d.name);
  const [own, wrapping] = partition([...new Set(names)], (name) => !wrappers.has(name));
  return (own.length ? own : wrapping).slice(0, n);
}

/** Where a file's citation points: its first exported definition of its own (a re-export only hands a name on). */
function firstDefLine(f: FileAnalysis | undefined): number {
  const defs = f?.defs ?? [];
  return (defs.find((d) => d.exported && d.kind !== 'module' && !d.alias) ?? defs.find((d) => d.exported && d.kind !== 'module')
    ?? defs.find((d) => TYPE_KINDS.has(d.kind)) ?? defs.find((d) => d.exported) ?? defs[0])?.startLine ?? 1;
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
}

function countLanguages(code: FileAnalysis[]): string {
  const m = new Map<string, number>();
  for (const f of code) m.set(f.language!, (m.get(f.language!) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ') || 'no parsed code';
}

/** The `k` items of highest `score`, best first, ties in input order: `sort().slice(0, k)` without sorting them all. */
function topK<T>(items: Iterable<T>, k: number, score: (item: T) => number): T[] {
  const top: [T, number][] = [];
  for (const item of items) {
    const r = score(item);
    if (top.length === k) {
      if (r <= top[k - 1][1]) continue;
      top.pop();
    }
    let i = top.length;
    while (i > 0 && top[i - 1][1] < r) i--;
    top.splice(i, 0, [item, r]);
  }
  return top.map(([item]) => item);
}

function countUsers(structure: Structure): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of structure.edges) if (!e.guessed) m.set(e.to, (m.get(e.to) ?? 0) + 1);
  return m;
}

const OVERVIEW_TITLE = 'Architecture overview of ';

/** The project's name as the overview note among `notes` gives it, or ''. */
export function projectNameOf(notes: readonly Note[]): string {
  const title = notes.find((n) => n.id === 'architecture:overview')?.title ?? '';
  return title.startsWith(OVERVIEW_TITLE) ? title.slice(OVERVIEW_TITLE.length) : '';
}

/** Folder names that say nothing about the project in them (a checkout in `src/`, a commit-named folder). */
const GENERIC_FOLDER = /^(src|source|sources|code|repo|repository|project|workspace|app|checkout|clone|main|master|work|tmp|[0-9a-f]{7,40})$/i;

/** The checkout's `.git/config`, or '' (no git, a worktree's `.git` file, unreadable). */
function readGitConfig(root: string): string {
  try {
    return fs.readFileSync(path.join(root, '.git', 'config'), 'utf8');
  } catch {
    return '';
  }
}

/**
 * The project's name: its folder's, or when that is generic, the name its manifest declares
 * (`package.json`, `Cargo.toml`, `pyproject.toml`, `composer.json`, `setup.py`, `pom.xml`, `go.mod`, Gradle's settings,
 * CMake's, Meson's or SwiftPM's `project`, a root gemspec or Visual Studio solution), else the repository its origin remote names.
 */
export function repoNameOf(root: string, readText: (path: string) => string | undefined = () => undefined, paths: Iterable<string> = []): string {
  const folder = path.basename(path.resolve(root));
  if (!GENERIC_FOLDER.test(folder)) return folder;
  const declared = [
    () => (JSON.parse(readText('package.json') ?? '{}') as { name?: unknown }).name,
    () => tomlSectionName(readText('Cargo.toml'), 'package'),
    () => {
      const pyproject = readText('pyproject.toml');
      // Flit before PEP 621: `[tool.flit.metadata] module = "typer"`, with `dist-name` when the two differ.
      const flit = (key: string): string | undefined => tomlSectionName(pyproject, 'tool.flit.metadata', key);
      return tomlSectionName(pyproject, 'project') ?? tomlSectionName(pyproject, 'tool.poetry') ?? flit('dist-name') ?? flit('module');
    },
    () => (JSON.parse(readText('composer.json') ?? '{}') as { name?: unknown }).name,
    () => /\bsetup\([^)]*?\bname\s*=\s*["']([^"']+)["']/s.exec(readText('setup.py') ?? '')?.[1],
    // The project's own artifactId, not its parent's.
    () => /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec((readText('pom.xml') ?? '').replace(/<parent>[\s\S]*?<\/parent>/, ''))?.[1],
    () => {
      const modulePath = goModulePath(readText('go.mod'));
      return modulePath && goModuleName(modulePath);
    },
    () => /^\s*rootProject\.name\s*=\s*["']([^"']+)["']/m.exec(readText('settings.gradle.kts') ?? readText('settings.gradle') ?? '')?.[1],
    () => /^\s*project\s*\(\s*"?([A-Za-z_][\w.+-]*)/im.exec(readText('CMakeLists.txt') ?? '')?.[1],
    () => /^\s*project\s*\(\s*'([^']+)'/m.exec(readText('meson.build') ?? '')?.[1],
    // Autoconf: `AC_INIT([jansson], [2.0.1])`, `AC_INIT(tmux, next-3.4)`.
    () => /^\s*AC_INIT\(\s*(?:\[([^\]]+)\]|([A-Za-z][\w.+-]*))/m.exec(readText('configure.ac') ?? readText('configure.in') ?? '')?.slice(1).find(Boolean),
    () => /\bPackage\s*\(\s*name:\s*"([^"]+)"/.exec(readText('Package.swift') ?? '')?.[1],
    // A gem's spec at the root, or the one Visual Studio solution near it (`Src/Newtonsoft.Json.sln`).
    () => {
      const named = [...paths].filter((p) => /^[^/]+\.gemspec$/.test(p) || /^([^/]+\/)?[^/]+\.sln$/.test(p));
      return named.length === 1 ? path.posix.basename(named[0]).replace(/\.(gemspec|sln)$/, '') : undefined;
    },
    // The repository the checkout was cloned from.
    () => {
      const url = /\[remote "origin"\][^[]*?\burl\s*=\s*(\S+)/.exec(readGitConfig(root))?.[1];
      const name = url?.replace(/\/+$/, '').replace(/\.git$/, '').split(/[/:]/).pop();
      return name && !GENERIC_FOLDER.test(name) ? name : undefined;
    },
  ];
  for (const name of declared) {
    try {
      const value = name();
      if (typeof value === 'string' && value.trim()) return value.trim();
    } catch {
      /* an unreadable manifest names nothing */
    }
  }
  return folder;
}
