// Runs one analysis either in a worker thread (the benchmark measures the main thread's event-loop delay
// meanwhile) or as a child process `analyzeWorker.ts ROOT STORE` printing {stats, wallMs} as JSON.
// `analyzeWorker.ts ROOT STORE --edit PATH` measures the editor's case instead: a session that has
// analyzed the folder is told that PATH changed (a line is appended to it) and updates; after a first
// edit (which loads the grammar, as in the editor) the median of five such edits is reported.
// `analyzeWorker.ts ROOT STORE --floor` reads and parses the files of that store and nothing else, from a
// fresh process as the cold analysis runs, printing {floor: {files, bytes, ms}}.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyze, AnalysisSession, type AnalyzeOptions, type AnalyzeStats } from '../src/core/analyze';
import { floorParse } from '../src/core/parse/parsePool';
import { Store } from '../src/core/store/store';
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

/** Reading and parsing the store's files with a fresh 2-worker pool: the time includes starting the workers and compiling the runtime, as a cold analysis does. */
async function floor(root: string, storeDir: string): Promise<{ files: number; bytes: number; ms: number }> {
  const files = (await Store.open(storeDir, { root })).store.files();
  const jobs = [...files].map(([p, f]) => ({ path: p, absPath: path.join(root, p), language: f.language }));
  return floorParse(jobs, 2);
}

/** Prints what `result` gives as one JSON line; on failure, the error and exit code 1. */
function print(result: Promise<object>): void {
  result.then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

if (isMainThread) {
  const [root, storeDir, flag, edited] = process.argv.slice(2);
  // As the CLI runs: WebAssembly with the baseline compiler, but for what `optimizedModules` compiles.
  useBaselineWasmCompiler();
  const t0 = performance.now();
  if (flag === '--floor') print(floor(root, storeDir).then((f) => ({ floor: f })));
  else {
    const run = flag === '--edit' ? incremental(root, storeDir, edited) : analyze({ root, storeDir, parseWorkers: 2 });
    print(run.then((stats) => ({ stats, wallMs: Math.round(performance.now() - t0) })));
  }
} else {
  analyze(workerData as AnalyzeOptions).then(
    (stats) => parentPort?.postMessage({ stats }),
    (err: unknown) => parentPort?.postMessage({ error: String(err) }),
  );
}
