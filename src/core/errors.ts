import { IConstruct } from 'constructs';

/**
 * Every error Scaleout raises for bad input, in one place. Each has a stable code that tests and
 * users can match on, and one message shape:
 *
 *   `<construct path>: '<prop>' <problem>, got <value>; <fix> [<CODE>]`
 */
export class ScaleoutError extends Error {
  /** Stable identifier of the kind of error, e.g. `SO_RANGE`. */
  public readonly code: string;
  /** Path of the construct that received the bad input. */
  public readonly constructPath: string;
  /** Name of the property (or method argument) at fault. */
  public readonly prop: string;

  constructor(code: string, constructPath: string, prop: string, message: string) {
    super(`${constructPath}: ${message} [${code}]`);
    this.name = 'ScaleoutError';
    this.code = code;
    this.constructPath = constructPath;
    this.prop = prop;
  }
}

/** Error codes. The code says what kind of rule was broken; the message says the details. */
export const ErrorCode = {
  /** A required prop is missing. */
  REQUIRED: 'SO_REQUIRED',
  /** A name or string is empty. */
  EMPTY: 'SO_EMPTY',
  /** A number is out of its allowed range or not an integer. */
  RANGE: 'SO_RANGE',
  /** A value is not one of the allowed values. */
  ENUM: 'SO_ENUM',
  /** A string does not have the required format (CIDR, IP address, name pattern, ...). */
  FORMAT: 'SO_FORMAT',
  /** Two props contradict each other (min > max, overlapping thresholds, ...). */
  CONFLICT: 'SO_CONFLICT',
  /** The target OpenStack release or renderer cannot express what was asked. */
  UNSUPPORTED: 'SO_UNSUPPORTED',
  /** Two constructs would get the same logical name in a template. */
  DUPLICATE: 'SO_DUPLICATE',
  /** The input would expose something to the internet that must not be public without saying so. */
  INSECURE: 'SO_INSECURE',
  /** A construct is used outside of what it can do (wrong scope, missing wiring). */
  USAGE: 'SO_USAGE',
  /** A props object holds a key the construct does not know (a typo: the default would silently apply). */
  UNKNOWN_PROP: 'SO_UNKNOWN_PROP',
} as const;

/** One of the stable error codes. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Renders a received value for an error message, short and unambiguous. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function pathOf(scope: IConstruct | string): string {
  return typeof scope === 'string' ? scope : scope.node.path || '<root>';
}

/**
 * Raises the error for a prop whose value breaks a rule.
 *
 * @param scope the construct that received the value (its path leads the message)
 * @param code one of `ErrorCode`
 * @param prop the prop name, as the user wrote it
 * @param value the value received
 * @param problem what is wrong, e.g. `must be between 1 and 65535`
 * @param fix how to fix it, e.g. `use Port.allTraffic() to open every port`
 */
export function propError(
  scope: IConstruct | string,
  code: ErrorCodeValue,
  prop: string,
  value: unknown,
  problem: string,
  fix?: string,
): ScaleoutError {
  const tail = fix ? `; ${fix}` : '';
  return new ScaleoutError(code, pathOf(scope), prop, `'${prop}' ${problem}, got ${describeValue(value)}${tail}`);
}

/** Raises an error that is not about one prop's value (wiring, release support, naming). */
export function usageError(scope: IConstruct | string, code: ErrorCodeValue, subject: string, message: string): ScaleoutError {
  return new ScaleoutError(code, pathOf(scope), subject, `'${subject}' ${message}`);
}
