import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { distPath } from '../../src/core/assets';
import { countTokens } from '../../src/core/retrieve/tokens';
import { startScriptedServer, type Behaviour, type RecordedRequest } from '../helpers/scriptedServer';

const run = promisify(execFile);
const PLANTED = ['ghp_', 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'].join('');
const FILES: Record<string, string> = {
  'src/greeter.ts': "/** Says hello. */\nexport class Greeter {\n  constructor(private name: string) {}\n  greet(): string {\n    return `hi ${this.name}`;\n  }\n}\n",
  'src/util.ts': "export function clamp(n: number, lo: number, hi: number): number {\n  return Math.min(hi, Math.max(lo, n));\n}\n",
  'src/config.ts': `export const token = "${PLANTED}";\n`,
  '.env': `GITHUB_TOKEN=${PLANTED}\n`,
  '.vscode/settings.json': '{ "sleeptime.baseUrl": "http://editor-settings-marker" }\n',
};
const ANTICIPATED = 'How does the Greeter build its greeting?';
const USAGE = { prompt_tokens: 321, completion_tokens: 45 };

function reply(req: RecordedRequest): Behaviour {
  const b = req.body;
  if (b.includes('"name":"qa"')) {
    const questions = [{ question: ANTICIPATED, answer: '`Greeter.greet` returns `hi <name>` (src/greeter.ts:4).', evidence: [{ path: 'src/greeter.ts', startLine: 4, endLine: 6 }] }];
    return { type: 'reply', content: JSON.stringify({ questions }), usage: USAGE };
  }
  if (b.includes('"name":"bugs"')) return { type: 'reply', content: JSON.stringify({ verdicts: [] }), usage: USAGE };
  if (b.includes('"name":"tests"')) return { type: 'reply', content: JSON.stringify({ narrative: 'No tests yet.', testCommand: 'npm test', evidence: [] }), usage: USAGE };
  if (b.includes('"response_format"')) return { type: 'reply', content: JSON.stringify({ title: 'Greeting', summary: 'Greeter lives in src/greeter.ts:2.', evidence: [{ path: 'src/greeter.ts', startLine: 2, endLine: 7 }] }), usage: USAGE };
  return { type: 'reply', content: '`clamp` in src/util.ts:1 bounds a number.', usage: USAGE };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-cli-model-'));
for (const [p, t] of Object.entries(FILES)) {
  fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
  fs.writeFileSync(path.join(dir, p), t);
}
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [distPath('cli.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

test('analyze --llm writes anticipated questions within the sleep budget; ask serves them without a model call, and otherwise asks the model within its budget', async () => {
  const server = await startScriptedServer({ fallback: reply });
  try {
    const env = { OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'test-key', SLEEPTIME_MODEL: 'scripted-model' };
    const analyzed = JSON.parse((await cli(['analyze', dir, '--llm', '--json', '--sleep-budget', '30000'], env)).stdout);
    assert.ok(analyzed.notes.qa >= 1, `qa notes: ${JSON.stringify(analyzed.notes)}`);
    assert.ok(analyzed.sleep.tokens <= 30000);
    const sleepCalls = server.chatRequests().length;
    assert.ok(sleepCalls >= 1);

    const ledger = JSON.parse((await cli(['ledger', dir, '--json'], {})).stdout);
    assert.equal(ledger.sleepTokens, sleepCalls * (USAGE.prompt_tokens + USAGE.completion_tokens), 'the ledger holds what the server reported');

    const served = JSON.parse((await cli(['ask', dir, 'how does the greeter build its greeting', '--json'], env)).stdout);
    assert.equal(served.servedBy, 'anticipated');
    assert.equal(served.files[0].path, 'src/greeter.ts');
    assert.equal(server.chatRequests().length, sleepCalls, 'an anticipated answer costs no model call');

    const asked = JSON.parse((await cli(['ask', dir, 'Which function bounds a number between two limits?', '--json', '--budget', '700'], env)).stdout);
    assert.equal(asked.servedBy, 'model');
    assert.deepEqual(asked.usage, { promptTokens: USAGE.prompt_tokens, completionTokens: USAGE.completion_tokens });
    assert.ok(asked.contextTokens <= 700);
    const last = server.chatRequests().at(-1)!;
    const sent = last.json!.messages!.map((m) => m.content).join('\n');
    assert.ok(countTokens(sent) <= 700, `prompt of ${countTokens(sent)} tokens`);
    assert.equal(last.json!.max_tokens ?? last.json!.max_completion_tokens, 400);

    for (const r of server.requests) {
      assert.ok(!r.body.includes(PLANTED), 'no planted secret reaches the model');
      assert.ok(!r.body.includes('editor-settings-marker'), 'editor settings never reach the model');
    }
    const after = JSON.parse((await cli(['ledger', dir, '--json'], {})).stdout);
    assert.equal(after.questions, 2);
    assert.equal(after.anticipatedAnswers, 1);
  } finally {
    await server.close();
  }
});

test('analyze --llm without a model says what to set', async () => {
  await assert.rejects(cli(['analyze', dir, '--llm'], { SLEEPTIME_MODEL: '' }), (e: Error & { stderr: string }) => {
    assert.match(e.stderr, /--llm needs a model: set SLEEPTIME_MODEL/);
    return true;
  });
});
