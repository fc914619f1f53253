import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests time real sockets; two cores are shared by the forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
