import { boundSections, citation } from '../agents/render';
import type { Note, NoteKind } from '../types';

/** Token bounds of the digest's sections. */
const SECTION_TOKENS = { architecture: 1500, tests: 800, bugs: 1000, qa: 1500 };

function ofKind(notes: Note[], kind: NoteKind): Note[] {
  return notes
    .filter((n) => n.kind === kind && !n.stale)
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id.localeCompare(b.id));
}

/** Headings of a note body pushed below the digest's `##` sections (fenced code left alone). */
function demoteHeadings(body: string): string {
  let fenced = false;
  return body
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return fenced ? line : line.replace(/^(#{1,4}) /, (_m, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + 2))} `);
    })
    .join('\n');
}

function block(title: string, body: string): string {
  const text = body.trim();
  return text.startsWith('#') ? demoteHeadings(text) : `### ${title}\n\n${demoteHeadings(text)}`;
}

function firstParagraph(text: string): string {
  return text.trim().split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ');
}

/**
 * A markdown digest of the notes for an `AGENTS.md`-style file: architecture overview, how to test, top likely
 * bugs and anticipated Q&A, each section bounded in tokens. Stale notes are left out.
 */
export function renderDigest(notes: Note[], info: { commit: string | null; createdAt: string; toolVersion: string }): string {
  const at = info.commit ? `commit \`${info.commit.slice(0, 12)}\`` : 'a working tree outside git';
  const out = [
    '# Repository notes (Sleeptime)',
    '',
    `_Prepared by Sleeptime ${info.toolVersion} from ${at} on ${info.createdAt.slice(0, 10)}. ` +
      'Citations are `path:line`; the notes are hypotheses to check against the code, not ground truth._',
  ];
  const section = (heading: string, sections: string[], maxTokens: number): void => {
    if (sections.length === 0) return;
    out.push('', boundSections(`## ${heading}`, sections, maxTokens).text);
  };
  const arch = ofKind(notes, 'architecture').sort(
    (a, b) => Number(b.id === 'architecture:overview') - Number(a.id === 'architecture:overview'),
  );
  section('Architecture overview', arch.map((n) => block(n.title, n.body)), SECTION_TOKENS.architecture);
  section('How to test', ofKind(notes, 'test-hook').map((n) => block(n.title, n.body)), SECTION_TOKENS.tests);
  section(
    'Likely bugs',
    ofKind(notes, 'bug').map((n) => {
      const where = n.evidence.length ? ` (${n.evidence.map(citation).join(', ')})` : '';
      return `- **${n.title}**${where}: ${firstParagraph(n.body)}`;
    }),
    SECTION_TOKENS.bugs,
  );
  section('Anticipated questions', ofKind(notes, 'qa').map((n) => block(n.title, n.body)), SECTION_TOKENS.qa);
  return out.join('\n') + '\n';
}
