// The Content-Security-Policy itself is declared in svelte.config.js (kit.csp: SvelteKit adds the
// nonce of its start-up script). The basemap is configured at run time (BASEMAP_STYLE_URL), so its
// origin is added here, to connect-src (style, tiles, glyphs and sprites are fetched) and img-src.
// BASEMAP_CSP_ORIGINS (space-separated) adds hosts a style refers to beyond its own.
import { readConfig } from './config';

export function basemapOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
	const origins = new Set<string>();
	const style = readConfig(env).basemapStyle;
	if (style) {
		try {
			const u = new URL(style);
			if (u.protocol === 'https:' || u.protocol === 'http:') origins.add(u.origin);
		} catch {
			/* a relative or pmtiles:// style is served from this site */
		}
	}
	for (const o of (env.BASEMAP_CSP_ORIGINS ?? '').split(/\s+/)) {
		try {
			if (o) origins.add(new URL(o).origin);
		} catch {
			/* not an origin: ignored */
		}
	}
	return [...origins];
}

/** `policy` with `origins` added to the directives that load basemap resources. */
export function withOrigins(policy: string, origins: string[]): string {
	if (!origins.length) return policy;
	return policy
		.split(';')
		.map((d) => {
			const name = d.trim().split(/\s+/)[0];
			return name === 'connect-src' || name === 'img-src' ? `${d.trimEnd()} ${origins.join(' ')}` : d;
		})
		.join(';');
}

let cached: string[] | undefined;
/** Adds the configured basemap's origins to a page's CSP header, in place. */
export function addBasemapToCsp(headers: Headers): void {
	const policy = headers.get('content-security-policy');
	if (!policy) return;
	cached ??= basemapOrigins();
	headers.set('content-security-policy', withOrigins(policy, cached));
}
