// The organisation's round settings (cycling pace and detour, the revisit goal) and its team
// bases (where a team's rounds may start), set by coordinators on /settings/rounds; and the
// places a round may start from: the team bases, then the service locations.
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';
import { roundSettingsSchema, type RoundSettings } from '../domain/travel';
import { cellToBigInt, snapToCell } from '../domain/cells';
import type { Organisation } from './organisations';

export async function getRoundSettings(sql: Sql, orgId: number): Promise<RoundSettings> {
	const [r] = await sql`
		select cycling_kmh, cycling_detour, revisit_min_score, revisit_days from organisation where org_id = ${orgId}`;
	if (!r) throw new Error(`no organisation ${orgId}`);
	return {
		cyclingKmh: Number(r.cycling_kmh),
		cyclingDetour: Number(r.cycling_detour),
		revisitMinScore: r.revisit_min_score as number,
		revisitDays: r.revisit_days as number
	};
}

export const ROUND_SETTING_FIELDS = ['cyclingKmh', 'cyclingDetour', 'revisitMinScore', 'revisitDays'] as const;
export type RoundSettingField = (typeof ROUND_SETTING_FIELDS)[number];

export const ROUND_SETTING_RANGES = Object.fromEntries(
	ROUND_SETTING_FIELDS.map((f) => [f, { min: roundSettingsSchema.shape[f].minValue ?? 0, max: roundSettingsSchema.shape[f].maxValue ?? 0 }])
) as Record<RoundSettingField, { min: number; max: number }>;

export async function updateRoundSettings(sql: Sql, orgId: number, by: number, input: Record<string, unknown>): Promise<RoundSettings> {
	// "14,5" is how a Dutch keyboard writes 14.5
	const normalised = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v.replace(',', '.') : v]));
	const blank = ROUND_SETTING_FIELDS.find((f) => String(normalised[f] ?? '').trim() === '');
	if (blank) throw new UserInputError('settingsRange', blank, 'required', { ...ROUND_SETTING_RANGES[blank] });
	const parsed = roundSettingsSchema.safeParse(normalised);
	if (!parsed.success) {
		const field = String(parsed.error.issues[0]!.path[0] ?? 'settings') as RoundSettingField;
		throw new UserInputError('settingsRange', field, parsed.error.issues[0]!.message, { ...(ROUND_SETTING_RANGES[field] ?? { min: 0, max: 0 }) });
	}
	const s = parsed.data;
	await sql`
		update organisation set cycling_kmh = ${s.cyclingKmh}, cycling_detour = ${s.cyclingDetour},
			revisit_min_score = ${s.revisitMinScore}, revisit_days = ${s.revisitDays}
		where org_id = ${orgId}`;
	await audit(sql, { orgId, userId: by, action: 'settings.update', detail: { ...s } });
	return s;
}

export interface TeamBase {
	baseId: number;
	teamId: number;
	teamName: string;
	name: string;
	cell: string;
}

export async function listBases(sql: Sql, orgId: number): Promise<TeamBase[]> {
	const rows = await sql`
		select b.base_id, b.team_id, t.name as team_name, b.name, to_hex(b.cell) as cell
		from team_base b join team t on t.org_id = b.org_id and t.team_id = b.team_id
		where b.org_id = ${orgId} order by t.name, b.name`;
	return rows.map((r) => ({
		baseId: r.base_id as number,
		teamId: r.team_id as number,
		teamName: r.team_name as string,
		name: r.name as string,
		cell: r.cell as string
	}));
}

/** "51.05, 3.72" (a dot or a comma as decimal mark when a semicolon or space separates them). */
export function parseLatLng(raw: string): { lat: number; lng: number } | null {
	const m = raw.trim().match(/^(-?\d{1,2}(?:[.,]\d+)?)\s*[;,\s]\s*(-?\d{1,3}(?:[.,]\d+)?)$/);
	if (!m) return null;
	const lat = Number(m[1]!.replace(',', '.'));
	const lng = Number(m[2]!.replace(',', '.'));
	return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

/** A base is a public place, kept as finely as a service location (res 12, about 9 m). */
const BASE_RES = 12;

/** Adds a base to a team: a name and a place ("lat, lng"), kept as its cell at BASE_RES. */
export async function addBase(
	sql: Sql,
	org: Pick<Organisation, 'orgId' | 'bbox'>,
	by: number,
	input: { teamId: number; name: string; place: string }
): Promise<number> {
	const name = input.name.trim();
	if (!name || name.length > 120) throw new UserInputError('baseNameRequired', 'name', 'a name of 1 to 120 characters', { max: 120 });
	const [team] = await sql`select 1 from team where org_id = ${org.orgId} and team_id = ${input.teamId}`;
	if (!team) throw new UserInputError('roundTeamInvalid', 'teamId', `no team ${input.teamId}`);
	const at = parseLatLng(input.place);
	const [w, s, e, n] = org.bbox;
	if (!at) throw new UserInputError('basePlaceInvalid', 'place', 'give the place as latitude, longitude');
	if (at.lng < w || at.lng > e || at.lat < s || at.lat > n)
		throw new UserInputError('basePlaceOutside', 'place', 'the place is outside the organisation’s area');
	const cell = snapToCell(at.lat, at.lng, BASE_RES);
	const [dup] = await sql`select 1 from team_base where org_id = ${org.orgId} and team_id = ${input.teamId} and name = ${name}`;
	if (dup) throw new UserInputError('baseNameTaken', 'name', 'the team has a base of that name');
	const [row] = await sql`
		insert into team_base (org_id, team_id, name, cell) values (${org.orgId}, ${input.teamId}, ${name}, ${cellToBigInt(cell).toString()})
		returning base_id`;
	await audit(sql, { orgId: org.orgId, userId: by, action: 'settings.update', detail: { baseAdded: name, teamId: input.teamId } });
	return row!.base_id as number;
}

export async function removeBase(sql: Sql, orgId: number, by: number, baseId: number): Promise<boolean> {
	const rows = await sql`delete from team_base where org_id = ${orgId} and base_id = ${baseId} returning name`;
	if (rows.length) await audit(sql, { orgId, userId: by, action: 'settings.update', detail: { baseRemoved: rows[0]!.name as string, baseId } });
	return rows.length === 1;
}

/** A place a round may start from: a team base or a service location. */
export interface StartPlace {
	cell: string;
	label: string;
	kind: 'base' | 'service';
	/** The base's team, for the list. */
	team?: string;
}

/** The team bases first, then the service locations, each by name. */
export async function startPlaces(sql: Sql, orgId: number): Promise<StartPlace[]> {
	const [bases, services] = await Promise.all([
		listBases(sql, orgId),
		sql`select to_hex(cell) as cell, name from service_location where org_id = ${orgId} order by name, service_id`
	]);
	return [
		...bases.map((b): StartPlace => ({ cell: b.cell, label: b.name, kind: 'base', team: b.teamName })),
		...services.map((r): StartPlace => ({ cell: r.cell as string, label: r.name as string, kind: 'service' }))
	];
}

/** The name of a start at `cell` (a team base first, then a service location), or null when none is there. */
export async function startLabelAt(sql: Sql, orgId: number, cell: string): Promise<string | null> {
	const id = cellToBigInt(cell).toString();
	const [row] = await sql`
		select name from (
			select name, 0 as rank from team_base where org_id = ${orgId} and cell = ${id}
			union all
			select name, 1 as rank from service_location where org_id = ${orgId} and cell = ${id}
		) s order by rank, name limit 1`;
	return (row?.name as string | undefined) ?? null;
}
