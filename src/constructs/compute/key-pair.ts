import { fitName, HEAT_STACK_NAME_ALLOWANCE, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { KEY_PAIR_PROPS } from '../prop-specs';
import { Construct, IConstruct } from 'constructs';
import type { ComputeKeypairV2 } from '../../../.gen/providers/openstack/compute-keypair-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { isUnresolved, requireDefined, requireName } from '../../core/validate';
import { L1 } from '../../stacks/terraform/l1';

/** A Nova key pair whose public key servers get for SSH access. */
export interface IKeyPair extends IConstruct {
  /** @internal The key pair name in HOT (a literal, or `get_resource` of a key pair the stack creates). */
  _heatKeyName(ctx: HeatContext): unknown;
  /** @internal The key pair name in Terraform. */
  _terraformKeyName(ctx: TerraformContext): string;
}

/** Properties of a `KeyPair`. */
export interface KeyPairProps {
  /**
   * The OpenSSH public key, one line as in `~/.ssh/id_ed25519.pub`:
   * `<type> <base64 key> [comment]`. Types: ssh-ed25519, ecdsa-sha2-nistp256/384/521,
   * ssh-rsa (2048 bits or more) and their `sk-` security-key variants.
   */
  readonly publicKey: string;
  /**
   * Name of the key pair in Nova (unique per user): letters, digits, `_`, `-` and spaces.
   * @default - '<stack name>-<logical name>' (Heat uses the name the stack was created with)
   */
  readonly keyPairName?: string;
}

/** Key types Nova accepts that OpenSSH still considers safe (ssh-dss is gone since OpenSSH 7.0). */
export const OPENSSH_KEY_TYPES: readonly string[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** Smallest RSA modulus accepted, in bits. */
const MIN_RSA_BITS = 2048;

/** Characters Nova has always accepted in key pair names. */
const KEY_NAME_PATTERN = /^[A-Za-z0-9_ -]+$/;

/**
 * A Nova key pair: one the stack imports from a public key (`new KeyPair(...)`), or an existing
 * one by name (`KeyPair.fromName`). Pass it to `Server`'s `keyPair`.
 *
 * Heat: `OS::Nova::KeyPair` (`name`, `public_key`). Terraform: `openstack_compute_keypair_v2`.
 * The stack never generates a key: a generated private key would end up in the stack's state.
 */
export class KeyPair extends Resource implements IKeyPair {
  /** An existing key pair by name; the stack creates nothing. */
  public static fromName(scope: Construct, id: string, keyPairName: string): IKeyPair {
    return new ImportedKeyPair(scope, id, keyPairName);
  }

  /** The public key. */
  public readonly publicKey: string;
  private readonly keyPairName?: string;

  constructor(scope: Construct, id: string, keyProps: KeyPairProps) {
    super(scope, id);
    const props = checkProps(this, keyProps, KEY_PAIR_PROPS, { fix: "pass { publicKey: '<one line of ~/.ssh/id_ed25519.pub>' }" });
    requireDefined(this, 'publicKey', props.publicKey, "paste the one line of your '~/.ssh/id_ed25519.pub'");
    validatePublicKey(this, 'publicKey', props.publicKey);
    requireName(this, 'keyPairName', props.keyPairName, { pattern: KEY_NAME_PATTERN, patternText: 'letters, digits, underscores, dashes and spaces' });
    this.publicKey = props.publicKey.trim();
    this.keyPairName = props.keyPairName;
  }

  public _heatKeyName(ctx: HeatContext): unknown {
    return ctx.ref(this); // a key pair's resource id is its name
  }

  public _terraformKeyName(ctx: TerraformContext): string {
    return ctx.handleOf<ComputeKeypairV2>(this).name;
  }

  public _toHeat(ctx: HeatContext): void {
    ctx.addResource(this, 'OS::Nova::KeyPair', {
      name: this.keyPairName ?? { list_join: ['-', [{ get_param: 'OS::stack_name' }, fitName(ctx.logicalId(this), SERVICE_NAME_MAX_LENGTH - 1 - HEAT_STACK_NAME_ALLOWANCE)]] },
      public_key: this.publicKey,
    });
  }

  public _toTerraform(ctx: TerraformContext): ComputeKeypairV2 {
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.ComputeKeypairV2(ctx.scope, name, {
        name: this.keyPairName ?? fitName(`${Stack.of(this).stackName}-${name}`, SERVICE_NAME_MAX_LENGTH),
        publicKey: this.publicKey,
      }),
      name,
    );
  }
}

class ImportedKeyPair extends Resource implements IKeyPair {
  constructor(
    scope: Construct,
    id: string,
    private readonly keyPairName: string,
  ) {
    super(scope, id);
    requireDefined(this, 'keyPairName', keyPairName, 'give the name of an existing Nova key pair');
    requireName(this, 'keyPairName', keyPairName);
  }

  public _heatKeyName(): unknown {
    return this.keyPairName;
  }

  public _terraformKeyName(): string {
    return this.keyPairName;
  }

  public _toHeat(): void {}

  public _toTerraform(): unknown {
    return undefined;
  }
}

/** Reads one SSH wire-format string (uint32 length + bytes) at `offset`. */
function readSshString(buf: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(offset);
  if (offset + 4 + len > buf.length) return undefined;
  return { value: buf.subarray(offset + 4, offset + 4 + len), next: offset + 4 + len };
}

/**
 * Throws unless `key` is one OpenSSH public key line whose base64 body really is a key of the
 * type it names (and, for RSA, at least 2048 bits). Refuses anything that looks like a private key.
 */
export function validatePublicKey(scope: IConstruct, prop: string, key: string): void {
  if (isUnresolved(key)) return;
  const fix = "paste the single line of a '.pub' file, e.g. 'ssh-ed25519 AAAAC3Nz... you@host'";
  if (typeof key !== 'string' || key.trim() === '') {
    throw propError(scope, ErrorCode.EMPTY, prop, key, 'must be an OpenSSH public key', fix);
  }
  if (/PRIVATE KEY/.test(key)) {
    throw propError(scope, ErrorCode.INSECURE, prop, '<redacted private key>', 'is a private key, which must never go into a template', `keep it secret and ${fix}`);
  }
  const text = key.trim();
  if (/[\r\n]/.test(text)) {
    throw propError(scope, ErrorCode.FORMAT, prop, text, 'must be a single line', fix);
  }
  const [type, body] = text.split(/\s+/);
  if (!OPENSSH_KEY_TYPES.includes(type)) {
    throw propError(scope, ErrorCode.FORMAT, prop, text, `must start with one of ${OPENSSH_KEY_TYPES.join(', ')}`, fix);
  }
  const blob = body !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64') : undefined;
  const name = blob && readSshString(blob, 0);
  if (!blob || !name || name.value.toString('latin1') !== type) {
    throw propError(scope, ErrorCode.FORMAT, prop, text, `must have a base64 body holding a ${type} key`, fix);
  }
  if (type === 'ssh-rsa') {
    const exponent = readSshString(blob, name.next);
    const modulus = exponent && readSshString(blob, exponent.next);
    if (!modulus) throw propError(scope, ErrorCode.FORMAT, prop, text, 'must have a base64 body holding an ssh-rsa key', fix);
    let bytes = modulus.value;
    while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
    const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + Math.floor(Math.log2(bytes[0])) + 1;
    if (bits < MIN_RSA_BITS) {
      throw propError(scope, ErrorCode.INSECURE, prop, `ssh-rsa (${bits} bits)`, `must be an RSA key of at least ${MIN_RSA_BITS} bits`, 'generate a new key: ssh-keygen -t ed25519');
    }
  }
}
