import { redactSecrets } from '../privacy/redact';
import type { Note } from '../types';
import { estimatePromptTokens, type ChatMessage, type ChatModel, type ChatUsage } from './chatModel';
import { textSimilarity } from './similarity';

/** Instructions of every test-time answer. */
export const ANSWER_SYSTEM_PROMPT = [
  'You are Sleeptime, answering a developer\'s question about their repository from notes prepared in advance',
  'and short code spans. Use only that material; if it does not contain the answer, say what is missing and',
  'which file to read. Cite every claim as `path:line` exactly as the notes and spans do. Be brief: a direct',
  'answer first, then the supporting points.',
].join(' ');

/** The chat messages of an answer: system prompt, then the packed context and the question. */
export function buildAnswerMessages(question: string, context: string): ChatMessage[] {
  return [
    { role: 'system', content: ANSWER_SYSTEM_PROMPT },
    { role: 'user', content: `Notes and code:\n\n${context}\n\nQuestion: ${question}` },
  ];
}

/** Prompt tokens an answer costs besides its context: what a packer must leave out of `--budget`. */
export function answerOverheadTokens(question: string): number {
  return estimatePromptTokens(buildAnswerMessages(question, ''));
}

export interface AnswerWithModelOptions {
  question: string;
  /** Packed notes and spans, already within the budget. Redacted again here before sending. */
  context: string;
  model: ChatModel;
  maxAnswerTokens: number;
  signal?: AbortSignal;
  onText?: (delta: string) => void;
}

export interface ModelAnswer {
  text: string;
  usage: ChatUsage;
  model: string;
  /** Secrets redacted from the context before it was sent. */
  redacted: number;
}

/** Answer a question from packed context with a model, streaming; throws `ModelError` when the call fails. */
export async function answerWithModel(opts: AnswerWithModelOptions): Promise<ModelAnswer> {
  const { text: context, count } = redactSecrets(opts.context);
  const res = await opts.model.chat({
    messages: buildAnswerMessages(opts.question, context),
    maxTokens: opts.maxAnswerTokens,
    signal: opts.signal,
    onText: opts.onText,
  });
  return { text: res.text, usage: res.usage, model: opts.model.id, redacted: count };
}

/** A precomputed answer close enough to serve without a model call. */
export interface AnticipatedMatch {
  note: Note;
  similarity: number;
}

/**
 * The anticipated-question note (kind `qa`, fresh) whose question is most similar to `question`, when
 * the similarity reaches `threshold` (default 0.7, cosine of content words).
 */
export function matchAnticipated(question: string, qaNotes: Note[], opts: { threshold?: number } = {}): AnticipatedMatch | undefined {
  const threshold = opts.threshold ?? 0.7;
  let best: AnticipatedMatch | undefined;
  for (const note of qaNotes) {
    if (note.kind !== 'qa' || note.stale) continue;
    const q = typeof note.meta?.question === 'string' ? note.meta.question : note.title;
    const similarity = textSimilarity(question, q);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { note, similarity };
  }
  return best;
}
