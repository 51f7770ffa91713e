/**
 * A core `ChatModel` over a VS Code language model (`vscode.lm`, e.g. Copilot's models). The host
 * builds it (the vscode API exists only in the extension host); this module imports only vscode's
 * types, the host passes the constructors it needs, so the adapter runs against fakes in tests.
 */
import type * as vscode from 'vscode';
import { countTextTokens, estimatePromptTokens, ModelError, type ChatMessage, type ChatModel, type ChatRequest, type ChatResponse } from '../core/llm/chatModel';

/** The vscode constructors the adapter needs. */
export interface LmApi {
  userMessage(content: string): vscode.LanguageModelChatMessage;
  assistantMessage(content: string): vscode.LanguageModelChatMessage;
  cancellationSource(): vscode.CancellationTokenSource;
}

/** The part of a `vscode.LanguageModelChat` the adapter uses. */
export type LmChat = Pick<vscode.LanguageModelChat, 'id' | 'name' | 'vendor' | 'maxInputTokens' | 'sendRequest'>;

const JUSTIFICATION = 'Sleeptime prepares notes about this repository while the editor is idle and answers questions from them.';

/**
 * vscode.lm has no system role and no structured output: the system text leads the first user
 * message, and a JSON Schema request becomes an instruction (the core's `parseStructured` strips fences).
 */
export function lmPrompt(req: Pick<ChatRequest, 'messages' | 'jsonSchema'>): ChatMessage[] {
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const rest = req.messages.filter((m) => m.role !== 'system').map((m) => ({ ...m }));
  if (system) {
    const first = rest.find((m) => m.role === 'user');
    if (first) first.content = `${system}\n\n${first.content}`;
    else rest.unshift({ role: 'user', content: system });
  }
  if (req.jsonSchema) {
    const last = [...rest].reverse().find((m) => m.role === 'user') ?? rest[rest.length - 1];
    last.content += `\n\nReply with one JSON object only, no prose, matching this JSON Schema:\n${JSON.stringify(req.jsonSchema.schema)}`;
  }
  return rest;
}

/** Map what `sendRequest` or its stream threw to a core `ModelError`. */
function modelError(error: unknown, lm: LmChat, aborted: boolean, partialText: string): ModelError {
  if (error instanceof ModelError) return error;
  if (aborted) return new ModelError('aborted', 'Model request cancelled.', { partialText });
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'NoPermissions') return new ModelError('auth', `VS Code did not allow Sleeptime to use ${lm.name} (${message}); allow it when asked, or pick another model (Sleeptime: Select Model).`);
  if (code === 'NotFound') return new ModelError('model-not-found', `The language model ${lm.id} is not available any more; pick another (Sleeptime: Select Model).`);
  if (code === 'Blocked') return new ModelError('rate-limited', `${lm.name} refused the request for now (quota or rate limit): ${message}`);
  if (/context|too long|token limit/i.test(message)) return new ModelError('context-length', `The prompt exceeds the context window of ${lm.name}: ${message}`);
  return partialText ? new ModelError('interrupted', `The answer from ${lm.name} broke off (${message}).`, { partialText }) : new ModelError('server', `${lm.name} failed: ${message}`);
}

/**
 * A `ChatModel` over one VS Code language model: streams text, stops at `maxTokens` (counted with the
 * core's o200k_base tokenizer), cancels with the request's signal, and reports estimated usage
 * (vscode.lm reports none). No retries: VS Code's providers handle their own.
 */
export function createVscodeLmModel(lm: LmChat, api: LmApi): ChatModel {
  return {
    id: lm.id,
    async chat(req: ChatRequest): Promise<ChatResponse> {
      const prompt = lmPrompt(req);
      const promptTokens = estimatePromptTokens(prompt);
      if (lm.maxInputTokens > 0 && promptTokens > lm.maxInputTokens) {
        throw new ModelError('context-length', `The prompt (~${promptTokens} tokens) exceeds the context window of ${lm.name} (${lm.maxInputTokens}); lower the question budget.`);
      }
      if (req.signal?.aborted) throw new ModelError('aborted', 'Model request cancelled.');
      const cts = api.cancellationSource();
      const onAbort = (): void => cts.cancel();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      let text = '';
      let completionTokens = 0;
      try {
        const messages = prompt.map((m) => (m.role === 'assistant' ? api.assistantMessage(m.content) : api.userMessage(m.content)));
        const response = await lm.sendRequest(messages, { justification: JUSTIFICATION }, cts.token);
        for await (const fragment of response.text) {
          if (req.signal?.aborted) break;
          const tokens = countTextTokens(fragment);
          if (completionTokens + tokens > req.maxTokens) {
            // Keep whole fragments only while they fit: the completion bound is never passed.
            cts.cancel();
            break;
          }
          completionTokens += tokens;
          text += fragment;
          req.onText?.(fragment);
        }
        if (req.signal?.aborted) throw new ModelError('aborted', 'Model request cancelled.', { partialText: text });
        return { text, usage: { promptTokens, completionTokens, estimated: true }, attempts: 1 };
      } catch (error) {
        throw modelError(error, lm, req.signal?.aborted ?? false, text);
      } finally {
        req.signal?.removeEventListener('abort', onAbort);
        cts.dispose();
      }
    },
  };
}
