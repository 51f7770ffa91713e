import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Parser } from 'web-tree-sitter';
import { languageOfSource } from '../scan/languages';
import { sniffContent } from '../scan/sniff';
import type { FileAnalysis, Language } from '../types';
import { analyzeSource, countLines, PARSE_TIMEOUT_MS } from './extract';
import { loadGrammar, loadedGrammar, loadLanguage, type Grammar } from './grammars';
import type { ParseJob } from './parsePool';

/** What a floor batch (read + parse only) measured. */
export interface FloorResult {
  files: number;
  bytes: number;
}

const utf16be = new TextDecoder('utf-16be');

/** Decodes file bytes as UTF-8 without BOM, or as UTF-16 when a UTF-16 BOM is present. */
export function decodeSource(buf: Buffer): string {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.toString('utf8', 3);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return utf16be.decode(buf.subarray(2));
  return buf.toString('utf8');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function emptyAnalysis(job: ParseJob): FileAnalysis {
  return { path: job.path, language: job.language, hash: '', bytes: 0, lines: 0, defs: [], refs: [], imports: [], bugs: [] };
}

/** A result for a file that could not be analyzed at all. */
export function failedAnalysis(job: ParseJob, parseError: string): FileAnalysis {
  return { ...emptyAnalysis(job), parseError };
}

/** The grammar of `language`, loading it if needed, or the load error. */
async function grammarFor(language: Language): Promise<Grammar | string> {
  const ready = loadedGrammar(language);
  if (ready) return ready;
  try {
    return await loadGrammar(language);
  } catch (err) {
    return `cannot load ${language} grammar: ${errorText(err)}`;
  }
}

/** Reads, hashes and analyzes each file of `jobs` in this thread. Never throws. */
export async function analyzeBatch(jobs: ParseJob[]): Promise<FileAnalysis[]> {
  const out: FileAnalysis[] = [];
  for (const job of jobs) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(job.absPath);
    } catch (err) {
      // A job that checks content stands in for the scan's read: an unreadable file is skipped, as the scan would.
      out.push(job.sniff ? { ...emptyAnalysis(job), skipped: 'unreadable' } : failedAnalysis(job, `cannot read: ${errorText(err)}`));
      continue;
    }
    const skipped = job.sniff ? sniffContent(buf, buf.length) : undefined;
    if (skipped) {
      out.push({ ...emptyAnalysis(job), skipped });
      continue;
    }
    const hash = createHash('sha1').update(buf).digest('hex');
    const source = decodeSource(buf);
    const language = languageOfSource(job.path, job.language, source);
    if (language) {
      const grammar = await grammarFor(language);
      if (typeof grammar === 'string') {
        out.push({ ...failedAnalysis(job, grammar), language, hash, bytes: buf.length, lines: countLines(source) });
        continue;
      }
    }
    out.push(analyzeSource(job.path, language, source, hash, buf.length));
  }
  return out;
}

let floorParser: Parser | undefined;

/** Reads and parses each file of `jobs` (no hash, tags query, bug patterns or terms): the throughput floor. */
export async function floorBatch(jobs: ParseJob[]): Promise<FloorResult> {
  let files = 0;
  let bytes = 0;
  for (const job of jobs) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(job.absPath);
    } catch {
      continue;
    }
    files++;
    bytes += buf.length;
    // A file no extension gives a language to is parsed only when it is a script (`#!`).
    if (!job.language && !(buf[0] === 0x23 && buf[1] === 0x21)) continue;
    const source = decodeSource(buf);
    const languageId = languageOfSource(job.path, job.language, source);
    if (!languageId) continue;
    let language;
    try {
      language = await loadLanguage(languageId);
    } catch {
      continue;
    }
    floorParser ??= new Parser();
    floorParser.setLanguage(language);
    const deadline = performance.now() + PARSE_TIMEOUT_MS;
    const tree = floorParser.parse(source, null, { progressCallback: () => performance.now() > deadline });
    if (tree) tree.delete();
    else floorParser.reset();
  }
  return { files, bytes };
}
