/**
 * The layering rule (docs/architecture.md): cli → curator, client → core, schema. The client never
 * imports the curator; the command line reaches client/ and curator/ only through their APIs
 * (index.ts), loaded lazily; shipped code never imports cli/, tools/ or test/; tools never import test/;
 * no import cycles. `npm test` runs it (`npm run lint`), and a test shows it fails on a wrong import.
 */
const SHIPPED = '^(core|schema|curator|client|cli)/';
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one; cut it at the contract.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'core-schema-stand-alone',
      severity: 'error',
      comment:
        'core/ and schema/ are what both sides share: they import nothing of curator/, client/, cli/, tools/ or test/.',
      from: { path: '^(core|schema)/' },
      to: { path: '^(curator|client|cli|tools|test)/' },
    },
    {
      name: 'client-never-curator',
      severity: 'error',
      comment: "The client runs on users' machines: it never imports the curator.",
      from: { path: '^client/' },
      to: { path: '^(curator|cli)/' },
    },
    {
      name: 'curator-not-cli',
      severity: 'error',
      comment: 'The curator is a library: the command line calls it, never the other way round.',
      from: { path: '^curator/' },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-uses-the-api',
      severity: 'error',
      comment:
        'The command line is one user of the library like any other: it imports client/ and curator/ only through their APIs, client/index.ts and curator/index.ts, and their defaults.ts (the constants --help shows). core/ and schema/ it may import.',
      from: { path: '^cli/' },
      to: { path: '^(client|curator)/', pathNot: '^(client|curator)/(index|defaults)\\.ts$' },
    },
    {
      name: 'cli-start-stays-light',
      severity: 'error',
      comment:
        'What `granary --help` loads (cli.ts, command.ts, io.ts and the command declarations) reaches the APIs only through type-only imports or the lazy import of a -run.ts file, so start-up does not load the library.',
      from: { path: '^cli/(cli|command|io)\\.ts$|^cli/commands/[^/]+\\.ts$', pathNot: '-run\\.ts$' },
      to: { path: '^(client|curator)/index\\.ts$', dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
    {
      name: 'defaults-import-nothing',
      severity: 'error',
      comment:
        'client/defaults.ts and curator/defaults.ts are loaded when the command line starts, for --help: they import nothing.',
      from: { path: '^(client|curator)/defaults\\.ts$' },
      to: {},
    },
    {
      name: 'shipped-not-tools-or-tests',
      severity: 'error',
      comment: 'dist/ ships core, schema, curator, client and cli: they never import tools/ or test/.',
      from: { path: SHIPPED },
      to: { path: '^(tools|test)/' },
    },
    {
      name: 'tools-not-tests',
      severity: 'error',
      comment: 'Benchmarks and the demo build what they need with the real code, not with test fixtures.',
      from: { path: '^tools/' },
      to: { path: '^test/' },
    },
    {
      name: 'known-dependencies-only',
      severity: 'error',
      comment: 'Shipped code imports only dependencies that package.json lists for run time.',
      from: { path: SHIPPED },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or a package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
