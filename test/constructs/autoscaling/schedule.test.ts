/** Schedules: cron fields and time zones checked at synth time, and the weekly complement of hold windows. */
import { Construct } from 'constructs';
import { App, Schedule, Stack } from '../../../src';
import { complementConstraints, validateTimeZone } from '../../../src/constructs/autoscaling/schedule';
import { errorOf } from './fixture';

const scope = (): Construct => new Construct(new Stack(new App(), 'test'), 'Where');
const never = (): never => {
  throw new Error('the windows cover the week');
};

describe('Schedule', () => {
  test('cron fields become a five-field expression; every field defaults to * except minute and hour', () => {
    // GIVEN / WHEN
    const s = Schedule.cron({ minute: 0, hour: 20, weekDay: 'MON-FRI' });
    // THEN
    expect(s.expressionString).toBe('0 20 * * MON-FRI');
    expect(() => s.validate(scope(), 'schedule')).not.toThrow();
    expect(Schedule.expression('  0-59/15 8-18 1,15 JAN-MAR 7 ').expressionString).toBe('0-59/15 8-18 1,15 JAN-MAR 7');
    expect(() => Schedule.expression('0-59/15 8-18 1,15 JAN-MAR 7').validate(scope(), 'schedule')).not.toThrow();
  });

  test.each([
    [Schedule.cron({ minute: 75, hour: 20 }), 'schedule.minute', 'has 75, outside 0-59'],
    [Schedule.cron({ minute: 0, hour: 24 }), 'schedule.hour', 'has 24, outside 0-23'],
    [Schedule.cron({ minute: 0, hour: 20, weekDay: 'FUNDAY' }), 'schedule.weekDay', "has 'FUNDAY', which is not a number or a name"],
    [Schedule.cron({ minute: 0, hour: 20, day: '0' }), 'schedule.day', 'has 0, outside 1-31'],
    [Schedule.cron({ minute: 0, hour: '20-8' }), 'schedule.hour', "has the range '20-8', whose start is after its end"],
    [Schedule.cron({ minute: '*/0', hour: 1 }), 'schedule.minute', 'has a step of 0'],
    [Schedule.cron({ minute: '', hour: 1 }), 'schedule.minute', 'is required'],
  ])('refuses a bad field %s, naming the field', (schedule, prop, problem) => {
    // WHEN validated THEN the error names the construct path, the field and what is allowed
    const e = errorOf(() => schedule.validate(scope(), 'schedule'));
    expect(e.prop).toBe(prop);
    expect(e.constructPath).toBe('test/Where');
    expect(e.message).toContain(problem);
    expect(e.message).toContain("'*', a list 'a,b', a range 'a-b' or a step '*/n'");
  });

  test('refuses an expression that does not have five fields', () => {
    const e = errorOf(() => Schedule.expression('0 20 * *').validate(scope(), 'schedule'));
    expect(e.prop).toBe('schedule');
    expect(e.message).toContain('must be a cron expression of five fields (minute hour day month weekDay)');
  });

  test('weekly starts need one minute and one hour on every day of the month and month', () => {
    expect(Schedule.cron({ minute: 30, hour: 7, weekDay: 'MON,WED,7' })._weeklyStarts(scope(), 'schedule', 'to pause')).toEqual([0 * 1440 + 450, 1 * 1440 + 450, 3 * 1440 + 450]);
    const e = errorOf(() => Schedule.cron({ minute: 0, hour: '8,12' })._weeklyStarts(scope(), 'schedule', "to pause the group's scale-in alarms"));
    expect(e.message).toContain("must start once a day at one minute and one hour, on every day of the month and every month, to pause the group's scale-in alarms");
    expect(errorOf(() => Schedule.cron({ minute: 0, hour: 8, day: 1 })._weeklyStarts(scope(), 'schedule', 'x')).code).toBe('SO_UNSUPPORTED');
  });
});

describe('validateTimeZone', () => {
  test('accepts IANA names and UTC', () => {
    for (const tz of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5']) expect(validateTimeZone(scope(), 'timeZone', tz)).toBe(tz);
  });
  test.each(['Mars/Olympus_Mons', '+01:00', 'Europe/Berlin ', '', 42])('refuses %p', (tz) => {
    const e = errorOf(() => validateTimeZone(scope(), 'timeZone', tz));
    expect(e.prop).toBe('timeZone');
    expect(e.message).toContain("use an IANA time zone name such as 'Europe/Berlin'");
  });
});

describe('complementConstraints', () => {
  test('a daily window: one constraint from its end to the next start, a minute off each side (Aodh opens windows up to 60 s early)', () => {
    // GIVEN every day 20:00 for two hours THEN the rest of the day is 22:01 for 22 hours less 2 minutes
    expect(complementConstraints([{ starts: [0, 1, 2, 3, 4, 5, 6].map((d) => d * 1440 + 1200), minutes: 120 }], 'Europe/Berlin', 'open', never)).toEqual([
      { name: 'open', start: '1 22 * * *', duration: 22 * 3600 - 120, timezone: 'Europe/Berlin' },
    ]);
  });

  test('weekdays only: Monday to Thursday nights, and the weekend from Friday night', () => {
    const starts = [1, 2, 3, 4, 5].map((d) => d * 1440 + 8 * 60 + 45);
    expect(complementConstraints([{ starts, minutes: 240 }], 'UTC', 'open', never)).toEqual([
      { name: 'open_1', start: '46 12 * * 1,2,3,4', duration: 20 * 3600 - 120, timezone: 'UTC' },
      { name: 'open_2', start: '46 12 * * 5', duration: 68 * 3600 - 120, timezone: 'UTC' },
    ]);
  });

  test('a window that wraps past Saturday midnight, merged with an overlapping one', () => {
    // Saturday 23:00 for 2 h, and Sunday 00:30 for 1 h: held Sat 23:00 - Sun 01:30
    const e = complementConstraints(
      [
        { starts: [6 * 1440 + 23 * 60], minutes: 120 },
        { starts: [30], minutes: 60 },
      ],
      'UTC',
      'open',
      never,
    );
    expect(e).toEqual([{ name: 'open', start: '31 1 * * 0', duration: (7 * 24 - 2.5) * 3600 - 120, timezone: 'UTC' }]);
  });

  test('no windows: no constraints; windows covering the week: the caller decides', () => {
    expect(complementConstraints([], 'UTC', 'open', never)).toBeUndefined();
    expect(() => complementConstraints([{ starts: [0], minutes: 7 * 1440 }], 'UTC', 'open', never)).toThrow('the windows cover the week');
  });
});
