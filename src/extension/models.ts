/**
 * Which model the extension may use, and the Select Model command. Models are built on the host:
 * vscode.lm exists only there, and model calls are I/O-bound, so both the chat and the sleep-time
 * jobs call them from the host; only the CPU-heavy static analysis runs in the analysis process.
 */
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { createOpenAiModel, type ChatModel } from '../core/llm/chatModel';
import { createVscodeLmModel, type LmApi } from './lmModel';
import { offlineReason, readSettings, SECRET_KEYS, type SleeptimeSettings } from './settings';

/** A model ready to call, or why there is none. */
export type ResolvedModel = { model: ChatModel; reason?: undefined } | { model?: undefined; reason: string };

/** The real vscode constructors for the vscode.lm adapter. */
export const vscodeLmApi: LmApi = {
  userMessage: (content) => vscode.LanguageModelChatMessage.User(content),
  assistantMessage: (content) => vscode.LanguageModelChatMessage.Assistant(content),
  cancellationSource: () => new vscode.CancellationTokenSource(),
};

/** Seconds an OpenAI-compatible endpoint may stay silent before a call times out. */
const MODEL_TIMEOUT_MS = 60_000;

/**
 * The configured model: never with provider `off` or in an untrusted workspace, never without a
 * model name (OpenAI-compatible) or an available language model (vscode-lm).
 */
export async function resolveModel(settings: SleeptimeSettings, secrets: vscode.SecretStorage): Promise<ResolvedModel> {
  const reason = await offlineReason(settings, secrets);
  if (reason) return { reason };
  if (settings.provider === 'openai-compatible') {
    if (!settings.model) return { reason: 'No model name set (Sleeptime: Select Model): answers come from the notes.' };
    const apiKey = await secrets.get(SECRET_KEYS.apiKey);
    return { model: createOpenAiModel({ baseUrl: settings.baseUrl, apiKey, model: settings.model, timeoutMs: MODEL_TIMEOUT_MS }) };
  }
  const [lm] = await vscode.lm.selectChatModels(settings.model ? { id: settings.model } : undefined);
  if (!lm) return { reason: `No VS Code language model${settings.model ? ` "${settings.model}"` : ''} is available (Sleeptime: Select Model): answers come from the notes.` };
  return { model: createVscodeLmModel(lm, vscodeLmApi) };
}

/** Model ids an OpenAI-compatible endpoint lists at `/models`. */
export async function listEndpointModels(baseUrl: string, apiKey: string | undefined): Promise<string[]> {
  const client = new OpenAI({ baseURL: baseUrl.replace(/\/+$/, ''), apiKey: apiKey || 'none', maxRetries: 0, timeout: 10_000 });
  const ids: string[] = [];
  for await (const m of client.models.list()) ids.push(m.id);
  return ids.sort();
}

/** Write a setting where it is in effect: the workspace when set there, else the user settings. */
async function updateSetting(key: string, value: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('sleeptime');
  const where = config.inspect(key);
  const target = where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/** Select Model: the provider, then a model (listed by VS Code or by the endpoint, or typed). */
export async function selectModel(secrets: vscode.SecretStorage): Promise<void> {
  const settings = readSettings();
  const provider = await vscode.window.showQuickPick(
    [
      { label: 'off', description: 'Answer offline from the notes; no model is used' },
      { label: 'openai-compatible', description: 'Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM ...)' },
      { label: 'vscode-lm', description: 'A language model provided inside VS Code' },
    ].map((p) => ({ ...p, picked: p.label === settings.provider })),
    { title: 'Sleeptime: model provider', placeHolder: `Now: ${settings.provider}${settings.model ? ` (${settings.model})` : ''}` },
  );
  if (!provider) return;
  if (provider.label === 'vscode-lm') {
    const models = await vscode.lm.selectChatModels();
    if (models.length === 0) {
      void vscode.window.showWarningMessage('Sleeptime: no language models are available in this VS Code.');
      return;
    }
    const pick = await vscode.window.showQuickPick(
      models.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.id}`, detail: `${m.maxInputTokens.toLocaleString()} input tokens`, id: m.id })),
      { title: 'Sleeptime: language model' },
    );
    if (!pick) return;
    await updateSetting('model', pick.id);
  } else if (provider.label === 'openai-compatible') {
    const baseUrl = await vscode.window.showInputBox({ title: 'Sleeptime: base URL of the endpoint', value: settings.baseUrl, ignoreFocusOut: true });
    if (baseUrl === undefined) return;
    const model = await pickEndpointModel(baseUrl, await secrets.get(SECRET_KEYS.apiKey), settings.model);
    if (model === undefined) return;
    await updateSetting('baseUrl', baseUrl);
    await updateSetting('model', model);
  }
  await updateSetting('provider', provider.label);
}

/** A model id from the endpoint's list, or typed when the list is unavailable or the user prefers. */
async function pickEndpointModel(baseUrl: string, apiKey: string | undefined, current: string): Promise<string | undefined> {
  const typeOne = '$(edit) Type a model name…';
  let listed: string[] = [];
  let problem: string | undefined;
  try {
    listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sleeptime: listing models at ${baseUrl}` }, () => listEndpointModels(baseUrl, apiKey));
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (listed.length) {
    const pick = await vscode.window.showQuickPick([...listed.map((id) => ({ label: id, picked: id === current })), { label: typeOne }], {
      title: `Sleeptime: model at ${baseUrl}`,
      matchOnDescription: true,
    });
    if (!pick) return undefined;
    if (pick.label !== typeOne) return pick.label;
  }
  return vscode.window.showInputBox({
    title: 'Sleeptime: model name',
    prompt: problem ? `Could not list the models (${problem}); type the name.` : undefined,
    value: current || 'gpt-4.1-mini',
    ignoreFocusOut: true,
  });
}
