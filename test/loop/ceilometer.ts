/**
 * A stand-in for Ceilometer in the telemetry loop: it posts to Gnocchi what Ceilometer's compute
 * polling and its Gnocchi publisher would, for the members of one autoscaling group.
 *
 * - Members are found the way Nova would know them: by listing the group's nested stack in Heat.
 *   Each member gets an `instance` resource whose `server_group` is the member's
 *   `metering.server_group` (the member stack's `server_group` parameter, which the template
 *   copies into that metadata), on one of `hosts` compute hosts (round robin).
 * - `cpu` is a cumulative counter in nanoseconds, driven by `LoadModel`: the demand is split over
 *   the ready members, capped at their vCPUs; a member takes load `bootSeconds` after it appears.
 * - Each host polls every `pollSeconds` at its own phase (host i at i/hosts of the interval),
 *   as compute hosts do, so the newest Gnocchi bucket often holds only some members.
 * - When Heat deletes a member, its resource gets `ended_at` (Ceilometer's notification
 *   handling does the same on `compute.instance.delete.end`).
 */
import type { OpenStack } from './openstack';

/** Demand and capacity, in vCPUs busy (1.0 = one vCPU fully used). */
export interface LoadModel {
  /** vCPUs of a member (the flavor's). */
  readonly vcpus: number;
  /** Seconds (test time) from a member's appearance until it takes load. */
  readonly bootSeconds: number;
  /** CPU a booting or idle member uses, in vCPUs. */
  readonly idleVcpus: number;
}

/** One member as the stand-in sees it. */
export interface Member {
  readonly id: string;
  readonly host: number;
  readonly appearedAt: number;
  counterNs: number;
  endedAt?: number;
}

/** The Gnocchi objects the stand-in needs (Ceilometer's `ceilometer-upgrade` creates them on a real cloud). */
export async function prepareGnocchi(os: OpenStack, archivePolicy: string, granularitySeconds: number): Promise<void> {
  const g = os.info.gnocchi;
  // Same shape as Ceilometer's `ceilometer-low-rate` (mean and rate:mean), smaller granularity.
  await os.call('POST', `${g}/v1/archive_policy`, {
    name: archivePolicy,
    back_window: 0,
    aggregation_methods: ['mean', 'rate:mean'],
    definition: [{ granularity: `${granularitySeconds}s`, points: 2000 }],
  }, [201, 409]);
  // The attributes Ceilometer's `instance` resource type has that the loop uses.
  await os.call('POST', `${g}/v1/resource_type`, {
    name: 'instance',
    attributes: {
      display_name: { type: 'string', required: true },
      flavor_id: { type: 'string', required: true },
      host: { type: 'string', required: true },
      image_ref: { type: 'string', required: false },
      server_group: { type: 'string', required: false },
      flavor_name: { type: 'string', required: false },
    },
  }, [201, 409]);
}

/** Posts measures for one group. Call `step()` every tick with the test clock and the demand. */
export class StandInCeilometer {
  public readonly members = new Map<string, Member>();
  private lastTick = 0;
  private lastPoll: number[];
  private nextHost = 0;

  constructor(
    private readonly os: OpenStack,
    private readonly opts: {
      readonly archivePolicy: string;
      readonly pollSeconds: number;
      readonly hosts: number;
      readonly load: LoadModel;
      /** Unix ms of test time 0. */
      readonly startMs: number;
    },
  ) {
    this.lastPoll = Array.from({ length: opts.hosts }, () => -Infinity);
  }

  /** Members taking load at `t`. */
  public ready(t: number): Member[] {
    return [...this.members.values()].filter((m) => m.endedAt === undefined && t - m.appearedAt >= this.opts.load.bootSeconds);
  }

  /** Members that exist at `t`. */
  public alive(): Member[] {
    return [...this.members.values()].filter((m) => m.endedAt === undefined);
  }

  /** Reconciles with Heat's member list (ids of member stacks with their `server_group`). */
  public async reconcile(t: number, current: Array<{ id: string; serverGroup: string }>): Promise<void> {
    const ids = new Set(current.map((c) => c.id));
    for (const c of current) {
      if (this.members.has(c.id)) continue;
      const host = this.nextHost++ % this.opts.hosts;
      this.members.set(c.id, { id: c.id, host, appearedAt: t, counterNs: 0 });
      await this.os.call('POST', `${this.os.info.gnocchi}/v1/resource/instance`, {
        id: c.id,
        display_name: `member-${c.id.slice(0, 8)}`,
        flavor_id: 'm1.small',
        flavor_name: 'm1.small',
        host: `compute-${host}`,
        server_group: c.serverGroup,
        started_at: this.iso(t),
        metrics: { cpu: { archive_policy_name: this.opts.archivePolicy, unit: 'ns' } },
      }, [201, 409]);
    }
    for (const m of this.members.values()) {
      if (m.endedAt === undefined && !ids.has(m.id)) {
        m.endedAt = t;
        await this.os.call('PATCH', `${this.os.info.gnocchi}/v1/resource/instance/${m.id}`, { ended_at: this.iso(t) });
      }
    }
  }

  /** Advances the counters to `t` under `demand` (vCPUs) and posts the polls due. Returns the served vCPUs. */
  public async step(t: number, demand: number): Promise<number> {
    const dt = Math.max(0, t - this.lastTick);
    this.lastTick = t;
    const { vcpus, idleVcpus } = this.opts.load;
    const ready = this.ready(t);
    const served = Math.min(demand, ready.length * vcpus);
    const perReady = ready.length > 0 ? served / ready.length : 0;
    for (const m of this.alive()) {
      const busy = ready.includes(m) ? Math.max(perReady, idleVcpus) : idleVcpus;
      m.counterNs += busy * 1e9 * dt;
    }
    const batch: Record<string, { cpu: Array<{ timestamp: string; value: number }> }> = {};
    for (let h = 0; h < this.opts.hosts; h++) {
      const phase = (h / this.opts.hosts) * this.opts.pollSeconds;
      const due = Math.floor((t - phase) / this.opts.pollSeconds);
      if (due > Math.floor((this.lastPoll[h] - phase) / this.opts.pollSeconds) || this.lastPoll[h] === -Infinity) {
        this.lastPoll[h] = t;
        for (const m of this.alive().filter((x) => x.host === h)) {
          batch[m.id] = { cpu: [{ timestamp: this.iso(t), value: Math.round(m.counterNs) }] };
        }
      }
    }
    if (Object.keys(batch).length > 0) {
      await this.os.call('POST', `${this.os.info.gnocchi}/v1/batch/resources/metrics/measures`, batch, [202]);
    }
    return served;
  }

  private iso(t: number): string {
    return new Date(this.opts.startMs + t * 1000).toISOString();
  }
}
