import { db } from '$lib/server/app-db';
import { auditMapView } from '$lib/server/audit';
import { requireContext } from '$lib/server/context';
import { answer, ApiRefusal, apiRoute, parseQuery } from '$lib/server/api';
import { cachedAnswer } from '$lib/server/answer-cache';
import { todayInBrussels } from '$lib/server/clock';
import { dataVersion } from '$lib/server/data-version';
import { layerCells } from '$lib/server/layer-cells';
import { districtLayer } from '$lib/server/area-layers';
import { areaLayers } from '$lib/server/queries/areas';
import { analystTrend, areaTrendTotals, trendCounts } from '$lib/server/queries/trends';
import { analystRes } from '$lib/domain/analyst-query';
import { getVocabularies } from '$lib/server/organisations';
import { badRequest } from '$lib/server/http';
import { trend } from '$lib/api/trends';
import { API_ERROR_CODES } from '$lib/api/errors';
import { shapeTrend, trendPeriods } from '$lib/domain/reports-trend';

export const GET = apiRoute(async (event) => {
	const ctx = await requireContext(event.locals);
	const { user, org } = ctx;
	const q = parseQuery(trend, event.url);
	const by = q.by ?? 'type';
	const grain = q.grain ?? 'quarter';
	const analyst = user.role === 'analyst';
	// Months would set a quarter against its own months: analysts see whole ended quarters only.
	if (analyst && grain === 'month') {
		throw new ApiRefusal(403, { code: API_ERROR_CODES.roleRefused, param: 'grain', message: 'analysts see whole quarters only; ask grain=quarter' });
	}
	const today = todayInBrussels();
	const { sql } = await db();
	// the organisation's district layer, whatever it is called (none: the organisation alone)
	const layer = q.layer ?? (await districtLayer(sql, org.orgId)) ?? '';
	const periods = trendPeriods(today, grain, analyst);
	// Areas are matched on the parent of the storage cell: fine enough for a district's
	// edge, and a few times fewer cells to compare than at storage resolution.
	const cellRes = org.storageRes - 1;
	return cachedAnswer(event, ctx, {
		endpoint: trend.path,
		question: { layer, area: q.area ?? null, by, grain, today, each: q.each ?? null },
		// in the audit log like every other view of aggregates: the resolution and the whole window
		onAnswer: () =>
			auditMapView(sql, org.orgId, user.userId, user.role, {
				res: analyst ? analystRes(org) : cellRes,
				from: periods[0]!.from,
				to: periods[periods.length - 1]!.to,
				types: null,
				groups: null,
				teams: null
			}),
		compute: async () => {
			const layers = await areaLayers(sql, org.orgId);
			const known = layers.includes(layer);
			if (!known && (q.layer !== undefined || q.area !== undefined)) {
				return badRequest(API_ERROR_CODES.invalidParam, 'layer', `unknown layer "${layer}"; known: ${layers.join(', ')}`);
			}
			const version = event.locals.dataVersion ?? (await dataVersion(sql, org.orgId));
			const areaMap = known ? await layerCells(sql, org.orgId, layer, cellRes, version) : new Map();
			const area = q.area === undefined ? null : areaMap.get(q.area);
			if (area === undefined) return badRequest(API_ERROR_CODES.invalidParam, 'area', `no area "${q.area}" in layer "${layer}"`);

			const vocab = (await getVocabularies(sql, org.orgId))[by === 'type' ? 'contact_type' : 'target_group'];
			const ids = vocab.map((v) => v.id);
			// The one place an analyst's trend figures are published: each quarter is the map's
			// question at their resolution, by area as the report groups it (the cell-key rule).
			const { areaTotals: analystAreaTotals, ...shaped } = analyst
				? await analystTrend(sql, org.orgId, {
						periods,
						by,
						ids,
						res: analystRes(org),
						k: org.kThreshold,
						area: area?.code ?? null,
						layer: known ? layer : null
					})
				: await (async () => {
						const rows = await trendCounts(sql, org.orgId, { periods, grain, by, cells: area?.cells ?? null, cellRes });
						return { ...shapeTrend(periods, ids, rows.counts, rows.totals), areaTotals: undefined };
					})();
			// each area's totals (the report table's sparklines): an analyst's from the same
			// published quarters, a coordinator's exact from the rollup in one statement
			const eachArea =
				q.each !== 'area'
					? null
					: (analystAreaTotals ?? (await areaTrendTotals(sql, org.orgId, { periods, grain, cellRes, areas: [...areaMap.values()] })));
			const areaTotals = eachArea
				? [...areaMap.values()].map((a) => ({ code: a.code, values: eachArea.get(a.code) ?? periods.map(() => 0) }))
				: undefined;
			return answer(trend, {
				layer,
				layers,
				areas: [...areaMap.values()].map((a) => ({ code: a.code, name: a.name })).sort((a, b) => a.name.localeCompare(b.name, 'nl')),
				area: area ? { code: area.code, name: area.name } : null,
				by,
				grain,
				periods,
				...shaped,
				...(areaTotals ? { areaTotals } : {}),
				...(analyst ? { k: org.kThreshold } : {})
			});
		}
	});
});
