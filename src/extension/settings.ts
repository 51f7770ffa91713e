import * as vscode from 'vscode';
import { DEFAULT_MAX_FILE_KB } from '../core/scan/limits';

/** Model providers a user can pick. */
export type Provider = 'openai-compatible' | 'vscode-lm' | 'off';

/** The `sleeptime.*` settings, read for one folder. */
export interface SleeptimeSettings {
  provider: Provider;
  baseUrl: string;
  model: string;
  idleDelaySeconds: number;
  dailySleepBudgetTokens: number;
  /** Parallel generations per sleep-time job, 1..5. */
  generationsPerJob: number;
  /** Weight of test-time tokens against sleep-time tokens in the cost view. */
  testTokenWeight: number;
  questionBudgetTokens: number;
  maxAnswerTokens: number;
  include: string[];
  exclude: string[];
  maxFileSizeKb: number;
  diagnosticsEnabled: boolean;
}

/** Read the settings, for a folder when given (multi-root workspaces may differ per folder). */
export function readSettings(scope?: vscode.ConfigurationScope): SleeptimeSettings {
  const c = vscode.workspace.getConfiguration('sleeptime', scope);
  return {
    provider: c.get<Provider>('provider', 'off'),
    baseUrl: c.get<string>('baseUrl', 'https://api.openai.com/v1'),
    model: c.get<string>('model', ''),
    idleDelaySeconds: Math.max(1, c.get<number>('idleDelaySeconds', 20)),
    dailySleepBudgetTokens: c.get<number>('dailySleepBudgetTokens', 200_000),
    generationsPerJob: Math.min(5, Math.max(1, Math.round(c.get<number>('generationsPerJob', 1)))),
    testTokenWeight: Math.max(0, c.get<number>('testTokenWeight', 10)),
    questionBudgetTokens: c.get<number>('questionBudgetTokens', 1500),
    maxAnswerTokens: c.get<number>('maxAnswerTokens', 400),
    include: c.get<string[]>('include', []),
    exclude: c.get<string[]>('exclude', []),
    maxFileSizeKb: c.get<number>('maxFileSizeKb', DEFAULT_MAX_FILE_KB),
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled', true),
  };
}

/** Typed SecretStorage keys. */
export const SECRET_KEYS = { apiKey: 'sleeptime.apiKey' } as const;

/**
 * Why answers are offline, or undefined when a model may be used: provider off, untrusted
 * workspace (nothing is sent to any model), or no key for an OpenAI-compatible endpoint.
 */
export async function offlineReason(settings: SleeptimeSettings, secrets: vscode.SecretStorage): Promise<string | undefined> {
  if (settings.provider === 'off') return 'No model configured: answers are packed from the notes, without a model.';
  if (!vscode.workspace.isTrusted) return 'Untrusted workspace: nothing is sent to a model; answers come from the notes.';
  if (settings.provider === 'openai-compatible' && !(await secrets.get(SECRET_KEYS.apiKey)) && !/localhost|127\.0\.0\.1/.test(settings.baseUrl)) {
    return 'No API key set (Sleeptime: Set API Key): answers come from the notes.';
  }
  return undefined;
}
