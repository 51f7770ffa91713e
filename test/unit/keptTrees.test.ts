// An edited file re-parsed from its kept tree gives exactly the analysis of a fresh parse.
// Needs `npm run build` first (dist/grammars, dist/queries).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeSource } from '../../src/core/parse/extract';
import { loadGrammar } from '../../src/core/parse/grammars';
import { keepRecentTrees, takeEditedTree } from '../../src/core/parse/keptTrees';
import { languageForPath } from '../../src/core/scan/languages';
import type { Language } from '../../src/core/types';

const FIXTURES = path.resolve(__dirname, '../fixtures/languages');
const files = fs.readdirSync(FIXTURES).flatMap((dir) => fs.readdirSync(path.join(FIXTURES, dir)).map((f) => `${dir}/${f}`));

/** Edits an editor makes: a line typed in the middle, the first line deleted, a character replaced by a wider one, text appended. */
function edits(source: string): string[] {
  const lines = source.split('\n');
  const mid = lines.length >> 1;
  const at = source.indexOf('(');
  return [
    [...lines.slice(0, mid), '  // café — a note typed here', ...lines.slice(mid)].join('\n'),
    lines.slice(1).join('\n'),
    at > 0 ? `${source.slice(0, at)}é${source.slice(at + 1)}` : `é${source}`,
    `${source}\n\n`,
  ];
}

describe('kept trees', () => {
  before(async () => {
    for (const f of files) await loadGrammar(languageForPath(f)!);
  });
  after(() => keepRecentTrees(0));

  for (const file of files) {
    it(`${file}: a re-parse from the kept tree equals a fresh parse, edit after edit`, () => {
      const language = languageForPath(file) as Language;
      const original = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      keepRecentTrees(0);
      const fresh = edits(original).map((text) => analyzeSource(file, language, text, 'h', text.length));
      keepRecentTrees(4);
      analyzeSource(file, language, original, 'h', original.length);
      edits(original).forEach((text, i) => {
        assert.deepEqual(analyzeSource(file, language, text, 'h', text.length), fresh[i], `edit ${i}`);
      });
    });
  }

  it('keeps the trees of the last files only, and never hands one to another language', () => {
    keepRecentTrees(2);
    const ts = 'export const a = 1;\n';
    for (const p of ['a.ts', 'b.ts', 'c.ts']) analyzeSource(p, 'typescript', ts, 'h', ts.length);
    assert.equal(takeEditedTree('a.ts', 'typescript', ts), null, 'the oldest was let go');
    const b = takeEditedTree('b.ts', 'javascript', ts);
    assert.equal(b, null, 'a tree of TypeScript is no start for JavaScript');
    const c = takeEditedTree('c.ts', 'typescript', `${ts}export const b = 2;\n`);
    assert.ok(c, 'the latest is kept');
    assert.equal(c.rootNode.endIndex, ts.length + 'export const b = 2;\n'.length, 'edited to the new text');
    c.delete();
    keepRecentTrees(0);
    analyzeSource('d.ts', 'typescript', ts, 'h', ts.length);
    assert.equal(takeEditedTree('d.ts', 'typescript', ts), null, 'nothing is kept by default');
  });
});
