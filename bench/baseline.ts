import MiniSearch from 'minisearch';
import { normalizeTerm, tokenizeText } from '../src/core/retrieve/terms';
import { countTokens } from '../src/core/retrieve/tokens';

/** BM25 over whole raw files: what a tool without sleep-time preparation would search and send. */
export class RawBm25 {
  private readonly mini: MiniSearch<{ id: number; path: string; content: string }>;
  private readonly paths: string[] = [];
  /** o200k_base tokens of each whole file, by path. */
  readonly tokens = new Map<string, number>();

  /** Index `files` (path -> text). Uses the same code-aware tokenizer and stemmer as Sleeptime. */
  constructor(files: Map<string, string>) {
    this.mini = new MiniSearch({ fields: ['path', 'content'], tokenize: tokenizeText, processTerm: normalizeTerm });
    const docs: { id: number; path: string; content: string }[] = [];
    for (const [path, content] of files) {
      docs.push({ id: this.paths.length, path, content });
      this.paths.push(path);
      this.tokens.set(path, countTokens(content));
    }
    this.mini.addAll(docs);
  }

  /** Files ranked for `question`, best first. */
  rank(question: string): string[] {
    return this.mini.search(question, { combineWith: 'OR' }).map((h) => this.paths[h.id as number]);
  }
}
