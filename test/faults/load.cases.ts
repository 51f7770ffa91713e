/** Category 6: load. Many questions in a row and at once, through core `ask()` and the MCP server. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ask } from '../../src/core/ask';
import { BASE_FILES, CLI, cliEnv, gitInitCommit, runCli, writeFiles, type FaultCase } from './harness';

const QUESTIONS = [
  'how does the greeter build its text?',
  'where is the entry point?',
  'which functions swallow exceptions?',
  'how do I run the tests?',
  'what does the billing module do?',
  'where are invoices computed?',
  'which module parses the configuration?',
  'what calls report?',
];

/** An analyzed repository of a few hundred files in named components. */
function loadRepo(root: string): void {
  const files: Record<string, string> = { ...BASE_FILES };
  const areas = ['billing', 'invoices', 'config', 'auth', 'storage', 'http'];
  for (let i = 0; i < 240; i++) {
    const area = areas[i % areas.length];
    files[`src/${area}/${area}${i}.ts`] =
      `import { Greeter } from '../greeter';\n\n/** ${area} step ${i}: computes the ${area} total. */\nexport function ${area}Step${i}(amount: number): number {\n  new Greeter('${area}').greet();\n  try {\n    return amount * ${i};\n  } catch (e) {}\n  return 0;\n}\n`;
  }
  writeFiles(root, files);
  gitInitCommit(root);
  const r = runCli(['analyze', root]);
  assert.equal(r.code, 0, r.stderr);
}

/** A full garbage collection, so heap figures compare live data, not garbage. */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function p99(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] * 10) / 10;
}

function mb(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

function rssOf(pid: number | null | undefined): number {
  if (!pid) return 0;
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export const loadCases: FaultCase[] = [
  {
    category: 'load',
    name: 'questions in a row (quick: 100, full: 1,000) and 50 at once through ask()',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      loadRepo(root);
      const total = ctx.quick ? 100 : 1000;
      const expected = new Map<string, string>();
      const signature = (r: Awaited<ReturnType<typeof ask>>): string => JSON.stringify(r.files.map((f) => f.path));
      const latencies: number[] = [];
      const one = async (q: string): Promise<void> => {
        const t0 = performance.now();
        const r = await ask({ root, question: q, offline: true });
        latencies.push(performance.now() - t0);
        assert.ok(r.contextTokens <= r.budgetTokens);
        const sig = signature(r);
        if (!expected.has(q)) expected.set(q, sig);
        assert.equal(sig, expected.get(q), `same files for the same question: ${q}`);
      };
      // Warm-up: every question once, then settle the heap.
      for (const q of QUESTIONS) await one(q);
      collect();
      const heap0 = process.memoryUsage().heapUsed;
      const rss0 = process.memoryUsage.rss();
      for (let i = 0; i < total; i++) await one(QUESTIONS[i % QUESTIONS.length]);
      collect();
      const rss1 = process.memoryUsage.rss();
      const sequential = latencies.length;
      await Promise.all(Array.from({ length: 50 }, (_, i) => one(QUESTIONS[i % QUESTIONS.length])));
      const rssPeak = process.memoryUsage.rss();
      collect();
      const heap1 = process.memoryUsage().heapUsed;
      // Flat: live heap after a full GC, and RSS over the questions in a row, grow within generous slack.
      assert.ok(heap1 - heap0 < 64 * 1024 * 1024, `heap grew ${mb(heap1 - heap0)} MB`);
      assert.ok(rss1 - rss0 < 128 * 1024 * 1024, `RSS grew ${mb(rss1 - rss0)} MB over ${total} questions in a row`);
      return {
        runs: total + 50,
        extra: { questions: total + 50, p99Ms: p99(latencies.slice(0, sequential)), p99ConcurrentMs: p99(latencies.slice(sequential)), heapGrowthMb: mb(heap1 - heap0), rssGrowthMb: mb(rss1 - rss0), concurrentRssJumpMb: mb(rssPeak - rss1) },
      };
    },
  },
  {
    category: 'load',
    name: 'questions in a row (quick: 100, full: 1,000) and 50 at once through the MCP server',
    quick: true,
    async run(ctx) {
      const root = ctx.tmp();
      loadRepo(root);
      const total = ctx.quick ? 100 : 1000;
      let stderr = '';
      const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', root], env: cliEnv() as Record<string, string>, stderr: 'pipe' });
      transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const client = new Client({ name: 'fault-load', version: '0.0.0' });
      await client.connect(transport);
      try {
        const expected = new Map<string, string>();
        const latencies: number[] = [];
        const one = async (q: string): Promise<void> => {
          const t0 = performance.now();
          const r = await client.callTool({ name: 'search_notes', arguments: { query: q, limit: 5 } });
          latencies.push(performance.now() - t0);
          assert.ok(!r.isError, JSON.stringify(r));
          const text = JSON.stringify(r.content);
          if (!expected.has(q)) expected.set(q, text);
          assert.equal(text, expected.get(q), `same answer for the same question: ${q}`);
        };
        for (const q of QUESTIONS) await one(q);
        const rss0 = rssOf(transport.pid);
        for (let i = 0; i < total; i++) await one(QUESTIONS[i % QUESTIONS.length]);
        const sequential = latencies.length;
        await Promise.all(Array.from({ length: 50 }, (_, i) => one(QUESTIONS[i % QUESTIONS.length])));
        const rss1 = rssOf(transport.pid);
        assert.ok(rss1 - rss0 < 128 * 1024 * 1024, `server RSS grew ${mb(rss1 - rss0)} MB`);
        assert.equal(stderr.trim(), '', 'the server logged nothing');
        return { runs: total + 50, extra: { questions: total + 50, p99Ms: p99(latencies.slice(0, sequential)), p99ConcurrentMs: p99(latencies.slice(sequential)), serverRssGrowthMb: mb(rss1 - rss0) } };
      } finally {
        await client.close();
      }
    },
  },
];
