/** Match and Capture: each matcher passes what it should and says where anything else differs. */
import { Capture, Match, matchPattern } from '../../src/assertions';

const failuresOf = (pattern: unknown, actual: unknown) => matchPattern(pattern, actual).toHumanStrings();

describe('Match', () => {
  test('objectLike ignores extra keys, also in nested literal objects, and names a wrong value by its path', () => {
    // GIVEN a resource with more keys than the pattern
    const actual = { type: 'OS::Heat::AutoScalingGroup', properties: { min_size: 2, max_size: 10, cooldown: 300 } };
    // WHEN matched partially THEN extra keys pass and a wrong value is reported at its path
    expect(failuresOf(Match.objectLike({ properties: { min_size: 2 } }), actual)).toEqual([]);
    expect(failuresOf(Match.objectLike({ properties: { max_size: 20 } }), actual)).toEqual(['at /properties/max_size: expected 20 but got 10']);
    expect(failuresOf({ properties: { size: 1 } }, actual)).toEqual(["at /properties/size: missing key 'size'"]);
  });

  test('objectEquals and exact refuse extra keys', () => {
    expect(failuresOf(Match.objectEquals({ a: 1 }), { a: 1, b: 2 })).toEqual(["at /b: unexpected key 'b' (2)"]);
    expect(failuresOf(Match.exact({ a: { b: 1 } }), { a: { b: 1, c: 3 } })).toEqual(["at /a/c: unexpected key 'c' (3)"]);
    expect(failuresOf(Match.exact({ a: { b: 1 } }), { a: { b: 1 } })).toEqual([]);
  });

  test('literal arrays must match element by element; arrayWith finds a subsequence in order', () => {
    expect(failuresOf({ l: [1, 2] }, { l: [1, 2, 3] })).toEqual(['at /l: expected an array of 2 elements but got 3: [1,2,3]']);
    expect(failuresOf({ l: Match.arrayWith([1, 3]) }, { l: [1, 2, 3] })).toEqual([]);
    expect(failuresOf({ l: Match.arrayWith([3, 1]) }, { l: [1, 2, 3] })).toEqual(['at /l: no element matches pattern 1 (1) in order in [1,2,3]']);
    expect(failuresOf(Match.arrayWith([{ class: 'digits' }]), [{ class: 'uppercase', min: 2 }, { class: 'digits', min: 2 }])).toEqual([]);
  });

  test('absent, anyValue, stringLikeRegexp and not', () => {
    expect(failuresOf({ allowed_cidrs: Match.absent() }, { protocol: 'HTTP' })).toEqual([]);
    expect(failuresOf({ allowed_cidrs: Match.absent() }, { allowed_cidrs: ['0.0.0.0/0'] })).toEqual(['at /allowed_cidrs: expected nothing but got ["0.0.0.0/0"]']);
    expect(failuresOf({ id: Match.anyValue() }, { id: null })).toEqual(['at /id: expected any value but got null']);
    expect(failuresOf({ id: Match.anyValue() }, {})).toEqual(["at /id: missing key 'id'"]);
    expect(failuresOf(Match.stringLikeRegexp('^api_'), 'api_servers')).toEqual([]);
    expect(failuresOf(Match.stringLikeRegexp(/^api_/), 7)).toEqual(['at /: expected a string matching /^api_/ but got number 7']);
    expect(failuresOf(Match.not('0.0.0.0/0'), '10.0.0.0/24')).toEqual([]);
    expect(failuresOf(Match.not('0.0.0.0/0'), '0.0.0.0/0')).toEqual(['at /: expected a value not matching "0.0.0.0/0" but got "0.0.0.0/0"']);
  });

  test('a type mismatch says both types', () => {
    expect(failuresOf({ port: 80 }, { port: '80' })).toEqual(['at /port: expected number 80 but got string "80"']);
  });
});

describe('Capture', () => {
  test('records the values of a successful match in order, typed on request', () => {
    // GIVEN two alarms WHEN their thresholds are captured
    const threshold = new Capture();
    expect(matchPattern(Match.arrayWith([{ threshold }, { threshold }]), [{ threshold: 210 }, { threshold: 90 }]).isSuccess).toBe(true);
    // THEN both values are there in order
    expect(threshold.asNumber()).toBe(210);
    expect(threshold.next()).toBe(true);
    expect(threshold.asNumber()).toBe(90);
    expect(threshold.next()).toBe(false);
    expect(() => threshold.asString()).toThrow('Capture: the captured value is number 90, not string');
  });

  test('records nothing when the whole match fails, and can itself constrain the value', () => {
    const name = new Capture(Match.stringLikeRegexp('^api'));
    expect(matchPattern({ name, port: 80 }, { name: 'api_lb', port: 81 }).isSuccess).toBe(false);
    expect(() => name.asValue()).toThrow('no value was captured');
    expect(matchPattern({ name }, { name: 'web_lb' }).toHumanStrings()).toEqual(['at /name: expected a string matching /^api/ but got "web_lb"']);
  });
});
