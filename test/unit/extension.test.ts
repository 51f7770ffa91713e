import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Note } from '../../src/core/types';
import { groupNotes, hooksFor, markStale, noteMarkdown, notesTree, relativeLink, staleCount, workspaceLink } from '../../src/extension/notesModel';
import { redactSecrets } from '../../src/core/privacy/redact';

function note(partial: Partial<Note> & Pick<Note, 'id' | 'kind' | 'title'>): Note {
  return { body: '', evidence: [], dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00Z', ...partial };
}

const notes: Note[] = [
  note({ id: 'file:src/a.ts', kind: 'file', title: 'src/a.ts', evidence: [{ path: 'src/a.ts', startLine: 1, endLine: 40 }] }),
  note({ id: 'bug:1', kind: 'bug', title: 'Swallowed exception', score: 0.4, evidence: [{ path: 'src/a.ts', startLine: 12, endLine: 14 }], dependsOn: { 'src/a.ts': 'h1' } }),
  note({ id: 'bug:2', kind: 'bug', title: 'Unawaited promise', score: 0.9, evidence: [{ path: 'src/b.ts', startLine: 3, endLine: 3 }], dependsOn: { 'src/b.ts': 'h2' } }),
  note({ id: 'architecture:overview', kind: 'architecture', title: 'Architecture overview', dependsOn: { 'src/a.ts': 'h1', 'src/b.ts': 'h2' } }),
  note({ id: 'test-hook:1', kind: 'test-hook', title: 'npm test', meta: { command: 'npm test -- test/a.test.ts', covers: ['src/a.ts'] }, evidence: [{ path: 'test/a.test.ts', startLine: 1, endLine: 20 }] }),
];

test('notes are grouped by kind in display order, highest score first, empty groups omitted', () => {
  const groups = groupNotes(notes, 0);
  assert.deepEqual(groups.map((g) => g.label), ['Architecture', 'Likely bugs', 'Test hooks', 'Files']);
  const bugs = groups[1];
  assert.deepEqual(bugs.children.map((c) => c.label), ['Unawaited promise', 'Swallowed exception']);
  assert.equal(bugs.description, '2');
  assert.equal(bugs.children[0].description, 'src/b.ts:3');
});

test('stale notes are marked in rows and counted in their group', () => {
  const stale = markStale(notes, new Set(['src/a.ts']));
  assert.deepEqual(stale.filter((n) => n.stale).map((n) => n.id), ['bug:1', 'architecture:overview']);
  assert.equal(staleCount([{ index: 0, name: 'w', root: '/w', notes: stale }]), 2);
  const bugs = groupNotes(stale, 0)[1];
  assert.equal(bugs.description, '2, 1 stale');
  const row = bugs.children.find((c) => c.id === 'bug:1');
  assert.equal(row?.stale, true);
  assert.equal(row?.icon, 'warning');
  assert.match(row?.description ?? '', /^stale/);
  assert.equal(notes[1].stale, false, 'input not mutated');
});

test('multi-root workspaces get one row per folder', () => {
  const tree = notesTree([
    { index: 0, name: 'api', root: '/w/api', notes },
    { index: 1, name: 'web', root: '/w/web', notes: [] },
  ]);
  assert.deepEqual(tree.map((t) => (t.type === 'folder' ? [t.label, t.children.length] : t.type)), [['api', 4], ['web', 0]]);
  assert.equal(notesTree([{ index: 0, name: 'api', root: '/w/api', notes }])[0].type, 'group');
});

test('a note preview links citations and evidence to the code at the line', () => {
  const md = noteMarkdown(
    note({ id: 'x', kind: 'bug', title: 'Bug', stale: true, body: 'See src/a.ts:12 and `src/b.ts:3`.\n\n```\nnot/linked.ts:1\n```', evidence: [{ path: 'src/a.ts', startLine: 12, endLine: 14 }] }),
    relativeLink('/repo/docs', '/repo'),
  );
  assert.match(md, /^# Bug/);
  assert.match(md, /\*\*stale\*\*/);
  assert.ok(md.includes('[src/a.ts:12](../src/a.ts#L12)'));
  assert.ok(md.includes('[src/b.ts:3](../src/b.ts#L3)'));
  assert.ok(md.includes('not/linked.ts:1\n'));
  assert.ok(md.includes('- [src/a.ts:12-14](../src/a.ts#L12)'));
});

test('preview links are workspace-root links, reaching other folders through the first', () => {
  assert.equal(workspaceLink('/w/api', '/w/api')('src/a b.ts', 7), '/src/a%20b.ts#L7');
  assert.equal(workspaceLink('/w/api', '/w/web')('src/c.ts', 2), '/../web/src/c.ts#L2');
});

test('test hooks are found for covered sources and for the test file itself', () => {
  assert.deepEqual(hooksFor(notes, 'src/a.ts').map((n) => n.id), ['test-hook:1']);
  assert.deepEqual(hooksFor(notes, 'test/a.test.ts').map((n) => n.id), ['test-hook:1']);
  assert.deepEqual(hooksFor(notes, 'src/b.ts'), []);
});

test('secret-looking text is redacted from log lines', () => {
  const line = 'calling https://api.example.com with Authorization: Bearer abc.def.ghi123 key=sk-proj-ABCDEFGHIJKLMNOP1234 token: "ghp_abcdefghijklmnopqrstuvwxyz0123"';
  const out = redactSecrets(line).text;
  assert.ok(!out.includes('abc.def.ghi123'));
  assert.ok(!out.includes('sk-proj-ABCDEFGHIJKLMNOP1234'));
  assert.ok(!out.includes('ghp_abcdefghijklmnopqrstuvwxyz0123'));
  assert.ok(out.includes('https://api.example.com'));
  assert.equal(redactSecrets('analyzed 12 files in 340 ms').text, 'analyzed 12 files in 340 ms');
});
