import { pushTo } from '../multimap';
import type { FileAnalysis, SymbolDef } from '../types';

/**
 * Definitions inside a function's body (a Python decorator's `wrapper`, a closure's helper, a local class):
 * no other file can name them. Methods are left out: an object literal's methods are reached through it.
 */
export function insideFunctions(defs: readonly SymbolDef[]): Set<SymbolDef> {
  const out = new Set<SymbolDef>();
  const open: SymbolDef[] = [];
  const contains = (o: SymbolDef, d: SymbolDef): boolean => o.startLine < d.startLine && d.endLine <= o.endLine;
  for (const d of [...defs].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine)) {
    while (open.length && !contains(open[open.length - 1], d)) open.pop();
    const inner = open[open.length - 1];
    if (inner && FUNCTION_KINDS.has(inner.kind) && d.kind !== 'method') out.add(d);
    open.push(d);
  }
  return out;
}

/** Definitions that hold code to run. */
export const FUNCTION_KINDS: ReadonlySet<string> = new Set(['function', 'method']);

/** Namespaces that wrap other definitions of the file: Ruby's `module Sidekiq`, a C#, C++ or TypeScript namespace. */
export function namespaceWrappers(defs: readonly SymbolDef[]): Set<SymbolDef> {
  return new Set(defs.filter((d) => d.kind === 'module' && defs.some((o) => o !== d && d.startLine <= o.startLine && o.endLine <= d.endLine)));
}

/** A file's leading definitions, in file order: its top-level ones, looked for through the namespaces that wrap them. */
export function leadingDefinitions(defs: readonly SymbolDef[]): SymbolDef[] {
  const wrappers = namespaceWrappers(defs);
  const wrapperNames = new Set([...wrappers].map((d) => d.name));
  return defs.filter((d) => !wrappers.has(d) && (!d.parent || wrapperNames.has(d.parent)));
}

/**
 * Per file, the names it only hands on (`SymbolDef.alias`) that another file defines for real: a package's
 * `index.js` re-exporting forty classes is not where any of them is defined, nor should their words make it a match.
 */
export function handedOnNames(files: ReadonlyMap<string, FileAnalysis>): Map<string, Set<string>> {
  const aliases: [string, string][] = [];
  const definedIn = new Map<string, string[]>();
  for (const [path, fa] of files) {
    for (const d of fa.defs) {
      if (d.alias) aliases.push([path, d.name]);
      else pushTo(definedIn, d.name, path);
    }
  }
  const out = new Map<string, Set<string>>();
  for (const [path, name] of aliases) {
    if (!definedIn.get(name)?.some((p) => p !== path)) continue;
    const names = out.get(path);
    if (names) names.add(name);
    else out.set(path, new Set([name]));
  }
  return out;
}
