/**
 * secret-in-output: no output shows a secret — a generated password (`OS::Heat::RandomString`
 * `value`), a pre-signed scaling URL (`alarm_url`), a private key, a hidden parameter, or in
 * Terraform a sensitive variable or resource attribute in an output not marked sensitive.
 *
 * `alarm_url` is an EC2-style pre-signed URL that needs no token, while `signal_url` needs a
 * Keystone token (Heat: heat/engine/resources/openstack/heat/scaling_policy.py,
 * `AutoScalingPolicy._resolve_attribute`: `_get_ec2_signed_url` vs `_get_heat_signal_url`).
 */
import type { Doc } from '../../assertions/output';
import { compliant, nonCompliant, type PolicyRule, type RuleResult } from '../rule';
import { attrRefsIn } from '../view';

const SECRET_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  'OS::Heat::RandomString': ['value'],
  'OS::Heat::ScalingPolicy': ['alarm_url'],
  'OS::Nova::KeyPair': ['private_key'],
  'OS::Nova::Server': ['admin_pass'],
  'OS::Heat::AccessPolicy': [],
  'OS::Keystone::User': ['password'],
};

function paramRefsIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v as Doc)) {
        if (k === 'get_param') out.push(String(Array.isArray(inner) ? inner[0] : inner));
        walk(inner);
      }
    }
  };
  walk(value);
  return out;
}

export const secretInOutput: PolicyRule = {
  id: 'secret-in-output',
  level: 'error',
  summary: 'No output shows a password, a pre-signed URL, a private key or a hidden or sensitive value',
  why: 'Outputs are shown to anyone who can read the stack (`openstack stack output show`, `terraform output`) and are kept in plain text in its state.',
  evaluate(view) {
    const results: RuleResult[] = [];
    for (const t of view.templates) {
      const resources = (t.doc.resources ?? {}) as Record<string, Doc>;
      const params = (t.doc.parameters ?? {}) as Record<string, Doc>;
      for (const [name, out] of Object.entries((t.doc.outputs ?? {}) as Record<string, Doc>)) {
        const secrets = [
          ...attrRefsIn(out?.value)
            .filter((r) => (SECRET_ATTRIBUTES[resources[r.resource]?.type] ?? []).includes(r.attribute))
            .map((r) => `${r.attribute} of ${resources[r.resource].type} ${r.resource}`),
          ...paramRefsIn(out?.value).filter((p) => params[p]?.hidden === true).map((p) => `hidden parameter ${p}`),
        ];
        results.push(secrets.length ? nonCompliant(t.location, `outputs.${name}`, `output ${name} shows ${secrets.join(', ')}`, 'value') : compliant(t.location, `outputs.${name}`, `output ${name} shows no secret`));
      }
    }
    const tf = view.terraform;
    if (tf) {
      const sensitiveVars = Object.entries((tf.variable ?? {}) as Record<string, Doc>).filter(([, v]) => v?.sensitive === true).map(([n]) => n);
      for (const [name, out] of Object.entries((tf.output ?? {}) as Record<string, Doc>)) {
        const text = JSON.stringify(out?.value ?? null);
        const secrets = [
          ...sensitiveVars.filter((v) => text.includes(`var.${v}`)).map((v) => `sensitive variable ${v}`),
          ...(/\.(private_key|admin_pass|result)\b/.test(text) && /(openstack_compute_keypair_v2|random_password)\./.test(text) ? ['a generated secret'] : []),
          ...(/alarm_url/.test(text) ? ['a pre-signed alarm_url'] : []),
        ];
        const shown = out?.sensitive !== true;
        results.push(
          secrets.length && shown
            ? nonCompliant('cdk.tf.json', `outputs.${name}`, `output ${name} shows ${secrets.join(', ')} and is not marked sensitive`, 'sensitive')
            : compliant('cdk.tf.json', `outputs.${name}`, secrets.length ? `output ${name} is marked sensitive` : `output ${name} shows no secret`),
        );
      }
    }
    return results;
  },
};
