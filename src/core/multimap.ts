/** Append `value` to the list kept under `key`, creating the list on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `key -> values` turned into `value -> keys`. */
export function invert<K, V>(map: ReadonlyMap<K, readonly V[]>): Map<V, K[]> {
  const out = new Map<V, K[]>();
  for (const [key, values] of map) for (const v of values) pushTo(out, v, key);
  return out;
}

/** How many times each key occurs. */
export function countBy<K>(keys: Iterable<K>): Map<K, number> {
  const m = new Map<K, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** The items `keep` accepts and those it rejects, each in their given order. */
export function partition<T>(items: T[], keep: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (keep(item) ? yes : no).push(item);
  return [yes, no];
}
