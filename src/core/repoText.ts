import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource } from './parse/batch';
import { isSecretPath } from './privacy/secretFiles';

const MAX_READ_BYTES = 2_000_000;

/**
 * A reader of repository text: never a secret-looking file, never a path outside `root`, never a
 * huge file; UTF-8, or UTF-16 when a BOM says so. Unreadable files give undefined.
 */
export function diskReader(root: string): (rel: string) => string | undefined {
  const base = path.resolve(root);
  return (rel) => {
    if (isSecretPath(rel)) return undefined;
    const abs = path.resolve(base, rel);
    if (abs !== base && !abs.startsWith(base + path.sep)) return undefined;
    try {
      if (fs.statSync(abs).size > MAX_READ_BYTES) return undefined;
      return decodeSource(fs.readFileSync(abs));
    } catch {
      return undefined;
    }
  };
}
