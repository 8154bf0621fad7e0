// The trend API: contacts over the last quarters (or, for coordinators, months) for the
// organisation or one area of a layer, split by contact type or target group. Declared once for
// the +server.ts route and the browser client.
import { z } from 'zod';
import type { TrendGrain, TrendPeriod, TrendSeries, TrendSplit } from '$lib/domain/reports-trend';
import { endpoint } from './endpoint';

const name = (what: string) => z.string().min(1, `expected ${what}`).max(200, `${what} too long`);

export const trendQuery = z
	.object({
		/** The area layer (default: the organisation's district layer); only read when `area` is given or to list its areas. */
		layer: name('a layer name').optional(),
		/** An area's code in the layer; left out = the whole organisation. */
		area: name('an area code').optional(),
		by: z.enum(['type', 'group'], { error: 'expected type or group' }).optional(),
		grain: z.enum(['quarter', 'month'], { error: 'expected quarter or month' }).optional(),
		/** `area`: also each area's totals per period (the report table's sparklines), in one answer. */
		each: z.enum(['area'], { error: 'expected area' }).optional()
	})
	.strict();

export type TrendQuery = z.output<typeof trendQuery>;

export interface TrendAnswer {
	layer: string;
	/** The layers the organisation has, for the page's picker. */
	layers: string[];
	/** The layer's areas, by name, for the page's picker. */
	areas: { code: string; name: string }[];
	/** The area asked for, or null for the whole organisation. */
	area: { code: string; name: string } | null;
	by: TrendSplit;
	grain: TrendGrain;
	/** Oldest first. */
	periods: TrendPeriod[];
	/** One per contact type or target group (their ids), values per period. */
	series: TrendSeries[];
	/** All contacts per period, computed from the true counts (a contact with two groups counts once). */
	totals: (number | null)[];
	/** With `each=area`: every area's totals per period, the same figures as `area=<code>` gives. */
	areaTotals?: { code: string; values: (number | null)[] }[];
	/** Analysts only: every figure was published with this k (null values are "< k"). */
	k?: number;
}

/** GET /api/reports/trend?layer=&area=&by=type|group&grain=quarter|month&each=area */
export const trend = endpoint<TrendAnswer>()({ method: 'GET', path: '/api/reports/trend', query: trendQuery });
