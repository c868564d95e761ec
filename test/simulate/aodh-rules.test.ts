import { evaluateComposite, evaluatePoints, transition } from '../../src/simulate/aodh-rules';

describe('threshold rule', () => {
  test('GIVEN fewer points than evaluation periods WHEN evaluated THEN the data is insufficient', () => {
    expect(evaluatePoints([90], 2, 'gt', 50)).toEqual({ state: 'insufficient data' });
  });

  test('GIVEN more points than periods WHEN evaluated THEN only the newest ones count', () => {
    expect(evaluatePoints([10, 90, 95], 2, 'gt', 50)).toEqual({ state: 'alarm' });
    expect(evaluatePoints([90, 10, 20], 2, 'gt', 50)).toEqual({ state: 'ok' });
  });

  test('GIVEN points that disagree WHEN evaluated THEN there is only a trending state, the newest point\'s', () => {
    expect(evaluatePoints([90, 10], 2, 'gt', 50)).toEqual({ trending: 'ok' });
    expect(evaluatePoints([10, 90], 2, 'ge', 90)).toEqual({ trending: 'alarm' });
  });
});

describe('transition', () => {
  test('GIVEN an alarm in alarm WHEN points disagree THEN it keeps its state and fires again only with repeat_actions', () => {
    expect(transition('alarm', { trending: 'ok' }, true)).toEqual({ state: 'alarm', notify: true });
    expect(transition('alarm', { trending: 'ok' }, false)).toEqual({ state: 'alarm', notify: false });
  });

  test('GIVEN an alarm with insufficient data WHEN points disagree THEN it takes the trending state', () => {
    expect(transition('insufficient data', { trending: 'alarm' }, false)).toEqual({ state: 'alarm', notify: true });
  });

  test('GIVEN an alarm staying in alarm WHEN points agree THEN it notifies only with repeat_actions', () => {
    expect(transition('alarm', { state: 'alarm' }, true).notify).toBe(true);
    expect(transition('alarm', { state: 'alarm' }, false).notify).toBe(false);
    expect(transition('ok', { state: 'alarm' }, false)).toEqual({ state: 'alarm', notify: true });
  });
});

describe('composite', () => {
  const band = { and: [{ rule: 0 }, { rule: 1 }] };

  test('GIVEN an "and" of two rules WHEN both alarm THEN it alarms; WHEN one is ok THEN it is ok', () => {
    expect(evaluateComposite('ok', band, [{ state: 'alarm' }, { state: 'alarm' }], false)).toEqual({ state: 'alarm', notify: true });
    expect(evaluateComposite('alarm', band, [{ state: 'alarm' }, { state: 'ok' }], true)).toEqual({ state: 'ok', notify: true });
  });

  test('GIVEN a trending rule and a composite already decided WHEN undecided THEN the rule takes the opposite of its trend, as upstream does', () => {
    // rule 0 trends to ok -> counted as alarm; rule 1 alarms -> the "and" alarms
    expect(evaluateComposite('ok', band, [{ trending: 'ok' }, { state: 'alarm' }], false).state).toBe('alarm');
    // from insufficient data the trend itself is taken: ok -> the "and" is ok
    expect(evaluateComposite('insufficient data', band, [{ trending: 'ok' }, { state: 'alarm' }], false).state).toBe('ok');
  });

  test('GIVEN a rule without data WHEN the other alarms THEN the "and" has insufficient data', () => {
    expect(evaluateComposite('ok', band, [{ state: 'insufficient data' }, { state: 'alarm' }], true)).toEqual({ state: 'insufficient data', notify: true });
  });
});
