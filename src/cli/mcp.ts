/**
 * `sleeptime mcp [DIR] [--store DIR]`: an MCP server over stdio exposing the agent tools and the notes as
 * resources. stdout carries the protocol only; logs go to the logger (stderr).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOL_SPECS, AgentTools } from '../core/agents/agentTools';
import { renderNote } from '../core/agents/render';
import type { Logger } from '../core/logger';
import { markStaleOnDisk } from '../core/notes/staleness';
import { toolVersion } from '../core/share/exportNotes';
import { defaultStoreDir, Store } from '../core/store/store';
import type { Note } from '../core/types';

/** URI of the notes index resource. */
export const NOTES_INDEX_URI = 'sleeptime://notes/index';

/** URI of one note's resource (the id is URI-encoded: ids hold `:` and `/`). */
export function noteUri(id: string): string {
  return `sleeptime://note/${encodeURIComponent(id)}`;
}

/** Where the server gets its tools from, on every request (so it can follow store updates). */
export type ToolsSource = () => Promise<AgentTools>;

/** Options of {@link runMcpServer}. */
export interface McpServerOptions {
  root: string;
  /** Store folder; default `<root>/.sleeptime`. */
  storeDir?: string;
  logger: Logger;
  /** Bound on each tool output, in tokens. */
  maxTokens?: number;
  /** Protocol streams; default process.stdin / process.stdout. */
  stdin?: Readable;
  stdout?: Writable;
}

function indexMarkdown(tools: AgentTools): string {
  const notes = tools.notes();
  if (notes.length === 0) return '# Sleeptime notes\n\nNo notes yet: run `sleeptime analyze` on the repository first.\n';
  const lines = [`# Sleeptime notes (${notes.length})`];
  for (const kind of ['architecture', 'test-hook', 'bug', 'qa', 'file'] as const) {
    const ofKind = notes.filter((n) => n.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push('', `## ${kind} (${ofKind.length})`, '');
    for (const n of ofKind) lines.push(`- [${n.title}](${noteUri(n.id)}) \`${n.id}\`${n.stale ? ' (stale)' : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** An MCP server (not yet connected) serving the agent tools and notes that `source` provides. */
export function createMcpServer(source: ToolsSource): McpServer {
  const server = new McpServer(
    { name: 'sleeptime', version: toolVersion() },
    {
      instructions:
        'Sleeptime holds notes prepared about this repository while the editor was idle: architecture, likely bugs, ' +
        'test hooks, file cards and anticipated Q&A, each citing path:line. Call architecture_overview or search_notes ' +
        'before exploring files; check cited lines before relying on a note.',
    },
  );
  for (const spec of AGENT_TOOL_SPECS) {
    server.registerTool(
      spec.name,
      { title: spec.title, description: spec.description, inputSchema: spec.input.shape, annotations: { readOnlyHint: true, openWorldHint: false } },
      async (args: unknown): Promise<CallToolResult> => {
        const out = (await source()).call(spec.name, args);
        return { content: [{ type: 'text', text: out.text }], isError: out.isError || undefined };
      },
    );
  }
  server.registerResource(
    'notes-index',
    NOTES_INDEX_URI,
    { title: 'Sleeptime notes index', description: 'Every note by kind, with its resource URI.', mimeType: 'text/markdown' },
    async (uri): Promise<ReadResourceResult> => ({
      contents: [{ uri: uri.href, mimeType: 'text/markdown', text: indexMarkdown(await source()) }],
    }),
  );
  server.registerResource(
    'note',
    new ResourceTemplate('sleeptime://note/{id}', {
      list: async () => ({
        resources: (await source()).notes().map((n: Note) => ({
          uri: noteUri(n.id),
          name: n.id,
          title: n.title,
          mimeType: 'text/markdown',
        })),
      }),
    }),
    { title: 'Sleeptime note', description: 'One note, in markdown, with its path:line evidence.', mimeType: 'text/markdown' },
    async (uri, variables): Promise<ReadResourceResult> => {
      const raw = Array.isArray(variables.id) ? variables.id.join('/') : String(variables.id);
      let id = raw;
      try {
        id = decodeURIComponent(raw);
      } catch {
        /* not percent-encoded: use as is */
      }
      const note = (await source()).note(id);
      if (!note) throw new Error(`no note with id ${id}`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: renderNote(note) }] };
    },
  );
  return server;
}

/** Identity of the store's last save: the manifest is replaced (new inode, new mtime) by every save. */
function storeVersion(storeDir: string): string {
  try {
    const st = fs.statSync(path.join(storeDir, 'manifest.json'));
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return 'none';
  }
}

/** Tools over the store's notes (stale-marked against the working tree), reloaded when the store was saved again. */
export function storeToolsSource(opts: { root: string; storeDir: string; logger: Logger; maxTokens?: number }): ToolsSource {
  let current: Promise<AgentTools> | undefined;
  let loadedVersion = '';
  const load = async (): Promise<AgentTools> => {
    const { store, warnings } = await Store.open(opts.storeDir, { root: opts.root, logger: opts.logger });
    for (const w of warnings) opts.logger.warn(w);
    const files = store.files();
    const notes = markStaleOnDisk(opts.root, store.notes(), files);
    if (notes.length === 0) opts.logger.warn(`no notes in ${opts.storeDir}: run sleeptime analyze ${opts.root} first`);
    else opts.logger.info(`serving ${notes.length} notes from ${opts.storeDir}`);
    return new AgentTools(notes, { maxTokens: opts.maxTokens, files });
  };
  return () => {
    const version = storeVersion(opts.storeDir);
    if (!current || version !== loadedVersion) {
      loadedVersion = version;
      current = load().catch((e: unknown) => {
        loadedVersion = '';
        opts.logger.error(`cannot read the store: ${(e as Error).message}`);
        return new AgentTools([], { maxTokens: opts.maxTokens });
      });
    }
    return current;
  };
}

/** Serves the notes of `root` over MCP on stdio; resolves when the client disconnects (stdin ends). */
export async function runMcpServer(opts: McpServerOptions): Promise<void> {
  const root = path.resolve(opts.root);
  const storeDir = path.resolve(opts.storeDir ?? defaultStoreDir(root));
  const stdin = opts.stdin ?? process.stdin;
  const server = createMcpServer(storeToolsSource({ root, storeDir, logger: opts.logger, maxTokens: opts.maxTokens }));
  const transport = new StdioServerTransport(stdin, opts.stdout ?? process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    stdin.once('end', () => void server.close());
    stdin.once('close', () => void server.close());
  });
  await server.connect(transport);
  opts.logger.info(`sleeptime MCP server for ${root} on stdio`);
  await closed;
}
