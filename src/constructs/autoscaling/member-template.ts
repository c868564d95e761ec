import type { IConstruct } from 'constructs';
import type { HeatContext, HeatParameterDef, TerraformContext } from '../../core/context';
import { Stack } from '../../core/stack';
import type { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import type { IServerGroup } from '../compute/server-group';
import { NOVA_METADATA_VALUE_MAX_LENGTH, OWNERSHIP_METADATA } from '../compute/server';
import { fitName } from '../../core/names';
import type { UserData } from '../compute/user-data';
import type { IPool } from '../loadbalancing/pool-ref';
import type { INetwork } from '../network/network';
import type { ISecurityGroup } from '../network/security-group';
import { addReadiness, Readiness } from './readiness';

/**
 * The member template of an autoscaling group (the pattern of openstack/heat-templates'
 * `lb_server.yaml`): one `OS::Nova::Server` with a port per network and an
 * `OS::Octavia::PoolMember` per pool. Everything it needs from outside (image, flavor, networks,
 * security groups, pools, user data, the owning stack's name, the group key) arrives as template
 * parameters, so the same member serves both targets.
 */

/** Member metadata key that Ceilometer copies into Gnocchi as `server_group` (what alarms aggregate by). */
export const SERVER_GROUP_METADATA = 'metering.server_group';

/** Metadata keys the group sets on every member and a user may not. */
export const MEMBER_METADATA_RESERVED: readonly string[] = [SERVER_GROUP_METADATA];

/** A pool the members join. */
export interface PoolAttachment {
  readonly pool: IPool;
  readonly port: number;
  /** Snake-case label of the pool, for parameter and resource names. */
  readonly label: string;
}

/**
 * One value the member needs from outside: a parameter of the member template. The group passes
 * `heat(ctx)` in the Heat target; in the Terraform target it becomes a parameter of the embedded
 * stack too, and Terraform passes `terraform(ctx)`.
 */
export interface LaunchInput {
  readonly name: string;
  readonly def: HeatParameterDef;
  heat(ctx: HeatContext): unknown;
  terraform(ctx: TerraformContext): string;
}

/** What `launchInputs` reads from the group's props. */
export interface LaunchSpec {
  readonly image: Image;
  readonly flavor: Flavor;
  readonly networks: INetwork[];
  readonly securityGroups: ISecurityGroup[];
  readonly keyName?: string;
  readonly keyPair?: IKeyPair;
  readonly userData?: UserData;
  /** The Nova server group the members join (their placement). */
  readonly serverGroup?: IServerGroup;
}

/** The member template's parameters (except `server_group`, which the group computes in place). */
export function launchInputs(group: IConstruct, spec: LaunchSpec, pools: readonly PoolAttachment[]): LaunchInput[] {
  const literal = (name: string, description: string, value: string): LaunchInput => ({
    name,
    def: { type: 'string', description },
    heat: () => value,
    terraform: () => value,
  });
  const inputs: LaunchInput[] = [
    literal('image', 'Image (name or id) of the member servers', spec.image.nameOrId),
    literal('flavor', 'Flavor (name or id) of the member servers', spec.flavor.nameOrId),
  ];
  const keyPair = spec.keyPair;
  if (keyPair !== undefined) {
    inputs.push({
      name: 'key_name',
      def: { type: 'string', description: 'Nova key pair injected into the member servers' },
      heat: (ctx) => keyPair._heatKeyName(ctx),
      terraform: (ctx) => keyPair._terraformKeyName(ctx),
    });
  } else if (spec.keyName !== undefined) {
    inputs.push(literal('key_name', 'Nova key pair injected into the member servers', spec.keyName));
  }
  for (const net of spec.networks) {
    inputs.push({
      name: `network_${net.label}`,
      def: { type: 'string', description: `Network (name or id) of the members' port on ${net.node.path}` },
      heat: (ctx) => net._heatNetwork(ctx),
      terraform: (ctx) => net._terraformNetworkId(ctx),
    });
  }
  inputs.push({
    name: 'security_groups',
    def: { type: 'comma_delimited_list', description: "Security groups of the members' ports" },
    heat: (ctx) => spec.securityGroups.map((g) => g._heatRef(ctx)),
    terraform: (ctx) => spec.securityGroups.map((g) => g._terraformId(ctx)).join(','),
  });
  const serverGroup = spec.serverGroup;
  if (serverGroup !== undefined) {
    inputs.push({
      name: 'nova_server_group',
      def: { type: 'string', description: 'Nova server group (id) the member servers join: their placement relative to each other' },
      heat: (ctx) => serverGroup._heatServerGroupId(ctx),
      terraform: (ctx) => serverGroup._terraformServerGroupId(ctx),
    });
  }
  const userData = spec.userData;
  if (userData !== undefined) {
    inputs.push({
      name: 'user_data',
      // Hidden: user data may carry service passwords, which `stack show` must not print.
      def: { type: 'string', description: 'What the member servers run at first boot', hidden: true },
      heat: (ctx) => userData._heat(ctx),
      terraform: (ctx) => userData._terraform(ctx),
    });
  }
  inputs.push({
    name: 'owner_stack',
    def: { type: 'string', description: `Name of the Scaleout stack that owns the members (metadata '${OWNERSHIP_METADATA.STACK}')` },
    heat: () => ({ get_param: 'OS::stack_name' }),
    terraform: () => Stack.of(group).stackName,
  });
  for (const p of pools) {
    inputs.push({
      name: `${p.label}_pool`,
      def: { type: 'string', description: `Octavia pool ${p.pool.node.path} the members join` },
      heat: (ctx) => p.pool._heatPoolId(ctx),
      terraform: (ctx) => p.pool._terraformPoolId(ctx),
    });
    inputs.push({
      name: `${p.label}_subnet`,
      def: { type: 'string', description: `Subnet of the members' addresses in pool ${p.pool.node.path}` },
      heat: (ctx) => p.pool.memberSubnet._heatSubnet(ctx),
      terraform: (ctx) => p.pool.memberSubnet._terraformSubnetId(ctx),
    });
  }
  return inputs;
}

/**
 * Fills the member template: parameters, ports, the server, and one pool member per pool.
 * Returns the server's logical name.
 *
 * Each pool member `depends_on` the server, so Heat creates it once the server is ACTIVE and
 * deletes it before the server. With `drainSeconds` > 0 an `OS::Heat::Delay` with
 * `actions: [DELETE]` sits between them (pool members → delay → server): on scale-in (or a
 * replacement, or a stack delete) Heat deletes the pool members, waits `min_wait` seconds while
 * the load balancer stops sending new requests and finishes the ones in flight, then deletes the
 * server. Heat's `engine/resources/openstack/heat/delay.py`: the delay runs "before any resource
 * that it depends on during DELETE" and "after any resource that depends on it during DELETE";
 * `_wait_secs` returns 0 for an action not in `actions`, so a scale-out does not wait.
 */
export function renderMemberTemplate(
  ctx: HeatContext,
  group: IConstruct,
  inputs: readonly LaunchInput[],
  pools: readonly PoolAttachment[],
  metadata: Record<string, string>,
  readiness?: Readiness,
  drainSeconds = 0,
): string {
  const param = (name: string) => {
    const input = inputs.find((i) => i.name === name)!;
    return ctx.parameter(name, input.def);
  };
  const serverGroup = ctx.parameter('server_group', {
    type: 'string',
    description: `Key of the group, written to '${SERVER_GROUP_METADATA}': the alarms aggregate the servers that carry it`,
  });
  const names = new Set(inputs.map((i) => i.name));
  const securityGroups = param('security_groups');
  const networkInputs = inputs.filter((i) => i.name.startsWith('network_'));
  const ports = networkInputs.map((i) => {
    const label = i.name.slice('network_'.length);
    const pinned = pools.find((p) => `network_${p.pool.memberSubnet.network.label}` === i.name);
    return ctx.addResource(
      group,
      'OS::Neutron::Port',
      {
        network: param(i.name),
        security_groups: securityGroups,
        fixed_ips: pinned ? [{ subnet: param(`${pinned.label}_subnet`) }] : undefined,
      },
      { suffix: `port_${label}` },
    );
  });
  const ready = readiness && addReadiness(ctx, group, readiness);
  const server = ctx.addResource(
    group,
    'OS::Nova::Server',
    {
      image: param('image'),
      flavor: param('flavor'),
      key_name: names.has('key_name') ? param('key_name') : undefined,
      networks: ports.map((p) => ({ port: { get_resource: p } })),
      scheduler_hints: names.has('nova_server_group') ? { group: param('nova_server_group') } : undefined,
      user_data_format: names.has('user_data') ? 'RAW' : undefined,
      user_data: names.has('user_data') ? (ready ? ready.userData(param('user_data')) : param('user_data')) : undefined,
      metadata: {
        ...metadata,
        [SERVER_GROUP_METADATA]: serverGroup,
        [OWNERSHIP_METADATA.STACK]: param('owner_stack'),
        [OWNERSHIP_METADATA.OWNER]: fitName(group.node.path, NOVA_METADATA_VALUE_MAX_LENGTH),
      },
    },
    { suffix: 'server' },
  );
  // With readiness, a member joins its pools only once its cloud-init has signalled it is ready.
  const waitCondition = ready?.waitFor(server);
  const drain =
    pools.length > 0 && drainSeconds > 0
      ? ctx.addResource(group, 'OS::Heat::Delay', { min_wait: drainSeconds, actions: ['DELETE'] }, { suffix: 'drain', dependsOn: [server] })
      : undefined;
  for (const p of pools) {
    const port = ports[networkInputs.findIndex((i) => i.name === `network_${p.pool.memberSubnet.network.label}`)];
    ctx.addResource(
      group,
      'OS::Octavia::PoolMember',
      {
        pool: param(`${p.label}_pool`),
        address: { get_attr: [port, 'fixed_ips', 0, 'ip_address'] },
        protocol_port: p.port,
        subnet: param(`${p.label}_subnet`),
      },
      { suffix: `member_${p.label}`, dependsOn: [drain ?? server, ...(waitCondition ? [waitCondition] : [])] },
    );
  }
  ctx.addOutput('server_id', { get_resource: server }, 'The member server');
  return server;
}
