// Bundles the CLI, the extension, the workers and the webview with esbuild, and copies the
// runtime assets (tree-sitter runtime, grammars, tag queries) into dist/.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** Languages shipped: tree-sitter-wasms file stem by Sleeptime language id. */
const GRAMMARS = {
  go: 'go', rust: 'rust', java: 'java', c: 'c', cpp: 'cpp', csharp: 'c_sharp', ruby: 'ruby', php: 'php',
  kotlin: 'kotlin', swift: 'swift', scala: 'scala',
};
/**
 * Grammars taken from VS Code's newer builds instead. tree-sitter-wasms' JavaScript grammar ends a statement at a
 * comment after `return`, so `return /** @type {T} *\/ (x);` became a bare `return` and unreachable code; the newer
 * TypeScript and Python grammars parse more of today's syntax (`accessor` fields) and parse faster. The others stay:
 * their newer builds parse slower (Rust, C++, Java) or name nodes differently (Go, C#).
 */
const VSCODE_GRAMMARS = { javascript: 'javascript', typescript: 'typescript', tsx: 'tsx', python: 'python' };

/** Where each shipped grammar comes from, by Sleeptime language id. */
function grammarFiles() {
  return [
    ...Object.entries(GRAMMARS).map(([lang, stem]) => [lang, `tree-sitter-wasms/out/tree-sitter-${stem}.wasm`]),
    ...Object.entries(VSCODE_GRAMMARS).map(([lang, stem]) => [lang, `@vscode/tree-sitter-wasm/wasm/tree-sitter-${stem}.wasm`]),
  ];
}

function copyAssets() {
  fs.mkdirSync(path.join(dist, 'grammars'), { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), path.join(dist, 'tree-sitter.wasm'));
  for (const [lang, file] of grammarFiles()) {
    fs.copyFileSync(path.join(root, 'node_modules', file), path.join(dist, 'grammars', `${lang}.wasm`));
  }
  const queries = path.join(root, 'src/core/parse/queries');
  if (fs.existsSync(queries)) fs.cpSync(queries, path.join(dist, 'queries'), { recursive: true });
  // Chat webview assets: its stylesheet and the codicon font (the webview may load only dist/webview).
  if (fs.existsSync(path.join(root, 'media/chat.css'))) {
    fs.mkdirSync(path.join(dist, 'webview'), { recursive: true });
    fs.copyFileSync(path.join(root, 'media/chat.css'), path.join(dist, 'webview/chat.css'));
    for (const f of ['codicon.css', 'codicon.ttf']) {
      fs.copyFileSync(path.join(root, 'node_modules/@vscode/codicons/dist', f), path.join(dist, 'webview', f));
    }
  }
}

const node = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true,
  minify: production, logLevel: 'warning', external: ['vscode'],
  // The ESM build of web-tree-sitter needs import.meta.url, which a CJS bundle lacks.
  // jsonc-parser's UMD build requires its modules by computed names, which a bundle cannot follow: take its ESM build.
  alias: {
    'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs'),
    'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js'),
  },
};

const entries = [
  { in: 'src/cli/main.ts', out: 'cli', banner: { js: '#!/usr/bin/env node' } },
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/core/parse/parseWorker.ts', out: 'parseWorker' },
  { in: 'src/extension/analysisWorker.ts', out: 'analysisWorker' },
];

fs.mkdirSync(dist, { recursive: true });
copyAssets();
const contexts = [];
for (const e of entries) {
  if (!fs.existsSync(path.join(root, e.in))) continue;
  contexts.push(await esbuild.context({ ...node, entryPoints: { [e.out]: path.join(root, e.in) }, outdir: dist, banner: e.banner }));
}
const webview = path.join(root, 'media/src/chat.ts');
if (fs.existsSync(webview)) {
  contexts.push(await esbuild.context({
    bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production,
    minify: production, logLevel: 'warning', entryPoints: { chat: webview }, outdir: path.join(dist, 'webview'),
  }));
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (fs.existsSync(path.join(dist, 'cli.js'))) fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}
