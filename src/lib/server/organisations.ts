// Organisations and their vocabularies.
import type { MultiPolygon, Polygon } from 'geojson';
import type { Sql } from './db';
import { orgArea, type OrgArea } from '../domain/import/coordinates';
import { DEFAULT_VOCABULARIES, VOCABULARY_KINDS, type Vocabularies, type VocabularyKind } from '../domain/vocabulary';

export interface Organisation {
	orgId: number;
	slug: string;
	name: string;
	storageRes: number;
	planningRes: number;
	policyRes: number;
	kThreshold: number;
	retentionMonths: number;
	bbox: [number, number, number, number];
	isDemo: boolean;
}

export interface NewOrganisation {
	slug: string;
	name: string;
	bbox: [number, number, number, number];
	/** The real area (a municipality's boundary, WGS84); without it the bbox is the area. */
	boundary?: Polygon | MultiPolygon;
	isDemo?: boolean;
}

/** Creates the organisation with the default vocabularies, in one transaction. */
export async function createOrganisation(sql: Sql, org: NewOrganisation): Promise<Organisation> {
	return sql.begin(async (tx) => {
		const orgId = await insertOrganisation(tx as unknown as Sql, org);
		return (await getOrganisation(tx as unknown as Sql, orgId))!;
	}) as Promise<Organisation>;
}

/**
 * Inserts the organisation and its default vocabularies through the given client, so it can
 * run inside a caller's transaction (postgres.js cannot nest sql.begin).
 */
export async function insertOrganisation(tx: Sql, org: NewOrganisation): Promise<number> {
	const [row] = await tx`
		insert into organisation (slug, name, bbox, boundary, is_demo)
		values (${org.slug}, ${org.name}, ${org.bbox}, ${org.boundary ? JSON.stringify(org.boundary) : null}::text::jsonb, ${org.isDemo ?? false})
		returning org_id`;
	const orgId = row!.org_id as number;
	for (const kind of VOCABULARY_KINDS) {
		const list = DEFAULT_VOCABULARIES[kind];
		await tx`
			insert into vocabulary (org_id, kind, id, code, label_nl, label_en, sort)
			select ${orgId}, ${kind}, * from unnest(
				${list.map((e) => e.id)}::smallint[], ${list.map((e) => e.code)}::text[],
				${list.map((e) => e.nl)}::text[], ${list.map((e) => e.en)}::text[],
				${list.map((e) => e.id)}::smallint[])`;
	}
	return orgId;
}

/**
 * The area "outside the area" is judged against (imports, the quick log): the bbox, and the
 * boundary when the organisation has one. Read apart from the organisation, which every request
 * loads, because a boundary can hold thousands of positions.
 */
export async function getOrgArea(sql: Sql, org: Pick<Organisation, 'orgId' | 'bbox'>): Promise<OrgArea> {
	const [r] = await sql`select boundary from organisation where org_id = ${org.orgId}`;
	return orgArea(org.bbox, (r?.boundary as Polygon | MultiPolygon | null) ?? null);
}

/** Whether every organisation here is the demo one (false when there is none). */
export async function onlyDemoOrganisations(sql: Sql): Promise<boolean> {
	const [row] = await sql`select coalesce(bool_and(is_demo), false) as demo from organisation`;
	return Boolean(row?.demo);
}

export async function findOrganisation(sql: Sql, slug: string): Promise<Organisation | undefined> {
	const [r] = await sql`
		select org_id, slug, name, storage_res, planning_res, policy_res, k_threshold, retention_months, bbox, is_demo
		from organisation where slug = ${slug}`;
	return r ? toOrganisation(r) : undefined;
}

export async function getOrganisation(sql: Sql, orgId: number): Promise<Organisation | undefined> {
	const [r] = await sql`
		select org_id, slug, name, storage_res, planning_res, policy_res, k_threshold, retention_months, bbox, is_demo
		from organisation where org_id = ${orgId}`;
	return r ? toOrganisation(r) : undefined;
}

export function toOrganisation(r: Record<string, unknown>): Organisation {
	return {
		orgId: r.org_id as number,
		slug: r.slug as string,
		name: r.name as string,
		storageRes: r.storage_res as number,
		planningRes: r.planning_res as number,
		policyRes: r.policy_res as number,
		kThreshold: r.k_threshold as number,
		retentionMonths: r.retention_months as number,
		bbox: (r.bbox as number[]).map(Number) as Organisation['bbox'],
		isDemo: r.is_demo as boolean
	};
}

/** The organisation's active vocabularies, in display order. */
export async function getVocabularies(sql: Sql, orgId: number): Promise<Vocabularies> {
	return vocabulariesWhere(sql, orgId, true);
}

/**
 * The retired entries that stored data may still carry, in display order: filters and legends list
 * them under "no longer used". Merged entries are left out (nothing names them any more).
 */
export async function getRetiredVocabularies(sql: Sql, orgId: number): Promise<Vocabularies> {
	return vocabulariesWhere(sql, orgId, false);
}

async function vocabulariesWhere(sql: Sql, orgId: number, active: boolean): Promise<Vocabularies> {
	const rows = await sql`
		select kind, id, code, label_nl, label_en from vocabulary
		where org_id = ${orgId} and active = ${active} ${active ? sql`` : sql`and merged_into is null`}
		order by kind, sort, id`;
	const out = Object.fromEntries(VOCABULARY_KINDS.map((k) => [k, []])) as unknown as Vocabularies;
	for (const r of rows) {
		out[r.kind as VocabularyKind].push({
			id: r.id as number,
			code: r.code as string,
			nl: r.label_nl as string,
			en: r.label_en as string
		});
	}
	return out;
}
