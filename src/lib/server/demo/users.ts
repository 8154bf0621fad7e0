// One demo account per role. Their passwords are public on purpose (README and the login page
// show them while the demo organisation is the one in use); a real deployment creates its first
// coordinator with `npm run user:create` instead.
import type { Role } from '../../domain/access';
import { hashPassword } from '../auth/password';
import type { Sql } from '../db';
import { addDays } from '../../domain/calendar';

export interface DemoUser {
	email: string;
	password: string;
	role: Role;
	name: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
	{ email: 'coordinator@demo.example', password: 'demo-coordinator-2026', role: 'coordinator', name: 'Demo Coördinator' },
	{ email: 'werker@demo.example', password: 'demo-werker-2026', role: 'worker', name: 'Demo Werker' },
	{ email: 'analist@demo.example', password: 'demo-analist-2026', role: 'analyst', name: 'Demo Beleidsanalist' }
];

// Colleagues without a password (they cannot sign in): the demo worker needs a partner, since
// street rounds go out in pairs.
export const DEMO_COLLEAGUES = ['Noor Peeters', 'Sam De Smet'] as const;

// The demo worker walks the station quarter and the inner city this quarter.
const DEMO_ZONES = [
	{ layer: 'district', code: '22', label: 'Stationsbuurt-Noord' },
	{ layer: 'district', code: '1', label: 'Binnenstad' }
];

export interface DemoUserIds {
	coordinator: number;
	worker: number;
	analyst: number;
	colleagues: number[];
}

export async function insertDemoUsers(tx: Sql, orgId: number, today: string): Promise<DemoUserIds> {
	const ids: Record<string, number> = {};
	for (const u of DEMO_USERS) {
		const [row] = await tx`
			insert into app_user (org_id, email, display_name, role, password_hash)
			values (${orgId}, ${u.email}, ${u.name}, ${u.role}, ${await hashPassword(u.password)})
			returning user_id`;
		ids[u.role] = row!.user_id as number;
	}
	for (const z of DEMO_ZONES) {
		await tx`
			insert into zone_assignment (org_id, user_id, label, area_layer, area_code, valid_from, valid_to, created_by)
			values (${orgId}, ${ids.worker!}, ${z.label}, ${z.layer}, ${z.code}, ${addDays(today, -30)}, ${addDays(today, 60)}, ${ids.coordinator!})`;
	}
	const colleagues = await tx`
		insert into app_user (org_id, email, display_name, role)
		select ${orgId}, lower(replace(name, ' ', '.')) || '@demo.example', name || ' (demo)', 'worker'
		from unnest(${[...DEMO_COLLEAGUES]}::text[]) with ordinality as t(name, n) order by n
		returning user_id`;
	return {
		coordinator: ids.coordinator!,
		worker: ids.worker!,
		analyst: ids.analyst!,
		colleagues: colleagues.map((c) => c.user_id as number)
	};
}
