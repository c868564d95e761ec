/**
 * L1 typing for `OS::Aodh::PrometheusAlarm`, which Heat added in 2024.1 (22.0.0). The generated
 * Heat L1 (`.gen/heat/resources.ts`) comes from the 2022.2 (Zed) dump and lacks it; this augments the
 * generated maps so `ctx.addResource(this, 'OS::Aodh::PrometheusAlarm', ...)` is type-checked like
 * any other type. The schema the validator checks it against is
 * `schemas/heat/2024.1/overlay.json` (read from Heat's code, see the README there).
 */
import type { OsAodhGnocchiAggregationByResourcesAlarmPropsTimeConstraintsItem } from '../../../.gen/heat/resources';
import type { HeatValue } from '../../core/heat-value';

/** Properties of `OS::Aodh::PrometheusAlarm` (Heat 22.0.0 / OpenStack 2024.1). */
export interface OsAodhPrometheusAlarmProps {
  /** A list of URLs (webhooks) to invoke when state transitions to alarm. */
  readonly alarm_actions?: HeatValue<unknown[]>;
  /** Operator used to compare specified statistic with threshold. */
  readonly comparison_operator?: HeatValue<'le' | 'ge' | 'eq' | 'lt' | 'gt' | 'ne'>;
  /** Description for the alarm. */
  readonly description?: HeatValue<string>;
  /** True if alarm evaluation/actioning is enabled. @default "true" */
  readonly enabled?: HeatValue<boolean>;
  /** A list of URLs (webhooks) to invoke when state transitions to insufficient-data. */
  readonly insufficient_data_actions?: HeatValue<unknown[]>;
  /** A list of URLs (webhooks) to invoke when state transitions to ok. */
  readonly ok_actions?: HeatValue<unknown[]>;
  /** The PromQL query string to fetch metrics data from Prometheus. */
  readonly query: HeatValue<string>;
  /** False to trigger actions only when the alarm's state changes. @default "true" */
  readonly repeat_actions?: HeatValue<boolean>;
  /** Severity of the alarm. @default "low" */
  readonly severity?: HeatValue<'low' | 'moderate' | 'critical'>;
  /** Threshold to evaluate against. */
  readonly threshold: HeatValue<number>;
  /** Describe time constraints for the alarm. @default [] */
  readonly time_constraints?: HeatValue<Array<HeatValue<OsAodhGnocchiAggregationByResourcesAlarmPropsTimeConstraintsItem>>>;
}

declare module '../../../.gen/heat/resources' {
  interface HeatResourceProps {
    'OS::Aodh::PrometheusAlarm': OsAodhPrometheusAlarmProps;
  }
  interface HeatResourceAttributes {
    'OS::Aodh::PrometheusAlarm': 'show';
  }
}
