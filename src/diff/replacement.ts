/**
 * What an engine does to a running server when its properties change: update it in place,
 * resize it, rebuild it, or replace it (a new server, a new address, the old disk gone).
 *
 * Heat (read from heat 19.0.0 / Zed, `heat/engine/resources/openstack/nova/server.py`):
 * - `Server.properties_schema`: `name`, `image`, `flavor`, `flavor_update_policy`,
 *   `image_update_policy`, `networks`, `metadata`, `software_config_transport`,
 *   `user_data_update_policy`, `user_data`, `admin_pass`, `tags` and `deployment_swift_data` are
 *   `update_allowed`; a change of any other property (`key_name`, `availability_zone`,
 *   `security_groups`, `scheduler_hints`, `user_data_format`, `config_drive`, `personality`,
 *   `block_device_mapping*`, ...) replaces the server (the resource's update raises
 *   UpdateReplace for properties that are not update_allowed).
 * - `Server.needs_replace_with_prop_diff`: a changed `user_data` replaces the server while
 *   `user_data_update_policy` is `REPLACE` (the default); a changed `image` replaces it only when
 *   `image_update_policy` is `REPLACE` (the default `REBUILD` rebuilds it in place, wiping its
 *   disk); a changed `flavor` replaces it only when `flavor_update_policy` is `REPLACE` (the
 *   default `RESIZE` resizes it, with a reboot).
 *
 * Terraform (terraform-provider-openstack 3.4.0, `resource_openstack_compute_instance_v2.go`):
 * `user_data`, `image_name`/`image_id`, `key_pair`, `availability_zone`, `config_drive`,
 * `personality`, `block_device`, `scheduler_hints` are ForceNew (replace); a flavor change resizes.
 */

/** The heaviest thing an update does to a server. */
export type ServerAction = 'replace' | 'rebuild' | 'resize' | 'update';

/** What happens to a server, and why. */
export interface ServerChange {
  readonly action: ServerAction;
  /** Human names of the properties that cause the action, e.g. `user data`. */
  readonly reasons: readonly string[];
}

const HEAT_UPDATE_ALLOWED = new Set([
  'name',
  'image',
  'flavor',
  'flavor_update_policy',
  'image_update_policy',
  'networks',
  'metadata',
  'software_config_transport',
  'user_data_update_policy',
  'user_data',
  'admin_pass',
  'tags',
  'deployment_swift_data',
]);

const TF_FORCE_NEW = new Set(['user_data', 'image', 'key_name', 'availability_zone', 'config_drive', 'personality', 'block_device', 'scheduler_hints']);

const LABELS: Record<string, string> = { user_data: 'user data', key_name: 'key pair', block_device_mapping_v2: 'block devices', block_device: 'block devices' };
const label = (k: string) => LABELS[k] ?? k.replace(/_/g, ' ');

const RANK: Record<ServerAction, number> = { update: 0, resize: 1, rebuild: 2, replace: 3 };

/** The action an engine takes for a server whose properties changed from `before` to `after`. */
export function serverChange(target: 'heat' | 'terraform', before: Record<string, unknown>, after: Record<string, unknown>): ServerChange | undefined {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length === 0) return undefined;
  const policy = (k: string, dflt: string) => String(after[k] ?? before[k] ?? dflt);
  const actions = changed.map((k): [ServerAction, string] => {
    if (target === 'terraform') {
      if (TF_FORCE_NEW.has(k)) return ['replace', k];
      return [k === 'flavor' ? 'resize' : 'update', k];
    }
    if (!HEAT_UPDATE_ALLOWED.has(k)) return ['replace', k];
    if (k === 'user_data') {
      const p = policy('user_data_update_policy', 'REPLACE');
      return [p === 'REPLACE' ? 'replace' : p === 'REBUILD' ? 'rebuild' : 'update', k];
    }
    if (k === 'image') return [policy('image_update_policy', 'REBUILD') === 'REPLACE' ? 'replace' : 'rebuild', k];
    if (k === 'flavor') return [policy('flavor_update_policy', 'RESIZE') === 'REPLACE' ? 'replace' : 'resize', k];
    return ['update', k];
  });
  const action = actions.reduce<ServerAction>((a, [b]) => (RANK[b] > RANK[a] ? b : a), 'update');
  return { action, reasons: actions.filter(([a]) => a === action).map(([, k]) => label(k)) };
}
