import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';

/** Comment node types across the shipped grammars. */
export const COMMENT_TYPES: ReadonlySet<string> = new Set(['comment', 'line_comment', 'block_comment', 'multiline_comment']);

/** Call node types across the shipped grammars. */
export const CALL_TYPES: readonly string[] = [
  'call_expression', 'call', 'method_invocation', 'invocation_expression',
  'function_call_expression', 'member_call_expression', 'scoped_call_expression',
];

/** Nodes that hold a list of statements run one after the other. */
export const BLOCK_TYPES: ReadonlySet<string> = new Set([
  'statement_block', 'block', 'compound_statement', 'body_statement', 'then', 'switch_case', 'switch_default',
  'switch_block_statement_group', 'switch_section', 'case_statement', 'default_statement', 'expression_case',
  'default_case', 'type_case', 'communication_case',
]);

/** Function-like node types across the shipped grammars. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  'function_declaration', 'function_definition', 'method_definition', 'method_declaration', 'arrow_function',
  'function_expression', 'function', 'generator_function_declaration', 'generator_function', 'func_literal',
  'function_item', 'closure_expression', 'lambda', 'lambda_expression', 'constructor_declaration', 'method',
  'singleton_method', 'local_function_statement', 'anonymous_function_creation_expression', 'anonymous_function',
  'anonymous_method_expression',
]);

/** True for the JavaScript family (TypeScript, TSX, JavaScript). */
export function isJsFamily(language: Language): boolean {
  return language === 'typescript' || language === 'tsx' || language === 'javascript';
}

/** 1-based first line of a node. */
export function startLine(node: Node): number {
  return node.startPosition.row + 1;
}

/** 1-based last line of a node; a node ending at column 0 ends on the previous line. */
export function endLine(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

/** Code quoted for a message: whitespace collapsed, shortened, backticks neutralised, wrapped in backticks. */
export function quote(text: string, max = 60): string {
  let s = text.slice(0, max * 4).replace(/\s+/g, ' ').trim().replace(/`/g, "'");
  if (s.length > max) s = s.slice(0, max - 1).trimEnd() + '…';
  return '`' + s + '`';
}

/** Non-null named children. */
export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** Named children that are not comments. */
export function statements(node: Node): Node[] {
  return named(node).filter((c) => !COMMENT_TYPES.has(c.type));
}

/** True when a body holds nothing but comments, `pass` or `...`. */
export function isEmptyBody(body: Node | null): boolean {
  if (!body) return true;
  return statements(body).every(
    (s) => s.type === 'pass_statement' || (s.type === 'expression_statement' && s.text.trim() === '...'),
  );
}

/** True when a node has a comment child. */
export function hasComment(node: Node): boolean {
  return named(node).some((c) => COMMENT_TYPES.has(c.type));
}

/** The operator token(s) of a binary/comparison node, e.g. `===` or `is not`. */
export function operatorOf(node: Node): string {
  const field = node.childForFieldName('operator');
  if (field && !field.isNamed) return field.type;
  const ops: string[] = [];
  for (const c of node.children) {
    if (c && !c.isNamed && c.type !== '(' && c.type !== ')') ops.push(c.type);
  }
  return ops.join(' ');
}

/** Left and right operands of a binary node, or null when it does not have exactly two. */
export function operands(node: Node): [Node, Node] | null {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left && right) return [left, right];
  const parts = statements(node);
  return parts.length === 2 ? [parts[0], parts[1]] : null;
}

/** Text of what a call calls, e.g. `fs.promises.readFile`, `self.load`, `obj.close`. */
export function calleeText(call: Node): string {
  const fn = call.childForFieldName('function');
  if (fn) return fn.text;
  const name = call.childForFieldName('name') ?? call.childForFieldName('method');
  const recv = call.childForFieldName('object') ?? call.childForFieldName('receiver') ?? call.childForFieldName('scope');
  if (!name) {
    // Kotlin and Swift calls have no fields: the callee is the first child (`read`, `file.read`).
    const callee = call.firstNamedChild;
    return callee && (callee.type === 'simple_identifier' || callee.type === 'navigation_expression') ? callee.text : '';
  }
  return recv ? `${recv.text}${MEMBER_SEPARATOR[call.type] ?? '.'}${name.text}` : name.text;
}

/** How PHP writes a call through a receiver: `$x->f()`, `$x?->f()`, `X::f()`. */
const MEMBER_SEPARATOR: Record<string, string> = {
  member_call_expression: '->', nullsafe_member_call_expression: '?->', scoped_call_expression: '::',
};

/** Last dotted segment of a callee, e.g. `readFile` for `fs.promises.readFile`. */
export function calleeName(call: Node): string {
  const text = calleeText(call);
  const m = /([\w$]+)\s*$/.exec(text);
  return m ? m[1] : text;
}

/** The first call in `node`, as `callee()`; one whose callee matches `skip` (logging) only when there is no other. */
export function firstCall(node: Node | null, skip?: RegExp): string | null {
  if (!node) return null;
  // `raise ValidationError(...)`, `throw new Error(...)`: the call makes the exception thrown; it does not fail.
  const calls = node.descendantsOfType([...CALL_TYPES]).filter((c) => c && !insideThrow(c, node));
  let call = (skip && calls.find((c) => c && !skip.test(calleeText(c)))) || calls[0];
  if (!call) return null;
  // `a.b().c()`: the chain's innermost call (same start) names the operation better than `c()`.
  for (const c of calls) if (c && c.startIndex === call.startIndex) call = c;
  const text = calleeText(call);
  return text ? `${text.length > 40 ? calleeName(call) : text}()` : null;
}

const THROW_TYPES = new Set(['raise_statement', 'throw_statement', 'throw_expression']);

/** Whether `node` is part of a statement inside `within` that raises or throws. */
export function insideThrow(node: Node, within: Node): boolean {
  for (let p = node.parent; p && p.id !== within.id; p = p.parent) if (THROW_TYPES.has(p.type)) return true;
  return THROW_TYPES.has(within.type);
}

/** Nearest enclosing function-like node, or null at top level. */
export function enclosingFunction(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p;
  return null;
}

/** Name of the function around `node`, or ''. */
export function enclosingFunctionName(node: Node): string {
  const fn = enclosingFunction(node);
  return (fn && functionName(fn)) ?? '';
}

/** The name a function is known by: its own name, or the variable/property it is assigned to. */
export function functionName(fn: Node): string | null {
  const own = fn.childForFieldName('name') ?? named(fn).find((c) => c.type === 'simple_identifier'); // Kotlin: no fields
  if (own) return own.text;
  for (let d = fn.childForFieldName('declarator'); d; d = d.childForFieldName('declarator')) {
    if (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'qualified_identifier') return d.text;
  }
  const p = fn.parent;
  if (!p) return null;
  if (p.type === 'variable_declarator') return p.childForFieldName('name')?.text ?? null;
  if (p.type === 'pair') return p.childForFieldName('key')?.text ?? null;
  if (p.type === 'public_field_definition' || p.type === 'field_definition') {
    return (p.childForFieldName('name') ?? p.childForFieldName('property'))?.text ?? null;
  }
  if (p.type === 'assignment_expression') {
    const left = p.childForFieldName('left');
    return left ? (left.childForFieldName('property') ?? left).text : null;
  }
  return null;
}

const PREFIX_TYPES = new Set(['modifier', 'decorator', 'attribute_list', 'accessibility_modifier']);

/** True when a node has an anonymous `async` token (or C# `async` modifier) among its direct children. */
export function hasAsyncKeyword(node: Node): boolean {
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'async' || (c.type === 'modifier' && c.text === 'async')) return true;
    if (c.isNamed && !PREFIX_TYPES.has(c.type)) break;
  }
  return false;
}

/** Matches one whole word in text (for cheap "is this name mentioned" checks). */
export function mentions(text: string, word: string): boolean {
  return new RegExp(`(^|[^\\w$])${escapeRegExp(word)}($|[^\\w$])`).test(text);
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
