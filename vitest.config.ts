import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests start real server processes (the production build) on loopback
// ports; files run one after another so two suites never fight over the
// machine's two cores.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CI asks for a JSON report beside the console one to add up runs.
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON
      ? { json: process.env.VITEST_JSON }
      : undefined,
  },
});
