/** Annotations: warnings with their ids, acknowledgements, errors from validations. */
import { Warnings } from '../../src';
import { Annotations, Match } from '../../src/assertions';
import { apiStack } from './fixture';

const SINGLE = 'scaleout:single-evaluation-period';

describe('Annotations', () => {
  test('hasWarning finds a Scaleout warning by path and message, or by id', () => {
    // GIVEN CPU scale-out over a single evaluation period (scale-in then waits 2, one more)
    const { stack } = apiStack({ evaluationPeriods: 1 });
    const annotations = Annotations.fromStack(stack);
    // THEN the warning is on the two scale-out alarms only (the band and the saturated one), findable by message or by id
    expect(annotations.findWarning('*', { id: SINGLE }).map((a) => a.path)).toEqual(['test/Api/Servers/CpuHigh', 'test/Api/Servers/CpuSaturated']);
    annotations.hasWarning('test/Api/Servers/CpuHigh', Match.stringLikeRegexp("^'evaluationPeriods' is 1 on"));
    annotations.hasNoError('*', Match.anyValue());
    expect(() => annotations.hasWarning('test/Api', { id: SINGLE })).toThrow(`expected a warning on test/Api matching {"id":"${SINGLE}"}, but there are none`);
  });

  test('an acknowledged warning is gone; hasNoWarning lists what it found otherwise', () => {
    const { stack } = apiStack({ evaluationPeriods: 1 });
    expect(() => Annotations.fromStack(stack).hasNoWarning('*', { id: SINGLE })).toThrow('expected no warning on any construct matching');
    Warnings.acknowledge(stack, SINGLE, 'the load test wants the fastest reaction');
    Annotations.fromStack(stack).hasNoWarning('*', { id: SINGLE });
  });

  test('a failing construct validation is an error', () => {
    // GIVEN a construct whose validation fails
    const { stack, api } = apiStack();
    api.node.addValidation({ validate: () => ['the tier has no health check'] });
    // THEN it is an error on that construct
    Annotations.fromStack(stack).hasError('test/Api', 'the tier has no health check');
  });
});
