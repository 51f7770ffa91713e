import * as path from 'node:path';
import { z } from 'zod';
import { silentLogger, type Logger } from '../logger';
import { isTestPath } from '../notes/testHooks';
import { isSecretPath } from '../privacy/secretFiles';
import { redactSecrets } from '../privacy/redact';
import type { Evidence, FileAnalysis, Note } from '../types';
import { countTextTokens, estimatePromptTokens, jsonSchemaOf, ModelError, parseStructured, type ChatMessage, type ChatModel, type ChatUsage } from './chatModel';
import type { LedgerSink, Reservation, SleepBudget } from './ledger';
import { textSimilarity } from './similarity';

/** Options of `runSleepJobs`. */
export interface SleepJobsOptions {
  root: string;
  /** Current notes (static and earlier model notes); fresh model notes make their job skip. */
  notes: Note[];
  files: Map<string, FileAnalysis>;
  /** File text by repo-relative path; undefined when unreadable. */
  readText: (path: string) => string | undefined;
  model: ChatModel;
  budget: SleepBudget;
  ledger: LedgerSink;
  /** Parallel generations per job, 1..5 (default 1); merged by agreement. */
  k?: number;
  /** Recently edited or open paths; their components go first. */
  focus?: string[];
  /** Commits per path (churn), e.g. from `HistoryResult.files[path].commits`. */
  churn?: Record<string, number>;
  /** Completion bound of one generation. Default 1200. */
  maxTokensPerCall?: number;
  /** Code-excerpt tokens per prompt. Default 3000. */
  excerptTokens?: number;
  /** Run at most this many jobs. Default: all. */
  maxJobs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

/** What one job did. */
export interface SleepJobReport {
  id: string;
  priority: number;
  status: 'done' | 'skipped-fresh' | 'skipped-budget' | 'dropped' | 'failed' | 'cancelled';
  notes: number;
  reason?: string;
}

/** What `runSleepJobs` returns: new/updated model notes (merge them with `mergeSleepNotes`). */
export interface SleepJobsResult {
  notes: Note[];
  errors: string[];
  jobs: SleepJobReport[];
  usage: { promptTokens: number; completionTokens: number };
}

type JobKind = 'qa' | 'summary' | 'bugs' | 'tests' | 'architecture';

interface Job {
  id: string;
  kind: JobKind;
  component: string;
  priority: number;
  paths: string[];
  bugNotes: Note[];
}

/** Failures that concern one job only; any other failure stops the run. */
const PER_JOB_FAILURES = new Set<string>(['malformed-output', 'bad-request', 'budget', 'aborted']);
const KIND_WEIGHT: Record<JobKind, number> = { qa: 1, architecture: 0.9, summary: 0.8, bugs: 0.7, tests: 0.5 };
const MAX_EVIDENCE = 5;

const EvidenceSchema = z.object({ path: z.string(), startLine: z.number(), endLine: z.number() });
const QaSchema = z.object({
  questions: z.array(z.object({ question: z.string(), answer: z.string(), evidence: z.array(EvidenceSchema) })),
});
const SummarySchema = z.object({ title: z.string(), summary: z.string(), evidence: z.array(EvidenceSchema) });
const TestsSchema = z.object({ narrative: z.string(), testCommand: z.string(), evidence: z.array(EvidenceSchema) });
const BugsSchema = z.object({
  verdicts: z.array(z.object({ id: z.string(), verdict: z.enum(['confirmed', 'refuted', 'uncertain']), reason: z.string() })),
});

const SYSTEM = [
  'You are Sleeptime. While the developer is away you study a repository and write notes that will answer their',
  'future questions cheaply. Use only the code excerpts and notes given; never invent files, symbols or lines.',
  'Excerpt lines are prefixed with their line number. Cite code as `path:line` in text and list the lines you rely',
  'on as evidence {path, startLine, endLine}. Be concrete and brief. Reply with JSON matching the schema only.',
].join(' ');

/** Folder-level component of a path: the deepest static architecture subject containing it, else its folder. */
function componentOf(p: string, subjects: string[]): string {
  for (const s of subjects) if (p.startsWith(`${s}/`)) return s;
  const d = path.posix.dirname(p);
  return d === '' ? '.' : d;
}

/** Notes of the given job among earlier model notes. */
function jobNotes(notes: Note[], jobId: string): Note[] {
  return notes.filter((n) => n.origin.startsWith('llm:') && n.meta?.job === jobId);
}

/** True when a note's dependencies no longer match the files. */
function outdated(n: Note, files: Map<string, FileAnalysis>): boolean {
  return n.stale || Object.entries(n.dependsOn).some(([p, h]) => files.get(p)?.hash !== h);
}

/** Evidence that points at real lines of a sendable file: clamped into range, invalid items dropped. */
function validEvidence(items: Evidence[], files: Map<string, FileAnalysis>, root: string): Evidence[] {
  const out: Evidence[] = [];
  for (const e of items) {
    let p = e.path.replace(/\\/g, '/').replace(/^\.\//, '');
    if (path.isAbsolute(p)) p = path.relative(root, p).replace(/\\/g, '/');
    const f = files.get(p);
    if (!f || isSecretPath(p) || !Number.isFinite(e.startLine)) continue;
    let start = Math.round(Math.min(e.startLine, e.endLine || e.startLine));
    let end = Math.round(Math.max(e.startLine, e.endLine || e.startLine));
    if (start > f.lines || end < 1) continue;
    start = Math.max(1, start);
    end = Math.min(f.lines, end);
    if (!out.some((o) => o.path === p && o.startLine === start && o.endLine === end)) out.push({ path: p, startLine: start, endLine: end });
  }
  return out.slice(0, MAX_EVIDENCE);
}

/** Fix `path:line` citations in model text: out-of-range lines are clamped, unknown paths lose the line. */
function checkCitations(text: string, files: Map<string, FileAnalysis>, evidence: Evidence[]): string {
  const fixed = text.replace(/([\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?/g, (whole, p: string, a: string) => {
    const f = files.get(p);
    if (!f || isSecretPath(p)) return p;
    return Number(a) >= 1 && Number(a) <= f.lines ? whole : `${p}:${Math.min(Math.max(1, Number(a)), f.lines)}`;
  });
  const cites = /[\w.-]+\.[A-Za-z0-9]+:\d+/.test(fixed);
  return cites || !evidence.length ? fixed : `${fixed}\n\nSee ${evidence.map((e) => `${e.path}:${e.startLine}`).join(', ')}.`;
}

/** Line-numbered, redacted excerpts of non-secret files within a token budget; which files were shown. */
function buildExcerpts(
  paths: string[],
  budget: number,
  readText: (p: string) => string | undefined,
  ranges?: Map<string, Evidence[]>,
): { text: string; shown: string[]; errors: string[] } {
  const parts: string[] = [];
  const shown: string[] = [];
  const errors: string[] = [];
  let left = budget;
  const sendable = paths.filter((p) => !isSecretPath(p));
  sendable.forEach((p, i) => {
    if (left < 50) return;
    const raw = readText(p);
    if (raw === undefined) return void errors.push(`${p}: unreadable, not sent`);
    const lines = redactSecrets(raw).text.split('\n');
    const want = ranges?.get(p)?.map((r) => [Math.max(1, r.startLine - 3), Math.min(lines.length, r.endLine + 3)] as const) ?? [[1, lines.length] as const];
    const cap = Math.max(200, Math.floor(left / (sendable.length - i)));
    let used = countTextTokens(`### ${p}\n`);
    const out: string[] = [`### ${p}`];
    for (const [a, b] of want) {
      if (out.length > 1) out.push('...');
      for (let n = a; n <= b; n++) {
        const line = `${n}: ${lines[n - 1]}`;
        const t = countTextTokens(line) + 1;
        if (used + t > cap) {
          out.push(`... (lines ${n}-${b} not shown)`);
          break;
        }
        used += t;
        out.push(line);
      }
    }
    left -= used;
    parts.push(out.join('\n'));
    shown.push(p);
  });
  return { text: parts.join('\n\n'), shown, errors };
}

/** Keep items supported by at least ceil(k/2) samples: cluster near-duplicate keys across samples. */
function agreed<T>(samples: T[][], key: (t: T) => string, k: number, threshold = 0.5): { item: T; members: T[]; support: number }[] {
  const clusters: { item: T; members: T[]; samples: Set<number> }[] = [];
  samples.forEach((items, s) => {
    for (const it of items) {
      const c = clusters.find((cl) => !cl.samples.has(s) && textSimilarity(key(cl.item), key(it)) >= threshold);
      if (c) {
        c.members.push(it);
        c.samples.add(s);
      } else clusters.push({ item: it, members: [it], samples: new Set([s]) });
    }
  });
  const need = Math.ceil(k / 2);
  return clusters.filter((c) => c.samples.size >= need).map((c) => ({ item: c.item, members: c.members, support: c.samples.size }));
}

/** The sample most similar to all others (k=1: the only one). */
function medoid<T>(samples: T[], text: (t: T) => string): T {
  let best = samples[0];
  let bestScore = -1;
  for (const a of samples) {
    const s = samples.reduce((n, b) => n + (a === b ? 0 : textSimilarity(text(a), text(b))), 0);
    if (s > bestScore) [best, bestScore] = [a, s];
  }
  return best;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** Queue the jobs: likelihood of questions (focus, centrality, churn) x staleness, highest first. */
function planJobs(opts: SleepJobsOptions): { jobs: Job[]; fresh: Job[] } {
  const { notes, files } = opts;
  const subjects = notes
    .filter((n) => n.kind === 'architecture' && n.subject && !files.has(n.subject))
    .map((n) => n.subject as string)
    .sort((a, b) => b.length - a.length);
  const comps = new Map<string, string[]>();
  for (const p of [...files.keys()].sort()) {
    if (isSecretPath(p)) continue;
    const c = componentOf(p, subjects);
    comps.set(c, [...(comps.get(c) ?? []), p]);
  }
  const focus = (opts.focus ?? []).map((f) => f.replace(/\\/g, '/'));
  const churnOf = (ps: string[]): number => ps.reduce((n, p) => n + (opts.churn?.[p] ?? 0), 0);
  const maxChurn = Math.max(1, ...[...comps.values()].map(churnOf));
  const fileScore = new Map<string, number>();
  for (const n of notes) {
    if ((n.kind === 'file' || n.kind === 'architecture') && n.subject && n.score !== undefined) {
      fileScore.set(n.subject, Math.max(fileScore.get(n.subject) ?? 0, n.score));
    }
  }
  const likelihood = (c: string, ps: string[]): number => {
    const focused = ps.some((p) => focus.includes(p)) ? 3 : 0;
    const central = Math.max(fileScore.get(c) ?? 0, ...ps.map((p) => fileScore.get(p) ?? 0));
    const churn = Math.log1p(churnOf(ps)) / Math.log1p(maxChurn);
    return 1 + focused + 2 * central + churn;
  };
  const score = (p: string): number => (focus.includes(p) ? 10 : 0) + (fileScore.get(p) ?? 0) + (files.get(p)?.defs.length ?? 0) / 100;

  const all: Job[] = [];
  let topLikelihood = 1;
  for (const [c, ps] of comps) {
    const ordered = [...ps].sort((a, b) => score(b) - score(a));
    const source = ordered.filter((p) => !isTestPath(p));
    const l = likelihood(c, ps);
    topLikelihood = Math.max(topLikelihood, l);
    const add = (kind: JobKind, paths: string[], bugNotes: Note[] = []): void =>
      void all.push({ id: `${kind}:${c}`, kind, component: c, priority: l * KIND_WEIGHT[kind], paths, bugNotes });
    if (source.length) {
      add('qa', source);
      add('summary', source);
    }
    const bugs = notes.filter((n) => n.kind === 'bug' && n.evidence.some((e) => ps.includes(e.path)));
    if (bugs.length) add('bugs', [...new Set(bugs.flatMap((b) => b.evidence.map((e) => e.path)))], bugs);
    const hasTests = ps.some(isTestPath) || notes.some((n) => n.kind === 'test-hook' && n.subject === c);
    if (hasTests) add('tests', ordered);
  }
  if (comps.size > 1 || notes.some((n) => n.kind === 'architecture')) {
    all.push({ id: 'architecture:narrative', kind: 'architecture', component: '.', priority: topLikelihood * KIND_WEIGHT.architecture, paths: [], bugNotes: [] });
  }
  const jobs: Job[] = [];
  const fresh: Job[] = [];
  for (const j of all) {
    const done = j.kind === 'bugs'
      ? j.bugNotes.every((b) => b.origin.startsWith('llm:') && !outdated(b, files))
      : (() => {
        const prev = jobNotes(notes, j.id);
        return prev.length > 0 && !prev.some((n) => outdated(n, files));
      })();
    (done ? fresh : jobs).push(j);
  }
  jobs.sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  return { jobs, fresh };
}

/**
 * Run sleep-time jobs over an analyzed repository with a model: anticipated questions with answers
 * (kind `qa`), component summaries and an architecture narrative, a review of static likely-bug notes,
 * and test-hook narratives. Jobs run by priority while the budget allows; each asks for k generations
 * and keeps what they agree on. Only non-secret files are quoted, always redacted. Never throws.
 */
export async function runSleepJobs(opts: SleepJobsOptions): Promise<SleepJobsResult> {
  const log = opts.logger ?? silentLogger;
  const k = Math.min(5, Math.max(1, Math.round(opts.k ?? 1)));
  const maxTokens = opts.maxTokensPerCall ?? 1200;
  const excerptTokens = opts.excerptTokens ?? 3000;
  const origin = `llm:${opts.model.id}`;
  const now = new Date().toISOString();
  const result: SleepJobsResult = { notes: [], errors: [], jobs: [], usage: { promptTokens: 0, completionTokens: 0 } };
  const { jobs, fresh } = planJobs(opts);
  for (const j of fresh) result.jobs.push({ id: j.id, priority: j.priority, status: 'skipped-fresh', notes: 0 });
  /** Worst case of one attempt; the margin covers chat-template overhead the estimate misses. */
  const worstCase = (messages: ChatMessage[]): number => Math.ceil(estimatePromptTokens(messages) * 1.1) + 16 + maxTokens;

  /** One model call under the budget, recorded in the ledger; retries reserve again. */
  async function call(job: Job, messages: ChatMessage[], schema: z.ZodType, held: Reservation): Promise<string> {
    const extra: Reservation[] = [];
    const cost = worstCase(messages);
    try {
      const res = await opts.model.chat({
        messages,
        maxTokens,
        jsonSchema: jsonSchemaOf(job.kind, schema),
        temperature: k > 1 ? 0.8 : undefined,
        signal: opts.signal,
        beforeRetry: () => {
          const r = opts.budget.reserve(cost);
          if (!r) throw new ModelError('budget', 'The sleep budget has no room for a retry.');
          extra.push(r);
        },
      });
      record(job, res.usage, held);
      return res.text;
    } catch (e) {
      const err = e as ModelError;
      const partial = err.details?.partialText;
      if (partial !== undefined && (err.kind === 'interrupted' || err.kind === 'timeout')) {
        record(job, { promptTokens: estimatePromptTokens(messages), completionTokens: countTextTokens(partial), estimated: true }, held);
      } else opts.budget.release(held);
      throw e;
    } finally {
      for (const r of extra) opts.budget.release(r);
    }
  }

  function record(job: Job, usage: ChatUsage, held: Reservation): void {
    opts.budget.commit(held, usage.promptTokens + usage.completionTokens);
    result.usage.promptTokens += usage.promptTokens;
    result.usage.completionTokens += usage.completionTokens;
    opts.ledger.append({
      at: new Date().toISOString(), kind: 'sleep', job: job.id, model: opts.model.id,
      promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, ...(usage.estimated ? { estimated: true } : {}),
    });
  }

  /** One generation: structured output, retried once when malformed. */
  async function sample<T>(job: Job, messages: ChatMessage[], schema: z.ZodType<T>, held: Reservation): Promise<T> {
    const first = parseStructured(await call(job, messages, schema, held), schema);
    if ('value' in first) return first.value;
    const again = opts.budget.reserve(worstCase(messages));
    if (!again) throw new ModelError('malformed-output', `${job.id}: malformed output (${first.error}) and no budget to retry.`);
    const second = parseStructured(await call(job, messages, schema, again), schema);
    if ('value' in second) return second.value;
    throw new ModelError('malformed-output', `${job.id}: the model's output was malformed twice (${second.error}); job dropped, static notes kept; if this repeats, set a model that supports JSON structured output.`);
  }

  /** k generations in parallel, as many as the budget holds (at least one, or none at all). */
  async function samples<T>(job: Job, messages: ChatMessage[], schema: z.ZodType<T>): Promise<{ values: T[]; errors: ModelError[] } | undefined> {
    const held: Reservation[] = [];
    for (let i = 0; i < k; i++) {
      const r = opts.budget.reserve(worstCase(messages));
      if (!r) break;
      held.push(r);
    }
    if (!held.length) return undefined;
    const settled = await Promise.allSettled(held.map((r) => sample(job, messages, schema, r)));
    return {
      values: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
      errors: settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as ModelError] : [])),
    };
  }

  const base = (job: Job, shown: string[]): Pick<Note, 'dependsOn' | 'origin' | 'stale' | 'createdAt'> => ({
    dependsOn: Object.fromEntries(shown.flatMap((p) => (opts.files.has(p) ? [[p, opts.files.get(p)!.hash]] : []))),
    origin,
    stale: false,
    createdAt: now,
  });

  /** Prompt and merge for one job; the notes it yields. */
  async function runJob(job: Job): Promise<Note[] | undefined> {
    const c = job.component;
    const ask = (task: string, body: string): ChatMessage[] => [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `${task}\n\n${body}` },
    ];
    if (job.kind === 'architecture') {
      const overview = opts.notes
        .filter((n) => n.kind === 'architecture' && n.origin === 'static')
        .map((n) => `## ${n.title}\n${redactSecrets(n.body).text}`)
        .join('\n\n')
        .slice(0, excerptTokens * 4);
      const comps = [...new Set(jobs.filter((j) => j.kind === 'qa').map((j) => j.component))].slice(0, 50).join(', ');
      const messages = ask(
        'Write the architecture narrative of this repository: what it does, its main components and how data flows between them. Refine the static overview below; cite files as path:line.',
        `Components: ${comps}\n\nStatic notes:\n${overview}`,
      );
      const got = await samples(job, messages, SummarySchema);
      if (!got) return undefined;
      if (!got.values.length) throw got.errors[0];
      const best = medoid(got.values, (v) => v.summary);
      const shown = [...new Set(opts.notes.filter((n) => n.kind === 'architecture' && n.origin === 'static').flatMap((n) => Object.keys(n.dependsOn)))];
      const evidence = validEvidence(best.evidence, opts.files, opts.root);
      return [{
        id: 'architecture:narrative', kind: 'architecture', title: best.title || 'Architecture narrative',
        body: checkCitations(best.summary, opts.files, evidence), evidence, ...base(job, shown), subject: '.', score: 1,
        meta: { job: job.id, samples: got.values.length },
      }];
    }
    if (job.kind === 'bugs') {
      const ranges = new Map<string, Evidence[]>();
      for (const b of job.bugNotes) for (const e of b.evidence) ranges.set(e.path, [...(ranges.get(e.path) ?? []), e]);
      const ex = buildExcerpts(job.paths, excerptTokens, opts.readText, ranges);
      result.errors.push(...ex.errors);
      const list = job.bugNotes.map((b) => `- id: ${b.id}\n  at: ${b.evidence.map((e) => `${e.path}:${e.startLine}`).join(', ')}\n  suspicion: ${b.title}. ${redactSecrets(b.body).text.slice(0, 400)}`).join('\n');
      const messages = ask(
        'Review these likely-bug candidates found by syntax patterns. For each id, read the code and answer confirmed (a real defect), refuted (not a problem here) or uncertain, with a one-sentence reason citing path:line.',
        `Candidates:\n${list}\n\nCode:\n${ex.text}`,
      );
      const got = await samples(job, messages, BugsSchema);
      if (!got) return undefined;
      if (!got.values.length) throw got.errors[0];
      const out: Note[] = [];
      for (const b of job.bugNotes) {
        const votes = got.values.map((v) => v.verdicts.find((x) => x.id === b.id)).filter((x) => x !== undefined);
        const tally = (verdict: string): number => votes.filter((v) => v.verdict === verdict).length;
        const verdict = tally('confirmed') > k / 2 ? 'confirmed' : tally('refuted') > k / 2 ? 'refuted' : undefined;
        if (!verdict) continue;
        const reason = votes.find((v) => v.verdict === verdict)?.reason ?? '';
        const prior = typeof b.meta?.staticScore === 'number' ? b.meta.staticScore : (b.score ?? 0.5);
        const staticBody = typeof b.meta?.staticBody === 'string' ? b.meta.staticBody : b.body;
        out.push({
          ...b, ...base(job, b.evidence.map((e) => e.path).filter((p) => ex.shown.includes(p))),
          score: verdict === 'confirmed' ? Math.min(1, prior + (1 - prior) / 2) : prior / 2,
          body: `${staticBody}\n\n**Model review (${verdict}):** ${checkCitations(reason, opts.files, b.evidence)}`,
          meta: { ...b.meta, job: job.id, verdict, reason, votes: votes.length, staticBody, staticScore: prior },
        });
      }
      return out;
    }
    const ex = buildExcerpts(job.paths, excerptTokens, opts.readText);
    result.errors.push(...ex.errors);
    if (!ex.shown.length) return [];
    if (job.kind === 'qa') {
      const messages = ask(
        `Component \`${c}\`. List the 3 to 6 questions a developer new to this code is most likely to ask about it (how does X work, where is Y handled, what happens when Z, how do I change W), and answer each in 2 to 5 sentences citing path:line.`,
        ex.text,
      );
      const got = await samples(job, messages, QaSchema);
      if (!got) return undefined;
      if (!got.values.length) throw got.errors[0];
      const kept = agreed(got.values.map((v) => v.questions), (q) => q.question, got.values.length);
      const notes: Note[] = [];
      for (const { item, members, support } of kept) {
        const evidence = validEvidence(members.flatMap((m) => m.evidence), opts.files, opts.root);
        if (!evidence.length || !item.question.trim() || !item.answer.trim()) continue;
        notes.push({
          id: `qa:${c}:${slug(item.question)}`, kind: 'qa', title: item.question.trim(),
          body: checkCitations(item.answer.trim(), opts.files, evidence), evidence, ...base(job, ex.shown), subject: c,
          score: support / got.values.length, meta: { job: job.id, question: item.question.trim(), support, samples: got.values.length },
        });
      }
      return notes;
    }
    if (job.kind === 'summary') {
      const messages = ask(`Component \`${c}\`. Summarize its purpose, key types and functions, and how it is used, citing path:line.`, ex.text);
      const got = await samples(job, messages, SummarySchema);
      if (!got) return undefined;
      if (!got.values.length) throw got.errors[0];
      const best = medoid(got.values, (v) => v.summary);
      const evidence = validEvidence(best.evidence, opts.files, opts.root);
      return [{
        id: `component:${c}:llm`, kind: 'architecture', title: `${c}: ${best.title}`,
        body: checkCitations(best.summary, opts.files, evidence), evidence, ...base(job, ex.shown), subject: c,
        meta: { job: job.id, samples: got.values.length },
      }];
    }
    const messages = ask(
      `Component \`${c}\`. Explain how to test it: which tests cover what, the command to run them, and the seams (inputs, fakes) a new test would use. Cite path:line. testCommand may be empty.`,
      ex.text,
    );
    const got = await samples(job, messages, TestsSchema);
    if (!got) return undefined;
    if (!got.values.length) throw got.errors[0];
    const best = medoid(got.values, (v) => v.narrative);
    const evidence = validEvidence(best.evidence, opts.files, opts.root);
    return [{
      id: `test-hook:${c}:llm`, kind: 'test-hook', title: `Testing ${c}`,
      body: checkCitations(best.narrative, opts.files, evidence), evidence, ...base(job, ex.shown), subject: c,
      meta: { job: job.id, samples: got.values.length, ...(best.testCommand.trim() ? { command: best.testCommand.trim() } : {}) },
    }];
  }

  let ran = 0;
  const warned = new Set<string>();
  let stopped: ModelError | undefined;
  for (const job of jobs) {
    const report: SleepJobReport = { id: job.id, priority: job.priority, status: 'done', notes: 0 };
    result.jobs.push(report);
    if (opts.signal?.aborted || stopped) {
      report.status = 'cancelled';
      if (stopped) report.reason = `not run: ${stopped.message}`;
      continue;
    }
    if (opts.maxJobs !== undefined && ran >= opts.maxJobs) {
      report.status = 'skipped-budget';
      report.reason = 'maxJobs reached';
      continue;
    }
    ran++;
    try {
      const notes = await runJob(job);
      if (!notes) {
        report.status = 'skipped-budget';
        report.reason = `sleep budget: ${opts.budget.remaining} tokens left`;
        log.info(`sleep job ${job.id} skipped: ${report.reason}`);
        continue;
      }
      report.notes = notes.length;
      result.notes.push(...notes);
      log.info(`sleep job ${job.id}: ${notes.length} notes`);
    } catch (e) {
      const err = e instanceof ModelError ? e : new ModelError('interrupted', String(e));
      const byKind: Partial<Record<string, SleepJobReport['status']>> = { aborted: 'cancelled', 'malformed-output': 'dropped', budget: 'skipped-budget' };
      report.status = byKind[err.kind] ?? 'failed';
      report.reason = err.message;
      result.errors.push(`${job.id}: ${err.message}`);
      // One warning per kind of failure; repeats go to the info log.
      (err.kind === 'aborted' || warned.has(err.kind) ? log.info : log.warn).call(log, `sleep job ${job.id} ${report.status}: ${err.message}`);
      warned.add(err.kind);
      // A wrong key, model or endpoint, an overflowing context or retries given up fail every later job alike.
      if (!PER_JOB_FAILURES.has(err.kind)) stopped = err;
    }
  }
  return result;
}

/**
 * Merge a sleep run into the note set: notes of every job that completed replace that job's earlier
 * model notes; reviewed bug notes replace the note with the same id (undecided ones stay as they were).
 */
export function mergeSleepNotes(existing: Note[], run: SleepJobsResult): Note[] {
  const doneJobs = new Set(run.jobs.filter((j) => j.status === 'done').map((j) => j.id));
  const byId = new Map(run.notes.map((n) => [n.id, n]));
  const kept = existing.filter((n) => !byId.has(n.id) && !(n.kind !== 'bug' && n.origin.startsWith('llm:') && doneJobs.has(String(n.meta?.job))));
  return [...kept, ...run.notes];
}
