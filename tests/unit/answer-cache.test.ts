import { describe, expect, it } from 'vitest';
import { AnswerCache, matches, normaliseMapQuestion, pickEncoding } from '../../src/lib/server/answer-cache';

const entry = (orgId: number, version: bigint, size: number) => ({ orgId, version, body: Buffer.alloc(size), encoded: {}, bytes: size });

describe('answer cache', () => {
	it('drops the least recently used answers beyond its entry and byte bounds', () => {
		const c = new AnswerCache(2, 1000);
		c.set('a', entry(1, 1n, 100));
		c.set('b', entry(1, 1n, 100));
		c.get('a');
		c.set('c', entry(1, 1n, 100));
		expect([c.get('a'), c.get('b'), c.get('c')].map(Boolean)).toEqual([true, false, true]);
		c.set('d', entry(1, 1n, 950));
		expect(c.totalBytes).toBeLessThanOrEqual(1000);
		expect(c.get('d')).toBeDefined();
		c.set('huge', entry(1, 1n, 5000));
		expect(c.get('huge')).toBeUndefined();
	});

	it("forgets an organisation's answers of older versions, and never stores one", () => {
		const c = new AnswerCache(10, 10_000);
		c.set('old', entry(1, 1n, 10));
		c.set('other', entry(2, 1n, 10));
		c.seeVersion(1, 2n);
		expect(c.get('old')).toBeUndefined();
		expect(c.get('other')).toBeDefined();
		c.set('late', entry(1, 1n, 10));
		expect(c.get('late')).toBeUndefined();
	});

	it('compares ETags weakly and reads Accept-Encoding with its weights', () => {
		expect(matches('W/"x"', 'W/"x"')).toBe(true);
		expect(matches('"y", "x"', 'W/"x"')).toBe(true);
		expect(matches('*', 'W/"x"')).toBe(true);
		expect(matches('W/"y"', 'W/"x"')).toBe(false);
		expect(matches(null, 'W/"x"')).toBe(false);
		expect(pickEncoding('gzip, deflate, br')).toBe('br');
		expect(pickEncoding('gzip, br;q=0')).toBe('gzip');
		expect(pickEncoding('identity')).toBeNull();
		expect(pickEncoding(null)).toBeNull();
	});

	it('treats id lists as sets in the key', () => {
		const q = { res: 9, from: '2026-01-01', to: '2026-03-31', types: [3, 1, 3], groups: null, teams: [], bbox: null };
		expect(normaliseMapQuestion(q)).toEqual({ ...q, types: [1, 3] });
	});
});
