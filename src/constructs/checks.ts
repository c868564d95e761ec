import type { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../core/errors';
import { Check, constructOf, listOf, required } from '../core/props';
import { requireInstance } from '../core/validate';
import { Flavor, Image } from './compute/image';
import { validateMetadata, validateNetworks, validateUserDataSize } from './compute/server';
import { UserData } from './compute/user-data';

/**
 * Prop checks shared by the constructs' prop specs (see `src/core/props.ts`): the values many
 * constructs take (an image, a flavor, networks, security groups, a key pair, user data, Nova
 * metadata). Each refuses a missing value where required, a string, a plain object and a
 * duck-typed look-alike, with the fix. Classes are referenced inside the checks (not when this
 * module loads), so import order between construct files does not matter.
 */

const IMAGE_FIX = "use Image.fromName('ubuntu-22.04') or Image.fromId('<uuid>')";
const FLAVOR_FIX = "use Flavor.fromName('m1.small', { vcpus: 1 }) or Flavor.fromId('<id>')";
const NETWORK_FIX = "use Network.fromName(this, 'Net', 'private') or a VirtualNetwork's .network";
const SG_FIX = 'pass a SecurityGroup or SecurityGroup.fromId/fromName';

/** An `Image` (required). */
export const imageCheck = required((scope: IConstruct, prop: string, v: unknown) => {
  requireInstance(scope, prop, v, Image, IMAGE_FIX);
  (v as Image).validate(scope, prop);
  return v;
}, IMAGE_FIX);

/** A `Flavor` (required). */
export const flavorCheck = required((scope: IConstruct, prop: string, v: unknown) => {
  requireInstance(scope, prop, v, Flavor, FLAVOR_FIX);
  (v as Flavor).validate(scope, prop);
  return v;
}, FLAVOR_FIX);

/** A list of networks, one port each (required): at least one, each a network construct, no label twice. Returns a copy. */
export const networksCheck = required((scope: IConstruct, prop: string, v: unknown) => {
  validateNetworks(scope as never, prop, v as never);
  return [...(v as unknown[])];
}, NETWORK_FIX);

/** One network construct. */
export const networkCheck: Check = constructOf('_heatNetwork', 'a network', NETWORK_FIX);

/** One security group construct. */
export const securityGroupCheck: Check = constructOf('_heatRef', 'a security group', SG_FIX);

/** A list of 1 to 100 security groups. */
export const securityGroupsCheck: Check = listOf(securityGroupCheck, 1, 100, 'list at least one security group, or leave it out for a new one');

/** A key pair construct (`new KeyPair` or `KeyPair.fromName`). */
export const keyPairCheck: Check = constructOf('_heatKeyName', 'a key pair (new KeyPair or KeyPair.fromName)', "use KeyPair.fromName(this, 'Key', 'ops')");

/** User data: a `UserData` whose content is valid (placeholders, file permissions) and within Nova's size limit. */
export const userDataCheck: Check = (scope, prop, v) => {
  requireInstance(scope, prop, v, UserData, 'use UserData.forCloudConfig(...), .forShellScript(...) or .custom(text)');
  (v as UserData).validate(scope, prop);
  validateUserDataSize(scope as never, prop, v as UserData);
  return v;
};

/** Nova server metadata (own keys only, copied). */
export const metadataCheck: Check = (scope, prop, v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw propError(scope, ErrorCode.FORMAT, prop, v, 'must be an object of string keys and values', "pass e.g. { role: 'web' }");
  }
  const copy: Record<string, string> = {};
  for (const k of Object.keys(v)) copy[k] = (v as Record<string, string>)[k];
  validateMetadata(scope as never, prop, copy);
  return copy;
};
