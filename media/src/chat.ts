/** Chat webview: renders the conversation and speaks the protocol in src/extension/protocol.ts. */
import DOMPurify from 'dompurify';
import type { ChatTurn, CostView, HostMessage, WebviewMessage } from '../../src/extension/protocol';
import { createMarkdownRenderer } from './markdown';

declare function acquireVsCodeApi(): { postMessage(message: WebviewMessage): void };

const vscode = acquireVsCodeApi();
const render = createMarkdownRenderer(DOMPurify);
const log = document.getElementById('log') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const form = document.getElementById('form') as HTMLFormElement;
const input = document.getElementById('question') as HTMLTextAreaElement;
const send = document.getElementById('send') as HTMLButtonElement;
const stop = document.getElementById('stop') as HTMLButtonElement;
const clear = document.getElementById('clear') as HTMLButtonElement;
const costView = document.getElementById('costview') as HTMLDetailsElement;
const costSummary = document.getElementById('costsummary') as HTMLElement;
const costTable = document.getElementById('costtable') as HTMLElement;
const turns = new Map<string, ChatTurn>();
let current: string | undefined;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function icon(name: string): HTMLElement {
  const i = el('span', `codicon codicon-${name}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

function tokens(n: number): string {
  if (n < 10_000) return Math.round(n).toLocaleString();
  return `${(n / 1000).toFixed(n >= 100_000 || n % 1000 === 0 ? 0 : 1)}k`;
}

function costLine(turn: ChatTurn): HTMLElement {
  const line = el('div', 'cost');
  const c = turn.cost;
  if (!c) return line;
  const notes = `${turn.notes.length} note${turn.notes.length === 1 ? '' : 's'}`;
  const latency = `${(c.latencyMs / 1000).toFixed(c.latencyMs < 10_000 ? 2 : 1)} s`;
  const parts =
    c.servedBy === 'model'
      ? [
          `${(c.promptTokens ?? c.contextTokens).toLocaleString()} / ${c.budgetTokens.toLocaleString()} prompt tokens`,
          `${c.completionTokens.toLocaleString()} / ${c.maxAnswerTokens.toLocaleString()} completion`,
          notes,
          latency,
          c.model ?? 'model',
        ]
      : c.servedBy === 'anticipated'
        ? ['anticipated – no model call', `${c.contextTokens.toLocaleString()} / ${c.budgetTokens.toLocaleString()} context tokens`, notes, latency]
        : [`${c.contextTokens.toLocaleString()} / ${c.budgetTokens.toLocaleString()} context tokens`, `${c.completionTokens.toLocaleString()} / ${c.maxAnswerTokens.toLocaleString()} completion`, notes, latency, 'offline'];
  line.append(icon(c.servedBy === 'anticipated' ? 'zap' : 'dashboard'), ` ${parts.join(' · ')}`);
  line.title = c.servedBy === 'model' ? 'Tokens the model server reported, against the test-time budget' : 'What this answer cost against the test-time budget';
  return line;
}

function renderCost(cost: CostView): void {
  const s = cost.summary;
  costView.hidden = false;
  const amortized = s.amortizedPerQuestion === null ? '–' : tokens(s.amortizedPerQuestion);
  costSummary.textContent = `Cost: ${tokens(s.sleepTokens)} sleep · ${s.questions} question${s.questions === 1 ? '' : 's'} · ${amortized} per question`;
  const rows: [string, string][] = [
    ['Sleep-time tokens', `${tokens(s.sleepTokens)} in ${s.sleepCalls} call${s.sleepCalls === 1 ? '' : 's'}`],
    ['Today', `${tokens(cost.sleepTokensToday)} / ${tokens(cost.dailyBudgetTokens)} daily budget`],
    ['Questions', `${s.questions} (${s.anticipatedAnswers} anticipated, no model call)`],
    ['Test-time tokens per question', tokens(s.testTokensPerQuestion)],
    [`Amortized per question (test ×${s.testWeight})`, amortized],
    [`From raw code (test ×${s.testWeight})`, s.rawCodePerQuestion === null ? '–' : `≈ ${tokens(s.rawCodePerQuestion)}`],
  ];
  if (s.estimatedCalls) rows.push(['Counted locally', `${s.estimatedCalls} call${s.estimatedCalls === 1 ? '' : 's'} without server usage`]);
  costTable.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', undefined, k), el('dd', undefined, v)]));
}

function notesList(turn: ChatTurn): HTMLElement | undefined {
  if (turn.notes.length === 0) return undefined;
  const details = el('details', 'notes');
  const summary = el('summary', undefined, `Served by ${turn.notes.length} note${turn.notes.length === 1 ? '' : 's'}`);
  details.append(summary);
  const list = el('ul');
  for (const n of turn.notes) {
    const li = el('li');
    const a = el('a', 'citation', n.title);
    a.href = '#';
    a.dataset.path = n.path;
    a.dataset.line = String(n.line);
    a.title = `${n.path}:${n.line}`;
    li.append(a, el('span', 'muted', ` ${n.kind} · ${n.path}:${n.line}`));
    list.append(li);
  }
  details.append(list);
  return details;
}

function renderTurn(turn: ChatTurn): void {
  turns.set(turn.id, turn);
  let box = document.getElementById(`turn-${turn.id}`);
  if (!box) {
    box = el('article', 'turn');
    box.id = `turn-${turn.id}`;
    box.setAttribute('aria-label', `Question: ${turn.question}`);
    log.append(box);
  }
  box.replaceChildren();
  const q = el('div', 'question');
  q.append(icon('account'), el('div', 'text', turn.question));
  const a = el('div', `answer ${turn.status}`);
  a.dataset.folder = String(turn.folder);
  const body = el('div', 'markdown');
  if (turn.answer) body.innerHTML = render(turn.answer);
  else if (turn.status === 'streaming') body.append(el('span', 'muted thinking', 'Reading the notes…'));
  a.append(body);
  if (turn.status === 'stopped') a.append(el('div', 'muted', 'Stopped.'));
  if (turn.status === 'error') {
    const err = el('div', 'error');
    err.setAttribute('role', 'alert');
    err.append(icon('error'), ` ${turn.error ?? 'The answer failed.'}`);
    a.append(err);
  }
  const notes = notesList(turn);
  if (notes) a.append(notes);
  if (turn.cost) a.append(costLine(turn));
  box.append(q, a);
}

function setBusy(id: string | undefined): void {
  current = id;
  stop.hidden = id === undefined;
  send.disabled = id !== undefined;
  log.setAttribute('aria-busy', String(id !== undefined));
}

function submit(): void {
  const question = input.value.trim();
  if (!question || current) return;
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  setBusy(id);
  input.value = '';
  vscode.postMessage({ type: 'ask', id, question });
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  } else if (e.key === 'Escape' && current) {
    vscode.postMessage({ type: 'stop', id: current });
  }
});
stop.addEventListener('click', () => current && vscode.postMessage({ type: 'stop', id: current }));
clear.addEventListener('click', () => vscode.postMessage({ type: 'clearHistory' }));
log.addEventListener('click', (e) => {
  const target = (e.target as HTMLElement).closest('a');
  if (!target) return;
  const { path, line } = target.dataset;
  if (path && line) {
    e.preventDefault();
    const folder = Number((target.closest('.answer') as HTMLElement | null)?.dataset.folder ?? 0);
    vscode.postMessage({ type: 'openCitation', folder, path, line: Number(line) });
  } else if (target.getAttribute('href') === '#') {
    e.preventDefault();
  }
});
banner.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest('button');
  if (button?.dataset.command === 'selectModel') vscode.postMessage({ type: 'command', command: 'selectModel' });
});

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'init': {
      log.replaceChildren();
      turns.clear();
      setBusy(undefined);
      for (const t of m.turns) renderTurn(t);
      banner.hidden = !m.offline;
      banner.replaceChildren();
      if (m.offline) {
        const button = el('button', 'link', 'Select Model');
        button.type = 'button';
        button.dataset.command = 'selectModel';
        banner.append(icon('info'), el('span', undefined, ` ${m.offlineReason ?? 'Offline.'} `), button);
      }
      if (m.turns.length === 0) {
        const empty = el('div', 'empty');
        empty.append(icon('comment-discussion'), el('p', undefined, 'Ask anything about this repository. Answers come from the notes written while you were away, within a small token budget, and cite the code.'));
        log.append(empty);
      }
      return;
    }
    case 'start':
      log.querySelector('.empty')?.remove();
      renderTurn(m.turn);
      document.getElementById(`turn-${m.turn.id}`)?.scrollIntoView({ block: 'start' });
      return;
    case 'delta': {
      const t = turns.get(m.id);
      if (!t) return;
      t.answer += m.text;
      renderTurn(t);
      return;
    }
    case 'end':
      renderTurn(m.turn);
      if (m.turn.id === current) setBusy(undefined);
      input.focus();
      return;
    case 'focusInput':
      if (m.question) input.value = m.question;
      input.focus();
      return;
    case 'cost':
      renderCost(m.cost);
      return;
  }
});

vscode.postMessage({ type: 'ready' });
