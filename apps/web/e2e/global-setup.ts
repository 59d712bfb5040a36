import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the web app once per test run (catalogues strictly, then Vite). Why: browser tests drive the real build. */
export default function setup(): void {
  if (process.env.SB_E2E_SKIP_BUILD === '1') {
    return;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: webDir, encoding: 'utf8', env: process.env });
  if (build.status !== 0) {
    throw new Error(
      `building the web app failed (npm run build in apps/web):\n${build.stdout}\n${build.stderr}`,
    );
  }
}
