// The coverage report's indicators on hand-computed cases: coverage, per 1,000 residents, the
// median, the comparison periods and changes, the published row and the gap ranking.
import { describe, expect, it } from 'vitest';
import { addMonths, change, comparisonPeriods, coverageShare, median, perThousand } from '../../src/lib/domain/reports/indicators';
import { exactReportRow, publishReportRow, type AreaCounts, type ReportFigures } from '../../src/lib/domain/reports/row';
import { gapRanking, gapReasons, gapScore } from '../../src/lib/domain/reports/gap';
import { distanceToAreaM, pointsNear } from '../../src/lib/domain/reports/areas';
import { cellKey, noiseFor } from '../../src/lib/domain/privacy';

const counts = (o: Partial<AreaCounts> = {}): AreaCounts => ({
	contacts: 0,
	persons: 0,
	referrals: 0,
	visitedCells: 0,
	daysSinceLast: [],
	underserved: 0,
	signals: 0,
	services: 0,
	...o
});
const figures = (o: Partial<ReportFigures> = {}): ReportFigures => ({
	contacts: 0,
	persons: 0,
	perThousand: null,
	coverage: null,
	medianDays: null,
	referrals: 0,
	underserved: 0,
	signals: 0,
	services: 1,
	...o
});

describe('indicators', () => {
	it('coverage is the share of the area’s cells with a contact', () => {
		expect(coverageShare(3, 12)).toBe(0.25);
		expect(coverageShare(0, 12)).toBe(0);
		expect(coverageShare(12, 12)).toBe(1);
		expect(coverageShare(null, 12)).toBeNull();
		expect(coverageShare(2, 0)).toBeNull();
	});

	it('contacts per 1,000 residents, one decimal; unknown without residents', () => {
		expect(perThousand(15, 2000)).toBe(7.5);
		expect(perThousand(1, 3000)).toBe(0.3);
		expect(perThousand(250, 12_345)).toBe(20.3);
		expect(perThousand(5, null)).toBeNull();
		expect(perThousand(5, 0)).toBeNull();
		expect(perThousand(null, 1000)).toBeNull();
	});

	it('median of the days since the last visit', () => {
		expect(median([30, 10, 20])).toBe(20);
		expect(median([10, 21])).toBe(15);
		expect(median([])).toBeNull();
	});

	it('compares a quarter with the one before and the same quarter a year earlier', () => {
		expect(comparisonPeriods({ from: '2026-01-01', to: '2026-03-31' })).toEqual({
			previous: { from: '2025-10-01', to: '2025-12-31' },
			yearEarlier: { from: '2025-01-01', to: '2025-03-31' }
		});
		expect(comparisonPeriods({ from: '2026-04-01', to: '2026-06-30' }).previous).toEqual({ from: '2026-01-01', to: '2026-03-31' });
		// any other period: as many days just before it, and the same days a year earlier
		expect(comparisonPeriods({ from: '2026-03-10', to: '2026-03-19' })).toEqual({
			previous: { from: '2026-02-28', to: '2026-03-09' },
			yearEarlier: { from: '2025-03-10', to: '2025-03-19' }
		});
		expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
		expect(addMonths('2026-05-31', -3)).toBe('2026-02-28');
	});

	it('says the change in per cent, up or down, and new from nothing', () => {
		expect(change(118, 100)).toEqual({ direction: 'up', percent: 18 });
		expect(change(85, 100)).toEqual({ direction: 'down', percent: -15 });
		expect(change(100, 100)).toEqual({ direction: 'same', percent: 0 });
		expect(change(5, 0)).toEqual({ direction: 'new', percent: null });
		expect(change(0, 0)).toEqual({ direction: 'same', percent: 0 });
		expect(change(null, 10)).toEqual({ direction: 'unknown', percent: null });
	});
});

describe('report rows', () => {
	const c = counts({
		contacts: 17,
		persons: 23,
		referrals: 3,
		visitedCells: 6,
		daysSinceLast: [3, 10, 16, 40, 2, 9],
		signals: 2,
		underserved: 1,
		services: 4
	});
	const shape = { cells: 24, population: 4000 };

	it('are exact for coordinators', () => {
		expect(exactReportRow(c, shape)).toEqual({
			contacts: 17,
			persons: 23,
			perThousand: 4.3,
			coverage: 0.25,
			medianDays: 9,
			referrals: 3,
			underserved: 1,
			signals: 2,
			services: 4
		});
	});

	// keys whose noise is 0 (the ptable gives every count a zero noise for some keys)
	const zeroKey = (measure: 'visited' | 'signals') => Array.from({ length: 256 }, (_, x) => x).find((x) => noiseFor(cellKey(x, measure)) === 0)!;
	const keys = (published: { contacts: number | null; persons: number | null; referrals: number | null }) => ({
		published,
		contactKey: zeroKey('visited'),
		signalKey: zeroKey('signals')
	});

	it('are published for analysts, every count through the rule, coverage from the published cells', () => {
		// k = 5, keys with zero noise: contacts, persons and referrals as the map's area total
		// publishes them (given), 6 cells → 5 (5/24), median 9 days → 7, 2 signals → < k
		expect(publishReportRow(c, shape, 5, keys({ contacts: 15, persons: 25, referrals: null }))).toEqual({
			contacts: 15,
			persons: 25,
			perThousand: 3.8,
			coverage: 5 / 24,
			medianDays: 7,
			referrals: null,
			underserved: 1,
			signals: null,
			services: 4
		});
	});

	it('withhold every contact figure of an area with 1..k−1 contacts', () => {
		const small = publishReportRow(
			counts({ contacts: 3, persons: 9, visitedCells: 2, daysSinceLast: [4, 5], referrals: 0 }),
			shape,
			5,
			keys({ contacts: null, persons: 10, referrals: 0 })
		);
		expect(small).toMatchObject({ contacts: null, persons: null, perThousand: null, coverage: null, medianDays: null, referrals: null });
		expect(publishReportRow(counts(), shape, 5, keys({ contacts: 0, persons: 0, referrals: 0 }))).toMatchObject({
			contacts: 0,
			coverage: 0,
			medianDays: null
		});
	});
});

describe('coverage gap', () => {
	it('weighs zones by residents plus the area’s mean residents per zone', () => {
		// 4 zones, 400 residents: mean 100. Scores 60 (300 residents) and 20 (100); two unscored.
		// (60·400 + 20·200) / (400 + 4·100) = 28000 / 800 = 35
		expect(
			gapScore(
				[
					{ score: 60, residents: 300 },
					{ score: 20, residents: 100 }
				],
				4
			)
		).toBe(35);
		// without residents: the plain mean over all zones, (60 + 20 + 0 + 0) / 4
		expect(
			gapScore(
				[
					{ score: 60, residents: 0 },
					{ score: 20, residents: 0 }
				],
				4
			)
		).toBe(20);
		expect(gapScore([], 0)).toBe(0);
	});

	it('gives the reasons that set an area apart from the organisation', () => {
		const org = figures({ coverage: 0.4, perThousand: 10 });
		const area = {
			code: 'B',
			name: 'Zuid',
			zones: [{ score: 72, residents: 10 }],
			zoneCount: 6,
			figures: figures({ coverage: 0.1, perThousand: 2.5, medianDays: 35, signals: null, services: 0 })
		};
		expect(gapReasons(area, org)).toEqual([
			{ kind: 'zones', n: 1, of: 6 },
			{ kind: 'signals', count: null },
			{ kind: 'coverage', share: 0.1, org: 0.4 },
			{ kind: 'perThousand', value: 2.5, org: 10 },
			{ kind: 'lastVisit', days: 35 },
			{ kind: 'noService' }
		]);
		// an area doing better than the organisation has no reasons
		expect(gapReasons({ ...area, zones: [], figures: figures({ coverage: 0.5, perThousand: 12, medianDays: 3 }) }, org)).toEqual([]);
	});

	it('ranks by gap, then by signals, then by name', () => {
		const org = figures();
		const area = (code: string, name: string, score: number, signals = 0) => ({
			code,
			name,
			zones: [{ score, residents: 0 }],
			zoneCount: 1,
			figures: figures({ signals })
		});
		const ranked = gapRanking(
			[area('1', 'Brugse Poort', 10), area('2', 'Muide', 40), area('3', 'Ledeberg', 10, 3), area('4', 'Dampoort', 10, 3)],
			org
		);
		expect(ranked.map((r) => r.name)).toEqual(['Muide', 'Dampoort', 'Ledeberg', 'Brugse Poort']);
	});
});

describe('services near an area', () => {
	const area = {
		type: 'Polygon' as const,
		coordinates: [
			[
				[3.7, 51.05],
				[3.71, 51.05],
				[3.71, 51.06],
				[3.7, 51.06],
				[3.7, 51.05]
			]
		]
	};
	it('measures the distance to the nearest edge, 0 inside', () => {
		expect(distanceToAreaM({ lat: 51.055, lng: 3.705 }, area)).toBe(0);
		// 0.005° of latitude south of the south edge: ~556 m
		expect(distanceToAreaM({ lat: 51.045, lng: 3.705 }, area)).toBeCloseTo(556, -1);
		expect(
			pointsNear(
				[
					{ lat: 51.045, lng: 3.705 },
					{ lat: 51.03, lng: 3.705 },
					{ lat: 51.055, lng: 3.705 }
				],
				area,
				1000
			)
		).toBe(2);
	});
});
