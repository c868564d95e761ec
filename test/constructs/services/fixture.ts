/** Shared set-up and checks for the services-tier tests. */
import * as yaml from 'js-yaml';
import { App, Flavor, heatFiles, Image, Network, Server, Stack } from '../../../src';
import { heatOf, TfSynthesis } from '../../util/synth';

/** Runs `fn`, expects a ScaleoutError, and returns it. */
export { errorOf } from '../../util/errors';

/** A stack with an imported network, host props for a service server, and a web server (a client). */
export function fixture() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const host = { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small', { vcpus: 1 }), networks: [net] };
  const web = new Server(stack, 'Web', host);
  return { app, stack, net, host, web };
}

/** The cloud-init document of a HOT server: its text and its str_replace params. */
export function hotUserData(server: { properties?: Record<string, any> }): { text: string; params: Record<string, unknown> } {
  const ud = server.properties?.user_data;
  if (typeof ud === 'string') return { text: ud, params: {} };
  return { text: ud.str_replace.template, params: ud.str_replace.params };
}

/** The setup script a service server's cloud-init writes (the first write_files entry). */
export function setupScript(cloudConfig: string): string {
  const doc = yaml.load(cloudConfig.replace(/^#cloud-config\n/, '')) as { write_files: Array<{ content: string }> };
  return doc.write_files[0].content;
}

/**
 * Places where a password goes in the setup scripts, as `[pattern, what]`: each captures the text
 * that stands for the password, which must be a placeholder (Heat) or a variable reference (Terraform).
 */
const PASSWORD_SLOTS: Array<[RegExp, string]> = [
  [/IDENTIFIED BY '([^']*)'/g, 'MySQL user password'],
  [/PASSWORD '([^']*)'/g, 'PostgreSQL role password'],
  [/(?:SOURCE|MASTER)_PASSWORD='([^']*)'/g, 'replication password'],
  [/PGPASSWORD='([^']*)'/g, 'pg_basebackup password'],
  [/ -p'([^']*)'/g, 'mysql client password'],
  [/requirepass (\S*)/g, 'Redis password'],
  [/add_user '[^']*' '([^']*)'/g, 'RabbitMQ password'],
];

/**
 * Asserts that no password is written as a literal in either target's output: every password slot
 * of every script holds a `@@...@@` placeholder (Heat, replaced by `get_attr` of an
 * `OS::Heat::RandomString`) or a `${var.<name>}` reference to a sensitive variable (Terraform), and
 * that Terraform declares no default for those variables and no random provider.
 */
export function expectNoPasswordLiterals(stack: Stack, tf: TfSynthesis): { heat: number; terraform: number } {
  const heat = heatOf(stack);
  const heatText = Object.values(heatFiles(heat)).join('\n');
  const tfText = JSON.stringify(tf.json);
  const slots = { heat: 0, terraform: 0 };
  for (const [re, what] of PASSWORD_SLOTS) {
    for (const m of heatText.matchAll(re)) {
      slots.heat++;
      expect({ what, found: m[1] }).toEqual({ what, found: expect.stringMatching(/^@@[A-Z_]+@@$/) });
    }
    for (const m of tfText.replace(/\\n/g, '\n').replace(/\\"/g, '"').matchAll(re)) {
      slots.terraform++;
      const ref = /^\$\{var\.([a-z0-9_]+)\}$/.exec(m[1]);
      expect({ what, found: m[1] }).toEqual({ what, found: expect.stringMatching(/^\$\{var\.[a-z0-9_]+\}$/) });
      expect(tf.json.variable[ref![1]]).toMatchObject({ sensitive: true, type: 'string' });
      expect(tf.json.variable[ref![1]]).not.toHaveProperty('default');
    }
  }
  // Every placeholder parameter of a HOT str_replace is a RandomString's value (or an address).
  const resources = heat.template.resources as Record<string, any>;
  for (const r of Object.values(resources)) {
    const params = r.properties?.user_data?.str_replace?.params ?? {};
    for (const [k, v] of Object.entries<any>(params)) {
      if (!k.includes('PASSWORD')) continue;
      expect(v).toEqual({ get_attr: [expect.any(String), 'value'] });
      expect(resources[v.get_attr[0]].type).toBe('OS::Heat::RandomString');
    }
  }
  expect(tfText).not.toMatch(/"random"|random_password|random_string/);
  return slots;
}
