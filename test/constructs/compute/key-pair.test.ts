/**
 * KeyPair: imported from an OpenSSH public key (validated) or referenced by name, and used by a
 * Server through `keyPair`.
 */
import { generateKeyPairSync } from 'crypto';
import { App, Flavor, Image, KeyPair, Network, Server, Stack } from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { errorOf } from '../../util/errors';

/** SSH wire format: each field as a uint32 length and its bytes. */
function wire(...fields: Array<string | Buffer>): string {
  return Buffer.concat(
    fields.flatMap((f) => {
      const b = typeof f === 'string' ? Buffer.from(f, 'latin1') : f;
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      return [len, b];
    }),
  ).toString('base64');
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function mpint(b64url: string): Buffer {
  const b = Buffer.from(b64url, 'base64url');
  return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
}

function ed25519Key(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return `ssh-ed25519 ${wire('ssh-ed25519', Buffer.from(jwk.x!, 'base64url'))} alice@laptop`;
}

function rsaKey(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  return `ssh-rsa ${wire('ssh-rsa', mpint(jwk.e!), mpint(jwk.n!))}`;
}

const ED25519 = ed25519Key();

function fresh() {
  const app = new App();
  const stack = new Stack(app, 'test');
  const net = Network.fromName(stack, 'Net', 'private');
  const server = (props: Partial<ConstructorParameters<typeof Server>[2]>) =>
    new Server(stack, 'Web', { image: Image.fromName('ubuntu-22.04'), flavor: Flavor.fromName('m1.small'), networks: [net], ...props });
  return { stack, server };
}

describe('a key pair imported from a public key', () => {
  test('Heat: OS::Nova::KeyPair named after the stack, and the server names it by get_resource', () => {
    // GIVEN a key pair and a server using it
    const { stack, server } = fresh();
    const key = new KeyPair(stack, 'Deploy', { publicKey: `  ${ED25519}\n` });
    server({ keyPair: key });
    // WHEN synthesized to HOT
    const heat = heatOf(stack);
    // THEN the key pair carries the trimmed public key and a per-stack name
    expect(heat.resources.deploy).toEqual({
      type: 'OS::Nova::KeyPair',
      properties: { name: { list_join: ['-', [{ get_param: 'OS::stack_name' }, 'deploy']] }, public_key: ED25519 },
    });
    expect(heat.resources.web.properties!.key_name).toEqual({ get_resource: 'deploy' });
  });

  test('Terraform: openstack_compute_keypair_v2, and the server names it by reference', () => {
    // GIVEN a key pair with an explicit name and a server using it
    const { stack, server } = fresh();
    server({ keyPair: new KeyPair(stack, 'Deploy', { publicKey: ED25519, keyPairName: 'deploy key' }) });
    // WHEN synthesized to Terraform
    const tf = terraformOf(stack);
    // THEN the key pair is created and referenced
    expect(tf.resources('openstack_compute_keypair_v2').deploy).toMatchObject({ name: 'deploy key', public_key: ED25519 });
    expect(tf.resources('openstack_compute_instance_v2').web.key_pair).toBe('${openstack_compute_keypair_v2.deploy.name}');
  });

  test('the default Terraform name is <stack>-<logical name>', () => {
    const { stack } = fresh();
    new KeyPair(stack, 'Deploy', { publicKey: ED25519 });
    expect(terraformOf(stack).resources('openstack_compute_keypair_v2').deploy.name).toBe('test-deploy');
  });

  test('a 2048-bit RSA key is accepted', () => {
    // GIVEN a 2048-bit RSA key WHEN a key pair is made THEN it is kept as given
    const { stack } = fresh();
    const rsa = rsaKey(2048);
    expect(new KeyPair(stack, 'Rsa', { publicKey: rsa }).publicKey).toBe(rsa);
  });
});

describe('an existing key pair by name', () => {
  test('creates nothing; the server names it literally in both targets', () => {
    // GIVEN a server using a key pair by name
    const { stack, server } = fresh();
    server({ keyPair: KeyPair.fromName(stack, 'Ops', 'ops-key') });
    // WHEN both targets are synthesized
    const heat = heatOf(stack);
    const tf = terraformOf(stack);
    // THEN no key pair resource exists and the name is passed as is
    expect(Object.values(heat.resources).filter((r) => r.type === 'OS::Nova::KeyPair')).toEqual([]);
    expect(heat.resources.web.properties!.key_name).toBe('ops-key');
    expect(tf.resources('openstack_compute_keypair_v2')).toEqual({});
    expect(tf.resources('openstack_compute_instance_v2').web.key_pair).toBe('ops-key');
  });
});

describe('key pair validation', () => {
  const body = ED25519.split(' ')[1];
  test.each([
    ['no key', undefined, 'SO_REQUIRED', "test/Key: 'publicKey' is required"],
    ['an empty key', '  ', 'SO_EMPTY', "'publicKey' must be an OpenSSH public key"],
    ['an unknown type', `ssh-dss ${body}`, 'SO_FORMAT', "'publicKey' must start with one of ssh-ed25519, ecdsa-sha2-nistp256"],
    ['a PEM public key', '-----BEGIN PUBLIC KEY-----', 'SO_FORMAT', "'publicKey' must start with one of"],
    ['two lines', `${ED25519}\n${ED25519}`, 'SO_FORMAT', "'publicKey' must be a single line"],
    ['no body', 'ssh-ed25519', 'SO_FORMAT', "'publicKey' must have a base64 body holding a ssh-ed25519 key"],
    ['a body that is not base64', 'ssh-ed25519 not*base64', 'SO_FORMAT', 'must have a base64 body'],
    ['a body of another type', `ssh-rsa ${body}`, 'SO_FORMAT', "'publicKey' must have a base64 body holding a ssh-rsa key"],
    ['a truncated body', `ssh-ed25519 ${body.slice(0, 12)}`, 'SO_FORMAT', 'must have a base64 body holding a ssh-ed25519 key'],
  ])('%s is refused', (_name, publicKey, code, fragment) => {
    const { stack } = fresh();
    const err = errorOf(() => new KeyPair(stack, 'Key', { publicKey: publicKey as string }));
    expect(err.code).toBe(code);
    expect(err.message).toContain(fragment);
  });

  test('a private key is refused without echoing it', () => {
    // GIVEN a private key pasted by mistake WHEN a key pair is made THEN it throws INSECURE and hides the key
    const { stack } = fresh();
    const secret = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const err = errorOf(() => new KeyPair(stack, 'Key', { publicKey: secret }));
    expect(err.code).toBe('SO_INSECURE');
    expect(err.message).toContain("'publicKey' is a private key, which must never go into a template, got \"<redacted private key>\"");
    expect(err.message).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });

  test('an RSA key under 2048 bits is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new KeyPair(stack, 'Key', { publicKey: rsaKey(1024) }));
    expect(err.code).toBe('SO_INSECURE');
    expect(err.message).toContain("'publicKey' must be an RSA key of at least 2048 bits, got \"ssh-rsa (1024 bits)\"; generate a new key: ssh-keygen -t ed25519");
  });

  test('a key pair name with characters Nova refuses is refused', () => {
    const { stack } = fresh();
    const err = errorOf(() => new KeyPair(stack, 'Key', { publicKey: ED25519, keyPairName: 'ops/key' }));
    expect(err.code).toBe('SO_FORMAT');
    expect(err.message).toContain("'keyPairName' must match letters, digits, underscores, dashes and spaces");
  });

  test('KeyPair.fromName refuses an empty name', () => {
    const { stack } = fresh();
    const err = errorOf(() => KeyPair.fromName(stack, 'Key', ''));
    expect(err.code).toBe('SO_EMPTY');
    expect(err.message).toContain("test/Key: 'keyPairName' must be a non-empty string");
  });

  test("a server given both 'keyName' and 'keyPair' is refused", () => {
    // GIVEN a key pair WHEN a server gets it and a key name THEN it throws CONFLICT
    const { stack, server } = fresh();
    const key = KeyPair.fromName(stack, 'Ops', 'ops-key');
    const err = errorOf(() => server({ keyName: 'other', keyPair: key }));
    expect(err.code).toBe('SO_CONFLICT');
    expect(err.message).toContain("test/Web: 'keyPair' cannot be given together with 'keyName'");
  });
});
