// Period labels of a trend in the UI language: "K1 2026" / "Q1 2026" for quarters (the key
// "2026-Q1"), "mrt. 2026" / "Mar 2026" for months (the key "2026-03").
import type { TrendPeriod } from '$lib/domain/reports-trend';

export function periodLabel(p: Pick<TrendPeriod, 'key'>, tag: string, quarterText: (q: number, year: number) => string): string {
	const quarter = /^(\d{4})-Q([1-4])$/.exec(p.key);
	if (quarter) return quarterText(Number(quarter[2]), Number(quarter[1]));
	const d = new Date(`${p.key}-15T12:00:00Z`);
	return new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}
