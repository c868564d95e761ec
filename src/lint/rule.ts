/**
 * The shape of a policy rule, after cdk-nag: a pure function over the synthesized output of one
 * stack that returns, per thing it examined, compliant or non-compliant (no result at all means
 * not applicable). Each rule has a stable id, a level and says why a finding matters.
 */
import type { PolicyView } from './view';

/** How serious a non-compliance is: an error fails `scaleout lint`, a warning is reported only. */
export type RuleLevel = 'error' | 'warning';

/** The verdict of one rule on one thing it examined. */
export type Compliance = 'compliant' | 'non-compliant' | 'not-applicable';

/** What a rule examined and what it found there. */
export interface RuleResult {
  /** compliant or non-compliant. */
  readonly compliance: 'compliant' | 'non-compliant';
  /** The HOT file, embedded template (`openstack_orchestration_stack_v1.<name>`) or `cdk.tf.json` holding it. */
  readonly location: string;
  /** Logical name of the resource (or `outputs.<name>` for an output). */
  readonly resource: string;
  /** The property at fault, e.g. `properties.port_range_min`. */
  readonly property?: string;
  /** What was found, in a sentence with the values. */
  readonly found: string;
}

/** One rule of a policy pack. */
export interface PolicyRule {
  /** Stable id, kebab case (`world-open-sensitive-port`); suppress by this id. */
  readonly id: string;
  /** error or warning. */
  readonly level: RuleLevel;
  /** One line: what the rule asks for. */
  readonly summary: string;
  /** Why a non-compliance matters. */
  readonly why: string;
  /** Evaluates the rule; pure: same output, same results. An empty list means not applicable. */
  evaluate(view: PolicyView, options: PolicyOptions): RuleResult[];
}

/** Assumptions a rule cannot read from the templates. */
export interface PolicyOptions {
  /** Seconds a new member needs from create to serving and reporting metrics. @default 120 */
  readonly bootSeconds: number;
  /** A max size above `maxToMinRatio` × max(min size, 1) counts as far above min. @default 10 */
  readonly maxToMinRatio: number;
}

/** The defaults of `PolicyOptions`. */
export const DEFAULT_POLICY_OPTIONS: PolicyOptions = { bootSeconds: 120, maxToMinRatio: 10 };

/** A compliant result. */
export const compliant = (location: string, resource: string, found: string, property?: string): RuleResult => ({ compliance: 'compliant', location, resource, property, found });
/** A non-compliant result. */
export const nonCompliant = (location: string, resource: string, found: string, property?: string): RuleResult => ({ compliance: 'non-compliant', location, resource, property, found });
