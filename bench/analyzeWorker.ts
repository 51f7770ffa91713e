// Runs one analysis either in a worker thread (the benchmark measures the main thread's event-loop delay
// meanwhile) or as a child process `analyzeWorker.ts ROOT STORE` printing {stats, wallMs} as JSON.
// `analyzeWorker.ts ROOT STORE --edit PATH` measures the editor's case instead: a session that has
// analyzed the folder is told that PATH changed (a line is appended to it) and updates; the
// second such edit is measured, with the grammar already loaded as in the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyze, AnalysisSession, type AnalyzeOptions, type AnalyzeStats } from '../src/core/analyze';

async function incremental(root: string, storeDir: string, edited: string): Promise<AnalyzeStats> {
  const session = await AnalysisSession.open({ root, storeDir });
  await session.run({ parseWorkers: 0 });
  // The first edit loads the file's grammar into this thread, as the editor's first analysis did; the second is measured.
  for (let i = 0; ; i++) {
    fs.appendFileSync(path.join(root, edited), '\n');
    const stats = await session.run({ parseWorkers: 0, changed: [edited] });
    if (i === 1) return stats;
  }
}

if (isMainThread) {
  const [root, storeDir, flag, edited] = process.argv.slice(2);
  const t0 = performance.now();
  (flag === '--edit' ? incremental(root, storeDir, edited) : analyze({ root, storeDir, parseWorkers: 2 })).then(
    (stats) => process.stdout.write(JSON.stringify({ stats, wallMs: Math.round(performance.now() - t0) }) + '\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
} else {
  analyze(workerData as AnalyzeOptions).then(
    (stats) => parentPort?.postMessage({ stats }),
    (err: unknown) => parentPort?.postMessage({ error: String(err) }),
  );
}
