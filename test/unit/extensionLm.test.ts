import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { z } from 'zod';
import { countTextTokens, estimatePromptTokens, ModelError, parseStructured, type ChatRequest } from '../../src/core/llm/chatModel';
import type { LedgerEntry } from '../../src/core/llm/ledger';
import { buildCostView } from '../../src/extension/costView';
import { createVscodeLmModel, lmPrompt, type LmApi, type LmChat } from '../../src/extension/lmModel';

interface FakeMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Fake vscode constructors; the cancellation sources they made, to inspect. */
function fakeApi(): { api: LmApi; sources: { cancelled: boolean; disposed: boolean }[] } {
  const sources: { cancelled: boolean; disposed: boolean }[] = [];
  const api: LmApi = {
    userMessage: (content) => ({ role: 'user', content }) as unknown as vscode.LanguageModelChatMessage,
    assistantMessage: (content) => ({ role: 'assistant', content }) as unknown as vscode.LanguageModelChatMessage,
    cancellationSource: () => {
      const state = { cancelled: false, disposed: false };
      sources.push(state);
      return {
        token: { get isCancellationRequested() { return state.cancelled; }, onCancellationRequested: () => ({ dispose() {} }) },
        cancel: () => void (state.cancelled = true),
        dispose: () => void (state.disposed = true),
      } as unknown as vscode.CancellationTokenSource;
    },
  };
  return { api, sources };
}

/** A fake LanguageModelChat that streams `fragments` (or throws `error`) and records what it was sent. */
function fakeLm(fragments: string[], opts: { error?: unknown; maxInputTokens?: number; onFragment?: (i: number) => void } = {}): LmChat & { sent: FakeMessage[][] } {
  const sent: FakeMessage[][] = [];
  return {
    id: 'copilot-gpt-4o',
    name: 'GPT-4o',
    vendor: 'copilot',
    maxInputTokens: opts.maxInputTokens ?? 100_000,
    sent,
    async sendRequest(messages: vscode.LanguageModelChatMessage[]) {
      sent.push(messages as unknown as FakeMessage[]);
      if (opts.error) throw opts.error;
      return {
        stream: (async function* () {})(),
        text: (async function* () {
          for (const [i, f] of fragments.entries()) {
            opts.onFragment?.(i);
            yield f;
          }
        })(),
      } as unknown as vscode.LanguageModelChatResponse;
    },
  };
}

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [
    { role: 'system', content: 'You are Sleeptime.' },
    { role: 'user', content: 'How are to-dos saved?' },
  ],
  maxTokens: 400,
  ...extra,
});

test('vscode-lm adapter streams the answer and estimates usage with the core tokenizer', async () => {
  const { api, sources } = fakeApi();
  const lm = fakeLm(['Saved by ', '`saveTodos` in ', 'src/persistence.ts:11.']);
  const model = createVscodeLmModel(lm, api);
  const streamed: string[] = [];
  const res = await model.chat(request({ onText: (t) => streamed.push(t) }));
  assert.equal(model.id, 'copilot-gpt-4o');
  assert.equal(res.text, 'Saved by `saveTodos` in src/persistence.ts:11.');
  assert.deepEqual(streamed, ['Saved by ', '`saveTodos` in ', 'src/persistence.ts:11.']);
  assert.deepEqual(lm.sent[0], [{ role: 'user', content: 'You are Sleeptime.\n\nHow are to-dos saved?' }], 'no system role in vscode.lm: it leads the user message');
  assert.equal(res.usage.estimated, true);
  assert.equal(res.usage.promptTokens, estimatePromptTokens(lmPrompt(request())));
  assert.equal(res.usage.completionTokens, ['Saved by ', '`saveTodos` in ', 'src/persistence.ts:11.'].reduce((n, f) => n + countTextTokens(f), 0));
  assert.deepEqual(sources.map((s) => s.disposed), [true]);
});

test('vscode-lm adapter asks for JSON in the prompt; a fenced reply parses with the core schema check', async () => {
  const { api } = fakeApi();
  const schema = z.object({ questions: z.array(z.object({ question: z.string(), answer: z.string() })) });
  const lm = fakeLm(['```json\n{"questions":[{"question":"How are to-dos saved?",', '"answer":"With saveTodos (src/persistence.ts:11)."}]}\n```']);
  const res = await createVscodeLmModel(lm, api).chat(request({ jsonSchema: { name: 'qa', schema: z.toJSONSchema(schema) } }));
  const prompt = lm.sent[0].at(-1)?.content ?? '';
  assert.match(prompt, /Reply with one JSON object only/);
  assert.match(prompt, /"questions"/);
  const parsed = parseStructured(res.text, schema);
  assert.ok('value' in parsed);
  assert.equal(parsed.value.questions[0].question, 'How are to-dos saved?');
});

test('vscode-lm adapter bounds the completion by stopping the stream at maxTokens', async () => {
  const { api, sources } = fakeApi();
  const fragments = Array.from({ length: 50 }, (_, i) => `word${i} `);
  const res = await createVscodeLmModel(fakeLm(fragments), api).chat(request({ maxTokens: 10 }));
  assert.ok(res.usage.completionTokens <= 10, `${res.usage.completionTokens} completion tokens`);
  assert.ok(res.text.length > 0 && res.text.length < fragments.join('').length);
  assert.equal(sources[0].cancelled, true, 'the request is cancelled once the bound is reached');
});

test('vscode-lm adapter cancels with the signal', async () => {
  const { api, sources } = fakeApi();
  const controller = new AbortController();
  const lm = fakeLm(['one ', 'two ', 'three'], { onFragment: (i) => i === 1 && controller.abort() });
  await assert.rejects(createVscodeLmModel(lm, api).chat(request({ signal: controller.signal })), (e: unknown) => e instanceof ModelError && e.kind === 'aborted');
  assert.equal(sources[0].cancelled, true);
  const before = new AbortController();
  before.abort();
  await assert.rejects(createVscodeLmModel(fakeLm(['x']), api).chat(request({ signal: before.signal })), (e: unknown) => e instanceof ModelError && e.kind === 'aborted');
});

test('vscode-lm adapter maps LanguageModelError codes and refuses prompts past the context window', async () => {
  const { api } = fakeApi();
  const lmError = (code: string): Error => Object.assign(new Error(code), { code });
  const kinds: [unknown, string][] = [
    [lmError('NoPermissions'), 'auth'],
    [lmError('NotFound'), 'model-not-found'],
    [lmError('Blocked'), 'rate-limited'],
    [new Error('network down'), 'server'],
  ];
  for (const [error, kind] of kinds) {
    await assert.rejects(createVscodeLmModel(fakeLm([], { error }), api).chat(request()), (e: unknown) => e instanceof ModelError && e.kind === kind, kind);
  }
  const small = fakeLm(['never'], { maxInputTokens: 5 });
  await assert.rejects(createVscodeLmModel(small, api).chat(request()), (e: unknown) => e instanceof ModelError && e.kind === 'context-length');
  assert.equal(small.sent.length, 0, 'nothing is sent when the prompt cannot fit');
});

test('cost view sums the ledgers of every folder; only today counts against the daily budget', () => {
  const now = new Date(2026, 0, 15, 12);
  const today = new Date(2026, 0, 15, 9).toISOString();
  const yesterday = new Date(2026, 0, 14, 9).toISOString();
  const entry = (e: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind' | 'promptTokens' | 'completionTokens'>): LedgerEntry => ({ at: today, job: 'x', model: 'm', ...e });
  const a = [
    entry({ kind: 'sleep', promptTokens: 1000, completionTokens: 200 }),
    entry({ kind: 'sleep', promptTokens: 500, completionTokens: 100, at: yesterday }),
    entry({ kind: 'test', job: 'answer', promptTokens: 300, completionTokens: 50, rawTokens: 4000 }),
  ];
  const b = [
    entry({ kind: 'sleep', promptTokens: 400, completionTokens: 100 }),
    entry({ kind: 'test', job: 'anticipated', promptTokens: 0, completionTokens: 0, rawTokens: 2000 }),
  ];
  const view = buildCostView([a, b], { testWeight: 10, dailyBudgetTokens: 50_000, now });
  assert.equal(view.sleepTokensToday, 1700);
  assert.equal(view.dailyBudgetTokens, 50_000);
  assert.equal(view.summary.sleepTokens, 2300);
  assert.equal(view.summary.questions, 2);
  assert.equal(view.summary.anticipatedAnswers, 1);
  assert.equal(view.summary.testTokensPerQuestion, 175);
  assert.equal(view.summary.amortizedPerQuestion, (2300 + 10 * 350) / 2);
  assert.equal(view.summary.rawCodePerQuestion, (10 * 6000) / 2);
  assert.equal(buildCostView([a], { testWeight: 1, dailyBudgetTokens: 1, now }).summary.amortizedPerQuestion, 1800 + 350);
});
