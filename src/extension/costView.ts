import { SleepBudget, summarizeLedger, type LedgerEntry } from '../core/llm/ledger';
import type { CostView } from './protocol';

/**
 * The chat's cost view from the ledgers of every folder: the core summary (test tokens weighted
 * by `testWeight`) and today's sleep-time spend against the daily budget, which each store keeps.
 */
export function buildCostView(ledgers: LedgerEntry[][], opts: { testWeight: number; dailyBudgetTokens: number; now?: Date }): CostView {
  const sleepTokensToday = ledgers.reduce((n, entries) => n + SleepBudget.perDay(opts.dailyBudgetTokens, entries, opts.now).spent, 0);
  return {
    summary: summarizeLedger(ledgers.flat(), { testWeight: opts.testWeight }),
    sleepTokensToday,
    dailyBudgetTokens: opts.dailyBudgetTokens,
  };
}
