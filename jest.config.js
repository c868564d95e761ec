/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The slow real-service suites have their own commands (see README: test:loop, test:consumer).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/loop/', '<rootDir>/test/consumer/'],
  globalSetup: '<rootDir>/test/tmpdir-setup.js',
  globalTeardown: '<rootDir>/test/tmpdir-teardown.js',
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; with isolatedModules jest only transpiles.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 180000,
};
