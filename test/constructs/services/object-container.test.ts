/**
 * ObjectContainer: a Swift container for shared files; private unless asked; versioning where
 * the target can express it.
 */
import { ObjectContainer } from '../../../src';
import { heatOf, hotResourcesOfType, terraformOf } from '../../util/synth';
import { errorOf, fixture } from './fixture';

/** The default Heat name: joined at create time from the deployed stack's name. */
const HEAT_DEFAULT_NAME = { list_join: ['-', [{ get_param: 'OS::stack_name' }, 'images']] };

describe('an object container', () => {
  test('defaults: private, kept on delete, named after the stack and the construct, in both targets', () => {
    // GIVEN a container with no props
    const f = fixture();
    const c = new ObjectContainer(f.stack, 'Images');
    // WHEN synthesized
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN Heat has a container with no read ACL, named after the deployed Heat stack; Terraform the same, after the Scaleout stack
    expect(hotResourcesOfType(heat.template, 'OS::Swift::Container')).toEqual({
      images: { type: 'OS::Swift::Container', properties: { name: HEAT_DEFAULT_NAME, PurgeOnDelete: false } },
    });
    expect(tf.resources('openstack_objectstorage_container_v1').images).toMatchObject({ name: 'test-images', force_destroy: false });
    expect(tf.resources('openstack_objectstorage_container_v1').images).not.toHaveProperty('container_read');
    expect(tf.resources('openstack_objectstorage_container_v1').images).not.toHaveProperty('versioning');
    expect(c.containerName.describe()).toBe('container name of test/Images');
    expect(c.publicRead).toBe(false);
  });

  test('publicRead sets the .r:* ACL; publicListing adds .rlistings', () => {
    // GIVEN a public container and a public, listable one
    const f = fixture();
    new ObjectContainer(f.stack, 'Assets', { publicRead: true, containerName: 'assets' });
    new ObjectContainer(f.stack, 'Gallery', { publicRead: true, publicListing: true, purgeOnDelete: true });
    // WHEN synthesized
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN the read ACLs are written in both targets
    expect(heat.resources.assets.properties).toEqual({ name: 'assets', 'X-Container-Read': '.r:*', PurgeOnDelete: false });
    expect(heat.resources.gallery.properties).toEqual({ name: { list_join: ['-', [{ get_param: 'OS::stack_name' }, 'gallery']] }, 'X-Container-Read': '.r:*,.rlistings', PurgeOnDelete: true });
    expect(tf.resources('openstack_objectstorage_container_v1').assets.container_read).toBe('.r:*');
    expect(tf.resources('openstack_objectstorage_container_v1').gallery).toMatchObject({ container_read: '.r:*,.rlistings', force_destroy: true });
  });

  test('versioning renders to Terraform and fails clearly on Heat, which cannot express it', () => {
    // GIVEN a versioned container
    const f = fixture();
    new ObjectContainer(f.stack, 'Images', { versioned: true });
    // WHEN synthesized
    // THEN Terraform turns versioning on
    expect(terraformOf(f.stack).resources('openstack_objectstorage_container_v1').images.versioning).toBe(true);
    // AND Heat refuses rather than dropping it
    const e = errorOf(() => heatOf(f.stack));
    expect(e.code).toBe('SO_UNSUPPORTED');
    expect(e.message).toContain("'versioned' cannot be rendered to Heat");
  });

  test('two Heat stacks created from one template get two default containers; Terraform keeps the stack name', () => {
    // GIVEN a purged-on-delete container with the default name, whose name servers and outputs read
    const f = fixture();
    const c = new ObjectContainer(f.stack, 'Images', { purgeOnDelete: true });
    f.stack.addOutput('images_container', { value: c.containerName, description: 'container of generated images' });
    // WHEN synthesized to both targets
    const heat = heatOf(f.stack);
    const tf = terraformOf(f.stack);
    // THEN Heat never bakes the Scaleout stack name in: the name (and the output) come from OS::stack_name
    expect(heat.resources.images.properties!.name).toEqual(HEAT_DEFAULT_NAME);
    expect((heat.template.outputs as any).images_container.value).toEqual(HEAT_DEFAULT_NAME);
    expect(JSON.stringify(heat.template)).not.toContain('test-images');
    // AND Terraform, which has no deployed-stack name, uses '<stackName>-<logical name>'
    expect(tf.resources('openstack_objectstorage_container_v1').images.name).toBe('test-images');
    expect(tf.json.output.images_container.value).toBe('test-images');
  });

  test('the container name can be used in a stack output', () => {
    // GIVEN a container whose name is exported
    const f = fixture();
    const c = new ObjectContainer(f.stack, 'Images', { containerName: 'faafo-images' });
    f.stack.addOutput('images_container', { value: c.containerName, description: 'container of generated images' });
    // WHEN synthesized
    // THEN both outputs hold the name
    expect((heatOf(f.stack).template.outputs as any).images_container.value).toBe('faafo-images');
    expect(terraformOf(f.stack).json.output.images_container.value).toBe('faafo-images');
  });
});

describe('validation', () => {
  test.each<[string, Record<string, unknown>, string, string]>([
    ['a name with a slash', { containerName: 'a/b' }, 'SO_FORMAT', "'containerName' must match any characters but '/'"],
    ['an empty name', { containerName: ' ' }, 'SO_EMPTY', "'containerName' must be a non-empty string"],
    ['a too long name', { containerName: 'x'.repeat(257) }, 'SO_RANGE', "'containerName' must be at most 256"],
    ['listing without public read', { publicListing: true }, 'SO_CONFLICT', "'publicListing' needs publicRead: true"],
    ['a non-boolean flag', { publicRead: 'yes' }, 'SO_FORMAT', "'publicRead' must be true or false"],
  ])('%s is refused', (_what, props, code, fragment) => {
    // GIVEN a stack
    const f = fixture();
    // WHEN the container is created with the bad input
    const e = errorOf(() => new ObjectContainer(f.stack, 'Images', props));
    // THEN the error names the construct, the prop and the rule
    expect(e.code).toBe(code);
    expect(e.message).toContain('test/Images');
    expect(e.message).toContain(fragment);
  });
});
