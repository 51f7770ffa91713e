import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildTestHookNotes, isTestPath, testsForSource } from '../../src/core/notes/testHooks';
import { contentTerms } from '../../src/core/retrieve/terms';
import { scanRepository } from '../../src/core/scan/scan';
import { buildStructure, importedFiles } from '../../src/core/structure/structure';
import type { FileAnalysis, Language, Note, SymbolDef } from '../../src/core/types';

const fixtures = path.join(__dirname, '..', 'fixtures', 'testhooks');
const NOW = '2025-01-01T00:00:00.000Z';

function analysis(p: string, extra: Partial<FileAnalysis> = {}): FileAnalysis {
  return { path: p, language: 'typescript', hash: `h-${p}`, bytes: 1, lines: 1, defs: [], refs: [], imports: [], bugs: [], ...extra };
}

function def(name: string, startLine: number, endLine: number, kind = 'function'): SymbolDef {
  return { name, kind, startLine, endLine, exported: true };
}

async function notesFor(name: string, files: FileAnalysis[] = []): Promise<{ notes: Note[]; root: string }> {
  const root = path.join(fixtures, name);
  const scan = await scanRepository(root);
  const readText = (p: string): string | undefined => {
    try {
      return fs.readFileSync(path.join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  // The imports as the graph resolves them.
  const imports = importedFiles(buildStructure(files));
  const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText, now: NOW, imports });
  return { notes, root };
}

/** Test-hook notes for a folder that holds `paths` (all of `language`), read through `readText`, with no parsed files. */
function notesForPaths(paths: string[], readText: (p: string) => string | undefined, language: Language | null = null): Note[] {
  const files = paths.map((p) => ({ path: p, size: 1, mtimeMs: 0, language }));
  return buildTestHookNotes({ scan: { root: '/x', isGit: false, files, skipped: [], errors: [] }, files: new Map(), readText, now: NOW });
}

/** Every evidence line exists in its file. */
function assertEvidenceReal(root: string, notes: Note[]): void {
  for (const n of notes) {
    assert.equal(n.kind, 'test-hook');
    assert.equal(n.origin, 'static');
    assert.ok(n.evidence.length > 0, `${n.id} has evidence`);
    for (const e of n.evidence) {
      const lines = fs.readFileSync(path.join(root, e.path), 'utf8').split('\n').length;
      assert.ok(e.startLine >= 1 && e.endLine <= lines, `${n.id}: ${e.path}:${e.startLine}`);
    }
  }
}

const hook = (notes: Note[], id: string): Note => {
  const n = notes.find((x) => x.id === id);
  assert.ok(n, `note ${id} among ${notes.map((x) => x.id).join(', ')}`);
  return n;
};

describe('isTestPath', () => {
  it('recognizes test files and test folders', () => {
    for (const p of ['src/a.test.ts', 'src/a.spec.jsx', 'pkg/x_test.go', 'tests/test_x.py', 'lib/x_test.py', 'spec/foo_spec.rb',
      'src/test/java/FooTest.java', 'Tests/FooTests.cs', 'test/unit/x.ts', '__tests__/a.js', 'pkg/testdata/in.txt', 'conftest.py',
      'Src/Acme.Tests/Widgets/Point.cs', 'Src/Acme.UnitTests/A.cs', 'integration-tests/run.js', 'extras/jpms_test/M.java',
      'crates/searcher/src/testutil.rs', 'src/test_helpers.py', 'lib/test-support.ts', 'internal/testutil/fake.go',
      'okhttp/src/jvmTest/kotlin/okhttp3/CallTest.kt', 'app/src/androidTest/java/a/B.java', 'lib/src/testFixtures/kotlin/F.kt',
      'Tests/CalcTests/Helpers.swift', 'okhttp-testing-support/src/main/kotlin/okhttp3/testing/PlatformRule.kt', 'testing_utils/a.py',
      'src/UnitTests/Bug/NullableToInvalid.cs', 'src/IntegrationTests/Db.cs', 'db/db_test.cc', 'util/env_unittest.cc',
      'src/parser_tests.cpp', 'src/test_buffer.c', 'tests/tests_tqdm.py', 'pkg/tests_io.py', 'src/uri/tests.rs', 'lib_spec.rb',
      'Source/NSubstitute.Acceptance.Specs/ReceivedCalls.cs', 'src/Acme.Specs/WidgetSpecs.cs', 'test.js', 'src/addDays/test.ts', 'tests.mjs',
      'Src/IdiomsUnitTest/Scenario.cs', 'Src/AutoFixtureDocumentationTest/Intermediate/RegisterExample.cs']) {
      assert.equal(isTestPath(p), true, p);
    }
    for (const p of ['src/a.ts', 'src/contest.py', 'lib/testing_utils_impl.go', 'src/Attestation.java', 'latest/x.ts',
      'src/my-latest/x.ts', 'Src/Acme.Testing.Core/A.cs', 'src/contests/a.py', 'src/testable.ts', 'src/utils.ts', 'src/attest_utils.py',
      'okhttp/src/jvmMain/kotlin/okhttp3/Call.kt', 'src/Latest/x.kt', 'src/contest/Main.kt', 'attesting-utils/a.ts', 'src/Contests/A.cs',
      'db/db_impl.cc', 'src/latest.cpp', 'src/contest_main.c', 'src/contests_io.py', 'src/uri/contests.rs', 'src/testing.rs',
      'lib/grape/validations/validations_spec.rb', 'app/models/api_spec.rb', 'Source/NSubstitute.Specifications/A.cs', 'src/inspecs/a.ts',
      'lib/test.js', 'packages/runner/lib/test.ts', 'src/latest.js', 'src/Contest/A.cs', 'src/Latest/B.cs']) {
      assert.equal(isTestPath(p), false, p);
    }
  });
});

describe('buildTestHookNotes', () => {
  it('detects npm scripts, the framework and yarn, and maps tests to sources', async () => {
    const files = [
      analysis('src/math.ts', { defs: [def('add', 1, 3), def('unusedHelper', 5, 5)], lines: 5 }),
      analysis('src/math.test.ts', { imports: [{ source: './math', line: 1 }], refs: [{ name: 'add', line: 4, kind: 'call' }], lines: 4 }),
    ];
    const { notes, root } = await notesFor('npm', files);
    assertEvidenceReal(root, notes);
    const npm = hook(notes, 'test-hook:npm:.');
    assert.equal(npm.meta?.command, 'yarn test');
    assert.equal(npm.meta?.framework, 'vitest');
    assert.deepEqual(npm.meta?.commands, ['yarn test', 'yarn run test:e2e']);
    assert.deepEqual(npm.evidence.map((e) => `${e.path}:${e.startLine}`), ['package.json:6', 'package.json:7', 'package.json:11', 'vitest.config.ts:1']);
    assert.match(npm.body, /Configured in `vitest\.config\.ts`/);
    assert.deepEqual(npm.meta?.covers, ['src/math.ts']);
    assert.match(npm.dependsOn['package.json'], /^[0-9a-f]{40}$/);

    const map = hook(notes, 'test-hook:map');
    assert.deepEqual(map.meta?.map, { 'src/math.test.ts': ['src/math.ts'] });
    assert.deepEqual(testsForSource('src/math.ts', notes), ['src/math.test.ts']);
    assert.deepEqual(testsForSource('src/other.ts', notes), []);

    const untested = hook(notes, 'test-hook:untested');
    assert.deepEqual((untested.meta?.untested as { name: string }[]).map((u) => u.name), ['unusedHelper']);
    assert.deepEqual(untested.evidence, [{ path: 'src/math.ts', startLine: 5, endLine: 5 }]);
    // It depends on the files it cites; a change to the tests' names reshapes the graph, which rebuilds it.
    assert.deepEqual(Object.keys(untested.dependsOn), ['src/math.ts']);

    const fx = hook(notes, 'test-hook:fixtures');
    assert.deepEqual(fx.meta?.dirs, ['test/helpers']);
  });

  it('runs the scripts with the package manager the project pins or locks; bun runs the `test` script as `bun run test`', () => {
    const command = (pkg: object, lock?: string): unknown => {
      const text = JSON.stringify({ scripts: { test: 'vitest --run' }, ...pkg });
      const notes = notesForPaths(['package.json', 'src/a.ts', ...(lock ? [lock] : [])], (p) => (p === 'package.json' ? text : undefined), 'typescript');
      return hook(notes, 'test-hook:npm:.').meta?.command;
    };
    assert.equal(command({ packageManager: 'bun@1.2.20' }), 'bun run test');
    assert.equal(command({}, 'bun.lock'), 'bun run test');
    assert.equal(command({ packageManager: 'pnpm@9.0.0' }, 'yarn.lock'), 'pnpm test', 'the pinned manager over a stray lockfile');
    assert.equal(command({}), 'npm test');
  });

  it('names the runners a test script reaches through the scripts it runs, in the order they run', () => {
    const pkg = JSON.stringify({
      scripts: {
        lint: 'eslint .', borp: 'borp --coverage', 'test-types': 'tsc && tstyche', 'cov-ui': 'tap --coverage-report=html',
        test: 'npm run lint && npm run borp && jest test/jest && npm run test-types',
        'test-ci': 'npm run lint && npm run borp',
      },
      devDependencies: { borp: '^0.21.0', jest: '^30.0.3' },
    }, null, 2);
    const notes = notesForPaths(['package.json', 'lib/a.js'], (p) => (p === 'package.json' ? pkg : undefined), 'javascript');
    const npm = hook(notes, 'test-hook:npm:.');
    assert.equal(npm.meta?.framework, 'borp, jest');
    assert.equal(npm.title, 'Tests: borp, jest');
    assert.deepEqual(npm.meta?.commands, ['npm run test-types', 'npm test', 'npm run test-ci']);
  });

  it('points at an npm test script written inside a one-line scripts object', () => {
    const pkg = '{\n  "name"    : "js-yaml",\n  "scripts" : { "lint": "eslint .", "test": "make test" },\n  "devDependencies" : { "mocha": "*" }\n}\n';
    const notes = notesForPaths(['package.json', 'lib/a.js'], (p) => (p === 'package.json' ? pkg : undefined), 'javascript');
    const npm = hook(notes, 'test-hook:npm:.');
    assert.deepEqual(npm.evidence.map((e) => `${e.path}:${e.startLine}`), ['package.json:3']);
    assert.match(npm.body, /Defined at package\.json:3\./);
  });

  it('follows npm-run-all patterns and flagged npm runs down to the runner (mocha testing itself with bin/mocha.js)', () => {
    const pkg = JSON.stringify({
      scripts: {
        test: 'run-s lint test-node test-browser', lint: 'eslint .',
        'test-node': 'run-s test-coverage-clean test-node:* test-coverage-generate', 'test-coverage-clean': 'rimraf .nyc_output',
        'test-node-run': 'cross-env NODE_OPTIONS=--enable-source-maps nyc node bin/mocha.js --forbid-only',
        'test-node:unit': 'npm run -s test-node-run -- "test/unit/**/*.spec.cjs"', 'test-node:reporters': 'npm run -s test-node-run -- test/reporters',
        'test-browser': 'run-s clean build test-browser:*', 'pretest-browser:playwright': 'playwright install chromium', 'test-browser:playwright': 'playwright test',
      },
    }, null, 2);
    const notes = notesForPaths(['package.json', 'lib/mocha.js'], (p) => (p === 'package.json' ? pkg : undefined), 'javascript');
    assert.equal(hook(notes, 'test-hook:npm:.').meta?.framework, 'mocha, playwright');
  });

  it('detects pytest with its config, conftest fixtures and import-based mapping', async () => {
    const files = [
      analysis('src/pkg/calc.py', { language: 'python', defs: [def('add', 1, 2)] }),
      analysis('shield/guards/__init__.py', { language: 'python' }),
      // `from pkg.errors import FrozenError` names the class though no call or type annotation does.
      analysis('src/pkg/errors.py', { language: 'python', defs: [def('FrozenError', 1, 2, 'class')] }),
      analysis('tests/test_calc.py', { language: 'python', imports: [{ source: 'pkg.calc', line: 1 }, { source: 'shield.guards', line: 2 }, { source: 'pkg.errors.FrozenError', line: 3 }], refs: [{ name: 'add', line: 6, kind: 'call' }] }),
      analysis('src/pkg/_auth.py', { language: 'python', defs: [def('Auth', 1, 6, 'class'), { ...def('__init__', 2, 3, 'method'), parent: 'Auth' }, { ...def('sign', 5, 6, 'method'), parent: 'Auth' }] }),
      analysis('tests/test_auth.py', { language: 'python', imports: [{ source: 'pkg', line: 1 }], refs: [{ name: 'Auth', line: 5, kind: 'call' }, { name: 'sign', line: 5, kind: 'call' }] }),
    ];
    const { notes, root } = await notesFor('pytest', files);
    assertEvidenceReal(root, notes);
    const py = hook(notes, 'test-hook:pytest:.');
    assert.equal(py.meta?.command, 'pytest');
    assert.equal(py.meta?.framework, 'pytest');
    assert.deepEqual(py.evidence, [{ path: 'pyproject.toml', startLine: 5, endLine: 5 }, { path: 'tests/conftest.py', startLine: 1, endLine: 1 }]);
    assert.deepEqual(testsForSource('src/pkg/calc.py', notes), ['tests/test_calc.py']);
    assert.deepEqual(testsForSource('shield/guards/__init__.py', notes), ['tests/test_calc.py'], 'a package at the top imported by its dotted name');
    assert.deepEqual(testsForSource('src/pkg/_auth.py', notes), ['tests/test_auth.py'], 'test_auth.py tests the private module _auth.py');
    assert.deepEqual(testsForSource('src/pkg/_utils.py', notes), [], 'the helper tests/utils.py is no test of _utils.py');
    const fx = hook(notes, 'test-hook:fixtures');
    assert.deepEqual(fx.meta?.fixtures, ['numbers']);
    assert.deepEqual(fx.evidence[0], { path: 'tests/conftest.py', startLine: 5, endLine: 5 });
    assert.equal(notes.some((n) => n.id === 'test-hook:untested'), false, 'every public symbol is named by a test; a constructor runs with its class');
  });

  it('detects go modules (not the test data modules among the tests) and maps foo_test.go to foo.go by name', async () => {
    const { notes, root } = await notesFor('go');
    assertEvidenceReal(root, notes);
    const go = hook(notes, 'test-hook:go:.');
    assert.equal(go.meta?.command, 'go test ./...');
    assert.deepEqual(go.evidence, [{ path: 'go.mod', startLine: 1, endLine: 1 }]);
    assert.deepEqual(testsForSource('internal/calc/calc.go', notes), ['internal/calc/calc_test.go']);
    assert.deepEqual(notes.filter((n) => n.id.startsWith('test-hook:go:')).map((n) => n.id), ['test-hook:go:.'], 'a module among the tests with no tests of its own is test data');
    // A GOPATH-era package has no go.mod; its tests still run with `go test`, those in testdata are not its own.
    const gopath = notesForPaths(['conn.go', 'conn_test.go', 'testdata/fake_test.go'], () => 'package websocket\n');
    assert.deepEqual(hook(gopath, 'test-hook:go:.').evidence.map((e) => e.path), ['conn_test.go']);
    assert.equal(hook(gopath, 'test-hook:go:.').meta?.command, 'go test ./...');
    assert.equal(notesForPaths(['conn.go', 'testdata/fake_test.go'], () => 'package x\n').some((n) => n.id.startsWith('test-hook:go:')), false);
  });

  it('detects cargo', async () => {
    const { notes, root } = await notesFor('cargo');
    assertEvidenceReal(root, notes);
    const cargo = hook(notes, 'test-hook:cargo:.');
    assert.equal(cargo.meta?.command, 'cargo test');
    assert.deepEqual(cargo.evidence.map((e) => e.startLine), [1, 2]);
    // A workspace root that is a package too: a plain `cargo test` would test that package alone.
    const both = '[workspace]\nmembers = ["clap_derive"]\n\n[package]\nname = "clap"\n';
    const ws = notesForPaths(['Cargo.toml', 'src/lib.rs', 'clap_derive/Cargo.toml'], (p) => (p === 'Cargo.toml' ? both : '[package]\nname = "clap_derive"\n'), 'rust');
    assert.equal(hook(ws, 'test-hook:cargo:.').meta?.command, 'cargo test --workspace');
    assert.match(hook(ws, 'test-hook:cargo:.').body, /tests only that package/);
  });

  it('detects maven with its wrapper and maps FooTest.java to Foo.java', async () => {
    const { notes, root } = await notesFor('maven');
    assertEvidenceReal(root, notes);
    const mvn = hook(notes, 'test-hook:maven:.');
    assert.equal(mvn.meta?.command, './mvnw test');
    assert.equal(mvn.meta?.framework, 'maven');
    assert.deepEqual(mvn.evidence.map((e) => e.startLine), [5, 10]);
    assert.deepEqual(testsForSource('src/main/java/com/acme/Calc.java', notes), ['src/test/java/com/acme/CalcTest.java']);
  });

  it('detects swift test from Package.swift and maps CalcTests.swift to Calc.swift', async () => {
    const { notes, root } = await notesFor('swift');
    assertEvidenceReal(root, notes);
    const swift = hook(notes, 'test-hook:swift:.');
    assert.equal(swift.meta?.command, 'swift test');
    assert.deepEqual(swift.evidence, [{ path: 'Package.swift', startLine: 8, endLine: 8 }]);
    assert.deepEqual(testsForSource('Sources/Calc/Calc.swift', notes), ['Tests/CalcTests/CalcTests.swift']);
  });

  it('detects sbt and mill builds of Scala projects', async () => {
    const sbt = await notesFor('sbt');
    assertEvidenceReal(sbt.root, sbt.notes);
    const sbtHook = hook(sbt.notes, 'test-hook:sbt:.');
    assert.equal(sbtHook.meta?.command, 'sbt test');
    assert.deepEqual(sbtHook.evidence, [{ path: 'build.sbt', startLine: 3, endLine: 3 }]);
    assert.deepEqual(testsForSource('src/main/scala/acme/Calc.scala', sbt.notes), ['src/test/scala/acme/CalcSpec.scala']);
    const mill = await notesFor('mill');
    assertEvidenceReal(mill.root, mill.notes);
    const millHook = hook(mill.notes, 'test-hook:mill:.');
    assert.equal(millHook.meta?.command, './mill __.test');
    assert.deepEqual(millHook.evidence, [{ path: 'build.mill', startLine: 6, endLine: 6 }]);
  });

  it('takes JVM build files below a src folder for content, not projects, unless there is no other', () => {
    const texts: Record<string, string> = {
      'build.gradle': 'plugins { id "java" }\ntest { useJUnitPlatform() }\n',
      'tools/pom.xml': '<project>\n  <artifactId>tools</artifactId>\n</project>\n',
      'plugin/src/intTest/projects/app/pom.xml': '<project>\n  <artifactId>app</artifactId>\n</project>\n',
      'plugin/src/maven/resources/pom.xml': '<project>\n  <artifactId>template</artifactId>\n</project>\n',
      'plugin/src/dockerTest/projects/b/build.gradle': 'plugins { id "java" }\n',
    };
    const hookIds = (paths: string[]): string[] => {
      const notes = notesForPaths(paths, (p) => texts[p]);
      return notes.map((n) => n.id).filter((id) => /:(maven|gradle):/.test(id)).sort();
    };
    assert.deepEqual(hookIds(Object.keys(texts)), ['test-hook:gradle:.', 'test-hook:maven:tools']);
    // A repository whose only build file sits below `src` still gets its command.
    assert.deepEqual(hookIds(['plugin/src/maven/resources/pom.xml']), ['test-hook:maven:plugin/src/maven/resources']);
  });

  it('maps a test to the source of its name in the same folders, also when a folder is named like a layout folder', () => {
    const paths = [
      'src/poetry/console/commands/remove.py', 'src/poetry/console/commands/python/remove.py', 'src/poetry/console/commands/source/remove.py',
      'tests/console/commands/source/test_remove.py', 'tests/console/commands/test_remove.py',
    ];
    const notes = notesForPaths(paths, () => '', 'python');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, {
      'tests/console/commands/source/test_remove.py': ['src/poetry/console/commands/source/remove.py'],
      'tests/console/commands/test_remove.py': ['src/poetry/console/commands/remove.py'],
    });
  });

  it('gives a Go sub-module without tests no note, and the root module one even without tests', () => {
    const goIds = (paths: string[]): string[] => notesForPaths(paths, (p) => (p.endsWith('go.mod') ? 'module example.com/m\n' : ''))
      .map((n) => n.id).filter((id) => id.startsWith('test-hook:go:'));
    assert.deepEqual(goIds(['go.mod', 'a.go', 'a_test.go', 'docs/go.mod', 'tools/go.mod', 'tools/t_test.go']), ['test-hook:go:.', 'test-hook:go:tools']);
    assert.deepEqual(goIds(['go.mod', 'a.go']), ['test-hook:go:.']);
  });

  it('keeps the tests of a package named like a helper folder (`mock/`), and leaves out helpers inside a test folder', () => {
    const paths = ['go.mod', 'mock/mock.go', 'mock/mock_test.go', 'assert/assertions.go', 'assert/assertions_test.go', 'tests/helpers/fake_test.go'];
    const notes = notesForPaths(paths, (p) => (p === 'go.mod' ? 'module example.com/m\n' : ''), 'go');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, { 'assert/assertions_test.go': ['assert/assertions.go'], 'mock/mock_test.go': ['mock/mock.go'] });
  });

  it('maps a test named after a class to that class only, case and all (`IsTest.php` is not about the locale `is.php`)', () => {
    const paths = ['src/Carbon/Lang/is.php', 'src/Carbon/Carbon.php', 'tests/Carbon/IsTest.php', 'tests/Carbon/CarbonTest.php', 'src/Rules/NotEmptyValidator.cs', 'tests/Rules/NotEmptyValidatorTester.cs'];
    const notes = notesForPaths(paths, () => '', 'php');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, {
      'tests/Carbon/CarbonTest.php': ['src/Carbon/Carbon.php'],
      'tests/Rules/NotEmptyValidatorTester.cs': ['src/Rules/NotEmptyValidator.cs'],
    });
  });

  it('maps a test of one aspect to what its leading words name (`CharRangeReadObjectTest.java`, `mapstructure_bugs_test.go`)', () => {
    const paths = [
      'src/main/java/org/lang3/CharRange.java', 'src/main/java/org/lang3/Char.java', 'src/test/java/org/lang3/CharRangeReadObjectTest.java',
      'mapstructure.go', 'mapstructure_bugs_test.go', 'decode_hooks.go', 'decode_hooks_test.go', 'src/test/java/org/lang3/WidgetTest.java',
    ];
    const notes = notesForPaths(paths, () => '', 'java');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, {
      'decode_hooks_test.go': ['decode_hooks.go'], 'mapstructure_bugs_test.go': ['mapstructure.go'],
      'src/test/java/org/lang3/CharRangeReadObjectTest.java': ['src/main/java/org/lang3/CharRange.java'],
    });
  });

  it('maps a test to a source named alike but for hyphens, or in the plural (`map-set.js`, `patch.js`)', () => {
    const paths = ['src/plugins/mapset.ts', 'src/plugins/patches.ts', 'src/core/scope.ts', '__tests__/map-set.js', '__tests__/patch.js', '__tests__/scopes.js'];
    const notes = notesForPaths(paths, () => '', 'typescript');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, {
      '__tests__/map-set.js': ['src/plugins/mapset.ts'], '__tests__/patch.js': ['src/plugins/patches.ts'], '__tests__/scopes.js': ['src/core/scope.ts'],
    });
  });

  it('runs the make target CI runs, and takes no object file for a target', () => {
    const texts: Record<string, string> = {
      'Makefile': 'test.o: test.c\n\tcc -c test.c\ntest: hiredis-test\n\t./hiredis-test\ncheck: hiredis-test\n\t./test.sh\n',
      '.github/workflows/test.yml': 'jobs:\n  ubuntu:\n    steps:\n      - run: make -j2 check\n',
    };
    const make = (paths: string[]): Note => hook(notesForPaths(paths, (p) => texts[p], 'c'), 'test-hook:make:.');
    const withCi = make(['Makefile', '.github/workflows/test.yml', 'test.c']);
    assert.equal(withCi.meta?.command, 'make check');
    assert.deepEqual(withCi.meta?.commands, ['make test', 'make check']);
    assert.equal(make(['Makefile', 'test.c']).meta?.command, 'make test');
  });

  it('takes the targets of a Makefile in a folder of tests as test targets, the one CI runs first', () => {
    const texts: Record<string, string> = {
      'tests/Makefile': 'INCLUDES = -I..\nCFLAGS := -O2\n\nall:\n\t$(CC) $(INCLUDES) test_image.c -lm\n\nfuzz: all\n\t./fuzz\n\nclean:\n\trm -f *.o\n',
      '.travis.yml': 'language: C\nscript:\n  - cd tests\n  - make all\n',
      'tools/Makefile': 'all:\n\tcc tool.c\n',
    };
    const notes = notesForPaths(['stb_image.h', 'tests/Makefile', 'tests/test_image.c', '.travis.yml', 'tools/Makefile', 'tools/tool.c'], (p) => texts[p], 'c');
    const make = hook(notes, 'test-hook:make:tests');
    assert.equal(make.meta?.command, 'cd tests && make all');
    assert.deepEqual(make.meta?.commands, ['cd tests && make all', 'cd tests && make fuzz'], 'no assignment, no clean');
    assert.ok(!notes.some((n) => n.id === 'test-hook:make:tools'), 'a Makefile elsewhere needs a test target');
    texts['Makefile'] = 'test:\n\tcd tests && make all\n';
    const rooted = notesForPaths(['Makefile', 'stb_image.h', 'tests/Makefile', 'tests/test_image.c'], (p) => texts[p], 'c');
    assert.deepEqual(rooted.filter((n) => n.id.startsWith('test-hook:make')).map((n) => n.meta?.command), ['make test'], 'only when nothing else runs the tests');
  });

  it('maps a test by name within its own package, never a shared helper, and strips `tests_` and `_unittest`', () => {
    const paths = [
      'Cargo.toml', 'core/Cargo.toml', 'core/src/fields.rs', 'core/tests/fields.rs', 'serde/Cargo.toml', 'serde/src/fields.rs',
      'lib/web/helpers.rb', 'test/helper.rb', 'tests/tests_tqdm.py', 'tqdm/tqdm.py', 'db/env_unittest.cc', 'db/env.cc',
    ];
    const notes = notesForPaths(paths, () => '', 'rust');
    const map = hook(notes, 'test-hook:map').meta?.map as Record<string, string[]>;
    assert.deepEqual(map['core/tests/fields.rs'], ['core/src/fields.rs'], "not the serde crate's fields.rs");
    assert.equal(map['test/helper.rb'], undefined, 'a helper tests nothing called helpers');
    assert.deepEqual(map['tests/tests_tqdm.py'], ['tqdm/tqdm.py']);
    assert.deepEqual(map['db/env_unittest.cc'], ['db/env.cc']);
  });

  it('finds .NET test projects by framework, by declaration or by name, the tests\' own first; a root .slnx runs them all; a build project downloading a runner is none', () => {
    const files: Record<string, string> = {
      'Polly.slnx': '<Solution />',
      'src/Snippets/Snippets.csproj': '<Project>\n  <ItemGroup>\n    <PackageReference Include="xunit" />\n  </ItemGroup>\n</Project>\n',
      'src/Polly.Core/Polly.Core.csproj': '<Project>\n</Project>\n',
      'test/Polly.Core.Tests/Polly.Core.Tests.csproj': '<Project>\n  <PropertyGroup>\n    <ProjectType>Test</ProjectType>\n  </PropertyGroup>\n</Project>\n',
      'test/Polly.Specs/Polly.Specs.csproj': '<Project>\n</Project>\n',
      'test/Polly.Core.Tests/RetryTests.cs': '',
      'Build/_build.csproj': '<Project>\n  <ItemGroup>\n    <PackageDownload Include="xunit.runner.console" Version="[2.4.1]" />\n  </ItemGroup>\n</Project>\n',
    };
    const notes = notesForPaths(Object.keys(files), (p) => files[p], 'csharp');
    const dotnet = hook(notes, 'test-hook:dotnet:.');
    assert.equal(dotnet.meta?.command, 'dotnet test');
    assert.deepEqual(dotnet.meta?.commands, [
      'dotnet test test/Polly.Core.Tests/Polly.Core.Tests.csproj', 'dotnet test test/Polly.Specs/Polly.Specs.csproj', 'dotnet test src/Snippets/Snippets.csproj',
    ]);
    assert.deepEqual(dotnet.evidence.map((e) => `${e.path}:${e.startLine}`).slice(0, 2), ['test/Polly.Core.Tests/Polly.Core.Tests.csproj:3', 'test/Polly.Specs/Polly.Specs.csproj:1']);
  });

  it('turns on the CMake option, off by default, that guards the tests', () => {
    const root = 'cmake_minimum_required(VERSION 3.10)\nproject(spdlog)\noption(SPDLOG_BUILD_EXAMPLE "Build example" ON)\noption(SPDLOG_BUILD_TESTS "Build tests" OFF)\noption(SPDLOG_BUILD_TESTS_HO "Build tests header only" OFF)\nif(SPDLOG_BUILD_TESTS OR SPDLOG_BUILD_TESTS_HO)\n  enable_testing()\n  add_subdirectory(tests)\nendif()\n';
    const plain = 'project(x)\nenable_testing()\nadd_test(NAME t COMMAND t)\n';
    const ctest = (text: string): Note => hook(notesForPaths(['CMakeLists.txt', 'tests/test_main.cpp'], (p) => (p === 'CMakeLists.txt' ? text : ''), 'cpp'), 'test-hook:ctest:.');
    const guarded = ctest(root);
    assert.equal(guarded.meta?.command, 'cmake -S . -B build -DSPDLOG_BUILD_TESTS=ON && cmake --build build && ctest --test-dir build');
    assert.equal(guarded.evidence[0].startLine, 4);
    assert.equal(ctest(plain).meta?.command, 'cmake -S . -B build && cmake --build build && ctest --test-dir build');
    const negative = 'project(hiredis)\noption(DISABLE_TESTS "If tests should be compiled or not" OFF)\noption(ENABLE_SSL_TESTS "Test SSL" OFF)\nif(NOT DISABLE_TESTS)\n  enable_testing()\n  if(ENABLE_SSL_TESTS)\n    add_definitions(-DTEST_SSL=1)\n  endif()\n  add_test(NAME t COMMAND t)\nendif()\n';
    assert.equal(ctest(negative).meta?.command, 'cmake -S . -B build && cmake --build build && ctest --test-dir build', 'an option that disables, a NOT guard, or one around a definition only, is left as it is');
  });

  it('turns on no option that only adds one more test to a suite that runs anyway (fmt: FMT_CUDA_TEST)', () => {
    const texts: Record<string, string> = {
      'CMakeLists.txt': 'project(fmt)\noption(FMT_TEST "Generate the test target." ${FMT_MASTER_PROJECT})\noption(FMT_CUDA_TEST "Generate the cuda-test target." OFF)\nif (FMT_TEST)\n  enable_testing()\n  add_subdirectory(test)\nendif ()\n',
      'test/CMakeLists.txt': 'add_test(NAME format-test COMMAND format-test)\nif (FMT_CUDA_TEST)\n  add_test(NAME cuda-test COMMAND cuda-test)\nendif ()\n',
    };
    const ctest = (t: Record<string, string>): Note => hook(notesForPaths([...Object.keys(t), 'test/format-test.cc'], (p) => t[p] ?? '', 'cpp'), 'test-hook:ctest:.');
    const fmt = ctest(texts);
    assert.equal(fmt.meta?.command, 'cmake -S . -B build && cmake --build build && ctest --test-dir build');
    assert.deepEqual(fmt.body.match(/only with/), null);
    // Every test the build adds sits inside the option's block: without it there are none.
    const onlyGuarded = { 'CMakeLists.txt': 'project(x)\noption(X_TESTS "Build tests" OFF)\nenable_testing()\nif(X_TESTS)\n  add_executable(t t.c)\n  add_test(NAME t COMMAND t)\nendif()\n' };
    assert.equal(ctest(onlyGuarded).meta?.command, 'cmake -S . -B build -DX_TESTS=ON && cmake --build build && ctest --test-dir build');
  });

  it('gives a Gradle build without tests no command (an Android packaging build beside C++), and lists the root project first', () => {
    const texts: Record<string, string> = {
      'CMakeLists.txt': 'project(fmt)\nenable_testing()\nadd_test(NAME t COMMAND t)\n',
      'support/build.gradle': 'buildscript {\n  dependencies { classpath "com.android.tools.build:gradle:4.1.1" }\n}\napply plugin: "com.android.library"\n',
      'lib/build.gradle': 'plugins { id "java" }\n',
      'app/build.gradle': 'plugins { id "java" }\ndependencies {\n  testImplementation "junit:junit:4.13"\n}\n',
    };
    const ids = (t: Record<string, string>, extra: string[] = []): string[] =>
      notesForPaths([...Object.keys(t), 'test/t.cc', ...extra], (p) => t[p] ?? '').map((n) => n.id).filter((id) => /:(gradle|ctest):/.test(id));
    assert.deepEqual(ids(texts), ['test-hook:ctest:.', 'test-hook:gradle:app']);
    assert.deepEqual(ids(texts, ['lib/src/test/java/LibTest.java']).sort(), ['test-hook:ctest:.', 'test-hook:gradle:app', 'test-hook:gradle:lib']);
  });

  it('runs the specs of each Ruby project from its folder, and minitest or test-unit from the Rakefile that defines a test task (sinatra, faraday)', () => {
    const texts: Record<string, string> = {
      Gemfile: "source 'https://rubygems.org'\ngemspec\n",
      Rakefile: "require 'rake/testtask'\nRake::TestTask.new(:test) do |t|\nend\n",
      'rack-protection/Gemfile': "gemspec\n",
      'rack-protection/rack-protection.gemspec': "Gem::Specification.new do |s|\n  s.add_development_dependency 'rspec'\nend\n",
      'sinatra-contrib/.rspec': '--color\n',
      'sinatra-contrib/sinatra-contrib.gemspec': 'Gem::Specification.new do |s|\nend\n',
    };
    const specs = ['rack-protection/spec/lib/rack/protection/json_csrf_spec.rb', 'sinatra-contrib/spec/namespace_spec.rb', 'sinatra-contrib/spec/streaming_spec.rb'];
    const notes = notesForPaths([...Object.keys(texts), 'test/routing_test.rb', ...specs], (p) => texts[p] ?? '');
    const commands = notes.filter((n) => /:(rspec|minitest):/.test(n.id)).map((n) => `${n.id} ${n.meta?.command as string}`);
    assert.deepEqual(commands, [
      'test-hook:minitest:. bundle exec rake test',
      'test-hook:rspec:rack-protection cd rack-protection && bundle exec rspec',
      'test-hook:rspec:sinatra-contrib cd sinatra-contrib && rspec',
    ]);
    assert.deepEqual(hook(notes, 'test-hook:rspec:sinatra-contrib').evidence.map((e) => e.path), ['sinatra-contrib/.rspec']);
    // One project: its specs run from the root.
    const single = notesForPaths(['Gemfile', '.rspec', 'spec/model_spec.rb'], (p) => (p === 'Gemfile' ? "gem 'rspec'\n" : ''));
    assert.equal(hook(single, 'test-hook:rspec:.').meta?.command, 'bundle exec rspec');
    // Specs of no Ruby project (a C library's vendored test tool) run from the folder holding their spec/, not the root.
    const vendored = notesForPaths(['Makefile', 'tests/unity/test/spec/generate_module_spec.rb'], (p) => (p === 'Makefile' ? 'test:\n\t./run\n' : ''));
    assert.deepEqual(vendored.filter((n) => n.id.includes(':rspec:')).map((n) => n.meta?.command), ['cd tests/unity/test && rspec']);
    // A Rakefile's own `task :test` beside Ruby tests (faraday's runs script/test); test-unit when the helper requires it.
    const own: Record<string, string> = { Gemfile: "gemspec\n", Rakefile: "task :default => :test\n\ntask :test do\n  exec 'script/test'\nend\n", 'test/helper.rb': "require 'minitest/autorun'\n" };
    const ownIds = (t: Record<string, string>, tests: string[]): string[] =>
      notesForPaths([...Object.keys(t), ...tests], (p) => t[p] ?? '').filter((n) => n.title.startsWith('Tests:')).map((n) => `${n.id} ${n.meta?.command as string}`);
    assert.deepEqual(ownIds(own, ['test/env_test.rb']), ['test-hook:minitest:. bundle exec rake test']);
    assert.deepEqual(ownIds({ ...own, 'test/helper.rb': "require 'test/unit'\n" }, ['test/env_test.rb']), ['test-hook:test-unit:. bundle exec rake test']);
    assert.deepEqual(ownIds(own, []), [], 'a test task without Ruby tests beside it runs something else');
  });

  it("reads a cmake_dependent_option over lines, and none of a vendored copy's build files or tests", () => {
    const root = 'project(yaml)\ncmake_dependent_option(YAML_BUILD_TESTS\n  "Enable tests" OFF\n  "BUILD_TESTING" OFF)\nif(YAML_BUILD_TESTS)\n  add_subdirectory(test)\nendif()\n';
    const vendored = 'project(gtest)\noption(gmock_build_tests "Build all of Google Mock\'s own tests." OFF)\nif(gmock_build_tests)\n  enable_testing()\n  add_test(NAME g COMMAND g)\nendif()\n';
    const texts: Record<string, string> = { 'CMakeLists.txt': root, 'test/CMakeLists.txt': 'add_test(NAME t COMMAND t)\n', 'test/googletest-1.16.0/CMakeLists.txt': vendored };
    const paths = [...Object.keys(texts), 'test/node_test.cpp', 'test/googletest-1.16.0/test/gtest_help_test.py'];
    const notes = notesForPaths(paths, (p) => texts[p] ?? '', 'cpp');
    assert.equal(hook(notes, 'test-hook:ctest:.').meta?.command, 'cmake -S . -B build -DYAML_BUILD_TESTS=ON && cmake --build build && ctest --test-dir build');
    assert.deepEqual(notes.filter((n) => n.id.startsWith('test-hook:unittest')), [], "googletest's own Python tests");
  });

  it('counts a symbol as tested when the tests write its name in a form no tag captures (`Faraday::Error`, `(*Logger).WithLazy`)', () => {
    const files = [
      analysis('src/logger.ts', { defs: [def('WithLazy', 1, 9, 'method'), def('EpochTimeEncoder', 11, 20), def('neverUsedHere', 22, 30)], lines: 30 }),
      analysis('src/logger.test.ts', { lines: 3, terms: contentTerms('const lazy = (*Logger).WithLazy;\nencode(EpochTimeEncoder);\n') }),
    ];
    const scan = { root: '/x', isGit: false, files: files.map((f) => ({ path: f.path, size: 1, mtimeMs: 0, language: f.language })), skipped: [], errors: [] };
    const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText: () => '', now: NOW });
    assert.deepEqual((hook(notes, 'test-hook:untested').meta?.untested as { name: string }[]).map((u) => u.name), ['neverUsedHere']);
  });

  it('counts no standard trait method or override as untested: the code that uses the type calls it', () => {
    const files = [
      analysis('src/uri.rs', { language: 'rust', defs: [def('fmt', 1, 9, 'method'), def('try_from', 11, 20, 'method'), def('parse_full', 22, 30), def('from', 31, 40)], lines: 40 }),
      analysis('tests/uri.rs', { language: 'rust', lines: 3, terms: contentTerms('fn it_parses() { assert!(true); }\n') }),
    ];
    const scan = { root: '/x', isGit: false, files: files.map((f) => ({ path: f.path, size: 1, mtimeMs: 0, language: f.language })), skipped: [], errors: [] };
    const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText: () => '', now: NOW });
    assert.deepEqual((hook(notes, 'test-hook:untested').meta?.untested as { name: string }[]).map((u) => u.name).sort(), ['from', 'parse_full'], 'a free function named `from` is still one to test');
  });

  it('lists no constant, interface method, type declaration, Python private module or class, build script or test case as untested', () => {
    const member = (name: string, parent: string, startLine: number): SymbolDef => ({ ...def(name, startLine, startLine + 2, 'method'), parent });
    const files = [
      analysis('src/Options.java', { language: 'java', defs: [def('Options', 1, 90, 'class'), def('DEFAULT_WIDTH', 3, 3, 'constant'), member('addOption', 'Options', 10)], lines: 90 }),
      analysis('claims.go', { language: 'go', defs: [def('Claims', 1, 9, 'interface'), member('GetIssuer', 'Claims', 3), def('ErrInvalid', 11, 11, 'variable')], lines: 12 }),
      analysis('lib/types.d.ts', { defs: [def('MochaOptions', 1, 9, 'interface')], lines: 9 }),
      analysis('pkg/validators.py', { language: 'python', defs: [{ ...def('_RefResolver', 1, 90, 'class'), exported: false }, member('push_scope', '_RefResolver', 5), def('validate', 91, 99)], lines: 99 }),
      analysis('pkg/_utils.py', { language: 'python', defs: [def('uniq', 1, 9)], lines: 9 }),
      analysis('noxfile.py', { language: 'python', defs: [def('tests', 1, 9)], lines: 9 }),
      analysis('bin/suite', { language: 'python', defs: [def('SanityTests', 1, 20, 'class'), member('test_valid', 'SanityTests', 3), member('setUpClass', 'SanityTests', 9)], lines: 20 }),
      analysis('tests/test_all.py', { language: 'python', lines: 3, terms: contentTerms('def test_it():\n    assert True\n') }),
    ];
    const scan = { root: '/x', isGit: false, files: files.map((f) => ({ path: f.path, size: 1, mtimeMs: 0, language: f.language })), skipped: [], errors: [] };
    const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText: () => '', now: NOW });
    assert.deepEqual((hook(notes, 'test-hook:untested').meta?.untested as { name: string }[]).map((u) => u.name).sort(), ['Claims', 'Options', 'addOption', 'validate']);
  });

  it('lists a private class\'s members and a method\'s overloads as untested no more than once, or not at all', () => {
    const member = (name: string, parent: string, startLine: number): SymbolDef => ({ ...def(name, startLine, startLine + 2, 'method'), parent });
    const files = [
      analysis('src/FastDatePrinter.java', {
        language: 'java', lines: 90,
        defs: [def('FastDatePrinter', 1, 90, 'class'), member('append', 'FastDatePrinter', 5), member('append', 'FastDatePrinter', 9), { ...def('TextField', 20, 40, 'class'), exported: false }, member('estimateLength', 'TextField', 22)],
      }),
      analysis('src/test/Other.java', { language: 'java', lines: 3 }),
    ];
    const scan = { root: '/x', isGit: false, files: files.map((f) => ({ path: f.path, size: 1, mtimeMs: 0, language: f.language })), skipped: [], errors: [] };
    const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText: () => '', now: NOW });
    assert.deepEqual((hook(notes, 'test-hook:untested').meta?.untested as { name: string }[]).map((u) => u.name).sort(), ['FastDatePrinter', 'append']);
  });

  it('lists no example, benchmark, vendored copy or namespace as an untested symbol', () => {
    const files = [
      analysis('src/Uuid.php', { language: 'php', defs: [def('Ramsey\\Uuid', 1, 40, 'module'), def('fromBytes', 3, 9, 'method')], lines: 40 }),
      analysis('_examples/rest/main.go', { language: 'go', defs: [def('NewArticleResponse', 1, 9)], lines: 9 }),
      analysis('benchmarks/PetaPoco/PetaPoco.cs', { language: 'csharp', defs: [def('Database', 1, 9, 'class')], lines: 9 }),
      analysis('test/googletest-1.16.0/src/gtest.cc', { language: 'cpp', defs: [def('RunAllTests', 1, 9)], lines: 9 }),
      analysis('tests/UuidTest.php', { language: 'php', lines: 3, terms: contentTerms('function testIt() { $this->assertTrue(true); }\n') }),
    ];
    const scan = { root: '/x', isGit: false, files: files.map((f) => ({ path: f.path, size: 1, mtimeMs: 0, language: f.language })), skipped: [], errors: [] };
    const notes = buildTestHookNotes({ scan, files: new Map(files.map((f) => [f.path, f])), readText: () => '', now: NOW });
    assert.deepEqual((hook(notes, 'test-hook:untested').meta?.untested as { name: string }[]).map((u) => u.name), ['fromBytes']);
  });

  it('finds nothing in a folder without tests', () => {
    const none = notesForPaths(['a.md'], () => 'hello');
    assert.deepEqual(none, []);
  });

  it('maps no test by name to an example, doc or benchmark of that name, unless the test sits beside it', () => {
    const paths = ['tests/blocking.rs', 'examples/blocking.rs', 'src/blocking.rs', 'tests/simple.rs', 'examples/simple.rs', 'examples/tests/test_demo.py', 'examples/demo.py'];
    const notes = notesForPaths(paths, () => undefined, 'rust');
    assert.deepEqual(hook(notes, 'test-hook:map').meta?.map, { 'examples/tests/test_demo.py': ['examples/demo.py'], 'tests/blocking.rs': ['src/blocking.rs'] });
  });

  it('reads a tox envlist over several lines, generative names expanded, and one on a single line', () => {
    const multi = '[tox]\nenvlist =\n    py{39,38}-django{3,4}\n    style  # lint\n    docs\nskip_missing_interpreters = true\n\n[testenv]\ncommands = pytest\n';
    const tox = (text: string): Note => hook(notesForPaths(['tox.ini', 'tests/test_a.py'], (p) => (p === 'tox.ini' ? text : ''), 'python'), 'test-hook:tox:.');
    const many = tox(multi);
    assert.match(many.body, /Environments: py39-django3, py39-django4, py38-django3, py38-django4, style, docs\./);
    assert.deepEqual((many.meta?.commands as string[]).slice(0, 2), ['tox -e py39-django3', 'tox -e py39-django4']);
    assert.match(tox('[tox]\nenvlist = py38, lint\n').body, /Environments: py38, lint\./);
    assert.match(tox('[tox]\nenv_list = py312, docs\n').body, /Environments: py312, docs\./, "tox 4's spelling");
    // Many environments: the note lists the first ten commands, its meta all of them.
    const wide = tox('[tox]\nenvlist = py{38,39,310,311,312}-django{32,40,41,42,50}\n');
    assert.match(wide.body, /Other commands: (`tox -e [\w-]+`, ){10}and 15 more\./);
    assert.equal((wide.meta?.commands as string[]).length, 25);
  });

  it('runs an Automake test suite with `make check` once configure has made the Makefile', () => {
    const am = 'bin_PROGRAMS = jq\nTESTS = tests/mantest tests/jqtest\nTESTS += tests/shtest\n';
    const run = (paths: string[]): Note[] => notesForPaths(['Makefile.am', 'src/main.c', ...paths], (p) => (p === 'Makefile.am' ? am : ''), 'c');
    const hooked = hook(run(['configure.ac']), 'test-hook:automake:.');
    assert.equal(hooked.meta?.command, 'autoreconf -i && ./configure && make check');
    assert.deepEqual(hooked.evidence.map((e) => e.startLine), [2, 3]);
    assert.equal(hook(run(['configure']), 'test-hook:automake:.').meta?.command, './configure && make check', 'a shipped configure script needs no autoreconf');
    assert.ok(!run([]).some((n) => n.id === 'test-hook:automake:.'), 'no configure, no Automake');
  });

  it('finds the Automake suite in a folder the root Makefile.am recurses into, and not in one it does not', () => {
    const texts: Record<string, string> = {
      'Makefile.am': 'EXTRA_DIST = CHANGES\nSUBDIRS = doc src \\\n\ttest\n',
      'test/Makefile.am': 'SUBDIRS = bin suites\n\nTESTS = run-suites\n',
      'vendor/lib/Makefile.am': 'TESTS = vendored-check\n',
    };
    const paths = ['configure.ac', 'src/value.c', ...Object.keys(texts)];
    const hooked = hook(notesForPaths(paths, (p) => texts[p] ?? '', 'c'), 'test-hook:automake:.');
    assert.equal(hooked.meta?.command, 'autoreconf -i && ./configure && make check');
    assert.deepEqual(hooked.evidence.map((e) => `${e.path}:${e.startLine}`), ['test/Makefile.am:3']);
    const unreached = notesForPaths(paths, (p) => (p === 'Makefile.am' ? 'SUBDIRS = src\n' : texts[p] ?? ''), 'c');
    assert.ok(!unreached.some((n) => n.id === 'test-hook:automake:.'), 'a suite no SUBDIRS reaches is not run by make check');
  });

  it('runs plain test functions, or a project that declares pytest, with pytest; TestCase classes alone with unittest', () => {
    const pyproject = '[tool.flit.metadata]\nmodule = "typer"\n\n[tool.flit.metadata.requires-extra]\ntest = [\n    "pytest >=4.0.0",\n    "pytest-cov",\n]\n';
    const caseTest = 'import unittest\n\nclass T(unittest.TestCase):\n    def test_a(self):\n        self.assertTrue(True)\n';
    const plainTest = 'from typer.testing import CliRunner\n\ndef test_cli():\n    assert CliRunner()\n';
    const framework = (texts: Record<string, string>): unknown[] =>
      notesForPaths(Object.keys(texts), (p) => texts[p], 'python').filter((n) => n.meta?.framework).map((n) => n.meta?.framework);
    assert.deepEqual(framework({ 'tests/test_cli.py': plainTest }), ['pytest']);
    assert.deepEqual(framework({ 'tests/test_cli.py': caseTest }), ['unittest']);
    const declared = notesForPaths(['pyproject.toml', 'tests/test_cli.py'], (p) => (p === 'pyproject.toml' ? pyproject : caseTest), 'python');
    assert.equal(hook(declared, 'test-hook:pytest:.').meta?.command, 'pytest');
    assert.ok(hook(declared, 'test-hook:pytest:.').evidence.some((e) => e.path === 'pyproject.toml' && e.startLine === 6), 'cites the declaration');
    assert.deepEqual(framework({ 'requirements-dev.txt': 'black\npytest==7.1\n', 'tests/test_cli.py': caseTest }), ['pytest']);
    assert.deepEqual(framework({ 'requirements-dev.txt': 'pytest-cov\n', 'tests/test_cli.py': caseTest }), ['unittest'], 'a plugin alone is not pytest');
  });

  it('reads nox sessions under `@nox.session` or a decorator of the noxfile\'s own, and leads with nox over plain unittest', () => {
    const noxfile = [
      'import nox', '', 'def session(default=True, **kwargs):', '    def _session(fn):', '        return nox.session(**kwargs)(fn)', '    return _session', '',
      '@session(python=SUPPORTED)', '@nox.parametrize("installable", INSTALLABLE)', 'def tests(session, installable):', '    session.run("virtue")', '',
      '@nox.session(tags=["style"])', 'def style(session):', '    session.run("ruff")', '', 'def _helper(session):', '    pass', '',
    ].join('\n');
    const notes = notesForPaths(['noxfile.py', 'pkg/tests/test_a.py', 'pkg/__init__.py'], (p) => (p === 'noxfile.py' ? noxfile : p.endsWith('test_a.py') ? 'import unittest\n' : ''), 'python');
    const nox = hook(notes, 'test-hook:nox:.');
    assert.match(nox.body, /Sessions: tests, style\./);
    assert.deepEqual(nox.meta?.commands, ['nox -s tests', 'nox -s style']);
    assert.deepEqual(nox.evidence.map((e) => e.startLine), [10, 14]);
    assert.deepEqual(notes.filter((n) => n.meta?.framework).map((n) => n.meta?.framework), ['nox', 'unittest'], 'unittest guessed from test files alone comes second');
  });

  it('lists a test\'s sources named like it first, then the first few it imports; its meta keeps them all', () => {
    const imported = ['src/errors/a.php', 'src/errors/b.php', 'src/errors/c.php', 'src/Config.php', 'src/Visibility.php', 'src/Path.php', 'src/Local/Adapter.php'];
    const paths = ['src/Local/AdapterTest.php', ...imported];
    const files = paths.map((p) => ({ path: p, size: 1, mtimeMs: 0, language: 'php' as const }));
    const notes = buildTestHookNotes({
      scan: { root: '/x', isGit: false, files, skipped: [], errors: [] }, files: new Map(), readText: () => undefined, now: NOW,
      imports: new Map([['src/Local/AdapterTest.php', imported]]),
    });
    const map = hook(notes, 'test-hook:map');
    assert.match(map.body, /^- src\/Local\/AdapterTest\.php:1 -> src\/Local\/Adapter\.php, src\/errors\/a\.php, src\/errors\/b\.php, src\/errors\/c\.php, src\/Config\.php, and 2 more it imports$/m);
    assert.deepEqual(map.meta?.map, { 'src/Local/AdapterTest.php': [...imported].sort() });
  });
});
