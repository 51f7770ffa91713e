import type { SkipReason } from '../types';

/** Bytes at the start of a file that decide whether it is binary, minified or generated. */
export const SNIFF_BYTES = 8192;

const GENERATED_MARKER = /@generated|do not edit|auto-?generated/i;
/**
 * A build of many source files into one (Catch2's `catch_amalgamated.cpp`, SQLite's `sqlite3.c`), which says so
 * below a license header: the sources are the code, and where fixes land.
 */
const AMALGAMATION_MARKER = /\b(?:this file is an amalgamation|amalgamated (?:header|source|file)|(?:should ?n[o']t|must ?n[o']t) (?:be )?edit(?:ed)? (?:it )?directly)\b/i;
/**
 * A JavaScript bundler's runtime, which only a bundle carries: browserify's module loader
 * (`typeof require=="function"&&require`, minified even in an unminified bundle) and the prefix of webpack's runtime
 * lines (six stars between two slashes).
 * Such a bundle (js-yaml's `js-yaml.js` beside `lib/`) repeats every source file it was built from.
 */
const BUNDLE_MARKER = /(?:typeof require\s*==\s*["']function["']|["']function["']\s*==\s*typeof require)\s*&&\s*require\b|^\/\*{6}\/ /m;
/** Lines of a file's head in which the amalgamation marker counts. */
const AMALGAMATION_HEAD_LINES = 40;

/** Average line length, over a whole file, above which it is a bundle rather than code written by hand. */
const MAX_AVERAGE_LINE = 300;
/**
 * A bundle's lines also run long: a file of aligned doc-block lines a few hundred characters wide each (a PHP class
 * documenting its magic methods) is written by hand.
 */
const MIN_MINIFIED_LINE = 1000;

/**
 * Binary / minified / generated verdict from the start of a file of `size` bytes (`head` is its first
 * bytes; only the first `SNIFF_BYTES` are looked at). The scan checks a head it reads; analysis, which
 * reads whole files anyway, checks them in its parse workers instead. Given the whole file, it also
 * judges the file's average line length: a bundle may open with a header of short lines.
 */
export function sniffContent(head: Buffer, size: number): SkipReason | undefined {
  const whole = head.length >= size ? head : undefined;
  if (head.length > SNIFF_BYTES) head = head.subarray(0, SNIFF_BYTES);
  // UTF-16 with a BOM is text (the parser decodes it); judge its characters, not its bytes.
  const text = head[0] === 0xff && head[1] === 0xfe ? head.toString('utf16le', 2) : head[0] === 0xfe && head[1] === 0xff ? utf16be.decode(head.subarray(2)) : undefined;
  const units = text ?? head;
  let control = 0;
  let escapes = 0;
  for (let i = 0; i < units.length; i++) {
    const b = typeof units === 'string' ? units.charCodeAt(i) : units[i];
    if (b === 0) return 'binary';
    if (b === 27) escapes++;
    else if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 8) control++;
  }
  if (units.length > 0 && control / units.length > 0.1) return 'binary';
  // Colored terminal output saved as a file (a highlighter's expected output): ANSI escapes all through it.
  if (units.length > 0 && escapes / units.length > ESCAPE_SHARE) return 'generated';
  if (whole && size > MIN_MINIFIED) {
    const lines = lineStats(whole);
    if (size / lines.count > MAX_AVERAGE_LINE && lines.longest > MIN_MINIFIED_LINE) return 'minified';
  }
  return sniffText(text ?? head.toString('utf8'), head.length < size, size);
}

const utf16be = new TextDecoder('utf-16be');

/** Share of ESC characters above which a text is terminal output rather than code (a source file may hold a few). */
const ESCAPE_SHARE = 0.01;

/** Files this small are never judged minified. */
const MIN_MINIFIED = 2048;

/** Number of lines of `buf` and the length of its longest, in bytes. */
function lineStats(buf: Buffer): { count: number; longest: number } {
  let count = 1;
  let longest = 0;
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) {
    count++;
    longest = Math.max(longest, i - start);
    start = i + 1;
  }
  return { count, longest: Math.max(longest, buf.length - start) };
}

/** Minified / generated verdict from the decoded head of a text file. */
function sniffText(text: string, partial: boolean, size: number): SkipReason | undefined {
  const lines = text.split('\n');
  if (size > MIN_MINIFIED) {
    const complete = partial ? lines.slice(0, -1) : lines;
    const longest = Math.max(...lines.map((l) => l.length));
    const avg = complete.reduce((n, l) => n + l.length, 0) / Math.max(1, complete.length);
    if (longest > 5000 || (avg > MAX_AVERAGE_LINE && longest > MIN_MINIFIED_LINE)) return 'minified';
  }
  if (GENERATED_MARKER.test(lines.slice(0, 5).join('\n'))) return 'generated';
  if (AMALGAMATION_MARKER.test(lines.slice(0, AMALGAMATION_HEAD_LINES).join('\n'))) return 'generated';
  if (BUNDLE_MARKER.test(text)) return 'generated';
  return undefined;
}
