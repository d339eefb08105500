/**
 * `npm run test:reliability`: the slow suites (`*.reliability-spec.ts`: processes killed, servers
 * stopped under load), which `npm test` leaves out. Same transform and aliases as the root config.
 */
const path = require('node:path');
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.reliability-spec.ts'],
  testTimeout: 600_000,
};
