/**
 * The one protocol between the Chat webview (media/src/chat.ts) and the extension host.
 * The webview imports only the types; the host validates what the webview sends with the schemas.
 */
import { z } from 'zod';
import type { LedgerSummary } from '../core/llm/ledger';

const citation = z.object({ folder: z.number().int().min(0), path: z.string().min(1).max(1000), line: z.number().int().min(1) });

/** Messages the webview sends to the host. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  /** The webview has loaded and wants the session history and settings. */
  z.object({ type: z.literal('ready') }),
  /** Ask a question about the workspace. */
  z.object({ type: z.literal('ask'), id: z.string().min(1).max(100), question: z.string().min(1).max(20_000) }),
  /** Stop the answer in progress. */
  z.object({ type: z.literal('stop'), id: z.string().min(1).max(100) }),
  /** Open a cited file at a line. */
  z.object({ type: z.literal('openCitation'), ...citation.shape }),
  /** Forget the session's conversation. */
  z.object({ type: z.literal('clearHistory') }),
  /** Run a Sleeptime command from a webview button. */
  z.object({ type: z.literal('command'), command: z.enum(['analyzeNow', 'selectModel', 'setApiKey', 'showLog']) }),
]);

/** A message from the webview to the host. */
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** Cost line of one answer. */
export interface AnswerCost {
  contextTokens: number;
  /** Prompt tokens the model server reported (model answers only). */
  promptTokens?: number;
  budgetTokens: number;
  completionTokens: number;
  maxAnswerTokens: number;
  latencyMs: number;
  servedBy: 'offline' | 'anticipated' | 'model';
  model?: string;
}

/** A note that served an answer, as the webview lists it. */
export interface AnswerNote {
  title: string;
  kind: string;
  path: string;
  line: number;
}

/** One question and its answer in the session history. */
export interface ChatTurn {
  id: string;
  question: string;
  answer: string;
  /** Workspace folder index the answer's citations are relative to. */
  folder: number;
  status: 'streaming' | 'done' | 'stopped' | 'error';
  cost?: AnswerCost;
  notes: AnswerNote[];
  error?: string;
}

/** The cost view of the chat panel: sleep-time spend, test-time spend per question, amortized cost. */
export interface CostView {
  summary: LedgerSummary;
  /** Sleep-time tokens spent today, against the daily budget (summed over folders). */
  sleepTokensToday: number;
  dailyBudgetTokens: number;
}

/** Messages the host sends to the webview. */
export type HostMessage =
  /** Replace the whole conversation and the mode banner (on load and after clear). */
  | { type: 'init'; turns: ChatTurn[]; offline: boolean; offlineReason?: string }
  /** A new answer started. */
  | { type: 'start'; turn: ChatTurn }
  /** More answer text arrived. */
  | { type: 'delta'; id: string; text: string }
  /** The answer finished (or stopped, or failed); carries its final text and cost. */
  | { type: 'end'; turn: ChatTurn }
  /** Put a question in the input box and focus it (Ask a Question command). */
  | { type: 'focusInput'; question?: string }
  /** The ledger changed (an answer, a sleep-time run): the new cost view. */
  | { type: 'cost'; cost: CostView };

/** Parse a message from the webview; returns undefined for anything not in the protocol. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const result = webviewMessageSchema.safeParse(value);
  return result.success ? result.data : undefined;
}
