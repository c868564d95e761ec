/** Shared GIVENs and THEN helpers of the autoscaling tests. */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import {
  App,
  AutoScalingGroup,
  AutoScalingGroupProps,
  Flavor,
  Image,
  ListenerProtocol,
  LoadBalancer,
  OpenStackRelease,
  Pool,
  Stack,
  VirtualNetwork,
} from '../../../src';
import { embeddedUserDataOf } from '../../../src/assertions/output';
import { assertValidHot } from '../../../src/validation/heat';
import type { HotResource, TfSynthesis } from '../../util/synth';

/** A stack with a `VirtualNetwork` 'Net' (10.0.0.0/24) and a factory for a group 'Web' on it. */
export function groupStack(release?: OpenStackRelease) {
  const app = new App();
  const stack = new Stack(app, 'test', { release });
  const net = new VirtualNetwork(stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' });
  const group = (props: Partial<AutoScalingGroupProps> = {}, id = 'Web') =>
    new AutoScalingGroup(stack, id, {
      image: Image.fromName('ubuntu-22.04'),
      flavor: Flavor.fromName('m1.small', { vcpus: 2 }),
      networks: [net.network],
      maxSize: 4,
      ...props,
    });
  return { app, stack, net, group };
}

/** A load balancer with an HTTP listener on port 80 and its pool 'Web' (members on the VIP subnet). */
export function webPool(stack: Stack, net: VirtualNetwork): Pool {
  const lb = new LoadBalancer(stack, 'Lb', { vipSubnet: net.subnet });
  return lb.addListener('Front', { protocol: ListenerProtocol.HTTP, port: 80 }).addPool('Web');
}

/** The ScaleoutError `fn` throws (fails the test when it throws nothing or something else). */
export { errorOf } from '../../util/errors';

/** An `openstack_orchestration_stack_v1` with its embedded HOT template and member file, parsed. */
export interface EmbeddedStack {
  /** The Terraform resource body. */
  readonly resource: Record<string, any>;
  /** The Bin text as Heat receives it (Terraform's `$${` escapes undone). */
  readonly text: string;
  /** The embedded template. */
  readonly template: Record<string, any>;
  readonly resources: Record<string, HotResource>;
  /** The member template's path (the group's `resource.type`), relative to the stack folder. */
  readonly memberPath: string;
  /** The member template, read from next to cdk.tf.json. */
  readonly member: Record<string, any>;
  /** The members' user data (the Terraform local the environment's parameter_defaults carries), if any. */
  readonly userData?: string;
}

/**
 * Reads the embedded stack of group `name`: parses its Bin YAML, reads the member template from
 * the asset next to cdk.tf.json, and checks both against Heat's schema (as heatOf does).
 */
export function embeddedOf(tf: TfSynthesis, name: string, release = '2022.2'): EmbeddedStack {
  const resource = tf.resources('openstack_orchestration_stack_v1')[name];
  expect(resource).toBeDefined();
  const text = String(resource.template_opts.Bin)
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
  const template = yaml.load(text) as Record<string, any>;
  const memberPath = template.resources[name].properties.resource.type as string;
  const file = path.join(tf.directory, memberPath);
  expect(fs.existsSync(file)).toBe(true);
  const member = yaml.load(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  const userData = embeddedUserDataOf(tf.json, resource);
  // The environment Heat receives: the user data as parameter_defaults (see terraformUserDataEnvironment)
  const environment = userData === undefined ? undefined : { parameter_defaults: { user_data: userData } };
  assertValidHot({ template, environment, files: { [memberPath]: member }, release });
  return { resource, text, template, resources: template.resources, memberPath, member, userData };
}

/** The alarm action that signals policy `name`: Aodh's trust notifier (`trust+`) on the policy's `signal_url`. */
export function signalActionOf(name: string): Record<string, unknown> {
  return { str_replace: { template: 'trust+url', params: { url: { get_attr: [name, 'signal_url'] } } } };
}

/**
 * The policies an alarm signals, by logical name. Each action is compared whole with
 * `signalActionOf(name)`; one of any other shape (another attribute than `signal_url`, no `trust+`
 * prefix, an extra key) is returned as it is, so an expectation on the names fails and shows it.
 */
export function policyOf(alarm: HotResource): unknown[] {
  return (alarm.properties!.alarm_actions as unknown[]).map((action: any) => {
    const name = action?.str_replace?.params?.url?.get_attr?.[0];
    return typeof name === 'string' && isDeepStrictEqual(action, signalActionOf(name)) ? name : action;
  });
}

/** The member template of group `name` in a Heat synthesis (its `resource.type` file). */
export function memberOf(heat: { template: Record<string, any>; files: Record<string, unknown> }, name: string): Record<string, any> {
  const file = heat.template.resources[name].properties.resource.type as string;
  const member = heat.files[file] as Record<string, any> | undefined;
  expect(member).toBeDefined();
  return member!;
}

/**
 * The member parameter value through which a per-member alarm signals policy `policy` of group
 * `group`: `trust+` on the never-signalled `<group>_signal_base` policy's `signal_url`, with the
 * real policy's name in place of the base's.
 */
export function memberActionOf(group: string, policy: string): Record<string, unknown> {
  return {
    str_replace: {
      template: { str_replace: { template: 'trust+url', params: { url: { get_attr: [`${group}_signal_base`, 'signal_url'] } } } },
      params: { [`/resources/${group}_signal_base/signal`]: `/resources/${policy}/signal` },
    },
  };
}

/**
 * The policies a per-member alarm of group `group` signals, by logical name: each action must be
 * `get_param` of a member parameter that the group fills with exactly `memberActionOf(group, p)`;
 * anything else is returned as it is, so an expectation on the names fails and shows it.
 */
export function memberPolicyOf(template: Record<string, any>, group: string, alarm: HotResource): unknown[] {
  const passed = template.resources[group].properties.resource.properties as Record<string, unknown>;
  return (alarm.properties!.alarm_actions as unknown[]).map((action: any) => {
    const value = passed[action?.get_param] as any;
    const target = /\/resources\/([^/]+)\/signal$/.exec(Object.values(value?.str_replace?.params ?? {})[0] as string ?? '')?.[1];
    return target !== undefined && isDeepStrictEqual(value, memberActionOf(group, target)) ? target : action;
  });
}
