// The coverage report's figures, changes and gap reasons in words ("+18 % t.o.v. vorig
// kwartaal", "2 van 8 zones onderbediend"), in the UI language. Pure: the caller hands in the
// translate function and the locale's number format, as for the underserved reasons.
import { changeArrow, type Change } from '$lib/domain/reports/indicators';
import type { Figure } from '$lib/domain/reports/row';
import type { GapReason } from '$lib/domain/reports/gap';
import type { Translate } from './underserved';

export type Comparison = 'previous' | 'yearEarlier';

export interface ReportTextContext {
	t: Translate;
	/** BCP 47 tag for numbers. */
	tag: string;
	/** Analysts' threshold: a null count reads "< k". Null for exact figures. */
	k: number | null;
	/** The period is a calendar quarter ("vorig kwartaal") rather than any period ("vorige periode"). */
	quarterly: boolean;
}

export const COUNTS: readonly Figure[] = ['contacts', 'persons', 'referrals', 'signals'];

/** A figure as the table shows it: "< 5" for a suppressed count, "–" for an unknown figure. */
export function figureText(f: Figure, v: number | null, c: Pick<ReportTextContext, 'tag' | 'k'>): string {
	if (v === null) return c.k !== null && COUNTS.includes(f) ? `< ${c.k}` : '–';
	if (f === 'coverage') return new Intl.NumberFormat(c.tag, { style: 'percent', maximumFractionDigits: 1 }).format(v);
	return new Intl.NumberFormat(c.tag, { maximumFractionDigits: 1 }).format(v);
}

/** What the change is against, in words: "vorig kwartaal", "een jaar eerder"… */
export function comparedWith(cmp: Comparison, c: Pick<ReportTextContext, 't' | 'quarterly'>): string {
	if (cmp === 'previous') return c.quarterly ? c.t('reports.than.previousQuarter') : c.t('reports.than.previousPeriod');
	return c.quarterly ? c.t('reports.than.yearQuarter') : c.t('reports.than.yearPeriod');
}

/** "▲ +18 % t.o.v. vorig kwartaal", "▼ −5 % …", "nieuw t.o.v. …", "niet te vergelijken". */
export function changeText(ch: Change, cmp: Comparison, c: ReportTextContext): string {
	const than = comparedWith(cmp, c);
	const arrow = changeArrow(ch.direction);
	switch (ch.direction) {
		case 'unknown':
			return c.t('reports.change.unknown');
		case 'new':
			return `${arrow} ${c.t('reports.change.new', { values: { than } })}`;
		case 'same':
			return `${arrow} ${c.t('reports.change.same', { values: { than } })}`;
		default: {
			const pct = new Intl.NumberFormat(c.tag, { signDisplay: 'always' }).format(ch.percent!);
			return `${arrow} ${c.t('reports.change.percent', { values: { pct, than } })}`;
		}
	}
}

/** The change without its comparison, for the printed table whose caption says it once: "▲ +18 %". */
export function changeShort(ch: Change, c: Pick<ReportTextContext, 't' | 'tag'>): string {
	const arrow = changeArrow(ch.direction);
	switch (ch.direction) {
		case 'unknown':
			return '–';
		case 'new':
			return `${arrow} ${c.t('reports.changeShort.new')}`;
		case 'same':
			return `${arrow} ${c.t('reports.changeShort.same')}`;
		default:
			return `${arrow} ${new Intl.NumberFormat(c.tag, { signDisplay: 'always' }).format(ch.percent!)} %`;
	}
}

/** One gap reason as a phrase (lower case, no full stop). */
export function gapReasonText(r: GapReason, c: ReportTextContext): string {
	const { t, tag } = c;
	const pct = (v: number) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 }).format(v);
	const num = (v: number) => new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(v);
	switch (r.kind) {
		case 'zones':
			return t('reports.reason.zones', { values: { n: r.n, of: r.of } });
		case 'signals':
			return r.count === null
				? t('reports.reason.signalsBelowK', { values: { k: c.k ?? '' } })
				: t('reports.reason.signals', { values: { n: r.count } });
		case 'coverage':
			return t('reports.reason.coverage', { values: { share: pct(r.share), org: pct(r.org) } });
		case 'perThousand':
			return t('reports.reason.perThousand', { values: { value: num(r.value), org: num(r.org) } });
		case 'lastVisit':
			return c.k !== null && r.days >= 7
				? t('reports.reason.lastVisitWeeks', { values: { n: Math.floor(r.days / 7) } })
				: t('reports.reason.lastVisitDays', { values: { n: r.days } });
		case 'noService':
			return t('reports.reason.noService');
	}
}

/**
 * An area's referrals by target category (its index in the report; null: the organisation), the
 * categories with referrals only, as "label: value" ("< k" for a suppressed count). Null when
 * none is shown (an analyst's area of "< k" contacts).
 */
export function targetTexts(
	r: { targets: readonly { nl: string; en: string }[]; current: { byTarget: { areas: (number | null)[][]; total: (number | null)[] } } },
	area: number | null,
	label: (entry: { nl: string; en: string }) => string,
	c: Pick<ReportTextContext, 'tag' | 'k'>
): { label: string; value: string }[] | null {
	const values = r.targets.map((_, j) => (area === null ? r.current.byTarget.total[j]! : r.current.byTarget.areas[j]![area]!));
	if (values.length && values.every((v) => v === null)) return null;
	return r.targets.flatMap((t, j) => (values[j] === 0 ? [] : [{ label: label(t), value: figureText('referrals', values[j]!, c) }]));
}
