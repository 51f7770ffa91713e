import { countTokens, decodeTokens as decode, encodeText as encode } from '../retrieve/tokens';
import type { Evidence, Note } from '../types';

/** Markdown for one note as agents see it: heading, id/kind line, body, evidence citations. */
export function renderNote(note: Note): string {
  const flags = [`id: \`${note.id}\``, `kind: ${note.kind}`];
  if (note.subject) flags.push(`subject: \`${note.subject}\``);
  if (note.stale) flags.push('STALE: the code changed since this note was written');
  const body = note.body.trim();
  // Bodies that open with their own heading already carry the title.
  const lines = [...(body.startsWith('#') ? [] : [`### ${note.title}`]), `_${flags.join(' · ')}_`, '', body];
  if (note.evidence.length > 0) lines.push('', `Evidence: ${note.evidence.map(citation).join(', ')}`);
  return lines.join('\n');
}

/** `path:start` or `path:start-end`. */
export function citation(e: Evidence): string {
  return e.endLine > e.startLine ? `${e.path}:${e.startLine}-${e.endLine}` : `${e.path}:${e.startLine}`;
}

/** Text cut to at most `maxTokens` o200k_base tokens, with a trailing marker when cut. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (countTokens(text) <= maxTokens) return text;
  const marker = '\n… (truncated)';
  const tokens = encode(text);
  // Re-tokenizing a decoded prefix can merge differently; shrink until it fits.
  for (let room = maxTokens - countTokens(marker); room > 0; room--) {
    const cut = decode(tokens.slice(0, room)) + marker;
    if (countTokens(cut) <= maxTokens) return cut;
  }
  return '';
}

/** Text assembled within a token bound. */
export interface BoundedText {
  text: string;
  tokens: number;
  /** How many sections were included (the last may be cut). */
  included: number;
  truncated: boolean;
}

/**
 * Joins `header` and `sections` within `maxTokens` tokens. Sections are kept whole while they fit; when the first
 * one alone does not fit it is cut, later ones are dropped and counted in a footer.
 */
export function boundSections(header: string, sections: string[], maxTokens: number): BoundedText {
  const sep = '\n\n';
  const footer = (omitted: number): string =>
    `${sep}_${omitted} more result(s) omitted to stay within ${maxTokens} tokens; narrow the query or raise limit._`;
  let text = truncateToTokens(header, maxTokens);
  let included = 0;
  for (const section of sections) {
    const candidate = text ? text + sep + section : section;
    if (countTokens(candidate) <= maxTokens) {
      text = candidate;
      included++;
      continue;
    }
    if (included === 0) {
      const room = maxTokens - countTokens(text + sep) - countTokens(footer(sections.length - 1));
      if (room > 20) {
        text = text + sep + truncateToTokens(section, room);
        included = 1;
      }
    }
    const omitted = sections.length - included;
    if (omitted > 0 && countTokens(text + footer(omitted)) <= maxTokens) text += footer(omitted);
    return { text, tokens: countTokens(text), included, truncated: true };
  }
  return { text, tokens: countTokens(text), included, truncated: false };
}
