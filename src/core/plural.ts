/** `12,345`: one formatter (each `toLocaleString` call builds its own, ~0.2 ms). */
export const thousands = new Intl.NumberFormat('en-US').format;

/** `1 file`, `12,345 lines`: a count with its noun in the right number (`plural` defaults to noun + "s"). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${thousands(n)} ${n === 1 ? noun : plural}`;
}
