// Referrals with a known target, per cell and target, read through the partial index of those
// referrals (migrations 0014, 0020: index-only, in proportion to them). Referrals without a
// target are the rest of a cell's referrals (domain/reports/targets.ts).
import { packCell } from '../../domain/cells';
import type { Period } from '../../domain/reports/indicators';
import { CELL_KEY_MODULUS } from '../../domain/privacy';
import type { TargetCell } from '../../domain/reports/targets';
import type { Sql } from '../db';

const brussels = (sql: Sql, day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Brussels')`;

/**
 * A period's referrals with a known target per cell at `res` (packed) and target, with their key
 * sums, by cell and target: one order whatever plan groups them (hash or sort), so two calls agree.
 */
export async function keyedTargetCells(sql: Sql, orgId: number, res: number, p: Period): Promise<TargetCell[]> {
	const rows = await sql`
		with t as (
			select h3_parent(cell, ${res}) as c, referral_target as target, count(*)::int as n,
				(sum(record_key::bigint) % ${CELL_KEY_MODULUS})::int as key
			from contact_moment
			where org_id = ${orgId} and referral_target is not null
				and occurred_at >= ${brussels(sql, p.from)} and occurred_at < (${brussels(sql, p.to)} + interval '1 day')
			group by 1, 2
		)
		select to_hex(c) as cell, target::int as target, n, key from t order by t.c, t.target`;
	return rows.map((r) => ({ cell: packCell(r.cell as string), target: r.target as number, n: r.n as number, key: r.key as number }));
}

/** Exact counts for coordinators: per period (its index), cell at `res` (hex) and known target, in that order. */
export async function targetsByPeriodCell(
	sql: Sql,
	orgId: number,
	periods: readonly Period[],
	res: number
): Promise<{ p: number; cell: string; target: number; n: number }[]> {
	const rows = await sql`
		with t as (
			select e.p, h3_parent(c.cell, ${res}) as cell, c.referral_target as target, count(*)::int as n
			from unnest(${periods.map((p) => p.from)}::date[], ${periods.map((p) => p.to)}::date[]) with ordinality as e (f, t, p)
			join contact_moment c
				on c.org_id = ${orgId} and c.referral_target is not null
				and c.occurred_at >= (e.f::timestamp at time zone 'Europe/Brussels')
				and c.occurred_at < ((e.t + 1)::timestamp at time zone 'Europe/Brussels')
			group by 1, 2, 3
		)
		select p::int - 1 as p, to_hex(cell) as cell, target::int as target, n from t order by t.p, t.cell, t.target`;
	return rows.map((r) => ({ p: r.p as number, cell: r.cell as string, target: r.target as number, n: r.n as number }));
}
