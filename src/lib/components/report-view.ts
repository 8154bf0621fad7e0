// The coverage report page's state, all of it in the URL query so that reloading or sharing the
// address reopens the same report (layer, period, comparison, sort, search), and the table's
// rows sorted by any column. Pure.
import type { CoverageReport } from '$lib/api/reports';
import { change, type Change } from '$lib/domain/reports/indicators';
import { FIGURES, type Figure } from '$lib/domain/reports/row';
import type { Comparison } from './report-text';

/** A column, or the referrals to one target category (`target:<code>`). */
export type SortKey = 'name' | Figure | `target:${string}`;
export type SortDir = 'ascending' | 'descending';

export interface ReportView {
	layer: string | null;
	from: string | null;
	to: string | null;
	cmp: Comparison;
	sort: SortKey;
	dir: SortDir;
	q: string;
}

const SORT_KEYS: readonly SortKey[] = ['name', ...FIGURES];

export function readView(p: URLSearchParams): ReportView {
	const sort = p.get('sort') as SortKey | null;
	return {
		layer: p.get('layer') || null,
		from: p.get('from') || null,
		to: p.get('to') || null,
		cmp: p.get('cmp') === 'yearEarlier' ? 'yearEarlier' : 'previous',
		sort: sort && (SORT_KEYS.includes(sort) || /^target:[^\s]+$/.test(sort)) ? sort : 'name',
		dir: p.get('dir') === 'descending' ? 'descending' : 'ascending',
		q: p.get('q') ?? ''
	};
}

/** The view as a query string, leaving out what is at its default. */
export function writeView(v: ReportView): string {
	const p = new URLSearchParams();
	if (v.layer) p.set('layer', v.layer);
	if (v.from) p.set('from', v.from);
	if (v.to) p.set('to', v.to);
	if (v.cmp !== 'previous') p.set('cmp', v.cmp);
	if (v.sort !== 'name') p.set('sort', v.sort);
	if (v.dir !== 'ascending') p.set('dir', v.dir);
	if (v.q) p.set('q', v.q);
	return p.toString();
}

export interface AreaRow {
	code: string;
	name: string;
	population: number | null;
	values: Record<Figure, number | null>;
	changes: Record<Figure, Change>;
	/** Referrals per target category code (null: "< k", or none published). */
	byTarget: Record<string, number | null>;
}

function rowOf(
	r: CoverageReport,
	cmp: Comparison,
	at: (f: Figure, period: 'current' | Comparison) => number | null
): Omit<AreaRow, 'code' | 'name' | 'population' | 'byTarget'> {
	const values = {} as Record<Figure, number | null>;
	const changes = {} as Record<Figure, Change>;
	for (const f of FIGURES) {
		values[f] = at(f, 'current');
		changes[f] = change(values[f], at(f, cmp));
	}
	return { values, changes };
}

/** The areas' rows: their figures and the change against the chosen comparison. */
export function areaRows(r: CoverageReport, cmp: Comparison): AreaRow[] {
	return r.areas.codes.map((code, i) => ({
		code,
		name: r.areas.names[i]!,
		population: r.areas.population[i]!,
		...rowOf(r, cmp, (f, p) => r[p].areas[f][i]!),
		byTarget: Object.fromEntries(r.targets.map((t, j) => [t.code, r.current.byTarget.areas[j]?.[i] ?? null]))
	}));
}

/** The organisation's total row. */
export function totalRow(r: CoverageReport, cmp: Comparison, name: string): AreaRow {
	const known = r.areas.population.filter((p): p is number => p !== null);
	return {
		code: '',
		name,
		population: known.length ? known.reduce((a, b) => a + b, 0) : null,
		...rowOf(r, cmp, (f, p) => r[p].total[f]),
		byTarget: Object.fromEntries(r.targets.map((t, j) => [t.code, r.current.byTarget.total[j] ?? null]))
	};
}

/** Rows whose name holds the search text (any case), sorted; unknown values always last. */
export function visibleRows(rows: readonly AreaRow[], v: Pick<ReportView, 'q' | 'sort' | 'dir'>, tag: string): AreaRow[] {
	const q = v.q.trim().toLocaleLowerCase(tag);
	const sign = v.dir === 'ascending' ? 1 : -1;
	const byName = (a: AreaRow, b: AreaRow) => a.name.localeCompare(b.name, tag) || a.code.localeCompare(b.code);
	const target = v.sort.startsWith('target:') ? v.sort.slice('target:'.length) : null;
	const valueOf = (r: AreaRow) => (target !== null ? (r.byTarget[target] ?? null) : r.values[v.sort as Figure]);
	return rows
		.filter((r) => !q || r.name.toLocaleLowerCase(tag).includes(q))
		.sort((a, b) => {
			if (v.sort === 'name') return sign * byName(a, b);
			const x = valueOf(a);
			const y = valueOf(b);
			if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
			return sign * (x - y) || byName(a, b);
		});
}
