// The round map's colours, apart from route-map.ts so the legend can use them without MapLibre.
// Okabe–Ito blue and vermillion stay apart for every common colour-vision deficiency, and the map
// never relies on them alone: candidates are dashed outlines, chosen zones are filled and numbered.
export const ROUTE_COLOURS = {
	candidate: '#0072B2',
	chosen: '#D55E00',
	line: '#000000',
	halo: '#ffffff'
} as const;
