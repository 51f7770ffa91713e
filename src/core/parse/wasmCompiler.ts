import * as v8 from 'node:v8';

/** The V8 flag itself, for a process started with it (`execArgv`). */
export const BASELINE_WASM_FLAG = '--liftoff-only';

let baselineOnly = process.execArgv.includes(BASELINE_WASM_FLAG);

/**
 * Compiles WebAssembly with V8's baseline compiler (Liftoff) only, for the rest of this process and its
 * worker threads. Some grammars' lexers are huge functions: optimizing C++'s costs 1.7 s, Swift's 4 s, more
 * CPU than a whole cold analysis gains from it, and about 100 MB of transient memory per thread (measured:
 * typeorm 15% faster, redis 430 -> 324 MB peak). The flag is process-wide, so only processes Sleeptime owns
 * use it: the CLI and the benchmark call this before their first WebAssembly compile; the editor's analysis
 * process is started with the flag. Never a host such as the extension host.
 */
export function useBaselineWasmCompiler(): void {
  v8.setFlagsFromString(BASELINE_WASM_FLAG);
  baselineOnly = true;
}

/**
 * Largest code section of a grammar worth optimizing. Compile time grows faster than the size of a function:
 * below this (TypeScript, TSX, JavaScript, Python, Go, Rust, Java, C#, PHP, Scala: 17-81 KB) the optimizing compile
 * takes 10-60 ms and parsing gets 10-15% cheaper; above it (Ruby 105 KB, Kotlin, C, Swift, C++ 1.2 MB) it costs
 * 0.2-4 s.
 */
export const OPTIMIZE_MAX_CODE_BYTES = 100_000;

/** Bytes of the code section (the function bodies) of a WebAssembly binary; 0 when it has none or is malformed. */
export function codeSectionBytes(wasm: Uint8Array): number {
  let at = 8; // magic and version
  while (at < wasm.length) {
    const id = wasm[at++];
    let size = 0;
    for (let shift = 0; at < wasm.length; shift += 7) {
      const byte = wasm[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) break;
    }
    if (id === 10) return size;
    at += size;
  }
  return 0;
}

/** WebAssembly compiled once per process with the optimizing compiler (see `optimizedModules`). */
export interface OptimizedModules {
  /** The tree-sitter runtime. */
  runtime: WebAssembly.Module;
  /** Grammars by name, those small enough to be worth it (`OPTIMIZE_MAX_CODE_BYTES`). */
  grammars: Map<string, WebAssembly.Module>;
}

let optimized: Promise<OptimizedModules | undefined> | undefined;

/**
 * The tree-sitter runtime (`tree-sitter.wasm`: parser driver, tree and query cursors, allocator) and the small
 * grammars among `grammars`, compiled once with the optimizing compiler, for a process that compiles everything
 * else with the baseline one. The runtime's functions are small and run for every node parsed or queried:
 * optimized, a typeorm parse costs about 20% less and a tags query 30% less, for one 0.2 s compile that the
 * parse workers share. The first call decides which grammars: compiling later could race with a worker's own
 * compile while the flags are switched. Undefined in a process with V8's default tiering (which optimizes hot
 * functions by itself), in Electron (run as Node for the editor's analysis process: it may freeze V8's flags,
 * and switching frozen flags aborts), or when the runtime's compile fails.
 */
export function optimizedModules(
  runtime: () => Uint8Array<ArrayBuffer>, grammars: () => [string, Uint8Array<ArrayBuffer>][],
): Promise<OptimizedModules | undefined> {
  if (!baselineOnly || process.versions.electron) return Promise.resolve(undefined);
  optimized ??= (async () => {
    // The flags stay switched until the compiles are done; nothing else compiles WebAssembly meanwhile: the
    // parse workers wait for these modules, and the calling thread's grammar loads for `modulesCompiled`.
    v8.setFlagsFromString('--no-liftoff-only');
    v8.setFlagsFromString('--no-liftoff');
    v8.setFlagsFromString('--no-wasm-lazy-compilation');
    try {
      const small = grammars().filter(([, bytes]) => codeSectionBytes(bytes) <= OPTIMIZE_MAX_CODE_BYTES);
      const [compiled, ...grammarModules] = await Promise.all([runtime(), ...small.map(([, bytes]) => bytes)].map(
        (bytes) => WebAssembly.compile(bytes).catch(() => undefined),
      ));
      if (!compiled) return undefined;
      const byName = new Map<string, WebAssembly.Module>();
      small.forEach(([name], i) => grammarModules[i] && byName.set(name, grammarModules[i]));
      return { runtime: compiled, grammars: byName };
    } finally {
      v8.setFlagsFromString('--wasm-lazy-compilation');
      v8.setFlagsFromString('--liftoff');
      v8.setFlagsFromString(BASELINE_WASM_FLAG);
    }
  })();
  return optimized;
}

/**
 * The modules `optimizedModules` has compiled in this process, waiting for a compile under way; undefined when
 * none was started. A thread that parses a few files by itself does not start the compile (it costs more
 * than a few files gain) but uses the modules once the parse workers have them.
 */
export function modulesCompiled(): Promise<OptimizedModules | undefined> {
  return optimized ?? Promise.resolve(undefined);
}
