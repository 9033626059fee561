import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.demo/**', 'coverage/**', 'test-artifacts/**', 'src/ui/public/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The web UI runs in the browser (bundled by scripts/build-ui.mjs, not emitted by tsc).
  { files: ['src/ui/app/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
);
