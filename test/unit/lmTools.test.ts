import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import type * as vscode from 'vscode';
import { AGENT_TOOL_SPECS } from '../../src/core/agents/agentTools';
import type { Note } from '../../src/core/types';
import { LM_TOOLS, lmToolContributions, registerLmTools, resolveFolder, type AgentFolder, type AgentWorkspace, type LmToolsApi } from '../../src/extension/lmTools';

const root = path.resolve(__dirname, '../..');

function note(p: Partial<Note> & Pick<Note, 'id' | 'kind'>): Note {
  return { title: p.id, body: `About ${p.id}.`, evidence: [], dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00Z', ...p };
}

const apiNotes: Note[] = [
  note({ id: 'architecture:overview', kind: 'architecture', title: 'Architecture overview', body: 'Routes in `src/routes.ts:3` call the store.', evidence: [{ path: 'src/routes.ts', startLine: 3, endLine: 9 }] }),
  note({ id: 'bug:src/store.ts:12', kind: 'bug', title: 'Swallowed exception in save', score: 0.9, body: 'The catch ignores write errors (src/store.ts:12).', evidence: [{ path: 'src/store.ts', startLine: 12, endLine: 14 }] }),
  note({ id: 'bug:src/routes.ts:7', kind: 'bug', title: 'Unawaited promise in handler', score: 0.5, evidence: [{ path: 'src/routes.ts', startLine: 7, endLine: 7 }] }),
  note({ id: 'test-hook:api', kind: 'test-hook', title: 'npm test', body: 'Run `npm test`.', subject: '' }),
  ...Array.from({ length: 30 }, (_, i) => note({ id: `file:src/gen${i}.ts`, kind: 'file', title: `src/gen${i}.ts`, body: `Generated handler number ${i} for widgets. `.repeat(20), evidence: [{ path: `src/gen${i}.ts`, startLine: 1, endLine: 5 }] })),
];
const webNotes: Note[] = [
  note({ id: 'bug:client/app.tsx:4', kind: 'bug', title: 'Missing key in list', score: 0.7, evidence: [{ path: 'client/app.tsx', startLine: 4, endLine: 4 }] }),
];
const folders: AgentFolder[] = [
  { name: 'api', root: '/w/api', storeDir: '/s/api', notes: apiNotes },
  { name: 'web', root: '/w/web', storeDir: '/s/web', notes: webNotes },
];

class FakeTextPart {
  constructor(readonly value: string) {}
}
class FakeResult {
  constructor(readonly content: FakeTextPart[]) {}
}

function fakeApi(): { api: LmToolsApi; tools: Map<string, vscode.LanguageModelTool<Record<string, unknown>>> } {
  const tools = new Map<string, vscode.LanguageModelTool<Record<string, unknown>>>();
  const api = {
    lm: {
      registerTool: <T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable => {
        tools.set(name, tool as unknown as vscode.LanguageModelTool<Record<string, unknown>>);
        return { dispose: () => tools.delete(name) };
      },
    },
    LanguageModelToolResult: FakeResult,
    LanguageModelTextPart: FakeTextPart,
  } as unknown as LmToolsApi;
  return { api, tools };
}

const logs: string[] = [];
const logger = { debug: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) } as unknown as vscode.CancellationToken;

function workspace(active?: string, list: AgentFolder[] = folders): AgentWorkspace {
  return { folders: async () => list, activePath: () => active };
}

async function invoke(tools: Map<string, vscode.LanguageModelTool<Record<string, unknown>>>, name: string, input: unknown, tokenBudget?: number): Promise<string> {
  const tool = tools.get(name);
  assert.ok(tool, `${name} registered`);
  const options = { input, toolInvocationToken: undefined, ...(tokenBudget ? { tokenizationOptions: { tokenBudget, countTokens: async (t: string) => countTokens(t) } } : {}) };
  const result = (await tool.invoke(options as vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token)) as unknown as FakeResult;
  assert.ok(result instanceof FakeResult, 'a LanguageModelToolResult');
  assert.equal(result.content.length, 1);
  assert.ok(result.content[0] instanceof FakeTextPart, 'one LanguageModelTextPart');
  return result.content[0].value;
}

describe('package.json contributions', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

  it('languageModelTools equal the ones generated from the core zod specs (no drift)', () => {
    assert.deepEqual(
      pkg.contributes.languageModelTools,
      lmToolContributions(),
      'package.json is out of date: copy lmToolContributions() from src/extension/lmTools.ts into contributes.languageModelTools',
    );
  });

  it('every tool can be referenced in prompts and wraps one core tool, each core tool once', () => {
    for (const t of pkg.contributes.languageModelTools) {
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.match(t.name, /^sleeptime_[a-zA-Z]+$/);
      assert.ok(t.modelDescription.length > 40 && t.toolReferenceName && t.inputSchema?.type === 'object');
      assert.equal(t.inputSchema.$schema, undefined);
    }
    assert.deepEqual(LM_TOOLS.map((t) => t.agentTool).sort(), AGENT_TOOL_SPECS.map((s) => s.name).sort());
    const likely = pkg.contributes.languageModelTools.find((t: { name: string }) => t.name === 'sleeptime_likelyBugs');
    assert.equal(likely.inputSchema.properties.path.type, 'string');
    assert.equal(likely.inputSchema.required, undefined, 'path is optional');
  });

  it('the chat participant and the hidden diagnostic command are contributed', () => {
    assert.equal(pkg.contributes.chatParticipants[0].id, 'sleeptime.chat');
    assert.equal(pkg.contributes.chatParticipants[0].name, 'sleeptime');
    assert.ok(pkg.contributes.commands.some((c: { command: string }) => c.command === 'sleeptime.debug.listTools'));
    assert.deepEqual(pkg.contributes.menus.commandPalette.find((m: { command: string }) => m.command === 'sleeptime.debug.listTools'), { command: 'sleeptime.debug.listTools', when: 'false' });
  });
});

describe('registered tools', () => {
  it('registers the five contributed names and disposes them', () => {
    const { api, tools } = fakeApi();
    const disposables = registerLmTools(api, workspace(), logger);
    assert.deepEqual([...tools.keys()], ['sleeptime_searchNotes', 'sleeptime_architectureOverview', 'sleeptime_likelyBugs', 'sleeptime_testHooks', 'sleeptime_getNote']);
    for (const d of disposables) d.dispose();
    assert.equal(tools.size, 0);
  });

  it('search, architecture, bugs, test hooks and get_note answer from the notes', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace('/w/api/src/routes.ts'), logger);
    assert.match(await invoke(tools, 'sleeptime_searchNotes', { query: 'swallowed exception save' }), /Swallowed exception in save/);
    assert.match(await invoke(tools, 'sleeptime_architectureOverview', {}), /src\/routes\.ts:3/);
    const bugs = await invoke(tools, 'sleeptime_likelyBugs', { path: 'src/store.ts' });
    assert.match(bugs, /Swallowed exception/);
    assert.doesNotMatch(bugs, /Unawaited promise/);
    assert.match(await invoke(tools, 'sleeptime_testHooks', {}), /npm test/);
    assert.match(await invoke(tools, 'sleeptime_getNote', { id: 'bug:src/routes.ts:7' }), /Unawaited promise in handler/);
  });

  it('prepareInvocation describes the call', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace(), logger);
    const prepared = await tools.get('sleeptime_likelyBugs')?.prepareInvocation?.({ input: { path: 'src/core' } }, token);
    assert.equal(prepared?.invocationMessage, 'Listing likely bugs for src/core');
    const search = await tools.get('sleeptime_searchNotes')?.prepareInvocation?.({ input: { query: 'where is auth' } }, token);
    assert.match(String(search?.invocationMessage), /where is auth/);
  });

  it('bad input gives an error text instead of throwing', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace(), logger);
    assert.match(await invoke(tools, 'sleeptime_searchNotes', { query: '' }), /Invalid search_notes input: query/);
    assert.match(await invoke(tools, 'sleeptime_searchNotes', 'not an object'), /Invalid search_notes input/);
    assert.match(await invoke(tools, 'sleeptime_likelyBugs', { limit: 'ten' }), /Invalid likely_bugs input: limit/);
    assert.match(await invoke(tools, 'sleeptime_getNote', { id: 'nope' }), /No note with id `nope`/);
  });

  it('outputs stay within the default bound and within a smaller caller token budget', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace(), logger);
    const wide = await invoke(tools, 'sleeptime_searchNotes', { query: 'generated handler widgets', limit: 20 });
    assert.ok(countTokens(wide) <= 1500, `default bound (${countTokens(wide)})`);
    const narrow = await invoke(tools, 'sleeptime_searchNotes', { query: 'generated handler widgets', limit: 20 }, 200);
    assert.ok(countTokens(narrow) <= 200, `caller budget (${countTokens(narrow)})`);
    assert.match(narrow, /omitted to stay within 200 tokens|truncated/);
  });

  it('multi-root: the path argument or the active editor picks the folder', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace('/w/api/src/store.ts'), logger);
    assert.match(await invoke(tools, 'sleeptime_likelyBugs', { path: 'client/app.tsx' }), /Missing key in list/, 'folder whose notes cite the path');
    assert.match(await invoke(tools, 'sleeptime_likelyBugs', { path: '/w/web/client' }), /Missing key in list/, 'absolute path');
    assert.match(await invoke(tools, 'sleeptime_likelyBugs', { path: 'web/client' }), /Missing key in list/, 'folder name prefix');
    const active = await invoke(tools, 'sleeptime_likelyBugs', {});
    assert.match(active, /Swallowed exception/);
    assert.doesNotMatch(active, /Missing key/, 'active editor folder');
    assert.match(await invoke(tools, 'sleeptime_getNote', { id: 'bug:client/app.tsx:4' }), /Missing key in list/, 'a note id is found in its folder');
    assert.match(await invoke(tools, 'sleeptime_likelyBugs', { path: '/elsewhere/x.ts' }), /outside the workspace folders/);
  });

  it('no folders or a failing workspace give one line, never a throw', async () => {
    const { api, tools } = fakeApi();
    registerLmTools(api, workspace(undefined, []), logger);
    assert.match(await invoke(tools, 'sleeptime_architectureOverview', {}), /No workspace folder is open/);
    const broken = fakeApi();
    registerLmTools(broken.api, { folders: () => Promise.reject(new Error('store unreadable')), activePath: () => undefined }, logger);
    assert.match(await invoke(broken.tools, 'sleeptime_architectureOverview', {}), /could not read its notes: store unreadable/);
  });
});

describe('resolveFolder', () => {
  it('prefers the deepest folder holding an absolute path', () => {
    const nested: AgentFolder[] = [{ name: 'w', root: '/w', storeDir: '', notes: [] }, ...folders];
    const r = resolveFolder(nested, undefined, '/w/web/client/app.tsx');
    assert.ok(!('error' in r));
    assert.equal(r.folder.name, 'web');
    assert.equal(r.path, 'client/app.tsx');
  });

  it('falls back to the first folder without a path or active editor', () => {
    const r = resolveFolder(folders, '/not/open.ts');
    assert.ok(!('error' in r));
    assert.equal(r.index, 0);
    assert.equal(r.path, undefined);
  });
});
