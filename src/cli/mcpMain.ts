/** Stand-alone entry of the MCP server: `node mcpMain.js [DIR] [--store DIR]` (what `sleeptime mcp` runs). */
import { parseArgs } from 'node:util';
import { runMcpServer } from './mcp';

const write = (level: string) => (m: string): void => void process.stderr.write(`sleeptime mcp ${level}: ${m}\n`);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { store: { type: 'string' } }, allowPositionals: true });
  await runMcpServer({
    root: positionals[0] ?? '.',
    storeDir: values.store,
    logger: { debug: () => {}, info: write('info'), warn: write('warning'), error: write('error') },
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`sleeptime mcp: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
