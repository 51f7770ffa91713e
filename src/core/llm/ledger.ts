import * as fs from 'node:fs';
import * as path from 'node:path';

/** One model call (or one anticipated answer served with no call) in `<store>/ledger.jsonl`. */
export interface LedgerEntry {
  /** ISO time. */
  at: string;
  /** `sleep`: sleep-time job; `test`: answering a question. */
  kind: 'sleep' | 'test';
  /** Job id (`qa:src/core`, ...) or `answer` / `anticipated` for test-time entries. */
  job: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Counted locally because the server reported no usage. */
  estimated?: boolean;
  /** Ids of the notes that served an answer (test) or that a job wrote (sleep). */
  notes?: string[];
  question?: string;
  /** Test-time only: estimated prompt tokens of answering from the cited files sent whole. */
  rawTokens?: number;
}

/** Where calls are recorded. */
export interface LedgerSink {
  append(entry: LedgerEntry): void;
}

/** The append-only JSONL ledger of one store. */
export interface FileLedger extends LedgerSink {
  path: string;
  /** Write errors met so far (the ledger never throws). */
  errors: string[];
  read(): { entries: LedgerEntry[]; errors: string[] };
}

/** File name of the ledger inside the store folder. */
export const LEDGER_FILE = 'ledger.jsonl';

/** Read `<storeDir>/ledger.jsonl`; a missing file is an empty ledger, broken lines are reported and skipped. */
export function readLedger(storeDir: string): { entries: LedgerEntry[]; errors: string[] } {
  const file = path.join(storeDir, LEDGER_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { entries: [], errors: (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : [`${file}: ${(e as Error).message}`] };
  }
  const entries: LedgerEntry[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as LedgerEntry;
      if ((e.kind === 'sleep' || e.kind === 'test') && Number.isFinite(e.promptTokens) && Number.isFinite(e.completionTokens)) entries.push(e);
      else errors.push(`${file}:${i + 1}: not a ledger entry`);
    } catch {
      errors.push(`${file}:${i + 1}: invalid JSON`);
    }
  });
  return { entries, errors };
}

/** Open (lazily create) the ledger of a store folder. */
export function openLedger(storeDir: string): FileLedger {
  const file = path.join(storeDir, LEDGER_FILE);
  const errors: string[] = [];
  return {
    path: file,
    errors,
    append(entry: LedgerEntry): void {
      try {
        fs.mkdirSync(storeDir, { recursive: true });
        fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
      } catch (e) {
        errors.push(`${file}: ${(e as Error).message}`);
      }
    },
    read: () => readLedger(storeDir),
  };
}

/** The cost view: `sleeptime ledger --json` and the chat panel. */
export interface LedgerSummary {
  sleepTokens: number;
  sleepCalls: number;
  /** Test-time entries (each one question). */
  questions: number;
  testTokens: number;
  /** Questions answered from an anticipated note with no model call. */
  anticipatedAnswers: number;
  testTokensPerQuestion: number;
  testWeight: number;
  /** (sleepTokens + testWeight x testTokens) / questions; null before the first question. */
  amortizedPerQuestion: number | null;
  /** testWeight x rawTokensPerQuestion: the same question answered from raw code; null when unknown. */
  rawCodePerQuestion: number | null;
  /** Calls whose usage was counted locally. */
  estimatedCalls: number;
}

/** Summarize ledger entries: sleep spend, test spend per question, amortized and raw-code cost. */
export function summarizeLedger(entries: LedgerEntry[], opts: { testWeight?: number; rawTokensPerQuestion?: number } = {}): LedgerSummary {
  const testWeight = opts.testWeight ?? 10;
  let sleepTokens = 0;
  let sleepCalls = 0;
  let testTokens = 0;
  let questions = 0;
  let anticipated = 0;
  let estimatedCalls = 0;
  let rawTokens = 0;
  let rawCounted = 0;
  for (const e of entries) {
    const t = e.promptTokens + e.completionTokens;
    if (e.estimated) estimatedCalls++;
    if (e.kind === 'sleep') {
      sleepTokens += t;
      sleepCalls++;
    } else {
      testTokens += t;
      questions++;
      if (e.rawTokens !== undefined) {
        rawTokens += e.rawTokens;
        rawCounted++;
      }
      if (t === 0) anticipated++;
    }
  }
  return {
    sleepTokens,
    sleepCalls,
    questions,
    testTokens,
    anticipatedAnswers: anticipated,
    testTokensPerQuestion: questions ? testTokens / questions : 0,
    testWeight,
    amortizedPerQuestion: questions ? (sleepTokens + testWeight * testTokens) / questions : null,
    rawCodePerQuestion:
      opts.rawTokensPerQuestion !== undefined ? testWeight * opts.rawTokensPerQuestion : rawCounted ? (testWeight * rawTokens) / rawCounted : null,
    estimatedCalls,
  };
}

/** Local calendar day `YYYY-MM-DD`, the key of the extension's daily budget window. */
export function dayKey(date: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

/** Tokens held for one call until its usage is known. */
export interface Reservation {
  readonly tokens: number;
}

/**
 * A sleep-time token budget that is never exceeded: every attempt (retries included) first reserves
 * its worst case (prompt estimate + maxTokens); the reservation becomes the reported usage when the
 * call ends, or is released when the call used nothing.
 */
export class SleepBudget {
  private spentTokens: number;
  private heldTokens = 0;
  private readonly open = new Set<Reservation>();

  /** `spent`: tokens already used in this window (e.g. today's sleep entries). */
  constructor(readonly limit: number, spent = 0, readonly window = 'run') {
    this.spentTokens = spent;
  }

  /** A per-run budget (CLI `--sleep-budget`). */
  static perRun(limit: number): SleepBudget {
    return new SleepBudget(limit, 0, 'run');
  }

  /** A per-day budget (extension): today's sleep entries from the ledger count as spent. */
  static perDay(limit: number, entries: LedgerEntry[], now: Date = new Date()): SleepBudget {
    const today = dayKey(now);
    const spent = entries
      .filter((e) => e.kind === 'sleep' && dayKey(new Date(e.at)) === today)
      .reduce((n, e) => n + e.promptTokens + e.completionTokens, 0);
    return new SleepBudget(limit, spent, today);
  }

  get spent(): number {
    return this.spentTokens;
  }

  get reserved(): number {
    return this.heldTokens;
  }

  /** Tokens neither spent nor reserved. */
  get remaining(): number {
    return Math.max(0, this.limit - this.spentTokens - this.heldTokens);
  }

  /** Hold `tokens` for a call; undefined when that would pass the limit. */
  reserve(tokens: number): Reservation | undefined {
    const need = Math.max(0, Math.ceil(tokens));
    if (this.spentTokens + this.heldTokens + need > this.limit) return undefined;
    const r: Reservation = { tokens: need };
    this.open.add(r);
    this.heldTokens += need;
    return r;
  }

  /** Turn a reservation into spend: the usage the server reported. */
  commit(r: Reservation, usedTokens: number): void {
    if (!this.open.delete(r)) return;
    this.heldTokens -= r.tokens;
    this.spentTokens += Math.max(0, usedTokens);
  }

  /** Give a reservation back unused (the call failed before the server did any work). */
  release(r: Reservation): void {
    this.commit(r, 0);
  }
}
