// The audit log's filter in links (paging and the export keep it), its page cursor, the export's
// audit detail, and the export file itself: formula-safe, in the page's language.
import { describe, expect, it } from 'vitest';
import { auditFilterDetail, auditFilterParams, NO_AUDIT_FILTER, parseAuditCursor, parseAuditFilter } from '../../src/lib/domain/audit-filter';
import { auditCsv } from '../../src/lib/domain/audit-csv';

describe('audit filter', () => {
	it('writes only what is set into links, and reads it back the same', () => {
		const f = { user: 12, action: 'user.create', from: '2026-03-01', to: null };
		const p = auditFilterParams(f, { before: 40 });
		expect(p.toString()).toBe('user=12&action=user.create&from=2026-03-01&before=40');
		expect(parseAuditFilter(p, ['user.create'])).toEqual(f);
		expect(auditFilterParams(NO_AUDIT_FILTER).toString()).toBe('');
	});

	it('reads a cursor, and ignores a malformed one (first page)', () => {
		expect(parseAuditCursor(new URLSearchParams('before=40'))).toEqual({ dir: 'before', auditId: 40 });
		expect(parseAuditCursor(new URLSearchParams('after=7&user=1'))).toEqual({ dir: 'after', auditId: 7 });
		for (const q of ['', 'before=0', 'before=-3', 'after=1e3', 'before=99999999999']) expect(parseAuditCursor(new URLSearchParams(q))).toBeNull();
	});

	it('keeps only ids and codes of the set filters in the export entry', () => {
		expect(auditFilterDetail(NO_AUDIT_FILTER)).toEqual({});
		expect(auditFilterDetail({ user: 'system', action: 'login', from: null, to: '2026-01-31' })).toEqual({
			who: 'system',
			what: 'login',
			to: '2026-01-31'
		});
	});
});

describe('audit CSV', () => {
	it('defuses formulas and names the system in the file language', () => {
		const entries = [
			{ local: '2026-03-30 13:00:00', userId: 3, user: '@SUM(A1) <x@y.example>', action: 'login', detail: {} },
			{ local: '2026-03-30 12:00:00', userId: null, user: null, action: 'retention.run', detail: { deleted: 4 } }
		];
		const label = (a: string) => (a === 'login' ? '=Signed in' : a);
		const lines = auditCsv(entries, 'en', label)
			.replace(/^\ufeff/, '')
			.split('\r\n');
		expect(lines).toEqual([
			'time;user_id;user;action_code;action;details',
			"2026-03-30 13:00:00;3;'@SUM(A1) <x@y.example>;login;'=Signed in;",
			'2026-03-30 12:00:00;;system;retention.run;retention.run;"{""deleted"":4}"',
			''
		]);
		expect(auditCsv([], 'nl', label)).toBe('\ufefftijdstip;gebruiker_id;gebruiker;actie_code;actie;details\r\n');
	});
});
