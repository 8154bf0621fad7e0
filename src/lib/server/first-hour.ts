// A new organisation's first hour: the checklist a coordinator lands on after signing in (areas,
// population, services, vocabulary, first import, team members), each item done or not as the
// database says, until the organisation has contacts or a coordinator dismisses it.
import type { Sql } from './db';
import { areaLayerChoice } from './area-layers';
import { DEFAULT_VOCABULARIES, VOCABULARY_KINDS } from '../domain/vocabulary';

export const CHECKLIST_ITEMS = ['areas', 'population', 'services', 'vocabulary', 'import', 'team'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

/** Where each item is done. */
export const CHECKLIST_LINKS: Record<ChecklistItem, string> = {
	areas: '/import',
	population: '/settings/areas',
	services: '/import',
	vocabulary: '/settings/vocabulary',
	import: '/import',
	team: '/users'
};

export interface Checklist {
	items: { item: ChecklistItem; href: string; done: boolean }[];
	dismissed: boolean;
}

export async function firstHourChecklist(sql: Sql, orgId: number): Promise<Checklist> {
	const defaults = VOCABULARY_KINDS.flatMap((k) => DEFAULT_VOCABULARIES[k].map((e) => `${k}:${e.code}`));
	const [[row], layers] = await Promise.all([
		sql`
			select
				exists (select 1 from service_location where org_id = ${orgId}) as services,
				exists (select 1 from import_job where org_id = ${orgId} and mode = 'commit' and status = 'done') as imported,
				(select count(*)::int from app_user where org_id = ${orgId} and active) as members,
				exists (select 1 from audit_log where org_id = ${orgId} and action like 'vocabulary.%') as vocab_edited,
				exists (select 1 from vocabulary where org_id = ${orgId} and not ((kind || ':' || code) = any(${defaults}::text[]))) as vocab_own,
				(select welcome_dismissed_at is not null from organisation where org_id = ${orgId}) as dismissed`,
		areaLayerChoice(sql, orgId)
	]);
	const done: Record<ChecklistItem, boolean> = {
		areas: layers.district !== null,
		population: layers.population !== null,
		services: Boolean(row?.services),
		vocabulary: Boolean(row?.vocab_edited) || Boolean(row?.vocab_own),
		import: Boolean(row?.imported),
		team: ((row?.members as number) ?? 0) > 1
	};
	return { items: CHECKLIST_ITEMS.map((item) => ({ item, href: CHECKLIST_LINKS[item], done: done[item] })), dismissed: Boolean(row?.dismissed) };
}

/** Whether a coordinator of this organisation lands on the checklist: no contacts yet, not dismissed. */
export async function landsOnChecklist(sql: Sql, orgId: number): Promise<boolean> {
	const [row] = await sql`
		select welcome_dismissed_at is null and not exists (select 1 from contact_moment c where c.org_id = o.org_id) as show
		from organisation o where o.org_id = ${orgId}`;
	return Boolean(row?.show);
}

export async function dismissChecklist(sql: Sql, orgId: number): Promise<void> {
	await sql`update organisation set welcome_dismissed_at = now() where org_id = ${orgId} and welcome_dismissed_at is null`;
}
