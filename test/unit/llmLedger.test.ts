import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dayKey, openLedger, readLedger, summarizeLedger, type LedgerEntry } from '../../src/core/llm/ledger';

const e = (kind: 'sleep' | 'test', p: number, c: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  at: '2025-05-01T10:00:00.000Z', kind, job: kind === 'sleep' ? 'qa:src' : 'answer', model: 'm', promptTokens: p, completionTokens: c, ...extra,
});

test('appends JSONL entries and reads them back, reporting broken lines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-ledger-'));
  try {
    const store = path.join(dir, '.sleeptime');
    assert.deepEqual(readLedger(store), { entries: [], errors: [] });
    const ledger = openLedger(store);
    ledger.append(e('sleep', 100, 20));
    ledger.append(e('test', 50, 10, { notes: ['qa:src:x'], question: 'why?' }));
    fs.appendFileSync(ledger.path, '{broken\n');
    const { entries, errors } = ledger.read();
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[1].notes, ['qa:src:x']);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /ledger\.jsonl:3/);
    assert.deepEqual(ledger.errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable ledger records the error instead of throwing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-ledger-'));
  try {
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, '');
    const ledger = openLedger(file);
    ledger.append(e('sleep', 1, 1));
    assert.equal(ledger.errors.length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('summarizes sleep spend, per-question test spend, amortized and raw-code cost', () => {
  const entries = [e('sleep', 1000, 200), e('sleep', 700, 100), e('test', 300, 100), e('test', 0, 0, { job: 'anticipated' }), e('test', 450, 50, { estimated: true })];
  const s = summarizeLedger(entries, { rawTokensPerQuestion: 4000 });
  assert.equal(s.sleepTokens, 2000);
  assert.equal(s.sleepCalls, 2);
  assert.equal(s.questions, 3);
  assert.equal(s.testTokens, 900);
  assert.equal(s.anticipatedAnswers, 1);
  assert.equal(s.testTokensPerQuestion, 300);
  assert.equal(s.amortizedPerQuestion, (2000 + 10 * 900) / 3);
  assert.equal(s.rawCodePerQuestion, 40000);
  assert.equal(s.estimatedCalls, 1);
  const w = summarizeLedger(entries, { testWeight: 1 });
  assert.equal(w.amortizedPerQuestion, (2000 + 900) / 3);
  assert.equal(w.rawCodePerQuestion, null);
  assert.equal(summarizeLedger([e('sleep', 5, 5)]).amortizedPerQuestion, null);
});

test('dayKey is the local calendar date', () => {
  assert.equal(dayKey(new Date(2025, 0, 9, 23, 59)), '2025-01-09');
});
