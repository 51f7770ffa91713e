import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageForPath } from '../src/core/scan/languages';

/** One localization case mined from a fix commit. */
export interface LocalizationCase {
  repo: string;
  sha: string;
  question: string;
  /** Non-test source files the fix changed (1 to 3), as they exist in the snapshot. */
  gold: string[];
  /** True when the question names a gold file's base name. */
  namesGoldFile: boolean;
}

/** A snapshot commit with the cases that are evaluated against it. */
export interface RepoCases {
  snapshot: string;
  cases: LocalizationCase[];
  /** Fix commits looked at and why the rest were dropped. */
  mined: { fixCommits: number; kept: number; dropped: Record<string, number> };
}

const FIX = /\b(fix(e[sd]|ing)?|bug|regression|crash(es)?|broken|issue)\b/i;
/** A feature commit's subject: "Add ...", "feat(x): ...", "Support ...", "Implement ...". */
const FEATURE = /^(feat(\([^)]*\))?!?:|(add|adds|added|adding|implement\w*|support\w*|introduce\w*|allow\w*|enable\w*|new)\b)/i;
/** Which commits become questions: fixes (the default), or features ("where would X be added?"). */
export type CommitKind = 'fix' | 'feature';
const SKIP_SUBJECT = /\b(typo|typos|format(ting)?|lint(ing)?|prettier|whitespace|docs?|documentation|readme|changelog|bump|release|version|ci|workflow|deps?|dependabot|revert|merge)\b/i;
const TRAILER = /^(signed-off-by|co-authored-by|reviewed-by|acked-by|cc|fixes|closes|resolves|see|ref|refs)\b.*$/gim;

/** Heuristic test-file detector for gold filtering (tests are not localization targets). */
export function isTestFile(p: string): boolean {
  return /(^|\/)(tests?|spec|specs|__tests__|testing|testdata|fixtures?|e2e|features)\//i.test(p) ||
    // Test projects and source sets: `Acme.Tests/`, `src/UnitTests/`, `integration-tests/`, `src/jvmTest/`.
    /(^|\/)[^/]*[._-]((unit|integration)[._-]?)?tests?\//i.test(p) || /(^|\/)([A-Z][A-Za-z0-9]*Tests|[a-z][a-zA-Z0-9]*Test)\//.test(p) ||
    /(^|\/)(test_[^/]*|[^/]*_test\.[a-z]+|[^/]*\.(test|spec)\.[a-z]+|[^/]*Tests?\.(java|cs|kt)|[^/]*_spec\.rb|conftest\.py)$/.test(p);
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Cleans a commit message into a question: subject plus first body paragraph, no trailers, URLs or PR numbers. */
export function questionFromMessage(subject: string, body: string): string {
  const para = body.replace(TRAILER, '').trim().split(/\n\s*\n/)[0] ?? '';
  const text = `${subject}\n${para}`
    .replace(/https?:\/\/\S+/g, '')
    .replace(/merge pull request \S+( from \S+)?/gi, '')
    .replace(/\(#\d+\)|#\d+|\bgh-\d+\b/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.slice(0, 500);
}

/** Whether `question` names a gold file: its base name or stem as a whole word. */
export function namesFile(question: string, gold: string[]): boolean {
  const q = question.toLowerCase();
  return gold.some((g) => {
    const base = g.slice(g.lastIndexOf('/') + 1).toLowerCase();
    const stem = base.replace(/\.[^.]+$/, '');
    const re = (s: string): RegExp => new RegExp(`(^|[^a-z0-9_])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9_])`);
    return re(base).test(q) || (stem.length >= 3 && re(stem).test(q));
  });
}

/**
 * Mine fix (or feature) commits of the bare repository `repo` (newest first) into up to `max` cases, and pick ONE
 * snapshot for all of them: the parent of the oldest kept case. Cases whose gold files don't exist in
 * the snapshot are dropped. (Approximation: later cases see code slightly older than their own parent,
 * but never the fix itself.)
 */
export function mineCases(repo: string, name: string, max: number, kind: CommitKind = 'fix'): RepoCases {
  const log = git(repo, ['log', '--no-merges', '-n', '4000', '--format=%H%x1f%P%x1f%s%x1f%b%x1e', 'HEAD']);
  const dropped: Record<string, number> = {};
  const drop = (why: string): void => void (dropped[why] = (dropped[why] ?? 0) + 1);
  let fixCommits = 0;
  const picked: { sha: string; parent: string; question: string; gold: string[] }[] = [];
  for (const rec of log.split('\x1e')) {
    if (picked.length >= max) break;
    const [sha, parents, subject, body] = rec.replace(/^\n/, '').split('\x1f');
    if (!sha || !subject) continue;
    if (kind === 'fix' ? !FIX.test(subject) : FIX.test(subject) || !FEATURE.test(subject)) continue;
    fixCommits++;
    if (parents.trim().split(' ').length !== 1) { drop('merge-or-root'); continue; }
    if (SKIP_SUBJECT.test(subject)) { drop('docs-version-format'); continue; }
    const changes = git(repo, ['diff-tree', '--no-commit-id', '-r', '--name-status', '-M', sha]).trim().split('\n').filter(Boolean);
    if (changes.length > 15) { drop('too-many-files'); continue; }
    const gold: string[] = [];
    for (const line of changes) {
      const [status, a] = line.split('\t');
      if (!(status.startsWith('M') || status.startsWith('R') || status.startsWith('D'))) continue;
      if (languageForPath(a) === null || isTestFile(a)) continue;
      gold.push(a);
    }
    if (gold.length === 0) { drop('no-source-change'); continue; }
    if (gold.length > 3) { drop('more-than-3-files'); continue; }
    const question = questionFromMessage(subject, body ?? '');
    if (question.length < 12) { drop('short-message'); continue; }
    picked.push({ sha, parent: parents.trim(), question, gold });
  }
  if (!picked.length) return { snapshot: '', cases: [], mined: { fixCommits, kept: 0, dropped } };
  const snapshot = picked[picked.length - 1].parent;
  const inSnapshot = new Set(git(repo, ['ls-tree', '-r', '--name-only', snapshot]).split('\n'));
  const cases: LocalizationCase[] = [];
  for (const p of picked) {
    if (!p.gold.every((g) => inSnapshot.has(g))) { drop('gold-missing-in-snapshot'); continue; }
    cases.push({ repo: name, sha: p.sha, question: p.question, gold: p.gold, namesGoldFile: namesFile(p.question, p.gold) });
  }
  return { snapshot, cases, mined: { fixCommits, kept: cases.length, dropped } };
}

/** Paths at which `commit` holds the blob `sha`. */
function pathsOfBlob(repo: string, commit: string, sha: string): string[] {
  const tree = spawnSync('git', ['--git-dir', repo, 'ls-tree', '-r', '-z', commit], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return tree.stdout.split('\0').filter((e) => e.includes(` ${sha}\t`)).map((e) => e.slice(e.indexOf('\t') + 1));
}

/**
 * Makes `dir` a work tree of `commit` as a clone checked out there has it, history included: a clone that
 * shares the bare repository's objects, reset to `commit` (index and HEAD only), then filled with the tree
 * of `commit` (git archive | tar -x). `--worktree-attributes` (none in a bare repository) keeps the
 * repository's own `export-ignore` rules, which often leave out tests and docs, from applying.
 */
export function extractSnapshot(repo: string, commit: string, dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  for (const args of [['clone', '--quiet', '--shared', '--no-checkout', repo, dir], ['-C', dir, 'reset', '--quiet', commit]]) {
    const r = spawnSync('git', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr.trim()}`);
  }
  // A fetched repository may lack its largest blobs: leave such files out (a few at most) rather than the repository.
  const missing: string[] = [];
  let archive;
  for (;;) {
    const exclude = missing.map((p) => `:(exclude,literal)${p}`);
    archive = spawnSync('git', ['--git-dir', repo, 'archive', '--worktree-attributes', '--format=tar', commit, ...(exclude.length ? ['--', '.', ...exclude] : [])], { maxBuffer: 2 * 1024 * 1024 * 1024 });
    const blob = /(?:invalid object|cannot read '?)([0-9a-f]{40})/.exec(archive.stderr.toString())?.[1];
    const absent = blob ? pathsOfBlob(repo, commit, blob).filter((p) => !missing.includes(p)) : [];
    if (archive.status === 0 || !absent.length || missing.length >= 20) break;
    missing.push(...absent);
  }
  if (archive.status !== 0) throw new Error(`git archive failed for ${repo}@${commit}: ${archive.stderr.toString().trim()}`);
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString().trim()}`);
}

/** Bare git directories under `dir` (folders with a HEAD file, or `*.git`), depth <= 3. */
export function findBareRepos(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (fs.existsSync(`${d}/HEAD`) && fs.existsSync(`${d}/objects`)) { out.push(d); return; }
    if (fs.existsSync(`${d}/.git/HEAD`)) { out.push(`${d}/.git`); return; }
    if (depth >= 3) return;
    for (const e of fs.readdirSync(d)) {
      const sub = `${d}/${e}`;
      if (fs.statSync(sub, { throwIfNoEntry: false })?.isDirectory()) walk(sub, depth + 1);
    }
  };
  walk(dir, 0);
  return out.sort();
}
