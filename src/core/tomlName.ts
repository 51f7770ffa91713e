/**
 * The `name = "…"` (or another `key`'s string) of one section of a TOML manifest (`[package]` of Cargo.toml,
 * `[project]` of pyproject.toml): the one key Sleeptime reads from them, so no TOML parser. The section runs to
 * the next header; arrays before the name (`authors = ["A <a@x.org>"]`) are part of it.
 */
export function tomlSectionName(text: string | undefined, section: string, key = 'name'): string | undefined {
  const assignment = new RegExp(`^\\s*${key}\\s*=\\s*(?:"([^"]+)"|'([^']+)')`);
  let inside = false;
  for (const line of (text ?? '').split('\n')) {
    if (line.startsWith('[')) {
      inside = /^\[([^\]]*)\]/.exec(line)?.[1].trim() === section;
      continue;
    }
    const name = inside ? assignment.exec(line) : null;
    if (name) return name[1] ?? name[2];
  }
  return undefined;
}
