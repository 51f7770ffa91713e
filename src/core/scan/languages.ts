import type { Language } from '../types';

const BY_EXTENSION: Record<string, Language> = {
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.py': 'python', '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c', '.h': 'c',
  '.cc': 'cpp', '.cpp': 'cpp', '.cxx': 'cpp', '.hpp': 'cpp', '.hh': 'cpp', '.hxx': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby', '.rake': 'ruby',
  '.php': 'php',
  '.kt': 'kotlin', '.kts': 'kotlin',
  '.swift': 'swift',
  '.scala': 'scala',
};

/** Type declaration files (`.d.ts`, `.pyi`): they describe code that lives elsewhere (or nowhere in the repository). */
export function isDeclarationPath(path: string): boolean {
  return DECLARATION_FILE.test(path);
}

const DECLARATION_FILE = /\.d\.[cm]?ts$|\.pyi$/;

/** A C or C++ source file (not a header): its `static` functions and macros are its own. */
export const C_SOURCE_FILE = /\.(c|cc|cpp|cxx|c\+\+)$/i;

/** The grammar language for a file path by its extension (case-insensitive), or null when none is shipped. */
export function languageForPath(path: string): Language | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return null;
  return BY_EXTENSION[base.slice(dot).toLowerCase()] ?? null;
}

/** Whether a path's file name has no extension (`bin/rake`, `Makefile`, `.bashrc`). */
function extensionless(path: string): boolean {
  return path.slice(path.lastIndexOf('/') + 1).lastIndexOf('.') <= 0;
}

/** The interpreter a script's `#!` line names: `#!/usr/bin/env ruby`, `#!/usr/bin/python3`, `#!/usr/bin/env -S node --flag`. */
const SHEBANG = /^#!\s*(?:\S*\/)?(?:env\s+(?:-\S+\s+)*)?(?:\S*\/)?(node|nodejs|python[\d.]*|ruby|php)(?:\s|$)/;

/** The language of an extensionless script by its `#!` line (`bin/rake`: `#!/usr/bin/env ruby`), or null. */
function scriptLanguage(source: string): Language | null {
  const interpreter = SHEBANG.exec(source.slice(0, 200))?.[1];
  if (!interpreter) return null;
  return interpreter.startsWith('python') ? 'python' : interpreter === 'ruby' || interpreter === 'php' ? interpreter : 'javascript';
}

/** Headers shared by C and C++: which one a file is written in shows only in its text. */
const C_HEADER = /\.h$/i;

/**
 * C++ in a `.h` file (after GitHub Linguist's heuristics): templates, namespaces, classes, access
 * labels, `std::` names or C++ standard headers. Plain C headers, including ones with an
 * `extern "C"` guard for C++ callers, match none of these.
 */
const CPP_IN_HEADER = new RegExp([
  String.raw`^\s*#\s*include\s*<(cstdint|cstddef|cstring|string|string_view|vector|map|set|list|array|memory|utility|functional|type_traits|tuple|optional|variant|algorithm|iterator|limits|bitset|queue|stack|deque|forward_list|unordered_map|unordered_set|(i|o|io|s|f)stream|atomic|mutex|thread|chrono)>`,
  String.raw`^\s*template\s*<`,
  String.raw`^\s*(class|struct)\s+\w+\s*(final\s*)?:\s*(public|private|protected)?\s*\w`,
  String.raw`^\s*(class|(using\s+)?namespace)\s+\w+\s*\{?\s*$`,
  String.raw`^\s*(private|public|protected)\s*:\s*$`,
  String.raw`__has_cpp_attribute|__cplusplus\s*[>=]`,
  String.raw`\bstd::\w`,
  String.raw`^\s*constexpr\s`,
].join('|'), 'm');

/**
 * The grammar language of a file now that its text is known: a `.h` header written in C++ is
 * parsed as C++ (the C grammar would recover from errors all through it and find few of its
 * definitions), an extensionless script by the interpreter its `#!` line names; every other file
 * keeps the language of its extension.
 */
export function languageOfSource(path: string, language: Language | null, source: string): Language | null {
  if (language === null) return source.startsWith('#!') && extensionless(path) ? scriptLanguage(source) : null;
  if (language !== 'c' || !C_HEADER.test(path)) return language;
  return CPP_IN_HEADER.test(source) ? 'cpp' : 'c';
}

/** True when a file analyzed as `analyzed` still fits the language its extension gives (`scanned`), or its `#!` line. */
export function fitsLanguage(path: string, scanned: Language | null, analyzed: Language | null): boolean {
  return analyzed === scanned || (scanned === 'c' && analyzed === 'cpp' && C_HEADER.test(path)) || (scanned === null && extensionless(path));
}
