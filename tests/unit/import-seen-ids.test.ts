import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeenIds } from '../../src/lib/domain/import/seen-ids';

describe('SeenIds', () => {
	it('agrees with a Map on any sequence of ids and contents', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom('a', 'b', 'c')), { maxLength: 3000 }), (rows) => {
				const seen = new SeenIds();
				const model = new Map<string, { row: number; key: string }>();
				rows.forEach(([id, key], row) => {
					const got = seen.check(id, key, row);
					const first = model.get(id);
					if (!first) {
						model.set(id, { row, key });
						expect(got).toEqual({ kind: 'new' });
					} else expect(got).toEqual({ kind: first.key === key ? 'same' : 'conflict', first: first.row });
				});
				expect(seen.size).toBe(model.size);
			}),
			{ numRuns: 200 }
		);
	});

	it('holds a million ids in tens of megabytes', () => {
		const seen = new SeenIds();
		const before = process.memoryUsage().arrayBuffers;
		for (let i = 0; i < 1_000_000; i++) seen.check(`demo-c-${i}`, 'k' + (i % 97), i + 2);
		expect(seen.size).toBe(1_000_000);
		expect(seen.check('demo-c-123456', 'k' + (123456 % 97), 5)).toEqual({ kind: 'same', first: 123458 });
		expect((process.memoryUsage().arrayBuffers - before) / 2 ** 20).toBeLessThan(64);
	});
});
