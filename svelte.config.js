import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter(),
		// Forms are posted from our own origin only (issue 3 builds on this).
		csrf: { trustedOrigins: [] },
		// Only this site's own code, styles and data; SvelteKit adds the nonce of its start-up
		// script. MapLibre's worker is a file of ours (a blob: wrapper when served elsewhere);
		// the basemap's origin is added at run time from BASEMAP_STYLE_URL (src/lib/server/csp.ts).
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// SvelteKit's route announcer (a visually hidden live region) has a style attribute:
				// allowed by its hash; app.css hides it too, should a new SvelteKit change the text.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'child-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};
