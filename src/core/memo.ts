/** Entries a {@link memoized} function keeps before it forgets them all. */
const DEFAULT_MAX = 200_000;

/**
 * `fn` with its result remembered per key, for pure functions that hot paths call again and again with
 * the same strings (paths, words). Bounded: past `max` entries the memory starts over.
 */
export function memoized<V>(fn: (key: string) => V, max = DEFAULT_MAX): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = fn(key);
      if (cache.size >= max) cache.clear();
      cache.set(key, value);
    }
    return value as V;
  };
}
