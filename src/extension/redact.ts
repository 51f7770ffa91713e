/** Patterns of secret-looking text: API keys, bearer tokens, `key=value` secrets. */
const SECRET_PATTERNS: RegExp[] = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{12,}/g,
  /\b(gh[pousr]_[A-Za-z0-9]{20,})/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:api[_-]?key|token|secret|password|authorization)["']?\s*[:=]\s*["']?)[^\s"',}]{4,}/gi,
];

/** Replace secret-looking substrings with `[redacted]` before text reaches a log. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) && /[:=\s"']$/.test(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
