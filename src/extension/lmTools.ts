/**
 * Language-model tools (`vscode.lm.registerTool`) over the notes, so agent mode and other extensions read c′.
 * The `vscode` module is injected, so the tools run against a fake of the API in unit tests.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { z } from 'zod';
import { AgentTools, AGENT_TOOL_SPECS, DEFAULT_TOOL_MAX_TOKENS, normalizeRepoPath, type AgentToolName, type ToolOutput } from '../core/agents/agentTools';
import type { Logger } from '../core/logger';
import type { Note } from '../core/types';

/** A workspace folder and its notes, as the agent surfaces (tools, chat participant) see it. */
export interface AgentFolder {
  name: string;
  /** Absolute file-system path of the folder. */
  root: string;
  storeDir: string;
  notes: readonly Note[];
}

/** The workspace as the agent surfaces need it; `folders` waits for the controller to load. */
export interface AgentWorkspace {
  folders(): Promise<AgentFolder[]>;
  /** Absolute path of the active editor's file, if any. */
  activePath(): string | undefined;
}

/** One Sleeptime language-model tool: its VS Code name and contribution, over a core agent tool. */
export interface LmToolDef {
  name: string;
  agentTool: AgentToolName;
  toolReferenceName: string;
  displayName: string;
  icon: string;
  /** Progress message while it runs. */
  invocation: (input: Record<string, unknown>) => string;
}

const pathSuffix = (input: Record<string, unknown>): string => (typeof input.path === 'string' && input.path.trim() ? ` for ${input.path.trim()}` : '');

/** The tools, in contribution order. */
export const LM_TOOLS: readonly LmToolDef[] = [
  {
    name: 'sleeptime_searchNotes', agentTool: 'search_notes', toolReferenceName: 'sleeptimeSearch', displayName: 'Search Sleeptime Notes', icon: '$(search)',
    invocation: (input) => `Searching Sleeptime notes for "${typeof input.query === 'string' ? input.query.slice(0, 80) : ''}"`,
  },
  {
    name: 'sleeptime_architectureOverview', agentTool: 'architecture_overview', toolReferenceName: 'sleeptimeArchitecture', displayName: 'Sleeptime Architecture Overview', icon: '$(symbol-structure)',
    invocation: () => 'Reading the Sleeptime architecture overview',
  },
  {
    name: 'sleeptime_likelyBugs', agentTool: 'likely_bugs', toolReferenceName: 'sleeptimeBugs', displayName: 'Sleeptime Likely Bugs', icon: '$(bug)',
    invocation: (input) => `Listing likely bugs${pathSuffix(input)}`,
  },
  {
    name: 'sleeptime_testHooks', agentTool: 'test_hooks', toolReferenceName: 'sleeptimeTestHooks', displayName: 'Sleeptime Test Hooks', icon: '$(beaker)',
    invocation: (input) => `Reading test hooks${pathSuffix(input)}`,
  },
  {
    name: 'sleeptime_getNote', agentTool: 'get_note', toolReferenceName: 'sleeptimeNote', displayName: 'Get Sleeptime Note', icon: '$(note)',
    invocation: (input) => `Reading Sleeptime note ${typeof input.id === 'string' ? input.id.slice(0, 120) : ''}`,
  },
];

const SUFFIX = ' Answers come from notes Sleeptime wrote while the editor was idle; they cite code as path:line, so read only the cited lines instead of whole files.';

/** JSON Schema of a zod input, as `contributes.languageModelTools[].inputSchema` holds it. */
export function inputJsonSchema(input: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(input, { io: 'input' }) as Record<string, unknown>;
  return schema;
}

/** The `contributes.languageModelTools` entries of package.json, generated from the core specs. */
export function lmToolContributions(): Record<string, unknown>[] {
  return LM_TOOLS.map((t) => {
    const spec = AGENT_TOOL_SPECS.find((s) => s.name === t.agentTool);
    if (!spec) throw new Error(`no agent tool ${t.agentTool}`);
    return {
      name: t.name,
      tags: ['sleeptime', 'notes', 'codebase'],
      toolReferenceName: t.toolReferenceName,
      displayName: t.displayName,
      icon: t.icon,
      canBeReferencedInPrompt: true,
      userDescription: spec.title,
      modelDescription: spec.description + SUFFIX,
      inputSchema: inputJsonSchema(spec.input),
    };
  });
}

function isAbsolutePath(p: string): boolean {
  return path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p);
}

/** Index of the folder holding an absolute path (the deepest root wins), or -1. */
export function folderOf(folders: readonly AgentFolder[], abs: string): number {
  let best = -1;
  folders.forEach((f, i) => {
    const rel = path.relative(f.root, abs);
    const inside = rel === '' || (!rel.startsWith('..') && !isAbsolutePath(rel));
    if (inside && (best < 0 || f.root.length > folders[best].root.length)) best = i;
  });
  return best;
}

function cites(notes: readonly Note[], rel: string): boolean {
  const under = (p: string): boolean => rel === '' || p === rel || p.startsWith(rel + '/');
  return notes.some((n) => (n.subject !== undefined && under(n.subject)) || n.evidence.some((e) => under(e.path)) || Object.keys(n.dependsOn).some(under));
}

/** The folder a tool call is about, and the path argument relative to it. */
export interface ResolvedFolder {
  index: number;
  folder: AgentFolder;
  /** The path argument relative to the folder (POSIX), when one was given. */
  path?: string;
}

/**
 * Resolve the folder of a call in a (multi-root) workspace: an absolute path picks the folder holding it;
 * a relative path picks the folder whose notes cite it (or whose name it starts with); otherwise the active
 * editor's folder, else the first. Returns an error line for a path outside every folder.
 */
export function resolveFolder(folders: readonly AgentFolder[], activePath: string | undefined, pathArg?: string): ResolvedFolder | { error: string } {
  if (folders.length === 0) return { error: 'No workspace folder is open: open a folder for Sleeptime to analyze.' };
  const activeIndex = activePath ? folderOf(folders, activePath) : -1;
  const fallback = activeIndex >= 0 ? activeIndex : 0;
  const arg = pathArg?.trim();
  if (!arg) return { index: fallback, folder: folders[fallback] };
  if (isAbsolutePath(arg)) {
    const i = folderOf(folders, arg);
    if (i < 0) return { error: `${arg} is outside the workspace folders (${folders.map((f) => f.name).join(', ')}).` };
    return { index: i, folder: folders[i], path: normalizeRepoPath(path.relative(folders[i].root, arg).split(path.sep).join('/')) };
  }
  const rel = normalizeRepoPath(arg);
  const order = [fallback, ...folders.keys()].filter((i, k, all) => all.indexOf(i) === k);
  const citing = order.find((i) => cites(folders[i].notes, rel));
  if (citing !== undefined) return { index: citing, folder: folders[citing], path: rel };
  const [head, ...rest] = rel.split('/');
  const named = folders.length > 1 ? folders.findIndex((f) => f.name === head) : -1;
  if (named >= 0) return { index: named, folder: folders[named], path: rest.join('/') };
  return { index: fallback, folder: folders[fallback], path: rel };
}

const toolsCache = new WeakMap<readonly Note[], Map<number, AgentTools>>();

/** The core agent tools over a folder's notes, built once per notes array and token bound. */
export function agentToolsFor(notes: readonly Note[], maxTokens: number): AgentTools {
  let byBound = toolsCache.get(notes);
  if (!byBound) toolsCache.set(notes, (byBound = new Map()));
  let tools = byBound.get(maxTokens);
  if (!tools) byBound.set(maxTokens, (tools = new AgentTools([...notes], { maxTokens })));
  return tools;
}

/** Result of one language-model tool call before it is wrapped for VS Code. */
export interface LmToolRun {
  folder?: string;
  output: ToolOutput | undefined;
  /** The text the model sees. */
  text: string;
}

/**
 * Run one tool: pick the folder, call the core tool with the path made folder-relative, and bound the output
 * by `maxTokens` (the caller's token budget when smaller than the default). Never throws.
 */
export async function runLmTool(def: LmToolDef, input: unknown, workspace: AgentWorkspace, maxTokens = DEFAULT_TOOL_MAX_TOKENS): Promise<LmToolRun> {
  try {
    const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
    const args: Record<string, unknown> = isObject ? { ...(input as Record<string, unknown>) } : {};
    const folders = await workspace.folders();
    const pathArg = typeof args.path === 'string' ? args.path : undefined;
    let resolved = resolveFolder(folders, workspace.activePath(), pathArg);
    if ('error' in resolved) return { output: undefined, text: resolved.error };
    if (def.agentTool === 'get_note' && typeof args.id === 'string') {
      // A note id is unique to its folder: look in the resolved folder first, then the others.
      const id = args.id.trim();
      const owner = [resolved.index, ...folders.keys()].find((i) => folders[i].notes.some((n) => n.id === id));
      if (owner !== undefined) resolved = { index: owner, folder: folders[owner] };
    }
    if (resolved.path !== undefined) args.path = resolved.path;
    const bound = Math.max(50, Math.min(DEFAULT_TOOL_MAX_TOKENS, Math.floor(maxTokens)));
    const output = agentToolsFor(resolved.folder.notes, bound).call(def.agentTool, isObject || input === undefined ? args : input);
    return { folder: resolved.folder.name, output, text: output.text };
  } catch (error) {
    return { output: undefined, text: `Sleeptime could not read its notes: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The parts of the `vscode` module the tools use: the real module, or a fake in tests. */
export interface LmToolsApi {
  lm: { registerTool<T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable };
  LanguageModelToolResult: new (content: vscode.LanguageModelTextPart[]) => vscode.LanguageModelToolResult;
  LanguageModelTextPart: new (value: string) => vscode.LanguageModelTextPart;
}

/** Register every Sleeptime language-model tool; returns their disposables. */
export function registerLmTools(api: LmToolsApi, workspace: AgentWorkspace, logger: Logger): vscode.Disposable[] {
  return LM_TOOLS.map((def) =>
    api.lm.registerTool<Record<string, unknown>>(def.name, {
      prepareInvocation: (options) => ({ invocationMessage: def.invocation(options.input ?? {}) }),
      invoke: async (options) => {
        const run = await runLmTool(def, options.input, workspace, options.tokenizationOptions?.tokenBudget);
        const o = run.output;
        logger.info(`tool ${def.name}${run.folder ? ` (${run.folder})` : ''}: ${o ? `${o.isError ? 'error, ' : ''}${o.notes.length} notes, ${o.tokens} tokens${o.truncated ? ', truncated' : ''}` : run.text}`);
        return new api.LanguageModelToolResult([new api.LanguageModelTextPart(run.text)]);
      },
    }),
  );
}
