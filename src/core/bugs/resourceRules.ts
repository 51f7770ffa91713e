import type { Node } from 'web-tree-sitter';
import type { Language } from '../types';
import type { Rule, RuleContext } from './rule';
import { calleeText, enclosingFunction, escapeRegExp, functionName, isJsFamily, named, quote } from './syntax';

const PY_OPENERS = /^(open|io\.open|codecs\.open|gzip\.open|bz2\.open|lzma\.open|socket\.socket|tempfile\.(NamedTemporaryFile|TemporaryFile))$/;
const JAVA_CLOSEABLE = new Set([
  'FileInputStream', 'FileOutputStream', 'FileReader', 'FileWriter', 'BufferedReader', 'BufferedWriter',
  'InputStreamReader', 'OutputStreamWriter', 'PrintWriter', 'RandomAccessFile', 'Scanner', 'Socket', 'ServerSocket',
  'ZipFile', 'JarFile', 'ObjectInputStream', 'ObjectOutputStream', 'DataInputStream', 'DataOutputStream',
]);
const GO_OPENERS = /^(os\.(Open|Create|OpenFile)|net\.(Dial|Listen)\w*)$/;
const GO_HTTP = /^(http\.(Get|Post|Head|PostForm)|\w+\.Do)$/;
const C_CLOSERS: Record<string, string> = { fopen: 'fclose', tmpfile: 'fclose', fdopen: 'fclose', popen: 'pclose', opendir: 'closedir' };

/** Words some opener call of the language must contain; without them the rule has nothing to find. */
const OPENER_WORDS: Partial<Record<Language, RegExp>> = {
  python: /open|socket|TemporaryFile/,
  java: new RegExp([...JAVA_CLOSEABLE].join('|')),
  go: /os\.|net\.|http\.|\.Do/,
  c: /fopen|tmpfile|fdopen|popen|opendir/,
  cpp: /fopen|tmpfile|fdopen|popen|opendir/,
  typescript: /openSync/,
  tsx: /openSync/,
  javascript: /openSync/,
};

/**
 * Whether the code `after` an opening passes the resource (`n`, escaped) to a method of an object that it then
 * returns: `streamer.parse(reader); return streamer;` hands the reader to the caller with the streamer.
 */
function givenToReturned(after: string, n: string): boolean {
  const receivers = new Set<string>();
  for (const m of after.matchAll(new RegExp(`(?<![\\w$.])([A-Za-z_$][\\w$]*)\\.[\\w$]+\\([^)\\n;]*(?<![\\w$.])${n}\\b`, 'g'))) receivers.add(m[1]);
  return [...receivers].some((r) => new RegExp(`\\breturn\\s+${escapeRegExp(r)}\\s*;?\\s*$`, 'm').test(after));
}

/**
 * Whether the code `after` an opening wraps the resource (`n`, escaped) in an object it then closes:
 * `JsonWriter json = gson.newJsonWriter(writer); ...; json.close();` closes the writer with it.
 */
function wrappedThenClosed(after: string, n: string): boolean {
  for (const m of after.matchAll(new RegExp(`([A-Za-z_$][\\w$]*)\\s*:?=\\s*[^;\\n=]*\\([^)\\n;]*(?<![\\w$.])${n}\\b`, 'g'))) {
    const w = escapeRegExp(m[1]);
    if (new RegExp(`\\b${w}\\.(close|Close)\\(|\\btry\\s*\\([^)]*\\b${w}\\b|\\bwith\\s+${w}\\b`).test(after)) return true;
  }
  return false;
}

/** Java classes that only wrap a stream they are given: `PrintWriter` and `Scanner` also open a file by its name. */
const JAVA_WRAPPERS = /^(Buffered(Reader|Writer)|InputStreamReader|OutputStreamWriter|(Object|Data)(Input|Output)Stream|PrintWriter|Scanner)$/;

/**
 * `new PrintWriter(printWriter)` of a field, `new OutputStreamWriter(output, charset)` of a parameter,
 * `new BufferedReader(new InputStreamReader(System.in))`: a wrapper around a stream the method does not own (a field,
 * the caller's stream, `System.in`), which closing the wrapper would close too.
 */
function wrapsStreamOfOthers(type: string, creation: Node, declaration: Node): boolean {
  if (!JAVA_WRAPPERS.test(type)) return false;
  let arg: Node | undefined = named(creation.childForFieldName('arguments') ?? creation)[0];
  // Through wrappers of wrappers, to the stream at the core.
  while (arg?.type === 'object_creation_expression' && JAVA_WRAPPERS.test(arg.childForFieldName('type')?.text.replace(/<.*$/, '') ?? '')) {
    arg = named(arg.childForFieldName('arguments') ?? arg)[0];
  }
  if (!arg) return false;
  if (/^System\.(in|out|err)$/.test(arg.text) || (arg.type === 'field_access' && arg.text.startsWith('this.'))) return true;
  if (arg.type !== 'identifier') return false;
  const method = enclosingFunction(declaration);
  const body = method?.childForFieldName('body');
  if (!method || !body) return false;
  // A stream parameter (not a file name: `new PrintWriter(fileName)` opens the file), or a field: a name the method does not declare.
  const parameter = named(method.childForFieldName('parameters') ?? method).find((p) => p.childForFieldName('name')?.text === arg.text);
  if (parameter) return STREAM_TYPE.test(parameter.childForFieldName('type')?.text ?? '');
  // A local made over memory or a standard stream, directly or through wrappers: `sw = new StringWriter()` before
  // `new PrintWriter(sw)`, `isr = new InputStreamReader(System.in)` before `new BufferedReader(isr)`.
  for (let local = arg.text, depth = 0; depth < 4; depth++) {
    const made = localCreation(body.text, local);
    if (!made) break;
    if (IN_MEMORY.test(made.type) || IN_MEMORY.test(made.args) || /^\s*System\.(in|out|err)\s*$/.test(made.args)) return true;
    const inner = JAVA_WRAPPERS.test(made.type) ? /^\s*([A-Za-z_$][\w$]*)\s*(,|$)/.exec(made.args)?.[1] : undefined;
    if (!inner) return false;
    local = inner;
  }
  const declares = new RegExp(`\\b[\\w<>\\[\\],.? ]+\\s+${escapeRegExp(arg.text)}\\s*[=;,)]`);
  return !declares.test(body.text);
}

/** What the first `name = new Type(args);` in `body` creates the local `name` as. */
function localCreation(body: string, name: string): { type: string; args: string } | undefined {
  const made = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*=\\s*new\\s+([\\w.]+)(?:<[^>]*>)?\\s*\\(([^;]*)\\)\\s*;`).exec(body);
  return made ? { type: made[1].replace(/^.*\./, ''), args: made[2] } : undefined;
}

/** Java types of streams a method may be handed. */
const STREAM_TYPE = /(Stream|Reader|Writer|Appendable|Channel|Socket)\b/;

/** A stream over memory (`new OutputStreamWriter(buffer.outputStream())`, a `StringWriter`): no handle to leak. */
const IN_MEMORY = /\b(ByteArray\w*|String(Reader|Writer)|CharArray\w*|buffer)\b/i;

/** Functions written inside others (Go, JS/TS, Python, Java, C++). */
const CLOSURE_TYPES = ['func_literal', 'arrow_function', 'function_expression', 'lambda', 'lambda_expression', 'function_definition'];

/**
 * Whether a function written in `scope` after `node` uses the resource (`n`, escaped): it takes the handle over
 * and runs later, as an exit hook, a callback or a goroutine (`util.AtExit(func() { stopProfile("allocs", f) })`).
 */
function capturedByClosure(scope: Node, node: Node, n: string): boolean {
  const uses = new RegExp(`(?<![\\w$.])${n}\\b`);
  return scope.descendantsOfType(CLOSURE_TYPES).some((c) => c !== null && c.startIndex >= node.endIndex && uses.test(c.text));
}

/** Opened resources that nothing in the function closes, returns or hands on. */
export function resourceRules(ctx: RuleContext): Rule | null {
  const lang = ctx.language;
  /** Reports unless the code after `node` in its function closes or hands on `name`. */
  const check = (node: Node, name: string, closed: RegExp, what: string): void => {
    const fn = enclosingFunction(node);
    const scope = fn?.childForFieldName('body') ?? (lang === 'python' ? node.tree.rootNode : null);
    if (!scope) return;
    const after = ctx.source.slice(node.endIndex, scope.endIndex);
    const n = escapeRegExp(name);
    // Returned, yielded, stored, or wrapped by an object that takes it over (`_Reader(handle, close_handle=True)`).
    const handedOn = new RegExp(`\\b(return|yield)\\b[^\\n;]*(^|[^\\w$.])${n}\\b|[^=!<>]=\\s*${n}\\s*(;|$)|(?<![\\w$.])_?[A-Z][\\w$]*\\([^)\\n;]*(?<![\\w$.])${n}\\b`, 'm');
    if (closed.test(after) || handedOn.test(after) || givenToReturned(after, n) || wrappedThenClosed(after, n)) return;
    if (capturedByClosure(scope, node, n)) return;
    const fnName = fn ? functionName(fn) : null;
    ctx.report('unclosed-resource', 0.5,
      `${quote(node.text)} opens ${what}, and nothing in ${fnName ? quote(fnName) : 'this scope'} closes it; the handle leaks${lang === 'c' || lang === 'go' ? ' on every way out of the function' : ', always when an error is thrown first'}.`,
      node);
  };
  if (!OPENER_WORDS[lang]?.test(ctx.source)) return null;
  if (lang === 'python') {
    return {
      enter: {
        assignment: (node) => {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          if (left?.type !== 'identifier' || right?.type !== 'call' || !PY_OPENERS.test(calleeText(right))) return;
          const n = escapeRegExp(left.text);
          check(node, left.text, new RegExp(`\\b${n}\\.close\\(|\\bwith\\s+${n}\\b|closing\\(\\s*${n}\\s*\\)`), 'a file/socket outside `with`');
        },
      },
    };
  }
  if (lang === 'java') {
    return {
      enter: {
        local_variable_declaration: (node) => {
          for (const d of node.childrenForFieldName('declarator')) {
            const value = d?.childForFieldName('value');
            const name = d?.childForFieldName('name')?.text;
            const type = value?.type === 'object_creation_expression' ? value.childForFieldName('type')?.text.replace(/<.*$/, '') : undefined;
            if (!name || !type || !JAVA_CLOSEABLE.has(type) || IN_MEMORY.test(value?.childForFieldName('arguments')?.text ?? '')) continue;
            if (wrapsStreamOfOthers(type, value!, node)) continue;
            const n = escapeRegExp(name);
            check(node, name, new RegExp(`\\b${n}\\.close\\(|\\btry\\s*\\([^)]*\\b${n}\\b`), `a \`${type}\` outside try-with-resources`);
          }
        },
      },
    };
  }
  if (lang === 'go') {
    return {
      enter: {
        short_var_declaration: (node) => {
          const left = node.childForFieldName('left');
          const right = node.childForFieldName('right');
          const name = left ? named(left)[0]?.text : undefined;
          const call = right ? named(right)[0] : undefined;
          if (!name || name === '_' || call?.type !== 'call_expression') return;
          const callee = calleeText(call);
          const n = escapeRegExp(name);
          // A deferred helper handed the handle closes it too: `defer closeq(outFile)`, `defer closeBody(resp.Body)`.
          const deferred = `|\\bdefer\\s+[\\w.]+\\([^)\\n]*(?<![\\w.])${n}\\b`;
          if (GO_OPENERS.test(callee)) check(node, name, new RegExp(`\\b${n}\\.Close\\(${deferred}`), `a handle from ${quote(callee)} without \`defer ${name}.Close()\``);
          else if (GO_HTTP.test(callee)) check(node, name, new RegExp(`\\b${n}\\.Body\\.Close\\(${deferred}`), `an HTTP response body without \`defer ${name}.Body.Close()\``);
        },
      },
    };
  }
  if (lang === 'c' || lang === 'cpp') {
    /** `assigned`: `id = fopen(...)`, which may store the handle in a name declared outside the function. */
    const onValue = (node: Node, id: Node | null | undefined, value: Node | null | undefined, assigned = false): void => {
      if (!id || id.type !== 'identifier' || value?.type !== 'call_expression') return;
      const closer = C_CLOSERS[calleeText(value)];
      if (!closer) return;
      const n = escapeRegExp(id.text);
      // `log_file = fopen(path, "a")` into a name the function does not declare (`FILE *log_file`): a global
      // or static the handle is kept in, for another function (`log_close`) to close.
      const fn = assigned ? enclosingFunction(node) : null;
      if (fn && !new RegExp(`\\*\\s*${n}\\s*[;=,)\\[]`).test(fn.text)) return;
      check(node, id.text, new RegExp(`\\b${closer}\\s*\\(\\s*${n}\\s*\\)`), `a handle without \`${closer}\``);
    };
    return {
      enter: {
        init_declarator: (d) => {
          let id = d.childForFieldName('declarator');
          while (id && id.type === 'pointer_declarator') id = id.childForFieldName('declarator');
          onValue(d.parent ?? d, id, d.childForFieldName('value'));
        },
        assignment_expression: (a) => onValue(a, a.childForFieldName('left'), a.childForFieldName('right'), true),
      },
    };
  }
  if (isJsFamily(lang)) {
    return {
      enter: {
        variable_declarator: (d) => {
          const id = d.childForFieldName('name');
          const value = d.childForFieldName('value');
          if (id?.type !== 'identifier' || value?.type !== 'call_expression' || !/^(fs\.)?openSync$/.test(calleeText(value))) return;
          const n = escapeRegExp(id.text);
          check(d.parent ?? d, id.text, new RegExp(`\\bclose(Sync)?\\(\\s*${n}\\b`), 'a file descriptor without `closeSync`');
        },
      },
    };
  }
  return null;
}
