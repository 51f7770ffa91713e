// Runs one analysis either in a worker thread (the benchmark measures the main thread's event-loop delay
// meanwhile) or as a child process `analyzeWorker.ts ROOT STORE` printing {stats, wallMs} as JSON.
// `analyzeWorker.ts ROOT STORE --edit PATH` measures the editor's case instead: a session that has
// analyzed the folder is told that PATH changed (a line is appended to it) and updates; after a first
// edit (which loads the grammar, as in the editor) the median of five such edits is reported.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyze, AnalysisSession, type AnalyzeOptions, type AnalyzeStats } from '../src/core/analyze';
import { useBaselineWasmCompiler } from '../src/core/parse/wasmCompiler';

/** Edits measured after the first one (which loads the file's grammar into this thread, as the editor's first analysis did). */
const MEASURED_EDITS = 5;

async function incremental(root: string, storeDir: string, edited: string): Promise<AnalyzeStats> {
  const session = await AnalysisSession.open({ root, storeDir });
  await session.run({ parseWorkers: 0 });
  const runs: AnalyzeStats[] = [];
  for (let i = 0; i <= MEASURED_EDITS; i++) {
    fs.appendFileSync(path.join(root, edited), '\n');
    const stats = await session.run({ parseWorkers: 0, changed: [edited] });
    if (i > 0) runs.push(stats);
  }
  // The median update: one edit can land on a garbage collection or a busy disk.
  return runs.sort((a, b) => (a.ms.total ?? 0) - (b.ms.total ?? 0))[MEASURED_EDITS >> 1];
}

if (isMainThread) {
  const [root, storeDir, flag, edited] = process.argv.slice(2);
  // As the CLI and the editor's analysis process run: WebAssembly with the baseline compiler.
  useBaselineWasmCompiler();
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
