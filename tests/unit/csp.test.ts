// The Content-Security-Policy: strict in svelte.config.js, the run-time basemap's origin added.
import { describe, expect, it } from 'vitest';
import config from '../../svelte.config.js';
import { basemapOrigins, withOrigins } from '../../src/lib/server/csp';

describe('Content-Security-Policy', () => {
	const d = config.kit!.csp!.directives!;

	it('allows only this site: no inline script, no eval, no framing; MapLibre workers from here or a blob', () => {
		expect(config.kit!.csp!.mode).toBe('auto');
		expect(d['default-src']).toEqual(['self']);
		expect(d['script-src']).toEqual(['self']);
		expect(d['style-src']).toEqual(['self']);
		expect(d['connect-src']).toEqual(['self']);
		expect(d['worker-src']).toEqual(['self', 'blob:']);
		expect(d['object-src']).toEqual(['none']);
		expect(d['frame-ancestors']).toEqual(['none']);
		for (const list of Object.values(d)) expect(list as string[]).not.toContain('unsafe-inline');
		// style attributes: only SvelteKit's route announcer, by its hash
		expect(d['style-src-attr']).toEqual(['unsafe-hashes', expect.stringMatching(/^sha256-/)]);
	});

	it('adds the configured basemap origin to connect-src and img-src only', () => {
		expect(basemapOrigins({})).toEqual(['https://tiles.openfreemap.org']);
		expect(basemapOrigins({ BASEMAP_STYLE_URL: 'none' })).toEqual([]);
		expect(
			basemapOrigins({ BASEMAP_STYLE_URL: 'https://maps.example.org/style.json', BASEMAP_CSP_ORIGINS: 'https://tiles.example.org nonsense' })
		).toEqual(['https://maps.example.org', 'https://tiles.example.org']);
		const policy = "default-src 'self'; script-src 'self' 'nonce-abc'; img-src 'self' data: blob:; connect-src 'self'";
		expect(withOrigins(policy, ['https://tiles.openfreemap.org'])).toBe(
			"default-src 'self'; script-src 'self' 'nonce-abc'; img-src 'self' data: blob: https://tiles.openfreemap.org; connect-src 'self' https://tiles.openfreemap.org"
		);
		expect(withOrigins(policy, [])).toBe(policy);
	});
});
