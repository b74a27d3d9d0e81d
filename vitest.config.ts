import { defineConfig } from 'vitest/config';

/**
 * Suites that install Granary with npm, run the generated workflows, drive the whole demo or the app
 * end to end, kill runs at every step, pack a corpus of hostile repositories, read the real PureScript
 * registry or run the layering tool: `npm test` runs them, `npm run test:quick` (the inner loop)
 * leaves them out and shares one module cache per worker (`--no-isolate`); `npm test` isolates every file.
 */
const SLOW = [
  'test/pack/hostile-corpus.test.ts',
  'test/curate/crash-safety-*.test.ts',
  'test/curate/every-rule.test.ts',
  'test/curate/outage.test.ts',
  'test/app/curate-merge.test.ts',
  'test/install/install.test.ts',
  'test/package/**/*.test.ts',
  'test/workflows/run-steps.test.ts',
  'test/demo/**/*.test.ts',
  'test/architecture/**/*.test.ts',
  'test/resolve/purescript-sets.test.ts',
  'test/import/purescript.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most suites wait on git, npm or a loopback server more than on the CPU: three workers keep both cores busy.
    maxWorkers: 3,
    setupFiles: ['test/helpers/setup.ts'],
    projects: [
      { extends: true, test: { name: 'quick', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
