import { applySettingsEdit, EDITABLE_PATHS, type EditableSettings } from '../../../plugins/complaints/server/src/domain/settings-edit';

const CURRENT: EditableSettings = {
  warnings: { measure: { yellowDays: 20, orangeDays: 10 }, response: { yellowDays: 1, orangeDays: 1 } },
  ranking: { weights: { response: 1, resolution: 1, satisfaction: 1 }, listSize: 5 },
};

describe('the editable settings', () => {
  it('are the warning thresholds and the ranking, by the paths of the configuration file', () => {
    expect(EDITABLE_PATHS).toEqual([
      'warnings.measure.yellowDays',
      'warnings.measure.orangeDays',
      'warnings.response.yellowDays',
      'warnings.response.orangeDays',
      'ranking.weights.response',
      'ranking.weights.resolution',
      'ranking.weights.satisfaction',
      'ranking.listSize',
    ]);
  });
});

describe('an edit that is accepted: the new settings and what changed', () => {
  const table: Array<[string, unknown, Array<{ path: string; from: number; to: number }>, (s: EditableSettings) => unknown, unknown]> = [
    ['one threshold', { warnings: { measure: { yellowDays: 15 } } }, [{ path: 'warnings.measure.yellowDays', from: 20, to: 15 }], (s) => s.warnings.measure, { yellowDays: 15, orangeDays: 10 }],
    ['both of one clock', { warnings: { measure: { yellowDays: 30, orangeDays: 15 } } }, [
      { path: 'warnings.measure.yellowDays', from: 20, to: 30 },
      { path: 'warnings.measure.orangeDays', from: 10, to: 15 },
    ], (s) => s.warnings.measure, { yellowDays: 30, orangeDays: 15 }],
    ['the response clock gains a yellow stage', { warnings: { response: { yellowDays: 2 } } }, [{ path: 'warnings.response.yellowDays', from: 1, to: 2 }], (s) => s.warnings.response, { yellowDays: 2, orangeDays: 1 }],
    ['orange at 0 days (only red when overdue)', { warnings: { response: { orangeDays: 0 } } }, [{ path: 'warnings.response.orangeDays', from: 1, to: 0 }], (s) => s.warnings.response, { yellowDays: 1, orangeDays: 0 }],
    ['ranking weights 2 : 1 : 0', { ranking: { weights: { response: 2, satisfaction: 0 } } }, [
      { path: 'ranking.weights.response', from: 1, to: 2 },
      { path: 'ranking.weights.satisfaction', from: 1, to: 0 },
    ], (s) => s.ranking.weights, { response: 2, resolution: 1, satisfaction: 0 }],
    ['a list of 3', { ranking: { listSize: 3 } }, [{ path: 'ranking.listSize', from: 5, to: 3 }], (s) => s.ranking.listSize, 3],
    ['the bounds themselves', { warnings: { measure: { yellowDays: 365 } }, ranking: { weights: { resolution: 1000 }, listSize: 1000 } }, [
      { path: 'warnings.measure.yellowDays', from: 20, to: 365 },
      { path: 'ranking.weights.resolution', from: 1, to: 1000 },
      { path: 'ranking.listSize', from: 5, to: 1000 },
    ], (s) => [s.warnings.measure.yellowDays, s.ranking.weights.resolution, s.ranking.listSize], [365, 1000, 1000]],
    ['a value equal to the current one changes nothing', { ranking: { listSize: 5 } }, [], (s) => s.ranking.listSize, 5],
  ];
  it.each(table)('%s', (_name, edit, changes, pick, picked) => {
    const { next, changes: got } = applySettingsEdit(CURRENT, edit);
    expect(got).toEqual(changes);
    expect(pick(next)).toEqual(picked);
  });

  it('leaves the current settings as they were', () => {
    applySettingsEdit(CURRENT, { warnings: { measure: { yellowDays: 15 } }, ranking: { listSize: 2 } });
    expect(CURRENT.warnings.measure.yellowDays).toBe(20);
    expect(CURRENT.ranking.listSize).toBe(5);
  });
});

describe('an edit that is refused, with its code and the key at fault', () => {
  const table: Array<[string, unknown, string, string]> = [
    ['not an object', 'yellowDays=15', 'invalid_input', '修改内容应为一个对象'],
    ['a list', [{ warnings: {} }], 'invalid_input', '修改内容应为一个对象'],
    ['nothing in it', {}, 'invalid_input', '没有要修改的设置'],
    ['nothing under a known branch', { warnings: {} }, 'invalid_input', '没有要修改的设置'],
    ['the time zone', { timeZone: 'Asia/Tokyo' }, 'unknown_setting', '「timeZone」不是可在运行时修改的设置'],
    ['an unknown threshold', { warnings: { measure: { redDays: 3 } } }, 'unknown_setting', '「warnings.measure.redDays」'],
    ['a branch given as a number', { warnings: { measure: 15 } }, 'unknown_setting', '「warnings.measure」'],
    ['an unknown rate weight', { ranking: { weights: { speed: 1 } } }, 'unknown_setting', '「ranking.weights.speed」'],
    ['a prototype key', JSON.parse('{"__proto__":{"listSize":1}}'), 'unknown_setting', '「__proto__」'],
    ['a number as text', { warnings: { measure: { yellowDays: '15' } } }, 'invalid_input', '「warnings.measure.yellowDays」应为数字'],
    ['not finite', { ranking: { listSize: Infinity } }, 'invalid_input', '「ranking.listSize」应为数字'],
    ['yellow before orange', { warnings: { measure: { yellowDays: 5 } } }, 'invalid_thresholds', '预警阈值 warnings.measure 无效'],
    ['a fractional day', { warnings: { response: { yellowDays: 1.5 } } }, 'invalid_thresholds', '预警阈值 warnings.response 无效'],
    ['a negative orange', { warnings: { response: { orangeDays: -1 } } }, 'invalid_thresholds', '预警阈值 warnings.response 无效'],
    ['all weights 0', { ranking: { weights: { response: 0, resolution: 0, satisfaction: 0 } } }, 'invalid_ranking', '至少一项权重应大于 0'],
    ['a negative weight', { ranking: { weights: { resolution: -1 } } }, 'invalid_ranking', '权重 resolution 应为不小于 0 的数'],
    ['a list of 0', { ranking: { listSize: 0 } }, 'invalid_ranking', '红黑榜名额应为正整数'],
    ['a threshold beyond a year', { warnings: { measure: { yellowDays: 366 } } }, 'invalid_input', '「warnings.measure.yellowDays」不能大于 365'],
    ['a weight beyond 1,000', { ranking: { weights: { response: 1e308 } } }, 'invalid_input', '「ranking.weights.response」不能大于 1000'],
    ['a list beyond 1,000', { ranking: { listSize: 1001 } }, 'invalid_input', '「ranking.listSize」不能大于 1000'],
  ];
  it.each(table)('%s', (_name, edit, code, zh) => {
    let caught: any;
    try {
      applySettingsEdit(CURRENT, edit);
    } catch (e) {
      caught = e;
    }
    expect([caught?.kind, caught?.code, String(caught?.zh).includes(zh)]).toEqual(['validation', code, true]);
  });
});
