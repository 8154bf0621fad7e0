// The organisation's own vocabulary (settings → vocabulary): add, rename, reorder, retire,
// unretire and merge entries. Every change is one transaction with its audit entry; the
// vocabulary's triggers (migration 0010) bump the data version, and so do the contact, service
// and signal rows a merge moves, so cached map answers follow. The rules are pure, in
// domain/vocabulary-edit.ts; this module reads and writes.
import { transaction, type Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';
import { VOCABULARY_KINDS, type VocabularyEntry, type VocabularyKind } from '../domain/vocabulary';
import { checkLabels, checkMerge, codeFromLabel, entryById, mergeMappingValues, moveInOrder, type EditableEntry } from '../domain/vocabulary-edit';

/** An entry as the settings page shows it. */
export interface ListedEntry extends EditableEntry {
	/** Set when the entry was merged into another: it is kept (retired) so its id is never reused. */
	mergedInto: number | null;
}

/** Who makes the change, for the audit log. */
export interface VocabularyActor {
	userId: number | null;
}

const MAX_ENTRIES = 500;

export function isVocabularyKind(kind: string): kind is VocabularyKind {
	return (VOCABULARY_KINDS as string[]).includes(kind);
}

/** Every entry of a kind, active and retired, in display order. */
export async function listEntries(sql: Sql, orgId: number, kind: VocabularyKind): Promise<ListedEntry[]> {
	const rows = await sql`
		select id, code, label_nl, label_en, active, merged_into from vocabulary
		where org_id = ${orgId} and kind = ${kind} order by sort, id`;
	return rows.map((r) => ({
		id: r.id as number,
		code: r.code as string,
		nl: r.label_nl as string,
		en: r.label_en as string,
		active: r.active as boolean,
		mergedInto: (r.merged_into as number | null) ?? null
	}));
}

/** The ids of the active entries in display order. */
const activeOrder = (entries: readonly ListedEntry[]) => entries.filter((e) => e.active).map((e) => e.id);

/**
 * Adds an entry at the end of the list, with a code made from its Dutch label. Usable inside a
 * caller's transaction (the import's value mapping creates entries on the spot): `transaction`
 * nests as a savepoint.
 */
export async function addVocabularyEntry(
	sql: Sql,
	orgId: number,
	actor: VocabularyActor,
	kind: VocabularyKind,
	labelNl: string,
	labelEn: string
): Promise<VocabularyEntry> {
	return transaction(sql, async (tx) => {
		await lockKind(tx, orgId, kind);
		const entries = await listEntries(tx, orgId, kind);
		const labels = checkLabels({ nl: labelNl, en: labelEn }, entries);
		if (entries.length >= MAX_ENTRIES)
			throw new UserInputError('vocabularyFull', 'labelNl', `a list holds at most ${MAX_ENTRIES} entries`, { max: MAX_ENTRIES });
		const code = codeFromLabel(labels.nl, new Set(entries.map((e) => e.code)));
		const [row] = await tx`
			insert into vocabulary (org_id, kind, id, code, label_nl, label_en, sort)
			select ${orgId}, ${kind}, coalesce(max(id), 0) + 1, ${code}, ${labels.nl}, ${labels.en}, coalesce(max(sort), 0) + 1
			from vocabulary where org_id = ${orgId} and kind = ${kind}
			returning id`;
		const id = row!.id as number;
		await audit(tx, { orgId, userId: actor.userId, action: 'vocabulary.add', detail: { kind, id, code, labelNl: labels.nl, labelEn: labels.en } });
		return { id, code, nl: labels.nl, en: labels.en };
	});
}

/** New labels in both languages; the code stays. */
export async function renameVocabularyEntry(
	sql: Sql,
	orgId: number,
	actor: VocabularyActor,
	kind: VocabularyKind,
	id: number,
	labelNl: string,
	labelEn: string
): Promise<VocabularyEntry> {
	return transaction(sql, async (tx) => {
		await lockKind(tx, orgId, kind);
		const entries = await listEntries(tx, orgId, kind);
		const before = entryById(entries, id);
		const labels = checkLabels({ nl: labelNl, en: labelEn }, entries, id);
		await tx`
			update vocabulary set label_nl = ${labels.nl}, label_en = ${labels.en}
			where org_id = ${orgId} and kind = ${kind} and id = ${id}`;
		await audit(tx, {
			orgId,
			userId: actor.userId,
			action: 'vocabulary.rename',
			detail: { kind, id, code: before.code, labelNl: labels.nl, labelEn: labels.en, previousNl: before.nl, previousEn: before.en }
		});
		return { id, code: before.code, nl: labels.nl, en: labels.en };
	});
}

/** Moves an active entry one place up or down among the active ones (the order every list shows). */
export async function moveVocabularyEntry(
	sql: Sql,
	orgId: number,
	actor: VocabularyActor,
	kind: VocabularyKind,
	id: number,
	direction: 'up' | 'down'
): Promise<void> {
	await transaction(sql, async (tx) => {
		await lockKind(tx, orgId, kind);
		const entries = await listEntries(tx, orgId, kind);
		const before = activeOrder(entries);
		const after = moveInOrder(before, id, direction);
		if (after.every((x, i) => x === before[i])) return;
		await writeOrder(tx, orgId, kind, after, entries);
		await audit(tx, { orgId, userId: actor.userId, action: 'vocabulary.reorder', detail: { kind, id, direction, order: after } });
	});
}

/** Retires (active = false) or brings back an entry. Stored contacts keep it either way. */
export async function setVocabularyEntryActive(
	sql: Sql,
	orgId: number,
	actor: VocabularyActor,
	kind: VocabularyKind,
	id: number,
	active: boolean
): Promise<void> {
	await transaction(sql, async (tx) => {
		await lockKind(tx, orgId, kind);
		const entries = await listEntries(tx, orgId, kind);
		const entry = entryById(entries, id);
		if (entry.active === active) return;
		if (!active && entries.filter((e) => e.active).length <= 1)
			throw new UserInputError('vocabularyLastEntry', 'id', 'the last entry in use cannot be retired', { label: entry.nl });
		if (active && entry.mergedInto !== null)
			throw new UserInputError('vocabularyMerged', 'id', 'a merged entry cannot be brought back', { label: entry.nl });
		await tx`update vocabulary set active = ${active} where org_id = ${orgId} and kind = ${kind} and id = ${id}`;
		await audit(tx, {
			orgId,
			userId: actor.userId,
			action: active ? 'vocabulary.unretire' : 'vocabulary.retire',
			detail: { kind, id, code: entry.code }
		});
	});
}

/** How many stored rows name an entry: what a merge moves. */
export interface EntryUsage {
	contacts: number;
	services: number;
	signals: number;
}

export async function vocabularyUsage(sql: Sql, orgId: number, kind: VocabularyKind, id: number): Promise<EntryUsage> {
	const contactsWith =
		kind === 'contact_type'
			? sql`contact_type = ${id}`
			: kind === 'target_group'
				? sql`${id}::smallint = any(target_groups)`
				: kind === 'theme'
					? sql`${id}::smallint = any(themes)`
					: kind === 'referral_target'
						? sql`referral_target = ${id}`
						: null;
	const [c] = contactsWith ? await sql`select count(*)::int as n from contact_moment where org_id = ${orgId} and ${contactsWith}` : [{ n: 0 }];
	const [s] =
		kind === 'service_category'
			? await sql`select count(*)::int as n from service_location where org_id = ${orgId} and category = ${id}`
			: [{ n: 0 }];
	const [g] =
		kind === 'target_group'
			? await sql`select count(*)::int as n from signal where org_id = ${orgId} and ${id}::smallint = any(target_groups)`
			: [{ n: 0 }];
	return { contacts: c!.n as number, services: s!.n as number, signals: g!.n as number };
}

/**
 * Merges entry `fromId` into `intoId`, in one transaction: every contact, service and signal
 * naming it and every saved import mapping are moved to the target, the monthly rollup's history
 * follows, and the merged entry is retired with `merged_into` set (its id is never reused).
 */
export async function mergeVocabularyEntries(
	sql: Sql,
	orgId: number,
	actor: VocabularyActor,
	kind: VocabularyKind,
	fromId: number,
	intoId: number
): Promise<EntryUsage & { mappings: number }> {
	return transaction(sql, async (tx) => {
		await lockKind(tx, orgId, kind);
		const entries = await listEntries(tx, orgId, kind);
		const { from, into } = checkMerge(entries, fromId, intoId);
		const moved = await moveRows(tx, orgId, kind, fromId, intoId);
		const mappings = await moveMappings(tx, orgId, kind, from, into);
		await tx`
			update vocabulary set active = false, merged_into = ${intoId}
			where org_id = ${orgId} and kind = ${kind} and id = ${fromId}`;
		// Entries merged into `from` earlier now point at its target too.
		await tx`update vocabulary set merged_into = ${intoId} where org_id = ${orgId} and kind = ${kind} and merged_into = ${fromId}`;
		await writeOrder(
			tx,
			orgId,
			kind,
			activeOrder(entries).filter((x) => x !== fromId),
			entries
		);
		await audit(tx, {
			orgId,
			userId: actor.userId,
			action: 'vocabulary.merge',
			detail: { kind, id: fromId, code: from.code, into: intoId, intoCode: into.code, ...moved, mappings }
		});
		return { ...moved, mappings };
	});
}

/** The rows of contacts, services, signals and the rollup that name `from`, moved to `into`. */
async function moveRows(tx: Sql, orgId: number, kind: VocabularyKind, from: number, into: number): Promise<EntryUsage> {
	// In an array the target may already be there: then the merged id is dropped, not doubled.
	const replaced = (col: 'target_groups' | 'themes') =>
		tx`case when ${into}::smallint = any(${tx(col)}) then array_remove(${tx(col)}, ${from}::smallint)
			else array_replace(${tx(col)}, ${from}::smallint, ${into}::smallint) end`;
	let contacts = 0;
	let services = 0;
	let signals = 0;
	if (kind === 'contact_type') {
		contacts = (await tx`update contact_moment set contact_type = ${into} where org_id = ${orgId} and contact_type = ${from} returning 1`).length;
		// The contacts' update rebuilt the months they are in; months whose contacts retention has
		// already deleted live on in the rollup only, and are merged here.
		await tx`
			insert into contact_rollup_month as r
				(org_id, month, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
			select org_id, month, cell, ${into}, contacts, persons, referrals, last_at, key_sum, referral_key_sum
			from contact_rollup_month where org_id = ${orgId} and contact_type = ${from}
			on conflict (org_id, month, cell, contact_type) do update set
				contacts = r.contacts + excluded.contacts,
				persons = r.persons + excluded.persons,
				referrals = r.referrals + excluded.referrals,
				last_at = greatest(r.last_at, excluded.last_at),
				-- the cell keys' sums, kept mod 2^30 as the rollup triggers do (migration 0013)
				key_sum = ((r.key_sum::bigint + excluded.key_sum) % 1073741824)::integer,
				referral_key_sum = ((r.referral_key_sum::bigint + excluded.referral_key_sum) % 1073741824)::integer`;
		await tx`delete from contact_rollup_month where org_id = ${orgId} and contact_type = ${from}`;
		// The same for the coarse rollup's kept months (migration 0018; its other rows follow the contacts).
		await tx`
			insert into contact_rollup_coarse as r
				(org_id, grain, period, target_group, cell, contact_type, contacts, persons, referrals, last_at, key_sum, referral_key_sum)
			select org_id, grain, period, target_group, cell, ${into}, contacts, persons, referrals, last_at, key_sum, referral_key_sum
			from contact_rollup_coarse where org_id = ${orgId} and contact_type = ${from}
			on conflict (org_id, target_group, grain, period, contact_type, cell) do update set
				contacts = r.contacts + excluded.contacts,
				persons = r.persons + excluded.persons,
				referrals = r.referrals + excluded.referrals,
				last_at = greatest(r.last_at, excluded.last_at),
				key_sum = ((r.key_sum::bigint + excluded.key_sum) % 1073741824)::integer,
				referral_key_sum = ((r.referral_key_sum::bigint + excluded.referral_key_sum) % 1073741824)::integer`;
		await tx`delete from contact_rollup_coarse where org_id = ${orgId} and contact_type = ${from}`;
	} else if (kind === 'target_group' || kind === 'theme') {
		const col = kind === 'target_group' ? 'target_groups' : 'themes';
		contacts = (
			await tx`update contact_moment set ${tx(col)} = ${replaced(col)}
				where org_id = ${orgId} and ${from}::smallint = any(${tx(col)}) returning 1`
		).length;
		if (kind === 'target_group')
			signals = (
				await tx`update signal set target_groups = ${replaced('target_groups')}
					where org_id = ${orgId} and ${from}::smallint = any(target_groups) returning 1`
			).length;
	} else if (kind === 'referral_target') {
		contacts = (await tx`update contact_moment set referral_target = ${into} where org_id = ${orgId} and referral_target = ${from} returning 1`)
			.length;
	} else {
		services = (await tx`update service_location set category = ${into} where org_id = ${orgId} and category = ${from} returning 1`).length;
	}
	return { contacts, services, signals };
}

/** Saved import mappings whose value maps name `from`, rewritten to `into`'s code. */
async function moveMappings(tx: Sql, orgId: number, kind: VocabularyKind, from: ListedEntry, into: ListedEntry): Promise<number> {
	const rows = await tx`select kind, source, mapping from import_mapping where org_id = ${orgId}`;
	let changed = 0;
	for (const r of rows) {
		const next = mergeMappingValues(r.mapping, kind, from, into);
		if (next === null) continue;
		await tx`
			update import_mapping set mapping = ${tx.json(next as never)}, updated_at = now()
			where org_id = ${orgId} and kind = ${r.kind as string} and source = ${r.source as string}`;
		changed++;
	}
	return changed;
}

/** Sort numbers 1..n for the active entries in this order; retired ones follow in their old order. */
async function writeOrder(tx: Sql, orgId: number, kind: VocabularyKind, activeIds: number[], entries: readonly ListedEntry[]) {
	const rest = entries.map((e) => e.id).filter((id) => !activeIds.includes(id));
	const ids = [...activeIds, ...rest];
	await tx`
		update vocabulary v set sort = o.sort
		from unnest(${ids}::smallint[]) with ordinality as o(id, sort)
		where v.org_id = ${orgId} and v.kind = ${kind} and v.id = o.id and v.sort <> o.sort`;
}

/**
 * Serialises changes to one list: two coordinators adding at once would otherwise read the same
 * max(id) (a transaction-scoped advisory lock on PostgreSQL; PGlite has one backend anyway).
 */
async function lockKind(tx: Sql, orgId: number, kind: VocabularyKind) {
	await tx`select pg_advisory_xact_lock(${orgId}, ${VOCABULARY_KINDS.indexOf(kind) + 1})`;
}
