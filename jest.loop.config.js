/** @type {import('jest').Config} The real telemetry loop (issue 11): `npm run test:loop`, not part of `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/loop'],
  testMatch: ['**/*.loop.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 1_200_000,
};
