/**
 * The layer rules the design depends on (`npm run deps:validate`, run by .ci/run):
 * the domain is pure, libraries never reach into apps, apps never into each other, nothing cycles.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes a module impossible to understand (or load) on its own.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'libs/launch is the decider: no Nest, database, HTTP or other library; only itself and node: built-ins.',
      from: { path: '^libs/launch/src' },
      to: { pathNot: ['^libs/launch/src', '^node:'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      comment: 'Libraries are shared by every app; an app is never a dependency of one.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      comment: "Apps share code through libs/, never through each other's internals.",
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-only-through-their-entry',
      severity: 'error',
      comment: 'Outside a library, use its entry point (#launch, #event-store, …), not its internal files.',
      from: { path: '^(apps|bench)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['types', 'import', 'default'], extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
