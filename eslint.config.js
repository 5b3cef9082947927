// ESLint flat config. Besides style and correctness, it enforces the architecture's boundaries
// (DESIGN.md "Principles"), each with a message that says which rule of the design it protects:
// - engine/ never imports electron, vue or renderer/;
// - renderer/ imports only types from engine/api/, and nothing else from engine/;
// - only the preload touches ipcRenderer;
// - inside engine/, fs, timers, the wall clock and Math.random are used only through the ports in
//   engine/core and engine/storage/disk.
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

const ENGINE_PORTS = ['engine/core/**', 'engine/storage/disk/**'];

const engineForbiddenImports = [
  { group: ['electron', 'electron/*'], message: 'engine/ is a library: it never imports electron (DESIGN.md principle 2).' },
  { group: ['vue', 'vue/*', 'pinia', 'vue-router', 'vue-i18n', 'chart.js'], message: 'engine/ is a library: it never imports the UI framework.' },
  { regex: '(^|/)renderer(/|$)', message: 'engine/ never imports renderer/ code.' },
];

const fsImports = {
  group: ['fs', 'fs/*', 'node:fs', 'node:fs/*'],
  message: 'Inside engine/, files are reached only through the Disk port (engine/storage/disk).',
};

const timerGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map((name) => ({
  name,
  message: 'Inside engine/, timers go through the Timers port (engine/core/timers.ts) so simulations run on virtual time.',
}));

const clockAndRandom = [
  { object: 'Date', property: 'now', message: 'Inside engine/, time comes from the Clock port (engine/core/clock.ts).' },
  { object: 'Math', property: 'random', message: 'Inside engine/, randomness comes from the seeded Prng port (engine/core/prng.ts).' },
  { object: 'performance', property: 'now', message: 'Inside engine/, time comes from the Clock port (engine/core/clock.ts).' },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'test/fixtures/**', '.prof/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcRenderer'], message: 'Only the preload (electron/preload) touches ipcRenderer.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer is untrusted web content: it never imports electron; it talks through the preload bridge.' }],
          patterns: [
            { regex: '(^|/)engine/(?!api/)', message: 'renderer/ imports only types from engine/api/, never engine internals (DESIGN.md principle 3).' },
            { regex: '(^|/)engine/api/', allowTypeImports: true, message: 'renderer/ imports only types from engine/api/ (use `import type`).' },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...engineForbiddenImports, fsImports] }],
      'no-restricted-globals': ['error', ...timerGlobals],
      'no-restricted-properties': ['error', ...clockAndRandom],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='assert'] > TemplateLiteral[expressions.length>0]",
          message: 'This message would be built on every call, hot paths included: write if (!condition) assertFailed(`...`).',
        },
      ],
    },
  },
  {
    files: ENGINE_PORTS.map((glob) => `${glob.replace('/**', '')}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { patterns: engineForbiddenImports }],
      'no-restricted-globals': 'off',
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{js,mjs,ts}', 'bin/**/*.mjs', '*.config.{js,ts}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
