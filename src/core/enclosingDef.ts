import type { SymbolDef } from './types';

const CALLABLE = new Set(['function', 'method']);

/** Innermost function/method (else any definition) whose range holds `line`. */
export function enclosingDef(defs: SymbolDef[], line: number): SymbolDef | undefined {
  let best: SymbolDef | undefined;
  for (const d of defs) {
    if (d.startLine > line || d.endLine < line) continue;
    const better = !best || (CALLABLE.has(d.kind) && !CALLABLE.has(best.kind)) ||
      (CALLABLE.has(d.kind) === CALLABLE.has(best.kind) && d.startLine >= best.startLine && d.endLine <= best.endLine);
    if (better) best = d;
  }
  return best;
}
