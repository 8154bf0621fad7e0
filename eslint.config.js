// ESLint flat config: the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte,
// a few rules turned down where their fixes would be churn over the whole tree, and the layer
// boundaries of docs/ARCHITECTURE.md written as `no-restricted-imports` per folder.
//
// Why `no-restricted-imports` and not eslint-plugin-boundaries or import/no-restricted-paths:
// those resolve each import to a file, which needs an import resolver that understands SvelteKit's
// `$lib` alias and `.svelte` files (two more plugins and a resolver to keep in step with ESLint).
// The built-in rule matches the import string instead. Every layer is a folder directly under
// src/lib, so an import that leaves a layer either names it by alias (`$lib/server/db`) or climbs
// with `../` and then names the folder (`../server/db`, `../../server/queries/hexes`); the
// regular expressions below catch both forms. It also checks `export … from`. It does not check
// dynamic `import()` calls; none of the layers uses one across a boundary.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** A relative or `$lib` path into the folder `name` under src/lib. */
const into = (name) => `^(\\$lib/${name}|(\\.\\./)+(lib/)?${name})(/|$)`;

const serverCode = {
	regex: into('server'),
	message: 'Server code stays on the server: components and the map take data through the API.'
};
const maplibre = {
	regex: '^maplibre-gl(/|$)',
	message: 'Only src/lib/map imports maplibre-gl (one module owns the map).'
};

export default ts.config(
	{
		ignores: ['build/', '.svelte-kit/', 'data/', 'node_modules/', 'test-results/', 'tests/fixtures/', 'static/']
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node }
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: false,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			// `_name` marks a parameter or binding kept on purpose (a callback's position, a rest sibling).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
			// TypeScript already reports undefined names, and knows the ambient types no-undef does not.
			'no-undef': 'off',
			// The app is served at the root (no paths.base), so resolve() around every href and goto
			// would change nothing; 14 links today. Turn it on if the app ever moves under a base path.
			'svelte/no-navigation-without-resolve': 'off',
			// It flags Maps, Sets and Dates that are locals of a plain function (a retry loop's `tried`
			// set, a Date built and formatted at once), which are never reactive state; SvelteMap there
			// would be a needless change. Reactive collections are reviewed by hand instead.
			'svelte/prefer-svelte-reactivity': 'off',
			// `{' '}` keeps a significant space beside a line break (prettier-plugin-svelte writes the
			// same), so it is not useless.
			'svelte/no-useless-mustaches': 'off'
		}
	},
	{
		// Tests read JSON bodies whose shape the assertions themselves check.
		files: ['tests/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},

	// Layer boundaries. A later block replaces an earlier block's options for the same rule, so each
	// block lists every restriction that applies to its folder.
	{
		files: ['src/**/*.{ts,js,svelte}'],
		ignores: ['src/lib/map/**'],
		rules: { 'no-restricted-imports': ['error', { patterns: [maplibre] }] }
	},
	{
		files: ['src/lib/components/**/*.{ts,js,svelte}'],
		rules: { 'no-restricted-imports': ['error', { patterns: [serverCode, maplibre] }] }
	},
	{
		files: ['src/lib/map/**/*.{ts,js,svelte}'],
		rules: { 'no-restricted-imports': ['error', { patterns: [serverCode] }] }
	},
	{
		// The API declarations are shared by the routes and the browser client: types and schemas only.
		files: ['src/lib/api/**/*.{ts,js}'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: `${into('server')}|${into('map')}|${into('components')}|^\\$(app|env)/`,
							message: 'src/lib/api declares the HTTP contract for both sides: no server, map, component or SvelteKit runtime code.'
						},
						maplibre
					]
				}
			]
		}
	},
	{
		files: ['src/lib/domain/**/*.{ts,js,svelte}'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: `${into('server')}|${into('map')}|${into('components')}|${into('api')}`,
							message: 'src/lib/domain is pure: no server, map, component or API code (pass data in instead).'
						},
						{
							regex: '^\\$(app|env)/',
							message: 'src/lib/domain is pure: no SvelteKit runtime ($app) or environment ($env).'
						},
						{
							regex: '^node:',
							message: 'src/lib/domain is pure and runs in the browser too: no node: modules.'
						},
						maplibre
					]
				}
			]
		}
	}
);
