import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';
import type { Rule, RuleContext } from './rule';
import { enclosingFunction, enclosingFunctionName, isJsFamily, mentions, named, operands, operatorOf, quote } from './syntax';

const COMPARE_OPS = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'is', 'is not', '<>']);
/** A plain variable or member path (no calls), so both sides are the same value. */
const PLAIN_OPERAND = /^\$?[A-Za-z_$][\w$]*(\s*(\.|->|::|\?\.)\s*\$?[A-Za-z_$][\w$]*|\[[\w$'"]+\])*$/;
/**
 * Expressions that are a length or size, so never negative, in each language: built-ins and the standard
 * collections' members. A field such as Go's `h.Count` may be of any type, so members count only where the
 * language's collections define them.
 */
const SIZE_OPERAND: Record<Language, RegExp> = {
  go: /^(len|cap)\(.+\)$/s,
  python: /^len\(.+\)$/s,
  php: /^(count|sizeof|strlen|mb_strlen)\(.+\)$/s,
  c: /^(strlen\(.+\)|sizeof\b.*)$/s,
  cpp: /^(strlen\(.+\)|sizeof\b.*|.+\.(size|length)\(\))$/s,
  csharp: /^.+\.(Length|LongLength|Count|Count\(\))$/s,
  java: /^.+\.(length|length\(\)|size\(\))$/s,
  javascript: /^.+\.length$/s,
  typescript: /^.+\.length$/s,
  tsx: /^.+\.length$/s,
  rust: /^.+\.(len|count)\(\)$/s,
  ruby: /^.+\.(length|size|count)(\(\))?$/s,
  kotlin: /^.+\.(size|length|count\(\))$/s,
  swift: /^.+\.count$/s,
  scala: /^.+\.(size|length)$/s,
};
const TYPEOF_RESULTS = new Set(['undefined', 'object', 'boolean', 'number', 'bigint', 'string', 'symbol', 'function']);
const PY_LITERALS = new Set([
  'integer', 'float', 'string', 'concatenated_string', 'list', 'dictionary', 'tuple', 'set',
]);
const UNSIGNED_TYPE = /\b(unsigned|size_t|uint(8|16|32|64)?_t|uintptr_t)\b/;
const ZERO = /^0+[uUlL]*$/;
const COMPARE_CHARS = /[=<>]|is/;
/** `v != v` or `v !== v`: true only for NaN. */
const NAN_TEST = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*!==?\s*\1(?![\w$])/;

/** Whether `node` is expanded once per element of a C++ parameter pack: `(I == I)...`. */
function inPackExpansion(node: Node): boolean {
  for (let n = node.parent, depth = 0; n && depth < 3; n = n.parent, depth++) if (n.type === 'parameter_pack_expansion') return true;
  return false;
}

/** Source offsets of the function around `node`, or of the whole file outside one. */
function functionSpan(node: Node): [number, number] {
  const fn = enclosingFunction(node);
  return fn ? [fn.startIndex, fn.endIndex] : [0, node.tree.rootNode.endIndex];
}

function binaryTypes(ctx: RuleContext): string[] {
  if (ctx.language === 'python') return ['comparison_operator'];
  if (ctx.language === 'ruby') return ['binary'];
  if (ctx.language === 'kotlin' || ctx.language === 'swift') return ['equality_expression', 'comparison_expression'];
  return ['binary_expression'];
}

/**
 * Comparisons that are always true/false or compare the wrong thing: `x == x`, misspelled `typeof` results,
 * Python `is` with a literal, Java `==` on strings, `len(x) < 0` and unsigned `< 0`.
 */
export function comparisonRules(ctx: RuleContext): Rule | null {
  const lang = ctx.language;
  const unsigned = new Set<string>();
  const check = (node: Node): void => {
    // Every comparison operator contains `=`, `<`, `>` or `is`: most short binary nodes (`+`, `&&`) are ruled out
    // by their text; long ones skip this test so that nested chains are not rescanned.
    const { startIndex, endIndex } = node;
    if (endIndex - startIndex <= 256 && !COMPARE_CHARS.test(ctx.source.slice(startIndex, endIndex))) return;
    const op = operatorOf(node);
    if (!COMPARE_OPS.has(op)) return;
    const ops = operands(node);
    if (!ops) return;
    const [left, right] = ops;
    const l = left.text.trim();
    const r = right.text.trim();
    if (l === r && PLAIN_OPERAND.test(l)) {
      // `v != v` is the NaN test (true only for NaN), and so is `isnan(v) { return v == v; }`; beside a NaN test,
      // `b == b` asks whether `b` is a number too. C++'s `(I == I)...` makes one `true` per pack element.
      if (op === '!=' || op === '!==' || /nan/i.test(enclosingFunctionName(node)) || inPackExpansion(node)) return;
      if (NAN_TEST.test(ctx.source.slice(...functionSpan(node)))) return;
      ctx.report('self-comparison', 0.7,
        `${quote(node.text)} compares ${quote(l)} with itself, so it is always ${op.includes('=') ? 'true' : 'false'}; one side is probably meant to be something else.`,
        node);
      return;
    }
    if (isJsFamily(lang)) {
      const typeofSide = [left, right].find((s) => s.type === 'unary_expression' && s.text.startsWith('typeof'));
      const strSide = [left, right].find((s) => s.type === 'string');
      if (typeofSide && strSide) {
        const value = strSide.text.slice(1, -1);
        if (!TYPEOF_RESULTS.has(value)) {
          ctx.report('typeof-typo', 0.8,
            `\`typeof\` never returns ${quote(strSide.text)}, so ${quote(node.text)} is always ${op.startsWith('!') ? 'true' : 'false'}.`,
            node);
          return;
        }
      }
    }
    if (lang === 'python' && (op === 'is' || op === 'is not')) {
      const lit = [left, right].find((s) => PY_LITERALS.has(s.type));
      if (lit) {
        ctx.report('is-literal', 0.7,
          `${quote(node.text)} compares identity with the literal ${quote(lit.text)}; that depends on interning, use \`${op === 'is' ? '==' : '!='}\`.`,
          node);
        return;
      }
    }
    if (lang === 'java' && (op === '==' || op === '!=')) {
      const isStr = (s: Node): boolean => s.type === 'string_literal' ||
        (s.type === 'object_creation_expression' && s.childForFieldName('type')?.text === 'String');
      if ((isStr(left) || isStr(right)) && left.type !== 'null_literal' && right.type !== 'null_literal') {
        ctx.report('string-reference-equality', 0.65,
          `${quote(node.text)} compares String references, not contents; use \`.equals()\`.`, node);
        return;
      }
    }
    checkImpossible(ctx, node, op, left, right, unsigned);
  };
  const enter: Record<string, (n: Node) => void> = {};
  for (const t of binaryTypes(ctx)) enter[t] = check;
  if ((lang === 'c' || lang === 'cpp') && UNSIGNED_TYPE.test(ctx.source)) {
    // Names are tracked in source order: a later declaration of the same name with a signed type
    // (`int j` in a loop after an earlier `size_t j`) replaces the earlier one.
    const collect = (decl: Node): void => {
      const isUnsigned = UNSIGNED_TYPE.test(decl.childForFieldName('type')?.text ?? '');
      for (const d of decl.childrenForFieldName('declarator')) {
        const id = d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d;
        if (id?.type === 'identifier' && isUnsigned) unsigned.add(id.text);
        else if (id) unsigned.delete(declaredName(id));
      }
    };
    enter.parameter_declaration = collect;
    enter.declaration = collect;
  }
  return { enter };
}

/** The identifier a C/C++ declarator declares (`*p`, `&r`, `a[4]` -> `p`, `r`, `a`). */
function declaredName(declarator: Node): string {
  let d: Node | null = declarator;
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? d.firstNamedChild;
  return d?.text ?? '';
}

/** `size < 0` is always false and `size >= 0` always true for lengths and unsigned values. */
function checkImpossible(ctx: RuleContext, node: Node, op: string, left: Node, right: Node, unsigned: Set<string>): void {
  let subject: Node;
  let norm: string;
  if (ZERO.test(right.text)) {
    subject = left;
    norm = op;
  } else if (ZERO.test(left.text)) {
    subject = right;
    norm = op === '>' ? '<' : op === '<=' ? '>=' : '';
  } else return;
  if (norm !== '<' && norm !== '>=') return;
  const text = subject.text.trim();
  const isSize = SIZE_OPERAND[ctx.language].test(text);
  if (!isSize && !unsigned.has(text)) return;
  // `typeof item.length !== 'number' || item.length < 0`: validating an unknown object's length, which may be anything.
  let chain = node;
  while (chain.parent && /^(binary_expression|parenthesized_expression)$/.test(chain.parent.type)) chain = chain.parent;
  if (chain.text.includes(`typeof ${text}`)) return;
  const kind = isSize ? 'a length/size' : 'unsigned';
  ctx.report('impossible-comparison', 0.6,
    `${quote(node.text)} is always ${norm === '<' ? 'false' : 'true'}: ${quote(text)} is ${kind} and never negative.`, node);
}

/** A bare variable (`y`, `$y`). */
const PLAIN_NAME = /^(identifier|variable_name|simple_identifier)$/;

/** `if (x = 1)`: assignment used as a condition (C, C++, JS/TS, PHP, Java, C#). */
export function assignmentInConditionRules(ctx: RuleContext): Rule | null {
  const lang = ctx.language;
  if (lang === 'python' || lang === 'go' || lang === 'rust' || lang === 'ruby') return null;
  const check = (node: Node): void => {
    let cond = node.childForFieldName('condition');
    if (!cond) return;
    if (cond.type === 'parenthesized_expression' || cond.type === 'condition') cond = named(cond)[0] ?? null;
    else if (cond.type === 'condition_clause') cond = cond.childForFieldName('value');
    if (!cond || cond.type !== 'assignment_expression' || operatorOf(cond) !== '=') return;
    const right = cond.childForFieldName('right');
    // Only `if (x = 5)` and `if (x = y)` read as a mistyped `==`. Assigning a call, lookup or `??` is fetch-and-test,
    // an idiom: `if ($user = $repo->find($id))`, `while ((line = reader.readLine()) != null)`.
    if (!right) return;
    const literal = /literal|^number$|^integer$|^string$|^true$|^false$|^null$|^float$/.test(right.type);
    if (!literal && !PLAIN_NAME.test(right.type)) return;
    ctx.report('assignment-in-condition', literal ? 0.75 : 0.4,
      `${quote(cond.text)} assigns inside the condition instead of comparing${literal ? ', so the branch outcome is fixed' : ''}; if intended, wrap it in extra parentheses.`,
      cond);
  };
  return { enter: { if_statement: check, while_statement: check, do_statement: check } };
}

/** True when `name` is a parameter of the C or C++ function `fn`. */
function isParameter(name: string, fn: Node | null): boolean {
  let d = fn?.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  return mentions(d?.childForFieldName('parameters')?.text ?? '', name);
}

/** `x = x`: assignments that change nothing. */
export function selfAssignmentRules(ctx: RuleContext): Rule | null {
  if (ctx.language === 'ruby' || ctx.language === 'rust') return null;
  const check = (node: Node): void => {
    const sides = operands(node);
    if (!sides) return;
    const [left, right] = sides;
    const l = left.text.trim();
    if (l !== right.text.trim() || !PLAIN_OPERAND.test(l) || operatorOf(node) !== '=') return;
    // Python's `unichr = unichr` in a module or class body binds a builtin or global name there, to export it.
    if (ctx.language === 'python' && !l.includes('.') && !enclosingFunction(node)) return;
    // C's `param = param;` silences an unused-parameter warning.
    if ((ctx.language === 'c' || ctx.language === 'cpp') && isParameter(l, enclosingFunction(node))) return;
    ctx.report('self-assignment', 0.5,
      `${quote(node.text)} assigns ${quote(l)} to itself and has no effect; a different source was probably meant.`, node);
  };
  const lang = ctx.language;
  const types = lang === 'python' || lang === 'kotlin' || lang === 'swift' ? ['assignment'] : lang === 'go' ? ['assignment_statement'] : ['assignment_expression'];
  const enter: Record<string, (n: Node) => void> = {};
  for (const t of types) enter[t] = check;
  return { enter };
}
