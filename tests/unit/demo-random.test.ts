// The demo PRNG must be deterministic (same seed, same demo everywhere) and its helpers must
// produce the distributions they promise, or the demo patterns would be artefacts.
import { describe, expect, it } from 'vitest';
import { Random, hashSeed, weightedSampler } from '../../src/lib/server/demo/random';

const draw = (r: Random, n: number) => Array.from({ length: n }, () => r.next());

describe('Random', () => {
	it('repeats exactly for the same seed and label', () => {
		expect(draw(new Random(42), 1000)).toEqual(draw(new Random(42), 1000));
		expect(draw(new Random(42, 'x'), 50)).toEqual(draw(new Random(42, 'x'), 50));
	});

	it('differs between seeds and between labels of one seed', () => {
		expect(draw(new Random(42), 10)).not.toEqual(draw(new Random(43), 10));
		expect(draw(new Random(42, 'contacts'), 10)).not.toEqual(draw(new Random(42, 'signals'), 10));
		expect(hashSeed(1, 'a')).not.toBe(hashSeed(1, 'b'));
	});

	it('next() stays in [0, 1) with a mean near 1/2', () => {
		const xs = draw(new Random(7), 100_000);
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...xs)).toBeLessThan(1);
		expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 2);
	});

	it('int() covers both ends of its inclusive range and nothing outside', () => {
		const r = new Random(3);
		const seen = new Set(Array.from({ length: 2000 }, () => r.int(2, 6)));
		expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
	});

	it('normal() has the asked mean and standard deviation', () => {
		const r = new Random(11);
		const xs = Array.from({ length: 50_000 }, () => r.normal(10, 3));
		const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
		const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
		expect(mean).toBeCloseTo(10, 1);
		expect(sd).toBeCloseTo(3, 1);
	});

	it('poisson() has mean lambda', () => {
		const r = new Random(5);
		const xs = Array.from({ length: 50_000 }, () => r.poisson(1.6));
		expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(1.6, 1);
		expect(Math.min(...xs)).toBe(0);
	});

	it('weightedIndex and weightedSampler follow the weights and never pick a zero weight', () => {
		const weights = [1, 0, 3, 6];
		const r1 = new Random(9);
		const sample = weightedSampler(weights);
		const a = [0, 0, 0, 0];
		const b = [0, 0, 0, 0];
		for (let i = 0; i < 100_000; i++) {
			a[r1.weightedIndex(weights)]!++;
			b[sample(r1)]!++;
		}
		for (const counts of [a, b]) {
			expect(counts[1]).toBe(0);
			expect(counts[0]! / 100_000).toBeCloseTo(0.1, 1);
			expect(counts[2]! / 100_000).toBeCloseTo(0.3, 1);
			expect(counts[3]! / 100_000).toBeCloseTo(0.6, 1);
		}
	});

	it('rejects impossible weight lists', () => {
		expect(() => weightedSampler([0, 0])).toThrow();
		expect(() => new Random(1).weightedIndex([0])).toThrow();
		expect(() => new Random(1).pick([])).toThrow();
	});
});
