import { Construct, IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { requireConstructOf, requireInt } from '../../core/validate';
import { IServerGroup, ServerGroup, ServerGroupPolicy } from './server-group';

/** Options of `Placement.strictSpread`. */
export interface StrictSpreadOptions {
  /**
   * How many compute hosts the servers may use (the hypervisors of your availability zone or
   * aggregate). With hard anti-affinity a server that finds no free host fails to boot, so the
   * construct refuses a size that cannot fit: at most `hosts × maxServerPerHost` servers.
   */
  readonly hosts: number;
  /**
   * Let up to this many servers share a host (Nova's `max_server_per_host` rule, compute API
   * 2.64+, Rocky and later).
   * @default 1 - every server on its own host
   */
  readonly maxServerPerHost?: number;
}

/**
 * Where Nova places the servers of a group, or of a primary and its replicas, relative to each
 * other. By default they are spread across hypervisors (`Placement.spread()`), so that one host
 * failure does not take the whole tier.
 *
 * Rendered as a Nova server group (Heat `OS::Nova::ServerGroup` with `policies: [<policy>]`,
 * Terraform `openstack_compute_servergroup_v2` with `policies`) that every server names in its
 * scheduler hints (`scheduler_hints: {group: <id>}`). Heat's `OS::Nova::ServerGroup` has only the
 * `policies` list (heat `engine/resources/openstack/nova/server_group.py`, `ServerGroup.validate`
 * and `handle_create`): the soft policies need compute API 2.15 (Mitaka and later), `rules` need
 * 2.64, and Heat switches to Nova's single `policy` itself when 2.64 is available. The provider
 * 3.4.0 likewise sends `policies`, at 2.15 for the soft ones
 * (`expandComputeServerGroupV2Policies`).
 *
 * @example Placement.spread(); Placement.strictSpread({ hosts: 6 }); Placement.any()
 */
export class Placement {
  /**
   * Spread the servers over hosts when Nova can (`soft-anti-affinity`): the scheduler prefers
   * hosts that run fewer of them, and a boot never fails for it. The default.
   */
  public static spread(): Placement {
    return new Placement('spread');
  }

  /**
   * Every server on its own host (`anti-affinity`), or at most `maxServerPerHost` per host: a
   * server that finds no such host fails to boot. The group's `maxSize` must fit in
   * `hosts × maxServerPerHost`. Leave room for rolling updates: a member that Heat replaces
   * may be created before the old one is deleted.
   */
  public static strictSpread(options: StrictSpreadOptions): Placement {
    return new Placement('strict', options);
  }

  /** Wherever Nova's scheduler puts them: no server group, no scheduler hint. */
  public static any(): Placement {
    return new Placement('any');
  }

  /** In a server group of yours (`new ServerGroup(...)` or `ServerGroup.fromId(...)`). */
  public static inServerGroup(group: IServerGroup): Placement {
    return new Placement('group', undefined, group);
  }

  private constructor(
    /** Which kind of placement. */
    public readonly kind: 'spread' | 'strict' | 'any' | 'group',
    private readonly strict?: StrictSpreadOptions,
    private readonly group?: IServerGroup,
  ) {}

  /** Throws unless the options are in range (named `prop.<field>` at `scope`). */
  public validate(scope: IConstruct, prop: string): void {
    if (this.kind === 'strict') {
      const o = this.strict;
      if (o === null || typeof o !== 'object') {
        throw propError(scope, ErrorCode.FORMAT, prop, o, 'must be given { hosts }', 'use Placement.strictSpread({ hosts: 3 })');
      }
      const extra = Object.keys(o).filter((k) => k !== 'hosts' && k !== 'maxServerPerHost');
      if (extra.length > 0) {
        throw propError(scope, ErrorCode.UNKNOWN_PROP, `${prop}.${extra[0]}`, (o as unknown as Record<string, unknown>)[extra[0]!], 'is not an option of Placement.strictSpread', 'pass { hosts, maxServerPerHost }');
      }
      if (o.hosts === undefined) throw propError(scope, ErrorCode.REQUIRED, `${prop}.hosts`, undefined, 'is required', 'give the number of compute hosts the servers may use');
      requireInt(scope, `${prop}.hosts`, o.hosts, 1, 10000, 'hosts');
      requireInt(scope, `${prop}.maxServerPerHost`, o.maxServerPerHost, 1, 1000, 'servers');
    }
    if (this.kind === 'group') {
      if (this.group === undefined) throw propError(scope, ErrorCode.REQUIRED, prop, undefined, 'needs a server group', 'use Placement.inServerGroup(new ServerGroup(...))');
      requireConstructOf(scope, prop, this.group, '_heatServerGroupId', 'a server group (new ServerGroup or ServerGroup.fromId)', 'pass a ServerGroup');
    }
  }

  /** The most servers this placement can hold, or undefined when unbounded. */
  public get capacity(): number | undefined {
    return this.kind === 'strict' ? this.strict!.hosts * (this.strict!.maxServerPerHost ?? 1) : undefined;
  }

  /**
   * @internal Validates the placement for `need.servers` servers at `scope` (prop `prop`; the
   * count comes from prop `need.prop`, whose value is `need.value`) and returns the server group
   * they join: a new child `ServerGroup` of `scope` (id `ServerGroup`), the user's group, or
   * undefined for `any()`.
   */
  public _serverGroup(scope: Construct, prop: string, need: { servers: number; prop: string; value: unknown }): IServerGroup | undefined {
    this.validate(scope, prop);
    const capacity = this.capacity;
    if (capacity !== undefined && need.servers > capacity) {
      const perHost = this.strict!.maxServerPerHost ?? 1;
      throw propError(
        scope,
        ErrorCode.CONFLICT,
        need.prop,
        need.value,
        `needs room for ${need.servers} servers, but '${prop}' (strict spread) holds at most ${capacity} (${this.strict!.hosts} hosts × ${perHost} per host); a server that finds no free host fails to boot`,
        `lower ${need.prop}, raise hosts or maxServerPerHost, or use Placement.spread()`,
      );
    }
    switch (this.kind) {
      case 'any':
        return undefined;
      case 'group':
        return this.group;
      case 'spread':
        return new ServerGroup(scope, 'ServerGroup', { policy: ServerGroupPolicy.softAntiAffinity() });
      case 'strict':
        return new ServerGroup(scope, 'ServerGroup', { policy: ServerGroupPolicy.antiAffinity({ maxServerPerHost: this.strict!.maxServerPerHost }) });
    }
  }

  public toString(): string {
    return this.kind;
  }
}
