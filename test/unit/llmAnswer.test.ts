import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { answerOverheadTokens, answerWithModel, matchAnticipated } from '../../src/core/llm/answer';
import { createOpenAiModel, ModelError } from '../../src/core/llm/chatModel';
import type { Note } from '../../src/core/types';
import { startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';

const servers: ScriptedServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const qa = (question: string, extra: Partial<Note> = {}): Note => ({
  id: `qa:src:${question}`, kind: 'qa', title: question, body: `Answer to ${question} (src/a.ts:3).`,
  evidence: [{ path: 'src/a.ts', startLine: 3, endLine: 4 }], dependsOn: {}, origin: 'llm:m', stale: false,
  createdAt: '2025-01-01T00:00:00Z', meta: { question }, ...extra,
});

test('streams a cited answer with server usage, redacting the context first', async () => {
  const server = await startScriptedServer({ steps: [{ type: 'reply', content: 'Reserve checks the limit (src/a.ts:3).', usage: { prompt_tokens: 210, completion_tokens: 12 } }] });
  servers.push(server);
  const model = createOpenAiModel({ baseUrl: server.baseUrl, model: 'm2' });
  const secret = ['ghp_', 'Q'.repeat(36)].join('');
  const deltas: string[] = [];
  const res = await answerWithModel({
    question: 'How does reserve work?', context: `[note] src/a.ts:3 reserve()\ntoken = ${secret}`, model, maxAnswerTokens: 64,
    onText: (d) => deltas.push(d),
  });
  assert.equal(res.text, 'Reserve checks the limit (src/a.ts:3).');
  assert.equal(deltas.join(''), res.text);
  assert.deepEqual(res.usage, { promptTokens: 210, completionTokens: 12 });
  assert.equal(res.model, 'm2');
  assert.equal(res.redacted, 1);
  const body = server.chatRequests()[0].body;
  assert.ok(!body.includes(secret));
  const msgs = server.chatRequests()[0].json!.messages!;
  assert.match(msgs[0].content, /path:line/);
  assert.match(msgs[1].content, /Question: How does reserve work\?$/);
  assert.equal(server.chatRequests()[0].json!.max_tokens, 64);
});

test('a failed answer call surfaces a ModelError', async () => {
  const server = await startScriptedServer({ steps: [{ type: 'error', status: 401 }] });
  servers.push(server);
  const model = createOpenAiModel({ baseUrl: server.baseUrl, model: 'm2' });
  await assert.rejects(answerWithModel({ question: 'q', context: 'c', model, maxAnswerTokens: 10 }), (e) => e instanceof ModelError && e.kind === 'auth');
});

test('answerOverheadTokens grows with the question', () => {
  const a = answerOverheadTokens('short?');
  const b = answerOverheadTokens('a much longer question about how the sleep budget is reserved and committed?');
  assert.ok(a > 20 && b > a);
});

test('matchAnticipated serves a close anticipated question and ignores far or stale ones', () => {
  const notes = [
    qa('How is the sleep-time token budget enforced?'),
    qa('Where are retries configured?'),
    qa('How does the parser handle syntax errors?', { stale: true }),
  ];
  const hit = matchAnticipated('How is the sleep token budget enforced?', notes);
  assert.equal(hit?.note.id, notes[0].id);
  assert.ok(hit!.similarity >= 0.7 && hit!.similarity <= 1);
  assert.equal(matchAnticipated('Where is the retry count configured?', notes, { threshold: 0.5 })?.note.id, notes[1].id);
  assert.equal(matchAnticipated('What license does the project use?', notes), undefined);
  assert.equal(matchAnticipated('How does the parser handle syntax errors?', notes), undefined, 'stale notes are not served');
});
