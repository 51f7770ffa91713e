import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';
import type { Rule, RuleContext } from './rule';
import { BLOCK_TYPES, calleeText, COMMENT_TYPES, quote, startLine } from './syntax';

const TERMINATOR_TYPES = new Set([
  'return_statement', 'throw_statement', 'break_statement', 'continue_statement', 'raise_statement', 'goto_statement',
  'return', 'break', 'next', 'throw_expression', 'return_expression', 'break_expression', 'continue_expression',
]);
/** Statements that may legally follow a terminator (hoisted declarations, jump labels, nested items, the text of a Ruby heredoc the terminator opens). */
const SKIPPABLE = /^(function_declaration|generator_function_declaration|class_declaration|function_definition|labeled_statement|empty_statement|local_function_statement|preproc_\w+|\w+_directive|\w+_item|attribute_item|macro_definition|rescue|ensure|else|when|switch_label|case|default|heredoc_body)$/;
/** Conditional compilation between statements (C# `#if`/`#else` are siblings of the statements they guard). */
const CONDITIONAL_DIRECTIVE = /^(preproc_(if|ifdef|else|elif|elifdef)\w*|(if|elif|else|endif)_directive)$/;
const NO_RETURN_CALL: Partial<Record<Language, RegExp>> = {
  go: /^(panic|os\.Exit|log\.Fatal(f|ln)?|log\.Panic(f|ln)?)$/,
  c: /^(exit|abort|_Exit)$/,
  cpp: /^(exit|abort|_Exit|std::exit|std::abort|std::terminate)$/,
  ruby: /^(raise|fail|exit|abort)$/,
  php: /^(exit|die)$/,
};

/** The terminating kind of a statement (`return`, `throw`, `panic(...)`), or null. */
export function terminator(stmt: Node, language: Language): string | null {
  let s = stmt;
  if (s.type === 'expression_statement' && s.namedChildCount === 1) s = s.firstNamedChild ?? s;
  if (TERMINATOR_TYPES.has(s.type)) return s.type;
  if (language === 'rust' && s.type === 'macro_invocation' && /^(panic|unreachable|todo|unimplemented)!/.test(s.text)) return 'panic!';
  const re = NO_RETURN_CALL[language];
  if (!re) return null;
  if ((s.type === 'call_expression' || s.type === 'call' || s.type === 'function_call_expression') && re.test(calleeText(s))) {
    return calleeText(s);
  }
  if (language === 'php' && s.type === 'exit_statement') return 'exit';
  return null;
}

const PLAIN_TERMINATORS = [
  'return_statement', 'throw_statement', 'break_statement', 'continue_statement', 'raise_statement', 'goto_statement',
  'return', 'break', 'next',
];
const WRAPPED_TERMINATORS: Partial<Record<Language, string>> = {
  go: 'expression_statement', c: 'expression_statement', cpp: 'expression_statement', php: 'expression_statement',
  rust: 'expression_statement', ruby: 'call',
};

/**
 * C-family code with `#if`/`#ifdef` lines inside `node`: each build sees different statements there, and a
 * parser that sees them all (a branch-less `if`, a `case` cut off from its `switch`) is no evidence of a bug.
 */
function hasConditionalCompilation(node: Node, language: Language, source?: string): boolean {
  if (!PREPROCESSED.has(language)) return false;
  // With `source`, also a directive on the line after `node`: `if (a)\n#ifdef X` ends the `if` there.
  const lineEnd = (from: number): number => {
    const i = source!.indexOf('\n', from);
    return i < 0 ? source!.length : i;
  };
  const text = source ? source.slice(node.startIndex, lineEnd(lineEnd(node.endIndex) + 1)) : node.text;
  return CONDITIONAL_LINE.test(text);
}

const CONDITIONAL_LINE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|else|elif|endif)\b/m;

const PREPROCESSED: ReadonlySet<Language> = new Set(['c', 'cpp', 'csharp']);

/** A statement that is only a `yield` (Python, JavaScript, PHP; a Ruby `yield` calls a block and is not wrapped). */
function isBareYield(stmt: Node): boolean {
  return stmt.type === 'expression_statement' && stmt.namedChildCount === 1 && /^yield/.test(stmt.firstNamedChild!.type);
}

/** Statements after `return`/`throw`/`break`/`continue`/`raise`/`panic(` in the same block. */
export function unreachableRules(ctx: RuleContext): Rule | null {
  const check = (stmt: Node): void => {
    // Most terminators end their block: test that first, it is the cheapest check.
    const next = stmt.nextNamedSibling;
    if (!next || !terminator(stmt, ctx.language) || !BLOCK_TYPES.has(stmt.parent?.type ?? '')) return;
    // Rust `#[cfg(feature)] return a; #[cfg(not(feature))] return b;`: one of them is compiled out.
    if (stmt.previousNamedSibling?.type === 'attribute_item' && stmt.previousNamedSibling.text.startsWith('#[cfg')) return;
    const dead: Node[] = [];
    for (let s: Node | null = next; s; s = s.nextNamedSibling) {
      // From a jump label on (or a loop with one inside), code is reached by `goto`; after `#else`/`#endif` it may be another build's.
      if (s.type === 'labeled_statement' || CONDITIONAL_DIRECTIVE.test(s.type) || s.descendantsOfType('labeled_statement').length) break;
      // A stray `;` (`return false;;`) is an empty statement, whatever the grammar calls it.
      const empty = s.type === 'expression_statement' && s.namedChildCount === 0;
      if (!COMMENT_TYPES.has(s.type) && !SKIPPABLE.test(s.type) && !empty) dead.push(s);
    }
    if (dead.length === 0 || dead.every((s) => s.type === 'break_statement')) return;
    // `raise NotImplementedError; yield` (`return; yield`): the dead `yield` makes the function a generator.
    if (dead.every(isBareYield)) return;
    // `exit(1); return -1; /* keep the compiler quiet */`
    if (!TERMINATOR_TYPES.has(stmt.type) && dead.length === 1 && dead[0].type === 'return_statement') return;
    if (hasConditionalCompilation(stmt.parent!, ctx.language)) return;
    // A C `switch` whose statements sit outside any `case`: its labels come from a macro (`CASE(F_up) x = 1; break;`).
    if (PREPROCESSED.has(ctx.language) && stmt.parent!.parent?.type === 'switch_statement') return;
    // A block the parser could not make sense of (`if FMT_CONSTEXPR20 (c) return;`: a macro it cannot expand) may
    // hold a terminator that is really guarded.
    if (stmt.parent!.hasError) return;
    ctx.report('unreachable-code', 0.55,
      `${quote(dead[0].text)} can never run: it follows ${quote(stmt.text, 40)} (line ${startLine(stmt)}) in the same block.`,
      dead[0], dead.at(-1));
  };
  const enter: Record<string, (n: Node) => void> = {};
  for (const t of PLAIN_TERMINATORS) enter[t] = check;
  const wrapped = WRAPPED_TERMINATORS[ctx.language];
  if (wrapped) enter[wrapped] = check;
  return { enter };
}

/** `else` next after an `if`, past blanks and comments. */
const ELSE_NEXT = /^(?:\s|\/\*[^]*?\*\/|\/\/[^\n]*)*else\b/;

/** `if (x);` stray semicolons and `if (...) {}` with an empty body and no else. */
export function emptyIfRules(ctx: RuleContext): Rule | null {
  if (ctx.language === 'python' || ctx.language === 'ruby') return null;
  return {
    enter: {
      if_statement: (node) => {
        const cond = node.childForFieldName('condition');
        if (!cond) return;
        const body = node.childForFieldName('consequence') ?? node.childForFieldName('body');
        // `if (done) ; else work();` is a style, not a slip: the `else` still depends on the condition.
        if (!body || node.childForFieldName('alternative')) return;
        const stray = body.type === ';' || body.type === 'empty_statement' || (body.type === 'expression_statement' && body.namedChildCount === 0);
        const empty = !stray && /block|compound_statement/.test(body.type) && body.namedChildCount === 0;
        if (!stray && !empty) return;
        // Only for a finding: scanning every `if`'s text would rescan nested ones over and over.
        if (hasConditionalCompilation(node, ctx.language, ctx.source)) return;
        if (stray) {
          // The parser may have cut the `else` off (an `#if` inside the `else if`'s condition): the source still shows it.
          if (ELSE_NEXT.test(ctx.source.slice(node.endIndex, node.endIndex + 200))) return;
          ctx.report('empty-if', 0.6,
            `Stray \`;\` after ${quote('if ' + cond.text)}: the condition controls nothing and the next statement always runs.`, node);
          return;
        }
        if (ctx.language === 'go' && /\berr\w*\s*!=\s*nil\b/.test(cond.text)) return;
        ctx.report('empty-if', 0.3, `${quote('if ' + cond.text + ' {}')} has an empty body; the check has no effect.`, node);
      },
    },
  };
}
