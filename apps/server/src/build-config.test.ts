import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Tests and what only tests use: suites, test-support folders, `test-*.ts` helpers, the SDK's `testing/`. */
const TEST_ONLY = /(\.test\.ts$|\/test-support\/|\/testing\/|\/test-[^/]*\.ts$)/;

/** The files a build configuration compiles into `dist/` on its own (before following imports). */
function rootFiles(config: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    resolve(repo, config),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) {
    throw new Error(`cannot read ${config}`);
  }
  return parsed.fileNames.map((file) => relative(repo, file));
}

describe('build configurations', () => {
  for (const config of [
    'apps/server/tsconfig.build.json',
    'packages/zadarma/tsconfig.json',
    'packages/zadarma-sim/tsconfig.json',
  ]) {
    it(`${config} compiles no test and no test harness into dist/`, () => {
      const files = rootFiles(config);
      // The configuration is read at all: it still builds the workspace's entry point.
      expect(files.some((file) => /\/src\/(main|index)\.ts$/.test(file))).toBe(true);
      expect(files.filter((file) => TEST_ONLY.test(file))).toEqual([]);
    });
  }
});
