// Zone colours, kept apart from zone-map.ts so a list can use them without loading MapLibre.

/** Okabe–Ito colours (distinguishable with every common colour-vision deficiency). */
export const ZONE_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

export function zoneColour(index: number): string {
	return ZONE_COLOURS[index % ZONE_COLOURS.length]!;
}
