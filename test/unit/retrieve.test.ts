import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offlineAnswer } from '../../src/core/ask';
import { analyzeSource } from '../../src/core/parse/extract';
import { ContentIndex } from '../../src/core/retrieve/contentIndex';
import type { EntryPoint } from '../../src/core/structure/entryPoints';
import { packContext } from '../../src/core/retrieve/pack';
import { DEFAULT_WEIGHTS, RetrievalIndex, type RankWeights, type RetrievalData, type Ranking } from '../../src/core/retrieve/searchIndex';
import { contentTermCap, contentTerms, identifierTerm, MAX_CONTENT_TERMS, namedIdentifiers, namedPaths, namedTypes, normalizeTerm, qualifiedNames, quotedPhrases, splitIdentifier, termCounts, withoutCredits, withoutIntentWords } from '../../src/core/retrieve/terms';
import { countTokens, truncateToTokens } from '../../src/core/retrieve/tokens';
import type { FileAnalysis, Note, SymbolDef } from '../../src/core/types';

interface FakeFile {
  path: string;
  defs: { name: string; kind?: string; lines: number; doc?: string; parent?: string }[];
  refs?: string[];
  doc?: string;
}

/** Builds file text with each def at a known place, and the matching FileAnalysis. */
function makeRepo(specs: FakeFile[], notes: Note[]): { data: RetrievalData; texts: Map<string, string>; reads: string[] } {
  const files = new Map<string, FileAnalysis>();
  const texts = new Map<string, string>();
  for (const spec of specs) {
    const lines: string[] = ['// header', ''];
    const defs: SymbolDef[] = [];
    for (const d of spec.defs) {
      const startLine = lines.length + 1;
      lines.push(`export function ${d.name}(input) {`);
      for (let i = 1; i < d.lines - 1; i++) lines.push(`  const step${i} = input + ${i}; // ${d.name} body line ${i}`);
      lines.push('}');
      defs.push({ name: d.name, kind: d.kind ?? 'function', startLine, endLine: lines.length, exported: true, doc: d.doc, parent: d.parent });
      lines.push('');
    }
    const text = lines.join('\n');
    texts.set(spec.path, text);
    files.set(spec.path, {
      path: spec.path, language: 'typescript', hash: 'h', bytes: text.length, lines: lines.length, defs,
      refs: (spec.refs ?? []).map((name, i) => ({ name, line: 1 + i, kind: 'call' })), imports: [], bugs: [], doc: spec.doc,
    });
  }
  const reads: string[] = [];
  return { data: { notes, files, readText: (p) => (reads.push(p), texts.get(p)) }, texts, reads };
}

function note(id: string, kind: Note['kind'], title: string, body: string, evidence: [string, number, number][], extra: Partial<Note> = {}): Note {
  return {
    id, kind, title, body, evidence: evidence.map(([path, startLine, endLine]) => ({ path, startLine, endLine })),
    dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00Z', ...extra,
  };
}

const SPECS: FakeFile[] = [
  { path: 'src/http/session.ts', defs: [{ name: 'Session', kind: 'class', lines: 5 }, { name: 'resolveRedirects', lines: 30, doc: 'Follow redirect responses.' }], refs: ['fetchUrl'] },
  { path: 'src/util/strings.ts', defs: [{ name: 'camelize', lines: 6 }, { name: 'snakeCase', lines: 6 }] },
  { path: 'src/db/pool.ts', defs: [{ name: 'createPool', lines: 10 }, { name: 'acquireConnection', lines: 80 }], doc: 'Database connection pool.' },
  { path: 'src/db/query.ts', defs: [{ name: 'runQuery', lines: 12 }], refs: ['acquireConnection'] },
  { path: 'src/cli/main.ts', defs: [{ name: 'main', lines: 20 }] },
  { path: 'test/session.test.ts', defs: [{ name: 'testRedirects', lines: 8 }] },
  { path: '.env', defs: [{ name: 'apiToken', lines: 3 }] },
];
for (let i = 0; i < 40; i++) SPECS.push({ path: `src/gen/module${i}.ts`, defs: [{ name: `helper${i}`, lines: 15 }, { name: `widget${i}Factory`, lines: 25 }] });

const HUGE = Array.from({ length: 6000 }, (_, i) => `line ${i} about connection pools and redirects and tests`).join('\n');
const NOTES: Note[] = [
  note('architecture:overview', 'architecture', 'Architecture overview', 'Components: src/http (session handling), src/db (pool, query), src/cli.\nEntry point src/cli/main.ts:3.', [['src/cli/main.ts', 3, 22], ['src/db/pool.ts', 3, 12]], { score: 1 }),
  note('file:src/db/pool.ts', 'file', 'src/db/pool.ts', 'Defines createPool, acquireConnection. Used by src/db/query.ts.', [['src/db/pool.ts', 3, 12]], { subject: 'src/db/pool.ts', score: 0.9 }),
  note('file:src/http/session.ts', 'file', 'src/http/session.ts', 'Defines Session, resolveRedirects (follows redirect responses).', [['src/http/session.ts', 3, 7]], { subject: 'src/http/session.ts', score: 0.6 }),
  note('file:src/util/strings.ts', 'file', 'src/util/strings.ts', 'Defines camelize, snakeCase.', [['src/util/strings.ts', 3, 8]], { subject: 'src/util/strings.ts', score: 0.2 }),
  note('bug:pool-leak', 'bug', 'Connection may leak when acquire fails', 'acquireConnection swallows the error at src/db/pool.ts:20 and never releases the socket.', [['src/db/pool.ts', 20, 22]], { score: 0.8 }),
  note('test-hook:npm', 'test-hook', 'Tests run with npm test', 'Run `npm test` (node:test). Test files live in test/.', [['test/session.test.ts', 1, 1]], { score: 0.7 }),
  note('qa:huge', 'qa', 'Everything about pools', HUGE, [['src/db/query.ts', 3, 14]], { score: 0.5 }),
];

test('splitIdentifier and question parsing', () => {
  assert.deepEqual(splitIdentifier('parseHTTPResponse_v2'), ['parse', 'http', 'response', 'v2']);
  assert.ok(namedIdentifiers('why does `acquireConnection` hang in pool?').includes('acquireConnection'));
  assert.ok(namedIdentifiers('Session.resolve_redirects drops the fragment').includes('resolve_redirects'));
  assert.deepEqual(namedIdentifiers('why does the pool hang'), []);
  assert.ok(namedPaths('what does src/util/strings.ts export?').includes('src/util/strings.ts'));
});

test('truncateToTokens never exceeds its limit', () => {
  const text = HUGE.slice(0, 20000);
  for (const n of [0, 1, 2, 7, 50, 333, 1000]) {
    const cut = truncateToTokens(text, n);
    assert.ok(countTokens(cut) <= n, `limit ${n}`);
    assert.ok(text.startsWith(cut));
  }
  assert.equal(truncateToTokens('short', 100), 'short');
});

test('a question naming a symbol ranks its defining file first', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const index = RetrievalIndex.build(data);
  assert.equal(index.rank('Why does acquireConnection time out?').files[0].path, 'src/db/pool.ts');
  assert.equal(index.rank('camelize produces wrong output for acronyms').files[0].path, 'src/util/strings.ts');
  assert.equal(index.rank('widget7Factory returns null').files[0].path, 'src/gen/module7.ts');
  const ranked = index.rank('Why does acquireConnection time out?').files[0];
  assert.equal(ranked.defs[0].name, 'acquireConnection');
});

test('names a package index only hands on (`module.exports.Pool = Pool`) are found where they are defined', () => {
  const { data } = makeRepo([
    { path: 'index.js', defs: [{ name: 'ProxyAgent', kind: 'constant', lines: 1 }, { name: 'Pool', kind: 'constant', lines: 1 }, { name: 'RetryHandler', kind: 'constant', lines: 1 }, { name: 'setup', lines: 3 }] },
    { path: 'lib/proxy-agent.js', defs: [{ name: 'ProxyAgent', kind: 'class', lines: 30 }] },
    { path: 'lib/pool.js', defs: [{ name: 'Pool', kind: 'class', lines: 30 }] },
    { path: 'lib/retry-handler.js', defs: [{ name: 'RetryHandler', kind: 'class', lines: 30 }] },
    { path: 'lib/util.js', defs: [{ name: 'parseHeaders', lines: 10 }] },
  ], []);
  for (const d of data.files.get('index.js')!.defs) if (d.kind === 'constant') d.alias = true;
  const ranked = RetrievalIndex.build(data).rank('proxy agent drops its pool on a retry').files.map((f) => f.path);
  assert.equal(ranked[0], 'lib/proxy-agent.js');
  assert.ok(ranked.indexOf('index.js') === -1 || ranked.indexOf('index.js') > ranked.indexOf('lib/retry-handler.js'), ranked.join(' '));
  // A name only the index gives (a default export's) stays its own.
  const solo = makeRepo([{ path: 'index.js', defs: [{ name: 'createLogger', kind: 'constant', lines: 1 }] }, { path: 'lib/util.js', defs: [{ name: 'parseHeaders', lines: 10 }] }], []).data;
  solo.files.get('index.js')!.defs[0].alias = true;
  assert.equal(RetrievalIndex.build(solo).rank('createLogger').files[0]?.path, 'index.js');
});

test('an index loaded from a saved text search ranks exactly as a rebuilt one; a saved search that does not fit is ignored', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const built = RetrievalIndex.build(data);
  assert.equal(built.restored, false);
  const loaded = RetrievalIndex.build(data, built.searchJSON());
  assert.equal(loaded.restored, true);
  const summary = (r: Ranking): string[] => [...r.files.map((f) => `${f.path} ${f.score}`), ...r.notes.map((n) => `${n.note.id} ${n.score}`)];
  for (const q of ['Why does acquireConnection time out?', 'camelize acronyms', 'how do I run the tests', 'module12.ts']) {
    assert.deepEqual(summary(loaded.rank(q)), summary(built.rank(q)), q);
  }
  assert.equal(RetrievalIndex.build(data, '{"broken').restored, false);
  const files = new Map(data.files);
  files.set('src/extra.ts', { ...data.files.values().next().value!, path: 'src/extra.ts' });
  assert.equal(RetrievalIndex.build({ ...data, files }, built.searchJSON()).restored, false, 'one more file: another store');
});

test('a path mention boosts that file', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const index = RetrievalIndex.build(data);
  const before = index.rank('what does this module export').files.findIndex((f) => f.path === 'src/gen/module12.ts');
  const after = index.rank('what does module12.ts export').files;
  assert.equal(after[0].path, 'src/gen/module12.ts');
  assert.ok(before !== 0);
});

test('kind fit: test questions prefer test-hook notes, bug questions bug notes', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const index = RetrievalIndex.build(data);
  assert.equal(index.rank('how do I run the tests for the session').notes[0].note.kind, 'test-hook');
  assert.equal(index.rank('connection pool crash when acquire fails').notes[0].note.kind, 'bug');
});

test('test notes step back when the question is not about tests', () => {
  const body = 'Session and resolveRedirects follow redirect responses.';
  const notes = [
    note('test-hook:untested', 'test-hook', 'Session redirects', body, [['src/http/session.ts', 3, 7]], { score: 0.6 }),
    note('architecture:component:src/http', 'architecture', 'Session redirects', body, [['src/http/session.ts', 3, 7]], { score: 0.6 }),
  ];
  const index = RetrievalIndex.build(makeRepo(SPECS, notes).data);
  const kinds = (q: string): string[] => index.rank(q).notes.map((n) => n.note.kind);
  assert.deepEqual(kinds('how does the session follow redirects'), ['architecture', 'test-hook']);
  assert.deepEqual(kinds('which tests cover session redirects'), ['test-hook', 'architecture']);
});

test('test files step back less for a question that mentions tests, not at all for one about test code, and step forward for one asking for tests', () => {
  const ratio = scoreRatioOf(
    { path: 'test/session.test.ts', defs: [{ name: 'testRedirects', lines: 8, doc: 'Redirect responses are followed.' }] },
    { path: 'src/http/session.ts', defs: [{ name: 'resolveRedirects', lines: 30, doc: 'Follow redirect responses.' }] },
  );
  const step = stepOf(ratio, 'askedTestFile');
  near(step('fix redirect responses being followed twice, and add tests'), 0.5, 'the test file gains the factor');
  near(step('fix redirect responses being followed twice'), 1, 'not about tests: the other factor applies');
  near(step('add tests for redirect responses being followed twice'), 1, 'about test code: on a par');
  assert.ok(DEFAULT_WEIGHTS.testFile < DEFAULT_WEIGHTS.askedTestFile && DEFAULT_WEIGHTS.askedTestFile < 1 && DEFAULT_WEIGHTS.testsAskedFor > 1);
  const index = RetrievalIndex.build(makeRepo([
    {
      path: 'test/session.test.ts', doc: 'Tests of the session: redirects.',
      defs: [{ name: 'testSessionRedirects', lines: 8, doc: 'Session follows redirects.' }, { name: 'testSessionRedirectLimit', lines: 8, doc: 'Session stops after too many redirects.' }],
    },
    ...SPECS.filter((f) => !f.path.startsWith('test/')),
  ], []).data);
  const top = (q: string): string | undefined => index.rank(q).files[0]?.path;
  for (const q of ['which tests cover session redirects?', 'where are the tests of session redirects']) assert.equal(top(q), 'test/session.test.ts', q);
  assert.equal(top('fix session redirects followed twice, and add tests'), 'src/http/session.ts');
});

test('examples step back unless the question asks about one or names the file', () => {
  const ratio = scoreRatioOf(
    { path: 'sample/defaults.js', defs: [{ name: 'listDefaults', lines: 8, doc: 'Default option values.' }] },
    { path: 'lib/options.js', defs: [{ name: 'setDefault', lines: 30, doc: 'Default option values.' }] },
  );
  const step = stepOf(ratio, 'unaskedExample');
  near(step('default option values are not strings'), 0.5, 'the example gains the factor');
  near(step('the example of default option values is wrong'), 1, 'asked about an example: it does not');
  near(step('fix default option values in defaults.js'), 1, 'named: it does not');
  assert.ok(DEFAULT_WEIGHTS.unaskedExample < 1);
});

test('packed context never exceeds the budget, for many budgets and questions', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const index = RetrievalIndex.build(data);
  const questions = [
    '', 'x', 'Why does acquireConnection time out?', 'how do I run the tests', 'pools '.repeat(3000),
    'what does src/util/strings.ts export?', 'redirects redirects connection pools tests architecture overview',
    '🙂 ünïcödé question about résumé handling?',
  ];
  const budgets = [0, 1, 3, 10, 25, 50, 64, 100, 150, 200, 333, 500, 777, 1000, 2000, 4000, 8000, 50000];
  for (const q of questions) {
    for (const b of budgets) {
      const packed = packContext(q, index, b);
      assert.ok(packed.contextTokens <= b, `budget ${b} exceeded (${packed.contextTokens}) for "${q.slice(0, 30)}"`);
      assert.equal(countTokens(packed.text), packed.contextTokens);
      for (const f of packed.files) assert.ok(packed.text.includes(f.path), `${f.path} listed but not cited`);
    }
  }
});

test('a huge note is cut to fit and a 2,000-token context points at the right span', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const packed = packContext('Why does acquireConnection leak connections in the pool?', data, 2000);
  assert.ok(packed.contextTokens <= 2000);
  assert.equal(packed.files[0].path, 'src/db/pool.ts');
  assert.ok(packed.notes.some((n) => n.id === 'bug:pool-leak'));
  const span = packed.spans.find((s) => s.path === 'src/db/pool.ts');
  assert.ok(span, 'a span of pool.ts is packed');
  const def = data.files.get('src/db/pool.ts')!.defs.find((d) => d.name === 'acquireConnection')!;
  assert.ok(span.startLine <= def.startLine && span.endLine >= def.startLine);
  assert.ok(span.endLine - span.startLine < 80, 'a span, not the whole 80-line function');
});

test('code spans quote the real lines of the file they cite', () => {
  const { data, texts } = makeRepo(SPECS, NOTES);
  for (const q of ['resolveRedirects loops forever', 'acquireConnection hangs', 'snakeCase of empty string']) {
    const packed = packContext(q, data, 3000);
    assert.ok(packed.spans.length > 0);
    for (const m of packed.text.matchAll(/```([^\n:]+):(\d+)-(\d+)\n([\s\S]*?)\n```/g)) {
      const [, p, a, b, body] = m;
      const lines = texts.get(p)!.split('\n');
      assert.equal(body, lines.slice(Number(a) - 1, Number(b)).join('\n'), `${p}:${a}-${b}`);
    }
  }
});

test('a code span leaves out the tail of a long doc comment and blank lines above its definition, and keeps a short comment', () => {
  const { data, texts } = makeRepo([], []);
  const files = new Map(data.files);
  const add = (p: string, text: string, name: string, startLine: number, endLine: number): void => {
    texts.set(p, text);
    files.set(p, { path: p, language: 'rust', hash: 'h', bytes: text.length, lines: text.split('\n').length, defs: [{ name, kind: 'function', startLine, endLine, exported: true }], refs: [], imports: [], bugs: [] });
  };
  add('src/redirect.rs', ['//! Redirect handling.', '', '/// Decides what to do with a redirect.', '///', '/// # Example', '/// ```', '/// policy.redirect(attempt);', '/// ```', 'pub fn redirect(attempt: Attempt) -> Action {', '    attempt.follow()', '}', ''].join('\n'), 'redirect', 9, 11);
  add('src/limit.rs', ['use crate::Policy;', '/// Stops after `max` redirects.', 'pub fn limit(max: usize) -> Policy {', '    Policy::limit(max)', '}', ''].join('\n'), 'limit', 3, 5);
  add('src/hops.rs', ['use crate::Policy;', '', '', 'pub fn redirect_hops(n: usize) -> Policy {', '    Policy::limit(n)', '}', ''].join('\n'), 'redirect_hops', 4, 6);
  const packed = packContext('how does the redirect limit work', { ...data, files }, 2000);
  const startOf = (p: string): number | undefined => packed.spans.find((sp) => sp.path === p)?.startLine;
  assert.equal(startOf('src/redirect.rs'), 9);
  assert.equal(startOf('src/limit.rs'), 1);
  assert.equal(startOf('src/hops.rs'), 4);
});

test('the definitions quoted from a file are those whose names and lines use the question\'s words most', () => {
  const { data, texts } = makeRepo([], []);
  const text = [
    'class Match(Enum):', '    NONE = 0', '    FULL = 2', '',
    'class Route:', '    def matches(self, scope):', '        path = scope["path"]', '        match = self.regex.match(path)',
    '        return self.endpoint if match else None', '',
    'class Router:', '    def url_for(self, name):', '        return name', '',
    'def dispatch(request, routes):', '    for route in routes:', '        endpoint = route.matches(request.path)', '        if endpoint: return endpoint', '',
  ].join('\n');
  texts.set('routing.py', text);
  const def = (name: string, kind: string, startLine: number, endLine: number, parent?: string): SymbolDef =>
    ({ name, kind, startLine, endLine, exported: true, ...(parent && { parent }) });
  const defs = [def('Match', 'class', 1, 3), def('Route', 'class', 5, 9), def('matches', 'method', 6, 9, 'Route'), def('Router', 'class', 11, 13), def('url_for', 'method', 12, 13, 'Router'), def('dispatch', 'function', 15, 18)];
  const files = new Map([['routing.py', { path: 'routing.py', language: 'python' as const, hash: 'h', bytes: text.length, lines: 19, defs, refs: [], imports: [], bugs: [] }]]);
  const packed = packContext('How does the router match a request path to an endpoint?', { ...data, files }, 2000, { contextLines: 0 });
  assert.deepEqual(packed.matchedDefs.get('routing.py')?.map((d) => d.name), ['matches', 'Match', 'dispatch']);
  assert.deepEqual(packed.spans.map((sp) => sp.startLine), [6, 1]);
});

test('a long definition is quoted where the question\'s words are; a function named by them beats the class around it', () => {
  const { data, texts } = makeRepo([], []);
  const filler = (n: number, from: number): string[] => Array.from({ length: n }, (_, i) => `        step_${from + i}()`);
  const text = [
    'class Transport:', '    # Writes log lines.', '    def write(self, line):', ...filler(60, 0),
    '        if self.size > self.maxsize:', '            self.rotate_file()', ...filler(20, 60),
    '    def rotate_file(self):', '        self.rotate()', '',
  ].join('\n');
  texts.set('transport.py', text);
  const def = (name: string, kind: string, startLine: number, endLine: number, parent?: string): SymbolDef =>
    ({ name, kind, startLine, endLine, exported: true, ...(parent && { parent }) });
  const defs = [def('Transport', 'class', 1, 88), def('write', 'method', 3, 85, 'Transport'), def('rotate_file', 'method', 86, 87, 'Transport')];
  const files = new Map([['transport.py', { path: 'transport.py', language: 'python' as const, hash: 'h', bytes: text.length, lines: 88, defs, refs: [], imports: [], bugs: [] }]]);
  const packed = packContext('when does the transport rotate the file past maxsize?', { ...data, files }, 2000, { contextLines: 0, maxSpanLines: 10 });
  assert.deepEqual(packed.matchedDefs.get('transport.py')?.map((d) => d.name).slice(0, 2), ['rotate_file', 'write']);
  const spans = packed.spans.filter((sp) => sp.path === 'transport.py');
  assert.equal(spans[0].startLine, 86, 'the function the question names');
  assert.ok(spans[1].startLine > 50 && spans[1].startLine <= 64 && spans[1].endLine >= 65, `the lines of write() that hold maxsize and rotate, not its head: ${spans[1].startLine}`);
});

test('a span too long for its share of the budget keeps its lines that hold the question\'s words', () => {
  const { data, texts } = makeRepo([], []);
  const filler = (n: number): string[] => Array.from({ length: n }, (_, i) => `    const part${i} = combine(alphaValue${i}, betaValue${i}, gammaValue${i}, deltaValue${i}, epsilonValue${i});`);
  const text = ['function flush(queue) {', ...filler(30), '    if (queue.size > queue.maxsize) {', '        rotateSegment(queue);', '    }', '}', ''].join('\n');
  texts.set('queue.js', text);
  const defs: SymbolDef[] = [{ name: 'flush', kind: 'function', startLine: 1, endLine: 35, exported: true }];
  const files = new Map([['queue.js', { path: 'queue.js', language: 'javascript' as const, hash: 'h', bytes: text.length, lines: 35, defs, refs: [], imports: [], bugs: [] }]]);
  const packed = packContext('when does flush rotate the segment past maxsize?', { ...data, files }, 2000);
  const [span] = packed.spans.filter((sp) => sp.path === 'queue.js');
  assert.ok(span.endLine - span.startLine < 30, `cut to fit: ${span.startLine}-${span.endLine}`);
  assert.ok(span.startLine <= 32 && span.endLine >= 33, `keeps the lines with maxsize and rotate: ${span.startLine}-${span.endLine}`);
});

test('a question naming a class quotes the method that answers it, not the constructor named as the class', () => {
  const { data, texts } = makeRepo([], []);
  const text = [
    'public class FilenameUtils {',
    '    public static String normalize(String fileName) {',
    '        return doNormalize(fileName, SEPARATOR, true);',
    '    }',
    '    private static String doNormalize(String fileName, char separator, boolean keepSeparator) {',
    '        // remove double dot segments',
    '        int size = fileName.length();',
    '        return fileName.substring(0, size);',
    '    }',
    ...Array.from({ length: 50 }, (_, i) => `    public static int other${i}() { return ${i}; }`),
    '    public FilenameUtils() {',
    '    }',
    '}',
    '',
  ].join('\n');
  texts.set('FilenameUtils.java', text);
  const def = (name: string, startLine: number, endLine: number, parent?: string): SymbolDef =>
    ({ name, kind: parent ? 'method' : 'class', startLine, endLine, exported: true, ...(parent && { parent }) });
  const defs = [def('FilenameUtils', 1, 62), def('normalize', 2, 4, 'FilenameUtils'), def('doNormalize', 5, 9, 'FilenameUtils'), def('FilenameUtils', 60, 61, 'FilenameUtils')];
  const files = new Map([['FilenameUtils.java', { path: 'FilenameUtils.java', language: 'java' as const, hash: 'h', bytes: text.length, lines: 63, defs, refs: [], imports: [], bugs: [] }]]);
  const packed = packContext('how does FilenameUtils.normalize remove double dot segments?', { ...data, files }, 2000, { contextLines: 0 });
  const quoted = packed.spans.filter((sp) => sp.path === 'FilenameUtils.java').map((sp) => sp.startLine);
  assert.ok(!quoted.includes(60), `the constructor is not quoted: ${quoted}`);
  assert.ok(packed.spans.some((sp) => sp.path === 'FilenameUtils.java' && sp.startLine <= 5 && sp.endLine >= 9), `the function doing the work is: ${quoted}`);
});

test('secret files are never read', () => {
  const { data, reads } = makeRepo(SPECS, NOTES);
  const packed = packContext('where is apiToken defined in .env', data, 4000);
  assert.ok(!reads.includes('.env'));
  assert.ok(!packed.spans.some((s) => s.path === '.env'));
});

test('contentTerms counts stemmed identifier parts, comments and strings, drops keywords, keeps the most frequent', () => {
  const src = [
    '// Retry the upload when the socket closes.',
    'export function retryUpload(socketHandle) {',
    '  const message = "upload retries exhausted";',
    '  return socketHandle.retryUpload(message);',
    '}',
  ].join('\n');
  const t = Object.fromEntries(termCounts(contentTerms(src)));
  const n = (w: string): string => normalizeTerm(w)!;
  assert.equal(t[n('upload')], 4, 'comment, string and the split identifier parts all count');
  assert.equal(t[n('retry')], 4, 'retry/retries stem together');
  assert.equal(t.retryupload, 2, 'identifiers are also kept whole');
  assert.equal(t[n('socket')], 3);
  for (const kw of ['export', 'function', 'const', 'return']) assert.equal(t[kw], undefined, `${kw} is a keyword`);
  const top = termCounts(contentTerms(src, 2));
  assert.deepEqual(top, [[n('retry'), 4], [n('upload'), 4]]);
});

test('analyzeSource gives code files a term vector, even when the file cannot be parsed', () => {
  const r = analyzeSource('src/a.py', 'python', 'def flush_buffer():\n    pass  # flush the write buffer\n', 'h', 50);
  assert.ok(r.parseError, 'no grammar is loaded in this test');
  assert.deepEqual(termCounts(r.terms).find(([t]) => t === normalizeTerm('buffer')), [normalizeTerm('buffer'), 2]);
  assert.equal(analyzeSource('README.md', null, 'buffer buffer', 'h', 13).terms, undefined);
});

test('ContentIndex: BM25 ranks by rare terms and term frequency, files without vectors are left out', () => {
  const fa = (path: string, terms?: FileAnalysis['terms']): FileAnalysis => ({
    path, language: 'typescript', hash: 'h', bytes: 1, lines: 1, defs: [], refs: [], imports: [], bugs: [], terms,
  });
  const idx = ContentIndex.build([
    fa('a.ts', 'cooki:4 parser:2'),
    fa('b.ts', 'cooki:1 parser:6'),
    // A cache written before term vectors were strings.
    fa('c.ts', { parser: 3, header: 3 }),
    fa('d.ts', 'parser:1 header:1'),
    fa('e.ts'),
  ]);
  assert.equal(idx.size, 4);
  const s = idx.score(['cooki', 'parser']);
  assert.ok(s.get('a.ts')! > s.get('b.ts')!, 'the rarer term weighs more');
  assert.ok(s.get('b.ts')! > s.get('c.ts')!);
  assert.equal(s.has('e.ts'), false);
  assert.equal(idx.score(['nothing']).size, 0);
});

test('ContentIndex brought up to date from the last snapshot scores as one built afresh, edit after edit', () => {
  const fa = (path: string, terms?: string): FileAnalysis => ({
    path, language: 'typescript', hash: 'h', bytes: 1, lines: 1, defs: [], refs: [], imports: [], bugs: [], terms,
  });
  let files = [fa('a.ts', 'cooki:4 parser:2'), fa('b.ts', 'cooki:1 parser:6'), fa('c.ts', 'parser:3 header:3'), fa('d.ts'), fa('e.ts', 'header:1 jar:2')];
  let idx = ContentIndex.build(files);
  const edits: ((list: FileAnalysis[]) => FileAnalysis[])[] = [
    (list) => list.map((f) => (f.path === 'a.ts' ? fa('a.ts', 'cooki:1 jar:5') : f)),
    (list) => list.filter((f) => f.path !== 'b.ts'),
    (list) => [...list, fa('f.ts', 'parser:9 cooki:2')],
    (list) => list.map((f) => (f.path === 'd.ts' ? fa('d.ts', 'header:4') : f)),
    (list) => list.map((f) => (f.path === 'c.ts' ? fa('c.ts') : f)),
    ...Array.from({ length: 6 }, (_, k) => (list: FileAnalysis[]) => list.map((f) => (f.path === 'e.ts' ? fa('e.ts', `header:${k + 1} jar:2`) : f))),
  ];
  let inPlace = 0;
  for (const edit of edits) {
    files = edit(files);
    const before = idx;
    idx = ContentIndex.build(files, idx);
    if (idx === before) inPlace++;
    const fresh = ContentIndex.build(files);
    assert.equal(idx.size, fresh.size);
    for (const q of [['cooki'], ['parser', 'header'], ['jar', 'cooki', 'parser'], ['header']]) {
      const round = (m: Map<string, number>) => [...m].map(([p, v]) => [p, v.toFixed(9)]).sort();
      assert.deepEqual(round(idx.score(q)), round(fresh.score(q)), q.join(' '));
    }
  }
  assert.ok(inPlace >= edits.length - 3, `updated in place ${inPlace} of ${edits.length} times (afresh only once the emptied slots pile up)`);
});

test('questions reach files by their contents when names and notes say nothing', () => {
  const { data } = makeRepo(SPECS, NOTES);
  const files = new Map(data.files);
  const target = 'src/gen/module7.ts';
  files.set(target, { ...files.get(target)!, terms: `${normalizeTerm('checksum')}:5 ${normalizeTerm('mismatch')}:2 helper:3` });
  for (const p of ['src/gen/module8.ts', 'src/gen/module9.ts']) files.set(p, { ...files.get(p)!, terms: `helper:3 ${normalizeTerm('mismatch')}:1` });
  const q = 'Downloads fail with a checksum mismatch';
  const before = RetrievalIndex.build(data).rank(q);
  assert.notEqual(before.files[0]?.path, target);
  const after = RetrievalIndex.build({ ...data, files }).rank(q);
  assert.equal(after.files[0].path, target);
  const noContent = RetrievalIndex.build({ ...data, files }).rank(q, { ...DEFAULT_WEIGHTS, content: 0 });
  assert.notEqual(noContent.files[0]?.path, target);
});

test('an identifier the question names that nothing defines (a config key) reaches the few files using it', () => {
  const { data } = makeRepo([...SPECS, { path: 'src/settings/loader.ts', defs: [{ name: 'Config', kind: 'class', lines: 60 }] }], NOTES);
  const files = new Map(data.files);
  const set = (p: string, terms: string): void => void files.set(p, { ...files.get(p)!, terms });
  const key = identifierTerm('livereload_port')!;
  // Where the settings are read: every word of the question but the name, many times over.
  set('src/settings/loader.ts', `${normalizeTerm('livereload')}:9 ${normalizeTerm('site')}:9 ${normalizeTerm('config')}:9 ${normalizeTerm('port')}:9`);
  set('src/gen/module7.ts', `${key}:1 ${normalizeTerm('livereload')}:1 ${normalizeTerm('port')}:1`);
  // Other files use the words of the name, as other settings do (`livereload_ignore`, `port`).
  for (let i = 0; i < 6; i++) set(`src/gen/module${i}.ts`, `${normalizeTerm('livereload')}:3 ${normalizeTerm('site')}:9 ${normalizeTerm('config')}:9 ${normalizeTerm('port')}:6`);
  const index = RetrievalIndex.build({ ...data, files });
  const q = 'fix: acknowledge livereload_port from site config too';
  assert.equal(index.rank(q).files[0].path, 'src/gen/module7.ts');
  assert.notEqual(index.rank(q, { ...DEFAULT_WEIGHTS, namedUse: 0 }).files[0].path, 'src/gen/module7.ts');
  // Used in more than a few files, a name points nowhere in particular.
  for (let i = 10; i < 22; i++) set(`src/gen/module${i}.ts`, `${key}:1`);
  const common = RetrievalIndex.build({ ...data, files });
  const scores = (w: Partial<typeof DEFAULT_WEIGHTS>): number[] => common.rank(q, { ...DEFAULT_WEIGHTS, ...w }).files.map((f) => f.score);
  assert.deepEqual(scores({}), scores({ namedUse: 0 }));
});

test('a question about the whole repository sees the overview and the central files, a testing question the test commands', () => {
  const overview = note('architecture:overview', 'architecture', 'Architecture overview of demo', 'Components: http, db, cli.', [['src/cli/main.ts', 1, 3]], { subject: '.', score: 1 });
  const runner = note('test-hook:npm:.', 'test-hook', 'Tests: vitest', 'Run `npm test`.', [['src/cli/main.ts', 1, 1]], { meta: { command: 'npm test' } });
  const card = note('file:src/db/pool.ts', 'file', 'src/db/pool.ts', 'Database connection pool.', [['src/db/pool.ts', 3, 5]], { subject: 'src/db/pool.ts', score: 1 });
  // A file whose name says "project structure" is not what a question about the project's structure asks for.
  const { data } = makeRepo([...SPECS, { path: 'src/config/project-structure.ts', defs: [{ name: 'findProjectRoot', lines: 10 }] }], [overview, runner, card]);
  const index = RetrievalIndex.build(data);
  for (const q of ['How is this project structured?', 'Give me an overview of the architecture', 'What does this project do?', 'Summarize the repository']) {
    const whole = index.rank(q);
    assert.ok(whole.notes.some((n) => n.note.id === 'architecture:overview'), q);
    assert.equal(whole.files[0].path, 'src/db/pool.ts', `the most central file leads: ${q}`);
  }
  assert.equal(index.rank('Where is the project root found?').files[0].path, 'src/config/project-structure.ts');
  const tests = index.rank('How do I run the tests?');
  assert.ok(tests.notes.some((n) => n.note.id === 'test-hook:npm:.'));
  const local = index.rank('Where is the connection acquired?');
  assert.ok(!local.notes.some((n) => n.note.id === 'architecture:overview'), 'a local question is not padded with the overview');
  assert.ok(!index.rank('What does the connection pool do?').notes.some((n) => n.note.id === 'architecture:overview'), 'nor is one about a part');
});

test('"how do I run the tests?" ranks the test command with the best match and packs it, however many test paths a longer note lists', () => {
  const map = note('test-hook:map', 'test-hook', 'Which tests exercise which sources',
    Array.from({ length: 80 }, (_, i) => `- tests/run_${i}.test.ts:1 -> src/run_${i}.ts (the tests run it)`).join('\n'), [['src/db/pool.ts', 1, 1]], { score: 0.7 });
  const runner = note('test-hook:npm:.', 'test-hook', 'Tests: vitest', 'Run the tests with `npm test` (vitest).', [['src/cli/main.ts', 1, 1]], { score: 0.9, meta: { command: 'npm test' } });
  const { data } = makeRepo(SPECS, [map, runner]);
  const ranked = RetrievalIndex.build(data).rank('How do I run the tests?').notes;
  const command = ranked.find((n) => n.note.id === 'test-hook:npm:.')!;
  // Ranked with the best match (by its prior), it is packed before the code spans that would fill the budget.
  assert.ok(command.score >= 0.9 * ranked[0].score - 1e-9, `${command.score} against ${ranked[0].score}`);
  const packed = packContext('How do I run the tests?', data, 700);
  assert.ok(packed.notes.some((n) => n.id === 'test-hook:npm:.'), packed.notes.map((n) => n.id).join(', '));
  assert.match(packed.text, /npm test/);
  // The file that defines the command leads the cited files; a question about a failing test is about the code.
  assert.equal(packed.files[0]?.path, 'src/cli/main.ts', packed.files.map((f) => f.path).join(', '));
  assert.notEqual(RetrievalIndex.build(data).rank('Fix the pool test that fails on timeout').files[0]?.path, 'src/cli/main.ts');
});

test('"how do I run the tests?" lists the files of one test command root first, an example\'s copy last', () => {
  const configs = ['examples/js/setup.cfg', 'examples/js/tests/conftest.py', 'setup.cfg', 'tests/conftest.py'];
  const runner = note('test-hook:pytest:.', 'test-hook', 'Tests: pytest', 'Run the tests with `pytest` (pytest).', configs.map((p) => [p, 1, 1]), { score: 0.9, meta: { command: 'pytest' } });
  const { data } = makeRepo([...SPECS, ...configs.map((path) => ({ path, defs: [] }))], [runner]);
  const files = RetrievalIndex.build(data).rank('How do I run the tests?').files.map((f) => f.path);
  assert.deepEqual(files.slice(0, 4), ['setup.cfg', 'tests/conftest.py', 'examples/js/setup.cfg', 'examples/js/tests/conftest.py']);
});

test('a name nothing in the repository defines or uses points at the file or symbol one edit away from it', () => {
  const specs: FakeFile[] = [
    ...SPECS,
    { path: 'src/gz/gzwrite.ts', defs: [{ name: 'gzputs', lines: 20 }, { name: 'gzprintf', lines: 20 }] },
    { path: 'src/gz/gzread.ts', defs: [{ name: 'gzgets', lines: 20 }, { name: 'interfaceOf', lines: 10, doc: 'The read interface.' }] },
  ];
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const top = (q: string, nearName?: number): string | undefined => index.rank(q, { ...DEFAULT_WEIGHTS, ...(nearName === undefined ? {} : { nearName }) }).files[0]?.path;
  assert.equal(top('Add gzfwrite(), duplicating the interface of fwrite()'), 'src/gz/gzwrite.ts');
  assert.equal(top('Add gzfread(), duplicating the interface of fread()'), 'src/gz/gzread.ts');
  assert.notEqual(top('Add gzfwrite(), duplicating the interface of fwrite()', 0), 'src/gz/gzwrite.ts', 'the near name is what finds it');
  assert.equal(top('Add gzfputs(), a variant of gzputs()'), 'src/gz/gzwrite.ts', 'one edit from a defined symbol counts too');
});

test('a member named through an owner that lacks it points at the owner, not at the other classes that have one', () => {
  const specs: FakeFile[] = [
    ...SPECS,
    { path: 'lib/Node/Param.php', defs: [{ name: 'Param', kind: 'class', lines: 30 }, { name: 'getType', kind: 'method', parent: 'Param', lines: 5 }] },
    { path: 'lib/Node/ClassMethod.php', defs: [{ name: 'ClassMethod', kind: 'class', lines: 40 }, { name: 'isPublic', kind: 'method', parent: 'ClassMethod', lines: 5, doc: 'Whether the visibility is public.' }] },
    { path: 'lib/Node/Property.php', defs: [{ name: 'Property', kind: 'class', lines: 40 }, { name: 'isPublic', kind: 'method', parent: 'Property', lines: 5, doc: 'Whether the visibility is public.' }] },
  ];
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const top = (q: string, newMember?: number): string | undefined =>
    index.rank(q, { ...DEFAULT_WEIGHTS, ...(newMember === undefined ? {} : { newMember }) }).files[0]?.path;
  assert.equal(top('Fix Param::isPublic() for a param with asymmetric visibility'), 'lib/Node/Param.php');
  assert.equal(top('Fix ClassMethod::isPublic() for asymmetric visibility'), 'lib/Node/ClassMethod.php', 'an owner that has it: the member');
  const flask = RetrievalIndex.build(makeRepo([...specs, { path: 'src/flask/app.py', defs: [{ name: 'Flask', kind: 'class', lines: 60 }] }, { path: 'src/flask/helpers.py', defs: [{ name: 'send_file', lines: 30 }] }], []).data);
  assert.equal(flask.rank('type hint fix for flask.send_file').files[0]?.path, 'src/flask/helpers.py', 'a module is no owner: the class `Flask` is not `flask`');
});

test('a question naming a sub-project gets that sub-project\'s test command first, the root\'s otherwise', () => {
  const root = note('test-hook:minitest:.', 'test-hook', 'Tests: minitest', 'Run the tests with `bundle exec rake test` (minitest).', [['src/cli/main.ts', 1, 1]], { score: 0.9, meta: { command: 'bundle exec rake test', cwd: '' } });
  const sub = note('test-hook:rspec:rack-protection', 'test-hook', 'Tests: rspec in rack-protection', 'Run the tests with `cd rack-protection && bundle exec rspec` (rspec).', [['src/db/pool.ts', 1, 1]], { score: 0.45, meta: { command: 'cd rack-protection && bundle exec rspec', cwd: 'rack-protection' } });
  // The map of tests to sources names the sub-project's folder on every line: more words matched than the command.
  const map = note('test-hook:map', 'test-hook', 'Which tests exercise which sources',
    Array.from({ length: 12 }, (_, i) => `- rack-protection/spec/run_${i}_spec.rb:1 -> rack-protection/lib/run_${i}.rb`).join('\n'), [['src/db/pool.ts', 1, 1]], { score: 0.7 });
  const { data } = makeRepo(SPECS, [map, root, sub]);
  const index = RetrievalIndex.build(data);
  assert.equal(index.rank('How do I run the rack-protection tests?').notes[0].note.id, 'test-hook:rspec:rack-protection');
  assert.equal(index.rank('How do I run the tests?').notes[0].note.id, 'test-hook:minitest:.');
});

test('a question about where the program starts gets the entry points its words pick out, else the first few', () => {
  const specs: FakeFile[] = [...SPECS, { path: 'package.json', defs: [] }, { path: 'bin/demo.js', defs: [] }, { path: 'examples/hello/main.ts', defs: [{ name: 'main', lines: 5 }] }];
  const { data } = makeRepo(specs, []);
  const entryPoints: EntryPoint[] = [
    { path: 'src/db/pool.ts', line: 3, kind: 'route', detail: 'GET /pool' },
    { path: 'package.json', line: 5, kind: 'bin', detail: 'bin `demo` = ./bin/demo.js -> `bin/demo.js`', target: 'bin/demo.js' },
    { path: 'examples/hello/main.ts', line: 1, kind: 'main', detail: '`main()`' },
    { path: 'src/cli/main.ts', line: 1, kind: 'main', detail: '`main()`' },
  ];
  const index = RetrievalIndex.build({ ...data, entryPoints });
  const top = (q: string, n = 2): string[] => index.rank(q).files.slice(0, n).map((f) => f.path);
  // The executable a package.json declares is the file it runs; a main function is the program's.
  assert.deepEqual(top('What is the entry point of the command line tool?', 1), ['bin/demo.js']);
  assert.deepEqual(top('Where is the main function of the program?', 1), ['src/cli/main.ts']);
  assert.deepEqual(top('What are the entry points?', 3), ['bin/demo.js', 'src/cli/main.ts', 'src/db/pool.ts']);
  assert.ok(!top('Why does acquireConnection time out?', 5).includes('bin/demo.js'), 'other questions are not about entry points');
  assert.ok(!RetrievalIndex.build(data).rank('What are the entry points?').files.slice(0, 3).some((f) => f.path === 'bin/demo.js'));
  // A topic no entry point names: the question is about that topic, not where the program starts.
  assert.ok(top('Where does the code start?', 3).includes('bin/demo.js'));
  assert.ok(!top('Where does acquiring a connection begin?', 3).includes('bin/demo.js'));
  // Packages that name only a folder enter through their facades, the more central one first.
  const packages: EntryPoint[] = [
    { path: 'a/pom.xml', line: 1, kind: 'package', detail: 'Maven artifact `a`', root: 'src/util', target: 'src/util/strings.ts' },
    { path: 'b/pom.xml', line: 1, kind: 'package', detail: 'Maven artifact `b`', root: 'src/db', target: 'src/db/pool.ts' },
  ];
  const byFacade = RetrievalIndex.build({ ...data, entryPoints: packages, fileRank: { 'src/db/pool.ts': 1, 'src/util/strings.ts': 0.2 } });
  assert.deepEqual(byFacade.rank('What are the entry points?').files.slice(0, 2).map((f) => f.path), ['src/db/pool.ts', 'src/util/strings.ts']);
});

test('a testing question gets the root test command before a sub-project\'s, unless it names the sub-project', () => {
  const root = note('test-hook:gradle:.', 'test-hook', 'Tests: gradle', 'Run the tests with `./gradlew test` (gradle).', [['src/cli/main.ts', 1, 1]], { score: 0.9, meta: { command: './gradlew test' } });
  const nested = note('test-hook:maven:maven-tests', 'test-hook', 'Tests: maven in maven-tests', 'Run the tests with `cd maven-tests && ./mvnw test` (maven).\n\nOther commands: `cd maven-tests && ./mvnw test -Dtest=CLASS`.', [['src/db/pool.ts', 1, 1]], { subject: 'maven-tests', score: 0.45, meta: { command: 'cd maven-tests && ./mvnw test' } });
  const index = RetrievalIndex.build(makeRepo(SPECS, [nested, root]).data);
  const hooks = (q: string): string[] => index.rank(q).notes.filter((n) => n.note.kind === 'test-hook').map((n) => n.note.id);
  assert.deepEqual(hooks('How do I run the tests?'), ['test-hook:gradle:.', 'test-hook:maven:maven-tests']);
  assert.equal(hooks('How do I run the maven-tests with mvnw?')[0], 'test-hook:maven:maven-tests');
});

test('special-token markers in repository text are counted as plain text, never rejected', () => {
  const text = 'const STOP = "<|endoftext|>"; // and <|im_start|> too\n'.repeat(20);
  assert.ok(countTokens(text) > 20);
  const cut = truncateToTokens(text, 30);
  assert.ok(countTokens(cut) <= 30 && cut.length > 0);
});

test('declaration files step back behind the code they describe unless the question is about types', () => {
  const specs: FakeFile[] = [
    { path: 'types/index.d.ts', defs: [{ name: 'mergeConfig', lines: 4 }, { name: 'createClient', lines: 4 }], doc: 'Client config headers.' },
    { path: 'lib/core/defaults.js', defs: [{ name: 'mergeConfig', lines: 30 }] },
    ...SPECS.slice(0, 5),
  ];
  const cards = [
    note('file:types/index.d.ts', 'file', 'types/index.d.ts', 'Declares `mergeConfig` and `createClient`: config headers.', [['types/index.d.ts', 1, 4]], { subject: 'types/index.d.ts' }),
    note('file:lib/core/defaults.js', 'file', 'lib/core/defaults.js', 'Defines `mergeConfig`, which merges the default config into a request config, and many helpers around it.', [['lib/core/defaults.js', 1, 30]], { subject: 'lib/core/defaults.js' }),
  ];
  const index = RetrievalIndex.build(makeRepo(specs, cards).data);
  const top = (q: string): string | undefined => index.rank(q).files[0]?.path;
  // So do their cards.
  assert.equal(index.rank('mergeConfig drops config headers').notes[0]?.note.id, 'file:lib/core/defaults.js');
  assert.equal(top('mergeConfig drops headers when both configs set them'), 'lib/core/defaults.js');
  assert.equal(top('the types of mergeConfig and createClient are wrong'), 'types/index.d.ts');
  assert.equal(top('mergeConfig drops headers in TypeScript projects'), 'lib/core/defaults.js');
  const flat = index.rank('mergeConfig drops headers when both configs set them', { ...DEFAULT_WEIGHTS, declarationFile: 1 });
  assert.equal(flat.files[0]?.path, 'types/index.d.ts', 'without the step back the declaration file, whose doc matches too, would lead');
});

test('a C header steps back before the source file that implements it, unless the question is about headers or macros', () => {
  const ratio = scoreRatioOf(
    { path: 'cJSON.h', defs: [{ name: 'cJSON_SetValuestring', lines: 3, doc: 'Sets the string value of an item; checks overlap.' }] },
    { path: 'cJSON.c', defs: [{ name: 'cJSON_SetValuestring', lines: 30, doc: 'Sets the string value of an item; checks overlap.' }] },
  );
  const step = stepOf(ratio, 'implementedHeader');
  near(step('check overlap before calling strcpy in cJSON_SetValuestring'), 0.5, 'the header gains the factor');
  near(step('the cJSON_SetValuestring macro checks overlap'), 1, 'a question about a macro is about the header');
  assert.ok(DEFAULT_WEIGHTS.implementedHeader < 1);
});

test('a public C header steps back before the sources of other names that define most of its functions', () => {
  const doc = 'Parses a chunk of the document; reports errors.';
  const q = 'XML_Parse reports a wrong error on the last chunk';
  const api = ['XML_Parse', 'XML_ParserCreate', 'XML_SetEncoding'];
  const ratio = scoreRatioOf(
    { path: 'lib/expat.h', defs: api.map((name) => ({ name, lines: 2, doc })) },
    { path: 'lib/xmlparse.c', defs: api.map((name) => ({ name, lines: 30, doc })) },
  );
  near(stepOf(ratio, 'implementedHeader')(q), 0.5, 'the header gains the factor');
  const few = scoreRatioOf(
    { path: 'lib/expat.h', defs: api.slice(0, 2).map((name) => ({ name, lines: 2, doc })) },
    { path: 'lib/xmlparse.c', defs: api.slice(0, 2).map((name) => ({ name, lines: 30, doc })) },
  );
  near(stepOf(few, 'implementedHeader')(q), 1, 'two functions are too few to tell');
  const methods = scoreRatioOf(
    { path: 'include/stream.h', defs: api.map((name) => ({ name, kind: 'method', parent: 'Stream', lines: 2, doc })) },
    { path: 'src/reader.cpp', defs: api.map((name) => ({ name, kind: 'method', parent: 'Reader', lines: 30, doc })) },
  );
  near(stepOf(methods, 'implementedHeader')(q), 1, 'methods of the same names say nothing about who implements whom');
});

test('a header-only library\'s header steps back before the file that implements it (x_inl.hpp, x-inl.h), not that file itself', () => {
  const doc = 'Reads the arguments of the process; splits the command line.';
  const q = 'load_args splits the command line wrongly';
  for (const impl of ['include/CLI/impl/Argv_inl.hpp', 'include/spdlog/argv-inl.h']) {
    const ratio = scoreRatioOf(
      { path: 'include/CLI/Argv.hpp', defs: [{ name: 'load_args', lines: 3, doc }] },
      { path: impl, defs: [{ name: 'load_args', lines: 30, doc }] },
    );
    near(stepOf(ratio, 'implementedHeader')(q), 0.5, `${impl}: the header gains the factor`);
  }
  const alone = scoreRatioOf(
    { path: 'include/CLI/impl/Argv_inl.hpp', defs: [{ name: 'load_args', lines: 30, doc }] },
    { path: 'include/CLI/Option.hpp', defs: [{ name: 'Option', lines: 30, doc }] },
  );
  near(stepOf(alone, 'implementedHeader')(q), 1, 'the implementation file never steps back');
});

test('in a JavaScript project with its own declarations, naming TypeScript is asking about them', () => {
  const specs: FakeFile[] = [
    { path: 'pino.d.ts', defs: [{ name: 'pino', lines: 40 }], doc: 'Logger options and placeholder values.' },
    { path: 'pino.js', defs: [{ name: 'pino', lines: 40, doc: 'Creates a logger; formats placeholder values.' }] },
    { path: 'lib/levels.js', defs: [{ name: 'mapLevel', lines: 10 }] },
  ];
  const { data } = makeRepo(specs, []);
  const asJavaScript = (ts: boolean): RetrievalIndex => {
    for (const fa of data.files.values()) fa.language = fa.path.endsWith('.js') && !ts ? 'javascript' : 'typescript';
    return RetrievalIndex.build(data);
  };
  const top = (index: RetrievalIndex, q: string): string | undefined => index.rank(q).files[0]?.path;
  const js = asJavaScript(false);
  assert.equal(top(js, 'fix: TypeScript regression with placeholder values'), 'pino.d.ts');
  assert.equal(top(js, 'fix: TS regression with placeholder values'), 'pino.d.ts');
  assert.equal(top(js, 'fix: regression with placeholder values'), 'pino.js');
  assert.equal(top(asJavaScript(true), 'fix: TypeScript regression with placeholder values'), 'pino.js', 'a TypeScript project names its language');
});

test('stubs written beside untyped code answer questions about its types; a content type is not one', () => {
  const specs: FakeFile[] = [
    { path: 'src/attr/converters.pyi', defs: [{ name: 'optional', lines: 6 }, { name: 'pipe', lines: 4 }] },
    { path: 'src/attr/converters.py', defs: [{ name: 'optional', lines: 30, doc: 'Converter that lets None through; annotations of the wrapped converter are kept.' }, { name: 'pipe', lines: 20 }] },
    { path: 'src/attr/_make.py', defs: [{ name: 'attrib', lines: 80 }] },
  ];
  const { data } = makeRepo(specs, []);
  for (const fa of data.files.values()) fa.language = 'python';
  const index = RetrievalIndex.build(data);
  const top = (q: string): string | undefined => index.rank(q).files[0]?.path;
  assert.equal(top('Fix type annotations of the optional converter'), 'src/attr/converters.pyi');
  assert.equal(top('Fix the optional converter with None annotations'), 'src/attr/converters.py');
  assert.equal(top('optional converter drops the Content-Type annotations'), 'src/attr/converters.py');
  assert.equal(top('optional converter drops the content type annotations'), 'src/attr/converters.py');
  assert.equal(top('optional converter skips annotations for some file types'), 'src/attr/converters.py');
});

test('a function a C source defines is looked for there, not at its prototype in the header', () => {
  const specs: FakeFile[] = [
    { path: 'include/buf.h', defs: [{ name: 'buf_push', lines: 1 }, { name: 'buf_free', lines: 1 }], doc: 'Byte buffer API: push bytes, grow, free.' },
    { path: 'src/buf.c', defs: [{ name: 'buf_push', lines: 12 }, { name: 'buf_free', lines: 6 }] },
    { path: 'src/main.c', defs: [{ name: 'main', lines: 20 }] },
  ];
  const { data } = makeRepo(specs, []);
  for (const fa of data.files.values()) fa.language = 'c';
  const index = RetrievalIndex.build(data);
  assert.equal(index.rank('buf_push drops bytes when the buffer must grow').files[0]?.path, 'src/buf.c');
  assert.equal(index.rank('buf_push drops bytes when the buffer must grow', { ...DEFAULT_WEIGHTS, namedSymbol: 0 }).files[0]?.path, 'include/buf.h', 'the header matches the words better');
});

test('a how-to question reads what the code does before what may be wrong with it; a bug question the other way round', () => {
  const specs: FakeFile[] = [{ path: 'src/router/linear.ts', defs: [{ name: 'match', lines: 40 }] }, ...SPECS.slice(0, 4)];
  const notes = [
    note('file:src/router/linear.ts', 'file', 'src/router/linear.ts', 'Defines `LinearRouter.match`, which matches a request path against each route in turn.', [['src/router/linear.ts', 1, 40]], { subject: 'src/router/linear.ts' }),
    note('bug:src/router/linear.ts:9', 'bug', 'Shadowed variable in LinearRouter.match', 'In `LinearRouter.match` a `let` shadows the route path being matched.', [['src/router/linear.ts', 9, 9]], { score: 0.6 }),
  ];
  const index = RetrievalIndex.build(makeRepo(specs, notes).data);
  const first = (q: string): string | undefined => index.rank(q).notes[0]?.note.id;
  assert.equal(first('How does the router match a path?'), 'file:src/router/linear.ts');
  assert.equal(first('Why does the router fail to match a path?'), 'bug:src/router/linear.ts:9');
});

test('"fix", or "add" opening a request, says what is wanted, not where: it does not pull in files named after it unless quoted as code', () => {
  assert.equal(withoutIntentWords('fix: keyed each blocks lose focus'), ' : keyed each blocks lose focus');
  assert.equal(withoutIntentWords('Fixed `fixPaths` and the fixture'), '  `fixPaths` and the fixture');
  assert.equal(withoutIntentWords('enum case bug in `BugTracker`'), 'enum case   in `BugTracker`');
  // So does the verb a request opens with; the same word later, or called, may be a method's name.
  assert.equal(withoutIntentWords('Add trove classifier for 3.13').trim(), 'trove classifier for 3.13');
  assert.equal(withoutIntentWords('feat(cli): support json output'), 'feat(cli):   json output');
  assert.equal(withoutIntentWords('Allow idna 3.x'), '  idna 3.x');
  assert.equal(withoutIntentWords('add() drops items'), 'add() drops items');
  assert.equal(withoutIntentWords('Make the header add its value'), 'Make the header add its value');
  const specs: FakeFile[] = [
    { path: 'src/dom/fix-attribute-casing.ts', defs: [{ name: 'fixCasing', lines: 6 }] },
    { path: 'src/dom/each-block.ts', defs: [{ name: 'keyedEach', lines: 30, doc: 'Keyed each blocks.' }] },
    ...SPECS.slice(0, 5),
  ];
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const paths = (q: string): string[] => index.rank(q).files.map((f) => f.path);
  assert.equal(paths('fix: keyed each blocks lose focus')[0], 'src/dom/each-block.ts');
  assert.ok(!paths('fix: keyed each blocks lose focus').includes('src/dom/fix-attribute-casing.ts'));
  assert.equal(paths('where is `fix-attribute-casing` used?')[0], 'src/dom/fix-attribute-casing.ts');
});

/** An index of files `a` and `b` beside a few others: the score of `a` over that of `b` for a question ranked with some weights changed. */
function scoreRatioOf(a: FakeFile, b: FakeFile): (q: string, weights: Partial<typeof DEFAULT_WEIGHTS>) => number {
  const index = RetrievalIndex.build(makeRepo([a, b, ...SPECS.slice(0, 5)], []).data);
  return (q, weights) => {
    const files = index.rank(q, { ...DEFAULT_WEIGHTS, ...weights }).files;
    const score = (p: string): number => files.find((f) => f.path === p)?.score ?? 0;
    return score(a.path) / score(b.path);
  };
}

/** A's lead over B when `weight` is 0.5, over its lead when it is 1: 0.5 when the weight applies to A alone, 1 when to neither. */
function stepOf(ratio: ReturnType<typeof scoreRatioOf>, weight: keyof typeof DEFAULT_WEIGHTS): (q: string) => number {
  return (q) => ratio(q, { [weight]: 0.5 }) / ratio(q, { [weight]: 1 });
}

function near(actual: number, expected: number, message: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message}: ${actual}`);
}

test('a folder the question names lifts the files under it among those that match', () => {
  const ratio = scoreRatioOf(
    { path: 'src/persistence/SubjectExecutor.ts', defs: [{ name: 'executeSave', lines: 20, doc: 'Columns of the entity that are dropped, saved or updated.' }] },
    { path: 'src/query/SelectBuilder.ts', defs: [{ name: 'selectColumns', lines: 20, doc: 'Columns of the entity that are dropped.' }] },
  );
  const lead = (q: string, folderMention: number): number => ratio(q, { folderMention });
  const named = 'columns of the entity are dropped in persistence';
  assert.ok(Math.abs(lead(named, 2) / lead(named, 1) - 2) < 1e-9, 'files under the named folder gain the factor, the others nothing');
  const unnamed = 'columns of the entity are dropped';
  assert.ok(Math.abs(lead(unnamed, 2) - lead(unnamed, 1)) < 1e-9, 'no folder named, no change');
  assert.ok(DEFAULT_WEIGHTS.folderMention > 1);
});

test('a folder named as the scope a commit-style question opens with lifts its files more than one named in passing', () => {
  const ratio = scoreRatioOf(
    { path: 'src/persistence/SubjectExecutor.ts', defs: [{ name: 'executeSave', lines: 20, doc: 'Columns of the entity that are dropped, saved or updated.' }] },
    { path: 'src/query/SelectBuilder.ts', defs: [{ name: 'selectColumns', lines: 20, doc: 'Columns of the entity that are dropped.' }] },
  );
  const step = (q: string): number => ratio(q, { scopeFolder: 4 }) / ratio(q, { scopeFolder: 2 });
  for (const q of ['fix(persistence): columns of the entity are dropped', 'persistence: fix columns of the entity that are dropped', 'feat(persistence)!: drop columns of the entity']) {
    near(step(q), 2, q);
  }
  near(step('columns of the entity are dropped in persistence'), 1, 'a folder named in passing is no scope');
  near(step('fix(query): columns of the entity are dropped'), 1 / 2, 'the scope names the other folder');
  near(step('fix(query/persistence): columns of the entity are dropped'), 1, 'the scope names both');
  near(step('SubjectExecutor: columns of the entity are dropped'), 2, 'the scope names a file');
  near(step('[bugfix] persistence: columns of the entity are dropped'), 2, 'a scope after tags in brackets');
  near(step('[persistence] columns of the entity are dropped'), 1, 'a tag in brackets is no scope');
  const kinds = scoreRatioOf(
    { path: 'src/error/handler.ts', defs: [{ name: 'handleColumns', lines: 20, doc: 'Columns of the entity that are dropped.' }] },
    { path: 'src/query/SelectBuilder.ts', defs: [{ name: 'selectColumns', lines: 20, doc: 'Columns of the entity that are dropped.' }] },
  );
  const pasted = (q: string): number => kinds(q, { scopeFolder: 4 }) / kinds(q, { scopeFolder: 2 });
  near(pasted('Error: columns of the entity are dropped'), 1, 'a pasted error names no scope');
  near(pasted('fix(error): columns of the entity are dropped'), 2, 'a scope in parentheses is one');
  assert.ok(DEFAULT_WEIGHTS.scopeFolder > DEFAULT_WEIGHTS.folderMention);
});

test('a part of one folder\'s compound name calls that folder; a part many folders share does not', () => {
  const specs: FakeFile[] = [
    { path: 'tracing-journald/src/lib.rs', defs: [{ name: 'Layer', lines: 20, doc: 'Sends events to the journal and fixes fields.' }] },
    { path: 'tracing-core/src/field.rs', defs: [{ name: 'Field', lines: 20, doc: 'Fields of events, and fixes for them.' }] },
  ];
  const index = RetrievalIndex.build(makeRepo([...specs, ...SPECS.slice(0, 5)], []).data);
  const ratio = (q: string, folderMention: number): number => {
    const files = index.rank(q, { ...DEFAULT_WEIGHTS, folderMention }).files;
    const score = (p: string): number => files.find((f) => f.path === p)?.score ?? 0;
    return score(specs[0].path) / score(specs[1].path);
  };
  const named = 'fix fields of events in journald';
  assert.ok(Math.abs(ratio(named, 2) / ratio(named, 1) - 2) < 1e-9, 'journald calls tracing-journald');
  const shared = 'fix fields of events in tracing';
  assert.ok(Math.abs(ratio(shared, 2) / ratio(shared, 1) - 1) < 1e-9, 'tracing is every crate\'s');
});

test('vendored code steps back unless the question names its folder', () => {
  const ratio = scoreRatioOf(
    { path: 'third_party/yaml/scanner.ts', defs: [{ name: 'scanTokens', lines: 20, doc: 'Scan tokens of the document.' }] },
    { path: 'src/config/loader.ts', defs: [{ name: 'loadConfig', lines: 20, doc: 'Load tokens of the document.' }] },
  );
  const vendoredOverOwn = (q: string, vendored: number): number => ratio(q, { vendored });
  assert.ok(Math.abs(vendoredOverOwn('tokens of the document are lost', 0.5) / vendoredOverOwn('tokens of the document are lost', 1) - 0.5) < 1e-9);
  assert.ok(DEFAULT_WEIGHTS.vendored < 1);
  const namesIt = 'yaml tokens of the document are lost';
  assert.equal(vendoredOverOwn(namesIt, 0.5), vendoredOverOwn(namesIt, 1), 'the question names the vendored folder');
});

test('retired code (`deprecated/`, `obsolete/`, `old/`) steps back like vendored code; a `legacy/` layer does not', () => {
  const retired = (folder: string): number => stepOf(scoreRatioOf(
    { path: `${folder}/image.c`, defs: [{ name: 'loadImage', lines: 20, doc: 'Load tokens of the image.' }] },
    { path: 'src/image.c', defs: [{ name: 'readImage', lines: 20, doc: 'Read tokens of the image.' }] },
  ), 'vendored')('tokens of the image are lost');
  for (const folder of ['deprecated', 'src/Obsolete', 'old']) near(retired(folder), 0.5, folder);
  near(retired('src/legacy'), 1, 'legacy');
});

test('between files the question matches alike, the larger code file leads: fixes land where the logic is', () => {
  const index = RetrievalIndex.build(makeRepo([
    { path: 'src/alpha.ts', defs: [{ name: 'AlphaMode', kind: 'enum', lines: 4, doc: 'How dates are converted.' }] },
    { path: 'src/beta.ts', defs: [{ name: 'betaValue', lines: 300, doc: 'How dates are converted.' }] },
    { path: 'third_party/gamma.ts', defs: [{ name: 'gammaValue', lines: 3000, doc: 'How dates are converted.' }] },
    ...SPECS.slice(0, 5),
  ], []).data);
  const score = (weights: Partial<typeof DEFAULT_WEIGHTS>, p: string): number =>
    index.rank('dates are converted wrongly', { ...DEFAULT_WEIGHTS, ...weights }).files.find((f) => f.path === p)?.score ?? 0;
  const largeOverSmall = (size: number): number => score({ size }, 'src/beta.ts') / score({ size }, 'src/alpha.ts');
  assert.ok(DEFAULT_WEIGHTS.size > 0);
  assert.ok(largeOverSmall(DEFAULT_WEIGHTS.size) > 1, `ratio ${largeOverSmall(DEFAULT_WEIGHTS.size)}`);
  assert.ok(largeOverSmall(DEFAULT_WEIGHTS.size) > largeOverSmall(0));
  // The prior is relative to the repository's largest code file: the largest file gets 1 + size.
  const rel = largeOverSmall(1) / largeOverSmall(0);
  assert.ok(rel > 1 && rel < 2, `relative gain ${rel}`);
  // Vendored code (like tests, examples and docs) gets no prior, however large; nor does it set the scale.
  assert.equal(score({ size: 1 }, 'third_party/gamma.ts'), score({ size: 0 }, 'third_party/gamma.ts'));
  assert.ok(Math.abs(score({ size: 1 }, 'src/beta.ts') / score({ size: 0 }, 'src/beta.ts') - 2) < 1e-9, 'the largest own file gets 1 + size');
});

test('a large file keeps more content terms, so its rarer words still reach it', () => {
  // 2,001 lines: 676 distinct words used about three times each, and one word used once.
  const lines = Array.from({ length: 2000 }, (_, i) => `value = word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}q`);
  lines.push('ndarray = 1');
  const src = lines.join('\n');
  const cap = contentTermCap(lines.length);
  assert.ok(cap > MAX_CONTENT_TERMS && cap <= 3000);
  assert.equal(contentTermCap(40), MAX_CONTENT_TERMS, 'small files keep the default');
  const has = (terms: string, word: string): boolean => termCounts(terms).some(([t]) => t === normalizeTerm(word));
  assert.equal(has(contentTerms(src, MAX_CONTENT_TERMS), 'ndarray'), false);
  assert.equal(has(contentTerms(src, cap), 'ndarray'), true);
});

test('the offline answer points at the definitions the question matches, methods with their class', () => {
  const specs: FakeFile[] = [
    ...SPECS,
    { path: 'src/core/client.ts', defs: [{ name: 'Client', kind: 'class', lines: 4 }, { name: 'send', kind: 'method', lines: 12, parent: 'Client' }, { name: 'retryDelay', kind: 'method', lines: 20, parent: 'Client' }] },
  ];
  const { data } = makeRepo(specs, NOTES);
  const q = 'why is the retryDelay too long?';
  const packed = packContext(q, RetrievalIndex.build(data), 2000);
  const retry = data.files.get('src/core/client.ts')!.defs.find((d) => d.name === 'retryDelay')!;
  assert.match(offlineAnswer(packed, data.notes, data), new RegExp(`^- \`src/core/client\\.ts:${retry.startLine}\` method \`Client\\.retryDelay\`$`, 'm'));
});

test('a definition is shown as matching for its name, or for two words of its doc, not for one word of its doc', () => {
  const specs: FakeFile[] = [{
    path: 'src/client.ts',
    defs: [
      { name: 'allowSpaces', lines: 5, doc: 'Accept spaces between header names and the colon that follow them.' },
      { name: 'maxHops', lines: 5, doc: 'How many redirect hops to follow at most.' },
      { name: 'redirectPolicy', lines: 5 },
    ],
  }];
  const { data } = makeRepo(specs, []);
  const top = RetrievalIndex.build(data).rank('where are redirects followed').files[0];
  assert.equal(top.path, 'src/client.ts');
  assert.deepEqual(top.defs.map((d) => d.name), ['redirectPolicy', 'maxHops']);
});

test('a question that matches nothing still gets the project\'s own central files, marked as such', () => {
  const { data } = makeRepo(SPECS, NOTES);
  data.fileRank = { 'src/db/pool.ts': 9, 'test/session.test.ts': 8, 'src/http/session.ts': 5, 'src/cli/main.ts': 1 };
  const index = RetrievalIndex.build(data);
  const fallback = index.rank('fix indentation');
  assert.deepEqual(fallback.files.map((f) => f.path).slice(0, 3), ['src/db/pool.ts', 'src/http/session.ts', 'src/cli/main.ts'], 'most central own code first, tests left out');
  assert.ok(fallback.files.every((f) => f.central));
  const packed = packContext('fix indentation', index, 2000);
  assert.ok(packed.unmatched);
  assert.equal(packed.files[0].path, 'src/db/pool.ts');
  assert.match(offlineAnswer(packed, data.notes, data), /Nothing in the notes matches this question; these are the project's central files\.\n\n\*\*Central files\*\*\n- `src\/db\/pool\.ts:\d+`/);

  const matched = index.rank('camelize');
  assert.equal(matched.files[0].path, 'src/util/strings.ts');
  assert.ok(!matched.files[0].central);
  const central = matched.files.filter((f) => f.central);
  assert.deepEqual(central.map((f) => f.path), ['src/db/pool.ts', 'src/http/session.ts', 'src/cli/main.ts'], 'a short ranking is topped up with central own files');
  const lowestMatched = Math.min(...matched.files.filter((f) => !f.central).map((f) => f.score));
  assert.ok(central.every((f) => f.score < lowestMatched), 'central files follow every matched file');
  assert.ok(!packContext('camelize', index, 2000).unmatched);
});

test('a member named through its owner (`Mock::poll_write`, `Response.elapsed`) finds that owner\'s definition', () => {
  assert.deepEqual(qualifiedNames('io: fix race in `Mock::poll_write`, see Response.elapsed, User#save, $db->query and e.g. this'),
    [['Mock', 'poll_write'], ['Response', 'elapsed'], ['User', 'save'], ['db', 'query']]);
  const writers = ['src/io/stdout.ts', 'src/io/file.ts', 'src/io/socket.ts', 'testing/mock.ts'].map((p, i): FakeFile => ({
    path: p, defs: [{ name: i === 3 ? 'Mock' : `Writer${i}`, kind: 'class', lines: 3 }, { name: 'poll_write', kind: 'method', lines: 12, parent: i === 3 ? 'Mock' : `Writer${i}` }],
  }));
  const { data } = makeRepo(writers, []);
  const top = (q: string): string => RetrievalIndex.build(data).rank(q).files[0].path;
  assert.equal(top('fix race in `Mock::poll_write`'), 'testing/mock.ts');
  const ranked = RetrievalIndex.build(data).rank('fix race in `Mock::poll_write`').files[0];
  assert.equal(ranked.defs[0].name, 'poll_write', 'the member itself is the definition to show');
  assert.equal(ranked.defs[0].parent, 'Mock');
});

test('a file named after a compound identifier the question names holds it (`TypedPath` -> typed_path.rs); not a test so named, nor a one-word name', () => {
  const specs: FakeFile[] = [
    // The trait is defined in one file, the code that expands it in another named after it.
    { path: 'extra/routing/typed.rs', defs: [{ name: 'TypedPath', kind: 'interface', lines: 20 }, { name: 'Errors', kind: 'class', lines: 20 }] },
    { path: 'macros/typed_path.rs', defs: [{ name: 'expand', lines: 20 }] },
    { path: 'tests/typed_path.rs', defs: [{ name: 'roundtrip', lines: 20 }] },
    { path: 'src/errors.rs', defs: [{ name: 'report', lines: 20 }] },
    { path: 'src/other.rs', defs: [{ name: 'unrelated', lines: 20 }] },
  ];
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const order = (q: string): string[] => index.rank(q).files.map((f) => f.path);
  const ranked = order('fix: silence lint in `TypedPath` macro expansions');
  assert.equal(ranked[0], 'macros/typed_path.rs');
  assert.ok(ranked.indexOf('tests/typed_path.rs') > ranked.indexOf('extra/routing/typed.rs'), 'a test named after it does not hold it');
  assert.ok(order('why is `typed_path` slow').indexOf('macros/typed_path.rs') < order('why is `typed_path` slow').indexOf('tests/typed_path.rs'));
  assert.equal(order('record panics in c.Errors')[0], 'extra/routing/typed.rs', 'one word names a symbol, not a file');
});

test('a file named by plain words in a row is the file the question means ("the question helper" -> QuestionHelper.php), not one matching a word or two', () => {
  const specs: FakeFile[] = [
    { path: 'src/Helper/QuestionHelper.php', defs: [{ name: 'ask', lines: 20 }] },
    { path: 'src/Helper/Helper.php', defs: [{ name: 'formatSection', lines: 20 }] },
    { path: 'src/Question/Question.php', defs: [{ name: 'isHidden', lines: 20 }] },
    { path: 'tests/Helper/QuestionHelperTest.php', defs: [{ name: 'testAsk', lines: 20 }] },
  ];
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const top = (q: string, weights?: Partial<RankWeights>): string => index.rank(q, { ...DEFAULT_WEIGHTS, ...weights }).files[0].path;
  const question = "the question helper's default value is always used";
  assert.equal(top(question), 'src/Helper/QuestionHelper.php');
  assert.equal(top(question, { namedPhrase: 0 }), 'src/Question/Question.php', 'without the phrase, the words alone point elsewhere');
  const apart = 'the helper asks the question; its default value is always used';
  const score = (weights: Partial<RankWeights>): number | undefined =>
    index.rank(apart, { ...DEFAULT_WEIGHTS, ...weights }).files.find((f) => f.path === 'src/Helper/QuestionHelper.php')?.score;
  assert.equal(score({}), score({ namedPhrase: 0 }), 'words apart name no file');
});

test("an index updated from the last snapshot's ranks as one built afresh (an editor's question after an edit)", () => {
  const notesBefore = [
    note('arch:overview', 'architecture', 'Architecture overview', 'Sessions follow redirects; the pool hands out connections.', [['src/http/session.ts', 1, 5]], { subject: '.' }),
    note('bug:pool', 'bug', 'Connection leak in acquireConnection', 'The connection is not released on error.', [['src/db/pool.ts', 12, 20]]),
    note('file:src/util/strings.ts', 'file', 'src/util/strings.ts', 'Defines camelize and snakeCase.', [['src/util/strings.ts', 1, 1]], { subject: 'src/util/strings.ts' }),
  ];
  const before = makeRepo(SPECS, notesBefore).data;
  // The edit: the bug note now speaks of timeouts, the strings card is gone, a new file defines `retryPolicy`.
  const notesAfter = [notesBefore[0], { ...notesBefore[1], body: 'A timeout leaves the connection checked out forever.' }];
  const after = makeRepo([...SPECS.filter((s) => s.path !== 'src/util/strings.ts'), { path: 'src/http/retry.ts', defs: [{ name: 'retryPolicy', lines: 12, doc: 'Retries with backoff.' }] }], notesAfter).data;
  const previous = RetrievalIndex.build(before);
  previous.rank('how are redirects followed?');
  const updated = RetrievalIndex.build(after, undefined, previous);
  const fresh = RetrievalIndex.build(after);
  assert.equal(fresh.tokenized, after.notes.length + after.files.size);
  assert.equal(updated.tokenized, 2, 'only the changed note and the new file are tokenized again');
  for (const q of ['connection timeout', 'camelize strings', 'retry backoff policy', 'how are redirects followed?', 'acquireConnection leak']) {
    const view = (r: Ranking) => ({ files: r.files.map((f) => [f.path, f.score.toFixed(6)]), notes: r.notes.map((n) => [n.note.id, n.score.toFixed(6)]) });
    assert.deepEqual(view(updated.rank(q)), view(fresh.rank(q)), q);
  }
  assert.ok(!updated.rank('camelize strings').files.some((f) => f.path === 'src/util/strings.ts'), 'a removed file is gone');
  assert.equal(updated.rank('connection timeout').notes[0]?.note.id, 'bug:pool', 'a changed note is found by its new words');
});

test('quotedPhrases takes quoted text of three words or more and a pasted error, not apostrophes', () => {
  assert.deepEqual(quotedPhrases(`why does it throw 'returned a new value' when "two words" fail`), [['returned', 'a', 'new', 'value']]);
  assert.deepEqual(quotedPhrases("it doesn't work when it's done"), []);
  assert.deepEqual(quotedPhrases('I get TypeError: Cannot read properties of undefined'), [['Cannot', 'read', 'properties', 'of', 'undefined']]);
});

test('a question quoting an error message finds the file that holds it word for word, at its definition', () => {
  const file = (path: string, name: string, body: string[]): [string, string, FileAnalysis] => {
    const text = [`export function ${name}(draft) {`, ...body, '}', ''].join('\n');
    return [path, text, {
      path, language: 'typescript', hash: 'h', bytes: text.length, lines: body.length + 2, terms: contentTerms(text),
      defs: [{ name, kind: 'function', startLine: 1, endLine: body.length + 2, exported: true }], refs: [], imports: [], bugs: [],
    }];
  };
  const repo = [
    file('src/produce.ts', 'produce', ['  // produce returns a new value or the modified draft', '  const value = recipe(draft);', '  return value ?? draft;']),
    file('src/finalize.ts', 'finalize', ['  // a new value replaces the draft', '  if (value !== draft) return value;', '  return modified(draft);']),
    file('src/errors.ts', 'die', ['  const messages = [', '    "An immer producer returned a new value *and* modified its draft.",', '    `Unable to create converter for ${draft}`,', '  ];', '  throw new Error(messages[draft]);']),
    ...Array.from({ length: 6 }, (_, i) => file(`src/other${i}.ts`, `helper${i}`, ['  // new value of the draft', '  return draft;'])),
  ];
  const data: RetrievalData = {
    notes: [], files: new Map(repo.map(([p, , fa]) => [p, fa])), readText: (p) => repo.find(([q]) => q === p)?.[1],
  };
  const index = RetrievalIndex.build(data);
  const ranked = index.rank("why does produce throw 'returned a new value and modified its draft'?").files;
  assert.equal(ranked[0].path, 'src/errors.ts');
  assert.equal(ranked[0].defs[0]?.name, 'die');
  // A message built from pieces is found by its longest quoted start.
  assert.equal(index.rank('what raises "Unable to create converter for class Foo"').files[0].path, 'src/errors.ts');
});

test('"where is X thrown?" reaches the code that throws it, and quotes the lines that do', () => {
  const file = (path: string, defs: [string, string[]][]): [string, string, FileAnalysis] => {
    const lines: string[] = [];
    const out: FileAnalysis['defs'] = [];
    for (const [name, body] of defs) {
      out.push({ name, kind: name.endsWith('Exception') ? 'class' : 'method', startLine: lines.length + 1, endLine: lines.length + body.length + 2, exported: true });
      lines.push(`  void ${name}() {`, ...body, '  }');
    }
    const text = lines.join('\n') + '\n';
    return [path, text, { path, language: 'java', hash: 'h', bytes: text.length, lines: lines.length, terms: contentTerms(text), defs: out, refs: [], imports: [], bugs: [] }];
  };
  const repo = [
    file('src/AmbiguousOptionException.java', [['AmbiguousOptionException', ['    // the long option matches several options', '    super(option);']]]),
    file('src/DefaultParser.java', [
      ['handleLongOptionWithEqual', ['    // a long option with a value: --name=value; no exception is thrown, never ambiguous', '    String value = token.substring(pos + 1);', '    handleOption(option, value);']],
      ['handleLongOptionWithoutEqual', ['    List<String> matching = options.getMatchingOptions(token);', '    if (matching.size() > 1) {', '      throw new AmbiguousOptionException(token, matching);', '    }']],
    ]),
    ...Array.from({ length: 6 }, (_, i) => file(`src/Option${i}.java`, [[`describe${i}`, ['    // a long option of the parser, ambiguous or thrown', '    return option;']]])),
  ];
  const data: RetrievalData = { notes: [], files: new Map(repo.map(([p, , fa]) => [p, fa])), readText: (p) => repo.find(([q]) => q === p)?.[1] };
  const q = 'where is AmbiguousOptionException thrown for a long option?';
  const index = RetrievalIndex.build(data);
  const parserScore = (question: string, namedUse: number): number => index.rank(question, { ...DEFAULT_WEIGHTS, namedUse }).files.find((f) => f.path === 'src/DefaultParser.java')!.score;
  assert.ok(parserScore(q, DEFAULT_WEIGHTS.namedUse) > parserScore(q, 0), 'the file using the name gains, as for a name nothing defines');
  const plain = 'how is AmbiguousOptionException made for a long option?';
  assert.equal(parserScore(plain, DEFAULT_WEIGHTS.namedUse), parserScore(plain, 0), 'unless the question asks where it is used');
  const packed = packContext(q, index, 2000);
  assert.deepEqual(packed.files.slice(0, 2).map((f) => f.path).sort(), ['src/AmbiguousOptionException.java', 'src/DefaultParser.java']);
  const spans = packed.spans.filter((sp) => sp.path === 'src/DefaultParser.java');
  assert.ok(spans[0] && spans[0].startLine > 5 - 2 && spans[0].endLine >= 8, 'handleLongOptionWithoutEqual (lines 6-11), where the throw is, before its sibling');
});

test('a question about an example prefers examples, samples and snippets; others prefer the project code', () => {
  const { data } = makeRepo([
    { path: 'src/retry/strategy.ts', defs: [{ name: 'retryStrategy', lines: 40, doc: 'Retries a failed call with backoff.' }], refs: ['shouldHandle'] },
    { path: 'src/retry/options.ts', defs: [{ name: 'shouldHandle', lines: 12 }] },
    { path: 'src/Snippets/Docs/retry.ts', defs: [{ name: 'retryDemo', lines: 10 }], refs: ['retryStrategy'] },
  ], []);
  const index = RetrievalIndex.build(data);
  assert.equal(index.rank('Fix the retry strategy example').files[0].path, 'src/Snippets/Docs/retry.ts');
  assert.equal(index.rank('Fix the retry strategy backoff').files[0].path, 'src/retry/strategy.ts');
});

/** A file of `lines` with one definition per `[name, kind]` at the line that names it, and its content terms. */
function textFile(path: string, lines: string[], defs: [string, string, string?][] = []): [string, string, FileAnalysis] {
  const text = lines.join('\n') + '\n';
  const out = defs.map(([name, kind, parent]) => {
    const line = lines.findIndex((l) => l.includes(name)) + 1;
    return { name, kind, startLine: line, endLine: line, exported: true, ...(parent && { parent }) };
  });
  return [path, text, { path, language: 'typescript', hash: 'h', bytes: text.length, lines: lines.length, terms: contentTerms(text), defs: out, refs: [], imports: [], bugs: [] }];
}

function indexOf(repo: [string, string, FileAnalysis][]): RetrievalIndex {
  return RetrievalIndex.build({ notes: [], files: new Map(repo.map(([p, , fa]) => [p, fa])), readText: (p) => repo.find(([q]) => q === p)?.[1] });
}

test('withoutCredits drops who reported or sent a change and the tracker item, and keeps what the change is about', () => {
  assert.equal(withoutCredits("Don't notify clients with CLIENT_EXIT, GitHub issue 5357 from Ben Maurer.").trim(), "Don't notify clients with CLIENT_EXIT,");
  assert.equal(withoutCredits('Quote session names, reported by Aliz Hammond.').trim(), 'Quote session names,');
  assert.equal(withoutCredits('Add a flag, from Jane Doe in GitHub issue 12 and 14. Thanks to @jdoe for the test.').replace(/\s+/g, ' ').trim(), 'Add a flag, . for the test.');
  assert.equal(withoutCredits('Fix Error from Connection when reading\n\nSigned-off-by: A B <a@b.c>').trim(), 'Fix Error from Connection when reading');
});

test('a credited name or tracker in a question does not pull in the file that happens to hold it', () => {
  const repo = [
    textFile('src/control-notify.ts', ['export function notifyClients(clients) {', '  // send the notifications to every client that is not exiting', '  for (const c of clients) if (!c.exiting) c.notify();', '}'], [['notifyClients', 'function']]),
    textFile('src/hyperlinks.ts', ['// Copyright (c) 2022 Ben Maurer', '// OSC 8 hyperlinks, described at https://gist.github.com/egmontkob', 'export function hyperlinkPut(tree, uri) {', '  return tree.insert(uri);', '}'], [['hyperlinkPut', 'function']]),
    ...Array.from({ length: 8 }, (_, i) => textFile(`src/cmd${i}.ts`, [`export function cmd${i}(client) {`, '  return client.send(args);', '}'], [[`cmd${i}`, 'function']])),
  ];
  const ranked = indexOf(repo).rank("Don't bother to send notifications to clients with CLIENT_EXIT, GitHub issue 5357 from Ben Maurer.").files;
  assert.equal(ranked[0].path, 'src/control-notify.ts');
  assert.ok(!ranked.some((f) => f.path === 'src/hyperlinks.ts'), 'nothing else of the question is in the file that names the reporter');
});

test('a TypeScript file of only interfaces and type aliases steps back, unless the question is about types', () => {
  const repo = [
    textFile('src/types/options.ts', [
      'export type Attempts = number;',
      'export interface Options {',
      '  /** How many times a failed request is retried: the retry count. */',
      '  retryCount?: Attempts;',
      '}',
    ], [['Attempts', 'type'], ['Options', 'interface']]),
    textFile('src/core/client.ts', [
      'export class Client {',
      '  retry(request) {',
      '    if (this.attempts < this.options.retryCount) return this.fetch(request);',
      '  }',
      '}',
    ], [['Client', 'class'], ['retry', 'method']]),
    ...Array.from({ length: 6 }, (_, i) => textFile(`src/util${i}.ts`, [`export function util${i}(input) {`, '  return input;', '}'], [[`util${i}`, 'function']])),
  ];
  const index = indexOf(repo);
  assert.equal(index.rank('Fix the `retryCount` option retrying an incorrect amount').files[0].path, 'src/core/client.ts');
  assert.equal(index.rank('Fix the type of the `retryCount` option').files[0].path, 'src/types/options.ts');
});

test('a file of interfaces alone steps back behind the code that does the work, unless the question is about types', () => {
  const [ip, it, iface] = textFile('src/IProfileExpression.cs', [
    'namespace AutoMapper {',
    '  /// <summary>Configuration for profile-specific maps</summary>',
    '  public interface IProfileExpression {',
    '    /// <summary>Recognize prefixes to be removed from source member names when matching</summary>',
    '    void RecognizePrefixes(params string[] prefixes);',
    '    /// <summary>Provide an alias for a member name when matching source member names</summary>',
    '    void RecognizeAlias(string original, string alias);',
    '  }',
    '}',
  ], [['AutoMapper', 'module'], ['IProfileExpression', 'interface', 'AutoMapper'], ['RecognizePrefixes', 'method', 'IProfileExpression'], ['RecognizeAlias', 'method', 'IProfileExpression']]);
  iface.language = 'csharp';
  iface.defs[2].doc = 'Recognize prefixes to be removed from source member names when matching';
  iface.defs[3].doc = 'Provide an alias for a member name when matching source member names';
  const [cp, ct, details] = textFile('src/TypeDetails.cs', [
    'public class TypeDetails {',
    '  private MemberInfo[] BuildReadAccessors() {',
    '    // properties, then methods, of the source type',
    '    return properties.Concat(methods).ToArray();',
    '  }',
    '}',
  ], [['TypeDetails', 'class'], ['BuildReadAccessors', 'method', 'TypeDetails']]);
  details.language = 'csharp';
  const repo: [string, string, FileAnalysis][] = [
    [ip, it, iface], [cp, ct, details],
    ...Array.from({ length: 6 }, (_, i) => textFile(`src/Util${i}.cs`, [`class Util${i} {`, '  void Run() {}', '}'], [[`Util${i}`, 'class']])),
  ];
  const index = indexOf(repo);
  assert.equal(index.rank('prefer properties over methods when matching source members').files[0].path, 'src/TypeDetails.cs');
  assert.equal(index.rank('the types of source members when matching names').files[0].path, 'src/IProfileExpression.cs');
});

test('a name the question mentions first counts more than one it mentions later', () => {
  const middleware = (name: string): [string, string, FileAnalysis] =>
    textFile(`lib/rack/${name.toLowerCase()}.rb`, ['module Rack', `  class ${name}`, '    def call(env)', '      serve(env)', '    end', '  end', 'end'], [['Rack', 'module'], [name, 'class', 'Rack'], ['call', 'method', name]]);
  const repo = [middleware('Static'), middleware('Directory'), ...Array.from({ length: 6 }, (_, i) => textFile(`lib/rack/util${i}.rb`, [`def util${i}(x)`, '  x', 'end'], [[`util${i}`, 'function']]))];
  const index = indexOf(repo);
  assert.equal(index.rank('Fix root prefix bug in Rack::Static. This is similar to the fix for Rack::Directory.').files[0].path, 'lib/rack/static.rb');
  assert.equal(index.rank('Fix root prefix bug in Rack::Directory. This is similar to the fix for Rack::Static.').files[0].path, 'lib/rack/directory.rb');
});

test('a method named in a question ranks the class that implements it above the interface that declares it', () => {
  const repo = [
    textFile('src/Connection.java', [
      'public interface Connection {',
      '  interface KeyVal {',
      '    /** Sets the input stream to upload; validation: the stream must not be null. */',
      '    KeyVal inputStream(InputStream inputStream);',
      '    /** Validates the key and value of this input stream parameter. */',
      '    boolean hasInputStream();',
      '  }',
      '}',
    ], [['Connection', 'interface'], ['KeyVal', 'interface', 'Connection'], ['inputStream', 'method', 'KeyVal'], ['hasInputStream', 'method', 'KeyVal']]),
    textFile('src/helper/HttpConnection.java', [
      'public class HttpConnection implements Connection {',
      '  public static class KeyVal implements Connection.KeyVal {',
      '    public KeyVal inputStream(InputStream stream) {',
      '      this.stream = stream;',
      '      return this;',
      '    }',
      '  }',
      '}',
    ], [['HttpConnection', 'class'], ['KeyVal', 'class', 'HttpConnection'], ['inputStream', 'method', 'KeyVal']]),
    ...Array.from({ length: 6 }, (_, i) => textFile(`src/Util${i}.java`, [`class Util${i} {`, '  void run() {}', '}'], [[`Util${i}`, 'class']])),
  ];
  const index = indexOf(repo);
  assert.equal(index.rank('Fix `KeyVal.inputStream` validation').files[0].path, 'src/helper/HttpConnection.java');
  assert.equal(index.rank('Fix `inputStream` validation').files[0].path, 'src/helper/HttpConnection.java');
  // Only the interface names it: nothing implements it elsewhere, so it keeps its full credit.
  assert.equal(index.rank('Fix `hasInputStream` validation').files[0].path, 'src/Connection.java');
});

test('a banner that heads every file\'s comment is not what the file is about; what a file adds after it is', () => {
  const banner = '⚡️ Acme is a web framework inspired by Express 🤖 GitHub Repository: https://github.com/acme/acme';
  const specs: FakeFile[] = ['app', 'ctx', 'router', 'group', 'mount', 'listen'].map((name) => ({
    path: `${name}.go`, defs: [{ name: `${name}Handler`, lines: 8 }],
    doc: name === 'router' ? `${banner} ⚠️ This tree of routes was inspired by urlpath` : banner,
  }));
  specs.push({ path: 'compat/express.go', defs: [{ name: 'adapt', lines: 8 }], doc: 'Adapts Express style middleware.' });
  const index = RetrievalIndex.build(makeRepo(specs, []).data);
  const ranked = index.rank('middleware written for express').files.map((f) => f.path);
  assert.equal(ranked[0], 'compat/express.go');
  assert.ok(!ranked.includes('app.go'), ranked.join(' '));
  assert.equal(index.rank('tree of routes inspired by urlpath').files[0]?.path, 'router.go');
});

test('namedTypes takes the capitalized words that are, case for case, a type the repository defines, not those opening a sentence or in a [Tag]', () => {
  const types = new Set(['Metaphone', 'Parser', 'Yaml', 'Fix']);
  assert.deepEqual(namedTypes('Fix transform of CH according to Metaphone rules', types), ['Metaphone']);
  assert.deepEqual(namedTypes('[Yaml] Fix the parser. Parser drops a key', types), []);
  assert.deepEqual(namedTypes('the metaphone rules; see the Parser, not Yaml::parse', types), ['Parser']);
});

test('a capitalized word that is the name of a class counts as naming it: the class ranks above a file that only talks about it', () => {
  const repo = [
    textFile('language/Metaphone.java', [
      'public class Metaphone {',
      '  public String encode(String txt) {',
      '    if (txt.startsWith("CH")) return "X";',
      '    return txt;',
      '  }',
      '}',
    ], [['Metaphone', 'class'], ['encode', 'method', 'Metaphone']]),
    textFile('language/DoubleMetaphone.java', [
      '/** Encodes a string with the Double Metaphone algorithm: unlike the basic Metaphone, its rules keep two codes. */',
      'public class DoubleMetaphone {',
      '  /** Applies the metaphone rules of a CH digraph: transform it as the basic rules say. */',
      '  private int handleCH(String value, int index) {',
      '    return index + 2; // the metaphone transform of CH',
      '  }',
      '}',
    ], [['DoubleMetaphone', 'class'], ['handleCH', 'method', 'DoubleMetaphone']]),
    ...Array.from({ length: 6 }, (_, i) => textFile(`language/Codec${i}.java`, [`public class Codec${i} {`, '  public String encode(String s) { return s; }', '}'], [[`Codec${i}`, 'class']])),
  ];
  assert.equal(indexOf(repo).rank('Fix incorrect transform of CH digraph according to Metaphone basic rules').files[0].path, 'language/Metaphone.java');
});

test('a capitalized word that names a class used all over the code counts as no more than the word: `Context` in a web framework', () => {
  const repo = [
    textFile('src/Context.java', ['public class Context {', '  String path;', '}'], [['Context', 'class']]),
    textFile('src/Router.java', [
      'public class Router {',
      '  /** Routes a request: transform the path into its route; an empty path routes to the root. */',
      '  public Route route(Context c) {',
      '    if (c.path.isEmpty()) return root; // an empty path transform',
      '    return routes.get(transform(c.path));',
      '  }',
      '  /** Transform a path into the key of its routes: an empty segment is dropped. */',
      '  String transform(String path) { return path.isEmpty() ? "/" : path; }',
      '}',
    ], [['Router', 'class'], ['route', 'method', 'Router']]),
    ...Array.from({ length: 11 }, (_, i) => textFile(`src/Handler${i}.java`, [`public class Handler${i} {`, '  void handle(Context c) { c.send(); }', '}'], [[`Handler${i}`, 'class']])),
  ];
  const index = indexOf(repo);
  const scores = (q: string): string[] => index.rank(q).files.map((f) => `${f.path} ${f.score.toFixed(6)}`);
  assert.deepEqual(scores('Fix the transform of routes when the path of the Context is empty'), scores('Fix the transform of routes when the path of the context is empty'));
});

test('a word in most files (the project\'s own name) does not pull in the file named after it', () => {
  const php = (name: string, body: string[], defs: [string, string, string?][]): [string, string, FileAnalysis] =>
    textFile(`${name}.php`, ['namespace Symfony\\Component\\Yaml;', ...body], defs);
  const repo = [
    php('Yaml', ['/** Yaml offers convenience methods to load and dump YAML. */', 'class Yaml {', '  public static function parse($input) { return (new Parser())->parse($input); }', '}'], [['Yaml', 'class'], ['parse', 'method', 'Yaml']]),
    php('Inline', ['/** Inline implements a YAML parser for the inline notation. */', 'class Inline {', '  private static function evaluateScalar($scalar) {', '    // a date with sub-second precision: parse its microseconds', '    return self::parseDate($scalar, "U.u");', '  }', '  /** Parses dates and timestamps, the sub-second part too. */', '  private static function parseDate($date, $format) { return \\DateTime::createFromFormat($format, $date); }', '}'], [['Inline', 'class'], ['evaluateScalar', 'method', 'Inline'], ['parseDate', 'method', 'Inline']]),
    ...['Parser', 'Dumper', 'Escaper', 'Unescaper', 'Lint', 'Tag', 'Reference', 'Mapping', 'Sequence', 'Scalar'].map((n) =>
      php(n, [`/** The ${n} of a YAML document. */`, `class ${n} {`, '  public function run($value) { return $value; }', '}'], [[n, 'class']])),
  ];
  assert.equal(indexOf(repo).rank('[Yaml] Fix parsing sub-second dates').files[0].path, 'Inline.php');
});

test("the project's name, in most files, is no word of the question: \"SLF4J-515\" in slf4j", () => {
  const java = (path: string, body: string[], defs: [string, string, string?][]): [string, string, FileAnalysis] =>
    textFile(path, [`package org.slf4j.${path.split('/')[0]};`, ...body], defs);
  const repo = [
    java('bridge/SLF4JBridgeHandler.java', [
      '/** Bridges JUL to SLF4J: each record goes to the SLF4J logger of its name, so SLF4J decides, as if SLF4J had logged it. */',
      'class SLF4JBridgeHandler {', '  void publish(Record r) { getSLF4JLogger(r).log(r); }', '}',
    ], [['SLF4JBridgeHandler', 'class'], ['publish', 'method', 'SLF4JBridgeHandler']]),
    java('helpers/MarkerFormatter.java', ['/** Formats the markers of a logging event for output. */', 'class MarkerFormatter {', '  String format(Marker m) { return m.getName(); }', '}'],
      [['MarkerFormatter', 'class'], ['format', 'method', 'MarkerFormatter']]),
    ...Array.from({ length: 10 }, (_, i) => java(`impl/Logger${i}.java`, [`class Logger${i} {`, '  void info(String s) { write(s); }', '}'], [[`Logger${i}`, 'class']])),
  ];
  const overview = note('architecture:overview', 'architecture', 'Architecture overview of slf4j-parent', '# Architecture overview: slf4j-parent', [['impl/Logger0.java', 1, 2]]);
  const fileRank = { 'impl/Logger0.java': 1, 'helpers/MarkerFormatter.java': 0.5 };
  const index = RetrievalIndex.build({ notes: [overview], files: new Map(repo.map(([p, , fa]) => [p, fa])), readText: (p) => repo.find(([q]) => q === p)?.[1], fileRank });
  const top = (q: string): string[] => index.rank(q).files.slice(0, 2).map((f) => f.path);
  assert.deepEqual(top('SLF4J markers are lost'), ['helpers/MarkerFormatter.java', 'impl/Logger0.java'], 'the file that says the name most is not pulled in');
  assert.deepEqual(top('fix SLF4J-515'), ['impl/Logger0.java', 'helpers/MarkerFormatter.java'], 'nothing left to match: the central files');
  assert.equal(index.rank('How does the `SLF4J` bridge publish a record?').files[0].path, 'bridge/SLF4JBridgeHandler.java', 'quoted, the name counts');
});

test('notes about the files a question points at come before broad notes its words merely touch, and show the lines it asks about', () => {
  const broad = note('architecture:component:src', 'architecture', 'Component src', 'Redirects: redirect handling, redirect follow-ups and follow rules across src.\nKey file `src/cli/main.ts:3`.',
    [['src/cli/main.ts', 3, 22], ['src/db/pool.ts', 3, 12], ['src/db/query.ts', 3, 14]], { score: 1 });
  const card = note('file:src/http/session.ts', 'file', 'src/http/session.ts',
    'typescript, 40 lines.\nDefines:\n- class `Session` (`src/http/session.ts:3`)\n- function `resolveRedirects` (`src/http/session.ts:8`): Follow redirect responses.',
    [['src/http/session.ts', 3, 7]], { subject: 'src/http/session.ts', score: 0.6 });
  const { data } = makeRepo(SPECS, [broad, card]);
  const q = 'how are redirects followed?';
  const index = RetrievalIndex.build(data);
  const ranking = index.rank(q);
  assert.equal(ranking.files[0].path, 'src/http/session.ts');
  assert.deepEqual(ranking.notes.map((n) => n.note.id), [card.id, broad.id]);
  const answer = offlineAnswer(packContext(q, index, 2000), data.notes, data);
  assert.match(answer, /\*\*From the notes\*\*\n- \[file\] \*\*src\/http\/session\.ts\*\* \(`src\/http\/session\.ts:3`\)\n {2}function `resolveRedirects` \(`src\/http\/session\.ts:8`\): Follow redirect responses\.\n/);
});

test('code from a file with Windows line endings is quoted without carriage returns', () => {
  const { data, texts } = makeRepo([{ path: 'src/retry.ts', defs: [{ name: 'retryDelay', lines: 6 }] }], []);
  texts.set('src/retry.ts', texts.get('src/retry.ts')!.replace(/\n/g, '\r\n'));
  const packed = packContext('how is the retryDelay computed?', RetrievalIndex.build(data), 2000);
  assert.ok(packed.spans.some((sp) => sp.path === 'src/retry.ts'));
  assert.match(packed.text, /export function retryDelay\(input\) \{\n/);
  assert.doesNotMatch(packed.text, /\r/);
  assert.doesNotMatch(offlineAnswer(packed, data.notes, data), /\r/);
});

test('a question that reads like past commits points at the files they changed, and one that does not is left alone', () => {
  const { data } = makeRepo(SPECS, []);
  data.pastCommits = [
    { subject: 'Fix mypy issues with the latest release', files: ['src/util/strings.ts', 'src/cli/main.ts'] },
    { subject: 'Add pool timeout', files: ['src/db/pool.ts'] },
    { subject: 'Style fixes', files: ['src/http/session.ts'] },
    ...Array.from({ length: 30 }, (_, i) => ({ subject: `Tidy module ${i}`, files: [`src/gen/module${i}.ts`] })),
  ];
  const ranked = (q: string): string[] => RetrievalIndex.build(data).rank(q).files.map((f) => f.path);
  assert.deepEqual(ranked('Fix mypy issues').slice(0, 2).sort(), ['src/cli/main.ts', 'src/util/strings.ts']);
  const without = RetrievalIndex.build({ ...data, pastCommits: undefined }).rank('Fix mypy issues').files;
  assert.ok(without.every((f) => f.central), 'without the history nothing matches');
  const unrelated = RetrievalIndex.build(data).rank('why does camelize drop digits?').files;
  assert.equal(unrelated[0].path, 'src/util/strings.ts');
  assert.equal(unrelated.find((f) => f.path === 'src/cli/main.ts'), undefined, 'a commit that shares no word credits nothing');
  assert.equal(ranked('Fix style in the parser').find((f) => f === 'src/http/session.ts'), undefined, 'nor does one that shares one of two');
});
