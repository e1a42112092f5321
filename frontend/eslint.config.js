import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importPlugin from 'eslint-plugin-import';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  react.configs.flat.recommended,
  react.configs.flat['jsx-runtime'],
  reactHooks.configs.flat.recommended,
  jsxA11y.flatConfigs.recommended,
  importPlugin.flatConfigs.recommended,
  {
    files: ['**/*.{js,jsx}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    settings: {
      react: { version: '18.3' },
      'import/resolver': { node: { extensions: ['.js', '.jsx'] } },
    },
    rules: {
      'react/prop-types': 'off',
      'react/no-danger': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      // Tokens live in memory only; web storage would expose them to any script.
      'no-restricted-globals': ['error', 'localStorage', 'sessionStorage'],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'localStorage' },
        { object: 'window', property: 'sessionStorage' },
      ],
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import/no-unresolved': 'error',
      'import/no-cycle': 'error',
      'import/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling'],
          alphabetize: { order: 'asc', caseInsensitive: true },
          'newlines-between': 'always',
        },
      ],
    },
  },
  {
    files: ['**/*.test.{js,jsx}', 'src/test/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Tests read web storage to prove that no token was written to it.
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
    },
  },
  {
    // The browser tests are Node scripts that drive Chromium.
    files: ['e2e/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // playwright-core publishes only an "exports" map (see below).
      'import/no-unresolved': ['error', { ignore: ['^playwright-core$'] }],
    },
  },
  {
    files: ['*.config.js'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // These packages publish only an "exports" map, which the import
      // plugin's resolver does not read; Vite itself resolves them.
      'import/no-unresolved': [
        'error',
        { ignore: ['^@vitejs/plugin-react$', '^vitest/config$'] },
      ],
    },
  },
  prettier,
];
