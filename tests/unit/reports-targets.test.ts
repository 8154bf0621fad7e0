// Referrals by target category (domain/reports/targets.ts) on hand-computed cases: the split per
// area with the unknown rest, its publication, the split an area's referrals are guarded
// against, and the words of the table's category column.
import { describe, expect, it } from 'vitest';
import { bounds, cellKey, guardValue, publishValue } from '../../src/lib/domain/privacy';
import { publishTargets, referralSplit, targetsByGroup, UNKNOWN_TARGET } from '../../src/lib/domain/reports/targets';
import { targetTexts } from '../../src/lib/components/report-text';

const K = 5;

describe('referrals by target category', () => {
	// three cells: a (area N) 7 referrals, 4 to target 1 and 1 to target 2; b (N) 2 referrals
	// without a target; c (area Z) 3 referrals to target 1
	const cols = { cells: ['a', 'b', 'c'], referrals: [7, 2, 3], referralKeys: [200, 30, 10] };
	const known = [
		{ cell: 'a', target: 1, n: 4, key: 250 },
		{ cell: 'a', target: 2, n: 1, key: 100 },
		{ cell: 'c', target: 1, n: 3, key: 10 }
	];
	const areaOf = (cell: string) => (cell === 'c' ? 'Z' : 'N');

	it('splits each area by target, the rest of its referrals (and their keys) as unknown', () => {
		const byArea = targetsByGroup(cols, known, areaOf);
		expect(byArea.get('N')).toEqual(
			new Map([
				[1, { n: 4, key: 250 }],
				[2, { n: 1, key: 100 }],
				// a: 7 − 5 = 2 with keys 200 − 350 = −150 ≡ 106; b: 2 with 30
				[UNKNOWN_TARGET, { n: 4, key: 136 }]
			])
		);
		expect(byArea.get('Z')).toEqual(new Map([[1, { n: 3, key: 10 }]]));
		// the whole: one group
		const all = targetsByGroup(cols, known, () => '').get('')!;
		expect([...all.values()].reduce((s, c) => s + c.n, 0)).toBe(12);
		expect(all.get(1)).toEqual({ n: 7, key: 4 });
	});

	it('publishes each category by the cell-key rule, and guards the referrals against them', () => {
		const byArea = targetsByGroup(cols, known, areaOf);
		const n = publishTargets(byArea.get('N'), K);
		expect(n.get(2)).toBeNull();
		expect(n.get(1)).toBeNull();
		// 20 referrals to one target with key 100 (noise 0): 20
		expect(publishTargets(new Map([[3, { n: 20, key: 100 }]]), K).get(3)).toBe(publishValue(20, cellKey(100, 'referrals'), K));
		// a total of "< k" (at most 6) beside a category of 5 and one of "< k" would pin the latter at
		// 1: the split says so, and the guard raises the total to a class that pins nothing
		const split = referralSplit([5, null, 0], K);
		expect(split.low.referrals).toBe(6);
		expect(split.max.referrals).toBe(5);
		expect([split.low.contacts, split.low.persons]).toEqual([0, 0]);
		const guarded = guardValue(null, K, [{ low: split.low.referrals, max: split.max.referrals }]);
		expect(guarded).toBe(5);
		expect(bounds(guarded, K).hi).toBeGreaterThan(6);
	});

	it('shows the categories with referrals, "< k" for a suppressed one, nothing for a withheld area', () => {
		const r = {
			targets: [
				{ nl: 'CAW', en: 'CAW' },
				{ nl: 'Onbekend', en: 'Unknown' }
			],
			current: {
				byTarget: {
					areas: [
						[10, null, 0],
						[0, null, 0]
					],
					total: [10, 0]
				}
			}
		};
		const c = { tag: 'nl-BE', k: K };
		expect(targetTexts(r, 0, (e) => e.nl, c)).toEqual([{ label: 'CAW', value: '10' }]);
		expect(targetTexts(r, 1, (e) => e.nl, c)).toBeNull();
		expect(targetTexts(r, 2, (e) => e.nl, c)).toEqual([]);
		expect(targetTexts(r, null, (e) => e.en, c)).toEqual([{ label: 'CAW', value: '10' }]);
	});
});
