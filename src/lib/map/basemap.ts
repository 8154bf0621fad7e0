// What every map of the app shares: the plain background used when no basemap is configured
// (tests, offline) or when the configured one cannot be loaded.
import type { StyleSpecification } from 'maplibre-gl';

export const BASEMAP_TIMEOUT_MS = 8000;

export const PLAIN_STYLE: StyleSpecification = {
	version: 8,
	name: 'plain',
	sources: {},
	layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e4e7eb' } }]
};
