/**
 * A stand-in Octavia API for the telemetry loop: Octavia itself cannot run here (it needs
 * amphorae or OVN), and Nova, Neutron and Octavia resources are `OS::Heat::None` in the loop. It
 * answers exactly what the autohealing path asks, on 127.0.0.1 only:
 *
 * - `GET <endpoint>/v2.0/lbaas/pools/<id>`: Heat's `LBMemberHealthAlarm` resolves its `pool`
 *   property through its Octavia client plugin (heat `engine/clients/os/octavia.py`, `get_pool`,
 *   osc_lib `BaseAPI.find`), and with a `?id=`/`?name=` filter when that lookup misses.
 * - `GET <endpoint>/v2.0/lbaas/pools/<id>/members`: Aodh's `loadbalancer_member_health` evaluator
 *   (aodh `evaluator/loadbalancer.py`, `_get_unhealthy_members`, octaviaclient `member_list`) reads
 *   `id`, `created_at`, `admin_state_up` and `operating_status` of each member.
 *
 * The test decides the members (`setMembers`): their ids are the physical ids Heat gave the pool
 * members (`OS::Heat::None` resources), so Aodh's Heat notifier finds them in the stack as it would
 * find real Octavia members. `registerLoadBalancerEndpoint` puts the stand-in into Keystone's
 * catalog as service type `load-balancer`, where both Aodh (`keystone_client.url_for`) and Heat look.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { OpenStack } from './openstack';

/** One pool member as Octavia's API shows it (the fields Aodh reads, and a few more). */
export interface StandInMember {
  readonly id: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SS` as Octavia prints it. */
  readonly created_at: string;
  readonly operating_status: 'ONLINE' | 'ERROR' | 'OFFLINE' | 'NO_MONITOR';
  readonly admin_state_up?: boolean;
}

/** One request the stand-in answered. */
export interface StandInRequest {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A running stand-in Octavia API. */
export class StandInOctavia {
  /** Every request answered, in order. */
  public readonly requests: StandInRequest[] = [];
  private readonly members = new Map<string, StandInMember[]>();
  private server?: http.Server;
  private port = 0;

  /** The endpoint to register (without `/v2.0`: the clients add it). */
  public get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** What `GET .../pools/<poolId>/members` answers from now on. */
  public setMembers(poolId: string, members: StandInMember[]): void {
    this.members.set(poolId, members);
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // osc_lib joins '/lbaas/pools' and the id as '//lbaas/pools/<id>': collapse repeated slashes.
    const path = url.pathname.replace(/\/+/g, '/').replace(/\/$/, '');
    const send = (status: number, body: unknown): void => {
      this.requests.push({ at: Date.now(), method: req.method ?? '', path: `${path}${url.search}`, status });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { faultstring: 'the stand-in answers GET only' });
    const pool = (id: string) => ({ id, name: id, provisioning_status: 'ACTIVE', operating_status: 'ONLINE', admin_state_up: true, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
    let m = /^\/v2\.0\/lbaas\/pools\/([^/]+)\/members$/.exec(path);
    if (m) {
      const members = (this.members.get(m[1]) ?? []).map((x) => ({
        name: '',
        address: '10.0.0.10',
        protocol_port: 80,
        weight: 1,
        provisioning_status: 'ACTIVE',
        updated_at: x.created_at,
        admin_state_up: true,
        ...x,
      }));
      return send(200, { members, members_links: [] });
    }
    m = /^\/v2\.0\/lbaas\/pools\/([^/]+)$/.exec(path);
    if (m) return send(200, { pool: pool(m[1]) });
    if (path === '/v2.0/lbaas/pools') {
      const id = url.searchParams.get('id') ?? url.searchParams.get('name');
      return send(200, { pools: id ? [pool(id)] : [] });
    }
    return send(404, { faultstring: `the stand-in does not serve ${path}` });
  }
}

/**
 * Registers `endpoint` as the `load-balancer` service (public, internal and admin, RegionOne) in
 * the loopback Keystone, as the cloud's admin. Aodh and Heat read the catalog from each token they
 * validate or obtain (fernet tokens carry no catalog), so the change applies to their next call.
 */
export async function registerLoadBalancerEndpoint(os: OpenStack, endpoint: string): Promise<void> {
  const ks = os.info.authUrl;
  const service = (await os.call('POST', `${ks}/services`, { service: { type: 'load-balancer', name: 'octavia', enabled: true } })).service;
  for (const iface of ['public', 'internal', 'admin']) {
    await os.call('POST', `${ks}/endpoints`, { endpoint: { service_id: service.id, interface: iface, url: endpoint, region_id: 'RegionOne', enabled: true } });
  }
}
