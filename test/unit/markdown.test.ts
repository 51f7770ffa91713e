import { test } from 'node:test';
import assert from 'node:assert/strict';
import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer, findCitations } from '../../media/src/markdown';

const { window } = new JSDOM('<!doctype html><body></body>');
const render = createMarkdownRenderer(createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]));

/** Parse rendered HTML into a DOM to assert on elements, not strings. */
function dom(html: string): Document {
  return new JSDOM(`<!doctype html><body>${html}</body>`).window.document;
}

const hostile: [string, string][] = [
  ['script tag', 'Hello <script>alert(1)</script> world'],
  ['img onerror', '<img src=x onerror="alert(1)">'],
  ['markdown image with onerror in the url', '![x](x" onerror="alert(1))'],
  ['javascript: link', '[click](javascript:alert(1))'],
  ['entity-encoded javascript: link', '[click](&#106;avascript:alert(1))'],
  ['data: html link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['vbscript autolink', '<vbscript:msgbox(1)>'],
  ['iframe', '<iframe src="https://example.com"></iframe>'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
];

for (const [name, md] of hostile) {
  test(`renders inert: ${name}`, () => {
    const doc = dom(render(md));
    assert.equal(doc.querySelectorAll('script, iframe, svg, object, embed, style').length, 0);
    for (const el of doc.querySelectorAll('*')) {
      for (const attr of el.getAttributeNames()) {
        assert.ok(!attr.startsWith('on'), `event handler ${attr} kept`);
        assert.notEqual(attr, 'style');
      }
      for (const attr of ['href', 'src']) {
        const v = el.getAttribute(attr);
        if (v !== null) assert.match(v, /^(https?:|#)/, `${attr}=${v} kept`);
      }
    }
  });
}

test('raw HTML is shown as text, not parsed', () => {
  const doc = dom(render('<b>bold</b>'));
  assert.equal(doc.querySelector('b'), null);
  assert.match(doc.body.textContent ?? '', /<b>bold<\/b>/);
});

test('citations become links carrying path and line, in text and in inline code', () => {
  const doc = dom(render('The parser lives in src/parse/parser.ts:42-50 and is called from `src/cli.ts:7`.'));
  const links = [...doc.querySelectorAll('a.citation')];
  assert.deepEqual(
    links.map((a) => [a.getAttribute('data-path'), a.getAttribute('data-line'), a.getAttribute('href')]),
    [['src/parse/parser.ts', '42', '#'], ['src/cli.ts', '7', '#']],
  );
  assert.ok(links[1].querySelector('code'));
});

test('citations inside code blocks and URLs are left alone', () => {
  const doc = dom(render('```\nsee a.ts:3\n```\n\n[docs](https://example.com/a.ts:3)'));
  assert.equal(doc.querySelectorAll('a.citation').length, 0);
  assert.equal(doc.querySelector('a')?.getAttribute('href'), 'https://example.com/a.ts:3');
});

test('fenced code is highlighted', () => {
  const doc = dom(render('```ts\nconst x = 1;\n```'));
  assert.ok(doc.querySelector('pre code .hljs-keyword'));
});

test('findCitations needs a file extension and a line', () => {
  assert.deepEqual(findCitations('at 10:30 see lib/x.py:3'), ['at 10:30 see ', { text: 'lib/x.py:3', path: 'lib/x.py', line: 3 }]);
  assert.deepEqual(findCitations('version 1.2:3'), ['version 1.2:3']);
});

test('markdown images never load: they become their alt text', () => {
  const doc = dom(render('See ![diagram](https://attacker.invalid/track.png) and ![](http://x.invalid/a.png)'));
  assert.equal(doc.querySelectorAll('img').length, 0);
  assert.match(doc.body.textContent ?? '', /\[image: diagram\]/);
  assert.match(doc.body.textContent ?? '', /\[image: untitled\]/);
});
