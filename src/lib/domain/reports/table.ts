// The coverage report as a table for a file (CSV or XLSX): a head that says what the figures are
// (period, area layer, publication rule, when it was made), then one row per area and the
// organisation's total, each figure beside the quarter before and a year earlier and the
// changes in per cent. In the language of the person downloading. Pure.
import { csvDocument, csvLine } from '../csv';
import { change } from './indicators';
import { NOISE_BOUND } from '../privacy';
import { FIGURES, type Figure, type ReportFigures } from './row';
import type { VocabularyEntry } from '../vocabulary';

export type TableLang = 'nl' | 'en';
export type TableCell = string | number | null;

export interface ReportTableInput {
	layer: string;
	published: { k: number; rounding: number } | null;
	areas: { codes: string[]; names: string[]; population: (number | null)[] };
	/** Referral target categories, in the order of each period's byTarget. */
	targets: VocabularyEntry[];
	current: TablePeriod;
	previous: TablePeriod;
	yearEarlier: TablePeriod;
}

interface TablePeriod {
	from: string;
	to: string;
	areas: { [F in Figure]: (number | null)[] };
	total: ReportFigures;
	byTarget: { areas: (number | null)[][]; total: (number | null)[] };
}

/** Counts an analyst may see suppressed ("< k"); the other figures are null when unknown. */
const COUNTS: readonly Figure[] = ['contacts', 'persons', 'referrals', 'signals'];

const WORDS = {
	nl: {
		title: 'Dekkingsrapport',
		period: 'Periode',
		compared: 'Vergeleken met',
		layer: 'Gebiedslaag',
		rule: 'Publicatieregel',
		exact: 'exacte aantallen (coördinator)',
		published: (k: number, r: number) =>
			`k = ${k}: aantallen van 1 tot ${k - 1} verborgen (< ${k}), andere verstoord volgens de cell-key-methode (ruis -${NOISE_BOUND} tot +${NOISE_BOUND}, vast per cijfer) en afgerond op ${r}; totalen uit de echte aantallen; dagen in hele weken`,
		made: 'Gemaakt op',
		code: 'code',
		area: 'gebied',
		residents: 'inwoners',
		total: 'Organisatie (totaal)',
		previous: 'vorig',
		yearEarlier: 'jaar eerder',
		changePrevious: 'verschil % t.o.v. vorig',
		changeYear: 'verschil % t.o.v. jaar eerder',
		referralsTo: (target: string) => `toeleidingen naar ${target}`,
		figures: {
			contacts: 'contacten',
			persons: 'personen',
			perThousand: 'contacten per 1.000 inwoners',
			coverage: 'dekking %',
			medianDays: 'mediaan dagen sinds laatste bezoek',
			referrals: 'toeleidingen',
			underserved: 'onderbediende zones (score ≥ 50)',
			signals: 'open signalen',
			services: 'diensten in of ≤ 1 km'
		}
	},
	en: {
		title: 'Coverage report',
		period: 'Period',
		compared: 'Compared with',
		layer: 'Area layer',
		rule: 'Publication rule',
		exact: 'exact counts (coordinator)',
		published: (k: number, r: number) =>
			`k = ${k}: counts from 1 to ${k - 1} suppressed (< ${k}), others perturbed by the cell-key method (noise -${NOISE_BOUND} to +${NOISE_BOUND}, fixed per figure) and rounded to ${r}; totals from the true counts; days in whole weeks`,
		made: 'Made at',
		code: 'code',
		area: 'area',
		residents: 'residents',
		total: 'Organisation (total)',
		previous: 'previous',
		yearEarlier: 'year earlier',
		changePrevious: 'change % vs previous',
		changeYear: 'change % vs year earlier',
		referralsTo: (target: string) => `referrals to ${target}`,
		figures: {
			contacts: 'contacts',
			persons: 'persons',
			perThousand: 'contacts per 1,000 residents',
			coverage: 'coverage %',
			medianDays: 'median days since last visit',
			referrals: 'referrals',
			underserved: 'underserved zones (score ≥ 50)',
			signals: 'open signals',
			services: 'services in or ≤ 1 km'
		}
	}
} as const;

export interface ReportTable {
	/** Lines that say what the table holds, before it. */
	head: TableCell[][];
	header: string[];
	/** One row per area, then the total. */
	rows: TableCell[][];
}

/** `madeAt`: local time of the export, as the person reads it (YYYY-MM-DD HH:MM). */
export function reportTable(r: ReportTableInput, lang: TableLang, madeAt: string): ReportTable {
	const w = WORDS[lang];
	const k = r.published?.k ?? null;
	const value = (f: Figure, v: number | null): TableCell => {
		if (v === null) return k !== null && COUNTS.includes(f) ? `< ${k}` : null;
		return f === 'coverage' ? Math.round(v * 1000) / 10 : v;
	};
	const figureCells = (f: Figure, now: number | null, prev: number | null, year: number | null): TableCell[] => [
		value(f, now),
		value(f, prev),
		value(f, year),
		change(now, prev).percent,
		change(now, year).percent
	];
	const columns = (name: string) => [
		name,
		`${name} ${w.previous}`,
		`${name} ${w.yearEarlier}`,
		`${name} ${w.changePrevious}`,
		`${name} ${w.changeYear}`
	];
	const header = [
		w.code,
		w.area,
		w.residents,
		...FIGURES.flatMap((f) => columns(w.figures[f])),
		...r.targets.flatMap((t) => columns(w.referralsTo(t[lang])))
	];
	// a referral category is a count like the referrals ("< k" for analysts)
	const targetCells = (of: (p: TablePeriod, t: number) => number | null) =>
		r.targets.flatMap((_, t) => figureCells('referrals', of(r.current, t), of(r.previous, t), of(r.yearEarlier, t)));
	const rows: TableCell[][] = r.areas.codes.map((code, i) => [
		code,
		r.areas.names[i]!,
		r.areas.population[i] ?? null,
		...FIGURES.flatMap((f) => figureCells(f, r.current.areas[f][i]!, r.previous.areas[f][i]!, r.yearEarlier.areas[f][i]!)),
		...targetCells((p, t) => p.byTarget.areas[t]![i]!)
	]);
	const known = r.areas.population.filter((p): p is number => p !== null);
	rows.push([
		'',
		w.total,
		known.length ? known.reduce((a, b) => a + b, 0) : null,
		...FIGURES.flatMap((f) => figureCells(f, r.current.total[f], r.previous.total[f], r.yearEarlier.total[f])),
		...targetCells((p, t) => p.byTarget.total[t]!)
	]);
	const head: TableCell[][] = [
		[w.title],
		[w.period, r.current.from, r.current.to],
		[w.compared, `${r.previous.from} – ${r.previous.to}`, `${r.yearEarlier.from} – ${r.yearEarlier.to}`],
		[w.layer, r.layer],
		[w.rule, r.published ? w.published(r.published.k, r.published.rounding) : w.exact],
		[w.made, madeAt]
	];
	return { head, header, rows };
}

/** The table as CSV (';'-separated, decimal comma in Dutch), through csv.ts like every CSV. */
export function reportCsv(t: ReportTable, lang: TableLang): string {
	const cell = (v: TableCell) => (typeof v === 'number' && lang === 'nl' ? String(v).replace('.', ',') : v);
	const lines = [...t.head, [], t.header, ...t.rows].map((row) => csvLine(row.map(cell), ';'));
	return csvDocument(lines);
}
