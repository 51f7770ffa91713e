// The project's own guides (README, docs/*.md) answer how-to questions: the section that matches best is quoted.

import { isTestPath } from '../notes/testHooks';
import { isVendoredPath } from '../structure/besideFolders';
import { textTerms } from './terms';

/** "How do I stub a request?", "How can we configure retries?", "how to set a timeout". */
export const HOW_TO = /\bhow (do|can|should|would) (i|we|you|one)\b|\bhow to\b/i;

const DOC_FILE = /\.(md|markdown|rst|adoc)$/i;

/** A guide's path: Markdown, reStructuredText or AsciiDoc. */
export function isGuidePath(path: string): boolean {
  return DOC_FILE.test(path);
}

/** Documents that record or govern the project rather than guide its use. */
const NOT_A_GUIDE = /(^|\/)(change(s|log)?|history|news|releases?|release[-_]notes|authors|contributors|code[-_]of[-_]conduct|security|licen[cs]e|copying|upgrad\w*|migrat\w*|pull_request_template|issue_template)[^/]*$/i;
/** Most guides read for one question, shallowest first (the README before deep reference pages). */
const MAX_GUIDES = 60;
/** The fewest distinct question words a section must hold, and the share of them. */
const MIN_MATCHED = 2;
const MIN_MATCHED_SHARE = 0.5;

/** A section of a guide: a heading and the lines under it up to the next heading of any level. */
export interface DocSection {
  path: string;
  title: string;
  startLine: number;
  endLine: number;
  /** The section's lines, heading first. */
  lines: string[];
}

/** Lines that underline a title: Markdown's `===` and `---`; reStructuredText's any repeated punctuation. */
const MARKDOWN_UNDERLINE = /^\s*(=+|-+)\s*$/;
const RST_UNDERLINE = /^([=\-~^*"`'#+.:_])\1{2,}\s*$/;

/** `#` headings outside fenced code, and titles with a line under them. */
function sectionsOf(path: string, lines: string[]): DocSection[] {
  const rst = /\.rst$/i.test(path);
  const underline = rst ? RST_UNDERLINE : MARKDOWN_UNDERLINE;
  const starts: { line: number; title: string }[] = [{ line: 1, title: path }];
  let fence = false;
  lines.forEach((l, i) => {
    if (!rst && /^\s*(```|~~~)/.test(l)) fence = !fence;
    if (fence) return;
    const atx = rst ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
    if (atx) starts.push({ line: i + 1, title: atx[1] });
    else if (/\w/.test(l) && !/^\s/.test(l) && underline.test(lines[i + 1] ?? '')) starts.push({ line: i + 1, title: l.trim() });
  });
  return starts
    .map((s, i) => {
      const endLine = (starts[i + 1]?.line ?? lines.length + 1) - 1;
      return { path, title: s.title, startLine: s.line, endLine, lines: lines.slice(s.line - 1, endLine) };
    })
    .filter((s) => s.endLine > s.startLine);
}

/**
 * The guide section among `paths` (the repository's files) that best matches a question's `terms`, by BM25 over
 * sections with the heading counting twice; undefined when no section holds enough of the question's words.
 */
export function bestDocSection(terms: ReadonlySet<string>, paths: Iterable<string>, readText: (p: string) => string | undefined): DocSection | undefined {
  if (terms.size === 0) return undefined;
  const guides = [...paths]
    .filter((p) => DOC_FILE.test(p) && !NOT_A_GUIDE.test(p) && !isTestPath(p) && !isVendoredPath(p))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, MAX_GUIDES);
  const sections: { section: DocSection; tf: Map<string, number> }[] = [];
  for (const p of guides) {
    const text = readText(p);
    if (!text) continue;
    const lines = text.split(/\r?\n/);
    for (const section of sectionsOf(p, lines)) {
      const tf = new Map<string, number>();
      const words = [...textTerms(section.title), ...textTerms(section.title), ...textTerms(section.lines.slice(1).join('\n'))];
      for (const w of words) if (terms.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
      if (tf.size) sections.push({ section, tf });
    }
  }
  const df = new Map<string, number>();
  for (const { tf } of sections) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const needed = Math.max(Math.min(MIN_MATCHED, terms.size), Math.ceil(terms.size * MIN_MATCHED_SHARE));
  let best: { section: DocSection; score: number } | undefined;
  for (const { section, tf } of sections) {
    if (tf.size < needed) continue;
    let score = 0;
    for (const [t, n] of tf) score += Math.log(1 + sections.length / df.get(t)!) * (n / (n + 1.2));
    if (!best || score > best.score) best = { section, score };
  }
  return best?.section;
}
