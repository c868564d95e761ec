import type { Value } from '../../core/value';
import { Construct, IConstruct } from 'constructs';
import type { HeatContext, TerraformContext } from '../../core/context';
import type { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { checkProps } from '../../core/props';
import { requireDefined, requireInt, requireNumber } from '../../core/validate';
import { Warnings } from '../../core/warnings';
import type { Alarm } from './alarm';
import type { HeatTimeConstraint } from './schedule';
import { SCALING_POLICY_PROPS } from './prop-specs';

/** The three ways Heat changes a group's size (the policy's `adjustment_type`). */
export class AdjustmentType {
  /** Add (positive) or remove (negative) a number of servers. */
  public static readonly CHANGE_IN_CAPACITY = new AdjustmentType('change_in_capacity');
  /** Set the group to a number of servers. */
  public static readonly EXACT_CAPACITY = new AdjustmentType('exact_capacity');
  /** Grow or shrink by a percentage of the current size (rounded; see `minAdjustmentStep`). */
  public static readonly PERCENT_CHANGE_IN_CAPACITY = new AdjustmentType('percent_change_in_capacity');

  private constructor(
    /** The name Heat uses. */
    public readonly name: 'change_in_capacity' | 'exact_capacity' | 'percent_change_in_capacity',
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** Options of a percentage adjustment. */
export interface PercentAdjustmentOptions {
  /**
   * The least number of servers a percentage adjustment adds or removes (Heat accepts
   * `min_adjustment_step` only with `percent_change_in_capacity`).
   * @default - Heat's rounding alone (a small percentage of a small group can round to one server)
   */
  readonly minAdjustmentStep?: number;
}

/** Exactly one change of a group's size, as Heat's `OS::Heat::ScalingPolicy` expresses it. */
export class ScalingAdjustment {
  /** Add `count` servers (negative: remove them). */
  public static changeInCapacity(count: number): ScalingAdjustment {
    return new ScalingAdjustment(AdjustmentType.CHANGE_IN_CAPACITY, count, undefined);
  }

  /** Set the group to `capacity` servers (within its minSize and maxSize). */
  public static exactCapacity(capacity: number): ScalingAdjustment {
    return new ScalingAdjustment(AdjustmentType.EXACT_CAPACITY, capacity, undefined);
  }

  /** Grow (positive) or shrink (negative) by `percent` of the current size. */
  public static percentChangeInCapacity(percent: number, options: PercentAdjustmentOptions = {}): ScalingAdjustment {
    return new ScalingAdjustment(AdjustmentType.PERCENT_CHANGE_IN_CAPACITY, percent, options.minAdjustmentStep);
  }

  /** An adjustment of any type; `minAdjustmentStep` is refused unless the type is a percentage. */
  public static of(type: AdjustmentType, value: number, options: PercentAdjustmentOptions = {}): ScalingAdjustment {
    return new ScalingAdjustment(type, value, options.minAdjustmentStep);
  }

  private constructor(
    /** The adjustment type. */
    public readonly type: AdjustmentType,
    /** Servers, capacity or percent, by type. */
    public readonly value: number,
    /** The least servers a percentage adjustment changes. */
    public readonly minAdjustmentStep: number | undefined,
  ) {}

  /** Throws when the adjustment is invalid for a group of [minSize, maxSize]. */
  public validate(scope: IConstruct, prop: string, group: { readonly minSize: number; readonly maxSize: number }): void {
    if (!(this.type instanceof AdjustmentType)) {
      throw propError(
        scope,
        ErrorCode.ENUM,
        `${prop}.type`,
        this.type,
        'must be an AdjustmentType',
        'use AdjustmentType.CHANGE_IN_CAPACITY, .EXACT_CAPACITY or .PERCENT_CHANGE_IN_CAPACITY',
      );
    }
    const v = this.value;
    if (this.type === AdjustmentType.CHANGE_IN_CAPACITY) {
      requireInt(scope, prop, v, -1000, 1000, 'servers');
      if (v === 0) throw propError(scope, ErrorCode.RANGE, prop, v, 'must add or remove at least one server', 'use a positive count to scale out, a negative one to scale in');
    } else if (this.type === AdjustmentType.EXACT_CAPACITY) {
      requireInt(scope, prop, v, group.minSize, group.maxSize, "servers (the group's minSize to maxSize)");
    } else {
      requireNumber(scope, prop, v, -100, 1000, 'percent');
      if (v === 0) throw propError(scope, ErrorCode.RANGE, prop, v, 'must not be 0 percent', 'use a positive percent to scale out, a negative one to scale in');
    }
    if (this.minAdjustmentStep !== undefined) {
      if (this.type !== AdjustmentType.PERCENT_CHANGE_IN_CAPACITY) {
        throw propError(
          scope,
          ErrorCode.CONFLICT,
          `${prop}.minAdjustmentStep`,
          this.minAdjustmentStep,
          `is only accepted with a percentage adjustment (Heat refuses min_adjustment_step with ${this.type.name})`,
          'drop minAdjustmentStep, or use ScalingAdjustment.percentChangeInCapacity(percent, { minAdjustmentStep })',
        );
      }
      requireInt(scope, `${prop}.minAdjustmentStep`, this.minAdjustmentStep, 0, 1000, 'servers');
    }
  }

  public toString(): string {
    if (this.type === AdjustmentType.EXACT_CAPACITY) return `set capacity to ${this.value}`;
    const unit = this.type === AdjustmentType.PERCENT_CHANGE_IN_CAPACITY ? '%' : '';
    return `${this.value > 0 ? '+' : ''}${this.value}${unit}`;
  }
}

/** What a scaling policy needs from its group. */
export interface IScalableGroup extends IConstruct {
  /** Minimum number of servers. */
  readonly minSize: number;
  /** Maximum number of servers. */
  readonly maxSize: number;
  /** The group's cooldown in seconds. */
  readonly cooldownSeconds: number;
  /** @internal Records a policy that scales the group. */
  _registerPolicy(policy: ScalingPolicy): void;
  /** @internal Records an alarm that signals the group's policies (it renders with the group). */
  _registerAlarm(alarm: Alarm): void;
  /**
   * @internal The group's key (the members' `metering.server_group`) as a template in which
   * `STACK_ID_PLACEHOLDER` stands for the id of the stack holding the group.
   */
  _serverGroupKeyTemplate(ctx: HeatContext): string;
  /**
   * @internal A value from outside the group's template that one of its alarms reads (e.g. the
   * id of a Gnocchi resource a publisher on another server writes): the value itself in Heat's
   * main template, a parameter named `name` of the embedded stack in the Terraform target.
   */
  _externalValue(ctx: HeatContext, name: string, value: Value, description: string): unknown;
  /**
   * @internal The Aodh `time_constraints` the group's schedules give `alarm` (its scale-in alarms
   * pause in the schedules' hold windows), or undefined when it is evaluated at all times.
   */
  _alarmTimeConstraints?(alarm: Alarm): HeatTimeConstraint[] | undefined;
}

/** Properties of a `ScalingPolicy`. */
export interface ScalingPolicyProps {
  /** The group the policy resizes. The policy is rendered in the same template as the group. */
  readonly group: IScalableGroup;
  /** The one change of size the policy makes when signalled. */
  readonly adjustment: ScalingAdjustment;
  /**
   * Time after a scaling during which this policy's signals are refused. The group's own cooldown
   * starts at creation and after every scaling and refuses signals too, so a shorter policy
   * cooldown has no effect (and is warned about).
   * @default - the group's cooldown
   */
  readonly cooldown?: Duration;
}

/**
 * One way to resize an autoscaling group, triggered by a signal to its webhook (`signal_url`):
 * from an alarm, or from your own monitor. Heat: `OS::Heat::ScalingPolicy` in the same template
 * as its group (Heat fails at signal time for a policy in another stack than its group).
 */
export class ScalingPolicy extends Resource {
  /** The group. */
  public readonly group: IScalableGroup;
  /** The adjustment. */
  public readonly adjustment: ScalingAdjustment;
  /** The cooldown in seconds. */
  public readonly cooldownSeconds: number;

  constructor(scope: Construct, id: string, policyProps: ScalingPolicyProps) {
    super(scope, id);
    const props = checkProps(this, policyProps, SCALING_POLICY_PROPS, { fix: 'pass { group, adjustment }' });
    requireDefined(this, 'group', props.group, 'pass the AutoScalingGroup to resize');
    requireDefined(this, 'adjustment', props.adjustment, 'use ScalingAdjustment.changeInCapacity(1)');
    if (!(props.adjustment instanceof ScalingAdjustment)) {
      throw propError(
        this,
        ErrorCode.REQUIRED,
        'adjustment',
        props.adjustment,
        'must be a ScalingAdjustment',
        'use ScalingAdjustment.changeInCapacity(n), .exactCapacity(n) or .percentChangeInCapacity(p)',
      );
    }
    if (Stack.of(props.group) !== Stack.of(this)) {
      throw usageError(
        this,
        ErrorCode.USAGE,
        'group',
        `must be in the same stack as the policy (${Stack.of(props.group).root.node.path}); Heat refuses signals to a policy whose group is in another stack`,
      );
    }
    props.adjustment.validate(this, 'adjustment', props.group);
    this.group = props.group;
    this.adjustment = props.adjustment;
    this.cooldownSeconds = props.cooldown === undefined ? props.group.cooldownSeconds : props.cooldown.validate(this, 'cooldown', 0, 86400);
    if (this.cooldownSeconds < props.group.cooldownSeconds) {
      Warnings.add(
        this,
        'scaleout:policy-cooldown-no-effect',
        `'cooldown' (${this.cooldownSeconds} s) is shorter than the group's cooldown (${props.group.cooldownSeconds} s) and has no effect: Heat refuses every signal within the group's cooldown after a scaling`,
      );
    }
    props.group._registerPolicy(this);
  }

  /** @internal The alarm action that signals this policy: Aodh's trust notifier (`trust+<signal_url>`) authenticates to Heat's native API. */
  public _heatAlarmAction(ctx: HeatContext): unknown {
    return { str_replace: { template: 'trust+url', params: { url: this._heatSignalUrl(ctx) } } };
  }

  /** @internal The policy's webhook (`signal_url`; POST with a Keystone token). */
  public _heatSignalUrl(ctx: HeatContext): unknown {
    return ctx.attr(this, 'OS::Heat::ScalingPolicy', 'signal_url');
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Heat::ScalingPolicy', {
      auto_scaling_group_id: ctx.ref(this.group),
      adjustment_type: this.adjustment.type.name,
      scaling_adjustment: this.adjustment.value,
      min_adjustment_step: this.adjustment.minAdjustmentStep,
      cooldown: this.cooldownSeconds,
    });
  }

  /** Terraform cannot scale: the group renders its policies into its embedded Heat stack. */
  public _toTerraform(ctx: TerraformContext): unknown {
    return ctx.handleOf(this.group);
  }
}
