// The round page's planning state (components/rounds/round-plan.svelte.ts): how the draft starts,
// and what each of the coordinator's actions does to it and to what follows from it.
import { describe, expect, it } from 'vitest';
import { gridDisk, latLngToCell } from 'h3-js';
import { RoundPlan, startIndex, type PlanData, type PlanTexts } from '../../src/lib/components/rounds/round-plan.svelte';
import { routePayload } from '../../src/lib/components/round-route';
import { orderRoute, routeOf } from '../../src/lib/domain/round-route';

// Sint-Pietersstation and zones around it at resolution 9 (centres ~350 m apart).
const station = latLngToCell(51.0357, 3.7101, 9);
const ring = (k: number) => gridDisk(station, k).filter((c) => !gridDisk(station, k - 1).includes(c));
const r2 = ring(2);
const r6 = ring(6);
const signals = (count: number) => [{ kind: 'signals' as const, points: 10 * count, count }];

const texts: PlanTexts = {
	autoNone: () => 'none fits',
	autoTooSmall: (minutes) => `needs ${minutes} min`,
	moved: (cell, at) => `moved ${cell} to ${at}`,
	removed: (cell, at) => `removed ${cell} at ${at}`
};

/** A coordinator's round of 150 minutes from the station, with two saved stops. */
function roundData(over: Partial<PlanData> = {}): PlanData {
	return {
		round: { roundId: 7, startCell: station, startLabel: 'Station', budgetMinutes: 150 },
		stops: [
			{ cell: r2[0]!, dwellMinutes: 15, score: 40, reasons: signals(4) },
			{ cell: r2[3]!, dwellMinutes: 20, score: null, reasons: [] }
		],
		starts: [
			{ cell: r6[0]!, label: 'Inloopcentrum' },
			{ cell: station, label: 'Other name' },
			{ cell: station, label: 'Station' }
		],
		zones: [...r2, ...r6.slice(0, 6)].map((cell, i) => ({ cell, score: 10 + i, reasons: signals(i + 1) })),
		canEdit: true,
		planningRes: 9,
		defaultDwell: 15,
		maxDwell: 240,
		...over
	};
}

function planOf(over: Partial<PlanData> = {}) {
	let data = roundData(over);
	const plan = new RoundPlan(() => data, texts);
	return { plan, set: (d: Partial<PlanData>) => (data = { ...data, ...d }), data: () => data };
}

describe('round plan', () => {
	it('starts as the saved route, unchanged', () => {
		const { plan, data } = planOf();
		expect(plan.startChoice).toBe('2'); // the start with this cell and label, not only the cell
		expect(plan.start).toEqual({ cell: station, label: 'Station' });
		expect(plan.dwellInput).toBe(15);
		expect(plan.chosen).toEqual(data().stops.map(({ cell, dwellMinutes, score, reasons }) => ({ cell, dwellMinutes, score, reasons })));
		expect(plan.dirty).toBe(false);
		expect(plan.announcement).toBe('');
		expect(plan.busy).toBe(false);
		expect(plan.budget).toBe(150);
		expect(plan.saved).toEqual(routeOf(station, data().stops));
		expect(plan.draft).toEqual(plan.saved);
		expect(plan.over).toBe(plan.draft.totalMinutes - 150);
		expect(plan.payload).toBe(routePayload({ cell: station, label: 'Station' }, plan.chosen));
	});

	it('finds the start select value of a saved start by cell and label, else by cell', () => {
		const starts = roundData().starts;
		expect(startIndex(starts, station, 'Station')).toBe('2');
		expect(startIndex(starts, station, 'Renamed')).toBe('1');
		expect(startIndex(starts, r6[0]!, 'Inloopcentrum')).toBe('0');
		expect(startIndex(starts, r2[1]!, 'Gone')).toBe('');
		expect(startIndex(starts, null, null)).toBe('');
		// without a saved start the route starts in its first zone
		const { plan } = planOf({ round: { roundId: 7, startCell: null, startLabel: null, budgetMinutes: 150 } });
		expect(plan.start).toBeNull();
		expect(plan.draft.start).toBe(r2[0]);
		expect(plan.walkFromStart(r6[0]!)).toBeNull();
	});

	it('takes a typed minutes per zone only when it is a whole number from 0 to the maximum', () => {
		const { plan } = planOf();
		plan.dwellInput = 20;
		expect([plan.dwellValid, plan.dwell]).toEqual([true, 20]);
		for (const bad of [null, 7.5, -5, 241]) {
			plan.dwellInput = bad;
			expect([plan.dwellValid, plan.dwell]).toEqual([false, 15]);
		}
		plan.dwellInput = 0;
		expect([plan.dwellValid, plan.dwell]).toEqual([true, 0]);
	});

	it('ticks a zone in at the end with the current minutes, ticks it out again, and knows the draft changed', () => {
		const { plan, data } = planOf();
		const zone = data().zones.find((z) => z.cell === r6[1])!;
		expect(plan.candidates.map((c) => c.cell)).toContain(zone.cell);
		plan.dwellInput = 25;
		plan.toggle(zone.cell);
		expect(plan.chosen.at(-1)).toEqual({ cell: zone.cell, dwellMinutes: 25, score: zone.score, reasons: zone.reasons });
		expect(plan.chosenCells.has(zone.cell)).toBe(true);
		expect(plan.dirty).toBe(true);
		expect(plan.mapView.stops).toEqual(plan.chosen.map((s) => s.cell));
		plan.toggle(zone.cell);
		expect(plan.chosen.map((s) => s.cell)).toEqual([r2[0], r2[3]]);
		expect(plan.dirty).toBe(false);
		// a saved stop that is no longer a candidate zone can still be taken out
		const { plan: p2 } = planOf({ zones: [] });
		p2.toggle(r2[3]!);
		expect(p2.chosen.map((s) => s.cell)).toEqual([r2[0]]);
		p2.toggle('8919999999fffff');
		expect(p2.chosen.map((s) => s.cell)).toEqual([r2[0]]);
	});

	it('takes the start chosen in the searchable list by its cell and name, or none', () => {
		const { plan } = planOf();
		plan.chooseStart(r6[0]!, 'Inloopcentrum');
		expect(plan.start).toEqual({ cell: r6[0], label: 'Inloopcentrum' });
		expect(plan.dirty).toBe(true);
		// two places on one cell: the one whose name was chosen
		plan.chooseStart(station, 'Other name');
		expect(plan.startChoice).toBe('1');
		plan.chooseStart(station, 'Station');
		expect(plan.startChoice).toBe('2');
		expect(plan.dirty).toBe(false);
		// none: the route starts in its first zone
		plan.chooseStart(null);
		expect([plan.start, plan.startCell]).toEqual([null, null]);
		expect(plan.walkFromStart(r2[0]!)).toBeNull();
		expect(JSON.parse(plan.payload).start).toBeNull();
	});

	it('marks another start, other minutes or another order as unsaved', () => {
		const { plan } = planOf();
		plan.startChoice = '1';
		expect(plan.dirty).toBe(true); // same cell, another label
		plan.startChoice = '2';
		plan.chosen = [{ ...plan.chosen[0]!, dwellMinutes: 30 }, plan.chosen[1]!];
		expect(plan.dirty).toBe(true);
		plan.chosen = [{ ...plan.chosen[0]!, dwellMinutes: 15 }, plan.chosen[1]!];
		expect(plan.dirty).toBe(false);
		plan.move(0, 1);
		expect(plan.dirty).toBe(true);
	});

	it('chooses automatically within the budget, with the zones’ scores and reasons', () => {
		const { plan, set, data } = planOf();
		plan.announcement = 'earlier';
		plan.chooseAutomatically();
		expect(plan.chosen.length).toBeGreaterThan(0);
		expect(plan.draft.totalMinutes).toBeLessThanOrEqual(150 + 1e-9);
		expect(plan.over).toBeLessThanOrEqual(0);
		for (const s of plan.chosen) {
			const z = data().zones.find((x) => x.cell === s.cell)!;
			expect(s).toEqual({ cell: z.cell, dwellMinutes: 15, score: z.score, reasons: z.reasons });
		}
		expect(plan.announcement).toBe('');
		// nothing to choose from: the draft empties and the page says so
		set({ zones: [] });
		expect(plan.candidates).toEqual([]);
		plan.chooseAutomatically();
		expect(plan.chosen).toEqual([]);
		expect(plan.announcement).toBe('none fits');
		expect(plan.autoProblem).toBe('none fits');
	});

	it('says the budget is too small, with the minutes one zone needs, instead of an empty plan', () => {
		const { plan, set } = planOf();
		// 60 minutes in each zone with a 30-minute budget: no zone is within reach, none fits
		set({ round: { ...roundData().round, budgetMinutes: 30 } });
		plan.dwellInput = 60;
		expect(plan.candidates).toEqual([]);
		plan.chooseAutomatically();
		expect(plan.chosen).toEqual([]);
		// the nearest zone (ring 2, ~700 m there and back at 4.5 km/h × 1.3) and 60 minutes in it
		const nearest = Math.min(...roundData().zones.map((z) => routeOf(station, [{ cell: z.cell, dwellMinutes: 60 }]).totalMinutes));
		expect(plan.autoProblem).toBe(`needs ${Math.ceil(nearest)} min`);
		expect(plan.announcement).toBe(plan.autoProblem);
		// a budget that fits: the plan comes, the problem goes
		set({ round: { ...roundData().round, budgetMinutes: 150 } });
		plan.chooseAutomatically();
		expect(plan.chosen.length).toBeGreaterThan(0);
		expect(plan.autoProblem).toBe('');
	});

	it('goes over the budget when too many zones are ticked', () => {
		const { plan, set } = planOf();
		set({ round: { ...roundData().round, budgetMinutes: 60 } });
		expect(plan.budget).toBe(60);
		for (const c of plan.candidates) if (!plan.chosenCells.has(c.cell)) plan.toggle(c.cell);
		expect(plan.over).toBeGreaterThan(0);
		expect(plan.over).toBeCloseTo(plan.draft.totalMinutes - 60, 9);
	});

	it('orders the chosen zones into the shortest walk, keeping each stop as it was', () => {
		const { plan } = planOf();
		plan.chosen = [0, 18, 6, 24, 12, 30].map((i, j) => ({ cell: r6[i]!, dwellMinutes: 10 + j, score: j, reasons: [] }));
		const before = plan.chosen;
		plan.optimise();
		expect(plan.chosen.map((s) => s.cell)).toEqual(orderRoute(before, station).stops.map((s) => s.cell));
		expect(new Set(plan.chosen)).toEqual(new Set(before));
		expect(plan.draft.walkingMinutes).toBeLessThan(routeOf(station, before).walkingMinutes);
	});

	it('moves a stop and takes one out, saying what happened', () => {
		const { plan } = planOf();
		plan.toggle(r6[2]!);
		expect(plan.move(0, 1)).toBe(r2[0]);
		expect(plan.chosen.map((s) => s.cell)).toEqual([r2[3], r2[0], r6[2]]);
		expect(plan.announcement).toBe(`moved ${r2[0]} to 1`);
		plan.remove(1);
		expect(plan.chosen.map((s) => s.cell)).toEqual([r2[3], r6[2]]);
		expect(plan.announcement).toBe(`removed ${r2[0]} at 1`);
	});

	it('keeps the draft through a save, and starts afresh when the page shows another round', () => {
		const { plan, set } = planOf();
		plan.toggle(r6[1]!);
		const draft = plan.chosen;
		// the save reloads the data: the draft is now the saved route
		set({ stops: routeOf(station, draft).stops.map((s, i) => ({ ...s, score: draft[i]!.score, reasons: draft[i]!.reasons })) });
		plan.follow();
		expect(plan.chosen).toBe(draft);
		expect(plan.dirty).toBe(false);
		// Back to another round: its saved route, its start, the default minutes
		plan.dwellInput = 30;
		plan.announcement = 'moved';
		set({ round: { roundId: 8, startCell: r6[0]!, startLabel: 'Inloopcentrum', budgetMinutes: 90 }, stops: [] });
		plan.follow();
		expect([plan.startChoice, plan.dwellInput, plan.chosen, plan.announcement]).toEqual(['0', 15, [], '']);
		expect(plan.budget).toBe(90);
		expect(plan.dirty).toBe(false);
	});

	it('shows the saved route on the map to who cannot edit, and offers them nothing', () => {
		const { plan, data } = planOf({ canEdit: false });
		expect(plan.candidates).toEqual([]);
		expect(plan.dirty).toBe(false);
		expect(plan.mapView).toEqual({ start: station, stops: data().stops.map((s) => s.cell), candidates: [], res: 9 });
		const { plan: editing } = planOf();
		expect(editing.mapView).toEqual({
			start: station,
			stops: editing.chosen.map((s) => s.cell),
			candidates: editing.candidates.map((c) => c.cell),
			res: 9
		});
		expect(editing.walkFromStart(r2[0]!)).toBe(Math.round(routeOf(station, [{ cell: r2[0]!, dwellMinutes: 0 }]).stops[0]!.walkMinutes));
	});

	it('is busy while the route or the budget is being saved', async () => {
		const { plan } = planOf();
		let release = () => {};
		const done = plan.save()({ update: () => new Promise<void>((r) => (release = r)) });
		expect([plan.busy, plan.budgetBusy]).toEqual([true, false]);
		release();
		await done;
		expect(plan.busy).toBe(false);
		const budgetDone = plan.budgetSave()({ update: async (o) => expect(o).toEqual({ reset: false }) });
		expect(plan.budgetBusy).toBe(true);
		await budgetDone;
		expect(plan.budgetBusy).toBe(false);
	});
});
