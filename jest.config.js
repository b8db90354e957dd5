/**
 * Three projects: `unit` (pure, no Strapi), `api` (boots Strapi once per file on a database of
 * its own, copied from the run's template; TEST_DB=sqlite|postgres picks which) and `browser`
 * (the admin panel and the public page in Chromium). `npm test` (scripts/test.ts) runs them all.
 */
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
    },
    {
      displayName: 'api',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/api/**/*.test.api.ts'],
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/timeouts.ts'],
      slowTestThreshold: 60,
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/tests/browser/**/*.test.browser.ts'],
      globalSetup: '<rootDir>/tests/helpers/browser-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/timeouts.ts'],
    },
  ],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/plugins/complaints/dist/', '<rootDir>/.tmp/'],
};
