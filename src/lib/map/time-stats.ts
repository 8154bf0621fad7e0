// The numbers of the coordinators' map over time, as pure functions (no MapLibre): one colour
// scale fixed over all the months of the slider, so a colour means the same count in every month;
// and the change per cell between two periods, in diverging classes around "no change".
import { unpackCell } from '$lib/domain/cells';
import type { HexColumns } from '$lib/api/map';
import { CHANGE_COLOURS } from './colour';
import { classBreaks, classOf, hexRecords, hexStats, legendClasses, type HexStats, type LegendClass } from './stats';

// ---- the month slider --------------------------------------------------------------------------

/** Class breaks over every cell of every month, and the largest count among them. */
export interface MonthScale {
	breaks: number[];
	max: number;
}

/** The scale of all months at once: quantile breaks of the pooled counts of every cell and month. */
export function monthScale(months: readonly HexColumns[]): MonthScale {
	const pooled: number[] = [];
	for (const m of months) for (const c of m.contacts) if (c !== null && c > 0) pooled.push(c);
	return { breaks: classBreaks(pooled), max: pooled.reduce((a, b) => Math.max(a, b), 0) };
}

/** One month's summary, drawn on the fixed scale instead of breaks of its own. */
export function monthStats(data: HexColumns, scale: MonthScale): HexStats {
	return { ...hexStats(data, hexRecords(data)), breaks: scale.breaks, legend: legendClasses(scale.breaks, scale.max) };
}

// ---- two periods compared ----------------------------------------------------------------------

export interface PeriodBounds {
	from: string;
	to: string;
}

export interface CellChange {
	cell: string;
	a: number;
	b: number;
	/** b − a. */
	change: number;
}

export interface ChangeStats {
	res: number;
	a: PeriodBounds;
	b: PeriodBounds;
	/** Every cell with contacts in either period, by cell id. */
	cells: ReadonlyMap<string, CellChange>;
	/** Lower bounds of the size of a change, ascending (up to 3 classes each way). */
	breaks: number[];
	/** Seven rows, largest fall first; rows of classes no cell falls in are left out. */
	legend: (LegendClass & { cls: number })[];
	totals: { a: number; b: number };
	/** Cells with more, fewer and as many contacts in b as in a. */
	counts: { up: number; down: number; same: number };
	/** The largest changes, both ways, largest first. */
	top: CellChange[];
}

/** The neutral class (no change) in CHANGE_COLOURS; falls below it, rises above it. */
export const NO_CHANGE_CLASS = (CHANGE_COLOURS.length - 1) / 2;

/** The diverging class of a change: NO_CHANGE_CLASS ± (1 + its size class). */
export function changeClass(change: number, breaks: readonly number[]): number {
	if (change === 0 || breaks.length === 0) return NO_CHANGE_CLASS;
	const size = classOf(Math.abs(change), breaks) + 1;
	return change > 0 ? NO_CHANGE_CLASS + size : NO_CHANGE_CLASS - size;
}

/** Counts per cell in two periods (exact counts: coordinators only) set against each other. */
export function changeStats(a: HexColumns, b: HexColumns, topN = 10): ChangeStats {
	if (a.res !== b.res) throw new Error(`periods at different resolutions: ${a.res} and ${b.res}`);
	const cells = new Map<string, CellChange>();
	const add = (data: HexColumns, side: 'a' | 'b') => {
		data.cells.forEach((packed, i) => {
			const cell = unpackCell(packed, data.res);
			const n = data.contacts[i] ?? 0;
			const entry = cells.get(cell) ?? { cell, a: 0, b: 0, change: 0 };
			entry[side] += n;
			entry.change = entry.b - entry.a;
			cells.set(cell, entry);
		});
	};
	add(a, 'a');
	add(b, 'b');
	for (const [cell, c] of cells) if (c.a === 0 && c.b === 0) cells.delete(cell);
	const changes = [...cells.values()];
	const breaks = classBreaks(
		changes.map((c) => Math.abs(c.change)),
		NO_CHANGE_CLASS
	);
	const max = changes.reduce((m, c) => Math.max(m, Math.abs(c.change)), 0);
	const sizes = legendClasses(
		breaks,
		max,
		1,
		breaks.map(() => '')
	);
	const legend: ChangeStats['legend'] = [
		...sizes.map((s, i) => ({ from: -s.to, to: -s.from, cls: NO_CHANGE_CLASS - 1 - i, colour: CHANGE_COLOURS[NO_CHANGE_CLASS - 1 - i]! })).reverse(),
		{ from: 0, to: 0, cls: NO_CHANGE_CLASS, colour: CHANGE_COLOURS[NO_CHANGE_CLASS]! },
		...sizes.map((s, i) => ({ from: s.from, to: s.to, cls: NO_CHANGE_CLASS + 1 + i, colour: CHANGE_COLOURS[NO_CHANGE_CLASS + 1 + i]! }))
	];
	const sum = (side: 'a' | 'b') => changes.reduce((s, c) => s + c[side], 0);
	return {
		res: a.res,
		a: { from: a.from, to: a.to },
		b: { from: b.from, to: b.to },
		cells,
		breaks,
		legend,
		totals: { a: sum('a'), b: sum('b') },
		counts: {
			up: changes.filter((c) => c.change > 0).length,
			down: changes.filter((c) => c.change < 0).length,
			same: changes.filter((c) => c.change === 0).length
		},
		top: changes
			.filter((c) => c.change !== 0)
			.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.cell.localeCompare(y.cell))
			.slice(0, topN)
	};
}

/** Feature-state class of every cell with contacts in either period. */
export function changeClasses(stats: ChangeStats): Map<string, number> {
	return new Map([...stats.cells].map(([cell, c]) => [cell, changeClass(c.change, stats.breaks)]));
}
