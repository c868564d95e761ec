import { Construct } from 'constructs';
import type { OrchestrationStackV1 } from '../../../.gen/providers/openstack/orchestration-stack-v1';
import type { HeatContext, TerraformContext } from '../../core/context';
import { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { fitName, logicalNameOf, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import type { Value } from '../../core/value';
import { arg, checkProps, constructOf, int, name } from '../../core/props';
import { requireDefined, requireInt, requireName } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import { renderStandaloneHeat } from '../../stacks/heat/standalone-template';
import { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import { Placement } from '../compute/placement';
import type { IServerGroup } from '../compute/server-group';
import { NOVA_METADATA_VALUE_MAX_LENGTH, validateMetadata } from '../compute/server';
import { escapeTerraformTemplate, UserData } from '../compute/user-data';
import { Pool } from '../loadbalancing/pool';
import type { IPool } from '../loadbalancing/pool-ref';
import { Connections, IConnectable } from '../network/connections';
import type { INetwork, TerraformDependencies } from '../network/network';
import { Port } from '../network/port';
import { ISecurityGroup, SecurityGroup } from '../network/security-group';
import type { Alarm } from './alarm';
import { SCALING_ENABLED, SCALING_ENABLED_PARAMETER } from './alarm';
import { LaunchInput, launchInputs, MEMBER_METADATA_RESERVED, PoolAttachment, renderMemberTemplate } from './member-template';
import { STACK_ID_PLACEHOLDER } from './metric';
import { autohealingProblems, renderAutohealing, warnAutohealingWithoutReadiness } from './autohealing';
import { AUTO_SCALING_GROUP_PROPS } from './prop-specs';
import { Readiness, ReadinessOptions, readinessOf, userDataWithReadiness } from './readiness';
import type { HeatTimeConstraint } from './schedule';
import { checkScheduleHolds, scaleInPauses, ScheduledScaling, ScheduledScalingOptions } from './scheduled-scaling';
import { IScalableGroup, ScalingAdjustment, ScalingPolicy } from './scaling-policy';
import { CpuScaling, CpuUtilizationScalingProps, MetricScalingProps, scaleOnCpu, scaleOnSteps, StepScaling } from './scaling-rules';
import { CpuTargetTrackingProps, MetricTargetTrackingProps, TargetTracking, trackCpu, trackMetric } from './target-tracking';
import { L1 } from '../../stacks/terraform/l1';

/** How Heat replaces members when the launch spec changes (the group's `rolling_updates`). */
export interface RollingUpdateOptions {
  /**
   * Members kept in service while others are replaced.
   * @default 0
   */
  readonly minInService?: number;
  /**
   * Members replaced at once.
   * @default 1
   */
  readonly maxBatchSize?: number;
  /**
   * Wait between batches.
   * @default Duration.seconds(0)
   */
  readonly pauseTime?: Duration;
}

/** Properties of an `AutoScalingGroup`. */
export interface AutoScalingGroupProps {
  /** The image every member boots. */
  readonly image: Image;
  /** The flavor of every member. Give its vCPU count (`Flavor.fromName(name, { vcpus })`) to scale on CPU. */
  readonly flavor: Flavor;
  /** The networks every member attaches to, one port each; the first is the primary address. */
  readonly networks: INetwork[];
  /**
   * Name of an existing Nova key pair injected into every member. Give this or `keyPair`, not both.
   * @default - no key pair
   */
  readonly keyName?: string;
  /**
   * A key pair injected into every member (`new KeyPair(...)` or `KeyPair.fromName`). Give this or
   * `keyName`, not both.
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
  /**
   * Security groups of the members' ports.
   * @default - a new security group (child 'SecurityGroup') with outbound traffic allowed and no inbound rule
   */
  readonly securityGroups?: ISecurityGroup[];
  /**
   * Whether the default security group (when `securityGroups` is not given) lets all outbound
   * traffic out. With false the members reach only what they are connected to
   * (`service.connections.allowFrom(group, port)` writes the egress rule too) and the metadata
   * service; give your own `securityGroups` for anything finer.
   * @default true
   */
  readonly allowAllOutbound?: boolean;
  /**
   * What every member runs at first boot.
   * @default - none
   */
  readonly userData?: UserData;
  /**
   * Nova metadata of every member. Scaleout adds `scaleout_stack`, `scaleout_owner` (this group's
   * path) and `metering.server_group` (the key the alarms aggregate by); these may not be set.
   * @default - only Scaleout's keys
   */
  readonly metadata?: Record<string, string>;
  /**
   * The fewest members.
   * @default 1
   */
  readonly minSize?: number;
  /** The most members (1 to 1000): the first guard against a runaway scale-out during a cloud incident. */
  readonly maxSize: number;
  /**
   * A fixed size. Heat sets the group to it at creation AND on every stack update, undoing what
   * the policies did (a warning says so); leave it out to start at `minSize` and scale freely.
   * @default - none: the group starts at minSize
   */
  readonly desiredCapacity?: number;
  /**
   * After creation and after every scaling, the group refuses scaling signals for this long.
   * @default Duration.seconds(300)
   */
  readonly cooldown?: Duration;
  /**
   * How members are replaced when the launch spec changes.
   * @default - Heat's defaults: one at a time, none kept in service, no pause
   */
  readonly rollingUpdates?: RollingUpdateOptions;
  /**
   * On scale-in (and whenever Heat replaces or deletes a member), how long a member is out of its
   * pools before its server is deleted, so requests in flight finish: Heat deletes the pool
   * members, waits (an `OS::Heat::Delay` in the member template), then deletes the server.
   * `Duration.seconds(0)` deletes the server right after its pool members. Only used when the
   * group is attached to a pool. At most 30 minutes.
   * @default Duration.seconds(30)
   */
  readonly drainTime?: Duration;
  /**
   * Create the policies `ScaleOut` (+1 server) and `ScaleIn` (-1) and export their webhooks as
   * stack outputs `<group>_scale_out_url` and `<group>_scale_in_url`, so your own monitor can
   * drive the group (POST with a Keystone token).
   * @default true
   */
  readonly scalingWebhooks?: boolean;
  /**
   * Where Nova places the members relative to each other. By default they spread across
   * hypervisors (a `soft-anti-affinity` server group, child `ServerGroup`, named in every
   * member's scheduler hints), so one host failure does not take the whole group.
   * `Placement.strictSpread({ hosts })` makes it a hard rule (maxSize must fit on the hosts);
   * `Placement.any()` opts out; `Placement.inServerGroup(group)` uses a group of yours.
   * @default Placement.spread()
   */
  readonly placement?: Placement;
  /**
   * Make a member count only once it is ready: its cloud-init signals an
   * `OS::Heat::WaitCondition` in the member template when `command` succeeds, and its pool
   * memberships wait for that signal, so a member joins the load balancer only when ready. The
   * member stack completes only then, so a scaling (and the cooldown after it) and each
   * rolling-update batch wait for it too; a member that is not ready within `timeout` fails, and
   * with it the scaling or update that created it. The signal is added to `userData` (a shell
   * script or a cloud-config document; `UserData.custom` is refused).
   * @default - none: a member counts as soon as its server is ACTIVE
   */
  readonly readiness?: ReadinessOptions;
  /**
   * Replace a member whose load-balancer health check fails, instead of only leaving it out of
   * rotation: one `OS::Aodh::LBMemberHealthAlarm` per pool the group serves (see
   * `autohealing.ts`). Aodh marks the member's stack unhealthy and updates the stack in place;
   * Heat replaces that member and the group keeps its size. Needs every pool the group joins
   * (`attachToPool`) to have a health monitor, and in the cloud Octavia in Aodh's service catalog
   * (docs/scaling.md). Aodh looks at a member only after its `member_creation_time` (120 s by
   * default), so set `readiness` when a member needs longer to serve (a warning says so). The
   * `scaling_enabled` switch pauses it with the scaling alarms.
   * @default false
   */
  readonly autohealing?: boolean;
}

/** The launch input that carries the members' user data. */
const USER_DATA_INPUT = 'user_data';

/**
 * A Terraform boolean as Heat prints a boolean parameter back (`str()` of a Python bool, see heat
 * `engine/parameters.py` `BooleanParam.value` and `Parameter.__str__`).
 */
function heatBooleanOf(expression: string): string {
  return `\${${expression} ? "True" : "False"}`;
}

/**
 * The embedded stack's environment in the Terraform target: the members' user data as a
 * `parameter_defaults` entry, which Heat hands down to every nested stack that declares the
 * parameter (heat `engine/environment.py` `get_child_environment` copies the parent's
 * parameter_defaults): here, each member's `user_data`.
 *
 * Why not a stack parameter: terraform-provider-openstack 3.4.0 reads `parameters` back from Heat
 * (`resourceOrchestrationStackV1Read`), Heat prints a hidden one as `******` (heat
 * `Parameter.__str__`), and a visible one would print the passwords the user data carries in
 * `openstack stack show`. The environment is not read back (only `template_opts`/`environment_opts`
 * `Bin` are sent, never compared with Heat), and Heat shows it only through
 * `openstack stack environment show`, which returned a hidden parameter's value unmasked as well
 * (heat `engine/service.py` `get_environment`). The user data is a Terraform local (rendered like
 * the parameter was) and the environment is `jsonencode` of it, so any value a reference resolves
 * to is quoted correctly; JSON is YAML, which Heat reads.
 */
function terraformUserDataEnvironment(name: string, userData: UserData, ctx: TerraformContext): string {
  const local = ctx.local(`${name}_user_data`, userData._terraform(ctx));
  return `\${jsonencode({ parameter_defaults = { ${USER_DATA_INPUT} = ${local} } })}`;
}

/** How long a member leaving its pools drains before its server is deleted, by default. */
export const DEFAULT_DRAIN_TIME = Duration.seconds(30);

/** The default group cooldown. */
export const DEFAULT_GROUP_COOLDOWN = Duration.seconds(300);

/**
 * Servers that the cloud scales: Heat's `OS::Heat::AutoScalingGroup` whose member is a nested
 * template (a server, plus an `OS::Octavia::PoolMember` per pool it serves), with
 * `OS::Heat::ScalingPolicy` and Aodh alarms in the same template. Every member carries metadata
 * naming its stack and group, and `metering.server_group`, the key its alarms aggregate by.
 *
 * Terraform cannot autoscale on OpenStack: there the group, its policies, alarms and member
 * template are rendered by the Heat renderer and embedded in an `openstack_orchestration_stack_v1`,
 * with the ids of what Terraform manages (networks, security groups, pools) as stack parameters.
 */
export class AutoScalingGroup extends Resource implements IConnectable, IScalableGroup {
  public readonly connections: Connections;
  public readonly minSize: number;
  public readonly maxSize: number;
  public readonly cooldownSeconds: number;
  /** Seconds a member is out of its pools before its server is deleted (0: no wait). */
  public readonly drainSeconds: number;
  /** The flavor of the members. */
  public readonly flavor: Flavor;
  /** The Nova server group every member joins (none with `Placement.any()`). */
  public readonly serverGroup?: IServerGroup;
  /** True when members whose health check fails are replaced (`autohealing`). */
  public readonly autohealing: boolean;
  /** The webhook policy that adds one server (when `scalingWebhooks` is on). */
  public readonly scaleOutPolicy?: ScalingPolicy;
  /** The webhook policy that removes one server (when `scalingWebhooks` is on). */
  public readonly scaleInPolicy?: ScalingPolicy;
  private readonly props: AutoScalingGroupProps;
  private readonly readiness?: Readiness;
  private readonly userData?: UserData;
  private readonly securityGroups: ISecurityGroup[];
  private readonly pools: PoolAttachment[] = [];
  private readonly policies: ScalingPolicy[] = [];
  private readonly alarms: Alarm[] = [];
  /** While the Terraform target renders the embedded stack: the outside values its alarms read, by parameter name. */
  private embeddedValues?: Map<string, Value>;
  private readonly schedules: ScheduledScaling[] = [];
  private readonly pingAllowed = new Set<IPool>();
  /** What scales this group on CPU already, and whether it is target tracking. */
  private readonly cpuScalers: Array<{ by: string; tracking: boolean }> = [];

  constructor(scope: Construct, id: string, groupProps: AutoScalingGroupProps) {
    super(scope, id);
    const props = checkProps(this, groupProps, AUTO_SCALING_GROUP_PROPS, { fix: 'pass { image, flavor, networks, maxSize }' });
    requireDefined(this, 'image', props.image, "use Image.fromName('ubuntu-22.04')");
    requireDefined(this, 'flavor', props.flavor, "use Flavor.fromName('m1.small', { vcpus: 1 })");
    props.image.validate(this, 'image');
    props.flavor.validate(this, 'flavor');
    if (!Array.isArray(props.networks) || props.networks.length === 0) {
      throw propError(this, ErrorCode.REQUIRED, 'networks', props.networks, 'must list at least one network', "use Network.fromName(this, 'Net', 'private')");
    }
    const labels = props.networks.map((n) => n.label);
    const repeated = labels.find((l, i) => labels.indexOf(l) !== i);
    if (repeated !== undefined) {
      throw propError(this, ErrorCode.DUPLICATE, 'networks', labels, `name two networks '${repeated}'`, 'give each network construct a distinct id');
    }
    requireName(this, 'keyName', props.keyName);
    if (props.keyName !== undefined && props.keyPair !== undefined) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'keyPair',
        props.keyName,
        "cannot be given together with 'keyName'",
        "drop 'keyName' or use KeyPair.fromName(this, 'Key', keyName)",
      );
    }
    validateMetadata(this, 'metadata', props.metadata);
    for (const key of Object.keys(props.metadata ?? {})) {
      if (MEMBER_METADATA_RESERVED.includes(key)) {
        throw propError(this, ErrorCode.CONFLICT, `metadata.${key}`, props.metadata![key], 'is reserved: Scaleout sets it to the key the alarms aggregate by', 'use another key');
      }
    }
    if (props.userData !== undefined && !(props.userData instanceof UserData)) {
      throw propError(this, ErrorCode.REQUIRED, 'userData', props.userData, 'must be a UserData', 'use UserData.forShellScript(...) or UserData.forCloudConfig(...)');
    }
    requireDefined(this, 'maxSize', props.maxSize, 'cap the group (1 to 1000 servers); a cap is the first guard against a runaway scale-out');
    requireInt(this, 'maxSize', props.maxSize, 1, 1000, 'servers');
    const minSize = props.minSize ?? 1;
    requireInt(this, 'minSize', minSize, 0, 1000, 'servers');
    if (minSize > props.maxSize) {
      throw propError(this, ErrorCode.CONFLICT, 'minSize', minSize, `must be <= maxSize (${props.maxSize})`, 'lower minSize or raise maxSize');
    }
    if (props.desiredCapacity !== undefined) {
      requireInt(this, 'desiredCapacity', props.desiredCapacity, 0, 1000, 'servers');
      if (props.desiredCapacity < minSize || props.desiredCapacity > props.maxSize) {
        throw propError(
          this,
          ErrorCode.CONFLICT,
          'desiredCapacity',
          props.desiredCapacity,
          `must be between minSize (${minSize}) and maxSize (${props.maxSize})`,
          'pick a size in that range, or leave desiredCapacity out',
        );
      }
      Warnings.add(
        this,
        'scaleout:desired-capacity',
        `'desiredCapacity' (${props.desiredCapacity}) is set: Heat resets the group to ${props.desiredCapacity} servers on every stack update, undoing what the scaling policies did; leave it out to start at minSize and scale freely`,
      );
    }
    this.cooldownSeconds = (props.cooldown ?? DEFAULT_GROUP_COOLDOWN).validate(this, 'cooldown', 0, 86400);
    this.drainSeconds = (props.drainTime ?? DEFAULT_DRAIN_TIME).validate(this, 'drainTime', 0, 1800);
    const ru = props.rollingUpdates;
    if (ru !== undefined) {
      requireInt(this, 'rollingUpdates.minInService', ru.minInService, 0, props.maxSize, 'servers');
      requireInt(this, 'rollingUpdates.maxBatchSize', ru.maxBatchSize, 1, props.maxSize, 'servers');
      ru.pauseTime?.validate(this, 'rollingUpdates.pauseTime', 0, 3600);
    }
    this.props = props;
    this.minSize = minSize;
    this.maxSize = props.maxSize;
    this.flavor = props.flavor;
    this.readiness = readinessOf(this, 'readiness', props.readiness);
    this.userData = this.readiness ? userDataWithReadiness(this, 'readiness', props.userData, this.readiness) : props.userData;
    this.autohealing = props.autohealing === true;
    if (this.autohealing) {
      // The pools (and their monitors) come later (attachToPool, addHealthMonitor): checked at synth.
      this.node.addValidation({ validate: () => autohealingProblems(this.attachedPools) });
      if (this.readiness === undefined) warnAutohealingWithoutReadiness(this);
    }
    this.serverGroup = (props.placement ?? Placement.spread())._serverGroup(this, 'placement', { servers: props.maxSize, prop: 'maxSize', value: props.maxSize });
    if (props.allowAllOutbound !== undefined && props.securityGroups !== undefined) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'allowAllOutbound',
        props.allowAllOutbound,
        "applies to the default security group only, and 'securityGroups' is given",
        'set allowAllOutbound on your own SecurityGroup instead',
      );
    }
    this.securityGroups = props.securityGroups ?? [new SecurityGroup(this, 'SecurityGroup', { allowAllOutbound: props.allowAllOutbound })];
    this.connections = new Connections({ securityGroups: this.securityGroups });
    if (props.scalingWebhooks ?? true) {
      this.scaleOutPolicy = new ScalingPolicy(this, 'ScaleOut', { group: this, adjustment: ScalingAdjustment.changeInCapacity(1) });
      this.scaleInPolicy = new ScalingPolicy(this, 'ScaleIn', { group: this, adjustment: ScalingAdjustment.changeInCapacity(-1) });
    }
  }

  /**
   * Makes every member a member of `pool` on `port` (an `OS::Octavia::PoolMember` in the member
   * template, so members join and leave with the group) and opens `port` on the group's security
   * groups to the pool's load balancer.
   */
  public attachToPool(pool: IPool, port: number): void {
    arg(this, 'pool', pool, constructOf('_heatPoolId', 'a load-balancer pool', 'pass the Pool the members serve'), 'pass the Pool the members serve');
    arg(this, 'port', port, int(1, 65535), 'give the port the members serve on, e.g. 8080');
    if (Stack.of(pool) !== Stack.of(this)) {
      throw usageError(this, ErrorCode.USAGE, 'attachToPool', `needs a pool of the group's stack, got ${pool.node.path}; the member template references the pool by its id in this stack`);
    }
    if (this.pools.some((p) => p.pool === pool)) {
      throw usageError(this, ErrorCode.DUPLICATE, 'attachToPool', `was already called with ${pool.node.path}; a member joins a pool once`);
    }
    const network = pool.memberSubnet.network;
    if (!this.props.networks.includes(network)) {
      throw usageError(
        this,
        ErrorCode.USAGE,
        'attachToPool',
        `needs the members on the pool's member network ${network.node.path} (subnet ${pool.memberSubnet.node.path}); add it to 'networks'`,
      );
    }
    if (this.pools.some((p) => p.pool.memberSubnet.network === network && p.pool.memberSubnet !== pool.memberSubnet)) {
      throw usageError(this, ErrorCode.UNSUPPORTED, 'attachToPool', `cannot join pools on two subnets of network ${network.node.path}: a member has one address there`);
    }
    this.pools.push({ pool, port, label: logicalNameOf(pool, Stack.of(pool).root) });
    const memberPort = pool instanceof Pool ? pool.protocol.memberPort(port) : Port.tcp(port);
    this.connections.allowFrom(pool.loadBalancer, memberPort, { description: fitName(`${memberPort.toString()} from load balancer pool ${pool.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    if (pool instanceof Pool) {
      // A PING health monitor probes members with ICMP echo: open it too (now, or once the monitor exists).
      if (pool.healthMonitor?.type.name === 'PING') {
        this.connections.allowFrom(pool.loadBalancer, Port.icmpType(8, 0));
        this.pingAllowed.add(pool);
      }
      this.node.addValidation({
        validate: () =>
          pool.healthMonitor?.type.name === 'PING' && !this.pingAllowed.has(pool)
            ? [`pool ${pool.node.path} got a PING health monitor after attachToPool: add the monitor first, so the members let ICMP echo in`]
            : [],
      });
    }
  }

  /**
   * Scales on CPU utilization: policies and Aodh alarms on `cpu` (`rate:mean`; thresholds
   * converted with the flavor's vCPUs, see `cpuPercentToNanoseconds`), on the group's aggregate
   * or, with `perMember: true`, on each member's own server (see `AlarmProps.perMember` for why
   * and what the cloud's Heat must allow). By default the group grows by a share of its size
   * while CPU is above `scaleOutAbovePercent`, by a larger share while saturated, and shrinks by a
   * share while it is below `scaleInBelowPercent`, each step sized so it cannot cross the other
   * threshold (`cpuScalingSteps`), each cooldown derived from warm-up and the alarm's periods
   * (`cpuScalingCooldowns`). docs/scaling.md shows what the real telemetry loop measured.
   */
  public scaleOnCpuUtilization(props: CpuUtilizationScalingProps): CpuScaling {
    return scaleOnCpu(this, props);
  }

  /**
   * Step scaling on any metric: one alarm and one policy per step (Heat makes one adjustment per
   * policy). Steps must not overlap, and leave exactly one range where the group keeps its size.
   */
  public scaleOnMetric(id: string, props: MetricScalingProps): StepScaling {
    return scaleOnSteps(this, id, props);
  }

  /**
   * Holds the members' CPU utilization near `targetPercent`, as AWS's target tracking does, compiled
   * to what Heat and Aodh enforce: alarm bands around the target, each with a percentage step
   * proportional to its distance from the target and sized so it cannot carry the load across the
   * target (see `targetTrackingBands`), on the group's aggregate or, with `perMember: true`, on each
   * member's own server; cooldowns as `scaleOnCpuUtilization` derives them. Replaces
   * `scaleOnCpuUtilization`: a group takes one of them.
   */
  public scaleToTrackCpu(props: CpuTargetTrackingProps): TargetTracking {
    return trackCpu(this, props);
  }

  /**
   * Holds a per-member metric near `targetValue` with bands around it (see `scaleToTrackCpu`). The
   * metric must fall as 1/n when the group grows to n members under the same demand.
   */
  public scaleToTrackMetric(id: string, props: MetricTargetTrackingProps): TargetTracking {
    return trackMetric(this, id, props);
  }

  /**
   * Records that `by` scales this group on CPU; refuses target tracking together with any other
   * CPU scaling (the bands of one would fight the thresholds of the other), and a second call of
   * the same target tracking.
   */
  public _claimCpuScaling(by: string, tracking: boolean): void {
    const same = this.cpuScalers.find((s) => s.by === by);
    if (same && tracking) throw usageError(this, ErrorCode.DUPLICATE, by, 'was already called on this group; call it once');
    const other = this.cpuScalers.find((s) => s.by !== by && (tracking || s.tracking));
    if (other) {
      throw usageError(
        this,
        ErrorCode.CONFLICT,
        by,
        `cannot be combined with ${other.by} on the same group: both scale on CPU, and target tracking's bands would fight the other policy's thresholds; keep one of them`,
      );
    }
    this.cpuScalers.push({ by, tracking });
  }

  /**
   * Sets the group to `desiredCapacity` servers at every start of `schedule` (in `timeZone`),
   * enforced by the cloud: an `exact_capacity` policy signalled by an Aodh alarm evaluated only in
   * a window after each start (see `ScheduledScaling`). With `duration`, the group's scale-in
   * alarms pause that long after each start, so the size set ahead of a peak survives an idle
   * start; scale-out alarms keep working. A schedule cannot change minSize or maxSize (that needs
   * a stack update) and is refused for a group whose minSize is 0. docs/scaling.md says why Aodh
   * and not a Mistral cron trigger.
   */
  public scaleOnSchedule(id: string, options: ScheduledScalingOptions): ScheduledScaling {
    arg(this, 'scaleOnSchedule.id', id, name({ maxLength: 64, pattern: /^[A-Za-z][A-Za-z0-9]*$/, patternText: 'a letter then letters and digits' }), "give an id such as 'TvSpot'");
    const scheduled = new ScheduledScaling(this, id, options);
    checkScheduleHolds(scheduled, this.schedules);
    this.schedules.push(scheduled);
    return scheduled;
  }

  /**
   * @internal The scale-in alarms of the group (every action removes servers) are evaluated only
   * outside the hold windows of its schedules; other alarms at all times.
   */
  public _alarmTimeConstraints(alarm: Alarm): HeatTimeConstraint[] | undefined {
    return scaleInPauses(this, alarm, this.schedules);
  }

  /** The schedules of the group (`scaleOnSchedule`). */
  public get scheduledActions(): ScheduledScaling[] {
    return [...this.schedules];
  }

  /** The pools the members join. */
  public get attachedPools(): IPool[] {
    return this.pools.map((p) => p.pool);
  }

  public _registerPolicy(policy: ScalingPolicy): void {
    this.policies.push(policy);
  }

  public _registerAlarm(alarm: Alarm): void {
    this.alarms.push(alarm);
  }

  public _externalValue(ctx: HeatContext, name: string, value: Value, description: string): unknown {
    if (this.embeddedValues === undefined) return value._heat(ctx);
    this.embeddedValues.set(name, value);
    return ctx.parameter(name, { type: 'string', description });
  }

  public _serverGroupKeyTemplate(ctx: HeatContext): string {
    // The key is a Nova metadata value (at most 255 characters) that starts with the 36-character stack id.
    return `${STACK_ID_PLACEHOLDER}-${fitName(ctx.logicalId(this), NOVA_METADATA_VALUE_MAX_LENGTH - 37)}`;
  }

  public _toHeat(ctx: HeatContext): void {
    const inputs = this.launchInputs();
    // Members boot with their ports on the stack's networks: wait for the subnets and router
    // interfaces (Heat does not infer the latter). The embedded template for Terraform gets the
    // same ordering from the orchestration stack's depends_on.
    const dependsOn = [...new Set(this.props.networks.flatMap((n) => n._heatPortDependencies?.(ctx) ?? []))];
    this.renderGroup(ctx, Object.fromEntries(inputs.map((i) => [i.name, i.heat(ctx)])), dependsOn);
  }

  public _toTerraform(ctx: TerraformContext): OrchestrationStackV1 {
    const stack = Stack.of(this);
    const name = ctx.logicalId(this);
    const inputs = this.launchInputs();
    // Values the alarms read from outside the embedded stack become its parameters (see _externalValue).
    const external = new Map<string, Value>();
    this.embeddedValues = external;
    const embedded = renderStandaloneHeat(
      {
        root: stack.root,
        release: ctx.release,
        description: `Autoscaling group ${this.node.path} of Scaleout stack ${stack.stackName} (embedded by Terraform, which cannot autoscale)`,
        // Terraform only sees the Bin text: a hash in the member's path makes an edit of the member alone change it.
        placeFile: (fileName, text) => ctx.asset(fileName, text),
      },
      (h) => {
        // The user data is no parameter of the embedded stack (see terraformUserDataEnvironment):
        // the member template receives it from the environment's parameter_defaults.
        const passed = inputs.filter((i) => i.name !== USER_DATA_INPUT);
        this.renderGroup(h, Object.fromEntries(passed.map((i) => [i.name, h.parameter(i.name, i.def)])));
        for (const p of this.policies) p._toHeat(h);
        for (const a of this.alarms) a._toHeat(h);
      },
    );
    this.embeddedValues = undefined;
    const declared = (embedded.template.parameters ?? {}) as Record<string, unknown>;
    const parameters: Record<string, string> = {};
    for (const i of inputs) if (i.name !== USER_DATA_INPUT) parameters[i.name] = i.terraform(ctx);
    for (const [k, v] of external) parameters[k] = String(v._terraform(ctx));
    if (SCALING_ENABLED in declared) {
      ctx.variable(SCALING_ENABLED, {
        type: 'bool',
        default: true,
        description: 'Safety switch: false disables every autoscaling alarm (the groups keep their size). Pause scaling with `terraform apply -var scaling_enabled=false`.',
      });
      // Heat echoes a boolean parameter as Python prints it ("True"/"False"), and the provider
      // compares that echo with what it sent: Terraform's own "true" would never converge.
      parameters[SCALING_ENABLED] = heatBooleanOf(`var.${SCALING_ENABLED}`);
    }
    const leftover = Object.entries(embedded.environmentParameters).filter(([k]) => !(k in parameters));
    if (leftover.length > 0) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'environment',
        `sets ${leftover.map(([k]) => k).join(', ')} in the embedded stack's environment, which the Terraform target does not pass`,
      );
    }
    const dependsOn: TerraformDependencies = this.props.networks.flatMap((n) => n._terraformPortDependencies?.(ctx) ?? []);
    const resource = ctx.named(
      new L1.OrchestrationStackV1(ctx.scope, name, {
        // Heat refuses stack names over 255 characters (heat/engine/service.py, `_validate_new_stack`).
        name: fitName(`${stack.stackName}-${name}`, SERVICE_NAME_MAX_LENGTH),
        templateOpts: { Bin: escapeTerraformTemplate(embedded.templateText) },
        environmentOpts: this.userData ? { Bin: terraformUserDataEnvironment(name, this.userData, ctx) } : undefined,
        parameters,
        // As `openstack stack create` does by default: a failed create keeps what it built, for
        // `openstack stack failures list`, and a retry after `terraform import` resumes it in place.
        disableRollback: true,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      }),
      name,
    );
    for (const [key, description] of this.webhookOutputs(name)) {
      const value = `\${lookup({ for o in openstack_orchestration_stack_v1.${name}.outputs : o.output_key => o.output_value }, "${key}", "")}`;
      ctx.addOutput(key, value, description);
    }
    return resource;
  }

  /** The group, its member template and its webhook outputs, in one template (Heat's main one, or the embedded one). */
  private renderGroup(ctx: HeatContext, inputs: Record<string, unknown>, dependsOn: string[] = []): void {
    const member = ctx.nested(`Member of autoscaling group ${this.node.path}: one server${this.pools.length > 0 ? ' and its pool memberships' : ''}`);
    const server = renderMemberTemplate(member.context, this, this.launchInputs(), this.pools, this.props.metadata ?? {}, this.readiness, this.drainSeconds);
    const alarmInputs = this.renderMemberAlarms(ctx, member.context, server);
    // A file name has at most 255 bytes on common file systems: a long logical name is shortened (start + hash).
    const file = ctx.addFile(`${fitName(ctx.logicalId(this), 200, 'characters', '_')}_member.yaml`, member.document());
    const ru = this.props.rollingUpdates;
    const group = ctx.addResource(this, 'OS::Heat::AutoScalingGroup', {
      min_size: this.minSize,
      max_size: this.maxSize,
      desired_capacity: this.props.desiredCapacity,
      cooldown: this.cooldownSeconds,
      rolling_updates: ru && { min_in_service: ru.minInService, max_batch_size: ru.maxBatchSize, pause_time: ru.pauseTime?.toSeconds() },
      resource: {
        type: file,
        properties: {
          ...inputs,
          ...alarmInputs,
          server_group: { str_replace: { template: this._serverGroupKeyTemplate(ctx), params: { [STACK_ID_PLACEHOLDER]: { get_param: 'OS::stack_id' } } } },
        },
      },
    }, { dependsOn });
    if (this.autohealing) {
      renderAutohealing(ctx, this, group, this.pools.map((p) => ({ pool: p.pool, label: p.label, poolId: inputs[`${p.label}_pool`] })));
    }
    const name = ctx.logicalId(this);
    const policies = { [`${name}_scale_out_url`]: this.scaleOutPolicy, [`${name}_scale_in_url`]: this.scaleInPolicy };
    for (const [key, description] of this.webhookOutputs(name)) ctx.addOutput(key, policies[key]!._heatSignalUrl(ctx), description);
  }

  /**
   * Renders the per-member alarms (see `AlarmProps.perMember`) into the member template and
   * returns the member parameters the group passes for them: `scaling_enabled`, and per policy
   * signalled the Aodh action `trust+<the policy's signal_url>`.
   *
   * A member cannot take the policy's `signal_url` attribute: the policy depends on the group
   * (`auto_scaling_group_id`), so the group depending on the policy is a cycle. Heat's signal URL
   * of a resource is `<orchestration endpoint>/<project>/stacks/<stack name>/<stack id>/resources/
   * <resource>/signal` (heat `engine/resources/signal_responder.py` `_get_heat_signal_url`), so
   * the group takes the URL of a policy that scales nothing (`<group>_signal_base`, never
   * signalled, in the same stack) and puts the real policy's name in place of its own. Signals
   * still go to the real policy, which refuses them in cooldown as usual; the trust Aodh creates
   * for `trust+` actions (aodh `api/controllers/v2/alarms.py`) is the one the group alarms used.
   */
  private renderMemberAlarms(ctx: HeatContext, member: HeatContext, server: string): Record<string, unknown> {
    const alarms = this.alarms.filter((a) => a.perMember);
    if (alarms.length === 0) return {};
    const enabled = member.parameter(SCALING_ENABLED, {
      type: 'boolean',
      description: "The stack's scaling_enabled switch: false disables the member's scaling alarms",
    });
    const policies = [...new Set(alarms.flatMap((a) => a.alarmActions))];
    const urlParameter = (p: ScalingPolicy) => `${ctx.logicalId(p)}_alarm_url`;
    for (const a of alarms) {
      a._toHeatMember(
        member,
        { get_resource: server },
        (p) => member.parameter(urlParameter(p), { type: 'string', description: `Aodh action signalling policy ${p.node.path}: trust+<its signal_url>` }),
        enabled,
      );
    }
    const base = ctx.addResource(
      this,
      'OS::Heat::ScalingPolicy',
      {
        auto_scaling_group_id: 'none (signal URL prefix of the per-member alarms; never signalled)',
        adjustment_type: 'change_in_capacity',
        scaling_adjustment: 0,
      },
      { suffix: 'signal_base' },
    );
    const inputs: Record<string, unknown> = { [SCALING_ENABLED]: ctx.parameter(SCALING_ENABLED, SCALING_ENABLED_PARAMETER) };
    ctx.setEnvironmentParameter(SCALING_ENABLED, true);
    for (const p of policies) {
      inputs[urlParameter(p)] = {
        str_replace: {
          template: { str_replace: { template: 'trust+url', params: { url: { get_attr: [base, 'signal_url'] } } } },
          params: { [`/resources/${base}/signal`]: `/resources/${ctx.logicalId(p)}/signal` },
        },
      };
    }
    return inputs;
  }

  private webhookOutputs(name: string): Array<[string, string]> {
    if (!this.scaleOutPolicy) return [];
    const how = 'POST to it with a Keystone token (X-Auth-Token), no body';
    return [
      [`${name}_scale_out_url`, `Webhook that adds one server to ${this.node.path}; ${how}`],
      [`${name}_scale_in_url`, `Webhook that removes one server from ${this.node.path}; ${how}`],
    ];
  }

  private launchInputs(): LaunchInput[] {
    return launchInputs(this, { ...this.props, userData: this.userData, securityGroups: this.securityGroups, serverGroup: this.serverGroup }, this.pools);
  }
}
