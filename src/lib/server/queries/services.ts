// Service locations as GeoJSON points (public places: their cell centre is shown).
import { cellToLatLng } from 'h3-js';
import type { Sql } from '../db';

export async function serviceFeatures(sql: Sql, orgId: number) {
	const rows = await sql`
		select s.service_id, s.category, v.code as category_code, s.name, to_hex(s.cell) as cell,
			s.capacity, s.opening_hours, s.address, s.is_demo
		from service_location s
		join vocabulary v on v.org_id = s.org_id and v.kind = 'service_category' and v.id = s.category
		where s.org_id = ${orgId}
		order by s.service_id`;
	return {
		type: 'FeatureCollection' as const,
		features: rows.map((r) => {
			const [lat, lng] = cellToLatLng(r.cell as string);
			return {
				type: 'Feature' as const,
				id: r.service_id as number,
				geometry: { type: 'Point' as const, coordinates: [round6(lng), round6(lat)] },
				properties: {
					id: r.service_id as number,
					category: r.category as number,
					categoryCode: r.category_code as string,
					name: r.name as string,
					capacity: r.capacity as number | null,
					openingHours: r.opening_hours as string | null,
					address: r.address as string | null,
					isDemo: r.is_demo as boolean
				}
			};
		})
	};
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
