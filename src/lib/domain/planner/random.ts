// A tiny seeded PRNG for the planner's randomised searches. WHY our own: Math.random cannot be
// seeded, and a plan must come out the same for the same input (tests, replanning in the browser
// and the check on the server agree). mulberry32: one 32-bit state word, a few integer ops a
// draw, good enough to shuffle a search. Not for cryptography. (The demo has its own generator
// in server code, which domain code must not import.)

/** A generator of floats in [0, 1), the same sequence for the same seed. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
	return Math.floor(rng() * n);
}
