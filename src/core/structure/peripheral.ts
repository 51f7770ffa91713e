import { memoized } from '../memo';
import { isTestPath } from '../notes/testHooks';

/** Folders of code copied in from elsewhere. */
const VENDORED_DIR = /^(deps|third[_-]?party|3rd[_-]?party|vendor|vendored|external|extern)$/i;
/**
 * Folders of code that ships beside the project rather than as it: examples, docs, benchmarks and performance tests
 * (`docs_src`, `examples-ts`, Rust's `benches`, Go's `_examples` too), CMake's feature tests and modules, and tooling
 * in hidden folders (`.github`).
 */
const BESIDE_DIR = /^(_?(examples?|samples?|demos?|docs?|documentation|tutorials?|bench(mark)?(s|es)?|perf(tests?)?|cmake)([_.-].*)?|\..+)$/i;

function folders(path: string): string[] {
  return path.split('/').slice(0, -1);
}

/** True for files under a vendored folder (`deps/`, `third_party/`, `vendor/` ...). */
export function isVendoredPath(path: string): boolean {
  return folders(path).some((d) => VENDORED_DIR.test(d));
}

/**
 * True for tests, test data, vendored code, examples, docs, benchmarks and hidden folders: code a newcomer should meet
 * after the project's own. Overviews list it last; it stays in the graph.
 */
export const isPeripheralPath = memoized(
  (path: string): boolean => isTestPath(path) || folders(path).some((d) => VENDORED_DIR.test(d) || BESIDE_DIR.test(d)),
);

/** Type declaration files (`.d.ts`, `.pyi`): they describe code that lives elsewhere (or nowhere in the repository). */
export function isDeclarationPath(path: string): boolean {
  return DECLARATION_FILE.test(path);
}

const DECLARATION_FILE = /\.d\.[cm]?ts$|\.pyi$/;
