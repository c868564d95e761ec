import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { SERVER_GROUP_PROPS } from '../prop-specs';
import { Construct, IConstruct } from 'constructs';
import type { ComputeServergroupV2 } from '../../../.gen/providers/openstack/compute-servergroup-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { Resource } from '../../core/resource';
import { requireDefined, requireInstance, requireInt, requireName } from '../../core/validate';
import { L1 } from '../../stacks/terraform/l1';

/** Options of the anti-affinity policy. */
export interface AntiAffinityOptions {
  /**
   * Let up to this many servers of the group share a host (Nova's `max_server_per_host` rule,
   * compute API 2.64+), for groups larger than the number of hosts.
   * @default 1 - every server on its own host
   */
  readonly maxServerPerHost?: number;
}

/**
 * Where Nova places the servers of a group relative to each other.
 *
 * @example ServerGroupPolicy.antiAffinity(); ServerGroupPolicy.softAntiAffinity()
 */
export class ServerGroupPolicy {
  /**
   * Every server on a different host; a server that cannot get its own host fails to boot.
   * The usual choice for replicas that must not fail together.
   */
  public static antiAffinity(options: AntiAffinityOptions = {}): ServerGroupPolicy {
    return new ServerGroupPolicy('anti-affinity', options?.maxServerPerHost);
  }

  /** Spread the servers over hosts when possible, never failing a boot for it. */
  public static softAntiAffinity(): ServerGroupPolicy {
    return new ServerGroupPolicy('soft-anti-affinity', undefined);
  }

  /** Every server on the same host (fast local traffic, one host failure takes them all). */
  public static affinity(): ServerGroupPolicy {
    return new ServerGroupPolicy('affinity', undefined);
  }

  /** Keep the servers on the same host when possible. */
  public static softAffinity(): ServerGroupPolicy {
    return new ServerGroupPolicy('soft-affinity', undefined);
  }

  private constructor(
    /** Nova's policy name, e.g. `anti-affinity`. */
    public readonly name: string,
    /** Nova's `max_server_per_host` rule (anti-affinity only). */
    public readonly maxServerPerHost: number | undefined,
  ) {}

  /** Throws unless the options are in range. */
  public validate(scope: IConstruct, prop: string): void {
    requireInt(scope, `${prop}.maxServerPerHost`, this.maxServerPerHost, 1, 1000);
  }

  public toString(): string {
    return this.name;
  }
}

/** A Nova server group that servers join through `Server`'s `serverGroup`. */
export interface IServerGroup extends IConstruct {
  /** @internal The group id in HOT (`get_resource`, or a literal id). */
  _heatServerGroupId(ctx: HeatContext): unknown;
  /** @internal The group id in Terraform. */
  _terraformServerGroupId(ctx: TerraformContext): string;
}

/** Properties of a `ServerGroup`. */
export interface ServerGroupProps {
  /** How Nova places the group's servers relative to each other. */
  readonly policy: ServerGroupPolicy;
  /**
   * Name of the group in Nova.
   * @default - the construct's logical name
   */
  readonly serverGroupName?: string;
}

/**
 * A Nova server group: a placement policy (anti-affinity, affinity, and their soft forms) shared
 * by the servers that join it.
 *
 * Heat: `OS::Nova::ServerGroup` (`policies`, `rules`); servers get `scheduler_hints: {group}`.
 * Terraform: `openstack_compute_servergroup_v2`; servers get a `scheduler_hints { group }` block.
 */
export class ServerGroup extends Resource implements IServerGroup {
  /** An existing server group by id; the stack creates nothing. */
  public static fromId(scope: Construct, id: string, serverGroupId: string): IServerGroup {
    return new ImportedServerGroup(scope, id, serverGroupId);
  }

  /** The placement policy. */
  public readonly policy: ServerGroupPolicy;
  private readonly serverGroupName?: string;

  constructor(scope: Construct, id: string, groupProps: ServerGroupProps) {
    super(scope, id);
    const props = checkProps(this, groupProps, SERVER_GROUP_PROPS, { fix: 'pass { policy: ServerGroupPolicy.antiAffinity() }' });
    requireDefined(this, 'policy', props.policy, 'use ServerGroupPolicy.antiAffinity() or ServerGroupPolicy.softAntiAffinity()');
    requireInstance(this, 'policy', props.policy, ServerGroupPolicy, 'use ServerGroupPolicy.antiAffinity() or another static factory');
    props.policy.validate(this, 'policy');
    requireName(this, 'serverGroupName', props.serverGroupName);
    this.policy = props.policy;
    this.serverGroupName = props.serverGroupName;
  }

  public _heatServerGroupId(ctx: HeatContext): unknown {
    return ctx.ref(this);
  }

  public _terraformServerGroupId(ctx: TerraformContext): string {
    return ctx.handleOf<ComputeServergroupV2>(this).id;
  }

  public _toHeat(ctx: HeatContext): void {
    const max = this.policy.maxServerPerHost;
    ctx.addResource(this, 'OS::Nova::ServerGroup', {
      name: this.serverGroupName ?? fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH),
      policies: [this.policy.name],
      rules: max === undefined ? undefined : { max_server_per_host: max },
    });
  }

  public _toTerraform(ctx: TerraformContext): ComputeServergroupV2 {
    const name = ctx.logicalId(this);
    const max = this.policy.maxServerPerHost;
    return ctx.named(
      new L1.ComputeServergroupV2(ctx.scope, name, {
        name: this.serverGroupName ?? fitName(name, SERVICE_NAME_MAX_LENGTH),
        policies: [this.policy.name],
        rules: max === undefined ? undefined : { maxServerPerHost: max },
      }),
      name,
    );
  }
}

class ImportedServerGroup extends Resource implements IServerGroup {
  constructor(
    scope: Construct,
    id: string,
    private readonly serverGroupId: string,
  ) {
    super(scope, id);
    requireDefined(this, 'serverGroupId', serverGroupId, 'give the id of an existing Nova server group');
    requireName(this, 'serverGroupId', serverGroupId);
  }

  public _heatServerGroupId(): unknown {
    return this.serverGroupId;
  }

  public _terraformServerGroupId(): string {
    return this.serverGroupId;
  }

  public _toHeat(): void {}

  public _toTerraform(): unknown {
    return undefined;
  }
}
