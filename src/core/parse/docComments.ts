import type { Node } from 'web-tree-sitter';
import { COMMENT_TYPES } from '../bugs/syntax';
import type { Language } from '../types';

/** Longest doc paragraph kept, in characters. */
const MAX_DOC = 500;

/** Comments that instruct a tool (a script's `#!` line, build constraints, linters, coverage, encodings) rather than describe the code. */
export const DIRECTIVE =
  /^#!|^\s*(\/\/|\/\*|#)\s*(go:|\+build\b|eslint|@ts-|prettier-|jshint|tslint:|pylint:|noqa|type:\s*ignore|mypy:|rubocop:|frozen_string_literal|-\*-|vim?:|(en)?coding[:=]|nolint|clang-format|NOLINT|pragma|istanbul\s|c8\s|biome-ignore|deno-lint-ignore|ReSharper\s+(disable|restore)|NOSONAR|NOPMD|CHECKSTYLE|checkstyle:|phpcs:|@phpstan-|@psalm-|fmt:\s*(off|on|skip)|isort:|pyright:|cspell:|spell-checker:|swiftlint:|stylelint-|globals?\s+[\w$]|exported\s+[\w$]|jslint\b|jscs:|@flow\b|\$(Id|OpenBSD|FreeBSD|NetBSD|Header|Revision|Rev|Date|Author|Source)\b[^$\n]*\$)/;

/** Siblings allowed between a doc comment and its definition. */
const SKIP_ABOVE = new Set(['decorator', 'attribute_item', 'attribute_list', 'annotation', 'marker_annotation']);
/** Nodes that wrap a definition: its doc comment sits above the wrapper. */
const WRAPPERS = new Set([
  'export_statement', 'decorated_definition', 'template_declaration', 'lexical_declaration',
  'variable_declaration', 'type_declaration', 'const_declaration', 'var_declaration', 'body_statement',
  'ambient_declaration', 'expression_statement', 'field_declaration', 'declaration',
]);

/** First paragraph (or, `whole`, every paragraph) of the docstring of a Python class/function. */
export function pythonDocstring(node: Node, whole = false): string | undefined {
  const first = node.childForFieldName('body')?.firstNamedChild;
  if (first?.type !== 'expression_statement') return undefined;
  const str = first.firstNamedChild;
  return str?.type === 'string' ? cleanDoc(str.text, 'python', whole) : undefined;
}

/** True when only whitespace precedes `node` on its line. */
export function startsLine(node: Node, source: string): boolean {
  for (let i = node.startIndex - 1; i >= 0; i--) {
    const ch = source.charCodeAt(i);
    if (ch === 10) return true;
    if (ch !== 32 && ch !== 9 && ch !== 13) return false;
  }
  return true;
}

/**
 * The doc comment block directly above a definition (through wrappers such as `export`); the comments taken are
 * added to `used` by their start.
 */
export function commentAbove(
  node: Node, kind: string, language: Language, source: string, used = new Set<number>(), whole = false,
): string | undefined {
  let n = node;
  for (;;) {
    let lowerRow = n.startPosition.row;
    let prev = n.previousNamedSibling;
    // Kotlin's grammar puts a comment that follows the imports inside the last import.
    while (prev && (prev.type === 'import_list' || prev.type === 'import_header')) prev = prev.lastNamedChild;
    while (prev && SKIP_ABOVE.has(prev.type)) {
      lowerRow = prev.startPosition.row;
      prev = prev.previousNamedSibling;
    }
    if (prev && COMMENT_TYPES.has(prev.type)) {
      const block: Node[] = [];
      let c: Node | null = prev;
      while (c && COMMENT_TYPES.has(c.type) && c.endPosition.row >= lowerRow - 1 && startsLine(c, source)) {
        if (c.text.startsWith('//!') || c.text.startsWith('/*!')) break;
        block.push(c);
        lowerRow = c.startPosition.row;
        c = c.previousNamedSibling;
      }
      if (block.length === 0) return undefined;
      block.reverse();
      // A comment above a namespace/module may also be the file's doc.
      if (kind !== 'module') for (const b of block) used.add(b.startIndex);
      // `// eslint-disable-next-line complexity` above a doc comment or alone says nothing about the definition.
      const described = block.filter((b) => !DIRECTIVE.test(b.text));
      return described.length ? cleanDoc(described.map((b) => b.text).join('\n'), language, whole) : undefined;
    }
    const parent = n.parent;
    if (!prev && parent && WRAPPERS.has(parent.type)) {
      n = parent;
      continue;
    }
    return undefined;
  }
}

/** A C# doc reference: `<see cref="X"/>`, `<paramref name="x"/>`, `<see langword="null"/>`; its name is kept. */
const XML_DOC_REFERENCE = /<(?:see|seealso|paramref|typeparamref)\s+(?:cref|name|langword|href)\s*=\s*"(?:[A-Z]:)?([^"]*)"\s*\/>/gi;
/** A comment that opens with a work marker. */
const WORK_MARKER = /^(TODO|FIXME|XXX|HACK)\b/;
/** A remark that only dates the API (`// since 2.6`, `Added in v1.4.`): when, not what. */
const VERSION_NOTE = /^(since|added in|new in|introduced in|available since)\s+(version\s+)?v?\d+(\.\d+)*\.?$/i;

/** A line of markdown badges and their link definitions only: `[![docs-rs]](https://docs.rs/x)&ensp;`, `[github]: https://...`. */
const BADGES = /^((\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|\[!\[[^\]]*\]\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)|\[[\w-]+\]:\s*\S+|&ensp;|&nbsp;|<br\s*\/?>|\s)+)$/;

/** A reStructuredText directive's first line. */
const RST_DIRECTIVE = /^\s*\.\.\s+[\w:-]+::/;

/** A line of one punctuation character repeated, under or over a reStructuredText title. */
const RST_ADORNMENT = /^([=~\-^"'`#*+])\1{2,}$/;

/** Strips comment/docstring markers and returns the first paragraph (`whole`: every paragraph, uncut), whitespace collapsed. */
export function cleanDoc(text: string, language: Language, whole = false): string | undefined {
  let body = text;
  if (language === 'python') body = body.replace(/^[rRuUbBfF]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
  // XML doc tags go, the names they refer to stay: `Creates a <see cref="T:Acme.Rule"/>` -> `Creates a Rule`.
  if (language === 'csharp') body = body.replace(XML_DOC_REFERENCE, (_, ref: string) => ref.split('.').pop()!).replace(/<\/?[a-z]+[^>]*>/gi, ' ');
  const para: string[] = [];
  let title: string | undefined;
  /** Indentation of the reStructuredText directive whose body is being skipped. */
  let directive: number | undefined;
  for (const rawLine of body.split('\n')) {
    // A directive (`.. testsetup::`, `.. code-block:: python`) and the lines indented under it are markup, not prose.
    const indent = rawLine.length - rawLine.trimStart().length;
    if (directive !== undefined && (rawLine.trim() === '' || indent > directive)) continue;
    directive = RST_DIRECTIVE.test(rawLine) ? indent : undefined;
    if (directive !== undefined) continue;
    let line = rawLine
      .trim()
      .replace(/^(\/\*+!?|\/\/[/!]?|#+|\*+(?!\/)|=begin|=end)\s?/, '')
      .replace(/\s*\*+\/$/, '')
      .trim();
    // A markdown heading in a summary (rustdoc's `//! # Cookbook`) reads as its text; the whole doc keeps its sections.
    if (!whole) line = line.replace(/^#{1,6}\s+/, '');
    // Block tags (`@param`, `@return ...` and the lines that continue them) close a Javadoc-style summary.
    if (line.startsWith('@') && !whole) break;
    // A row of badges (`[![github]](https://...)&ensp;[![crates-io]](...)`) or a badge's link target says nothing.
    if (BADGES.test(line)) line = '';
    // A reStructuredText title's under- or overline (`requests.auth` over `~~~~~~~~~~~~~`): the summary is the paragraph
    // after the title, which only names the module; the title when nothing follows.
    if (RST_ADORNMENT.test(line)) {
      if (!whole && para.length === 1) title = para.pop();
      continue;
    }
    if (line === '' || line.startsWith('@')) {
      if (para.length > 0 && !whole) break;
      continue;
    }
    para.push(line);
  }
  const doc = (para.length || !title ? para : [title]).join(' ').replace(/\s+/g, ' ').trim();
  // `// TODO(ann): inline into callers` above a method is a note to the authors, not what the method does.
  if (!doc || (!whole && (WORK_MARKER.test(doc) || VERSION_NOTE.test(doc)))) return undefined;
  return doc.length > MAX_DOC && !whole ? `${doc.slice(0, MAX_DOC - 1)}…` : doc;
}

/**
 * The whole doc of the function or class `def`: its Python docstring, or the comment above it or above what
 * holds it (`const f = () =>`, `exports.f = function`), every paragraph.
 */
export function wholeDoc(def: Node, language: Language, source: string): string | undefined {
  if (language === 'python') return pythonDocstring(def, true);
  const holder = def.parent?.type === 'variable_declarator' || def.parent?.type === 'assignment_expression' ? def.parent : def;
  return commentAbove(holder, 'function', language, source, new Set(), true);
}
