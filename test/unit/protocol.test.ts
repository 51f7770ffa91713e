import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/extension/protocol';

test('accepts every webview message of the protocol', () => {
  const valid = [
    { type: 'ready' },
    { type: 'ask', id: 'a1', question: 'Where is the entry point?' },
    { type: 'stop', id: 'a1' },
    { type: 'openCitation', folder: 0, path: 'src/app.ts', line: 12 },
    { type: 'clearHistory' },
    { type: 'command', command: 'selectModel' },
  ];
  for (const m of valid) assert.deepEqual(parseWebviewMessage(m), m);
});

test('rejects messages outside the protocol', () => {
  const invalid: unknown[] = [
    null,
    'ask',
    { type: 'eval', code: '1' },
    { type: 'ask', id: 'a1' },
    { type: 'ask', id: '', question: 'x' },
    { type: 'ask', id: 'a1', question: '' },
    { type: 'openCitation', folder: 0, path: 'a.ts', line: 0 },
    { type: 'openCitation', folder: -1, path: 'a.ts', line: 3 },
    { type: 'openCitation', folder: 0, path: 'a.ts', line: 1.5 },
    { type: 'command', command: 'workbench.action.terminal.sendSequence' },
  ];
  for (const m of invalid) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});

test('drops unknown extra fields', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'stop', id: 'x', extra: 1 }), { type: 'stop', id: 'x' });
});
