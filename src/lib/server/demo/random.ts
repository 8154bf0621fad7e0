// A small seeded pseudo-random generator for the demo data. WHY our own: Math.random cannot be
// seeded, and the demo must come out identical on every machine for the same seed (tests compare
// checksums, screenshots stay stable). sfc32 (Chris Doty-Humphrey's "small fast counting" PRNG)
// passes PractRand, has a period of at least 2^32 per seed stream and costs a few integer ops per
// draw, so a million contact rows stay cheap. Not for cryptography.

/** 32-bit string/number hash (FNV-1a) to turn a seed plus a label into an independent stream. */
export function hashSeed(seed: number, label = ''): number {
	let h = 0x811c9dc5 ^ (seed >>> 0);
	h = Math.imul(h, 0x01000193);
	for (let i = 0; i < label.length; i++) {
		h ^= label.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

export class Random {
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	private spare: number | null = null;

	/**
	 * `label` derives a separate stream from the same seed, so e.g. the services do not change
	 * when the number of contacts does.
	 */
	constructor(seed: number, label = '') {
		// splitmix32 spreads one 32-bit seed over the four state words, then we warm up.
		let s = hashSeed(seed, label);
		const next = () => {
			s = (s + 0x9e3779b9) | 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** Uniform in [0, 1). */
	next(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** Uniform in [min, max). */
	uniform(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** Integer in [min, max] inclusive. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Gaussian (Box–Muller; the second value is kept for the next call). */
	normal(mean = 0, sd = 1): number {
		if (this.spare !== null) {
			const z = this.spare;
			this.spare = null;
			return mean + sd * z;
		}
		let u = 0;
		while (u === 0) u = this.next();
		const v = this.next();
		const r = Math.sqrt(-2 * Math.log(u));
		this.spare = r * Math.sin(2 * Math.PI * v);
		return mean + sd * r * Math.cos(2 * Math.PI * v);
	}

	/** Poisson count (Knuth's method: fine for the small means used here, λ < ~30). */
	poisson(lambda: number): number {
		if (lambda <= 0) return 0;
		const limit = Math.exp(-lambda);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** Index drawn with probability proportional to weights[i] (weights >= 0, not all 0). */
	weightedIndex(weights: readonly number[]): number {
		let total = 0;
		for (const w of weights) total += w;
		let x = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			x -= weights[i]!;
			if (x < 0) return i;
		}
		// rounding left x at ~0: return the last index with a positive weight
		for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
		throw new Error('weightedIndex: all weights are zero');
	}

	pickWeighted<T>(items: readonly T[], weights: readonly number[]): T {
		return items[this.weightedIndex(weights)]!;
	}
}

/**
 * A sampler for a fixed weight list: cumulative sums once, then a binary search per draw.
 * WHY: the contact generator draws from the same distributions a million times.
 */
export function weightedSampler(weights: readonly number[]): (rng: Random) => number {
	const cum = new Float64Array(weights.length);
	let total = 0;
	weights.forEach((w, i) => {
		if (!(w >= 0)) throw new Error(`weight ${i} is not >= 0`);
		total += w;
		cum[i] = total;
	});
	if (total <= 0) throw new Error('weightedSampler: all weights are zero');
	return (rng) => {
		const x = rng.next() * total;
		let lo = 0;
		let hi = cum.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cum[mid]! > x) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	};
}
