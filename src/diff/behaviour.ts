/**
 * Turns two sets of behaviour facts into the sentences a reviewer reads: how each group now
 * scales, which ports open or close to whom, what the load balancer does differently, which
 * servers are replaced, which outputs change.
 */
import { BehaviourFacts, GroupFacts, LISTENER_KEYS, MONITOR_KEYS, POOL_KEYS, PolicyFacts, RuleFacts, RuleOfSg } from './facts';
import { serverChange, ServerChange } from './replacement';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sortedKeys = (a: Record<string, unknown>, b: Record<string, unknown>) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
const plural = (n: number, word: string) => `${n} ${word}${Math.abs(n) === 1 ? '' : 's'}`;

const OPERATORS: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=', eq: '=', ne: '!=' };

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function thresholdText(r: RuleFacts): string {
  return r.percent !== undefined ? `${r.percent} %` : String(r.threshold);
}

/** The condition of an alarm rule: `CPU > 60 %`, `member CPU > 60 % and < 90 %` (one alarm per member, a band) or `queue.depth (mean) > 50`. */
export function conditionText(r: RuleFacts): string {
  const op = (c: string | undefined) => OPERATORS[c ?? 'gt'] ?? c;
  const value = (x: { percent?: number; threshold?: number }) => (x.percent !== undefined ? `${x.percent} %` : String(x.threshold));
  const subject = r.percent !== undefined ? 'CPU' : (r.query ?? (r.aggregation ? `${r.metric} (${r.aggregation})` : String(r.metric)));
  const also = (r.also ?? []).map((x) => ` and ${op(x.comparison)} ${value(x)}`).join('');
  return `${r.perMember ? 'member ' : ''}${subject} ${op(r.comparison)} ${value(r)}${also}`;
}

/** The window of an alarm rule: `2 × 5 min`. */
export function windowText(r: RuleFacts): string {
  return `${r.evaluationPeriods ?? 1} × ${duration(r.granularity)}`;
}

function direction(p: PolicyFacts | undefined): 'scale-out' | 'scale-in' | 'scaling' {
  if (!p || p.adjustmentType === 'exact_capacity') return 'scaling';
  return p.adjustment >= 0 ? 'scale-out' : 'scale-in';
}

/** `adds 3 servers`, `removes 1 server`, `sets the size to 5`, `adds 50 % (at least 2)`. */
export function adjustmentText(p: PolicyFacts): string {
  if (p.adjustmentType === 'exact_capacity') return `sets the size to ${p.adjustment}`;
  const verb = p.adjustment >= 0 ? 'adds' : 'removes';
  if (p.adjustmentType === 'percent_change_in_capacity') {
    return `${verb} ${Math.abs(p.adjustment)} %${p.minStep !== undefined ? ` (at least ${plural(p.minStep, 'server')})` : ''}`;
  }
  return `${verb} ${plural(Math.abs(p.adjustment), 'server')}`;
}

/** The value part of an adjustment, for "(was ...)": `1`, `50 %`, `size 5`. */
function adjustmentValue(p: PolicyFacts): string {
  if (p.adjustmentType === 'exact_capacity') return `size ${p.adjustment}`;
  if (p.adjustmentType === 'percent_change_in_capacity') return `${Math.abs(p.adjustment)} %`;
  return String(Math.abs(p.adjustment));
}

function triggerText(r: RuleFacts): string {
  return r.kind === 'webhook' ? `on its webhook ${r.name}` : `at ${conditionText(r)} for ${windowText(r)}`;
}

function ruleClauses(before: RuleFacts | undefined, after: RuleFacts | undefined): string[] {
  if (!before && after) {
    const verb = direction(after.policy) === 'scale-in' ? 'scales in' : direction(after.policy) === 'scale-out' ? 'scales out' : 'scales';
    return [`now ${verb} ${triggerText(after)}, ${after.policy ? adjustmentText(after.policy) : 'no policy'}`];
  }
  if (before && !after) {
    const verb = direction(before.policy) === 'scale-in' ? 'scales in' : direction(before.policy) === 'scale-out' ? 'scales out' : 'scales';
    return [`no longer ${verb} ${triggerText(before)}`];
  }
  if (!before || !after) return [];
  const out: string[] = [];
  const dir = direction(after.policy);
  if (after.kind === 'alarm') {
    const onlyThreshold =
      before.threshold !== after.threshold &&
      same({ ...before, threshold: 0, percent: 0, policy: 0 }, { ...after, threshold: 0, percent: 0, policy: 0 });
    if (onlyThreshold) {
      out.push(`${dir} now at ${conditionText(after)} for ${windowText(after)} (was ${thresholdText(before)})`);
    } else if (conditionText(before) !== conditionText(after) || windowText(before) !== windowText(after)) {
      out.push(`${dir} now at ${conditionText(after)} for ${windowText(after)} (was ${conditionText(before)} for ${windowText(before)})`);
    }
  }
  const pb = before.policy;
  const pa = after.policy;
  if (pb && pa) {
    if (pb.adjustmentType !== pa.adjustmentType || pb.adjustment !== pa.adjustment || pb.minStep !== pa.minStep) {
      out.push(
        pb.adjustmentType === pa.adjustmentType && pb.minStep === pa.minStep && Math.sign(pb.adjustment) === Math.sign(pa.adjustment)
          ? `${adjustmentText(pa)} (was ${adjustmentValue(pb)})`
          : `${dir} ${adjustmentText(pa)} (was: ${adjustmentText(pb)})`,
      );
    }
    if (pb.cooldown !== pa.cooldown) out.push(`${dir} cooldown ${duration(pa.cooldown)} (was ${duration(pb.cooldown)})`);
  }
  return out;
}

const VERBS = {
  replace: ['replaces', 'replaced', ''],
  rebuild: ['rebuilds', 'rebuilt', ', wiping the disk'],
  resize: ['resizes', 'resized', ', with a reboot'],
  update: ['updates', 'updated in place', ''],
} as const;

/** `replaces all member servers, 2 to 10 running (user data changed)`, or for a lone server `replaced (...)`. */
function changeSentence(c: ServerChange, members?: string): string {
  const [active, passive, effect] = VERBS[c.action];
  const why = `(${c.reasons.join(', ')} changed)`;
  return members ? `${active} all member servers, ${members}${effect} ${why}` : `${passive}${effect} ${why}`;
}

function sizeText(g: GroupFacts): string {
  return `${g.min ?? '?'} to ${g.max ?? '?'} servers`;
}

function groupSentence(target: 'heat' | 'terraform', name: string, before: GroupFacts | undefined, after: GroupFacts | undefined): string | undefined {
  if (!before && after) {
    const rules = Object.values(after.rules).flatMap((r) => ruleClauses(undefined, r));
    const healing = after.autohealing?.length ? [`autohealing in pool ${after.autohealing.join(', ')}`] : [];
    return `${name}: new autoscaling group of ${sizeText(after)}${[...rules, ...healing].map((c) => `; ${c}`).join('')}`;
  }
  if (before && !after) return `${name}: autoscaling group removed, with its ${sizeText(before)}`;
  if (!before || !after) return undefined;
  const clauses: string[] = [];
  for (const k of sortedKeys(before.rules, after.rules)) clauses.push(...ruleClauses(before.rules[k], after.rules[k]));
  const size = (label: string, b: number | undefined, a: number | undefined, unit = '') => {
    if (b === a) return;
    if (a === undefined) clauses.push(`no ${label} (was ${b}${unit})`);
    else clauses.push(`${label} ${a}${unit}${b === undefined ? '' : ` (was ${b}${unit})`}`);
  };
  size('min', before.min, after.min);
  size('max', before.max, after.max);
  size('desired capacity', before.desired, after.desired);
  size('group cooldown', before.cooldown, after.cooldown, ' s');
  const healed = (g: GroupFacts) => (g.autohealing ?? []).join(', ');
  if (healed(before) !== healed(after)) {
    if (!healed(after)) clauses.push(`autohealing off (was on in pool ${healed(before)})`);
    else clauses.push(`autohealing on in pool ${healed(after)}${healed(before) ? ` (was ${healed(before)})` : ''}`);
  }
  // Heat's group updates every member's nested stack with the new properties (in rolling batches),
  // so a member property change acts on every running member as it would on a lone server.
  const change = serverChange(target, before.member, after.member);
  if (change) clauses.push(changeSentence(change, `${after.min ?? '?'} to ${after.max ?? '?'} running`));
  return clauses.length ? `${name}: ${clauses.join('; ')}` : undefined;
}

function portText(r: RuleOfSg): string {
  if (!r.protocol) return 'all traffic';
  if (r.portMin === undefined) return `all ${r.protocol}`;
  if (r.portMax === undefined || r.portMax === r.portMin) return `${r.protocol} port ${r.portMin}`;
  return `${r.protocol} ports ${r.portMin}-${r.portMax}`;
}

function sgSentence(r: RuleOfSg, verb: 'opened' | 'closed'): string {
  const to = r.direction === 'egress' ? `${verb} towards` : `${verb} to`;
  const world = r.remote === '0.0.0.0/0' || r.remote === '::/0' ? ' (the whole internet)' : '';
  return `security group ${r.securityGroup}: ${r.direction === 'egress' ? 'egress ' : ''}${portText(r)} ${to} ${r.remote}${world}`;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function propsSentence(kind: string, name: string, keys: readonly string[], b: Record<string, unknown> | undefined, a: Record<string, unknown> | undefined): string | undefined {
  if (!b && a) return `${kind} ${name} added${kind === 'listener' ? `: ${show(a.protocol)}:${show(a.protocol_port)}` : ''}`;
  if (b && !a) return `${kind} ${name} removed${kind === 'listener' ? ` (was ${show(b.protocol)}:${show(b.protocol_port)})` : ''}`;
  if (!b || !a) return undefined;
  const parts = keys
    .filter((k) => !same(b[k], a[k]))
    .map((k) => (a[k] === undefined ? `no ${k} (was ${show(b[k])})` : `${k} ${show(a[k])}${b[k] === undefined ? '' : ` (was ${show(b[k])})`}`));
  return parts.length ? `${kind} ${name}: ${parts.join(', ')}` : undefined;
}

/** The behaviour changes from `before` to `after`, one sentence each, in a stable order. */
export function behaviourChanges(before: BehaviourFacts, after: BehaviourFacts): string[] {
  const out: string[] = [];
  const push = (s: string | undefined) => {
    if (s) out.push(s);
  };
  for (const g of sortedKeys(before.groups, after.groups)) push(groupSentence(after.target, g, before.groups[g], after.groups[g]));
  for (const k of sortedKeys(before.sgRules, after.sgRules)) {
    const b = before.sgRules[k];
    const a = after.sgRules[k];
    if (same(b, a)) continue;
    if (b) push(sgSentence(b, 'closed'));
    if (a) push(sgSentence(a, 'opened'));
  }
  for (const k of sortedKeys(before.listeners, after.listeners)) push(propsSentence('listener', k, LISTENER_KEYS, before.listeners[k], after.listeners[k]));
  for (const k of sortedKeys(before.pools, after.pools)) push(propsSentence('pool', k, POOL_KEYS, before.pools[k], after.pools[k]));
  for (const k of sortedKeys(before.monitors, after.monitors)) push(propsSentence('health monitor', k, MONITOR_KEYS, before.monitors[k], after.monitors[k]));
  for (const k of sortedKeys(before.floatingIps, after.floatingIps)) {
    if (!before.floatingIps[k]) push(`floating IP ${k} added`);
    else if (!after.floatingIps[k]) push(`floating IP ${k} removed (its public address is released)`);
  }
  for (const k of sortedKeys(before.servers, after.servers)) {
    const b = before.servers[k];
    const a = after.servers[k];
    if (!b) push(`server ${k} added`);
    else if (!a) push(`server ${k} removed (its disk is deleted)`);
    else {
      const c = serverChange(after.target, b, a);
      if (c) push(`server ${k}: ${changeSentence(c)}`);
    }
  }
  for (const k of sortedKeys(before.outputs, after.outputs)) {
    if (before.outputs[k] === undefined) push(`output ${k} added`);
    else if (after.outputs[k] === undefined) push(`output ${k} removed`);
    else if (!same((before.outputs[k] as any)?.value, (after.outputs[k] as any)?.value)) push(`output ${k} now returns a different value`);
  }
  return out;
}
