import * as v8 from 'node:v8';

/** The V8 flag itself, for a process started with it (`execArgv`). */
export const BASELINE_WASM_FLAG = '--liftoff-only';

let baselineOnly = process.execArgv.includes(BASELINE_WASM_FLAG);

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
  baselineOnly = true;
}

let optimized: Promise<WebAssembly.Module | undefined> | undefined;

/**
 * The tree-sitter runtime (`tree-sitter.wasm`: parser driver, tree and query cursors, allocator) compiled
 * once with the optimizing compiler, for a process that compiles everything else with the baseline one.
 * Its functions are small and run for every node parsed or queried: optimized, a typeorm parse costs about
 * 20% less and a tags query 30% less, for one 0.2 s compile that the parse workers share. Undefined in a
 * process with V8's default tiering (which optimizes hot functions by itself), in Electron (run as Node for
 * the editor's analysis process: it may freeze V8's flags, and switching frozen flags aborts), or when the
 * compile fails.
 */
export function optimizedRuntime(bytes: () => Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module | undefined> {
  if (!baselineOnly || process.versions.electron) return Promise.resolve(undefined);
  optimized ??= (async () => {
    // The flags stay switched until the compile is done; nothing else compiles WebAssembly meanwhile: the
    // parse workers wait for this module, and the calling thread's grammar loads for `runtimeCompiled`.
    v8.setFlagsFromString('--no-liftoff-only');
    v8.setFlagsFromString('--no-liftoff');
    v8.setFlagsFromString('--no-wasm-lazy-compilation');
    try {
      return await WebAssembly.compile(bytes());
    } catch {
      return undefined;
    } finally {
      v8.setFlagsFromString('--wasm-lazy-compilation');
      v8.setFlagsFromString('--liftoff');
      v8.setFlagsFromString(BASELINE_WASM_FLAG);
    }
  })();
  return optimized;
}

/**
 * The runtime `optimizedRuntime` has compiled in this process, waiting for a compile under way; undefined when
 * none was started. A thread that parses a few files by itself does not start the compile (it costs more
 * than a few files gain) but uses the module once the parse workers have it.
 */
export function runtimeCompiled(): Promise<WebAssembly.Module | undefined> {
  return optimized ?? Promise.resolve(undefined);
}
