// Runtime configuration from the environment, read once. Nothing here is secret.
export interface AppConfig {
	/** Basemap style URL; null draws the plain background only (also used by tests). */
	basemapStyle: string | null;
	databaseUrl: string | undefined;
	pgliteDir: string | undefined;
}

// A free style that needs no key. Organisations can self-host a PMTiles extract instead.
export const DEFAULT_BASEMAP = 'https://tiles.openfreemap.org/styles/positron';

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
	const style = env.BASEMAP_STYLE_URL?.trim();
	return {
		basemapStyle: style === 'none' ? null : style || DEFAULT_BASEMAP,
		databaseUrl: env.DATABASE_URL || undefined,
		pgliteDir: env.PGLITE_DIR || undefined
	};
}

export const AREA_ATTRIBUTION = 'Gebieden / areas: Stad Gent, Statbel, Gent in Cijfers (Modellicentie Gratis Hergebruik)';

/** The credit for the areas on the maps: Ghent's open data is the demo's; another organisation's areas are its own. */
export function areaAttribution(org: { isDemo: boolean }): string {
	return org.isDemo ? AREA_ATTRIBUTION : '';
}
