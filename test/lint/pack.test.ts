/**
 * PolicyPack over stacks and folders; suppressions with reasons, on a construct or a stack,
 * honoured in memory and after being written into Heat files and Terraform JSON.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, assertValidHot, heatFiles, Peer, Port, SecurityGroup, Stack, synthesizeHeat, addToCdktfApp } from '../../src';
import { App as TerraformApp } from 'cdktf';
import {
  formatPolicyFinding,
  heatSynthesisWithSuppressions,
  HOT_SUPPRESSIONS_RESOURCE,
  PolicyPack,
  unsuppressed,
  worldOpenSensitivePort,
} from '../../src/lint';
import { errorOf } from '../util/errors';
import { apiStack } from '../assertions/fixture';

/** A stack with two public SSH rules: on group Bastion and on group Jump. */
function sshStack() {
  const stack = new Stack(new App(), 'test');
  const bastion = new SecurityGroup(stack, 'Bastion');
  bastion.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  const jump = new SecurityGroup(stack, 'Jump');
  jump.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  return { stack, bastion, jump };
}

const ONLY_PORTS = new PolicyPack({ rules: [worldOpenSensitivePort] });
const REASON = 'the bastion is the one way in; fail2ban and keys only';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-lint-'));
}

describe('PolicyPack over a stack', () => {
  test('every finding names rule, level, target, location, resource, property, what and why', () => {
    // GIVEN two public SSH rules WHEN the stack is checked in both targets
    const { stack } = sshStack();
    const report = ONLY_PORTS.checkStack(stack);
    // THEN four errors (two rules × two targets), unsuppressed
    expect(unsuppressed(report, 'error').map((f) => `${f.target} ${f.location} ${f.resource}`)).toEqual([
      'heat test.yaml bastion_ingress_tcp_22_from_any_ipv4',
      'heat test.yaml jump_ingress_tcp_22_from_any_ipv4',
      'terraform cdk.tf.json bastion_ingress_tcp_22_from_any_ipv4',
      'terraform cdk.tf.json jump_ingress_tcp_22_from_any_ipv4',
    ]);
    expect(formatPolicyFinding(report.findings[0])).toBe(
      'ERROR world-open-sensitive-port: stack test test.yaml bastion_ingress_tcp_22_from_any_ipv4 (remote_ip_prefix): ingress tcp 22-22 from 0.0.0.0/0 opens 22 (SSH) — ' +
        worldOpenSensitivePort.why,
    );
  });

  test('a suppression on one construct silences its findings only, and carries the reason', () => {
    const { stack, bastion } = sshStack();
    PolicyPack.suppress(bastion, [{ id: 'world-open-sensitive-port', reason: REASON }]);
    const report = ONLY_PORTS.checkStack(stack);
    expect(report.findings.filter((f) => f.suppressed).map((f) => `${f.target} ${f.resource}: ${f.suppressed!.reason}`)).toEqual([
      `heat bastion_ingress_tcp_22_from_any_ipv4: ${REASON}`,
      `terraform bastion_ingress_tcp_22_from_any_ipv4: ${REASON}`,
    ]);
    expect(unsuppressed(report).map((f) => f.resource)).toEqual(['jump_ingress_tcp_22_from_any_ipv4', 'jump_ingress_tcp_22_from_any_ipv4']);
  });

  test('a suppression on the stack silences the rule everywhere; another rule id silences nothing', () => {
    const { stack } = sshStack();
    PolicyPack.suppress(stack, [{ id: 'secret-in-output', reason: 'no output here is secret, this is a test' }]);
    expect(unsuppressed(ONLY_PORTS.checkStack(stack, ['heat']))).toHaveLength(2);
    PolicyPack.suppress(stack, [{ id: 'world-open-sensitive-port', reason: REASON }]);
    expect(unsuppressed(ONLY_PORTS.checkStack(stack, ['heat']))).toEqual([]);
  });

  test('a suppression on a group reaches its member template and embedded template', () => {
    // GIVEN a tier whose cooldowns were derived for a 180 s warm-up, checked for members that need 600 s to boot (a warning)
    const { stack, api } = apiStack();
    const pack = PolicyPack.scaleout({ bootSeconds: 600 });
    expect(unsuppressed(pack.checkStack(stack), 'warning').map((f) => `${f.target} ${f.ruleId}`)).toContain('terraform cooldown-shorter-than-alarm-window');
    // WHEN suppressed on the group
    PolicyPack.suppress(api.group, [{ id: 'cooldown-shorter-than-alarm-window', reason: 'measured on the test cloud: members serve within 60 s' }]);
    // THEN the warning is gone in both targets
    expect(unsuppressed(pack.checkStack(stack)).map((f) => f.ruleId)).not.toContain('cooldown-shorter-than-alarm-window');
  });

  test('a suppression needs a rule id and a reason, in the one error shape', () => {
    const { bastion } = sshStack();
    expect(errorOf(() => PolicyPack.suppress(bastion, [{ id: 'world-open-sensitive-port', reason: ' ' }])).message).toBe(
      "test/Bastion: 'suppressions[0].reason' must say why finding 'world-open-sensitive-port' is intended, in at least 10 characters, got \" \"; write the sentence a reviewer needs to accept it [SO_REQUIRED]",
    );
    expect(errorOf(() => PolicyPack.suppress(bastion, [{ id: 'World Open', reason: REASON }])).code).toBe('SO_FORMAT');
    expect(errorOf(() => PolicyPack.suppress(bastion, [])).code).toBe('SO_REQUIRED');
  });

  test('a pack refuses duplicate rule ids and bad options', () => {
    expect(errorOf(() => new PolicyPack({ rules: [worldOpenSensitivePort, worldOpenSensitivePort] })).code).toBe('SO_DUPLICATE');
    expect(errorOf(() => PolicyPack.scaleout({ bootSeconds: -1 })).message).toBe("PolicyPack: 'options.bootSeconds' must be a number >= 0, got -1; e.g. 120 [SO_RANGE]");
  });
});

describe('suppressions written into templates', () => {
  test('Heat: an OS::Heat::None resource carries them and a folder check honours it; no suppression, no change', () => {
    // GIVEN a stack with one suppressed construct, written with its suppressions
    const { stack, bastion } = sshStack();
    const plain = heatFiles(synthesizeHeat(stack));
    expect(heatFiles(heatSynthesisWithSuppressions(stack, synthesizeHeat(stack)))).toEqual(plain);
    PolicyPack.suppress(bastion, [{ id: 'world-open-sensitive-port', reason: REASON }]);
    const synthesis = heatSynthesisWithSuppressions(stack, synthesizeHeat(stack));
    expect((synthesis.template.resources as any)[HOT_SUPPRESSIONS_RESOURCE]).toEqual({
      type: 'OS::Heat::None',
      metadata: {
        description: 'Policy findings suppressed on purpose, with the reasons (read by scaleout lint); creates nothing',
        suppressions: {
          bastion: [{ id: 'world-open-sensitive-port', reason: REASON }],
          bastion_ingress_tcp_22_from_any_ipv4: [{ id: 'world-open-sensitive-port', reason: REASON }],
        },
      },
    });
    // AND the marked template still passes Heat's resource-type schemas
    assertValidHot({ template: synthesis.template, environment: synthesis.environment, files: synthesis.files as Record<string, Record<string, unknown>> });
    const dir = tempDir();
    try {
      for (const [name, text] of Object.entries(heatFiles(synthesis))) fs.writeFileSync(path.join(dir, name), text);
      // WHEN the folder is checked THEN only the unsuppressed rule is reported as such
      const report = ONLY_PORTS.checkFolders([dir]);
      expect(report.findings.map((f) => `${f.resource} ${f.suppressed ? 'suppressed' : 'open'}`)).toEqual([
        'bastion_ingress_tcp_22_from_any_ipv4 suppressed',
        'jump_ingress_tcp_22_from_any_ipv4 open',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Terraform: the top-level // block carries them through cdktf synth and a folder check honours it', () => {
    const { stack, api } = apiStack();
    PolicyPack.suppress(api.group, [{ id: 'cooldown-shorter-than-alarm-window', reason: 'measured on the test cloud: members serve within 60 s' }]);
    const dir = tempDir();
    try {
      const app = new TerraformApp({ outdir: dir });
      addToCdktfApp(app, stack);
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json['//'].scaleout_policy_suppressions)).toContain('api_servers_cpu_scale_out');
      const report = PolicyPack.scaleout({ bootSeconds: 600 }).checkFolders([dir]);
      const cooldown = report.findings.filter((f) => f.ruleId === 'cooldown-shorter-than-alarm-window');
      expect(cooldown.length).toBeGreaterThan(0);
      expect(cooldown.every((f) => f.suppressed?.reason === 'measured on the test cloud: members serve within 60 s')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
