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
  // Routes and the CLI talk to the actors through the door (system.actors, src/actors/actor-door.ts); the raw refs
  // are for tests. Which folders may import what is checked by .dependency-cruiser.cjs (npm run lint:deps).
  {
    files: ['src/http/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='refs']",
          message: 'Routes and the CLI use system.actors (src/actors/actor-door.ts), never the raw actor refs.',
        },
      ],
    },
  },
);
