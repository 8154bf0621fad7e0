// How a duo travels between zones: on foot or by bike. Minutes come from great-circle distance ×
// a detour factor at a pace; walking keeps the planner's defaults, cycling's pace and detour are
// organisation settings (Ghent's outreach workers cycle). Also the organisation's revisit goal.
import { z } from 'zod';
import { WALKING_DETOUR_FACTOR } from './cells';
import { DEFAULT_WALKING_KMH } from './planner/walking';

export const TRAVEL_MODES = ['walking', 'cycling'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];

/** A pace: km/h over street distance, which is straight-line distance × detourFactor. */
export interface Pace {
	kmh: number;
	detourFactor: number;
}

export const WALKING_PACE: Pace = { kmh: DEFAULT_WALKING_KMH, detourFactor: WALKING_DETOUR_FACTOR };

/** The organisation's round settings (migration 0013), with their ranges for form and server. */
export const roundSettingsSchema = z.object({
	cyclingKmh: z.coerce.number().min(5).max(40),
	cyclingDetour: z.coerce.number().min(1).max(3),
	revisitMinScore: z.coerce.number().int().min(0).max(100),
	revisitDays: z.coerce.number().int().min(1).max(90)
});
export type RoundSettings = z.infer<typeof roundSettingsSchema>;

export const DEFAULT_ROUND_SETTINGS: RoundSettings = {
	cyclingKmh: 14,
	cyclingDetour: WALKING_DETOUR_FACTOR,
	revisitMinScore: 50,
	revisitDays: 14
};

/** The pace of a travel mode under the organisation's settings. */
export function paceOf(mode: TravelMode, settings: Pick<RoundSettings, 'cyclingKmh' | 'cyclingDetour'>): Pace {
	return mode === 'cycling' ? { kmh: settings.cyclingKmh, detourFactor: settings.cyclingDetour } : WALKING_PACE;
}

export function isTravelMode(v: unknown): v is TravelMode {
	return (TRAVEL_MODES as readonly unknown[]).includes(v);
}
