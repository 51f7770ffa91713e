import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { AgentTools, AGENT_TOOL_SPECS, normalizeRepoPath } from '../../src/core/agents/agentTools';
import { truncateToTokens } from '../../src/core/agents/render';
import type { Note } from '../../src/core/types';

function note(p: Partial<Note> & Pick<Note, 'id' | 'kind'>): Note {
  return {
    title: p.id,
    body: `About ${p.id}.`,
    evidence: [],
    dependsOn: {},
    origin: 'static',
    stale: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...p,
  };
}

const notes: Note[] = [
  note({
    id: 'architecture:overview', kind: 'architecture', title: 'Architecture overview', score: 0.2,
    body: 'The CLI in `src/cli/main.ts:1` calls the store in `src/store/store.ts:10`.',
    evidence: [{ path: 'src/cli/main.ts', startLine: 1, endLine: 20 }],
  }),
  note({ id: 'architecture:component:src/store', kind: 'architecture', title: 'Component src/store', score: 0.9, subject: 'src/store' }),
  note({
    id: 'bug:src/store/store.ts:42', kind: 'bug', title: 'Swallowed exception in saveManifest', score: 0.8,
    subject: 'src/store/store.ts', body: 'The catch in `saveManifest` ignores write errors (src/store/store.ts:42).',
    evidence: [{ path: 'src/store/store.ts', startLine: 42, endLine: 44 }],
  }),
  note({
    id: 'bug:src/cli/main.ts:7', kind: 'bug', title: 'Unawaited promise in runCli', score: 0.5,
    evidence: [{ path: 'src/cli/main.ts', startLine: 7, endLine: 7 }],
  }),
  note({
    id: 'bug:src/storeExtra.ts:3', kind: 'bug', title: 'TODO in storeExtra', score: 0.99,
    evidence: [{ path: 'src/storeExtra.ts', startLine: 3, endLine: 3 }],
  }),
  note({ id: 'test-hook:repo', kind: 'test-hook', title: 'Run all tests', body: 'Run `npm test`.', score: 0.5 }),
  note({ id: 'test-hook:src/store', kind: 'test-hook', title: 'Store tests', subject: 'src/store', body: 'Run `node --test test/store.test.ts`.' }),
  note({ id: 'test-hook:src/cli', kind: 'test-hook', title: 'CLI tests', subject: 'src/cli', body: 'Run `npm run test:cli`.' }),
  note({
    id: 'file:src/store/store.ts', kind: 'file', title: 'src/store/store.ts', subject: 'src/store/store.ts',
    body: 'Defines `class Store` with `openStore` and `saveManifest`; atomic writes via rename.', stale: true,
    evidence: [{ path: 'src/store/store.ts', startLine: 1, endLine: 80 }],
  }),
  note({ id: 'qa:how-are-writes-atomic', kind: 'qa', title: 'How are writes atomic?', body: 'Temp file then rename, see src/store/store.ts:60.' }),
];

describe('AgentTools', () => {
  const tools = new AgentTools(notes);

  it('searchNotes ranks by relevance, splits identifiers, filters by kind and marks stale notes', () => {
    const out = tools.searchNotes({ query: 'saveManifest' });
    assert.equal(out.isError, false);
    assert.ok(out.notes.length >= 2);
    assert.deepEqual(new Set(out.notes.slice(0, 2).map((n) => n.id)), new Set(['bug:src/store/store.ts:42', 'file:src/store/store.ts']));
    assert.match(out.text, /STALE/);
    const camel = tools.searchNotes({ query: 'manifest' });
    assert.ok(camel.notes.some((n) => n.id === 'bug:src/store/store.ts:42'));
    const onlyQa = tools.searchNotes({ query: 'atomic writes', kind: 'qa' });
    assert.deepEqual(onlyQa.notes.map((n) => n.id), ['qa:how-are-writes-atomic']);
    assert.equal(tools.searchNotes({ query: 'store', limit: 1 }).notes.length, 1);
    assert.equal(tools.searchNotes({ query: 'zzqqxxnothing' }).notes.length, 0);
  });

  it('rejects bad input with an error result, never a throw', () => {
    for (const [name, input] of [
      ['search_notes', {}],
      ['search_notes', { query: '   ' }],
      ['search_notes', { query: 'x', limit: 0 }],
      ['search_notes', { query: 'x', kind: 'nope' }],
      ['get_note', { id: 42 }],
      ['likely_bugs', { limit: 'ten' }],
      ['test_hooks', 'src'],
    ] as const) {
      const out = tools.call(name, input);
      assert.equal(out.isError, true, `${name} ${JSON.stringify(input)}`);
      assert.match(out.text, /^Invalid/);
    }
  });

  it('getNote returns the note and suggests ids for an unknown one', () => {
    const out = tools.getNote({ id: 'qa:how-are-writes-atomic' });
    assert.equal(out.isError, false);
    assert.match(out.text, /Temp file then rename/);
    const miss = tools.getNote({ id: 'src/store/store.ts' });
    assert.equal(miss.isError, true);
    assert.match(miss.text, /bug:src\/store\/store\.ts:42/);
  });

  it('architectureOverview puts the overview first', () => {
    const out = tools.architectureOverview({});
    assert.deepEqual(out.notes.map((n) => n.id), ['architecture:overview', 'architecture:component:src/store']);
    assert.deepEqual(out.references, [{ path: 'src/cli/main.ts', startLine: 1, endLine: 20 }]);
    assert.match(out.text, /src\/cli\/main\.ts:1-20/);
    const titled = new AgentTools([note({ id: 'architecture:overview', kind: 'architecture', title: 'T', body: '# Own heading\n\nText.' })]);
    assert.doesNotMatch(titled.architectureOverview().text, /### T/);
  });

  it('likelyBugs filters by path prefix on folder boundaries and sorts by score', () => {
    assert.deepEqual(tools.likelyBugs({}).notes.map((n) => n.id), [
      'bug:src/storeExtra.ts:3', 'bug:src/store/store.ts:42', 'bug:src/cli/main.ts:7',
    ]);
    assert.deepEqual(tools.likelyBugs({ path: './src/store/' }).notes.map((n) => n.id), ['bug:src/store/store.ts:42']);
    assert.deepEqual(tools.likelyBugs({ path: 'src/cli/main.ts' }).notes.map((n) => n.id), ['bug:src/cli/main.ts:7']);
    assert.equal(tools.likelyBugs({ limit: 1 }).notes.length, 1);
    const none = tools.likelyBugs({ path: 'docs' });
    assert.equal(none.isError, false);
    assert.deepEqual(none.notes, []);
  });

  it('testHooks gives the enclosing component before repository-wide hooks', () => {
    assert.deepEqual(tools.testHooks({ path: 'src/store/store.ts' }).notes.map((n) => n.id), ['test-hook:src/store', 'test-hook:repo']);
    assert.deepEqual(tools.testHooks({ path: 'src' }).notes.map((n) => n.id).sort(), ['test-hook:repo', 'test-hook:src/cli', 'test-hook:src/store']);
    assert.equal(tools.testHooks({}).notes.length, 3);
  });

  it('bounds every output in tokens, cutting a huge note and counting omitted ones', () => {
    const big = Array.from({ length: 30 }, (_, i) =>
      note({ id: `bug:big${i}`, kind: 'bug', title: `Bug ${i}`, body: 'word '.repeat(400), evidence: [{ path: `a${i}.ts`, startLine: 1, endLine: 1 }] }),
    );
    const small = new AgentTools(big, { maxTokens: 300 });
    const out = small.likelyBugs({ limit: 50 });
    assert.ok(countTokens(out.text) <= 300);
    assert.equal(out.tokens, countTokens(out.text));
    assert.equal(out.truncated, true);
    assert.equal(out.notes.length, 1);
    assert.match(out.text, /29 more result\(s\) omitted/);
    const got = small.getNote({ id: 'bug:big0' });
    assert.ok(got.tokens <= 300 && got.truncated);
    for (const max of [50, 120, 1000]) {
      const t = new AgentTools(big, { maxTokens: max });
      for (const r of [t.searchNotes({ query: 'word' }), t.architectureOverview(), t.testHooks({}), t.getNote({ id: 'x'.repeat(900) })]) {
        assert.ok(countTokens(r.text) <= max, `${max}: ${r.tokens}`);
      }
    }
  });

  it('says to run analyze when there are no notes', () => {
    const out = new AgentTools([]).architectureOverview();
    assert.equal(out.isError, false);
    assert.match(out.text, /sleeptime analyze/);
  });

  it('exposes one spec per tool and normalizes paths', () => {
    assert.deepEqual(AGENT_TOOL_SPECS.map((s) => s.name), ['search_notes', 'get_note', 'architecture_overview', 'likely_bugs', 'test_hooks']);
    assert.equal(normalizeRepoPath('.\\src\\a.ts'), 'src/a.ts');
    assert.equal(normalizeRepoPath('./'), '');
    assert.equal(truncateToTokens('short', 10), 'short');
    assert.ok(countTokens(truncateToTokens('ü'.repeat(500), 30)) <= 30);
  });
});
