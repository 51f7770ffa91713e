import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { startScriptedServer, type Behaviour } from '/work/main/test/helpers/scriptedServer';
const root = '/tmp/h9m/repo';
fs.rmSync(root, { recursive: true, force: true });
fs.mkdirSync(root + '/src', { recursive: true });
fs.writeFileSync(root + '/src/a.ts', "export function a(x: number): number {\n  try { return x; } catch (e) {}\n  return 0;\n}\n");
fs.writeFileSync(root + '/src/b.ts', "import { a } from './a';\nexport const b = a(1);\n");
spawnSync(process.execPath, ['/work/main/dist/cli.js', 'analyze', root]);
void (async () => {
const beh: Record<string, Behaviour> = { auth: { type: 'error', status: 401, message: 'Incorrect API key' }, s500: { type: 'error', status: 500 }, raw: { type: 'raw', body: 'not json at all' }, cut: { type: 'cut', chunks: ['{"ques'] }, ctx: { type: 'error', status: 400, code: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens" }, junk: { type: 'reply', content: 'I cannot help with that.' }, rl: { type: 'rate-limit', retryAfter: '0' } };
for (const [name, b] of Object.entries(beh)) {
  const s = await startScriptedServer({ fallback: b });
  const r = await new Promise<{ code: number | null; stderr: string; stdout: string }>((res) => {
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ['/work/main/dist/cli.js', 'analyze', root, '--llm'], { env: { ...process.env, OPENAI_BASE_URL: s.baseUrl, SLEEPTIME_MODEL: 'm', OPENAI_API_KEY: 'sk-wrong' } });
    let stderr = '', stdout = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d)); c.stdout.on('data', (d: Buffer) => (stdout += d));
    c.on('close', (code: number) => res({ code, stderr, stdout }));
  });
  console.log(`== ${name}: code ${r.code}, requests ${s.chatRequests().length}\n${r.stderr}`);
  await s.close();
}

})();
