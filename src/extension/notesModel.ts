import * as path from 'node:path';
import type { Note, NoteKind } from '../core/types';

/** Notes of one workspace folder. */
export interface FolderNotes {
  /** Index in `vscode.workspace.workspaceFolders`. */
  index: number;
  name: string;
  /** Absolute path of the folder on disk. */
  root: string;
  notes: Note[];
}

/** A group row of the Notes tree. */
export interface NoteGroupItem {
  type: 'group';
  kind: NoteKind;
  label: string;
  /** e.g. `12 notes, 2 stale`. */
  description: string;
  icon: string;
  folder: number;
  children: NoteLeafItem[];
}

/** A note row of the Notes tree. */
export interface NoteLeafItem {
  type: 'note';
  folder: number;
  id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  stale: boolean;
}

/** A workspace folder row (multi-root only). */
export interface FolderItem {
  type: 'folder';
  folder: number;
  label: string;
  children: NoteGroupItem[];
}

/** Row of the Notes tree. */
export type NotesTreeItem = FolderItem | NoteGroupItem | NoteLeafItem;

/** Groups in display order with their labels and codicons. */
export const NOTE_GROUPS: readonly { kind: NoteKind; label: string; icon: string }[] = [
  { kind: 'architecture', label: 'Architecture', icon: 'symbol-structure' },
  { kind: 'bug', label: 'Likely bugs', icon: 'bug' },
  { kind: 'test-hook', label: 'Test hooks', icon: 'beaker' },
  { kind: 'qa', label: 'Anticipated questions', icon: 'question' },
  { kind: 'file', label: 'Files', icon: 'file-code' },
];

function leafFor(note: Note, folder: number, icon: string): NoteLeafItem {
  const where = note.evidence[0] ? `${note.evidence[0].path}:${note.evidence[0].startLine}` : (note.subject ?? '');
  return {
    type: 'note',
    folder,
    id: note.id,
    label: note.title,
    description: note.stale ? `stale · ${where}` : where,
    tooltip: `${note.title}${note.stale ? ' (stale: its files changed since it was written)' : ''}\n${where}`,
    icon: note.stale ? 'warning' : icon,
    stale: note.stale,
  };
}

function byScoreThenTitle(a: Note, b: Note): number {
  return (b.score ?? 0) - (a.score ?? 0) || a.title.localeCompare(b.title);
}

/** Group one folder's notes by kind, in display order, omitting empty groups. */
export function groupNotes(notes: readonly Note[], folder: number): NoteGroupItem[] {
  const groups: NoteGroupItem[] = [];
  for (const g of NOTE_GROUPS) {
    const ofKind = notes.filter((n) => n.kind === g.kind).sort(byScoreThenTitle);
    if (ofKind.length === 0) continue;
    const stale = ofKind.filter((n) => n.stale).length;
    groups.push({
      type: 'group',
      kind: g.kind,
      label: g.label,
      description: `${ofKind.length}${stale ? `, ${stale} stale` : ''}`,
      icon: g.icon,
      folder,
      children: ofKind.map((n) => leafFor(n, folder, g.icon)),
    });
  }
  return groups;
}

/** Top rows of the Notes tree: groups for one folder, or one row per folder in a multi-root workspace. */
export function notesTree(folders: readonly FolderNotes[]): NotesTreeItem[] {
  if (folders.length === 1) return groupNotes(folders[0].notes, folders[0].index);
  return folders.map((f) => ({ type: 'folder', folder: f.index, label: f.name, children: groupNotes(f.notes, f.index) }));
}

/** Number of stale notes across folders. */
export function staleCount(folders: readonly FolderNotes[]): number {
  return folders.reduce((sum, f) => sum + f.notes.filter((n) => n.stale).length, 0);
}

/** Mark notes that depend on any of `changed` (paths relative to the folder) as stale. */
export function markStale(notes: readonly Note[], changed: ReadonlySet<string>): Note[] {
  return notes.map((n) => (!n.stale && Object.keys(n.dependsOn).some((p) => changed.has(p)) ? { ...n, stale: true } : n));
}

/** Builds the link target of a folder-relative path at a line. */
export type LinkBuilder = (relPath: string, line: number) => string;

/**
 * Workspace-root link (`/path#L12`) for the markdown preview of a virtual note document: the
 * preview resolves `/` links against the first workspace folder, so files of other folders are
 * reached through `..` from it.
 */
export function workspaceLink(firstRoot: string, root: string): LinkBuilder {
  return (relPath, line) => `/${encodeURI(path.relative(firstRoot, path.join(root, relPath)).split(path.sep).join('/'))}#L${line}`;
}

/** Relative link (with a `#L` line fragment) from a markdown file in `fromDir` to a file under `root`. */
export function relativeLink(fromDir: string, root: string): LinkBuilder {
  return (relPath, line) => `${encodeURI(path.relative(fromDir, path.join(root, relPath)).split(path.sep).join('/'))}#L${line}`;
}

const CITATION = /(?<![\w/.@[-])((?:[\w.@-]+\/)*[\w.@-]+\.[A-Za-z0-9]+):(\d+)(?:-(\d+))?(?![\w])/g;

/**
 * The markdown a note preview shows: title, staleness, body with `path:line` citations turned into
 * links to the code, and an evidence list.
 */
export function noteMarkdown(note: Note, linkTo: LinkBuilder): string {
  const link = (p: string, line: number, text: string): string => `[${text}](${linkTo(p, line)})`;
  const body = note.body
    .split(/(```[\s\S]*?```)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(CITATION, (whole: string, p: string, line: string) =>
            p.includes('://') ? whole : link(p, Number(line), whole),
          ),
    )
    .join('')
    // A citation written as inline code becomes a link around the code span.
    .replace(/`(\[[^\]`]+\]\([^)`]+\))`/g, '$1');
  const lines = [`# ${note.title}`, ''];
  lines.push(`*${kindLabel(note.kind)} · ${note.origin}${note.stale ? ' · **stale**: files changed since this note was written' : ''}*`, '');
  lines.push(body, '');
  if (note.evidence.length > 0) {
    lines.push('## Evidence', '');
    for (const e of note.evidence) {
      const range = e.endLine > e.startLine ? `${e.startLine}-${e.endLine}` : `${e.startLine}`;
      lines.push(`- ${link(e.path, e.startLine, `${e.path}:${range}`)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Display label of a note kind. */
export function kindLabel(kind: NoteKind): string {
  return NOTE_GROUPS.find((g) => g.kind === kind)?.label ?? kind;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Test-hook notes that cover a folder-relative path (as a covered source or as the test file itself). */
export function hooksFor(notes: readonly Note[], relPath: string): Note[] {
  return notes.filter(
    (n) =>
      n.kind === 'test-hook' &&
      typeof n.meta?.command === 'string' &&
      (stringList(n.meta.covers).includes(relPath) || n.evidence.some((e) => e.path === relPath)),
  );
}
