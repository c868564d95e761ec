import { Warnings } from '../../core/warnings';
import { IConstruct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { OpenStackRelease } from '../../core/release';
import { requireName } from '../../core/validate';
import { Value } from '../../core/value';

/**
 * What telemetry measures and how an alarm reads it.
 *
 * - Gnocchi (Ceilometer's classic store): `Metric.gnocchi(...)`, or `Metric.cpuTime()` for the
 *   CPU time of the group's servers. Rendered as `OS::Aodh::GnocchiAggregationByResourcesAlarm`.
 * - Prometheus (OpenStack 2024.1+): `Metric.prometheus({ query })` with a PromQL query. Rendered
 *   as `OS::Aodh::PrometheusAlarm`; a stack for an older release refuses it.
 *
 * `cpu_util` no longer exists in current telemetry: CPU is the cumulative counter `cpu`
 * (nanoseconds of CPU time), read with the `rate:mean` aggregation.
 */
export abstract class Metric {
  /**
   * Placeholder for the group's key in a PromQL query or a Gnocchi filter: replaced, at deploy
   * time, by the value of the members' `metering.server_group` metadata (`<stack id>-<group>`).
   */
  public static readonly SERVER_GROUP = '%server_group%';

  /** A metric stored in Gnocchi, aggregated across the resources a query selects. */
  public static gnocchi(props: GnocchiMetricProps): GnocchiMetric {
    return new GnocchiMetric(props);
  }

  /**
   * CPU time of the group's servers: Gnocchi metric `cpu` (nanoseconds, cumulative) with the
   * `rate:mean` aggregation, so each point is the CPU time a server used during one granularity
   * period. Give thresholds in nanoseconds per period (see `cpuPercentToNanoseconds`), or use
   * `group.scaleOnCpuUtilization`, which converts percents.
   *
   * Alarms on it are per member by default (`AlarmProps.perMember`): each server's alarm reads
   * that server's stored `rate:mean`. Across servers, Aodh's `GnocchiAggregationByResourcesAlarm`
   * sends Gnocchi `(aggregate rate:mean (metric cpu mean))`, which averages the servers'
   * cumulative counters first and takes the rate of that average, not the average of per-server
   * rates, and it cannot ask for the per-server form `(aggregate mean (metric cpu rate:mean))`:
   * its one `aggregation_method` names the cross-server aggregation and, with `rate:` stripped,
   * the per-server one (aodh `evaluator/gnocchi.py`). A server that joins, or a period in which
   * only some servers were polled yet, makes that average meaningless (the real loop measured
   * points from -26 % to -473 % while every server ran at 100 %). On Prometheus (OpenStack
   * 2024.1+) a group-wide per-server rate is a query:
   * `Metric.prometheus({ query: 'avg(rate(ceilometer_cpu{server_group="%server_group%"}[5m]))' })`.
   */
  public static cpuTime(options: { readonly granularity?: Duration } = {}): GnocchiMetric {
    return new GnocchiMetric({ metric: 'cpu', aggregation: GnocchiAggregation.RATE_MEAN, resourceType: 'instance', granularity: options.granularity });
  }

  /**
   * A metric of ONE Gnocchi resource, read as that resource's stored aggregate
   * (`OS::Aodh::GnocchiResourcesAlarm`): for a value something outside the group writes, such as
   * a queue's depth posted by a publisher on the queue's server into a resource it created
   * (see `MessageQueue.publishDepth`). Whoever writes must be allowed to: Gnocchi's default policy
   * lets only the resource's creator (or its project) and admins post measures.
   */
  public static gnocchiResource(props: GnocchiResourceMetricProps): GnocchiResourceMetric {
    return new GnocchiResourceMetric(props);
  }

  /** A PromQL query evaluated by Aodh's Prometheus evaluator (OpenStack 2024.1 and newer). */
  public static prometheus(props: PrometheusMetricProps): PrometheusMetric {
    return new PrometheusMetric(props);
  }

  /** The oldest release whose Heat and Aodh can alarm on this metric. */
  public abstract readonly minimumRelease: OpenStackRelease;

  /** Throws when the metric's settings are invalid, naming `scope` and `prop`. */
  public abstract validate(scope: IConstruct, prop: string): void;

  /** A short description for alarm descriptions and messages. */
  public abstract toString(): string;
}

/**
 * The aggregation methods Gnocchi serves (gnocchi/archive_policy.py,
 * `ArchivePolicy.VALID_AGGREGATION_METHODS`): these nine, `1pct` to `99pct`, and each of them
 * behind `rate:`. An archive policy offers a subset; Aodh refuses an alarm whose method Gnocchi
 * does not list, and a method the metric's policy lacks finds no measures.
 */
export const GNOCCHI_AGGREGATION_METHODS: readonly string[] = ['mean', 'sum', 'last', 'max', 'min', 'std', 'median', 'first', 'count'];

/** True for a method Gnocchi serves: one of `GNOCCHI_AGGREGATION_METHODS`, `<1-99>pct`, or either behind `rate:`. */
export function isGnocchiAggregationMethod(name: string): boolean {
  const base = name.startsWith('rate:') ? name.slice('rate:'.length) : name;
  return GNOCCHI_AGGREGATION_METHODS.includes(base) || /^([1-9]|[1-9][0-9])pct$/.test(base);
}

/**
 * The methods Ceilometer's archive policy for `cpu` keeps (`ceilometer/publisher/data/gnocchi_resources.yaml`:
 * `cpu` on `instance` uses `ceilometer-low-rate`, whose `aggregation_methods` are `mean` and `rate:mean`).
 */
export const CEILOMETER_CPU_POLICY_METHODS: readonly string[] = ['mean', 'rate:mean'];

/** The `aggregation_method` of a Gnocchi alarm: how measures are aggregated (the archive policy must offer it). */
export class GnocchiAggregation {
  /** Mean of the measures. */
  public static readonly MEAN = new GnocchiAggregation('mean');
  /** Largest measure. */
  public static readonly MAX = new GnocchiAggregation('max');
  /** Smallest measure. */
  public static readonly MIN = new GnocchiAggregation('min');
  /** Sum of the measures. */
  public static readonly SUM = new GnocchiAggregation('sum');
  /** Last measure. */
  public static readonly LAST = new GnocchiAggregation('last');
  /**
   * Increase of a cumulative counter per period, averaged (for `cpu` and other counters). Across
   * resources Gnocchi averages the counters first, then takes the rate: see `Metric.cpuTime`.
   */
  public static readonly RATE_MEAN = new GnocchiAggregation('rate:mean');
  /** Increase of a cumulative counter per period, largest (across resources: the rate of the largest counter). */
  public static readonly RATE_MAX = new GnocchiAggregation('rate:max');

  /** Another aggregation method the archive policy offers, by name (e.g. `95pct`). */
  public static of(name: string): GnocchiAggregation {
    return new GnocchiAggregation(name);
  }

  private constructor(
    /** The method name Aodh and Gnocchi use. */
    public readonly name: string,
  ) {}

  /** True for a `rate:` aggregation (the rate of a cumulative counter). */
  public get isRate(): boolean {
    return typeof this.name === 'string' && this.name.startsWith('rate:');
  }

  /** True when Gnocchi serves this method (see `GNOCCHI_AGGREGATION_METHODS`). */
  public get isServedByGnocchi(): boolean {
    return typeof this.name === 'string' && isGnocchiAggregationMethod(this.name);
  }

  public toString(): string {
    return this.name;
  }
}

/** Which resources a Gnocchi alarm aggregates (the alarm's `query`, a Gnocchi search filter). */
export class GnocchiQuery {
  /**
   * The live servers of the autoscaling group the alarm scales:
   * `{"and": [{"=": {"server_group": "<key>"}}, {"=": {"ended_at": null}}]}`, where Ceilometer
   * copies `server_group` from each member's `metering.server_group` metadata and sets `ended_at`
   * when the server is deleted. Without the `ended_at` filter (which Aodh's own documentation of
   * the gnocchi_aggregation_by_resources_threshold rule asks for) every member ever created stays
   * in the aggregation, and a removed member's series ends inside the alarm's window, so the
   * aggregate of the bucket after a scale-in is taken over a different set of servers.
   */
  public static serverGroup(): GnocchiQuery {
    return new GnocchiQuery({ and: [{ '=': { server_group: Metric.SERVER_GROUP } }, { '=': { ended_at: null } }] });
  }

  /**
   * Any Gnocchi search filter, e.g. `{ and: [{ '=': { server_group: Metric.SERVER_GROUP } }, { '=': { flavor_name: 'm1.small' } }] }`.
   * `Metric.SERVER_GROUP` anywhere in a string value is replaced by the group's key.
   */
  public static of(filter: Record<string, unknown>): GnocchiQuery {
    return new GnocchiQuery(filter);
  }

  private constructor(
    /** The filter, with `Metric.SERVER_GROUP` placeholders. */
    public readonly filter: Record<string, unknown>,
  ) {}

  /** The filter as the JSON text Aodh stores. */
  public toJson(): string {
    return JSON.stringify(this.filter);
  }

  /** True when the filter selects the group's live servers and nothing else (`serverGroup()`). */
  public get isServerGroup(): boolean {
    return this.toJson() === GnocchiQuery.serverGroup().toJson();
  }
}

/** Properties of a Gnocchi metric. */
export interface GnocchiMetricProps {
  /** The Gnocchi metric name, e.g. `cpu`, `memory.usage`, or a custom one such as `queue.depth`. */
  readonly metric: string;
  /**
   * How measures are aggregated.
   * @default GnocchiAggregation.MEAN
   */
  readonly aggregation?: GnocchiAggregation;
  /**
   * The Gnocchi resource type holding the metric.
   * @default 'instance'
   */
  readonly resourceType?: string;
  /**
   * The period of each point the alarm reads. It must be a granularity of the metric's archive
   * policy, or Aodh finds no data: Ceilometer's default policy (`ceilometer-low`) keeps 5-minute
   * points, so 300 s; a cloud with `ceilometer-high` can use 60 s.
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
  /**
   * Which resources to aggregate.
   * @default GnocchiQuery.serverGroup() - the members of the group the alarm scales
   */
  readonly query?: GnocchiQuery;
}

/** The default Gnocchi granularity: Ceilometer's default archive policy keeps 5-minute points. */
export const DEFAULT_GRANULARITY = Duration.seconds(300);

/** A Gnocchi metric aggregated across resources (`OS::Aodh::GnocchiAggregationByResourcesAlarm`). */
export class GnocchiMetric extends Metric {
  public readonly minimumRelease = OpenStackRelease.V2023_1;
  /** The metric name. */
  public readonly metric: string;
  /** The aggregation method. */
  public readonly aggregation: GnocchiAggregation;
  /** The resource type. */
  public readonly resourceType: string;
  /** The granularity. */
  public readonly granularity: Duration;
  /** The resource filter. */
  public readonly query: GnocchiQuery;

  constructor(props: GnocchiMetricProps) {
    super();
    this.metric = props.metric;
    this.aggregation = props.aggregation ?? GnocchiAggregation.MEAN;
    this.resourceType = props.resourceType ?? 'instance';
    this.granularity = props.granularity ?? DEFAULT_GRANULARITY;
    this.query = props.query ?? GnocchiQuery.serverGroup();
  }

  /**
   * True with a rate aggregation: its alarms default to 2 evaluation periods, since the rate of
   * the resources' mean counter jumps for one period when the set of resources changes.
   */
  public get isRate(): boolean {
    return this.aggregation instanceof GnocchiAggregation && this.aggregation.isRate;
  }

  /** The granularity in seconds. */
  public get granularitySeconds(): number {
    return this.granularity.toSeconds();
  }

  /**
   * True when one member's own series can be read: the metric lives on the members' `instance`
   * resources and the query selects the group's servers and nothing else. A rate on such a metric
   * is alarmed per member (see `AlarmProps.perMember`).
   */
  public get isPerServer(): boolean {
    return this.resourceType === 'instance' && this.query instanceof GnocchiQuery && this.query.isServerGroup;
  }

  public validate(scope: IConstruct, prop: string): void {
    requireName(scope, `${prop}.metric`, this.metric);
    if (this.metric === undefined) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.metric`, undefined, 'is required', "name the Gnocchi metric, e.g. 'cpu'");
    }
    if (this.metric === 'cpu_util') {
      throw propError(
        scope,
        ErrorCode.UNSUPPORTED,
        `${prop}.metric`,
        this.metric,
        'no longer exists in Ceilometer/Gnocchi',
        "use Metric.cpuTime() (metric 'cpu', rate:mean) or group.scaleOnCpuUtilization()",
      );
    }
    if (!(this.aggregation instanceof GnocchiAggregation)) {
      throw propError(scope, ErrorCode.ENUM, `${prop}.aggregation`, this.aggregation, 'must be a GnocchiAggregation', 'use GnocchiAggregation.MEAN, .RATE_MEAN, ... or .of(name)');
    }
    const method = this.aggregation.name;
    if (typeof method !== 'string' || !isGnocchiAggregationMethod(method)) {
      throw propError(
        scope,
        ErrorCode.ENUM,
        `${prop}.aggregation`,
        method,
        `must be an aggregation method Gnocchi serves: ${GNOCCHI_AGGREGATION_METHODS.join(', ')}, 1pct to 99pct, or one of these behind 'rate:' (e.g. 'rate:mean')`,
        "use GnocchiAggregation.MEAN, .RATE_MEAN, ... or .of('95pct'); the metric's archive policy must offer it too",
      );
    }
    requireName(scope, `${prop}.resourceType`, this.resourceType);
    if (this.metric === 'cpu' && this.resourceType === 'instance' && !CEILOMETER_CPU_POLICY_METHODS.includes(method)) {
      Warnings.add(
        scope,
        'scaleout:aggregation-outside-default-archive-policy',
        `'${prop}.aggregation' is '${method}', but Ceilometer stores 'cpu' under its archive policy 'ceilometer-low-rate', which keeps only ${CEILOMETER_CPU_POLICY_METHODS.join(' and ')}: ` +
          "Gnocchi has no such series and the alarm stays in 'insufficient data', unless your cloud's policy for cpu offers it",
      );
    }
    this.granularity.validate(scope, `${prop}.granularity`, 1, 86400);
    if (!(this.query instanceof GnocchiQuery)) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.query`, this.query, 'must be a GnocchiQuery', 'use GnocchiQuery.serverGroup() or GnocchiQuery.of({...})');
    }
  }

  /** @internal The properties of a Gnocchi alarm (or composite sub-rule) but threshold and comparison. */
  public _heatRule(groupKeyTemplate: string): Record<string, unknown> {
    return {
      metric: this.metric,
      aggregation_method: this.aggregation.name,
      granularity: this.granularitySeconds,
      resource_type: this.resourceType,
      query: withServerGroup(this.query.toJson(), groupKeyTemplate),
    };
  }

  /**
   * @internal The properties of a single-resource Gnocchi alarm (`OS::Aodh::GnocchiResourcesAlarm`,
   * or a `gnocchi_resources_threshold` sub-rule) on one member server, but threshold and
   * comparison. Aodh reads the member's stored aggregate (`GET /v1/resource/<type>/<id>/metric/
   * <metric>/measures?aggregation=<method>`, aodh `evaluator/gnocchi.py`
   * `GnocchiResourceThresholdEvaluator._statistics`), so `rate:mean` is the rate of that server's
   * own counter: gnocchi `carbonara.py` `AggregatedTimeSerie.from_grouped_serie` stores a `rate:`
   * aggregate as the differences between the series' consecutive raw measures, resampled per
   * period, so a server that joins or leaves changes nothing in another server's points.
   */
  public _heatMemberRule(resourceId: unknown): Record<string, unknown> {
    return singleResourceRule(this.metric, this.aggregation.name, this.granularitySeconds, this.resourceType, resourceId);
  }

  public toString(): string {
    return `${this.aggregation.name} of Gnocchi metric '${this.metric}' over ${this.granularitySeconds} s`;
  }
}

/** Properties of `Metric.gnocchiResource`. */
export interface GnocchiResourceMetricProps {
  /** The Gnocchi metric name on the resource, e.g. `rabbitmq.tasks.messages_ready`. */
  readonly metric: string;
  /** The resource's id (a UUID; Gnocchi turns any other text into a UUID that depends on who asks, so Aodh would not find it). */
  readonly resourceId: Value;
  /**
   * The resource's type.
   * @default 'generic'
   */
  readonly resourceType?: string;
  /**
   * How the resource's measures in a period are aggregated (the metric's archive policy must offer it).
   * @default GnocchiAggregation.MEAN
   */
  readonly aggregation?: GnocchiAggregation;
  /**
   * The period of each point the alarm reads: a granularity of the metric's archive policy.
   * @default Duration.seconds(300)
   */
  readonly granularity?: Duration;
}

/**
 * A metric of one Gnocchi resource (`OS::Aodh::GnocchiResourcesAlarm`). Aodh reads it with its
 * own service credentials (aodh `evaluator/gnocchi.py` `GnocchiBase.__init__` builds its Gnocchi
 * client from `keystone_client.get_session(conf)`, the `[service_credentials]` user), so it reads
 * a resource any user of any project created; `GnocchiResourceThresholdEvaluator._statistics`
 * asks `GET /v1/resource/<type>/<id>/metric/<metric>/measures?aggregation=<method>&granularity=<g>`
 * and, until the resource and its metric exist, reports insufficient data.
 */
export class GnocchiResourceMetric extends Metric {
  public readonly minimumRelease = OpenStackRelease.V2023_1;
  /** The metric name. */
  public readonly metric: string;
  /** The resource id. */
  public readonly resourceId: Value;
  /** The resource type. */
  public readonly resourceType: string;
  /** The aggregation method. */
  public readonly aggregation: GnocchiAggregation;
  /** The granularity. */
  public readonly granularity: Duration;

  constructor(props: GnocchiResourceMetricProps) {
    super();
    this.metric = props.metric;
    this.resourceId = props.resourceId;
    this.resourceType = props.resourceType ?? 'generic';
    this.aggregation = props.aggregation ?? GnocchiAggregation.MEAN;
    this.granularity = props.granularity ?? DEFAULT_GRANULARITY;
  }

  /** The granularity in seconds. */
  public get granularitySeconds(): number {
    return this.granularity.toSeconds();
  }

  public validate(scope: IConstruct, prop: string): void {
    if (this.metric === undefined) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.metric`, undefined, 'is required', "name the Gnocchi metric, e.g. 'rabbitmq.tasks.messages_ready'");
    }
    requireName(scope, `${prop}.metric`, this.metric);
    if (!(this.resourceId instanceof Value)) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.resourceId`, this.resourceId, 'must be a Value (the resource\'s UUID)', "use Value.literal('<uuid>') or the id a publisher reports (MessageQueue.publishDepth)");
    }
    this.resourceId.validate(scope, `${prop}.resourceId`);
    requireName(scope, `${prop}.resourceType`, this.resourceType);
    if (!(this.aggregation instanceof GnocchiAggregation) || !this.aggregation.isServedByGnocchi) {
      throw propError(
        scope,
        ErrorCode.ENUM,
        `${prop}.aggregation`,
        this.aggregation instanceof GnocchiAggregation ? this.aggregation.name : this.aggregation,
        `must be an aggregation method Gnocchi serves: ${GNOCCHI_AGGREGATION_METHODS.join(', ')}, 1pct to 99pct, or one of these behind 'rate:'`,
        "use GnocchiAggregation.MEAN or .LAST for a gauge such as a queue depth; the metric's archive policy must offer it",
      );
    }
    this.granularity.validate(scope, `${prop}.granularity`, 1, 86400);
  }

  /** @internal The properties of the alarm (or a `gnocchi_resources_threshold` sub-rule) but threshold and comparison. */
  public _heatRule(resourceId: unknown): Record<string, unknown> {
    return singleResourceRule(this.metric, this.aggregation.name, this.granularitySeconds, this.resourceType, resourceId);
  }

  public toString(): string {
    return `${this.aggregation.name} of Gnocchi metric '${this.metric}' of one ${this.resourceType} resource over ${this.granularitySeconds} s`;
  }
}

/** Properties of a Prometheus metric. */
export interface PrometheusMetricProps {
  /**
   * A PromQL query returning one value, e.g.
   * `avg(rate(ceilometer_cpu{server_group="%server_group%"}[5m])) / 1e9 * 100` (use
   * `Metric.SERVER_GROUP` to select the group's members by the label your exporter gives their
   * `metering.server_group` metadata). Aodh's Prometheus alarm has no evaluation periods: put the
   * time window in the query (`avg_over_time`, `rate(...[5m])`).
   */
  readonly query: string;
}

/** A PromQL query (`OS::Aodh::PrometheusAlarm`, OpenStack 2024.1 and newer). */
export class PrometheusMetric extends Metric {
  public readonly minimumRelease = OpenStackRelease.V2024_1;
  /** The PromQL query. */
  public readonly query: string;

  constructor(props: PrometheusMetricProps) {
    super();
    this.query = props.query;
  }

  public validate(scope: IConstruct, prop: string): void {
    if (this.query === undefined) {
      throw propError(scope, ErrorCode.REQUIRED, `${prop}.query`, undefined, 'is required', 'give a PromQL query that returns one value');
    }
    requireName(scope, `${prop}.query`, this.query, { maxLength: 4096 });
  }

  /** @internal The query, with the group's key substituted. */
  public _heatQuery(groupKeyTemplate: string): unknown {
    return withServerGroup(this.query, groupKeyTemplate);
  }

  public toString(): string {
    return `Prometheus query ${JSON.stringify(this.query)}`;
  }
}

/** The placeholder `str_replace` swaps for the stack id in a group key template. */
export const STACK_ID_PLACEHOLDER = '%stack_id%';

/**
 * `text` with `Metric.SERVER_GROUP` replaced by the group's key: a `str_replace` of the stack id
 * into `<%stack_id%>-<group>` (the stack that holds the group and its alarms), or the text itself
 * when it has no placeholder.
 */
export function withServerGroup(text: string, groupKeyTemplate: string): unknown {
  if (!text.includes(Metric.SERVER_GROUP)) return text;
  return {
    str_replace: {
      template: text.split(Metric.SERVER_GROUP).join(groupKeyTemplate),
      params: { [STACK_ID_PLACEHOLDER]: { get_param: 'OS::stack_id' } },
    },
  };
}

/**
 * Converts a CPU utilization percentage into the CPU time a server uses in one Gnocchi period,
 * the unit of `Metric.cpuTime()` thresholds:
 *
 *     nanoseconds = percent / 100 × granularitySeconds × 1e9 × vcpus
 *
 * `cpu` counts nanoseconds of CPU time over all of a server's vCPUs, and `rate:mean` gives its
 * increase per period averaged over the group's servers, so a server busy on all its vCPUs for
 * the whole period reaches granularity × 1e9 × vcpus. The vCPU count must be the flavor's real
 * one (from `Flavor.fromName(name, { vcpus })`); it is never guessed.
 */
export function cpuPercentToNanoseconds(percent: number, granularitySeconds: number, vcpus: number): number {
  return Math.round((percent / 100) * granularitySeconds * 1e9 * vcpus);
}

/** A `gnocchi_resources_threshold` rule's properties (one resource's series) but threshold and comparison. */
function singleResourceRule(metric: string, aggregationMethod: string, granularity: number, resourceType: string, resourceId: unknown): Record<string, unknown> {
  return { metric, aggregation_method: aggregationMethod, granularity, resource_type: resourceType, resource_id: resourceId };
}
