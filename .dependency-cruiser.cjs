/** Layer rules: what may depend on what. `npm run layers` checks them; CI runs it through `npm run check`. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Runtime import cycles; a type-only import cannot form one.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'sdk-has-no-runtime-dependencies',
      comment: '@switchboard/zadarma is published on its own: Node built-ins and zod only.',
      severity: 'error',
      from: { path: '^packages/zadarma/src', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: 'node_modules/zod/',
      },
    },
    {
      name: 'packages-do-not-reach-into-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'sdk-does-not-know-the-simulator',
      severity: 'error',
      from: { path: '^packages/zadarma/' },
      to: { path: '^packages/zadarma-sim/' },
    },
    {
      name: 'domain-knows-no-adapters',
      comment:
        'Domain code and use cases talk to ports, never to Fastify, Kysely, database drivers or the wire format.',
      severity: 'error',
      from: {
        path: '^apps/server/src/(domain|features/[^/]+/(domain|use-cases))/',
        pathNot: '\\.test\\.ts$',
      },
      to: {
        path: '(node_modules/(fastify|@fastify|kysely|pg|pg-boss|better-sqlite3)/|^apps/server/src/(http|adapters|db)/)',
      },
    },
    {
      name: 'web-does-not-import-server-code',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^apps/server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@switchboard/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
