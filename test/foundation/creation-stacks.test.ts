/**
 * The engine's token creation stacks: left empty while Scaleout renders for an app whose stack
 * traces are off (synthesizeTerraform's own app by default), with the same output either way.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdktfApp, TerraformStack } from 'cdktf';
import { Intrinsic } from 'cdktf/lib/tokens/private/intrinsic';
import { ApiTier, App, Flavor, Image, ServicesTier, Stack, synthesizeTerraform, VirtualNetwork, WorkerScaling, WorkerTier } from '../../src';
import { withoutCreationStacks } from '../../src/stacks/terraform/creation-stacks';

function tierStack(app: App, name: string): Stack {
  const stack = new Stack(app, name);
  const image = Image.fromName('ubuntu-22.04');
  const flavor = Flavor.fromName('m1.small', { vcpus: 1 });
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/16' });
  const services = new ServicesTier(stack, 'Services', { image, flavor, networks: [network.network] });
  new ApiTier(stack, 'Api', { image, flavor, subnet: network.subnet, externalNetworkName: 'public', maxSize: 10, services });
  new WorkerTier(stack, 'Workers', { image, flavor, networks: [network.network], maxSize: 20, services, scaling: WorkerScaling.cpu() });
  return stack;
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else out[path.relative(dir, f)] = fs.readFileSync(f, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('withoutCreationStacks', () => {
  test('GIVEN the window WHEN the engine creates a token THEN its creation stack is empty, and full outside', () => {
    const inside = withoutCreationStacks(() => new Intrinsic('x'));
    const outside = new Intrinsic('x');
    expect(inside.creationStack).toEqual([]);
    expect(outside.creationStack.length).toBeGreaterThan(0);
  });

  test('GIVEN the window WHEN an Error leaves it THEN it has a one-line stack saying how to get the full one', () => {
    const e = (() => {
      try {
        withoutCreationStacks(() => {
          throw new Error('boom');
        });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a throw');
    })();
    expect(e.message).toBe('boom');
    expect(e.stack).toContain('Error: boom\n    at <stack traces off while rendering to Terraform');
    expect(e.stack).toContain('stackTraces: true');
  });

  test('GIVEN a stack trace limit of the app WHEN the window closes, even by an exception THEN that limit is back and stacks are captured again', () => {
    const before = Error.stackTraceLimit;
    Error.stackTraceLimit = 25;
    try {
      expect(() =>
        withoutCreationStacks(() => {
          expect(Error.stackTraceLimit).toBe(0);
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(Error.stackTraceLimit).toBe(25);
      expect(new Error('after').stack).toMatch(/\n {4}at /);
    } finally {
      Error.stackTraceLimit = before;
    }
  });
});

describe('synthesizeTerraform stack traces', () => {
  test('GIVEN one stack WHEN synthesized with and without stack traces THEN every file written is the same, byte for byte', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-traces-'));
    try {
      const [off] = synthesizeTerraform(tierStack(new App(), 'traces'), path.join(root, 'off'));
      const [on] = synthesizeTerraform(tierStack(new App(), 'traces'), path.join(root, 'on'), { stackTraces: true });
      const offFiles = readTree(off.directory);
      expect(Object.keys(offFiles)).toContain('cdk.tf.json');
      expect(Object.keys(offFiles).some((f) => f.startsWith('assets/'))).toBe(true);
      expect(offFiles).toEqual(readTree(on.directory));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('GIVEN a cdktf app with stack traces off WHEN it synthesizes THEN Scaleout renders without creation stacks, and restores the limit', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-traces-'));
    try {
      const seen: string[] = [];
      const app = new CdktfApp({ outdir: root, stackTraces: false });
      const stack = new TerraformStack(app, 'native');
      const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
      // A construct whose rendering samples the engine's creation stack: empty while Scaleout renders.
      const before = Error.stackTraceLimit;
      const original = (network as unknown as { _toTerraform: (ctx: unknown) => unknown })._toTerraform.bind(network);
      (network as unknown as { _toTerraform: (ctx: unknown) => unknown })._toTerraform = (ctx) => {
        seen.push(new Intrinsic('x').creationStack.length === 0 ? 'no creation stack' : 'creation stack');
        return original(ctx);
      };
      app.synth();
      expect(seen).toEqual(['no creation stack']);
      expect(Error.stackTraceLimit).toBe(before);
      expect(fs.existsSync(path.join(root, 'stacks', 'native', 'cdk.tf.json'))).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('GIVEN a cdktf app with its default stack traces WHEN it synthesizes THEN the engine keeps its creation stacks', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-traces-'));
    try {
      const seen: number[] = [];
      const app = new CdktfApp({ outdir: root });
      const network = new VirtualNetwork(new TerraformStack(app, 'native'), 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
      const original = (network as unknown as { _toTerraform: (ctx: unknown) => unknown })._toTerraform.bind(network);
      (network as unknown as { _toTerraform: (ctx: unknown) => unknown })._toTerraform = (ctx) => {
        seen.push(new Intrinsic('x').creationStack.length);
        return original(ctx);
      };
      app.synth();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeGreaterThan(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
