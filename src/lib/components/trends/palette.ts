// Line colours for the trend charts: the Okabe–Ito palette (Okabe & Ito 2008), told apart with
// every common colour vision, in an order that keeps the low-contrast yellow last. Lines past the
// seventh are dashed as well, so no two lines of a chart look alike; the total is a black dashed line.
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const;

export const TOTAL_COLOUR = '#000000';
export const TOTAL_DASH = [6, 4];

export interface LineStyle {
	colour: string;
	/** Canvas dash pattern in px; empty = solid. */
	dash: number[];
}

/** The style of the i-th series line. */
export function lineStyle(i: number): LineStyle {
	const colour = OKABE_ITO[i % OKABE_ITO.length]!;
	return { colour, dash: i < OKABE_ITO.length ? [] : [2, 3] };
}
