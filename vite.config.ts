import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// MapLibre alone is ~800 kB minified; it is split into its own chunk below.
		chunkSizeWarningLimit: 1100,
		rollupOptions: {
			output: {
				manualChunks(id: string) {
					if (id.includes('node_modules/maplibre-gl')) return 'maplibre';
				}
			}
		}
	},
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/db/**/*.test.ts'],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Database suites share one embedded PGlite per file; keep files apart.
		fileParallelism: false
	}
});
