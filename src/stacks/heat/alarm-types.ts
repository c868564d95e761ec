/** The HOT resource types of Aodh alarms, composite ones included (the review tools read them from written templates). */
export const AODH_ALARM_TYPES: ReadonlySet<string> = new Set([
  'OS::Aodh::GnocchiAggregationByResourcesAlarm',
  'OS::Aodh::GnocchiResourcesAlarm',
  'OS::Aodh::GnocchiAggregationByMetricsAlarm',
  'OS::Aodh::PrometheusAlarm',
  'OS::Aodh::Alarm',
  'OS::Aodh::CompositeAlarm',
  'OS::Aodh::LBMemberHealthAlarm',
]);
