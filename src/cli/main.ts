import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { analyze } from '../core/analyze';
import { ask } from '../core/ask';
import type { Logger } from '../core/logger';
import { markStaleOnDisk } from '../core/notes/staleness';
import { defaultStoreDir, Store } from '../core/store/store';
import type { Note, NoteKind } from '../core/types';

const USAGE = `Usage: sleeptime <command> [options]

Commands:
  analyze [DIR] [--store DIR] [--json]            analyze DIR (default .) into notes
  notes [DIR] [--store DIR] [--kind K] [--json|--md]  print the notes
  ask [DIR] "QUESTION" [--store DIR] [--budget N] [--offline] [--json]
                                                  answer from the notes within N prompt tokens
  help                                            this text

Options:
  --store DIR     store folder (default DIR/.sleeptime)
  --workers N     parse worker threads for analyze (default 2)
  --max-file-kb N skip files larger than N KB (default 1024)
  --kind K        architecture | bug | test-hook | file | qa
  --budget N      test-time prompt budget in tokens (default 2000)
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
    logger,
    onText: streamed ? (d) => process.stdout.write(d) : undefined,
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  if (result.servedBy !== 'model') process.stdout.write(result.answer);
  const usage = result.usage ? `, ${result.usage.completionTokens} completion tokens` : '';
  process.stdout.write(
    `\n\n-- ${result.servedBy} answer: ${result.contextTokens}/${result.budgetTokens} context tokens${usage}, ${result.notes.length} notes, ${result.latencyMs} ms\n`,
  );
  return 0;
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
  const where = ev ? ` (${ev.path}:${ev.startLine})` : '';
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
