/**
 * Markdown rendering for the Chat webview: markdown-it with raw HTML off, highlight.js for code,
 * `path:line` citations turned into `data-path`/`data-line` links, and DOMPurify over the result.
 */
import MarkdownIt from 'markdown-it';
import type { MarkdownIt as MarkdownItInstance, StateCore, Token } from 'markdown-it';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import yaml from 'highlight.js/lib/languages/yaml';
import type { DOMPurify } from 'dompurify';

const languages = { bash, c, cpp, csharp, diff, go, java, javascript, json, php, python, ruby, rust, typescript, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['js', 'jsx'], { languageName: 'javascript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['sh', 'shell', 'console'], { languageName: 'bash' });

/** A `path:line` or `path:start-end` citation; the path must have a file extension. */
export const CITATION_PATTERN = /(?<![\w/.@-])((?:[\w.@-]+\/)*[\w.@-]+\.[A-Za-z][A-Za-z0-9]*):(\d+)(?:-(\d+))?(?!\w)/g;

/** Split text into plain strings and citations. */
export function findCitations(text: string): (string | { text: string; path: string; line: number })[] {
  const parts: (string | { text: string; path: string; line: number })[] = [];
  let last = 0;
  for (const m of text.matchAll(CITATION_PATTERN)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ text: m[0], path: m[1], line: Number(m[2]) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function citationTokens(state: StateCore, part: { text: string; path: string; line: number }, code: boolean): Token[] {
  const open = new state.Token('link_open', 'a', 1);
  open.attrs = [['href', '#'], ['class', 'citation'], ['data-path', part.path], ['data-line', String(part.line)], ['title', `Open ${part.path} at line ${part.line}`]];
  const inner = new state.Token(code ? 'code_inline' : 'text', code ? 'code' : '', 0);
  inner.content = part.text;
  const close = new state.Token('link_close', 'a', -1);
  return [open, inner, close];
}

/** markdown-it plugin: citations in text and whole-citation inline code become links. */
function citations(md: MarkdownItInstance): void {
  md.core.ruler.push('sleeptime_citations', (state: StateCore) => {
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      const out: Token[] = [];
      let inLink = 0;
      for (const t of block.children) {
        if (t.type === 'link_open') inLink++;
        if (t.type === 'link_close') inLink--;
        if (inLink === 0 && (t.type === 'text' || t.type === 'code_inline')) {
          const parts = findCitations(t.content);
          const whole = parts.length === 1 && typeof parts[0] !== 'string';
          if (t.type === 'text' && parts.some((p) => typeof p !== 'string')) {
            for (const p of parts) {
              if (typeof p !== 'string') out.push(...citationTokens(state, p, false));
              else {
                const text = new state.Token('text', '', 0);
                text.content = p;
                out.push(text);
              }
            }
            continue;
          }
          if (t.type === 'code_inline' && whole) {
            out.push(...citationTokens(state, parts[0] as { text: string; path: string; line: number }, true));
            continue;
          }
        }
        out.push(t);
      }
      block.children = out;
    }
  });
}

/** A function from markdown to sanitized HTML. */
export type MarkdownRenderer = (markdown: string) => string;

/** Build the renderer over a DOMPurify instance (the browser's, or one bound to a test DOM). */
export function createMarkdownRenderer(purify: DOMPurify): MarkdownRenderer {
  const md: MarkdownItInstance = new MarkdownIt({
    html: false,
    linkify: false,
    typographer: false,
    highlight: (code, lang): string => {
      const language = lang && hljs.getLanguage(lang) ? lang : undefined;
      if (!language) return '';
      try {
        return `<pre class="hljs"><code class="language-${md.utils.escapeHtml(language)}">${hljs.highlight(code, { language, ignoreIllegals: true }).value}</code></pre>`;
      } catch {
        return '';
      }
    },
  }).use(citations);
  // Images never load: a note or an answer could otherwise make the webview fetch any URL.
  md.renderer.rules.image = (tokens, idx) => `<span class="image-alt">[image: ${md.utils.escapeHtml(tokens[idx].content || 'untitled')}]</span>`;
  return (markdown) =>
    purify.sanitize(md.render(markdown), {
      ALLOWED_URI_REGEXP: /^(?:https?:|#)/i,
      FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'img'],
      FORBID_ATTR: ['style'],
    });
}
