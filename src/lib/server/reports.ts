// The coverage report as the API and the exports give it: the question checked against the
// role (analysts: one ended quarter; coordinators: any period; workers never reach here, see
// ROUTE_ACCESS), the figures computed (published for analysts) and shaped as columns.
import { districtLayer } from './area-layers';
import { analystQueryRefusal, analystRes, defaultAnalystQuarter } from '../domain/analyst-query';
import { daysBetween } from '../domain/calendar';
import { MAX_PERIOD_DAYS } from '../domain/hex-query';
import { ROUNDING_BASE } from '../domain/privacy';
import { FIGURES, type ReportFigures } from '../domain/reports/row';
import { UserInputError } from '../domain/errors';
import { API_ERROR_CODES } from '../api/errors';
import { type CoverageQuery, type CoverageReport, type FigureColumns } from '../api/reports';
import { ApiRefusal } from './api';
import type { RequestContext } from './context';
import { todayInBrussels } from './clock';
import { dataVersion } from './data-version';
import type { Sql } from './db';
import { areaLayers } from './queries/areas';
import { listEntries } from './vocabulary';
import { UNKNOWN_TARGET } from '../domain/reports/targets';
import type { VocabularyEntry } from '../domain/vocabulary';
import { coverageReport, type ReportPeriod } from './queries/reports';

export interface ReportQuestion {
	layer: string;
	from: string;
	to: string;
}

/**
 * The question the query asks, with its defaults (the organisation's district layer, the last
 * ended quarter); throws a UserInputError (400) or an ApiRefusal (403) naming the parameter.
 */
export async function reportQuestion(sql: Sql, ctx: RequestContext, q: CoverageQuery): Promise<ReportQuestion> {
	const today = todayInBrussels();
	const { user, org } = ctx;
	const quarter = defaultAnalystQuarter(today);
	const to = q.to ?? (q.from ? null : quarter.to);
	const from = q.from ?? (q.to ? null : quarter.from);
	if (!from) throw new UserInputError(API_ERROR_CODES.invalidParam, 'from', 'give "from" with "to"');
	if (!to) throw new UserInputError(API_ERROR_CODES.invalidParam, 'to', 'give "to" with "from"');
	if (from > to) throw new UserInputError(API_ERROR_CODES.invalidParam, 'from', `"from" (${from}) is after "to" (${to})`);
	if (daysBetween(from, to) >= MAX_PERIOD_DAYS)
		throw new UserInputError(API_ERROR_CODES.invalidParam, 'from', `period longer than ${MAX_PERIOD_DAYS} days`);
	if (user.role === 'analyst') {
		const refusal = analystQueryRefusal({ res: analystRes(org), from, to, types: null, groups: null, teams: null, bbox: null }, org, today);
		if (refusal) throw new ApiRefusal(403, { code: API_ERROR_CODES.roleRefused, param: refusal.param, message: refusal.message });
	} else if (user.role !== 'coordinator') {
		throw new ApiRefusal(403, { code: API_ERROR_CODES.roleRefused, param: 'role', message: 'reports are for coordinators and analysts' });
	}
	const layers = await areaLayers(sql, org.orgId);
	// unasked: the organisation's district layer (settings/areas; none at all: an empty report)
	const layer = q.layer ?? (await districtLayer(sql, org.orgId)) ?? layers[0] ?? '';
	if (q.layer !== undefined && !layers.includes(layer)) {
		throw new UserInputError(
			API_ERROR_CODES.invalidParam,
			'layer',
			`unknown area layer "${layer}"; this organisation has: ${layers.join(', ') || 'none'}`
		);
	}
	return { layer, from, to };
}

function columns(rows: readonly ReportFigures[]): FigureColumns {
	const out = Object.fromEntries(FIGURES.map((f) => [f, rows.map((r) => r[f])]));
	return out as FigureColumns;
}

/** The report for a checked question; `version` is the organisation's data version when the request has it. */
export async function coverageAnswer(sql: Sql, ctx: RequestContext, question: ReportQuestion, version?: string): Promise<CoverageReport> {
	const { user, org } = ctx;
	const analyst = user.role === 'analyst';
	const res = Math.min(org.planningRes, org.storageRes);
	const zoneRes = analyst ? analystRes(org) : res;
	const [result, layers, entries] = await Promise.all([
		coverageReport(sql, org.orgId, {
			layer: question.layer,
			period: { from: question.from, to: question.to },
			res,
			zoneRes,
			k: analyst ? org.kThreshold : null,
			version: version ?? (await dataVersion(sql, org.orgId))
		}),
		areaLayers(sql, org.orgId),
		listEntries(sql, org.orgId, 'referral_target')
	]);
	const targets = reportTargets(entries, [result.current, result.previous, result.yearEarlier]);
	// an analyst's area (total) of "< k" contacts shows none of its categories, not even which are 0;
	// a category absent from the map has no referrals (a present one may be null: "< k")
	const of = (m: Map<number, number | null>, id: number, small: boolean) => (small ? null : m.has(id) ? m.get(id)! : 0);
	const byTarget = (p: ReportPeriod) => ({
		areas: targets.map((t) => p.byTarget.areas.map((m, i) => of(m, t.id, analyst && p.areas[i]!.contacts === null))),
		total: targets.map((t) => of(p.byTarget.total, t.id, analyst && p.total.contacts === null))
	});
	const period = (p: ReportPeriod) => ({ from: p.from, to: p.to, areas: columns(p.areas), total: p.total, byTarget: byTarget(p) });
	const l = result.layer;
	return {
		layer: question.layer,
		layers,
		res,
		zoneRes,
		published: analyst ? { k: org.kThreshold, rounding: ROUNDING_BASE } : null,
		areas: { codes: l.codes, names: l.names, population: l.population, cells: l.cells },
		targets,
		current: period(result.current),
		previous: period(result.previous),
		yearEarlier: period(result.yearEarlier),
		gap: result.gap
	};
}

/**
 * The categories of the report: the organisation's referral targets (active ones, and retired ones
 * the periods still have referrals to; merged ones live on in the entry they were merged into),
 * then "unknown" when any referral names no target.
 */
function reportTargets(entries: Awaited<ReturnType<typeof listEntries>>, periods: readonly ReportPeriod[]): VocabularyEntry[] {
	const used = new Set(periods.flatMap((p) => [...p.byTarget.total].flatMap(([t, n]) => (n === 0 ? [] : [t]))));
	const named = entries.filter((e) => e.mergedInto === null && (e.active || used.has(e.id))).map(({ id, code, nl, en }) => ({ id, code, nl, en }));
	const unknown = used.has(UNKNOWN_TARGET) ? [{ id: UNKNOWN_TARGET, code: 'unknown', nl: 'Onbekend', en: 'Unknown' }] : [];
	return [...named, ...unknown];
}
