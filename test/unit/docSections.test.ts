import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offlineAnswer } from '../../src/core/ask';
import { bestDocSection, HOW_TO } from '../../src/core/retrieve/docSections';
import { packContext } from '../../src/core/retrieve/pack';
import type { RetrievalData } from '../../src/core/retrieve/searchIndex';
import { normalizeTerm, tokenizeText } from '../../src/core/retrieve/terms';
import type { FileAnalysis } from '../../src/core/types';

const README = [
  '# webmock', // 1
  'Library for stubbing HTTP requests.',
  '',
  '## Stubbing requests with a JSON body', // 4
  '',
  '```ruby',
  '# Not a heading: a comment in an example',
  'stub_request(:post, "www.example.com").with(body: {a: 1}.to_json)',
  '```',
  '',
  '## Allowing localhost', // 11
  'WebMock.disable_net_connect!(allow_localhost: true)',
  '',
].join('\n');
const GUIDE_RST = ['Timeouts', '--------', '', 'Pass ``timeout=`` to any request to set a timeout.', '', 'Retries', '```````', '', 'Mount an adapter.', ''].join('\n');
const CHANGELOG = '# Changelog\n\n## 2.0\n- Fixed stubbing requests with a JSON body.\n';

const texts: Record<string, string> = { 'README.md': README, 'docs/advanced.rst': GUIDE_RST, 'CHANGELOG.md': CHANGELOG };
const terms = (q: string): Set<string> => new Set(tokenizeText(q).map(normalizeTerm).filter((t): t is string => !!t));
const best = (q: string): string | undefined => {
  const s = bestDocSection(terms(q), Object.keys(texts), (p) => texts[p]);
  return s && `${s.path}:${s.startLine}-${s.endLine}`;
};

test('a how-to question finds the section of a guide that answers it, not a changelog line or a code comment', () => {
  assert.ok(HOW_TO.test('How do I stub a request with a JSON body?'));
  assert.ok(!HOW_TO.test('Fix stubbing of requests with a JSON body'));
  assert.equal(best('How do I stub a request with a JSON body?'), 'README.md:4-10');
  assert.equal(best('How can I allow localhost?'), 'README.md:11-13');
  assert.equal(best('How do I set a timeout?'), 'docs/advanced.rst:1-5', 'a reStructuredText title and its underline');
  assert.equal(best('How do I mount retries?'), 'docs/advanced.rst:6-10', 'any punctuation underlines a reStructuredText title');
  assert.equal(best('How do I compile the grammar?'), undefined, 'no section holds the words');
  texts['docs/advanced.rst'] = GUIDE_RST.replace(/\n/g, '\r\n');
  assert.equal(best('How do I set a timeout?'), 'docs/advanced.rst:1-5', 'Windows line endings');
  const section = bestDocSection(terms('How do I set a timeout?'), ['docs/advanced.rst'], (p) => texts[p]);
  assert.ok(section?.lines.every((l) => !l.includes('\r')));
  texts['docs/advanced.rst'] = GUIDE_RST;
});

test('a how-to question packs the guide\'s section beside the code, and the offline answer quotes it whole', () => {
  const file = (path: string, language: FileAnalysis['language']): FileAnalysis => ({
    path, language, hash: 'h', bytes: 1, lines: 1, defs: [], refs: [], imports: [], bugs: [],
  });
  const code = 'def stub_request(method, uri)\n  RequestStub.new(method, uri)\nend\n';
  const all: Record<string, string> = { ...texts, 'lib/webmock/api.rb': code };
  const files = new Map(Object.keys(all).map((p) => [p, file(p, p.endsWith('.rb') ? 'ruby' : null)]));
  files.get('lib/webmock/api.rb')!.defs.push({ name: 'stub_request', kind: 'method', startLine: 1, endLine: 3, exported: true });
  const reads: string[] = [];
  const data: RetrievalData = { notes: [], files, readText: (p) => (reads.push(p), all[p]) };
  const packed = packContext('How do I stub a request with a JSON body?', data, 2000);
  assert.match(packed.text, /## Documentation\n\n#### README\.md:4-9\n## Stubbing requests with a JSON body/);
  assert.deepEqual(packed.spans.map((s) => `${s.path}:${s.startLine}`).slice(0, 1), ['README.md:4']);
  assert.equal(packed.files.at(-1)?.path, 'README.md', 'cited after the code, which the ranking puts first');
  const answer = offlineAnswer(packed, [], data);
  assert.match(answer, /\*\*From the documentation\*\*\n`README\.md:4`\n````md\n/, 'a longer fence keeps the guide\'s own fences inside');
  reads.length = 0;
  const fix = packContext('Fix stubbing of requests with a JSON body', data, 2000);
  assert.ok(!fix.text.includes('## Documentation') && !reads.includes('README.md'), 'other questions read no guide');
});
