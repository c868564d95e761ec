import { calculateNewCapacity, cooldownEndAfter, decideSignal, membersToRemove } from '../../src/simulate/heat-rules';

describe('scalingutil.calculate_new_capacity', () => {
  test('GIVEN a percent delta below one server WHEN computed THEN it rounds away from zero', () => {
    // 3 x 10% = 0.3 -> +1; 3 x -10% = -0.3 -> -1
    expect(calculateNewCapacity(3, 10, 'percent_change_in_capacity', undefined, 1, 10)).toBe(4);
    expect(calculateNewCapacity(3, -10, 'percent_change_in_capacity', undefined, 1, 10)).toBe(2);
  });

  test('GIVEN a percent delta of one server or more WHEN computed THEN it rounds towards zero', () => {
    // 7 x 50% = 3.5 -> +3; 7 x -50% = -3.5 -> -3
    expect(calculateNewCapacity(7, 50, 'percent_change_in_capacity', undefined, 1, 20)).toBe(10);
    expect(calculateNewCapacity(7, -50, 'percent_change_in_capacity', undefined, 1, 20)).toBe(4);
  });

  test('GIVEN min_adjustment_step larger than the rounded delta WHEN computed THEN the step wins, in the delta direction', () => {
    expect(calculateNewCapacity(4, 10, 'percent_change_in_capacity', 3, 1, 20)).toBe(7);
    expect(calculateNewCapacity(10, -10, 'percent_change_in_capacity', 3, 1, 20)).toBe(7);
  });

  test('GIVEN a change past the bounds WHEN computed THEN it is clamped to min and max; exact sets the size', () => {
    expect(calculateNewCapacity(9, 3, 'change_in_capacity', undefined, 1, 10)).toBe(10);
    expect(calculateNewCapacity(2, -3, 'change_in_capacity', undefined, 1, 10)).toBe(1);
    expect(calculateNewCapacity(2, 6, 'exact_capacity', undefined, 1, 10)).toBe(6);
  });
});

describe('removal order', () => {
  test('GIVEN members of different ages WHEN shrinking THEN the oldest go first, failed ones before all', () => {
    const members = [
      { name: 'c', createdAt: 300, failed: false },
      { name: 'a', createdAt: 100, failed: false },
      { name: 'b', createdAt: 200, failed: false },
      { name: 'z', createdAt: 900, failed: true },
    ];
    expect(membersToRemove(members, 2).map((m) => m.name)).toEqual(['z', 'a']);
    expect(membersToRemove(members, 3).map((m) => m.name)).toEqual(['z']);
  });

  test('GIVEN members created at the same time WHEN shrinking THEN the name breaks the tie', () => {
    const members = [
      { name: 'm2', createdAt: 0, failed: false },
      { name: 'm1', createdAt: 0, failed: false },
    ];
    expect(membersToRemove(members, 1).map((m) => m.name)).toEqual(['m1']);
  });
});

describe('AutoScalingGroup.adjust', () => {
  const group = { complete: true, size: 3, minSize: 1, maxSize: 3, scalingInProgress: false, cooldownEnd: 1000 };
  const out = { adjustmentType: 'change_in_capacity' as const, scalingAdjustment: 1 };
  const inward = { adjustmentType: 'change_in_capacity' as const, scalingAdjustment: -1 };

  test('GIVEN a group at max in cooldown WHEN a scale-out signal comes THEN "no change" is decided before the cooldown', () => {
    expect(decideSignal(group, out, 500).result).toBe('no-change');
  });

  test('GIVEN a signal within the cooldown WHEN it changes the size THEN it is dropped', () => {
    expect(decideSignal(group, inward, 999)).toEqual({ result: 'cooldown', from: 3, to: 3 });
    expect(decideSignal(group, inward, 1000)).toEqual({ result: 'scaled', from: 3, to: 2 });
  });

  test('GIVEN a resize running or a stack not COMPLETE WHEN a signal comes THEN it is refused', () => {
    expect(decideSignal({ ...group, scalingInProgress: true, cooldownEnd: 0 }, inward, 5).result).toBe('in-progress');
    expect(decideSignal({ ...group, complete: false, cooldownEnd: 0 }, inward, 5).result).toBe('not-complete');
  });

  test('GIVEN a later cooldown end already set WHEN a short cooldown finishes THEN the later end stays', () => {
    expect(cooldownEndAfter(2000, 1000, 300)).toBe(2000);
    expect(cooldownEndAfter(0, 1000, 300)).toBe(1300);
  });
});
