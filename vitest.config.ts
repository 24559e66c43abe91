import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores on CI: loopback simulators and git in temp dirs are I/O-bound, so a few forks suffice.
    pool: 'forks',
    maxWorkers: 3
  }
})
