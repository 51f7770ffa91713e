import type { Node } from 'web-tree-sitter';
import { wholeDoc } from '../parse/docComments';
import type { Rule, RuleContext } from './rule';
import { calleeText, COMMENT_TYPES, enclosingFunction, escapeRegExp, named, quote, startLine } from './syntax';

/** Pattern id of comment markers; the cap counts them last. */
export const MARKER_PATTERN = 'todo-marker';

const MARKER_WEIGHT: Record<string, number> = { FIXME: 0.2, BUG: 0.2, XXX: 0.15, HACK: 0.15, TODO: 0.1 };
const MARKER_WORDS = Object.keys(MARKER_WEIGHT).join('|');
/** A marker word, the others joined to it (`HACK/FIXME:`), its optional `(owner or condition)` tag, and the text after it. */
const MARKER = new RegExp(String.raw`\b(${MARKER_WORDS})\b(?:\/(?:${MARKER_WORDS})\b)*(?![\w.-])(?: ?\(([^)]*)\))?[\s:(!\-]*(.*)$`);
/** Necessary for `MARKER` to match anywhere in a file. */
const MARKER_WORD = new RegExp(String.raw`\b(${MARKER_WORDS})\b`);
/**
 * A marker that only asks for documentation: `@param {mixed} msg - TODO: add param description.`, `TODO: document
 * this`. Debt in the docs, not a hint about the code.
 */
const DOC_TAG_BEFORE = /(^|\s)@(param|arg|argument|returns?|type|typedef|property|prop|throws|exception|var|description|desc|summary|example|callback|template)\b/;
const DOC_REQUEST = /^(add|write|fill( in)?|complete|improve|update|expand)\b.{0,40}\b(descriptions?|docs?|documentation|docstrings?|comments?|jsdoc|javadoc|examples?)\b|^(document|describe)\b/i;
/** A change planned for a later version (`TODO return this in 2.0`, `remove in next major release`, `when we drop 1.8.7`, `when breaking BC`): a plan, not a defect. */
const PLANNED_CHANGE = /\b(in|for|at|until|before|with)\s+(v?\d+\.\d+(\.\d+)?|(the\s+)?next\s+major(\s+(release|version))?|(a\s+)?(future|later)\s+(major\s+)?(release|version))\b|\bwhen\s+(we\s+)?(drop|remove|break)\w*\s+(support|BC|backwards?[\s-]compat|compat|(\w+\s+)?v?\d)|\bwhen\s+breaking\s+(BC|backwards?[\s-]compat|compat|changes?)\b/i;
const RUST_UNWRAP_CAP = 5;
/** FFI code is unsafe block after unsafe block: past a few, more of them say nothing new about the file. */
const RUST_UNSAFE_CAP = 3;

/** A marker found, its lines `start`-`end`, its text `rest` (joined over a paragraph) and that of its last marked line. */
interface Marker { word: string; tag: string; rest: string; beside: string; start: number; end: number; lastLine: string }

/**
 * Whether a marked line goes on with the sentence of the marked line just above it: that one was wrapped (long) and
 * stops mid-sentence, and either it ends on a word no sentence ends on, or the paragraph began with a capital and this
 * line does not. `// TODO: item 1` / `// TODO: item 2`, and markers that each start a sentence (in lower case, as
 * `// TODO: return an error if ...` / `// TODO: consider ...`), stay apart.
 */
function continues(above: string, line: string, first: string): boolean {
  if (above.length < 40 || /[.!?;:]$/.test(above)) return false;
  return MID_SENTENCE_END.test(above) || (/^[A-Z]/.test(first) && !/^[A-Z]/.test(line));
}
const MID_SENTENCE_END = /\b(a|an|the|and|or|but|of|to|with|for|in|on|at|by|from|that|that's|which|is|are|be|not)$/i;

/**
 * TODO/FIXME/HACK/XXX/BUG markers in comments, one candidate per marked line; a paragraph whose every line repeats the
 * marker (`# XXX: This can be confused ...` / `# XXX: a non-attrs class ...`) is one candidate with its text joined.
 */
export function markerRules(ctx: RuleContext): Rule | null {
  if (!MARKER_WORD.test(ctx.source)) return null;
  const found: Marker[] = [];
  const onComment = (node: Node): void => {
    const lines = node.text.split('\n');
    const docComment = lines[0].trimStart().startsWith('/**');
    for (let i = 0; i < lines.length; i++) {
      const m = MARKER.exec(lines[i]);
      if (!m) continue;
      // A bare `/* XXX */` after code marks that code; `// TODO:` alone on its line is told by the next line, or says nothing.
      const beside = i > 0 ? '' : ctx.source.slice(ctx.source.lastIndexOf('\n', node.startIndex - 1) + 1, node.startIndex).trim();
      const own = m[3].replace(/\*\/\s*$|-->\s*$/, '').trim();
      // `// TODO: This _does_ forget the init len, so it could result in` / `// re-initializing twice.`: the sentence
      // goes on below, on a line of its own without a marker.
      const below = beside ? '' : nextCommentLine(node, lines, i).trim();
      const goesOn = own.length >= 30 && !/[.!?]$/.test(own) && below !== '' && !MARKER_WORD.test(below) && !/^[A-Z]+:/.test(below);
      const rest = own ? (goesOn ? `${own} ${below}` : own) : below;
      const before = lines[i].slice(0, m.index);
      if (DOC_REQUEST.test(rest) || PLANNED_CHANGE.test(rest) || DOC_TAG_BEFORE.test(before) || (!rest && !beside) || notAMarker(before, lines[i].slice(m.index), docComment)) continue;
      const line = startLine(node) + i;
      const last = found.at(-1);
      if (last && last.end === line - 1 && last.word === m[1] && last.tag === (m[2] ?? '') && !last.beside && !beside && continues(last.lastLine, rest, last.rest)) {
        last.end = line;
        last.rest = `${last.rest} ${rest}`;
        last.lastLine = rest;
      } else {
        found.push({ word: m[1], tag: m[2] ?? '', rest, beside, start: line, end: goesOn ? line + 1 : line, lastLine: rest });
      }
    }
  };
  const enter: Record<string, (n: Node) => void> = {};
  for (const t of COMMENT_TYPES) enter[t] = onComment;
  const finish = (): void => {
    for (const { word, tag, rest, beside, start, end } of found) {
      ctx.reportLines(MARKER_PATTERN, MARKER_WEIGHT[word],
        `${word}${tag ? `(${tag})` : ''} marker left in a comment${rest ? `: ${quote(rest, 100)}` : ` beside ${quote(beside, 100)}`}.`, start, end);
    }
  };
  return { enter, finish };
}

/**
 * The marker word used as a word: quoted (`throw new NotImplementedException("TODO")`), inside a phrase in capitals
 * (`MONGOLIAN TODO SOFT HYPHEN`, a Unicode name), or mid-sentence in a doc comment ("an exception based TODO tag").
 */
function notAMarker(before: string, from: string, docComment: boolean): boolean {
  if (/["'`]$/.test(before)) return true;
  if (/\b[A-Z]{2,}\s+$/.test(before) && /^\w+\s+[A-Z]{2,}\b/.test(from) && !MARKER_WORD.test(before)) return true;
  return docComment && /\w/.test(before.replace(/^\s*(\/\*\*|\*)/, '')) && !/^\w+\s*[:(]/.test(from);
}

/** The comment text on the line after line `i` of comment `node`: in it, or in a line comment just below it. */
function nextCommentLine(node: Node, lines: string[], i: number): string {
  let next = lines[i + 1];
  if (next === undefined) {
    const sibling = node.nextSibling;
    if (!sibling || !COMMENT_TYPES.has(sibling.type) || sibling.startPosition.row !== node.endPosition.row + 1) return '';
    next = sibling.text.split('\n')[0];
  }
  const text = next.replace(/^\s*(\/\/+|\/?\*+|#+|--)\s?/, '').replace(/\*\/\s*$/, '');
  // The next doc tag (`@param trim` after a bare `TODO` standing for the description of the one before) is not its text.
  return /^\s*@\w/.test(text) ? '' : text;
}

const PY_MUTABLE = new Set(['list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);

/** Methods that change a list, dict or set in place. */
const PY_MUTATORS = new Set([
  'append', 'extend', 'insert', 'pop', 'popitem', 'remove', 'clear', 'sort', 'reverse', 'update', 'setdefault', 'add', 'discard',
  'difference_update', 'intersection_update', 'symmetric_difference_update',
]);

/** What the function does with parameter `name` that lets its shared default change: mutates, keeps, returns or hands it on. */
function defaultUse(fn: Node, name: string): { how: 'mutated' | 'kept' | 'returned' | 'passed on'; at: Node } | undefined {
  const body = fn.childForFieldName('body');
  let passed: Node | undefined;
  for (const id of body?.descendantsOfType('identifier') ?? []) {
    if (id?.text !== name) continue;
    const up = id.parent;
    if (!up) continue;
    if (up.type === 'attribute' && up.childForFieldName('object')?.id === id.id) {
      const call = up.parent;
      if (call?.type === 'call' && call.childForFieldName('function')?.id === up.id && PY_MUTATORS.has(up.childForFieldName('attribute')?.text ?? '')) return { how: 'mutated', at: call };
      continue;
    }
    if (up.type === 'subscript' && up.childForFieldName('value')?.id === id.id) {
      const target = up.parent;
      if ((target?.type === 'assignment' || target?.type === 'augmented_assignment') && target.childForFieldName('left')?.id === up.id) return { how: 'mutated', at: target };
      if (target?.type === 'delete_statement') return { how: 'mutated', at: target };
      continue;
    }
    if (up.type === 'augmented_assignment' && up.childForFieldName('left')?.id === id.id) return { how: 'mutated', at: up };
    if (up.type === 'assignment' && up.childForFieldName('right')?.id === id.id && up.childForFieldName('left')?.type === 'attribute') return { how: 'kept', at: up };
    if (up.type === 'return_statement' || up.type === 'yield') return { how: 'returned', at: up };
    if (up.type === 'argument_list') passed ??= up.parent ?? up;
    else if (up.type === 'keyword_argument' && up.childForFieldName('value')?.id === id.id) passed ??= up.parent?.parent ?? up;
  }
  return passed ? { how: 'passed on', at: passed } : undefined;
}

/**
 * Python `def f(x=[])`: a mutable default is created once and shared by every call. Reported when the function
 * mutates it, keeps it (`self.items = items`), returns it, or (weaker) hands it to other code; a default that is
 * only read is harmless.
 */
export function mutableDefaultRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'python') return null;
  const check = (p: Node): void => {
    const value = p.childForFieldName('value');
    if (!value) return;
    const mutable = PY_MUTABLE.has(value.type) ||
      (value.type === 'call' && /^(list|dict|set|bytearray|defaultdict|collections\.\w+)$/.test(calleeText(value)));
    if (!mutable) return;
    const name = p.childForFieldName('name')?.text ?? named(p)[0]?.text ?? 'parameter';
    const fn = p.parent?.parent;
    const use = fn?.type === 'function_definition' ? defaultUse(fn, name) : undefined;
    if (!use) return;
    const where = `${quote(use.at.text)} (line ${startLine(use.at)})`;
    ctx.report('mutable-default', use.how === 'passed on' ? 0.3 : 0.6,
      `Default ${quote(p.text)} is created once and shared by every call, and \`${name}\` is ${use.how} at ${where}: changes leak between calls (use \`None\`).`, p);
  };
  return { enter: { default_parameter: check, typed_default_parameter: check } };
}

function inRustTest(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'function_item' && p.type !== 'mod_item') continue;
    if (p.type === 'mod_item' && p.childForFieldName('name')?.text === 'tests') return true;
    for (let a = p.previousNamedSibling; a?.type === 'attribute_item'; a = a.previousNamedSibling) {
      if (/\btest\b/.test(a.text)) return true;
    }
  }
  return false;
}

/** `write!(s, ...)` / `writeln!(s, ...)`: formatting into a `String`, which cannot fail, is how these are mostly used. */
function isFormatWrite(receiver: Node | null): boolean {
  return receiver?.type === 'macro_invocation' && /^(write|writeln)$/.test(receiver.childForFieldName('macro')?.text ?? '');
}

/**
 * `m.lock().unwrap()`, `rw.read().unwrap()`, `cvar.wait(guard).unwrap()`, `handle.join().unwrap()`: passing on the
 * panic of a thread that held the lock or that was joined is the convention.
 */
function passesOnPanic(receiver: Node | null): boolean {
  if (receiver?.type !== 'call_expression') return false;
  const fn = receiver.childForFieldName('function');
  return fn?.type === 'field_expression' && /^(lock|read|write|join|wait(_timeout)?(_while)?)$/.test(fn.childForFieldName('field')?.text ?? '');
}

/**
 * `if x.is_some() { x.unwrap() }`: an `if`, `&&` or match guard around the call has just checked the same value
 * (`Some(v) if opt.is_some() => opt.as_ref().unwrap()`).
 */
function checkedBefore(call: Node, receiver: Node | null): boolean {
  if (!receiver) return false;
  const value = receiver.text.replace(/\.(as_ref|as_mut|as_deref|as_deref_mut|take|clone|cloned|copied)\(\)$/, '');
  const checks = [`${value}.is_some()`, `${value}.is_ok()`];
  // `v.pop().unwrap()` after `if v.len() == 1` or inside `match v.len() { 1 => ... }`; `v.last_mut().unwrap()` after `v.push(x)`.
  const collection = ELEMENT_ACCESS.exec(value)?.[1];
  if (collection) checks.push(`${collection}.len()`, `${collection}.is_empty()`);
  for (let p = call.parent; p && p.type !== 'function_item' && p.type !== 'closure_expression'; p = p.parent) {
    const cond = p.type === 'if_expression' ? p.childForFieldName('condition')
      : p.type === 'binary_expression' ? p.childForFieldName('left')
        : p.type === 'match_arm' ? p.childForFieldName('pattern')?.childForFieldName('condition')
          : p.type === 'match_expression' ? p.childForFieldName('value') : null;
    if (cond && checks.some((c) => cond.text.includes(c))) return true;
    if (collection && p.type === 'block' && pushedBefore(p, call, collection)) return true;
    if (p.type === 'block' && assertedBefore(p, call, checks)) return true;
  }
  return false;
}

/** An element taken from a collection: `v.pop()`, `v.last_mut()`, `heap.peek_mut()`, `s.chars().next()` -> `v`, `heap`, `s`. */
const ELEMENT_ACCESS = /^(.+?)(?:\.(?:iter|chars|bytes|keys|values)\(\))?\.(?:pop|pop_front|pop_back|first|first_mut|last|last_mut|front|back|next|peek|peek_mut)\(\)$/;

/** Whether a statement of `block` before `call` asserts one of `checks`: `debug_assert!(entry.is_some());`. */
function assertedBefore(block: Node, call: Node, checks: string[]): boolean {
  for (const stmt of named(block)) {
    if (stmt.startIndex >= call.startIndex) return false;
    const text = stmt.text;
    if (/^(debug_)?assert(_eq|_ne)?!/.test(text) && checks.some((c) => text.includes(c))) return true;
  }
  return false;
}

/** Whether a statement of `block` before `call` adds to `collection` (`v.push(x);`). */
function pushedBefore(block: Node, call: Node, collection: string): boolean {
  const adds = new RegExp(`(^|[^\\w.])${escapeRegExp(collection)}\\.(push|push_back|push_front|insert|extend)\\(`);
  for (const stmt of named(block)) {
    if (stmt.startIndex >= call.startIndex) return false;
    if (adds.test(stmt.text)) return true;
  }
  return false;
}

/**
 * `fn add(self, days: Days) -> Self { self.checked_add_days(days).unwrap() }`, `fn ymd(..) { self.ymd_opt(..).unwrap() }`:
 * the panicking twin of a fallible function (`checked_x`, `try_x`, `x_opt`, `x_checked`) unwraps by design; a caller
 * who wants the failure calls the other. Operator traits (`Add`, `Sub`) cannot return one at all.
 */
function panickingTwin(call: Node, receiver: Node | null): boolean {
  const fnName = enclosingFunction(call)?.childForFieldName('name')?.text;
  if (!fnName || receiver?.type !== 'call_expression') return false;
  const callee = receiver.childForFieldName('function');
  const name = callee?.type === 'field_expression' ? callee.childForFieldName('field')?.text
    : callee?.type === 'scoped_identifier' ? callee.childForFieldName('name')?.text : callee?.text;
  if (!name) return false;
  const base = name.replace(/^(checked|try)_/, '').replace(/_(opt|checked)$/, '');
  return base !== name && (base === fnName || base.startsWith(`${fnName}_`));
}

/**
 * `Regex::new(r"^\d+$").unwrap()`, `Uniform::new(GAP_SIZE, 0x11_0000).unwrap()`: built from literals and constants, it
 * fails on every run or never; so does `seed[..LEN].try_into().unwrap()`, a slice of fixed length made an array.
 */
function fromLiterals(receiver: Node | null): boolean {
  if (receiver && FIXED_SLICE_INTO.test(receiver.text)) return true;
  const list = receiver?.type === 'call_expression' ? receiver.childForFieldName('arguments') : null;
  const args = list ? named(list) : [];
  if (!args.length) return false;
  if (args.every((a) => a.type === 'string_literal' || a.type === 'raw_string_literal')) return true;
  // Numbers and constants only into a function of no object (`m.get(1)` depends on what `m` holds).
  return receiver!.childForFieldName('function')?.type !== 'field_expression' && args.every((a) => RUST_CONSTANT.test(a.text));
}

/** A literal or a constant (`"x"`, `r"\d"`, `0x11_0000`, `1.5`, `true`, `'a'`, `GAP_SIZE`, `u32::MAX`), or sums and products of them. */
const RUST_CONSTANT = /^(?:-?\s*(?:r?#*"[^]*"#*|'[^']*'|\d[\w.]*|true|false|(?:\w+::)*[A-Z][A-Z0-9_]*)\s*(?:[-+*\/<>|&]{1,2}\s*|$))+$/;
/** `(&seed[..LEN]).try_into()`, `buf[i..i + 4].try_into()`: a slice of a length the code fixes, made an array. */
const FIXED_SLICE_INTO = /\[[^\]]*\.\.=?\s*(?:[A-Z][A-Z0-9_]*|\d+|\w+\s*\+\s*(?:[A-Z][A-Z0-9_]*|\d+))\s*\]\)?\.try_into\(\)$/;

/** `// unwrap() should not panic since weights are never NaN`: the comment lines just above say why it cannot fail. */
function justifiedAbove(source: string, offset: number): boolean {
  let lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  for (let n = 0; n < 4 && lineStart > 0; n++) {
    const start = source.lastIndexOf('\n', lineStart - 2) + 1;
    const above = source.slice(start, lineStart - 1);
    if (!/^\s*(\/\/|\/\*|\*)/.test(above)) return false;
    if (/\b(unwrap|panic|fail|infallible|never|always|cannot|can't|guaranteed|invariant)/i.test(above)) return true;
    lineStart = start;
  }
  return false;
}

/** A function whose doc has a `# Panics` section (rustdoc's convention): the panics it documents are its contract. */
function documentsPanics(call: Node, source: string): boolean {
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'function_item') return /(^|\s)#+\s*Panics\b/.test(wholeDoc(p, 'rust', source) ?? '');
  }
  return false;
}

/** Whether the line before the one holding `offset` is a comment. */
function commentedAbove(source: string, offset: number): boolean {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const above = source.slice(source.lastIndexOf('\n', lineStart - 2) + 1, Math.max(0, lineStart - 1));
  return /^\s*(\/\/|\/\*|\*)/.test(above);
}

/** `unsafe { // safety: ... }`: the block's first line says what it relies on. */
function opensWithComment(unsafeBlock: Node): boolean {
  const first = unsafeBlock.namedChildren.find((c) => c?.type === 'block')?.firstNamedChild;
  return Boolean(first && COMMENT_TYPES.has(first.type));
}

/**
 * Whether `node` lies in an `unsafe fn`: its callers carry the invariants (its `# Safety` section), and since
 * Rust 2024 each unsafe operation inside it must sit in a block of its own anyway.
 */
function inUnsafeFn(node: Node): boolean {
  const fn = enclosingFunction(node);
  return fn?.type === 'function_item' && Boolean(fn.namedChildren.find((c) => c?.type === 'function_modifiers')?.text.includes('unsafe'));
}

/** Rust: `.unwrap()` outside tests (capped per file) and `unsafe` blocks (informational). */
export function rustRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'rust') return null;
  let unwraps = 0;
  let unsafes = 0;
  const enter: Record<string, (n: Node) => void> = {};
  if (ctx.source.includes('unwrap')) {
    enter.call_expression = (call) => {
      const fn = call.childForFieldName('function');
      if (fn?.type !== 'field_expression' || fn.childForFieldName('field')?.text !== 'unwrap') return;
      const value = fn.childForFieldName('value');
      if (unwraps >= RUST_UNWRAP_CAP || isFormatWrite(value) || passesOnPanic(value) || fromLiterals(value) || checkedBefore(call, value) || panickingTwin(call, value)
        || inRustTest(call) || documentsPanics(call, ctx.source) || justifiedAbove(ctx.source, call.startIndex)) return;
      unwraps++;
      // `?` is advice only where the function can return the failure.
      const returns = enclosingFunction(call)?.childForFieldName('return_type')?.text ?? '';
      const advice = /\b(Result|Option)\b|io::Result/.test(returns) ? 'propagate with `?` or handle it' : 'handle it, or say with `expect` why it cannot fail';
      ctx.report('rust-unwrap', 0.15,
        `${quote(call.text)} panics if the value is \`Err\`/\`None\`; outside tests, ${advice}.`, call);
    };
  }
  if (ctx.source.includes('unsafe')) {
    enter.unsafe_block = (node) => {
      // A comment just above, or opening the block, says which invariants hold (`// SAFETY: ...`, the convention clippy asks for).
      if (unsafes >= RUST_UNSAFE_CAP || commentedAbove(ctx.source, node.startIndex) || opensWithComment(node) || inUnsafeFn(node) || inRustTest(node)) return;
      unsafes++;
      ctx.report('unsafe-block', 0.1, `${quote(node.text)}: the compiler does not check what \`unsafe\` allows here (unsafe calls, raw pointers, unions); review the invariants it relies on.`, node);
    };
  }
  return { enter };
}
