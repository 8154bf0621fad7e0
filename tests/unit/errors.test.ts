// The one error model: a refusal carries a stable code, its field and the values its translation
// needs, and a form action hands that to the page as a FieldProblem (never a sentence to match).
import { describe, expect, it } from 'vitest';
import { fieldProblem, UserInputError } from '../../src/lib/domain/errors';
import { passwordProblem } from '../../src/lib/server/auth/password';
import { SETTING_RANGES, updateSettings } from '../../src/lib/server/settings';

describe('the error model', () => {
	it('a form problem keeps the code, the field (or the one it is moved to) and the values as params', () => {
		const e = new UserInputError('cellsInvalid', 'cells', 'not a cell', { cell: 'x', res: 9 });
		expect(e.info()).toEqual({ code: 'cellsInvalid', param: 'cells', message: 'not a cell', values: { cell: 'x', res: 9 } });
		expect(fieldProblem(e)).toEqual({ field: 'cells', code: 'cellsInvalid', message: 'not a cell', params: { cell: 'x', res: 9 } });
		expect(fieldProblem(new UserInputError('zoneChoose', 'zone', 'choose'), 'area')).toEqual({
			field: 'area',
			code: 'zoneChoose',
			message: 'choose'
		});
	});

	it('a password problem is a coded refusal of the field password', () => {
		expect(passwordProblem('long enough password')).toBeNull();
		expect(passwordProblem('short')).toMatchObject({ code: 'passwordTooShort', field: 'password', values: { min: 12 } });
		expect(passwordProblem('p'.repeat(257))).toMatchObject({ code: 'passwordTooLong', field: 'password', values: { max: 256 } });
	});

	it('a setting out of range names its field and its range, before the database is touched', async () => {
		const ok = { kThreshold: '5', policyRes: '8', planningRes: '9', retentionMonths: '24' };
		for (const [field, value] of [
			['kThreshold', '2'],
			['policyRes', '11'],
			['planningRes', 'x'],
			['retentionMonths', '1.5']
		] as const) {
			const e = await updateSettings(null as never, 1, 1, { ...ok, [field]: value }).catch((err) => err);
			expect(e).toBeInstanceOf(UserInputError);
			expect(e).toMatchObject({ field, code: 'settingsRange', values: SETTING_RANGES[field] });
		}
		expect(SETTING_RANGES.kThreshold).toEqual({ min: 3, max: 50 });
	});
});
