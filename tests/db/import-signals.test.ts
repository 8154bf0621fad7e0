// Signals against a real database: the CSV import (no duplicates, updates, never reopening,
// all-or-nothing) and the /signals page's queries.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { createUser } from '../../src/lib/server/auth/users';
import { createSignal, importSignals, listSignals, setSignalStatus } from '../../src/lib/server/imports/signals';
import type { KindImportOptions } from '../../src/lib/server/imports/run';
import { signalMappingSchema } from '../../src/lib/domain/import/mapping';
import { GHENT_BBOX, NOW } from '../fixtures/import/make-nasty';

const FIX = 'tests/fixtures/import/';
let t: TestDatabase;
let orgId: number;
let workerId: number;

async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
const opts = (patch: Partial<KindImportOptions> = {}): KindImportOptions => ({
	orgId,
	userId: null,
	source: 'partner-a',
	mode: 'commit',
	skipInvalid: true,
	now: new Date(NOW),
	...patch
});
const mapping = signalMappingSchema.parse({
	reportedAt: 'Datum',
	time: 'Uur',
	lat: 'Breedte',
	lng: 'Lengte',
	reporterKind: 'Melder',
	description: 'Wat',
	targetGroups: 'Doelgroep',
	status: 'Status',
	externalId: 'Nr'
});
const text = () => readFileSync(FIX + 'signals.csv', 'utf8');
const bytes = (s: string) => new TextEncoder().encode(s);
const signalCount = async () => (await t.sql`select count(*)::int as n from signal where org_id = ${orgId}`)[0]!.n as number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'sig', name: 'Signals', bbox: [...GHENT_BBOX] })).orgId;
	workerId = await createUser(t.sql, { orgId, email: 'worker@sig.example', name: 'Wim Werker', role: 'worker', password: 'long enough password 1' });
});
afterAll(() => t?.cleanup());

describe(dbTitle('signals import'), () => {
	it('rejected rows roll the commit back unless skipInvalid', async () => {
		const r = await importSignals(t.sql, chunks(bytes(text())), mapping, opts({ skipInvalid: false }));
		expect(r.status).toBe('rolled-back');
		expect(r.counts.rejected).toBe(5);
		expect(await signalCount()).toBe(0);
	});

	it('imports the good rows once; again adds nothing', async () => {
		const a = await importSignals(t.sql, chunks(bytes(text())), mapping, opts());
		expect(a.counts).toMatchObject({ records: 9, valid: 3, rejected: 5, duplicates: 1, imported: 3 });
		const b = await importSignals(t.sql, chunks(bytes(text()), 100), mapping, opts());
		expect(b.counts).toMatchObject({ imported: 0, updated: 0, unchanged: 3 });
		expect(await signalCount()).toBe(3);
		const rows = await t.sql`select external_id, status, reporter_kind, to_hex(cell) as cell from signal order by external_id`;
		expect(rows.map((r) => [r.external_id, r.status, r.reporter_kind])).toEqual([
			['P-1', 'open', 'partner'],
			['P-2', 'handled', 'citizen'],
			['P-8', 'handled', 'worker']
		]);
		expect(rows[0]!.cell).toBe(latLngToCell(51.0543, 3.7174, 10));
	});

	it('a changed row is updated; "afgehandeld" closes an open signal; an import never reopens', async () => {
		const changed = text().replace(
			'Groep jongeren slaapt onder de brug;Jongeren;open;P-1',
			'Groep jongeren slaapt onder de brug;Jongeren;afgehandeld;P-1'
		);
		const r = await importSignals(t.sql, chunks(bytes(changed)), mapping, opts());
		expect(r.counts).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
		const [p1] = await t.sql`select status, handled_at from signal where external_id = 'P-1'`;
		expect(p1!.status).toBe('handled');
		expect(p1!.handled_at).toBeInstanceOf(Date);

		const back = await importSignals(t.sql, chunks(bytes(text())), mapping, opts());
		expect(back.counts).toMatchObject({ updated: 0, unchanged: 3 });
		const [still] = await t.sql`select status from signal where external_id = 'P-1'`;
		expect(still!.status).toBe('handled');

		const described = text().replace('Tentje in het park', 'Twee tentjes in het park');
		expect((await importSignals(t.sql, chunks(bytes(described)), mapping, opts())).counts).toMatchObject({ updated: 1 });
	});

	it('a failure midway leaves nothing half-written', async () => {
		const before = await signalCount();
		const lines = ['Datum;Breedte;Lengte;Melder;Wat'];
		for (let i = 0; i < 5000; i++)
			lines.push(
				`01/03/2026 ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')};51,0${(i % 90) + 10};3,7${(i % 80) + 10};burger;Melding ${i}`
			);
		const all = bytes(lines.join('\n') + '\n');
		async function* failing() {
			let i = 0;
			for await (const c of chunks(all, 8 * 1024)) {
				if (++i === 16) throw new Error('connection lost');
				yield c;
			}
		}
		const m = signalMappingSchema.parse({ reportedAt: 'Datum', lat: 'Breedte', lng: 'Lengte', reporterKind: 'Melder', description: 'Wat' });
		const written: number[] = [];
		await expect(importSignals(t.sql, failing(), m, opts({ source: 'bulk', onProgress: (p) => written.push(p.counts.valid) }))).rejects.toThrow(
			'connection lost'
		);
		expect(written[0]).toBe(2000);
		expect(await signalCount()).toBe(before);
	});
});

describe(dbTitle('signals page queries'), () => {
	it('records a signal, lists open ones first, marks one handled', async () => {
		await t.sql`insert into area (org_id, layer, code, name, geometry) values
			(${orgId}, 'district', '1', 'Binnenstad', ${t.sql.json({
				type: 'Polygon',
				coordinates: [
					[
						[3.7, 51.04],
						[3.75, 51.04],
						[3.75, 51.07],
						[3.7, 51.07],
						[3.7, 51.04]
					]
				]
			})})`;
		const id = await createSignal(t.sql, orgId, workerId, {
			reportedAt: new Date(NOW - 3600_000).toISOString(),
			cell: latLngToCell(51.05, 3.72, 10),
			reporterKind: 'citizen',
			description: 'Slaapplek onder de brug',
			targetGroups: [1, 4]
		});
		const list = await listSignals(t.sql, orgId);
		expect(list).toMatchObject({ open: 1, total: 4 });
		// open first; handled ones by when they were handled (imported ones without a date last)
		expect(list.items.map((s) => [s.status, s.description])).toEqual([
			['open', 'Slaapplek onder de brug'],
			['handled', 'Groep jongeren slaapt onder de brug'],
			['handled', 'Matras in portiek, mail naar x@y.be'],
			['handled', 'Twee tentjes in het park']
		]);
		expect(list.items[0]).toMatchObject({ id, district: 'Binnenstad', targetGroups: [1, 4], source: 'manual', reporterKind: 'citizen' });

		expect(await setSignalStatus(t.sql, orgId, workerId, id, 'handled')).toBe(true);
		const after = await listSignals(t.sql, orgId);
		expect(after.open).toBe(0);
		expect(after.items.find((s) => s.id === id)).toMatchObject({ status: 'handled' });
		expect(after.items.find((s) => s.id === id)!.handledAt).not.toBeNull();
		// another organisation's id does nothing
		expect(await setSignalStatus(t.sql, orgId + 1, workerId, id, 'open')).toBe(false);
	});

	it('keeps who recorded a signal and who last changed its status, in the row and the audit log, without its text', async () => {
		const id = await createSignal(t.sql, orgId, workerId, {
			reportedAt: new Date(NOW - 7200_000).toISOString(),
			cell: latLngToCell(51.05, 3.72, 10),
			reporterKind: 'worker',
			description: 'Man slaapt in portiek bij Jan Jansen',
			targetGroups: [1]
		});
		const trail = async () =>
			t.sql`select user_id, action, detail from audit_log where org_id = ${orgId} and action like 'signal.%' and (detail->>'signalId')::int = ${id} order by audit_id`;
		expect(await trail()).toEqual([{ user_id: workerId, action: 'signal.create', detail: { signalId: id } }]);

		expect(await setSignalStatus(t.sql, orgId, workerId, id, 'handled')).toBe(true);
		const [row] =
			await t.sql`select status, status_changed_by, status_changed_at, handled_at from signal where org_id = ${orgId} and signal_id = ${id}`;
		expect(row).toMatchObject({ status: 'handled', status_changed_by: workerId });
		expect(row!.status_changed_at).toBeInstanceOf(Date);
		expect((await listSignals(t.sql, orgId)).items.find((s) => s.id === id)).toMatchObject({ status: 'handled', statusChangedBy: 'Wim Werker' });

		expect(await setSignalStatus(t.sql, orgId, workerId, id, 'open')).toBe(true);
		const entries = await trail();
		expect(entries.map((e) => [e.user_id, e.action, e.detail])).toEqual([
			[workerId, 'signal.create', { signalId: id }],
			[workerId, 'signal.status', { signalId: id, status: 'handled' }],
			[workerId, 'signal.status', { signalId: id, status: 'open' }]
		]);
		expect(JSON.stringify(entries)).not.toMatch(/portiek|Jansen/);
		// an unknown id leaves no entry
		expect(await setSignalStatus(t.sql, orgId, workerId, 999999, 'handled')).toBe(false);
		expect(await t.sql`select 1 from audit_log where org_id = ${orgId} and detail->>'signalId' = '999999'`).toHaveLength(0);
	});
});
