// Parse layer: tags queries per language, extraction, and the worker pool.
// Needs `npm run build` first (dist/grammars, dist/queries, dist/parseWorker.js).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { decodeSource } from '../../src/core/parse/batch';
import { analyzeSource, countLines } from '../../src/core/parse/extract';
import { cleanDoc } from '../../src/core/parse/docComments';
import { LANGUAGES, loadGrammar } from '../../src/core/parse/grammars';
import { floorParse, ParsePool, pinnedLanguages, planBatches, type ParseJob } from '../../src/core/parse/parsePool';
import type { FileAnalysis, Language, SymbolDef } from '../../src/core/types';

const FIXTURES = path.resolve(__dirname, '../fixtures/languages');

/** [name, kind, startLine, optional extra fields that must match]. */
type DefSpec = [string, string, number, Partial<SymbolDef>?];

interface Case {
  language: Language;
  file: string;
  doc?: string;
  defs: DefSpec[];
  refs: [string, string][];
  imports: string[];
  /** Names that must not be definitions (locals). */
  absent?: string[];
}

const CASES: Case[] = [
  {
    language: 'typescript', file: 'typescript/shapes.ts', doc: 'Geometry helpers for the demo.',
    defs: [
      ['Shape', 'interface', 10, { exported: true, doc: 'Anything with an area.' }],
      ['Id', 'type', 14, { exported: true }],
      ['Color', 'enum', 16],
      ['Circle', 'class', 19, { exported: true, doc: 'A circle of radius r.', endLine: 32 }],
      ['scale', 'method', 21, { parent: 'Circle', exported: true }],
      ['create', 'method', 23, { parent: 'Circle', doc: 'Builds a circle.' }],
      ['secret', 'method', 27, { parent: 'Circle', exported: false }],
      ['square', 'function', 35, { exported: true, doc: 'Squares a number.' }],
      ['local', 'function', 39, { exported: false }],
      ['circleOf', 'constant', 41, { exported: true }],
    ],
    refs: [['square', 'function'], ['Base', 'inherit'], ['Shape', 'inherit'], ['Id', 'type']],
    imports: ['./point', 'node:path'],
  },
  {
    language: 'tsx', file: 'tsx/App.tsx', doc: 'The demo application shell.',
    defs: [
      ['AppProps', 'interface', 6, { exported: true }],
      ['App', 'function', 11, { exported: true, doc: 'Renders the shell.' }],
      ['Store', 'class', 15],
      ['load', 'method', 16, { parent: 'Store' }],
      ['format', 'function', 19, { exported: false }],
    ],
    refs: [['Button', 'call'], ['format', 'function'], ['AppProps', 'type']],
    imports: ['react', './Button'],
  },
  {
    language: 'javascript', file: 'javascript/server.js', doc: 'A tiny HTTP server.',
    defs: [
      ['Server', 'class', 7, { exported: true, doc: 'Handles requests.' }],
      ['listen', 'method', 9, { parent: 'Server', doc: 'Starts listening.', exported: true }],
      ['stop', 'method', 13, { parent: 'Server' }],
      ['#reset', 'method', 14, { exported: false }],
      ['start', 'function', 21, { exported: false, doc: 'Starts a server.' }],
      ['handler', 'function', 25, { exported: true }],
    ],
    refs: [['createServer', 'call'], ['start', 'function'], ['EventEmitter', 'inherit']],
    imports: ['http', './router.js'],
  },
  {
    language: 'python', file: 'python/store.py', doc: 'Key-value store with expiry.',
    defs: [
      ['MAX_ITEMS', 'constant', 9],
      ['Store', 'class', 12, { exported: true, doc: 'An ordered store.' }],
      ['__init__', 'method', 18, { parent: 'Store', exported: true }],
      ['put', 'method', 22, { parent: 'Store', doc: 'Stores a value.' }],
      ['_evict', 'method', 27, { exported: false }],
      ['open_store', 'function', 32, { exported: true, doc: 'Opens a store at path.' }],
      ['_private_helper', 'function', 37, { exported: false }],
      ['method', 'method', 42, { parent: 'Outer' }],
      ['local', 'function', 43, { exported: false }],
    ],
    refs: [['OrderedDict', 'inherit'], ['_evict', 'call'], ['Store', 'type']],
    imports: ['os.path', 'collections', 'collections.OrderedDict', '.util', '.util.clock'],
  },
  {
    language: 'go', file: 'go/store.go', doc: 'Package store keeps items in memory.',
    defs: [
      ['MaxSize', 'constant', 10, { exported: true, doc: 'MaxSize bounds the store.' }],
      ['Store', 'struct', 13, { exported: true, doc: 'Store holds items.' }],
      ['Item', 'interface', 18, { doc: 'Item is one stored value.' }],
      ['Get', 'method', 23, { parent: 'Store', exported: true, doc: 'Get returns the item for id.' }],
      ['newStore', 'function', 31, { exported: false }],
      ['scaled', 'function', 35],
    ],
    refs: [['Errorf', 'call'], ['ToLower', 'call'], ['Item', 'type']],
    imports: ['fmt', 'strings'],
    absent: ['factor'],
  },
  {
    language: 'rust', file: 'rust/lib.rs', doc: 'A small geometry crate.',
    defs: [
      ['Point', 'struct', 7, { exported: true, doc: 'A 2-D point.' }],
      ['Area', 'trait', 13, { exported: true, doc: 'Things with an area.' }],
      ['norm', 'method', 19, { parent: 'Point', exported: true, doc: 'Distance to the origin.' }],
      ['private_helper', 'method', 23, { parent: 'Point', exported: false }],
      ['area', 'method', 27, { parent: 'Point', exported: true }],
      ['index', 'function', 32, { exported: true }],
      ['internal', 'function', 38, { exported: false }],
      ['shared', 'function', 40, { exported: false }],
    ],
    refs: [['hypot', 'function'], ['Area', 'inherit'], ['Point', 'type'], ['HashMap', 'type']],
    imports: ['std::collections::HashMap', 'crate::util::{hypot, clamp}'],
  },
  {
    language: 'java', file: 'java/Cache.java',
    defs: [
      ['Cache', 'class', 11, { exported: true, doc: 'A bounded cache.' }],
      ['LIMIT', 'constant', 12, { exported: false, parent: 'Cache' }],
      ['get', 'method', 16, { parent: 'Cache', exported: true, doc: 'Returns the value for key.' }],
      ['touch', 'method', 21, { exported: false }],
      ['Store', 'interface', 24, { exported: false }],
      ['State', 'enum', 29, { doc: 'States of an entry.' }],
      ['Fresh', 'constant', 30, { parent: 'State' }],
      ['expired', 'method', 31, { parent: 'State' }],
    ],
    refs: [['touch', 'call'], ['HashMap', 'call'], ['Base', 'inherit'], ['Store', 'inherit'], ['Ledger', 'type'], ['Clock', 'type'], ['Entry', 'type'], ['Expired', 'type']],
    imports: ['java.util.HashMap', 'java.util.Map'],
    absent: ['Stale'],
  },
  {
    language: 'c', file: 'c/buffer.c', doc: 'Growable byte buffer.',
    defs: [
      ['INITIAL_CAP', 'constant', 5, { endLine: 5 }],
      ['buffer', 'struct', 8, { doc: 'A growable buffer.' }],
      ['grow', 'function', 13, { exported: false }],
      ['buffer_push', 'function', 19, { exported: true, doc: 'Appends one byte.' }],
      ['buffer_len', 'function', 33],
    ],
    refs: [['realloc', 'call'], ['grow', 'call']],
    imports: ['<stdlib.h>', 'buffer.h'],
    // Prototypes in a source file (`buffer_clear` inside `extern "C"`, `local_helper` in a body) declare what is defined elsewhere.
    absent: ['local_helper', 'buffer_clear'],
  },
  {
    language: 'cpp', file: 'cpp/shapes.cpp', doc: 'Shape hierarchy.',
    defs: [
      ['geo', 'module', 5],
      ['Shape', 'class', 8, { parent: 'geo', doc: 'Base of all shapes.' }],
      ['Circle', 'class', 14, { doc: 'A circle.' }],
      ['area', 'method', 21, { parent: 'Circle' }],
      ['helper', 'function', 25, { exported: false }],
      // An export macro between `class` and the name (`class SHAPES_API Registry`) hides neither.
      ['Registry', 'class', 27, { parent: 'geo' }],
      ['add', 'method', 29, { parent: 'Registry' }],
    ],
    refs: [['pow', 'call'], ['Shape', 'inherit']],
    imports: ['<cmath>', 'shapes.hpp'],
  },
  {
    language: 'csharp', file: 'csharp/Service.cs',
    defs: [
      ['Demo.Services', 'module', 4],
      ['JobService', 'class', 9, { exported: true, parent: 'Demo.Services', doc: 'Runs jobs.' }],
      ['MaxJobs', 'constant', 11, { exported: false }],
      ['Run', 'method', 14, { parent: 'JobService', exported: true, doc: 'Runs one job.' }],
      ['Log', 'method', 20, { exported: false }],
      ['IRunner', 'interface', 23, { exported: true }],
    ],
    refs: [['Log', 'call'], ['WriteLine', 'call'], ['ServiceBase', 'inherit']],
    imports: ['System', 'System.Collections.Generic'],
  },
  {
    language: 'ruby', file: 'ruby/invoice.rb', doc: 'Billing helpers.',
    defs: [
      ['Billing', 'module', 5],
      ['Invoice', 'class', 7, { parent: 'Billing', doc: 'An invoice with lines.' }],
      ['TAX', 'constant', 10],
      ['total', 'method', 13, { parent: 'Invoice', exported: true, doc: 'Total including tax.' }],
      ['parse', 'method', 17, { parent: 'Invoice' }],
    ],
    refs: [['price', 'call'], ['Document', 'inherit'], ['Comparable', 'inherit']],
    imports: ['json', 'money'],
  },
  {
    language: 'php', file: 'php/User.php', doc: 'User model.',
    defs: [
      ['App\\Models', 'module', 5],
      ['User', 'class', 10, { exported: true, doc: 'A registered user.' }],
      ['TABLE', 'constant', 12, { parent: 'User' }],
      ['name', 'method', 15, { parent: 'User', exported: true, doc: 'Display name.' }],
      ['secret', 'method', 20, { exported: false }],
      ['format_name', 'function', 23, { exported: true }],
    ],
    refs: [['format_name', 'function'], ['Model', 'inherit'], ['Repository', 'inherit']],
    imports: ['App\\Contracts\\Repository'],
  },
  {
    language: 'kotlin', file: 'kotlin/Client.kt', doc: 'The HTTP client of the demo.',
    defs: [
      ['Client', 'class', 8, { exported: true, doc: 'A client that sends requests.', endLine: 20 }],
      ['send', 'method', 10, { parent: 'Client', exported: true, doc: 'Sends one request.' }],
      ['helper', 'method', 15, { parent: 'Client', exported: false }],
      ['MAX_IDLE', 'constant', 18, { parent: 'Client' }],
      ['Pool', 'interface', 22],
      ['acquire', 'method', 23, { parent: 'Pool' }],
      ['Registry', 'class', 26],
      ['topLevel', 'function', 30, { exported: false }],
      ['Color', 'enum', 32],
      ['Handler', 'type', 34],
      ['VERSION', 'variable', 36],
    ],
    refs: [['acquire', 'call'], ['helper', 'call'], ['Base', 'inherit'], ['Factory', 'inherit'], ['Request', 'type']],
    imports: ['com.example.pool.Pool', 'java.io.IOException'],
    absent: ['r', 'items'],
  },
  {
    language: 'swift', file: 'swift/Client.swift', doc: 'The HTTP client of the demo.',
    defs: [
      ['Client', 'class', 6, { exported: true, doc: 'A client that sends requests.', endLine: 16 }],
      ['send', 'method', 10, { parent: 'Client', exported: true, doc: 'Sends one request.' }],
      ['helper', 'method', 15, { parent: 'Client', exported: false }],
      ['Pool', 'interface', 18],
      ['acquire', 'method', 19, { parent: 'Pool' }],
      ['Point', 'struct', 22],
      ['Color', 'enum', 27],
      ['close', 'method', 31, { parent: 'Client' }],
      ['Handler', 'type', 34],
      ['topLevel', 'function', 36, { exported: false }],
      ['VERSION', 'variable', 38],
    ],
    refs: [['acquire', 'call'], ['shutdown', 'call'], ['Base', 'inherit'], ['CustomStringConvertible', 'inherit'], ['Request', 'type']],
    imports: ['Foundation', 'NIO'],
    absent: ['r', 'x'],
  },
  {
    language: 'scala', file: 'scala/Client.scala', doc: 'The HTTP client of the demo.',
    defs: [
      ['Client', 'class', 8, { exported: true, doc: 'A client that sends requests.', endLine: 16 }],
      ['send', 'method', 10, { parent: 'Client', exported: true, doc: 'Sends one request.' }],
      ['helper', 'method', 15, { parent: 'Client', exported: false }],
      ['Pool', 'trait', 18],
      ['acquire', 'method', 19, { parent: 'Pool' }],
      ['Registry', 'class', 22],
      ['MaxIdle', 'constant', 23, { parent: 'Registry' }],
      ['main', 'method', 24, { parent: 'Registry' }],
      ['Point', 'class', 27],
      ['Handler', 'type', 29],
    ],
    refs: [['acquire', 'call'], ['run', 'call'], ['Base', 'inherit'], ['Factory', 'inherit'], ['Request', 'type']],
    imports: ['com.example.pool.Pool', 'scala.concurrent.Future'],
    absent: ['r'],
  },
];

function jobFor(c: Case): ParseJob {
  return { path: c.file, absPath: path.join(FIXTURES, c.file), language: c.language };
}

function byPath(results: FileAnalysis[]): FileAnalysis[] {
  return [...results].sort((a, b) => a.path.localeCompare(b.path));
}

describe('tags queries', () => {
  it('covers every shipped language with a fixture', () => {
    assert.deepEqual([...new Set(CASES.map((c) => c.language))].sort(), [...LANGUAGES].sort());
  });

  for (const language of LANGUAGES) {
    it(`${language}: grammar loads and its query compiles with conventional capture names`, async () => {
      const grammar = await loadGrammar(language);
      const allowed = /^(name\.definition\.(function|method|class|interface|type|enum|struct|trait|module|constant|variable)|definition\.\w+|name\.reference\.(call|function|type|inherit|ref)|import|import\.global|parent|scope|name\.scope|_\w+)$/;
      for (const name of grammar.tags.captureNames) assert.match(name, allowed, `${language}: capture @${name}`);
      assert.ok(grammar.tags.captureNames.includes('import'), `${language}: has @import`);
    });
  }

  it('today\'s syntax parses without errors: a JSDoc cast after `return`, TypeScript `accessor` and `satisfies`', async () => {
    const samples: [Language, string][] = [
      ['javascript', 'function f(x) {\n  return /** @type {T} */ (x);\n}\n'],
      ['typescript', 'class Box {\n  accessor size = 1;\n}\nconst cfg = { a: 1 } satisfies Config;\n'],
      ['tsx', 'class Box {\n  accessor size = 1;\n}\nconst el = <Box />;\n'],
    ];
    const grammars = await Promise.all(samples.map(([language]) => loadGrammar(language)));
    const parser = new Parser();
    for (const [i, [language, source]] of samples.entries()) {
      parser.setLanguage(grammars[i].tsLanguage);
      const tree = parser.parse(source)!;
      assert.equal(tree.rootNode.hasError, false, `${language}: ${tree.rootNode.toString()}`);
      if (language === 'javascript') assert.equal(tree.rootNode.descendantsOfType('expression_statement').length, 0, 'the value belongs to the return');
      tree.delete();
    }
    parser.delete();
  });
});

describe('file docs', () => {
  const docOf = async (path: string, language: Language, source: string): Promise<string | undefined> => {
    await loadGrammar(language);
    return analyzeSource(path, language, source, 'h', source.length).doc;
  };
  it('skip build constraints, linter directives, license text and section labels for the comment that describes the file', async () => {
    const go = '//go:build !windows\n\n// Redistribution and use in source and binary forms are permitted.\n\n// Package stream reads bits.\npackage stream\n';
    assert.equal(await docOf('stream/bits.go', 'go', go), 'Package stream reads bits.');
    const licensed = '"""Copyright (c) Django Software Foundation and individual contributors.\nAll rights reserved."""\nimport typing\n';
    assert.equal(await docOf('pkg/_types.py', 'python', licensed), undefined, 'a license docstring is no description');
    const ts = '/* eslint-disable no-console */\n// @ts-nocheck\n\n/** Logs requests. */\nexport const x = 1;\n';
    assert.equal(await docOf('src/log.ts', 'typescript', ts), undefined, 'the only describing comment belongs to the definition');
    assert.equal(await docOf('src/log2.ts', 'typescript', '// eslint-disable-next-line\n// Request logging helpers.\n\nexport const x = 1;\n'), 'Request logging helpers.');
    const js = '/*!\n * express\n * MIT Licensed\n */\n\n/**\n * Module dependencies.\n * @private\n */\n\nvar path = require(\'path\');\n';
    assert.equal(await docOf('lib/view.js', 'javascript', js), undefined, 'a label over the requires says nothing about the file');
    assert.equal(await docOf('src/parser.rs', 'rust', '// Std\nuse std::io;\n\n// Internal\nuse crate::x;\n'), undefined, 'import group labels');
    const rs = '// Contributing\n//\n// New examples must be added to Cargo.toml.\n\n//! # Documentation: Cookbook\n//!\n//! Typed arguments.\n';
    assert.equal(await docOf('src/_cookbook/mod.rs', 'rust', rs), 'Documentation: Cookbook', "the module's inner doc, not a note to contributors");
    const py = '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Command-line entry of the tool."""\nimport sys\n';
    assert.equal(await docOf('tool/cli.py', 'python', py), 'Command-line entry of the tool.');
    assert.equal(await docOf('bin/tool', 'ruby', '#!/usr/bin/env ruby\n\nrequire "tool"\n'), undefined, 'a script\'s #! line is no doc');
    assert.equal(await docOf('bin/tool', 'ruby', '#!/usr/bin/env ruby\n# Runs the tool.\nrequire "tool"\n'), 'Runs the tool.');
    const cs = '// ReSharper disable MergeCastWithTypeCheck\n// phpcs:ignoreFile\n\nusing System;\n';
    assert.equal(await docOf('src/Sinks.cs', 'csharp', cs), undefined, 'ReSharper and phpcs directives say nothing about the file');
    assert.equal(await docOf('lib/shims/deno.ts', 'typescript', '/* global Deno */\n\nexport const x = 1;\n'), undefined, 'a linter\'s list of globals');
    assert.equal(await docOf('test/a.js', 'javascript', '/* globals describe, it */\n\nconst x = 1;\n'), undefined);
    const rst = '# Licensed under Apache 2.0.\n"""\n.. testsetup::\n\n    from packaging.version import parse\n\nVersions as PEP 440 defines them.\n"""\nimport re\n';
    assert.equal(await docOf('src/packaging/version.py', 'python', rst), 'Versions as PEP 440 defines them.', 'a reStructuredText directive and its body are markup');
    assert.equal(await docOf('src/packaging/tags.py', 'python', '""".. testsetup::\n\n    import x\n"""\n'), undefined);
    const pep723 = '# /// script\n# dependencies = ["nox>=2025.02.09"]\n# ///\n\nimport nox\n';
    assert.equal(await docOf('noxfile.py', 'python', pep723), undefined, "a script's inline metadata");
    const c = '/* $OpenBSD$ */\n\n/*\n * Copyright (c) 2007 A. Author\n */\n\n#include <stdio.h>\n';
    assert.equal(await docOf('cmd-find.c', 'c', c), undefined, 'a version-control keyword says nothing about the file');
    assert.equal(await docOf('lib/a.rb', 'ruby', '# $Id: a.rb,v 1.4 2004/01/01 $\n# Reads the config.\nrequire "x"\n'), 'Reads the config.');
  });
});

describe('analyzeSource on fixtures', () => {
  const pool = new ParsePool({ workers: 0 });
  let results: Map<string, FileAnalysis>;
  before(async () => {
    results = new Map((await pool.run(CASES.map(jobFor))).map((r) => [r.path, r]));
  });
  after(() => pool.close());

  for (const c of CASES) {
    it(`${c.language}: defs, refs, imports and docs`, () => {
      const r = results.get(c.file);
      assert.ok(r, 'result present');
      assert.equal(r.parseError, undefined);
      assert.equal(r.language, c.language);
      assert.equal(r.doc, c.doc);
      for (const [name, kind, line, extra] of c.defs) {
        const def: SymbolDef | undefined = r.defs.find((d) => d.name === name && d.startLine === line);
        const names = r.defs.map((d) => `${d.name}@${d.startLine}`).join(', ');
        assert.ok(def, `${c.language}: def ${name} at line ${line}; got ${names}`);
        assert.equal(def.kind, kind, `${name} kind`);
        assert.ok(def.endLine >= def.startLine);
        for (const [k, v] of Object.entries(extra ?? {})) assert.equal(def[k as keyof SymbolDef], v, `${name}.${k}`);
      }
      for (const [name, kind] of c.refs) {
        assert.ok(r.refs.some((x) => x.name === name && x.kind === kind), `${c.language}: ${kind} ref to ${name}`);
      }
      for (const name of c.absent ?? []) assert.ok(!r.defs.some((d) => d.name === name), `${name} is not a def`);
      assert.deepEqual(r.imports.map((i) => i.source), c.imports);
      for (const ref of [...r.refs, ...r.imports]) assert.ok(ref.line >= 1 && ref.line <= r.lines);
    });
  }

  it('hashes the raw bytes and counts lines', () => {
    const c = CASES[0];
    const bytes = fs.readFileSync(path.join(FIXTURES, c.file));
    const r = results.get(c.file)!;
    assert.equal(r.hash, createHash('sha1').update(bytes).digest('hex'));
    assert.equal(r.bytes, bytes.length);
    assert.equal(r.lines, bytes.toString('utf8').trimEnd().split('\n').length);
  });
});

describe('extract helpers', () => {
  it('counts lines with and without a final newline', () => {
    assert.equal(countLines(''), 0);
    assert.equal(countLines('a'), 1);
    assert.equal(countLines('a\n'), 1);
    assert.equal(countLines('a\nb'), 2);
  });

  it('cleans doc comments down to the first paragraph', () => {
    assert.equal(cleanDoc('/**\n * Does X.\n * More.\n *\n * Later.\n */', 'typescript'), 'Does X. More.');
    assert.equal(cleanDoc('/** Sums.\n * @param a first */', 'javascript'), 'Sums.');
    const badges = '//! [![github]](https://github.com/d/anyhow)&ensp;[![crates-io]](https://crates.io/crates/anyhow)\n//!\n//! [github]: https://img.shields.io/badge/x\n//!\n//! <br>\n//!\n//! This library provides [`anyhow::Error`], a trait object based error type.\n';
    assert.equal(cleanDoc(badges, 'rust'), 'This library provides [`anyhow::Error`], a trait object based error type.', 'badges and their links say nothing');
    assert.equal(cleanDoc('/**\n * @return Next token, or null\n *   to indicate end-of-input\n */', 'java'), undefined, 'a tag\'s continuation is no summary');
    assert.equal(cleanDoc('// since 2.6', 'java'), undefined, 'a version note says when, not what');
    assert.equal(cleanDoc('// Since 2.6 reads numbers lazily.', 'java'), 'Since 2.6 reads numbers lazily.');
    assert.equal(cleanDoc('/// <summary>Runs.</summary>', 'csharp'), 'Runs.');
    assert.equal(cleanDoc('r"""Raw doc.\n\n    Rest."""', 'python'), 'Raw doc.');
    assert.equal(cleanDoc('# Ruby doc\n# continues', 'ruby'), 'Ruby doc continues');
    assert.equal(cleanDoc('//', 'go'), undefined);
    assert.equal(cleanDoc('/// <summary>Creates a <see cref="T:Acme.IRule"/> for <paramref name="x"/>.</summary>', 'csharp'), 'Creates a IRule for x.');
    assert.equal(cleanDoc('// TODO(ann): inline into callers', 'java'), undefined, 'a work marker is not a description');
    const rst = '"""\nrequests.auth\n~~~~~~~~~~~~~\n\nThis module contains the authentication handlers for Requests.\n"""';
    assert.equal(cleanDoc(rst, 'python'), 'This module contains the authentication handlers for Requests.', 'a reST title only names the module');
    assert.equal(cleanDoc(rst, 'python', true), 'requests.auth This module contains the authentication handlers for Requests.', 'the whole doc keeps the title, not its underline');
    assert.equal(cleanDoc('# =====\n# Parses the config file.\n# =====', 'ruby'), 'Parses the config file.', 'a rule of signs is no text');
  });

  it('decodes BOMs: UTF-8 stripped, UTF-16 LE/BE decoded', () => {
    const text = 'def f():\n    return "é"\n';
    assert.equal(decodeSource(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), text);
    assert.equal(decodeSource(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), text);
    const be = Buffer.from(text, 'utf16le').swap16();
    assert.equal(decodeSource(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), text);
  });

  it('gives files without a language only hash, bytes and lines', () => {
    const r = analyzeSource('README.md', null, '# Title\n\ntext\n', 'abc', 14);
    assert.deepEqual(r, {
      path: 'README.md', language: null, hash: 'abc', bytes: 14, lines: 3, defs: [], refs: [], imports: [], bugs: [],
    });
  });

  it('keeps one reference per name with its count and first line', async () => {
    await loadGrammar('python');
    const r = analyzeSource('src/a.py', 'python', 'def f():\n    g()\n    g()\n    h()\n    g()\n', 'h', 40);
    assert.deepEqual(r.refs.map((x) => [x.name, x.line, x.count]), [['g', 2, 3], ['h', 4, 1]]);
    // A name only ever called without a receiver is a `function`; one call through a receiver makes it a `call`.
    const mixed = analyzeSource('src/b.py', 'python', 'def f(s):\n    g()\n    h()\n    s.h()\n', 'h', 40);
    assert.deepEqual(mixed.refs.map((x) => [x.name, x.kind]), [['g', 'function'], ['h', 'call']]);
  });

  it('finds no bug candidates in a parser, lexer or hash generator\'s output, and still indexes it', async () => {
    await loadGrammar('c');
    const code = 'int yyparse(void) {\n  return 0;\n  yyerror();\n}\n';
    const plain = analyzeSource('src/parser.c', 'c', code, 'h', code.length);
    assert.deepEqual(plain.bugs.map((b) => b.pattern), ['unreachable-code']);
    const banner = '/* A Bison parser, made by GNU Bison 3.8.2.  */\n\n';
    for (const head of [banner, '/* ANSI-C code produced by gperf version 3.1 */\n', '\n#line 1 "src/char_ref.rl"\n']) {
      const generated = analyzeSource('src/parser.c', 'c', head + code, 'h', code.length);
      assert.deepEqual(generated.bugs, [], head);
      assert.deepEqual(generated.defs.map((d) => d.name), ['yyparse']);
    }
    const cited = analyzeSource('src/parser.c', 'c', '// See #line 1 "grammar.y" in the docs.\n' + code, 'h', code.length);
    assert.deepEqual(cited.bugs.map((b) => b.pattern), ['unreachable-code'], 'a comment that mentions a directive is no directive');
  });

  it('takes no linter or coverage directive for a definition\'s doc, and reads the doc above it', async () => {
    await loadGrammar('typescript');
    const src = [
      'export class Ky {',
      '  // eslint-disable-next-line complexity',
      '  constructor() {}',
      '  /* istanbul ignore next */',
      '  stream() {}',
      '  /** Sends the request. */',
      '  // eslint-disable-next-line @typescript-eslint/naming-convention',
      '  send_now() {}',
      '}',
      '',
    ].join('\n');
    const r = analyzeSource('source/core/Ky.ts', 'typescript', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => [d.name, d.doc]), [['Ky', undefined], ['constructor', undefined], ['stream', undefined], ['send_now', 'Sends the request.']]);
  });

  it('reads `from . import mod` as an import of the module, not of the package', async () => {
    await loadGrammar('python');
    const src = 'from . import _string_parsers as sp, _ctime\nfrom .core import Logger\nfrom .. import util\n';
    const r = analyzeSource('pkg/_file_sink.py', 'python', src, 'h', src.length);
    assert.deepEqual(r.imports.map((i) => i.source), ['._string_parsers', '._ctime', '.core', '.core.Logger', '..util']);
  });
  it('reads a Rust `use super::` inside an inline module (`mod tests`) as the file\'s own module', async () => {
    await loadGrammar('rust');
    const src = 'use super::config;\n#[cfg(test)]\nmod tests {\n    use super::*;\n    mod inner {\n        use super::super::Level;\n    }\n}\n';
    const r = analyzeSource('src/kv/value.rs', 'rust', src, 'h', src.length);
    assert.deepEqual(r.imports.map((i) => i.source), ['super::config', 'self::*', 'self::Level']);
  });
  it('leaves a Rust file\'s unit tests (`#[cfg(test)]`, `mod tests`) out of what it defines', async () => {
    await loadGrammar('rust');
    const src = 'pub fn parse() {}\n#[cfg(test)]\nmod checks {\n    struct Fixture;\n    #[test]\n    fn parses() { super::parse(); }\n}\nmod tests {\n    fn helper() {}\n}\nmod imp {\n    pub fn run() {}\n}\n';
    const r = analyzeSource('src/lib.rs', 'rust', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => d.name), ['parse', 'imp', 'run']);
    assert.ok(r.refs.some((ref) => ref.name === 'parse'), 'the tests\' uses still count');
  });
  it('marks imports a module does not need to load: inside a function, under TYPE_CHECKING, of types only', async () => {
    await loadGrammar('python');
    await loadGrammar('typescript');
    const py = 'from .std import tqdm\nif TYPE_CHECKING:\n    from .gui import Gui\ndef pandas():\n    from ._pandas import register\n    import json\n';
    const deferred = (r: FileAnalysis): string[] => r.imports.map((i) => `${i.source}${i.deferred ? ' deferred' : ''}`);
    assert.deepEqual(deferred(analyzeSource('pkg/__init__.py', 'python', py, 'h', py.length)),
      ['.std', '.std.tqdm', '.gui deferred', '.gui.Gui deferred', '._pandas deferred', '._pandas.register deferred', 'json deferred']);
    const ts = "import type { Check } from './checks';\nimport { core } from './core';\nexport type { Issue } from './errors';\nclass P { constructor() { const p = require('./profiler'); } }\n";
    assert.deepEqual(deferred(analyzeSource('src/index.ts', 'typescript', ts, 'h', ts.length)),
      ['./checks deferred', './core', './errors deferred', './profiler deferred']);
    await loadGrammar('rust');
    const rs = 'mod buf;\npub use self::buf::Buf;\npub(crate) use crate::util::helper;\nuse crate::Rng;\nfn f() {\n    use crate::fmt::Hex;\n}\n#[cfg(test)]\nmod checks {\n    use crate::distr::Uniform;\n}\n';
    assert.deepEqual(deferred(analyzeSource('src/lib.rs', 'rust', rs, 'h', rs.length)),
      ['self::buf::Buf deferred', 'crate::util::helper deferred', 'crate::Rng', 'crate::fmt::Hex deferred', 'crate::distr::Uniform deferred'],
      'a Rust re-export only hands a name on; a use in a function or a test module is no load-order dependency either');
  });
  it('takes a function assigned to `X.prototype.name` as a method of X', async () => {
    await loadGrammar('javascript');
    const src = "function Mocha() {}\nMocha.prototype.bail = function (bail) {\n  return this;\n};\nexports.run = function () {};\nMocha.prototype.grep = (re) => re;\n";
    const r = analyzeSource('lib/mocha.js', 'javascript', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.kind} ${d.parent ? `${d.parent}.` : ''}${d.name}`), ['function Mocha', 'method Mocha.bail', 'function run', 'method Mocha.grep']);
  });
  it('takes a CamelCase name a Python module assigns a call to as a class (a factory\'s), not every assignment', async () => {
    await loadGrammar('python');
    const src = 'Draft7Validator = create(meta_schema={})\nMAX = compute()\nlogger = getLogger()\nT = TypeVar("T")\nJson = dict[str, Any]\ndef f():\n    Local = make()\n';
    const r = analyzeSource('pkg/validators.py', 'python', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.kind} ${d.name}`), ['class Draft7Validator', 'constant MAX', 'constant T', 'function f']);
  });
  it('takes a Python name imported under an alias as a use of the name itself', async () => {
    await loadGrammar('python');
    const src = 'from .std import tqdm as std_tqdm, trange\nclass Gui(std_tqdm):\n    pass\n';
    const r = analyzeSource('pkg/gui.py', 'python', src, 'h', src.length);
    assert.deepEqual(r.refs.map((ref) => ref.name), ['tqdm', 'std_tqdm']);
  });
  it('takes Ruby methods under `private` or `protected`, or declared `private def`, as not public', async () => {
    await loadGrammar('ruby');
    const src = 'class A\n  def a; end\n  private\n  def b; end\n  public\n  def c; end\n  private def d; end\n  protected\n  def e; end\nend\n';
    const r = analyzeSource('lib/a.rb', 'ruby', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.name}:${d.exported}`), ['A:true', 'a:true', 'b:false', 'c:true', 'd:false', 'e:false']);
  });
  it('takes overload signatures and stubs as the function they type, and a Go blank `_` as no definition', async () => {
    await Promise.all([loadGrammar('typescript'), loadGrammar('python'), loadGrammar('go')]);
    const ts = 'export function f(a: string): string;\nexport function f(a: number): number;\nexport function f(a: any) {\n  return a;\n}\ndeclare function g(): void;\n';
    assert.deepEqual(analyzeSource('src/f.ts', 'typescript', ts, 'h', ts.length).defs.map((d) => `${d.name}:${d.startLine}`), ['f:3', 'g:6']);
    const py = 'from typing import overload\n@overload\ndef retry(fn): ...\n@typing.overload\ndef retry(*a): ...\ndef retry(*a):\n    return a\n';
    assert.deepEqual(analyzeSource('pkg/r.py', 'python', py, 'h', py.length).defs.map((d) => `${d.name}:${d.startLine}`), ['retry:6']);
    const go = 'package m\n\nvar _ http.Flusher = &flushWriter{}\n\ntype flushWriter struct{}\n\nfunc (f *flushWriter) Flush() {}\n\ntype Mux struct{}\n\nfunc (m *Mux) Route() {}\n';
    const defs = analyzeSource('m/w.go', 'go', go, 'h', go.length).defs;
    assert.deepEqual(defs.map((d) => `${d.name}:${d.exported}`), ['flushWriter:false', 'Flush:false', 'Mux:true', 'Route:true'], "an unexported type's methods are not the package's API");
  });
  it('takes the class a Ruby call goes to as named, and `class << self` as no class of its own', async () => {
    await loadGrammar('ruby');
    const src = 'class Server\n  class << self\n    def boot; IOBuffer.new; Puma::Util.purge; end\n  end\nend\n';
    const r = analyzeSource('lib/server.rb', 'ruby', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.kind} ${d.parent ? `${d.parent}.` : ''}${d.name}`), ['class Server', 'method Server.boot']);
    assert.deepEqual(r.refs.filter((x) => x.kind === 'type').map((x) => x.name).sort(), ['IOBuffer', 'Puma', 'Util']);
    const spec = 'describe Grape::API do\n  include Helpers\n  let(:app) { Class.new(Grape::Util::Endpoint) }\nend\n';
    const refs = analyzeSource('spec/api_spec.rb', 'ruby', spec, 'h', spec.length).refs.map((x) => `${x.name}:${x.kind}`).sort();
    assert.deepEqual(refs.filter((x) => /^[A-Z]/.test(x)), ['API:type', 'Class:type', 'Endpoint:type', 'Grape:type', 'Helpers:inherit', 'Util:type'],
      'a class handed to a call is used, and so are the modules that qualify it; a mixin stays a mixin');
  });
  it('takes a C macro with a value as a constant, not an include guard', async () => {
    await loadGrammar('c');
    const src = '#ifndef BUF_H_\n#define BUF_H_\n#define BUF_CAP 16\nint buf_len(void);\n#ifdef __cplusplus\nextern "C" {\n#endif\nAPI(int) buf_clear(struct buf *b);\n#ifdef __cplusplus\n}\n#endif\n#endif\n';
    const r = analyzeSource('src/buf.h', 'c', src, 'h', src.length);
    // A header's API: prototypes, one inside `extern "C"` in an `#ifdef` with its return type behind a macro.
    assert.deepEqual(r.defs.map((d) => `${d.name}:${d.exported}`), ['BUF_CAP:true', 'buf_len:true', 'buf_clear:true']);
    const proto = 'static int grow(int n);\nint other(void);\nstatic int grow(int n) {\n  return n * 2;\n}\n';
    const defs = analyzeSource('src/buf.c', 'c', `#define BUF_MAX 64\n${proto}`, 'h', proto.length).defs;
    assert.deepEqual(defs.map((d) => `${d.name}:${d.startLine}:${d.exported}`), ['BUF_MAX:1:false', 'grow:4:false'],
      'a prototype in a source file declares what is defined elsewhere (or below); its macros are its own');
    const inc = analyzeSource('src/buf.c', 'c', '#include <poll.h>\n#include "buf.h"\n', 'h', 40);
    assert.deepEqual(inc.imports.map((i) => i.source), ['<poll.h>', 'buf.h'], 'an include of the include path keeps its brackets');
  });
  it("takes a Ruby or Python C extension's registrations as definitions of the names it gives that language", async () => {
    const src = [
      'void Init_parser(void) {',
      '  mJSON = rb_define_module("JSON");',
      '  cParser = rb_define_class_under(mJSON, "ResumableParser", rb_cObject);',
      '  rb_define_method(cParser, "eos?", cParser_eos_p, 0);',
      '  rb_define_singleton_method(cParser, "parse", cParser_parse, 1);',
      '  rb_define_method_id(cParser, id, fn, 0);',
      '}',
      'static PyMethodDef methods[] = {',
      '  {"dumps", (PyCFunction)encoder_dumps, METH_VARARGS | METH_KEYWORDS, "Serialize."},',
      '  {NULL, NULL, 0, NULL}',
      '};',
      'static struct option opts[] = { {"name", value, FLAG_X} };',
      '',
    ].join('\n');
    for (const language of ['c', 'cpp'] as const) {
      await loadGrammar(language);
      const defs = analyzeSource('ext/parser.c', language, src, 'h', src.length).defs.map((d) => `${d.kind} ${d.name}:${d.startLine}`);
      assert.deepEqual(defs, ['function Init_parser:1', 'class JSON:2', 'class ResumableParser:3', 'method eos?:4', 'method parse:5', 'function dumps:9'], language);
    }
  });
  it('takes C pointer and function-pointer typedefs as types, calling convention or not; a renaming macro defines nothing', async () => {
    await loadGrammar('c');
    const src = [
      '#ifdef Z_PREFIX', '#  define deflate z_deflate', '#  define voidpf z_voidpf', '#endif', '#define local static', '#define MAX_WBITS MAX_BITS',
      'typedef void *voidpf;', 'typedef uLong (ZCALLBACK *read_file_func)(voidpf opaque, uLong size);', 'typedef int (*alloc_func)(int);', '',
    ].join('\n');
    const r = analyzeSource('zconf.h', 'c', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.kind} ${d.name}:${d.startLine}`), ['constant MAX_WBITS:6', 'type voidpf:7', 'type read_file_func:8', 'type alloc_func:9']);
  });
  it('takes a C# file-scoped namespace as the module of the file', async () => {
    await loadGrammar('csharp');
    const r = analyzeSource('src/Widget.cs', 'csharp', 'namespace Acme.Tools;\n\npublic class Widget { }\n', 'h', 40);
    assert.deepEqual(r.defs.map((d) => [d.name, d.kind, d.exported, d.parent]), [['Acme.Tools', 'module', true, undefined], ['Widget', 'class', true, 'Acme.Tools']]);
  });

  it('takes what a CommonJS module exports by name as its definitions', async () => {
    await loadGrammar('javascript');
    const src = "const logform = require('logform');\nexports.createLogger = require('./create-logger');\nexports.format = logform.format;\nmodule.exports.config = { levels: 1 };\nexports.handler = function () {};\nfoo.bar = 1;\nfunction f() { exports.inner = 2; }\n";
    const r = analyzeSource('lib/winston.js', 'javascript', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.name}:${d.kind}:${d.exported}`), ['createLogger:constant:true', 'format:constant:true', 'config:constant:true', 'handler:function:true', 'f:function:false']);
  });

  it('takes a module-level JS or TS value built by a call as a constant, not what require or import() hands back', async () => {
    await loadGrammar('javascript');
    await loadGrammar('typescript');
    const src = "const fs = require('fs');\nconst debug = require('debug')('app');\nconst mod = import('./mod');\nconst blockquote = edit(/^> /).replace('x', y).getRegex();\nconst mixinSym = Symbol('mixin');\nfunction f() { const local = g(); }\n";
    for (const [file, language] of [['src/rules.js', 'javascript'], ['src/rules.ts', 'typescript']] as const) {
      const r = analyzeSource(file, language, src, 'h', src.length);
      assert.deepEqual(r.defs.map((d) => `${d.kind} ${d.name}:${d.startLine}`), ['constant blockquote:4', 'constant mixinSym:5', 'function f:6'], file);
    }
  });

  it('marks a JS or TS constant that only hands on another binding as an alias', async () => {
    await loadGrammar('javascript');
    await loadGrammar('typescript');
    const js = "const Pool = require('./pool');\nmodule.exports.Pool = Pool;\nexports.Agent = require('./agent');\nexports.Err = require('./errors').Err;\nexports.format = logform.format;\nexports.version = '1.0';\nexports.build = make();\n";
    const r = analyzeSource('index.js', 'javascript', js, 'h', js.length);
    assert.deepEqual(r.defs.map((d) => `${d.name}${d.alias ? ' alias' : ''}`), ['Pool alias', 'Agent alias', 'Err alias', 'format alias', 'version', 'build']);
    const ts = "import { Widget } from './widget';\nexport const Control = Widget;\nexport const produce = immer.produce.bind(immer);\nexport const LIMIT = 10;\n";
    const t = analyzeSource('src/index.ts', 'typescript', ts, 'h', ts.length);
    assert.deepEqual(t.defs.map((d) => `${d.name}${d.alias ? ' alias' : ''}`), ['Control alias', 'produce', 'LIMIT']);
  });

  it('takes C# records, record structs and primary-constructor types as types', async () => {
    await loadGrammar('csharp');
    const src = 'namespace A;\npublic readonly record struct TypePair(Type S, Type D)\n{\n    public bool IsX() => true;\n}\npublic record Person(string Name);\npublic struct Locking<T>(int x) { public int Get() => x; }\n';
    const r = analyzeSource('src/TypePair.cs', 'csharp', src, 'h', src.length);
    assert.deepEqual(r.defs.map((d) => `${d.name}:${d.kind}`), ['A:module', 'TypePair:struct', 'IsX:method', 'Person:class', 'Locking:struct', 'Get:method']);
  });

  it('reads a C# static member\'s receiver and a typeof as uses of the type, a local\'s members not', async () => {
    await loadGrammar('csharp');
    const src = 'class Ext {\n  void Add(IServiceCollection services) {\n    ServiceRegistrar.AddClasses(services, typeof(IRequestHandler<,>));\n    var u = Unit.Value;\n    services.TryAdd(typeof(Behavior));\n  }\n}\n';
    const r = analyzeSource('src/Ext.cs', 'csharp', src, 'h', src.length);
    assert.deepEqual(r.refs.filter((x) => x.kind === 'type').map((x) => x.name).sort(), ['Behavior', 'IRequestHandler', 'IServiceCollection', 'ServiceRegistrar', 'Unit']);
  });

  it('marks a C# global using, once per using', async () => {
    await loadGrammar('csharp');
    const src = 'global using Acme.Models;\nusing Acme.Util;\nusing Alias = Acme.Other;\n\nnamespace Acme.App;\n';
    const r = analyzeSource('src/GlobalUsings.cs', 'csharp', src, 'h', src.length);
    assert.deepEqual(r.imports, [{ source: 'Acme.Models', line: 1, global: true }, { source: 'Acme.Util', line: 2 }, { source: 'Acme.Other', line: 3 }]);
  });

  it('looks for likely bugs in source files, not in tests or type stubs', async () => {
    await loadGrammar('python');
    const code = 'def f():\n    try:\n        g()\n    except:\n        pass\n';
    assert.ok(analyzeSource('src/a.py', 'python', code, 'h', 50).bugs.length > 0);
    assert.deepEqual(analyzeSource('tests/test_a.py', 'python', code, 'h', 50).bugs, []);
    const stub = 'def attrib(default=None, type=None) -> int: ...\n# TODO: overloads\n';
    assert.ok(analyzeSource('src/attr.py', 'python', stub, 'h', 50).bugs.length > 0);
    assert.deepEqual(analyzeSource('src/attr.pyi', 'python', stub, 'h', 50).bugs, []);
  });
});

describe('ParsePool', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-parse-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function write(name: string, data: string | Buffer): string {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, data);
    return p;
  }

  it('gives identical results with 0 and 2 workers', async () => {
    const jobs = CASES.map(jobFor);
    const inline = new ParsePool({ workers: 0 });
    const threaded = new ParsePool({ workers: 2 });
    try {
      const [a, b] = [await inline.run(jobs), await threaded.run(jobs)];
      assert.equal(b.length, jobs.length);
      assert.deepEqual(byPath(b), byPath(a));
      assert.ok(b.every((r) => r.parseError === undefined && r.defs.length > 0));
    } finally {
      await Promise.all([inline.close(), threaded.close()]);
    }
  });

  it('parses alike with the runtime and the small grammars compiled once for the process, as the CLI does', async () => {
    const jobs = CASES.map(jobFor);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../helpers/baselineParse.ts')], {
      input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 << 20,
    });
    const { runtimeExports, optimizedGrammars, inline, threaded } = JSON.parse(out) as {
      runtimeExports: string[]; optimizedGrammars: string[]; inline: FileAnalysis[]; threaded: FileAnalysis[];
    };
    // The shared module is the tree-sitter runtime, and both the calling thread and the workers parse with it.
    assert.ok(runtimeExports.includes('ts_parser_new_wasm'), runtimeExports.slice(0, 5).join(', '));
    // So are the grammars whose code is small; C++'s 1.2 MB of lexer stays with the baseline compiler.
    const languages = new Set(CASES.map((c) => c.language));
    assert.ok(languages.has('cpp') && languages.has('typescript'));
    assert.ok(optimizedGrammars.includes('typescript') && optimizedGrammars.includes('python'), optimizedGrammars.join(', '));
    assert.ok(!optimizedGrammars.includes('cpp'), optimizedGrammars.join(', '));
    const pool = new ParsePool({ workers: 0 });
    // As the child process sends them: JSON, without the fields that are undefined.
    const expected = JSON.parse(JSON.stringify(byPath(await pool.run(jobs)))) as FileAnalysis[];
    await pool.close();
    assert.deepEqual(byPath(inline), expected);
    assert.deepEqual(byPath(threaded), expected);
  });

  it('survives garbage, unreadable and UTF-16 files in workers', async () => {
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    const jobs: ParseJob[] = [
      { path: 'garbage.ts', absPath: write('garbage.ts', garbage), language: 'typescript' },
      { path: 'broken.py', absPath: write('broken.py', 'def f(:\n  class (((\n""" unterminated'), language: 'python' },
      { path: 'missing.go', absPath: path.join(tmp, 'missing.go'), language: 'go' },
      { path: 'utf16.py', absPath: write('utf16.py', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('def hello():\n    pass\n', 'utf16le')])), language: 'python' },
      { path: 'notes.txt', absPath: write('notes.txt', 'plain\ntext\n'), language: null },
    ];
    const pool = new ParsePool({ workers: 2 });
    try {
      const r = new Map((await pool.run(jobs)).map((x) => [x.path, x]));
      assert.equal(r.size, jobs.length);
      const g = r.get('garbage.ts')!;
      assert.equal(g.bytes, 4096);
      assert.equal(g.hash.length, 40);
      assert.equal(r.get('broken.py')!.lines, 3);
      assert.match(r.get('missing.go')!.parseError ?? '', /cannot read/);
      assert.deepEqual(r.get('utf16.py')!.defs.map((d) => d.name), ['hello']);
      assert.equal(r.get('notes.txt')!.lines, 2);
      assert.equal(r.get('notes.txt')!.defs.length, 0);
    } finally {
      await pool.close();
    }
  });

  for (const workers of [0, 2]) {
    it(`stops dispatching on abort (workers: ${workers})`, async () => {
      const jobs = Array.from({ length: 300 }, (_, i) => ({ ...jobFor(CASES[i % CASES.length]), path: `f${i}` }));
      const pool = new ParsePool({ workers });
      try {
        const pre = new AbortController();
        pre.abort();
        assert.equal((await pool.run(jobs, { signal: pre.signal })).length, 0);

        const ctl = new AbortController();
        let seen = 0;
        const got = await pool.run(jobs, { signal: ctl.signal, onResult: () => { if (++seen === 1) ctl.abort(); } });
        assert.ok(got.length >= 1 && got.length < jobs.length, `got ${got.length}`);
        assert.equal(seen, got.length);
        // The pool stays usable after an aborted run.
        assert.equal((await pool.run(jobs.slice(0, 3))).length, 3);
      } finally {
        await pool.close();
      }
    });
  }

  it('measures the read+parse floor', async () => {
    const jobs = CASES.map(jobFor);
    const floor = await floorParse(jobs, 0);
    const bytes = jobs.reduce((n, j) => n + fs.statSync(j.absPath).size, 0);
    assert.equal(floor.files, jobs.length);
    assert.equal(floor.bytes, bytes);
    assert.ok(floor.ms > 0);
  });

  it('leaves the rarest languages to one worker, within half of a worker\'s share', () => {
    const files = (language: ParseJob['language'], n: number): ParseJob[] =>
      Array.from({ length: n }, (_, i) => ({ path: `${language}${i}`, absPath: `/x/${language}${i}`, language }));
    const jobs = [...files('typescript', 300), ...files('tsx', 4), ...files('javascript', 30), ...files(null, 60), ...files('python', 90)];
    // 484 files on 2 workers: pinned files add up to at most 121; python (90) would pass that after tsx and javascript.
    assert.deepEqual([...pinnedLanguages(jobs.map((j) => j.language), 2)].sort(), ['javascript', 'tsx']);
    const { pinned, shared } = planBatches(jobs, 2);
    assert.deepEqual(new Set(pinned.flat().map((j) => j.language)), new Set(['javascript', 'tsx']));
    assert.equal(pinned.flat().length + shared.flat().length, jobs.length);
    assert.ok(shared.flat().every((j) => j.language !== 'tsx' && j.language !== 'javascript'));
    // The most common language is never pinned, nor anything with one worker.
    assert.deepEqual([...pinnedLanguages([...Array(9).fill('go'), 'rust'], 2)], ['rust']);
    assert.deepEqual([...pinnedLanguages(['go', 'go', 'rust'], 2)], []);
    assert.deepEqual([...pinnedLanguages(['go'], 2)], []);
    assert.deepEqual([...pinnedLanguages(jobs.map((j) => j.language), 1)], []);
  });

  it('rejects runs after close', async () => {
    const pool = new ParsePool({ workers: 0 });
    await pool.close();
    await assert.rejects(pool.run([]), /closed/);
  });
});
