/**
 * Category 5: secrets planted in files and git history must not reach model requests, notes, export files
 * or logs. The values are built at run time so no literal secret lives in this repository.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startScriptedServer, type RecordedRequest } from '../helpers/scriptedServer';
import { BASE_FILES, CLI, cliEnv, git, gitInitCommit, rng, runCliAsync, writeFiles, type FaultCase } from './harness';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(r: () => number, n: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** The corpus: a name and a secret value per shape (what must never leave). */
export function secretCorpus(seed = 1): Record<string, string> {
  const r = rng(seed);
  const b64url = (n: number): string => token(r, n, `${ALNUM}_-`);
  return {
    awsAccessKey: `AKIA${token(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    awsSecretKey: token(r, 40, `${ALNUM}/+`),
    githubToken: `ghp_${token(r, 36)}`,
    githubPat: `github_pat_${token(r, 22)}_${token(r, 59)}`,
    gitlabToken: `glpat-${b64url(20)}`,
    slackToken: `xoxb-${token(r, 11, '0123456789')}-${token(r, 12, '0123456789')}-${token(r, 24)}`,
    stripeKey: `sk_live_${token(r, 24)}`,
    googleKey: `AIza${b64url(35)}`,
    jwt: `eyJhbGciOiJIUzI1NiJ9.eyJ${b64url(40)}.${b64url(43)}`,
    npmToken: `npm_${token(r, 36)}`,
    npmrcAuth: token(r, 36),
    dbPassword: `Pw${token(r, 14)}9!`,
    envSecret: `S3cr${token(r, 20)}`,
    privateKeyBody: token(r, 64, `${ALNUM}+/`),
    commitToken: `ghp_${token(r, 36)}`,
    utf16Token: `glpat-${b64url(20)}`,
  };
}

/** Writes the corpus into files of every kind and into git history (commit messages, a deleted file). */
export function plantSecrets(root: string, s: Record<string, string>): void {
  writeFiles(root, {
    ...BASE_FILES,
    '.env': `DATABASE_URL=postgres://app:${s.dbPassword}@db.internal:5432/app\nAPI_SECRET=${s.envSecret}\n`,
    '.npmrc': `//registry.npmjs.org/:_authToken=${s.npmrcAuth}\n`,
    'src/config.ts':
      `/** Service configuration. */\nexport const config = {\n  awsAccessKeyId: '${s.awsAccessKey}',\n  aws_secret_access_key: '${s.awsSecretKey}',\n  stripe: '${s.stripeKey}',\n};\n\n` +
      `export function client(): string {\n  try {\n    return connect('postgres://admin:${s.dbPassword}@localhost/db');\n  } catch (e) {}\n  return '';\n}\n`,
    'src/tokens.py':
      `GITHUB_TOKEN = "${s.githubToken}"\nGITLAB = "${s.gitlabToken}"\nSLACK_BOT_TOKEN = "${s.slackToken}"\n\n\ndef headers():\n    return {"Authorization": "Bearer ${s.jwt}"}\n`,
    'src/keys.ts': `export const key = \`-----BEGIN RSA PRIVATE KEY-----\n${s.privateKeyBody}\n${s.privateKeyBody}\n-----END RSA PRIVATE KEY-----\`;\n\nexport function sign(data: string): string {\n  return data + key;\n}\n`,
    'README.md': `# Victim\n\nMaps key: ${s.googleKey}\nPublish with ${s.npmToken}\nFine-grained token ${s.githubPat}\n`,
    'config/settings.yaml': `database:\n  password: ${s.dbPassword}\napi_key: ${s.envSecret}\n`,
    'src/wide.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`export const gitlab = '${s.utf16Token}';\r\nexport function wide(): number {\r\n  return 1;\r\n}\r\n`, 'utf16le')]),
  });
  gitInitCommit(root, `initial import with token ${s.commitToken}`);
  writeFiles(root, { 'src/leak.ts': `export const old = '${s.githubToken}';\n` });
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', `fix: oops, committed ${s.awsAccessKey}`);
  git(root, 'rm', '-q', 'src/leak.ts');
  git(root, 'commit', '-qm', `fix: remove leaked key ${s.stripeKey}`);
}

/** Names of the secrets found in `text` (also JSON-escaped and whitespace-split forms). */
export function findSecrets(text: string, s: Record<string, string>): string[] {
  return Object.entries(s)
    .filter(([, v]) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)) || (v.length >= 40 && text.includes(v.slice(0, 24))))
    .map(([k]) => k);
}

/** The scripted model echoes what it was sent back as an anticipated answer, so leaks would reach notes too. */
function echo(req: RecordedRequest): { type: 'reply'; content: string } {
  const user = req.json?.messages?.map((m) => m.content).join('\n') ?? '';
  const answer = `Here is what I saw: ${user.slice(0, 4000)}`;
  return {
    type: 'reply',
    content: JSON.stringify({
      questions: [{ question: 'What does the configuration hold?', answer, evidence: [{ path: 'src/config.ts', startLine: 1, endLine: 3 }] }],
      title: 'Configuration', summary: answer, evidence: [{ path: 'src/config.ts', startLine: 1, endLine: 3 }],
      narrative: answer, testCommand: 'npm test', verdicts: [],
    }),
  };
}

export const secretCases: FaultCase[] = [
  {
    category: 'secrets',
    name: 'secret corpus in files and git history: requests, notes, export, logs',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      const secrets = secretCorpus();
      plantSecrets(root, secrets);
      // The detector sees the planted values (so a leak could not go unnoticed).
      const planted = ['.env', '.npmrc', 'src/config.ts', 'src/tokens.py', 'src/keys.ts', 'README.md'].map((f) => fs.readFileSync(path.join(root, f), 'utf8')).join('\n');
      assert.ok(findSecrets(planted + git(root, 'log', '--format=%B'), secrets).length >= Object.keys(secrets).length - 1);
      const server = await startScriptedServer({ fallback: echo });
      const leaks = new Map<string, Set<string>>();
      const shownLocally = new Set<string>();
      const record = (where: string, text: string): void => {
        for (const k of findSecrets(text, secrets)) leaks.set(k, (leaks.get(k) ?? new Set()).add(where));
      };
      try {
        const env = { OPENAI_BASE_URL: server.baseUrl, SLEEPTIME_MODEL: 'echo-model', OPENAI_API_KEY: 'sk-test-not-a-real-key' };
        const analyzeRun = await runCliAsync(['analyze', root, '--llm', '--verbose', '--sleep-budget', '60000'], { env });
        assert.equal(analyzeRun.code, 0, analyzeRun.stderr);
        record('analyze log', analyzeRun.stdout + analyzeRun.stderr);
        const ask = await runCliAsync(['ask', root, 'what credentials does the config hold?', '--verbose'], { env });
        record('ask output', ask.stdout + ask.stderr);
        // Offline answers are shown to the user who owns the code; they are checked, but only logs count as sent.
        const offline = await runCliAsync(['ask', root, 'which tokens does tokens.py define?', '--offline', '--json']);
        for (const k of findSecrets(offline.stdout, secrets)) shownLocally.add(k);
        record('offline ask log', offline.stderr);
        record('MCP tool output', await mcpOutputs(root));
        assert.ok(server.chatRequests().length > 0, 'the model was called');
        for (const r of server.requests) record('model request', r.body + JSON.stringify(r.headers));
        const notes = await runCliAsync(['notes', root, '--json']);
        assert.equal(notes.code, 0, notes.stderr);
        record('notes --json', notes.stdout + notes.stderr);
        const md = await runCliAsync(['notes', root, '--md']);
        record('notes --md', md.stdout);
        const out = path.join(ctx.tmp(), 'shared.json');
        const ex = await runCliAsync(['export', root, '--out', out, '--verbose']);
        assert.equal(ex.code, 0, ex.stderr);
        record('export log', ex.stdout + ex.stderr);
        for (const f of fs.readdirSync(path.dirname(out))) record(`export file ${f}`, fs.readFileSync(path.join(path.dirname(out), f), 'utf8'));
        const ledger = path.join(root, '.sleeptime/ledger.jsonl');
        if (fs.existsSync(ledger)) record('ledger', fs.readFileSync(ledger, 'utf8'));
      } finally {
        await server.close();
      }
      const found = [...leaks].map(([k, where]) => `${k} in ${[...where].join(', ')}`);
      if (found.length) throw Object.assign(new Error(`secrets leaked: ${found.join('; ')}`), { metrics: { secretsSent: leaks.size } });
      return { extra: { shapes: Object.keys(secrets).length, shownLocallyInOfflineAnswers: [...shownLocally] } };
    },
  },
];

/** Everything an agent sees through the MCP server: each tool on secret-flavoured queries and every note. */
async function mcpOutputs(root: string): Promise<string> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', root], env: cliEnv() as Record<string, string>, stderr: 'pipe' });
  let out = '';
  transport.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const client = new Client({ name: 'fault-suite', version: '0.0.0' });
  await client.connect(transport);
  try {
    const call = async (name: string, args: Record<string, unknown>): Promise<void> => {
      out += JSON.stringify(await client.callTool({ name, arguments: args }));
    };
    for (const q of ['token', 'password secret key', 'config aws stripe', 'private key sign', 'gitlab wide']) await call('search_notes', { query: q, limit: 10 });
    await call('architecture_overview', {});
    await call('likely_bugs', {});
    await call('test_hooks', {});
    const { resources } = await client.listResources();
    for (const r of resources) out += JSON.stringify(await client.readResource({ uri: r.uri }));
    const index = JSON.stringify(await client.readResource({ uri: 'sleeptime://notes/index' }));
    for (const m of index.matchAll(/`([a-z-]+:[^`]+)`/g)) await call('get_note', { id: m[1] });
    out += index;
    assert.match(out, /architecture:overview/, 'the MCP server served the notes');
  } finally {
    await client.close();
  }
  return out;
}
