/**
 * The agent-facing tools over c′ (the notes), shared by the MCP server and the VS Code language-model tools:
 * zod-validated inputs, markdown outputs bounded in o200k_base tokens.
 */
import { z } from 'zod';
import { RetrievalIndex } from '../retrieve/searchIndex';
import type { Evidence, FileAnalysis, Note, NoteKind } from '../types';
import { boundSections, renderNote } from './render';

/** Default bound on one tool output, in tokens. */
export const DEFAULT_TOOL_MAX_TOKENS = 1500;

const NOTE_KINDS = ['architecture', 'bug', 'test-hook', 'file', 'qa'] as const satisfies readonly NoteKind[];

const pathField = z
  .string()
  .max(1000)
  .describe('Repository-relative file or folder path (POSIX style), e.g. `src/core` or `src/core/store.ts`.');

/** Input of `search_notes`. */
export const searchNotesInput = z.object({
  query: z.string().trim().min(1).max(1000).describe('What to look for: words, identifiers, file names or a question.'),
  limit: z.number().int().min(1).max(20).optional().describe('Most notes to return (default 5).'),
  kind: z.enum(NOTE_KINDS).optional().describe('Only notes of this kind.'),
});

/** Input of `get_note`. */
export const getNoteInput = z.object({
  id: z.string().trim().min(1).max(1000).describe('A note id as listed by search_notes, e.g. `architecture:overview`.'),
});

/** Input of `architecture_overview` (none). */
export const architectureOverviewInput = z.object({});

/** Input of `likely_bugs`. */
export const likelyBugsInput = z.object({
  path: pathField.optional(),
  limit: z.number().int().min(1).max(50).optional().describe('Most bug hypotheses to return (default 10).'),
});

/** Input of `test_hooks`. */
export const testHooksInput = z.object({ path: pathField.optional() });

/** Names of the agent tools, as exposed over MCP. */
export type AgentToolName = 'search_notes' | 'get_note' | 'architecture_overview' | 'likely_bugs' | 'test_hooks';

/** Name, description and input schema of one agent tool. */
export interface AgentToolSpec {
  name: AgentToolName;
  title: string;
  description: string;
  input: z.ZodObject;
}

/** The agent tools' descriptions and schemas, for MCP registration and `contributes.languageModelTools`. */
export const AGENT_TOOL_SPECS: readonly AgentToolSpec[] = [
  {
    name: 'search_notes',
    title: 'Search Sleeptime notes',
    description:
      'Search the notes Sleeptime prepared about this repository (architecture, likely bugs, test hooks, file cards, ' +
      'anticipated Q&A). Each note cites code as path:line. Use before reading files to find where things are.',
    input: searchNotesInput,
  },
  {
    name: 'get_note',
    title: 'Get a Sleeptime note',
    description: 'The full text of one note by id (ids come from search_notes or the notes index resource).',
    input: getNoteInput,
  },
  {
    name: 'architecture_overview',
    title: 'Architecture overview',
    description: 'How the repository is organized: components, entry points, main data flow, with path:line citations.',
    input: architectureOverviewInput,
  },
  {
    name: 'likely_bugs',
    title: 'Likely bugs',
    description:
      'Likely-bug hypotheses found while the editor was idle (swallowed errors, unawaited promises, ...), ' +
      'strongest first, optionally only those under a file or folder path.',
    input: likelyBugsInput,
  },
  {
    name: 'test_hooks',
    title: 'Test hooks',
    description: 'How to build and test the repository or the component holding a path: exact commands and test files.',
    input: testHooksInput,
  },
];

/** A note as listed in a tool output. */
export interface ToolNoteRef {
  id: string;
  kind: NoteKind;
  title: string;
  stale: boolean;
}

/** Result of one agent tool call. */
export interface ToolOutput {
  /** True for bad input or an unknown note id; `text` then says what was wrong. */
  isError: boolean;
  /** Markdown, at most `tokens` <= the tool's token bound. */
  text: string;
  tokens: number;
  /** True when results were left out or cut to stay within the bound. */
  truncated: boolean;
  /** Notes included in `text`, in order. */
  notes: ToolNoteRef[];
  /** Evidence of the included notes (for editor references / anchors). */
  references: Evidence[];
}

/** Options of {@link AgentTools}. */
export interface AgentToolsOptions {
  /** Bound on each output, in o200k_base tokens. Default {@link DEFAULT_TOOL_MAX_TOKENS}. */
  maxTokens?: number;
  /** Per-file analyses (the store's files), so search also weighs symbol and path matches. */
  files?: ReadonlyMap<string, FileAnalysis>;
}

/** `src/a.ts`, `./src/a.ts`, `src\\a.ts`, `/src/a.ts/` all become `src/a.ts`; `.` and `` become ``. */
export function normalizeRepoPath(p: string): string {
  const s = p.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '.' ? '' : s;
}

/** True when `p` is `scope` or lies under it (scope `` holds everything). */
function within(p: string, scope: string): boolean {
  return scope === '' || p === scope || p.startsWith(scope + '/');
}

function notePaths(note: Note): string[] {
  return [...new Set([...(note.subject ? [note.subject] : []), ...note.evidence.map((e) => e.path)])];
}

function byScore(a: Note, b: Note): number {
  return (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id);
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

/** The agent tools over one set of notes (index built once). Methods take unvalidated input and never throw. */
export class AgentTools {
  private readonly byId = new Map<string, Note>();
  private readonly index: RetrievalIndex;
  private readonly maxTokens: number;

  constructor(notes: Note[], opts: AgentToolsOptions = {}) {
    this.maxTokens = Math.max(50, opts.maxTokens ?? DEFAULT_TOOL_MAX_TOKENS);
    for (const n of notes) this.byId.set(n.id, n);
    this.index = RetrievalIndex.build({ notes: [...this.byId.values()], files: opts.files ?? new Map() });
  }

  /** All notes, in insertion order. */
  notes(): Note[] {
    return [...this.byId.values()];
  }

  /** One note by id. */
  note(id: string): Note | undefined {
    return this.byId.get(id);
  }

  /** Calls a tool by its MCP name. */
  call(name: AgentToolName, input: unknown): ToolOutput {
    switch (name) {
      case 'search_notes': return this.searchNotes(input);
      case 'get_note': return this.getNote(input);
      case 'architecture_overview': return this.architectureOverview(input);
      case 'likely_bugs': return this.likelyBugs(input);
      case 'test_hooks': return this.testHooks(input);
    }
  }

  /** Notes ranked for `query` by the retrieval index (BM25 + identifier/path/kind cues), stale notes demoted. */
  searchNotes(input: unknown): ToolOutput {
    const parsed = searchNotesInput.safeParse(input);
    if (!parsed.success) return this.error(`Invalid search_notes input: ${issues(parsed.error)}`);
    const { query, limit = 5, kind } = parsed.data;
    const hits = this.index
      .rank(query)
      .notes.filter((r) => !kind || r.note.kind === kind)
      .map((r) => ({ note: r.note, score: r.score * (r.note.stale ? 0.5 : 1) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map((h) => h.note);
    const scope = kind ? ` of kind ${kind}` : '';
    if (hits.length === 0) return this.ok(`No notes${scope} match "${query}".${this.emptyHint()}`, []);
    return this.ok(`## Notes${scope} matching "${query}" (${hits.length})`, hits);
  }

  /** One note in full (still bounded). */
  getNote(input: unknown): ToolOutput {
    const parsed = getNoteInput.safeParse(input);
    if (!parsed.success) return this.error(`Invalid get_note input: ${issues(parsed.error)}`);
    const note = this.byId.get(parsed.data.id);
    if (note) return this.ok('', [note]);
    const needle = parsed.data.id.toLowerCase();
    const near = [...this.byId.keys()].filter((id) => id.toLowerCase().includes(needle)).slice(0, 5);
    const hint = near.length ? ` Did you mean: ${near.map((id) => `\`${id}\``).join(', ')}?` : ' Use search_notes to find ids.';
    return this.error(`No note with id \`${parsed.data.id}\`.${hint}`);
  }

  /** The architecture notes, `architecture:overview` first. */
  architectureOverview(input: unknown = {}): ToolOutput {
    const parsed = architectureOverviewInput.safeParse(input ?? {});
    if (!parsed.success) return this.error(`Invalid architecture_overview input: ${issues(parsed.error)}`);
    const notes = this.ofKind('architecture').sort(
      (a, b) => Number(b.id === 'architecture:overview') - Number(a.id === 'architecture:overview') || byScore(a, b),
    );
    if (notes.length === 0) return this.ok(`No architecture notes yet.${this.emptyHint()}`, []);
    return this.ok('## Architecture', notes);
  }

  /** Bug hypotheses, strongest first, optionally only those whose subject or evidence lies under `path`. */
  likelyBugs(input: unknown = {}): ToolOutput {
    const parsed = likelyBugsInput.safeParse(input ?? {});
    if (!parsed.success) return this.error(`Invalid likely_bugs input: ${issues(parsed.error)}`);
    const scope = normalizeRepoPath(parsed.data.path ?? '');
    const notes = this.ofKind('bug')
      .filter((n) => notePaths(n).some((p) => within(p, scope)))
      .sort(byScore)
      .slice(0, parsed.data.limit ?? 10);
    const where = scope ? ` under \`${scope}\`` : '';
    if (notes.length === 0) return this.ok(`No likely bugs noted${where}.${this.emptyHint()}`, []);
    return this.ok(`## Likely bugs${where} (${notes.length}, strongest first; hypotheses, verify before fixing)`, notes);
  }

  /**
   * Test hooks for `path`: notes about it or anything under it first, then those of the enclosing components
   * (nearest first) down to repository-wide ones. Without a path, all test hooks.
   */
  testHooks(input: unknown = {}): ToolOutput {
    const parsed = testHooksInput.safeParse(input ?? {});
    if (!parsed.success) return this.error(`Invalid test_hooks input: ${issues(parsed.error)}`);
    const scope = normalizeRepoPath(parsed.data.path ?? '');
    const rank = (n: Note): number => {
      const paths = notePaths(n);
      if (paths.length === 0) return 0;
      if (paths.some((p) => within(p, scope))) return Number.MAX_SAFE_INTEGER;
      const ancestors = paths.map(normalizeRepoPath).filter((p) => within(scope, p));
      return ancestors.length ? 1 + Math.max(...ancestors.map((p) => (p === '' ? 0 : p.split('/').length))) : -1;
    };
    const notes = this.ofKind('test-hook')
      .map((n) => ({ n, r: rank(n) }))
      .filter((x) => x.r >= 0)
      .sort((a, b) => b.r - a.r || byScore(a.n, b.n))
      .map((x) => x.n);
    const where = scope ? ` for \`${scope}\`` : '';
    if (notes.length === 0) return this.ok(`No test hooks noted${where}.${this.emptyHint()}`, []);
    return this.ok(`## Test hooks${where}`, notes);
  }

  private ofKind(kind: NoteKind): Note[] {
    return [...this.byId.values()].filter((n) => n.kind === kind);
  }

  private emptyHint(): string {
    return this.byId.size === 0 ? ' The store has no notes: run `sleeptime analyze` on the repository first.' : '';
  }

  private ok(header: string, notes: Note[]): ToolOutput {
    const bounded = boundSections(header, notes.map(renderNote), this.maxTokens);
    const shown = notes.slice(0, bounded.included);
    return {
      isError: false,
      text: bounded.text,
      tokens: bounded.tokens,
      truncated: bounded.truncated,
      notes: shown.map((n) => ({ id: n.id, kind: n.kind, title: n.title, stale: n.stale })),
      references: shown.flatMap((n) => n.evidence),
    };
  }

  private error(message: string): ToolOutput {
    const bounded = boundSections(message, [], this.maxTokens);
    return { isError: true, text: bounded.text, tokens: bounded.tokens, truncated: bounded.truncated, notes: [], references: [] };
  }
}
