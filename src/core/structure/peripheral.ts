import { isTestPath } from '../notes/testHooks';

/** Folders of code that ships beside the project rather than as it: vendored dependencies, examples, docs, benchmarks. */
const PERIPHERAL_DIR = /^(deps|third[_-]?party|3rd[_-]?party|external|extern|vendored|examples?|samples?|demos?|docs?|benchmarks?)$/i;

/**
 * True for tests, test data and the folders above: code a newcomer should meet after the project's own.
 * Overviews list it last; it stays in the graph.
 */
export function isPeripheralPath(path: string): boolean {
  return isTestPath(path) || path.split('/').slice(0, -1).some((d) => PERIPHERAL_DIR.test(d));
}
