/** Layer rules: what may depend on what. `npm run layers` checks them; CI runs it through `npm run check`. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Import cycles, type-only ones included: two files that need each other are one idea split in two, or a ' +
        'contract that belongs in a third file (ports/after-call-jobs.ts is one).',
      severity: 'error',
      from: {},
      to: { circular: true },
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
      name: 'domain-is-pure',
      comment:
        'modules/*/domain is pure: it imports other domain code and zod, nothing else (no platform, no database, ' +
        'no HTTP, no Node built-ins, no SDK). Tests may use test support.',
      severity: 'error',
      from: { path: '^apps/server/src/modules/[^/]+/domain/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: '(^apps/server/src/modules/[^/]+/domain/|node_modules/zod/)' },
    },
    {
      name: 'use-cases-know-no-adapters',
      comment:
        'Use cases talk to ports: never to Fastify, Kysely, database drivers, platform/http, platform/db, a ' +
        "module's http/ or adapters/.",
      severity: 'error',
      from: {
        path: '^apps/server/src/modules/[^/]+/use-cases/',
        pathNot: '\\.test\\.ts$',
      },
      to: {
        path: '(node_modules/(fastify|@fastify|fastify-type-provider-zod|kysely|pg|pg-boss|better-sqlite3)/|^apps/server/src/platform/(http|db)/|^apps/server/src/modules/[^/]+/(http|adapters)/)',
      },
    },
    {
      name: 'routes-only-route',
      comment:
        "A module's http/ parses, authorises, calls a use case and shapes the reply: it never builds an adapter, " +
        "runs SQL or talks to a driver. Its ports come from the module's wiring (telephony-module.ts, *-ports.ts " +
        'at the module root), the only files that know both sides.',
      severity: 'error',
      from: { path: '^apps/server/src/modules/[^/]+/http/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '(node_modules/(kysely|pg|pg-boss|better-sqlite3)/|^apps/server/src/platform/db/|^apps/server/src/modules/[^/]+/adapters/)',
      },
    },
    {
      name: 'crm-use-cases-know-no-http',
      comment:
        'The CRM keeps one use case per file beside its routes (contacts/create-contact.ts, ' +
        'contacts/contacts-routes.ts): only the routes files know Fastify and platform/http. A use case takes an ' +
        'Actor (platform/auth/actor.ts), never the session user, so automation can call it as the system.',
      severity: 'error',
      from: {
        path: '^apps/server/src/modules/crm/',
        pathNot: ['-routes\\.ts$', '\\.test\\.ts$', '/test-crm\\.ts$'],
      },
      to: {
        path: '(node_modules/(fastify|@fastify|fastify-type-provider-zod)/|^apps/server/src/platform/http/)',
      },
    },
    {
      name: 'platform-knows-no-modules',
      comment:
        'platform/ holds what every module stands on; it never imports a module. The wiring (src/app.ts, ' +
        'src/routes.ts, src/server.ts) composes the two.',
      severity: 'error',
      from: {
        path: '^apps/server/src/platform/',
        pathNot: [
          // The migration test reads the folded settings through telephony's store to prove no value was lost.
          '^apps/server/src/platform/db/migrations/0009-one-telephony-settings\\.test\\.ts$',
        ],
      },
      to: { path: '^apps/server/src/modules/' },
    },
    {
      name: 'modules-meet-through-public-files',
      comment:
        "A module reaches another only through the files it offers to others (the list in to.pathNot: the CRM's " +
        'lookups for telephony). Tests and test support may set up any module; no other file is exempt.',
      severity: 'error',
      from: {
        path: '^apps/server/src/modules/([^/]+)/',
        pathNot: ['\\.test\\.ts$', '/test-support/', '/test-[^/]+\\.ts$'],
      },
      to: {
        path: '^apps/server/src/modules/',
        pathNot: [
          '^apps/server/src/modules/$1/',
          // The CRM's public files: what telephony and the demo may use.
          '^apps/server/src/modules/crm/contacts/find-contact-by-phone\\.ts$',
          '^apps/server/src/modules/crm/phones/normalize-phone\\.ts$',
          '^apps/server/src/modules/crm/timeline/record-activity\\.ts$',
          '^apps/server/src/modules/crm/settings/company-settings-store\\.ts$',
          '^apps/server/src/modules/crm/shared/paging\\.ts$',
          // The CRM's use cases for what a user creates, and their request schemas: the demo seeds through them
          // (modules/demo/demo-crm.ts), and automation will create records the same way.
          '^apps/server/src/modules/crm/companies/create-company\\.ts$',
          '^apps/server/src/modules/crm/contacts/create-contact\\.ts$',
          '^apps/server/src/modules/crm/contacts/update-contact\\.ts$',
          '^apps/server/src/modules/crm/deals/create-deal\\.ts$',
          '^apps/server/src/modules/crm/leads/create-lead\\.ts$',
          '^apps/server/src/modules/crm/tasks/create-task\\.ts$',
          '^apps/server/src/modules/crm/tasks/update-task\\.ts$',
          '^apps/server/src/modules/crm/notes/add-note\\.ts$',
          '^apps/server/src/modules/crm/[^/]+/[^/]+-schemas\\.ts$',
          // The pipelines and their stages, as GET /api/pipelines reads them (a deal is created in a stage).
          '^apps/server/src/modules/crm/deals/pipeline-repository\\.ts$',
          // Telephony's public file for the CRM: who may read a call, as SQL for the CRM's own queries (notes on
          // calls, call items of contact timelines) — the rule itself is use-cases/call-visibility.ts.
          '^apps/server/src/modules/telephony/adapters/kysely-call-visibility\\.ts$',
          // Telephony's public file for seeding (the demo, an import): extensions through the assignment policy,
          // calls through the ingest's fold.
          '^apps/server/src/modules/telephony/telephony-seeding\\.ts$',
          // The one Cyrillic transliteration table (the caller's name on a phone, the demo's e-mail addresses).
          '^apps/server/src/modules/telephony/domain/transliterate\\.ts$',
          // Telephony's one "missed and not returned" rule as SQL, for the dashboard's missed calls to return.
          '^apps/server/src/modules/telephony/adapters/missed-call-condition\\.ts$',
        ],
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
    // node_modules stay in the graph as leaves (doNotFollow), so rules about npm dependencies can fire.
    exclude: { path: '^(apps|packages)/[^/]+/(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@switchboard/source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
