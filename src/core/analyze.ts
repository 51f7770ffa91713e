import type { Logger } from './logger';
import type { NoteKind, SkipReason } from './types';

/** Options for one analysis run of a repository folder. */
export interface AnalyzeOptions {
  root: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  signal?: AbortSignal;
  /** Parse worker threads; 0 parses in the calling thread. Default: min(2, cores). */
  parseWorkers?: number;
  /** Files larger than this are skipped as `too-large`. Default 1 MB. */
  maxFileBytes?: number;
  include?: string[];
  exclude?: string[];
  logger?: Logger;
  onProgress?: (progress: AnalyzeProgress) => void;
}

export interface AnalyzeProgress {
  phase: string;
  done: number;
  total: number;
}

/** What `sleeptime analyze --json` prints. */
export interface AnalyzeStats {
  files: { seen: number; parsed: number; reused: number; skipped: Partial<Record<SkipReason, number>> };
  symbols: number;
  notes: Partial<Record<NoteKind, number>>;
  ms: Record<string, number>;
  peakRssMb: number;
  warnings: string[];
  /** true when the run was cancelled; work done so far is kept in the cache. */
  cancelled?: boolean;
}

/** Scan, parse (incrementally), relate and write notes for `opts.root` into its store. */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeStats> {
  void opts;
  throw new Error('not yet implemented');
}
