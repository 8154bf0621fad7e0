// The tables of an Open Referral HSDS 3.x tabular package and the file names each is accepted
// under. No other imports: the import page (browser) names the files of a chosen package with
// it, before anything is sent; the server's package reader (hsds.ts) uses the same lists.

export const HSDS_TABLES = [
	'organization',
	'service',
	'location',
	'service_at_location',
	'schedule',
	'service_capacity',
	'address',
	'attribute',
	'taxonomy_term',
	'unit'
] as const;
export type HsdsTable = (typeof HSDS_TABLES)[number];

/** Without these a package gives no service location at all. */
export const HSDS_REQUIRED: readonly HsdsTable[] = ['service', 'location', 'service_at_location'];

/** File names a table is accepted under (HSDS 3 uses plurals; 2.x and many exports singulars). */
export const HSDS_FILE_NAMES: Record<HsdsTable, string[]> = {
	organization: ['organization', 'organizations', 'organisation', 'organisations'],
	service: ['service', 'services'],
	location: ['location', 'locations'],
	service_at_location: ['service_at_location', 'service_at_locations', 'services_at_location', 'services_at_locations'],
	schedule: ['schedule', 'schedules', 'regular_schedule', 'regular_schedules'],
	service_capacity: ['service_capacity', 'service_capacities'],
	address: ['address', 'addresses', 'physical_address', 'physical_addresses'],
	attribute: ['attribute', 'attributes'],
	taxonomy_term: ['taxonomy_term', 'taxonomy_terms'],
	unit: ['unit', 'units']
};

const baseName = (path: string) =>
	path
		.split(/[\\/]/)
		.pop()!
		.toLowerCase()
		.replace(/\.csv$/, '');

/** Which table a file of the package is, by its name (folders and ".csv" ignored). */
export function tableOfFile(path: string): HsdsTable | null {
	const b = baseName(path);
	for (const t of HSDS_TABLES) if (HSDS_FILE_NAMES[t].includes(b)) return t;
	return null;
}

/** The usual file names of a table, for messages ("service.csv / services.csv"). */
export function expectedFileNames(table: HsdsTable): string[] {
	return HSDS_FILE_NAMES[table].slice(0, 2).map((n) => `${n}.csv`);
}
