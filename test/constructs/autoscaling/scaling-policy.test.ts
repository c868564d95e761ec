/** ScalingPolicy and ScalingAdjustment: the three adjustment types, cooldowns, warnings, failures. */
import { App, AdjustmentType, Duration, ScalingAdjustment, ScalingPolicy, Stack, Warnings } from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { embeddedOf, errorOf, groupStack } from './fixture';

describe('ScalingPolicy', () => {
  test.each([
    ['changeInCapacity', ScalingAdjustment.changeInCapacity(2), { adjustment_type: 'change_in_capacity', scaling_adjustment: 2 }],
    ['exactCapacity', ScalingAdjustment.exactCapacity(3), { adjustment_type: 'exact_capacity', scaling_adjustment: 3 }],
    [
      'percentChangeInCapacity with a minimum step',
      ScalingAdjustment.percentChangeInCapacity(50, { minAdjustmentStep: 2 }),
      { adjustment_type: 'percent_change_in_capacity', scaling_adjustment: 50, min_adjustment_step: 2 },
    ],
  ])('%s renders to OS::Heat::ScalingPolicy in the group template, in both targets', (_name, adjustment, expected) => {
    // GIVEN a group and a policy with the adjustment
    const { stack, group } = groupStack();
    const web = group({ scalingWebhooks: false });
    new ScalingPolicy(stack, 'Burst', { group: web, adjustment });
    // WHEN synthesized to HOT THEN the policy points at the group, with the group's cooldown
    const heatPolicy = heatOf(stack).resources.burst;
    expect(heatPolicy).toEqual({ type: 'OS::Heat::ScalingPolicy', properties: { auto_scaling_group_id: { get_resource: 'web' }, ...expected, cooldown: 300 } });
    // AND in Terraform it is inside the group's embedded template, identical
    const tf = terraformOf(stack);
    expect(embeddedOf(tf, 'web').resources.burst).toEqual(heatPolicy);
    expect(Object.keys(tf.json.resource)).not.toContain('openstack_orchestration_stack_v1_burst');
  });

  test('min_adjustment_step is left out when not given', () => {
    const { stack, group } = groupStack();
    new ScalingPolicy(stack, 'Half', { group: group(), adjustment: ScalingAdjustment.percentChangeInCapacity(-50) });
    expect(heatOf(stack).resources.half.properties).not.toHaveProperty('min_adjustment_step');
  });

  test('its own cooldown; a cooldown shorter than the group one is warned about', () => {
    // GIVEN a group with a 300 s cooldown and policies with 600 s and 60 s
    const { app, stack, group } = groupStack();
    const web = group({ scalingWebhooks: false });
    new ScalingPolicy(stack, 'Slow', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1), cooldown: Duration.minutes(10) });
    new ScalingPolicy(stack, 'Fast', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1), cooldown: Duration.seconds(60) });
    // WHEN synthesized THEN both are rendered as given
    const heat = heatOf(stack);
    expect(heat.resources.slow.properties!.cooldown).toBe(600);
    expect(heat.resources.fast.properties!.cooldown).toBe(60);
    // AND only the short one is warned about
    expect(Warnings.of(app)).toEqual([{ path: 'test/Fast', id: 'scaleout:policy-cooldown-no-effect', message: expect.stringContaining("'cooldown' (60 s) is shorter than the group's cooldown (300 s) and has no effect") }]);
  });

  test.each([
    ['a change of 0', ScalingAdjustment.changeInCapacity(0), 'SO_RANGE', "'adjustment' must add or remove at least one server, got 0"],
    ['a fractional change', ScalingAdjustment.changeInCapacity(1.5), 'SO_RANGE', "'adjustment' must be an integer"],
    ['an exact capacity above maxSize', ScalingAdjustment.exactCapacity(5), 'SO_RANGE', "'adjustment' must be between 1 and 4 servers (the group's minSize to maxSize), got 5"],
    ['0 percent', ScalingAdjustment.percentChangeInCapacity(0), 'SO_RANGE', "'adjustment' must not be 0 percent"],
    ['-150 percent', ScalingAdjustment.percentChangeInCapacity(-150), 'SO_RANGE', "'adjustment' must be a number between -100 and 1000 percent"],
    [
      'a minimum step without percent',
      ScalingAdjustment.of(AdjustmentType.CHANGE_IN_CAPACITY, 2, { minAdjustmentStep: 1 }),
      'SO_CONFLICT',
      "'adjustment.minAdjustmentStep' is only accepted with a percentage adjustment (Heat refuses min_adjustment_step with change_in_capacity), got 1",
    ],
    ['a negative minimum step', ScalingAdjustment.percentChangeInCapacity(10, { minAdjustmentStep: -1 }), 'SO_RANGE', "'adjustment.minAdjustmentStep' must be between 0 and 1000"],
  ])('%s is refused', (_name, adjustment, code, fragment) => {
    // GIVEN a group WHEN a policy gets a bad adjustment THEN it is refused
    const { stack, group } = groupStack();
    const web = group();
    const err = errorOf(() => new ScalingPolicy(stack, 'Bad', { group: web, adjustment }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(`test/Bad: ${fragment}`);
  });

  test('a negative cooldown is refused', () => {
    const { stack, group } = groupStack();
    const err = errorOf(() => new ScalingPolicy(stack, 'Bad', { group: group(), adjustment: ScalingAdjustment.changeInCapacity(1), cooldown: Duration.seconds(-1) }));
    expect(err.code).toBe('SO_RANGE');
    expect(err.message).toContain('\'cooldown\' must be a whole number of seconds between 0 and 86400, got "-1 seconds"');
  });

  test('a policy in another stack than its group is refused', () => {
    // GIVEN a group in one stack WHEN a policy in another stack points at it THEN refused
    const { app, group } = groupStack();
    const web = group();
    const other = new Stack(app as App, 'other');
    const err = errorOf(() => new ScalingPolicy(other, 'Remote', { group: web, adjustment: ScalingAdjustment.changeInCapacity(1) }));
    expect(err.code).toBe('SO_USAGE');
    expect(err.message).toContain("'group' must be in the same stack as the policy");
  });
});
