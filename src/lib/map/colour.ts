// Colour scale for counts per hexagon: a colour-blind-safe sequential palette (viridis, light to
// dark so "more" reads as "darker" on the light map) with class breaks taken from the data (the
// breaks and legend rows are computed in stats.ts).
import { SPOT_CODES } from '$lib/domain/analysis/hotspots';

/** Viridis, 6 steps, from low (light yellow) to high (dark purple). */
export const VIRIDIS = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'] as const;

export const MAX_CLASSES = VIRIDIS.length;

/** Neutral grey under a hatch: reads as "hidden", not as a low count, for every colour vision. */
export const SUPPRESSED_FILL = '#c9ccd1';

/** Palette for n classes, spread evenly over the full ramp. */
export function paletteFor(n: number): string[] {
	if (n <= 0) return [];
	if (n === 1) return [VIRIDIS[3]];
	const last = VIRIDIS.length - 1;
	return Array.from({ length: n }, (_, i) => VIRIDIS[Math.round((i * last) / (n - 1))]!);
}

// Underserved score (0–100): fixed classes, so a colour means the same score in every period and
// at every resolution. Magma is colour-blind-safe like viridis (lightness falls steadily as the
// score rises), and its warm hues keep the view from being mistaken for the reach view.

/** Magma at 0.9, 0.7, 0.5, 0.3 and 0.1: from low (light peach) to high (near-black). */
export const MAGMA = ['#fecf92', '#f7705c', '#b73779', '#641a80', '#140e36'] as const;

/** Lower bounds of the score classes; the server maps only zones scoring 5 or more. */
export const SCORE_BREAKS = [5, 20, 40, 60, 80] as const;
export const SCORE_MAX = 100;

// Hot spots (Gi*): a diverging red–blue scheme (ColorBrewer RdBu, colour-blind-safe), cold dark
// blue through light to hot dark red, always shown with the class's words beside it.

/** In the order of SPOT_CODES: cold 99 % to hot 99 %. */
export const HOTSPOT_COLOURS = ['#2166ac', '#67a9cf', '#d1e5f0', '#fddbc7', '#ef8a62', '#b2182b'] as const;

/** Index into HOTSPOT_COLOURS of a class code, or -1 for none. */
export function hotspotIndex(code: number): number {
	return (SPOT_CODES as readonly number[]).indexOf(code);
}

// Change between two periods (the coordinators' compare view): a diverging orange–blue scheme
// (the orange arm of ColorBrewer PuOr, the blue arm of RdBu), colour-blind-safe because orange and
// blue stay apart for every common colour vision, with a light grey for "no change" between them.

/** Falls (dark to light orange), no change, rises (light to dark blue). */
export const CHANGE_COLOURS = ['#b35806', '#e08214', '#fdb863', '#e8e8e8', '#92c5de', '#4393c3', '#2166ac'] as const;
// Area layers the layer list shows: outlines in the Okabe–Ito colours (distinguishable with every
// common colour vision deficiency), skipping its yellow, too faint as a thin line on a light map.
export const AREA_OUTLINE_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#56b4e9', '#e69f00', '#000000'] as const;

/** The outline colour of the area overlay in slot i (colours repeat after seven layers). */
export const overlayColour = (i: number) => AREA_OUTLINE_COLOURS[i % AREA_OUTLINE_COLOURS.length]!;
