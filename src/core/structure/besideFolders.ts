// Folders of code that is not the project's own: copied in (vendored) or shipped beside it (examples, docs, benchmarks).

/** Folders of code copied in from elsewhere (pip's `_vendor` too). */
const VENDORED_DIR = /^(deps|third[_-]?party|3rd[_-]?party|_?vendor(ed)?|bundled|external|extern)$/i;

/** A folder named with a release's version (`googletest-1.16.0`, `lua-5.4.6`): a copy of that release. */
const RELEASE_DIR = /^[A-Za-z][\w+]*[-_]v?\d+(\.\d+)+$/;

/**
 * A script or stylesheet named with its release's version (`jquery-2.1.3.js`, `modernizr-2.8.3.min.js`), or the
 * editor's documentation of one (`jquery.validate-vsdoc.js`, `jquery-2.1.3.intellisense.js`): a library copied in.
 */
const RELEASE_FILE = /^[A-Za-z][\w.]*?[-_.]v?\d+(\.\d+)+([-.]\w+)*\.(m?js|css)$|(-vsdoc|\.intellisense)\.js$/;

/** True for files under a vendored folder (`deps/`, `third_party/`, `vendor/`, `googletest-1.16.0/` ...) and copied-in scripts (`jquery-2.1.3.js`). */
export function isVendoredPath(path: string): boolean {
  return RELEASE_FILE.test(path.slice(path.lastIndexOf('/') + 1)) || folders(path).some((d) => VENDORED_DIR.test(d) || RELEASE_DIR.test(d));
}

/**
 * Folders of code kept but no longer worked on: `deprecated/`, `obsolete/`, `old/`, `attic/`, `archive/`. Not
 * `legacy/`, which often holds a live compatibility layer (Svelte's legacy mode).
 */
const RETIRED_DIR = /^(deprecated|obsolete|old|attic|archived?|unmaintained|retired|outdated)$/i;

/** True for files under a folder of retired code (`deprecated/stb_image.c`, `src/Moq/Obsolete/MockFactory.cs`). */
export function isRetiredPath(path: string): boolean {
  return folders(path).some((d) => RETIRED_DIR.test(d));
}

/** Names of example folders: `examples`, `samples`, `snippets`, `demos`, `tutorials`. */
const EXAMPLE_WORDS = 'examples?|samples?|snippets?|demos?|tutorials?';

/**
 * Folders of code that ships beside the project rather than as it: examples, docs, benchmarks and performance tests
 * (`docs_src`, `examples-ts`, Rust's `benches`, Go's `_examples`, `__performance_tests__` too), CMake's feature
 * tests and modules, and tooling in hidden folders (`.github`).
 */
const BESIDE_DIR = new RegExp(`^(_{0,2}(${EXAMPLE_WORDS}|docs?|documentation|bench(mark)?(s|es)?|perf(tests?)?|performance[_.-]?tests?|cmake)([_.-].*)?|\\..+)$`, 'i');

/**
 * The same folders named after the project they serve: `Polly.Benchmarks`, `retrofit-samples`, `AutoMapperSamples`,
 * `MediatR.Examples.AspNetCore`. Only a name that ends with the word counts (`DocsGenerator` is tooling), or, for
 * examples and benchmarks, one that has it as a part of its own.
 */
const BESIDE_SUFFIX = new RegExp(`[._-](${EXAMPLE_WORDS}|docs?|documentation|bench(mark)?(s|es)?)$|[._-](${EXAMPLE_WORDS}|bench(mark)?(s|es)?)[._-]`, 'i');
const BESIDE_CAMEL_SUFFIX = /[a-z0-9](Examples?|Samples?|Snippets?|Demos?|Tutorials?|Docs|Benchmarks?)$/;

/** The folders of a POSIX path, outermost first. */
export function folders(path: string): string[] {
  return path.split('/').slice(0, -1);
}

/** True for files under an examples, docs, benchmarks or hidden folder. */
export function isBesidePath(path: string): boolean {
  return folders(path).some((d) => BESIDE_DIR.test(d) || BESIDE_SUFFIX.test(d) || BESIDE_CAMEL_SUFFIX.test(d));
}

/** Folders of examples: code written to show how the project is used. */
const EXAMPLE_DIR = new RegExp(`^_{0,2}(${EXAMPLE_WORDS})([_.-].*)?$|[._-](${EXAMPLE_WORDS})([._-]|$)`, 'i');
const EXAMPLE_CAMEL_SUFFIX = /[a-z0-9](Examples?|Samples?|Snippets?|Demos?|Tutorials?)$/;

/** True for files under an examples, samples, snippets, demos or tutorials folder. */
export function isExamplePath(path: string): boolean {
  return folders(path).some((d) => EXAMPLE_DIR.test(d) || EXAMPLE_CAMEL_SUFFIX.test(d));
}
