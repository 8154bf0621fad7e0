// Colour scale for counts per hexagon: a colour-blind-safe sequential palette (viridis, light to
// dark so "more" reads as "darker" on the light map) with class breaks taken from the data.
import { SPOT_CODES } from '$lib/domain/analysis/hotspots';

/** Viridis, 6 steps, from low (light yellow) to high (dark purple). */
export const VIRIDIS = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'] as const;

export const MAX_CLASSES = VIRIDIS.length;

/** Palette for n classes, spread evenly over the full ramp. */
export function paletteFor(n: number): string[] {
	if (n <= 0) return [];
	if (n === 1) return [VIRIDIS[3]];
	const last = VIRIDIS.length - 1;
	return Array.from({ length: n }, (_, i) => VIRIDIS[Math.round((i * last) / (n - 1))]!);
}

const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10];

/** Round a count to a number people read easily (12 → 12, 137 → 150, 2380 → 2500). */
export function niceNumber(x: number): number {
	if (x <= 20) return Math.round(x);
	const mag = 10 ** Math.floor(Math.log10(x));
	let best = mag;
	for (const s of NICE_STEPS) {
		if (Math.abs(s * mag - x) < Math.abs(best - x)) best = s * mag;
	}
	return Math.round(best);
}

/**
 * Lower bounds of up to maxClasses classes (ascending, first = smallest positive value), from
 * quantiles of the positive values, rounded to nice numbers. Empty when nothing is positive.
 */
export function classBreaks(values: ArrayLike<number>, maxClasses = MAX_CLASSES): number[] {
	const v = Array.from(values)
		.filter((x) => x > 0)
		.sort((a, b) => a - b);
	if (v.length === 0) return [];
	const max = v[v.length - 1]!;
	const breaks = [v[0]!];
	for (let i = 1; i < maxClasses; i++) {
		const q = v[Math.floor((i * v.length) / maxClasses)]!;
		const b = niceNumber(q);
		if (b > breaks[breaks.length - 1]! && b <= max) breaks.push(b);
	}
	return breaks;
}

/** Class index of a value, or -1 when it is not drawn (zero or no data). */
export function classOf(value: number, breaks: readonly number[]): number {
	if (!(value > 0) || breaks.length === 0) return -1;
	let cls = 0;
	for (let i = 1; i < breaks.length; i++) if (value >= breaks[i]!) cls = i;
	return cls;
}

export interface LegendClass {
	from: number;
	/** Inclusive upper bound (the data's maximum for the top class). */
	to: number;
	colour: string;
}

/**
 * Legend rows for the breaks. `step` is the spacing of the values that can occur: 1 for exact
 * counts, 5 for an analyst's rounded counts (so a class reads "5", "10–20", not "5–9").
 */
export function legendClasses(
	breaks: readonly number[],
	max: number,
	step = 1,
	colours: readonly string[] = paletteFor(breaks.length)
): LegendClass[] {
	return breaks.map((from, i) => {
		const next = breaks[i + 1];
		const to = next !== undefined ? Math.max(from, Math.ceil(next / step) * step - step) : Math.max(from, max);
		return { from, to, colour: colours[i]! };
	});
}

// Underserved score (0–100): fixed classes, so a colour means the same score in every period and
// at every resolution. Magma is colour-blind-safe like viridis (lightness falls steadily as the
// score rises), and its warm hues keep the view from being mistaken for the reach view.

/** Magma at 0.9, 0.7, 0.5, 0.3 and 0.1: from low (light peach) to high (near-black). */
export const MAGMA = ['#fecf92', '#f7705c', '#b73779', '#641a80', '#140e36'] as const;

/** Lower bounds of the score classes; the server maps only zones scoring 5 or more. */
export const SCORE_BREAKS = [5, 20, 40, 60, 80] as const;
export const SCORE_MAX = 100;

/** Score legend rows: 5–19, 20–39, 40–59, 60–79, 80–100. */
export function scoreLegend(): LegendClass[] {
	return legendClasses(SCORE_BREAKS, SCORE_MAX, 1, MAGMA);
}

// Hot spots (Gi*): a diverging red–blue scheme (ColorBrewer RdBu, colour-blind-safe), cold dark
// blue through light to hot dark red, always shown with the class's words beside it.

/** In the order of SPOT_CODES: cold 99 % to hot 99 %. */
export const HOTSPOT_COLOURS = ['#2166ac', '#67a9cf', '#d1e5f0', '#fddbc7', '#ef8a62', '#b2182b'] as const;

/** Index into HOTSPOT_COLOURS of a class code, or -1 for none. */
export function hotspotIndex(code: number): number {
	return (SPOT_CODES as readonly number[]).indexOf(code);
}
