// The hotspots view's class names: a Gi* class code to its key under hotspots.classes.
import { SPOT_CODES } from '$lib/domain/analysis/hotspots';

/** 3 → 'hot99', 2 → 'hot95', 1 → 'hot90', −1 → 'cold90', −2 → 'cold95', −3 → 'cold99'. */
export function spotKey(code: number): string {
	const confidence = [90, 95, 99][Math.abs(code) - 1];
	return `${code > 0 ? 'hot' : 'cold'}${confidence}`;
}

/** Legend order: hot 99 % first, cold 99 % last. */
export const LEGEND_CODES = [...SPOT_CODES].reverse();
