import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { simpleGit } from 'simple-git';
import { isSecretPath } from '../../src/core/privacy/secretFiles';
import { fitsLanguage, languageForPath, languageOfSource } from '../../src/core/scan/languages';
import { scanRepository } from '../../src/core/scan/scan';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-scan-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
}

function folder(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(tmpRoot, name);
  write(root, files);
  return root;
}

describe('languageForPath', () => {
  it('maps extensions to grammar languages', () => {
    assert.equal(languageForPath('src/a.ts'), 'typescript');
    assert.equal(languageForPath('types/x.d.ts'), 'typescript');
    assert.equal(languageForPath('a/B.TSX'), 'tsx');
    assert.equal(languageForPath('x.cjs'), 'javascript');
    assert.equal(languageForPath('lib/x.h'), 'c');
    assert.equal(languageForPath('lib/x.hpp'), 'cpp');
    assert.equal(languageForPath('tasks/db.rake'), 'ruby');
    assert.equal(languageForPath('README.md'), null);
    assert.equal(languageForPath('Makefile'), null);
    assert.equal(languageForPath('.ts'), null);
  });
});

describe('languageOfSource', () => {
  it('parses a .h header written in C++ as C++ and leaves C headers and other files alone', () => {
    const cppHeaders = [
      'namespace fmt {\nint f();\n}\n',
      'template <typename T> struct box { T v; };\n',
      '#include <vector>\nint n(std::vector<int> v);\n',
      'class Widget : public Base {\n public:\n  void draw();\n};\n',
    ];
    for (const text of cppHeaders) assert.equal(languageOfSource('include/x.h', 'c', text), 'cpp', text);
    const cHeader = '#include <string.h>\n#ifdef __cplusplus\nextern "C" {\n#endif\nstruct point { int x; };\nint area(struct point *p);\n#ifdef __cplusplus\n}\n#endif\n';
    assert.equal(languageOfSource('include/x.h', 'c', cHeader), 'c');
    assert.equal(languageOfSource('src/x.c', 'c', 'namespace fmt {\n}\n'), 'c');
    assert.equal(languageOfSource('src/x.ts', 'typescript', 'namespace A {\n}\n'), 'typescript');
  });

  it('gives an extensionless script the language of the interpreter its #! line names', () => {
    assert.equal(languageOfSource('bin/rake', null, '#!/usr/bin/env ruby\nrequire "rake"\n'), 'ruby');
    assert.equal(languageOfSource('bin/tool', null, '#!/usr/bin/env -S node --no-warnings\n'), 'javascript');
    assert.equal(languageOfSource('scripts/run', null, '#!/usr/bin/python3.12\nimport sys\n'), 'python');
    assert.equal(languageOfSource('bin/console', null, '#!/usr/bin/env php\n<?php\n'), 'php');
    assert.equal(languageOfSource('bin/setup', null, '#!/bin/bash\nset -e\n'), null);
    assert.equal(languageOfSource('bin/nodes', null, '#!/usr/bin/nodejs-like\n'), null);
    assert.equal(languageOfSource('tools/x.sh', null, '#!/usr/bin/env node\n'), null);
    assert.equal(languageOfSource('NOTICE', null, 'node ruby\n'), null);
  });

  it('lets a cached C++ analysis of a .h file stand for the C its extension gives, and nothing else', () => {
    assert.equal(fitsLanguage('a/x.h', 'c', 'cpp'), true);
    assert.equal(fitsLanguage('a/x.h', 'c', 'c'), true);
    assert.equal(fitsLanguage('a/x.c', 'c', 'cpp'), false);
    assert.equal(fitsLanguage('a/x.ts', 'typescript', 'tsx'), false);
    assert.equal(fitsLanguage('bin/rake', null, 'ruby'), true, 'a script by its #! line');
    assert.equal(fitsLanguage('docs/x.md', null, 'ruby'), false);
  });
});

describe('isSecretPath', () => {
  it('flags credential files and leaves ordinary ones', () => {
    for (const p of ['.env', 'app/.env.local', '.env.example', 'certs/server.pem', 'id_rsa', 'home/id_ed25519.pub',
      '.npmrc', 'credentials.json', 'config/secrets.yaml', 'release.keystore', 'x.p12']) {
      assert.equal(isSecretPath(p), true, p);
    }
    for (const p of ['src/env.ts', 'keyboard.ts', 'docs/secrets-management.md', 'environment.py', 'monkey.js']) {
      assert.equal(isSecretPath(p), false, p);
    }
  });
});

describe('scanRepository outside git', () => {
  it('honours nested .gitignore files and always skips .git, node_modules and .sleeptime', async () => {
    const root = folder('plain', {
      '.gitignore': 'ignored.txt\nlogs/\n*.tmp\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/ignored.txt': 'x',
      'logs/today.log': 'x',
      'sub/.gitignore': 'local.py\n!keep.tmp\n',
      'sub/local.py': 'x = 1\n',
      'sub/main.py': 'x = 1\n',
      'sub/keep.tmp': 'kept\n',
      'other.tmp': 'dropped\n',
      'node_modules/x/index.js': 'x',
      '.sleeptime/notes.json': '[]',
      '.git/config': '[core]',
    });
    const res = await scanRepository(root);
    assert.equal(res.isGit, false);
    assert.deepEqual(res.files.map((f) => f.path), ['.gitignore', 'src/a.ts', 'sub/.gitignore', 'sub/keep.tmp', 'sub/main.py']);
    assert.equal(res.files.find((f) => f.path === 'src/a.ts')?.language, 'typescript');
    assert.equal(res.files.find((f) => f.path === 'src/a.ts')?.size, 20);
    assert.deepEqual(res.errors, []);
  });

  it('classifies skipped files with reasons', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]);
    const root = folder('skips', {
      'ok.js': 'function f() {\n  return 1;\n}\n',
      'img.png': png,
      'blob.dat': Buffer.concat([Buffer.from('abc'), Buffer.alloc(10), Buffer.from('def')]),
      'huge.txt': 'line\n'.repeat(500_000),
      'bundle.js': 'var a=1;'.repeat(1000),
      'lib.min.js': 'x',
      'package-lock.json': '{}',
      'api.pb.go': 'package api\n',
      'gen.ts': '// Code generated by protoc. DO NOT EDIT.\nexport const x = 1;\n',
      // Said in words a few lines down, in a docstring; a `@Generated()` decorator there is code.
      'locales/de.py': '# -*- coding: utf-8 -*-\nfrom __future__ import unicode_literals\n"""\nde locale file.\n\nIt has been generated automatically and must not be modified directly.\n"""\nlocale = {}\n',
      'entity/Post.ts': 'import { Entity, Generated } from "typeorm";\n\n@Entity()\nexport class Post {\n  id: number;\n\n  @Generated()\n  uuid: string;\n}\n',
      'dist/out.js': 'x',
      'build/index.js': 'x',
      'build/types.d.ts': 'x',
      'build/release.ts': 'export const x = 1;\n',
      '.env': 'TOKEN=1',
      'keys/server.pem': '-----BEGIN',
      // A highlighter's expected output: colored terminal text; and code that prints one color.
      'highlighted/test.swift': '\x1b[38;2;102;217;239mclass\x1b[0m \x1b[38;2;248;248;242mPerson {\x1b[0m\n'.repeat(40),
      'colors.py': `RED = "\x1b[31m"\nRESET = "\x1b[0m"\n${'def f(x):\n    return x + 1\n\n'.repeat(20)}`,
      // Catch2's single-file build says what it is below its license header; a file that only mentions one is code.
      'extras/catch_amalgamated.cpp': `${'// Copyright and license\n'.repeat(8)}//  This file is an amalgamation of multiple different files.\n//  You probably shouldn't edit it directly.\nint f() { return 1; }\n`,
      'db.c': '/* Links the SQLite amalgamation; edit it directly when needed. */\nint open_db(void) { return 0; }\n',
      // Bundles carry their bundler's loader below a license header, unminified as the rest may be; code that only
      // checks for `require` is not one.
      'yaml.js': `${'// license\n'.repeat(20)}var jsyaml = (function () {\nrequire=(function(e,t,n){function i(n,s){if(!t[n]){if(!e[n]){var o=typeof require=="function"&&require;if(!s&&o)return o(n,!0)}}}})\n`,
      'app.bundle.js': '/******/ (function(modules) { // webpackBootstrap\n/******/ \tvar installedModules = {};\n',
      'umd.js': "(function (root) {\n  if (typeof require === 'function' && require.amd) define([], root);\n})(this);\n",
      // Rollup's UMD build of `src/` (moment's `moment.js`); a UMD wrapper written by hand is code.
      'moment.js': "//! moment.js\n\n;(function (global, factory) {\n    typeof exports === 'object' && typeof module !== 'undefined' ? module.exports = factory() :\n    typeof define === 'function' && define.amd ? define(factory) :\n    global.moment = factory()\n}(this, (function () { 'use strict';\n",
      'returnExports.js': "(function (root, factory) {\n  if (typeof define === 'function' && define.amd) define([], factory);\n  else if (typeof exports === 'object' && typeof module !== 'undefined') module.exports = factory();\n  else root.x = factory();\n}(this, function () { return {}; }));\n",
    });
    fs.symlinkSync(path.join(root, 'ok.js'), path.join(root, 'link.js'));
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'caf')), Buffer.from([0xe9]), Buffer.from('.py')]), 'x = 1\n');
    const res = await scanRepository(root);
    // A build folder's scripts are code; what a compiler writes there is not.
    assert.deepEqual(res.files.map((f) => f.path), ['build/release.ts', 'colors.py', 'db.c', 'entity/Post.ts', 'ok.js', 'returnExports.js', 'umd.js']);
    assert.deepEqual(res.skipped, [
      { path: '.env', reason: 'secret' },
      { path: 'api.pb.go', reason: 'generated' },
      { path: 'app.bundle.js', reason: 'generated' },
      { path: 'blob.dat', reason: 'binary' },
      { path: 'build/index.js', reason: 'generated' },
      { path: 'build/types.d.ts', reason: 'generated' },
      { path: 'bundle.js', reason: 'minified' },
      { path: 'caf\uFFFD.py', reason: 'unreadable' },
      { path: 'dist/out.js', reason: 'generated' },
      { path: 'extras/catch_amalgamated.cpp', reason: 'generated' },
      { path: 'gen.ts', reason: 'generated' },
      { path: 'highlighted/test.swift', reason: 'generated' },
      { path: 'huge.txt', reason: 'too-large' },
      { path: 'img.png', reason: 'binary' },
      { path: 'keys/server.pem', reason: 'secret' },
      { path: 'lib.min.js', reason: 'minified' },
      { path: 'link.js', reason: 'symlink' },
      { path: 'locales/de.py', reason: 'generated' },
      { path: 'moment.js', reason: 'generated' },
      { path: 'package-lock.json', reason: 'generated' },
      { path: 'yaml.js', reason: 'generated' },
    ]);
  });

  it('skips a folder of generated API documentation (Doxygen, Javadoc) as generated, in a walk and in git', async () => {
    const files = {
      'tinyxml2.cpp': 'int parse() { return 0; }\n',
      'docs/doxygen.css': 'body { margin: 0; }\n',
      'docs/menu.js': 'function initMenu(relPath) {\n  return relPath;\n}\n',
      'docs/search/search.js': 'function convertToId(search) {\n  return search;\n}\n',
      'api/allclasses-index.html': '<html></html>\n',
      'api/script.js': 'function loadScripts() {}\n',
      // A project's own `docs/` with code of its own, and a marker at the root, say nothing of the rest.
      'site/docs/build.js': 'module.exports = function build() {};\n',
      'doxygen.css': 'body { margin: 0; }\n',
    };
    const generated = ['api/allclasses-index.html', 'api/script.js', 'docs/doxygen.css', 'docs/menu.js', 'docs/search/search.js'];
    const walked = await scanRepository(folder('docs-walk', files));
    assert.deepEqual(walked.files.map((f) => f.path), ['doxygen.css', 'site/docs/build.js', 'tinyxml2.cpp']);
    assert.deepEqual(walked.skipped.filter((s) => s.reason === 'generated').map((s) => s.path), generated);
    const root = folder('docs-git', files);
    const git = simpleGit(root);
    await git.init();
    await git.add('.');
    const tracked = await scanRepository(root);
    assert.equal(tracked.isGit, true);
    assert.deepEqual(tracked.files.map((f) => f.path), ['doxygen.css', 'site/docs/build.js', 'tinyxml2.cpp']);
    assert.deepEqual(tracked.skipped.map((s) => s.path), generated);
  });

  it('applies include and exclude globs, exclude winning', async () => {
    const root = folder('globs', { 'src/a.ts': 'a', 'src/a.test.ts': 'a', 'docs/x.md': 'x' });
    const res = await scanRepository(root, { include: ['src/**'], exclude: ['**/*.test.ts'] });
    assert.deepEqual(res.files.map((f) => f.path), ['src/a.ts']);
  });

  it('respects maxFileBytes', async () => {
    const root = folder('max', { 'a.txt': 'x'.repeat(100) + '\n' });
    const res = await scanRepository(root, { maxFileBytes: 50 });
    assert.deepEqual(res.skipped, [{ path: 'a.txt', reason: 'too-large' }]);
  });

  it('keeps a project\'s one big source file by default (picocli\'s 1.2 MB CommandLine.java)', async () => {
    const method = (i: number): string => `    public int option${i}(int value) {\n        return value + ${i};\n    }\n`;
    const big = `public class CommandLine {\n${Array.from({ length: 24_000 }, (_, i) => method(i)).join('')}}\n`;
    assert.ok(big.length > 1_500_000);
    const res = await scanRepository(folder('big', { 'CommandLine.java': big }));
    assert.deepEqual(res.files.map((f) => f.path), ['CommandLine.java']);
  });

  it('throws a clear error for a missing folder or a file', async () => {
    await assert.rejects(scanRepository(path.join(tmpRoot, 'nope')), /does not exist/);
    const file = path.join(tmpRoot, 'file.txt');
    fs.writeFileSync(file, 'x');
    await assert.rejects(scanRepository(file), /not a folder/);
  });
});

describe('scanRepository in git', () => {
  it('lists tracked and untracked files, not ignored or deleted ones', async () => {
    const root = folder('repo', {
      '.gitignore': 'build-output/\n*.log\n',
      'tracked.ts': 'export {};\n',
      'gone.ts': 'export {};\n',
      'src/deep/b.py': 'x = 1\n',
    });
    const git = simpleGit(root);
    await git.init();
    await git.addConfig('user.name', 'T');
    await git.addConfig('user.email', 't@example.com');
    await git.add('.');
    await git.commit('init');
    write(root, { 'untracked.go': 'package x\n', 'debug.log': 'x', 'build-output/a.js': 'x' });
    fs.rmSync(path.join(root, 'gone.ts'));
    const announced: (readonly string[])[] = [];
    const res = await scanRepository(root, { onListed: (paths) => announced.push(paths) });
    assert.equal(res.isGit, true);
    assert.deepEqual(res.files.map((f) => f.path), ['.gitignore', 'src/deep/b.py', 'tracked.ts', 'untracked.go']);
    // Announced once, untracked files included: the analysis sizes its parse workers on this list.
    assert.equal(announced.length, 1);
    assert.deepEqual([...announced[0]].sort(), ['.gitignore', 'gone.ts', 'src/deep/b.py', 'tracked.ts', 'untracked.go']);
    assert.deepEqual(res.skipped, []);

    const sub = await scanRepository(path.join(root, 'src'));
    assert.deepEqual(sub.files.map((f) => f.path), ['deep/b.py']);
  });
});
