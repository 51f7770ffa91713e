/** Timer functions the scheduler needs; tests pass a fake clock. */
export interface SchedulerClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * What the scheduler is doing:
 * `up-to-date` nothing queued; `waiting` work queued, waiting for the editor to go idle;
 * `running` idle work in progress; `paused` work queued and interrupted by user activity;
 * `disabled` idle analysis turned off by the user; `debugging` blocked by a debug session.
 */
export type SchedulerState = 'up-to-date' | 'waiting' | 'running' | 'paused' | 'disabled' | 'debugging';

/** One slice of idle work. Resolves `true` when everything queued was done, `false` when cut short. */
export type IdleWork = (signal: AbortSignal) => Promise<boolean>;

export interface IdleSchedulerOptions {
  delayMs: number;
  clock: SchedulerClock;
  work: IdleWork;
  onState?: (state: SchedulerState) => void;
  /** Called when the work rejects; the work stays queued. */
  onError?: (error: unknown) => void;
}

/**
 * Runs queued work only while the editor is idle: `delayMs` after the last user activity, never
 * while debugging or disabled. Activity aborts a running slice at once (its signal fires
 * synchronously); the work stays queued and runs again at the next idle period.
 */
export class IdleScheduler {
  private pending = false;
  /** Work was cut short, or the user was active since the last idle period began. */
  private interrupted = false;
  private queuedDuringRun = false;
  private enabled = true;
  private debugging = false;
  private timer: unknown;
  private running: { controller: AbortController; done: Promise<boolean>; manual: boolean } | undefined;
  private current: SchedulerState = 'up-to-date';
  private disposed = false;

  constructor(private readonly opts: IdleSchedulerOptions) {}

  /** Current state. */
  get state(): SchedulerState {
    return this.current;
  }

  /** Milliseconds of inactivity before idle work starts. */
  setDelay(ms: number): void {
    this.opts.delayMs = ms;
    if (this.timer !== undefined) this.arm();
  }

  /** Queue work (files changed, HEAD moved, first start) for the next idle period. */
  queue(): void {
    if (this.running) this.queuedDuringRun = true;
    this.pending = true;
    if (!this.running) this.arm();
    this.update();
  }

  /** The user did something (typed, moved the selection, switched editors): pause work, restart the idle timer. */
  activity(): void {
    this.interrupted = true;
    if (this.running && !this.running.manual) this.running.controller.abort();
    if (this.pending) this.arm();
    this.update();
  }

  /** Debug sessions block idle work entirely. */
  setDebugging(active: boolean): void {
    this.debugging = active;
    if (active) this.running?.controller.abort();
    else if (this.pending) this.arm();
    this.update();
  }

  /** Turn idle analysis off (Pause command) or back on (Resume command). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.running?.controller.abort();
    else {
      // Resuming is the user's own choice: the work waits for idle, it is not "paused by typing".
      this.interrupted = false;
      if (this.pending) this.arm();
    }
    this.update();
  }

  /**
   * Run the work now, whether or not the editor is idle (Analyze Now); user activity does not
   * abort it, `signal` does. Resolves `true` when the work completed.
   */
  async runNow(signal: AbortSignal): Promise<boolean> {
    this.clearTimer();
    if (this.running) {
      this.running.controller.abort();
      await this.running.done;
    }
    this.pending = true;
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    if (signal.aborted) controller.abort();
    this.interrupted = false;
    this.queuedDuringRun = false;
    const done = this.runSlice(controller);
    this.running = { controller, done, manual: true };
    this.update();
    return done;
  }

  /** Wait for the running slice, if any, to settle. */
  async settled(): Promise<void> {
    await this.running?.done;
  }

  /** Stop timers and abort running work. */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.running?.controller.abort();
  }

  private arm(): void {
    this.clearTimer();
    if (this.disposed) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.start();
    }, this.opts.delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private start(): void {
    if (!this.pending || this.running || !this.enabled || this.debugging || this.disposed) return;
    const controller = new AbortController();
    this.interrupted = false;
    this.queuedDuringRun = false;
    const done = this.runSlice(controller);
    this.running = { controller, done, manual: false };
    this.update();
  }

  private async runSlice(controller: AbortController): Promise<boolean> {
    let complete = false;
    try {
      complete = await this.opts.work(controller.signal);
    } catch (error) {
      this.opts.onError?.(error);
    }
    this.running = undefined;
    if (complete && !controller.signal.aborted && !this.queuedDuringRun) {
      this.pending = false;
      this.interrupted = false;
    } else if (this.timer === undefined) {
      // Aborted, failed, or new work queued meanwhile: try again at the next idle period.
      this.arm();
    }
    this.update();
    return complete && !controller.signal.aborted;
  }

  private update(): void {
    const next: SchedulerState = this.running && !this.running.controller.signal.aborted
      ? 'running'
      : !this.enabled
        ? 'disabled'
        : this.debugging
          ? 'debugging'
          : !this.pending
            ? 'up-to-date'
            : this.interrupted
              ? 'paused'
              : 'waiting';
    if (next === this.current) return;
    this.current = next;
    this.opts.onState?.(next);
  }
}
