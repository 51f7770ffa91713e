// Child process for parse.test.ts: analyzes the files named on stdin the way the CLI does (WebAssembly with
// the baseline compiler only), in the calling thread and in two workers, and prints what it found as JSON.
import * as fs from 'node:fs';
import { sharedModules } from '../../src/core/parse/grammars';
import { ParsePool, type ParseJob } from '../../src/core/parse/parsePool';
import { useBaselineWasmCompiler } from '../../src/core/parse/wasmCompiler';

useBaselineWasmCompiler();
(async () => {
  const jobs = JSON.parse(fs.readFileSync(0, 'utf8')) as ParseJob[];
  const modules = await sharedModules(jobs.flatMap((j) => (j.language ? [j.language] : [])));
  const pools = [new ParsePool({ workers: 0 }), new ParsePool({ workers: 2 })];
  try {
    const [inline, threaded] = [await pools[0].run(jobs), await pools[1].run(jobs)];
    const exports = modules ? WebAssembly.Module.exports(modules.runtime).map((e) => e.name) : [];
    process.stdout.write(JSON.stringify({ runtimeExports: exports, optimizedGrammars: [...(modules?.grammars.keys() ?? [])], inline, threaded }));
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
})();
