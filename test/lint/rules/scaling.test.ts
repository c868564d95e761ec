/** The scaling rules: each flags the bent part of a group and passes the sound one. */
import {
  aggregationNotInArchivePolicy,
  alarmQueryMatchesNoMember,
  cooldownShorterThanAlarmWindow,
  groupMaxFarAboveMin,
  groupWithoutMax,
  metricNobodyWrites,
  minZeroWithMemberMetric,
  percentThresholdOnNanosecondMetric,
  scaleInFasterThanScaleOut,
  thresholdBandNarrowerThanStep,
} from '../../../src/lint';
import { failures, groupTemplate, run } from '../fixture';

const compliantCount = (results: { compliance: string }[]) => results.filter((r) => r.compliance === 'compliant').length;

describe('group-without-max', () => {
  test('a group without max_size is an error', () => {
    expect(failures(groupWithoutMax, groupTemplate({ max: -1 }))).toEqual(['web: max_size is missing']);
  });
  test('a literal max passes', () => {
    expect(run(groupWithoutMax, groupTemplate()).map((r) => r.compliance)).toEqual(['compliant']);
  });
});

describe('group-max-far-above-min', () => {
  test('max above 10 × min is flagged, min 0 counting as 1', () => {
    expect(failures(groupMaxFarAboveMin, groupTemplate({ min: 2, max: 21 }))).toEqual(['web: max_size 21 is more than 10 × 2 (min_size 2)']);
    expect(failures(groupMaxFarAboveMin, groupTemplate({ min: 0, max: 11 }))).toEqual(['web: max_size 11 is more than 10 × 1 (min_size 0)']);
  });
  test('max at 10 × min passes', () => {
    expect(failures(groupMaxFarAboveMin, groupTemplate({ min: 2, max: 20 }))).toEqual([]);
    expect(compliantCount(run(groupMaxFarAboveMin, groupTemplate({ min: 2, max: 20 })))).toBe(1);
  });
});

describe('threshold-band-narrower-than-step', () => {
  test('out at 60 %, +3 from 2 servers lands at 24 %, under the 25 % scale-in threshold', () => {
    // GIVEN thresholds in ns for 1 vCPU over 300 s: 60 % = 180e9, 25 % = 75e9
    const out = groupTemplate({ outThreshold: 180e9, inThreshold: 75e9, outStep: 3 });
    // THEN the scale-out alarm is flagged with the arithmetic
    expect(failures(thresholdBandNarrowerThanStep, out)).toEqual([
      "web_high: at 2 server(s) a step of +3 takes the mean from web_high's threshold 180000000000 to 72000000000, at or below web_low's threshold 75000000000",
    ]);
  });
  test('70 % / 30 % with +1 from 2 servers leaves 47 %: passes; a queue metric is not judged', () => {
    expect(failures(thresholdBandNarrowerThanStep, groupTemplate())).toEqual([]);
    expect(compliantCount(run(thresholdBandNarrowerThanStep, groupTemplate()))).toBe(1);
    expect(run(thresholdBandNarrowerThanStep, groupTemplate({ metric: 'queue.depth', aggregation: 'mean', outThreshold: 300, inThreshold: 299, outStep: 3 }))).toEqual([]);
  });
});

describe('cooldown-shorter-than-alarm-window', () => {
  test('300 s against 300 × (2 + 1) s of data plus 120 s boot is flagged for both policies', () => {
    expect(failures(cooldownShorterThanAlarmWindow, groupTemplate({ groupCooldown: 300, policyCooldown: 300 }))).toEqual([
      'web_out: web_out waits 300 s (group 300, policy 300) but web_high reads 900 s of data and a member needs 120 s to boot: 1020 s',
      'web_in: web_in waits 300 s (group 300, policy 300) but web_low reads 900 s of data and a member needs 120 s to boot: 1020 s',
    ]);
  });
  test('the group cooldown counts when the policy one is shorter; 1020 s passes', () => {
    expect(failures(cooldownShorterThanAlarmWindow, groupTemplate({ groupCooldown: 1020, policyCooldown: 60 }))).toEqual([]);
  });
});

describe('percent-threshold-on-nanosecond-metric', () => {
  test('a threshold of 70 on cpu is flagged', () => {
    expect(failures(percentThresholdOnNanosecondMetric, groupTemplate({ outThreshold: 70, inThreshold: 30 }))).toEqual([
      'web_high: threshold 70 on metric cpu (rate:mean) looks like a percent; the metric counts CPU-nanoseconds',
      'web_low: threshold 30 on metric cpu (rate:mean) looks like a percent; the metric counts CPU-nanoseconds',
    ]);
  });
  test('thresholds in ns pass; another metric is not judged', () => {
    expect(compliantCount(run(percentThresholdOnNanosecondMetric, groupTemplate()))).toBe(2);
    expect(run(percentThresholdOnNanosecondMetric, groupTemplate({ metric: 'memory.usage', aggregation: 'mean', outThreshold: 70 }))).toEqual([]);
  });
  test("a threshold of 0 is no percent (a schedule's always-true alarm on the counter's mean)", () => {
    expect(failures(percentThresholdOnNanosecondMetric, groupTemplate({ aggregation: 'mean', outThreshold: 0 }))).toEqual([]);
    expect(compliantCount(run(percentThresholdOnNanosecondMetric, groupTemplate({ aggregation: 'mean', outThreshold: 0 })))).toBe(2);
  });
});

describe('alarm-query-matches-no-member', () => {
  test('a query on another group, or members without the tag, match nothing', () => {
    expect(failures(alarmQueryMatchesNoMember, groupTemplate({ queryGroup: 'api' }))[0]).toBe(
      'web_high: query server_group=<parent:OS::stack_id>-api but members of web carry metering.server_group=<parent:OS::stack_id>-web',
    );
    expect(failures(alarmQueryMatchesNoMember, groupTemplate({ memberTag: null }))[0]).toBe(
      'web_high: members of web (member.yaml) carry no metering.server_group, so query server_group=<parent:OS::stack_id>-web matches none of them',
    );
  });
  test("a member tagging itself with its own nested stack's id does not match the parent's id", () => {
    const own = { str_replace: { template: '%s%-web', params: { '%s%': { get_param: 'OS::stack_id' } } } };
    expect(failures(alarmQueryMatchesNoMember, groupTemplate({ memberTag: own }))).toHaveLength(2);
  });
  test('query and member tag agree through the group property: passes', () => {
    expect(run(alarmQueryMatchesNoMember, groupTemplate()).map((r) => `${r.compliance}: ${r.found}`)).toEqual([
      'compliant: query and members agree on server_group=<parent:OS::stack_id>-web',
      'compliant: query and members agree on server_group=<parent:OS::stack_id>-web',
    ]);
  });
});

describe('min-zero-with-member-metric', () => {
  test('min_size 0 scaling out only on the members’ cpu is an error', () => {
    expect(failures(minZeroWithMemberMetric, groupTemplate({ min: 0 }))).toEqual(['web: min_size 0 and every scale-out alarm (web_high) reads a metric the members report']);
  });
  test('min_size 1 passes', () => {
    expect(run(minZeroWithMemberMetric, groupTemplate({ min: 1 })).map((r) => r.compliance)).toEqual(['compliant']);
  });
});

describe('scale-in-faster-than-scale-out', () => {
  test('removing 2 per step where the group adds 1, or deciding on fewer periods, is flagged', () => {
    expect(failures(scaleInFasterThanScaleOut, groupTemplate({ inStep: 2 }))).toEqual(['web_in: web_in removes 2 server(s) per step but the group adds 1']);
    expect(failures(scaleInFasterThanScaleOut, groupTemplate({ inPeriods: 1 }))).toEqual(['web_in: web_in decides on 600 s of data where scale-out waits for 900 s']);
  });
  test('symmetric steps and windows pass', () => {
    expect(run(scaleInFasterThanScaleOut, groupTemplate({ outStep: 2 })).map((r) => r.compliance)).toEqual(['compliant']);
  });
});

describe('aggregation-not-in-archive-policy', () => {
  test('rate:max and a 60 s granularity are not stored by ceilometer-low-rate', () => {
    expect(failures(aggregationNotInArchivePolicy, groupTemplate({ aggregation: 'rate:max' }))[0]).toBe(
      "web_high: metric cpu: aggregation rate:max needs stored 'max' but ceilometer-low-rate stores mean, rate:mean",
    );
    expect(failures(aggregationNotInArchivePolicy, groupTemplate({ granularity: 60 }))[0]).toBe("web_high: metric cpu: granularity 60 s is not one of ceilometer-low-rate's (300 s)");
  });
  test('rate:mean at 300 s passes; a metric of unknown policy is not judged', () => {
    expect(compliantCount(run(aggregationNotInArchivePolicy, groupTemplate()))).toBe(2);
    expect(run(aggregationNotInArchivePolicy, groupTemplate({ metric: 'queue.depth', aggregation: 'max' }))).toEqual([]);
  });
});

describe('metric-nobody-writes', () => {
  test("a custom metric on the members' instance resources has no writer", () => {
    expect(failures(metricNobodyWrites, groupTemplate({ metric: 'rabbitmq.queue.messages_ready', aggregation: 'mean' }))[0]).toContain(
      "metric rabbitmq.queue.messages_ready on 'instance' resources: Ceilometer does not publish it",
    );
  });
  test('cpu on instance resources passes', () => {
    expect(compliantCount(run(metricNobodyWrites, groupTemplate()))).toBe(2);
  });
});
