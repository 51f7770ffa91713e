/**
 * A scripted OpenAI-compatible HTTP server on 127.0.0.1 for tests, e2e runs and the README demo.
 * Serves `/v1/chat/completions` (streaming SSE or JSON, as the request asks) and `/v1/models`, and
 * records every request body.
 *
 * Standalone: `node --import tsx test/helpers/scriptedServer.ts --port 8787 --script script.json`
 * where script.json is `{ "models": ["m"], "steps": [Step...], "fallback": Step }`.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** What the server does for one request. */
export type Behaviour =
  /** A completion; streamed in `chunks` (default: the content in ~3 pieces) when the request streams. */
  | { type: 'reply'; content: string; chunks?: string[]; usage?: ScriptedUsage | null }
  /** An error status with an OpenAI-style error body. */
  | { type: 'error'; status: number; message?: string; code?: string; headers?: Record<string, string> }
  /** 429 with `Retry-After: <retryAfter>`. */
  | { type: 'rate-limit'; retryAfter: string }
  /** Never answers; the socket is released when the client aborts. */
  | { type: 'hang' }
  /** Streams these chunks, then destroys the socket without `[DONE]`. */
  | { type: 'cut'; chunks: string[] }
  /** A 200 with this raw (usually broken) body. */
  | { type: 'raw'; body: string; contentType?: string };

/** A script step: a behaviour plus when it applies and how often. */
export type Step = Behaviour & {
  /** Applies only when the request body contains this substring. */
  when?: string;
  /** Uses left (default 1); `Infinity` in code or `-1` in a script file for unlimited. */
  times?: number;
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: { model?: string; stream?: boolean; messages?: { role: string; content: string }[]; [k: string]: unknown };
}

export interface ScriptedServer {
  /** Base URL to give the client, ending in `/v1`. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** Chat-completion requests only. */
  chatRequests(): RecordedRequest[];
  /** Append script steps. */
  push(...steps: Step[]): void;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  port?: number;
  steps?: Step[];
  /** Behaviour once no step applies; default a 500 saying the script ran out. */
  fallback?: Behaviour | ((req: RecordedRequest) => Behaviour);
  /** Names `/v1/models` lists; requests for other models get 404 model_not_found. Empty = any. */
  models?: string[];
}

/** Split text into n roughly equal chunks. */
function split(text: string, n: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function chunkOf(model: string, delta: Record<string, unknown>, finish: string | null): string {
  const c = { id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] };
  return `data: ${JSON.stringify(c)}\n\n`;
}

/** Start a scripted server; steps are consumed in order, first applicable wins. */
export async function startScriptedServer(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const steps: Step[] = (opts.steps ?? []).map((s) => ({ ...s }));
  const requests: RecordedRequest[] = [];
  const models = opts.models ?? [];

  function next(req: RecordedRequest): Behaviour {
    const i = steps.findIndex((s) => (s.times ?? 1) > 0 && (!s.when || req.body.includes(s.when)));
    if (i >= 0) {
      const s = steps[i];
      s.times = (s.times ?? 1) - 1;
      if (s.times === 0) steps.splice(i, 1);
      return s;
    }
    if (typeof opts.fallback === 'function') return opts.fallback(req);
    return opts.fallback ?? { type: 'error', status: 500, message: 'scripted server: script exhausted' };
  }

  function serveChat(rec: RecordedRequest, res: http.ServerResponse): void {
    const model = rec.json?.model ?? 'unknown';
    if (!rec.json) return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    if (models.length && !models.includes(model)) {
      return sendJson(res, 404, { error: { message: `The model \`${model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
    }
    const b = next(rec);
    switch (b.type) {
      case 'error':
        return sendJson(res, b.status, { error: { message: b.message ?? `scripted ${b.status}`, type: 'scripted', code: b.code ?? null } }, b.headers);
      case 'rate-limit':
        return sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit', code: 'rate_limit_exceeded' } }, { 'retry-after': b.retryAfter });
      case 'hang':
        return; // the socket closes when the client aborts
      case 'raw':
        res.writeHead(200, { 'content-type': b.contentType ?? 'application/json' });
        return void res.end(b.body);
      case 'cut': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const c of b.chunks) res.write(chunkOf(model, { content: c }, null));
        setImmediate(() => res.destroy());
        return;
      }
      case 'reply': {
        const usage = b.usage === undefined ? { prompt_tokens: 100, completion_tokens: 20 } : b.usage;
        if (!rec.json.stream) {
          return sendJson(res, 200, {
            id: 'chatcmpl-scripted', object: 'chat.completion', created: 0, model,
            choices: [{ index: 0, message: { role: 'assistant', content: b.content }, finish_reason: 'stop' }],
            ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
          });
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunkOf(model, { role: 'assistant', content: '' }, null));
        for (const c of b.chunks ?? split(b.content, 3)) res.write(chunkOf(model, { content: c }, null));
        res.write(chunkOf(model, {}, 'stop'));
        const wantsUsage = (rec.json.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
        if (usage && wantsUsage) {
          const u = { id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } };
          res.write(`data: ${JSON.stringify(u)}\n\n`);
        }
        return void res.end('data: [DONE]\n\n');
      }
    }
  }

  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers: req.headers, body };
      try {
        rec.json = body ? JSON.parse(body) : undefined;
      } catch {
        rec.json = undefined;
      }
      requests.push(rec);
      if (rec.path.endsWith('/models') && rec.method === 'GET') {
        return sendJson(res, 200, { object: 'list', data: (models.length ? models : ['scripted']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })) });
      }
      if (rec.path.endsWith('/chat/completions') && rec.method === 'POST') return serveChat(rec, res);
      sendJson(res, 404, { error: { message: `no route ${rec.method} ${rec.path}`, type: 'invalid_request_error' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    push: (...more) => void steps.push(...more.map((s) => ({ ...s }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Command-line entry: `--port N --script FILE`; logs each request's path to stderr. */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = arg('--script');
  const script = file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { models?: string[]; steps?: Step[]; fallback?: Behaviour }) : {};
  const steps = (script.steps ?? []).map((s) => ({ ...s, times: s.times === -1 ? Infinity : s.times }));
  const s = await startScriptedServer({ port: Number(arg('--port') ?? 0), steps, fallback: script.fallback, models: script.models });
  process.stdout.write(`${s.baseUrl}\n`);
  const stop = (): void => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && /scriptedServer\.[cm]?[jt]s$/.test(process.argv[1])) void main(process.argv.slice(2));
