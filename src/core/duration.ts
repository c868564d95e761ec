import { IConstruct } from 'constructs';
import { ErrorCode, propError } from './errors';

/** A length of time, stored in whole seconds (Heat and Aodh count in seconds). */
export class Duration {
  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount, 1, 'seconds');
  }

  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount, 60, 'minutes');
  }

  /** A duration of `amount` hours. */
  public static hours(amount: number): Duration {
    return new Duration(amount, 3600, 'hours');
  }

  private constructor(
    private readonly amount: number,
    private readonly factor: number,
    private readonly unit: string,
  ) {}

  /** The duration in seconds (may be fractional or invalid until checked with `validate`). */
  public toSeconds(): number {
    return this.amount * this.factor;
  }

  /** Checks that the duration is a whole number of seconds within [minSeconds, maxSeconds]. */
  public validate(scope: IConstruct, prop: string, minSeconds: number, maxSeconds: number): number {
    const s = this.toSeconds();
    if (typeof this.amount !== 'number' || !Number.isFinite(s) || !Number.isInteger(s) || s < minSeconds || s > maxSeconds) {
      throw propError(
        scope,
        ErrorCode.RANGE,
        prop,
        this.toString(),
        `must be a whole number of seconds between ${minSeconds} and ${maxSeconds}`,
        'use Duration.seconds(), Duration.minutes() or Duration.hours() with a value in range',
      );
    }
    return s;
  }

  public toString(): string {
    return `${this.amount} ${this.unit}`;
  }
}
