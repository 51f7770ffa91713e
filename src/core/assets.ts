import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The package root (the folder holding Sleeptime's package.json). Works from the bundle in
 * `dist/`, from sources run by tsx in tests, and from an installed VSIX.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'sleeptime') return (cachedRoot = dir);
      } catch {
        /* keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Sleeptime package root not found above ${__dirname}`);
    dir = parent;
  }
}

/** Path of a built asset under `dist/` (grammars, queries, worker scripts). Run `npm run build` first. */
export function distPath(...parts: string[]): string {
  return path.join(packageRoot(), 'dist', ...parts);
}
