import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';
import { terminator } from './flowRules';
import type { Rule, RuleContext } from './rule';
import { calleeText, COMMENT_TYPES, endLine, quote, startLine } from './syntax';

/** The node of one `case` (or `default`) with the statements under it, by language; C# refuses to compile a fall-through. */
const CASE_TYPES: Partial<Record<Language, ReadonlySet<string>>> = {
  c: new Set(['case_statement']),
  cpp: new Set(['case_statement']),
  java: new Set(['switch_block_statement_group']),
  javascript: new Set(['switch_case', 'switch_default']),
  typescript: new Set(['switch_case', 'switch_default']),
  tsx: new Set(['switch_case', 'switch_default']),
  php: new Set(['case_statement', 'default_statement']),
};

/** `// fall through`, `/* FALLTHRU *\/`, `[[fallthrough]];`, `ZEND_FALLTHROUGH;`, `// falls through` (ESLint), `// no break`. */
const FALLTHROUGH_NOTE = /fall(s|ing)?[\s_-]*(through|thru)|no\s+break|intentional|deliberate/i;

/**
 * Calls, by their last name, that end a case as `break` would: the process stops (`exit`, `_exit`, `abort`, tmux's
 * `fatal`, `usage`, an `exec`), the call throws (Jackson's `_reportUnexpectedChar`, Catch2's `CATCH_ERROR`), or it is
 * marked unreachable (ruby/json's `JSON_UNREACHABLE_RETURN(false)`).
 */
const STOPPING_CALL = /^(\w*?_)?(exit|halt|abort|_Exit|die|terminate|longjmp|siglongjmp|exec[lv]?p?e?|usage)$|unreachable|fatal|panic|bail|error|fail|throw|raise|report/i;
/** A C macro that returns: CPython's `Py_RETURN_NONE;`, PHP's `RETURN_FALSE;` and `RETURN_LONG(n);` (not `RETVAL_LONG`, which only sets). */
const RETURNING_MACRO = /^([A-Za-z][A-Za-z0-9]*_)*RETURN(_[A-Z0-9_]+)?$/;

/**
 * Whether control cannot leave `stmt` at its end: it always jumps, returns, throws or stops. A nested `switch`
 * (whose `break` only leaves itself) or a `try` (whose handler may fall back on purpose) counts as one: unknown
 * is no finding.
 */
function endsInJump(stmt: Node, language: Language): boolean {
  if (terminator(stmt, language)) return true;
  const s = unwrapped(stmt);
  if (STOPPING_CALL.test(calledName(s))) return true;
  if ((language === 'c' || language === 'cpp') && RETURNING_MACRO.test(s.type === 'identifier' ? s.text : calledName(s))) return true;
  if (s.type === 'switch_statement' || s.type === 'switch_expression' || s.type === 'try_statement') return true;
  if (/^(compound_statement|block|statement_block|labeled_statement)$/.test(s.type)) {
    const last = lastStatement(s);
    return !!last && endsInJump(last, language);
  }
  if (s.type === 'if_statement') {
    const then = s.childForFieldName('consequence');
    let otherwise = s.childForFieldName('alternative');
    // JS and C wrap the else branch in an `else_clause`.
    if (otherwise?.type === 'else_clause') otherwise = otherwise.namedChildren.find((c) => c && !COMMENT_TYPES.has(c.type)) ?? null;
    return !!then && !!otherwise && endsInJump(then, language) && endsInJump(otherwise, language);
  }
  // `do { ...; return; } while (0)`: a macro's body.
  if (s.type === 'do_statement') {
    const body = s.childForFieldName('body');
    return !!body && endsInJump(body, language);
  }
  return false;
}

/**
 * Whether falling into `c` changes nothing: it holds only `break` or empty statements (expat's
 * `default:; /* should not happen *\/`), or nothing at all and ends the switch.
 */
function doesNothing(c: Node, isLast: boolean): boolean {
  const statements = caseStatements(c);
  if (statements.length === 0) return isLast;
  return statements.every((s) => s.type === 'break_statement' || s.type === 'empty_statement' || (s.type === 'expression_statement' && s.namedChildCount === 0));
}

/** Calls, by their last name, that only fail: `rb_raise`, `zend_throw_exception`, `abort`, `panic`, `NOT_REACHED`. */
const FAILING_CALL = /^(\w*?_)?(raise|throw\w*|abort|panic|fatal|die|bug|unreachable|not_?reached)$/i;
/** `assert(false)`, `assert(0)`, `assert(!"unknown state")`: an assertion that cannot hold. */
const FAILING_ASSERT = /^\w*assert\w*\s*\(\s*(false|0|!\s*"[^"]*"|!\s*'[^']*')\s*\)$/i;

/**
 * Whether `c` does nothing but fail: libzmq's `default: assert (false);`, nokogiri's `default: rb_raise(...)`, a
 * `default: throw ...`. A case that falls into it on purpose lets the values it cannot handle fail there; a
 * forgotten `break` before it fails at once, where a test sees it.
 */
function failsOutright(c: Node): boolean {
  const statements = caseStatements(c).filter((s) => s.type !== 'break_statement');
  if (statements.length !== 1) return false;
  const s = unwrapped(statements[0]);
  if (s.type === 'throw_statement' || s.type === 'throw_expression') return true;
  const name = calledName(s);
  return name !== '' && (FAILING_CALL.test(name) || FAILING_ASSERT.test(s.text.replace(/\s+/g, ' ')));
}

/** The statements of a case, past its label, its value and comments. */
function caseStatements(c: Node): Node[] {
  const value = c.childForFieldName('value');
  return c.namedChildren.filter((s): s is Node => !!s && !COMMENT_TYPES.has(s.type) && s.type !== 'switch_label' && s.id !== value?.id);
}

/** The expression of an expression statement that holds one, else the statement. */
function unwrapped(stmt: Node): Node {
  return stmt.type === 'expression_statement' && stmt.namedChildCount === 1 ? stmt.firstNamedChild! : stmt;
}

/** The last name of the function `node` calls (`rb_raise`, `fail` of `this.fail`), or '' when it is no call. */
function calledName(node: Node): string {
  return /call|invocation/.test(node.type) ? calleeText(node).replace(/^.*(\.|::|->)/, '') : '';
}

/** The last statement of a block or case, past comments. */
function lastStatement(node: Node): Node | undefined {
  const value = node.childForFieldName('value');
  for (let i = node.namedChildCount - 1; i >= 0; i--) {
    const c = node.namedChild(i);
    if (!c || COMMENT_TYPES.has(c.type) || c.type === 'switch_label' || (value && c.id === value.id)) continue;
    return c;
  }
  return undefined;
}

/**
 * A `case` with statements of its own that runs on into the next one: a missing `break` is one of the classic
 * slips, and compilers warn on it (`-Wimplicit-fallthrough`) unless a comment or `[[fallthrough]]` says it is meant.
 * A run of cases falling through one after another (a hash function's tail, Duff's device) is one by design.
 */
export function fallthroughRules(ctx: RuleContext): Rule | null {
  const caseTypes = CASE_TYPES[ctx.language];
  const preprocessed = ctx.language === 'c' || ctx.language === 'cpp';
  if (!caseTypes || !/\bswitch\b/.test(ctx.source)) return null;
  const check = (body: Node): void => {
    if (body.hasError) return;
    const cases = body.namedChildren.filter((c): c is Node => !!c && caseTypes.has(c.type));
    const falling: { from: Node; last: Node; into: Node }[] = [];
    for (let i = 0; i + 1 < cases.length; i++) {
      const last = lastStatement(cases[i]);
      if (!last) continue; // `case 1: case 2:` share their statements
      const into = cases[i + 1];
      if (endsInJump(last, ctx.language) || doesNothing(into, i + 2 === cases.length) || failsOutright(into)) continue;
      const gap = ctx.source.slice(last.startIndex, into.startIndex);
      // A `#if` between them: each build may see a different end of the case.
      if (FALLTHROUGH_NOTE.test(gap) || (preprocessed && /^\s*#/m.test(gap))) continue;
      falling.push({ from: cases[i], last, into });
    }
    for (const [i, f] of falling.entries()) {
      // Two or more cases in a row falling on (a hash's tail, Flat3Map's `case 3: case 2: case 1:`) are a cascade by design.
      if (falling[i - 1]?.into === f.from || falling[i + 1]?.from === f.into) continue;
      ctx.reportLines('switch-fallthrough', 0.45,
        `${quote(caseLabel(f.from))} runs on into ${quote(caseLabel(f.into))} (line ${startLine(f.into)}): its last statement, ${quote(f.last.text, 40)}, is no \`break\`, \`return\` or \`throw\`. If that is meant, say so with a \`// fall through\` comment.`,
        startLine(f.from), endLine(f.last));
    }
  };
  // C's switch body is a plain block: only the one under a `switch` counts.
  const cBody = (node: Node): void => {
    if (node.parent?.type === 'switch_statement') check(node);
  };
  return { enter: { compound_statement: cBody, switch_block: check, switch_body: check } };
}

/** `case FOO`, `default`. */
function caseLabel(c: Node): string {
  const value = c.childForFieldName('value');
  if (value) return `case ${value.text}`;
  const label = c.namedChildren.find((n) => n?.type === 'switch_label');
  return label ? label.text : 'default';
}
