import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ask, type AskOptions, type AskResult } from '../../src/core/ask';
import type { ChatModel } from '../../src/core/llm/chatModel';
import { Store } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';
import {
  createParticipant, findCitations, followupQuestions, registerChatParticipant, PARTICIPANT_ID,
  type ParticipantApi, type ParticipantDeps, type ParticipantStream, type ParticipantToken,
} from '../../src/extension/chatParticipant';
import type { AgentFolder } from '../../src/extension/lmTools';

function note(p: Partial<Note> & Pick<Note, 'id' | 'kind'>): Note {
  return { title: p.id, body: `About ${p.id}.`, evidence: [], dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00Z', ...p };
}

function qa(question: string, file: string, score = 0.5, stale = false): Note {
  return note({ id: `qa:${question}`, kind: 'qa', title: question, score, stale, meta: { question }, evidence: [{ path: file, startLine: 1, endLine: 3 }] });
}

const notes: Note[] = [
  note({ id: 'bug:src/core/store.ts:12', kind: 'bug', title: 'Swallowed exception in save', score: 0.9, evidence: [{ path: 'src/core/store.ts', startLine: 12, endLine: 14 }] }),
  note({ id: 'bug:src/cli/main.ts:7', kind: 'bug', title: 'Unawaited promise', score: 0.5, evidence: [{ path: 'src/cli/main.ts', startLine: 7, endLine: 7 }] }),
  qa('How is the store saved?', 'src/core/store.ts', 0.2),
  qa('What does the store lock protect?', 'src/core/lock.ts', 0.3),
  qa('How do I add a CLI flag?', 'src/cli/main.ts', 0.99),
  qa('Which store files are stale?', 'src/core/store.ts', 0.9, true),
];
const folder: AgentFolder = { name: 'repo', root: '/repo', storeDir: '/store', notes };

type Loc = { abs: string; startLine: number; endLine: number };
type Part = { type: 'markdown' | 'progress'; value: string } | { type: 'reference'; value: Loc } | { type: 'anchor'; value: Loc; title?: string };

function recorder(): { stream: ParticipantStream<Loc>; parts: Part[]; text(): string } {
  const parts: Part[] = [];
  return {
    parts,
    stream: {
      markdown: (value) => parts.push({ type: 'markdown', value }),
      progress: (value) => parts.push({ type: 'progress', value }),
      reference: (value) => parts.push({ type: 'reference', value }),
      anchor: (value, title) => parts.push({ type: 'anchor', value, title }),
    },
    text: () => parts.map((p) => (p.type === 'markdown' ? p.value : p.type === 'anchor' ? `[${p.title}]` : '')).join(''),
  };
}

function cancellable(): { token: ParticipantToken; cancel(): void } {
  const listeners: (() => unknown)[] = [];
  let cancelled = false;
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested: (l) => {
        listeners.push(l);
        return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
      },
    },
    cancel: () => {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function result(partial: Partial<AskResult>): AskResult {
  return { question: 'q', budgetTokens: 900, contextTokens: 640, files: [], notes: [], answer: '', servedBy: 'offline', latencyMs: 12, ...partial };
}

function deps(over: Partial<ParticipantDeps<Loc>> = {}): ParticipantDeps<Loc> & { calls: AskOptions[] } {
  const calls: AskOptions[] = [];
  return {
    calls,
    workspace: { folders: async () => [folder], activePath: () => '/repo/src/core/store.ts' },
    ask: async (opts) => {
      calls.push(opts);
      opts.onText?.('The store writes atomically, see `src/core/store.ts:40` and src/ghost.ts:3 and ../etc/passwd.ts:1.');
      return result({
        answer: 'The store writes atomically, see `src/core/store.ts:40` and src/ghost.ts:3 and ../etc/passwd.ts:1.',
        files: [{ path: 'src/core/store.ts', score: 1 }],
        notes: [{ id: 'file:src/core/store.ts', kind: 'file', title: 'store', path: 'src/core/store.ts', startLine: 1, endLine: 80 }],
      });
    },
    budget: () => ({ questionBudgetTokens: 900, maxAnswerTokens: 250 }),
    location: (abs, startLine, endLine) => ({ abs, startLine, endLine }),
    exists: (abs) => abs !== '/repo/src/ghost.ts',
    logger,
    ...over,
  };
}

describe('@sleeptime participant', () => {
  it('answers from the notes within the configured budget, offline without a model, streaming the text', async () => {
    const d = deps();
    const r = recorder();
    const res = await createParticipant(d).handle({ prompt: 'How is the store saved?' }, r.stream, cancellable().token);
    assert.equal(d.calls.length, 1);
    const call = d.calls[0];
    assert.equal(call.budgetTokens, 900);
    assert.equal(call.maxAnswerTokens, 250);
    assert.equal(call.offline, true);
    assert.equal(call.model, undefined);
    assert.equal(call.root, '/repo');
    assert.equal(call.storeDir, '/store');
    assert.equal(r.parts[0].type, 'progress');
    assert.equal(r.parts.filter((p) => p.type === 'markdown' && p.value.startsWith('The store writes')).length, 1, 'streamed once, not repeated');
    assert.match(r.text(), /_Cost: 640 \/ 900 context tokens · 0 \/ 250 completion tokens · 1 note · 0\.01 s · offline, no model call_/);
    assert.deepEqual(res.metadata, { folder: 'repo', question: 'How is the store saved?', files: ['src/core/store.ts'] });
    assert.equal(res.errorDetails, undefined);
  });

  it('cites existing files in the folder as references and anchors; missing files and ../ paths are not cited', async () => {
    const r = recorder();
    await createParticipant(deps()).handle({ prompt: 'How is the store saved?' }, r.stream, cancellable().token);
    const refs = r.parts.filter((p) => p.type === 'reference').map((p) => p.value as Loc);
    assert.deepEqual(refs, [
      { abs: '/repo/src/core/store.ts', startLine: 40, endLine: 40 },
      { abs: '/repo/src/core/store.ts', startLine: 1, endLine: 80 },
    ]);
    const anchors = r.parts.filter((p) => p.type === 'anchor');
    assert.deepEqual(anchors.map((a) => (a.type === 'anchor' ? a.title : '')), ['src/core/store.ts:40', 'src/core/store.ts:1']);
    assert.match(r.text(), /\*\*Sources:\*\* \[src\/core\/store\.ts:40\] · \[src\/core\/store\.ts:1\]\n/);
  });

  it('uses the model from the seam when one is given', async () => {
    const model: ChatModel = { id: 'scripted-model', chat: async () => ({ text: 'x', usage: { promptTokens: 1, completionTokens: 1 } }) };
    const d = deps({
      getModel: () => model,
      ask: async (opts) => {
        d.calls.push(opts);
        opts.onText?.('From the model.');
        return result({ answer: 'From the model.', servedBy: 'model', model: 'scripted-model', usage: { promptTokens: 700, completionTokens: 42 } });
      },
    });
    const r = recorder();
    await createParticipant(d).handle({ prompt: 'Explain the store' }, r.stream, cancellable().token);
    assert.equal(d.calls[0].model, model);
    assert.equal(d.calls[0].offline, false);
    assert.match(r.text(), /42 \/ 250 completion tokens .* model scripted-model_/);
  });

  it('a model that cannot be resolved gives an error result, not a throw', async () => {
    const d = deps({ getModel: () => Promise.reject(new Error('SecretStorage unavailable')) });
    const res = await createParticipant(d).handle({ prompt: 'Explain the store' }, recorder().stream, cancellable().token);
    assert.deepEqual(res.errorDetails, { message: 'SecretStorage unavailable' });
    assert.equal(d.calls.length, 0);
  });

  it('cancellation aborts the answer and reports it as stopped', async () => {
    const c = cancellable();
    const d = deps({
      ask: (opts) =>
        new Promise((_resolve, reject) => {
          opts.signal?.addEventListener('abort', () => reject(new Error('aborted by signal')));
          c.cancel();
        }),
    });
    const res = await createParticipant(d).handle({ prompt: 'Slow question' }, recorder().stream, c.token);
    assert.deepEqual(res.errorDetails, { message: 'Stopped.' });
  });

  it('a folder that was never analyzed gives the engine\'s one-line error', async () => {
    const d = deps({ ask: () => Promise.reject(new Error('no notes for /repo: run sleeptime analyze /repo first')) });
    const res = await createParticipant(d).handle({ prompt: 'Anything?' }, recorder().stream, cancellable().token);
    assert.match(res.errorDetails?.message ?? '', /run sleeptime analyze/);
  });

  it('no folder open: says so without calling ask', async () => {
    const d = deps({ workspace: { folders: async () => [], activePath: () => undefined } });
    const r = recorder();
    const res = await createParticipant(d).handle({ prompt: 'Anything?' }, r.stream, cancellable().token);
    assert.equal(d.calls.length, 0);
    assert.match(r.text(), /No workspace folder is open/);
    assert.ok(res.errorDetails);
  });

  it('/bugs with a path lists the bugs under it, citing them', async () => {
    const d = deps();
    const r = recorder();
    const res = await createParticipant(d).handle({ prompt: 'src/core', command: 'bugs' }, r.stream, cancellable().token);
    assert.equal(d.calls.length, 0, 'no ask for a slash command');
    assert.match(r.text(), /Swallowed exception in save/);
    assert.doesNotMatch(r.text(), /Unawaited promise/);
    assert.deepEqual(r.parts.filter((p) => p.type === 'reference').map((p) => (p.value as Loc).abs), ['/repo/src/core/store.ts']);
    assert.deepEqual(res.metadata.files, ['src/core/store.ts']);
  });

  it('follow-ups are anticipated questions near the answer\'s files, never the asked one or stale ones', async () => {
    const p = createParticipant(deps());
    const followups = await p.followups({ metadata: { folder: 'repo', question: 'how is the STORE saved', files: ['src/core/store.ts'] } });
    assert.deepEqual(followups.map((f) => f.prompt), ['What does the store lock protect?', 'How do I add a CLI flag?']);
    assert.deepEqual(await p.followups({}), []);
  });

  it('followupQuestions ranks the same file before the same folder before elsewhere', () => {
    const extra = [...notes, qa('Where are store paths built?', 'src/core/paths/build.ts', 0.1)];
    assert.deepEqual(followupQuestions(extra, ['src/core/store.ts'], 'unrelated', 3), [
      'How is the store saved?', 'What does the store lock protect?', 'Where are store paths built?',
    ]);
  });

  it('findCitations keeps path:line and ranges, drops ../ and line 0', () => {
    assert.deepEqual(findCitations('a `src/a.ts:3-9`, src/a.ts:3 again, ../x.ts:1, b.py:0, README.md:12'), [
      { path: 'src/a.ts', startLine: 3, endLine: 9 },
      { path: 'README.md', startLine: 12, endLine: 12 },
    ]);
  });
});

describe('registration against a fake vscode API', () => {
  it('creates the participant with its id, icon and follow-up provider, and maps locations to 0-based ranges', async () => {
    let created: { id: string; handler: vscode.ChatRequestHandler } | undefined;
    const participant = { iconPath: undefined, followupProvider: undefined } as unknown as vscode.ChatParticipant;
    const api = {
      chat: { createChatParticipant: (id: string, handler: vscode.ChatRequestHandler) => ((created = { id, handler }), participant) },
      Uri: { file: (p: string) => ({ fsPath: p }) },
      Location: class { constructor(readonly uri: unknown, readonly range: unknown) {} },
      Range: class { constructor(readonly sl: number, readonly sc: number, readonly el: number, readonly ec: number) {} },
      ThemeIcon: class { constructor(readonly id: string) {} },
    } as unknown as ParticipantApi;
    const d = deps();
    const chat = registerChatParticipant(api, { workspace: d.workspace, ask: d.ask, budget: d.budget, exists: d.exists, logger });
    assert.equal(created?.id, PARTICIPANT_ID);
    assert.ok(chat.followupProvider);
    const refs: unknown[] = [];
    const stream = { markdown: () => undefined, progress: () => undefined, reference: (l: unknown) => refs.push(l), anchor: () => undefined } as unknown as vscode.ChatResponseStream;
    const request = { prompt: 'How is the store saved?', command: undefined } as unknown as vscode.ChatRequest;
    const res = await created?.handler(request, { history: [] } as unknown as vscode.ChatContext, stream, cancellable().token as unknown as vscode.CancellationToken);
    assert.equal((res as { metadata: { folder: string } }).metadata.folder, 'repo');
    assert.deepEqual(JSON.parse(JSON.stringify(refs[0])), { uri: { fsPath: '/repo/src/core/store.ts' }, range: { sl: 39, sc: 0, el: 39, ec: 0 } });
  });
});

describe('with the real engine', () => {
  it('answers offline from a saved store through core ask', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-participant-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/cache.ts'), 'export function evictOldest(cache) {\n  cache.entries.shift();\n  return cache;\n}\n');
    const storeDir = path.join(root, '.sleeptime');
    const { store } = await Store.open(storeDir, { root });
    await store.save({
      notes: [note({ id: 'file:src/cache.ts', kind: 'file', title: 'src/cache.ts', body: 'Defines evictOldest, the LRU eviction (src/cache.ts:1).', evidence: [{ path: 'src/cache.ts', startLine: 1, endLine: 4 }], subject: 'src/cache.ts', score: 1 })],
      files: new Map(),
    });
    const real: AgentFolder = { name: 'cache', root, storeDir, notes: store.notes() };
    const r = recorder();
    const res = await createParticipant<Loc>({
      workspace: { folders: async () => [real], activePath: () => undefined },
      ask,
      budget: () => ({ questionBudgetTokens: 400, maxAnswerTokens: 100 }),
      location: (abs, startLine, endLine) => ({ abs, startLine, endLine }),
      logger,
    }).handle({ prompt: 'How does evictOldest work?' }, r.stream, cancellable().token);
    assert.equal(res.errorDetails, undefined);
    assert.match(r.text(), /evictOldest/);
    assert.match(r.text(), /\/ 400 context tokens/);
    assert.ok(r.parts.some((p) => p.type === 'reference' && (p.value as Loc).abs === path.join(root, 'src/cache.ts')));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
