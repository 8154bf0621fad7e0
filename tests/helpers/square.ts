// A square GeoJSON polygon for area-layer tests: south-west corner (lng, lat), side d degrees.
export const square = (lng: number, lat: number, d: number) => ({
	type: 'Polygon' as const,
	coordinates: [
		[
			[lng, lat],
			[lng + d, lat],
			[lng + d, lat + d],
			[lng, lat + d],
			[lng, lat]
		]
	]
});
