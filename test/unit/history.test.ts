import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { gitHeadStamp, readHistory } from '../../src/core/history/history';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-history-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function repo(name: string): Promise<{ root: string; commit: (files: Record<string, string>, msg: string, email?: string) => Promise<void> }> {
  const root = path.join(tmpRoot, name);
  fs.mkdirSync(root, { recursive: true });
  const git = simpleGit(root);
  await git.init();
  await git.addConfig('user.name', 'T');
  await git.addConfig('user.email', 't@example.com');
  return {
    root,
    commit: async (files, msg, email) => {
      for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), content);
      }
      await git.add('.');
      await git.commit(msg, email ? { '--author': `X <${email}>` } : {});
    },
  };
}

describe('readHistory', () => {
  it('reports available:false outside git', async () => {
    const dir = path.join(tmpRoot, 'plain');
    fs.mkdirSync(dir);
    const h = await readHistory(dir);
    assert.deepEqual(h, { available: false, shallow: false, totalCommits: 0, files: {}, coChange: [] });
  });

  it('handles a missing folder without throwing', async () => {
    const h = await readHistory(path.join(tmpRoot, 'missing'));
    assert.equal(h.available, false);
  });

  it('handles an empty repository', async () => {
    const { root } = await repo('empty');
    const h = await readHistory(root);
    assert.equal(h.available, true);
    assert.equal(h.totalCommits, 0);
    assert.equal(h.head, undefined);
    assert.deepEqual(h.files, {});
  });

  it('reads a one-commit repository', async () => {
    const { root, commit } = await repo('one');
    await commit({ 'a.ts': 'a', 'b.ts': 'b' }, 'initial');
    const h = await readHistory(root);
    assert.equal(h.totalCommits, 1);
    assert.match(h.head ?? '', /^[0-9a-f]{40}$/);
    assert.equal(h.shallow, false);
    assert.deepEqual(h.files['a.ts'], { commits: 1, fixCommits: 0, authors: 1, lastChanged: h.lastCommitDate });
    assert.deepEqual(h.coChange, []);
  });

  it('counts fixes, authors, renames and co-change', async () => {
    const { root, commit } = await repo('multi');
    await commit({ 'src/a.ts': 'a1', 'src/b.ts': 'b1', 'c.md': 'c' }, 'start');
    await commit({ 'src/a.ts': 'a2', 'src/b.ts': 'b2' }, 'Fix crash in parser', 'other@example.com');
    await commit({ 'src/a.ts': 'a3', 'src/b.ts': 'b3' }, 'add prefix option');
    await simpleGit(root).mv('c.md', 'docs.md');
    await commit({}, 'rename docs');
    await commit({ 'docs.md': 'c2' }, 'bugfix: typo, fixes #3');
    const h = await readHistory(root);
    assert.equal(h.totalCommits, 5);
    assert.deepEqual(h.files['src/a.ts'], { commits: 3, fixCommits: 1, authors: 2, lastChanged: h.files['src/a.ts'].lastChanged });
    assert.equal(h.files['docs.md'].commits, 3, 'history of c.md follows the rename');
    assert.equal(h.files['docs.md'].fixCommits, 1);
    assert.deepEqual(h.coChange, [{ a: 'src/a.ts', b: 'src/b.ts', count: 3 }]);
    assert.deepEqual(h.commits?.map((c) => [c.subject, [...c.files].sort()]), [
      ['bugfix: typo, fixes #3', ['docs.md']],
      ['rename docs', ['docs.md']],
      ['add prefix option', ['src/a.ts', 'src/b.ts']],
      ['Fix crash in parser', ['src/a.ts', 'src/b.ts']],
      ['start', ['docs.md', 'src/a.ts', 'src/b.ts']],
    ], 'newest first, files by their current paths');

    const limited = await readHistory(root, { maxCommits: 1 });
    assert.equal(limited.totalCommits, 5);
    assert.deepEqual(Object.keys(limited.files), ['docs.md']);

    const sub = await readHistory(path.join(root, 'src'));
    assert.deepEqual(Object.keys(sub.files).sort(), ['a.ts', 'b.ts']);
  });

  it('leaves release commits out of churn and co-change', async () => {
    const { root, commit } = await repo('releases');
    await commit({ 'pkg/__init__.py': 'v1', 'pkg/core.py': 'c1', 'CHANGES.md': 'a' }, 'start');
    await commit({ 'pkg/core.py': 'c2', 'CHANGES.md': 'b' }, 'Release the lock on error');
    await commit({ 'pkg/__init__.py': 'v2', 'CHANGES.md': 'c' }, 'Version 0.47.3 (#2985)');
    await commit({ 'pkg/__init__.py': 'v3', 'CHANGES.md': 'd' }, 'chore(release): 1.2.0');
    await commit({ 'pkg/__init__.py': 'v4', 'CHANGES.md': 'e' }, 'v2.0.0-beta.1');
    await commit({ 'pkg/__init__.py': 'v5' }, 'Increment version to 1.22.1.dev0 (#1570)');
    await commit({ 'pkg/__init__.py': 'v6' }, 'Bump master to 1.18.0.dev0 (#1423)');
    await commit({ 'pkg/__init__.py': 'v7' }, 'Bump version');
    const h = await readHistory(root);
    assert.equal(h.totalCommits, 8);
    assert.equal(h.files['pkg/__init__.py'].commits, 1);
    assert.equal(h.files['pkg/core.py'].commits, 2, 'a subject that starts with "Release" but names no version is a change');
    assert.equal(h.files['CHANGES.md'].commits, 2);
    assert.deepEqual(h.coChange, [{ a: 'CHANGES.md', b: 'pkg/core.py', count: 2 }]);
    assert.deepEqual(h.commits?.map((c) => c.subject), ['Release the lock on error', 'start']);
  });

  it('works on a shallow clone', async () => {
    const { root, commit } = await repo('origin');
    await commit({ 'a.ts': '1' }, 'one');
    await commit({ 'a.ts': '2' }, 'two');
    const clone = path.join(tmpRoot, 'shallow');
    await simpleGit().clone(`file://${root}`, clone, ['--depth', '1']);
    const h = await readHistory(clone);
    assert.equal(h.available, true);
    assert.equal(h.shallow, true);
    assert.equal(h.totalCommits, 1);
    assert.equal(h.files['a.ts'].commits, 1);
  });
});

describe('gitHeadStamp', () => {
  it('stays put while HEAD does, and changes with a commit or a switch of branch', async () => {
    const { root, commit } = await repo('stamp');
    await commit({ 'a.ts': 'a' }, 'one');
    const first = gitHeadStamp(root);
    assert.ok(first);
    assert.equal(gitHeadStamp(path.join(root)), first);
    fs.mkdirSync(path.join(root, 'sub'));
    assert.equal(gitHeadStamp(path.join(root, 'sub')), first, 'found from a folder inside the repository');
    await commit({ 'a.ts': 'b' }, 'two');
    const second = gitHeadStamp(root);
    assert.notEqual(second, first, 'a commit moves the branch');
    await simpleGit(root).checkoutLocalBranch('topic');
    assert.notEqual(gitHeadStamp(root), second, 'another branch');
  });

  it('is undefined outside git and for a worktree, whose .git is a file', () => {
    const plain = path.join(tmpRoot, 'stamp-plain');
    fs.mkdirSync(plain);
    assert.equal(gitHeadStamp(plain), undefined);
    const linked = path.join(tmpRoot, 'stamp-worktree');
    fs.mkdirSync(linked);
    fs.writeFileSync(path.join(linked, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    assert.equal(gitHeadStamp(linked), undefined);
  });
});
