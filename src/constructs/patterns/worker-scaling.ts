import { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { requireDefined, requireInt, requireName, requireNumber } from '../../core/validate';
import type { AutoScalingGroup } from '../autoscaling/auto-scaling-group';
import { GnocchiAggregation, GnocchiQuery, GnocchiResourceMetric, Metric } from '../autoscaling/metric';
import { DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY } from '../services/queue-depth-publisher';
import type { ServicesTier } from './services-tier';
import type { ScalingStep } from '../autoscaling/scaling-rules';

/** Default CPU band of the scaling patterns: add servers above 70 %, remove them below 30 %. */
export const DEFAULT_SCALE_OUT_ABOVE_PERCENT = 70;
/** See `DEFAULT_SCALE_OUT_ABOVE_PERCENT`. */
export const DEFAULT_SCALE_IN_BELOW_PERCENT = 30;

/** Options of `WorkerScaling.cpu`. */
export interface CpuWorkerScalingOptions {
  /**
   * Add workers while their average CPU utilization is above this percent.
   * @default 70
   */
  readonly scaleOutAbovePercent?: number;
  /**
   * Remove workers while it is below this percent.
   * @default 30
   */
  readonly scaleInBelowPercent?: number;
  /**
   * Workers added per scale-out.
   * @default 1
   */
  readonly scaleOutBy?: number;
  /**
   * Workers removed per scale-in.
   * @default 1
   */
  readonly scaleInBy?: number;
  /**
   * One set of CPU alarms per worker, on its own CPU (`scaleOnCpuUtilization`'s `perMember`): the
   * reliable signal, on clouds whose Heat creates trusts with redelegation (docs/scaling.md).
   * @default false
   */
  readonly perMember?: boolean;
  /**
   * The Gnocchi period CPU is averaged over (a granularity of the `cpu` metric's archive policy).
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Consecutive periods above (below) a threshold before scaling. Keep at least 2: the CPU rate
   * jumps for one period whenever a worker joins or leaves (see
   * `CpuUtilizationScalingProps.evaluationPeriods`), and 1 lets that point undo a scaling.
   * @default 2
   */
  readonly evaluationPeriods?: number;
}

/** Options of `WorkerScaling.targetCpu`. */
export interface TargetCpuWorkerScalingOptions {
  /** The workers' CPU utilization to hold, in percent (0 < p < 100). */
  readonly targetPercent: number;
  /**
   * One set of CPU alarms per worker, on its own CPU (see `CpuWorkerScalingOptions.perMember`).
   * @default false
   */
  readonly perMember?: boolean;
  /**
   * The Gnocchi period CPU is averaged over (a granularity of the `cpu` metric's archive policy).
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Consecutive periods in a scale-out band before scaling out.
   * @default 2
   */
  readonly evaluationPeriods?: number;
}

/** Options of `WorkerScaling.queueDepth`. */
export interface QueueDepthWorkerScalingOptions {
  /**
   * The RabbitMQ queue the workers consume. The services tier's queue server publishes its depth
   * (`MessageQueue.publishDepth`): a publisher there posts `messages_ready` every `publishInterval`
   * to a Gnocchi resource it creates itself, with an application credential of a project member
   * that the stack takes as parameters (docs/scaling.md, "Queue depth"). Needs the tier's
   * `services` with a message queue. Give this, `metric` or `metricName`.
   */
  readonly queueName?: string;
  /**
   * A queue-depth metric your own writer posts to one Gnocchi resource it created, instead of
   * the publisher: `Metric.gnocchiResource({ metric, resourceId })`.
   * @default - the services tier's publisher, for `queueName`
   */
  readonly metric?: GnocchiResourceMetric;
  /**
   * A metric your own writer posts to Gnocchi resources of `resourceType` selected by `query`
   * (aggregated across them). Never on the workers' `instance` resources: Ceilometer creates
   * those as its service user, and Gnocchi's default policy lets only admins and a resource's
   * creator (or its project) post measures, so nothing in the project could write it.
   * @default - the services tier's publisher, for `queueName`
   */
  readonly metricName?: string;
  /**
   * The backlog one more worker is there for, in messages: a backlog of at least 1×, 2×, 3×...
   * this value adds 1, 2, 3... workers (up to `maxScaleOutStep`). At least 2.
   */
  readonly messagesPerWorker: number;
  /**
   * Remove one worker while fewer messages than this wait (1: the queue is empty). Below
   * `messagesPerWorker`: between the two the group keeps its size.
   * @default 1
   */
  readonly scaleInBelowMessages?: number;
  /**
   * The most workers one scale-out adds (the number of scale-out steps), 1 to 10.
   * @default 3
   */
  readonly maxScaleOutStep?: number;
  /**
   * With `metricName`: which Gnocchi resources carry the metric.
   * @default - required with metricName
   */
  readonly query?: GnocchiQuery;
  /**
   * With `metricName`: the Gnocchi resource type carrying the metric (not `instance`).
   * @default - required with metricName
   */
  readonly resourceType?: string;
  /**
   * How the measures of a period are aggregated: a gauge's method (`mean`, `last`, `max`...),
   * never a `rate:` one (a depth is no counter).
   * @default GnocchiAggregation.MEAN
   */
  readonly aggregation?: GnocchiAggregation;
  /**
   * The Gnocchi period (a granularity of the metric's archive policy).
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Consecutive periods in a step's range before it scales.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * With `queueName`: the archive policy of the published metric (it must keep `granularity`
   * points with the `aggregation`).
   * @default 'low' - Gnocchi's built-in policy: 300 s points, mean/min/max/sum/std/count
   */
  readonly archivePolicy?: string;
  /**
   * With `queueName`: how often the publisher posts (at most `granularity`).
   * @default Duration.seconds(60)
   */
  readonly publishInterval?: Duration;
}

/** What `WorkerScaling` created on a group. */
export interface AppliedWorkerScaling {
  /** `cpu` (thresholds or target tracking) or `queue-depth`. */
  readonly kind: 'cpu' | 'queue-depth';
  /** The scaling steps (for queue depth), lowest first; empty for CPU. */
  readonly steps: readonly ScalingStep[];
}

/**
 * How a `WorkerTier` decides its size: on the workers' CPU (`WorkerScaling.cpu`) or on the depth
 * of the task queue (`WorkerScaling.queueDepth`, compiled to `scaleOnMetric` steps).
 */
export abstract class WorkerScaling {
  /** Scale on the workers' average CPU utilization: out above 70 %, in below 30 % by default. */
  public static cpu(options: CpuWorkerScalingOptions = {}): WorkerScaling {
    return new CpuWorkerScaling(options);
  }

  /**
   * Hold the workers' average CPU utilization near `targetPercent` (`group.scaleToTrackCpu`): bands
   * around the target, each growing or shrinking the tier by a share proportional to its distance
   * from the target.
   */
  public static targetCpu(options: TargetCpuWorkerScalingOptions): WorkerScaling {
    return new TargetCpuWorkerScaling(options);
  }

  /**
   * Scale on the number of waiting messages: one step per multiple of `messagesPerWorker`
   * (1×: +1 worker, 2×: +2, ... up to `maxScaleOutStep`), and -1 worker while fewer than
   * `scaleInBelowMessages` wait. Each step is one Aodh alarm and one Heat scaling policy.
   */
  public static queueDepth(options: QueueDepthWorkerScalingOptions): WorkerScaling {
    return new QueueDepthWorkerScaling(options);
  }

  /** `cpu` or `queue-depth`. */
  public abstract readonly kind: 'cpu' | 'queue-depth';

  /** @internal True when the metric comes from the workers themselves, so a tier of 0 workers could never scale out. */
  public abstract _measuredOnWorkers(): boolean;

  /**
   * @internal Validates the options (errors name `group`) and adds the policies and alarms to
   * `group`; `services` is the tier's services tier (whose queue server can publish a depth).
   */
  public abstract _applyTo(group: AutoScalingGroup, prop: string, services?: ServicesTier): AppliedWorkerScaling;
}

class CpuWorkerScaling extends WorkerScaling {
  public readonly kind = 'cpu' as const;

  public _measuredOnWorkers(): boolean {
    return true;
  }

  constructor(private readonly options: CpuWorkerScalingOptions) {
    super();
  }

  public _applyTo(group: AutoScalingGroup): AppliedWorkerScaling {
    const o = this.options;
    group.scaleOnCpuUtilization({
      scaleOutAbovePercent: o.scaleOutAbovePercent ?? DEFAULT_SCALE_OUT_ABOVE_PERCENT,
      scaleInBelowPercent: o.scaleInBelowPercent ?? DEFAULT_SCALE_IN_BELOW_PERCENT,
      scaleOutBy: o.scaleOutBy,
      scaleInBy: o.scaleInBy,
      perMember: o.perMember,
      granularity: o.granularity,
      evaluationPeriods: o.evaluationPeriods,
    });
    return { kind: 'cpu', steps: [] };
  }
}

class TargetCpuWorkerScaling extends WorkerScaling {
  public readonly kind = 'cpu' as const;

  public _measuredOnWorkers(): boolean {
    return true;
  }

  constructor(private readonly options: TargetCpuWorkerScalingOptions) {
    super();
  }

  public _applyTo(group: AutoScalingGroup, prop: string): AppliedWorkerScaling {
    const o = this.options;
    requireDefined(group, `${prop}.targetPercent`, o?.targetPercent, 'give the CPU utilization to hold, e.g. 50');
    group.scaleToTrackCpu({ targetPercent: o.targetPercent, perMember: o.perMember, granularity: o.granularity, evaluationPeriods: o.evaluationPeriods });
    return { kind: 'cpu', steps: [] };
  }
}

class QueueDepthWorkerScaling extends WorkerScaling {
  public readonly kind = 'queue-depth' as const;

  /** The depth is measured outside the workers in every form this class accepts (the workers' own resources are refused). */
  public _measuredOnWorkers(): boolean {
    return false;
  }

  constructor(private readonly options: QueueDepthWorkerScalingOptions) {
    super();
  }

  public _applyTo(group: AutoScalingGroup, prop: string, services?: ServicesTier): AppliedWorkerScaling {
    const o = this.options ?? ({} as QueueDepthWorkerScalingOptions);
    requireDefined(group, `${prop}.messagesPerWorker`, o.messagesPerWorker, 'give the backlog one more worker is there for, e.g. 50');
    requireNumber(group, `${prop}.messagesPerWorker`, o.messagesPerWorker, 2, 1e9, 'messages');
    const low = o.scaleInBelowMessages ?? 1;
    requireNumber(group, `${prop}.scaleInBelowMessages`, low, 0.001, 1e9, 'messages');
    if (low >= o.messagesPerWorker) {
      throw propError(
        group,
        ErrorCode.CONFLICT,
        `${prop}.scaleInBelowMessages`,
        low,
        `must be below messagesPerWorker (${o.messagesPerWorker}), leaving a range where the group keeps its size`,
        'lower scaleInBelowMessages or raise messagesPerWorker',
      );
    }
    const maxStep = o.maxScaleOutStep ?? 3;
    requireInt(group, `${prop}.maxScaleOutStep`, maxStep, 1, 10, 'workers');
    const aggregation = o.aggregation ?? GnocchiAggregation.MEAN;
    if (aggregation instanceof GnocchiAggregation && aggregation.isRate) {
      throw propError(group, ErrorCode.CONFLICT, `${prop}.aggregation`, aggregation.name, "must not be a 'rate:' method: a queue depth is a gauge, not a counter", 'use GnocchiAggregation.MEAN (the default) or .LAST');
    }
    const t = o.messagesPerWorker;
    // Absolute backlog bands: Aodh compares one number with fixed thresholds, so "messagesPerWorker
    // x current size" cannot be said. A backlog of k x messagesPerWorker adds k workers per signal,
    // and while it persists (repeat_actions) each cooldown adds more: a backlog that stays means too
    // few workers, whatever their number.
    const steps: ScalingStep[] = [{ upper: low, change: -1 }];
    for (let i = 1; i <= maxStep; i++) steps.push({ lower: i * t, upper: i < maxStep ? (i + 1) * t : undefined, change: i });
    group.scaleOnMetric('QueueDepth', { metric: this.metric(group, prop, aggregation, services), steps, evaluationPeriods: o.evaluationPeriods });
    return { kind: 'queue-depth', steps };
  }

  /** The metric the steps read: the publisher's (queueName), the user's one resource (metric), or the user's resources (metricName + query). */
  private metric(group: AutoScalingGroup, prop: string, aggregation: GnocchiAggregation, services: ServicesTier | undefined): Metric {
    const o = this.options;
    const given = (['queueName', 'metric', 'metricName'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) {
      throw propError(
        group,
        given.length === 0 ? ErrorCode.REQUIRED : ErrorCode.CONFLICT,
        `${prop}.${given.length === 0 ? 'queueName' : given[1]}`,
        given.length === 0 ? undefined : o[given[1]] instanceof Metric ? String(o[given[1]]) : o[given[1]],
        given.length === 0 ? 'is required: say which queue the workers consume (or which metric your own writer posts)' : `cannot be given together with '${given[0]}': the depth comes from one writer`,
        "use queueName: 'tasks' (the services tier's queue server publishes its depth), or metric: Metric.gnocchiResource({ metric, resourceId }) for your own writer",
      );
    }
    if (o.metric !== undefined) {
      if (!(o.metric instanceof GnocchiResourceMetric)) {
        throw propError(group, ErrorCode.ENUM, `${prop}.metric`, String(o.metric), 'must be a metric of one Gnocchi resource', 'use Metric.gnocchiResource({ metric, resourceId }) on a resource your writer created');
      }
      return o.metric;
    }
    if (o.metricName !== undefined) {
      requireName(group, `${prop}.metricName`, o.metricName);
      const type = o.resourceType ?? 'instance';
      if (type === 'instance' || o.query === undefined) {
        throw propError(
          group,
          ErrorCode.CONFLICT,
          `${prop}.metricName`,
          o.metricName,
          o.query === undefined && type !== 'instance'
            ? 'needs a query selecting the resources your writer created'
            : "would be read from 'instance' resources, which nothing in the project can write: Ceilometer creates them as its service user, and Gnocchi's default policy ('post measures': admin_or_creator) lets only admins and the resource's creator or its project post measures, so the alarms would stay in insufficient data forever",
          "use queueName: '<queue>' (the services tier's queue server publishes the depth into a resource it creates), metric: Metric.gnocchiResource({ metric, resourceId }), or resourceType and query of resources your own writer creates",
        );
      }
      return Metric.gnocchi({ metric: o.metricName, aggregation, resourceType: type, query: o.query, granularity: o.granularity });
    }
    const queue = services?.messageQueue;
    if (queue === undefined) {
      throw propError(
        group,
        ErrorCode.CONFLICT,
        `${prop}.queueName`,
        o.queueName,
        services === undefined ? "needs the tier's 'services' (a ServicesTier whose queue server publishes the depth)" : `needs a message queue in ${services.node.path} (its messageQueue is false)`,
        "pass services: <ServicesTier with its message queue>, or metric: Metric.gnocchiResource({ metric, resourceId }) for a depth your own writer posts",
      );
    }
    const names = { maxLength: 200, pattern: /^[A-Za-z0-9_.-]+$/, patternText: 'letters, digits, dots, underscores and dashes' };
    requireName(group, `${prop}.queueName`, o.queueName, names);
    requireName(group, `${prop}.archivePolicy`, o.archivePolicy, names);
    const policy = o.archivePolicy ?? DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY;
    const granularity = o.granularity?.toSeconds() ?? 300;
    if (o.archivePolicy === undefined && o.granularity !== undefined && granularity !== 300) {
      throw propError(
        group,
        ErrorCode.CONFLICT,
        `${prop}.granularity`,
        granularity,
        `is not kept by Gnocchi's built-in archive policy '${DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY}' (300 s points only), so the alarms would find no data`,
        'use the default 300 s, or name an archivePolicy of your cloud that keeps this granularity',
      );
    }
    o.publishInterval?.validate(group, `${prop}.publishInterval`, 10, granularity);
    // Every period needs points: the publisher posts at least once per granularity.
    const interval = o.publishInterval ?? (granularity < 60 ? Duration.seconds(Math.max(10, granularity)) : undefined);
    const pub = queue.publishDepth(o.queueName!, { archivePolicy: policy, interval });
    return Metric.gnocchiResource({ metric: pub.metricName, resourceId: pub.resourceId, resourceType: pub.resourceType, aggregation, granularity: o.granularity });
  }
}
