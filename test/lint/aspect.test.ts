/** PolicyAspect: findings become annotations on the construct owning the resource. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects } from 'cdktf';
import { addToCdktfApp, App, Peer, Port, SecurityGroup, Stack } from '../../src';
import { App as TerraformApp } from 'cdktf';
import { Annotations, Match } from '../../src/assertions';
import { PolicyAspect, PolicyPack, worldOpenSensitivePort } from '../../src/lint';

const ONLY_PORTS = new PolicyPack({ rules: [worldOpenSensitivePort] });

function sshStack(app: App | TerraformApp = new App()) {
  const stack = new Stack(app as App, 'test');
  const bastion = new SecurityGroup(stack, 'Bastion');
  bastion.addIngressRule(Peer.anyIpv4(), Port.tcp(22), { allowPublicAccessToSensitivePort: true });
  return { stack, bastion };
}

describe('PolicyAspect', () => {
  test('on a Scaleout stack outside cdktf: errors recorded on the owning construct, read by Annotations', () => {
    // GIVEN a public SSH rule WHEN the aspect visits the stack
    const { stack, bastion } = sshStack();
    new PolicyAspect(ONLY_PORTS).visit(stack);
    // THEN the finding is an error on the security group, with its rule id
    const errors = Annotations.fromStack(stack).findError('*', { id: 'world-open-sensitive-port' });
    expect(errors.map((e) => e.path)).toEqual(['test/Bastion']);
    expect(errors[0].message).toContain('bastion_ingress_tcp_22_from_any_ipv4 (remote_ip_prefix): ingress tcp 22-22 from 0.0.0.0/0 opens 22 (SSH)');
    // AND a suppressed finding is not reported
    const other = sshStack();
    PolicyPack.suppress(other.bastion, [{ id: 'world-open-sensitive-port', reason: 'the bastion is the one way in' }]);
    new PolicyAspect(ONLY_PORTS).visit(other.stack);
    Annotations.fromStack(other.stack).hasNoError('*', { id: 'world-open-sensitive-port' });
    expect(bastion.node.path).toBe('test/Bastion');
  });

  test('on a cdktf stack: a cdktf error annotation on the L1 rule, and cdktf synth refuses', () => {
    // GIVEN the stack rendered into a cdktf app, with the aspect added the cdktf way
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-aspect-'));
    try {
      const app = new TerraformApp({ outdir });
      const { stack } = sshStack();
      const tfStack = addToCdktfApp(app, stack);
      Aspects.of(tfStack).add(new PolicyAspect(ONLY_PORTS));
      // WHEN synthesized THEN cdktf stops on the error annotation
      expect(() => app.synth()).toThrow(/world-open-sensitive-port/);
      Annotations.fromStack(tfStack).hasError('test/scaleout/bastion_ingress_tcp_22_from_any_ipv4', Match.stringLikeRegexp('^ERROR world-open-sensitive-port: stack test cdk.tf.json'));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('on a cdktf stack carrying the suppressions: nothing reported, synth goes through', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-aspect-'));
    try {
      // GIVEN the suppressed rule, written into the cdktf stack before synth
      const app = new TerraformApp({ outdir });
      const { stack, bastion } = sshStack();
      PolicyPack.suppress(bastion, [{ id: 'world-open-sensitive-port', reason: 'the bastion is the one way in' }]);
      const tfStack = addToCdktfApp(app, stack);
      Aspects.of(tfStack).add(new PolicyAspect(ONLY_PORTS));
      // WHEN synthesized THEN no annotation and the stack is written
      app.synth();
      Annotations.fromStack(tfStack).hasNoError('*', Match.anyValue());
      expect(fs.existsSync(path.join(outdir, 'stacks', 'test', 'cdk.tf.json'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
