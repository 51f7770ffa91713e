import * as path from 'node:path';
import type { StoredStructure } from './analyze';
import type { ChatModel } from './llm/chatModel';
import { openLedger, readLedger, SleepBudget } from './llm/ledger';
import { mergeSleepNotes, runSleepJobs, type SleepJobReport } from './llm/sleepJobs';
import { silentLogger, type Logger } from './logger';
import { diskReader } from './repoText';
import { defaultStoreDir, Store } from './store/store';

const MANIFESTS = /(^|\/)(package\.json|pyproject\.toml|setup\.(py|cfg)|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(\.kts)?|Gemfile|composer\.json|Makefile|CMakeLists\.txt|[^/]+\.csproj|README(\.md)?)$/;

/** Options for one round of model-backed sleep-time compute over an analyzed repository. */
export interface SleepTimeOptions {
  root: string;
  storeDir?: string;
  model: ChatModel;
  /** Tokens this round may spend (per run in the CLI). */
  budgetTokens?: number;
  /** A daily budget instead (extension): what the ledger shows spent today counts against it. */
  dailyBudgetTokens?: number;
  /** Parallel generations per job, 1..5. */
  k?: number;
  /** Recently edited or open files; their components go first. */
  focus?: string[];
  signal?: AbortSignal;
  logger?: Logger;
}

export interface SleepTimeResult {
  notesWritten: number;
  jobs: SleepJobReport[];
  errors: string[];
  usage: { promptTokens: number; completionTokens: number };
}

/**
 * Run the model's sleep-time jobs (component summaries, bug review, test narrative, anticipated
 * questions) on the notes of a store, within the budget, and save what they wrote. The static
 * notes stay whatever the model does.
 */
export async function runSleepTime(opts: SleepTimeOptions): Promise<SleepTimeResult> {
  const logger = opts.logger ?? silentLogger;
  const root = path.resolve(opts.root);
  const storeDir = opts.storeDir ?? defaultStoreDir(root);
  const { store, warnings } = await Store.open(storeDir, { root, logger });
  for (const w of warnings) logger.warn(w);
  const files = store.files();
  if (!store.notes().length) throw new Error(`no notes for ${root}: run sleeptime analyze ${root} first`);
  const budget =
    opts.dailyBudgetTokens !== undefined
      ? SleepBudget.perDay(opts.dailyBudgetTokens, readLedger(storeDir).entries)
      : SleepBudget.perRun(opts.budgetTokens ?? 200_000);
  // The model sees code and the manifests that say how it is built, never editor or tool settings.
  const read = diskReader(root);
  const readText = (p: string): string | undefined => {
    const f = files.get(p);
    if (!f || (!f.language && !MANIFESTS.test(p)) || p.split('/').some((s) => s.startsWith('.'))) return undefined;
    return read(p);
  };
  const run = await runSleepJobs({
    root,
    notes: store.notes(),
    files,
    readText,
    model: opts.model,
    budget,
    ledger: openLedger(storeDir),
    k: opts.k,
    focus: opts.focus,
    churn: store.structure<StoredStructure>()?.churn,
    signal: opts.signal,
    logger,
  });
  if (run.notes.length) {
    await store.withWriteLock(async () => {
      const latest = await Store.open(storeDir, { root, logger });
      await store.save({ notes: mergeSleepNotes(latest.store.notes(), run) });
    }, { waitMs: 60_000 });
  }
  return { notesWritten: run.notes.length, jobs: run.jobs, errors: run.errors, usage: run.usage };
}
