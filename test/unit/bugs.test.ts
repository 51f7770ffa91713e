import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language as TsLanguage, Parser } from 'web-tree-sitter';
import { distPath } from '../../src/core/assets';
import { findBugCandidates, MAX_BUGS_PER_FILE } from '../../src/core/bugs/patterns';
import { buildBugNotes } from '../../src/core/notes/bugNotes';
import { analyzeSource } from '../../src/core/parse/extract';
import { loadGrammar } from '../../src/core/parse/grammars';
import type { BugCandidate, FileAnalysis, HistoryResult, Language, Note, SymbolDef } from '../../src/core/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bugs');
const parsers = new Map<Language, Parser>();

before(async () => {
  await Parser.init({ locateFile: () => distPath('tree-sitter.wasm') });
});

async function parserFor(language: Language): Promise<Parser> {
  let p = parsers.get(language);
  if (!p) {
    p = new Parser();
    p.setLanguage(await TsLanguage.load(distPath('grammars', `${language}.wasm`)));
    parsers.set(language, p);
  }
  return p;
}

async function scan(language: Language, source: string): Promise<BugCandidate[]> {
  const tree = (await parserFor(language)).parse(source);
  assert.ok(tree, 'parse failed');
  try {
    return findBugCandidates(tree.rootNode, language, source);
  } finally {
    tree.delete();
  }
}

const keys = (bugs: BugCandidate[]): string[] => bugs.map((b) => `${b.startLine}:${b.pattern}`).sort();

/** Every `flag/` fixture must yield exactly these `line:pattern` pairs; its `clean/` near-miss twin must yield none. */
const CASES: { file: string; language: Language; expect: string[] }[] = [
  {
    file: 'sample.ts', language: 'typescript',
    expect: [
      '4:unawaited-promise', '5:unawaited-promise', '6:unhandled-then', '7:typeof-typo', '8:impossible-comparison',
      '11:swallowed-exception', '14:shadowed-variable', '17:self-comparison', '19:assignment-in-condition',
      '20:unclosed-resource', '21:empty-if', '22:self-assignment', '24:unreachable-code', '26:todo-marker',
    ],
  },
  {
    file: 'sample.js', language: 'javascript',
    expect: [
      '6:unawaited-promise', '7:unawaited-promise', '8:unawaited-promise', '11:catch-only-logs',
      '14:assignment-in-condition', '18:self-comparison', '20:unreachable-code', '22:todo-marker',
    ],
  },
  {
    file: 'sample.py', language: 'python',
    expect: [
      '7:mutable-default', '9:unclosed-resource', '12:swallowed-exception', '14:is-literal',
      '16:impossible-comparison', '20:except-returns-none', '22:shadowed-builtin', '23:self-comparison',
      '26:unreachable-code', '29:unawaited-coroutine', '30:unawaited-coroutine', '33:bare-except', '35:todo-marker', '42:unawaited-coroutine',
    ],
  },
  {
    file: 'sample.go', language: 'go',
    expect: [
      '9:swallowed-exception', '13:shadowed-variable', '16:unchecked-error', '21:self-comparison',
      '25:unreachable-code', '29:unclosed-resource', '38:todo-marker', '43:ignored-error', '50:unchecked-error',
    ],
  },
  {
    file: 'Sample.java', language: 'java',
    expect: [
      '6:unclosed-resource', '9:swallowed-exception', '11:string-reference-equality', '16:broad-catch',
      '21:catch-only-logs', '24:impossible-comparison', '26:self-comparison', '27:empty-if', '28:self-assignment',
      '30:unreachable-code', '31:todo-marker',
    ],
  },
  {
    file: 'sample.c', language: 'c',
    expect: [
      '4:unclosed-resource', '6:impossible-comparison', '7:impossible-comparison', '8:assignment-in-condition',
      '9:self-comparison', '10:empty-if', '12:unreachable-code', '14:todo-marker',
    ],
  },
  {
    file: 'sample.cpp', language: 'cpp',
    expect: ['5:swallowed-exception', '8:assignment-in-condition', '9:impossible-comparison', '11:unreachable-code'],
  },
  {
    file: 'Sample.cs', language: 'csharp',
    expect: ['4:async-void', '6:swallowed-exception', '7:broad-catch', '9:self-comparison', '11:unreachable-code'],
  },
  {
    file: 'sample.php', language: 'php',
    expect: ['3:swallowed-exception', '4:assignment-in-condition', '5:self-comparison', '7:unreachable-code'],
  },
  { file: 'sample.rb', language: 'ruby', expect: ['4:swallowed-exception', '7:unreachable-code', '9:todo-marker'] },
  {
    file: 'sample.rs', language: 'rust',
    expect: ['2:rust-unwrap', '3:unsafe-block', '4:self-comparison', '6:unreachable-code'],
  },
  {
    file: 'sample.kt', language: 'kotlin',
    expect: ['4:swallowed-exception', '6:self-comparison', '7:impossible-comparison', '9:self-assignment', '10:todo-marker'],
  },
  {
    file: 'sample.swift', language: 'swift',
    expect: ['4:swallowed-exception', '6:self-comparison', '7:impossible-comparison', '9:self-assignment', '10:todo-marker'],
  },
];

for (const c of CASES) {
  test(`${c.language}: flags each suspect construct on its line`, async () => {
    const bugs = await scan(c.language, fs.readFileSync(path.join(FIXTURES, 'flag', c.file), 'utf8'));
    assert.deepEqual(keys(bugs), [...c.expect].sort());
    for (const b of bugs) {
      assert.ok(b.endLine >= b.startLine, `${b.pattern} range`);
      assert.ok(b.weight > 0 && b.weight <= 1, `${b.pattern} weight`);
      assert.match(b.message, /`[^`]+`/, `${b.pattern} message quotes code`);
    }
  });
  test(`${c.language}: near-miss twin is clean`, async () => {
    const bugs = await scan(c.language, fs.readFileSync(path.join(FIXTURES, 'clean', c.file), 'utf8'));
    assert.deepEqual(keys(bugs), []);
  });
}

test('messages say concretely what is suspect', async () => {
  const py = await scan('python', fs.readFileSync(path.join(FIXTURES, 'flag', 'sample.py'), 'utf8'));
  const swallowed = py.find((b) => b.pattern === 'swallowed-exception')!;
  assert.match(swallowed.message, /^`except: pass` swallows every error raised by `f\.read\(\)`/);
  assert.deepEqual([swallowed.startLine, swallowed.endLine], [12, 13]);
  const java = await scan('java', fs.readFileSync(path.join(FIXTURES, 'flag', 'Sample.java'), 'utf8'));
  const specific = java.find((b) => b.pattern === 'swallowed-exception')!;
  assert.match(specific.message, /every IOException raised by `in\.read\(\)`/);
  assert.ok(specific.weight < swallowed.weight, 'catching one named exception weighs less than a bare except');
  const kotlin = await scan('kotlin', fs.readFileSync(path.join(FIXTURES, 'flag', 'sample.kt'), 'utf8'));
  assert.match(kotlin.find((b) => b.pattern === 'swallowed-exception')!.message, /^`catch \(e: Exception\) \{\}` swallows every Exception raised by `read\(\)`/);
  const php = await scan('php', '<?php\nfunction f($db) {\n  try { $db->query(1); } catch (Exception $e) {}\n  try { Cache::get(1); } catch (Exception $e) {}\n}\n');
  assert.deepEqual(php.map((b) => b.message.match(/raised by (`[^`]+`)/)?.[1]), ['`$db->query()`', '`Cache::get()`'], 'PHP calls are quoted as written');
  // The exception a `raise` or `throw` makes is not what fails: marshmallow's `NoneOf.__call__`.
  const raising = await scan('python', 'def check(value, items):\n    try:\n        if value in items:\n            raise ValidationError(value)\n    except TypeError:\n        pass\n    return value\n');
  assert.match(raising.find((b) => b.pattern === 'swallowed-exception')!.message, /every TypeError raised in the guarded block/);
  // One statement holding two calls does not say which raised: rich's `if hasattr(obj, ...): obj.__rich_repr__()`.
  const either = await scan('python', 'def f(obj):\n    try:\n        if hasattr(obj, "r"):\n            x = obj.r()\n    except Exception:\n        pass\n');
  assert.match(either.find((b) => b.pattern === 'swallowed-exception')!.message, /every Exception raised in the guarded block/);
  const nested = await scan('python', 'def f(s):\n    try:\n        return int(s.strip())\n    except ValueError:\n        pass\n');
  assert.match(nested.find((b) => b.pattern === 'swallowed-exception')!.message, /raised by `int\(\)`/);
  const thrown = await scan('java', 'class A {\n  void f(Map m) {\n    try {\n      if (m.isEmpty()) throw new IllegalStateException("empty");\n    } catch (RuntimeException e) {\n    }\n  }\n}\n');
  assert.match(thrown.find((b) => b.pattern === 'swallowed-exception')!.message, /raised by `m\.isEmpty\(\)`/);
  const logged = await scan('kotlin', 'fun serve() {\n  try {\n    logger.fine("accepting")\n    acceptConnections()\n  } catch (e: Throwable) {\n    logger.log(Level.WARNING, "failed", e)\n  }\n}\n');
  assert.match(logged[0].message, /callers never learn that `acceptConnections\(\)` failed/, 'the guarded work is named, not the log line before it');
  const go = await scan('go', fs.readFileSync(path.join(FIXTURES, 'flag', 'sample.go'), 'utf8'));
  assert.match(go.find((b) => b.pattern === 'unchecked-error')!.message, /overwritten at line 17/);
  assert.match(go.find((b) => b.pattern === 'todo-marker')!.message, /HACK.*works around a kernel bug/);
  assert.match(go.find((b) => b.pattern === 'unclosed-resource')!.message, /leaks on every way out of the function\.$/, 'Go has no exceptions to speak of');
  assert.match(py.find((b) => b.pattern === 'unclosed-resource')!.message, /leaks, always when an error is thrown first\.$/);
  const ts = await scan('typescript', fs.readFileSync(path.join(FIXTURES, 'flag', 'sample.ts'), 'utf8'));
  assert.match(ts.find((b) => b.pattern === 'shadowed-variable')!.message, /`items` declared at line 3/);
});

test('a mutable default counts when the function changes, keeps, returns or hands it on; not when it only reads it', async () => {
  const src = [
    'class Box:',
    '    def __init__(self, items=[]):',
    '        self.items = items',
    '',
    'def add(x, seen=set()):',
    '    seen.add(x)',
    '    return x',
    '',
    'def build(opts={}):',
    '    return opts',
    '',
    'def forward(rows, exclude=set()):',
    '    return render(rows, exclude=exclude)',
    '',
    'def tally(word, counts={}):',
    '    counts[word] = counts.get(word, 0) + 1',
    '',
    'def reads(rows, exclude=set(), names=[]):',
    '    return [r for r in rows if r not in exclude and r.name in names]',
    '',
  ].join('\n');
  const found = (await scan('python', src)).filter((b) => b.pattern === 'mutable-default');
  assert.deepEqual(found.map((b) => `${b.startLine} ${b.weight}`), ['2 0.6', '5 0.6', '9 0.6', '12 0.3', '15 0.6']);
  assert.match(found[0].message, /`items` is kept at `self\.items = items` \(line 3\)/);
  assert.match(found[1].message, /`seen` is mutated at `seen\.add\(x\)` \(line 6\)/);
  assert.match(found[3].message, /`exclude` is passed on at `render\(rows, exclude=exclude\)`/);
});

test('code after a jump label or a conditional-compilation branch is not unreachable', async () => {
  const c = 'int f(int x) {\n  if (x) goto err;\n  return 1;\n  x = 2;\nerr:\n  cleanup();\n  return 0;\n}\n';
  const dead = (await scan('c', c)).filter((b) => b.pattern === 'unreachable-code');
  assert.deepEqual(dead.map((b) => `${b.startLine}-${b.endLine}`), ['4-4'], 'only `x = 2;`: `err:` is reached by goto');
  const cs = 'class A {\n  int F() {\n#if HAVE_X\n    return 1;\n#else\n    return 2;\n#endif\n  }\n}\n';
  assert.deepEqual((await scan('csharp', cs)).filter((b) => b.pattern === 'unreachable-code'), []);
  const exits = 'int g(void) {\n  exit(1);\n  return -1; /* keep the compiler quiet */\n}\n';
  assert.deepEqual((await scan('c', exits)).filter((b) => b.pattern === 'unreachable-code'), []);
  // `#ifdef` inside a block: the parser sees every build's statements at once.
  const ifdefs = 'int h(int x) {\n  if (x)\n#ifdef _WIN32\n    if (a())\n#else\n    if (b())\n#endif\n      x = 0;\n  switch (x) {\n  case 1:\n    x = 2;\n#ifdef Z\n    x = 3;\n#endif\n    continue;\n  case 2:\n    break;\n  }\n  return x;\n}\n';
  assert.deepEqual((await scan('c', ifdefs)).filter((b) => b.pattern === 'unreachable-code' || b.pattern === 'empty-if'), []);
});

test('a C parameter assigned to itself silences an unused-parameter warning; a local so assigned is a finding', async () => {
  const c = 'static int f(int *lexer, int suffixes) {\n  int local = 1;\n  suffixes = suffixes;\n  local = local;\n  return 0;\n}\n';
  assert.deepEqual((await scan('c', c)).filter((b) => b.pattern === 'self-assignment').map((b) => b.startLine), [4]);
  const cpp = 'char *g(const char *const *names) {\n  names = names;\n  return 0;\n}\n';
  assert.deepEqual((await scan('cpp', cpp)).filter((b) => b.pattern === 'self-assignment'), []);
});

test('a C `switch` whose case labels come from a macro has no unreachable code', async () => {
  const macro = 'void f(int filter) {\n  switch (filter) {\n    CASE(F_none)  cur[k] = raw[k]; break;\n    CASE(F_sub)   cur[k] = raw[k] + cur[k-n]; break;\n  }\n}\n';
  assert.deepEqual((await scan('c', macro)).filter((b) => b.pattern === 'unreachable-code'), []);
  const labelled = 'void f(int x) {\n  switch (x) {\n  case 1:\n    y = 1; break;\n    y = 2;\n  }\n}\n';
  assert.deepEqual((await scan('c', labelled)).filter((b) => b.pattern === 'unreachable-code').map((b) => b.startLine), [5]);
});

test('a `yield` after `raise` or `return` marks a generator, not unreachable code', async () => {
  const py = 'class Stream:\n    def __iter__(self):\n        raise NotImplementedError()\n        yield b""\n\n    def rest(self):\n        return\n        yield\n        cleanup()\n';
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'unreachable-code').map((b) => b.startLine), [8]);
  const js = 'function* none() {\n  return;\n  yield 1;\n}\n';
  assert.deepEqual((await scan('javascript', js)).filter((b) => b.pattern === 'unreachable-code'), []);
  const php = '<?php\nfunction none() {\n  return;\n  yield;\n}\n';
  assert.deepEqual((await scan('php', php)).filter((b) => b.pattern === 'unreachable-code'), []);
});

test('a JSDoc type cast after `return` is part of the returned value, not unreachable code', async () => {
  const js = 'function first(items) {\n  for (const x of items) {\n    return /** @type {T} */ (x);\n  }\n  return /** @type {T} */ (\n    null\n  );\n}\n';
  const found = await scan('javascript', js);
  assert.deepEqual(found.filter((b) => b.pattern === 'unreachable-code'), []);
  const dead = 'function f(x) {\n  return;\n  /** @type {T} */ (x);\n}\n';
  assert.deepEqual((await scan('javascript', dead)).filter((b) => b.pattern === 'unreachable-code').map((b) => b.startLine), [3]);
});

test('deliberate forms are not findings: `if (x) ; else`, a NaN test, `b == b` in a function named for NaN or beside a NaN test', async () => {
  const c = 'int f(int hi) {\n  if (hi > 9) ; // nothing to do\n  else return hi;\n  if (hi);\n  return 0;\n}\n';
  assert.deepEqual((await scan('c', c)).filter((b) => b.pattern === 'empty-if').map((b) => b.startLine), [4]);
  const js = 'function isNaNValue(v) {\n  return v == v;\n}\nfunction same(v) {\n  return v == v;\n}\nfunction is(x, y) {\n  return x !== x && y !== y;\n}\n';
  assert.deepEqual((await scan('javascript', js)).filter((b) => b.pattern === 'self-comparison').map((b) => b.startLine), [5]);
  // Beside a NaN test, `b == b` asks whether `b` is a number as well; without one, `b == b` is always true.
  const beside = 'function changed(a, b) {\n  return a != a\n    ? b == b\n    : a !== b;\n}\nfunction eq(a, b) {\n  return b == b;\n}\n';
  const found = (await scan('javascript', beside)).filter((b) => b.pattern === 'self-comparison');
  assert.deepEqual(found.map((b) => `${b.startLine} ${b.weight}`), ['7 0.7']);
  // C++: `(I == I)...` is one `true` per element of the pack.
  const cpp = 'template <size_t... I>\nusing all_true = seq<bool, (I == I)...>;\nbool g(int i) { return i == i; }\n';
  assert.deepEqual((await scan('cpp', cpp)).filter((b) => b.pattern === 'self-comparison').map((b) => b.startLine), [3]);
});

test('Go: a result discarded with `_ =` is meant; an error dropped from a pair is a finding unless the last result is no error', async () => {
  const src = 'package a\nfunc f(path string) {\n\tf, _ := os.Open(path)\n\t_ = f.Sync()\n\t_ = f.Close()\n\tframe, _ := frames.Next()\n\tcaller, _ := runtime.CallersFrames(pcs).Next()\n}\n';
  const found = (await scan('go', src)).filter((b) => b.pattern === 'ignored-error');
  assert.deepEqual(found.map((b) => `${b.startLine} ${b.weight}`), ['3 0.25']);
});

test('a line that tells a linter to stand down holds no finding (noqa, nolint, eslint-disable-next-line)', async () => {
  const py = 'def parse(file, *, cast={}):  # noqa: B006\n    cast["x"] = 1\n\ndef other(opts={}):\n    opts["x"] = 1\n';
  assert.deepEqual((await scan('python', py)).map((b) => `${b.startLine}:${b.pattern}`), ['4:mutable-default']);
  const js = 'function f(a, b) {\n  // eslint-disable-next-line no-self-compare\n  if (a == a) g();\n  if (b == b) g(); // eslint-disable-line\n  if (a === a) g();\n}\n';
  assert.deepEqual((await scan('javascript', js)).map((b) => `${b.startLine}:${b.pattern}`), ['5:self-comparison']);
  const go = 'package a\nfunc f(path string) {\n\tf, _ := os.Open(path) //nolint:errcheck\n\tg, _ := os.Open(path)\n}\n';
  assert.deepEqual((await scan('go', go)).filter((b) => b.pattern === 'ignored-error').map((b) => b.startLine), [4]);
});

test('an empty handler whose failure path ends in a raise, or that probes an optional import, swallows nothing', async () => {
  const py = [
    'async def asend(self, value):',
    '    with catcher:',
    '        try:',
    '            return await self._gen.asend(value)',
    '        except StopAsyncIteration:',
    '            pass',
    '    raise StopAsyncIteration',
    'def parse_time(time):',
    '    for format_ in FORMATS:',
    '        try:',
    '            dt = strptime(time, format_)',
    '        except ValueError:',
    '            pass',
    '        else:',
    '            return dt',
    '    raise ValueError(time)',
    'def colorize(stream):',
    '    try:',
    '        import ipykernel',
    '        shell = ipykernel.get()',
    '    except Exception:',
    '        pass',
    'def tidy(path):',
    '    try:',
    '        os.remove(path)',
    '        log(path)',
    '    except OSError:',
    '        pass',
    '    done()',
    '',
  ].join('\n');
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [27]);
  const js = 'function f(xs) {\n  for (const x of xs) {\n    try { return JSON.parse(x); } catch (e) {}\n  }\n  throw new Error("none parsed");\n}\n';
  assert.deepEqual((await scan('javascript', js)).filter((b) => b.pattern === 'swallowed-exception'), []);
});

test('Rust: an unsafe block with a comment just above it says what it relies on', async () => {
  const src = 'fn f(p: *const u8) -> u8 {\n    // SAFETY: p is valid for reads\n    let a = unsafe { *p };\n    let b = unsafe { *p };\n    a + b\n}\n';
  assert.deepEqual((await scan('rust', src)).filter((b) => b.pattern === 'unsafe-block').map((b) => b.startLine), [4]);
});

test('a marker word used as a word is no marker: quoted, in a phrase in capitals, mid-sentence in a doc comment', async () => {
  const py = 'table = (\n    "\\u1806",  # MONGOLIAN TODO SOFT HYPHEN (nameprep maps to nothing)\n    "\\u200b",  # TODO: check the zero-width space\n)\n';
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'todo-marker').map((b) => b.startLine), [3]);
  const java = [
    '/**', ' * Thrown when a method is not implemented. This can act as an exception based TODO tag.', ' * <pre>', ' *   throw new NotImplementedException("TODO", ex);',
    ' * </pre>', ' * TODO: say which methods throw it', ' */', 'public class NotImplementedException extends RuntimeException {', '    // TODO handle the cause chain', '}',
  ].join('\n');
  assert.deepEqual((await scan('java', java)).filter((b) => b.pattern === 'todo-marker').map((b) => b.startLine), [6, 9]);
});

test('Rust: an unsafe block inside an unsafe fn is its callers\' to justify; one in a safe fn is reported', async () => {
  const src = 'impl<T> Own<T> {\n    pub unsafe fn deref(self) -> &T {\n        unsafe { &*self.ptr.as_ptr() }\n    }\n    pub fn get(&self) -> &T {\n        unsafe { &*self.ptr.as_ptr() }\n    }\n}\n';
  assert.deepEqual((await scan('rust', src)).filter((b) => b.pattern === 'unsafe-block').map((b) => b.startLine), [6]);
});

test('Rust: an unsafe block that opens with its safety comment is clean, and a file reports at most three', async () => {
  const commented = 'fn f(p: *const u8) -> u8 {\n    unsafe {\n        // safety: p is valid for reads\n        *p\n    }\n}\n';
  assert.deepEqual((await scan('rust', commented)).filter((b) => b.pattern === 'unsafe-block'), []);
  const ffi = ['fn g(fd: i32) {', ...Array.from({ length: 6 }, (_, i) => `    let r${i} = unsafe { libc::close(fd) };`), '}'].join('\n');
  assert.deepEqual((await scan('rust', ffi)).filter((b) => b.pattern === 'unsafe-block').map((b) => b.startLine), [2, 3, 4]);
});

test('Java: a stream over memory, or one wrapped in an object that is closed, leaks nothing', async () => {
  const src = [
    'class C {',
    '  void a(Buffer buffer) throws IOException {',
    '    Writer writer = new OutputStreamWriter(buffer.outputStream(), UTF_8);',
    '    JsonWriter json = gson.newJsonWriter(writer);',
    '    json.close();',
    '  }',
    '  void b(Buffer buffer) throws IOException {',
    '    OutputStreamWriter osw = new OutputStreamWriter(buffer.outputStream(), UTF_8);',
    '    osw.flush();',
    '  }',
    '  void c(String path) throws IOException {',
    '    FileWriter fw = new FileWriter(path);',
    '    fw.write("x");',
    '  }',
    '  void d(String fileName) throws IOException {',
    '    PrintWriter pw = new PrintWriter(fileName);',
    '    pw.print(1);',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual((await scan('java', src)).filter((b) => b.pattern === 'unclosed-resource').map((b) => b.startLine), [12, 16],
    'a PrintWriter opened on a file name it is handed is its own to close');
});

test('Java: a wrapper of a local made over memory or System.in leaks nothing; of a local file stream, it does', async () => {
  const src = [
    'class C {',
    '  String a(String stack) throws IOException {',
    '    StringWriter sw = new StringWriter();',
    '    PrintWriter pw = new PrintWriter(sw);',
    '    ByteArrayInputStream bais = null;',
    '    bais = new ByteArrayInputStream(bytes);',
    '    ObjectInputStream in = new ObjectInputStream(bais);',
    '    InputStreamReader isr = new InputStreamReader(System.in);',
    '    BufferedReader br = new BufferedReader(isr);',
    '    pw.print(in.readObject());',
    '    return br.readLine();',
    '  }',
    '  String b(String path) throws IOException {',
    '    FileInputStream fis = new FileInputStream(path);',
    '    InputStreamReader isr = new InputStreamReader(fis);',
    '    BufferedReader br = new BufferedReader(isr);',
    '    String line = br.readLine();',
    '    return line;',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual((await scan('java', src)).filter((b) => b.pattern === 'unclosed-resource').map((b) => b.startLine), [16]);
});

test('unreachable range spans every dead statement', async () => {
  const src = 'function f() {\n  return 1;\n  a();\n  // note\n  b();\n}\n';
  const [bug] = await scan('javascript', src);
  assert.deepEqual([bug.pattern, bug.startLine, bug.endLine], ['unreachable-code', 3, 5]);
});

test('per-file cap keeps the strongest candidates and counts markers last', async () => {
  const many = (n: number): string => Array.from({ length: n }, (_, i) => `if (v${i} == v${i}) {}\n`).join('');
  const todos = (n: number): string => Array.from({ length: n }, (_, i) => `// TODO: item ${i}\n`).join('');
  const full = await scan('javascript', todos(10) + many(40).replace(/ \{\}/g, ' f();'));
  assert.equal(full.length, MAX_BUGS_PER_FILE);
  assert.ok(full.every((b) => b.pattern !== 'todo-marker'));
  const mixed = await scan('javascript', todos(10) + many(25).replace(/ \{\}/g, ' f();'));
  assert.equal(mixed.length, MAX_BUGS_PER_FILE);
  assert.equal(mixed.filter((b) => b.pattern === 'todo-marker').length, 5);
  assert.deepEqual(mixed.map((b) => b.startLine), [...mixed.map((b) => b.startLine)].sort((a, b) => a - b));
  const rust = await scan('rust', `fn f() {\n${'    a().unwrap();\n'.repeat(9)}}\n`);
  assert.equal(rust.filter((b) => b.pattern === 'rust-unwrap').length, 5);
});

test('broken or mismatched input never throws', async () => {
  const broken = 'function ( { try { catch } if (x = = ) return; }}} \n def f(:\n  except';
  for (const lang of ['typescript', 'python', 'go', 'java', 'c', 'cpp', 'csharp', 'ruby', 'php', 'rust'] as Language[]) {
    const bugs = await scan(lang, broken);
    assert.ok(Array.isArray(bugs), lang);
  }
  const tree = (await parserFor('python')).parse('try:\n    x()\nexcept:\n    pass\n')!;
  assert.ok(Array.isArray(findBugCandidates(tree.rootNode, 'go', 'unrelated source')));
  tree.delete();
});

test('shadowing checks each enclosing scope only up to the inner block, parameters included', async () => {
  const src = [
    'function f(a: number, { b }: { b: number }) {',
    '  const x = 1;',
    '  if (a) {',
    '    const x = 2;',
    '    let a = 3, b = 4;',
    '    const y = 5;',
    '  }',
    '  const y = 0;',
    '  for (let i = 0; i < y; i++) {',
    '    { const i = 1; }',
    '  }',
    '}',
  ].join('\n');
  const bugs = (await scan('typescript', src)).filter((b) => b.pattern === 'shadowed-variable');
  assert.deepEqual(bugs.map((b) => b.startLine), [4, 5, 10]);
  assert.match(bugs[0].message, /`x` declared at line 2/);
  assert.match(bugs[1].message, /`a` declared at line 1/);
});

test('shadowing counts whole names: a name inside longer words is not a second binding; non-ASCII names still match', async () => {
  const src = [
    'function g(count: number) {',
    '  const countdown = count;',
    '  if (countdown) {',
    '    const total = countdown + 1;',
    '    const café = total;',
    '  }',
    '  const café = 1;',
    '  if (café) {',
    '    const café = 2;',
    '  }',
    '}',
  ].join('\n');
  const bugs = (await scan('typescript', src)).filter((b) => b.pattern === 'shadowed-variable');
  assert.deepEqual(bugs.map((b) => b.startLine), [9]);
  assert.match(bugs[0].message, /`café` declared at line 7/);
});

test('async and promise rules still fire in files that never say async', async () => {
  const typed = [
    'function load(): Promise<number> { return Promise.resolve(1); }',
    'function run(): Promise<void> {',
    '  load();',
    '  return Promise.resolve();',
    '}',
  ].join('\n');
  assert.deepEqual(keys(await scan('typescript', typed)), ['3:unawaited-promise']);
  assert.deepEqual(keys(await scan('javascript', 'p.then(() => 1);\n')), ['1:unhandled-then']);
  // A rejection handler anywhere along the chain handles it; `.finally()` alone does not.
  const chains = 'p.then(ok, (e) => log(e)).finally(done);\np.then(ok).finally(done);\nq.finally(done).then(ok);\n';
  assert.deepEqual(keys(await scan('javascript', chains)), ['2:unhandled-then', '3:unhandled-then']);
  assert.deepEqual(keys(await scan('javascript', 'function f() { load(); }\n')), []);
});

test('comparisons are found inside larger expressions and with word operators', async () => {
  const js = await scan('javascript', 'const ok = a + (b === b) * 2;\nif (n + 1 && s.length < 0) f();\n');
  assert.deepEqual(keys(js), ['1:self-comparison', '2:impossible-comparison']);
  const py = await scan('python', 'if y + 2 and (x is "" or z < 1):\n    pass\n');
  assert.deepEqual(keys(py), ['1:is-literal']);
});

test('a size is never negative only where the language defines it: `.Count` in C#, not a Go struct field', async () => {
  const cs = await scan('csharp', 'class A {\n  int F(List<int> xs) {\n    if (xs.Count < 0) return 0;\n    return 1;\n  }\n}\n');
  assert.deepEqual(keys(cs), ['3:impossible-comparison']);
  const go = 'package p\n\nfunc f(h *Histogram, xs []int) bool {\n\tif h.Count >= 0 {\n\t\treturn true\n\t}\n\treturn len(xs) < 0\n}\n';
  assert.deepEqual(keys(await scan('go', go)), ['7:impossible-comparison']);
  assert.deepEqual(keys(await scan('rust', 'fn f(v: &Vec<u8>) -> bool {\n    v.len() < 0\n}\n')), ['2:impossible-comparison']);
  assert.deepEqual(keys(await scan('ruby', 'def f(xs)\n  xs.size < 0\nend\n')), ['2:impossible-comparison']);
});

test('findings in a Python module\'s __main__ block (demo code) weigh less than the module\'s own', async () => {
  const src = [
    'def helper(path):', '    try:', '        run(path)', '    except Exception:', '        pass', '',
    'if __name__ == "__main__":', '    try:', '        helper("x")', '    except Exception:', '        pass', '',
  ].join('\n');
  const found = (await scan('python', src)).filter((b) => b.pattern === 'swallowed-exception');
  assert.deepEqual(found.map((b) => `${b.startLine} ${b.weight}`), ['4 0.7', '10 0.21']);
});

test('a bare TODO standing for a doc tag\'s description is no finding; markers joined by a slash are one', async () => {
  const java = 'class F {\n  /**\n   * @param header\n   *            the header\n   * @param skipHeaderRecord\n   *            TODO\n   * @param trim\n   *            TODO\n   * @param trailingDelimiter TODO\n   */\n  F() {}\n  // TODO\n  // handle the empty header\n  void g() {}\n}\n';
  const markers = (await scan('java', java)).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(markers.map((b) => `${b.startLine} ${b.message}`), ['12 TODO marker left in a comment: `handle the empty header`.']);
  const py = '# HACK/FIXME: unix socket URLs have no hostname.\nx = 1\n';
  const joined = (await scan('python', py)).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(joined.map((b) => b.message), ['HACK marker left in a comment: `unix socket URLs have no hostname.`.']);
});

test('a marker\'s (owner or condition) tag is kept whole, apart from the text after it', async () => {
  const found = (await scan('javascript', '// TODO(20.x): remove when node@20 is not supported\nconst a = 1;\n')).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(found.map((b) => b.message), ['TODO(20.x) marker left in a comment: `remove when node@20 is not supported`.']);
  // rest-client's `# TODO (breaks compatibility): ought to use mime_for() ...`: a space before the tag.
  const spaced = (await scan('ruby', '# TODO (breaks compatibility): ought to use mime_for()\nx = 1\n')).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(spaced.map((b) => b.message), ['TODO(breaks compatibility) marker left in a comment: `ought to use mime_for()`.']);
});

test('an unsigned name stops counting as unsigned once a signed declaration reuses it', async () => {
  const cpp = [
    'void f(size_t j, size_t n) {',
    '  if (j < 0) return;',
    '  for (int i = 0, j = n; j >= 0; ++i, --j) g(i);',
    '}',
    'template <typename Int> bool neg(Int n) { return n < 0; }',
    'void h(unsigned int *p, unsigned n) { if (n >= 0) g(*p); }',
  ].join('\n');
  assert.deepEqual(keys(await scan('cpp', cpp)), ['2:impossible-comparison', '6:impossible-comparison']);
});

function analysis(p: string, bugs: BugCandidate[], extra: Partial<FileAnalysis> = {}): FileAnalysis {
  return { path: p, language: 'typescript', hash: `h-${p}`, bytes: 100, lines: 80, defs: [], refs: [], imports: [], bugs, ...extra };
}

const swallowed: BugCandidate = { pattern: 'swallowed-exception', message: '`catch (e) {}` swallows every error.', weight: 0.7, startLine: 42, endLine: 43 };
const marker: BugCandidate = { pattern: 'todo-marker', message: 'TODO marker left in a comment.', weight: 0.7, startLine: 5, endLine: 5 };

function history(files: HistoryResult['files']): HistoryResult {
  return { available: true, shallow: false, totalCommits: 40, files, coChange: [] };
}

test('bug notes rank fix-heavy files above quiet ones and carry their evidence', () => {
  const files = new Map([
    ['src/quiet.ts', analysis('src/quiet.ts', [swallowed])],
    ['src/config.ts', analysis('src/config.ts', [swallowed], {
      defs: [
        { name: 'Config', kind: 'class', startLine: 1, endLine: 70, exported: true },
        { name: 'loadConfig', kind: 'method', parent: 'Config', startLine: 30, endLine: 60, exported: false },
      ],
    })],
  ]);
  const notes = buildBugNotes({
    files,
    history: history({
      'src/quiet.ts': { commits: 20, fixCommits: 0, authors: 1 },
      'src/config.ts': { commits: 20, fixCommits: 7, authors: 2 },
    }),
    fileRank: { 'src/quiet.ts': 0.5, 'src/config.ts': 0.5 },
    now: '2025-01-01T00:00:00.000Z',
  });
  assert.deepEqual(notes.map((n) => n.id), [
    'bug:src/config.ts:42:swallowed-exception', 'bug:src/quiet.ts:42:swallowed-exception',
  ]);
  const [top, low] = notes;
  assert.ok(top.score! > low.score! && top.score! <= 1 && low.score! > 0);
  assert.equal(top.kind, 'bug');
  assert.equal(top.title, 'Swallowed exception in `Config.loadConfig` (src/config.ts:42)');
  assert.match(top.body, /file has 7 fix commits out of 20; churn 20/);
  assert.match(top.body, /`src\/config\.ts:42`/);
  assert.deepEqual(top.evidence, [{ path: 'src/config.ts', startLine: 42, endLine: 43 }]);
  assert.deepEqual(top.dependsOn, { 'src/config.ts': 'h-src/config.ts' });
  assert.deepEqual(top.meta, { pattern: 'swallowed-exception', weight: 0.7 });
  assert.equal(top.origin, 'static');
  assert.match(top.body, /pattern weight 0\.7\.$/m);
  const odd = buildBugNotes({ files: new Map([['src/a.ts', analysis('src/a.ts', [{ ...swallowed, weight: 0.7 * 0.7 }])]]), history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  assert.match(odd[0].body, /pattern weight 0\.49\.$/m, 'weights are printed rounded');
});

test('bug notes weigh centrality and churn, down-weight markers, leave tests out, and honour the limit', () => {
  const files = new Map([
    ['src/core.ts', analysis('src/core.ts', [swallowed, marker])],
    ['src/leaf.ts', analysis('src/leaf.ts', [swallowed])],
    ['test/core.test.ts', analysis('test/core.test.ts', [swallowed])],
  ]);
  const input = {
    files,
    history: history({
      'src/core.ts': { commits: 3, fixCommits: 0, authors: 1 },
      'src/leaf.ts': { commits: 3, fixCommits: 0, authors: 1 },
      'test/core.test.ts': { commits: 3, fixCommits: 0, authors: 1 },
    }),
    fileRank: { 'src/core.ts': 0.9, 'src/leaf.ts': 0.1, 'test/core.test.ts': 0.9 },
    now: '2025-01-01T00:00:00.000Z',
  };
  const ids = buildBugNotes(input).map((n) => n.id);
  assert.deepEqual(ids, [
    'bug:src/core.ts:42:swallowed-exception', 'bug:src/leaf.ts:42:swallowed-exception',
    'bug:src/core.ts:5:todo-marker',
  ]);
  assert.deepEqual(buildBugNotes({ ...input, limit: 1 }).map((n) => n.id), ids.slice(0, 1));
  const churned = buildBugNotes({
    ...input,
    history: history({ 'src/leaf.ts': { commits: 30, fixCommits: 0, authors: 1 }, 'src/core.ts': { commits: 1, fixCommits: 0, authors: 1 } }),
    fileRank: {},
  });
  assert.equal(churned[0].id, 'bug:src/leaf.ts:42:swallowed-exception');
});

test('the marker comments of one file are one note at the strongest, listing the others; a comment copied to another file keeps its own', () => {
  const todo = (line: number, text: string, weight = 0.1): BugCandidate => ({ pattern: 'todo-marker', message: `TODO marker left in a comment: \`${text}\`.`, weight, startLine: line, endLine: line });
  const files = new Map([
    ['src/tcp.cpp', analysis('src/tcp.cpp', [todo(12, 'retry on EINTR'), { ...todo(201, 'should be ZMQ_HAVE_TCP_USER_TIMEOUT', 0.2), message: 'FIXME marker left in a comment: `should be ZMQ_HAVE_TCP_USER_TIMEOUT`.' }, todo(300, 'remove once fixed upstream'), swallowed], { language: 'cpp', lines: 400 })],
    ['src/udp.cpp', analysis('src/udp.cpp', [todo(8, 'remove once fixed upstream'), todo(50, 'check the ttl'), todo(90, 'ipv6 multicast'), todo(95, 'ipv6 multicast')], { language: 'cpp', lines: 100 })],
  ]);
  const notes = buildBugNotes({ files, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  const where = (n: Note): string[] => n.evidence.map((e) => `${e.path}:${e.startLine}`);
  assert.deepEqual(notes.map(where).sort(), [
    ['src/tcp.cpp:201', 'src/tcp.cpp:12'], ['src/tcp.cpp:300', 'src/udp.cpp:8'], ['src/tcp.cpp:42'], ['src/udp.cpp:50', 'src/udp.cpp:90', 'src/udp.cpp:95'],
  ].sort(), 'a comment repeated within its file is one of the file\'s markers');
  const tcp = notes.find((n) => n.id === 'bug:src/tcp.cpp:201:todo-marker')!;
  assert.equal(tcp.title, 'Marker comment and 1 more (src/tcp.cpp:201)');
  assert.match(tcp.body, /1 more marker comment in this file:\n- `src\/tcp\.cpp:12`: TODO marker left in a comment: `retry on EINTR`\./);
});

test('findings in docs, examples, benchmarks and vendored code are left out when the project has code of its own', () => {
  const swallowedAt = (line: number): BugCandidate => ({ ...swallowed, startLine: line, endLine: line + 1 });
  const files = new Map([
    ['docs/js/typeahead.js', analysis('docs/js/typeahead.js', [swallowedAt(10)])],
    ['examples/demo/app.js', analysis('examples/demo/app.js', [swallowedAt(20)])],
    ['src/Snippets/Docs/Retry.cs', analysis('src/Snippets/Docs/Retry.cs', [swallowedAt(25)], { language: 'csharp' })],
    ['__performance_tests__/measure.mjs', analysis('__performance_tests__/measure.mjs', [swallowedAt(5)])],
    ['src/client.js', analysis('src/client.js', [{ ...marker, startLine: 30, endLine: 30 }])],
    ['lib/session.js', analysis('lib/session.js', [swallowedAt(40)])],
  ]);
  const notes = buildBugNotes({ files, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  assert.deepEqual(notes.map((n) => n.evidence[0].path), ['lib/session.js', 'src/client.js']);
  const docsOnly = new Map([['docs/js/app.js', analysis('docs/js/app.js', [swallowed], { language: 'javascript' })]]);
  assert.equal(buildBugNotes({ files: docsOnly, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' }).length, 1, 'a repository that is all docs keeps its findings');
});

test('repeats of one pattern rank progressively lower, so other patterns are not buried under them', () => {
  const unwraps: BugCandidate[] = Array.from({ length: 12 }, (_, i) => ({
    pattern: 'rust-unwrap', message: `\`x${i}.unwrap()\` panics.`, weight: 0.15, startLine: 10 + i, endLine: 10 + i,
  }));
  const unsafe: BugCandidate = { pattern: 'unsafe-block', message: '`unsafe { .. }` bypasses checks.', weight: 0.1, startLine: 5, endLine: 5 };
  const files = new Map([['src/lib.rs', analysis('src/lib.rs', [...unwraps, unsafe])]]);
  const notes = buildBugNotes({ files, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  const patterns = notes.map((n) => (n.meta as { pattern: string }).pattern);
  assert.equal(patterns[0], 'rust-unwrap', 'the strongest finding still leads');
  const unsafeAt = patterns.indexOf('unsafe-block');
  assert.ok(unsafeAt > 0 && unsafeAt < 12, `unsafe at ${unsafeAt}`);
  assert.ok(notes.every((n, i) => i === 0 || n.score! <= notes[i - 1].score!), 'ordered by score');
  assert.match(notes[1].body, /1 stronger finding of this pattern \(repeats rank lower\)/);
});

test("another object's close() or addColumn() is not the class's own async method of that name", async () => {
  const src = [
    'class Connection {',
    '  async close(): Promise<void> {',
    '    this.ws?.close();',
    '    this.stream.end();',
    '  }',
    '  async end(): Promise<void> {}',
    '  async flush(): Promise<void> {}',
    '  async dispose(): Promise<void> {',
    '    this.close();',
    '    this.peer.flush();',
    '  }',
    '  async addColumn(table: Table, column: Column): Promise<void> {',
    '    const clonedTable = table.clone();',
    '    clonedTable.addColumn(column);',
    '    this.flush();',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(keys(await scan('typescript', src)), ['15:unawaited-promise', '9:unawaited-promise']);
});

test("Go: an inner err checked in its own block is handled there; one left for the outer check is flagged", async () => {
  const src = [
    'package main',
    '',
    'func update(dir string) error {',
    '	err := collect(dir)',
    '	if err != nil {',
    '		return err',
    '	}',
    '	if ok(dir) {',
    '		err := collect(dir + "/device")',
    '		if err != nil {',
    '			return err',
    '		}',
    '	}',
    '	if ok(dir) {',
    '		_, err := stat(dir)',
    '		use(dir)',
    '	}',
    '	return err',
    '}',
  ].join('\n');
  assert.deepEqual(keys(await scan('go', src)).filter((k) => k.endsWith('shadowed-variable')), ['15:shadowed-variable']);
});

test('a marker that only asks for documentation is no finding; one about the code still is', async () => {
  const src = [
    '/**', ' * logger.js: TODO: add file header description.', ' * @param {mixed} msg - TODO: add param description.',
    ' * @returns {Logger} - TODO', ' */', 'function log(msg) { return msg; }', '// TODO: document this',
    '// TODO: add a retry when the write fails', '// @ts-ignore TODO fix the types', 'log(1);',
  ].join('\n');
  const found = (await scan('javascript', src)).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(found.map((b) => b.startLine), [8, 9]);
});

test('a paragraph whose every line repeats the marker is one finding; a list of markers stays a list', async () => {
  const py = [
    'def f(cd):',
    '    # XXX: This can be confused by subclassing a slotted attrs class with',
    '    # XXX: a non-attrs class and subclass the resulting class with an attrs',
    '    # XXX: class.  For now that\'s OK with us.',
    '    # TODO: item one',
    '    # TODO: item two',
    '    return cd',
  ].join('\n');
  const found = (await scan('python', py)).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual(found.map((b) => [b.startLine, b.endLine]), [[2, 4], [5, 5], [6, 6]]);
  assert.match(found[0].message, /^XXX marker left in a comment: `This can be confused by subclassing a slotted attrs class with a non-attrs class and/);
  const rs = [
    'fn poll(buf: &mut Buf) {', '    // TODO: This _does_ forget the `init` len, so it could result in', '    // re-initializing twice. Needs upstream support, perhaps.',
    '    // SAFETY: Passing to a ReadBuf will never de-initialize any bytes.', '    read(buf);', '}',
  ].join('\n');
  const [told] = (await scan('rust', rs)).filter((b) => b.pattern === 'todo-marker');
  assert.deepEqual([told.startLine, told.endLine], [2, 3]);
  assert.match(told.message, /so it could result in re-initializing twice\./);
  const js = [
    '/* FIXME: The retry below loops forever when the remote', ' * FIXME: server closes early */',
    '// TODO: return an error if the registry does not contain the format', '// TODO: consider deprecating this error type', 'retry();',
  ].join('\n');
  assert.deepEqual((await scan('javascript', js)).filter((b) => b.pattern === 'todo-marker').map((b) => [b.startLine, b.endLine]), [[1, 2], [3, 3], [4, 4]]);
});

test('Go: a handle handed to a deferred helper is closed; one left alone still leaks', async () => {
  const src = [
    'package p', 'import "os"',
    'func a(p string) error {', '\tf, err := os.Create(p)', '\tif err != nil {', '\t\treturn err', '\t}', '\tdefer closeq(f)', '\twrite(f)', '\treturn nil', '}',
    'func b(p string) error {', '\tf, err := os.Create(p)', '\tif err != nil {', '\t\treturn err', '\t}', '\twrite(f)', '\treturn nil', '}',
  ].join('\n');
  assert.deepEqual((await scan('go', src)).filter((b) => b.pattern === 'unclosed-resource').map((b) => b.startLine), [13]);
});

test('a handle a closure captures is left to the closure: fzf hands its profile files to exit hooks', async () => {
  const go = [
    'package p', 'import "os"',
    'func a(p string) error {', '	f, err := os.Create(p)', '	if err != nil {', '		return err', '	}', '	util.AtExit(func() { stopProfile("allocs", f) })', '	return nil', '}',
    'func b(p string) error {', '	f, err := os.Create(p)', '	if err != nil {', '		return err', '	}', '	util.AtExit(func() { stopProfile("allocs", g) })', '	return nil', '}',
  ].join('\n');
  assert.deepEqual((await scan('go', go)).filter((b) => b.pattern === 'unclosed-resource').map((b) => b.startLine), [12]);
  const js = "const fs = require('fs');\nfunction a(p) {\n  const fd = fs.openSync(p, 'w');\n  process.on('exit', () => finish(fd));\n}\n";
  assert.deepEqual((await scan('javascript', js)).filter((b) => b.pattern === 'unclosed-resource'), []);
});

test('parse-or-default, convert-or-skip and keep-the-earlier-value handlers of one expected failure are deliberate; catch-alls still count', async () => {
  const py = [
    'def to_int(s, default=0):', '    try:', '        return int(s)', '    except ValueError:', '        pass', '    return default',
    'def chain(items, total=None):', '    try:', '        total = len(items)', '    except TypeError:', '        pass', '    return total',
    'def convert(v):', '    try:', '        v = types[v](v)', '    except KeyError:  # keep unconverted', '        pass', '    return v',
    'def fresh(items):', '    try:', '        size = len(items)', '    except TypeError:', '        pass', '    return 1',
    'def broad(s, default=0):', '    try:', '        return int(s)', '    except Exception:', '        pass', '    return default',
    'def no_loop():', '    try:', '        get_running_loop()', '    except RuntimeError:', '        pass', '    else:', '        raise RuntimeError("loop running")',
    'def width(ncols):', '    try:', '        if int(ncols) > 0:', '            ncols += "px"', '    except ValueError:', '        pass', '    return ncols',
    'def getlist(rv, type):', '    result = []', '    for item in rv:', '        try:', '            result.append(type(item))', '        except ValueError:', '            pass', '    return result',
  ].join('\n');
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [22, 28]);
  const java = [
    'class N {', '  static int parse(String s, int def) {', '    try {', '      return Integer.parseInt(s);', '    } catch (NumberFormatException e) {', '    }', '    return def;', '  }', '}',
  ].join('\n');
  assert.deepEqual((await scan('java', java)).filter((b) => b.pattern === 'swallowed-exception'), []);
});

test('a handler that prints the data another way, or meets a missing optional library, only logs nothing', async () => {
  const src = [
    'def show(response)', '  begin', '    require "json"', '    puts JSON.pretty_generate(response)', '  rescue LoadError', '    puts YAML.dump(response)',
    '  rescue JSON::JSONError', '    puts response.inspect', '  end', 'end',
    'def load(x)', '  begin', '    run(x)', '  rescue IOError => e', '    puts "failed #{e}"', '  end', 'end',
    'def go(x)', '  begin', '    run(x)', '  rescue IOError', '    puts error_text(x)', '  end', 'end',
  ].join('\n');
  assert.deepEqual((await scan('ruby', src)).filter((b) => b.pattern === 'catch-only-logs').map((b) => b.startLine), [14, 21]);
  const py = 'def f(x):\n    try:\n        run(x)\n    except OSError:\n        print(traceback.format_exc())\n';
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'catch-only-logs').map((b) => b.startLine), [4]);
});

test('a fallback after a swallowed exception is worded in the language: Ruby has no `try`', async () => {
  const rb = ['def load(v)', '  begin', '    h = Object.const_get(v)', '  rescue NameError', '  end', '  h', 'end', ''].join('\n');
  const [rubyFinding] = (await scan('ruby', rb)).filter((b) => b.pattern === 'swallowed-exception');
  assert.match(rubyFinding.message, /goes on after the guarded block;/);
  const js = 'function parse(s) {\n  try {\n    return JSON.parse(s);\n  } catch (e) {\n  }\n  return null;\n}\n';
  const [jsFinding] = (await scan('javascript', js)).filter((b) => b.pattern === 'swallowed-exception');
  assert.match(jsFinding.message, /goes on after the `try`;/);
});

test('Go: an error dropped in String() or Error(), which cannot return one, is no finding', async () => {
  const src = [
    'package p',
    'func (s *stringSlice) String() string {', '\tstr, _ := writeAsCSV(s.value)', '\treturn "[" + str + "]"', '}',
    'func (s *stringSlice) Set(v string) error {', '\tstr, _ := writeAsCSV(s.value)', '\ts.last = str', '\treturn nil', '}',
  ].join('\n');
  assert.deepEqual((await scan('go', src)).filter((b) => b.pattern === 'ignored-error').map((b) => b.startLine), [7]);
});

test('Go: the error-less twin of a function that returns an error drops it by design; another wrapper does not', async () => {
  const src = [
    'package cast',
    'func ToBool(i interface{}) bool {', '\tv, _ := ToBoolE(i)', '\treturn v', '}',
    'func ToInt(i interface{}) int {', '\tv, _ := caste.ToIntE(i)', '\treturn v', '}',
    'func ToBoolE(i interface{}) (bool, error) {', '\treturn false, nil', '}',
    'func Parse(s string) bool {', '\tv, _ := ToBoolE(s)', '\treturn v', '}',
  ].join('\n');
  assert.deepEqual((await scan('go', src)).filter((b) => b.pattern === 'ignored-error').map((b) => b.startLine), [14]);
});

test('Rust: the panicking twin of a checked or _opt function unwraps by design; another unwrap does not', async () => {
  const src = [
    'impl Add<Days> for NaiveDate {',
    '    fn add(self, days: Days) -> Self::Output {',
    '        self.checked_add_days(days).unwrap()',
    '    }',
    '}',
    'pub fn ymd(year: i32) -> Date {', '    Self::ymd_opt(year).unwrap()', '}',
    'pub fn parse(s: &str) -> Date {', '    try_parse(s).unwrap()', '}',
    'pub fn sub(a: Date) -> Date {', '    a.checked_subtract(1).unwrap()', '}',
    'pub fn lookup(s: &str) -> Date {', '    ymd_opt(s.len()).unwrap()', '}',
  ].join('\n');
  assert.deepEqual((await scan('rust', src)).filter((b) => b.pattern === 'rust-unwrap').map((b) => b.startLine), [13, 16]);
});

test('Rust: an unwrap on a value an assertion just checked is no finding', async () => {
  const src = [
    'pub fn f(m: &mut Map) -> u32 {', '    let e = m.get(1);', '    debug_assert!(e.is_some());', '    let a = e.unwrap();',
    '    let g = m.get(2);', '    let b = g.unwrap();', '    a + b', '}',
  ].join('\n');
  assert.deepEqual((await scan('rust', src)).filter((b) => b.pattern === 'rust-unwrap').map((b) => b.startLine), [6]);
  const taken = [
    'fn g(&mut self) -> K {', '    debug_assert!(self.current_key.is_some());', '    let old = self.current_key.take().unwrap();', '    old', '}',
    'fn k(heap: &mut Heap, iter: I, k: usize) {', '    iter.for_each(|i| {', '        debug_assert_eq!(heap.len(), k);',
    '        if i < 0 {', '            *heap.peek_mut().unwrap() = i;', '        }', '    });', '}',
  ].join('\n');
  assert.deepEqual((await scan('rust', taken)).filter((b) => b.pattern === 'rust-unwrap').map((b) => b.startLine), [],
    "the value taken out of the asserted option; a heap's top after its length is asserted");
  const advice = async (ret: string): Promise<string> => (await scan('rust', `pub fn f(m: &Map)${ret} {\n    let a = m.get(1).unwrap();\n    todo()\n}\n`))[0].message;
  assert.match(await advice(' -> Result<u32, Error>'), /propagate with `\?`/);
  assert.match(await advice(' -> &mut u32'), /say with `expect` why it cannot fail/, 'no `?` where the function cannot return the failure');
});

test("an empty handler of one operation's expected outcome, or a best-effort close in a finally, is no finding; a long try names no culprit", async () => {
  const rb = [
    'def stop(path)',
    '  File.unlink(path)',
    'rescue Errno::ENOENT',
    'end',
    'def drain(q)',
    '  while (w = q.pop(true))',
    '    write(w)',
    '  end',
    'rescue ThreadError',
    'end',
    'def save(path)',
    '  File.write(path, data)',
    '  File.chmod(0600, path)',
    'rescue Errno::EACCES',
    'end',
    '',
  ].join('\n');
  assert.deepEqual((await scan('ruby', rb)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [14], 'two operations: which one may fail unnoticed?');
  const py = [
    'def fd_of(stream):',
    '    fd = None',
    '    try:',
    '        fd = stream.fileno()',
    '    except AttributeError:',
    '        pass',
    '    return fd',
    'async def serve(writer):',
    '    try:',
    '        await handle(writer)',
    '    finally:',
    '        writer.close()',
    '        try:',
    '            await writer.wait_closed()',
    '        except Exception:',
    '            pass',
    'async def respond(send, response, timeout):',
    '    try:',
    '        await asyncio.wait_for(send(response), timeout=timeout)',
    '    except TimeoutError:',
    '        pass',
    'def run(job):',
    '    try:',
    '        prepare(job)',
    '        job.execute()',
    '        report(job)',
    '    except Exception:',
    '        pass',
    '',
  ].join('\n');
  const found = (await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception');
  assert.deepEqual(found.map((b) => b.startLine), [27]);
  assert.match(found[0].message, /raised in the guarded block/, 'not "raised by prepare()"');
  const java = [
    'class Loader {',
    '  void load(InputStream in) {',
    '    try {',
    '      read(in);',
    '    } finally {',
    '      try {',
    '        if (in != null) {',
    '          in.close();',
    '        }',
    '      } catch (IOException e) {',
    '      }',
    '      try {',
    '        if (in != null) {',
    '          in.close();',
    '        } else {',
    '          reset();',
    '        }',
    '      } catch (IOException e) {',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual((await scan('java', java)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [18], 'a null check around the close is still a best-effort close; an else does more');
});

test('an empty handler of an exception class the same file declares is control flow, not a swallowed failure', async () => {
  const py = [
    'class VisitorExit(RuntimeError):',
    '    pass',
    'def find_undeclared(nodes, names):',
    '    visitor = UndeclaredNameVisitor(names)',
    '    try:',
    '        for node in nodes:',
    '            visitor.visit(node)',
    '    except VisitorExit:',
    '        pass',
    '    try:',
    '        for node in nodes:',
    '            visitor.check(node)',
    '    except (VisitorExit, LookupError):',
    '        pass',
    '    return visitor.undeclared',
    '',
  ].join('\n');
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [13],
    'LookupError is not declared here: that handler may still hide a failure');
  const rb = [
    'class Pager',
    '  class StopPaging < StandardError',
    '  end',
    '  def open',
    '    yield best_pager',
    '  rescue StopPaging',
    '  end',
    '  def page',
    '    yield simple_pager',
    '  rescue Pry::Pager::StopPaging',
    '  end',
    '  def other',
    '    work',
    '  rescue IOError',
    '  end',
    'end',
    '',
  ].join('\n');
  assert.deepEqual((await scan('ruby', rb)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [14]);
});

test('a marker alone on its line is told by the comment line after it', async () => {
  const go = 'package p\n\nfunc f() {\n\t// TODO:\n\t// lzma: Opera.\n\tg()\n}\n';
  const [found] = (await scan('go', go)).filter((b) => b.pattern === 'todo-marker');
  assert.match(found.message, /TODO marker left in a comment: `lzma: Opera\.`/);
  const py = '# FIXME\n# the cache is never cleared\nx = 1\n';
  assert.match((await scan('python', py)).find((b) => b.pattern === 'todo-marker')!.message, /`the cache is never cleared`/);
  const c = 'void f(struct tm *tm) {\n  tm->tm_isdst = 0; /* XXX */\n  /* XXX */\n  g();\n}\n';
  assert.deepEqual((await scan('c', c)).filter((b) => b.pattern === 'todo-marker').map((b) => `${b.startLine} ${b.message}`),
    ['2 XXX marker left in a comment beside `tm->tm_isdst = 0;`.'], 'a bare marker tells the code beside it; alone on its line it says nothing');
  const planned = '// TODO return this in 2.0\nint a;\n// TODO: remove in next major release\nint b;\n// TODO: 2.0 overflows here\nint c;\n';
  assert.deepEqual((await scan('c', planned)).filter((b) => b.pattern === 'todo-marker').map((b) => b.startLine), [5], 'a change planned for a later version is no defect');
  const later = '# TODO: change `inject` to `each_with_object` when we drop 1.8.7\nx = 1\n# TODO when breaking BC, consider returning value\ny = 2\n# TODO: this breaks on empty input\nz = 3\n';
  assert.deepEqual((await scan('python', later)).filter((b) => b.pattern === 'todo-marker').map((b) => b.startLine), [5], 'nor one waiting for support to be dropped');
});

test("Go: a result dropped from a function of the repository that returns no error last is no finding", async () => {
  await loadGrammar('go');
  const tree = 'package chi\n\nfunc (n *node) FindRoute(path string) (*node, endpoints, Handler) {\n\treturn nil, nil, nil\n}\n\nfunc (n *node) Load(path string) (*node, error) {\n\treturn nil, nil\n}\n';
  const mux = 'package chi\n\nfunc route(t *node, p string) {\n\tnode, _, _ := t.tree.FindRoute(p)\n\tuse(node)\n\tn, _ := t.tree.Load(p)\n\tuse(n)\n}\n';
  const files = new Map([['tree.go', tree], ['mux.go', mux]].map(([p, src]) => [p, analyzeSource(p, 'go', src, 'h', src.length)]));
  assert.deepEqual(files.get('mux.go')!.bugs.map((b) => `${b.startLine}:${b.callee}`), ['4:FindRoute', '6:Load'], 'each file alone cannot tell');
  const notes = buildBugNotes({ files, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  assert.deepEqual(notes.map((n) => n.id), ['bug:mux.go:6:ignored-error']);
});

test('a Go error followed by a goto is checked where the goto lands, not overwritten by the code after it', async () => {
  const src = (jump: string): string => [
    'package p',
    'func f(x int) (string, error) {',
    '\tvar t string',
    '\tvar err error',
    '\tswitch x {',
    '\tcase 1:',
    '\t\tif x > 0 {',
    '\t\t\tt, err = lookup("a")',
    `\t\t\t${jump}`,
    '\t\t}',
    '\t\tt, err = lookup("b")',
    '\t}',
    'END:',
    '\tif err != nil {',
    '\t\treturn "", err',
    '\t}',
    '\treturn t, nil',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('go', src('goto END'))), []);
  assert.deepEqual(keys(await scan('go', src('log(t)'))), ['8:unchecked-error'], 'without the goto the first error is overwritten');
});

test('an if with a stray semicolon and an else the parser cut off is no finding', async () => {
  const src = (tail: string): string => [
    'int f(int r) {',
    '  if (r == -1) {',
    '    if (errno == EINPROGRESS)',
    '      ; /* not an error */',
    `    ${tail} (errno == ECONNREFUSED`,
    '#if defined(__OpenBSD__)',
    '      || errno == EINVAL',
    '#endif',
    '      )',
    '      r = 0;',
    '  }',
    '  return r;',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('c', src('else if'))), []);
  assert.deepEqual(keys(await scan('c', src('if'))), ['3:empty-if'], 'without the else the semicolon is stray');
});

test('code after a goto is reachable when a label inside it is where the goto lands', async () => {
  const src = (label: string): string => [
    'void f(char **argv, int n) {',
    '  int i = 0;',
    '  goto loop;',
    '  for (; i < n; i++) {',
    '    argv[i] = 0;',
    `${label}`,
    '    argv[i] = argv[i + 1];',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('c', src('loop:'))), []);
  assert.deepEqual(keys(await scan('c', src(''))), ['4:unreachable-code'], 'without the label the loop is dead');
});

test('a Java wrapper around the caller\'s stream is no leak; one around a stream the method opens is', async () => {
  const src = (open: string): string => [
    'class Copy {',
    '  static void write(OutputStream output, String text) throws IOException {',
    `    ${open}`,
    '    final OutputStreamWriter writer = new OutputStreamWriter(output, UTF_8);',
    '    writer.write(text);',
    '    writer.flush();',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('java', src(''))), []);
  const opened = await scan('java', src('OutputStream output = new FileOutputStream("x");').replace('OutputStream output, ', ''));
  assert.deepEqual(keys(opened), ['4:unclosed-resource'], 'the wrapper of a stream the method opened must be closed');
});

test('Rust: a condition variable\'s wait passes on a poisoned lock, and unsafe code in a test function is the test\'s', async () => {
  const src = (attr: string): string => [
    'fn wait_done(pair: &(Mutex<bool>, Condvar)) {',
    '    let mut done = pair.0.lock().unwrap();',
    '    while !*done { done = pair.1.wait(done).unwrap(); }',
    '    let extra = pair.1.wait_timeout(done, TIMEOUT).unwrap();',
    '}',
    attr,
    'fn does_not_register() {',
    '    let kq = unsafe { libc::kqueue() };',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('rust', src('#[test]'))), []);
  assert.deepEqual(keys(await scan('rust', src(''))), ['8:unsafe-block'], 'outside a test the block is reported');
});

test('a catch-all named as ignored, in a method named quiet, answering no or nothing, or logging that it ignores the failure is meant', async () => {
  const java = (name: string, variable: string, fallback = '""'): string => [
    'class Files {',
    `  static String ${name}(File file) {`,
    '    try {',
    '      return read(file);',
    `    } catch (final Exception ${variable}) {`,
    `      return ${fallback};`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('java', java('read', 'ignored'))), []);
  assert.deepEqual(keys(await scan('java', java('readQuietly', 'e'))), []);
  assert.deepEqual(keys(await scan('java', java('read', 'e'))), ['5:broad-catch']);
  assert.deepEqual(keys(await scan('java', java('isReadable', 'e', 'false'))), [], 'a probe: failing means no');
  assert.deepEqual(keys(await scan('java', java('read', 'e', 'null'))), [], 'a probe: failing means nothing found');
  const listed = 'class C {\n  void f(List<String> names) {\n    for (String n : names) {\n      try { classes.add(Class.forName(n)); }\n      catch (Exception ex) { classes.add(null); }\n    }\n  }\n}\n';
  assert.deepEqual(keys(await scan('java', listed)), [], "commons-lang's null for a class that cannot be found");
  const probe = 'class C {\n  void f() {\n    bool ok;\n    try { ok = Check(); }\n    catch { ok = false; }\n  }\n}\n';
  assert.deepEqual(keys(await scan('csharp', probe)), []);
  const ruby = (message: string): string => [
    'def attach_file(path)',
    '  begin',
    '    driver.attach(path)',
    '  rescue Capybara::NotSupportedByDriverError',
    `    warn '${message}'`,
    '  end',
    'end',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('ruby', ruby('Block mode is not supported by the current driver - ignoring.'))), []);
  assert.deepEqual(keys(await scan('ruby', ruby('Block mode failed'))), ['4:catch-only-logs']);
});

test('one marker comment copied to many places is one note that lists the other places', () => {
  const copied = (line: number): BugCandidate => ({ ...marker, message: 'TODO marker left in a comment: `once rust#126198 is fixed this`.', startLine: line, endLine: line });
  const files = new Map([
    ['src/net/tcp.rs', analysis('src/net/tcp.rs', [copied(12), { ...marker, startLine: 30, endLine: 30 }])],
    ['src/net/udp.rs', analysis('src/net/udp.rs', [copied(8)])],
    ['src/net/uds.rs', analysis('src/net/uds.rs', [copied(20)])],
  ]);
  const notes = buildBugNotes({ files, history: history({ 'src/net/tcp.rs': { commits: 9, fixCommits: 3, authors: 2 } }), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  const copies = notes.filter((n) => n.body.includes('126198'));
  assert.equal(copies.length, 1);
  assert.equal(notes.length, 2, 'a different comment stays a note of its own');
  assert.deepEqual(copies[0].evidence.map((e) => `${e.path}:${e.startLine}`), ['src/net/tcp.rs:12', 'src/net/udp.rs:8', 'src/net/uds.rs:20']);
  assert.match(copies[0].body, /The same comment is at 2 more places: `src\/net\/udp\.rs:8`, `src\/net\/uds\.rs:20`\./);
  assert.deepEqual(Object.keys(copies[0].dependsOn).sort(), ['src/net/tcp.rs', 'src/net/udp.rs', 'src/net/uds.rs']);
});

test('one finding repeated word for word in a file is one note; the same finding in another file stays its own', () => {
  const ignored = (line: number): BugCandidate => ({
    pattern: 'ignored-error', message: '`res, _ := readAsCSV(s)` discards the last result of `readAsCSV()`, by Go convention its error.', weight: 0.25, startLine: line, endLine: line,
  });
  const files = new Map([
    ['viper.go', analysis('viper.go', [ignored(1232), ignored(1237), ignored(1242), { ...ignored(40), message: '`v, _ := strconv.Atoi(s)` discards the last result of `strconv.Atoi()`, by Go convention its error.' }])],
    ['util.go', analysis('util.go', [ignored(7)])],
  ]);
  const notes = buildBugNotes({ files, history: history({ 'viper.go': { commits: 9, fixCommits: 3, authors: 2 } }), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  assert.deepEqual(notes.map((n) => n.evidence.map((e) => `${e.path}:${e.startLine}`).join(' ')).sort(), ['util.go:7', 'viper.go:1232 viper.go:1237 viper.go:1242', 'viper.go:40']);
  assert.match(notes.find((n) => n.evidence.length === 3)!.body, /The same finding is at 2 more places: `viper\.go:1237`, `viper\.go:1242`\./);
});

test('one call whose error is dropped again and again in one function is one note: fzf\'s HexToColor', () => {
  const parsed = (line: number, name: string): BugCandidate => ({
    pattern: 'ignored-error', message: `\`${name}, _ := strconv.ParseInt(rrggbb[${line}:${line + 2}], 16, 0)\` discards the last result of \`strconv.ParseInt()\`, by Go convention its error.`,
    weight: 0.25, startLine: line, endLine: line, callee: 'ParseInt',
  });
  const def = (name: string, startLine: number, endLine: number): SymbolDef => ({ name, kind: 'function', startLine, endLine, exported: true });
  const files = new Map([['tui.go', analysis('tui.go', [parsed(12, 'r'), parsed(13, 'g'), parsed(14, 'b'), parsed(32, 'a')], {
    language: 'go', defs: [def('HexToColor', 10, 20), def('ParseAlpha', 30, 40)],
  })]]);
  const notes = buildBugNotes({ files, history: history({}), fileRank: {}, now: '2025-01-01T00:00:00.000Z' });
  assert.deepEqual(notes.map((n) => n.evidence.map((e) => e.startLine).join(' ')).sort(), ['12 13 14', '32'], 'not folded across functions');
});

test('switch fall-through: a case running on into the next is flagged in C, Java, JS and PHP; a said, grouped, stopped or cascading one is not', async () => {
  const c = [
    'int f(int x, char *s) {',
    '  switch (x) {',
    '  case 1:',
    '    s = "one";',
    '  case 2:',
    '    return 2;',
    '  case 3:',
    '    s = "three";',
    '    /* fall through */',
    '  case 4:',
    '  case 5:',
    '    if (s) return 5; else break;',
    '  case 6:',
    '    fatal("bad state");',
    '  case 7:',
    '    switch (*s) { case 0: break; }',
    '  case 8:',
    '    s = "eight";',
    '  }',
    '  return 0;',
    '}',
  ].join('\n');
  const flagged = async (language: Language, source: string): Promise<number[]> =>
    (await scan(language, source)).filter((b) => b.pattern === 'switch-fallthrough').map((b) => b.startLine);
  assert.deepEqual(await flagged('c', c), [3], 'case 1 only; the last case has nowhere to fall');
  const message = (await scan('c', c)).find((b) => b.pattern === 'switch-fallthrough')!.message;
  assert.match(message, /^`case 1` runs on into `case 2` \(line 5\)/);
  const cascade = 'int h(int n, int k) {\n  switch (n) {\n  case 3: k ^= 3;\n  case 2: k ^= 2;\n  case 1: k ^= 1;\n  }\n  return k;\n}\n';
  assert.deepEqual(await flagged('c', cascade), [], "a hash's tail falls on by design");
  const java = 'class A {\n  int f(char i) {\n    int t = 0;\n    switch (i) {\n    case \'.\':\n      t = parseFloat();\n    case \'0\':\n      t = parseInt();\n      break;\n    default:\n      throw new IllegalStateException();\n    }\n    return t;\n  }\n}\n';
  assert.deepEqual(await flagged('java', java), [5]);
  const js = 'function f(x) {\n  switch (x) {\n    case "a":\n      go();\n    case "b":\n      stop();\n      // falls through\n    default:\n      done();\n  }\n}\n';
  assert.deepEqual(await flagged('javascript', js), [3]);
  const php = '<?php\nfunction f($x) {\n  switch ($x) {\n    case 1:\n      a();\n    case 2:\n      b();\n      break;\n  }\n}\n';
  assert.deepEqual(await flagged('php', php), [4]);
  const emptyDefault = 'int g(int s, int f) {\n  switch (s) {\n  case 1:\n    if (f) return 1;\n  default:; /* should not happen */\n  }\n  return 0;\n}\n';
  assert.deepEqual(await flagged('c', emptyDefault), [], 'falling into an empty default changes nothing');
  const intoBreak = 'function f(x) {\n  switch (x) {\n    case 1:\n      go();\n    case 2:\n      break;\n    case 3:\n      stop();\n  }\n}\n';
  assert.deepEqual(await flagged('javascript', intoBreak), [], 'falling into a lone break changes nothing');
});

test('switch fall-through into a case that only fails is how the unhandled values fail: libzmq, nokogiri', async () => {
  const flagged = async (language: Language, source: string): Promise<number[]> =>
    (await scan(language, source)).filter((b) => b.pattern === 'switch-fallthrough').map((b) => b.startLine);
  const c = [
    'int f(int state, VALUE v) {',
    '  switch (state) {',
    '  case 1:',
    '    if (ok(v)) { use(v); break; }',
    '  default:',
    '    rb_raise(rb_eArgError, "bad");',
    '  }',
    '  switch (state) {',
    '  case 2:',
    '    if (ok(v)) return 1;',
    '  default:',
    '    assert (false);',
    '    break;',
    '  }',
    '  switch (state) {',
    '  case 3:',
    '    if (ok(v)) return 1;',
    '  default:',
    '    log_error("unknown");',
    '    break;',
    '  }',
    '  switch (state) {',
    '  case 4:',
    '    if (ok(v)) return 1;',
    '  default:',
    '    state = 0;',
    '    abort();',
    '  }',
    '  return 0;',
    '}',
  ].join('\n');
  assert.deepEqual(await flagged('c', c), [16, 23], 'a default that logs, or does work before it fails, still counts');
  const js = 'function f(x) {\n  switch (x) {\n    case "a":\n      if (ready) return go();\n    default:\n      throw new Error(`unknown ${x}`);\n  }\n}\n';
  assert.deepEqual(await flagged('javascript', js), []);
});

test('a length compared below zero where the same condition checks its type is validation of an unknown object, not a tautology', async () => {
  const ts = [
    'function isArrayLike(item: any): boolean {',
    "  if (typeof item !== 'object' || typeof item.length !== 'number' || item.length < 0) return false;",
    '  return true;',
    '}',
    'function count(list: string[]): number {',
    '  if (list.length < 0) return 0;',
    '  return list.length;',
    '}',
    '',
  ].join('\n');
  assert.deepEqual((await scan('typescript', ts)).filter((b) => b.pattern === 'impossible-comparison').map((b) => b.startLine), [6]);
});

test('an empty handler after a guarded block that ends by raising a success flag the code then reads is a probe', async () => {
  const cs = [
    'class M {',
    '  static object Json(string s) {',
    '    object value = null;',
    '    var isJson = false;',
    '    try {',
    '      value = Parse(s);',
    '      isJson = true;',
    '    } catch {',
    '    }',
    '    if (isJson) return value;',
    '    try {',
    '      value = Parse(s);',
    '      done = true;',
    '    } catch {',
    '    }',
    '    return null;',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual((await scan('csharp', cs)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [14], 'a flag nothing reads says nothing');
});

test('a Python handler of the exceptions its caller passes in skips what the caller chose', async () => {
  const py = [
    'def map_except(function, iterable, *exceptions):', '    for item in iterable:', '        try:', '            yield function(item)', '        except exceptions:', '            pass',
    'def run(function, items):', '    for item in items:', '        try:', '            function(item)', '        except errors:', '            pass',
  ].join('\n');
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [11], 'a module-level tuple is no choice of the caller');
});

test('survey near-misses: a C# exception filter, an already-resolved future, a list without the item, a named-ignored log', async () => {
  const cs = [
    'class Source {',
    '  void Raise(Action h, Func<Exception, bool> handler) {',
    '    try { h(); } catch (Exception ex) when (handler(ex)) {}',
    '    try { h(); } catch (Exception e) when (e is IOException || e is ArgumentException) { width = 80; }',
    '    try { h(); } catch (Exception) {}',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('csharp', cs)), ['5:swallowed-exception'], 'a filter picks what the handler takes');
  const py = [
    'def notify(fut, waiters):',
    '    try:',
    '        fut.set_result(None)',
    '    except asyncio.InvalidStateError:',
    '        pass',
    '    try:',
    '        waiters.remove(fut)',
    '    except ValueError:',
    '        pass',
    '    try:',
    '        size = float(proxy)',
    '    except ReferenceError:',
    '        pass',
    '    try:',
    '        waiters.check(fut)',
    '    except ValueError:',
    '        pass',
    '',
  ].join('\n');
  assert.deepEqual((await scan('python', py)).filter((b) => b.pattern === 'swallowed-exception').map((b) => b.startLine), [16]);
  const ts = [
    'async function enable(runner: Runner): Promise<void> {',
    '  try {',
    '    await runner.query("CREATE EXTENSION x");',
    '  } catch (_) {',
    '    logger.log("warn", "The extension x cannot be installed automatically.");',
    '  }',
    '  try {',
    '    await runner.query("CREATE EXTENSION y");',
    '  } catch (err) {',
    '    logger.log("warn", "The extension y cannot be installed automatically.");',
    '  }',
    '  try {',
    '    await runner.query("DROP EXTENSION z");',
    '  } catch (err) {',
    '    logger.debug("No extension z to drop.");',
    '  }',
    '  try {',
    '    await runner.query("LOAD EXTENSION w");',
    '  } catch (err) {',
    '    // Older servers have no w: the queries below work without it.',
    '    logger.log("info", "Extension w is not available.");',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('typescript', ts)), ['9:catch-only-logs'], 'debug level, or a comment saying why, is on purpose');
});

test('survey near-misses: a Go size pair, a C handle kept in a global, a case ended by an unreachable or a returning macro', async () => {
  const go = 'package p\n\nfunc f(mask net.IPMask, s string, t reflect.Type) int {\n\tones, _ := mask.Size()\n\tn, _ := strconv.Atoi(s)\n\tsf, _ := t.FieldByName(s)\n\treturn ones + n + sf.Offset\n}\n';
  assert.deepEqual(keys(await scan('go', go)), ['5:ignored-error']);
  const c = [
    'static FILE *log_file;',
    'void log_open(const char *path) {',
    '  log_file = fopen(path, "a");',
    '}',
    'int count(const char *path) {',
    '  FILE *f;',
    '  f = fopen(path, "r");',
    '  int c = fgetc(f);',
    '  return c;',
    '}',
    'int parse(int phase) {',
    '  switch (phase) {',
    '    case 1:',
    '      JSON_UNREACHABLE_RETURN(0);',
    '    case 2:',
    '      return 2;',
    '  }',
    '  return 0;',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('c', c)), ['7:unclosed-resource']);
  const cpython = [
    'static PyObject *compare(int op, int same) {',
    '  switch (op) {',
    '    case Py_EQ:',
    '      if (!same) {',
    '        Py_RETURN_FALSE;',
    '      }',
    '      Py_RETURN_TRUE;',
    '    case Py_NE:',
    '      if (same) { Py_RETURN_FALSE; } else { Py_RETURN_TRUE; }',
    '    case Py_LT:',
    '      RETVAL_FALSE;',
    '    default:',
    '      Py_RETURN_NOTIMPLEMENTED;',
    '  }',
    '}',
    '',
  ].join('\n');
  assert.deepEqual(keys(await scan('c', cpython)), ['10:switch-fallthrough'], 'a macro that returns ends its case; one that only sets a value does not');
});
