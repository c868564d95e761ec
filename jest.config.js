/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; with isolatedModules jest only transpiles.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 120000,
};
