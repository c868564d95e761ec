/**
 * VirtualNetwork (network + subnet + router to an external network) and the imports
 * Network.fromName/fromId and Subnet.fromId/fromName, in both targets.
 */
import { App, Flavor, Image, INetwork, Network, Server, Stack, Subnet, VirtualNetwork, VirtualNetworkProps } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  return { app, stack };
}

const BASE: VirtualNetworkProps = { externalNetworkName: 'public', cidr: '10.0.0.0/24' };

function serverOn(stack: Stack, ...networks: INetwork[]) {
  return new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small'), networks });
}

describe('VirtualNetwork, Heat target', () => {
  test('renders a network, a subnet, a router on the external network and the router interface', () => {
    // GIVEN a virtual network with every subnet option
    const { stack } = fresh();
    new VirtualNetwork(stack, 'AppNet', {
      ...BASE,
      networkName: 'app',
      dnsNameservers: ['9.9.9.9', '1.1.1.1'],
      gatewayIp: '10.0.0.254',
      enableDhcp: false,
      allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }, { start: '10.0.0.100', end: '10.0.0.200' }],
    });
    // WHEN it is synthesized to HOT
    const heat = heatOf(stack);
    // THEN the four resources carry the props, wired by get_resource
    expect(Object.keys(heat.resources)).toEqual(['app_net', 'app_net_subnet', 'app_net_router', 'app_net_router_interface']);
    expect(heat.resources.app_net).toEqual({ type: 'OS::Neutron::Net', properties: { name: 'app' } });
    expect(heat.resources.app_net_subnet).toEqual({
      type: 'OS::Neutron::Subnet',
      properties: {
        name: 'app-subnet',
        network: { get_resource: 'app_net' },
        ip_version: 4,
        cidr: '10.0.0.0/24',
        gateway_ip: '10.0.0.254',
        enable_dhcp: false,
        dns_nameservers: ['9.9.9.9', '1.1.1.1'],
        allocation_pools: [
          { start: '10.0.0.10', end: '10.0.0.99' },
          { start: '10.0.0.100', end: '10.0.0.200' },
        ],
      },
    });
    expect(heat.resources.app_net_router.properties).toEqual({ name: 'app-router', external_gateway_info: { network: 'public' } });
    expect(heat.resources.app_net_router_interface.properties).toEqual({ router: { get_resource: 'app_net_router' }, subnet: { get_resource: 'app_net_subnet' } });
  });

  test('defaults: names from the logical name, DHCP on, Neutron picks gateway and pools', () => {
    // GIVEN a virtual network with only the required props
    const { stack } = fresh();
    new VirtualNetwork(stack, 'AppNet', BASE);
    // WHEN it is synthesized
    const subnet = heatOf(stack).resources.app_net_subnet.properties!;
    // THEN nothing optional is written but DHCP
    expect(subnet).toEqual({ name: 'app_net-subnet', network: { get_resource: 'app_net' }, ip_version: 4, cidr: '10.0.0.0/24', enable_dhcp: true });
  });

  test("a server's port attaches to the created network", () => {
    // GIVEN a server on the virtual network
    const { stack } = fresh();
    const vnet = new VirtualNetwork(stack, 'AppNet', BASE);
    serverOn(stack, vnet.network);
    // WHEN it is synthesized THEN the port names the network by get_resource, after the network's label
    const port = hotResourcesOfType(heatOf(stack).template, 'OS::Neutron::Port').web_port_app_net;
    expect(port.properties!.network).toEqual({ get_resource: 'app_net' });
    expect(vnet.network.label).toBe('app_net');
    expect(vnet.subnet.network).toBe(vnet.network);
  });
});

describe('VirtualNetwork, Terraform target', () => {
  test('renders network, subnet, router (external network id from a data source by name) and interface', () => {
    // GIVEN a virtual network with DNS servers and a pool
    const { stack } = fresh();
    new VirtualNetwork(stack, 'AppNet', { ...BASE, dnsNameservers: ['9.9.9.9'], gatewayIp: '10.0.0.1', allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }] });
    // WHEN it is synthesized to Terraform
    const tf = terraformOf(stack);
    // THEN the external network is looked up by name and marked external
    expect(tf.json.data.openstack_networking_network_v2.app_net_external_network).toMatchObject({ name: 'public', external: true });
    expect(tf.resources('openstack_networking_network_v2').app_net).toMatchObject({ name: 'app_net', admin_state_up: true });
    expect(tf.resources('openstack_networking_subnet_v2').app_net_subnet).toMatchObject({
      name: 'app_net-subnet',
      network_id: '${openstack_networking_network_v2.app_net.id}',
      ip_version: 4,
      cidr: '10.0.0.0/24',
      gateway_ip: '10.0.0.1',
      enable_dhcp: true,
      dns_nameservers: ['9.9.9.9'],
      allocation_pool: [{ start: '10.0.0.10', end: '10.0.0.99' }],
    });
    expect(tf.resources('openstack_networking_router_v2').app_net_router).toMatchObject({
      name: 'app_net-router',
      external_network_id: '${data.openstack_networking_network_v2.app_net_external_network.id}',
    });
    expect(tf.resources('openstack_networking_router_interface_v2').app_net_router_interface).toMatchObject({
      router_id: '${openstack_networking_router_v2.app_net_router.id}',
      subnet_id: '${openstack_networking_subnet_v2.app_net_subnet.id}',
    });
  });

  test("a server's port waits for the subnet and the router interface, in both targets", () => {
    // GIVEN a server on the virtual network
    const { stack } = fresh();
    const vnet = new VirtualNetwork(stack, 'AppNet', BASE);
    serverOn(stack, vnet.network);
    // WHEN it is synthesized THEN the port is on the network and depends on subnet and interface
    const port = terraformOf(stack).resources('openstack_networking_port_v2').web_port_app_net;
    expect(port.network_id).toBe('${openstack_networking_network_v2.app_net.id}');
    expect(port.depends_on).toEqual(['openstack_networking_subnet_v2.app_net_subnet', 'openstack_networking_router_interface_v2.app_net_router_interface']);
    // Heat infers the subnet but not the router interface, which first boot (package installs) needs
    expect(heatOf(stack).resources.web_port_app_net.depends_on).toEqual(['app_net_subnet', 'app_net_router_interface']);
  });

  test('ports on an imported network wait for nothing', () => {
    const { stack } = fresh();
    serverOn(stack, Network.fromName(stack, 'Existing', 'private'));
    expect(heatOf(stack).resources.web_port_existing).not.toHaveProperty('depends_on');
    expect(terraformOf(stack).resources('openstack_networking_port_v2').web_port_existing).not.toHaveProperty('depends_on');
  });
});

describe('imported networks and subnets create nothing', () => {
  test('Network.fromId and fromName: a literal in Heat; an id or a data source in Terraform', () => {
    // GIVEN a server on a network by id and one by name
    const { stack } = fresh();
    serverOn(stack, Network.fromId(stack, 'ById', 'net-uuid'), Network.fromName(stack, 'ByName', 'private'));
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN Heat names them literally and Terraform looks only the named one up
    expect(heat.resources.web_port_by_id.properties!.network).toBe('net-uuid');
    expect(heat.resources.web_port_by_name.properties!.network).toBe('private');
    expect(tf.resources('openstack_networking_port_v2').web_port_by_id.network_id).toBe('net-uuid');
    expect(tf.resources('openstack_networking_port_v2').web_port_by_name.network_id).toBe('${data.openstack_networking_network_v2.by_name.id}');
    expect(Object.keys(tf.json.data.openstack_networking_network_v2)).toEqual(['by_name']);
  });

  test('Subnet.fromName looks the subnet up within its network in Terraform and adds nothing to Heat', () => {
    // GIVEN a subnet imported by name on a named network
    const { stack } = fresh();
    const net = Network.fromName(stack, 'Net', 'private');
    const subnet = Subnet.fromName(stack, 'Sub', 'private-subnet', net);
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN Heat has no resource, Terraform a data source filtered by name and network
    expect(heat.resources).toEqual({});
    expect(tf.json.data.openstack_networking_subnet_v2.sub).toMatchObject({ name: 'private-subnet', network_id: '${data.openstack_networking_network_v2.net.id}' });
    expect(subnet.network).toBe(net);
    expect(subnet.label).toBe('sub');
  });

  test('Subnet.fromId with its network needs no lookup at all', () => {
    // GIVEN a subnet by id with its network by id
    const { stack } = fresh();
    Subnet.fromId(stack, 'Sub', 'subnet-uuid', Network.fromId(stack, 'Net', 'net-uuid'));
    // WHEN synthesized to Terraform THEN no data source is declared
    expect(terraformOf(stack).json.data).toBeUndefined();
  });

  test('Subnet.fromId without its network: Terraform reads the network from the subnet', () => {
    // GIVEN a server on the network of a subnet imported by id alone
    const { stack } = fresh();
    const subnet = Subnet.fromId(stack, 'Sub', 'subnet-uuid');
    serverOn(stack, subnet.network);
    // WHEN synthesized to Terraform THEN a data source by subnet id gives the network id
    const tf = terraformOf(stack);
    expect(tf.json.data.openstack_networking_subnet_v2.sub).toMatchObject({ subnet_id: 'subnet-uuid' });
    expect(tf.resources('openstack_networking_port_v2').web_port_sub.network_id).toBe('${data.openstack_networking_subnet_v2.sub.network_id}');
  });

  test('Subnet.fromId without its network: Heat refuses, saying how to pass it', () => {
    // GIVEN the same server
    const { stack } = fresh();
    serverOn(stack, Subnet.fromId(stack, 'Sub', 'subnet-uuid').network);
    // WHEN synthesized to HOT THEN it throws UNSUPPORTED
    const err = errorOf(() => heatOf(stack));
    expect(err.code).toBe('SO_UNSUPPORTED');
    expect(err.message).toContain("test/Sub: 'network' is unknown: Heat cannot look up the network of an existing subnet; pass it");
  });

  test.each([
    ['an empty subnet id', (s: Stack) => Subnet.fromId(s, 'Sub', ''), "'subnetId' must be a non-empty string"],
    ['an empty subnet name', (s: Stack) => Subnet.fromName(s, 'Sub', ' '), "'subnetName' must be a non-empty string"],
  ])('%s is refused', (_name, make, fragment) => {
    const { stack } = fresh();
    const err = errorOf(() => make(stack));
    expect(err.code).toBe('SO_EMPTY');
    expect(err.message).toContain(fragment);
  });
});

describe('VirtualNetwork validation', () => {
  test.each<[string, Partial<VirtualNetworkProps>, string, string]>([
    ['no external network', { externalNetworkName: undefined }, 'SO_REQUIRED', "test/Net: 'externalNetworkName' is required, got undefined"],
    ['an empty external network', { externalNetworkName: '' }, 'SO_EMPTY', "'externalNetworkName' must be a non-empty string"],
    ['no CIDR', { cidr: undefined }, 'SO_REQUIRED', "'cidr' is required"],
    ['a malformed CIDR', { cidr: '10.0.0.0/33' }, 'SO_FORMAT', "'cidr' must be an IPv4 CIDR block with no host bits set, got \"10.0.0.0/33\""],
    ['host bits in the CIDR', { cidr: '10.0.0.1/24' }, 'SO_FORMAT', "'cidr' must be an IPv4 CIDR block"],
    ['an IPv6 CIDR', { cidr: '2001:db8::/64' }, 'SO_FORMAT', "'cidr' must be an IPv4 CIDR block"],
    ['a /30', { cidr: '10.0.0.0/30' }, 'SO_RANGE', "'cidr' must have a prefix between /8 and /29, got \"10.0.0.0/30\""],
    ['a /7', { cidr: '10.0.0.0/7' }, 'SO_RANGE', "'cidr' must have a prefix between /8 and /29"],
    ['an empty network name', { networkName: '' }, 'SO_EMPTY', "'networkName' must be a non-empty string"],
    ['a bad DNS server', { dnsNameservers: ['1.1.1.1', '8.8.8'] }, 'SO_FORMAT', "'dnsNameservers[1]' must be an IPv4 or IPv6 address, got \"8.8.8\""],
    ['six DNS servers', { dnsNameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4', '9.9.9.9', '149.112.112.112'] }, 'SO_RANGE', "'dnsNameservers' must list at most 5 items"],
    ['a malformed gateway', { gatewayIp: '10.0.0.300' }, 'SO_FORMAT', "'gatewayIp' must be an IPv4 or IPv6 address"],
    ['a gateway outside the CIDR', { gatewayIp: '10.0.1.1' }, 'SO_CONFLICT', "'gatewayIp' must be an IPv4 host address inside 10.0.0.0/24, got \"10.0.1.1\""],
    ['the network address as gateway', { gatewayIp: '10.0.0.0' }, 'SO_CONFLICT', "'gatewayIp' must be an IPv4 host address inside"],
    ['the broadcast address as gateway', { gatewayIp: '10.0.0.255' }, 'SO_CONFLICT', "'gatewayIp' must be an IPv4 host address inside"],
    ['a pool without end', { allocationPools: [{ start: '10.0.0.10' } as never] }, 'SO_REQUIRED', "'allocationPools[0].end' is required"],
    ['a malformed pool address', { allocationPools: [{ start: '10.0.0.x', end: '10.0.0.20' }] }, 'SO_FORMAT', "'allocationPools[0].start' must be an IPv4 address"],
    ['a pool outside the CIDR', { allocationPools: [{ start: '10.0.0.10', end: '10.0.1.20' }] }, 'SO_CONFLICT', "'allocationPools[0].end' must be a host address inside 10.0.0.0/24"],
    ['a reversed pool', { allocationPools: [{ start: '10.0.0.50', end: '10.0.0.20' }] }, 'SO_CONFLICT', "'allocationPools[0]' must start at or before its end, got \"10.0.0.50-10.0.0.20\""],
    ['a pool holding the default gateway', { allocationPools: [{ start: '10.0.0.1', end: '10.0.0.20' }] }, 'SO_CONFLICT', "'allocationPools[0]' must not hold the gateway"],
    ['a pool holding the given gateway', { gatewayIp: '10.0.0.15', allocationPools: [{ start: '10.0.0.10', end: '10.0.0.20' }] }, 'SO_CONFLICT', 'must not hold the gateway 10.0.0.15'],
    [
      'overlapping pools',
      { allocationPools: [{ start: '10.0.0.10', end: '10.0.0.50' }, { start: '10.0.0.40', end: '10.0.0.60' }] },
      'SO_CONFLICT',
      "'allocationPools[1]' must not overlap allocationPools[0] (10.0.0.10-10.0.0.50)",
    ],
  ])('%s is refused', (_name, override, code, fragment) => {
    // GIVEN a stack WHEN a virtual network gets the bad prop THEN it throws with the code and the message
    const { stack } = fresh();
    const err = errorOf(() => new VirtualNetwork(stack, 'Net', { ...BASE, ...override } as VirtualNetworkProps));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test('a gateway at the end of the block with pools before it is accepted', () => {
    // GIVEN a gateway outside the pools WHEN constructed THEN nothing throws and both targets validate
    const { stack } = fresh();
    new VirtualNetwork(stack, 'Net', { ...BASE, gatewayIp: '10.0.0.254', allocationPools: [{ start: '10.0.0.1', end: '10.0.0.253' }] });
    expect(heatOf(stack).resources.net_subnet.properties!.gateway_ip).toBe('10.0.0.254');
    expect(terraformOf(stack).resources('openstack_networking_subnet_v2').net_subnet.gateway_ip).toBe('10.0.0.254');
  });
});
