import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ask, type PreparedAnswer, type PrepareRequest } from '../../src/core/ask';
import type { ChatModel } from '../../src/core/llm/chatModel';
import { readLedger } from '../../src/core/llm/ledger';
import { Store, type CachedFile } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-ask-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function tempRepo(): string {
  return fs.mkdtempSync(path.join(tmpRoot, 'repo-'));
}

test('ask on a folder without a store says to run analyze first', async () => {
  const root = tempRepo();
  await assert.rejects(ask({ root, question: 'what is this?', offline: true }), (err: Error) => {
    assert.match(err.message, /no notes for .*: run sleeptime analyze .* first/);
    assert.ok(!err.message.includes('\n'));
    return true;
  });
  assert.ok(!fs.existsSync(path.join(root, '.sleeptime')), 'asking does not create a store');
});

test('ask with an empty store gives the same clear error', async () => {
  const root = tempRepo();
  const storeDir = path.join(root, '.sleeptime');
  const { store } = await Store.open(storeDir, { root });
  await store.save({ notes: [], files: new Map() });
  await assert.rejects(ask({ root, question: 'q', offline: true }), /run sleeptime analyze/);
});

test('ask offline answers from the stored notes with cited files and spans within the budget', async () => {
  const root = tempRepo();
  const src = ['// cache', '', 'export function evictOldest(cache) {', '  cache.entries.shift();', '  return cache;', '}', ''].join('\n');
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src/cache.ts'), src);
  const file: CachedFile = {
    path: 'src/cache.ts', language: 'typescript', hash: 'x', bytes: src.length, lines: 7, size: src.length, mtimeMs: 0,
    defs: [{ name: 'evictOldest', kind: 'function', startLine: 3, endLine: 6, exported: true }], refs: [], imports: [], bugs: [],
  };
  const notes: Note[] = [{
    id: 'file:src/cache.ts', kind: 'file', title: 'src/cache.ts', body: '**Defines** evictOldest, the LRU eviction.\n- drops the oldest entry',
    evidence: [{ path: 'src/cache.ts', startLine: 3, endLine: 6 }], dependsOn: {}, origin: 'static', stale: false,
    createdAt: '2025-01-01T00:00:00Z', subject: 'src/cache.ts', score: 1,
  }];
  const { store } = await Store.open(path.join(root, '.sleeptime'), { root });
  await store.save({ notes, files: new Map([[file.path, file]]) });

  const res = await ask({ root, question: 'How does evictOldest work?', offline: true, budgetTokens: 400 });
  assert.equal(res.servedBy, 'offline');
  assert.ok(res.contextTokens <= 400);
  assert.equal(res.files[0].path, 'src/cache.ts');
  assert.deepEqual(res.notes.map((n) => n.id), ['file:src/cache.ts']);
  assert.match(res.answer, /^Answered offline from 1 note/);
  assert.match(res.answer, /src\/cache\.ts:3/);
  assert.match(res.answer, /\n {2}\*\*Defines\*\* evictOldest/, 'bold text keeps its asterisks');
  assert.match(res.answer, /\n {2}drops the oldest entry/, 'a list marker is dropped');
  assert.ok(res.latencyMs >= 0);

  const tiny = await ask({ root, question: 'How does evictOldest work?', offline: true, budgetTokens: 5 });
  assert.ok(tiny.contextTokens <= 5);
});

test('ask hands the retrieval to `prepare` and sends only its packed context to the model', async () => {
  const root = tempRepo();
  const storeDir = path.join(root, '.sleeptime');
  fs.mkdirSync(storeDir);
  const requests: PrepareRequest[] = [];
  const prompts: string[] = [];
  const model: ChatModel = {
    id: 'fake',
    chat: async (req) => {
      prompts.push(req.messages.map((m) => m.content).join('\n'));
      return { text: 'It evicts the oldest entry.', usage: { promptTokens: 120, completionTokens: 7 } };
    },
  };
  const prepared: PreparedAnswer = {
    question: 'How does eviction work?', budgetTokens: 900, servedBy: 'model', context: 'CONTEXT-FROM-ELSEWHERE', overheadTokens: 100,
    contextTokens: 300, files: [{ path: 'src/cache.ts', score: 1 }], notes: [{ id: 'file:src/cache.ts', kind: 'file', title: 'src/cache.ts', path: 'src/cache.ts', startLine: 3, endLine: 6 }], rawTokens: 50,
  };
  const res = await ask({
    root, storeDir, question: 'How does eviction work?', budgetTokens: 900, model,
    prepare: async (request) => {
      requests.push(request);
      return prepared;
    },
  });
  // No store holds notes here: everything came from `prepare`.
  assert.deepEqual<PrepareRequest[]>(requests, [{ root, storeDir, question: 'How does eviction work?', budgetTokens: 900, forModel: true }]);
  assert.equal(prompts.length, 1);
  assert.match(prompts[0], /CONTEXT-FROM-ELSEWHERE/);
  assert.equal(res.servedBy, 'model');
  assert.equal(res.answer, 'It evicts the oldest entry.');
  assert.equal(res.contextTokens, 400, 'instructions plus the packed context');
  assert.deepEqual(res.files, prepared.files);
  assert.deepEqual(res.notes, prepared.notes);
  const ledger = readLedger(storeDir).entries;
  assert.equal(ledger.length, 1);
  assert.equal(ledger[0].job, 'answer');
  assert.deepEqual(ledger[0].notes, ['file:src/cache.ts']);

  const offline = await ask({ root, storeDir, question: 'q', offline: true, model, prepare: async (request) => {
    requests.push(request);
    return { question: 'q', budgetTokens: 2000, servedBy: 'offline', answer: 'From the notes.', contextTokens: 10, files: [], notes: [], rawTokens: 0 };
  } });
  assert.equal(requests[1].forModel, false, 'offline: packed as the answer itself');
  assert.equal(offline.answer, 'From the notes.');
  assert.equal(prompts.length, 1, 'no model call offline');
});
