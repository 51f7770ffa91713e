import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { countTokens } from '../retrieve/tokens';
import { z } from 'zod';

/** One chat message. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One chat completion request, provider-neutral. */
export interface ChatRequest {
  messages: ChatMessage[];
  /** Bound on the completion. */
  maxTokens: number;
  /** Ask for JSON matching this JSON Schema (structured output, strict). */
  jsonSchema?: { name: string; schema: object };
  temperature?: number;
  signal?: AbortSignal;
  /** Streamed text as it arrives. */
  onText?: (delta: string) => void;
  /** Called before each retry (attempt >= 2); throw to stop retrying (e.g. the budget is spent). */
  beforeRetry?: (attempt: number) => void;
}

/** Token usage of one call: what the server reported, or an o200k_base count when it reported nothing. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  /** true when counted locally because the server sent no usage. */
  estimated?: boolean;
}

export interface ChatResponse {
  text: string;
  usage: ChatUsage;
  /** HTTP attempts made (1 when no retry was needed). */
  attempts?: number;
}

/** Any chat model Sleeptime can use: an OpenAI-compatible endpoint, `vscode.lm`, a test double. */
export interface ChatModel {
  /** Model name as recorded in notes (`llm:<id>`) and the ledger. */
  id: string;
  chat(req: ChatRequest): Promise<ChatResponse>;
}

/** Why a model call failed. */
export type ModelErrorKind =
  | 'auth' | 'model-not-found' | 'context-length' | 'timeout' | 'rate-limited' | 'server'
  | 'connection' | 'bad-request' | 'interrupted' | 'aborted' | 'malformed-output' | 'budget';

/** A failed model call with one actionable line as its message. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; attempts?: number; usage?: ChatUsage; partialText?: string } = {},
  ) {
    super(message);
  }

  /** Worth another attempt after a pause. */
  get retryable(): boolean {
    return ['rate-limited', 'server', 'connection', 'interrupted'].includes(this.kind);
  }
}

/** o200k_base tokens of a text. */
export function countTextTokens(text: string): number {
  return countTokens(text);
}

/** o200k_base estimate of a chat prompt, with the per-message framing chat templates add. */
export function estimatePromptTokens(messages: ChatMessage[]): number {
  return messages.reduce((n, m) => n + 4 + countTokens(m.content), 3);
}

/** Options of `createOpenAiModel`. */
export interface OpenAiModelOptions {
  /** e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM). */
  baseUrl: string;
  /** Local servers accept any string. */
  apiKey?: string;
  model: string;
  /** Abort an attempt when the server sends nothing for this long. Default 60 s. */
  timeoutMs?: number;
  /** Retries on 429, 5xx, connection errors and cut streams. Default 3. */
  maxRetries?: number;
  /** Upper bound on one wait (Retry-After or backoff). Default 60 s. */
  maxRetryDelayMs?: number;
  /** Waits between attempts; tests pass a recorder. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Abortable wait. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Milliseconds asked by `retry-after-ms` / `Retry-After` (seconds or HTTP date). */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers?.get('retry-after');
  if (!ra) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * A `ChatModel` over any OpenAI-compatible endpoint through the `openai` package: streaming with
 * `include_usage`, strict `json_schema` structured output, an idle timeout, cancellation, and its own
 * retries with exponential backoff on 429/5xx honouring `Retry-After` (the client's retries are off).
 */
export function createOpenAiModel(opts: OpenAiModelOptions): ChatModel {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 3;
  const maxDelay = opts.maxRetryDelayMs ?? 60_000;
  const sleep = opts.sleep ?? defaultSleep;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const client = new OpenAI({ baseURL: baseUrl, apiKey: opts.apiKey || 'none', maxRetries: 0, timeout: timeoutMs });
  const maxField = /(^|\.)openai\.com$/.test(new URL(baseUrl).hostname) ? 'max_completion_tokens' : 'max_tokens';
  const where = `${opts.model} at ${baseUrl}`;

  /** Map anything thrown by one attempt to a ModelError. */
  function classify(e: unknown, req: ChatRequest, timedOut: boolean, text: string): ModelError {
    if (e instanceof ModelError) return e;
    if (req.signal?.aborted) return new ModelError('aborted', 'Model request cancelled.', { partialText: text });
    if (timedOut || e instanceof APIConnectionTimeoutError) {
      return new ModelError('timeout', `${where} sent nothing for ${timeoutMs} ms; check the server or raise the timeout.`, { partialText: text });
    }
    if (e instanceof APIUserAbortError) return new ModelError('aborted', 'Model request cancelled.', { partialText: text });
    if (e instanceof APIConnectionError) {
      return new ModelError('connection', `Cannot reach ${baseUrl} (${e.cause instanceof Error ? e.cause.message : e.message}); is the server running and OPENAI_BASE_URL right?`);
    }
    if (e instanceof APIError) {
      const status = e.status ?? 0;
      const msg = String(e.message ?? '');
      const d = { status, retryAfterMs: retryAfterMs(e.headers) };
      if (status === 401 || status === 403) {
        return new ModelError('auth', `${baseUrl} rejected the API key (${status}); set OPENAI_API_KEY (or the Sleeptime API key setting) to a valid key.`, d);
      }
      if (status === 404) {
        return new ModelError('model-not-found', `Model "${opts.model}" not found at ${baseUrl} (404); set SLEEPTIME_MODEL/--model to one listed at ${baseUrl}/models, and check the base URL ends in /v1.`, d);
      }
      if ((status === 400 || status === 413) && (e.code === 'context_length_exceeded' || /context length|context window|maximum context|too many tokens|too long/i.test(msg))) {
        const n = estimatePromptTokens(req.messages);
        return new ModelError('context-length', `The prompt (~${n} tokens + ${req.maxTokens} for the answer) exceeds the context window of ${opts.model}; lower --budget / --max-answer-tokens or use a larger model.`, d);
      }
      if (status === 429) return new ModelError('rate-limited', `${baseUrl} is rate limiting requests (429); wait, or lower k and the sleep budget.`, d);
      if (status >= 500) return new ModelError('server', `${baseUrl} answered ${status} (server error); retry later or check the server log.`, d);
      return new ModelError('bad-request', `${where} refused the request (${status}): ${msg.slice(0, 200)}`, d);
    }
    const why = e instanceof Error ? e.message : String(e);
    return new ModelError('interrupted', `The stream from ${where} broke off (${why}); check the server log and any proxy timeout in between.`, { partialText: text });
  }

  /** One HTTP attempt, streamed. */
  async function attempt(req: ChatRequest, emitted: { any: boolean }): Promise<ChatResponse> {
    const ctrl = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        ctrl.abort();
      }, timeoutMs);
    };
    const onAbort = (): void => ctrl.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    let text = '';
    try {
      if (req.signal?.aborted) throw new ModelError('aborted', 'Model request cancelled.');
      arm();
      const body: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
        model: opts.model,
        messages: req.messages,
        stream: true,
        stream_options: { include_usage: true },
        [maxField]: req.maxTokens,
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(req.jsonSchema
          ? { response_format: { type: 'json_schema', json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema as Record<string, unknown>, strict: true } } }
          : {}),
      };
      const stream = await client.chat.completions.create(body, { signal: ctrl.signal, maxRetries: 0, timeout: timeoutMs });
      let usage: OpenAI.CompletionUsage | undefined;
      let finished = false;
      for await (const chunk of stream) {
        arm();
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          if (req.onText) {
            emitted.any = true;
            req.onText(delta);
          }
        }
        if (choice?.finish_reason) finished = true;
        if (chunk.usage) usage = chunk.usage;
      }
      if (!finished && !usage) throw new ModelError('interrupted', `The stream from ${where} ended before the answer was complete; check that the server streams OpenAI-style SSE and its log.`, { partialText: text });
      return {
        text,
        usage: usage
          ? { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 }
          : { promptTokens: estimatePromptTokens(req.messages), completionTokens: countTokens(text), estimated: true },
      };
    } catch (e) {
      throw classify(e, req, timedOut, text);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    id: opts.model,
    async chat(req: ChatRequest): Promise<ChatResponse> {
      const emitted = { any: false };
      for (let n = 1; ; n++) {
        if (n > 1) req.beforeRetry?.(n);
        try {
          const res = await attempt(req, emitted);
          return { ...res, attempts: n };
        } catch (e) {
          const err = e as ModelError;
          err.details.attempts = n;
          // A partly streamed answer is not restarted: the reader has seen it.
          if (!err.retryable || n > maxRetries || req.signal?.aborted || emitted.any) {
            if (n > 1 && err.retryable) err.message += ` (gave up after ${n} attempts)`;
            throw err;
          }
          const backoff = Math.min(maxDelay, 500 * 2 ** (n - 1) * (1 + Math.random() * 0.25));
          try {
            await sleep(Math.min(maxDelay, err.details.retryAfterMs ?? backoff), req.signal);
          } catch {
            throw new ModelError('aborted', 'Model request cancelled.');
          }
        }
      }
    },
  };
}

/** A strict JSON Schema for a zod schema, ready for `ChatRequest.jsonSchema`. */
export function jsonSchemaOf(name: string, schema: z.ZodType): { name: string; schema: object } {
  const { $schema, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  void $schema;
  return { name, schema: rest };
}

/** Parse model output as JSON (tolerating a ```json fence or prose around one object) and validate it. */
export function parseStructured<T>(text: string, schema: z.ZodType<T>): { value: T } | { error: string } {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidates = [text.trim(), fenced?.trim(), text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)];
  let lastError = 'no JSON object in the output';
  for (const c of candidates) {
    if (!c) continue;
    let data: unknown;
    try {
      data = JSON.parse(c);
    } catch (e) {
      lastError = `invalid JSON: ${(e as Error).message}`;
      continue;
    }
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data };
    lastError = `JSON does not match the schema: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  }
  return { error: lastError };
}
