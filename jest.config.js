/** Jest runs every suite in CommonJS through SWC; NestJS 12 ships ESM, so its packages are transformed too. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs', ignoreDynamic: false },
  },
];

/** The `@tasking/<lib>` aliases tsconfig.json declares, so a new library is declared once there. */
const aliases = {};
for (const [alias, [target]] of Object.entries(require('./tsconfig.json').compilerOptions.paths)) {
  aliases[`^${alias}$`] = `<rootDir>/${target.replace(/^\.\//, '')}`;
}

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/web/'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|uid|file-type|strtok3|token-types|@tokenizer|jose|content-disposition|eslint-plugin-regexp|jsdoc-type-pratt-parser)/)'],
  moduleNameMapper: aliases,
  testTimeout: 30000,
};
