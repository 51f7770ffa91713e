import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleScheduler, type SchedulerClock, type SchedulerState } from '../../src/extension/idleScheduler';

/** Manual clock: timers fire only when the test advances time. */
class FakeClock implements SchedulerClock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

/** Work of `total` steps that keeps its cursor across slices and yields between steps. */
function resumableWork(total: number) {
  const state = { cursor: 0, slices: 0, gate: undefined as undefined | (() => void) };
  const step = (): Promise<void> => new Promise((resolve) => (state.gate = resolve));
  const work = async (signal: AbortSignal): Promise<boolean> => {
    state.slices++;
    while (state.cursor < total) {
      await step();
      if (signal.aborted) return false;
      state.cursor++;
    }
    return true;
  };
  /** Let the work take `n` steps. */
  const run = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await flush();
      state.gate?.();
      await flush();
    }
  };
  return { state, work, run };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(total = 5) {
  const clock = new FakeClock();
  const w = resumableWork(total);
  const states: SchedulerState[] = [];
  const scheduler = new IdleScheduler({ delayMs: 2000, clock, work: w.work, onState: (s) => states.push(s) });
  return { clock, w, states, scheduler };
}

test('queued work starts only after the idle delay', async () => {
  const { clock, w, scheduler } = setup();
  scheduler.queue();
  assert.equal(scheduler.state, 'waiting');
  clock.advance(1999);
  assert.equal(w.state.slices, 0);
  clock.advance(1);
  assert.equal(w.state.slices, 1);
  assert.equal(scheduler.state, 'running');
  await w.run(5);
  await scheduler.settled();
  assert.equal(scheduler.state, 'up-to-date');
  assert.equal(w.state.cursor, 5);
});

test('activity restarts the idle timer before work starts', () => {
  const { clock, w, scheduler } = setup();
  scheduler.queue();
  clock.advance(1500);
  scheduler.activity();
  clock.advance(1500);
  assert.equal(w.state.slices, 0);
  clock.advance(500);
  assert.equal(w.state.slices, 1);
});

test('activity pauses running work at once and it resumes where it left off at the next idle period', async () => {
  const { clock, w, scheduler, states } = setup(6);
  scheduler.queue();
  clock.advance(2000);
  await w.run(2);
  assert.equal(w.state.cursor, 2);
  scheduler.activity();
  assert.equal(scheduler.state, 'paused', 'paused synchronously, before the work notices');
  await w.run(1);
  await scheduler.settled();
  assert.equal(w.state.cursor, 2, 'no progress after the abort');
  assert.equal(scheduler.state, 'paused');
  clock.advance(1999);
  assert.equal(w.state.slices, 1);
  clock.advance(1);
  assert.equal(w.state.slices, 2);
  await w.run(4);
  await scheduler.settled();
  assert.equal(w.state.cursor, 6);
  assert.equal(scheduler.state, 'up-to-date');
  assert.deepEqual(states, ['waiting', 'running', 'paused', 'running', 'up-to-date']);
});

test('a debug session blocks idle work and aborts a running slice', async () => {
  const { clock, w, scheduler } = setup();
  scheduler.setDebugging(true);
  scheduler.queue();
  clock.advance(10_000);
  assert.equal(w.state.slices, 0);
  assert.equal(scheduler.state, 'debugging');
  scheduler.setDebugging(false);
  clock.advance(2000);
  assert.equal(w.state.slices, 1);
  await w.run(1);
  scheduler.setDebugging(true);
  await w.run(1);
  await scheduler.settled();
  assert.equal(w.state.cursor, 1);
  assert.equal(scheduler.state, 'debugging');
  clock.advance(10_000);
  assert.equal(w.state.slices, 1);
});

test('disabled (Pause Idle Analysis) never starts work; enabling resumes', async () => {
  const { clock, w, scheduler } = setup(1);
  scheduler.setEnabled(false);
  scheduler.queue();
  clock.advance(10_000);
  assert.equal(scheduler.state, 'disabled');
  assert.equal(w.state.slices, 0);
  scheduler.setEnabled(true);
  clock.advance(2000);
  await w.run(1);
  await scheduler.settled();
  assert.equal(scheduler.state, 'up-to-date');
});

test('work queued during a run runs again at the next idle period', async () => {
  const { clock, w, scheduler } = setup(2);
  scheduler.queue();
  clock.advance(2000);
  await w.run(1);
  scheduler.queue();
  await w.run(1);
  await scheduler.settled();
  assert.equal(scheduler.state, 'waiting');
  clock.advance(2000);
  assert.equal(w.state.slices, 2);
});

test('runNow ignores idleness and activity, and stops on its own signal', async () => {
  const { w, scheduler } = setup(3);
  const controller = new AbortController();
  const done = scheduler.runNow(controller.signal);
  assert.equal(scheduler.state, 'running');
  await w.run(1);
  scheduler.activity();
  assert.equal(scheduler.state, 'running');
  await w.run(1);
  controller.abort();
  await w.run(1);
  assert.equal(await done, false);
  assert.equal(w.state.cursor, 2);
});

test('a failing slice is reported and retried at the next idle period', async () => {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  let calls = 0;
  const scheduler = new IdleScheduler({
    delayMs: 100,
    clock,
    work: async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return true;
    },
    onError: (e) => errors.push(e),
  });
  scheduler.queue();
  clock.advance(100);
  await scheduler.settled();
  assert.equal(errors.length, 1);
  assert.equal(scheduler.state, 'waiting');
  clock.advance(100);
  await scheduler.settled();
  assert.equal(calls, 2);
  assert.equal(scheduler.state, 'up-to-date');
});

test('work queued while the user is active shows as paused until the next idle period', async () => {
  const { clock, w, scheduler } = setup(1);
  scheduler.activity();
  assert.equal(scheduler.state, 'up-to-date');
  scheduler.queue();
  assert.equal(scheduler.state, 'paused');
  clock.advance(2000);
  assert.equal(scheduler.state, 'running');
  await w.run(1);
  await scheduler.settled();
  assert.equal(scheduler.state, 'up-to-date');
  scheduler.queue();
  assert.equal(scheduler.state, 'waiting');
});

test('after Pause and Resume, interrupted work waits for idle instead of showing as paused by typing', async () => {
  const { clock, w, scheduler } = setup(3);
  scheduler.queue();
  clock.advance(2000);
  await w.run(1);
  scheduler.activity();
  await w.run(1);
  await scheduler.settled();
  assert.equal(scheduler.state, 'paused');
  scheduler.setEnabled(false);
  assert.equal(scheduler.state, 'disabled');
  scheduler.setEnabled(true);
  assert.equal(scheduler.state, 'waiting');
  clock.advance(2000);
  await w.run(3);
  await scheduler.settled();
  assert.equal(scheduler.state, 'up-to-date');
});
