import type { Logger } from './logger';
import type { NoteKind } from './types';

export interface AskOptions {
  root: string;
  question: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  /** Bound on the whole prompt (instructions + notes + spans + question), o200k_base tokens. */
  budgetTokens?: number;
  /** Bound on the completion when a model answers. */
  maxAnswerTokens?: number;
  /** Answer from the notes alone, with no model call. */
  offline?: boolean;
  signal?: AbortSignal;
  logger?: Logger;
  /** Streamed answer text as it arrives. */
  onText?: (delta: string) => void;
}

/** A note that served an answer. */
export interface ServedNote {
  id: string;
  kind: NoteKind;
  title: string;
  path: string;
  startLine: number;
  endLine: number;
}

/** What `sleeptime ask --json` prints. */
export interface AskResult {
  question: string;
  budgetTokens: number;
  /** Tokens of the packed prompt; always <= budgetTokens. */
  contextTokens: number;
  /** Repository files the packed context cites, most relevant first, paths relative to root. */
  files: { path: string; score: number }[];
  notes: ServedNote[];
  answer: string;
  /** `offline` (packed notes, no model), `anticipated` (a precomputed qa note, no model), `model`. */
  servedBy: 'offline' | 'anticipated' | 'model';
  latencyMs: number;
  usage?: { promptTokens: number; completionTokens: number };
  model?: string;
}

/** Answer a question about an analyzed repository from its notes within a test-time budget. */
export async function ask(opts: AskOptions): Promise<AskResult> {
  void opts;
  throw new Error('not yet implemented');
}
