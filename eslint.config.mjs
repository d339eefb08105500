import tseslint from 'typescript-eslint';

const frameworks = ['@nestjs/*', 'typeorm', 'typeorm/*', 'bullmq', 'ioredis', 'pg', 'pg-*', '@electric-sql/*', 'fastify', '@fastify/*', 'jose', 'class-validator', 'class-transformer', 'node:*', 'fs', 'http', 'https', 'net'];

export default tseslint.config(
  { ignores: ['bench/.scratch/**', 'dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'apps/web/dist/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'import other libs through @tasking/<lib>' }] }],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: frameworks, message: 'the domain is pure: no framework, driver or I/O imports' },
            { group: ['@tasking/*', '**/apps/**'], message: 'the domain imports no other lib and no app' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'time arrives in the command; the domain never reads the clock' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time arrives in the command; the domain never reads the clock' }],
    },
  },
  {
    // Benchmarks measure the libraries' internals (the SQL store itself), not only their entries.
    files: ['bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-globals': 'off', 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
);
