// "12 toeleidingen, waarvan 7 naar CAW": the underserved reason and its publication for analysts.
import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { _ } from 'svelte-i18n';
import { intlTag, setLocale, setupI18n } from '../../src/lib/i18n';
import { reasonText } from '../../src/lib/components/underserved';
import { scoreZones, type ZoneInput } from '../../src/lib/domain/analysis/underserved';
import { publishTopTarget, publishZoneInput } from '../../src/lib/domain/privacy';

const TARGETS: Record<number, string> = { 3: 'CAW' };

function ctx(k: number | null = null) {
	setupI18n();
	setLocale('nl');
	return { t: get(_), tag: intlTag('nl'), k, category: () => null, target: (id: number) => TARGETS[id] ?? null };
}

const zone: ZoneInput = {
	cell: '881fa40e21fffff',
	openSignals: 0,
	population: 0,
	contacts: 400,
	daysSinceLast: 3,
	referrals: 12,
	topTarget: { id: 3, referrals: 7 }
};

describe('the referral split in the underserved reasons', () => {
	it('the demand reason carries the referrals and the largest target, and says so', () => {
		const [scored] = scoreZones([zone], [], { periodDays: 365 });
		const demand = scored!.reasons.find((r) => r.kind === 'demand');
		expect(demand).toMatchObject({ referrals: 12, topTarget: { id: 3, referrals: 7 } });
		expect(reasonText(demand!, ctx())).toMatch(/; 12 toeleidingen, waarvan 7 naar CAW$/);
	});

	it('says nothing of targets without a known one', () => {
		const text = reasonText({ kind: 'demand', points: 5, contacts: 40 }, ctx());
		expect(text).not.toMatch(/toeleiding/);
	});

	it('analysts get the split only with publishable counts', () => {
		// the zone's other counts as the hex map published them (not what this test is about)
		// (referrals as the hex map published them: 12 true, 10 shown)
		const pub = { contacts: 40, recentContacts: 40, daysSinceLast: 7, openSignals: 0, signalKey: 0, referrals: 10 };
		expect(publishZoneInput(zone, pub, 5)).toMatchObject({ referrals: 10, topTarget: { id: 3, referrals: 5 } });
		const k10 = publishZoneInput(zone, pub, 10);
		expect(k10.referrals).toBe(10);
		expect(k10.topTarget).toBeUndefined();
		// the zone's referrals are the map's, never a second publication of the true count
		expect(publishZoneInput(zone, { ...pub, referrals: 15 }, 5).referrals).toBe(15);
		// a top target never above the published total
		expect(publishZoneInput({ ...zone, topTarget: { id: 3, referrals: 12 } }, { ...pub, referrals: 5 }, 5).topTarget).toEqual({
			id: 3,
			referrals: 5
		});
		expect(publishZoneInput({ ...zone, referrals: 3, topTarget: { id: 3, referrals: 3 } }, { ...pub, referrals: null }, 5)).toMatchObject({
			referrals: undefined,
			topTarget: undefined
		});
		expect(publishTopTarget(null, 9, 5)).toBeNull();
		expect(publishTopTarget(3, 4, 5)).toBeNull();
		expect(publishTopTarget(3, 12, 5)).toEqual({ target: 3, referrals: 10 });
	});
});
