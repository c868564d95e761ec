/** Shared GIVENs and THEN helpers of the pattern tests. */
import { App, Flavor, Image, Stack, VirtualNetwork } from '../../../src';
import type { HotResource, TfSynthesis } from '../../util/synth';

export { embeddedOf, errorOf, memberOf, memberPolicyOf, policyOf, signalActionOf } from '../autoscaling/fixture';

/** The image every pattern test boots. */
export const IMAGE = Image.fromName('ubuntu-22.04');
/** A 1-vCPU flavor (CPU alarms need the count). */
export const SMALL = Flavor.fromName('m1.small', { vcpus: 1 });

/** A stack 'test' with a `VirtualNetwork` 'Net' (10.0.0.0/24, external network 'public'). */
export function netStack() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  return { app, stack, net };
}

/** One ingress rule, target-neutral: on which group, which port, from which group or CIDR. */
export interface IngressRule {
  readonly group: string;
  readonly port: string;
  readonly fromGroup?: string;
  readonly fromCidr?: string;
}

const portOf = (protocol: unknown, min: unknown, max: unknown): string =>
  protocol === undefined ? 'all' : min === undefined ? String(protocol) : min === max ? `${protocol} ${min}` : `${protocol} ${min}-${max}`;

/** Every ingress rule of a HOT document, sorted. */
export function heatIngress(doc: { resources?: unknown }): IngressRule[] {
  const resources = (doc.resources ?? {}) as Record<string, HotResource>;
  return Object.values(resources)
    .filter((r) => r.type === 'OS::Neutron::SecurityGroupRule' && r.properties!.direction === 'ingress')
    .map((r) => {
      const p = r.properties!;
      return {
        group: p.security_group.get_resource,
        port: portOf(p.protocol, p.port_range_min, p.port_range_max),
        ...(p.remote_group ? { fromGroup: p.remote_group.get_resource } : {}),
        ...(p.remote_ip_prefix ? { fromCidr: p.remote_ip_prefix } : {}),
      };
    })
    .sort(byRule);
}

/** Every ingress rule of a Terraform stack, sorted, groups named by their resource name. */
export function terraformIngress(tf: TfSynthesis): IngressRule[] {
  const name = (ref: string) => /openstack_networking_secgroup_v2\.([a-z0-9_]+)\.id/.exec(ref)?.[1] ?? ref;
  return Object.values(tf.resources('openstack_networking_secgroup_rule_v2'))
    .filter((r: any) => r.direction === 'ingress')
    .map((r: any) => ({
      group: name(r.security_group_id),
      port: portOf(r.protocol, r.port_range_min, r.port_range_max),
      ...(r.remote_group_id ? { fromGroup: name(r.remote_group_id) } : {}),
      ...(r.remote_ip_prefix ? { fromCidr: r.remote_ip_prefix } : {}),
    }))
    .sort(byRule);
}

function byRule(a: IngressRule, b: IngressRule): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

