type O200k = typeof import('gpt-tokenizer/encoding/o200k_base');
let o200k: O200k | undefined;

/** The encoder, loaded on first use: building its tables takes ~0.3 s that `analyze` never needs. */
function encoder(): O200k {
  return (o200k ??= require('gpt-tokenizer/encoding/o200k_base') as O200k);
}

/** Repository text may contain `<|endoftext|>` and the like: count such markers as plain text. */
const PLAIN = { disallowedSpecial: new Set<string>() };

const CACHE_MAX = 4096;
const CACHEABLE_CHARS = 4096;
const cache = new Map<string, number>();

/** o200k_base token count of `text`; short strings are memoized (LRU-ish, bounded). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > CACHEABLE_CHARS) return encoder().countTokens(text, PLAIN);
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const n = encoder().countTokens(text, PLAIN);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(text, n);
  return n;
}

/**
 * The longest prefix of `text` (cut at a token boundary, preferring a line end) whose token count
 * is at most `maxTokens`. Returns '' when nothing fits.
 */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  if (countTokens(text) <= maxTokens) return text;
  const ids = encodeText(text);
  let keep = Math.min(ids.length, maxTokens);
  while (keep > 0) {
    let prefix = encoder().decode(ids.slice(0, keep));
    const nl = prefix.lastIndexOf('\n');
    if (nl > prefix.length / 2) prefix = prefix.slice(0, nl + 1);
    // A decoded prefix can re-tokenize differently; shrink until it really fits.
    if (countTokens(prefix) <= maxTokens) return prefix;
    keep -= Math.max(1, Math.ceil(keep / 16));
  }
  return '';
}

/** o200k_base token ids of `text`, special-token markers taken as plain text. */
export function encodeText(text: string): number[] {
  return encoder().encode(text, PLAIN);
}

/** Text of o200k_base token ids. */
export function decodeTokens(ids: number[]): string {
  return encoder().decode(ids);
}
