import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { Language as TsLanguage, Parser, Query } from 'web-tree-sitter';
import { distPath } from '../assets';
import type { Language } from '../types';
import { modulesCompiled, optimizedModules, type OptimizedModules } from './wasmCompiler';

/** Every language with a shipped grammar (`dist/grammars/<id>.wasm`) and tags query. */
export const LANGUAGES: readonly Language[] = [
  'typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'c', 'cpp', 'csharp', 'ruby', 'php',
  'kotlin', 'swift', 'scala',
];

/** A loaded grammar with its compiled tags query; one per language per thread. */
export interface Grammar {
  language: Language;
  tsLanguage: TsLanguage;
  tags: Query;
}

let runtime: Promise<void> | undefined;
const pending = new Map<Language, Promise<Grammar>>();
const loaded = new Map<Language, Grammar>();
let loadChain: Promise<unknown> = Promise.resolve();
let workerModules: OptimizedModules | undefined;

/** Has this worker instantiate the runtime and grammars the main thread compiled (see `optimizedModules`). */
export function useCompiledModules(modules: OptimizedModules | undefined): void {
  workerModules = modules;
}

/**
 * The tree-sitter runtime and the small grammars among those of `languages`, compiled once per process with
 * the optimizing compiler, for the parse workers.
 */
export function sharedModules(languages: Iterable<Language>): Promise<OptimizedModules | undefined> {
  return optimizedModules(
    () => fs.readFileSync(distPath('tree-sitter.wasm')),
    () => [...new Set(languages)].flatMap((l): [string, Uint8Array<ArrayBuffer>][] => {
      try {
        return [[l, fs.readFileSync(distPath('grammars', `${l}.wasm`))]];
      } catch {
        return []; // reported, with its path, when a file of this language is parsed
      }
    }),
  );
}

/** This thread's share of the optimized modules: sent to a worker, waited for in the main thread. */
async function compiledModules(): Promise<OptimizedModules | undefined> {
  return isMainThread ? modulesCompiled() : workerModules;
}

/** Initializes the tree-sitter WASM runtime once per thread. */
export function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    const compiled = (await compiledModules())?.runtime;
    await Parser.init({
      locateFile: () => distPath('tree-sitter.wasm'),
      ...(compiled && {
        instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, mod: WebAssembly.Module) => void) => {
          done(new WebAssembly.Instance(compiled, imports), compiled);
          return {};
        },
      }),
    });
  })();
  return runtime;
}

/**
 * `Language.load` compiles the bytes it is given; this has it instantiate `module`, compiled from those bytes,
 * instead. It still reads the bytes for their dynamic-linking section. Loads run one at a time (`loadChain`), so
 * the swap of `WebAssembly.instantiate` sees only this load's call.
 */
async function loadCompiled(bytes: Uint8Array, module: WebAssembly.Module): Promise<TsLanguage> {
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = ((source: unknown, imports?: WebAssembly.Imports) =>
    source === bytes
      ? instantiate(module, imports).then((instance) => ({ module, instance }))
      : instantiate(source as BufferSource, imports)) as typeof WebAssembly.instantiate;
  try {
    return await TsLanguage.load(bytes);
  } finally {
    WebAssembly.instantiate = instantiate;
  }
}

/**
 * Source of the tags query of `language` (`dist/queries/<language>-tags.scm`). A first line
 * `; inherits: <language>` prepends that language's query (TSX extends TypeScript).
 */
export function readTagsQuery(language: Language): string {
  const text = fs.readFileSync(distPath('queries', `${language}-tags.scm`), 'utf8');
  const parent = /^; inherits: (\w+)/.exec(text)?.[1] as Language | undefined;
  return parent ? `${readTagsQuery(parent)}\n${text}` : text;
}

const languages = new Map<Language, Promise<TsLanguage>>();

/**
 * Loads the WASM grammar of `language` alone (no tags query), once per thread. The throughput
 * floor uses it: reading and parsing, nothing else.
 */
export function loadLanguage(language: Language): Promise<TsLanguage> {
  let p = languages.get(language);
  if (!p) {
    // Loads run one at a time: concurrent WASM dylink loads race on shared symbols.
    p = loadChain.then(async () => {
      await initRuntime();
      const file = distPath('grammars', `${language}.wasm`);
      const compiled = (await compiledModules())?.grammars.get(language);
      return compiled ? loadCompiled(fs.readFileSync(file), compiled) : TsLanguage.load(file);
    });
    loadChain = p.catch(() => undefined);
    languages.set(language, p);
    // A failed load may be retried later (e.g. after `npm run build`).
    p.catch(() => languages.delete(language));
  }
  return p;
}

/**
 * Loads the grammar of `language` and compiles its tags query, once per thread; later calls
 * return the cached pair. Rejects when the grammar or the query is missing or invalid.
 */
export function loadGrammar(language: Language): Promise<Grammar> {
  let p = pending.get(language);
  if (!p) {
    p = loadLanguage(language).then((tsLanguage): Grammar => {
      const grammar: Grammar = { language, tsLanguage, tags: new Query(tsLanguage, readTagsQuery(language)) };
      loaded.set(language, grammar);
      return grammar;
    });
    pending.set(language, p);
    p.catch(() => pending.delete(language));
  }
  return p;
}

/** The grammar of `language` if `loadGrammar` has already completed in this thread. */
export function loadedGrammar(language: Language): Grammar | undefined {
  return loaded.get(language);
}
