/**
 * The one place for secret-redaction rules. Every code excerpt that may leave the machine (model
 * prompts) goes through `redactSecrets` first.
 */

/** What `redactSecrets` returns: the cleaned text and how many secrets it replaced. */
export interface RedactResult {
  text: string;
  count: number;
}

interface Rule {
  kind: string;
  re: RegExp;
  /** When set, the regexp has named groups `pre` and `secret`; only `secret` is replaced. */
  partial?: boolean;
}

/** Token shapes that are secrets wherever they appear. Order matters: blocks first. */
const RULES: readonly Rule[] = [
  { kind: 'private-key', re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g },
  { kind: 'aws-access-key', re: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g },
  { kind: 'aws-secret-key', re: /\b(?<pre>aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, partial: true },
  { kind: 'github-token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g },
  { kind: 'github-token', re: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'stripe-key', re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: 'openai-key', re: /\bsk-(?:proj-|svcacct-|admin-|ant-)?(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'npm-auth', re: /(?<pre>_auth(?:Token)?\s*=\s*)(?<secret>[^\s"'`]{8,})/g, partial: true },
  { kind: 'connection-password', re: /\b(?<pre>[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:)(?<secret>[^\s@/'"`$<{][^\s@/'"`]*)@/gi, partial: true },
  { kind: 'bearer-token', re: /\b(?<pre>Bearer\s+)(?<secret>[A-Za-z0-9._~+/-]{16,}=*)/g, partial: true },
  { kind: 'authorization-header', re: /\b(?<pre>Authorization["']?\s*[:=]\s*["']?(?:Bearer|Basic|Token)\s+)(?<secret>[A-Za-z0-9._~+/-]{6,}=*)/gi, partial: true },
];

const KEYWORDS = ['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key', 'accesskey', 'access_key', 'privatekey', 'private_key', 'credential', 'credentials', 'auth'];

/** `name = "literal"` / `name: 'literal'` / `"name": "literal"` with a secret-sounding name. */
const QUOTED_ASSIGN = /([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*(?::|=|:=|=>)\s*)(["'`])([^"'`\r\n]{4,})\3/g;
/** `NAME=value` / `name: value` on its own line (env, yaml, ini, properties). */
const BARE_ASSIGN = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*[:=]\s*)([^\s'"`#;,][^\s;,]*)\s*$/gm;

/** The line breaks of a replaced span, so line numbers after it do not move. */
function keepLines(replaced: string): string {
  return '\n'.repeat(replaced.split('\n').length - 1);
}

/** True when an identifier names a secret: the keyword ends it or is followed by a word break. */
function isSecretName(name: string): boolean {
  const last = name.split(/[.]/).pop() ?? name;
  const lower = last.toLowerCase();
  for (const k of KEYWORDS) {
    let at = lower.indexOf(k);
    while (at >= 0) {
      const end = at + k.length;
      const before = at === 0 || /[_-]/.test(last[at - 1]) || (/[A-Z]/.test(last[at]) && /[a-z]/.test(last[at - 1]));
      const rest = last.slice(end);
      const after = rest === '' || rest === 's' || /^[_-]/.test(rest) || /^[A-Z]/.test(rest);
      if (before && after) return true;
      at = lower.indexOf(k, at + 1);
    }
  }
  return false;
}

/** A literal value, not a reference, placeholder or type annotation. */
function looksLiteral(value: string, bare: boolean): boolean {
  if (value.includes('[REDACTED')) return false;
  if (/^[$<{%]/.test(value) || /\$\{/.test(value)) return false;
  // Prose between two code spans (`password=`, then `valid_password?`): a literal does not open with a space or comma.
  if (/^[\s,;]/.test(value)) return false;
  if (/^(?:x+|\*+|\.+|changeme|password|secret|none|null|undefined|true|false|example|your[-_].*)$/i.test(value)) return false;
  if (!bare) return true;
  if (/[()[\]]/.test(value)) return false;
  // Bare values must look random-ish (digits or symbols), so `secret: string` stays.
  return value.length >= 6 && /[\d!@%^&*+/=?~-]/.test(value) && !/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(value);
}

/**
 * Replace secret-looking strings (API keys and tokens of known shapes, JWTs, private key blocks,
 * passwords in connection strings, npm auth tokens, bearer tokens, and literal values assigned to
 * password/secret/token-like names) with `[REDACTED:<kind>]`. Line breaks inside a replaced span are
 * kept, so `path:line` citations into the redacted text stay right.
 */
export function redactSecrets(text: string): RedactResult {
  let count = 0;
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (...args: unknown[]) => {
      const whole = args[0] as string;
      const mark = `[REDACTED:${rule.kind}]`;
      if (!rule.partial) {
        count++;
        return mark + keepLines(whole);
      }
      const { pre, secret } = args[args.length - 1] as { pre: string; secret: string };
      if (secret.includes('[REDACTED')) return whole;
      count++;
      return pre + mark + keepLines(secret) + whole.slice(pre.length + secret.length);
    });
  }
  out = out.replace(QUOTED_ASSIGN, (whole, name: string, op: string, q: string, value: string) => {
    if (!isSecretName(name) || !looksLiteral(value, false)) return whole;
    count++;
    return `${name}${op}${q}[REDACTED:assignment]${q}`;
  });
  out = out.replace(BARE_ASSIGN, (whole, lead: string, name: string, op: string, value: string) => {
    if (!isSecretName(name) || !looksLiteral(value, true)) return whole;
    count++;
    return `${lead}${name}${op}[REDACTED:assignment]`;
  });
  return { text: out, count };
}
