import * as vscode from 'vscode';
import type { Controller } from './controller';
import { noteMarkdown, workspaceLink, notesTree, type FolderNotes, type NotesTreeItem } from './notesModel';

/** URI scheme of the read-only markdown documents that show one note. */
export const NOTE_SCHEME = 'sleeptime-note';

/** `sleeptime-note:/<title>.md?folder=<index>&id=<note id>` */
export function noteUri(folder: number, id: string, title: string): vscode.Uri {
  const name = title.replace(/[^\w .,()-]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'note';
  return vscode.Uri.from({ scheme: NOTE_SCHEME, path: `/${name}.md`, query: new URLSearchParams({ folder: String(folder), id }).toString() });
}

/** Open a note as a markdown preview. */
export async function openNotePreview(folder: number, note: { id: string; title: string }): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', noteUri(folder, note.id, note.title));
}

/** Serves `sleeptime-note:` documents from the loaded notes. */
export class NoteDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly served = new Set<string>();

  constructor(private readonly controller: Controller) {
    controller.onDidChangeNotes(() => {
      for (const u of this.served) this.emitter.fire(vscode.Uri.parse(u));
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.served.add(uri.toString());
    const query = new URLSearchParams(uri.query);
    const folder = Number(query.get('folder') ?? -1);
    const note = this.controller.note(folder, query.get('id') ?? '');
    const first = this.controller.folders[0]?.folder.uri.fsPath;
    const root = this.controller.folders[folder]?.folder.uri.fsPath;
    if (!note || !first || !root) return '# Note not found\n\nIt may have been removed by the last analysis.\n';
    return noteMarkdown(note, workspaceLink(first, root));
  }
}

/** The Notes tree: notes grouped by kind (and by folder in multi-root workspaces). */
export class NotesTreeProvider implements vscode.TreeDataProvider<NotesTreeItem> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly source: () => FolderNotes[]) {}

  /** Rebuild from the current notes. */
  refresh(): void {
    this.emitter.fire();
  }

  getChildren(element?: NotesTreeItem): NotesTreeItem[] {
    if (!element) return notesTree(this.source());
    return element.type === 'note' ? [] : element.children;
  }

  getTreeItem(element: NotesTreeItem): vscode.TreeItem {
    if (element.type === 'folder') {
      const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.id = `folder:${element.folder}`;
      return item;
    }
    if (element.type === 'group') {
      const expanded = element.kind === 'architecture' || element.kind === 'bug';
      const item = new vscode.TreeItem(element.label, expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `group:${element.folder}:${element.kind}`;
      item.description = element.description;
      item.iconPath = new vscode.ThemeIcon(element.icon);
      item.contextValue = `group-${element.kind}`;
      return item;
    }
    const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
    item.id = `note:${element.folder}:${element.id}`;
    item.description = element.description;
    item.tooltip = element.tooltip;
    item.iconPath = new vscode.ThemeIcon(element.icon, element.stale ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.contextValue = element.stale ? 'note-stale' : 'note';
    item.accessibilityInformation = { label: `${element.label}${element.stale ? ', stale' : ''}, ${element.description}` };
    item.command = { command: 'sleeptime.openNote', title: 'Open Note', arguments: [element.folder, element.id] };
    return item;
  }
}
