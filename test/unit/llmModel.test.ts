import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createOpenAiModel, jsonSchemaOf, ModelError, parseStructured, type ChatRequest } from '../../src/core/llm/chatModel';
import { startScriptedServer, type ScriptedServer, type Step } from '../helpers/scriptedServer';

const servers: ScriptedServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function setup(steps: Step[], extra: { timeoutMs?: number; maxRetries?: number; models?: string[] } = {}) {
  const server = await startScriptedServer({ steps, models: extra.models });
  servers.push(server);
  const waits: number[] = [];
  const model = createOpenAiModel({
    baseUrl: server.baseUrl, apiKey: 'test-key', model: 'm1', timeoutMs: extra.timeoutMs ?? 5000, maxRetries: extra.maxRetries ?? 3,
    sleep: async (ms) => void waits.push(ms),
  });
  return { server, model, waits };
}

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }], maxTokens: 50 };

async function rejects(p: Promise<unknown>, kind: string): Promise<ModelError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ModelError, String(e));
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail('expected a rejection');
}

test('streams text and reports server usage', async () => {
  const { server, model } = await setup([{ type: 'reply', content: 'Hello there, world', chunks: ['Hello', ' there,', ' world'], usage: { prompt_tokens: 11, completion_tokens: 3 } }]);
  const deltas: string[] = [];
  const res = await model.chat({ ...ask, onText: (d) => deltas.push(d) });
  assert.deepEqual(deltas, ['Hello', ' there,', ' world']);
  assert.equal(res.text, 'Hello there, world');
  assert.deepEqual(res.usage, { promptTokens: 11, completionTokens: 3 });
  const body = server.chatRequests()[0].json!;
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.equal(body.max_tokens, 50);
  assert.equal(server.chatRequests()[0].headers.authorization, 'Bearer test-key');
});

test('counts tokens locally and marks them estimated when the server sends no usage', async () => {
  const { model } = await setup([{ type: 'reply', content: 'two words', usage: null }]);
  const res = await model.chat(ask);
  assert.equal(res.usage.estimated, true);
  assert.ok(res.usage.promptTokens > 0 && res.usage.completionTokens === 2);
});

test('sends a strict json_schema response_format', async () => {
  const schema = z.object({ answer: z.string() });
  const { server, model } = await setup([{ type: 'reply', content: '{"answer":"42"}' }]);
  const res = await model.chat({ ...ask, jsonSchema: jsonSchemaOf('answer', schema) });
  assert.deepEqual(parseStructured(res.text, schema), { value: { answer: '42' } });
  const rf = server.chatRequests()[0].json!.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
  assert.equal(rf.type, 'json_schema');
  assert.equal(rf.json_schema.strict, true);
  assert.deepEqual(rf.json_schema.schema.required, ['answer']);
});

test('parseStructured tolerates fences and reports malformed output', () => {
  const schema = z.object({ a: z.number() });
  assert.deepEqual(parseStructured('```json\n{"a":1}\n```', schema), { value: { a: 1 } });
  assert.match((parseStructured('{"a": 1', schema) as { error: string }).error, /invalid JSON/);
  assert.match((parseStructured('{"a": "x"}', schema) as { error: string }).error, /schema/);
});

test('429 waits as Retry-After says, then succeeds', async () => {
  const { server, model, waits } = await setup([{ type: 'rate-limit', retryAfter: '2' }, { type: 'reply', content: 'ok' }]);
  const res = await model.chat(ask);
  assert.equal(res.text, 'ok');
  assert.equal(res.attempts, 2);
  assert.deepEqual(waits, [2000]);
  assert.equal(server.chatRequests().length, 2);
});

test('500 and 503 are retried with exponential backoff', async () => {
  const { model, waits } = await setup([{ type: 'error', status: 500 }, { type: 'error', status: 503 }, { type: 'reply', content: 'ok' }]);
  const res = await model.chat(ask);
  assert.equal(res.attempts, 3);
  assert.equal(waits.length, 2);
  assert.ok(waits[1] > waits[0]);
});

test('gives up on persistent 500 after maxRetries, and asks beforeRetry each time', async () => {
  const { server, model } = await setup([{ type: 'error', status: 500, times: 10 }], { maxRetries: 2 });
  const seen: number[] = [];
  const e = await rejects(model.chat({ ...ask, beforeRetry: (n) => void seen.push(n) }), 'server');
  assert.deepEqual(seen, [2, 3]);
  assert.equal(server.chatRequests().length, 3);
  assert.match(e.message, /500.*gave up after 3 attempts/);
});

test('beforeRetry can stop retries', async () => {
  const { server, model } = await setup([{ type: 'error', status: 503, times: 10 }]);
  await rejects(model.chat({ ...ask, beforeRetry: () => { throw new ModelError('budget', 'budget spent'); } }), 'budget');
  assert.equal(server.chatRequests().length, 1);
});

test('a hung request hits the idle timeout', async () => {
  const { model } = await setup([{ type: 'hang' }], { timeoutMs: 200 });
  const e = await rejects(model.chat(ask), 'timeout');
  assert.match(e.message, /sent nothing for 200 ms/);
});

test('cancellation aborts a hung request', async () => {
  const { model } = await setup([{ type: 'hang' }]);
  const ctrl = new AbortController();
  const p = model.chat({ ...ask, signal: ctrl.signal });
  ctrl.abort();
  await rejects(p, 'aborted');
});

test('a stream cut mid-way is retried when nothing was shown yet', async () => {
  const { model } = await setup([{ type: 'cut', chunks: ['par', 'tial'] }, { type: 'reply', content: 'full answer' }]);
  const res = await model.chat(ask);
  assert.equal(res.text, 'full answer');
  assert.equal(res.attempts, 2);
});

test('a stream cut mid-way after text was streamed fails with the partial text', async () => {
  const { model } = await setup([{ type: 'cut', chunks: ['par', 'tial'] }, { type: 'reply', content: 'unused' }]);
  const shown: string[] = [];
  const e = await rejects(model.chat({ ...ask, onText: (d) => shown.push(d) }), 'interrupted');
  assert.equal(e.details.partialText, 'partial');
  assert.equal(shown.join(''), 'partial');
});

test('401, 404 and context overflow get actionable messages without retries', async () => {
  const { server, model } = await setup([
    { type: 'error', status: 401, message: 'Incorrect API key provided' },
    { type: 'error', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens" },
  ], { models: ['other'] });
  assert.match((await rejects(model.chat(ask), 'model-not-found')).message, /SLEEPTIME_MODEL/);
  server.push({ type: 'reply', content: 'x' });
  const ok = createOpenAiModel({ baseUrl: server.baseUrl, apiKey: 'bad', model: 'other', maxRetries: 3, sleep: async () => {} });
  assert.match((await rejects(ok.chat(ask), 'auth')).message, /OPENAI_API_KEY/);
  assert.match((await rejects(ok.chat(ask), 'context-length')).message, /lower --budget/);
  assert.equal(server.chatRequests().length, 3);
});

test('connection refused is a connection error', async () => {
  const { server } = await setup([]);
  const url = server.baseUrl;
  await server.close();
  const model = createOpenAiModel({ baseUrl: url, model: 'm', maxRetries: 1, sleep: async () => {} });
  assert.match((await rejects(model.chat(ask), 'connection')).message, /Cannot reach/);
});
