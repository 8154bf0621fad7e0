// The evening map's colours and line patterns per round, apart from evening-map.ts so the page's
// cards and legend use them without MapLibre. Okabe–Ito colours (distinguishable with every
// common colour-vision deficiency); never colour alone: each round also has its own letter on
// every stop (A1, B2…) and its own dash pattern on the walk.
export const EVENING_ROUND_STYLES = [
	{ letter: 'A', colour: '#E69F00', dash: [1, 0] },
	{ letter: 'B', colour: '#0072B2', dash: [4, 2] },
	{ letter: 'C', colour: '#009E73', dash: [1, 1.5] },
	{ letter: 'D', colour: '#CC79A7', dash: [6, 2, 1, 2] },
	{ letter: 'E', colour: '#D55E00', dash: [3, 1, 1, 1] }
] as const;

/** Zones no round visits (yet): a dashed grey outline. */
export const EVENING_FREE_COLOUR = '#555555';

export function roundStyle(i: number) {
	return EVENING_ROUND_STYLES[i % EVENING_ROUND_STYLES.length]!;
}
