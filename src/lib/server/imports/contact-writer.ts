// Writes validated contact rows into a table with contact_moment's columns: by COPY … FROM STDIN
// on PostgreSQL (the cheapest way in, measured ~4x cheaper than INSERT … SELECT FROM unnest for
// the server), by INSERT … unnest on PGlite, whose socket has no COPY. Rows arrive in batches;
// `flush` ends the current statement so the rows are visible (and the rollup trigger, a statement
// trigger, aggregates them once per flush rather than once per batch).
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Sql } from '../db';
import type { ContactRow } from '../../domain/import/contacts';
import { cellToBigInt } from '../../domain/cells';

export type WritableContact = ContactRow & { teamId: number | null };

export interface ContactWriter {
	write(rows: WritableContact[]): Promise<void>;
	flush(): Promise<void>;
	/** Ends an open COPY with a failure, so the transaction can roll back. */
	abort(): void;
}

export type ContactTable = 'contact_moment' | 'import_stage';

/** `copy`: whether the server takes COPY (acceptsCopy in db.ts, asked of the pool, not the transaction). */
export function contactWriter(tx: Sql, table: ContactTable, orgId: number, source: string, copy: boolean): ContactWriter {
	return copy ? copyWriter(tx, table, orgId, source) : insertWriter(tx, table, orgId, source);
}

function copyWriter(tx: Sql, table: ContactTable, orgId: number, source: string): ContactWriter {
	let stream: Writable | null = null;
	let failed: Error | null = null;
	const prefix = `${orgId}\t`;
	const suffix = `\t${copyText(source)}\t`;
	return {
		async write(rows) {
			if (failed) throw failed;
			if (!stream) {
				stream = await tx`
					copy ${tx(table)} (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, referral_target, team_id, source, external_id)
					from stdin`.writable();
				stream.on('error', (e: Error) => (failed = e));
			}
			let text = '';
			for (const r of rows) {
				text +=
					prefix +
					r.occurredAt +
					'\t' +
					cellToBigInt(r.cell) +
					'\t' +
					r.contactType +
					'\t{' +
					r.targetGroups.join(',') +
					'}\t{' +
					r.themes.join(',') +
					'}\t' +
					r.persons +
					'\t' +
					(r.referral ? 't' : 'f') +
					'\t' +
					(r.referralTarget ?? '\\N') +
					'\t' +
					(r.teamId ?? '\\N') +
					suffix +
					copyText(r.externalId) +
					'\n';
			}
			if (!stream.write(text)) await drained(stream);
			if (failed) throw failed;
		},
		async flush() {
			if (!stream) return;
			const s = stream;
			stream = null;
			s.end();
			await once(s, 'finish');
			if (failed) throw failed;
		},
		abort() {
			stream?.destroy(new Error('import aborted'));
			stream = null;
		}
	};
}

/** COPY's text format: backslash, tab and line breaks escaped. */
function copyText(s: string): string {
	return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : s;
}

function insertWriter(tx: Sql, table: ContactTable, orgId: number, source: string): ContactWriter {
	return {
		async write(rows) {
			await tx`
				insert into ${tx(table)} (org_id, occurred_at, cell, contact_type, target_groups, themes, persons, referral, referral_target, team_id, source, external_id)
				select ${orgId}, at, cell, ct, tg::smallint[], th::smallint[], p, r, rt, team, ${source}, ext
				from unnest(
					${rows.map((r) => r.occurredAt)}::timestamptz[],
					${rows.map((r) => cellToBigInt(r.cell).toString())}::bigint[],
					${rows.map((r) => r.contactType)}::smallint[],
					${rows.map((r) => `{${r.targetGroups.join(',')}}`)}::text[],
					${rows.map((r) => `{${r.themes.join(',')}}`)}::text[],
					${rows.map((r) => r.persons)}::smallint[],
					${tx.array(
						rows.map((r) => r.referral),
						16
					)}::boolean[],
					${rows.map((r) => r.referralTarget ?? null)}::smallint[],
					${rows.map((r) => r.teamId)}::smallint[],
					${rows.map((r) => r.externalId)}::text[]
				) as u(at, cell, ct, tg, th, p, r, rt, team, ext)`;
		},
		flush: async () => {},
		abort: () => {}
	};
}

/**
 * Waits for 'drain', or rejects on 'error', and leaves no listener behind (a race of two
 * once() calls left an 'error' listener per wait: Node warned after ten).
 */
function drained(stream: NodeJS.WritableStream): Promise<void> {
	return new Promise((resolve, reject) => {
		const done = () => {
			stream.off('drain', done);
			stream.off('error', fail);
			resolve();
		};
		const fail = (e: Error) => {
			stream.off('drain', done);
			stream.off('error', fail);
			reject(e);
		};
		stream.on('drain', done);
		stream.on('error', fail);
	});
}
