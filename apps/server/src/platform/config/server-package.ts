/**
 * Finds the server package (its directory and version) by walking up from this module.
 * Why: the same code runs from src/, dist/ and the single-file bundle, each at a different depth.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The @switchboard/server package: where it lives and which version it is. */
export interface ServerPackage {
  readonly dir: string;
  readonly version: string;
}

let cached: ServerPackage | null = null;

/** The nearest @switchboard/server package.json above this module. Why: web assets and version sit relative to it. */
export function serverPackage(): ServerPackage {
  if (cached) {
    return cached;
  }
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === '@switchboard/server') {
        cached = { dir: fileURLToPath(dir), version: pkg.version };
        return cached;
      }
    } catch {
      // No package.json at this level: keep walking up.
    }
    if (dir.pathname === '/') {
      throw new Error('cannot find the @switchboard/server package.json above the server code');
    }
  }
}
