/**
 * Aodh's side of scaling, replayed: which points a threshold rule reads, how it turns them into a
 * state, when the alarm's actions run, and how a composite alarm combines its rules.
 *
 * Read from Aodh's source (openstack/aodh, master):
 * - `aodh/evaluator/threshold.py` `ThresholdEvaluator._bound_duration`: the query window is
 *   granularity × (evaluation_periods + look_back), look_back = 1 (plus
 *   `additional_ingestion_lag`, 0 by default). `evaluate_rule`: fewer points than
 *   evaluation_periods is insufficient data. `_process_statistics`: all points beyond the
 *   threshold → alarm, none → ok, a mix → no state, only a trending state (the newest point's).
 *   `_transition_alarm`: a trending state moves an alarm only out of "insufficient data"; otherwise,
 *   with `repeat_actions`, the alarm keeps its state and is refreshed (so an alarm in "alarm"
 *   fires again); without it nothing happens.
 * - `aodh/evaluator/gnocchi.py` `GnocchiBase._sanitize`: keep the points of the rule's granularity,
 *   then the last evaluation_periods of them.
 * - `aodh/evaluator/__init__.py` `Evaluator._refresh`: actions are notified on a state change, and
 *   on every evaluation while `repeat_actions` is true. `alarm_actions` run for the "alarm" state.
 * - `aodh/evaluator/composite.py` `CompositeEvaluator`: "and" alarms when every rule alarms and is
 *   ok when any rule is ok ("or" the reverse); when neither is decided, rules with a trending state
 *   take it if the composite alarm is in "insufficient data", and otherwise the *opposite* of it
 *   (`_evaluate_sufficient`, as upstream writes it); still undecided → insufficient data.
 */

/** An alarm's state. */
export type AlarmState = 'ok' | 'alarm' | 'insufficient data';

/** Aodh's comparison operators. */
export type ComparisonOperatorName = 'gt' | 'lt' | 'ge' | 'le' | 'eq' | 'ne';

/** Compares a point with the threshold. */
export function compare(value: number, operator: ComparisonOperatorName, threshold: number): boolean {
  switch (operator) {
    case 'gt':
      return value > threshold;
    case 'lt':
      return value < threshold;
    case 'ge':
      return value >= threshold;
    case 'le':
      return value <= threshold;
    case 'eq':
      return value === threshold;
    case 'ne':
      return value !== threshold;
  }
}

/** The outcome of one threshold rule: a decided state, or only a trending one. */
export interface RuleOutcome {
  /** 'ok' or 'alarm' when the points agree, 'insufficient data' when too few, undefined when they disagree. */
  readonly state?: AlarmState;
  /** The newest point's side when the points disagree. */
  readonly trending?: 'ok' | 'alarm';
}

/** `evaluate_rule` after `_sanitize`: the last `evaluationPeriods` points decide. */
export function evaluatePoints(points: readonly number[], evaluationPeriods: number, operator: ComparisonOperatorName, threshold: number): RuleOutcome {
  const used = points.slice(Math.max(0, points.length - evaluationPeriods));
  let hits = 0;
  for (const p of used) if (compare(p, operator, threshold)) hits++;
  const newest = used.length > 0 && compare(used[used.length - 1], operator, threshold);
  return RULE_OUTCOMES[windowOutcome(used.length, evaluationPeriods, hits, newest)];
}

/** Aodh's decision on a window, as `evaluatePoints` returns it and the simulator's fast paths name it. */
export type WindowOutcome = 'alarm' | 'ok' | 'trending-alarm' | 'trending-ok' | 'insufficient data';

/**
 * Aodh's decision on the newest `available` points of a rule that needs `count`, `hits` of them
 * beyond the threshold (`ThresholdEvaluator.evaluate_rule`, `_transition_alarm`): fewer than
 * `count` → insufficient data; all beyond → alarm; none → ok; a mix → trending as the newest.
 */
export function windowOutcome(available: number, count: number, hits: number, newestOutside: boolean): WindowOutcome {
  if (available < count || count === 0) return 'insufficient data';
  if (hits === available) return 'alarm';
  if (hits === 0) return 'ok';
  return newestOutside ? 'trending-alarm' : 'trending-ok';
}

/** Each `WindowOutcome` as a `RuleOutcome` (shared objects: they are never changed). */
export const RULE_OUTCOMES: Readonly<Record<WindowOutcome, RuleOutcome>> = {
  alarm: { state: 'alarm' },
  ok: { state: 'ok' },
  'insufficient data': { state: 'insufficient data' },
  'trending-alarm': { trending: 'alarm' },
  'trending-ok': { trending: 'ok' },
};

/** The result of one evaluation: the alarm's next state and whether its actions for that state run. */
export interface Transition {
  readonly state: AlarmState;
  /** True when Aodh notifies the actions of `state` (for 'alarm': the `alarm_actions`). */
  readonly notify: boolean;
}

/** `ThresholdEvaluator._transition_alarm` with `Evaluator._refresh`. */
export function transition(previous: AlarmState, outcome: RuleOutcome, repeatActions: boolean): Transition {
  const unknown = previous === 'insufficient data';
  if (outcome.trending) {
    if (unknown) return result(outcome.trending, true);
    // Disagreeing points keep the state; with repeat_actions the alarm is refreshed and notifies again.
    return result(previous, repeatActions);
  }
  const state = outcome.state!;
  if (state === 'insufficient data') return result(state, !unknown);
  if (previous !== state) return result(state, true);
  return result(state, repeatActions);
}

/** The transitions, shared (they are never mutated): the simulator asks for millions. */
const TRANSITIONS: Record<AlarmState, readonly [Transition, Transition]> = {
  ok: [{ state: 'ok', notify: false }, { state: 'ok', notify: true }],
  alarm: [{ state: 'alarm', notify: false }, { state: 'alarm', notify: true }],
  'insufficient data': [{ state: 'insufficient data', notify: false }, { state: 'insufficient data', notify: true }],
};

function result(state: AlarmState, notify: boolean): Transition {
  return TRANSITIONS[state][notify ? 1 : 0];
}

/** A composite rule tree over threshold-rule outcomes. */
export type CompositeNode = { readonly and: readonly CompositeNode[] } | { readonly or: readonly CompositeNode[] } | { readonly rule: number };

/**
 * The state of rule `o` as the composite sees it: its decided state, or with `resolve` its trend
 * (from insufficient data) or the opposite of its trend (otherwise), as `_evaluate_sufficient` does.
 */
function stateOf(o: RuleOutcome, previous: AlarmState, resolve: boolean): AlarmState | undefined {
  if (!o.trending) return o.state;
  if (!resolve) return undefined;
  if (previous === 'insufficient data') return o.trending;
  return o.trending === 'alarm' ? 'ok' : 'alarm';
}

function holds(node: CompositeNode, outcomes: readonly RuleOutcome[], wanted: 'ok' | 'alarm', previous: AlarmState, resolve: boolean): boolean {
  if ('rule' in node) return stateOf(outcomes[node.rule], previous, resolve) === wanted;
  // "and" alarms when all alarm and is ok when any is ok; "or" the reverse.
  const all = 'and' in node ? wanted === 'alarm' : wanted === 'ok';
  const children = 'and' in node ? node.and : node.or;
  if (all) {
    for (const c of children) if (!holds(c, outcomes, wanted, previous, resolve)) return false;
    return true;
  }
  for (const c of children) if (holds(c, outcomes, wanted, previous, resolve)) return true;
  return false;
}

/** The composite's state when it alarms or is ok, with or without resolving the trending rules. */
function decideComposite(node: CompositeNode, outcomes: readonly RuleOutcome[], previous: AlarmState, resolve: boolean): AlarmState | undefined {
  return holds(node, outcomes, 'alarm', previous, resolve) ? 'alarm' : holds(node, outcomes, 'ok', previous, resolve) ? 'ok' : undefined;
}

/** `CompositeEvaluator.evaluate`: the composite alarm's next state and whether it notifies. */
export function evaluateComposite(previous: AlarmState, node: CompositeNode, outcomes: readonly RuleOutcome[], repeatActions: boolean): Transition {
  let state = decideComposite(node, outcomes, previous, false);
  if (state === undefined) state = decideComposite(node, outcomes, previous, true);
  if (state === undefined) return result('insufficient data', previous !== 'insufficient data');
  return result(state, previous !== state || repeatActions);
}
