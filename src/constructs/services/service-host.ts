import { Construct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { requireConstructOf, requireName } from '../../core/validate';
import type { Value } from '../../core/value';
import { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import type { IServerGroup } from '../compute/server-group';
import { Server, validateImageAndFlavor, validateNetworks } from '../compute/server';
import { CloudConfig, UserData } from '../compute/user-data';
import type { INetwork } from '../network/network';
import type { ISecurityGroup } from '../network/security-group';

/**
 * Where a service runs when it has a server of its own: the props that `Database` (on a
 * server), `MessageQueue` and `Cache` share. The image must be a Debian or Ubuntu cloud image
 * with cloud-init (the services are installed with apt at first boot).
 */
export interface ServiceHostProps {
  /** The image to boot (Debian or Ubuntu with cloud-init). */
  readonly image: Image;
  /** The flavor of the service's server(s). */
  readonly flavor: Flavor;
  /** The networks to attach; clients reach the service on the first network's address. */
  readonly networks: INetwork[];
  /**
   * Name of an existing Nova key pair for SSH access (SSH itself must still be allowed with
   * `service.connections.allowFrom(adminPeer, Port.tcp(22))`).
   * @default - no key pair
   */
  readonly keyName?: string;
  /**
   * Key pair for SSH access (`new KeyPair(...)` or `KeyPair.fromName`). Give this or `keyName`,
   * not both.
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
}

/**
 * Shell that sets `PRIVATE_IP` to the server's first IPv4 address, found at boot (a server's own
 * address cannot be substituted into its own user data: Terraform would see a cycle).
 */
export const DISCOVER_PRIVATE_IP = `PRIVATE_IP="$(hostname -I | awk '{print $1}')"
if [ -z "$PRIVATE_IP" ]; then echo 'scaleout: no IPv4 address found' >&2; exit 1; fi`;

/** Validates the shared host props eagerly, naming `prefix.<prop>` in errors. */
export function validateServiceHost(scope: Construct, props: ServiceHostProps | undefined, prefix = ''): void {
  const p = (name: string): string => `${prefix}${name}`;
  if (props === undefined || props === null || typeof props !== 'object' || Array.isArray(props)) {
    const prop = prefix === '' ? 'props' : prefix.replace(/\.$/, '');
    const code = props === undefined || props === null ? ErrorCode.REQUIRED : ErrorCode.FORMAT;
    throw propError(scope, code, prop, props, 'must be an object with image, flavor and networks', 'pass { image, flavor, networks }');
  }
  validateImageAndFlavor(scope, props.image, props.flavor, prefix);
  validateNetworks(scope, p('networks'), props.networks);
  requireName(scope, p('keyName'), props.keyName);
  requireConstructOf(scope, p('keyPair'), props.keyPair, '_heatKeyName', 'a key pair (new KeyPair or KeyPair.fromName)', "use KeyPair.fromName(this, 'Key', 'ops')");
  if (props.keyName !== undefined && props.keyPair !== undefined) {
    throw propError(scope, ErrorCode.CONFLICT, p('keyPair'), props.keyName, "cannot be given together with 'keyName'", "drop 'keyName' or use KeyPair.fromName(this, 'Key', keyName)");
  }
}

/** What one service server installs and runs at first boot. */
export interface ServiceBoot {
  /** apt packages to install. */
  readonly packages: string[];
  /** File name of the setup script under /usr/local/sbin. */
  readonly scriptName: string;
  /** Body of the setup script (POSIX sh, run as root after the packages are installed). */
  readonly script: string;
  /** Placeholders in the script and the deploy-time values that replace them. */
  readonly substitutions?: ReadonlyArray<readonly [string, Value]>;
}

/** The cloud-init document of a service server: packages, a root-only setup script, and its run. */
export function serviceCloudConfig(boot: ServiceBoot): CloudConfig {
  const path = `/usr/local/sbin/${boot.scriptName}`;
  const config = new CloudConfig()
    .addPackages(...boot.packages)
    .addFile({ path, permissions: '0700', owner: 'root:root', content: `#!/bin/sh\nset -eu\n${boot.script.trim()}\n` })
    .addRunCommands(['/bin/sh', path]);
  for (const [placeholder, value] of boot.substitutions ?? []) config.substitute(placeholder, value);
  return config;
}

/** Creates one server of a service, in the service's security group (and server group, if any), running `boot` at first boot. */
export function createServiceServer(
  scope: Construct,
  id: string,
  host: ServiceHostProps,
  securityGroup: ISecurityGroup,
  boot: ServiceBoot | CloudConfig,
  serverGroup?: IServerGroup,
): Server {
  return new Server(scope, id, {
    image: host.image,
    flavor: host.flavor,
    networks: host.networks,
    keyName: host.keyName,
    keyPair: host.keyPair,
    securityGroups: [securityGroup],
    userData: UserData.forCloudConfig(boot instanceof CloudConfig ? boot : serviceCloudConfig(boot)),
    serverGroup,
  });
}
