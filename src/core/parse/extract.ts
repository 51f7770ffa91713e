import { Parser } from 'web-tree-sitter';
import type { Node, QueryMatch, Tree } from 'web-tree-sitter';
import { goLastResult } from '../bugs/exceptionRules';
import { findBugCandidates } from '../bugs/patterns';
import { COMMENT_TYPES, isJsFamily } from '../bugs/syntax';
import { isTestPath } from '../notes/testHooks';
import { contentTermCap, contentTerms, wordRuns } from '../retrieve/terms';
import type { FileAnalysis, ImportRef, Language, SymbolDef, SymbolRef } from '../types';
import { C_SOURCE_FILE, isDeclarationPath } from '../scan/languages';
import { loadedGrammar } from './grammars';
import { cleanDoc, commentAbove, DIRECTIVE, pythonDocstring, startsLine } from './docComments';
import { keepTree, takeEditedTree } from './keptTrees';

/** Longest a single parse or tags query may run before the file is given up with `parseError`. */
export const PARSE_TIMEOUT_MS = 2000;

/** Definition kinds that give the definitions inside them a `parent` (`impl` is a scope-only Rust kind). */
const CONTAINER_KINDS = new Set(['class', 'interface', 'struct', 'trait', 'enum', 'module', 'impl']);
/** Containers whose functions are methods. */
const TYPE_KINDS = new Set(['class', 'interface', 'struct', 'trait', 'enum', 'impl']);

const C_MACROS = new Set(['preproc_def', 'preproc_function_def']);

/** Where an exported-ness walk in JS/TS stops: the definition is local. */
const JS_LOCAL_SCOPES = new Set(['statement_block', 'arrow_function', 'function_expression', 'program']);
const LICENSE = /copyright|licen[cs]e|spdx|all rights reserved|redistribution and use|permission is hereby granted|warrant(y|ies)/i;

type Role =
  | { t: 'defName' | 'def' | 'ref'; kind: string }
  | { t: 'import' | 'globalImport' | 'parent' | 'scopeName' | 'scope' | 'ignore' };

const roleCache = new Map<string, Role>();

/** Meaning of a capture name under Sleeptime's tags-query convention. */
function roleOf(name: string): Role {
  let role = roleCache.get(name);
  if (role) return role;
  if (name.startsWith('name.definition.')) role = { t: 'defName', kind: name.slice(16) };
  else if (name.startsWith('definition.')) role = { t: 'def', kind: name.slice(11) };
  else if (name.startsWith('name.reference.')) role = { t: 'ref', kind: name.slice(15) };
  else if (name === 'import') role = { t: 'import' };
  else if (name === 'import.global') role = { t: 'globalImport' };
  else if (name === 'parent') role = { t: 'parent' };
  else if (name === 'name.scope') role = { t: 'scopeName' };
  else if (name === 'scope') role = { t: 'scope' };
  else role = { t: 'ignore' };
  roleCache.set(name, role);
  return role;
}

interface RawDef {
  name: string;
  kind: string;
  node: Node;
  /** `node.endIndex`, read once (each read is a WASM call). */
  end: number;
  /** Explicit parent from the query (`@parent`), e.g. a Go receiver type. */
  parent?: string;
  /** Not a definition itself, only an enclosing scope (a Rust `impl`). */
  scopeOnly?: boolean;
}

let parser: Parser | undefined;

/**
 * Parses `source` and extracts tags, doc comments and (outside tests) bug candidates. Synchronous: the grammar of
 * `language` must have been loaded in this thread with `loadGrammar`. Never throws: a missing
 * grammar, a parse timeout (`PARSE_TIMEOUT_MS`) or an exception yields `parseError` and no tags.
 * Files with `language: null` get only hash, bytes and lines.
 */
export function analyzeSource(
  path: string, language: Language | null, source: string, hash: string, bytes: number,
): FileAnalysis {
  const result: FileAnalysis = {
    path, language, hash, bytes, lines: countLines(source), defs: [], refs: [], imports: [], bugs: [],
  };
  if (!language) return result;
  if (language === 'cpp' || language === 'c') source = withoutExportMacros(source);
  const runs = wordRuns(source);
  result.terms = contentTerms(runs, contentTermCap(result.lines));
  const grammar = loadedGrammar(language);
  if (!grammar) return { ...result, parseError: `grammar for ${language} is not loaded` };
  let tree;
  let previous: Tree | null = null;
  try {
    parser ??= new Parser();
    parser.setLanguage(grammar.tsLanguage);
    const deadline = performance.now() + PARSE_TIMEOUT_MS;
    previous = takeEditedTree(path, language, source);
    tree = parser.parse(source, previous, { progressCallback: () => performance.now() > deadline });
    if (!tree) {
      parser.reset();
      return { ...result, parseError: `parse timed out after ${PARSE_TIMEOUT_MS} ms` };
    }
    let timedOut = false;
    const matches = grammar.tags.matches(tree.rootNode, {
      progressCallback: () => (timedOut ||= performance.now() > deadline),
    });
    if (timedOut) return { ...result, parseError: `tags query timed out after ${PARSE_TIMEOUT_MS} ms` };
    const docComments = new Set<number>();
    collectTags(matches, language, source, result, docComments);
    result.doc = fileDoc(tree.rootNode, language, source, docComments);
    // Tests and fixtures are not checked: their catch-alls, shadowing and TODOs are mostly deliberate; nor is
    // a parser generator's output, whose findings belong to the grammar it came from; nor are type declarations
    // (`.pyi`, `.d.ts`), which run nothing.
    const checked = !isTestPath(path) && !isDeclarationPath(path) && !TOOL_OUTPUT.test(source.slice(0, TOOL_OUTPUT_HEAD));
    if (checked) result.bugs = findBugCandidates(tree.rootNode, language, source, runs);
    return result;
  } catch (err) {
    return { ...result, defs: [], refs: [], imports: [], bugs: [], doc: undefined, parseError: errorText(err) };
  } finally {
    previous?.delete();
    if (tree && !keepTree(path, language, source, tree)) tree.delete();
  }
}

/**
 * `#define voidpf z_voidpf`, `#define snprintf _snprintf`, `#define local static`: a macro with a lower-case name and
 * one word for a value renames a function or type (zlib's Z_PREFIX block) and defines nothing itself; the name's
 * real definition is elsewhere. An upper-case `#define MAX_LEN BUF_LEN` is a constant of its own.
 */
function isRenameMacro(d: RawDef): boolean {
  return d.node.type === 'preproc_def' && /[a-z]/.test(d.name) && /^\s*[A-Za-z_]\w*\s*$/.test(d.node.childForFieldName('value')?.text ?? '');
}

/** `class SPDLOG_API logger {`: an export macro between the keyword and the name (the grammar has no preprocessor). */
const EXPORT_MACRO = /\b(class|struct|union)(\s+)([A-Z][A-Z0-9_]*[A-Z0-9])(?=\s+[A-Za-z_]\w*\s*(?:final\s*)?[:{])/g;

/**
 * The source with such macros (and calling conventions, below) blanked to spaces, so the class parses as a class,
 * lines and offsets unchanged. Only before a `{` or a base list: `struct POINT p;` declares a variable.
 */
function withoutExportMacros(source: string): string {
  return source
    .replace(EXPORT_MACRO, (_m, keyword: string, space: string, macro: string) => keyword + space + ' '.repeat(macro.length))
    .replace(CALLING_CONVENTION, (_m, head: string, macro: string) => head + ' '.repeat(macro.length));
}

/** `typedef uLong (ZCALLBACK *read_file_func)(...)`: a calling-convention macro in a function-pointer typedef. */
const CALLING_CONVENTION = /(\btypedef\b[^;(){}]*\(\s*)([A-Z_][A-Z0-9_]*|__\w+)(?=\s*\*)/g;

/** Number of lines, counting a last line without a newline. */
export function countLines(source: string): number {
  if (source.length === 0) return 0;
  let n = 0;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) n++;
  return source.endsWith('\n') ? n : n + 1;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The banner of a parser, lexer or hash generator's output (kept in the index: fixes often touch it with its grammar),
 * or a `#line 1 "src/char_ref.rl"` that points back at the grammar it came from (Ragel, Bison, gperf write one).
 */
const TOOL_OUTPUT = /\b(made by GNU Bison|generated by (flex|bison|yacc|re2c|ANTLR|ragel)|produced by gperf)\b|^#line \d+ "[^"\n]+\.(rl|y|yy|l|ll|re|gperf)"/im;
const TOOL_OUTPUT_HEAD = 600;

/** Turns query matches into defs (with parent, doc, exported), refs and imports on `out`. */
function collectTags(
  matches: QueryMatch[], language: Language, source: string, out: FileAnalysis, docComments: Set<number>,
): void {
  const raw: RawDef[] = [];
  const refSeen = new Set<number>();
  const refByName = new Map<string, SymbolRef>();
  const importSeen = new Map<number, ImportRef | null>();
  for (const m of matches) {
    let defNode: Node | undefined;
    let nameNode: Node | undefined;
    let kind = '';
    let parent: string | undefined;
    let scopeNode: Node | undefined;
    let scopeName: string | undefined;
    for (const c of m.captures) {
      const role = roleOf(c.name);
      switch (role.t) {
        case 'defName': nameNode = c.node; kind = role.kind; break;
        case 'def': defNode = c.node; break;
        case 'parent': parent = c.node.text; break;
        case 'scope': scopeNode = c.node; break;
        case 'scopeName': scopeName = c.node.text; break;
        case 'ref': {
          if (refSeen.has(c.node.startIndex)) break;
          refSeen.add(c.node.startIndex);
          const name = c.node.text;
          const known = refByName.get(name);
          if (known) {
            known.count = (known.count ?? 1) + 1;
            // `function`: every use so far is a call without a receiver; one use with a receiver makes it a `call`.
            if (known.kind === 'function' && role.kind === 'call') known.kind = 'call';
          } else {
            const ref: SymbolRef = { name, line: c.node.startPosition.row + 1, kind: role.kind, count: 1 };
            refByName.set(name, ref);
            out.refs.push(ref);
          }
          break;
        }
        case 'import':
        case 'globalImport': {
          // The same node may be captured as an import and as a global one: one entry, marked global.
          let imp = importSeen.get(c.node.startIndex);
          if (imp === undefined) {
            // A C `#include <x.h>` keeps its brackets: it searches the include path, not the file's folder.
            const spec = language === 'rust' ? withinInlineModules(c.node, c.node.text)
              : (language === 'c' || language === 'cpp') && c.node.text.trim().startsWith('<') ? c.node.text.trim() : stripQuotes(c.node.text);
            imp = spec ? { source: spec, line: c.node.startPosition.row + 1 } : null;
            if (imp && (language === 'rust' ? isDeferredRustUse(c.node) : DEFERRING_LANGUAGES.has(language) && isDeferredImport(c.node))) imp.deferred = true;
            importSeen.set(c.node.startIndex, imp);
            const members = imp && language === 'python' ? pythonMembers(c.node, imp) : [];
            // `from . import _parsers` imports the module `_parsers`, not the package's `__init__` (unless it is a
            // name defined there: the resolver falls back to the package then).
            if (imp && !(members.length && /^\.+$/.test(imp.source))) out.imports.push(imp);
            out.imports.push(...members);
          }
          if (imp && role.t === 'globalImport') imp.global = true;
          break;
        }
        case 'ignore': break;
      }
    }
    // A C/C++ prototype declared inside a function body is local to it.
    if (nameNode && !(defNode?.type === 'declaration' && defNode.parent?.type === 'compound_statement')) {
      const node = defNode ?? nameNode;
      raw.push({ name: nameNode.text, kind, node, end: node.endIndex, parent });
    }
    if (scopeNode && scopeName) raw.push({ name: scopeName, kind: 'impl', node: scopeNode, end: scopeNode.endIndex, scopeOnly: true });
  }
  raw.sort((a, b) => a.node.startIndex - b.node.startIndex || b.end - a.end);
  // A C/C++ prototype of a function the same file defines (`static void f(int);` above its body) is the same function.
  const bodies = language === 'c' || language === 'cpp' ? new Set(raw.filter((d) => d.node.type === 'function_definition').map((d) => d.name)) : undefined;
  const stubs = overloadStubs(raw, language);
  // In a C/C++ source file a prototype declares what is defined elsewhere (a parser generator's `void free (void *);`
  // is the C library's), and a macro is the file's own.
  const cSource = (language === 'c' || language === 'cpp') && C_SOURCE_FILE.test(out.path);

  // Enclosing definitions of the current one, outermost first.
  const stack: { name: string; kind: string; end: number; test: boolean }[] = [];
  const seen = new Set<string>();
  for (const d of raw) {
    const start = d.node.startIndex;
    while (stack.length > 0 && stack[stack.length - 1].end <= start) stack.pop();
    const top = stack[stack.length - 1];
    const encl = nearestContainer(stack);
    const test = Boolean(top?.test) || (language === 'rust' && d.kind === 'module' && isRustTestModule(d.node, d.name));
    stack.push({ name: d.name, kind: d.kind, end: d.end, test });
    // A Rust file's unit tests (`#[cfg(test)] mod tests { ... }`) are tests, not what the file defines.
    if (d.scopeOnly || test || ((cSource || bodies?.has(d.name)) && d.node.type === 'declaration') || stubs?.has(d) || d.name === '_' || isRenameMacro(d)) continue;
    // The same definition may match two patterns; keep the first.
    const key = `${start}:${d.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const owner = d.kind === 'function' && !d.parent && !encl ? prototypeOwner(d.node) : undefined;
    const kind = d.kind === 'function' && ((top && TYPE_KINDS.has(top.kind)) || owner) ? 'method' : d.kind;
    const def: SymbolDef = {
      name: d.name,
      kind,
      startLine: d.node.startPosition.row + 1,
      endLine: endLine(d.node),
      exported: !(cSource && C_MACROS.has(d.node.type)) && isExported(d.node, d.name, language),
    };
    const parent = d.parent ?? encl?.name ?? owner;
    if (parent) def.parent = parent;
    if (language === 'go') {
      // A Go method of an unexported type is reached only through an interface, not as the package's API.
      if (parent && def.exported && !/^\p{Lu}/u.test(parent)) def.exported = false;
      const last = d.node.type === 'function_declaration' || d.node.type === 'method_declaration' ? goLastResult(d.node) : undefined;
      if (last !== undefined) def.lastResult = last;
    }
    if (kind === 'constant' && isJsFamily(language) && handsOnValue(d.node)) def.alias = true;
    const doc = language === 'python' ? pythonDocstring(d.node) : commentAbove(d.node, kind, language, source, docComments);
    if (doc) def.doc = doc;
    out.defs.push(def);
  }
}

/**
 * `from pkg import fields, Schema` loads `pkg`, and `pkg.fields` when that is a module of its own: each imported name
 * is an import of `pkg.<name>` too (one that names no module resolves to nothing).
 */
function pythonMembers(moduleName: Node, imp: ImportRef): ImportRef[] {
  const statement = moduleName.parent;
  if (statement?.type !== 'import_from_statement' || statement.childForFieldName('module_name')?.startIndex !== moduleName.startIndex) return [];
  const sep = imp.source.endsWith('.') ? '' : '.';
  return statement.childrenForFieldName('name').flatMap((n) => {
    const name = n?.type === 'aliased_import' ? n.childForFieldName('name') : n;
    return name?.type === 'dotted_name' ? [{ ...imp, source: `${imp.source}${sep}${name.text}`, member: true as const }] : [];
  });
}

/**
 * A Rust `use` path as its file would write it: inside `mod tests { use super::*; }` a `super` is the file's own
 * module, one less per inline module around the `use`.
 */
function withinInlineModules(node: Node, spec: string): string {
  if (!spec.startsWith('super::')) return spec;
  let depth = 0;
  for (let n = node.parent; n; n = n.parent) if (n.type === 'mod_item') depth++;
  let out = spec;
  for (; depth > 0 && out.startsWith('super::'); depth--) out = out.slice(7);
  return out === spec ? spec : out.startsWith('super::') ? out : `self::${out}`;
}

/** Languages whose imports run where they are written: one inside a function loads when the function runs. */
const DEFERRING_LANGUAGES = new Set<Language>(['python', 'javascript', 'typescript', 'tsx']);
const FUNCTION_SCOPES = new Set([
  'function_definition', 'lambda', 'function_declaration', 'generator_function_declaration', 'function_expression',
  'function', 'arrow_function', 'method_definition',
]);

/**
 * An import the module does not need to load: inside a function (`def f(): from .b import g`, a `require` in a
 * constructor), under Python's `if TYPE_CHECKING:`, or of types only (`import type { A } from './a'`).
 */
function isDeferredImport(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (FUNCTION_SCOPES.has(n.type)) return true;
    if (n.type === 'if_statement' && /^(typing\.)?TYPE_CHECKING$/.test(n.childForFieldName('condition')?.text ?? '')) return true;
    if ((n.type === 'import_statement' || n.type === 'export_statement') && n.children.some((c) => c?.type === 'type')) return true;
    if (n.type === 'program' || n.type === 'module') return false;
  }
  return false;
}

/**
 * A Rust `use` that makes no dependency cycle: a re-export (`pub use self::buf_impl::Buf;`), which only hands a name
 * on, or one inside a function or a test module.
 */
function isDeferredRustUse(node: Node): boolean {
  const decl = node.parent;
  if (decl?.type !== 'use_declaration') return false;
  if (decl.namedChildren.some((c) => c?.type === 'visibility_modifier')) return true;
  for (let n = decl.parent; n; n = n.parent) {
    if (n.type === 'function_item') return true;
    if (n.type === 'mod_item' && isRustTestModule(n, n.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
}

/**
 * Whether a constant's value is another binding handed on: a name (`module.exports.Pool = Pool`), a required module
 * (`exports.format = require('./format')`) or a property of either (`exports.x = require('./x').x`, `= lib.X`).
 */
function handsOnValue(def: Node): boolean {
  let value = def.type === 'assignment_expression' ? def.childForFieldName('right') : def.childForFieldName('value');
  while (value?.type === 'member_expression') value = value.childForFieldName('object');
  if (value?.type === 'identifier') return true;
  if (value?.type !== 'call_expression') return false;
  const callee = value.childForFieldName('function');
  return callee?.type === 'identifier' && callee.text === 'require';
}

/** `Mocha.prototype.bail = function () {}`: a method of `Mocha`. */
function prototypeOwner(node: Node): string | undefined {
  if (node.type !== 'assignment_expression') return undefined;
  const object = node.childForFieldName('left')?.childForFieldName('object');
  return object?.type === 'member_expression' && object.childForFieldName('property')?.text === 'prototype'
    ? object.childForFieldName('object')?.text : undefined;
}

/** `mod tests { ... }`, or any module compiled for tests only (`#[cfg(test)]` on the line above). */
function isRustTestModule(mod: Node, name: string): boolean {
  if (name === 'tests' || name === 'test') return true;
  const attr = mod.previousNamedSibling;
  return attr?.type === 'attribute_item' && /^#\[cfg\(test\)\]$/.test(attr.text.replace(/\s+/g, ''));
}

/**
 * Signatures that only type the implementation below them: TypeScript's overloads (`function f(a: string): string;`)
 * and Python's `@overload` stubs, where the file also defines the function itself.
 */
function overloadStubs(raw: RawDef[], language: Language): Set<RawDef> | undefined {
  let stub: (d: RawDef) => boolean;
  if (language === 'typescript' || language === 'tsx') stub = (d) => d.node.type === 'function_signature';
  else if (language === 'python') {
    stub = (d) => d.node.parent?.type === 'decorated_definition'
      && d.node.parent.namedChildren.some((c) => c?.type === 'decorator' && /^@\s*(typing\.)?overload\s*$/.test(c.text));
  } else return undefined;
  const candidates = raw.filter(stub);
  if (!candidates.length) return undefined;
  const implemented = new Set(raw.filter((d) => !candidates.includes(d)).map((d) => `${d.kind}:${d.name}`));
  return new Set(candidates.filter((d) => implemented.has(`${d.kind}:${d.name}`)));
}

/** The innermost enclosing definition that is a container. */
function nearestContainer<T extends { kind: string }>(stack: T[]): T | undefined {
  for (let i = stack.length - 1; i >= 0; i--) if (CONTAINER_KINDS.has(stack[i].kind)) return stack[i];
  return undefined;
}

/** 1-based last line of `node`, not counting a trailing newline it swallowed (C macros). */
function endLine(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

/** Removes the quotes or angle brackets around a module specifier. */
function stripQuotes(text: string): string {
  const s = text.trim();
  if (s.length >= 2 && `"'\`<`.includes(s[0]) && `"'\`>`.includes(s[s.length - 1])) return s.slice(1, -1);
  return s;
}

/** Public/exported per the language's convention. */
function isExported(node: Node, name: string, language: Language): boolean {
  switch (language) {
    case 'javascript': case 'typescript': case 'tsx': return jsExported(node, name);
    case 'python': return pyExported(node, name);
    case 'go': return /^\p{Lu}/u.test(name);
    case 'rust': return rustExported(node);
    case 'java': return javaExported(node);
    case 'csharp': return csharpExported(node);
    case 'php': return phpExported(node);
    case 'c': case 'cpp': return !node.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    case 'ruby': return rubyPublic(node);
    case 'kotlin': return !hasModifier(node, /^(private|protected|internal)$/);
    case 'swift': return !hasModifier(node, /^(private|fileprivate)\b/);
    case 'scala': return !hasModifier(node, /^(private|protected)\b/);
  }
}

/** Ruby sections of a class: a bare `private` or `protected` hides the methods after it, until a `public`. */
const RUBY_VISIBILITY = new Set(['private', 'protected', 'public']);
/** Siblings looked at above a method for a visibility section (a class body can be long). */
const RUBY_SECTION_LOOKBACK = 200;

/** Whether a Ruby method is public: not under a `private`/`protected` section, nor `private def m`. */
function rubyPublic(node: Node): boolean {
  if (node.type !== 'method') return true;
  const wrapper = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  if (wrapper?.type === 'call') return !/^(private|protected)$/.test(wrapper.childForFieldName('method')?.text ?? '');
  let n = node.previousNamedSibling;
  for (let i = 0; n && i < RUBY_SECTION_LOOKBACK; i++, n = n.previousNamedSibling) {
    if (n.type === 'identifier' && RUBY_VISIBILITY.has(n.text)) return n.text === 'public';
  }
  return true;
}

/** True when a Kotlin, Swift or Scala definition carries a modifier matching `re` (`private`, `fileprivate(set)`). */
function hasModifier(node: Node, re: RegExp): boolean {
  const mods = node.namedChildren.find((c) => c?.type === 'modifiers');
  return mods ? mods.text.split(/\s+/).some((word) => re.test(word)) : false;
}

function jsExported(node: Node, name: string): boolean {
  if (name.startsWith('#')) return false;
  if (node.namedChildren.some((c) => c?.type === 'accessibility_modifier' && c.text !== 'public')) return false;
  if (node.type === 'assignment_expression') return /^(module\.)?exports\b/.test(node.childForFieldName('left')?.text ?? '');
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'export_statement') return true;
    if (JS_LOCAL_SCOPES.has(p.type)) return false;
  }
  return false;
}

function pyExported(node: Node, name: string): boolean {
  if (name.startsWith('_') && !(name.startsWith('__') && name.endsWith('__'))) return false;
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return false;
  return true;
}

/** `pub`, not `pub(crate)` / `pub(super)` / `pub(in path)`: those stay inside the crate. */
function rustPublic(node: Node): boolean {
  return node.namedChildren.some((c) => c?.type === 'visibility_modifier' && c.text === 'pub');
}

function rustExported(node: Node): boolean {
  if (rustPublic(node)) return true;
  const owner = node.parent?.type === 'declaration_list' ? node.parent.parent : null;
  if (owner?.type === 'impl_item') return owner.childForFieldName('trait') !== null;
  if (owner?.type === 'trait_item') return rustPublic(owner);
  return false;
}

function javaExported(node: Node): boolean {
  const body = node.parent?.type;
  if (body === 'interface_body' || body === 'annotation_type_body') return true;
  const mods = node.namedChildren.find((c) => c?.type === 'modifiers');
  return mods?.children.some((c) => c?.type === 'public') ?? false;
}

function csharpExported(node: Node): boolean {
  if (node.type === 'namespace_declaration' || node.type === 'file_scoped_namespace_declaration') return true;
  if (node.parent?.type === 'declaration_list' && node.parent.parent?.type === 'interface_declaration') return true;
  return node.namedChildren.some((c) => c?.type === 'modifier' && c.text === 'public');
}

function phpExported(node: Node): boolean {
  const vis = node.namedChildren.find((c) => c?.type === 'visibility_modifier');
  return !vis || vis.text === 'public';
}

/**
 * A comment that heads a block of imports rather than describing the file: `/** Module dependencies. *\/`, and the
 * group labels of sorted imports (`// Std`, `// Internal`, `// Third-party crates`).
 */
const SECTION_LABEL =
  /^((module )?(dependencies|imports|requires|exports)|(std|stdlib|standard library|internal|external|local|crate|project|third[- ]party)( (dependencies|imports|crates|modules|packages|libraries))?)[.:]?$/i;

/** A script's inline metadata block (PEP 723: `# /// script`, the TOML it holds, `# ///`). */
const INLINE_METADATA = /^#\s*\/\/\/\s*[a-z]/;

/** Leading file comment (skipping license headers and section labels) or Python module docstring, first paragraph. */
function fileDoc(root: Node, language: Language, source: string, used: Set<number>): string | undefined {
  let child = root.firstNamedChild;
  while (child && (child.type === 'php_tag' || child.type === 'hash_bang_line')) child = child.nextNamedSibling;
  if (language === 'python') {
    // The module docstring, after any shebang, encoding or license comments.
    let first = child;
    while (first && COMMENT_TYPES.has(first.type)) first = first.nextNamedSibling;
    // A license in the docstring (`Copyright (c) Django Software Foundation ...`) says nothing about the module.
    if (first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string') {
      const doc = cleanDoc(first.firstNamedChild.text, language);
      return doc && !LICENSE.test(doc) ? doc : undefined;
    }
  }
  // Rust's inner doc (`//!`, `/*!`) is the module's own, whatever plain comments come before it.
  if (language === 'rust') {
    let first = child;
    while (first && COMMENT_TYPES.has(first.type) && !/^\/(\/!|\*!)/.test(first.text)) first = first.nextNamedSibling;
    if (first && COMMENT_TYPES.has(first.type)) child = first;
  }
  while (child && COMMENT_TYPES.has(child.type)) {
    const block: Node[] = [child];
    let next = child.nextNamedSibling;
    while (next && COMMENT_TYPES.has(next.type) && next.startPosition.row <= block[block.length - 1].endPosition.row + 1) {
      block.push(next);
      next = next.nextNamedSibling;
    }
    const text = block.filter((b) => !DIRECTIVE.test(b.text)).map((b) => b.text).join('\n');
    if (text && !LICENSE.test(text) && !INLINE_METADATA.test(text) && !used.has(block[block.length - 1].startIndex) && startsLine(block[0], source)) {
      const doc = cleanDoc(text, language);
      if (doc && !SECTION_LABEL.test(doc)) return doc;
    }
    child = next;
  }
  return undefined;
}
