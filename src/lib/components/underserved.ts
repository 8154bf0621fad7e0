// The underserved view's reasons in words ("3 open signalen", "geen bezoek in 73 dagen", …), in the
// UI language. Pure: the caller hands in the translate function and the locale's number format.
import { UNDERSERVED, type Reason } from '$lib/domain/analysis/underserved';

/** Where the underserved view's data stands (the map and the panel show the same). */
export type ZoneStatus = 'loading' | 'failed' | 'ready';

/** svelte-i18n's `$_`, or anything with its shape. */
export type Translate = (id: string, options?: { values?: Record<string, string | number> }) => string;

export interface ReasonContext {
	t: Translate;
	/** BCP 47 tag for numbers (intlTag of the UI language). */
	tag: string;
	/** Analysts' threshold: a null count reads "< k" and days read as whole weeks. Null for exact figures. */
	k: number | null;
	/** A service category's label in the UI language, or null when unknown. */
	category: (id: number) => string | null;
	/** A referral target's label in the UI language, or null when unknown (then no split is said). */
	target?: (id: number) => string | null;
}

/** "± 3.600": hundreds from a thousand up, tens from a hundred; a density is an estimate. */
export function roughly(n: number): number {
	const step = n >= 1000 ? 100 : n >= 100 ? 10 : 1;
	return Math.round(n / step) * step;
}

/** One reason as a phrase (lower case, no full stop), for a list of reasons. */
export function reasonText(r: Reason, c: ReasonContext): string {
	const { t, k } = c;
	const belowK = { values: { k: k ?? '' } };
	switch (r.kind) {
		case 'signals':
			return r.count === null ? t('underserved.reason.signalsBelowK', belowK) : t('underserved.reason.signals', { values: { n: r.count } });
		case 'demand': {
			const text = r.contacts === null ? t('underserved.reason.demandBelowK', belowK) : t('underserved.reason.demand', { values: { n: r.contacts } });
			const target = r.topTarget && r.referrals ? c.target?.(r.topTarget.id) : null;
			if (!target || !r.topTarget || !r.referrals) return text;
			const nf = new Intl.NumberFormat(c.tag);
			return `${text}; ${t('underserved.reason.referralsTo', { values: { n: nf.format(r.referrals), top: nf.format(r.topTarget.referrals), target } })}`;
		}
		case 'noVisit':
			// the score looks back STALE_DAYS for the last visit, whatever the period shown
			if (r.withheld) return t('underserved.reason.noVisitWithheld', belowK);
			if (r.days === null) return t('underserved.reason.noVisitRecent', { values: { n: UNDERSERVED.STALE_DAYS } });
			// Analysts get days rounded down to whole weeks: say weeks, not a falsely exact day count.
			return k !== null && r.days >= 7
				? t('underserved.reason.noVisitWeeks', { values: { n: Math.floor(r.days / 7) } })
				: t('underserved.reason.noVisitDays', { values: { n: r.days } });
		case 'population':
			return t('underserved.reason.population', { values: { n: new Intl.NumberFormat(c.tag).format(roughly(r.perKm2)) } });
		case 'services':
			return servicesText(r, c);
	}
}

function servicesText(r: Extract<Reason, { kind: 'services' }>, { t, tag, category }: ReasonContext): string {
	// No service location at all: there is no nearest one and no average to compare with.
	if (r.nearestM === null) return t('underserved.reason.noService');
	const km = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r.nearestM / 1000);
	const label = r.category === null ? null : category(r.category);
	const parts = [
		label ? t('underserved.reason.nearest', { values: { km, category: label } }) : t('underserved.reason.nearestPlain', { values: { km } })
	];
	if (r.accessRatio < 1) {
		// Rounded down, so a ratio just under 1 never reads "1×" as a shortfall; a little access
		// is not rounded down to none.
		const nf = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
		const tenths = Math.floor(r.accessRatio * 10) / 10;
		const ratio = r.accessRatio > 0 && tenths === 0 ? `< ${nf.format(0.1)}` : nf.format(tenths);
		parts.push(t('underserved.reason.access', { values: { ratio } }));
	}
	return parts.join(', ');
}
