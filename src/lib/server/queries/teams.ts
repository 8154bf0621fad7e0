import type { Sql } from '../db';

export async function listTeams(sql: Sql, orgId: number): Promise<{ id: number; name: string }[]> {
	const rows = await sql`select team_id, name from team where org_id = ${orgId} order by team_id`;
	return rows.map((r) => ({ id: r.team_id as number, name: r.name as string }));
}
