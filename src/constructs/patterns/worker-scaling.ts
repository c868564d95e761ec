import type { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { requireDefined, requireInt, requireName, requireNumber } from '../../core/validate';
import type { AutoScalingGroup } from '../autoscaling/auto-scaling-group';
import { GnocchiAggregation, GnocchiQuery, Metric } from '../autoscaling/metric';
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
   * The Gnocchi metric holding the number of messages waiting in the task queue, e.g.
   * `rabbitmq.queue.messages_ready` (published by your exporter or by the workers themselves).
   */
  readonly metricName: string;
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
   * Which Gnocchi resources carry the metric.
   * @default GnocchiQuery.serverGroup() - the workers themselves (each reports the depth it sees; the mean is the depth)
   */
  readonly query?: GnocchiQuery;
  /**
   * The Gnocchi resource type carrying the metric.
   * @default 'instance'
   */
  readonly resourceType?: string;
  /**
   * How the resources' measures are aggregated.
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

  /** @internal Validates the options (errors name `group`) and adds the policies and alarms to `group`. */
  public abstract _applyTo(group: AutoScalingGroup, prop: string): AppliedWorkerScaling;
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

  public _measuredOnWorkers(): boolean {
    return this.options?.query === undefined;
  }

  constructor(private readonly options: QueueDepthWorkerScalingOptions) {
    super();
  }

  public _applyTo(group: AutoScalingGroup, prop: string): AppliedWorkerScaling {
    const o = this.options;
    requireDefined(group, `${prop}.metricName`, o?.metricName, "name the Gnocchi metric of the queue's depth, e.g. 'rabbitmq.queue.messages_ready'");
    requireName(group, `${prop}.metricName`, o.metricName);
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
    const t = o.messagesPerWorker;
    const steps: ScalingStep[] = [{ upper: low, change: -1 }];
    for (let i = 1; i <= maxStep; i++) steps.push({ lower: i * t, upper: i < maxStep ? (i + 1) * t : undefined, change: i });
    group.scaleOnMetric('QueueDepth', {
      metric: Metric.gnocchi({
        metric: o.metricName,
        aggregation: o.aggregation ?? GnocchiAggregation.MEAN,
        resourceType: o.resourceType,
        query: o.query,
        granularity: o.granularity,
      }),
      steps,
      evaluationPeriods: o.evaluationPeriods,
    });
    return { kind: 'queue-depth', steps };
  }
}
