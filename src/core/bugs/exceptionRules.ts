import type { Node, Tree } from 'web-tree-sitter';
import { wholeDoc } from '../parse/docComments';
import type { Language } from '../types';
import type { Rule, RuleContext } from './rule';
import {
  BLOCK_TYPES, calleeName, calleeText, CALL_TYPES, COMMENT_TYPES, enclosingFunction, enclosingFunctionName, firstCall, hasComment, insideThrow, isEmptyBody, isJsFamily, FUNCTION_TYPES, functionName, mentions, named, operands, operatorOf, quote, statements,
} from './syntax';

const LOG_CALLEE = /^(print|console\.\w+|(self\.|this\.)?(log|logger|_logger|LOG|LOGGER)\.\w+|logging\.\w+|System\.(out|err)\.print(ln)?|\w+\.printStackTrace|Console\.Write(Line)?|error_log|var_dump|puts|p|warn|Rails\.logger\.\w+|e?println!?|eprintln!?)$/;
/**
 * A caught exception named to say it is ignored on purpose (IntelliJ's convention): `catch (IOException ignored)`,
 * `catch (_: E)`, PHP's `$ignored`, and names that go on to say why (`ignoredForNow`, `rethrownBelow`).
 */
const IGNORED_NAME = /[(\s,]\$?(_\w*|(?:ignored?|expected|unused|rethrown)(?:[A-Z_]\w*)?)\s*[:)]|\bas\s+(_\w*|ignored?)\s*:?$/;
/** Functions that swallow by design: `closeQuietly`, `tryParse`, `safeClose`, and destructors and closers, which must not throw. */
const SWALLOWING_FUNCTION = /quiet|ignor|silent|or_?(null|none|default)$|^try(_|[A-Z]|$)|^safe(_|[A-Z])|safely$|^(__del__|__exit__|finalize|dispose|close)$/i;
/** A log message that says the failure is passed over on purpose (`... - ignoring`, `skipping`). */
const SAYS_IGNORED = /\b(ignor(e|es|ed|ing)|skipp(ed|ing))\b/i;
const BROAD_TYPES = new Set(['Exception', 'Throwable', 'System.Exception', 'java.lang.Exception', 'java.lang.Throwable']);
/**
 * A doc that says its function or class swallows failures: "Wraps a function so that it swallows exceptions.",
 * "If a handler fails, the exception is suppressed".
 */
const SWALLOWING_DOC =
  /\b(swallow|ignor|suppress|silenc)\w*\b[^.]{0,40}\b(exceptions?|errors?|failures?)\b|\b(exceptions?|errors?|failures?)\b[^.]{0,20}\b(are|is|get|gets)\s+(silently\s+)?(swallow|ignor|suppress|silenc)/i;
/** Definitions whose doc may say that the methods in them swallow failures. */
const CLASS_TYPES = new Set(['class_declaration', 'class_definition', 'class', 'class_specifier', 'struct_specifier', 'object_declaration', 'trait_declaration']);
/** Python exceptions that signal the user or the input rather than a failure: Ctrl-C, end of input, a closed pipe. */
const SIGNAL_EXCEPTIONS = /^\(?\s*((KeyboardInterrupt|EOFError|BrokenPipeError|GeneratorExit|(asyncio\.)?CancelledError)\s*,?\s*)+\)?$/;
/**
 * Python's convert-or-skip: `try: if int(ncols) > 0: ...` or `result.append(type(item))` with only a ValueError
 * or TypeError caught, and the code goes on after it. A failed conversion is the "not a number" answer, not a
 * failure (werkzeug's `getlist` documents that such values are dropped).
 */
const CONVERSION_ERRORS = /^\(?\s*((ValueError|TypeError)\s*(,\s*|\)|$))+\)?$/;
const CONVERSION_CALLEE = /^(int|float|complex|Decimal|Fraction|type|cast|conv|convert|converter)$/;
/**
 * Exceptions that report an expected outcome of one operation rather than a failure: a file or process already gone
 * (`Errno::ENOENT`, `ProcessLookupError`), an empty queue (`ThreadError`, `queue.Empty`), a non-blocking call that
 * would block, the end of an iteration, a missing key or capability (`KeyError`, `AttributeError`), a future already
 * resolved (`InvalidStateError` from `set_result`), a weak reference's object gone (`ReferenceError`), a timed wait
 * that ran out (`TimeoutError` from `asyncio.wait_for(..., timeout)`).
 */
const EXPECTED_OUTCOME = /^\(?\s*((Errno::E[A-Z]+|ThreadError|StopIteration|StopAsyncIteration|EOFError|IO::(EAGAIN)?Wait(Readable|Writable)|FileNotFoundError|FileExistsError|ProcessLookupError|ChildProcessError|BlockingIOError|InterruptedError|(queue\.)?Empty|(queue\.)?Full|KeyError|AttributeError|NotImplementedError|(asyncio\.)?InvalidStateError|ReferenceError|(asyncio\.)?TimeoutError)\s*(,\s*|\)|$))+\)?$/;
/** Nodes of a `finally` or `ensure` clause. */
const FINALLY_TYPES = new Set(['finally_clause', 'ensure']);

/** Whether `node` runs in a `finally`/`ensure` clause of the function around it. */
function insideFinally(node: Node): boolean {
  for (let n = node.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) if (FINALLY_TYPES.has(n.type)) return true;
  return false;
}

/** The statements a `try` guards (Ruby's `begin` or method body holds its `rescue` and `ensure` among them). */
function guardedStatements(tryNode: Node): Node[] {
  return statements(tryNode.childForFieldName('body') ?? tryNode).filter((c) => !HANDLER_PARTS.has(c.type));
}
const HANDLER_PARTS = new Set(['rescue', 'else', 'ensure', 'except_clause', 'else_clause', 'finally_clause', 'catch_clause', 'catch_block']);

/** Calls that undo or release something: whether they fail is often not worth a word (`os.remove(tmp)`, `sock.close()`). */
const CLEANUP_CALL = /^(remove|unlink|rmdir|rmtree|close|aclose|wait_closed|flush|shutdown|kill|terminate|cancel|disconnect|release|unregister|dispose|cleanup|stop|delete|unsubscribe|removeListener|removeEventListener|unlinkSync|rmSync)$/i;

/** Swallowed/broad/log-only catch blocks in JS/TS, Python, Java, C#, PHP, Ruby and C++. */
export function catchRules(ctx: RuleContext): Rule | null {
  const lang = ctx.language;
  if (lang === 'go' || lang === 'rust' || lang === 'c') return null;
  const type = lang === 'python' ? 'except_clause' : lang === 'ruby' ? 'rescue' : lang === 'kotlin' || lang === 'swift' ? 'catch_block' : 'catch_clause';
  if (!ctx.source.includes(lang === 'python' ? 'except' : lang === 'ruby' ? 'rescue' : 'catch')) return null;
  return { enter: { [type]: (node) => checkCatch(ctx, node) } };
}

function catchBody(node: Node, python: boolean): Node | null {
  if (python) {
    const last = named(node).at(-1);
    return last && last.type === 'block' ? last : null;
  }
  // Kotlin and Swift: the block's `statements`, absent when it is empty.
  if (node.type === 'catch_block') return named(node).find((c) => c.type === 'statements') ?? null;
  return node.childForFieldName('body');
}

/** The exception type a handler names, or '' when it catches everything. */
function caughtType(node: Node, python: boolean): string {
  if (python) {
    const first = named(node)[0];
    if (!first || first.type === 'block' || first.type === 'comment') return '';
    return (first.type === 'as_pattern' ? named(first)[0] ?? first : first).text;
  }
  if (node.type === 'catch_block') {
    // Kotlin `catch (e: IOException)`, Swift `catch let e as IOError` / `catch IOError.closed`; Swift's bare `catch` takes all.
    const pattern = node.childForFieldName('error');
    return (named(pattern ?? node).find((c) => c.type === 'user_type') ?? pattern)?.text ?? '';
  }
  const decl = named(node).find((c) => c.type === 'catch_formal_parameter' || c.type === 'catch_declaration');
  if (decl) {
    const t = decl.childForFieldName('type') ?? named(decl).find((c) => c.type === 'catch_type');
    return t?.text ?? '';
  }
  return (node.childForFieldName('type') ?? node.childForFieldName('exceptions'))?.text ?? '';
}

/** The name a Java or C# handler gives the exception it catches (`catch (IOException e)`), if any. */
function caughtVariable(node: Node): string | undefined {
  const decl = named(node).find((c) => c.type === 'catch_formal_parameter' || c.type === 'catch_declaration');
  return decl?.childForFieldName('name')?.text;
}

/**
 * Calls in `statement` that are not part of another call (`int(s.strip())` and `a.b().c()` are one each), leaving
 * out log lines and what a `raise` or `throw` throws. `if hasattr(obj, "x"): obj.x()` holds two: either may be
 * the one that raised.
 */
function outerCalls(statement: Node): number {
  const insideCall = (call: Node): boolean => {
    for (let p = call.parent; p && p.id !== statement.id; p = p.parent) if (CALL_TYPES.includes(p.type)) return true;
    return false;
  };
  return statement.descendantsOfType([...CALL_TYPES])
    .filter((c): c is Node => c !== null && !LOG_CALLEE.test(calleeText(c)) && !insideThrow(c, statement) && !insideCall(c)).length;
}

/** Whether a Python handler catches exceptions its function takes as a parameter (`except exceptions:`). */
function callerChosen(handler: Node, caught: string): boolean {
  const params = enclosingFunction(handler)?.childForFieldName('parameters');
  if (!params || !/^[a-z_]\w*$/.test(caught)) return false;
  return params.descendantsOfType('identifier').some((id) => id?.text === caught);
}

/** Whether `statement` calls a conversion by name (see `CONVERSION_CALLEE`). */
function converts(statement: Node): boolean {
  return statement.descendantsOfType([...CALL_TYPES]).some((c) => !!c && CONVERSION_CALLEE.test(calleeText(c)));
}

function checkCatch(ctx: RuleContext, node: Node): void {
  const python = ctx.language === 'python';
  const body = catchBody(node, python);
  const tryNode = node.parent;
  const guardedBlock = tryNode ? guardedStatements(tryNode) : [];
  // Only a one-statement `try` says which call raised: in a longer one the first call is rarely the one that throws.
  const guarded = guardedBlock.length === 1 && outerCalls(guardedBlock[0]) === 1 ? firstCall(guardedBlock[0], LOG_CALLEE) : null;
  const what = guarded ? `raised by ${quote(guarded)}` : 'raised in the guarded block';
  const caught = caughtType(node, python);
  // C#'s `catch (Exception ex) when (CanRetry(ex))`, `when (e is IOException || ...)`: the filter picks what is
  // handled here, so the handler neither catches everything nor drops what the filter lets through.
  if (ctx.language === 'csharp' && named(node).some((c) => c.type === 'catch_filter_clause')) return;
  const headerEnd = body ? body.startIndex : node.type === 'catch_block' ? node.startIndex + Math.max(0, node.text.indexOf('{')) : node.endIndex;
  const header = ctx.source.slice(node.startIndex, headerEnd).split('\n')[0]
    .replace(/\s*#.*$/, '').replace(/[{:;\s]+$/, '');
  if (isEmptyBody(body)) {
    // Swallowing on purpose, and saying so, is no bug.
    if (IGNORED_NAME.test(header) || swallowsByDesign(ctx, node) || optionalDependency(ctx.language, tryNode, caught) || keptForLater(ctx, node, tryNode)) return;
    // `def map_except(function, iterable, *exceptions): ... except exceptions: pass`: the caller names what to skip.
    if (python && callerChosen(node, caught)) return;
    // `File.unlink(pid) rescue Errno::ENOENT`, `q.pop(true) rescue ThreadError`: one operation, and the one outcome
    // of it that is expected (already gone, nothing queued) rather than a failure.
    if (guardedBlock.length === 1 && EXPECTED_OUTCOME.test(caught.trim())) return;
    // `try: waiters.remove(fut) except ValueError: pass`: Python's list answers "not there" with a ValueError.
    if (python && caught === 'ValueError' && guarded && /\.(remove|index)\(\)$/.test(guarded)) return;
    if (python && tryNode && guardedBlock.length === 1 && CONVERSION_ERRORS.test(caught.trim()) && converts(guardedBlock[0]) && goesOnAfter(tryNode)) return;
    // `class StopPaging < StandardError` raised to unwind and rescued empty in the same file (jinja's `VisitorExit`,
    // starlette's `WebSocketDisconnect` ending an iteration): the module signals an outcome with its own exception.
    if (definedHere(ctx.source, caught)) return;
    // `try { val = new ObjectId(s); isObjectId = true; } catch {}` then `if (isObjectId)`: the flag says how it went.
    if (tryNode && setsSuccessFlag(ctx.source, tryNode, guardedBlock)) return;
    const cleanup = tryNode ? cleanupOnly(tryNode) : null;
    // Closing in a `finally` or an `ensure`, best effort: a failure there must not hide the one being handled.
    if (cleanup && insideFinally(tryNode!)) return;
    // `try: return next(it) except StopIteration: pass` then `raise ...`: the failure ends in a raise, not in silence.
    if (tryNode && raisesNext(tryNode)) return;
    // An empty handler with a comment in it or after it (`catch {} // nothing to do`) was left empty on purpose.
    if (explained(ctx.source, body, node)) return;
    const shown = python ? `${header}: pass` : ctx.language === 'ruby' ? header : `${header} {}`;
    const scope = caught ? `every ${caught} ${what}` : `every error ${what}`;
    if (python && SIGNAL_EXCEPTIONS.test(caught)) {
      ctx.report('swallowed-exception', 0.2,
        `${quote(shown)} ignores ${caught} ${what}: an interrupt or the end of input goes unnoticed here; check that this is meant.`, node);
      return;
    }
    const broad = caught === '' || BROAD_TYPES.has(caught) || /^(BaseException|StandardError|\.\.\.|std::exception)$/.test(caught.replace(/^const\s+|[&\s]*\w*$/g, ''));
    // One expected failure and a way on: `try: return int(s) except ValueError: pass` then `return default`, or
    // `try: total = len(items) except TypeError: pass` keeping the `total` set before. Parse-or-default, on purpose.
    // So is a probe whose success is the odd case: `try: get_running_loop() except RuntimeError: pass else: raise`.
    const probe = python && tryNode !== null && named(tryNode).some((c) => c.type === 'else_clause');
    if (!broad && tryNode && ((returnsOnSuccess(tryNode) && goesOnAfter(tryNode)) || keepsEarlierValue(ctx.source, tryNode) || probe)) return;
    // `try: return decode(a) except UnicodeDecodeError: pass` then another way: one expected failure, then a fallback.
    // A catch-all is one too when the `try` returns on success (`try { return JSON.parse(s) } catch {}` then `return null`).
    // Python's `try: ... except E: pass else: ...` does its work only on success: the failure path is meant to do nothing.
    const fallback = (Boolean(tryNode && goesOnAfter(tryNode)) && (!broad || returnsOnSuccess(tryNode!))) || Boolean(python && tryNode && named(tryNode).some((c) => c.type === 'else_clause'));
    // A failure while handling another (`except: try: send_error_page() except Exception: pass`) is a second one.
    const secondFailure = Boolean(tryNode && insideHandler(tryNode, node.type));
    const weight = (python && !caught ? 0.8 : fallback || cleanup ? (broad ? 0.35 : 0.25) : broad ? 0.7 : 0.4) * (secondFailure ? 0.5 : 1);
    ctx.report('swallowed-exception', weight, cleanup
      ? `${quote(shown)} swallows ${scope} while cleaning up (${quote(cleanup, 40)}); check that such a failure may pass unnoticed.`
      : secondFailure
        ? `${quote(shown)} swallows ${scope} while another error is being handled; check that losing this second failure is meant.`
        : fallback
        ? `${quote(shown)} swallows ${scope} and goes on after the ${ctx.language === 'ruby' ? 'guarded block' : '`try`'}; check that falling back is meant for every such failure.`
        : `${quote(shown)} swallows ${scope}; failures here are silent.`, node);
    return;
  }
  const stmts = statements(body!);
  const bodyText = body!.text;
  const rethrows = /\b(throw|raise)\b/.test(bodyText);
  if (python && !caught && !rethrows) {
    ctx.report('bare-except', 0.5,
      `Bare \`except:\` catches ${what.replace('raised by', 'from')} and also KeyboardInterrupt/SystemExit; name the expected exception.`,
      node, node);
    return;
  }
  if (stmts.length === 1 && !rethrows) {
    const only = stmts[0];
    const expr = only.type === 'expression_statement' ? named(only)[0] : only;
    if (expr && CALL_TYPES.includes(expr.type) && LOG_CALLEE.test(calleeText(expr))) {
      // A missing optional dependency, or a fallback that prints the data another way (`rescue LoadError` then
      // `puts YAML.dump(response)`: no message, no exception), is not a failure being logged and dropped.
      if (optionalDependency(ctx.language, tryNode, caught) || printsDataInstead(expr, caughtVariable(node))) return;
      // `warn 'The :make_visible option is not supported by the current driver - ignoring'`: the message says carrying on is meant.
      if (SAYS_IGNORED.test(expr.text)) return;
      // `catch (_) { logger.log("warn", "... cannot be installed automatically") }`: the exception is dropped on purpose, with a word.
      // So is one logged at debug level (`logger.debug('Cancelling not-scheduled job')`), or under a comment saying why
      // (jimfs: "Rather than making the user completely unable to use Jimfs, just log this exception and continue").
      if (IGNORED_NAME.test(header) || /\.(debug|trace)$/i.test(calleeText(expr)) || hasComment(body!)) return;
      ctx.report('catch-only-logs', 0.2,
        `${quote(header)} only logs via ${quote(expr.text, 40)} and carries on; callers never learn that ${guarded ? quote(guarded) : 'the guarded code'} failed.`,
        node);
      return;
    }
    if (python && only.type === 'return_statement' && (!caught || caught === 'Exception' || caught === 'BaseException')) {
      const value = named(only)[0];
      const fn = enclosingFunction(node);
      // A function documented to return None on bad input does what it says; one typed `Optional` warns its callers.
      if ((!value || value.type === 'none') && !(fn && NONE_ON_FAILURE_DOC.test(wholeDoc(fn, ctx.language, ctx.source) ?? ''))) {
        ctx.report('except-returns-none', fn && MAY_RETURN_NONE.test(fn.childForFieldName('return_type')?.text ?? '') ? 0.2 : 0.4,
          `${quote(header)} turns every error ${what} into a silent \`None\` return; callers cannot tell failure from an empty result.`,
          node);
        return;
      }
    }
  }
  // `TryParse`-style methods report failure by their result: catching everything is their contract. A handler that
  // passes the exception on (`listener.OnLoggingFailed(..., ex)`, `SelfLog.WriteLine(..., ex)`) reports it; one that
  // says why it catches everything (`// we catch Exception to handle InaccessibleObjectException too`) means to. So
  // does one that only answers no or nothing (`catch { return false; }`, `return null;`): the guarded code is a probe.
  const variable = caughtVariable(node);
  if ((ctx.language === 'java' || ctx.language === 'csharp') && !rethrows && (BROAD_TYPES.has(caught) || caught === '') &&
    !/^try|try(parse|get|convert)/i.test(enclosingFunctionName(node)) && !(variable && mentions(bodyText, variable)) && !hasComment(body!) &&
    !(stmts.length === 1 && ANSWERS_NO.test(stmts[0].text)) &&
    !IGNORED_NAME.test(header) && !swallowsByDesign(ctx, node)) {
    ctx.report('broad-catch', 0.15,
      `${quote(header)} catches every exception ${what} without rethrowing, hiding unexpected failures.`, node);
  }
}

/**
 * A statement that only answers no, or nothing: `return false;`, `available = false;`, `return null;` (gson's probe
 * for `sun.misc.Unsafe`, StackExchange.Redis trying each sentinel in turn), commons-lang's documented
 * `classes.add(null)` for a class that cannot be found.
 */
const ANSWERS_NO = /^(return\s+(false|null|default)|[\w.]+\s*=\s*(false|null)|[\w.]+\.(add|Add)\(null\))\s*;$/;

/** An empty handler's comment: inside its body or after it on its last line (`catch {} // nothing to do`). */
function explained(source: string, body: Node | null, node: Node): boolean {
  const block = body ?? node;
  if (hasComment(block)) return true;
  // On the handler's own line: `except KeyError:  # keep unconverted`.
  if (body && /(#|\/\/|\/\*)/.test(source.slice(node.startIndex, body.startIndex).replace(/(["'])(?:\\.|(?!\1).)*\1/g, ''))) return true;
  const end = source.indexOf('\n', block.endIndex);
  return /^[\s;)]*(\/\/|\/\*|#)/.test(source.slice(block.endIndex, end === -1 ? undefined : end));
}

/**
 * Whether the functions around `node` (the nearest and the one enclosing it, for a wrapper's inner function) say
 * by their name or doc that they swallow failures, or the class around it says so in its doc.
 */
function swallowsByDesign(ctx: RuleContext, node: Node): boolean {
  let fn = enclosingFunction(node);
  for (let depth = 0; fn && depth < 2; depth++, fn = enclosingFunction(fn)) {
    if (SWALLOWING_FUNCTION.test(functionName(fn) ?? '') || SWALLOWING_DOC.test(wholeDoc(fn, ctx.language, ctx.source) ?? '')) return true;
  }
  let cls = node.parent;
  while (cls && !CLASS_TYPES.has(cls.type)) cls = cls.parent;
  return Boolean(cls && SWALLOWING_DOC.test(wholeDoc(cls, ctx.language, ctx.source) ?? ''));
}

/** Whether every class `caught` names (`StopPaging`, `(ParserError, ParserMatchError)`, `Pager::StopPaging`) is declared in `source`. */
function definedHere(source: string, caught: string): boolean {
  const names = caught.match(/[A-Za-z_]\w*(?=\s*(?:[,|)]|$))/g);
  return Boolean(names?.length) && names!.every((name) => new RegExp(`\\bclass\\s+${name}\\b`).test(source));
}

/**
 * PHP and Ruby keep a caught exception's variable after its handler: `catch (Throwable $e) {}` followed by
 * `throw UnableTo::x($path, $e)` hands the failure on rather than swallowing it.
 */
function keptForLater(ctx: RuleContext, handler: Node, tryNode: Node | null): boolean {
  const variable = ctx.language === 'php' ? handler.childForFieldName('name') : ctx.language === 'ruby' ? handler.childForFieldName('variable')?.lastNamedChild : null;
  const fn = tryNode && enclosingFunction(tryNode);
  if (!variable || !tryNode || !fn) return false;
  // A use after the `try`, outside another handler (which may catch into a variable of the same name).
  return fn.descendantsOfType(variable.type).some((use) =>
    use !== null && use.startIndex >= tryNode.endIndex && use.text === variable.text && !insideHandler(use, handler.type));
}

/** Whether `node` sits in an exception handler (a node of the language's `handlerType`) of the function around it. */
function insideHandler(node: Node, handlerType: string): boolean {
  for (let n = node.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) if (n.type === handlerType) return true;
  return false;
}

/** A Python return annotation that admits None: `Optional[X]`, `X | None`. */
const MAY_RETURN_NONE = /\bOptional\[|\bNone\b/;
/** A docstring saying the function returns None on bad input: "either `None` if the header was invalid". */
const NONE_ON_FAILURE_DOC =
  /\bNone\b[^.]{0,60}\b(invalid|malformed|fails?|failed|errors?|cannot|could not|not (valid|parsable|parseable))\b|\b(invalid|malformed|fails?|failed|errors?|cannot|could not)\b[^.]{0,60}\bNone\b/i;

/** Errors raised only when loading code fails: `import x` in Python, `require 'x'` in Ruby. */
const LOAD_ERRORS = /\b(ImportError|ModuleNotFoundError|LoadError)\b/;
/** A JavaScript statement that only loads a module: `require('x')`, `x = require('x')`, `await import('x')`. */
const JS_LOAD = /^((const|let|var)\s+[\w${}\s,:]+=\s*|[\w$.]+\s*=\s*)?(await\s+)?(require|import)\s*\([^()]*\)[\w$.]*;?$/;

/** A dependency loaded only if present (`except ImportError: pass`, `rescue LoadError`, `try { require('fsevents') } catch {}`). */
function optionalDependency(language: Language, tryNode: Node | null, caught: string): boolean {
  if ((language === 'python' || language === 'ruby') && LOAD_ERRORS.test(caught)) return true;
  if (!tryNode) return false;
  const body = tryNode.childForFieldName('body');
  const stmts = body ? statements(body) : [];
  // A Python probe that starts by importing what may be missing (`try: import ipykernel ... except Exception: pass`).
  if (language === 'python') {
    const first = stmts[0]?.type;
    return (caught === '' || caught === 'Exception') && (first === 'import_statement' || first === 'import_from_statement');
  }
  return isJsFamily(language) && stmts.length > 0 && stmts.every((st) => JS_LOAD.test(st.text.trim()));
}

const STRING_TYPES = new Set(['string', 'string_literal', 'interpreted_string_literal', 'raw_string_literal', 'template_string', 'encapsed_string', 'concatenated_string', 'interpolated_string_expression', 'heredoc_body', 'string_content']);

/** Printing to standard output (a program's output), not to a log or standard error. */
const STDOUT_PRINT = /^(puts|print|p|pp|println!?|System\.out\.print(ln)?|console\.log|Console\.Write(Line)?|echo)$/;
const ERROR_WORDS = /exc|err|traceback|stack|fail/i;

/**
 * Whether a print in a handler outputs the program's data another way: to standard output, with arguments that
 * hold no message (no string), not the caught exception and no word for an error (`puts response.inspect`).
 */
function printsDataInstead(call: Node, variable: string | undefined): boolean {
  if (!STDOUT_PRINT.test(calleeText(call))) return false;
  const args = call.childForFieldName('arguments');
  if (!args || named(args).length === 0 || args.descendantsOfType([...STRING_TYPES]).length > 0) return false;
  return !ERROR_WORDS.test(args.text) && !(variable && mentions(args.text, variable));
}

const RAISE = /^(raise|throw)\b/;

/** Whether the statement that runs after `tryNode` (after the block or loop around it) raises or throws. */
function raisesNext(tryNode: Node): boolean {
  for (let n: Node | null = tryNode; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    const next = nextStatement(n);
    if (next) return RAISE.test(next.text);
  }
  return false;
}

/** The guarded statement when the `try` holds one statement that only cleans up (`del env[k]`, `os.remove(tmp)`, `s.close()`). */
function cleanupOnly(tryNode: Node): string | null {
  const body = tryNode.childForFieldName('body');
  const stmts = body ? statements(body) : [];
  if (stmts.length !== 1) return null;
  const only = withoutGuard(stmts[0]);
  if (only.type === 'delete_statement') return only.text;
  const expr = only.type === 'expression_statement' ? named(only)[0] : only;
  const call = expr?.type === 'await_expression' || expr?.type === 'await' ? named(expr)[0] : expr;
  return call && CALL_TYPES.includes(call.type) && CLEANUP_CALL.test(calleeName(call)) ? only.text : null;
}

/** The one statement an `if` without `else` runs (`if (in != null) { in.close(); }`), else the statement itself. */
function withoutGuard(stmt: Node): Node {
  if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) return stmt;
  const then = stmt.childForFieldName('consequence');
  const inner = then && /block$/.test(then.type) ? statements(then) : then ? [then] : [];
  return inner.length === 1 ? inner[0] : stmt;
}

const ASSIGNMENTS = new Set(['assignment', 'assignment_expression']);

/**
 * Whether the guarded block of `tryNode` only assigns a name that already holds a value (a parameter, or set
 * earlier in the function): on failure, the earlier value stays.
 */
function keepsEarlierValue(source: string, tryNode: Node): boolean {
  const guarded = statements(tryNode.childForFieldName('body') ?? tryNode);
  if (guarded.length !== 1) return false;
  const only = guarded[0].type === 'expression_statement' ? named(guarded[0])[0] : guarded[0];
  const target = only && ASSIGNMENTS.has(only.type) ? only.childForFieldName('left') : null;
  const fn = enclosingFunction(tryNode);
  if (!target || !fn || !/^[\w$.]+$/.test(target.text)) return false;
  const name = target.text.replace(/[.$]/g, '\\$&');
  const params = fn.childForFieldName('parameters')?.text ?? '';
  const before = source.slice(fn.startIndex, tryNode.startIndex);
  return new RegExp(`(^|[^\\w.$])${name}\\b`).test(params) || new RegExp(`(^|[^\\w.$])${name}\\s*(:[^=\\n]*)?=(?!=)`, 'm').test(before);
}

/** Whether the guarded block ends by setting a flag to true (`ok = true;`, `found = True`) that the code after it reads. */
function setsSuccessFlag(source: string, tryNode: Node, guarded: Node[]): boolean {
  const flag = /^([\w$.]+)\s*=\s*(true|True)\s*;?$/.exec(guarded.at(-1)?.text ?? '')?.[1];
  if (!flag || guarded.length < 2) return false;
  const fn = enclosingFunction(tryNode);
  const after = source.slice(tryNode.endIndex, fn ? fn.endIndex : undefined);
  return new RegExp(`(^|[^\\w.$])${flag.replace(/[.$]/g, '\\$&')}\\b`).test(after);
}

/** Whether the guarded block of `tryNode` returns from the function around it. */
function returnsOnSuccess(tryNode: Node): boolean {
  const fn = enclosingFunction(tryNode);
  const body = tryNode.childForFieldName('body') ?? tryNode;
  return body.descendantsOfType(['return_statement', 'return']).some((r) => {
    const own = r && enclosingFunction(r);
    return r !== null && (own === null ? fn === null : fn !== null && own.equals(fn));
  });
}

/**
 * Whether the function around `tryNode` has more to run after it: a statement after it in its block, or
 * after a block that encloses it (`if ok: try: return a() except E: pass` then `return b()`), or the next turn
 * of a loop around it.
 */
function goesOnAfter(tryNode: Node): boolean {
  if (nextStatement(tryNode)) return true;
  for (let n = tryNode.parent; n && !FUNCTION_TYPES.has(n.type); n = n.parent) {
    // In a loop, the next item is the fallback: `for p in paths: try: return load(p) except OSError: pass`.
    if (LOOP_TYPES.has(n.type) || (BLOCK_TYPES.has(n.parent?.type ?? '') && nextStatement(n))) return true;
  }
  return false;
}

const LOOP_TYPES: ReadonlySet<string> = new Set([
  'for_statement', 'for_in_statement', 'enhanced_for_statement', 'foreach_statement', 'while_statement', 'do_statement',
  'for_expression', 'while_expression', 'loop_expression', 'for', 'while', 'until',
]);

/** The statement after `node` in its block, comments skipped. */
function nextStatement(node: Node): Node | null {
  let n = node.nextNamedSibling;
  while (n && COMMENT_TYPES.has(n.type)) n = n.nextNamedSibling;
  return n;
}

const ERR_NAME = /^(err|\w*Err(or)?)$/;
/** Go methods of `fmt.Stringer`, `error` and `fmt.GoStringer`: they return a string and nothing else. */
const STRINGER_METHODS = /^(String|Error|GoString)$/;

/** Go: empty `if err != nil {}`, `_ = f()` dropping results, and `err` assigned but never checked. */
export function goErrorRules(ctx: RuleContext): Rule | null {
  if (ctx.language !== 'go') return null;
  return {
    enter: {
      if_statement: (node) => {
        const cond = node.childForFieldName('condition');
        const cons = node.childForFieldName('consequence');
        if (!cond || cond.type !== 'binary_expression' || operatorOf(cond) !== '!=') return;
        const ops = operands(cond);
        if (!ops || !ops.some((o) => o.type === 'nil')) return;
        const errVar = ops.find((o) => o.type === 'identifier' && ERR_NAME.test(o.text));
        if (!errVar || !isEmptyBody(cons)) return;
        ctx.report('swallowed-exception', 0.7,
          `${quote(`if ${cond.text} {}`)} has an empty body: the error is detected and then ignored.`, node);
      },
      assignment_statement: (node) => checkDropped(ctx, node),
      short_var_declaration: (node) => checkDropped(ctx, node),
    },
  };
}

function leftNames(node: Node): string[] {
  const left = node.childForFieldName('left');
  return left ? named(left).map((n) => n.text) : [];
}

function checkDropped(ctx: RuleContext, node: Node): void {
  const names = leftNames(node);
  const right = node.childForFieldName('right');
  const values = right ? named(right) : [];
  const call = values.length === 1 && values[0].type === 'call_expression' ? values[0] : null;
  // `_ = f()` is Go's way of writing that a result is dropped on purpose (errcheck accepts it): no finding.
  if (call && names.length > 0 && names.every((n) => n === '_')) return;
  // `String() string` and `Error() string` implement interfaces with no error to return: best effort is their contract.
  const fnName = functionName(enclosingFunction(node) ?? node);
  const stringer = STRINGER_METHODS.test(fnName ?? '');
  if (call && names.length >= 2 && names.at(-1) === '_' && !stringer && mayReturnError(node, calleeText(call)) && !isErrorlessTwin(fnName, calleeText(call))) {
    const callee = calleeText(call);
    ctx.report('ignored-error', 0.25,
      `${quote(node.text)} discards the last result of ${quote(callee + '()')}, by Go convention its error.`, node, node, callee.slice(callee.lastIndexOf('.') + 1));
    return;
  }
  const errName = names.find((n) => ERR_NAME.test(n));
  if (call && errName) checkErrUse(ctx, node, errName);
}

/**
 * `func ToBool(i any) bool { v, _ := ToBoolE(i); return v }`: the error-less twin of a function that returns an error
 * (spf13/cast's `ToX` and `ToXE`) drops that error by design: a caller who wants it calls the other.
 */
function isErrorlessTwin(fnName: string | null | undefined, callee: string): boolean {
  if (!fnName) return false;
  const name = callee.slice(callee.lastIndexOf('.') + 1);
  return name.startsWith(fnName) && /^(E|Err|Error|WithErr(or)?)$/.test(name.slice(fnName.length));
}

/** Last result type of each function and method declared in a Go file, by name (`GetQuery` -> `bool`). */
const goLastResults = new WeakMap<Tree, Map<string, string[]>>();

function lastResultTypes(tree: Tree): Map<string, string[]> {
  let byName = goLastResults.get(tree);
  if (byName) return byName;
  byName = new Map();
  for (const fn of tree.rootNode.descendantsOfType(['function_declaration', 'method_declaration'])) {
    const name = fn?.childForFieldName('name')?.text;
    const last = fn ? goLastResult(fn) : undefined;
    if (!name || last === undefined) continue;
    byName.set(name, [...(byName.get(name) ?? []), last]);
  }
  goLastResults.set(tree, byName);
  return byName;
}

/** The type of the last result of a Go function or method declaration (`bool` of `(v T, ok bool)`); none without results. */
export function goLastResult(fn: Node): string | undefined {
  const result = fn.childForFieldName('result');
  if (!result) return undefined;
  const last = result.type === 'parameter_list' ? named(result).at(-1)?.childForFieldName('type') : result;
  return last?.text ?? '';
}

/** Standard-library calls whose last result is no error: a size, a found flag, a carry (`r, _ := utf8.DecodeRuneInString(s)`, `ones, _ := mask.Size()`, `f, _ := t.FieldByName(name)`). */
const GO_LAST_NOT_ERROR = /^(utf8\.Decode(Last)?Rune(InString)?|(strings|bytes)\.Cut(Prefix|Suffix)?|(os|syscall)\.LookupEnv|syscall\.Getenv|math\.(Frexp|Modf|Sincos)|bits\.(Add|Sub|Mul|Div)(32|64)?|(filepath|path)\.Split|runtime\.Caller|pem\.Decode|binary\.U?varint|(sort|slices)\.(Find|BinarySearch(Func)?)|debug\.ReadBuildInfo|.*\.(BasicAuth|LoadOrStore|LoadAndDelete|SetString|Next|Zone|Size|FieldByName|MethodByName))$/;

/**
 * False for a standard call that returns no error last, and when every function of that name in this file ends
 * its results with something other than `error` (`v, ok := m.Get(k)`).
 */
function mayReturnError(node: Node, callee: string): boolean {
  if (GO_LAST_NOT_ERROR.test(callee)) return false;
  const types = lastResultTypes(node.tree).get(callee.slice(callee.lastIndexOf('.') + 1));
  return !types || types.some(mayBeError);
}

/** Whether a Go result type may be an error (unknown, `error`, or a type named like one). */
export function mayBeError(type: string): boolean {
  return type === '' || type === 'error' || /Error$/.test(type);
}

/** Whether the Go function `fn` declares `name`: as a parameter or result, with `:=`, or with `var`. */
function declaresIn(fn: Node, name: string): boolean {
  if (mentions(fn.childForFieldName('parameters')?.text ?? '', name) || mentions(fn.childForFieldName('result')?.text ?? '', name)) return true;
  return fn.descendantsOfType(['short_var_declaration', 'var_spec']).some((d) =>
    d !== null && (d.type === 'var_spec' ? d.childrenForFieldName('name').some((n) => n?.text === name) : leftNames(d).includes(name)));
}

/** Flags `err` that is overwritten before being read, or never read at all. */
function checkErrUse(ctx: RuleContext, node: Node, err: string): void {
  const fn = enclosingFunction(node);
  // A closure that sets a variable of the function around it (`err = next(c)`), or a function setting a package
  // variable (`ErrNone = newError(...)` in `init`): the error is kept for later, and the check, if any, is out there.
  if (fn && !declaresIn(fn, err)) return;
  // A named result `(err error)` goes back to the caller on a bare `return` and at the end of the function.
  const namedResult = mentions(fn?.childForFieldName('result')?.text ?? '', err);
  const neverChecked = (): void => ctx.report('unchecked-error', 0.5, `\`${err}\` from ${quote(node.text)} is never checked.`, node);
  let stmt: Node | null = node;
  walk: while (stmt && !(fn && stmt.equals(fn))) {
    // Statements follow one another in blocks and in `case` clauses, which hold their statements themselves.
    if (!BLOCK_TYPES.has(stmt.parent?.type ?? '') && stmt !== node) {
      stmt = stmt.parent;
      continue;
    }
    for (let next = stmt.nextNamedSibling; next; next = next.nextNamedSibling) {
      if (next.type === 'comment') continue;
      // A `return` ends this path: what comes after it in an outer block runs on another path.
      if (next.type === 'return_statement' && !mentions(next.text, err)) return namedResult && named(next).length === 0 ? undefined : neverChecked();
      // A `goto` ends this path too, and where it lands (`END: if err != nil`) may check the error.
      if (next.type === 'goto_statement') return;
      // `continue` and `break` leave the block: the loop's next pass may read it; after that, what follows the loop runs.
      if (next.type === 'continue_statement' || next.type === 'break_statement') {
        const target = jumpTarget(stmt, next.type, fn);
        if (!target || (next.type === 'continue_statement' && mentionsOutside(target, node, err))) return;
        stmt = target;
        continue walk;
      }
      if (!mentions(next.text, err)) continue;
      const reassigned = (next.type === 'assignment_statement' || next.type === 'short_var_declaration') &&
        leftNames(next).includes(err) && !mentions(next.childForFieldName('right')?.text ?? '', err);
      if (reassigned) {
        ctx.report('unchecked-error', 0.5,
          `\`${err}\` from ${quote(node.text)} is overwritten at line ${next.startPosition.row + 1} before anyone checks it.`, node);
      }
      return;
    }
    stmt = stmt.parent;
  }
  if (!namedResult) neverChecked();
}

/** Go statements a `break` leaves (a `break` in a `switch` case leaves the switch); a `continue` goes to the next pass of a `for`. */
const BREAK_TARGETS = new Set(['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);

/** The statement a `continue` or `break` at `stmt` jumps out of, inside `fn`. */
function jumpTarget(stmt: Node, jump: string, fn: Node | null): Node | null {
  for (let p = stmt.parent; p && !(fn && p.equals(fn)); p = p.parent) {
    if (jump === 'continue_statement' ? p.type === 'for_statement' : BREAK_TARGETS.has(p.type)) return p;
  }
  return null;
}

/** Whether `outer` mentions `word` anywhere but in `inner`. */
function mentionsOutside(outer: Node, inner: Node, word: string): boolean {
  const text = outer.text;
  const [from, to] = [inner.startIndex - outer.startIndex, inner.endIndex - outer.startIndex];
  return mentions(text.slice(0, from), word) || mentions(text.slice(to), word);
}
