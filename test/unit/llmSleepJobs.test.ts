import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { createOpenAiModel } from '../../src/core/llm/chatModel';
import { openLedger, SleepBudget } from '../../src/core/llm/ledger';
import { mergeSleepNotes, runSleepJobs, type SleepJobsOptions } from '../../src/core/llm/sleepJobs';
import type { FileAnalysis, Note } from '../../src/core/types';
import { startScriptedServer, type Behaviour, type RecordedRequest, type ScriptedServer, type Step } from '../helpers/scriptedServer';

const PLANTED_KEY = ['sk-proj-', 'PLANTEDsecret0123456789abcdef'].join('');
const ENV_SECRET = 'ENV_ONLY_VALUE_9f8e7d';
const FILES: Record<string, string> = {
  'src/budget.ts': [
    '/** Token budget. */',
    'export class Budget {',
    '  constructor(private limit: number) {}',
    '  reserve(n: number): boolean {',
    '    if (n > this.limit) return false;',
    '    this.limit -= n;',
    '    return true;',
    '  }',
    '}',
  ].join('\n'),
  'src/config.ts': ['export const config = {', `  apiKey: "${PLANTED_KEY}",`, '  retries: 3,', '};'].join('\n'),
  'test/budget.test.ts': ["import { Budget } from '../src/budget';", "test('reserve', () => new Budget(3).reserve(1));"].join('\n'),
  '.env': `OPENAI_API_KEY=${ENV_SECRET}`,
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-sleep-'));
const servers: ScriptedServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fs.rmSync(root, { recursive: true, force: true });
});

function analysis(p: string, text: string): FileAnalysis {
  return {
    path: p, language: p.endsWith('.ts') ? 'typescript' : null, hash: createHash('sha1').update(text).digest('hex'),
    bytes: text.length, lines: text.split('\n').length, defs: [], refs: [], imports: [], bugs: [],
  };
}
const files = new Map(Object.entries(FILES).map(([p, t]) => [p, analysis(p, t)]));
const bugNote: Note = {
  id: 'bug:src/budget.ts:5:unchecked-negative', kind: 'bug', title: 'Negative reservation not rejected',
  body: 'A negative `n` increases the limit at src/budget.ts:5.', evidence: [{ path: 'src/budget.ts', startLine: 5, endLine: 6 }],
  dependsOn: { 'src/budget.ts': files.get('src/budget.ts')!.hash }, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00Z', score: 0.4,
};

const QA = JSON.stringify({
  questions: [
    { question: 'How does Budget.reserve decide whether a reservation fits?', answer: 'It compares n with the limit at src/budget.ts:5 and subtracts it.', evidence: [{ path: 'src/budget.ts', startLine: 4, endLine: 8 }, { path: 'src/nope.ts', startLine: 1, endLine: 2 }] },
    { question: 'Where are retries configured?', answer: 'In the config object.', evidence: [{ path: 'src/config.ts', startLine: 3, endLine: 99 }] },
    { question: 'What is the meaning of life?', answer: 'Unknown.', evidence: [{ path: 'src/ghost.ts', startLine: 1, endLine: 1 }] },
  ],
});
const SUMMARY = JSON.stringify({ title: 'Budget and config', summary: 'Budget lives in src/budget.ts:2.', evidence: [{ path: 'src/budget.ts', startLine: 2, endLine: 9 }] });
const TESTS = JSON.stringify({ narrative: 'test/budget.test.ts:2 covers reserve.', testCommand: 'npm test', evidence: [{ path: 'test/budget.test.ts', startLine: 2, endLine: 2 }] });
const BUGS = (verdict: string): string => JSON.stringify({ verdicts: [{ id: bugNote.id, verdict, reason: 'n is never checked for sign at src/budget.ts:5.' }] });

const USAGE = { prompt_tokens: 300, completion_tokens: 40 };
function byJob(req: RecordedRequest): Behaviour {
  const b = req.body;
  if (b.includes('"name":"qa"')) return { type: 'reply', content: QA, usage: USAGE };
  if (b.includes('"name":"bugs"')) return { type: 'reply', content: BUGS('confirmed'), usage: USAGE };
  if (b.includes('"name":"tests"')) return { type: 'reply', content: TESTS, usage: USAGE };
  return { type: 'reply', content: SUMMARY, usage: USAGE };
}

async function setup(steps: Step[] = [], over: Partial<SleepJobsOptions> = {}) {
  const server = await startScriptedServer({ steps, fallback: byJob });
  servers.push(server);
  const storeDir = fs.mkdtempSync(path.join(root, 'store-'));
  const ledger = openLedger(storeDir);
  const warnings: string[] = [];
  const opts: SleepJobsOptions = {
    root, notes: [bugNote], files, readText: (p) => FILES[p],
    model: createOpenAiModel({ baseUrl: server.baseUrl, model: 'm1', timeoutMs: 5000, sleep: async () => {} }),
    budget: SleepBudget.perRun(1_000_000), ledger,
    logger: { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} },
    ...over,
  };
  return { server, ledger, opts, warnings };
}

test('writes qa notes with validated evidence, llm origin and file hashes', async () => {
  const { opts } = await setup();
  const res = await runSleepJobs(opts);
  assert.deepEqual(res.errors, []);
  const qa = res.notes.filter((n) => n.kind === 'qa');
  assert.equal(qa.length, 2, 'the question citing only a missing file is dropped');
  const reserve = qa.find((n) => /reserve/.test(n.title))!;
  assert.deepEqual(reserve.evidence, [{ path: 'src/budget.ts', startLine: 4, endLine: 8 }]);
  assert.equal(reserve.origin, 'llm:m1');
  assert.equal(reserve.meta?.question, reserve.title);
  assert.match(reserve.body, /src\/budget\.ts:5/);
  assert.equal(reserve.dependsOn['src/budget.ts'], files.get('src/budget.ts')!.hash);
  const retries = qa.find((n) => /retries/.test(n.title))!;
  assert.deepEqual(retries.evidence, [{ path: 'src/config.ts', startLine: 3, endLine: 4 }], 'end line clamped');
  assert.match(retries.body, /src\/config\.ts:3/, 'a citation is added when the answer has none');
  for (const n of res.notes) assert.equal(n.origin, 'llm:m1');
  const bug = res.notes.find((n) => n.id === bugNote.id)!;
  assert.equal(bug.meta?.verdict, 'confirmed');
  assert.ok(bug.score! > bugNote.score!);
  assert.ok(res.notes.some((n) => n.id === 'test-hook:test:llm' && n.meta?.command === 'npm test'));
  assert.ok(res.notes.some((n) => n.id === 'architecture:narrative'));
  assert.ok(res.notes.some((n) => n.id === 'component:src:llm'));
});

test('no secret from a secret file or a planted key reaches any request', async () => {
  const { server, opts } = await setup();
  await runSleepJobs(opts);
  const bodies = server.chatRequests().map((r) => r.body);
  assert.ok(bodies.length >= 4);
  assert.ok(bodies.some((b) => b.includes('src/config.ts') && b.includes('retries: 3')), 'the file itself was sent');
  for (const b of bodies) {
    assert.ok(!b.includes(PLANTED_KEY), 'planted key leaked');
    assert.ok(!b.includes(ENV_SECRET), '.env content leaked');
    assert.ok(!b.includes('### .env'), '.env was quoted');
  }
});

test('the ledger records exactly the usage the server reported', async () => {
  const { server, ledger, opts } = await setup([{ type: 'reply', content: SUMMARY, usage: { prompt_tokens: 123, completion_tokens: 7 }, when: '"name":"architecture"' }]);
  const res = await runSleepJobs(opts);
  const entries = ledger.read().entries;
  const calls = server.chatRequests().length;
  assert.equal(entries.length, calls);
  const total = entries.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
  assert.equal(total, (calls - 1) * 340 + 130);
  assert.ok(entries.every((e) => e.kind === 'sleep' && e.model === 'm1' && !e.estimated));
  assert.ok(entries.some((e) => e.job === 'architecture:narrative' && e.promptTokens === 123));
  assert.equal(res.usage.promptTokens + res.usage.completionTokens, total);
  assert.equal(opts.budget.spent, total);
});

test('the sleep budget is never exceeded, retries included', async () => {
  for (const limit of [1000, 1400, 1800]) {
    const { server, ledger, opts } = await setup(
      [{ type: 'error', status: 503, times: 2 }, { type: 'rate-limit', retryAfter: '1' }],
      { budget: SleepBudget.perRun(limit), maxTokensPerCall: 400, excerptTokens: 600 },
    );
    const res = await runSleepJobs(opts);
    const spent = ledger.read().entries.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
    assert.ok(spent <= limit, `spent ${spent} > ${limit}`);
    assert.equal(opts.budget.reserved, 0);
    assert.ok(res.jobs.some((j) => j.status === 'skipped-budget'), `limit ${limit}: some job should not fit ${JSON.stringify(res.jobs)} ${spent}`);
    assert.ok(server.chatRequests().length > ledger.read().entries.length, 'failed attempts were made');
  }
});

test('SleepBudget reserves, commits and releases without passing the limit', () => {
  const b = SleepBudget.perRun(100);
  const r1 = b.reserve(60)!;
  assert.equal(b.reserve(50), undefined);
  b.commit(r1, 30);
  assert.equal(b.spent, 30);
  const r2 = b.reserve(70)!;
  assert.equal(b.remaining, 0);
  b.release(r2);
  assert.equal(b.remaining, 70);
  const today = SleepBudget.perDay(1000, [
    { at: new Date().toISOString(), kind: 'sleep', job: 'x', model: 'm', promptTokens: 200, completionTokens: 50 },
    { at: '2000-01-01T12:00:00Z', kind: 'sleep', job: 'x', model: 'm', promptTokens: 500, completionTokens: 0 },
    { at: new Date().toISOString(), kind: 'test', job: 'answer', model: 'm', promptTokens: 90, completionTokens: 10 },
  ]);
  assert.equal(today.spent, 250);
});

test('malformed output is retried once, then the job is dropped with a log line', async () => {
  const bad: Step = { type: 'reply', content: '{"questions": [ oops', when: '"name":"qa"', times: 2 };
  const { server, opts, warnings } = await setup([bad]);
  const res = await runSleepJobs(opts);
  const qaJob = res.jobs.find((j) => j.id === 'qa:src')!;
  assert.equal(qaJob.status, 'dropped');
  assert.equal(server.chatRequests().filter((r) => r.body.includes('"name":"qa"')).length, 2);
  assert.ok(warnings.some((w) => /qa:src dropped: .*malformed twice/.test(w)));
  assert.equal(res.notes.filter((n) => n.kind === 'qa').length, 0);
  assert.ok(res.notes.some((n) => n.kind === 'architecture'), 'other jobs still ran');
});

test('malformed output once is recovered by the retry', async () => {
  const { opts } = await setup([{ type: 'reply', content: 'Sure! Here is JSON:', when: '"name":"qa"' }]);
  const res = await runSleepJobs(opts);
  assert.equal(res.jobs.find((j) => j.id === 'qa:src')!.status, 'done');
  assert.equal(res.notes.filter((n) => n.kind === 'qa').length, 2);
});

test('k=3 keeps the questions and verdicts a majority of samples agree on', async () => {
  const q = (question: string) => ({ question, answer: `About ${question} see src/budget.ts:4.`, evidence: [{ path: 'src/budget.ts', startLine: 4, endLine: 7 }] });
  const sample = (...qs: string[]): Step => ({ type: 'reply', content: JSON.stringify({ questions: qs.map(q) }), when: '"name":"qa"' });
  const { server, opts } = await setup([
    sample('How does Budget.reserve check the limit?', 'Where is the retry count configured?', 'Who wrote this code?'),
    sample('How does the Budget reserve method check its limit?', 'Where is the retry count set in config?'),
    sample('How does reserve check the Budget limit?', 'Why is the sky blue today?'),
    { type: 'reply', content: BUGS('confirmed'), when: '"name":"bugs"' },
    { type: 'reply', content: BUGS('refuted'), when: '"name":"bugs"' },
    { type: 'reply', content: BUGS('refuted'), when: '"name":"bugs"' },
  ], { k: 3 });
  const res = await runSleepJobs(opts);
  assert.equal(server.chatRequests().filter((r) => r.body.includes('"name":"qa"')).length, 3);
  const qa = res.notes.filter((n) => n.kind === 'qa');
  assert.equal(qa.length, 2);
  const support = qa.map((n) => n.meta?.support).sort();
  assert.deepEqual(support, [2, 3]);
  assert.ok(qa.every((n) => !/sky|wrote/.test(n.title)));
  const bug = res.notes.find((n) => n.id === bugNote.id)!;
  assert.equal(bug.meta?.verdict, 'refuted');
  assert.ok(bug.score! < bugNote.score!);
  assert.match(bug.body, /^A negative/);
});

test('focus paths go first, and fresh model notes skip their jobs', async () => {
  const { opts } = await setup([], { focus: ['test/budget.test.ts'] });
  const first = await runSleepJobs(opts);
  const ran = first.jobs.filter((j) => j.status === 'done').map((j) => j.id);
  assert.equal(ran[0], 'architecture:narrative');
  assert.ok(ran.indexOf('tests:test') < ran.indexOf('qa:src'), ran.join(','));
  const merged = mergeSleepNotes([bugNote], first);
  assert.equal(merged.filter((n) => n.id === bugNote.id).length, 1);
  const { server, opts: again } = await setup([], { notes: merged });
  const second = await runSleepJobs(again);
  assert.equal(server.chatRequests().length, 0);
  assert.ok(second.jobs.every((j) => j.status === 'skipped-fresh'), JSON.stringify(second.jobs));
  const changed = new Map(files);
  changed.set('src/budget.ts', { ...files.get('src/budget.ts')!, hash: 'changed' });
  const { opts: third } = await setup([], { notes: merged, files: changed });
  const rerun = await runSleepJobs(third);
  assert.ok(rerun.jobs.some((j) => j.id === 'qa:src' && j.status === 'done'));
});

test('cancellation stops the run and reports cancelled jobs', async () => {
  const ctrl = new AbortController();
  const { opts } = await setup([{ type: 'hang' }], { signal: ctrl.signal });
  const p = runSleepJobs(opts);
  setImmediate(() => ctrl.abort());
  const res = await p;
  assert.ok(res.jobs.every((j) => j.status === 'cancelled' || j.status === 'skipped-fresh'), JSON.stringify(res.jobs));
  assert.equal(opts.budget.reserved, 0);
});
