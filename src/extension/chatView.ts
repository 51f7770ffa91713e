import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ask } from '../core/ask';
import { readLedger } from '../core/llm/ledger';
import type { Logger } from '../core/logger';
import type { Controller } from './controller';
import { buildCostView } from './costView';
import { resolveModel } from './models';
import { parseWebviewMessage, type ChatTurn, type HostMessage, type WebviewMessage } from './protocol';
import { readSettings } from './settings';

/** Open a workspace file at a 1-based line. */
export async function openAt(root: string, relPath: string, line: number): Promise<void> {
  const uri = vscode.Uri.file(path.resolve(root, relPath));
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: true });
}

/** The Chat webview view: questions answered from the notes, with a cost line per answer. */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'sleeptime.chat';
  private view: vscode.WebviewView | undefined;
  private readonly turns: ChatTurn[] = [];
  private readonly inFlight = new Map<string, AbortController>();
  private pendingFocus: HostMessage | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly controller: Controller,
    private readonly logger: Logger,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webviewRoot = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot] };
    view.webview.html = this.html(view.webview, webviewRoot);
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseWebviewMessage(raw);
      if (!message) {
        this.logger.warn('chat: dropped a message outside the protocol');
        return;
      }
      void this.handle(message);
    });
    view.onDidDispose(() => (this.view = undefined));
  }

  /** Ask a Question command: reveal the chat and focus its input. */
  async focusInput(question?: string): Promise<void> {
    await vscode.commands.executeCommand('sleeptime.chat.focus');
    const message: HostMessage = { type: 'focusInput', question };
    if (this.view) void this.view.webview.postMessage(message);
    else this.pendingFocus = message;
  }

  /** Send the cost view again (after an answer or a sleep-time run wrote to a ledger). */
  postCost(): void {
    if (!this.view) return;
    const settings = readSettings();
    const ledgers = this.controller.folders.map((f) => {
      const { entries, errors } = readLedger(f.storeDir);
      for (const e of errors) this.logger.warn(e);
      return entries;
    });
    this.post({ type: 'cost', cost: buildCostView(ledgers, { testWeight: settings.testTokenWeight, dailyBudgetTokens: settings.dailySleepBudgetTokens }) });
  }

  /** Send the conversation and the mode banner again (the model settings or the trust changed). */
  async refresh(): Promise<void> {
    if (this.view) await this.handle({ type: 'ready' });
  }

  private post(message: HostMessage): void {
    void this.view?.webview.postMessage(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const { reason } = await resolveModel(readSettings(), this.context.secrets);
        this.post({ type: 'init', turns: this.turns, offline: reason !== undefined, offlineReason: reason });
        this.postCost();
        if (this.pendingFocus) this.post(this.pendingFocus);
        this.pendingFocus = undefined;
        return;
      }
      case 'ask':
        return this.answer(message.id, message.question);
      case 'stop':
        this.inFlight.get(message.id)?.abort();
        return;
      case 'openCitation': {
        const folder = this.controller.folders[message.folder];
        if (!folder) return;
        await openAt(folder.folder.uri.fsPath, message.path, message.line).catch((error: unknown) =>
          vscode.window.showWarningMessage(`Sleeptime: cannot open ${message.path}: ${error instanceof Error ? error.message : String(error)}`),
        );
        return;
      }
      case 'clearHistory':
        for (const c of this.inFlight.values()) c.abort();
        this.turns.length = 0;
        return this.handle({ type: 'ready' });
      case 'command':
        await vscode.commands.executeCommand(`sleeptime.${message.command}`);
        return;
    }
  }

  private async answer(id: string, question: string): Promise<void> {
    const folderIndex = this.controller.folderIndexFor(vscode.window.activeTextEditor?.document.uri);
    const folder = this.controller.folders[folderIndex];
    const turn: ChatTurn = { id, question, answer: '', folder: folderIndex, status: 'streaming', notes: [] };
    this.turns.push(turn);
    this.post({ type: 'start', turn });
    if (!folder) {
      Object.assign(turn, { status: 'error', error: 'Open a folder to ask about it.' });
      this.post({ type: 'end', turn });
      return;
    }
    const settings = readSettings(folder.folder.uri);
    const { model } = await resolveModel(settings, this.context.secrets);
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    try {
      const result = await ask({
        root: folder.folder.uri.fsPath,
        storeDir: folder.storeDir,
        question,
        budgetTokens: settings.questionBudgetTokens,
        maxAnswerTokens: settings.maxAnswerTokens,
        offline: model === undefined,
        model,
        signal: controller.signal,
        logger: this.logger,
        prepare: (request, signal) => this.controller.prepareAnswer(request, signal),
        onText: (text) => {
          turn.answer += text;
          this.post({ type: 'delta', id, text });
        },
      });
      turn.answer = result.answer;
      turn.status = controller.signal.aborted ? 'stopped' : 'done';
      turn.notes = result.notes.map((n) => ({ title: n.title, kind: n.kind, path: n.path, line: n.startLine }));
      turn.cost = {
        contextTokens: result.contextTokens,
        promptTokens: result.usage?.promptTokens,
        budgetTokens: result.budgetTokens,
        completionTokens: result.usage?.completionTokens ?? 0,
        maxAnswerTokens: settings.maxAnswerTokens,
        latencyMs: result.latencyMs,
        servedBy: result.servedBy,
        model: result.model,
      };
      this.logger.info(`answered in ${result.latencyMs} ms from ${result.notes.length} notes (${result.servedBy}, ${result.contextTokens}/${result.budgetTokens} context tokens)`);
    } catch (error) {
      turn.status = controller.signal.aborted ? 'stopped' : 'error';
      if (!controller.signal.aborted) turn.error = error instanceof Error ? error.message : String(error);
      this.logger.warn(`chat: ${turn.error ?? 'stopped'}`);
    } finally {
      this.inFlight.delete(id);
    }
    this.post({ type: 'end', turn });
    this.postCost();
  }

  private html(webview: vscode.Webview, root: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(root, name)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}">
<link rel="stylesheet" href="${asset('chat.css')}">
<title>Sleeptime Chat</title>
</head>
<body>
<div id="banner" class="banner" role="status" hidden></div>
<main id="log" class="log" role="log" aria-live="polite" aria-label="Conversation"></main>
<details id="costview" class="costview" hidden>
  <summary><span class="codicon codicon-graph" aria-hidden="true"></span> <span id="costsummary">Cost</span></summary>
  <dl id="costtable"></dl>
</details>
<form id="form" class="composer" aria-label="Ask Sleeptime">
  <label for="question" class="visually-hidden">Question about this repository</label>
  <textarea id="question" rows="2" placeholder="Ask about this repository (Enter to send, Shift+Enter for a new line)"></textarea>
  <div class="actions">
    <button id="clear" type="button" class="icon" title="Clear conversation" aria-label="Clear conversation"><span class="codicon codicon-clear-all" aria-hidden="true"></span></button>
    <button id="stop" type="button" class="secondary" hidden aria-label="Stop the answer"><span class="codicon codicon-debug-stop" aria-hidden="true"></span> Stop</button>
    <button id="send" type="submit" aria-label="Send question"><span class="codicon codicon-send" aria-hidden="true"></span> Ask</button>
  </div>
</form>
<script nonce="${nonce}" src="${asset('chat.js')}"></script>
</body>
</html>`;
  }
}
