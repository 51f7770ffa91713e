import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AnalyzeStats, RunOptions } from '../../src/core/analyze';
import { silentLogger } from '../../src/core/logger';
import type { AnalysisJob, FromWorker, ToWorker } from '../../src/extension/analysisProtocol';
import { AnalysisWorkerClient, cancelledStats, spawnAnalysisWorker, type WorkerLike } from '../../src/extension/analysisRunner';
import { AnalysisService, type SessionLike } from '../../src/extension/analysisService';
import type { PreparedAnswer, PrepareRequest } from '../../src/core/ask';

const job = (storeDir: string): AnalysisJob => ({ root: '/repo', storeDir, include: ['src/**'], maxFileBytes: 1000 });
const stats = (parsed: number): AnalyzeStats => ({ ...cancelledStats(), cancelled: undefined, files: { seen: 3, parsed, reused: 3 - parsed, skipped: {} } });

/** A session that records its runs; a run with `hold` waits for its signal to abort. */
class FakeSession implements SessionLike {
  readonly runs: RunOptions[] = [];
  hold = false;
  fail: string | undefined;
  async run(opts: RunOptions): Promise<AnalyzeStats> {
    this.runs.push(opts);
    if (this.fail) throw new Error(this.fail);
    opts.onProgress?.({ phase: 'parse', done: 1, total: 2 });
    if (this.hold) {
      if (!opts.signal?.aborted) await new Promise((resolve) => opts.signal?.addEventListener('abort', resolve, { once: true }));
      return { ...stats(0), cancelled: true };
    }
    return stats(opts.changed ? opts.changed.length : 3);
  }
}

function service(): { svc: AnalysisService; posted: FromWorker[]; opened: string[]; session: FakeSession } {
  const posted: FromWorker[] = [];
  const opened: string[] = [];
  const session = new FakeSession();
  const svc = new AnalysisService((m) => posted.push(m), async (j) => {
    opened.push(j.storeDir);
    return session;
  });
  return { svc, posted, opened, session };
}

test('worker service keeps one session per store and passes the changed paths', async () => {
  const { svc, posted, opened, session } = service();
  await svc.handle({ type: 'run', id: 1, job: job('/s1') });
  await svc.handle({ type: 'run', id: 2, job: job('/s1'), changed: ['src/a.ts'] });
  await svc.handle({ type: 'run', id: 3, job: job('/s2') });
  assert.deepEqual(opened, ['/s1', '/s2']);
  assert.equal(session.runs[0].changed, undefined, 'no changed paths: a full run');
  assert.deepEqual(session.runs[1].changed, ['src/a.ts']);
  assert.deepEqual(session.runs[1].include, ['src/**']);
  assert.equal(session.runs[1].maxFileBytes, 1000);
  assert.equal(session.runs[1].parseWorkers, 0, 'parses in the worker thread itself');
  const done = posted.filter((m): m is Extract<FromWorker, { type: 'done' }> => m.type === 'done');
  assert.deepEqual(done.map((m) => [m.id, m.stats.files.parsed]), [[1, 3], [2, 1], [3, 3]]);
  assert.ok(posted.some((m) => m.type === 'progress' && m.id === 2 && m.progress.phase === 'parse'));
});

test('worker service aborts the run an abort names, and reopens a session after a failure', async () => {
  const { svc, posted, opened, session } = service();
  session.hold = true;
  const running = svc.handle({ type: 'run', id: 7, job: job('/s') });
  await svc.handle({ type: 'abort', id: 99 });
  await svc.handle({ type: 'abort', id: 7 });
  await running;
  const done = posted.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done' && done.id === 7 && done.stats.cancelled);
  assert.ok(session.runs[0].signal?.aborted);

  session.hold = false;
  session.fail = 'disk full';
  await svc.handle({ type: 'run', id: 8, job: job('/s') });
  const error = posted.find((m) => m.type === 'error');
  assert.ok(error && error.type === 'error' && error.id === 8 && /disk full/.test(error.message));
  session.fail = undefined;
  await svc.handle({ type: 'run', id: 9, job: job('/s') });
  assert.deepEqual(opened, ['/s', '/s'], 'a failed session is not reused');
});

/** A worker double speaking the protocol: it records what the host posts and answers on demand. */
class FakeWorker extends EventEmitter implements WorkerLike {
  readonly received: ToWorker[] = [];
  terminated = false;
  postMessage(message: ToWorker): void {
    this.received.push(message);
  }
  reply(message: FromWorker): void {
    this.emit('message', message);
  }
  terminate(): void {
    this.terminated = true;
    this.emit('exit', 1);
  }
}

function client(graceMs = 5000): { c: AnalysisWorkerClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const c = new AnalysisWorkerClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, silentLogger, graceMs);
  return { c, workers };
}

test('worker client keeps one worker across runs and relays progress and stats', async () => {
  const { c, workers } = client();
  const progress: number[] = [];
  const first = c.run(job('/s'), { signal: new AbortController().signal, onProgress: (p) => progress.push(p.done) });
  const run = workers[0].received[0];
  assert.equal(run.type, 'run');
  assert.equal(run.type === 'run' && run.changed, undefined);
  workers[0].reply({ type: 'progress', id: run.id, progress: { phase: 'parse', done: 2, total: 4 } });
  workers[0].reply({ type: 'done', id: run.id, stats: stats(3) });
  assert.equal((await first).files.parsed, 3);
  assert.deepEqual(progress, [2]);

  const second = c.run(job('/s'), { signal: new AbortController().signal, changed: ['src/b.ts'] });
  const run2 = workers[0].received[1];
  assert.ok(run2.type === 'run' && run2.id !== run.id);
  assert.deepEqual(run2.type === 'run' && run2.changed, ['src/b.ts']);
  workers[0].reply({ type: 'done', id: run2.id, stats: stats(1) });
  assert.equal((await second).files.parsed, 1);
  assert.equal(workers.length, 1, 'the worker stays alive between runs');
  assert.equal(c.alive, true);
  c.dispose();
  assert.equal(workers[0].terminated, true);
});

test('worker client posts an abort at once and resolves cancelled when the worker stops', async () => {
  const { c, workers } = client();
  const controller = new AbortController();
  const running = c.run(job('/s'), { signal: controller.signal });
  controller.abort();
  const abort = workers[0].received[1];
  assert.deepEqual(abort, { type: 'abort', id: workers[0].received[0].type === 'run' ? workers[0].received[0].id : -1 });
  workers[0].reply({ type: 'done', id: abort.id, stats: stats(1) });
  assert.equal((await running).cancelled, true);
  assert.equal(workers[0].terminated, false, 'a worker that stops keeps its sessions');
});

test('worker client terminates a worker that ignores an abort and starts a new one for the next run', async () => {
  const { c, workers } = client(1);
  const controller = new AbortController();
  const running = c.run(job('/s'), { signal: controller.signal });
  controller.abort();
  assert.equal((await running).cancelled, true);
  assert.equal(workers[0].terminated, true);
  const next = c.run(job('/s'), { signal: new AbortController().signal });
  assert.equal(workers.length, 2);
  const run = workers[1].received[0];
  workers[1].reply({ type: 'done', id: run.id, stats: stats(3) });
  assert.equal((await next).files.parsed, 3);
});

test('worker client rejects a failed analysis and a crashed worker', async () => {
  const { c, workers } = client();
  const failed = c.run(job('/s'), { signal: new AbortController().signal });
  workers[0].reply({ type: 'error', id: workers[0].received[0].id, message: 'parse exploded' });
  await assert.rejects(failed, /parse exploded/);
  const crashed = c.run(job('/s'), { signal: new AbortController().signal });
  workers[0].emit('exit', 3);
  await assert.rejects(crashed, /exited with code 3/);
  assert.equal(c.alive, false);
  c.dispose();
  assert.equal((await c.run(job('/s'), { signal: new AbortController().signal })).cancelled, true, 'no runs after dispose');
});

const question = (q: string): PrepareRequest => ({ root: '/repo', storeDir: '/s', question: q, forModel: false });
const preparedFor = (q: string): PreparedAnswer => ({ question: q, budgetTokens: 2000, servedBy: 'offline', answer: `about ${q}`, contextTokens: 5, files: [], notes: [], rawTokens: 0 });

test('worker service prepares a question and warms an index at once, beside a run still in progress, and reports a failure in one line', async () => {
  const posted: FromWorker[] = [];
  const session = new FakeSession();
  session.hold = true;
  const warmed: string[] = [];
  const svc = new AnalysisService((m) => posted.push(m), async () => session, async (request) => {
    if (request.question === 'none') throw new Error('no notes for /repo: run sleeptime analyze /repo first');
    return preparedFor(request.question);
  }, async (j) => {
    if (j.storeDir === '/empty') throw new Error('no notes for /repo');
    warmed.push(j.storeDir);
  });
  const running = svc.handle({ type: 'run', id: 1, job: job('/s') });
  await svc.handle({ type: 'prepare', id: 2, request: question('where is b?') });
  assert.deepEqual(posted.filter((m) => m.type !== 'progress' && m.type !== 'log'), [{ type: 'prepared', id: 2, prepared: preparedFor('where is b?') }], 'answered while the run holds the queue');
  await svc.handle({ type: 'prepare', id: 3, request: question('none') });
  assert.deepEqual(posted.at(-1), { type: 'error', id: 3, message: 'no notes for /repo: run sleeptime analyze /repo first' });
  await svc.handle({ type: 'warm', id: 4, job: job('/s') });
  assert.deepEqual([warmed, posted.at(-1)], [['/s'], { type: 'warmed', id: 4 }], 'the index is built beside the run too');
  await svc.handle({ type: 'warm', id: 5, job: job('/empty') });
  assert.deepEqual(posted.at(-1), { type: 'error', id: 5, message: 'no notes for /repo' });
  await svc.handle({ type: 'abort', id: 1 });
  await running;
});

test('worker client relays questions and warm-ups, drops the answer of a stopped one, and rejects when the worker dies', async () => {
  const { c, workers } = client();
  const first = c.prepare(question('where?'));
  const sent = workers[0].received[0];
  assert.deepEqual(sent, { type: 'prepare', id: sent.id, request: question('where?') });
  workers[0].reply({ type: 'prepared', id: sent.id, prepared: preparedFor('where?') });
  assert.deepEqual(await first, preparedFor('where?'));

  const stop = new AbortController();
  const stopped = c.prepare(question('slow?'), stop.signal);
  stop.abort();
  await assert.rejects(stopped, /stopped/);
  workers[0].reply({ type: 'prepared', id: workers[0].received[1].id, prepared: preparedFor('slow?') });

  const warm = c.warm(job('/s'));
  assert.deepEqual(workers[0].received[2], { type: 'warm', id: workers[0].received[2].id, job: job('/s') });
  workers[0].reply({ type: 'warmed', id: workers[0].received[2].id });
  await warm;

  const failed = c.prepare(question('none'));
  workers[0].reply({ type: 'error', id: workers[0].received[3].id, message: 'no notes for /repo' });
  await assert.rejects(failed, /no notes for \/repo/);
  const crashed = c.prepare(question('again?'));
  workers[0].emit('exit', 9);
  await assert.rejects(crashed, /exited with code 9/);
  c.dispose();
  await assert.rejects(c.prepare(question('late?')), /shutting down/);
});

test('worker client gives a worker busy with a question more time to answer an abort', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { c, workers } = client(1000);
  const controller = new AbortController();
  const running = c.run(job('/s'), { signal: controller.signal });
  const asked = c.prepare(question('first index?'));
  controller.abort();
  t.mock.timers.tick(5000);
  assert.equal(workers[0].terminated, false, 'not killed while building an answer');
  workers[0].reply({ type: 'prepared', id: workers[0].received[1].id, prepared: preparedFor('first index?') });
  await asked;
  t.mock.timers.tick(1000);
  assert.equal(workers[0].terminated, true, 'an abort still unanswered after the question is a hung worker');
  assert.equal((await running).cancelled, true);
});

test('the real analysis process analyzes a folder, then re-reads only the changed file', { timeout: 120_000 }, async (t) => {
  const script = path.resolve(__dirname, '../../dist/analysisWorker.js');
  if (!fs.existsSync(script)) return t.skip('run npm run build first');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-worker-'));
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'src/a.ts'), 'export function a(): number {\n  return 1;\n}\n');
  fs.writeFileSync(path.join(repo, 'src/b.ts'), "import { a } from './a';\nexport const b = (): number => a() + 1;\n");
  fs.writeFileSync(path.join(repo, 'src/c.ts'), "import { b } from './b';\nexport const c = (): number => b() * 2;\n");
  const c = new AnalysisWorkerClient(() => spawnAnalysisWorker(script), silentLogger);
  try {
    const j = { root: repo, storeDir: path.join(tmp, 'store') };
    const full = await c.run(j, { signal: new AbortController().signal });
    assert.equal(full.files.parsed, 3);
    fs.writeFileSync(path.join(repo, 'src/b.ts'), "import { a } from './a';\nexport const b = (): number => a() + 2;\n");
    const incremental = await c.run(j, { signal: new AbortController().signal, changed: ['src/b.ts'] });
    assert.equal(incremental.cancelled, undefined);
    assert.equal(incremental.files.parsed, 1, 'only the changed file is parsed again');
    assert.equal(incremental.files.reused, 2);
    await c.warm(j);
    const prepared = await c.prepare({ ...j, question: 'What does b return?', forModel: false });
    assert.equal(prepared.servedBy, 'offline');
    assert.ok(prepared.files.some((f) => f.path === 'src/b.ts'), JSON.stringify(prepared.files));
    assert.match(prepared.answer, /src\/b\.ts:\d+/);
    await assert.rejects(c.prepare({ root: tmp, storeDir: path.join(tmp, 'none'), question: 'q', forModel: false }), /run sleeptime analyze/);
    await assert.rejects(c.warm({ root: tmp, storeDir: path.join(tmp, 'none') }), /run sleeptime analyze/);
  } finally {
    c.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
