/**
 * literal-secret-in-user-data: user data holds no literal password, token or key. Placeholders
 * filled at deploy time (`@@DB_PASSWORD@@` from a `get_attr`, `${var.x}` in Terraform) are fine;
 * a literal value, or a `str_replace` parameter named like a secret with a literal value, is not.
 */
import { embeddedUserDataOf, type Doc } from '../../assertions/output';
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { hotResources, tfResources } from '../view';

const ASSIGNMENT = /\b(password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key)["']?\s*[:=]\s*["']?([^\s"',;]*)/gi;
const SQL_PASSWORD = /identified\s+by\s+'([^']*)'/gi;
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/gi;
const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key/i;

/** True for a value filled in later, or no value at all. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v.length === 0 ||
    /^(true|false|null|none|yes|no)$/i.test(v) ||
    /@@[A-Za-z0-9_]+@@/.test(v) ||
    /\$\{[^}]*\}?/.test(v) ||
    /^\$\(?[A-Za-z_]/.test(v) ||
    /^%[A-Za-z0-9_]+%$/.test(v) ||
    /^<[^>]+>$/.test(v) ||
    /\{\{.*\}\}/.test(v)
  );
}

/** Literal secrets in a user-data text, described. */
export function literalSecretsIn(text: string): string[] {
  const found: string[] = [];
  for (const re of [ASSIGNMENT, SQL_PASSWORD, URL_CREDENTIALS]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const value = m[m.length - 1];
      if (!isPlaceholder(value)) found.push(`'${m[0].slice(0, 60)}'`);
    }
  }
  return found;
}

/** The texts of a user-data value: a string, or a str_replace template plus its literal parameters named like secrets. */
function inspect(value: unknown): string[] {
  if (typeof value === 'string') return literalSecretsIn(value);
  const sr = (value as Doc | undefined)?.str_replace;
  if (!sr) return [];
  const found = typeof sr.template === 'string' ? literalSecretsIn(sr.template) : [];
  for (const [key, v] of Object.entries((sr.params ?? {}) as Doc)) {
    if (SECRET_KEY.test(key) && typeof v === 'string' && !isPlaceholder(v)) found.push(`parameter ${key} set to a literal`);
  }
  return found;
}

export const literalSecretInUserData: PolicyRule = {
  id: 'literal-secret-in-user-data',
  level: 'error',
  summary: 'User data holds no literal password, token or key',
  why: 'User data is stored in the template, in the stack and in Nova, readable by anyone who can read them and by every process on the server through the metadata service; generate secrets at deploy time instead.',
  evaluate(view) {
    const results: RuleResult[] = [];
    const check = (location: string, resource: string, value: unknown, property: string) => {
      if (value === undefined) return;
      const found = inspect(value);
      results.push(found.length ? nonCompliant(location, resource, `user data holds ${found.join(', ')}`, property) : compliant(location, resource, 'user data holds no literal secret'));
    };
    for (const { template, name, def } of hotResources(view, 'OS::Nova::Server')) check(template.location, name, def.properties?.user_data, 'properties.user_data');
    for (const { template, name, def } of hotResources(view, 'OS::Heat::AutoScalingGroup')) check(template.location, name, def.properties?.resource?.properties?.user_data, 'properties.resource.properties.user_data');
    for (const { name, body } of tfResources(view, 'openstack_compute_instance_v2')) check('cdk.tf.json', name, body.user_data, 'user_data');
    for (const { name, body } of tfResources(view, 'openstack_orchestration_stack_v1')) {
      check('cdk.tf.json', name, body.parameters?.user_data ?? embeddedUserDataOf(view.terraform ?? {}, body), body.parameters?.user_data !== undefined ? 'parameters.user_data' : 'environment_opts.Bin');
    }
    return results;
  },
};
