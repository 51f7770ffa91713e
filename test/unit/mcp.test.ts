import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { noteUri, NOTES_INDEX_URI } from '../../src/cli/mcp';
import { Store } from '../../src/core/store/store';
import type { Note } from '../../src/core/types';

const repoRoot = path.resolve(__dirname, '../..');

function note(p: Partial<Note> & Pick<Note, 'id' | 'kind'>): Note {
  return { title: p.id, body: `About ${p.id}.`, evidence: [], dependsOn: {}, origin: 'static', stale: false, createdAt: '2025-01-01T00:00:00.000Z', ...p };
}

function resourceText(r: { contents: ({ text: string } | { blob: string })[] }): string {
  return r.contents.map((c) => ('text' in c ? c.text : '')).join('');
}

function text(r: unknown): string {
  const content = (r as CallToolResult).content;
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('sleeptime MCP server over stdio', () => {
  let dir: string;
  let client: Client;
  let stderr = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-mcp-'));
    fs.mkdirSync(path.join(dir, 'src'));
    const source = 'export function parseConfig(text: string) {\n  try { return JSON.parse(text); } catch {}\n}\n';
    fs.writeFileSync(path.join(dir, 'src/config.ts'), source);
    const hash = createHash('sha1').update(source).digest('hex');
    const notes: Note[] = [
      note({ id: 'architecture:overview', kind: 'architecture', title: 'Architecture overview', body: 'One module: `src/config.ts:1` parses configuration.', evidence: [{ path: 'src/config.ts', startLine: 1, endLine: 3 }], dependsOn: { 'src/config.ts': hash } }),
      note({ id: 'bug:src/config.ts:2', kind: 'bug', title: 'Swallowed exception in parseConfig', subject: 'src/config.ts', score: 0.9, body: 'The empty catch hides malformed configuration (src/config.ts:2).', evidence: [{ path: 'src/config.ts', startLine: 2, endLine: 2 }], dependsOn: { 'src/config.ts': hash } }),
      note({ id: 'test-hook:repo', kind: 'test-hook', title: 'Run the tests', body: 'Run `npm test`.' }),
      note({ id: 'file:src/config.ts', kind: 'file', title: 'src/config.ts', subject: 'src/config.ts', body: 'Defines `parseConfig`.', evidence: [{ path: 'src/config.ts', startLine: 1, endLine: 3 }], dependsOn: { 'src/config.ts': hash } }),
      note({ id: 'qa:where-is-config-parsed', kind: 'qa', title: 'Where is configuration parsed?', body: 'In `parseConfig` (src/config.ts:1).' }),
    ];
    const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
    await store.save({ notes });

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoRoot, 'src/cli/mcpMain.ts'), dir],
      cwd: repoRoot,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    client = new Client({ name: 'sleeptime-test', version: '0.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('initializes and lists the five tools with input schemas', async () => {
    assert.equal(client.getServerVersion()?.name, 'sleeptime');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['architecture_overview', 'get_note', 'likely_bugs', 'search_notes', 'test_hooks']);
    const search = tools.find((t) => t.name === 'search_notes');
    assert.deepEqual(search?.inputSchema.required, ['query']);
    assert.ok(search?.inputSchema.properties?.kind);
  });

  it('calls each tool against the stored notes', async () => {
    const search = await client.callTool({ name: 'search_notes', arguments: { query: 'parseConfig', limit: 3 } });
    assert.ok(!search.isError);
    assert.match(text(search), /parseConfig/);
    assert.match(text(search), /src\/config\.ts:/);

    const got = await client.callTool({ name: 'get_note', arguments: { id: 'qa:where-is-config-parsed' } });
    assert.match(text(got), /Where is configuration parsed\?/);

    const arch = await client.callTool({ name: 'architecture_overview', arguments: {} });
    assert.match(text(arch), /One module/);

    const bugs = await client.callTool({ name: 'likely_bugs', arguments: { path: 'src' } });
    assert.match(text(bugs), /Swallowed exception in parseConfig/);
    const noBugs = await client.callTool({ name: 'likely_bugs', arguments: { path: 'docs' } });
    assert.ok(!noBugs.isError);
    assert.match(text(noBugs), /No likely bugs/);

    const hooks = await client.callTool({ name: 'test_hooks', arguments: { path: 'src/config.ts' } });
    assert.match(text(hooks), /npm test/);
  });

  it('answers bad arguments with an error result and keeps serving', async () => {
    const missing = await client.callTool({ name: 'search_notes', arguments: {} });
    assert.equal(missing.isError, true);
    const wrongType = await client.callTool({ name: 'likely_bugs', arguments: { limit: 'many' } });
    assert.equal(wrongType.isError, true);
    const unknown = await client.callTool({ name: 'get_note', arguments: { id: 'nope' } });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /No note with id/);
    const still = await client.callTool({ name: 'architecture_overview', arguments: {} });
    assert.ok(!still.isError);
  });

  it('lists the notes as resources and reads the index and a note', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes(NOTES_INDEX_URI));
    assert.ok(uris.includes(noteUri('bug:src/config.ts:2')));
    const index = await client.readResource({ uri: NOTES_INDEX_URI });
    assert.match(resourceText(index), /## bug \(1\)/);
    assert.match(resourceText(index), /sleeptime:\/\/note\/file%3Asrc%2Fconfig.ts/);
    const one = await client.readResource({ uri: noteUri('file:src/config.ts') });
    assert.equal(one.contents[0].mimeType, 'text/markdown');
    assert.match(resourceText(one), /Defines `parseConfig`/);
    await assert.rejects(client.readResource({ uri: noteUri('no-such-note') }));
  });

  it('serves notes saved after it started', async () => {
    const { store } = await Store.open(path.join(dir, '.sleeptime'), { root: dir });
    await store.save({ notes: [...store.notes(), note({ id: 'qa:late', kind: 'qa', title: 'A late question', body: 'Answered later.' })] });
    const got = await client.callTool({ name: 'get_note', arguments: { id: 'qa:late' } });
    assert.ok(!got.isError);
    assert.match(text(got), /Answered later/);
  });

  it('keeps stdout for the protocol and logs to stderr', () => {
    assert.match(stderr, /serving 5 notes/);
  });
});
