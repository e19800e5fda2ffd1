import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const VSCODE_FREE =
  "src/core, src/protocol, src/cli, src/sample, webview/ and the extension's plain models (session.ts, views/eventsModel.ts, views/loadedStretches.ts, views/eventFormat.ts, views/timeRange.ts) run in plain Node or a browser: never import vscode here.";
// Product code never depends on tests: the fake endpoint's faults, fixtures and harness stay in test/.
const NO_TEST = {
  group: ['**/test/**', '../test', '../../test'],
  message: 'src/ and webview/ must not import from test/ (docs/ARCHITECTURE.md, Layers).',
};

/** One `no-restricted-imports` setting (a later config replaces an earlier one's, so each file group gets all it needs). */
const restrictImports = ({ vscode }) => ({
  'no-restricted-imports': ['error', { paths: vscode ? [{ name: 'vscode', message: VSCODE_FREE }] : [], patterns: [NO_TEST] }],
});

// Activation must not parse the AWS SDK (docs/ARCHITECTURE.md, "Two extension bundles"): extension
// code may import types from these, but their values only through loadEngine().
const engineOnly = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: [
            '@aws-sdk/*',
            '@smithy/*',
            '**/core/aws',
            '**/core/awsCredentials',
            '**/core/awsProfiles',
            '**/core/cache',
            '**/core/cacheLoad',
            '**/core/cacheState',
            '**/core/cacheWrite',
            '**/core/find',
            '**/core/files',
            '**/core/limiter',
            '**/core/lookup',
            '**/core/scan',
            '**/sample/*',
          ],
          allowTypeImports: true,
          message: 'SDK-heavy: import its types only, and reach its values through loadEngine() (dist/engine.js).',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.test-artifacts/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports.' }],
      // Prettier wraps code at 140; long strings (test texts, messages), regexes and URLs stay whole.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  // Tool configuration files and node:test reporters must default-export.
  { files: ['*.config.mjs', '*.config.js', 'scripts/*-reporter.mjs'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['src/**', 'webview/**'], rules: restrictImports({ vscode: false }) },
  {
    files: [
      'src/core/**',
      'src/protocol/**',
      'src/cli/**',
      'src/sample/**',
      'src/extension/engine.ts',
      'src/extension/session.ts',
      'src/extension/views/eventsModel.ts',
      'src/extension/views/loadedStretches.ts',
      'src/extension/views/eventFormat.ts',
      'src/extension/views/timeRange.ts',
      'webview/**',
    ],
    rules: restrictImports({ vscode: true }),
  },
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['src/extension/**'], ignores: ['src/extension/engine.ts'], rules: engineOnly },
);
