/**
 * `PolicyPack`: a set of rules run over synthesized output — of a stack in memory, or of written
 * template folders — with suppressions honoured, returning every finding with what was found,
 * where, and why it matters.
 */
import { IConstruct } from 'constructs';
import { heatOutputOfStack, readOutputFolders, terraformOutputOfStack, embeddedTemplateOf, type Doc, type SynthOutput, type Target } from '../assertions/output';
import { ErrorCode, propError } from '../core/errors';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions, type PolicyRule, type RuleLevel } from './rule';
import * as rules from './rules';
import { addSuppressions, findSuppression, withHotSuppressions, withTerraformSuppressions, type PolicySuppression } from './suppressions';
import { viewOf } from './view';

/** One non-compliance. */
export interface PolicyFinding {
  /** The rule id. */
  readonly ruleId: string;
  /** error or warning. */
  readonly level: RuleLevel;
  /** The target of the output. */
  readonly target: Target;
  /** Where the output came from (a folder, or `stack <name>`). */
  readonly source: string;
  /** The document holding the resource. */
  readonly location: string;
  /** The logical name of the resource (or `outputs.<name>`). */
  readonly resource: string;
  /** The property at fault, when one is. */
  readonly property?: string;
  /** What was found. */
  readonly found: string;
  /** Why it matters. */
  readonly why: string;
  /** The suppression that covers it, if any. */
  readonly suppressed?: PolicySuppression;
}

/** The outcome of running a pack. */
export interface PolicyReport {
  /** Every non-compliance, suppressed or not, in output and rule order. */
  readonly findings: readonly PolicyFinding[];
  /** The outputs checked, in order. */
  readonly outputs: ReadonlyArray<{ readonly source: string; readonly target: Target }>;
  /** How many things were found compliant. */
  readonly compliant: number;
  /** Rules that applied to nothing, per output source. */
  readonly notApplicable: ReadonlyArray<{ readonly source: string; readonly target: Target; readonly ruleId: string }>;
}

/** Unsuppressed findings of `level` in a report. */
export function unsuppressed(report: PolicyReport, level?: RuleLevel): PolicyFinding[] {
  return report.findings.filter((f) => !f.suppressed && (level === undefined || f.level === level));
}

/** One line for a finding: level, rule, where, what, why (and the reason when suppressed). */
export function formatPolicyFinding(f: PolicyFinding): string {
  const where = `${f.source} ${f.location} ${f.resource}${f.property ? ` (${f.property})` : ''}`;
  const head = f.suppressed ? `suppressed ${f.ruleId}` : `${f.level.toUpperCase()} ${f.ruleId}`;
  return `${head}: ${where}: ${f.found}${f.suppressed ? ` — reason: ${f.suppressed.reason}` : ` — ${f.why}`}`;
}

/** Every rule of the Scaleout pack, in the order they run. */
export const SCALEOUT_RULES: readonly PolicyRule[] = [
  rules.worldOpenSensitivePort,
  rules.secretInOutput,
  rules.literalSecretInUserData,
  rules.groupWithoutMax,
  rules.groupMaxFarAboveMin,
  rules.thresholdBandNarrowerThanStep,
  rules.cooldownShorterThanAlarmWindow,
  rules.percentThresholdOnNanosecondMetric,
  rules.alarmQueryMatchesNoMember,
  rules.minZeroWithMemberMetric,
  rules.scaleInFasterThanScaleOut,
  rules.aggregationNotInArchivePolicy,
  rules.metricNobodyWrites,
  rules.terraformMembersOnHeatPool,
];

/** Props of a `PolicyPack`. */
export interface PolicyPackProps {
  /** The rules. @default SCALEOUT_RULES */
  readonly rules?: readonly PolicyRule[];
  /** Assumptions the templates do not say (boot time, max/min ratio). @default DEFAULT_POLICY_OPTIONS */
  readonly options?: Partial<PolicyOptions>;
}

/** The output of a stack in `target`, with the stack's suppressions written in as they would be on disk. */
export function outputWithSuppressions(stack: IConstruct, target: Target): SynthOutput {
  if (target === 'heat') {
    const out = heatOutputOfStack(stack);
    return { ...out, files: Object.fromEntries(Object.entries(out.files).map(([name, doc]) => [name, withHotSuppressions(stack, doc)])) };
  }
  const out = terraformOutputOfStack(stack);
  const stacks = (out.json.resource?.openstack_orchestration_stack_v1 ?? {}) as Record<string, Doc>;
  const embedded = Object.entries(stacks).flatMap(([n, r]) => embeddedTemplateOf(r, n) ?? []);
  return { ...out, json: withTerraformSuppressions(stack, out.json, [...embedded, ...Object.values(out.files)]) };
}

/** A set of policy rules and the assumptions they run with. */
export class PolicyPack {
  /**
   * Suppresses findings of the given rules on `scope` and everything below it (a construct, a
   * pattern, or a whole stack). Each suppression needs the rule id and a reason; both are written
   * into the synthesized templates, so `scaleout lint` over the written files honours them too.
   */
  public static suppress(scope: IConstruct, suppressions: readonly PolicySuppression[]): void {
    addSuppressions(scope, suppressions);
  }

  /** The pack with every Scaleout rule and default assumptions. */
  public static scaleout(options: Partial<PolicyOptions> = {}): PolicyPack {
    return new PolicyPack({ options });
  }

  /** The rules of this pack. */
  public readonly rules: readonly PolicyRule[];
  /** The assumptions the rules run with. */
  public readonly options: PolicyOptions;

  constructor(props: PolicyPackProps = {}) {
    this.rules = props.rules ?? SCALEOUT_RULES;
    const ids = new Set<string>();
    for (const r of this.rules) {
      if (ids.has(r.id)) throw propError('PolicyPack', ErrorCode.DUPLICATE, 'rules', r.id, 'must hold each rule id once', 'drop the second rule or give it another id');
      ids.add(r.id);
    }
    this.options = { ...DEFAULT_POLICY_OPTIONS, ...(props.options ?? {}) };
    for (const key of ['bootSeconds', 'maxToMinRatio'] as const) {
      const v = this.options[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw propError('PolicyPack', ErrorCode.RANGE, `options.${key}`, v, 'must be a number >= 0', `e.g. ${DEFAULT_POLICY_OPTIONS[key]}`);
    }
  }

  /** Runs the rules over outputs already read (`readOutputFolders`, or built by hand). */
  public checkOutputs(outputs: readonly SynthOutput[]): PolicyReport {
    const findings: PolicyFinding[] = [];
    const notApplicable: Array<{ source: string; target: Target; ruleId: string }> = [];
    let compliant = 0;
    const checked: Array<{ source: string; target: Target }> = [];
    for (const output of outputs) {
      const view = viewOf(output);
      checked.push({ source: view.source, target: view.target });
      for (const rule of this.rules) {
        const results = rule.evaluate(view, this.options);
        if (results.length === 0) notApplicable.push({ source: view.source, target: view.target, ruleId: rule.id });
        for (const r of results) {
          if (r.compliance === 'compliant') {
            compliant += 1;
            continue;
          }
          const suppressed = findSuppression(view.suppressions, r.location, r.resource, rule.id);
          findings.push({ ruleId: rule.id, level: rule.level, target: view.target, source: view.source, location: r.location, resource: r.resource, property: r.property, found: r.found, why: rule.why, suppressed });
        }
      }
    }
    return { findings, outputs: checked, compliant, notApplicable };
  }

  /** Runs the rules over a stack's output in each target (both by default), honouring its suppressions. */
  public checkStack(stack: IConstruct, targets: readonly Target[] = ['heat', 'terraform']): PolicyReport {
    return this.checkOutputs(targets.map((t) => outputWithSuppressions(stack, t)));
  }

  /** Runs the rules over every synthesized output found below each folder (Heat folders and `cdk.tf.json` folders). */
  public checkFolders(dirs: readonly string[]): PolicyReport {
    return this.checkOutputs(dirs.flatMap((d) => readOutputFolders(d)));
  }
}
