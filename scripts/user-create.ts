// npm run user:create -- --email ana@stad.example --name "Ana Peeters" [--role coordinator]
//   [--org my-city --org-name "Stad X outreach" (--bbox w,s,e,n | --boundary gemeente.geojson)]
// Creates an account (by default the first coordinator of a new organisation). A new
// organisation's area is a bbox, or the boundary of its municipality (a GeoJSON Polygon or
// MultiPolygon, bare, as a Feature or as a FeatureCollection of one): then "outside the area"
// means outside the municipality, and the bbox is the boundary's. The password is
// read from the terminal without echo, or from standard input when piped (never from arguments,
// which end up in shell history).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { openCliDatabase } from './cli-db';
import { migrate } from '../src/lib/server/migrate';
import { createOrganisation, findOrganisation } from '../src/lib/server/organisations';
import { createUser } from '../src/lib/server/auth/users';
import { UserInputError } from '../src/lib/domain/errors';
import { audit } from '../src/lib/server/audit';
import { ROLES, type Role } from '../src/lib/domain/access';
import { readBoundary } from '../src/lib/domain/import/areas';

const { values: a } = parseArgs({
	options: {
		email: { type: 'string' },
		name: { type: 'string' },
		role: { type: 'string', default: 'coordinator' },
		org: { type: 'string' },
		'org-name': { type: 'string' },
		bbox: { type: 'string' },
		boundary: { type: 'string' }
	}
});

function fail(message: string): never {
	console.error(message);
	process.exit(2);
}

async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		let data = '';
		for await (const chunk of process.stdin) data += chunk;
		return data.split('\n')[0]!.trim();
	}
	const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	process.stdout.write('Password (at least 12 characters): ');
	const rlWithOutput = rl as unknown as { _writeToOutput: (s: string) => void };
	rlWithOutput._writeToOutput = () => {}; // no echo
	const pw = await new Promise<string>((resolve) => rl.question('', resolve));
	rl.close();
	process.stdout.write('\n');
	return pw;
}

if (!a.email || !a.name)
	fail(
		'usage: npm run user:create -- --email E --name N [--role coordinator|worker|analyst] [--org SLUG --org-name NAME (--bbox w,s,e,n | --boundary FILE.geojson)]'
	);
if (a.bbox && a.boundary) fail('give --bbox or --boundary, not both');
if (!ROLES.includes(a.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`);

const database = await openCliDatabase();
try {
	await migrate(database.sql);
	const slug = a.org ?? 'default';
	let org = await findOrganisation(database.sql, slug);
	if (!org) {
		const area = a.boundary ? boundaryOf(a.boundary) : undefined;
		const bbox = area?.bbox ?? a.bbox?.split(',').map(Number);
		if (!a['org-name'] || !bbox || bbox.length !== 4 || bbox.some(Number.isNaN)) {
			fail(`organisation "${slug}" does not exist: give --org-name and --bbox west,south,east,north (or --boundary FILE.geojson) to create it`);
		}
		org = await createOrganisation(database.sql, {
			slug,
			name: a['org-name'],
			bbox: bbox as [number, number, number, number],
			boundary: area?.geometry
		});
		console.log(`created organisation ${slug} (${org.name})${area ? `, its area the boundary in ${a.boundary}` : ''}`);
	}
	const password = await readPassword();
	const userId = await createUser(database.sql, { orgId: org.orgId, email: a.email, name: a.name, role: a.role as Role, password });
	await audit(database.sql, { orgId: org.orgId, userId: null, action: 'user.create', detail: { userId, role: a.role!, via: 'cli' } });
	console.log(`created ${a.role} ${a.email} in ${slug}`);
} catch (e) {
	if (e instanceof UserInputError) fail(`${e.field}: ${e.message}`);
	throw e;
} finally {
	await database.close();
}

/** The boundary file, checked (and repaired) as an area import would; the reasons in English. */
function boundaryOf(file: string) {
	let value: unknown;
	try {
		value = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		fail(`--boundary ${file}: not a readable GeoJSON file (${(e as Error).message})`);
	}
	const b = readBoundary(value);
	if (!b.ok) fail(`--boundary ${file}: ${b.errors.map((e) => e.message.en).join('; ')}`);
	for (const w of b.warnings) console.log(`--boundary ${file} (warning): ${w.message.en}`);
	return b;
}
