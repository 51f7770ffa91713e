import type { Node } from 'web-tree-sitter';
import type { Rule, RuleContext } from './rule';
import { calleeName, calleeText, COMMENT_TYPES, enclosingFunction, functionName, hasAsyncKeyword, isJsFamily, named, quote } from './syntax';

const JS_FUNCTIONS = [
  'function_declaration', 'method_definition', 'function_expression', 'arrow_function', 'function',
  'generator_function_declaration', 'method_signature', 'function_signature', 'abstract_method_signature',
];
const JS_METHODS = new Set(['method_definition', 'method_signature', 'abstract_method_signature']);
const JS_FIELDS = new Set(['public_field_definition', 'field_definition', 'pair']);
const PROMISE_API = /^(fetch|Promise\.(all|allSettled|any|race)|(fs\.promises|fsPromises|fsp)\.\w+)$/;

interface PendingCall {
  statement: Node;
  call: Node;
}

const JS_CLASSES = new Set(['class_declaration', 'class', 'abstract_class_declaration']);

/** The name of the JavaScript/TypeScript class around `node` ('' for an anonymous one or none). */
function jsClassName(node: Node): string {
  for (let p = node.parent; p; p = p.parent) if (JS_CLASSES.has(p.type)) return p.childForFieldName('name')?.text ?? '';
  return '';
}

function returnsPromise(fn: Node): boolean {
  return /^:\s*Promise\s*</.test(fn.childForFieldName('return_type')?.text ?? '');
}

/** A promise chain with a `.catch()` or a `.then(onFulfilled, onRejected)` anywhere along it. */
function handlesRejection(call: Node): boolean {
  if (/\.catch\s*\(/.test(call.text)) return true;
  for (let c: Node | null | undefined = call; c?.type === 'call_expression'; ) {
    const fn = c.childForFieldName('function');
    if (fn?.type !== 'member_expression') return false;
    const args = c.childForFieldName('arguments');
    if (fn.childForFieldName('property')?.text === 'then' && args && named(args).length >= 2) return true;
    c = fn.childForFieldName('object');
  }
  return false;
}

/** JS/TS: calls to known-async functions left floating in async code, and `.then()` chains without `.catch()`. */
export function jsAsyncRules(ctx: RuleContext): Rule | null {
  if (!isJsFamily(ctx.language)) return null;
  // Without these words no function is async and no statement starts a `.then()`/`.finally()` chain.
  const mayAsync = /async|Promise/.test(ctx.source);
  if (!mayAsync && !/then|finally/.test(ctx.source)) return null;
  const asyncFunctions = new Set<string>();
  const asyncMethods = new Set<string>();
  /** `Class.method` of the plain methods: a class's own sync `send` is what `this.send()` calls there. */
  const syncMethods = new Set<string>();
  const pending: PendingCall[] = [];
  const onFunction = (fn: Node): void => {
    const method = JS_METHODS.has(fn.type) || JS_FIELDS.has(fn.parent?.type ?? '');
    const isAsync = hasAsyncKeyword(fn) || returnsPromise(fn);
    if (!isAsync && !method) return;
    const name = functionName(fn);
    if (!name) return;
    if (!isAsync) syncMethods.add(`${jsClassName(fn)}.${name}`);
    else (method ? asyncMethods : asyncFunctions).add(name);
  };
  const enter: Record<string, (n: Node) => void> = {};
  if (mayAsync) for (const t of JS_FUNCTIONS) enter[t] = onFunction;
  enter.expression_statement = (stmt) => {
    const call = stmt.firstNamedChild;
    if (!call || call.type !== 'call_expression') return;
    const fnNode = call.childForFieldName('function');
    const prop = fnNode?.type === 'member_expression' ? fnNode.childForFieldName('property')?.text : undefined;
    if (prop === 'then' || prop === 'finally') {
      if (!handlesRejection(call) && !leftOnPurpose(stmt)) {
        ctx.report('unhandled-then', 0.4,
          `${quote(stmt.text)} starts a promise chain with no \`.catch()\`; a rejection becomes an unhandled rejection.`, stmt);
      }
      return;
    }
    if (prop !== 'catch' && mayAsync) pending.push({ statement: stmt, call });
  };
  return {
    enter,
    finish: () => {
      for (const p of pending) {
        const text = calleeText(p.call);
        const name = calleeName(p.call);
        const bare = /^[\w$]+$/.test(text);
        const onThis = /^this\.[\w$]+$/.test(text);
        if (onThis && syncMethods.has(`${jsClassName(p.statement)}.${name}`)) continue;
        const local = bare ? asyncFunctions.has(name) : onThis && asyncMethods.has(name);
        const known = PROMISE_API.test(text);
        // Another object's method of the same name is not the one defined here: `clonedTable.addColumn()` in a query
        // runner's async `addColumn` is the table's, `stream.push()` the stream's.
        if (!local && !known) continue;
        const fn = enclosingFunction(p.statement);
        if (!fn || !(hasAsyncKeyword(fn) || returnsPromise(fn)) || leftOnPurpose(p.statement)) continue;
        const why = known ? `${quote(text)} returns a promise` : `${quote(name)} is async`;
        ctx.report('unawaited-promise', 0.55,
          `${why} but ${quote(p.statement.text)} neither awaits nor returns it; its errors are lost and the code after it does not wait.`,
          p.statement);
      }
    },
  };
}

/** The comments just above `stmt` say its failures are left alone on purpose: to the `process` listeners, fire and forget. */
function leftOnPurpose(stmt: Node): boolean {
  let text = '';
  for (let c = stmt.previousNamedSibling, n = 0; c && COMMENT_TYPES.has(c.type) && n < 4; c = c.previousNamedSibling, n++) text += c.text;
  return /\b(uncaught|unhandled|fire[- ]and[- ]forget|on purpose|intentional(ly)?|deliberate(ly)?)\b/i.test(text);
}

/** The class whose body defines the Python function `fn` (a method), or undefined. */
function ownerClass(fn: Node): string | undefined {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition' ? p.parent.childForFieldName('name')?.text : undefined;
}

/** The name of the innermost Python class around `node`: the class `self` and `cls` stand for there. */
function enclosingClass(node: Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'class_definition') return p.childForFieldName('name')?.text;
  return undefined;
}

/**
 * Python: calling an `async def` of the same file (or `asyncio.sleep`) as a bare statement, never awaited. `self.f()`
 * must name an async method of the class around the call, and `f()` a function that no plain `def f` shadows: a
 * class's sync `send` is not the `async def send` closure of another method.
 */
export function pythonAsyncRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'python' || !ctx.source.includes('async')) return null;
  const asyncMethods = new Set<string>();
  const asyncFunctions = new Set<string>();
  const syncFunctions = new Set<string>();
  const pending: { statement: Node; call: Node }[] = [];
  return {
    enter: {
      function_definition: (fn) => {
        const name = fn.childForFieldName('name')?.text;
        if (!name) return;
        const owner = ownerClass(fn);
        if (owner) {
          if (hasAsyncKeyword(fn)) asyncMethods.add(`${owner}.${name}`);
        } else (hasAsyncKeyword(fn) ? asyncFunctions : syncFunctions).add(name);
      },
      expression_statement: (stmt) => {
        const call = stmt.firstNamedChild;
        if (call?.type === 'call') pending.push({ statement: stmt, call });
      },
    },
    finish: () => {
      for (const { statement, call } of pending) {
        const text = calleeText(call);
        const name = calleeName(call);
        const local = /^(self|cls)\.\w+$/.test(text)
          ? asyncMethods.has(`${enclosingClass(statement)}.${name}`)
          : /^\w+$/.test(text) && asyncFunctions.has(name) && !syncFunctions.has(name);
        if (!local && text !== 'asyncio.sleep') continue;
        ctx.report('unawaited-coroutine', 0.6,
          `${quote(statement.text)} creates a coroutine that is never awaited, so ${quote(text + '()')} never actually runs.`,
          statement);
      }
    },
  };
}

/** C#: `async void` methods (outside event handlers) whose exceptions crash the process. */
export function csharpAsyncRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'csharp' || !ctx.source.includes('async')) return null;
  const check = (m: Node): void => {
    if (!hasAsyncKeyword(m) || m.childForFieldName('type')?.text !== 'void') return;
    if (/EventArgs/.test(m.childForFieldName('parameters')?.text ?? '')) return;
    const name = m.childForFieldName('name')?.text ?? 'method';
    ctx.report('async-void', 0.45,
      `\`async void ${name}\` cannot be awaited; exceptions it throws escape every caller's try/catch.`, m,
      m.childForFieldName('parameters') ?? m);
  };
  return { enter: { method_declaration: check, local_function_statement: check } };
}
