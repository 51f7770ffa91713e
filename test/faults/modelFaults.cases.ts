/** Category 3: model faults through the scripted server and the real openai client (`analyze --llm`, `ask`). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readLedger } from '../../src/core/llm/ledger';
import { Store } from '../../src/core/store/store';
import { startScriptedServer, type Behaviour, type ScriptedServer, type ScriptedServerOptions } from '../helpers/scriptedServer';
import { BASE_FILES, crashed, gitInitCommit, runCli, runCliAsync, writeFiles, type CaseMetrics, type FaultCase } from './harness';

const MODEL = 'scripted-model';
const ACTIONABLE = /set |check |lower |wait|retry|raise|is the server running/i;

/** An analyzed repository; returns its static notes as id -> body. */
async function analyzedRepo(root: string): Promise<Map<string, string>> {
  writeFiles(root, BASE_FILES);
  gitInitCommit(root);
  const r = runCli(['analyze', root]);
  assert.equal(r.code, 0, r.stderr);
  return staticNotes(root);
}

async function staticNotes(root: string): Promise<Map<string, string>> {
  const { store } = await Store.open(path.join(root, '.sleeptime'), { root });
  return new Map(store.notes().filter((n) => n.origin === 'static').map((n) => [n.id, n.body]));
}

function modelEnv(server: ScriptedServer, model = MODEL): NodeJS.ProcessEnv {
  return { OPENAI_BASE_URL: server.baseUrl, SLEEPTIME_MODEL: model, OPENAI_API_KEY: 'sk-test-not-a-real-key' };
}

function warningLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(warning|error|sleeptime): /.test(l));
}

interface FaultSpec {
  name: string;
  behaviour: Behaviour;
  expect: RegExp;
  server?: Omit<ScriptedServerOptions, 'fallback'>;
  model?: string;
  quick?: boolean;
  /** Also ask a question through the model (ask exits 1 with one line, or answers). */
  ask?: boolean;
  /** Bound on chat requests of the run; default 8 (a systemic failure stops after the first job's retries). */
  maxRequests?: number;
}

const SPECS: FaultSpec[] = [
  { name: 'timeout (server never answers)', behaviour: { type: 'hang' }, expect: /sent nothing for \d+ ms/, quick: true, ask: true },
  { name: '429 rate limit with Retry-After', behaviour: { type: 'rate-limit', retryAfter: '0' }, expect: /rate limiting/, quick: true },
  { name: '5xx server errors', behaviour: { type: 'error', status: 503 }, expect: /server error/, ask: true },
  { name: 'malformed output (prose instead of JSON)', behaviour: { type: 'reply', content: 'I am sorry, I cannot produce JSON today.' }, expect: /malformed/, quick: true, maxRequests: 40 },
  { name: 'malformed body (not an SSE stream)', behaviour: { type: 'raw', body: '{"choices": [' }, expect: /ended before the answer was complete|broke off|malformed/ },
  { name: 'cut stream', behaviour: { type: 'cut', chunks: ['{"questions": [{"quest'] }, expect: /broke off|ended before/, ask: true },
  { name: 'wrong API key', behaviour: { type: 'error', status: 401, message: 'Incorrect API key provided' }, expect: /API key/, quick: true, ask: true },
  { name: 'unknown model', behaviour: { type: 'reply', content: '{}' }, server: { models: ['real-model'] }, model: 'no-such-model', expect: /not found/, ask: true },
  { name: 'context overflow', behaviour: { type: 'error', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 4096 tokens" }, expect: /context window/, quick: true },
];

async function runSpec(spec: FaultSpec, root: string, before: Map<string, string>): Promise<CaseMetrics> {
  const server = await startScriptedServer({ ...spec.server, fallback: spec.behaviour });
  let crashes = 0;
  try {
    const budget = 20_000;
    const r = await runCliAsync(['analyze', root, '--llm', '--sleep-budget', String(budget), '--timeout', '1'], { env: modelEnv(server, spec.model) });
    if (crashed(r)) crashes++;
    assert.equal(r.code, 0, `static analysis still succeeds: ${r.stderr}`);
    const lines = warningLines(r.stderr);
    assert.equal(lines.length, 1, `one line for the user, got:\n${lines.join('\n')}`);
    assert.match(lines[0], spec.expect);
    assert.match(lines[0], ACTIONABLE, 'the line says what to do');
    // A systemic failure stops the run instead of repeating it for every job; malformed output costs one retry per job.
    assert.ok(server.chatRequests().length <= (spec.maxRequests ?? 8), `requests made: ${server.chatRequests().length}`);
    const after = await staticNotes(root);
    assert.deepEqual([...after.entries()].sort(), [...before.entries()].sort(), 'static notes intact');
    const spent = readLedger(path.join(root, '.sleeptime')).entries.filter((e) => e.job !== 'answer' && e.job !== 'anticipated');
    const tokens = spent.reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
    assert.ok(tokens <= budget, `sleep tokens ${tokens} <= ${budget}`);
    if (spec.ask) {
      const a = await runCliAsync(['ask', root, 'how does the greeter build its text?', '--timeout', '1'], { env: modelEnv(server, spec.model) });
      if (crashed(a)) crashes++;
      const askLines = a.stderr.trim().split('\n').filter(Boolean);
      assert.ok(a.code === 0 || (a.code === 1 && askLines.length === 1 && spec.expect.test(askLines[0]) && ACTIONABLE.test(askLines[0])), `ask: code ${a.code}, stderr:\n${a.stderr}`);
    }
    return { crashes, extra: { requests: server.chatRequests().length, sleepTokens: tokens } };
  } finally {
    await server.close();
  }
}

const QA_REPLY = JSON.stringify({ questions: [{ question: 'How is the greeting built?', answer: 'Greeter.greet formats it (src/greeter.ts:5).', evidence: [{ path: 'src/greeter.ts', startLine: 4, endLine: 6 }] }] });

export const modelFaultCases: FaultCase[] = [
  ...SPECS.map<FaultCase>((spec) => ({
    category: 'model',
    name: spec.name,
    quick: spec.quick,
    async run(ctx) {
      const root = ctx.tmp();
      const before = await analyzedRepo(root);
      return runSpec(spec, root, before);
    },
  })),
  {
    category: 'model',
    name: 'flaky server (every other call 500) within a small sleep budget',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const before = await analyzedRepo(root);
      let n = 0;
      const usage = { prompt_tokens: 900, completion_tokens: 300 };
      const server = await startScriptedServer({
        fallback: () => (n++ % 2 === 0 ? { type: 'error', status: 500 } : { type: 'reply', content: QA_REPLY, usage }),
      });
      try {
        const budget = 4000;
        const r = await runCliAsync(['analyze', root, '--llm', '--sleep-budget', String(budget), '--timeout', '5'], { env: modelEnv(server) });
        assert.ok(!crashed(r), r.stderr);
        assert.equal(r.code, 0, r.stderr);
        const served = server.chatRequests().length;
        const spent = readLedger(path.join(root, '.sleeptime')).entries.reduce((t, e) => t + e.promptTokens + e.completionTokens, 0);
        // Every successful call costs 1,200 tokens: the budget bounds calls and retries together.
        assert.ok(spent <= budget, `ledger ${spent} <= ${budget}`);
        assert.ok(Math.floor(served / 2) * 1200 <= budget, `${served} requests stay within the budget`);
        const after = await staticNotes(root);
        assert.deepEqual([...after.entries()].sort(), [...before.entries()].sort());
        return { extra: { requests: served, sleepTokens: spent } };
      } finally {
        await server.close();
      }
    },
  },
];
