import { invert, pushTo } from '../multimap';
import type { EntryPoint } from './entryPoints';
import type { Structure } from './structure';

/** Fewest files outside a package that must use one of its files for that file to stand for the package. */
const MIN_OUTSIDE_USERS = 2;

/**
 * Package entry points that name a folder of sources but no file (a NuGet project, a Maven module, a PSR-4
 * namespace, an npm package whose `main` is build output) get as target the folder's facade (see `facadeOf`):
 * tests, samples and other packages call a library through it (markdig's `Markdown.cs`, retrofit's
 * `Retrofit.java`), while PageRank favours the utilities every file of it shares.
 * Test files inside the folder count as outside; `isTest` tells them.
 */
export function withFacades(entries: EntryPoint[], structure: Structure, isTest: (path: string) => boolean): EntryPoint[] {
  if (!entries.some((e) => e.root !== undefined && !e.target)) return entries;
  const usersOf = new Map<string, string[]>();
  for (const e of structure.edges) if (!e.guessed && e.from !== e.to) pushTo(usersOf, e.to, e.from);
  const usesOf = invert(usersOf);
  return entries.map((e) => {
    if (e.root === undefined || e.target) return e;
    const facade = facadeOf(e.root, usersOf, usesOf, structure.fileRank, isTest);
    return facade ? { ...e, target: facade, detail: `${e.detail}, used through \`${facade}\`` } : e;
  });
}

/**
 * The file of `root` with the best facade score: the users outside the folder, times the share of all its users they
 * are (an exception or value type every file inside uses is no facade), times a factor that grows with how many files
 * inside it uses itself (a facade hands calls on to the package's internals).
 */
function facadeOf(root: string, usersOf: Map<string, string[]>, usesOf: Map<string, string[]>, fileRank: Record<string, number>, isTest: (path: string) => boolean): string | undefined {
  const inside = (p: string): boolean => (root === '.' || p.startsWith(`${root}/`)) && !isTest(p);
  const candidates: { path: string; score: number; rank: number }[] = [];
  for (const [path, users] of usersOf) {
    if (!inside(path)) continue;
    const distinct = new Set(users);
    const outside = [...distinct].filter((u) => !inside(u)).length;
    if (outside < MIN_OUTSIDE_USERS) continue;
    const handsOn = new Set((usesOf.get(path) ?? []).filter(inside)).size;
    candidates.push({ path, score: (outside * outside / distinct.size) * (1 + Math.log1p(handsOn)), rank: fileRank[path] ?? 0 });
  }
  candidates.sort((a, b) => b.score - a.score || b.rank - a.rank || (a.path < b.path ? -1 : 1));
  return candidates[0]?.path;
}
