// Retention: contact moments older than the organisation's retention period are deleted. The
// monthly rollup keeps their counts for trends (the delete sets atlas.keep_rollup so the rollup
// trigger leaves those months alone), but not their moments: a month's row for a cell with one
// contact would keep that contact's exact time in `last_at`, so the kept rows of months before
// the horizon get their month's start instead. Runs from `npm run retention` and daily in the server.
import type { Sql } from './db';
import { audit } from './audit';
import { purgeExpiredSessions } from './auth/sessions';

export interface RetentionResult {
	orgId: number;
	months: number;
	deleted: number;
	/** Rollup rows before the horizon whose last_at was set back to their month's start. */
	coarsened: number;
}

export async function applyRetention(sql: Sql, now = new Date()): Promise<RetentionResult[]> {
	const orgs = await sql`select org_id, retention_months from organisation order by org_id`;
	const results: RetentionResult[] = [];
	for (const o of orgs) {
		const orgId = o.org_id as number;
		const months = o.retention_months as number;
		const { deleted, coarsened } = await sql.begin(async (tx) => {
			await tx`select set_config('atlas.keep_rollup', 'on', true)`;
			// Whole months only, so the rollup's oldest kept month is never half-deleted.
			const [{ horizon }] = (await tx`
				select (date_trunc('month', ${now}::timestamptz at time zone 'Europe/Brussels')
					- make_interval(months => ${months}))::date::text as horizon`) as unknown as [{ horizon: string }];
			const rows = await tx`
				delete from contact_moment
				where org_id = ${orgId}
					and occurred_at < ${horizon}::date::timestamp at time zone 'Europe/Brussels'
				returning 1`;
			// The kept history says how many, not when: the month's start (Brussels) for last_at.
			const coarse = await tx`
				update contact_rollup_month
				set last_at = month::timestamp at time zone 'Europe/Brussels'
				where org_id = ${orgId} and month < ${horizon}::date
					and last_at <> month::timestamp at time zone 'Europe/Brussels'
				returning 1`;
			// The same for the coarse rollup's kept months (migration 0018), counted once above.
			await tx`
				update contact_rollup_coarse
				set last_at = period::timestamp at time zone 'Europe/Brussels'
				where org_id = ${orgId} and grain = 'm' and period < ${horizon}::date
					and last_at <> period::timestamp at time zone 'Europe/Brussels'`;
			return { deleted: rows.length, coarsened: coarse.length };
		});
		if (deleted > 0 || coarsened > 0) await audit(sql, { orgId, userId: null, action: 'retention.run', detail: { deleted, coarsened, months } });
		results.push({ orgId, months, deleted, coarsened });
	}
	await purgeExpiredSessions(sql);
	return results;
}

/** Runs retention once a day in the server (first run a minute after start). */
export function scheduleRetention(sql: Sql): () => void {
	const run = () =>
		applyRetention(sql).then(
			(r) => {
				const deleted = r.reduce((n, x) => n + x.deleted, 0);
				if (deleted) console.log(`retention: deleted ${deleted} contact moments past their retention period`);
			},
			(e: Error) => console.error(`retention failed: ${e.message}`)
		);
	const first = setTimeout(run, 60_000);
	const daily = setInterval(run, 24 * 3600_000);
	first.unref();
	daily.unref();
	return () => {
		clearTimeout(first);
		clearInterval(daily);
	};
}
