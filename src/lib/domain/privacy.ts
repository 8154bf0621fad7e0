// Statistical disclosure control for aggregates shown to analysts (policy makers).
//
// Method (documented in the README), for k >= 3: every count an analyst sees goes through publishCount:
//   0            -> 0 (an empty cell is not a disclosure)
//   1 .. k-1     -> null, shown as "< k" (primary suppression)
//   k and above  -> rounded to the nearest multiple of 5, and never below the lowest multiple of 5
//                   that is >= k (so 5, 6, 7 -> 5 when k = 5).
// Totals (response, panel and area totals) are computed from the TRUE counts and then published
// the same way; they are never sums of published values. When exactly one cell of a response is
// suppressed, the next smallest cell is suppressed too (complementary suppression).
// This protects one answer and a pair of answers, not a family: each answer bounds the true count
// to a range, and enough overlapping ranges (every window of 20-30 days) can be solved for exact
// small counts. So analysts may only ask the non-overlapping questions of analyst-query.ts.
import type { Reason, ZoneInput } from './analysis/underserved';

export const ROUNDING_BASE = 5;

/** The lowest value published for a count of k or more. */
export function lowestPublished(k: number): number {
	return Math.ceil(k / ROUNDING_BASE) * ROUNDING_BASE;
}

export function publishCount(count: number, k: number): number | null {
	if (count === 0) return 0;
	if (count < k) return null;
	return Math.max(lowestPublished(k), Math.round(count / ROUNDING_BASE) * ROUNDING_BASE);
}

/** All true counts (up to `limit`) an observer could infer from a published value. */
export function preimage(published: number | null, k: number, limit: number): number[] {
	const out: number[] = [];
	for (let c = 0; c <= limit; c++) if (publishCount(c, k) === published) out.push(c);
	return out;
}

/** Days since the last visit, in whole weeks for analysts: exact dates could single out a contact. */
export function publishDays(days: number | null): number | null {
	return days === null ? null : Math.floor(days / 7) * 7;
}

export interface CountColumns {
	cells: string[];
	contacts: number[];
	persons: number[];
	referrals: number[];
	daysSinceLast: number[];
	/** Each cell's largest referral target (id or null) and its referrals, when asked for. */
	topTarget?: (number | null)[];
	topTargetReferrals?: number[];
}

export interface PublishedColumns {
	cells: string[];
	contacts: (number | null)[];
	persons: (number | null)[];
	referrals: (number | null)[];
	daysSinceLast: (number | null)[];
	/** The largest target only where its own count is publishable (k or more), else null. */
	topTarget?: (number | null)[];
	topTargetReferrals?: (number | null)[];
	/** Totals of the true counts, published (rounded or suppressed) the same way. */
	totals: { contacts: number | null; persons: number | null; referrals: number | null };
	/** The threshold k used, so the legend can say "< k". */
	k: number;
}

/**
 * Publishes a response's columns for an analyst. A cell whose contacts are below k has all its
 * figures suppressed (persons and referrals of a small cell would describe a few people).
 */
export function publishColumns(cols: CountColumns, k: number): PublishedColumns {
	const n = cols.cells.length;
	const small = cols.contacts.map((c) => c > 0 && c < k);
	if (small.filter(Boolean).length === 1) {
		// complementary suppression: hide the smallest cell that would otherwise be shown
		let pick = -1;
		for (let i = 0; i < n; i++) {
			if (!small[i] && cols.contacts[i]! > 0 && (pick < 0 || cols.contacts[i]! < cols.contacts[pick]!)) pick = i;
		}
		if (pick >= 0) small[pick] = true;
	}
	const column = (values: number[]) => values.map((v, i) => (small[i] ? null : publishCount(v, k)));
	const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
	return {
		cells: cols.cells,
		contacts: column(cols.contacts),
		persons: column(cols.persons),
		referrals: column(cols.referrals),
		daysSinceLast: cols.daysSinceLast.map((d, i) => (small[i] ? null : publishDays(d))),
		...publishTopTargets(cols, small, k),
		totals: {
			contacts: publishCount(sum(cols.contacts), k),
			persons: publishCount(sum(cols.persons), k),
			referrals: publishCount(sum(cols.referrals), k)
		},
		k
	};
}

/** A cell's largest referral target, published only with a publishable count of its own. */
export function publishTopTarget(target: number | null, referrals: number, k: number): { target: number; referrals: number } | null {
	const n = target === null ? null : publishCount(referrals, k);
	return target === null || n === null || n === 0 ? null : { target, referrals: n };
}

function publishTopTargets(cols: CountColumns, small: boolean[], k: number): Pick<PublishedColumns, 'topTarget' | 'topTargetReferrals'> {
	if (!cols.topTarget || !cols.topTargetReferrals) return {};
	const shown = cols.topTarget.map((t, i) => (small[i] ? null : publishTopTarget(t, cols.topTargetReferrals![i]!, k)));
	return { topTarget: shown.map((x) => x?.target ?? null), topTargetReferrals: shown.map((x) => x?.referrals ?? null) };
}

/**
 * An underserved zone's inputs as an analyst may know them: counts published, a suppressed count
 * standing in as k/2, days in weeks. The score is computed from these, so it cannot be inverted
 * into a count the analyst may not see.
 */
export function publishZoneInput(z: ZoneInput, k: number): ZoneInput {
	const count = (n: number) => publishCount(n, k) ?? k / 2;
	// As on the hex map, the last visit among fewer than k recent contacts is not published.
	const withheld = publishCount(z.recentContacts ?? 0, k) === null;
	// The referral split only where both figures are publishable: a stand-in would invent a count.
	const referrals = z.referrals === undefined ? null : publishCount(z.referrals, k);
	const top = z.topTarget && referrals ? publishTopTarget(z.topTarget.id, z.topTarget.referrals, k) : null;
	return {
		...z,
		referrals: referrals ?? undefined,
		topTarget: top && referrals ? { id: top.target, referrals: top.referrals } : undefined,
		openSignals: count(z.openSignals),
		contacts: count(z.contacts),
		daysSinceLast: withheld ? null : publishDays(z.daysSinceLast),
		recentContacts: undefined,
		visitWithheld: withheld || undefined
	};
}

/** A reason from published inputs, with a stand-in count shown as suppressed (null). */
export function publishReason(r: Reason, k: number): Reason {
	if (r.kind === 'signals') return { ...r, count: r.count === null ? null : publishCount(r.count, k) };
	if (r.kind === 'demand') return { ...r, contacts: r.contacts === null ? null : publishCount(r.contacts, k) };
	return r;
}
