import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { FileHistory, HistoryResult, PastCommit } from '../types';

/** Options for {@link readHistory}. */
export interface HistoryOptions {
  /** Newest commits read for per-file statistics. Default 2000. */
  maxCommits?: number;
  signal?: AbortSignal;
}

/** Commit subjects that mark a bug fix. */
const FIX_COMMIT = /\b(fix(e[sd])?|bug|regression|crash|hotfix|patch)\b/i;
/**
 * A release commit's subject: a version alone or after release/version/bump (`Version 0.47.3 (#2985)`, `v2.0.0`,
 * `chore(release): 1.2.3`, `Increment version to 1.22.1.dev0`, `Bump master to 1.18.0.dev0`), or `Bump version`.
 * Such commits touch the version file and changelog each release: not churn, not co-change.
 */
const RELEASE_COMMIT =
  /^(?:(?:chore\(release\):?|release|releasing|version|new version|(?:bump|increment)(?:ed)?(?: the)?(?: \w+)?(?: to)?|prepared? (?:for )?(?:the )?release)\s*:?\s*)?v?\d+\.\d+(?:\.\d+)*[-+.\w]*(?:\s*\(#\d+\))?$|^(bump|increment)(ed)? (the )?version$/i;
/** Commits touching more files than this are ignored for co-change and kept out of `commits` (mass renames, formatting). */
const CO_CHANGE_MAX_FILES = 30;
/** Longest commit subject kept. */
const SUBJECT_CHARS = 160;
/** Pairs kept, most frequent first; a pair must have changed together at least twice. */
const CO_CHANGE_KEEP = 200;
/** Marks the start of a commit header line in the log output. */
const HEADER = '\x1e';

interface FileStats {
  commits: number;
  fixCommits: number;
  lastChanged?: string;
  authors: Set<string>;
}

/**
 * What changes when HEAD moves, read without spawning git (an editor's session checks it on every edit):
 * the text of `.git/HEAD` and the identity (inode, time) of the ref file it names and of `packed-refs`, which
 * git replaces on every update. Undefined outside git and where `.git` is not a folder (worktrees, submodules).
 */
export function gitHeadStamp(root: string): string | undefined {
  const gitDir = gitDirAbove(root);
  return gitDir && fs.statSync(gitDir, { throwIfNoEntry: false })?.isDirectory() ? stampOf(gitDir) : undefined;
}

/** The `.git` in `dir` or the nearest folder above it (a folder, or a worktree's or submodule's file), if any. */
export function gitDirAbove(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const gitDir = path.join(d, '.git');
    if (fs.existsSync(gitDir)) return gitDir;
    if (path.dirname(d) === d) return undefined;
  }
}

function stampOf(gitDir: string): string | undefined {
  const identity = (rel: string): string => {
    const st = fs.statSync(path.join(gitDir, rel), { throwIfNoEntry: false, bigint: true });
    return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : '-';
  };
  try {
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
    return `${head}|${ref ? identity(ref) : ''}|${identity('packed-refs')}`;
  } catch {
    return undefined;
  }
}

/**
 * Per-file git statistics (commits, fix commits, authors, last change), co-change pairs and repository
 * facts for `root`. Never throws: a folder outside git gives `available: false`; a repository without
 * commits gives `available: true` and zero commits. Paths are POSIX and relative to `root`.
 */
export async function readHistory(root: string, opts: HistoryOptions = {}): Promise<HistoryResult> {
  const empty: HistoryResult = { available: false, shallow: false, totalCommits: 0, files: {}, coChange: [] };
  let git: SimpleGit;
  try {
    git = simpleGit({ baseDir: root });
    if ((await git.raw(['rev-parse', '--is-inside-work-tree'])).trim() !== 'true') return empty;
  } catch {
    return empty;
  }
  const result: HistoryResult = { ...empty, available: true };
  try {
    result.shallow = (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  } catch {
    /* very old git: treat as complete */
  }
  try {
    result.head = (await git.raw(['rev-parse', '--verify', '-q', 'HEAD'])).trim() || undefined;
  } catch {
    result.head = undefined;
  }
  if (!result.head) return result; // no commits yet
  try {
    result.totalCommits = Number((await git.raw(['rev-list', '--count', 'HEAD'])).trim()) || 0;
    const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
    await readLog(root, prefix, opts, result);
  } catch {
    /* keep what was read */
  }
  return result;
}

async function readLog(root: string, prefix: string, opts: HistoryOptions, result: HistoryResult): Promise<void> {
  const args = [
    '-c', 'core.quotePath=false', 'log', `--max-count=${opts.maxCommits ?? 2000}`, '--no-color',
    '--name-status', '-M', '--relative', `--format=${HEADER}%H%x1f%aE%x1f%cI%x1f%s`,
  ];
  if (prefix) args.push('--', '.');
  const stats = new Map<string, FileStats>();
  const pairs = new Map<string, number>();
  /** Old path -> current path, learned from renames while walking back in time. */
  const renamedTo = new Map<string, string>();

  const commits: PastCommit[] = [];
  let current: { author: string; date: string; subject: string; fix: boolean; release: boolean; files: Set<string> } | undefined;
  const flush = (): void => {
    if (!current || current.release) return void (current = undefined);
    const files = [...current.files];
    if (files.length && files.length <= CO_CHANGE_MAX_FILES) commits.push({ subject: current.subject.slice(0, SUBJECT_CHARS), files });
    for (const f of files) {
      let s = stats.get(f);
      if (!s) stats.set(f, (s = { commits: 0, fixCommits: 0, authors: new Set() }));
      s.commits++;
      if (current.fix) s.fixCommits++;
      s.lastChanged ??= current.date;
      s.authors.add(current.author);
    }
    if (files.length > 1 && files.length <= CO_CHANGE_MAX_FILES) {
      files.sort();
      for (let i = 0; i < files.length; i++) {
        for (let j = i + 1; j < files.length; j++) {
          const key = files[i] + '\0' + files[j];
          pairs.set(key, (pairs.get(key) ?? 0) + 1);
        }
      }
    }
    current = undefined;
  };
  const resolve = (p: string): string => renamedTo.get(p) ?? p;

  const child = spawn('git', args, {
    cwd: root,
    signal: opts.signal,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const closed = new Promise<void>((res) => {
    child.on('close', () => res());
    child.on('error', () => res());
  });
  const onLine = (line: string): void => {
    if (line.startsWith(HEADER)) {
      flush();
      const [, author = '', date = '', subject = ''] = line.slice(1).split('\x1f');
      current = { author: author.toLowerCase(), date, subject, fix: FIX_COMMIT.test(subject), release: RELEASE_COMMIT.test(subject.trim()), files: new Set() };
      result.lastCommitDate ??= date;
      return;
    }
    if (!current || !line) return;
    const parts = line.split('\t');
    const status = parts[0];
    if ((status.startsWith('R') || status.startsWith('C')) && parts.length >= 3) {
      const target = resolve(parts[2]);
      if (status.startsWith('R')) renamedTo.set(parts[1], target);
      current.files.add(target);
    } else if (parts.length >= 2) {
      current.files.add(resolve(parts[1]));
    }
  };
  // Lines are split by hand from the raw chunks: an async iterator per line costs more than git itself.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  child.stdout.on('error', () => undefined); // an aborted run: keep what was read
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + decoder.write(chunk)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  await closed;
  onLine(rest + decoder.end());
  flush();

  for (const [p, s] of stats) {
    const h: FileHistory = { commits: s.commits, fixCommits: s.fixCommits, authors: s.authors.size };
    if (s.lastChanged) h.lastChanged = s.lastChanged;
    result.files[p] = h;
  }
  result.commits = commits;
  result.coChange = [...pairs]
    .filter(([, count]) => count >= 2)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, CO_CHANGE_KEEP)
    .map(([key, count]) => {
      const [a, b] = key.split('\0');
      return { a, b, count };
    });
}
