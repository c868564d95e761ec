/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Suites with their own commands (see README): the real telemetry loop (test:loop), the packed
  // package in fresh apps (test:consumer), and the simulator's calibration against the loop's
  // timelines (test:calibration), which does not pass yet.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/loop/', '<rootDir>/test/consumer/', '<rootDir>/test/calibration/'],
  globalSetup: '<rootDir>/test/tmpdir-setup.js',
  globalTeardown: '<rootDir>/test/tmpdir-teardown.js',
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; with isolatedModules jest only transpiles.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 180000,
};
