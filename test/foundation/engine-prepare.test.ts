/**
 * synthesizeTerraform skips the engine's preparing resolve in its private app (nothing there can
 * reference another stack), with the same output as an app that runs it, and runs it after all
 * when resolving added constructs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdktfApp, IResolveContext, Lazy, TerraformLocal, TerraformStack } from 'cdktf';
import { addToCdktfApp, App, Flavor, Image, Server, Stack, synthesizeTerraform, VirtualNetwork, WorkerScaling, WorkerTier } from '../../src';

function workerStack(app: App, name: string, image: Image): Stack {
  const stack = new Stack(app, name);
  const flavor = Flavor.fromName('m1.small', { vcpus: 1 });
  const network = new VirtualNetwork(stack, 'Network', { externalNetworkName: 'public', cidr: '10.0.0.0/16' });
  new Server(stack, 'Db', { image, flavor, networks: [network.network] });
  new WorkerTier(stack, 'Workers', { image, flavor, networks: [network.network], maxSize: 20, scaling: WorkerScaling.cpu() });
  return stack;
}

function readJson(file: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('synthesizeTerraform and the engine prepare pass', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-prepare-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('GIVEN one stack WHEN synthesizeTerraform writes it and a cdktf app (which runs the engine prepare pass) writes it THEN cdk.tf.json is the same', () => {
    // GIVEN
    const image = Image.fromName('ubuntu-22.04');
    // WHEN
    const [ours] = synthesizeTerraform(workerStack(new App(), 'prep', image), path.join(root, 'ours'));
    const app = new CdktfApp({ outdir: path.join(root, 'engine'), stackTraces: false });
    addToCdktfApp(app, workerStack(new App(), 'prep', image));
    app.synth();
    // THEN
    expect(Object.keys(ours.json.resource as object)).toContain('openstack_orchestration_stack_v1');
    expect(fs.readFileSync(path.join(ours.directory, 'cdk.tf.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'engine', 'stacks', 'prep', 'cdk.tf.json'), 'utf8'));
  });

  test('GIVEN a token that adds a construct when it is resolved WHEN synthesizeTerraform writes the stack THEN that construct is in the output, as with the engine prepare pass', () => {
    // GIVEN: an image id that, resolved in a stack, adds a local to that stack once.
    const made = new WeakSet<object>();
    const id = Lazy.stringValue({
      produce: (context: IResolveContext) => {
        const stack = TerraformStack.of(context.scope);
        if (!made.has(stack)) {
          made.add(stack);
          new TerraformLocal(stack, 'made-while-resolving', 'x');
        }
        return '5f6c2f5e-0000-4000-8000-000000000001';
      },
    });
    // WHEN
    const [tf] = synthesizeTerraform(workerStack(new App(), 'late', Image.fromId(id)), path.join(root, 'late'));
    // THEN
    const json = readJson(path.join(tf.directory, 'cdk.tf.json'));
    expect(json.locals).toEqual({ 'made-while-resolving': 'x' });
    expect(JSON.stringify(json.resource)).toContain('5f6c2f5e-0000-4000-8000-000000000001');
  });
});
