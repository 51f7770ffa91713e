import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { analyze } from '../core/analyze';
import { ask, saveSearchIndex } from '../core/ask';
import type { Logger } from '../core/logger';
import { createOpenAiModel, type ChatModel } from '../core/llm/chatModel';
import { readLedger, summarizeLedger } from '../core/llm/ledger';
import { markStaleOnDisk } from '../core/notes/staleness';
import { useBaselineWasmCompiler } from '../core/parse/wasmCompiler';
import { DEFAULT_MAX_FILE_KB } from '../core/scan/limits';
import { runSleepTime } from '../core/sleep';
import { defaultStoreDir, Store } from '../core/store/store';
import type { Note, NoteKind } from '../core/types';

const USAGE = `Usage: sleeptime <command> [options]

Commands:
  analyze [DIR] [--store DIR] [--json] [--llm]    analyze DIR (default .) into notes; --llm adds the
                                                  model's sleep-time notes (anticipated questions ...)
  notes [DIR] [--store DIR] [--kind K] [--json|--md]  print the notes
  ask [DIR] "QUESTION" [--store DIR] [--budget N] [--offline] [--json]
                                                  answer from the notes within N prompt tokens
  ledger [DIR] [--json]                           tokens spent at sleep time and per question
  export [DIR] [--out FILE]                       write a shareable notes file (+ markdown digest)
  import [DIR] [--file FILE]                      use a notes file; notes whose code changed turn stale
  mcp [DIR] [--store DIR]                         serve the notes to agents over MCP (stdio)
  help                                            this text

Options:
  --store DIR     store folder (default DIR/.sleeptime)
  --workers N     parse worker threads for analyze (default 2)
  --max-file-kb N skip files larger than N KB (default ${DEFAULT_MAX_FILE_KB})
  --kind K        architecture | bug | test-hook | file | qa
  --budget N      test-time prompt budget in tokens (default 2000)
  --max-answer-tokens N  completion bound when a model answers (default 400)
  --base-url URL  OpenAI-compatible endpoint (default $OPENAI_BASE_URL); key from $OPENAI_API_KEY
  --timeout N     seconds a model may stay silent before the call fails (default 60)
  --model NAME    model (default $SLEEPTIME_MODEL); without one, ask answers offline
  --sleep-budget N  sleep-time tokens analyze --llm may spend (default 200000)
  --k N           parallel sleep-time generations per job, 1-5 (default 1)
  --test-weight N   price of a test-time token in sleep-time tokens, for ledger (default 10)
  --verbose       log details to stderr`;

/** A user-facing failure: printed as one line, exit code 1. */
class UsageError extends Error {}

const OPTIONS: ParseArgsConfig['options'] = {
  store: { type: 'string' },
  json: { type: 'boolean' },
  md: { type: 'boolean' },
  kind: { type: 'string' },
  budget: { type: 'string' },
  'max-answer-tokens': { type: 'string' },
  offline: { type: 'boolean' },
  llm: { type: 'boolean' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'sleep-budget': { type: 'string' },
  k: { type: 'string' },
  'test-weight': { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string' },
  file: { type: 'string' },
  workers: { type: 'string' },
  'max-file-kb': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

type Values = Record<string, string | boolean | undefined>;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see sleeptime help)`);
  }
  const [command, ...rest] = parsed.positionals;
  const values = parsed.values as Values;
  if (!command || command === 'help' || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = stderrLogger(Boolean(values.verbose));
  switch (command) {
    case 'analyze':
      return runAnalyze(rest, values, logger);
    case 'notes':
      return runNotes(rest, values, logger);
    case 'ask':
      return runAsk(rest, values, logger);
    case 'ledger':
      return runLedger(rest, values);
    case 'export': {
      const { runExport } = await import('./export');
      const r = await runExport({ root: folderArg(rest[0]), storeDir: storeArg(values), logger, out: values.out as string | undefined });
      process.stdout.write(`${r.summary}\n`);
      return 0;
    }
    case 'import': {
      const { runImport } = await import('./export');
      const r = await runImport({ root: folderArg(rest[0]), storeDir: storeArg(values), logger, file: values.file as string | undefined });
      process.stdout.write(`${r.summary}\n`);
      return 0;
    }
    case 'mcp': {
      const { runMcpServer } = await import('./mcp');
      await runMcpServer({ root: folderArg(rest[0]), storeDir: storeArg(values), logger });
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}' (see sleeptime help)`);
  }
}

async function runAnalyze(args: string[], values: Values, logger: Logger): Promise<number> {
  const root = folderArg(args[0]);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const progress = progressPrinter();
  const stats = await analyze({
    root,
    storeDir: storeArg(values),
    parseWorkers: intArg(values.workers, 'workers'),
    maxFileBytes: values['max-file-kb'] !== undefined ? intArg(values['max-file-kb'], 'max-file-kb')! * 1024 : undefined,
    signal: controller.signal,
    logger,
    onProgress: (p) => progress(`${p.phase} ${p.done}/${p.total}`),
  });
  progress('');
  if (values.llm && !stats.cancelled) {
    const model = modelFromArgs(values);
    if (!model) throw new UsageError('--llm needs a model: set SLEEPTIME_MODEL and OPENAI_BASE_URL (or --model and --base-url)');
    const k = intArg(values.k, 'k');
    if (k !== undefined && (k < 1 || k > 5)) throw new UsageError('--k must be between 1 and 5');
    const sleep = await runSleepTime({
      root,
      storeDir: storeArg(values),
      model,
      budgetTokens: intArg(values['sleep-budget'], 'sleep-budget'),
      k,
      signal: controller.signal,
      logger,
    });
    const spent = sleep.usage.promptTokens + sleep.usage.completionTokens;
    logger.info(`sleep-time: ${sleep.notesWritten} model notes, ${spent} tokens, ${sleep.jobs.filter((j) => j.status === 'done').length}/${sleep.jobs.length} jobs done`);
    const counts = (await openExistingStore(root, values, logger)).notes().reduce<Record<string, number>>((m, n) => ((m[n.kind] = (m[n.kind] ?? 0) + 1), m), {});
    Object.assign(stats, { notes: counts, sleep: { notes: sleep.notesWritten, tokens: spent, usage: sleep.usage, errors: sleep.errors.length } });
  }
  for (const w of stats.warnings.slice(0, 20)) logger.warn(w);
  if (stats.warnings.length > 20) logger.warn(`... and ${stats.warnings.length - 20} more warnings`);
  if (values.json) {
    const { warnings, ...rest } = stats;
    process.stdout.write(`${JSON.stringify({ ...rest, warnings: warnings.length })}\n`);
  } else {
    const skipped = Object.entries(stats.files.skipped).map(([r, n]) => `${n} ${r}`).join(', ') || 'none';
    const notes = Object.entries(stats.notes).map(([k, n]) => `${n} ${k}`).join(', ');
    process.stdout.write(
      `${stats.cancelled ? 'Cancelled' : 'Analyzed'} ${root}\n` +
        `  files:   ${stats.files.seen} seen, ${stats.files.parsed} parsed, ${stats.files.reused} reused; skipped: ${skipped}\n` +
        `  symbols: ${stats.symbols}\n  notes:   ${notes}\n  time:    ${stats.ms.total} ms, peak RSS ${stats.peakRssMb} MB\n`,
    );
  }
  return stats.cancelled ? 130 : 0;
}

async function runNotes(args: string[], values: Values, logger: Logger): Promise<number> {
  const root = folderArg(args[0]);
  const store = await openExistingStore(root, values, logger);
  const kind = values.kind as NoteKind | undefined;
  const kinds: NoteKind[] = ['architecture', 'bug', 'test-hook', 'file', 'qa'];
  if (kind && !kinds.includes(kind)) throw new UsageError(`unknown kind '${kind}': use one of ${kinds.join(', ')}`);
  // An older or broken store is rebuilt empty when opened (with a warning): say what to do rather than print nothing.
  if (store.notes().length === 0) throw new UsageError(`no notes for ${root}: run sleeptime analyze ${root} first`);
  const notes = markStaleOnDisk(root, store.notes(), store.files()).filter((n) => !kind || n.kind === kind);
  if (values.json) process.stdout.write(`${JSON.stringify(notes, null, 2)}\n`);
  else if (values.md) process.stdout.write(`${notes.map(noteMarkdown).join('\n\n---\n\n')}\n`);
  else for (const n of notes) process.stdout.write(`${noteLine(n)}\n`);
  return 0;
}

async function runAsk(args: string[], values: Values, logger: Logger): Promise<number> {
  if (!args.length) throw new UsageError('ask needs a question: sleeptime ask [DIR] "QUESTION"');
  const [dirArg, question] = args.length >= 2 ? [args[0], args.slice(1).join(' ')] : [undefined, args[0]];
  const root = folderArg(dirArg);
  if (!question.trim()) throw new UsageError('the question is empty');
  const streamed = !values.json;
  const result = await ask({
    root,
    question,
    storeDir: storeArg(values),
    budgetTokens: intArg(values.budget, 'budget'),
    maxAnswerTokens: intArg(values['max-answer-tokens'], 'max-answer-tokens'),
    offline: Boolean(values.offline),
    model: values.offline ? undefined : modelFromArgs(values),
    logger,
    onText: streamed ? (d) => process.stdout.write(d) : undefined,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const usage = result.usage ? `, ${result.usage.completionTokens} completion tokens` : '';
    process.stdout.write(
      `\n\n-- ${result.servedBy} answer: ${result.contextTokens}/${result.budgetTokens} context tokens${usage}, ${result.notes.length} notes, ${result.latencyMs} ms\n`,
    );
  }
  // The answer is out; the next `ask` loads the search index instead of rebuilding it.
  await saveSearchIndex(storeArg(values) ?? defaultStoreDir(root)).catch((e: Error) => logger.debug(`search index not saved: ${e.message}`));
  return 0;
}

async function runLedger(args: string[], values: Values): Promise<number> {
  const root = folderArg(args[0]);
  const dir = storeArg(values) ?? defaultStoreDir(root);
  const { entries, errors } = readLedger(dir);
  const summary = summarizeLedger(entries, { testWeight: intArg(values['test-weight'], 'test-weight') });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, entries: entries.length, errors: errors.length })}\n`);
    return 0;
  }
  const fmt = (n: number | null): string => (n === null ? '-' : Math.round(n).toLocaleString('en-US'));
  process.stdout.write(
    `Sleep time: ${fmt(summary.sleepTokens)} tokens in ${summary.sleepCalls} calls\n` +
      `Questions:  ${summary.questions} (${summary.anticipatedAnswers} served from anticipated notes), ${fmt(summary.testTokensPerQuestion)} test-time tokens each\n` +
      `Amortized:  ${fmt(summary.amortizedPerQuestion)} sleep-token equivalents per question (test tokens x${summary.testWeight})\n` +
      `Raw code:   ${fmt(summary.rawCodePerQuestion)} per question when answered from whole files\n`,
  );
  return 0;
}

/** The model named by flags or environment, if any: OPENAI_BASE_URL, OPENAI_API_KEY, SLEEPTIME_MODEL. */
function modelFromArgs(values: Values): ChatModel | undefined {
  const model = (values.model as string | undefined) ?? process.env.SLEEPTIME_MODEL;
  const baseUrl = (values['base-url'] as string | undefined) ?? process.env.OPENAI_BASE_URL;
  if (!model) return undefined;
  const timeout = intArg(values.timeout, 'timeout');
  return createOpenAiModel({ baseUrl: baseUrl ?? 'https://api.openai.com/v1', apiKey: process.env.OPENAI_API_KEY, model, timeoutMs: timeout ? timeout * 1000 : undefined });
}

async function openExistingStore(root: string, values: Values, logger: Logger): Promise<Store> {
  const dir = storeArg(values) ?? defaultStoreDir(root);
  if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new UsageError(`no notes for ${root}: run sleeptime analyze ${root} first`);
  const { store, warnings } = await Store.open(dir, { root, logger });
  for (const w of warnings) logger.warn(w);
  return store;
}

function noteLine(n: Note): string {
  const ev = n.evidence[0];
  const cite = ev ? `${ev.path}:${ev.startLine}` : '';
  // Bug titles already end with their place.
  const where = cite && !n.title.includes(cite) ? ` (${cite})` : '';
  return `[${n.kind}] ${n.title}${where}${n.stale ? ' [stale]' : ''}`;
}

function noteMarkdown(n: Note): string {
  const cites = n.evidence.map((e) => `\`${e.path}:${e.startLine}${e.endLine !== e.startLine ? `-${e.endLine}` : ''}\``).join(', ');
  return `<!-- ${n.id} | ${n.kind} | ${n.origin}${n.stale ? ' | stale' : ''} -->\n${n.body.startsWith('# ') ? n.body : `## ${n.title}\n\n${n.body}`}${cites ? `\n\nEvidence: ${cites}` : ''}`;
}

function folderArg(arg: string | undefined): string {
  const root = path.resolve(arg ?? '.');
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch {
    throw new UsageError(`no such folder: ${root}`);
  }
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${root}`);
  return root;
}

function storeArg(values: Values): string | undefined {
  return typeof values.store === 'string' ? path.resolve(values.store) : undefined;
}

function intArg(v: string | boolean | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

function stderrLogger(verbose: boolean): Logger {
  const write = (level: string) => (m: string) => process.stderr.write(`${level}: ${m}\n`);
  return { debug: verbose ? write('debug') : () => {}, info: verbose ? write('info') : () => {}, warn: write('warning'), error: write('error') };
}

/** Progress on stderr: a self-overwriting line on a terminal, nothing otherwise. */
function progressPrinter(): (text: string) => void {
  if (!process.stderr.isTTY) return () => {};
  let last = 0;
  return (text) => {
    const now = Date.now();
    if (text && now - last < 100) return;
    last = now;
    process.stderr.write(`\r\x1b[K${text}`);
  };
}

// A closed pipe (`sleeptime notes | head`) ends output quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

useBaselineWasmCompiler();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`sleeptime: ${message.split('\n')[0]}\n`);
    if (process.env.SLEEPTIME_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  },
);
