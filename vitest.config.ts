import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        test: {
          name: 'main',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          pool: 'forks',
          maxWorkers: 2,
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
