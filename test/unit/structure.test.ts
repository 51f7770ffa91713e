import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { ImportResolver, namespaceFiles, packageEntries, psr4Roots, rustCrates, tsOutputRoots, workspacePackages, type RustModule } from '../../src/core/structure/importResolver';
import { buildStructure, type Structure } from '../../src/core/structure/structure';
import { leadingDefinitions } from '../../src/core/structure/definitions';
import { findEntryPoints, type EntryPoint } from '../../src/core/structure/entryPoints';
import { withFacades } from '../../src/core/structure/facades';
import { isPeripheralPath } from '../../src/core/structure/peripheral';
import { buildArchitectureNotes, repoNameOf } from '../../src/core/notes/architectureNotes';
import { buildFileCards } from '../../src/core/notes/fileCards';
import { withoutBanners } from '../../src/core/parse/banners';
import type { FileAnalysis, HistoryResult, Language } from '../../src/core/types';

function file(path: string, language: Language | null, extra: Partial<FileAnalysis> = {}): FileAnalysis {
  return { path, language, hash: `h-${path}`, bytes: 100, lines: 50, defs: [], refs: [], imports: [], bugs: [], ...extra };
}

const noHistory: HistoryResult = { available: false, shallow: false, totalCommits: 0, files: {}, coChange: [] };

test('import resolution follows each language convention', () => {
  const paths = [
    'src/app.ts', 'src/util/index.ts', 'src/model.tsx', 'src/react.ts', 'src/components/Button.tsx',
    'pkg/__init__.py', 'pkg/core.py', 'pkg/sub/helpers.py', 'pkg/typing.py', 'scripts/tool.py', 'scripts/util.py',
    'cmd/tool/main.go', 'internal/store/store.go', 'internal/store/store_test.go',
    'src/main/java/com/acme/Widget.java',
    'src/lib.rs', 'src/parser/mod.rs', 'src/parser/lexer.rs',
    'include/vec.h', 'src/vec.c', 'lib/acme/widget.rb', 'lib/acme.rb', 'bin/acme', 'lib/acme/rails.rb',
    'demo/config/initializers/acme.rb', 'demo/config/application.rb', 'test/helper.rb', 'test/acme/widget_test.rb',
    'adapters/poll.h', 'sockcompat.h', 'include/acme/db.h', 'src/db_impl.cc', 'src/memory.cpp',
  ];
  const r = new ImportResolver(paths, { goModule: 'github.com/acme/tool' });
  const resolve = (from: string, lang: Language, source: string): string[] => r.resolve(file(from, lang), { source, line: 1 });
  assert.deepEqual(resolve('src/app.ts', 'typescript', './util'), ['src/util/index.ts']);
  assert.deepEqual(resolve('src/app.ts', 'typescript', './model.js'), ['src/model.tsx']);
  assert.deepEqual(resolve('src/app.ts', 'typescript', 'react'), [], 'a bare name is a package, not src/react.ts');
  assert.deepEqual(resolve('src/app.ts', 'typescript', 'util'), [], "node's util, not src/util");
  assert.deepEqual(resolve('src/app.ts', 'typescript', '@/components/Button'), ['src/components/Button.tsx'], 'a path under an alias');
  assert.deepEqual(resolve('pkg/sub/helpers.py', 'python', '..core'), ['pkg/core.py']);
  assert.deepEqual(resolve('pkg/core.py', 'python', 'pkg.sub.helpers'), ['pkg/sub/helpers.py']);
  assert.deepEqual(resolve('pkg/core.py', 'python', 'os.path'), []);
  assert.deepEqual(resolve('pkg/core.py', 'python', 'typing'), [], "the standard library's typing: pkg/typing.py is only pkg.typing");
  assert.deepEqual(resolve('pkg/core.py', 'python', 'pkg.typing'), ['pkg/typing.py']);
  assert.deepEqual(resolve('scripts/tool.py', 'python', 'util'), ['scripts/util.py'], 'a script imports its neighbour as a top-level module');
  assert.deepEqual(resolve('cmd/tool/main.go', 'go', 'github.com/acme/tool/internal/store'), ['internal/store/store.go']);
  assert.deepEqual(resolve('src/main/java/com/acme/Widget.java', 'java', 'com.acme.Widget'), ['src/main/java/com/acme/Widget.java']);
  assert.deepEqual(resolve('src/lib.rs', 'rust', 'parser'), ['src/parser/mod.rs']);
  assert.deepEqual(resolve('src/parser/mod.rs', 'rust', 'crate::parser::lexer::Token'), ['src/parser/lexer.rs']);
  assert.deepEqual(resolve('src/vec.c', 'c', 'vec.h'), ['include/vec.h']);
  assert.deepEqual(resolve('sockcompat.h', 'c', '<poll.h>'), [], "the system's poll.h, not adapters/poll.h");
  assert.deepEqual(resolve('src/db_impl.cc', 'cpp', '<acme/db.h>'), ['include/acme/db.h']);
  assert.deepEqual(resolve('src/vec.c', 'c', '<vec.h>'), ['include/vec.h']);
  assert.deepEqual(resolve('src/db_impl.cc', 'cpp', '<memory>'), [], "the standard library's <memory>, not src/memory.cpp");
  assert.deepEqual(resolve('lib/acme.rb', 'ruby', 'acme/widget'), ['lib/acme/widget.rb']);
  assert.deepEqual(resolve('lib/acme/widget.rb', 'ruby', 'acme'), ['lib/acme.rb'], "the gem's lib/acme.rb, not the demo app's initializer");
  assert.deepEqual(resolve('demo/config/application.rb', 'ruby', 'rails'), [], 'a gem, not lib/acme/rails.rb');
  assert.deepEqual(resolve('test/acme/widget_test.rb', 'ruby', 'helper'), ['test/helper.rb']);
  assert.deepEqual(resolve('bin/acme', 'ruby', 'acme'), ['lib/acme.rb'], 'the executable loads the library of its name, not itself');
});

test('a C# using finds the files that declare its namespace, wherever they sit, and only used names make edges', () => {
  const ns = (name: string, line = 1) => ({ name, kind: 'module', startLine: line, endLine: 40, exported: true });
  const files = [
    file('src/Core/Widget.cs', 'csharp', { defs: [ns('Acme.Core'), { name: 'Widget', kind: 'class', startLine: 3, endLine: 30, exported: true, parent: 'Acme.Core' }] }),
    file('src/Core/Gadget.cs', 'csharp', { defs: [ns('Acme.Core'), { name: 'Gadget', kind: 'class', startLine: 3, endLine: 30, exported: true, parent: 'Acme.Core' }] }),
    // The namespace's last segment names a sample folder: a folder guess would pick it.
    file('docs/Samples/Core/Sample.cs', 'csharp', { defs: [ns('Acme.Docs.Samples'), { name: 'Sample', kind: 'class', startLine: 3, endLine: 9, exported: true }] }),
    file('src/App/Program.cs', 'csharp', {
      imports: [{ source: 'Acme.Core', line: 2 }, { source: 'System.Text', line: 1 }],
      refs: [{ name: 'Widget', line: 9, kind: 'call' }],
      defs: [ns('Acme.App', 4), { name: 'Program', kind: 'class', startLine: 5, endLine: 20, exported: true }],
    }),
  ];
  const r = new ImportResolver(files.map((f) => f.path), { namespaces: namespaceFiles(files) });
  const resolve = (source: string): string[] => r.resolve(files[3], { source, line: 1 });
  assert.deepEqual(resolve('Acme.Core').sort(), ['src/Core/Gadget.cs', 'src/Core/Widget.cs']);
  assert.deepEqual(resolve('Core').sort(), ['src/Core/Gadget.cs', 'src/Core/Widget.cs'], '`using Core;` inside `namespace Acme.App` reads as Acme.Core');
  assert.deepEqual(resolve('System.Text'), []);
  const s = buildStructure(files);
  const from = s.edges.filter((e) => e.from === 'src/App/Program.cs');
  assert.deepEqual(from.map((e) => e.to), ['src/Core/Widget.cs'], 'Gadget is in the namespace but never used');
  assert.equal(from[0].importLine, 2, 'the using line is the evidence');
  assert.ok(!s.edges.some((e) => e.to === 'docs/Samples/Core/Sample.cs'));
});

test('C# names are seen through namespaces: usings, enclosing namespaces, global usings and the global namespace', () => {
  const ns = (name: string) => ({ name, kind: 'module', startLine: 1, endLine: 40, exported: true });
  const cls = (name: string, parent?: string) => ({ name, kind: 'class', startLine: 3, endLine: 30, exported: true, parent });
  const files = [
    // A LINQ polyfill: its `Where` must not pull in every file that calls LINQ's `Where`.
    file('src/Util/LinqBridge.cs', 'csharp', { defs: [ns('Acme.Util.LinqBridge'), cls('Enumerable', 'Acme.Util.LinqBridge'), { name: 'Where', kind: 'method', startLine: 5, endLine: 9, exported: true, parent: 'Enumerable' }] }),
    file('src/Core/Reader.cs', 'csharp', { defs: [ns('Acme.Core'), cls('Reader', 'Acme.Core')] }),
    file('src/Models/Item.cs', 'csharp', { defs: [ns('Acme.Models'), cls('Item', 'Acme.Models')] }),
    file('src/Legacy.cs', 'csharp', { defs: [cls('LegacyHelper')] }),
    file('src/GlobalUsings.cs', 'csharp', { imports: [{ source: 'Acme.Models', line: 1, global: true }] }),
    file('src/Core/Json/Token.cs', 'csharp', {
      imports: [{ source: 'System.Linq', line: 1 }],
      defs: [ns('Acme.Core.Json'), cls('Token', 'Acme.Core.Json')],
      refs: [{ name: 'Where', line: 8, kind: 'call' }, { name: 'Reader', line: 9, kind: 'call' }, { name: 'Item', line: 10, kind: 'type' }, { name: 'LegacyHelper', line: 11, kind: 'call' }],
    }),
  ];
  const to = buildStructure(files).edges.filter((e) => e.from === 'src/Core/Json/Token.cs').map((e) => e.to).sort();
  assert.deepEqual(to, ['src/Core/Reader.cs', 'src/Legacy.cs', 'src/Models/Item.cs']);
});

test('a class name an import binds means what the import resolves to: `use Exception;` is the runtime\'s, not a project class', () => {
  const ns = (name: string) => ({ name, kind: 'module', startLine: 3, endLine: 3, exported: true });
  const cls = (name: string) => ({ name, kind: 'class', startLine: 5, endLine: 30, exported: true });
  const php = [
    // A project class named like PHP's own `Exception`.
    file('src/Acme/Foundation/Renderer/Exception.php', 'php', { defs: [ns('Acme\\Foundation\\Renderer'), cls('Exception')] }),
    file('src/Acme/Support/Str.php', 'php', { defs: [ns('Acme\\Support'), cls('Str')] }),
    file('src/Acme/Support/helpers.php', 'php', { defs: [{ name: 'data_get', kind: 'function', startLine: 4, endLine: 9, exported: true }] }),
    file('src/Acme/Http/Request.php', 'php', {
      imports: [{ source: 'Exception', line: 5 }, { source: 'Acme\\Support\\Str', line: 6 }],
      defs: [ns('Acme\\Http'), cls('Request')],
      refs: [{ name: 'Exception', line: 20, kind: 'call' }, { name: 'Str', line: 22, kind: 'call' }, { name: 'data_get', line: 24, kind: 'call' }],
    }),
  ];
  const r = new ImportResolver(php.map((f) => f.path));
  assert.deepEqual(r.resolve(php[3], { source: 'Exception', line: 5 }), [], '`use Exception;` is the global class');
  assert.deepEqual(r.resolve(php[3], { source: 'Acme\\Support\\Str', line: 6 }), ['src/Acme/Support/Str.php']);
  const edgesFrom = (files: FileAnalysis[], from: string): string[] => buildStructure(files).edges.filter((e) => e.from === from).map((e) => e.to).sort();
  assert.deepEqual(edgesFrom(php, 'src/Acme/Http/Request.php'), ['src/Acme/Support/Str.php', 'src/Acme/Support/helpers.php']);
  // Without the import the name could be the project's class: it keeps its weak edge.
  const unbound = php.map((f) => (f.path === 'src/Acme/Http/Request.php' ? { ...f, imports: f.imports.slice(1) } : f));
  assert.ok(edgesFrom(unbound, 'src/Acme/Http/Request.php').includes('src/Acme/Foundation/Renderer/Exception.php'));

  const java = [
    file('src/main/java/com/acme/model/List.java', 'java', { defs: [cls('List')] }),
    file('src/main/java/com/acme/ui/Node.java', 'java', { defs: [cls('Node')] }),
    file('src/main/java/com/acme/graph/Node.java', 'java', { defs: [cls('Node')] }),
    file('src/main/java/com/acme/graph/Walker.java', 'java', {
      imports: [{ source: 'java.util.List', line: 3 }, { source: 'com.acme.ui.Node', line: 4 }],
      defs: [cls('Walker')],
      refs: [{ name: 'List', line: 10, kind: 'type' }, { name: 'Node', line: 11, kind: 'type' }],
    }),
  ];
  assert.deepEqual(edgesFrom(java, 'src/main/java/com/acme/graph/Walker.java'), ['src/main/java/com/acme/ui/Node.java'],
    'java.util.List is not the project\'s List; the imported Node wins over the one next door');
});

test('a JVM file links only to what it imports or shares a package with; a wildcard import brings the package in', () => {
  const cls = (name: string, extra: object = {}) => ({ name, kind: 'class', startLine: 3, endLine: 30, exported: true, ...extra });
  const files = [
    file('docker/src/main/java/com/acme/docker/DockerHost.java', 'java', { defs: [cls('DockerHost'), { name: 'isTrue', kind: 'method', startLine: 5, endLine: 9, exported: true, parent: 'DockerHost' }] }),
    file('core/src/main/java/com/acme/util/Strings.java', 'java', { defs: [cls('Strings')] }),
    file('core/src/main/java/com/acme/util/Files.java', 'java', { defs: [cls('Files')] }),
    file('core/src/main/java/com/acme/app/Settings.java', 'java', { defs: [cls('Settings')] }),
    file('web/src/main/java/com/acme/app/Server.java', 'java', {
      imports: [{ source: 'org.springframework.util.Assert', line: 3 }, { source: 'com.acme.util', line: 4 }],
      defs: [cls('Server')],
      refs: [{ name: 'isTrue', line: 10, kind: 'call' }, { name: 'Strings', line: 11, kind: 'type' }, { name: 'Settings', line: 12, kind: 'type' }],
    }),
  ];
  const server = 'web/src/main/java/com/acme/app/Server.java';
  const r = new ImportResolver(files.map((f) => f.path));
  const util = ['core/src/main/java/com/acme/util/Files.java', 'core/src/main/java/com/acme/util/Strings.java'];
  assert.deepEqual(r.resolve(files[4], { source: 'com.acme.util', line: 4 }), [], 'a package names no one file');
  assert.deepEqual(r.packageImport('com.acme.util').sort(), util);
  assert.deepEqual(r.packageImport('com.acme.util.quote').sort(), util, "Kotlin's import of a top-level function");
  assert.deepEqual(r.packageImport('org.springframework.util'), []);
  const to = buildStructure(files).edges.filter((e) => e.from === server).map((e) => [e.to, e.symbols.join(','), e.importLine]);
  assert.deepEqual(to, [
    ['core/src/main/java/com/acme/util/Strings.java', 'Strings', 4],
    ['core/src/main/java/com/acme/app/Settings.java', 'Settings', undefined],
  ], '`Assert.isTrue()` is not the unimported DockerHost.isTrue; of the imported package only the class used; Settings shares the package');
  // Kotlin may leave the root package (`org.example`) out of the folders: no import resolves, and names still link.
  const flat = [
    file('src/main/kotlin/net/Client.kt', 'kotlin', { defs: [cls('Client')] }),
    file('src/main/kotlin/app/Main.kt', 'kotlin', { imports: [{ source: 'org.example.net.Client', line: 3 }], refs: [{ name: 'Client', line: 9, kind: 'call' }] }),
  ];
  assert.deepEqual(buildStructure(flat).edges.map((e) => e.to), ['src/main/kotlin/net/Client.kt']);
});

test('a Go import makes its package visible and the names used pick its files; a package used for no name links through its doc.go', () => {
  const fn = (name: string) => ({ name, kind: 'function', startLine: 3, endLine: 9, exported: true });
  const files = [
    file('zapcore/doc.go', 'go'),
    file('zapcore/entry.go', 'go', { defs: [fn('Entry')] }),
    file('zapcore/memory_encoder.go', 'go', { defs: [fn('NewMapObjectEncoder')] }),
    file('zapcore/level.go', 'go', { defs: [fn('ParseLevel')] }),
    file('buffer/pool.go', 'go', { defs: [fn('NewPool')] }),
    file('buffer/buffer.go', 'go', { defs: [fn('Buffer')] }),
    file('buffer/doc.go', 'go'),
    file('logger.go', 'go', {
      imports: [{ source: 'go.uber.org/zap/zapcore', line: 3 }, { source: 'go.uber.org/zap/buffer', line: 4 }],
      refs: [{ name: 'Entry', line: 9, kind: 'type' }],
    }),
  ];
  const to = buildStructure(files, { goModule: 'go.uber.org/zap' }).edges.filter((e) => e.from === 'logger.go').map((e) => [e.to, e.importLine]);
  assert.deepEqual(to, [['zapcore/entry.go', 3], ['buffer/doc.go', 4]]);
});

test('Python and TypeScript modules see a neighbour only through an import: `from . import mod` is the module, not the package', () => {
  const method = (name: string, parent: string) => ({ name, kind: 'method', startLine: 5, endLine: 9, exported: true, parent });
  const files = [
    file('loguru/__init__.py', 'python', { defs: [{ name: 'logger', kind: 'constant', startLine: 3, endLine: 3, exported: true }], imports: [{ source: '._logger', line: 1 }] }),
    file('loguru/_logger.py', 'python', { defs: [{ name: 'Logger', kind: 'class', startLine: 4, endLine: 90, exported: true }, method('parse', 'Logger'), method('start', 'Logger')] }),
    file('loguru/_string_parsers.py', 'python', { defs: [{ name: 'parse_size', kind: 'function', startLine: 2, endLine: 8, exported: true }] }),
    file('loguru/_file_sink.py', 'python', {
      imports: [{ source: '._string_parsers', line: 11, member: true }, { source: '.logger', line: 12, member: true }],
      refs: [{ name: 'parse', line: 30, kind: 'call' }, { name: 'start', line: 31, kind: 'call' }, { name: 'parse_size', line: 32, kind: 'call' }],
    }),
  ];
  const to = buildStructure(files).edges.filter((e) => e.from === 'loguru/_file_sink.py').map((e) => e.to);
  assert.deepEqual(to, ['loguru/_string_parsers.py', 'loguru/__init__.py'], '`formatter.parse()` is not the unimported Logger.parse; `.logger` is a name of the package');
});

test("a call of a standard library method (Ruby's inspect, Java's hashCode, Python's encode) makes no project method of that name a used symbol", () => {
  const method = (name: string, parent: string) => ({ name, kind: 'method', startLine: 5, endLine: 9, exported: true, parent });
  const files = [
    file('lib/rails.rb', 'ruby', { defs: [{ name: 'Rails', kind: 'class', startLine: 1, endLine: 30, exported: true }, method('inspect', 'Rails'), method('each', 'Rails'), method('delete', 'Rails')] }),
    file('lib/job.rb', 'ruby', { defs: [{ name: 'Job', kind: 'class', startLine: 1, endLine: 30, exported: true }, method('perform_async', 'Job')] }),
    file('lib/cli.rb', 'ruby', { refs: [{ name: 'inspect', line: 3, kind: 'call' }, { name: 'each', line: 4, kind: 'call' }, { name: 'Job', line: 5, kind: 'type' }, { name: 'perform_async', line: 5, kind: 'call' }, { name: 'delete', line: 6, kind: 'call' }] }),
  ];
  const s = buildStructure(files);
  const to = s.edges.filter((e) => e.from === 'lib/cli.rb').map((e) => [e.to, e.symbols.join(','), Boolean(e.guessed)]);
  assert.deepEqual(to, [['lib/rails.rb', '', true], ['lib/job.rb', 'Job,perform_async', false]], 'the files stay linked, weakly');
  assert.deepEqual(s.symbols.map((x) => x.name).sort(), ['Job', 'perform_async']);
  // Python's `s.encode()` is a string's, not the project's URL.encode.
  const py = buildStructure([
    file('src/urls.py', 'python', { defs: [{ name: 'URL', kind: 'class', startLine: 1, endLine: 30, exported: true }, method('encode', 'URL'), method('to_iri', 'URL')] }),
    file('src/http.py', 'python', { refs: [{ name: 'URL', line: 2, kind: 'call' }, { name: 'encode', line: 3, kind: 'call' }, { name: 'to_iri', line: 4, kind: 'call' }] }),
  ]);
  assert.deepEqual(py.symbols.map((x) => x.name).sort(), ['URL', 'to_iri']);
});

test("Ruby's own include, require and attr_reader link no files to a project method of that name", () => {
  const method = (name: string, parent: string) => ({ name, kind: 'method', startLine: 5, endLine: 9, exported: true, parent });
  const files = [
    file('lib/file_list.rb', 'ruby', { defs: [{ name: 'FileList', kind: 'class', startLine: 1, endLine: 30, exported: true }, method('include', 'FileList'), method('pathmap', 'FileList')] }),
    file('lib/task.rb', 'ruby', { refs: [{ name: 'include', line: 3, kind: 'call' }, { name: 'attr_reader', line: 4, kind: 'call' }] }),
    file('lib/app.rb', 'ruby', { refs: [{ name: 'include', line: 3, kind: 'call' }, { name: 'FileList', line: 8, kind: 'type' }, { name: 'pathmap', line: 9, kind: 'call' }] }),
  ];
  const s = buildStructure(files);
  assert.deepEqual(s.edges.map((e) => [e.from, e.to, e.symbols.join(',')]), [['lib/app.rb', 'lib/file_list.rb', 'FileList,pathmap']]);
});

test('a call without a receiver reaches functions, not methods of the same name; a method call, only a class the file knows', () => {
  const files = [
    file('src/Support/Str.php', 'php', { defs: [{ name: 'Str', kind: 'class', startLine: 3, endLine: 40, exported: true }, { name: 'trim', kind: 'method', startLine: 5, endLine: 9, exported: true, parent: 'Str' }] }),
    file('src/Http/Input.php', 'php', { refs: [{ name: 'trim', line: 4, kind: 'function' }] }),
    file('src/Http/Form.php', 'php', { refs: [{ name: 'Str', line: 3, kind: 'type' }, { name: 'trim', line: 4, kind: 'call' }] }),
    file('src/Http/Request.php', 'php', { refs: [{ name: 'trim', line: 4, kind: 'call' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to} ${e.symbols.join(',')}`);
  assert.deepEqual(edges, ['src/Http/Form.php -> src/Support/Str.php Str,trim'],
    '`trim($s)` is PHP\'s trim; `$str->trim()` may be Str\'s where the file names Str; `$request->trim()` with no Str in sight is another object\'s');
});

test('a name used only as a type reaches types, not a property or method of that name', () => {
  const files = [
    file('src/Polly.Core/Outcome.cs', 'csharp', { defs: [{ name: 'Outcome', kind: 'struct', startLine: 3, endLine: 40, exported: true }, { name: 'Exception', kind: 'method', startLine: 9, endLine: 9, exported: true, parent: 'Outcome' }] }),
    file('src/Polly.Core/Retry.cs', 'csharp', { refs: [{ name: 'Exception', line: 4, kind: 'type' }, { name: 'Outcome', line: 5, kind: 'type' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to} ${e.symbols.join(',')}`);
  assert.deepEqual(edges, ['src/Polly.Core/Retry.cs -> src/Polly.Core/Outcome.cs Outcome'], '`catch (Exception e)` is System.Exception, not Outcome.Exception');
});

test('a method two classes define links to the one the file names', () => {
  const method = (cls: string) => [{ name: cls, kind: 'class', startLine: 3, endLine: 40, exported: true }, { name: 'connect', kind: 'method', startLine: 5, endLine: 9, exported: true, parent: cls }];
  const files = [
    file('src/SMTP.php', 'php', { defs: method('SMTP') }),
    file('src/POP3.php', 'php', { defs: method('POP3') }),
    file('src/Mailer.php', 'php', { refs: [{ name: 'SMTP', line: 3, kind: 'call' }, { name: 'connect', line: 4, kind: 'call' }] }),
    file('src/Client.php', 'php', { refs: [{ name: 'connect', line: 4, kind: 'call' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to} ${e.symbols.join(',')}${e.guessed ? ' (guessed)' : ''}`);
  // A file that names neither class may call either's connect, or a library's: a guess, and no use of either method.
  assert.deepEqual(edges, ['src/Mailer.php -> src/SMTP.php SMTP,connect', 'src/Client.php -> src/SMTP.php  (guessed)', 'src/Client.php -> src/POP3.php  (guessed)']);
});

test('a class name two folders define, imported from neither, is the file\'s own folder\'s (PHP namespace, C include)', () => {
  const cls = (name: string) => [{ name, kind: 'class', startLine: 3, endLine: 40, exported: true }];
  const files = [
    file('src/DataGenerator/RegexBasedAbstract.php', 'php', { defs: cls('RegexBasedAbstract') }),
    file('src/Dispatcher/RegexBasedAbstract.php', 'php', { defs: cls('RegexBasedAbstract') }),
    file('src/DataGenerator/GroupCountBased.php', 'php', { refs: [{ name: 'RegexBasedAbstract', line: 5, kind: 'inherit' }] }),
    file('src/Dispatcher/GroupCountBased.php', 'php', { refs: [{ name: 'RegexBasedAbstract', line: 5, kind: 'inherit' }] }),
    file('src/Cli.php', 'php', { refs: [{ name: 'RegexBasedAbstract', line: 5, kind: 'call' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to}`).sort();
  assert.deepEqual(edges, [
    'src/Cli.php -> src/DataGenerator/RegexBasedAbstract.php', 'src/Cli.php -> src/Dispatcher/RegexBasedAbstract.php',
    'src/DataGenerator/GroupCountBased.php -> src/DataGenerator/RegexBasedAbstract.php', 'src/Dispatcher/GroupCountBased.php -> src/Dispatcher/RegexBasedAbstract.php',
  ], 'a file beside neither still sees both');
});

test('PHP classes load from composer.json\'s PSR-4 roots, longest namespace prefix first', () => {
  const composer = JSON.stringify({
    autoload: { 'psr-4': { 'Illuminate\\': 'src/Illuminate/', 'Illuminate\\Support\\': ['src/Illuminate/Macroable/', 'src/Illuminate/Collections/'] } },
    'autoload-dev': { 'psr-4': { 'App\\': './app' } },
  });
  const roots = psr4Roots(composer);
  assert.deepEqual(roots.map(([prefix]) => prefix), ['Illuminate\\Support\\', 'Illuminate\\', 'App\\']);
  assert.deepEqual(roots[0][1], ['src/Illuminate/Macroable', 'src/Illuminate/Collections']);
  assert.deepEqual(psr4Roots(JSON.stringify({ autoload: { 'psr-0': { 'Monolog\\': ['src/'] } } })), [['Monolog\\', ['src/Monolog']]], 'a PSR-0 root as PSR-4 writes it');
  assert.deepEqual(psr4Roots('{ not json'), []);
  assert.deepEqual(psr4Roots(undefined), []);
  const paths = ['src/Illuminate/Collections/Collection.php', 'src/Illuminate/Support/Str.php', 'app/Models/User.php', 'types/Support/Collection.php'];
  const r = new ImportResolver(paths, { phpRoots: roots });
  const from = file('app/Http/Controller.php', 'php');
  const resolve = (source: string): string[] => r.resolve(from, { source, line: 1 });
  assert.deepEqual(resolve('Illuminate\\Support\\Collection'), ['src/Illuminate/Collections/Collection.php'], 'not the types/ fixture of the same suffix');
  assert.deepEqual(resolve('Illuminate\\Support\\Str'), ['src/Illuminate/Support/Str.php'], 'the shorter prefix when the longer one has no such file');
  assert.deepEqual(resolve('App\\Models\\User'), ['app/Models/User.php']);
  assert.deepEqual(new ImportResolver(paths).resolve(from, { source: 'App\\Models\\User', line: 1 }), [], 'without the roots `App` is no folder');
});

test('requiring a package folder (`require(\'../..\')`, a workspace package by name) loads the entry its package.json names', () => {
  const manifests: Record<string, string> = {
    'package.json': '{"name": "koa", "main": "lib/application.js"}',
    'packages/router/package.json': '{"name": "@koa/router", "exports": {".": {"import": "./esm/index.mjs", "require": "./dist/router"}}}',
    'packages/plain/package.json': '{"name": "plain"}',
    'packages/odd/package.json': '[1, 2]',
  };
  const entries = packageEntries(Object.keys(manifests), (p) => manifests[p]);
  assert.deepEqual([...entries], [['.', 'lib/application.js'], ['packages/router', './dist/router']]);
  const files = [
    file('lib/application.js', 'javascript'),
    file('index.js', 'javascript'),
    file('packages/router/dist/router.js', 'javascript'),
    file('packages/plain/index.js', 'javascript'),
    file('test/application/use.js', 'javascript'),
  ];
  const r = new ImportResolver(files.map((f) => f.path), { jsPackages: workspacePackages(Object.keys(manifests), (p) => manifests[p]), jsEntries: entries });
  const resolve = (source: string): string[] => r.resolve(files[4], { source, line: 1 });
  assert.deepEqual(resolve('../..'), ['lib/application.js'], 'main, not the index.js beside it');
  assert.deepEqual(resolve('../../packages/router'), ['packages/router/dist/router.js'], 'the require condition of exports["."]');
  assert.deepEqual(resolve('@koa/router'), ['packages/router/dist/router.js']);
  assert.deepEqual(resolve('../../packages/plain'), ['packages/plain/index.js'], 'no entry named: index');
});

test('an import loads the code, not the type declarations beside it', () => {
  const manifests: Record<string, string> = { 'package.json': '{"name": "pino", "main": "pino.js", "types": "pino.d.ts"}' };
  const files = [
    file('pino.js', 'javascript'), file('pino.d.ts', 'typescript'), file('lib/levels.js', 'javascript'),
    file('types/only.d.ts', 'typescript'), file('test/basic.test.js', 'javascript'),
  ];
  const r = new ImportResolver(files.map((f) => f.path), { jsEntries: packageEntries(Object.keys(manifests), (p) => manifests[p]) });
  const resolve = (source: string): string[] => r.resolve(files[4], { source, line: 1 });
  assert.deepEqual(resolve('..'), ['pino.js'], 'the main package.json names');
  assert.deepEqual(resolve('../pino'), ['pino.js']);
  assert.deepEqual(resolve('../types/only'), ['types/only.d.ts'], 'declarations with no code beside them');
});

test('a monorepo\'s own packages resolve by name, and names used through a barrel reach the modules that define them', () => {
  const manifests: Record<string, string> = {
    'package.json': '{"name": "monorepo", "private": true}',
    'packages/shared/package.json': '{"name": "@acme/shared"}',
    'packages/core/package.json': '{"name": "@acme/core"}',
    'packages/broken/package.json': '{ not json',
  };
  const packages = workspacePackages(Object.keys(manifests), (p) => manifests[p]);
  assert.deepEqual([...packages], [['monorepo', '.'], ['@acme/shared', 'packages/shared'], ['@acme/core', 'packages/core']]);
  const fn = (name: string) => ({ name, kind: 'function', startLine: 1, endLine: 5, exported: true });
  const files = [
    file('packages/shared/src/index.ts', 'typescript', { imports: [{ source: './general', line: 1 }, { source: './strings', line: 2 }] }),
    file('packages/shared/src/general.ts', 'typescript', { defs: [fn('isArray')] }),
    file('packages/shared/src/strings.ts', 'typescript', { defs: [fn('camelize')] }),
    file('packages/shared/src/dom/attrs.ts', 'typescript', { defs: [fn('isBooleanAttr')] }),
    file('packages/core/src/render.ts', 'typescript', {
      imports: [{ source: '@acme/shared', line: 1 }, { source: '@acme/shared/src/dom/attrs', line: 2 }, { source: 'react', line: 3 }],
      refs: [{ name: 'isArray', line: 8, kind: 'function' }, { name: 'isBooleanAttr', line: 9, kind: 'function' }],
    }),
  ];
  const r = new ImportResolver(files.map((f) => f.path), { jsPackages: packages });
  const resolve = (source: string): string[] => r.resolve(files[4], { source, line: 1 });
  assert.deepEqual(resolve('@acme/shared'), ['packages/shared/src/index.ts'], 'the package\'s source entry');
  assert.deepEqual(resolve('@acme/shared/src/dom/attrs'), ['packages/shared/src/dom/attrs.ts']);
  assert.deepEqual(resolve('react'), []);
  const s = buildStructure(files, { jsPackages: packages });
  const from = s.edges.filter((e) => e.from === 'packages/core/src/render.ts');
  assert.deepEqual(from.map((e) => e.to).sort(), ['packages/shared/src/dom/attrs.ts', 'packages/shared/src/general.ts'],
    'the barrel passes the names through; strings.ts is re-exported but never used');
  assert.equal(from.find((e) => e.to.endsWith('general.ts'))?.importLine, 1, 'the import of the package is the evidence');
  assert.ok(s.fileRank['packages/shared/src/general.ts'] > s.fileRank['packages/shared/src/index.ts']);
});

function sampleRepo(): FileAnalysis[] {
  return [
    file('src/core/types.ts', 'typescript', { doc: 'The types every module shares.', defs: [{ name: 'Note', kind: 'interface', startLine: 3, endLine: 9, exported: true }] }),
    file('src/core/store.ts', 'typescript', {
      imports: [{ source: './types', line: 1 }],
      refs: [{ name: 'Note', line: 5, kind: 'type' }],
      defs: [{ name: 'Store', kind: 'class', startLine: 4, endLine: 40, exported: true, doc: 'Keeps notes on disk.' }],
    }),
    file('src/core/analyze.ts', 'typescript', {
      imports: [{ source: './types', line: 1 }, { source: './store', line: 2 }],
      refs: [{ name: 'Store', line: 10, kind: 'call' }, { name: 'Note', line: 11, kind: 'type' }],
      defs: [{ name: 'analyze', kind: 'function', startLine: 8, endLine: 30, exported: true }],
    }),
    file('src/cli/main.ts', 'typescript', {
      imports: [{ source: '../core/analyze', line: 1 }],
      refs: [{ name: 'analyze', line: 20, kind: 'call' }],
      defs: [{ name: 'main', kind: 'function', startLine: 12, endLine: 30, exported: false }],
    }),
    file('src/cli/a.ts', 'typescript', { imports: [{ source: './b', line: 1 }] }),
    file('src/cli/b.ts', 'typescript', { imports: [{ source: './a', line: 2 }] }),
    file('package.json', null, { lines: 10 }),
  ];
}

test('a file used by one central file does not outrank the files many others use', () => {
  const users = (n: number, target: string): FileAnalysis[] => Array.from({ length: n }, (_, i) =>
    file(`src/${target}User${i}.ts`, 'typescript', { imports: [{ source: `./${target}`, line: 1 }] }));
  const s = buildStructure([
    // click's shape: _compat.py is used by many modules and is the only user of _winconsole.py.
    ...users(6, 'compat'),
    ...users(4, 'core'),
    file('src/compat.ts', 'typescript', { imports: [{ source: './winconsole', line: 1 }] }),
    file('src/core.ts', 'typescript'),
    file('src/winconsole.ts', 'typescript'),
  ]);
  const ranked = Object.entries(s.fileRank).sort((a, b) => b[1] - a[1]).map(([p]) => p);
  assert.deepEqual(ranked.slice(0, 3), ['src/compat.ts', 'src/core.ts', 'src/winconsole.ts']);
  assert.ok(!('\0rest' in s.fileRank), 'only files are ranked');
});

test('an import inside a function or of types only makes no cycle, between files or components', () => {
  const repo = (deferred: boolean): FileAnalysis[] => [
    file('pkg/core/app.py', 'python', { imports: [{ source: 'pkg.ext.pandas', line: 1 }] }),
    file('pkg/ext/pandas.py', 'python', { imports: [{ source: 'pkg.core.app', line: 12, ...(deferred ? { deferred: true as const } : {}) }] }),
  ];
  const eager = buildStructure(repo(false));
  assert.deepEqual(eager.cycles, [['pkg/core/app.py', 'pkg/ext/pandas.py']]);
  assert.deepEqual(eager.componentCycles, [['pkg/core', 'pkg/ext']]);
  const lazy = buildStructure(repo(true));
  assert.deepEqual(lazy.cycles, []);
  assert.deepEqual(lazy.componentCycles, []);
  assert.ok(lazy.edges.some((e) => e.from === 'pkg/ext/pandas.py' && e.to === 'pkg/core/app.py'), 'the dependency itself stays');
});

test('ranking, components, cycles and hubs come from imports and references', () => {
  const s = buildStructure(sampleRepo());
  const ranked = Object.entries(s.fileRank).sort((a, b) => b[1] - a[1]).map(([p]) => p);
  const core = ranked.filter((p) => !p.startsWith('src/cli/'));
  assert.equal(core[0], 'src/core/types.ts', 'the file everything depends on ranks first among acyclic files');
  assert.ok(s.fileRank['src/core/store.ts'] > s.fileRank['src/cli/main.ts']);
  assert.ok(s.fileRank['src/core/analyze.ts'] > s.fileRank['src/cli/main.ts']);
  assert.deepEqual(s.components.map((c) => c.id).sort(), ['src/cli', 'src/core']);
  const cli = s.components.find((c) => c.id === 'src/cli')!;
  assert.deepEqual(cli.dependsOn.map((d) => d.component), ['src/core']);
  assert.deepEqual(cli.dependsOn[0].example, { path: 'src/cli/main.ts', line: 1 });
  assert.deepEqual(s.cycles, [['src/cli/a.ts', 'src/cli/b.ts']]);
  const store = s.symbols.find((x) => x.name === 'Store')!;
  assert.equal(store.path, 'src/core/store.ts');
  assert.equal(store.usedBy, 1);
});

test('Rust paths resolve in the crate\'s module tree: crate, self, super, group and workspace-crate paths; outside crates resolve to nothing', () => {
  const paths = [
    'tokio/src/lib.rs', 'tokio/src/io/mod.rs', 'tokio/src/runtime/mod.rs', 'tokio/src/runtime/handle.rs', 'tokio/src/loom/mod.rs',
    'tokio/src/loom/mocked.rs', 'tokio/src/sync/mod.rs', 'tokio-util/src/lib.rs', 'tokio-util/src/loom.rs', 'tokio-util/src/codec/mod.rs',
  ];
  const manifests: Record<string, string> = {
    'tokio/Cargo.toml': '[package]\nname = "tokio"\nversion = "1.0.0"\n',
    'tokio-util/Cargo.toml': '[package]\nauthors = ["Tokio Contributors <team@tokio.rs>"]\nname = "tokio-util"\n\n[dependencies]\ntokio = { path = "../tokio" }\n',
  };
  const crates = rustCrates(Object.keys(manifests), (p) => manifests[p]);
  assert.deepEqual([...crates], [['tokio', 'tokio/src'], ['tokio_util', 'tokio-util/src']]);
  const r = new ImportResolver(paths, { rustCrates: crates });
  const resolve = (from: string, source: string): string[] => r.resolve(file(from, 'rust'), { source, line: 1 });
  assert.deepEqual(resolve('tokio/src/loom/mocked.rs', 'loom::sync::MutexGuard'), [], 'the outside crate loom, not a module named loom');
  assert.deepEqual(resolve('tokio-util/src/codec/mod.rs', 'std::sync::Arc'), []);
  assert.deepEqual(resolve('tokio/src/runtime/handle.rs', 'crate::{io, runtime::{self, Handle}}'), ['tokio/src/io/mod.rs', 'tokio/src/runtime/mod.rs']);
  assert.deepEqual(resolve('tokio/src/runtime/handle.rs', 'super::*'), ['tokio/src/runtime/mod.rs']);
  assert.deepEqual(resolve('tokio-util/src/codec/mod.rs', 'crate::loom::x'), ['tokio-util/src/loom.rs'], 'its own crate\'s loom');
  assert.deepEqual(resolve('tokio-util/src/codec/mod.rs', 'tokio::runtime::Handle'), ['tokio/src/runtime/mod.rs'], 'a workspace crate by name');
  assert.deepEqual(resolve('tokio/src/lib.rs', 'loom::mocked'), ['tokio/src/loom/mocked.rs'], 'the crate root sees its own modules');
});

test('from another crate a private Rust module is out of reach: `anyhow::ensure` is the exported macro, not `mod ensure;`', () => {
  const paths = ['src/lib.rs', 'src/ensure.rs', 'src/macros.rs', 'src/fmt/mod.rs', 'src/fmt/inner.rs', 'tests/test_ensure.rs'];
  const modules: Record<string, RustModule> = {
    'src/lib.rs': { uses: [], defines: new Set(['ensure', 'macros', 'fmt', 'Error']), privateModules: new Set(['ensure', 'macros']) },
    'src/fmt/mod.rs': { uses: [], defines: new Set(['inner']), privateModules: new Set() },
  };
  const r = new ImportResolver(paths, { rustCrates: new Map([['anyhow', 'src']]), rustModule: (p) => modules[p] });
  const resolve = (from: string, source: string): string[] => r.resolve(file(from, 'rust'), { source, line: 1 });
  assert.deepEqual(resolve('tests/test_ensure.rs', 'anyhow::{ensure, Error}'), ['src/lib.rs']);
  assert.deepEqual(resolve('tests/test_ensure.rs', 'anyhow::fmt::inner::Display'), ['src/fmt/inner.rs'], 'a public module path still leads to its file');
  assert.deepEqual(resolve('src/macros.rs', 'crate::ensure::Buf'), ['src/ensure.rs'], 'inside the crate the private module is in reach');
});

test('a Rust item a module re-exports resolves to the file that defines it, through lib.rs, mod.rs, globs and aliases', () => {
  const paths = ['src/lib.rs', 'src/bytes.rs', 'src/buf/mod.rs', 'src/buf/buf_impl.rs', 'src/buf/chain.rs', 'src/buf/take.rs', 'src/util.rs', 'tests/test_buf.rs'];
  const modules: Record<string, RustModule> = {
    'src/lib.rs': { uses: ['buf', 'bytes', 'util', 'crate::buf::{Buf, Chain as Joined}', 'crate::bytes::Bytes'], defines: new Set(['abort']) },
    'src/bytes.rs': { uses: [], defines: new Set(['Bytes']) },
    'src/buf/mod.rs': { uses: ['buf_impl', 'chain', 'take', 'self::buf_impl::Buf', 'self::chain::*', 'self::take::*'], defines: new Set(['IntoIter']) },
    'src/buf/buf_impl.rs': { uses: [], defines: new Set(['Buf']) },
    'src/buf/chain.rs': { uses: [], defines: new Set(['Chain']) },
    'src/buf/take.rs': { uses: [], defines: new Set(['Take']) },
  };
  const r = new ImportResolver(paths, { rustCrates: new Map([['bytes', 'src']]), rustModule: (p) => modules[p] });
  const resolve = (from: string, source: string): string[] => r.resolve(file(from, 'rust'), { source, line: 1 });
  assert.deepEqual(resolve('tests/test_buf.rs', 'bytes::{Buf, Bytes}'), ['src/buf/buf_impl.rs', 'src/bytes.rs'], 'through the crate root and then buf/mod.rs');
  assert.deepEqual(resolve('src/util.rs', 'crate::buf::Buf'), ['src/buf/buf_impl.rs']);
  assert.deepEqual(resolve('src/util.rs', 'crate::buf::Take'), ['src/buf/take.rs'], 'the glob whose module defines it');
  assert.deepEqual(resolve('src/util.rs', 'crate::Joined'), ['src/buf/chain.rs'], 'an alias names the item');
  assert.deepEqual(resolve('src/util.rs', 'crate::buf::IntoIter'), ['src/buf/mod.rs'], 'defined in mod.rs itself');
  assert.deepEqual(resolve('src/util.rs', 'crate::abort'), [], 'an item lib.rs defines links to no file, as before');
  assert.deepEqual(resolve('tests/test_buf.rs', 'bytes::abort'), ['src/lib.rs'], 'but seen from another crate it is the root\'s');

  const def = (name: string, parent?: string) => ({ name, kind: parent ? 'method' : 'struct', startLine: 1, endLine: 9, exported: true, parent });
  const crate = [
    file('src/lib.rs', 'rust', { imports: [{ source: 'bytes', line: 1 }, { source: 'crate::bytes::Bytes', line: 2 }] }),
    file('src/bytes.rs', 'rust', { defs: [def('Bytes'), def('slice', 'Bytes')] }),
    file('benches/bytes.rs', 'rust', { imports: [{ source: 'bytes::Bytes', line: 3 }], refs: [{ name: 'Bytes', kind: 'type', line: 9 }] }),
  ];
  const bench = buildStructure(crate, { rustCrates: new Map([['bytes', 'src']]) }).edges.filter((e) => e.from === 'benches/bytes.rs');
  assert.deepEqual(bench.map((e) => [e.to, e.importLine]), [['src/bytes.rs', 3]], 'the analysis reads what lib.rs re-exports');
});

test('a Rust file sees a neighbour\'s names only through a use, and `std::` is never the project\'s `mod std;`', () => {
  const item = (name: string, kind = 'struct') => ({ name, kind, startLine: 1, endLine: 9, exported: false });
  const files = [
    file('src/rngs/mod.rs', 'rust', { defs: [item('std', 'module')] }),
    file('src/rngs/std.rs', 'rust', { defs: [item('StdRng')] }),
    file('src/rngs/small.rs', 'rust', { defs: [item('Rng', 'type')] }),
    file('src/rngs/thread.rs', 'rust', {
      imports: [{ source: 'std::fmt', line: 1 }, { source: 'super::std::StdRng', line: 2 }],
      refs: [{ name: 'std', kind: 'type', line: 5 }, { name: 'Rng', kind: 'type', line: 6 }, { name: 'StdRng', kind: 'type', line: 7 }],
    }),
  ];
  const to = buildStructure(files).edges.filter((e) => e.from === 'src/rngs/thread.rs').map((e) => e.to);
  assert.deepEqual(to, ['src/rngs/std.rs'], 'its own `use super::std::StdRng` only: not small.rs\'s `Rng` beside it, nor `mod std` for `std::fmt`');
});

test('entry points from package.json, main() and registrations', () => {
  const files = [
    file('package.json', null),
    file('src/cli/main.ts', 'typescript', { defs: [{ name: 'main', kind: 'function', startLine: 12, endLine: 30, exported: false }] }),
    file('app/routes.py', 'python', { defs: [{ name: 'users', kind: 'function', startLine: 5, endLine: 6, exported: true }] }),
  ];
  const texts: Record<string, string> = {
    'package.json': '{\n  "name": "tool",\n  "bin": {\n    "tool": "src/cli/main.ts"\n  },\n  "main": "src/index.js",\n  "module": "dist/index.mjs"\n}\n',
    'app/routes.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/users")\ndef users():\n    pass\n\nif __name__ == "__main__":\n    app.run()\n',
  };
  const eps = findEntryPoints(files, (p) => texts[p]);
  const summary = eps.map((e) => `${e.kind} ${e.path}:${e.line}`).sort();
  assert.deepEqual(summary, [
    'bin package.json:4',
    'main app/routes.py:8',
    'main src/cli/main.ts:12',
    'package package.json:7',
    'route app/routes.py:4',
  ], 'a missing main (npm\'s template "index.js") names nothing; a missing built module is still the entry');
  assert.match(eps.find((e) => e.kind === 'bin')!.detail, /-> `src\/cli\/main.ts`/);
  assert.equal(eps.find((e) => e.kind === 'bin')!.target, 'src/cli/main.ts', 'the file the executable runs');
  assert.equal(eps.find((e) => e.kind === 'package')!.target, undefined, 'dist/index.mjs does not exist, nor a source it is built from');

  // PHP: the front controller every request enters through, Laravel's route facade and Symfony's route attributes.
  const php = [
    file('public/index.php', 'php'),
    file('src/index.php', 'php'),
    file('routes/web.php', 'php', { refs: [{ name: 'get', line: 5, kind: 'call' }] }),
    file('src/Controller/UserController.php', 'php', { refs: [{ name: 'Route', line: 3, kind: 'type' }] }),
  ];
  const phpTexts: Record<string, string> = {
    'routes/web.php': "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('/', function () {\n",
    'src/Controller/UserController.php': "<?php\nclass UserController {\n    #[Route('/users', name: 'users')]\n    public function list() {}\n}\n",
  };
  assert.deepEqual(findEntryPoints(php, (p) => phpTexts[p] ?? '<?php\n').map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`), [
    'main public/index.php:1 web front controller',
    'route routes/web.php:5 GET /',
    'route src/Controller/UserController.php:3 ROUTE /users',
  ]);

  // A registration shown in a doc comment is an example, not a route.
  const gin = [file('context.go', 'go', { refs: [{ name: 'GET', line: 4, kind: 'call' }] })];
  const ginText = '// FullPath returns the matched route.\n//\trouter.GET("/user/:id", handler)\n/* r.GET("/a", h) */\nr.GET("/users", listUsers)\n';
  assert.deepEqual(findEntryPoints(gin, () => ginText).map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`), ['route context.go:4 GET /users']);

  // Express's one-argument `app.get(name)` reads a setting; a route takes a handler after its path.
  const express = [file('lib/request.js', 'javascript', { refs: [{ name: 'get', line: 1, kind: 'call' }] })];
  const expressText = "var fn = this.app.get('trust proxy fn');\napp.get('/users/:id', load, show);\nrouter.route('/book')\n  .get(list);\nname = app.get('import_path', '?')[:30]\n";
  assert.deepEqual(findEntryPoints(express, () => expressText).map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`),
    ['route lib/request.js:2 GET /users/:id', 'route lib/request.js:3 ROUTE /book']);
});

test('a Composer package enters through its bin commands, its PSR-4 and PSR-0 namespaces and the files it always loads', () => {
  const composer = JSON.stringify({
    name: 'acme/http',
    bin: ['bin/acme'],
    autoload: { 'psr-4': { 'Acme\\Http\\': 'src/' }, files: ['src/functions_include.php', 'src/missing.php'] },
  }, null, 2);
  const files = [file('composer.json', null), file('src/functions_include.php', 'php'), file('bin/acme', null)];
  const found = findEntryPoints(files, (p) => (p === 'composer.json' ? composer : undefined));
  assert.deepEqual(found.map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail} ${e.target ?? '-'}`), [
    'bin composer.json:4 composer bin bin/acme bin/acme',
    'package composer.json:8 namespace `Acme\\Http\\` -> `src/` -',
    'package composer.json:11 always loads `src/functions_include.php` src/functions_include.php',
  ]);
  for (const broken of ['{ broken', 'null', '{"autoload": null}']) assert.deepEqual(findEntryPoints([file('composer.json', null)], () => broken), []);
  // PSR-0 puts the namespace's own folders under the root it names; a PEAR-style prefix (`Twig_`) names no namespace.
  const legacy = JSON.stringify({ autoload: { 'psr-0': { Whoops: 'src/', 'Twig_': 'lib/' } } }, null, 2);
  assert.deepEqual(findEntryPoints([file('composer.json', null)], () => legacy).map((e) => `${e.line} ${e.detail}`), ['4 namespace `Whoops\\` -> `src/Whoops`']);
});

test('a package entry that only a build writes (dist/) points at the source it is built from', () => {
  const pkg = JSON.stringify({ name: 'hono', main: 'dist/cjs/index.js', module: 'dist/index.js', bin: { x: './dist/cli.mjs' } }, null, 2);
  const files = [file('package.json', null), file('src/index.ts', 'typescript'), file('src/cli.ts', 'typescript')];
  assert.deepEqual(findEntryPoints(files, (p) => (p === 'package.json' ? pkg : undefined)).map((e) => `${e.detail} ${e.target ?? '-'}`), [
    'bin `x` = ./dist/cli.mjs, built from `src/cli.ts` src/cli.ts',
    'main = dist/cjs/index.js, built from `src/index.ts` src/index.ts',
    'module = dist/index.js, built from `src/index.ts` src/index.ts',
  ]);
});

test('a library crate enters through its lib.rs, a gem through lib/<name>.rb', () => {
  const texts: Record<string, string> = {
    'Cargo.toml': '[workspace]\nmembers = ["clap_derive"]\n\n[package]\nname = "clap"\n',
    'clap_derive/Cargo.toml': '[package]\nname = "clap_derive"\n\n[lib]\npath = "src/derive.rs"\nproc-macro = true\n',
    'tools/Cargo.toml': '[package]\nname = "tools"\n',
    'devise.gemspec': 'Gem::Specification.new do |s|\n  s.name        = "devise"\nend\n',
    'rack-protection/rack-protection.gemspec': "$LOAD_PATH.unshift File.expand_path('../lib', __FILE__)\n\nGem::Specification.new 'rack-protection', '2.0' do |s|\nend\n",
  };
  const files = [...Object.keys(texts).map((p) => file(p, null)), file('src/lib.rs', 'rust'), file('clap_derive/src/derive.rs', 'rust'), file('lib/devise.rb', 'ruby'), file('rack-protection/lib/rack-protection.rb', 'ruby')];
  assert.deepEqual(findEntryPoints(files, (p) => texts[p]).map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`), [
    'package Cargo.toml:4 crate `clap` -> `src/lib.rs`',
    'package clap_derive/Cargo.toml:1 crate `clap_derive` -> `clap_derive/src/derive.rs`',
    'package devise.gemspec:2 gem `devise` -> `lib/devise.rb`',
    'package rack-protection/rack-protection.gemspec:3 gem `rack-protection` -> `rack-protection/lib/rack-protection.rb`',
  ]);
});

test('a Go module enters through its root package, named by the file called like it; a root package main is a command', () => {
  const texts: Record<string, string> = {
    'go.mod': '// gin\n\nmodule github.com/gin-gonic/gin\n\ngo 1.18\n',
    'gin.go': 'package gin\n',
    'context.go': 'package gin\n',
  };
  const entries = (t: Record<string, string>, extra: FileAnalysis[] = []): string[] =>
    findEntryPoints([...Object.keys(t).map((p) => file(p, p.endsWith('.go') ? 'go' : null)), ...extra], (p) => t[p])
      .filter((e) => e.kind === 'package').map((e) => `${e.path}:${e.line} ${e.detail}`);
  assert.deepEqual(entries(texts, [file('gin_test.go', 'go'), file('binding/binding.go', 'go')]), ['go.mod:3 import `github.com/gin-gonic/gin` -> `gin.go`']);
  const v3 = { 'go.mod': 'module github.com/urfave/cli/v3\n', 'args.go': 'package cli\n', 'command.go': 'package cli\n' };
  assert.deepEqual(entries(v3), ['go.mod:1 import `github.com/urfave/cli/v3` -> `args.go`'], 'no cli.go or doc.go: the first file');
  assert.deepEqual(entries({ 'go.mod': 'module github.com/junegunn/fzf\n', 'main.go': 'package main\n' }), []);
  assert.deepEqual(entries({ 'go.mod': 'module example.com/tools\n', 'cmd/tool/main.go': 'package main\n' }), [], 'no package at the root');
});

test('a .NET library enters through its project, a Maven or Gradle module through its source root; apps, tests and build logic do not', () => {
  const texts: Record<string, string> = {
    'src/Markdig/Markdig.csproj': '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <PackageId>Markdig</PackageId>\n  </PropertyGroup>\n</Project>\n',
    'src/Markdig.WebApp/Markdig.WebApp.csproj': '<Project>\n  <OutputType>Exe</OutputType>\n</Project>\n',
    'src/Markdig.Signing/Markdig.Signing.csproj': '<Project>\n  <IsPackable>false</IsPackable>\n</Project>\n',
    'src/Markdig.Tests/Markdig.Tests.csproj': '<Project>\n  <PackageReference Include="NUnit" />\n</Project>\n',
    'src/AotCompileTest.Model/AotCompileTest.Model.csproj': '<Project Sdk="Microsoft.NET.Sdk" />\n',
    'Build.csproj': '<Project Sdk="Microsoft.Build.Traversal/3.0.2" />\n',
    'src/Empty/Empty.csproj': '<Project Sdk="Microsoft.NET.Sdk" />\n',
    'pom.xml': '<project>\n  <parent>\n    <groupId>io.jsonwebtoken</groupId>\n    <artifactId>jjwt-root</artifactId>\n  </parent>\n  <artifactId>jjwt</artifactId>\n  <dependencies>\n    <dependency><groupId>org.json</groupId><artifactId>json</artifactId></dependency>\n  </dependencies>\n</project>\n',
    'bom/pom.xml': '<project>\n  <groupId>io.jsonwebtoken</groupId>\n  <artifactId>jjwt-bom</artifactId>\n  <packaging>pom</packaging>\n</project>\n',
    'test-jpms/pom.xml': '<project>\n  <artifactId>test-jpms</artifactId>\n</project>\n',
    'factory/src/it/functional/pom.xml': '<project>\n  <artifactId>functional</artifactId>\n</project>\n',
    'settings.gradle': "rootProject.name = 'picocli'\n",
    'build.gradle': "plugins {\n  id 'java-library'\n}\n",
    'retrofit-adapters/guava/build.gradle': "apply plugin: 'java-library'\n",
    'cli/build.gradle': "apply plugin: 'application'\n",
    'buildSrc/build.gradle.kts': 'plugins { `kotlin-dsl` }\n',
  };
  const sources = ['src/Markdig/Markdown.cs', 'src/Markdig.WebApp/Program.cs', 'src/Markdig.Signing/Signer.cs', 'src/Markdig.Tests/TestParser.cs', 'src/AotCompileTest.Model/Model.cs',
    'src/main/java/io/jsonwebtoken/Jwts.java', 'bom/src/main/java/Bom.java', 'test-jpms/src/main/java/Module.java', 'factory/src/it/functional/src/main/java/F.java',
    'retrofit-adapters/guava/src/main/java/Adapter.java', 'cli/src/main/java/Main.java', 'buildSrc/src/main/kotlin/Conventions.kt'];
  const files = [...Object.keys(texts).map((p) => file(p, null)), ...sources.map((p) => file(p, p.endsWith('.cs') ? 'csharp' : p.endsWith('.kt') ? 'kotlin' : 'java'))];
  assert.deepEqual(findEntryPoints(files, (p) => texts[p]).filter((e) => e.kind === 'package').map((e) => `${e.path}:${e.line} ${e.detail}`), [
    'src/Markdig/Markdig.csproj:3 NuGet package `Markdig` -> `src/Markdig`',
    'pom.xml:6 Maven artifact `io.jsonwebtoken:jjwt` -> `src/main/java`',
    'build.gradle:1 Gradle project `picocli` -> `src/main/java`',
    'retrofit-adapters/guava/build.gradle:1 Gradle project `:retrofit-adapters:guava` -> `retrofit-adapters/guava/src/main/java`',
  ]);
});

test('a package that names only its source folder enters through its facade: the file outside code uses, not the utility its own files share', () => {
  const edges: [string, string, boolean?][] = [
    // Tests and a sample call the facade, which hands on to the parser and the renderer.
    ...['tests/ParseTests.cs', 'tests/RenderTests.cs', 'tests/TableTests.cs', 'samples/Demo.cs'].map((t): [string, string] => [t, 'src/Lib/Markdown.cs']),
    ['src/Lib/Markdown.cs', 'src/Lib/Parser.cs'], ['src/Lib/Markdown.cs', 'src/Lib/Renderer.cs'],
    // The string helper: used by more tests than the facade, and by every file inside.
    ...['src/Lib/Parser.cs', 'src/Lib/Renderer.cs', 'src/Lib/Markdown.cs', 'src/Lib/Block.cs', 'src/Lib/Inline.cs', 'tests/ParseTests.cs', 'tests/RenderTests.cs', 'tests/TableTests.cs', 'tests/A.cs', 'tests/B.cs']
      .map((f): [string, string] => [f, 'src/Lib/StringSlice.cs']),
    // The exception: caught by more tests than call the facade, thrown inside, and using nothing itself.
    ...['tests/ParseTests.cs', 'tests/RenderTests.cs', 'tests/TableTests.cs', 'tests/A.cs', 'tests/B.cs', 'src/Lib/Parser.cs'].map((f): [string, string] => [f, 'src/Lib/LibException.cs']),
    // Linked only by a guessed method call: no use.
    ...['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'].map((t): [string, string, boolean] => [`tests/${t}.cs`, 'src/Lib/Block.cs', true]),
    // A package with one outside user has no facade.
    ['tests/OtherTests.cs', 'src/Other/Other.cs'],
    // Tests inside the folder count as outside it: an npm package's `test/` beside its `src/`.
    ['pkg/test/a.test.ts', 'pkg/src/index.ts'], ['pkg/test/b.test.ts', 'pkg/src/index.ts'], ['pkg/src/index.ts', 'pkg/src/util.ts'],
  ];
  const structure = {
    fileRank: { 'src/Lib/StringSlice.cs': 1, 'src/Lib/Markdown.cs': 0.3, 'src/Lib/Block.cs': 0.5 }, symbols: [], components: [], cycles: [], componentCycles: [], hubs: [],
    edges: edges.map(([from, to, guessed]) => ({ from, to, weight: 1, symbols: [], ...(guessed && { guessed }) })),
  } satisfies Structure;
  const entry = (path: string, root: string, target?: string): EntryPoint => ({ path, line: 1, kind: 'package', detail: `package -> \`${root}\``, root, ...(target && { target }) });
  const isTest = (p: string): boolean => /(^|\/)tests?\//.test(p);
  const out = withFacades([entry('src/Lib/Lib.csproj', 'src/Lib'), entry('src/Other/Other.csproj', 'src/Other'), entry('pkg/package.json', 'pkg'), entry('x/pom.xml', 'x', 'x/Given.java')], structure, isTest);
  assert.deepEqual(out.map((e) => `${e.path} ${e.target ?? '-'}`), ['src/Lib/Lib.csproj src/Lib/Markdown.cs', 'src/Other/Other.csproj -', 'pkg/package.json pkg/src/index.ts', 'x/pom.xml x/Given.java']);
  assert.equal(out[0].detail, 'package -> `src/Lib`, used through `src/Lib/Markdown.cs`');
});

test('an extensionless script in bin/ or exe/ (a gem\'s or package\'s command) is an entry point, once', () => {
  const files = [file('bin/rake', 'ruby'), file('exe/thor', 'ruby'), file('vendor/gems/rack/bin/rackup', 'ruby'), file('bin/setup', null), file('bin/cli.js', 'javascript')];
  assert.deepEqual(findEntryPoints(files, () => '').map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`), [
    'bin bin/rake:1 executable `rake`', 'bin exe/thor:1 executable `thor`',
  ]);
  const composer = JSON.stringify({ name: 'acme/http', bin: ['bin/acme'] });
  const named = findEntryPoints([file('composer.json', null), file('bin/acme', 'php')], (p) => (p === 'composer.json' ? composer : undefined));
  assert.deepEqual(named.map((e) => `${e.kind} ${e.path}`), ['bin composer.json'], 'the manifest names it already');
});

test('a package\'s entry is its `exports` root, or Node\'s default index.js when it declares neither main nor exports', () => {
  const entries = (pkg: object, paths: string[]): string[] =>
    findEntryPoints([file('package.json', null)], () => JSON.stringify(pkg, null, 2), ['package.json', ...paths]).map((e) => `${e.kind} ${e.line} ${e.detail}`);
  assert.deepEqual(entries({ name: 'express', version: '4.0.0' }, ['index.js', 'lib/express.js']), ['package 2 main = index.js (Node\'s default) -> `index.js`']);
  assert.deepEqual(entries({ name: 'lib' }, ['src/lib.js']), [], 'no index.js: nothing to point at');
  assert.deepEqual(entries({ name: 'esm', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.mjs' }, './utils': './dist/utils.mjs' } }, ['dist/index.mjs']), [
    'package 3 exports `.` = ./dist/index.mjs -> `dist/index.mjs`',
  ]);
  assert.deepEqual(entries({ name: 'both', main: './main.js', exports: { require: './main.js', default: './main.mjs' } }, ['main.js', 'index.js']), [
    'package 3 main = ./main.js -> `main.js`',
    'package 4 exports `.` = ./main.js -> `main.js`',
  ]);
});

test('entry points: a program\'s main, not a method called main; decorators that decorate code; a pyproject\'s import package', () => {
  const def = (name: string, kind: string, startLine: number, endLine: number, parent?: string) => ({ name, kind, startLine, endLine, exported: true, parent });
  const files = [
    file('pyproject.toml', null),
    file('src/clicky/__init__.py', 'python'),
    file('src/clicky/core.py', 'python', {
      defs: [def('Command', 'class', 1, 40), def('main', 'method', 3, 4, 'Command'), def('main', 'method', 6, 7, 'Command'), def('group', 'function', 42, 60)],
    }),
    file('tools/run.py', 'python', { defs: [def('main', 'function', 2, 3), def('main', 'function', 5, 6), def('cli', 'function', 10, 11)] }),
    file('src/App.java', 'java', { defs: [def('App', 'class', 1, 9), def('main', 'method', 2, 4, 'App')] }),
  ];
  const texts: Record<string, string> = {
    'pyproject.toml': '[project]\nname = "Clicky"\n\n[project.scripts]\nclicky = "clicky.core:main"\n',
    'src/clicky/core.py': `${'\n'.repeat(43)}    """Example::\n\n        @click.group()\n        def cli():\n            pass\n    """\n`,
    // The `__main__` guard runs the file's `main()`: one entry point, not two.
    'tools/run.py': `${'\n'.repeat(8)}@click.command()\ndef cli():\n    pass\nif __name__ == "__main__":\n    main()\n`,
  };
  const summary = findEntryPoints(files, (p) => texts[p]).map((e) => `${e.kind} ${e.path}:${e.line} ${e.detail}`).sort();
  assert.deepEqual(summary, [
    'bin pyproject.toml:5 script `clicky` = clicky.core:main',
    'command tools/run.py:9 click command',
    'main src/App.java:2 `main()`',
    'main tools/run.py:5 `main()`',
    'package pyproject.toml:2 import `clicky` -> `src/clicky/__init__.py`',
  ]);
  // setup.py's literal name or packages, setup.cfg's [metadata] name: once per package, with or without a pyproject.
  const legacy = [file('setup.py', null), file('setup.cfg', null), file('requests/__init__.py', 'python'), file('tqdm/__init__.py', 'python')];
  const legacyTexts: Record<string, string> = {
    'setup.py': "about = {}\npackages = ['requests']\nsetup(name=about['__title__'], packages=packages)\n",
    'setup.cfg': '[bdist_wheel]\nname = wheel\n[metadata]\nname = tqdm\n',
  };
  assert.deepEqual(findEntryPoints(legacy, (p) => legacyTexts[p]).map((e) => `${e.path}:${e.line} ${e.target}`), ['setup.py:2 requests/__init__.py', 'setup.cfg:4 tqdm/__init__.py']);
  const both = findEntryPoints([...files, file('setup.py', null)], (p) => (p === 'setup.py' ? 'setup(name="clicky")\n' : texts[p]));
  assert.equal(both.filter((e) => e.kind === 'package').length, 1, 'a setup.py naming the package a pyproject names adds nothing');
  const c = [
    file('src/server.c', 'c', { defs: [def('main', 'function', 3, 9)] }),
    file('src/crc64.c', 'c', { defs: [def('crc64', 'function', 1, 2), def('main', 'function', 5, 8)] }),
    // `#ifdef _UNICODE int wmain(...) #else int main(...) #endif { ... }`: tree-sitter sees no function here.
    file('src/tool_main.c', 'c', { defs: [def('main_checkfds', 'function', 1, 3)] }),
    file('src/tool_util.c', 'c', { defs: [def('tool_util', 'function', 1, 3)] }),
  ];
  const cTexts: Record<string, string> = {
    'src/server.c': '#include "server.h"\n\nint main(void) {\n',
    'src/crc64.c': 'int crc64(void) {\n}\n\n#ifdef REDIS_TEST\nint main(void) {\n',
    'src/tool_main.c': 'static int main_checkfds(void)\n{\n}\n#ifdef _UNICODE\nint wmain(int argc, wchar_t *argv[])\n#else\nint main(int argc, char *argv[])\n#endif\n{\n',
    'src/tool_util.c': 'int tool_util(void)\n{\n}\n/* int main(void) is in tool_main.c */\n',
  };
  assert.deepEqual(findEntryPoints(c, (p) => cTexts[p]).map((e) => `${e.path}:${e.line} ${e.detail} ${e.conditional ?? false}`), [
    'src/server.c:3 `main()` false',
    'src/crc64.c:5 `main()` (under `#if`) true',
    'src/tool_main.c:7 `main()` false',
  ]);
  // Past 60 of a kind, the project's own entry points are kept before the examples'.
  const examples = Array.from({ length: 61 }, (_, i) => file(`docs/examples/e${i}.c`, 'c', { defs: [def('main', 'function', 3, 9)] }));
  const crowded = findEntryPoints([...examples, file('src/zmain.c', 'c', { defs: [def('main', 'function', 3, 9)] })], () => 'int main(void) {\n');
  assert.equal(crowded.length, 60);
  assert.equal(crowded[0].path, 'src/zmain.c');
  const manifestOnly = findEntryPoints([files[0]], (p) => texts[p], files.map((f) => f.path));
  assert.ok(manifestOnly.some((e) => e.kind === 'package'), 'an edited manifest alone still points into the whole folder');
});

test('a function defined inside another function links no file to it', () => {
  const def = (name: string, kind: string, startLine: number, endLine: number) => ({ name, kind, startLine, endLine, exported: false });
  const files = [
    file('pkg/compat.py', 'python', { defs: [def('make_stream', 'function', 1, 20), def('stream_func', 'function', 4, 9), def('open_stream', 'function', 22, 30)] }),
    file('pkg/a.py', 'python', { refs: [{ name: 'stream_func', line: 3, kind: 'function' }, { name: 'open_stream', line: 4, kind: 'function' }] }),
    file('pkg/b.py', 'python', { refs: [{ name: 'stream_func', line: 3, kind: 'function' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to} ${e.symbols.join(',')}`);
  assert.deepEqual(edges, ['pkg/a.py -> pkg/compat.py open_stream']);
});

test('architecture and file notes cite only lines that exist', () => {
  const files = new Map(sampleRepo().map((f) => [f.path, f]));
  const structure = buildStructure([...files.values()]);
  const notes = [
    ...buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints: [{ path: 'src/cli/main.ts', line: 999, kind: 'main', detail: 'main()' }], history: noHistory, now: 'now' }),
    ...buildFileCards({ files, structure, history: noHistory, now: 'now' }),
  ];
  const overview = notes.find((n) => n.id === 'architecture:overview')!;
  assert.match(overview.body, /## Components/);
  assert.match(overview.body, /`src\/core\/types.ts:3`/);
  assert.match(overview.body, /\(rank [\d.]+, used by 1 file\)/, 'one user is one file');
  assert.ok(notes.some((n) => n.id === 'architecture:component:src/core'));
  assert.ok(notes.some((n) => n.id === 'file:src/core/store.ts' && /Keeps notes on disk/.test(n.body)));
  for (const n of notes) {
    assert.doesNotMatch(n.body, /[.!?]\.$/m, `${n.id} ends no sentence twice`);
    assert.ok(n.evidence.length > 0, `${n.id} has evidence`);
    for (const e of n.evidence) {
      const f = files.get(e.path)!;
      assert.ok(e.startLine >= 1 && e.endLine <= f.lines && e.startLine <= e.endLine, `${n.id} cites ${e.path}:${e.startLine}-${e.endLine}`);
      assert.equal(n.dependsOn[e.path], f.hash);
    }
  }
});

test('the overview lists a symbol defined in several files once, at its most central definition', () => {
  // Each header guards its own copy of the export macro; every source file includes them all.
  const exportMacro = { name: 'JSON_EXPORT', kind: 'constant', startLine: 3, endLine: 3, exported: true };
  const headers = ['json_types.h', 'printbuf.h', 'debug.h'].map((p, i) =>
    file(p, 'c', { lines: 20, defs: [exportMacro, { name: `type${i}`, kind: 'type', startLine: 5, endLine: 5, exported: true }] }));
  const sources = ['a.c', 'b.c', 'c.c', 'd.c'].map((p, i) => file(p, 'c', {
    lines: 20,
    imports: headers.map((h, j) => ({ source: h.path, line: j + 1 })),
    refs: [{ name: 'JSON_EXPORT', line: 4, kind: 'ref' }, { name: `type${i % 3}`, line: 5, kind: 'type' }],
    defs: [{ name: `run${i}`, kind: 'function', startLine: 6, endLine: 9, exported: true }],
  }));
  const list = [...headers, ...sources];
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files: new Map(list.map((f) => [f.path, f])), structure: buildStructure(list), entryPoints: [], history: noHistory, now: 'now' });
  const symbols = overview.body.split('## Central symbols')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  const macro = symbols.filter((l) => l.includes('`JSON_EXPORT`'));
  assert.equal(macro.length, 1, symbols.join('\n'));
  assert.match(macro[0], /, and 2 other definitions\)/);
  assert.ok(symbols.some((l) => l.includes('`type0`')), 'the room it left goes to other symbols');
});

test('the overview puts the project\'s own code before vendored code, examples and tests', () => {
  const header = (path: string): FileAnalysis =>
    file(path, 'c', { defs: [{ name: 'u64', kind: 'type', startLine: 2, endLine: 2, exported: true }] });
  // Every file includes the vendored header: it is the most central file of the graph.
  const users = ['src/server.c', 'src/db.c', 'examples/a/one.c', 'examples/b/two.c', 'examples/c/three.c', 'examples/d/four.c', 'examples/d/five.c'];
  const list = [
    header('deps/vendor/stdint.h'),
    ...users.map((p) => file(p, 'c', {
      imports: [{ source: 'stdint.h', line: 1 }, ...(p === 'src/db.c' ? [] : [{ source: p.startsWith('src/') ? 'db.c' : '../../src/db.c', line: 2 }])],
      refs: [{ name: 'u64', line: 3, kind: 'type' }, ...(p === 'src/db.c' ? [] : [{ name: 'lookup', line: 3, kind: 'call' }])],
      defs: [{ name: p === 'src/db.c' ? 'lookup' : 'main', kind: 'function', startLine: 4, endLine: 9, exported: true }],
    })),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  const structure = buildStructure(list);
  assert.ok(structure.fileRank['deps/vendor/stdint.h'] > structure.fileRank['src/db.c'], 'the vendored header ranks first in the graph');
  const entryPoints = users.filter((p) => p !== 'src/db.c').map((p) => ({ path: p, line: 4, kind: 'main' as const, detail: 'main()' }));
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints, history: noHistory, now: 'now' });
  const section = (title: string): string => overview.body.split(`## ${title}`)[1].split('\n## ')[0];
  const rows = section('Components').split('\n').filter((l) => l.startsWith('| `'));
  assert.match(rows[0], /^\| `src` /);
  const central = section('Most central files').split('\n').filter((l) => l.startsWith('- '));
  assert.match(central[0], /src\//, 'own files lead the central files');
  assert.ok(central.some((l) => l.includes('deps/vendor/stdint.h')), 'vendored files still follow when there is room');
  const entries = section('Entry points').split('\n').filter((l) => l.startsWith('- '));
  assert.match(entries[0], /src\/server\.c/);
  assert.equal(entries.filter((l) => l.includes('examples/') && !l.startsWith('- and')).length, 3, 'at most 3 from the examples, whatever their sub-folders');
  assert.match(entries[entries.length - 1], /^- and 2 more: 2 in `examples\/d`\.$/);
  const items = (title: string): string[] => section(title).split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(items('Central symbols').map((l) => /`(\w+)`/.exec(l)?.[1]), ['lookup', 'u64'], 'the own symbol leads though the vendored one has more users');
  assert.deepEqual(items('Hubs').map((l) => /`([^:`]+)/.exec(l)?.[1]), ['src/db.c', 'deps/vendor/stdint.h']);
});

test('the overview shows at most three routes of one file, so one file of registrations does not fill the entry points', () => {
  const list = [file('middleware/profiler.go', 'go'), file('main.go', 'go')];
  const files = new Map(list.map((f) => [f.path, f]));
  const routes = ['/pprof', '/pprof/cmdline', '/pprof/heap', '/pprof/block', '/vars'].map((r, i) => ({ path: 'middleware/profiler.go', line: 10 + i, kind: 'route' as const, detail: `HANDLE ${r}` }));
  const entryPoints = [...routes, { path: 'main.go', line: 3, kind: 'main' as const, detail: 'main()' }];
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files, structure: buildStructure(list), entryPoints, history: noHistory, now: 'now' });
  const entries = overview.body.split('## Entry points')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(entries, [
    '- main: main() (`main.go:3`)',
    '- route: HANDLE /pprof (`middleware/profiler.go:10`)',
    '- route: HANDLE /pprof/cmdline (`middleware/profiler.go:11`)',
    '- route: HANDLE /pprof/heap (`middleware/profiler.go:12`)',
    '- and 2 more: 2 in `middleware`.',
  ]);
});

test('the overview lists a package\'s own entry before the demos its modules run under `__main__` guards, three of them', () => {
  const modules = ['console', 'text', 'table', 'panel', 'color'].map((m) => `rich/${m}.py`);
  const list = [...modules, 'rich/__main__.py'].map((p) => file(p, 'python'));
  const files = new Map(list.map((f) => [f.path, f]));
  const guard = findEntryPoints([file('demo.py', 'python')], () => 'if __name__ == "__main__":\n    demo()\n')[0];
  const entryPoints = [
    ...modules.map((p) => ({ ...guard, path: p, line: 90 })),
    ...findEntryPoints([file('rich/__main__.py', 'python')], () => 'from rich.console import Console\n'),
  ];
  const [overview] = buildArchitectureNotes({ repoName: 'rich', files, structure: buildStructure(list), entryPoints, history: noHistory, now: 'now' });
  const entries = overview.body.split('## Entry points')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.match(entries[0], /python -m.*rich\/__main__\.py:1/);
  assert.equal(entries.filter((l) => l.includes('__name__')).length, 3);
  assert.match(entries[entries.length - 1], /^- and 2 more: 2 in `rich`\.$/);
});

test('the overview lists the root project\'s package before a sub-project\'s (sinatra before its rack-protection)', () => {
  const list = [file('lib/sinatra.rb', 'ruby'), file('rack-protection/lib/rack-protection.rb', 'ruby', { refs: [{ name: 'x', line: 1, kind: 'call' }] })];
  const files = new Map(list.map((f) => [f.path, f]));
  const entryPoints = [
    { path: 'rack-protection/rack-protection.gemspec', line: 6, kind: 'package' as const, detail: 'gem `rack-protection`', target: 'rack-protection/lib/rack-protection.rb' },
    { path: 'sinatra.gemspec', line: 4, kind: 'package' as const, detail: 'gem `sinatra`', target: 'lib/sinatra.rb' },
  ];
  const [overview] = buildArchitectureNotes({ repoName: 'sinatra', files, structure: buildStructure(list), entryPoints, history: noHistory, now: 'now' });
  const entries = overview.body.split('## Entry points')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(entries, ['- package: gem `sinatra` (`sinatra.gemspec`)', '- package: gem `rack-protection` (`rack-protection/rack-protection.gemspec`)']);
});

test('the overview cites a package index at its own code, not at the first name it hands on', () => {
  const list = [
    file('index.js', 'javascript', {
      imports: [{ source: './lib/pool', line: 1 }],
      defs: [{ name: 'Pool', kind: 'constant', startLine: 4, endLine: 4, exported: true, alias: true }, { name: 'fetch', kind: 'function', startLine: 9, endLine: 20, exported: true }],
    }),
    file('lib/pool.js', 'javascript', { defs: [{ name: 'Pool', kind: 'class', startLine: 1, endLine: 40, exported: true }] }),
    ...['a', 'b', 'c'].map((n) => file(`src/${n}.js`, 'javascript', { imports: [{ source: '../index', line: 1 }], refs: [{ name: 'fetch', line: 3, kind: 'function' }] })),
  ];
  const structure = buildStructure(list);
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files: new Map(list.map((f) => [f.path, f])), structure, entryPoints: [], history: noHistory, now: 'now' });
  assert.match(overview.body, /`index\.js:9`/);
  assert.doesNotMatch(overview.body, /index\.js:4\b/);
});

test('the overview lists packages by the rank of the file each enters through, those with none after', () => {
  const list = ['src/Core/Factory.cs', 'src/Db/DbTarget.cs', 'src/Reg/Registry.cs'].map((p) => file(p, 'csharp', { defs: [{ name: p.split('/')[2].slice(0, -3), kind: 'class', startLine: 1, endLine: 9, exported: true }] }));
  const structure = { ...buildStructure(list), fileRank: { 'src/Core/Factory.cs': 1, 'src/Db/DbTarget.cs': 0.4, 'src/Reg/Registry.cs': 0.7 } };
  const pkg = (name: string, target?: string): EntryPoint => ({ path: `src/${name}/${name}.csproj`, line: 1, kind: 'package', detail: `NuGet package \`${name}\``, root: `src/${name}`, ...(target && { target }) });
  const entryPoints = [pkg('Reg'), pkg('Db', 'src/Db/DbTarget.cs'), pkg('Core', 'src/Core/Factory.cs')];
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files: new Map(list.map((f) => [f.path, f])), structure, entryPoints, history: noHistory, now: 'now' });
  const listed = overview.body.split('## Entry points')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- ')).map((l) => /`(\w+)`/.exec(l)?.[1]);
  assert.deepEqual(listed, ['Core', 'Db', 'Reg']);
});

test('the overview puts a package\'s code before its type declarations, which stay listed after it', () => {
  const users = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts'];
  const list = [
    file('types/index.d.ts', 'typescript', { defs: [{ name: 'Options', kind: 'interface', startLine: 2, endLine: 9, exported: true }] }),
    file('src/core.ts', 'typescript', { defs: [{ name: 'run', kind: 'function', startLine: 3, endLine: 20, exported: true }] }),
    ...users.map((p) => file(p, 'typescript', {
      imports: [{ source: '../types/index', line: 1 }, ...(p === 'src/d.ts' ? [] : [{ source: './core', line: 2 }])],
      refs: [{ name: 'Options', line: 3, kind: 'type' }, ...(p === 'src/d.ts' ? [] : [{ name: 'run', line: 4, kind: 'call' }])],
      defs: [{ name: `main${p.slice(4, 5)}`, kind: 'function', startLine: 5, endLine: 9, exported: true }],
    })),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  const structure = buildStructure(list);
  assert.ok(structure.fileRank['types/index.d.ts'] > structure.fileRank['src/core.ts'], 'the declarations rank first in the graph');
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints: [], history: noHistory, now: 'now' });
  const items = (title: string): string[] => overview.body.split(`## ${title}`)[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.match(items('Most central files')[0], /src\/core\.ts/);
  assert.ok(items('Most central files').some((l) => l.includes('types/index.d.ts')), 'still listed');
  assert.deepEqual(items('Hubs').map((l) => /`([^:`]+)/.exec(l)?.[1]), ['src/core.ts', 'types/index.d.ts']);
});

test('a component is described by the file that opens its package, not by whichever of its files has a doc', () => {
  const fn = (name: string) => [{ name, kind: 'function', startLine: 2, endLine: 9, exported: true }];
  const list = [
    file('src/middleware/basic-auth/index.ts', 'typescript', { doc: 'Basic Auth Middleware for Hono.', defs: fn('basicAuth') }),
    file('src/middleware/cors/index.ts', 'typescript', { defs: fn('cors') }),
    file('src/spew/doc.go', 'go', { doc: 'Package spew implements a deep pretty printer.' }),
    file('src/spew/common.go', 'go', { doc: 'Unsafe pointer helpers.', defs: fn('Dump') }),
    file('clap_derive/src/lib.rs', 'rust', { doc: 'Derive macros for clap.', defs: fn('derive_parser') }),
    file('clap_derive/src/attrs.rs', 'rust', { doc: 'Attribute parsing.', defs: fn('parse') }),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  const structure = buildStructure(list);
  const notes = buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints: [], history: noHistory, now: 'now' });
  const lead = (id: string): string | undefined => notes.find((n) => n.id === `architecture:component:${id}`)?.body.split('\n')[4];
  assert.equal(lead('src/spew'), 'Package spew implements a deep pretty printer.');
  assert.equal(lead('clap_derive'), 'Derive macros for clap.');
  assert.equal(lead('src/middleware'), '## Key files', 'one middleware\'s doc does not describe them all');
});

test("a key file is told by the types it holds, not by the file-scoped namespace around them (C#'s `namespace X;`), internal ones too", () => {
  const ns = (name: string, startLine = 10) => ({ name, kind: 'module', startLine, endLine: 400, exported: true });
  const list = [
    file('src/Registration/ServiceRegistrar.cs', 'csharp', { defs: [ns('Acme.Registration'), { name: 'ServiceRegistrar', kind: 'class', startLine: 12, endLine: 400, exported: true, parent: 'Acme.Registration' }] }),
    file('src/Internal/HandlersOrderer.cs', 'csharp', { defs: [ns('Acme.Internal', 1), { name: 'HandlersOrderer', kind: 'class', startLine: 3, endLine: 40, exported: false, parent: 'Acme.Internal' }] }),
    file('src/Internal/Empty.cs', 'csharp', { defs: [ns('Acme.Internal')] }),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  const notes = buildArchitectureNotes({ repoName: 'demo', files, structure: buildStructure(list), entryPoints: [], history: noHistory, now: 'now' });
  const keyFiles = (id: string): string[] => notes.find((n) => n.id === `architecture:component:${id}`)!.body.split('\n').filter((l) => l.startsWith('- `src/'));
  assert.deepEqual(keyFiles('src/Registration'), ['- `src/Registration/ServiceRegistrar.cs:12`: `ServiceRegistrar`']);
  assert.deepEqual(keyFiles('src/Internal').sort(), ['- `src/Internal/Empty.cs:10`: `Acme.Internal`', '- `src/Internal/HandlersOrderer.cs:3`: `HandlersOrderer`']);
});

test('a barrel whose names the importer never uses by name (a default export handed on) is still what it imports', () => {
  const files = [
    file('knex.js', 'javascript', { imports: [{ source: './lib/index', line: 8 }], refs: [{ name: 'knex', line: 20, kind: 'call' }] }),
    file('lib/index.js', 'javascript', { imports: [{ source: './knex-builder/Knex', line: 1 }] }),
    file('lib/knex-builder/Knex.js', 'javascript', { defs: [{ name: 'Knex', kind: 'function', startLine: 3, endLine: 40, exported: true }] }),
    file('lib/client.js', 'javascript', { imports: [{ source: './index', line: 2 }], refs: [{ name: 'Knex', line: 9, kind: 'call' }] }),
  ];
  const edges = buildStructure(files).edges.map((e) => `${e.from} -> ${e.to}${e.importLine ? `:${e.importLine}` : ''}`).sort();
  assert.deepEqual(edges, ['knex.js -> lib/index.js:8', 'lib/client.js -> lib/knex-builder/Knex.js:2', 'lib/index.js -> lib/knex-builder/Knex.js:1'],
    'a name used through the barrel still reaches the module that defines it, not the barrel');
});

test('a CommonJS index that only hands names on (`module.exports.Pool = Pool`) is a barrel: their uses reach where they are defined', () => {
  const alias = (name: string, line: number) => ({ name, kind: 'constant', startLine: line, endLine: line, exported: true, alias: true as const });
  const files = [
    file('index.js', 'javascript', { imports: [{ source: './lib/pool', line: 1 }, { source: './lib/agent', line: 2 }], defs: [alias('Pool', 4), alias('Agent', 5)] }),
    file('lib/pool.js', 'javascript', { defs: [{ name: 'Pool', kind: 'class', startLine: 1, endLine: 40, exported: true }] }),
    file('lib/agent.js', 'javascript', { defs: [{ name: 'Agent', kind: 'class', startLine: 1, endLine: 40, exported: true }] }),
    file('app.js', 'javascript', { imports: [{ source: './index', line: 1 }], refs: [{ name: 'Pool', line: 3, kind: 'call' }] }),
  ];
  const s = buildStructure(files);
  const edges = s.edges.map((e) => `${e.from} -> ${e.to}`).sort();
  assert.deepEqual(edges, ['app.js -> lib/pool.js', 'index.js -> lib/agent.js', 'index.js -> lib/pool.js']);
  assert.deepEqual(s.symbols.map((x) => `${x.path}:${x.name}`), ['lib/pool.js:Pool'], 'the index\'s Pool is no definition of its own');
});

test('a barrel that only re-exports is a hub, not one of the most central files', () => {
  const defs = (name: string) => ({ defs: [{ name, kind: 'function', startLine: 2, endLine: 9, exported: true }] });
  const list = [
    file('src/index.ts', 'typescript', { imports: [{ source: './core', line: 1 }, { source: './util', line: 2 }, { source: './io', line: 3 }] }),
    file('src/core.ts', 'typescript', defs('run')),
    file('src/util.ts', 'typescript', defs('clamp')),
    file('src/io.ts', 'typescript', defs('read')),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  // As in tRPC, where 118 files import `export *` barrels: the barrel ranks first.
  const structure = {
    ...buildStructure(list),
    fileRank: { 'src/index.ts': 1, 'src/core.ts': 0.6, 'src/util.ts': 0.5, 'src/io.ts': 0.4 },
    hubs: [{ path: 'src/index.ts', usedBy: 118, uses: 3 }],
  };
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints: [], history: noHistory, now: 'now' });
  const items = (title: string): string[] => overview.body.split(`## ${title}`)[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(items('Most central files').map((l) => /`([^:`]+)/.exec(l)?.[1]), ['src/core.ts', 'src/util.ts', 'src/io.ts']);
  assert.deepEqual(items('Hubs').map((l) => /`([^:`]+)/.exec(l)?.[1]), ['src/index.ts']);
  const few = buildArchitectureNotes({ repoName: 'demo', files: new Map([...files].slice(0, 3)), structure, entryPoints: [], history: noHistory, now: 'now' })[0];
  assert.match(few.body.split('## Most central files')[1], /src\/index\.ts/, 'with fewer than three defining files, every file stays a candidate');
});

test('files that only define error types step out of the most central files, and are named after them', () => {
  const def = (name: string, kind = 'class', parent?: string) => ({ name, kind, startLine: 2, endLine: 9, exported: true, parent });
  const list = [
    file('src/Exception/InvalidArgumentException.php', 'php', { defs: [def('Console\\Exception', 'module'), def('InvalidArgumentException'), def('__construct', 'method', 'InvalidArgumentException')] }),
    file('src/Application.php', 'php', { defs: [def('Application'), def('run', 'method', 'Application')] }),
    file('src/Command.php', 'php', { defs: [def('Command')] }),
    file('src/Input.php', 'php', { defs: [def('Input'), def('ParseError')] }),
    file('src/Exception/ExceptionInterface.php', 'php', { defs: [def('ExceptionInterface', 'interface')] }),
    file('src/exceptions.py', 'python', { defs: [def('SCHEMA', 'constant'), def('MarshmallowError'), def('ValidationError'), def('__init__', 'method', 'ValidationError')] }),
  ];
  const files = new Map(list.map((f) => [f.path, f]));
  const structure = { ...buildStructure(list), fileRank: { 'src/Exception/InvalidArgumentException.php': 1, 'src/exceptions.py': 0.9, 'src/Application.php': 0.7, 'src/Exception/ExceptionInterface.php': 0.6, 'src/Command.php': 0.5, 'src/Input.php': 0.4 } };
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files, structure, entryPoints: [], history: noHistory, now: 'now' });
  const items = overview.body.split('## Most central files')[1].split('\n## ')[0].split('\n').filter((l) => l.startsWith('- '));
  assert.deepEqual(items.map((l) => /`([^:`]+)/.exec(l)?.[1]), ['src/Application.php', 'src/Command.php', 'src/Input.php', 'src/Exception/InvalidArgumentException.php']);
  assert.match(items[3], /InvalidArgumentException\.php:2`, `src\/exceptions\.py:2`, `src\/Exception\/ExceptionInterface\.php:2`/);
  assert.match(items[3], /^- Left out, though they rank higher: .*, which only define error types\.$/);
});

test('a central file "defines" its own symbols, not the namespace around them (unless that is all it has)', () => {
  const ns = (name: string) => ({ name, kind: 'module', startLine: 1, endLine: 40, exported: true });
  const internal = (name: string, line: number) => ({ name, kind: 'constant', startLine: line, endLine: line, exported: false });
  const list = [
    file('src/Util/Validation.cs', 'csharp', { defs: [ns('Acme.Util'), { name: 'ArgumentNotNull', kind: 'method', startLine: 5, endLine: 9, exported: true }] }),
    file('src/Util/Marker.cs', 'csharp', { defs: [ns('Acme.Util.Markers')] }),
    ...['src/A.cs', 'src/B.cs'].map((p) => file(p, 'csharp', {
      imports: [{ source: 'Acme.Util', line: 1 }],
      refs: [{ name: 'ArgumentNotNull', line: 3, kind: 'call' }, { name: 'Markers', line: 4, kind: 'type' }],
    })),
    // `const levelSym = Symbol('level')` ... `module.exports = { levelSym, mixinSym }`: its names are its own, though none is exported.
    file('lib/symbols.js', 'javascript', { defs: [internal('_cache', 2), internal('levelSym', 3), internal('mixinSym', 4)] }),
    ...['lib/a.js', 'lib/b.js'].map((p) => file(p, 'javascript', { imports: [{ source: './symbols', line: 1 }] })),
  ];
  const structure = buildStructure(list);
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files: new Map(list.map((f) => [f.path, f])), structure, entryPoints: [], history: noHistory, now: 'now' });
  const line = (p: string): string | undefined => overview.body.split('\n').find((l) => l.startsWith(`- \`${p}`));
  assert.match(line('src/Util/Validation.cs') ?? '', /defines `ArgumentNotNull`$/);
  assert.match(line('src/Util/Marker.cs') ?? '', /defines `Acme\.Util\.Markers`/);
  assert.match(line('lib/symbols.js') ?? '', /defines `levelSym`, `mixinSym`$/);
});

test('a component depends on what its code uses, not on what the tests inside it use', () => {
  const list = [
    file('client/src/main/Client.ts', 'typescript', { imports: [{ source: '../../../core/pool', line: 1 }], refs: [{ name: 'Pool', line: 3, kind: 'type' }] }),
    file('client/src/jvmTest/Client.test.ts', 'typescript', { imports: [{ source: '../../../fakes/server', line: 1 }, { source: '../main/Client', line: 2 }] }),
    file('core/pool.ts', 'typescript', { defs: [{ name: 'Pool', kind: 'class', startLine: 1, endLine: 9, exported: true }] }),
    file('fakes/server.ts', 'typescript', { imports: [{ source: '../client/src/main/Client', line: 1 }] }),
    file('tests/e2e.test.ts', 'typescript', { imports: [{ source: '../fakes/server', line: 1 }, { source: '../core/pool', line: 2 }] }),
  ];
  const s = buildStructure(list);
  const deps = (id: string): string[] => s.components.find((c) => c.id === id)!.dependsOn.map((d) => d.component).sort();
  assert.deepEqual(deps('client'), ['core'], 'the test inside client/ does not make client depend on fakes/');
  assert.deepEqual(deps('tests'), ['core', 'fakes'], 'a component of tests keeps its dependencies');
  assert.deepEqual(s.componentCycles, [], 'no client <-> fakes cycle made by a test');
});

test('components are cut along the project own code; docs, examples, tests and vendored code stay whole and are listed after it', () => {
  const files: FileAnalysis[] = [];
  for (const sub of ['security', 'openapi', 'routing']) for (let i = 0; i < 3; i++) files.push(file(`app/${sub}/m${i}.py`, 'python'));
  files.push(file('app/__init__.py', 'python'));
  for (let t = 0; t < 30; t++) for (let i = 0; i < 3; i++) files.push(file(`docs_src/tutorial${t}/step${i}.py`, 'python', { imports: [{ source: 'app', line: 1 }] }));
  files.push(file('tests/test_app.py', 'python'), file('third_party/yaml/scanner.py', 'python'), file('.github/scripts/release.py', 'python'));
  const structure = buildStructure(files);
  const ids = structure.components.map((c) => c.id).sort();
  assert.deepEqual(ids, ['.github', 'app', 'app/openapi', 'app/routing', 'app/security', 'docs_src', 'tests', 'third_party']);
  const [overview, ...componentNotes] = buildArchitectureNotes({ repoName: 'demo', files: new Map(files.map((f) => [f.path, f])), structure, entryPoints: [], history: noHistory, now: '2025-01-01T00:00:00Z' });
  assert.match(overview.body, /^103 source files, 5,150 lines \(python 103\), in 8 components\./m);
  assert.match(componentNotes.find((n) => n.subject === 'tests')!.body, /^1 file, 50 lines \(python 1\)\./m);
  const table = overview.body.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('`')[1]);
  assert.deepEqual(table.slice(0, 4).sort(), ['app', 'app/openapi', 'app/routing', 'app/security'], 'the project own components lead the table');
  assert.deepEqual(table.slice(4).sort(), ['.github', 'docs_src', 'tests', 'third_party']);
});

test('folders of one kind (translations, plugins) make one component; folders of different files are cut', () => {
  const files: FileAnalysis[] = [file('pkg/core.py', 'python'), file('pkg/tz/zone.py', 'python'), file('pkg/tz/local.py', 'python')];
  for (const locale of ['de', 'en', 'fr', 'ko', 'zh']) for (const name of ['__init__', 'custom', 'locale']) files.push(file(`pkg/locales/${locale}/${name}.py`, 'python'));
  files.push(file('pkg/locales/locale.py', 'python'), file('pkg/locales/fr/extra.py', 'python'));
  const ids = buildStructure(files).components.map((c) => c.id).sort();
  assert.deepEqual(ids, ['pkg', 'pkg/locales', 'pkg/tz'], 'four of five locales hold the same files');
  const unlike = files.map((f) => (f.path.includes('/ko/') || f.path.includes('/zh/') ? { ...f, path: f.path.replace(/(custom|locale)\.py$/, 'other_$1.py') } : f));
  assert.deepEqual(buildStructure(unlike).components.map((c) => c.id).sort(), ['pkg', 'pkg/locales', 'pkg/locales/de', 'pkg/locales/en', 'pkg/locales/fr', 'pkg/locales/ko', 'pkg/locales/zh', 'pkg/tz'], 'three of five alike are too few');
});

test('a deep package path (src/main/java/org/acme/commons/lib) is passed through to the packages beneath it', () => {
  const base = 'src/main/java/org/acme/commons/lib';
  const files: FileAnalysis[] = [];
  for (const sub of ['builder', 'reflect', 'text']) for (let i = 0; i < 3; i++) files.push(file(`${base}/${sub}/C${i}.java`, 'java'));
  for (let i = 0; i < 3; i++) files.push(file(`${base}/Util${i}.java`, 'java'), file(`src/test/java/org/acme/commons/lib/Util${i}Test.java`, 'java'));
  const ids = buildStructure(files).components.map((c) => c.id).sort();
  assert.deepEqual(ids, [base, `${base}/builder`, `${base}/reflect`, `${base}/text`, 'src/test']);
});

test('a gem\'s lib/pry.rb beside lib/pry/ is passed through to the folders beneath; a flat lib/pry/ stays one component', () => {
  const files: FileAnalysis[] = [file('lib/pry.rb', 'ruby'), file('bin/pry', 'ruby')];
  for (const sub of ['commands', 'helpers', 'config']) for (let i = 0; i < 3; i++) files.push(file(`lib/pry/${sub}/m${i}.rb`, 'ruby'));
  for (let i = 0; i < 3; i++) files.push(file(`lib/pry/core${i}.rb`, 'ruby'), file(`spec/core${i}_spec.rb`, 'ruby'));
  const ids = (list: FileAnalysis[]): string[] => buildStructure(list).components.map((c) => c.id).sort();
  assert.deepEqual(ids(files), ['bin', 'lib', 'lib/pry', 'lib/pry/commands', 'lib/pry/config', 'lib/pry/helpers', 'spec']);
  const flat = files.map((f) => ({ ...f, path: f.path.replace(/^lib\/pry\/(commands|helpers|config)\//, 'lib/pry/$1_') }));
  assert.deepEqual(ids(flat), ['bin', 'lib', 'spec'], 'nothing beneath lib/pry to split');
  const crowded = [...files, file('lib/version.rb', 'ruby'), file('lib/compat.rb', 'ruby')];
  assert.deepEqual(ids(crowded), ['bin', 'lib', 'spec'], 'three files beside lib/pry are a folder of their own');
});

test('examples, docs snippets, benchmarks, performance tests, bundled and vendored copies and CMake\'s feature tests are peripheral; folders that only start alike are not', () => {
  for (const p of [
    'examples/a.c', 'docs/examples/b.c', 'CMake/CurlTests.c', 'cmake-modules/x.c', 'benchmarks/x.go', 'benches/parse.rs', 'perftests/bench2/src/Utils.scala',
    '_examples/rest/main.go', 'src/Snippets/Docs/Retry.cs', '__performance_tests__/measure.mjs', 'perf-testing/read.js', 'include/spdlog/fmt/bundled/core.h',
    'bench/Polly.Benchmarks/Retry.cs', 'retrofit-samples/src/Main.java', 'src/AutoMapperSamples/Flattening.cs', 'spring-boot-docs/x.java',
    'test/googletest-1.16.0/src/gtest.cc', 'third/lua-5.4.6/lapi.c', 'src/MediatR.Examples.AspNetCore/Program.cs',
    'src/pip/_vendor/requests/api.py', 'vendored/lib.rs', 'src/Web/Scripts/jquery-2.1.3.js', 'wwwroot/js/modernizr-2.8.3.min.js', 'static/bootstrap-5.3.0.css', 'Scripts/jquery.validate-vsdoc.js',
  ]) {
    assert.ok(isPeripheralPath(p), p);
  }
  for (const p of [
    'src/cmakeparse/x.c', 'docsite/x.ts', 'src/main.c', 'src/performance/x.ts', 'benchtop/x.c', 'src/CsvHelper.DocsGenerator/x.cs',
    'src/DocsWriter/x.cs', 'lib/examplesort/x.rb', 'src/Resamples/x.cs', 'api/v1.2/x.go', 'src/python3.11/x.py',
    'src/es2015.js', 'lib/vendors/x.ts', 'lib/v8-compat.js', 'src/utf8.js', 'src/sha256.js', 'src/version-1.2.ts',
  ]) assert.ok(!isPeripheralPath(p), p);
});

test('the overview lists a few peripheral components per top folder and counts the rest', () => {
  const files: FileAnalysis[] = [];
  for (const pkg of ['core', 'cli', 'web']) for (let i = 0; i < 4; i++) files.push(file(`packages/${pkg}/src/m${i}.ts`, 'typescript'));
  for (let d = 0; d < 6; d++) files.push(file(`packages/demo-${d}/main.ts`, 'typescript', { imports: [{ source: '../core/src/m0', line: 1 }] }));
  const structure = buildStructure(files);
  assert.equal(structure.components.length, 9);
  const [overview] = buildArchitectureNotes({ repoName: 'demo', files: new Map(files.map((f) => [f.path, f])), structure, entryPoints: [], history: noHistory, now: '2025-01-01T00:00:00Z' });
  const table = overview.body.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('`')[1]);
  assert.deepEqual(table.slice(0, 3).sort(), ['packages/cli', 'packages/core', 'packages/web']);
  assert.equal(table.filter((id) => id.startsWith('packages/demo-')).length, 3);
  assert.match(overview.body, /And 3 more: 3 in `packages`\./);
});

test('components depend on what their code imports; a shared name makes a dependency only where no import is needed, and never a member name alone', () => {
  const method = (name: string, parent: string) => ({ name, kind: 'method', startLine: 5, endLine: 9, exported: true, parent });
  const list = [
    // Go: `render` calls a `Peek` method and names `Engine`; it imports `internal` only.
    file('render/render.go', 'go', {
      imports: [{ source: 'example.com/web/internal', line: 3 }],
      refs: [{ name: 'Peek', line: 8, kind: 'call' }, { name: 'Engine', line: 9, kind: 'type' }, { name: 'Escape', line: 10, kind: 'call' }],
    }),
    file('binding/reader.go', 'go', { defs: [{ name: 'Reader', kind: 'struct', startLine: 3, endLine: 9, exported: true }, method('Peek', 'Reader')] }),
    file('engine/engine.go', 'go', { defs: [{ name: 'Engine', kind: 'struct', startLine: 3, endLine: 9, exported: true }] }),
    file('internal/escape.go', 'go', { defs: [{ name: 'Escape', kind: 'function', startLine: 3, endLine: 9, exported: true }] }),
    // Kotlin: one package in two modules sees itself without imports; `mock` shares only a class name with `core`.
    file('ext/src/main/kotlin/okhttp3/CallExtensions.kt', 'kotlin', { refs: [{ name: 'Call', line: 4, kind: 'type' }] }),
    file('core/src/main/kotlin/okhttp3/Call.kt', 'kotlin', { defs: [{ name: 'Call', kind: 'interface', startLine: 3, endLine: 9, exported: true }] }),
    file('mock/src/main/kotlin/mock3/Server.kt', 'kotlin', { refs: [{ name: 'Call', line: 4, kind: 'type' }] }),
    // Ruby loads constants without a require: `app` names the class `Cookies`; `protection` only calls `merge!`.
    file('app/base.rb', 'ruby', { refs: [{ name: 'Cookies', line: 4, kind: 'ref' }] }),
    file('protection/guard.rb', 'ruby', { refs: [{ name: 'merge!', line: 4, kind: 'call' }] }),
    file('contrib/cookies.rb', 'ruby', { defs: [{ name: 'Cookies', kind: 'class', startLine: 1, endLine: 20, exported: true }, method('merge!', 'Cookies')] }),
  ];
  const s = buildStructure(list, { goModule: 'example.com/web' });
  const deps = (id: string): string[] => s.components.find((c) => c.id === id)!.dependsOn.map((d) => d.component).sort();
  assert.deepEqual(deps('render'), ['internal'], 'Go code sees another package only through an import');
  assert.deepEqual(deps('ext'), ['core'], 'a Kotlin package spread over two modules');
  assert.deepEqual(deps('mock'), [], 'another package sees `Call` only through an import');
  assert.deepEqual(deps('app'), ['contrib'], 'a Ruby constant names its dependency');
  assert.deepEqual(deps('protection'), [], 'a method name alone is no dependency');
  assert.ok(!s.edges.some((e) => e.from === 'render/render.go' && e.to === 'engine/engine.go'), 'imports resolve: `Engine` is another package\'s');
  // Where the module path is unknown, imports resolve to nothing: a shared name still links the files for ranking.
  const unknown = buildStructure(list, {});
  assert.ok(unknown.edges.some((e) => e.from === 'render/render.go' && e.to === 'engine/engine.go'));
});

test('the overview names the project after its folder, or after its manifest or origin remote when the folder is a generic checkout name', () => {
  const manifests = (texts: Record<string, string>) => (p: string): string | undefined => texts[p];
  assert.equal(repoNameOf('/work/flask', manifests({ 'package.json': '{"name": "other"}' })), 'flask');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'package.json': '{"name": "@acme/widgets"}' })), '@acme/widgets');
  assert.equal(repoNameOf('/tmp/x/repo', manifests({ 'package.json': '{broken', 'Cargo.toml': '[package]\nversion = "1"\nname = "ripgrep"\n' })), 'ripgrep');
  const bat = '[package]\nauthors = ["David Peter <mail@david-peter.de>"]\ncategories = ["command-line-utilities"]\nname = "bat"\n\n[[bin]]\nname = "other"\n';
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'Cargo.toml': bat })), 'bat', 'arrays before the name');
  assert.equal(repoNameOf('/tmp/x/3f9a2b1c', manifests({ 'pyproject.toml': '[build-system]\nrequires = []\n[project]\nname = "httpx"\n' })), 'httpx');
  assert.equal(repoNameOf('/tmp/x/checkout', manifests({ 'go.mod': 'module github.com/urfave/cli/v3\n\ngo 1.22\n' })), 'cli');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'settings.gradle.kts': 'rootProject.name = "okhttp-parent"\ninclude(":okhttp")\n' })), 'okhttp-parent');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'pyproject.toml': '[tool.poetry]\nname = "rich"\nversion = "13"\n' })), 'rich');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'pyproject.toml': '[build-system]\nrequires = ["flit"]\n[tool.flit.metadata]\nmodule = "typer"\nauthor = "S"\n' })), 'typer', 'an old flit manifest');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'setup.py': 'from setuptools import setup\nsetup(\n    name="requests",\n    version=v,\n)\n' })), 'requests');
  assert.equal(
    repoNameOf('/tmp/x/src', manifests({ 'pom.xml': '<project><parent><artifactId>oss-parent</artifactId></parent><artifactId>gson-parent</artifactId></project>' })),
    'gson-parent',
  );
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.8)\nproject(FMT CXX)\n' })), 'FMT');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'CMakeLists.txt': 'project(${NAME})\n', 'meson.build': "project('pixman', ['c'])\n" })), 'pixman');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'configure.ac': 'AC_PREREQ([2.60])\nAC_INIT([jansson], [2.0.1], [petri@digip.org])\n' })), 'jansson');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'configure.in': 'AC_INIT(tmux, 1.8)\n' })), 'tmux');
  assert.equal(repoNameOf('/tmp/x/src', manifests({ 'Package.swift': 'let package = Package(\n    name: "Alamofire",\n' })), 'Alamofire');
  assert.equal(repoNameOf('/tmp/x/src', manifests({}), ['Src/Newtonsoft.Json.sln', 'Src/Newtonsoft.Json/JsonConvert.cs']), 'Newtonsoft.Json');
  assert.equal(repoNameOf('/tmp/x/repo', manifests({}), ['sinatra.gemspec', 'rack-protection/rack-protection.gemspec']), 'sinatra');
  assert.equal(repoNameOf('/tmp/x/src', manifests({}), ['A.sln', 'B.sln']), 'src', 'two solutions: neither is the name');
  assert.equal(repoNameOf('/tmp/x/src', manifests({})), 'src', 'no manifest: the folder name still');
});

test('a generic checkout folder without a manifest is named after the repository its origin remote names', () => {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'st-name-')), 'repo');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  const config = (url: string): void => fs.writeFileSync(path.join(root, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`);
  config('git@github.com:fmtlib/fmt.git');
  assert.equal(repoNameOf(root), 'fmt');
  config('https://github.com/sinatra/sinatra/');
  assert.equal(repoNameOf(root), 'sinatra');
  config('/srv/mirrors/fmt/repo');
  assert.equal(repoNameOf(root), 'repo', 'a remote named as generically as the folder names nothing');
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
});

test('a file card lists every top-level definition before members, and leaves out functions\' local helpers', () => {
  const def = (name: string, kind: string, startLine: number, endLine: number, extra: { parent?: string; doc?: string } = {}) => ({ name, kind, startLine, endLine, exported: true, ...extra });
  const defs = [];
  let line = 1;
  for (const cls of ['URL', 'Origin', 'Headers']) {
    const start = line;
    const members = [def('__init__', 'method', start + 1, start + 2, { parent: cls }), ...Array.from({ length: 6 }, (_, i) => def(`${cls.toLowerCase()}Member${i}`, 'method', start + 3 + 2 * i, start + 4 + 2 * i, { parent: cls, ...(i === 5 ? { doc: `Documented ${cls} member.` } : {}) }))];
    defs.push(def(cls, 'class', start, start + 16), ...members);
    line += 20;
  }
  defs.push(def('encode', 'function', 61, 70), def('replacer', 'function', 63, 65));
  const f = file('pkg/models.py', 'python', { lines: 80, defs });
  const files = new Map([[f.path, f]]);
  const [card] = buildFileCards({ files, structure: buildStructure([f]), history: noHistory, now: 'now' });
  const listed = card.body.split('\n').filter((l) => l.startsWith('- ') && !l.startsWith('- and')).map((l) => l.match(/`([^`]+)`/)![1]);
  assert.deepEqual(listed.filter((n) => !n.includes('.')), ['URL', 'Origin', 'Headers', 'encode'], 'every top-level definition, in file order; no local helper');
  for (const cls of ['URL', 'Origin', 'Headers']) assert.ok(listed.includes(`${cls}.${cls.toLowerCase()}Member5`), `the documented member of ${cls}`);
  assert.equal(listed.length, 14);
  assert.ok(!listed.some((n) => n.endsWith('__init__')), 'dunder methods come last');
  assert.match(card.body, /^- and 11 more: originMember2, .*, headersMember4, __init__$/m, 'each name once');
  assert.doesNotMatch(card.body, /replacer/);
});

test('a file card lists the members that do the work before constants, and public before private', () => {
  const def = (name: string, kind: string, startLine: number, extra: { doc?: string; exported?: boolean } = {}) =>
    ({ name, kind, startLine, endLine: startLine + 1, exported: extra.exported ?? true, parent: 'Mailer', ...(extra.doc ? { doc: extra.doc } : {}) });
  const defs = [
    { name: 'Mailer', kind: 'class', startLine: 1, endLine: 200, exported: true },
    ...Array.from({ length: 14 }, (_, i) => def(`STOP_${i}`, 'constant', 2 + 2 * i, { doc: 'A level.' })),
    def('smtpClose', 'method', 40, { exported: false }),
    def('send', 'method', 50),
    def('smtpSend', 'method', 60, { doc: 'Sends over SMTP.', exported: false }),
    def('preSend', 'method', 70, { doc: 'Prepares a message.' }),
  ];
  const f = file('src/Mailer.php', 'php', { lines: 200, defs });
  const [card] = buildFileCards({ files: new Map([[f.path, f]]), structure: buildStructure([f]), history: noHistory, now: 'now' });
  const listed = card.body.split('\n').filter((l) => l.startsWith('- ') && !l.startsWith('- and')).map((l) => l.match(/`([^`]+)`/)![1]);
  assert.deepEqual(listed.filter((n) => !n.includes('STOP')), ['Mailer', 'Mailer.smtpClose', 'Mailer.send', 'Mailer.smtpSend', 'Mailer.preSend']);
  assert.equal(listed.length, 14, 'constants fill what is left');
  assert.match(card.body, /^- and 5 more: STOP_9, STOP_10, STOP_11, STOP_12, STOP_13$/m);
  // A Go file's top-level constants come after its receiver's methods.
  const go = file('tree.go', 'go', { lines: 200, defs: [
    ...Array.from({ length: 14 }, (_, i) => ({ name: `m${i}`, kind: 'constant', startLine: 2 + i, endLine: 2 + i, exported: false })),
    { name: 'node', kind: 'struct', startLine: 20, endLine: 30, exported: false },
    { name: 'FindRoute', kind: 'method', startLine: 40, endLine: 60, exported: false, parent: 'node' },
  ] });
  const [goCard] = buildFileCards({ files: new Map([[go.path, go]]), structure: buildStructure([go]), history: noHistory, now: 'now' });
  assert.match(goCard.body, /- struct `node`[^\n]*\n- method `node.FindRoute`/);
});

test("a file's leading definitions are found through the namespaces that wrap them, in cards and offline answers", () => {
  const def = (name: string, kind: string, startLine: number, endLine: number, parent?: string) => ({ name, kind, startLine, endLine, exported: true, ...(parent && { parent }) });
  const defs = [
    def('Sidekiq', 'module', 3, 90),
    def('Web', 'module', 4, 80, 'Sidekiq'),
    def('JobRetry', 'class', 10, 70, 'Web'),
    def('retry_in', 'method', 20, 30, 'JobRetry'),
    def('Skip', 'class', 72, 72, 'Web'),
    def('helper', 'function', 95, 99),
  ];
  assert.deepEqual(leadingDefinitions(defs).map((d) => d.name), ['JobRetry', 'Skip', 'helper']);
  // A module that wraps nothing is a definition of its own.
  assert.deepEqual(leadingDefinitions([def('Version', 'module', 1, 3), def('x', 'function', 5, 6)]).map((d) => d.name), ['Version', 'x']);
  const f = file('lib/sidekiq/job_retry.rb', 'ruby', { lines: 100, defs });
  const [card] = buildFileCards({ files: new Map([[f.path, f]]), structure: buildStructure([f]), history: noHistory, now: 'now' });
  const listed = card.body.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.match(/`([^`]+)`/)![1]);
  assert.deepEqual(listed, ['Web.JobRetry', 'JobRetry.retry_in', 'Web.Skip', 'helper'], 'the wrapping namespaces are not listed');
});

test('a file card lists what the file uses most first, and says how many more it uses', () => {
  const cls = (name: string) => ({ name, kind: 'class', startLine: 2, endLine: 30, exported: true });
  const deps = Array.from({ length: 9 }, (_, i) => file(`src/Dep${i}.php`, 'php', { defs: [cls(`Dep${i}`)] }));
  const base = file('src/RouteCollectorProxy.php', 'php', { defs: [cls('RouteCollectorProxy')] });
  const app = file('src/App.php', 'php', {
    defs: [cls('App')],
    refs: [...deps.map((d, i) => ({ name: `Dep${i}`, line: 3 + i, kind: 'type' })), { name: 'RouteCollectorProxy', line: 20, kind: 'inherit', count: 12 }],
  });
  const all = [...deps, base, app];
  const cards = buildFileCards({ files: new Map(all.map((f) => [f.path, f])), structure: buildStructure(all), history: noHistory, now: 'now' });
  const uses = cards.find((c) => c.subject === 'src/App.php')!.body.split('\n').find((l) => l.startsWith('Uses: '))!;
  assert.match(uses, /^Uses: `src\/RouteCollectorProxy\.php` \(RouteCollectorProxy\), /);
  assert.match(uses, /, and 2 more$/);
});

test('a folder of many files nothing uses ranks below the few files everything uses', () => {
  const lang = Array.from({ length: 12 }, (_, i) => file(`language/lang-${i}.php`, 'php', { lines: 30 }));
  const core = [
    file('src/Mailer.php', 'php', { lines: 900, defs: [{ name: 'Mailer', kind: 'class', startLine: 3, endLine: 900, exported: true }] }),
    file('src/Smtp.php', 'php', { lines: 400, refs: [{ name: 'Mailer', line: 5, kind: 'call' }] }),
  ];
  const tool = [file('tools/build.php', 'php', { lines: 20, refs: [{ name: 'Mailer', line: 5, kind: 'call' }] })];
  assert.deepEqual(buildStructure([...lang, ...core, ...tool]).components.map((c) => c.id), ['src', 'language', 'tools']);
});

test('Go: a qualified call (`errors.New()`) never names a function of the file\'s own package', () => {
  const files = [
    file('client.go', 'go', { defs: [{ name: 'New', kind: 'function', startLine: 3, endLine: 9, exported: true }] }),
    file('util.go', 'go', { refs: [{ name: 'New', line: 4, kind: 'call' }] }),
    file('retry.go', 'go', { refs: [{ name: 'New', line: 4, kind: 'function' }] }),
  ];
  assert.deepEqual(buildStructure(files).edges.map((e) => `${e.from} -> ${e.to}`), ['retry.go -> client.go']);

  // An external test package beside it (`package jwt_test`) imports the package and qualifies its names.
  const external = [
    file('claims.go', 'go'),
    file('doc.go', 'go'),
    file('signing.go', 'go', { defs: [{ name: 'GetSigningMethod', kind: 'function', startLine: 3, endLine: 9, exported: true }] }),
    file('hmac_test.go', 'go', { imports: [{ source: 'example.com/jwt', line: 2 }], refs: [{ name: 'GetSigningMethod', line: 4, kind: 'call' }] }),
    file('none_test.go', 'go', { imports: [{ source: 'example.com/jwt', line: 2 }] }),
  ];
  const edges = buildStructure(external, { goModule: 'example.com/jwt' }).edges.map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(edges, ['hmac_test.go -> signing.go', 'none_test.go -> doc.go'], 'a package used for no name links through its doc.go, at the root too');
});

test('C: a source file\'s static functions and macros are its own; a header\'s static inline functions are its includers\'', () => {
  const fn = (name: string, exported: boolean) => ({ name, kind: 'function', startLine: 1, endLine: 9, exported });
  const files = [
    file('src/main.c', 'c', { defs: [fn('isatty', false), fn('usage', false)] }),
    file('src/util.h', 'c', { defs: [fn('min_of', false)] }),
    file('src/lexer.c', 'c', { refs: ['isatty', 'usage', 'min_of'].map((name) => ({ name, line: 4, kind: 'call' })) }),
  ];
  assert.deepEqual(buildStructure(files).edges.map((e) => `${e.from} -> ${e.to}`), ['src/lexer.c -> src/util.h']);

  // A project's own `fwrite` (a test's LD_PRELOAD shim) or `pthread_once` (a Windows stand-in) is not what every call reaches.
  const shims = [
    file('src/inject_errors.c', 'c', { defs: [fn('fwrite', true)] }),
    file('src/jv_thread.h', 'c', { defs: [fn('pthread_once', true)] }),
    file('src/jv_print.c', 'c', { refs: ['fwrite', 'pthread_once'].map((name) => ({ name, line: 4, kind: 'call' })) }),
  ];
  assert.deepEqual(buildStructure(shims).edges, []);
});

test('Ruby: a class reopened by benchmarks is still one name, reached through the module that qualifies it', () => {
  const api = (path: string, parent?: string) => file(path, 'ruby', { defs: [{ name: 'API', kind: 'class', startLine: 1, endLine: 9, exported: true, parent }] });
  const files = [
    api('lib/grape/api.rb', 'Grape'),
    ...[1, 2, 3, 4, 5].map((i) => api(`benchmark/bench${i}.rb`)),
    file('spec/api_spec.rb', 'ruby', { refs: [{ name: 'Grape', kind: 'type', line: 1 }, { name: 'API', kind: 'type', line: 1 }] }),
    file('spec/other_spec.rb', 'ruby', { refs: [{ name: 'API', kind: 'type', line: 1 }] }),
  ];
  assert.deepEqual(buildStructure(files).edges.filter((e) => e.from.startsWith('spec/')).map((e) => `${e.from} -> ${e.to}`), ['spec/api_spec.rb -> lib/grape/api.rb']);
});

test('a name reaches definitions of its own language family only', () => {
  const fn = (name: string) => [{ name, kind: 'function', startLine: 1, endLine: 9, exported: true }];
  const files = [
    file('docs/js/typeahead.js', 'javascript', { defs: fn('defer') }),
    file('Source/Session.swift', 'swift', { refs: [{ name: 'defer', line: 4, kind: 'function' }] }),
    file('lib/util.cpp', 'cpp', { defs: fn('helper') }),
    file('src/main.c', 'c', { refs: [{ name: 'helper', line: 4, kind: 'function' }] }),
  ];
  assert.deepEqual(buildStructure(files).edges.map((e) => `${e.from} -> ${e.to}`), ['src/main.c -> lib/util.cpp']);
});

test('folders that use each other both ways make a component cycle only where their files form one', () => {
  const repo = (cycle: boolean): FileAnalysis[] => [
    file('core/main.py', 'python', { imports: [{ source: 'plugins.reload', line: 1 }] }),
    file('core/config.py', 'python', cycle ? { imports: [{ source: 'plugins.reload', line: 1 }] } : {}),
    file('core/util.py', 'python'),
    file('plugins/reload.py', 'python', { imports: [{ source: 'core.config', line: 1 }] }),
    file('plugins/watch.py', 'python'),
    file('plugins/stat.py', 'python'),
  ];
  const s = buildStructure(repo(false));
  assert.deepEqual(s.cycles, []);
  assert.deepEqual(s.componentCycles, [], 'main uses the plugins, the plugins use config: no file depends on itself');
  assert.ok(s.components.find((c) => c.id === 'plugins')?.dependsOn.some((d) => d.component === 'core'), 'the dependencies themselves stay');
  assert.deepEqual(buildStructure(repo(true)).componentCycles, [['core', 'plugins']]);
  const fixtures = [
    file('tests/importer/circular_a.py', 'python', { imports: [{ source: 'tests.importer.circular_b', line: 1 }] }),
    file('tests/importer/circular_b.py', 'python', { imports: [{ source: 'tests.importer.circular_a', line: 1 }] }),
  ];
  assert.deepEqual(buildStructure([...repo(true), ...fixtures]).cycles, [['core/config.py', 'plugins/reload.py']], 'tests that import each other are no cycle of the project');
});

test("a method call on an object of a class the file never names is a guess: it counts in no card, hub or symbol", () => {
  const method = (name: string, parent: string) => ({ name, kind: 'method', startLine: 5, endLine: 9, exported: true, parent });
  const writer = { name: 'compressWriter', kind: 'struct', startLine: 1, endLine: 4, exported: false };
  const files = [
    file('middleware/compress.go', 'go', { defs: [writer, method('WriteHeader', 'compressWriter')] }),
    // `w.WriteHeader(500)` on the library's http.ResponseWriter.
    ...['recoverer', 'logger', 'timeout'].map((n) => file(`middleware/${n}.go`, 'go', { refs: [{ name: 'WriteHeader', line: 3, kind: 'call' }] })),
    file('middleware/compress_test.go', 'go', { refs: [{ name: 'compressWriter', line: 2, kind: 'type' }, { name: 'WriteHeader', line: 3, kind: 'call' }] }),
  ];
  const structure = buildStructure(files);
  const into = structure.edges.filter((e) => e.to === 'middleware/compress.go');
  assert.deepEqual(into.map((e) => [e.from, Boolean(e.guessed)]).sort(), [
    ['middleware/compress_test.go', false], ['middleware/logger.go', true], ['middleware/recoverer.go', true], ['middleware/timeout.go', true],
  ], 'the links stay in the graph, weakly');
  assert.deepEqual(structure.hubs, [], 'one file knows the class');
  assert.deepEqual(structure.symbols.find((x) => x.name === 'WriteHeader')?.usedBy, 1);
  const map = new Map(files.map((f) => [f.path, f]));
  const card = buildFileCards({ files: map, structure, history: noHistory, now: 'now' }).find((n) => n.id === 'file:middleware/compress.go')!;
  assert.match(card.body, /Used by 1 file: `middleware\/compress_test.go`/);
});

test("Python's `from pkg import sub` where sub is a module uses the module, not the package's __init__: no cycle", () => {
  const files = [
    file('pkg/__init__.py', 'python', { imports: [{ source: '.after', line: 1 }], defs: [{ name: 'RetryState', kind: 'class', startLine: 3, endLine: 9, exported: true }] }),
    file('pkg/after.py', 'python', { imports: [{ source: 'pkg', line: 1 }, { source: 'pkg._utils', line: 1 }] }),
    file('pkg/before.py', 'python', { imports: [{ source: 'pkg', line: 1 }, { source: 'pkg._utils', line: 1 }, { source: 'pkg.RetryState', line: 1 }] }),
    file('pkg/_utils.py', 'python'),
  ];
  const s = buildStructure(files);
  const from = (p: string): string[] => s.edges.filter((e) => e.from === p).map((e) => e.to).sort();
  assert.deepEqual(from('pkg/after.py'), ['pkg/_utils.py']);
  assert.deepEqual(from('pkg/before.py'), ['pkg/__init__.py', 'pkg/_utils.py'], 'RetryState is the package\'s own');
  assert.deepEqual(s.cycles, []);
});

test("Python's `from .mod import name` of a module with no Python source (a compiled `_quoting_c`) is not the package's __init__", () => {
  const def = (name: string, kind: string) => ({ name, kind, startLine: 1, endLine: 9, exported: true });
  const files = [
    file('pkg/__init__.py', 'python', { imports: [{ source: '._url', line: 1 }, { source: '._url.URL', line: 1, member: true }], defs: [def('cache_clear', 'function')] }),
    file('pkg/_url.py', 'python', { imports: [{ source: '._quoting', line: 1 }, { source: '._quoting._Quoter', line: 1, member: true }], defs: [def('URL', 'class')] }),
    file('pkg/_quoting.py', 'python', {
      imports: [{ source: '._quoting_c', line: 3 }, { source: '._quoting_c._Quoter', line: 3, member: true }, { source: '.cache_clear', line: 4, member: true }],
      defs: [def('_Quoter', 'class')],
    }),
  ];
  const s = buildStructure(files);
  const from = (p: string): string[] => s.edges.filter((e) => e.from === p && e.declared).map((e) => e.to).sort();
  assert.deepEqual(from('pkg/_quoting.py'), ['pkg/__init__.py'], 'only `from . import cache_clear` reaches the package');
  files[2].imports.pop();
  assert.deepEqual(buildStructure(files).cycles, [], 'no package <-> module cycle made by the compiled module');
});

test("the project's code does not lean on an example by a shared name", () => {
  const files = [
    file('examples/plugins/stop.rb', 'ruby', { defs: [{ name: 'start_plugin', kind: 'method', startLine: 2, endLine: 5, exported: true }] }),
    file('lib/app/status.rb', 'ruby', { refs: [{ name: 'start_plugin', line: 3, kind: 'call' }] }),
    file('examples/run.rb', 'ruby', { refs: [{ name: 'start_plugin', line: 3, kind: 'call' }] }),
  ];
  assert.deepEqual(buildStructure(files).edges.map((e) => [e.from, e.to]), [['examples/run.rb', 'examples/plugins/stop.rb']]);
});

test("an import of TypeScript's build output (`./build/lib/x.js`, a `main` in `dist/`) is of the source it compiles", () => {
  const configs: Record<string, string> = {
    'tsconfig.json': '{\n  // the library\n  "compilerOptions": { "outDir": "build", "rootDir": ".", },\n  "include": ["lib/**/*.ts"]\n}\n',
    'packages/core/tsconfig.json': '{ "compilerOptions": { "outDir": "./dist" }, "include": ["src/**/*"] }',
    'packages/web/tsconfig.json': '{ "compilerOptions": { "noEmit": true } }',
  };
  const outputs = tsOutputRoots(Object.keys(configs), (p) => configs[p]);
  assert.deepEqual([...outputs], [['build', ''], ['packages/core/dist', 'packages/core/src']]);
  const paths = ['index.mjs', 'lib/yargs-factory.ts', 'test/usage.mjs', 'packages/core/src/index.ts', 'packages/core/package.json', 'packages/app/main.ts', 'build/kept.js'];
  const r = new ImportResolver(paths, { jsOutputs: outputs, jsEntries: new Map([['packages/core', './dist/index.js']]) });
  const resolve = (from: string, source: string): string[] => r.resolve(file(from, from.endsWith('.ts') ? 'typescript' : 'javascript'), { source, line: 1 });
  assert.deepEqual(resolve('index.mjs', './build/lib/yargs-factory.js'), ['lib/yargs-factory.ts']);
  assert.deepEqual(resolve('test/usage.mjs', '../build/lib/yargs-factory.js'), ['lib/yargs-factory.ts']);
  assert.deepEqual(resolve('packages/app/main.ts', '../core'), ['packages/core/src/index.ts'], "the package's main, compiled from src/index.ts");
  assert.deepEqual(resolve('index.mjs', './build/kept.js'), ['build/kept.js'], 'a committed output file is itself');
  assert.deepEqual(tsOutputRoots(['tsconfig.json'], () => '{ broken'), new Map());
});

test("a name a Python package's __init__ hands on links to the module that defines it", () => {
  const def = (name: string, kind = 'function') => ({ name, kind, startLine: 1, endLine: 9, exported: true });
  const files = [
    file('pkg/__init__.py', 'python', { imports: [{ source: '.stop', line: 1 }, { source: 'typing', line: 2 }], defs: [def('Retrying', 'class')] }),
    file('pkg/stop.py', 'python', { defs: [def('stop_after_attempt')] }),
    file('pkg/nap.py', 'python', { defs: [def('sleep_for')] }),
    file('tests/test_retry.py', 'python', {
      imports: [{ source: 'pkg', line: 1 }],
      refs: [{ name: 'stop_after_attempt', line: 5, kind: 'call' }, { name: 'sleep_for', line: 6, kind: 'call' }, { name: 'Retrying', line: 7, kind: 'call' }],
    }),
  ];
  const to = buildStructure(files).edges.filter((e) => e.from === 'tests/test_retry.py').map((e) => [e.to, e.importLine]).sort();
  assert.deepEqual(to, [['pkg/__init__.py', 1], ['pkg/stop.py', 1]], 'nap.py is not what the package loads');
});

test('a Go package imported for methods of types the file never names is still a dependency, through the import', () => {
  const files = [
    file('x/doc.go', 'go'),
    file('x/widget.go', 'go', { defs: [{ name: 'Widget', kind: 'struct', startLine: 1, endLine: 3, exported: true }, { name: 'Render', kind: 'method', startLine: 5, endLine: 9, exported: true, parent: 'Widget' }] }),
    file('app/main.go', 'go', { imports: [{ source: 'example.com/m/x', line: 3 }], refs: [{ name: 'Render', line: 9, kind: 'call' }] }),
  ];
  const edges = buildStructure(files, { goModule: 'example.com/m' }).edges.filter((e) => e.from === 'app/main.go');
  assert.deepEqual(edges.map((e) => [e.to, e.importLine, Boolean(e.guessed)]).sort(), [['x/doc.go', 3, false], ['x/widget.go', undefined, true]]);
});

test('the banner files repeat at the head of their comment is taken off their docs; a doc shared by fewer files is kept', () => {
  const banner = '⚡️ Acme is a web framework inspired by Express 🤖 GitHub Repository: https://github.com/acme/acme';
  const docs: Record<string, string> = {
    'app.go': banner, 'ctx.go': banner, 'group.go': banner.replace('🤖', '📝'), 'mount.go': banner,
    'path.go': `${banner} ⚠️ This path parser was inspired by urlpath`,
    'multipart/async.go': 'multipart/form-data for the async client', 'multipart/blocking.go': 'multipart/form-data for the blocking client',
  };
  const files = new Map(Object.entries(docs).map(([p, doc]) => [p, file(p, 'go', { doc })]));
  const out = withoutBanners(files);
  for (const p of ['app.go', 'ctx.go', 'group.go', 'mount.go']) assert.equal(out.get(p)!.doc, undefined, p);
  assert.equal(out.get('path.go')!.doc, 'This path parser was inspired by urlpath');
  assert.equal(out.get('multipart/async.go')!.doc, docs['multipart/async.go'], 'two files that open alike are no banner');
  assert.equal(files.get('path.go')!.doc, docs['path.go'], 'the analysis itself is left as it was');
});
