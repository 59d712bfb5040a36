/**
 * Bundles the server into one file, dist/switchboard.mjs, for `npm start`. Why: Node 20 spends ~400 ms
 * resolving and compiling the ~1 000 modules of the unbundled build (kysely alone ~100 ms); one file starts
 * serving in ~350 ms from process launch instead of ~600 ms (cold start target: 500 ms).
 * Packages that read their own files at run time (native addons, Swagger UI's static assets, pino's workers)
 * stay external and load from node_modules.
 */
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

// `--outdir` lets the start-up test bundle elsewhere. Production keeps `dist`: the default WEB_DIST_DIR is
// resolved relative to the bundle (../../web/dist → apps/web/dist).
const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });

await build({
  entryPoints: { switchboard: 'src/main.ts', 'switchboard-create-admin': 'src/cli/create-admin.ts' },
  outdir: values.outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@switchboard/source'],
  sourcemap: true,
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  external: ['better-sqlite3', 'pg-native', '@fastify/swagger', '@fastify/swagger-ui', 'pino', 'pino-pretty'],
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __sbCreateRequire } from 'node:module';\nconst require = __sbCreateRequire(import.meta.url);",
  },
});
