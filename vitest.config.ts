import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        test: {
          name: 'main',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts', 'test/build/**/*.test.ts', 'test/property/**/*.test.ts', 'test/workflows/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        // A real browser over the built site: one file at a time, after the rest.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        // Millisecond timing assertions: one file at a time, after everything else, so no other
        // test process competes for the two cores. A retry absorbs an OS descheduling blip; a real
        // timing error fails every attempt.
        test: {
          name: 'timing',
          include: ['test/timing/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
          retry: 2,
        },
      },
    ],
  },
});
