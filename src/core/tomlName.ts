/**
 * The `name = "…"` of one section of a TOML manifest (`[package]` of Cargo.toml, `[project]` of
 * pyproject.toml): the one key Sleeptime reads from them, so no TOML parser.
 */
export function tomlSectionName(text: string | undefined, section: string): string | undefined {
  const escaped = section.replace(/[.[\]]/g, '\\$&');
  return new RegExp(`^\\[${escaped}\\][^[]*?^name\\s*=\\s*"([^"]+)"`, 'm').exec(text ?? '')?.[1];
}
