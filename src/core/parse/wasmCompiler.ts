import * as v8 from 'node:v8';

/**
 * Compiles WebAssembly with V8's baseline compiler (Liftoff) only, for the rest of this process and its
 * worker threads. A grammar's lexer is one huge function: optimizing it costs more CPU than a whole cold
 * analysis gains from it, and about 100 MB of transient memory per thread (measured: typeorm 15% faster,
 * redis 430 -> 324 MB peak). The flag is process-wide, so only processes Sleeptime owns use it: the CLI and
 * the benchmark call this before their first WebAssembly compile; the editor's analysis process is started
 * with the flag. Never a host such as the extension host.
 */
export function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString(BASELINE_WASM_FLAG);
}

/** The V8 flag itself, for a process started with it (`execArgv`). */
export const BASELINE_WASM_FLAG = '--liftoff-only';
