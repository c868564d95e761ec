import { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { isUnresolved, requireInt, requireName, requireObject } from '../../core/validate';

/** A Glance image to boot from, by name or id. */
export class Image {
  /** An image by name (must be unique in the project). */
  public static fromName(name: string): Image {
    return new Image(name, undefined);
  }

  /** An image by id. */
  public static fromId(id: string): Image {
    return new Image(undefined, id);
  }

  private constructor(
    /** The image name, when referenced by name. */
    public readonly name: string | undefined,
    /** The image id, when referenced by id. */
    public readonly id: string | undefined,
  ) {}

  /** The name or id, whichever was given (Heat accepts both). */
  public get nameOrId(): string {
    return (this.name ?? this.id)!;
  }

  /** Throws unless the name or id is a non-empty string. */
  public validate(scope: IConstruct, prop: string): void {
    const v = this.nameOrId;
    if (typeof v !== 'string' || (v.trim() === '' && !isUnresolved(v))) {
      throw propError(scope, ErrorCode.EMPTY, prop, v, 'must name an image', "use Image.fromName('ubuntu-22.04') or Image.fromId('<uuid>')");
    }
    requireName(scope, prop, v);
  }
}

/**
 * A Nova flavor, by name or id. Alarms that scale on CPU need the flavor's vCPU count to turn a
 * percentage into CPU time, so give `vcpus` when you know it; nothing guesses it.
 */
export class Flavor {
  /** A flavor by name, e.g. `m1.small`. */
  public static fromName(name: string, spec: FlavorSpec = {}): Flavor {
    return new Flavor(name, undefined, spec);
  }

  /** A flavor by id. */
  public static fromId(id: string, spec: FlavorSpec = {}): Flavor {
    return new Flavor(undefined, id, spec);
  }

  private constructor(
    /** The flavor name, when referenced by name. */
    public readonly name: string | undefined,
    /** The flavor id, when referenced by id. */
    public readonly id: string | undefined,
    /** What is known of the flavor's size. */
    public readonly spec: FlavorSpec,
  ) {}

  /** The name or id, whichever was given. */
  public get nameOrId(): string {
    return (this.name ?? this.id)!;
  }

  /** The vCPU count, when given. */
  public get vcpus(): number | undefined {
    return this.spec.vcpus;
  }

  /** Throws unless the name/id is non-empty and the spec is sane. */
  public validate(scope: IConstruct, prop: string): void {
    const v = this.nameOrId;
    if (typeof v !== 'string' || (v.trim() === '' && !isUnresolved(v))) {
      throw propError(scope, ErrorCode.EMPTY, prop, v, 'must name a flavor', "use Flavor.fromName('m1.small', { vcpus: 1 })");
    }
    requireName(scope, prop, v);
    requireObject(scope, `${prop}.spec`, this.spec ?? null, 'pass { vcpus, ramMiB } or nothing');
    const vcpus = this.spec.vcpus;
    if (vcpus !== undefined && (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > 1024)) {
      throw propError(scope, ErrorCode.RANGE, `${prop}.vcpus`, vcpus, 'must be an integer between 1 and 1024', "give the flavor's real vCPU count");
    }
    requireInt(scope, `${prop}.ramMiB`, this.spec.ramMiB, 1, 16777216, 'MiB');
  }
}

/** What is known about a flavor's size. */
export interface FlavorSpec {
  /**
   * Number of virtual CPUs of the flavor. Needed by CPU-based scaling alarms.
   * @default - unknown
   */
  readonly vcpus?: number;
  /**
   * Memory in MiB.
   * @default - unknown
   */
  readonly ramMiB?: number;
}
