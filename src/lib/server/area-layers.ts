// The organisation's area layers, whatever they are called: which one is its district layer
// (names, outlines, zone names, signals' district, reports) and which carries population. No
// other module names a layer. Until a coordinator chooses (settings/areas), the district layer is
// the coarsest one (a layer whose areas name no parent, then the fewest areas: a file of four
// blocks inside five quartiers says so by its parent codes) and the population layer the one with
// the most populated areas, so an organisation with one imported layer works at once.
import type { Sql } from './db';
import { audit } from './audit';
import { UserInputError } from '../domain/errors';

export interface AreaLayerInfo {
	layer: string;
	/** Number of areas in the layer. */
	features: number;
	/** Areas with a population above 0. */
	populated: number;
	/** Areas naming an enclosing area (a parent code): the layer is a finer one. */
	withParent: number;
}

export interface AreaLayerChoice {
	/** The district layer in effect (chosen, or the fallback); null when there are no areas. */
	district: string | null;
	/** The population layer in effect; null when no layer has a population. */
	population: string | null;
	/** Whether the coordinator chose each (false: the fallback is in effect). */
	chosen: { district: boolean; population: boolean };
	layers: AreaLayerInfo[];
}

/** Every imported layer with its feature count and how many of its areas have a population. */
export async function listAreaLayers(sql: Sql, orgId: number): Promise<AreaLayerInfo[]> {
	const rows = await sql`
		select layer, count(*)::int as features, (count(*) filter (where population > 0))::int as populated,
			(count(*) filter (where parent_code is not null and parent_code <> ''))::int as with_parent
		from area where org_id = ${orgId} group by layer order by layer`;
	return rows.map((r) => ({
		layer: r.layer as string,
		features: r.features as number,
		populated: r.populated as number,
		withParent: r.with_parent as number
	}));
}

/** The layers in effect, from the stored choice and the imported layers. */
export function effectiveLayers(
	stored: { district: string | null; population: string | null },
	layers: readonly AreaLayerInfo[]
): Omit<AreaLayerChoice, 'layers'> {
	const has = (l: string | null) => l !== null && layers.some((x) => x.layer === l);
	const finer = (l: AreaLayerInfo) => (l.withParent > 0 ? 1 : 0);
	const coarsest = [...layers].sort((a, b) => finer(a) - finer(b) || a.features - b.features || a.layer.localeCompare(b.layer))[0]?.layer ?? null;
	const populated = [...layers].filter((l) => l.populated > 0).sort((a, b) => b.populated - a.populated || a.layer.localeCompare(b.layer))[0];
	return {
		district: has(stored.district) ? stored.district : coarsest,
		population: has(stored.population) ? stored.population : (populated?.layer ?? null),
		chosen: { district: has(stored.district), population: has(stored.population) }
	};
}

/** The organisation's layers, its choice and what is in effect. */
export async function areaLayerChoice(sql: Sql, orgId: number): Promise<AreaLayerChoice> {
	const [[org], layers] = await Promise.all([
		sql`select district_layer, population_layer from organisation where org_id = ${orgId}`,
		listAreaLayers(sql, orgId)
	]);
	const stored = { district: (org?.district_layer as string | null) ?? null, population: (org?.population_layer as string | null) ?? null };
	return { ...effectiveLayers(stored, layers), layers };
}

/** The district layer in effect, or null when the organisation has no areas. */
export async function districtLayer(sql: Sql, orgId: number): Promise<string | null> {
	return (await areaLayerChoice(sql, orgId)).district;
}

/** The population layer in effect, or null when no layer has a population. */
export async function populationLayer(sql: Sql, orgId: number): Promise<string | null> {
	return (await areaLayerChoice(sql, orgId)).population;
}

/**
 * Stores the coordinator's choice (each an imported layer; the population layer must have a
 * population), audit-logged; bumps the data version, since names and population change with it.
 */
export async function chooseAreaLayers(sql: Sql, orgId: number, by: number, input: { district: string; population: string | null }): Promise<void> {
	const layers = await listAreaLayers(sql, orgId);
	const district = layers.find((l) => l.layer === input.district);
	if (!district) throw new UserInputError('layerUnknown', 'district', `no imported layer "${input.district}"`, { layer: input.district });
	const population = input.population === null ? null : layers.find((l) => l.layer === input.population);
	if (input.population !== null && !population)
		throw new UserInputError('layerUnknown', 'population', `no imported layer "${input.population}"`, { layer: input.population });
	if (population && population.populated === 0)
		throw new UserInputError('layerNoPopulation', 'population', `layer "${population.layer}" has no population`, { layer: population.layer });
	await sql.begin(async (tx) => {
		const [before] = await tx`
			select district_layer, population_layer from organisation where org_id = ${orgId} for update`;
		await tx`
			update organisation set district_layer = ${district.layer}, population_layer = ${population?.layer ?? null}
			where org_id = ${orgId}`;
		// organisation has no data-version trigger: record this transaction as a change by hand
		await tx`
			insert into org_data_change (org_id, xid) values (${orgId}, pg_current_xact_id()::text::bigint)
			on conflict (org_id, xid) do nothing`;
		await audit(tx as unknown as Sql, {
			orgId,
			userId: by,
			action: 'settings.areas',
			detail: {
				district: district.layer,
				population: population?.layer ?? null,
				previousDistrict: (before?.district_layer as string | null) ?? null,
				previousPopulation: (before?.population_layer as string | null) ?? null
			}
		});
	});
}
