/**
 * Scaleout constructs inside a user's own cdktf TerraformStack: one tree, rendered by cdktf's own
 * synth next to the user's resources, and by the Heat target from the same tree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdktfApp, Aspects, IAspect, LocalBackend, S3Backend, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { NetworkingSecgroupV2 } from '../../.gen/providers/openstack/networking-secgroup-v2';
import { OpenstackProvider } from '../../.gen/providers/openstack/provider';
import { addToCdktfApp, ApiTier, App, CloudConfig, Duration, Flavor, Match, Template, ScalingAdjustment, Image, OpenStackRelease, Peer, Port, ScalingPolicy, SecurityGroup, Server, Stack, synthesizeHeat, synthesizeTerraform, VirtualNetwork, Warnings, writeHeat } from '../../src';
import { errorOf } from '../util/errors';
import { assertValidTerraformJson } from '../../src/validation/terraform';

const IMAGE = Image.fromName('ubuntu-22.04');
const SMALL = Flavor.fromName('m1.small', { vcpus: 1 });

/** A user's stack: their own security group and backend, plus Scaleout constructs. */
class UserStack extends TerraformStack {
  public readonly api: ApiTier;
  public readonly own: NetworkingSecgroupV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: 'state/user.tfstate' });
    this.own = new NetworkingSecgroupV2(this, 'OpsSg', { name: 'ops', description: 'the user\'s own group' });
    const net = new VirtualNetwork(this, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    this.api = new ApiTier(this, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 4 });
    new TerraformOutput(this, 'url', { value: this.api.url });
  }
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-native-'));
}

describe('Scaleout constructs in a user TerraformStack', () => {
  test('cdktf synth writes one cdk.tf.json holding the user resource and Scaleout resources, with the user backend', () => {
    // GIVEN a user stack WHEN the user's cdktf app synthesizes
    const outdir = tmp();
    try {
      const app = new CdktfApp({ outdir });
      new UserStack(app, 'shop');
      app.synth();
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'shop', 'cdk.tf.json'), 'utf8'));
      // THEN the user's group and Scaleout's network, load balancer and group are all there
      expect(Object.keys(json.resource.openstack_networking_secgroup_v2)).toEqual(expect.arrayContaining(['OpsSg', 'api_servers_security_group']));
      expect(json.resource.openstack_networking_network_v2.net).toBeDefined();
      expect(json.resource.openstack_lb_loadbalancer_v2.api_lb).toBeDefined();
      expect(json.resource.openstack_orchestration_stack_v1.api_servers).toBeDefined();
      // AND the user's backend is the only one, and Scaleout added the provider the stack lacked
      expect(json.terraform.backend).toEqual({ local: { path: 'state/user.tfstate' } });
      expect(Object.keys(json.provider)).toEqual(['openstack']);
      // AND the output of a Scaleout value is a Terraform expression, not its description
      expect(json.output.url.value).toBe('http://${openstack_networking_floatingip_v2.api_floating_ip.address}');
      // AND the member template was written next to cdk.tf.json, nothing outside outdir
      const bin = json.resource.openstack_orchestration_stack_v1.api_servers.template_opts.Bin as string;
      const member = /type: (assets\/\S+\.yaml)/.exec(bin)![1];
      expect(fs.existsSync(path.join(outdir, 'stacks', 'shop', member))).toBe(true);
      assertValidTerraformJson(json);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('Testing.synth and Aspects see the rendered resources; defaultChild is the primary L1 and takes overrides', () => {
    // GIVEN a user stack with an Aspect that tags every security group it visits
    const app = Testing.app();
    const stack = new UserStack(app, 'shop');
    const seen: string[] = [];
    const aspect: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof NetworkingSecgroupV2) seen.push(node.node.path);
      },
    };
    Aspects.of(stack).add(aspect);
    // AND an override on the primary resource of a Scaleout security group
    const sg = new SecurityGroup(stack, 'Extra', { description: 'extra' });
    // WHEN Testing.synth runs
    const json = JSON.parse(Testing.synth(stack));
    // THEN the aspect visited the Scaleout groups too
    expect(seen).toEqual(expect.arrayContaining(['shop/OpsSg', 'shop/Extra/extra']));
    // AND the group's default child is its secgroup, so addOverride reaches the output
    expect((sg.node.defaultChild as unknown as { terraformResourceType: string }).terraformResourceType).toBe('openstack_networking_secgroup_v2');
    (sg.node.defaultChild as unknown as { addOverride(p: string, v: unknown): void }).addOverride('tags', ['team-web']);
    expect(JSON.parse(Testing.synth(stack)).resource.openstack_networking_secgroup_v2.extra.tags).toEqual(['team-web']);
    expect(json.resource.openstack_networking_secgroup_v2.extra.description).toBe('extra');
  });

  test("the user's provider configuration and non-local backend are kept: no second provider, no forced backend", () => {
    // GIVEN a stack configuring its own OpenStack provider and an S3 backend
    const app = Testing.app();
    const stack = new TerraformStack(app, 'own');
    new OpenstackProvider(stack, 'os', { region: 'RegionTwo' });
    new S3Backend(stack, { bucket: 'state', key: 'own.tfstate', region: 'eu-1' });
    new SecurityGroup(stack, 'Web');
    // WHEN synthesized
    const json = JSON.parse(Testing.synth(stack));
    // THEN the only provider block is the user's, and the backend is theirs
    expect(json.provider.openstack).toEqual([{ region: 'RegionTwo' }]);
    expect(Object.keys(json.terraform.backend)).toEqual(['s3']);
  });

  test('a Scaleout value embeds in a string of a user resource as a cdktf token', () => {
    const app = Testing.app();
    const stack = new UserStack(app, 'shop');
    new NetworkingSecgroupV2(stack, 'Doc', { name: 'doc', description: `serves ${stack.api.url}/docs` });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.openstack_networking_secgroup_v2.Doc.description).toBe('serves http://${openstack_networking_floatingip_v2.api_floating_ip.address}/docs');
  });

  test("a TerraformOutput with the name of Scaleout's own output is refused, not silently replaced", () => {
    const app = Testing.app();
    const stack = new UserStack(app, 'shop');
    new TerraformOutput(stack, 'api_url', { value: 'mine' });
    const e = errorOf(() => Testing.synth(stack));
    expect(e.code).toBe('SO_DUPLICATE');
    expect(e.constructPath).toBe('shop/api_url');
    expect(e.message).toContain("'api_url' is the name of this TerraformOutput and of an output Scaleout writes");
  });

  test("a TerraformLocal with the name of Scaleout's own local (a group's user data) is refused", () => {
    // GIVEN a user stack whose API tier has user data, and a local of the user's with its name
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 4, cloudConfig: new CloudConfig().addPackages('nginx') });
    new TerraformLocal(stack, 'api_servers_user_data', 'mine');
    // WHEN synthesized THEN refused, naming the user's local
    const e = errorOf(() => Testing.synth(stack));
    expect(e.code).toBe('SO_DUPLICATE');
    expect(e.constructPath).toBe('shop/api_servers_user_data');
    expect(e.message).toContain("'api_servers_user_data' is the name of this TerraformLocal and of a local Scaleout writes");
  });

  test('Stack.configure sets the release of a TerraformStack, before constructs only', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'rel');
    Stack.configure(stack, { release: OpenStackRelease.V2024_1, description: 'configured' });
    new SecurityGroup(stack, 'Web');
    expect(Stack.of(stack).release).toBe(OpenStackRelease.V2024_1);
    expect(synthesizeHeat(stack).template.description).toBe('configured');
    expect(errorOf(() => Stack.configure(stack, {})).message).toContain("'settings' are already fixed");
  });
});

describe('the Heat target from a TerraformStack', () => {
  test('renders the Scaleout constructs of the same tree', () => {
    // GIVEN a TerraformStack with only Scaleout constructs, also synthesized to Terraform before
    const app = Testing.app();
    const stack = new TerraformStack(app, 'web');
    new LocalBackend(stack, { path: 'x.tfstate' });
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    const sg = new SecurityGroup(stack, 'WebSg');
    sg.addIngressRule(Peer.anyIpv4(), Port.tcp(80));
    new Server(stack, 'Web', { image: IMAGE, flavor: SMALL, networks: [net.network], securityGroups: [sg] });
    Testing.synth(stack);
    // WHEN rendered to Heat
    const heat = synthesizeHeat(stack);
    // THEN the same constructs are there under the same logical names; the backend is ignored
    expect(heat.stackName).toBe('web');
    expect(Object.keys(heat.template.resources as object)).toEqual(expect.arrayContaining(['net', 'web_sg', 'web']));
  });

  test("refuses the user's own Terraform resource, naming it", () => {
    const app = Testing.app();
    const stack = new UserStack(app, 'shop');
    const e = errorOf(() => synthesizeHeat(stack));
    expect(e.message).toContain('shop/OpsSg');
    expect(e.message).toContain('openstack_networking_secgroup_v2');
    expect(e.message).toContain('Heat target cannot express');
    expect(e.code).toBe('SO_UNSUPPORTED');
  });

  test('refuses a cdktf token in a prop, naming the construct and the property', () => {
    // GIVEN an image name from a Terraform variable
    const app = Testing.app();
    const stack = new TerraformStack(app, 'tok');
    const image = new TerraformVariable(stack, 'image', { type: 'string' });
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    new Server(stack, 'Web', { image: Image.fromName(image.stringValue), flavor: SMALL, networks: [net.network] });
    // WHEN rendered to Terraform THEN the variable passes through
    expect(JSON.parse(Testing.synth(stack)).resource.openstack_compute_instance_v2.web.image_name).toBe('${var.image}');
    // AND Heat refuses it where it appears
    const e = errorOf(() => synthesizeHeat(stack));
    expect(e.constructPath).toBe('tok/Web');
    expect(e.message).toContain("'properties.image' holds a cdktf token");
  });

  test('a Scaleout value turned into a string is refused by Heat with the property path', () => {
    const app = new App();
    const stack = new Stack(app, 'h');
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    const db = new Server(stack, 'Db', { image: IMAGE, flavor: SMALL, networks: [net.network] });
    new Server(stack, 'Web', { image: IMAGE, flavor: SMALL, networks: [net.network], metadata: { db: `${db.privateIp}` } });
    const e = errorOf(() => synthesizeHeat(stack));
    expect(e.message).toContain("'properties.metadata.db' holds a cdktf token");
    expect(e.constructPath).toBe('h/Web');
  });

  test('addHeatPropertyOverride changes a rendered property; undefined deletes one', () => {
    const app = new App();
    const stack = new Stack(app, 'o');
    const sg = new SecurityGroup(stack, 'Web', { description: 'web' });
    sg.addHeatPropertyOverride('description', 'overridden');
    sg.addHeatPropertyOverride('name', undefined);
    const props = (synthesizeHeat(stack).template.resources as any).web.properties;
    expect(props.description).toBe('overridden');
    expect(props).not.toHaveProperty('name');
    expect(errorOf(() => sg.addHeatPropertyOverride('a..b', 1)).message).toContain("'path' must be a dotted property path");
  });
});

describe('structure', () => {
  test('a construct outside any stack is refused, not silently dropped', () => {
    const app = new App();
    const e = errorOf(() => new SecurityGroup(app, 'Loose'));
    expect(e.message).toContain("'scope' must be inside a stack");
    expect(e.constructPath).toBe('Loose');
  });

  test('duplicate and empty ids get Scaleout errors with a fix', () => {
    const app = new App();
    const stack = new Stack(app, 's');
    new SecurityGroup(stack, 'Web');
    expect(errorOf(() => new SecurityGroup(stack, 'Web')).message).toMatch(/^s: 'id' is already used by s\/Web.*pick another id \[SO_DUPLICATE\]$/);
    expect(errorOf(() => new SecurityGroup(stack, '')).code).toBe('SO_EMPTY');
    expect(errorOf(() => new SecurityGroup(stack, 'a/b')).code).toBe('SO_FORMAT');
  });

  test('a stack inside a stack, and two stacks with one name, are refused', () => {
    const app = new App();
    const outer = new Stack(app, 'outer');
    expect(errorOf(() => new Stack(outer, 'inner')).message).toContain('a stack cannot hold another stack');
    new Stack(app, 'one');
    expect(errorOf(() => new Stack(app, 'two', { stackName: 'one' })).message).toContain("'stackName' is already the name of stack one");
  });

  test('a resource of another stack: cdktf wires it across TerraformStacks; Heat and a Scaleout Stack refuse it', () => {
    // GIVEN a security group in one TerraformStack allowed from a group of another
    const outdir = tmp();
    try {
      const app = new CdktfApp({ outdir });
      const base = new TerraformStack(app, 'base');
      const shared = new SecurityGroup(base, 'Shared');
      const front = new TerraformStack(app, 'front');
      const web = new SecurityGroup(front, 'Web');
      web.connections.allowFrom(shared, Port.tcp(80));
      // WHEN cdktf synthesizes THEN front reads the group's id from base's state, no copy of it
      app.synth();
      const frontJson = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'front', 'cdk.tf.json'), 'utf8'));
      expect(frontJson.resource.openstack_networking_secgroup_v2.shared).toBeUndefined();
      expect(JSON.stringify(frontJson.resource.openstack_networking_secgroup_rule_v2)).toContain('data.terraform_remote_state');
      // AND Heat refuses the reference with a fix
      expect(errorOf(() => synthesizeHeat(front)).message).toContain("a Heat template cannot reference another stack's resources");
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    // AND two Scaleout Stacks refuse it in Terraform as well (instead of copying the group)
    const app2 = new App();
    const a = new Stack(app2, 'a');
    const b = new Stack(app2, 'b');
    const shared2 = new SecurityGroup(a, 'Shared');
    new SecurityGroup(b, 'Web').connections.allowFrom(shared2, Port.tcp(80));
    const out2 = tmp();
    try {
      expect(errorOf(() => synthesizeTerraform(b, out2)).message).toContain("cannot reference another stack's resources");
    } finally {
      fs.rmSync(out2, { recursive: true, force: true });
    }
  });
});

describe('a Scaleout Stack added to a cdktf app', () => {
  test('renders when the app synthesizes, so a construct added after addToCdktfApp is not dropped', () => {
    // GIVEN a Scaleout Stack handed to a cdktf app, and a security group added afterwards
    const outdir = tmp();
    try {
      const app = new CdktfApp({ outdir });
      const stack = new Stack(new App(), 'late');
      new SecurityGroup(stack, 'Early');
      addToCdktfApp(app, stack);
      new SecurityGroup(stack, 'Late');
      // WHEN the app synthesizes
      app.synth();
      // THEN both groups are in the stack's Terraform
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'late', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(json.resource.openstack_networking_secgroup_v2).sort()).toEqual(['early', 'late']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('warnings', () => {
  function groupStack(app: Construct) {
    const stack = new TerraformStack(app, 'w');
    new LocalBackend(stack, { path: 'w.tfstate' });
    const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
    const api = new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 4 });
    // (the group's CPU topology has its own warning, not the subject here)
    Warnings.acknowledge(stack, 'scaleout:group-rate-alarm', 'this test is about the policy cooldown warning only');
    new ScalingPolicy(stack, 'Fast', { group: api.group, adjustment: ScalingAdjustment.changeInCapacity(1), cooldown: Duration.seconds(60) });
    return { stack, api };
  }

  test('become cdktf annotations (cdktf synth prints them) and writeHeat prints them, with their id', () => {
    const outdir = tmp();
    try {
      const app = new CdktfApp({ outdir });
      const { stack } = groupStack(app);
      app.synth();
      const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
      const warnings = manifest.stacks.w.annotations.filter((a: { level: string }) => a.level === '@cdktf/warn');
      expect(warnings.map((a: { message: string }) => a.message)).toEqual([expect.stringMatching(/shorter than the group's cooldown.*\[scaleout:policy-cooldown-no-effect\]$/)]);
      const lines: string[] = [];
      writeHeat(stack, path.join(outdir, 'heat'), { onWarning: (l) => lines.push(l) });
      expect(lines).toEqual([expect.stringMatching(/^\[WARNING\] w\/Fast: 'cooldown' \(60 s\).*\[scaleout:policy-cooldown-no-effect\]$/)]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an acknowledged warning is neither listed nor annotated; the reason is required', () => {
    const app = Testing.app();
    const { stack } = groupStack(app);
    expect(errorOf(() => Warnings.acknowledge(stack, 'scaleout:policy-cooldown-no-effect', ' ')).code).toBe('SO_REQUIRED');
    Warnings.acknowledge(stack, 'scaleout:policy-cooldown-no-effect', 'the fast policy is for manual webhooks only');
    Testing.synth(stack);
    expect(Warnings.of(stack)).toEqual([]);
    const annotated = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'warn'));
    expect(annotated).toEqual([]);
  });
});

describe('the engine', () => {
  test('importing the library loads neither cdktf nor the bindings (a Heat-only program needs no engine)', () => {
    const { execFileSync } = require('child_process') as typeof import('child_process');
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const lib = require('./src');",
      'const app = new lib.App(); const s = new lib.Stack(app, "h"); new lib.SecurityGroup(s, "Web");',
      'lib.synthesizeHeat(s);',
      "const loaded = Object.keys(require.cache).filter((f) => /node_modules\\/cdktf\\/|\\.gen\\/providers/.test(f));",
      'console.log(JSON.stringify(loaded.length));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toBe(0);
  });
});


describe('assertions on a TerraformStack', () => {
  test('Template.fromStack reads the native rendering, embedded group included', () => {
    const app = Testing.app();
    const stack = new UserStack(app, 'shop');
    const tf = Template.fromStack(stack, { target: 'terraform' });
    tf.hasResourceProperties('openstack_networking_secgroup_v2', { name: 'ops' });
    tf.hasResourceProperties('openstack_lb_listener_v2', { protocol_port: 80 });
    tf.nested('api_servers').hasResourceProperties('OS::Heat::AutoScalingGroup', { max_size: 4, resource: Match.objectLike({}) });
  });
});
