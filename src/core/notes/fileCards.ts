import { pushTo } from '../multimap';
import { insideFunctions, leadingDefinitions, namespaceWrappers } from '../structure/definitions';
import type { Structure } from '../structure/structure';
import type { FileAnalysis, HistoryResult, Note, SymbolDef } from '../types';
import { EvidenceList, note } from './architectureNotes';
import { isTestPath } from './testHooks';
import { counted } from '../plural';

/** Cards for at most this many files, most central first. */
const MAX_CARDS = 5000;
const MAX_DEFS = 14;

/**
 * A compact card per code file outside tests and fixtures (the test-hook notes cover those): what it
 * defines, its doc comments, what it uses and who uses it.
 */
export function buildFileCards(input: {
  files: Map<string, FileAnalysis>;
  structure: Structure;
  history: HistoryResult;
  now: string;
  /** Only these files' cards (an incremental run whose structure did not change). */
  only?: ReadonlySet<string>;
}): Note[] {
  const { files, structure, history } = input;
  const uses = new Map<string, { path: string; symbols: string[]; weight: number }[]>();
  const usedBy = new Map<string, { path: string; symbols: string[] }[]>();
  for (const e of structure.edges) {
    if (e.guessed) continue;
    pushTo(uses, e.from, { path: e.to, symbols: e.symbols, weight: e.weight });
    pushTo(usedBy, e.to, { path: e.from, symbols: e.symbols });
  }
  const code = [...files.values()]
    .filter((f) => f.language && !f.parseError && !isTestPath(f.path) && (!input.only || input.only.has(f.path)))
    .sort((a, b) => (structure.fileRank[b.path] ?? 0) - (structure.fileRank[a.path] ?? 0))
    .slice(0, MAX_CARDS);

  return code.map((f) => {
    const ev = new EvidenceList(files);
    const out: string[] = [`# \`${f.path}\``, '', `${f.language}, ${f.lines} lines.${f.doc ? ` ${clip(f.doc, 300)}` : ''}`];
    const { shown, rest } = definitionsToShow(f.defs);
    if (shown.length) {
      out.push('', 'Defines:');
      for (const d of shown) {
        const owner = d.parent ? `${d.parent}.` : '';
        out.push(`- ${d.kind} \`${owner}${d.name}\` (${ev.cite(f.path, d.startLine, d.endLine)})${d.doc ? `: ${clip(d.doc, 140)}` : ''}`);
      }
      // Each name once: `Client.send` and `AsyncClient.send` are one word here.
      if (rest.length) out.push(`- and ${rest.length} more: ${[...new Set(rest.map((d) => d.name))].slice(0, 20).join(', ')}`);
    } else {
      ev.cite(f.path, 1, Math.min(f.lines, 20));
    }
    // What it leans on most first: the class it extends and uses throughout before a one-off import.
    const all = [...(uses.get(f.path) ?? [])].sort((a, b) => b.weight - a.weight);
    const u = all.slice(0, 8);
    if (u.length) out.push('', `Uses: ${u.map((x) => `\`${x.path}\`${x.symbols.length ? ` (${x.symbols.slice(0, 3).join(', ')})` : ''}`).join(', ')}${all.length > u.length ? `, and ${all.length - u.length} more` : ''}`);
    const by = (usedBy.get(f.path) ?? []).sort((a, b) => (structure.fileRank[b.path] ?? 0) - (structure.fileRank[a.path] ?? 0));
    if (by.length) out.push('', `Used by ${counted(by.length, 'file')}: ${by.slice(0, 8).map((x) => `\`${x.path}\``).join(', ')}${by.length > 8 ? ', ...' : ''}`);
    const h = history.files[f.path];
    if (h) out.push('', `History: ${counted(h.commits, 'commit')}, ${counted(h.fixCommits, 'fix', 'fixes')}${h.lastChanged ? `, last changed ${h.lastChanged.slice(0, 10)}` : ''}.`);
    return note({
      id: `file:${f.path}`,
      kind: 'file',
      title: f.path,
      body: out.join('\n'),
      evidence: ev.list(),
      dependsOn: { [f.path]: f.hash },
      subject: f.path,
      score: structure.fileRank[f.path] ?? 0,
      now: input.now,
      meta: { symbols: f.defs.map((d) => d.name).slice(0, 60) },
    });
  });
}

/** Definitions that hold a value rather than code. */
const VALUE_KINDS = new Set(['constant', 'variable']);

/**
 * The definitions a card lists, in file order, and the rest by name: leading ones first (a file of seven
 * classes shows the seven, in or out of a namespace), then documented members, then the others, public before
 * private, and constants and variables after what does the work (a mailer's `send` before its `VERSION`), dunder
 * methods last. Functions' local helpers and the namespaces wrapping the file are left out.
 */
function definitionsToShow(defs: readonly SymbolDef[]): { shown: SymbolDef[]; rest: SymbolDef[] } {
  const local = insideFunctions(defs);
  const wrappers = namespaceWrappers(defs);
  const visible = defs.filter((d) => !local.has(d) && !wrappers.has(d));
  const leading = new Set(leadingDefinitions(defs));
  // The file's own types and functions first; its constants (a Go file's thirteen `mGET`s) after its methods.
  const tier = (d: SymbolDef): number =>
    leading.has(d) && !VALUE_KINDS.has(d.kind) ? 0 : /^__\w+__$/.test(d.name) ? 9 : (VALUE_KINDS.has(d.kind) ? 4 : 0) + (d.doc ? 1 : 3) + (d.exported ? 0 : 1);
  const order = new Map(visible.map((d, i) => [d, i]));
  const ranked = [...visible].sort((a, b) => tier(a) - tier(b) || order.get(a)! - order.get(b)!);
  const picked = new Set(ranked.slice(0, MAX_DEFS));
  return { shown: visible.filter((d) => picked.has(d)), rest: ranked.slice(MAX_DEFS) };
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 3)}...` : t;
}
