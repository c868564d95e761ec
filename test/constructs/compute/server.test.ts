/**
 * Server: ports, image/flavor, key, security groups and metadata (existing behaviour), boot from
 * volume, and its role as a floating IP target. Key pairs and server groups have their own files.
 */
import { App, Flavor, Image, Network, SecurityGroup, Server, ServerProps, Stack } from '../../../src';
import { Match } from '../../../src/assertions';
import { validatedTemplates } from '../../assertions/fixture';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const server = (props: Partial<ServerProps> = {}) =>
    new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small'), networks: [net], ...props });
  return { stack, net, server };
}

describe('existing server behaviour', () => {
  test('Heat: one port per network with the security groups, the server boots the image from its flavor disk', () => {
    // GIVEN a server on two networks with a key name and a security group
    const { stack, net, server } = fresh();
    const sg = new SecurityGroup(stack, 'Sg');
    server({ networks: [net, Network.fromId(stack, 'Admin', 'admin-uuid')], keyName: 'ops', securityGroups: [sg], metadata: { role: 'web' } });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN ports are named after the networks and the server keeps image, flavor, key and metadata
    expect(Object.keys(hotResourcesOfType(heat.template, 'OS::Neutron::Port'))).toEqual(['web_port_net', 'web_port_admin']);
    expect(heat.resources.web_port_admin.properties).toEqual({ network: 'admin-uuid', security_groups: [{ get_resource: 'sg' }] });
    const props = heat.resources.web.properties!;
    expect(props).toMatchObject({ name: 'web', image: 'ubuntu-22.04', flavor: 'm1.small', key_name: 'ops' });
    expect(props.block_device_mapping_v2).toBeUndefined();
    expect(props.networks).toEqual([{ port: { get_resource: 'web_port_net' } }, { port: { get_resource: 'web_port_admin' } }]);
    expect(props.metadata).toEqual({ role: 'web', scaleout_stack: { get_param: 'OS::stack_name' }, scaleout_owner: 'test/Web' });
  });

  test('Terraform: ports and an instance with image name, flavor and key', () => {
    // GIVEN a server with a key name and its default security group
    const { stack, server } = fresh();
    server({ keyName: 'ops' });
    // WHEN synthesized to Terraform
    const { terraform } = validatedTemplates(stack);
    // THEN the port carries the default group and the instance the image name, no block device
    terraform.hasResourceProperties('openstack_networking_port_v2', {
      network_id: '${data.openstack_networking_network_v2.net.id}',
      security_group_ids: ['${openstack_networking_secgroup_v2.web_security_group.id}'],
    });
    terraform.resourceCountIs('openstack_compute_instance_v2', 1);
    terraform.hasResourceProperties('openstack_compute_instance_v2', {
      name: 'web',
      image_name: 'ubuntu-22.04',
      flavor_name: 'm1.small',
      key_pair: 'ops',
      block_device: Match.absent(),
      network: [{ port: '${openstack_networking_port_v2.web_port_net.id}' }],
    });
  });

  test('privateIp reads the first port in Heat and the instance address in Terraform', () => {
    // GIVEN the server's private IP as an output
    const { stack, server } = fresh();
    stack.addOutput('web_ip', { value: server().privateIp, description: 'private address' });
    // WHEN synthesized THEN each target reads it its way
    const { heat, terraform } = validatedTemplates(stack);
    heat.hasOutput('web_ip', { value: Match.exact({ get_attr: ['web_port_net', 'fixed_ips', 0, 'ip_address'] }) });
    terraform.hasOutput('web_ip', { value: '${openstack_compute_instance_v2.web.access_ip_v4}' });
  });

  test.each([
    ['no networks', { networks: [] }, 'SO_REQUIRED', "test/Web: 'networks' must list at least one network"],
    ['an empty key name', { keyName: '' }, 'SO_EMPTY', "'keyName' must be a non-empty string"],
    ['a reserved metadata key', { metadata: { scaleout_stack: 'x' } }, 'SO_CONFLICT', "'metadata.scaleout_stack' is reserved for Scaleout ownership metadata"],
  ])('%s is refused', (_name, override, code, fragment) => {
    const { server } = fresh();
    const err = errorOf(() => server(override as Partial<ServerProps>));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });
});

describe('boot volume', () => {
  test('Heat: block_device_mapping_v2 from the image, boot_index 0, no top-level image', () => {
    // GIVEN a server booting from a 20 GiB volume
    const { stack, server } = fresh();
    server({ bootVolume: { sizeGiB: 20 } });
    // WHEN synthesized to HOT
    const props = heatOf(stack).resources.web.properties!;
    // THEN the image is written to a volume deleted with the server
    expect(props.image).toBeUndefined();
    expect(props.block_device_mapping_v2).toEqual([{ image: 'ubuntu-22.04', volume_size: 20, boot_index: 0, delete_on_termination: true }]);
  });

  test('Terraform: a block_device from the image id looked up by name, no top-level image', () => {
    // GIVEN the same server
    const { stack, server } = fresh();
    server({ bootVolume: { sizeGiB: 20, deleteOnTermination: false } });
    // WHEN synthesized to Terraform
    const tf = terraformOf(stack);
    // THEN the image id comes from a data source by name
    expect(tf.json.data.openstack_images_image_v2.web_image).toMatchObject({ name: 'ubuntu-22.04' });
    const instance = tf.resources('openstack_compute_instance_v2').web;
    expect(instance.image_name).toBeUndefined();
    expect(instance.image_id).toBeUndefined();
    expect(instance.block_device).toEqual([
      {
        source_type: 'image',
        destination_type: 'volume',
        boot_index: 0,
        uuid: '${data.openstack_images_image_v2.web_image.id}',
        volume_size: 20,
        delete_on_termination: false,
      },
    ]);
  });

  test('an image given by id needs no lookup', () => {
    const { stack, server } = fresh();
    server({ image: Image.fromId('image-uuid'), bootVolume: { sizeGiB: 10 } });
    const tf = terraformOf(stack);
    expect(tf.json.data?.openstack_images_image_v2).toBeUndefined();
    expect(tf.resources('openstack_compute_instance_v2').web.block_device[0].uuid).toBe('image-uuid');
    expect(heatOf(stack).resources.web.properties!.block_device_mapping_v2[0].image).toBe('image-uuid');
  });

  test('a volume type: Terraform puts it on the block device; Heat makes an OS::Cinder::Volume (its mapping has no type)', () => {
    // GIVEN a typed boot volume that outlives the server
    const { stack, server } = fresh();
    server({ bootVolume: { sizeGiB: 40, volumeType: 'ssd', deleteOnTermination: false } });
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN Heat creates the volume from the image, retained like Terraform's, and boots from it
    expect(heat.resources.web_boot_volume).toEqual({
      type: 'OS::Cinder::Volume',
      properties: { image: 'ubuntu-22.04', size: 40, volume_type: 'ssd' },
      deletion_policy: 'Retain',
    });
    expect(heat.resources.web.properties!.block_device_mapping_v2).toEqual([{ volume_id: { get_resource: 'web_boot_volume' }, boot_index: 0, delete_on_termination: false }]);
    expect(heat.resources.web.properties!.image).toBeUndefined();
    // AND Terraform writes the type on the block device
    expect(tf.resources('openstack_compute_instance_v2').web.block_device[0]).toMatchObject({ volume_type: 'ssd', volume_size: 40, delete_on_termination: false });
  });

  test('a typed volume deleted with the server has no deletion policy in Heat', () => {
    const { stack, server } = fresh();
    server({ bootVolume: { sizeGiB: 40, volumeType: 'ssd' } });
    const heat = heatOf(stack);
    expect(heat.resources.web_boot_volume).not.toHaveProperty('deletion_policy');
    expect(heat.resources.web.properties!.block_device_mapping_v2[0].delete_on_termination).toBe(true);
  });

  test.each([
    ['no size', { sizeGiB: undefined }, 'SO_REQUIRED', "test/Web: 'bootVolume.sizeGiB' is required"],
    ['size 0', { sizeGiB: 0 }, 'SO_RANGE', "'bootVolume.sizeGiB' must be between 1 and 16384 GiB, got 0"],
    ['size 16385', { sizeGiB: 16385 }, 'SO_RANGE', "'bootVolume.sizeGiB' must be between 1 and 16384 GiB, got 16385"],
    ['a fractional size', { sizeGiB: 2.5 }, 'SO_RANGE', "'bootVolume.sizeGiB' must be an integer between 1 and 16384 GiB"],
    ['an empty volume type', { sizeGiB: 10, volumeType: '' }, 'SO_EMPTY', "'bootVolume.volumeType' must be a non-empty string"],
  ])('%s is refused', (_name, bootVolume, code, fragment) => {
    const { server } = fresh();
    const err = errorOf(() => server({ bootVolume: bootVolume as never }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });
});
