import * as path from 'node:path';
import * as fs from 'node:fs';
import { Store } from '../src/core/store/store';
import { RetrievalIndex, DEFAULT_WEIGHTS, type RankWeights } from '../src/core/retrieve/searchIndex';

async function main(): Promise<void> {
  const [keep, question] = process.argv.slice(2);
  const root = path.join(keep, 'src');
  const { store } = await Store.open(path.join(keep, 'store'), { root });
  const fileRank = (store.structure() as { fileRank?: Record<string, number> } | undefined)?.fileRank;
  const index = RetrievalIndex.build({ notes: store.notes(), files: store.files(), fileRank });
  const W = DEFAULT_WEIGHTS;
  const variants: [string, RankWeights][] = [
    ['all', W],
    ['noContent', { ...W, content: 0 }],
    ['onlyContent', { ...W, fileDoc: 0, cardNote: 0, otherNote: 0, namedSymbol: 0, qualifiedMember: 0, wordSymbol: 0, pathMention: 0, basenameWord: 0, centrality: 0, size: 0 }],
    ['noSize', { ...W, size: 0 }],
    ['noCentral', { ...W, centrality: 0 }],
    ['noDocs', { ...W, fileDoc: 0, cardNote: 0, otherNote: 0 }],
    ['noSym', { ...W, namedSymbol: 0, wordSymbol: 0 }],
    ['noName', { ...W, basenameWord: 0 }],
  ];
  for (const [name, w] of variants) {
    const r = index.rank(question, w);
    console.log(name.padEnd(12), r.files.slice(0, 5).map((f) => `${f.path.split('/').slice(-2).join('/')}=${f.score.toFixed(2)}`).join('  '));
  }
}
main();
