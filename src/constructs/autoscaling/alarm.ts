import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { warnPercentOnCpuTime } from './scaling-warnings';
import { Construct } from 'constructs';
import type { HeatContext, HeatParameterDef, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { arg, checkProps } from '../../core/props';
import { requireDefined, requireInt, requireName, requireNumber } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import { GnocchiMetric, GnocchiResourceMetric, Metric, PrometheusMetric } from './metric';
import './prometheus-alarm-l1';
import { ALARM_PROPS, POLICY_CHECK } from './prop-specs';
import type { HeatTimeConstraint } from './schedule';
import type { IScalableGroup, ScalingPolicy } from './scaling-policy';

/** How an alarm compares the metric with its threshold. */
export class ComparisonOperator {
  /** metric > threshold */
  public static readonly GREATER_THAN = new ComparisonOperator('gt', '>');
  /** metric >= threshold */
  public static readonly GREATER_THAN_OR_EQUAL = new ComparisonOperator('ge', '>=');
  /** metric < threshold */
  public static readonly LESS_THAN = new ComparisonOperator('lt', '<');
  /** metric <= threshold */
  public static readonly LESS_THAN_OR_EQUAL = new ComparisonOperator('le', '<=');
  /** metric == threshold */
  public static readonly EQUAL = new ComparisonOperator('eq', '==');
  /** metric != threshold */
  public static readonly NOT_EQUAL = new ComparisonOperator('ne', '!=');

  private constructor(
    /** The name Aodh uses. */
    public readonly name: 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne',
    /** The operator as a symbol, for descriptions. */
    public readonly symbol: string,
  ) {}

  public toString(): string {
    return this.symbol;
  }
}

/**
 * Default `evaluationPeriods` of an alarm on a rate aggregation (`rate:mean`, e.g. CPU): the
 * members' mean counter jumps for one period when membership changes (see `AlarmProps`).
 */
export const RATE_EVALUATION_PERIODS = 2;

/** The `evaluationPeriods` an alarm on `metric` gets when none is given: 2 for a rate aggregation, else 1. */
export function defaultEvaluationPeriods(metric: Metric): number {
  return metric instanceof GnocchiMetric && metric.isRate ? RATE_EVALUATION_PERIODS : 1;
}

/** Groups already warned that their alarms read a rate on the group's aggregate. */
const GROUP_RATE_WARNED = new WeakSet<IScalableGroup>();
const PER_MEMBER_WARNED = new WeakSet<IScalableGroup>();

/** The stack parameter (Heat) / variable (Terraform) that switches every scaling alarm on or off. */
export const SCALING_ENABLED = 'scaling_enabled';

/** The HOT declaration of `scaling_enabled`. */
export const SCALING_ENABLED_PARAMETER: HeatParameterDef = {
  type: 'boolean',
  default: true,
  description:
    'Safety switch: false disables every autoscaling alarm (the groups keep their size). ' +
    'Pause scaling with `openstack stack update --existing --parameter scaling_enabled=false <stack>`.',
};

/** Properties of an `Alarm`. */
export interface AlarmProps {
  /** What the alarm watches. */
  readonly metric: Metric;
  /** The value the metric is compared with, in the metric's unit. */
  readonly threshold: number;
  /**
   * How the metric is compared with `threshold`.
   * @default ComparisonOperator.GREATER_THAN
   */
  readonly comparisonOperator?: ComparisonOperator;
  /**
   * Also require the metric to be below this value: the alarm then fires only inside the band
   * from `threshold` to `upperBound` (step scaling). Rendered as an `OS::Aodh::CompositeAlarm`
   * whose two rules must both hold; needs `comparisonOperator` GREATER_THAN or GREATER_THAN_OR_EQUAL.
   * @default - no upper bound
   */
  readonly upperBound?: number;
  /**
   * Consecutive periods (of the Gnocchi granularity) the condition must hold before the alarm fires.
   * Prometheus alarms have none: put the window in the PromQL query instead.
   *
   * A rate aggregation (`rate:mean`, as in `Metric.cpuTime()`) defaults to 2, so one noisy period
   * does not scale the group. On the group's aggregate (`perMember: false`) a rate is also wild
   * whenever the membership changes: Aodh asks Gnocchi for `(aggregate rate:mean (metric cpu
   * mean))`, the rate of the *mean of the members' cumulative counters* (aodh
   * `evaluator/gnocchi.py`, gnocchi `rest/aggregates/operations.py` `rated_agg`), so a new
   * server's small counter pulls that mean far down. Setting 1 on a rate metric is warned about.
   * @default - 2 with a rate aggregation (see above), else 1
   */
  readonly evaluationPeriods?: number;
  /**
   * Call the actions again at every evaluation while the alarm stays in alarm (so a group keeps
   * scaling, one cooldown apart, while the load stays high). False calls them once per transition.
   * @default true
   */
  readonly repeatActions?: boolean;
  /**
   * Evaluate the metric on each member's own series: one alarm per server, in the member template
   * (`OS::Aodh::GnocchiResourcesAlarm` on the server), instead of one alarm on the group's
   * aggregate. Each fires on its own server's value; Heat's cooldown and "scaling in progress"
   * refuse the simultaneous signals of the other members (heat `scaling/cooldown.py`).
   *
   * Why: Gnocchi's cross-resource `rate:mean` (the group alarm on `Metric.cpuTime()`) is the rate
   * of the members' *mean cumulative counter* (see `evaluationPeriods`), which the real loop
   * measured between -26 % and -473 % while every member ran at 100 % (docs/scaling.md); one
   * server's stored `rate:mean` is that server's CPU time (see `GnocchiMetric._heatMemberRule`).
   *
   * Needs the cloud's Heat to create its trusts with redelegation (`heat.conf`:
   * `reauthentication_auth_method = trusts` and `allow_trusts_redelegation = true`, heat
   * `common/config.py`, which names Aodh as the reason to enable it): on a scale-out Heat creates
   * the new member's alarms with its trust-scoped token, and Aodh must create a trust from it for
   * the `trust+` action (aodh `api/controllers/v2/alarms.py` `update_actions`); without
   * redelegation Keystone answers 403 and the scale-out fails (the real loop showed it). Needs a
   * metric on the members' `instance` resources selected by `GnocchiQuery.serverGroup()`.
   * @default false - one alarm on the group's aggregate (warned about for a rate)
   */
  readonly perMember?: boolean;
  /**
   * Description of the alarm.
   * @default - '<metric> <op> <threshold>'
   */
  readonly description?: string;
  /**
   * Scaling policies signalled when the alarm fires (more with `addAlarmAction`). All must scale
   * the same group: the alarm lives in that group's template.
   * @default - none yet; at least one is required at synthesis
   */
  readonly alarmActions?: ScalingPolicy[];
}

/**
 * An Aodh alarm that signals scaling policies when a metric crosses a threshold. Heat:
 * `OS::Aodh::GnocchiAggregationByResourcesAlarm` (Gnocchi metrics), `OS::Aodh::PrometheusAlarm`
 * (PromQL, 2024.1+), or `OS::Aodh::CompositeAlarm` for a band (`upperBound`). Its `enabled` is
 * the stack's `scaling_enabled` switch, and it lives in the same template as the group it scales
 * (Terraform: inside the group's embedded Heat stack).
 */
export class Alarm extends Resource {
  /** The metric. */
  public readonly metric: Metric;
  private readonly props: AlarmProps;
  private readonly actions: ScalingPolicy[] = [];
  private scaledGroup?: IScalableGroup;
  private ownTimeConstraints?: HeatTimeConstraint[];

  constructor(scope: Construct, id: string, alarmProps: AlarmProps) {
    super(scope, id);
    const props = checkProps(this, alarmProps, ALARM_PROPS, { fix: 'pass { metric, threshold }' });
    requireDefined(this, 'metric', props.metric, "use Metric.cpuTime(), Metric.gnocchi({ metric: 'queue.depth' }) or Metric.prometheus({ query })");
    if (!(props.metric instanceof Metric)) {
      throw propError(this, ErrorCode.REQUIRED, 'metric', props.metric, 'must be a Metric', 'use Metric.gnocchi(), Metric.cpuTime() or Metric.prometheus()');
    }
    props.metric.validate(this, 'metric');
    const release = Stack.of(this).release;
    if (!release.isAtLeast(props.metric.minimumRelease)) {
      throw propError(
        this,
        ErrorCode.UNSUPPORTED,
        'metric',
        props.metric.toString(),
        `needs OS::Aodh::PrometheusAlarm, which Heat has only from OpenStack ${props.metric.minimumRelease.toString()}; this stack targets ${release.toString()}`,
        `use a Gnocchi metric (Metric.gnocchi, Metric.cpuTime), or target a newer release: new Stack(app, id, { release: OpenStackRelease.V2024_1 })`,
      );
    }
    requireDefined(this, 'threshold', props.threshold, 'give the value the metric is compared with');
    requireNumber(this, 'threshold', props.threshold, -Number.MAX_VALUE, Number.MAX_VALUE);
    const op = props.comparisonOperator ?? ComparisonOperator.GREATER_THAN;
    if (!(op instanceof ComparisonOperator)) {
      throw propError(this, ErrorCode.ENUM, 'comparisonOperator', op, 'must be a ComparisonOperator', 'use ComparisonOperator.GREATER_THAN, .LESS_THAN, ...');
    }
    if (props.upperBound !== undefined) {
      requireNumber(this, 'upperBound', props.upperBound, -Number.MAX_VALUE, Number.MAX_VALUE);
      if (op !== ComparisonOperator.GREATER_THAN && op !== ComparisonOperator.GREATER_THAN_OR_EQUAL) {
        throw propError(
          this,
          ErrorCode.CONFLICT,
          'comparisonOperator',
          op.name,
          "must be GREATER_THAN or GREATER_THAN_OR_EQUAL with 'upperBound' (the band is threshold..upperBound)",
          'change the operator or drop upperBound',
        );
      }
      if (props.upperBound <= props.threshold) {
        throw propError(this, ErrorCode.CONFLICT, 'upperBound', props.upperBound, `must be above 'threshold' (${props.threshold})`, 'swap them or widen the band');
      }
    }
    if (props.evaluationPeriods !== undefined && props.metric instanceof PrometheusMetric) {
      throw propError(
        this,
        ErrorCode.UNSUPPORTED,
        'evaluationPeriods',
        props.evaluationPeriods,
        'is not a property of Prometheus alarms',
        'put the time window in the PromQL query, e.g. avg_over_time(...[10m])',
      );
    }
    requireInt(this, 'evaluationPeriods', props.evaluationPeriods, 1, 1000, 'periods');
    const perMember = props.perMember === true;
    if (props.evaluationPeriods === 1 && props.metric instanceof GnocchiMetric && props.metric.isRate && !perMember) {
      Warnings.add(
        this,
        'scaleout:single-evaluation-period',
        `'evaluationPeriods' is 1 on ${props.metric.toString()}: Gnocchi takes the rate of the members' mean counter, which jumps for one period whenever a member joins or leaves, so this alarm may fire on a scaling of its own group; use 2 or more (the default)`,
      );
    }
    if (props.perMember === true && !(props.metric instanceof GnocchiMetric && props.metric.isPerServer)) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'perMember',
        true,
        `needs a Gnocchi metric on the members' own 'instance' resources selected by GnocchiQuery.serverGroup(); got ${props.metric.toString()}`,
        'drop perMember, or use Metric.cpuTime() / Metric.gnocchi({ metric, resourceType: "instance" })',
      );
    }
    warnPercentOnCpuTime(this, props.metric, 'threshold', props.threshold);
    warnPercentOnCpuTime(this, props.metric, 'upperBound', props.upperBound);
    requireName(this, 'description', props.description);
    this.props = { ...props, comparisonOperator: op };
    this.metric = props.metric;
    for (const p of props.alarmActions ?? []) this.addAlarmAction(p);
    this.node.addValidation({
      validate: () =>
        this.actions.length === 0 ? ['alarm has no action: pass alarmActions or call addAlarmAction(policy) (an alarm lives in the template of the group it scales)'] : [],
    });
  }

  /** Signals `policy` when the alarm fires. Every policy of one alarm must scale the same group. */
  public addAlarmAction(policy: ScalingPolicy): void {
    arg(this, 'alarmActions', policy, POLICY_CHECK, 'pass a ScalingPolicy');
    if (this.scaledGroup !== undefined && policy.group !== this.scaledGroup) {
      throw usageError(
        this,
        ErrorCode.USAGE,
        'alarmActions',
        `must all scale one group, got ${policy.node.path} (group ${policy.group.node.path}) after a policy of ${this.scaledGroup.node.path}; create one alarm per group`,
      );
    }
    if (Stack.of(policy) !== Stack.of(this)) {
      throw usageError(this, ErrorCode.USAGE, 'alarmActions', `must be policies of the alarm's stack, got ${policy.node.path}; an alarm lives in the template of the group it scales`);
    }
    if (this.actions.includes(policy)) return;
    this.actions.push(policy);
    if (this.scaledGroup === undefined) {
      this.scaledGroup = policy.group;
      policy.group._registerAlarm(this);
      this.warnGroupRate(policy.group);
    }
  }

  /** Once per group: its alarms read a rate on the group's aggregate, or signal once per member (see `AlarmProps.perMember`). */
  private warnGroupRate(group: IScalableGroup): void {
    const m = this.metric;
    if (this.perMember && !PER_MEMBER_WARNED.has(group)) {
      PER_MEMBER_WARNED.add(group);
      // Heat handles each signal in a thread of its own (heat engine/service.py resource_signal);
      // the group's guard is a read then a write of its metadata (scaling/cooldown.py
      // _check_scaling_allowed), so signals of one Aodh pass can both resize; the cancelled one
      // clears scaling_in_progress (aws/autoscaling/autoscaling_group.py adjust, finally:) and the
      // next pass's signals cancel the running resize in turn. The real loop saw it (docs/scaling.md).
      Warnings.add(
        group,
        'scaleout:per-member-signal-race',
        `alarms on each member's own series (${this.node.path}): the members' alarms fire in the same Aodh pass, and Heat's guard against concurrent resizes is not atomic, so their signals can start resizes that cancel each other (the real loop saw resizes take 2-4 times longer and groups stall); ` +
          'prefer the group aggregate (one signal per pass) or a Prometheus metric (2024.1+), or acknowledge this warning',
      );
    }
    if (this.perMember || !(m instanceof GnocchiMetric && m.isRate) || GROUP_RATE_WARNED.has(group)) return;
    GROUP_RATE_WARNED.add(group);
    Warnings.add(
      group,
      'scaleout:group-rate-alarm',
      `alarms on the group's aggregate of ${m.toString()} (${this.node.path}): Gnocchi's cross-resource rate is the rate of the members' mean cumulative counter, which goes far negative when a member joins and on partly polled periods, so the group can stall or scale in under load; ` +
        'use a Prometheus metric (2024.1+), or acknowledge this warning: on Gnocchi it is still the safer topology (perMember: true makes the members\' signals race inside Heat; docs/scaling.md compares both in the real loop)',
    );
  }

  /**
   * @internal Evaluates the alarm only inside these windows (Aodh `time_constraints`): a
   * schedule's alarm (see `ScheduledScaling`). Other alarms get the windows their group's
   * schedules leave them (`IScalableGroup._alarmTimeConstraints`).
   */
  public _setTimeConstraints(constraints: HeatTimeConstraint[]): void {
    this.ownTimeConstraints = constraints;
  }

  /** The Aodh `time_constraints` of the alarm, if it has any (see `_setTimeConstraints`). */
  public get timeConstraints(): HeatTimeConstraint[] | undefined {
    return this.ownTimeConstraints ?? this.scaledGroup?._alarmTimeConstraints?.(this);
  }

  /** The policies the alarm signals. */
  public get alarmActions(): ScalingPolicy[] {
    return [...this.actions];
  }

  /** True when the alarm is evaluated on each member's own series, one alarm per server (see `AlarmProps.perMember`). */
  public get perMember(): boolean {
    return this.props.perMember === true;
  }

  /** The group the alarm scales (once it has an action). */
  public get group(): IScalableGroup | undefined {
    return this.scaledGroup;
  }

  public _toHeat(ctx: HeatContext): void {
    // A per-member alarm lives in the member template (see `_toHeatMember`).
    if (this.perMember) return;
    const group = this.scaledGroup!;
    const keyTemplate = group._serverGroupKeyTemplate(ctx);
    const op = this.props.comparisonOperator!;
    const common = this.commonProps(ctx.parameter(SCALING_ENABLED, SCALING_ENABLED_PARAMETER), this.actions.map((p) => p._heatAlarmAction(ctx)));
    ctx.setEnvironmentParameter(SCALING_ENABLED, true);
    const metric = this.metric;
    if (this.props.upperBound !== undefined) {
      const resourceId = metric instanceof GnocchiResourceMetric ? this.resourceIdOf(ctx, group, metric) : undefined;
      const rule = (operator: string, threshold: number): Record<string, unknown> =>
        metric instanceof GnocchiMetric
          ? {
              type: 'gnocchi_aggregation_by_resources_threshold',
              ...metric._heatRule(keyTemplate),
              evaluation_periods: this.evaluationPeriods,
              threshold,
              comparison_operator: operator,
            }
          : metric instanceof GnocchiResourceMetric
            ? { type: 'gnocchi_resources_threshold', ...metric._heatRule(resourceId), evaluation_periods: this.evaluationPeriods, threshold, comparison_operator: operator }
            : { type: 'prometheus', query: (metric as PrometheusMetric)._heatQuery(keyTemplate), threshold, comparison_operator: operator };
      ctx.addResource(this, 'OS::Aodh::CompositeAlarm', {
        ...common,
        composite_rule: this.bandRule(rule),
      });
    } else if (metric instanceof GnocchiMetric) {
      ctx.addResource(this, 'OS::Aodh::GnocchiAggregationByResourcesAlarm', {
        ...common,
        ...(metric._heatRule(keyTemplate) as { metric: string; resource_type: string; query: string }),
        evaluation_periods: this.evaluationPeriods,
        threshold: this.props.threshold,
        comparison_operator: op.name,
      });
    } else if (metric instanceof GnocchiResourceMetric) {
      ctx.addResource(this, 'OS::Aodh::GnocchiResourcesAlarm', {
        ...common,
        ...(metric._heatRule(this.resourceIdOf(ctx, group, metric)) as { metric: string; resource_type: string; resource_id: string }),
        evaluation_periods: this.evaluationPeriods,
        threshold: this.props.threshold,
        comparison_operator: op.name,
      });
    } else {
      ctx.addResource(this, 'OS::Aodh::PrometheusAlarm', {
        ...common,
        query: (metric as PrometheusMetric)._heatQuery(keyTemplate) as string,
        threshold: this.props.threshold,
        comparison_operator: op.name,
      });
    }
  }

  /**
   * @internal Renders the alarm of one member into the member template: on `serverId` (the
   * member's server), signalling the policies through the URLs `actionUrl(policy)` (template
   * parameters the group fills), switched by the member's `scaling_enabled` parameter.
   */
  public _toHeatMember(ctx: HeatContext, serverId: { get_resource: string }, actionUrl: (policy: ScalingPolicy) => { get_param: string }, enabled: { get_param: string }): void {
    const metric = this.metric as GnocchiMetric;
    const op = this.props.comparisonOperator!;
    const common = this.commonProps(enabled, this.actions.map((p) => actionUrl(p)));
    if (this.props.upperBound !== undefined) {
      const rule = (operator: string, threshold: number): Record<string, unknown> => ({
        type: 'gnocchi_resources_threshold',
        ...metric._heatMemberRule(serverId),
        evaluation_periods: this.evaluationPeriods,
        threshold,
        comparison_operator: operator,
      });
      ctx.addResource(this, 'OS::Aodh::CompositeAlarm', {
        ...common,
        composite_rule: this.bandRule(rule),
      });
    } else {
      ctx.addResource(this, 'OS::Aodh::GnocchiResourcesAlarm', {
        ...common,
        ...(metric._heatMemberRule(serverId) as { metric: string; resource_type: string; resource_id: { get_resource: string } }),
        evaluation_periods: this.evaluationPeriods,
        threshold: this.props.threshold,
        comparison_operator: op.name,
      });
    }
  }

  /** The resource id of a one-resource metric, as the group's template can read it (a parameter of the embedded stack in Terraform). */
  private resourceIdOf(ctx: HeatContext, group: IScalableGroup, metric: GnocchiResourceMetric): unknown {
    // One parameter per group and metric: every step alarm of the metric reads the same resource.
    const name = fitName(`${ctx.logicalId(group)}_${metric.metric.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}_resource`, 255, 'characters', '_');
    return group._externalValue(ctx, name, metric.resourceId, `Id of the Gnocchi resource holding '${metric.metric}', read by the alarms of ${group.node.path}`);
  }

  /** Terraform cannot alarm: the group renders its alarms into its embedded Heat stack. */
  public _toTerraform(ctx: TerraformContext): unknown {
    return ctx.handleOf(this.scaledGroup!);
  }

  /** The properties every rendering of the alarm shares (group or member template). */
  private commonProps(
    enabled: { get_param: string },
    actions: unknown[],
  ): { description: string; enabled: { get_param: string }; repeat_actions: boolean; alarm_actions: unknown[]; time_constraints?: HeatTimeConstraint[] } {
    return {
      description: this.props.description ?? this.defaultDescription(),
      enabled,
      repeat_actions: this.props.repeatActions ?? true,
      alarm_actions: actions,
      time_constraints: this.timeConstraints,
    };
  }

  /** The composite rule of a band: the comparison with `threshold` and below `upperBound`, both holding. */
  private bandRule(rule: (operator: string, threshold: number) => Record<string, unknown>): { operator: 'and'; rules: Array<Record<string, unknown>> } {
    return { operator: 'and', rules: [rule(this.props.comparisonOperator!.name, this.props.threshold), rule('lt', this.props.upperBound!)] };
  }

  private get evaluationPeriods(): number {
    return this.props.evaluationPeriods ?? defaultEvaluationPeriods(this.metric);
  }

  private defaultDescription(): string {
    const band = this.props.upperBound !== undefined ? ` and < ${this.props.upperBound}` : '';
    return fitName(`${this.metric.toString()} ${this.props.comparisonOperator!.symbol} ${this.props.threshold}${band}`, SERVICE_NAME_MAX_LENGTH);
  }
}
