/**
 * End-to-end test in a real VS Code (test/e2e/workbench.ts: code-server + Chromium, the packaged VSIX
 * installed) on a copy of test/fixtures/e2e-repo. Artifacts go to test-results/e2e/vscode-*.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startScriptedServer, type Behaviour, type RecordedRequest, type ScriptedServer } from '../helpers/scriptedServer';
import { commitAll, root, sendQuestion, Workbench, writeFolderSettings } from './workbench';

/** Copy the fixture into `dir` and make it a git repository with one commit. */
function makeWorkspace(dir: string): string {
  const repo = path.join(dir, 'todo-service');
  fs.cpSync(path.join(root, 'test/fixtures/e2e-repo'), repo, { recursive: true });
  writeFolderSettings(repo);
  commitAll(repo, 'Initial commit');
  return repo;
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
  const wb = await Workbench.open({ prefix: 'vscode', workspace: makeWorkspace, userSettings: { 'chat.disableAIFeatures': true } });
  const { page } = wb;
  let model: ScriptedServer | undefined;
  try {
    // 1. Idle analysis runs by itself after the 2 s idle delay and the status bar says so.
    await wb.statusItem('Notes up to date').waitFor({ timeout: 180_000 });
    await wb.shot('01-notes-up-to-date');

    // 2. The Notes view is populated, grouped by kind.
    await wb.palette('Sleeptime: Show Notes');
    const notesRows = page.locator('.pane', { hasText: 'Notes' }).locator('.monaco-list-row');
    await notesRows.filter({ hasText: 'Architecture' }).first().waitFor();
    assert.ok((await notesRows.count()) >= 2, 'notes listed');
    await wb.shot('02-notes-view');

    // 3. Ask in the chat; the answer cites the code and a citation opens the file at the line.
    const chat = await wb.chatFrame();
    await sendQuestion(chat, 'How are to-dos saved to disk?');
    const answer = chat.locator('.turn .answer').last();
    await answer.locator('.cost, .error').first().waitFor();
    assert.equal(await answer.locator('.error').count(), 0, await answer.innerText());
    assert.match(await answer.locator('.cost').innerText(), /context tokens/);
    await wb.shot('03-chat-answer');
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
    await wb.statusItem(new RegExp(`Ln ${citedLine}, Col`)).waitFor();
    await wb.shot('04-citation-opened');

    // Likely bugs are Sleeptime diagnostics; test hooks offer "Run related tests" above the code.
    await page.locator('.codelens-decoration', { hasText: 'Run related tests' }).first().waitFor();
    await wb.palette('Focus on Problems View');
    await page.locator('.markers-panel .monaco-list-row', { hasText: /Swallowed exception/ }).first().waitFor();
    await wb.shot('04b-diagnostics-and-codelens');

    // 4. Typing in an editor pauses analysis of the queued change; it resumes when idle again.
    const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // edited', { delay: 20 });
    await page.keyboard.press('Control+S');
    const paused = wb.statusItem('Paused').waitFor({ timeout: 20_000 });
    await page.keyboard.type(' while typing, still typing', { delay: 120 });
    await paused;
    await wb.shot('05-paused-while-typing');
    await wb.statusItem('Notes up to date').waitFor({ timeout: 120_000 });

    // 5. Palette commands.
    await wb.palette('Sleeptime: Show Architecture Overview');
    await page.locator('.tab', { hasText: /Preview/ }).first().waitFor();
    // Its evidence links jump to the code.
    const evidenceSelector = 'a[href*="#L"], a[data-href*="#L"]';
    const previewFrame = await wb.findFrame(evidenceSelector);
    await wb.shot('06-architecture-preview');
    const evidence = previewFrame.locator(evidenceSelector).first();
    const href = decodeURIComponent(((await evidence.getAttribute('data-href')) ?? (await evidence.getAttribute('href'))) as string);
    const [, evidenceFile, evidenceLine] = /([^/]+)#L(\d+)$/.exec(href) ?? [];
    await evidence.click();
    await page.locator('.tab.active', { hasText: evidenceFile }).waitFor();
    await wb.statusItem(new RegExp(`Ln ${evidenceLine}, Col`)).waitFor();

    await wb.palette('Sleeptime: Pause Idle Analysis');
    await wb.statusItem('Sleeptime off').waitFor();
    await wb.palette('Sleeptime: Resume Idle Analysis');
    await wb.statusItem(/Notes up to date|Analyzing|Waiting|stale|queued/).waitFor();
    await wb.palette('Notifications: Clear All Notifications');

    // The fixture has two likely bugs: a pick lists them and the chosen one opens as a preview.
    await wb.palette('Sleeptime: Show Likely Bugs');
    await page.locator('.quick-input-widget', { hasText: /Sleeptime: \d+ likely bugs/ }).locator('.monaco-list-row').first().waitFor();
    await wb.shot('07-likely-bugs');
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: /Preview/, hasNotText: /Architecture/ }).waitFor();

    await wb.palette('Sleeptime: Show Log');
    await page.locator('.output-view, .panel', { hasText: /activated\sfor\s1\sfolder/ }).first().waitFor();
    await wb.shot('08-log');

    // 6. A model: the scripted server as the configured OpenAI-compatible endpoint (no key needed on 127.0.0.1).
    model = await startScriptedServer({ models: [MODEL], fallback: scriptedModel });
    writeFolderSettings(wb.folder, { 'sleeptime.provider': 'openai-compatible', 'sleeptime.baseUrl': model.baseUrl, 'sleeptime.model': MODEL });
    // Idle analysis, then the model's sleep-time jobs write anticipated questions.
    await wb.palette('Sleeptime: Show Notes');
    const anticipatedGroup = notesRows.filter({ hasText: 'Anticipated questions' }).first();
    await anticipatedGroup.waitFor({ timeout: 180_000 });
    await wb.statusItem('Notes up to date').waitFor({ timeout: 120_000 });
    await wb.palette('View: Hide Panel');
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
    await wb.shot('09-anticipated-questions');

    // A question matching an anticipated one is served with no model call.
    // The architecture preview is a second webview now: find the chat's frame again.
    const chatNow = await wb.chatFrame();
    const callsBefore = model.chatRequests().length;
    const turnsBefore = await chatNow.locator('.turn').count();
    await sendQuestion(chatNow, ANTICIPATED);
    const served = chatNow.locator('.turn').nth(turnsBefore).locator('.answer');
    await served.locator('.cost').waitFor();
    assert.match(await served.locator('.cost').innerText(), /anticipated – no model call/);
    assert.match(await served.locator('.markdown').innerText(), /saveTodos/);
    assert.equal(model.chatRequests().length, callsBefore, 'no model call for an anticipated answer');
    await served.locator('.cost').scrollIntoViewIfNeeded();
    await wb.shot('10-anticipated-answer');

    // Another question goes to the model; its cost line shows the usage the server reported.
    await sendQuestion(chatNow, 'Which routes does the HTTP server expose?');
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
    await wb.shot('11-model-answer');

    // The cost view: sleep-time spend, test-time per question, amortized and raw-code cost.
    await chatNow.locator('#costview summary').click();
    const costTable = await chatNow.locator('#costtable').innerText();
    assert.match(costTable, /Sleep-time tokens/);
    assert.match(costTable, /Amortized per question \(test ×10\)/);
    assert.match(costTable, /2 \(1 anticipated/);
    await wb.shot('12-cost-view');
  } catch (error) {
    throw wb.explain(error);
  } finally {
    await wb.close();
    await model?.close();
  }
});
