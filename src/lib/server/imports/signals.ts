// Signals: the CSV import (through the shared runner) and what the /signals page needs: the list
// (open first), recording one, marking one handled.
import { randomUUID } from 'node:crypto';
import type { Polygon, MultiPolygon } from 'geojson';
import type { Sql } from '../db';
import { bigIntToCell, cellCentre, cellToBigInt } from '../../domain/cells';
import { parseSignalsCsv, type SignalRow, type SignalStatus } from '../../domain/import/signals';
import type { ReporterKind, SignalMapping } from '../../domain/import/mapping';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { orgAndVocabularies } from './services';
import { csvSource } from './csv-stream';
import { runImport, type KindImportOptions, type KindImportResult } from './run';
import { audit } from '../audit';
import { assertValueTargets, ValueTally } from '../../domain/import/value-map';
import { districtLayer } from '../area-layers';

export async function importSignals(
	sql: Sql,
	chunks: AsyncIterable<Uint8Array>,
	mapping: SignalMapping,
	o: KindImportOptions
): Promise<KindImportResult> {
	const { org, vocabularies, area } = await orgAndVocabularies(sql, o.orgId);
	assertValueTargets(mapping.values, vocabularies);
	const tally = new ValueTally();
	const result = await runImport(sql, o, {
		kind: 'signals',
		parse: () =>
			parseSignalsCsv(csvSource(chunks), mapping, {
				targetGroups: vocabularies.target_group,
				area,
				resolution: org.storageRes,
				now: o.now ?? new Date(),
				fixSwapped: o.fixSwapped,
				acceptOutside: o.acceptOutside,
				batchSize: 2000,
				totalBytes: o.totalBytes,
				tally
			}),
		write: (tx, rows) => upsertSignals(tx, o.orgId, o.source, rows)
	});
	return { ...result, values: tally.summary(vocabularies) };
}

/**
 * Inserts new signals and updates changed ones by (source, external id). An import never reopens
 * a signal: once handled (in the file or in the app) it stays handled; a file that says handled
 * closes an open one (handled_at from the file, else now).
 */
export async function upsertSignals(tx: Sql, orgId: number, source: string, rows: SignalRow[]) {
	const exts = rows.map((r) => r.externalId);
	// the file says handled and the signal is not yet closed
	const CLOSES = tx`(signal.status in ('open', 'assigned', 'visited') and excluded.status = 'handled')`;
	// A file knows only open and handled: it never moves a signal the inbox took further (assigned,
	// visited) back to open; "handled" in the file closes any unresolved one, and the signal's
	// history records that step without an account (the import job records who ran it).
	const result = await tx`
		with prior as (
			select signal_id, status from signal
			where org_id = ${orgId} and source = ${source} and external_id = any(${exts}::text[])
		), up as (
			insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, status, handled_at, source, external_id)
			select ${orgId}, at, cell, kind, descr, tg::smallint[], status, handled, ${source}, ext
			from unnest(
				${rows.map((r) => r.reportedAt)}::timestamptz[],
				${rows.map((r) => cellToBigInt(r.cell).toString())}::bigint[],
				${rows.map((r) => r.reporterKind)}::text[],
				${rows.map((r) => r.description)}::text[],
				${rows.map((r) => `{${r.targetGroups.join(',')}}`)}::text[],
				${rows.map((r) => r.status)}::text[],
				${rows.map((r) => r.handledAt)}::timestamptz[],
				${exts}::text[]
			) as u(at, cell, kind, descr, tg, status, handled, ext)
			on conflict (org_id, source, external_id) do update set
				reported_at = excluded.reported_at, cell = excluded.cell, reporter_kind = excluded.reporter_kind,
				description = excluded.description, target_groups = excluded.target_groups,
				status = case when ${CLOSES} then 'handled' else signal.status end,
				handled_at = case
					when ${CLOSES} then coalesce(excluded.handled_at, now())
					else signal.handled_at end,
				-- an import closing a signal: no account (the import job records who ran it)
				status_changed_by = case when ${CLOSES} then null else signal.status_changed_by end,
				status_changed_at = case when ${CLOSES} then now() else signal.status_changed_at end
			where (signal.reported_at, signal.cell, signal.reporter_kind, signal.description, signal.target_groups)
					is distinct from (excluded.reported_at, excluded.cell, excluded.reporter_kind, excluded.description, excluded.target_groups)
				or ${CLOSES}
			returning signal_id, status, (xmax = 0) as inserted
		), closed as (
			insert into signal_event (org_id, signal_id, user_id, from_status, to_status)
			select ${orgId}, up.signal_id, null, prior.status, up.status
			from up join prior on prior.signal_id = up.signal_id
			where prior.status <> up.status
		)
		select inserted from up`;
	const imported = result.filter((r) => r.inserted).length;
	return { imported, updated: result.length - imported };
}

// ---------------------------------------------------------------------------------------------
// The /signals page
// ---------------------------------------------------------------------------------------------

export interface SignalListItem {
	id: number;
	reportedAt: string;
	reporterKind: ReporterKind;
	description: string;
	targetGroups: number[];
	status: SignalStatus;
	handledAt: string | null;
	/** Who last marked it handled or open again in the app (null: never, or closed by an import). */
	statusChangedBy: string | null;
	/** Name of the district the cell lies in, when the org has districts. */
	district: string | null;
	source: string;
	isDemo: boolean;
}

/** Open signals first (newest first), then handled ones (most recently handled first). */
export async function listSignals(sql: Sql, orgId: number, limit = 300): Promise<{ items: SignalListItem[]; open: number; total: number }> {
	const [rows, [tally], districts] = await Promise.all([
		sql`
			select s.signal_id, s.reported_at, s.cell, s.reporter_kind, s.description, s.target_groups, s.status, s.handled_at,
				s.source, s.is_demo, u.display_name as changed_by
			from signal s
			left join app_user u on u.org_id = s.org_id and u.user_id = s.status_changed_by
			where s.org_id = ${orgId}
			order by (s.status = 'open') desc, case when s.status = 'open' then s.reported_at else s.handled_at end desc nulls last, s.signal_id desc
			limit ${limit}`,
		sql`select count(*) filter (where status = 'open')::int as open, count(*)::int as total from signal where org_id = ${orgId}`,
		districtLayer(sql, orgId).then((layer) => sql`select name, geometry from area where org_id = ${orgId} and layer = ${layer}`)
	]);
	const areas = districts.map((d) => ({ name: d.name as string, geometry: d.geometry as Polygon | MultiPolygon }));
	const districtOf = (cell: bigint): string | null => {
		if (areas.length === 0) return null;
		const c = cellCentre(bigIntToCell(cell));
		return areas.find((a) => booleanPointInPolygon([c.lng, c.lat], a.geometry))?.name ?? null;
	};
	return {
		items: rows.map((r) => ({
			id: r.signal_id as number,
			reportedAt: (r.reported_at as Date).toISOString(),
			reporterKind: r.reporter_kind as ReporterKind,
			description: r.description as string,
			targetGroups: (r.target_groups as number[]).map(Number),
			status: r.status as SignalStatus,
			handledAt: r.handled_at ? (r.handled_at as Date).toISOString() : null,
			statusChangedBy: (r.changed_by as string | null) ?? null,
			district: districtOf(r.cell as bigint),
			source: r.source as string,
			isDemo: r.is_demo as boolean
		})),
		open: (tally?.open as number) ?? 0,
		total: (tally?.total as number) ?? 0
	};
}

export interface NewSignal {
	reportedAt: string;
	/** Cell (hex) at the org's storage resolution. */
	cell: string;
	reporterKind: ReporterKind;
	description: string;
	targetGroups: number[];
}

/**
 * Records a signal from the form (source 'manual', a random external id), and who recorded it in
 * the audit log (the id only: the description is free text and may name someone).
 */
export async function createSignal(sql: Sql, orgId: number, by: number, s: NewSignal): Promise<number> {
	const [row] = await sql`
		insert into signal (org_id, reported_at, cell, reporter_kind, description, target_groups, source, external_id)
		values (${orgId}, ${s.reportedAt}, ${cellToBigInt(s.cell).toString()}::bigint, ${s.reporterKind}, ${s.description},
			${`{${s.targetGroups.join(',')}}`}::smallint[], 'manual', ${`m${randomUUID()}`})
		returning signal_id`;
	const id = row!.signal_id as number;
	await audit(sql, { orgId, userId: by, action: 'signal.create', detail: { signalId: id } });
	return id;
}

/**
 * Marks a signal handled (or open again); false when there is no such signal in the org. A
 * handled signal leaves the underserved score, so the row keeps who changed it and when, and the
 * audit log gets the id and the new status (never the signal's text).
 */
export async function setSignalStatus(sql: Sql, orgId: number, by: number, signalId: number, status: SignalStatus): Promise<boolean> {
	const rows = await sql`
		update signal set status = ${status}, handled_at = ${status === 'handled' ? sql`now()` : null},
			status_changed_by = ${by}, status_changed_at = now()
		where org_id = ${orgId} and signal_id = ${signalId}
		returning signal_id`;
	if (rows.length !== 1) return false;
	await audit(sql, { orgId, userId: by, action: 'signal.status', detail: { signalId, status } });
	return true;
}

export async function signalsVocabulary(sql: Sql, orgId: number) {
	const { org, vocabularies } = await orgAndVocabularies(sql, orgId);
	return { org, targetGroups: vocabularies.target_group };
}
