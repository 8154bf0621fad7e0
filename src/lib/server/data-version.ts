// The data version of an organisation (migrations/0010_data_version.sql): the sum of the weights
// of its org_data_change rows, read with the session (resolveSessionContext). Each writing
// transaction adds a row; compaction folds the committed ones into one, keeping the sum.
import type { Sql } from './db';

/** Rows of one organisation above which a request starts a compaction (in the background). */
export const COMPACT_AFTER_ROWS = 200;

const compacting = new Set<number>();

/** Folds the organisation's committed change rows into one; the version stays the same. */
export async function compactDataVersion(sql: Sql, orgId: number): Promise<void> {
	await sql`select compact_data_version(${orgId})`;
}

/** Starts a compaction when the rows pile up, at most one per organisation at a time; never throws. */
export function compactWhenNeeded(sql: Sql, orgId: number, rows: number): void {
	if (rows <= COMPACT_AFTER_ROWS || compacting.has(orgId)) return;
	compacting.add(orgId);
	compactDataVersion(sql, orgId)
		.catch((e: Error) => console.error(`compacting the data version of organisation ${orgId}: ${e.message}`))
		.finally(() => compacting.delete(orgId));
}

/** The version as the session query gives it, for tests and scripts. */
export async function dataVersion(sql: Sql, orgId: number): Promise<string> {
	const [row] = await sql`select coalesce(sum(weight), 0)::text as v from org_data_change where org_id = ${orgId}`;
	return row!.v as string;
}
