import { memoized } from '../memo';
import { isTestPath } from '../notes/testHooks';
import { isBesidePath, isRetiredPath, isVendoredPath } from './besideFolders';

/**
 * True for tests, test data, vendored or retired code, examples, docs, benchmarks and hidden folders: code a newcomer should meet
 * after the project's own. Overviews list it last; it stays in the graph.
 */
export const isPeripheralPath = memoized(
  (path: string): boolean => isTestPath(path) || isVendoredPath(path) || isRetiredPath(path) || isBesidePath(path),
);
