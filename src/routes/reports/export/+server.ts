// The coverage report's table as a file, CSV or XLSX, in the page's language: the same figures
// as the page (published for analysts), with a head that says the period, the area layer, the
// publication rule and when it was made. Every export is an entry of the audit log.
import { z } from 'zod';
import { db } from '$lib/server/app-db';
import { audit } from '$lib/server/audit';
import { apiRoute, parseWith } from '$lib/server/api';
import { requireContext } from '$lib/server/context';
import { coverageAnswer, reportQuestion } from '$lib/server/reports';
import { buildXlsx } from '$lib/server/xlsx-write';
import { coverageQuery } from '$lib/api/reports';
import { wallClock } from '$lib/domain/calendar';
import { reportCsv, reportTable } from '$lib/domain/reports/table';

const exportQuery = coverageQuery.extend({
	format: z.enum(['csv', 'xlsx'], { error: 'expected csv or xlsx' }),
	lang: z.enum(['nl', 'en'], { error: 'expected nl or en' }).optional()
});

export const GET = apiRoute(async ({ url, locals }) => {
	const ctx = await requireContext(locals);
	const { format, lang = 'nl', ...query } = parseWith(exportQuery, Object.fromEntries(url.searchParams));
	const { sql } = await db();
	const question = await reportQuestion(sql, ctx, query);
	const report = await coverageAnswer(sql, ctx, question, locals.dataVersion);
	const w = wallClock(Date.now());
	const pad = (n: number) => String(n).padStart(2, '0');
	const madeAt = `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
	const table = reportTable(report, lang, madeAt);
	const { user, org } = ctx;
	await audit(sql, {
		orgId: org.orgId,
		userId: user.userId,
		action: 'export',
		detail: { report: 'coverage', format, layer: question.layer, from: question.from, to: question.to, rows: table.rows.length, role: user.role }
	});
	const name = `dekking-${question.layer}-${question.from}-${question.to}.${format}`.replace(/[^\w.-]+/g, '_');
	const headers = { 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' };
	if (format === 'csv') return new Response(reportCsv(table, lang), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
	const rows = [...table.head, [], table.header, ...table.rows];
	const bytes = buildXlsx([{ name: lang === 'nl' ? 'Dekking' : 'Coverage', rows }]);
	return new Response(bytes as unknown as BodyInit, {
		headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
	});
});
