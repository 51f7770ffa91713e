/**
 * `npm run test:electron`: the ecosystem's @vscode/test-electron runner, for machines with
 * internet (it downloads a VS Code build). Here, use `npm run test:e2e` (code-server) instead.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sleeptime-electron-'));
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite.ts')], bundle: true, platform: 'node', format: 'cjs',
    external: ['vscode'], outfile: path.join(out, 'suite.js'), logLevel: 'warning',
  });
  const workspace = path.join(out, 'workspace');
  fs.cpSync(path.join(root, 'test/fixtures/e2e-repo'), workspace, { recursive: true });
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(out, 'suite.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
