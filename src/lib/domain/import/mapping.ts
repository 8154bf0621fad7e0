// Column mapping: which column of the source file feeds which contact field. Saved per import
// source as JSON, so it is validated with zod on the way in and out of the database.
import { z } from 'zod';

const column = z.string().trim().min(1).max(200);

export const CRS_CHOICES = ['wgs84', 'lambert72', 'lambert2008', 'auto'] as const;

/**
 * Coordinates: a row uses the lat/lng pair when both of its cells are filled, else the x/y pair.
 * `crs` (default 'auto', detected per row from the magnitudes) says how to read the pair. lat and
 * y are the northing, lng and x the easting. Mapping both pairs only makes sense with 'auto'
 * (the pairs are then in different systems), so an explicit crs with both pairs is refused.
 */
export const columnMappingSchema = z
	.object({
		occurredAt: column,
		/** Separate time column ("Uur"), joined to the date as "date time". */
		time: column.optional(),
		lat: column.optional(),
		lng: column.optional(),
		x: column.optional(),
		y: column.optional(),
		crs: z.enum(CRS_CHOICES).optional(),
		contactType: column,
		targetGroups: column.optional(),
		themes: column.optional(),
		persons: column.optional(),
		referral: column.optional(),
		externalId: column.optional(),
		team: column.optional()
	})
	.strict()
	.superRefine((m, ctx) => {
		const pair = (a: string | undefined, b: string | undefined, names: [string, string]) => {
			if ((a === undefined) !== (b === undefined))
				ctx.addIssue({
					code: 'custom',
					path: [a === undefined ? names[0] : names[1]],
					message: `${names[0]} and ${names[1]} go together`
				});
			return a !== undefined && b !== undefined;
		};
		const latLng = pair(m.lat, m.lng, ['lat', 'lng']);
		const xy = pair(m.x, m.y, ['x', 'y']);
		if (!latLng && !xy) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'map lat/lng or x/y' });
		if (latLng && xy && m.crs !== undefined && m.crs !== 'auto')
			ctx.addIssue({ code: 'custom', path: ['crs'], message: 'with both lat/lng and x/y, crs must be auto' });
	});

export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** The mapped file columns, for checking them against a file's header row. */
export function mappedColumns(m: ColumnMapping): string[] {
	const cols = [
		m.occurredAt,
		m.time,
		m.lat,
		m.lng,
		m.x,
		m.y,
		m.contactType,
		m.targetGroups,
		m.themes,
		m.persons,
		m.referral,
		m.externalId,
		m.team
	];
	return [...new Set(cols.filter((c): c is string => c !== undefined))];
}
