// The contacts import against a real database: counts, idempotent re-import, updates, the
// all-or-nothing commit, and the rollup kept in step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, dbTitle, type TestDatabase } from '../helpers/test-db';
import { createOrganisation } from '../../src/lib/server/organisations';
import { importContacts, type ContactImportOptions } from '../../src/lib/server/imports/contacts';
import { makeNasty1252, NOW, GHENT_BBOX } from '../fixtures/import/make-nasty';

let t: TestDatabase;
let orgId: number;
const nasty = makeNasty1252();

async function* chunks(bytes: Uint8Array, size = 64 * 1024) {
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const opts = (patch: Partial<ContactImportOptions> = {}): ContactImportOptions => ({
	orgId,
	userId: null,
	mapping: nasty.mapping,
	source: 'registratie',
	filename: 'nasty-1252.csv',
	mode: 'commit',
	skipInvalid: true,
	now: new Date(NOW),
	...patch
});

const contactCount = async () => (await t.sql`select count(*)::int as n from contact_moment`)[0]!.n as number;

beforeAll(async () => {
	t = await openTestDatabase();
	orgId = (await createOrganisation(t.sql, { slug: 'imp', name: 'Import', bbox: [...GHENT_BBOX] })).orgId;
	await t.sql`insert into team (org_id, team_id, name) values
		(${orgId}, 1, 'Équipe Brugse Poort'), (${orgId}, 2, 'Team Sint-Amandsberg'), (${orgId}, 3, 'Team Ledeberg')`;
});
afterAll(() => t?.cleanup());

describe(dbTitle('contacts import'), () => {
	it('a dry run counts and reports, and writes nothing', async () => {
		const r = await importContacts(t.sql, chunks(nasty.bytes), opts({ mode: 'dry-run' }));
		expect(r.counts).toMatchObject({ records: nasty.expected.records, valid: nasty.expected.valid, rejected: nasty.expected.rejected });
		expect(r.counts.imported).toBe(0);
		expect(await contactCount()).toBe(0);
		expect(r.errors[0]!.message.nl).toMatch(/^Rij \d+, kolom/);
		expect(r.rejectedCsv).toContain('rij;Datum;Uur');
		const [job] = await t.sql`select mode, status, counts from import_job where job_id = ${r.jobId}`;
		expect(job).toMatchObject({ mode: 'dry-run', status: 'done' });
	});

	it('lists problems in file order, also an unknown team found after the row checks', async () => {
		const head = 'Datum;Uur;Breedte;Lengte;Type contact;Doelgroep;Thema;Aantal;Doorverwezen;Team;Opmerking';
		const csv = [
			head,
			'03/03/2026;10:00;51,05;3,72;Kort contact;Jongeren;Huisvesting;1;nee;Team Nergens;',
			'31/02/2026;10:00;51,05;3,72;Kort contact;Jongeren;Huisvesting;1;nee;Team Ledeberg;',
			'04/03/2026;10:00;51,05;3,72;Kort contact;Jongeren;Huisvesting;1;nee;Team Elders;'
		].join('\r\n');
		const r = await importContacts(t.sql, chunks(new TextEncoder().encode(csv)), opts({ mode: 'dry-run', source: 'order' }));
		expect(r.errors.map((e) => [e.row, e.code])).toEqual([
			[2, 'unknown_team'],
			[3, 'impossible_date'],
			[4, 'unknown_team']
		]);
		const rejectedRows = r
			.rejectedCsv!.trim()
			.split(/\r?\n/)
			.slice(1)
			.map((l) => l.split(';')[0]);
		expect(rejectedRows).toEqual(['2', '3', '4']);
	});

	it('without skipInvalid, rejected rows roll the whole commit back', async () => {
		const r = await importContacts(t.sql, chunks(nasty.bytes), opts({ skipInvalid: false }));
		expect(r.status).toBe('rolled-back');
		expect(await contactCount()).toBe(0);
	});

	it('commits the valid rows in one go, and the same file again adds nothing', async () => {
		const first = await importContacts(t.sql, chunks(nasty.bytes), opts());
		expect(first.status).toBe('done');
		expect(first.counts.imported).toBe(nasty.expected.valid);
		expect(await contactCount()).toBe(nasty.expected.valid);
		const again = await importContacts(t.sql, chunks(nasty.bytes, 7_777), opts());
		expect(again.counts).toMatchObject({ imported: 0, updated: 0, skipped: nasty.expected.valid });
		expect(await contactCount()).toBe(nasty.expected.valid);
		// the rollup saw every imported contact once
		const [{ n }] = (await t.sql`select sum(contacts)::int as n from contact_rollup_month`) as unknown as [{ n: number }];
		expect(n).toBe(nasty.expected.valid);
	});

	it('says so when the rows are stored already under another source, before a second name duplicates them', async () => {
		// the previous test committed this file under "registratie"
		const same = await importContacts(t.sql, chunks(nasty.bytes), opts({ mode: 'dry-run' }));
		expect(same.elsewhere).toEqual({ sampled: 1000, sources: [] });
		const renamed = await importContacts(t.sql, chunks(nasty.bytes), opts({ mode: 'dry-run', source: 'registratie-kopie' }));
		expect(renamed.elsewhere).toEqual({ sampled: 1000, sources: [{ source: 'registratie', rows: 1000 }] });
		expect(await contactCount()).toBe(nasty.expected.valid);

		// Two systems that both number their rows 1, 2, 3 are not the same rows: no warning (reusing
		// the other source would overwrite its contacts).
		const withIds = (day: string) =>
			new TextEncoder().encode(
				['ID;Datum;Breedte;Lengte;Type contact', ...[1, 2, 3].map((id) => `${id};${day} 1${id}:00;51,05;3,72;Kort contact`)].join('\r\n')
			);
		const idMapping = { externalId: 'ID', occurredAt: 'Datum', lat: 'Breedte', lng: 'Lengte', contactType: 'Type contact' };
		await importContacts(t.sql, chunks(withIds('02/03/2026')), opts({ source: 'straatwerk', mapping: idMapping }));
		const other = await importContacts(t.sql, chunks(withIds('09/03/2026')), opts({ mode: 'dry-run', source: 'inloop', mapping: idMapping }));
		expect(other.elsewhere).toEqual({ sampled: 3, sources: [] });
		const copy = await importContacts(t.sql, chunks(withIds('02/03/2026')), opts({ mode: 'dry-run', source: 'inloop', mapping: idMapping }));
		expect(copy.elsewhere).toEqual({ sampled: 3, sources: [{ source: 'straatwerk', rows: 3 }] });
	});

	it('tells when every row is read and a commit is still writing, and not for a dry run', async () => {
		const phases = async (mode: 'dry-run' | 'commit') => {
			const seen: (string | undefined)[] = [];
			await importContacts(
				t.sql,
				chunks(nasty.bytes),
				opts({ mode, source: 'phases', totalBytes: nasty.bytes.length, onProgress: (p) => seen.push(p.phase) })
			);
			return seen;
		};
		const dry = await phases('dry-run');
		expect(dry.length).toBeGreaterThan(1);
		expect(dry).not.toContain('writing');
		const commit = await phases('commit');
		expect(commit.at(-1)).toBe('writing');
		expect(commit.filter((p) => p === 'writing')).toHaveLength(1);
	});

	it("writes the rejected rows with the file's own separator", async () => {
		const csv = new TextEncoder().encode(
			'ID,Datum,Lat,Lon,Type\nC-1,14/03/2026 21:30,51.05,3.72,Kort contact\nC-2,31/02/2026 10:00,51.05,3.72,Kort contact\n'
		);
		const mapping = { externalId: 'ID', occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' };
		const r = await importContacts(t.sql, chunks(csv), opts({ mapping, source: 'comma', mode: 'dry-run' }));
		expect(r.counts).toMatchObject({ valid: 1, rejected: 1 });
		expect(r.rejectedCsv).toContain('rij,ID,Datum');
		expect(r.rejectedCsv).toContain('3,C-2,31/02/2026 10:00');
	});

	it('updates rows whose content changed under the same external id', async () => {
		const csv = (type: string) => new TextEncoder().encode(`ID;Datum;Lat;Lon;Type\nA-1;14/03/2026 21:30;51,05;3,72;${type}\n`);
		const mapping = { externalId: 'ID', occurredAt: 'Datum', lat: 'Lat', lng: 'Lon', contactType: 'Type' };
		const a = await importContacts(t.sql, chunks(csv('Kort contact')), opts({ mapping, source: 'ids' }));
		expect(a.counts.imported).toBe(1);
		const b = await importContacts(t.sql, chunks(csv('crisis')), opts({ mapping, source: 'ids' }));
		expect(b.counts).toMatchObject({ imported: 0, updated: 1 });
		const [row] = await t.sql`select contact_type from contact_moment where source = 'ids' and external_id = 'A-1'`;
		expect(row!.contact_type).toBe(4);
	});

	it('two imports of the same new source at once take turns: one imports, the other finds every row stored', async () => {
		const before = await contactCount();
		const [a, b] = await Promise.all([
			importContacts(t.sql, chunks(nasty.bytes), opts({ source: 'twice-at-once' })),
			importContacts(t.sql, chunks(nasty.bytes, 9_999), opts({ source: 'twice-at-once' }))
		]);
		expect([a.status, b.status]).toEqual(['done', 'done']);
		expect([a.counts.imported, b.counts.imported].sort((x, y) => x - y)).toEqual([0, nasty.expected.valid]);
		expect(a.counts.skipped + b.counts.skipped).toBe(nasty.expected.valid);
		expect(await contactCount()).toBe(before + nasty.expected.valid);
	});

	it('a failure midway leaves nothing half-written', async () => {
		const before = await contactCount();
		async function* failing() {
			let i = 0;
			for await (const c of chunks(nasty.bytes, 32 * 1024)) {
				if (++i === 20) throw new Error('connection lost');
				yield c;
			}
		}
		await expect(importContacts(t.sql, failing(), opts({ source: 'other' }))).rejects.toThrow('connection lost');
		expect(await contactCount()).toBe(before);
		const [job] = await t.sql`select status from import_job order by job_id desc limit 1`;
		expect(job!.status).toBe('failed');
	});
});
