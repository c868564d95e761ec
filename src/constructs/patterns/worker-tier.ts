import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { WORKER_TIER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { ErrorCode, propError } from '../../core/errors';
import { requireDefined } from '../../core/validate';
import { AutoScalingGroup } from '../autoscaling/auto-scaling-group';
import type { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import type { Placement } from '../compute/placement';
import type { ReadinessOptions } from '../autoscaling/readiness';
import { CloudConfig, UserData } from '../compute/user-data';
import type { INetwork } from '../network/network';
import { SecurityGroup } from '../network/security-group';
import type { ServiceAccessOptions, ServicesTier } from './services-tier';
import { AppliedWorkerScaling, WorkerScaling } from './worker-scaling';

/** What a worker tier is besides where it runs (the part `ScalableWebApp` lets you override). */
export interface WorkerTierOptions {
  /** The most workers (1 to 1000): the cap on a runaway scale-out. */
  readonly maxSize: number;
  /**
   * The fewest workers (0 lets an idle queue cost nothing: only queue-depth scaling, whose depth
   * the queue's server publishes, can wake such a tier up).
   * @default 1
   */
  readonly minSize?: number;
  /**
   * How the tier decides its size.
   * @default WorkerScaling.cpu() - out above 70 % CPU, in below 30 %
   */
  readonly scaling?: WorkerScaling;
  /**
   * The group's cooldown: after a scaling, further signals are refused for this long.
   * @default Duration.seconds(300)
   */
  readonly cooldown?: Duration;
  /**
   * What every worker runs at first boot. `SERVICE_PLACEHOLDERS` in it are replaced by the
   * values of `services` (the document is changed in place).
   * @default - no user data: the image starts the worker by itself
   */
  readonly cloudConfig?: CloudConfig;
  /**
   * Which of `services` the servers reach (and whose placeholders they may use).
   * @default - every service the services tier runs
   */
  readonly serviceAccess?: ServiceAccessOptions;
  /**
   * Where Nova places the servers relative to each other (see `AutoScalingGroupProps.placement`).
   * @default Placement.spread() - across hypervisors when Nova can
   */
  readonly placement?: Placement;
  /**
   * Make a server count only once it is ready (see `AutoScalingGroupProps.readiness`): a wait
   * condition that its cloud-init signals when `command` succeeds.
   * @default - none: a server counts as soon as it is ACTIVE
   */
  readonly readiness?: ReadinessOptions;
  /**
   * Key pair injected into every worker (SSH still needs a way in: workers accept no inbound traffic).
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
}

/** Properties of a `WorkerTier`. */
export interface WorkerTierProps extends WorkerTierOptions {
  /** Image of the workers. */
  readonly image: Image;
  /** Flavor of the workers (give its vCPU count for CPU scaling: `Flavor.fromName('m1.small', { vcpus: 1 })`). */
  readonly flavor: Flavor;
  /** Networks of the workers (they need a route to the services; no public address is ever attached). */
  readonly networks: INetwork[];
  /**
   * The services the workers use (the task queue, the database ...): their ports open to the
   * workers' group, and their placeholders are filled in `cloudConfig`.
   * @default - no services
   */
  readonly services?: ServicesTier;
}

/**
 * Workers that take tasks from the queue and scale on CPU or on the queue's depth. They have no
 * public exposure at all: no load balancer, no floating IP, and a security group of their own
 * with no ingress rule (workers only connect out, to the services). A validation refuses the
 * synthesis if an ingress rule is added to that group later.
 */
export class WorkerTier extends Construct {
  /** The workers. */
  public readonly group: AutoScalingGroup;
  /** The workers' security group: outbound only. */
  public readonly securityGroup: SecurityGroup;
  /** What the scaling created. */
  public readonly scaling: AppliedWorkerScaling;

  constructor(scope: Construct, id: string, props: WorkerTierProps) {
    super(scope, id);
    props = checkProps(this, props, WORKER_TIER_PROPS, { fix: 'pass { image, flavor, networks, maxSize }' });
    requireDefined(this, 'maxSize', props?.maxSize, 'cap the workers (1 to 1000); a cap is the first guard against a runaway scale-out');
    const scaling = props.scaling ?? WorkerScaling.cpu();
    if (!(scaling instanceof WorkerScaling)) {
      throw propError(this, ErrorCode.ENUM, 'scaling', scaling, 'must be a WorkerScaling', "use WorkerScaling.cpu() or WorkerScaling.queueDepth({ queueName, messagesPerWorker })");
    }
    if (props.minSize === 0 && scaling._measuredOnWorkers()) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'minSize',
        props.minSize,
        `must be at least 1 with ${scaling.kind} scaling measured on the workers: with no worker there is nothing to measure, so the tier would never scale out`,
        "use minSize: 1, or WorkerScaling.queueDepth({ queueName, messagesPerWorker }): the queue's server publishes the depth",
      );
    }
    if (props.cloudConfig !== undefined && !(props.cloudConfig instanceof CloudConfig)) {
      throw propError(this, ErrorCode.FORMAT, 'cloudConfig', props.cloudConfig, 'must be a CloudConfig', 'build one with new CloudConfig().addPackages(...).addRunCommands(...)');
    }
    if (props.serviceAccess !== undefined && props.services === undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'serviceAccess', props.serviceAccess, "needs 'services'", "pass the ServicesTier as 'services', or drop serviceAccess");
    }
    const config = props.cloudConfig;
    if (config && props.services) props.services.substituteInto(config, props.serviceAccess);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', { description: fitName(`Workers ${this.node.path}: outbound only, no inbound rule`, SERVICE_NAME_MAX_LENGTH) });
    this.group = new AutoScalingGroup(this, 'Servers', {
      image: props.image,
      flavor: props.flavor,
      networks: props.networks,
      keyPair: props.keyPair,
      placement: props.placement,
      readiness: props.readiness,
      securityGroups: [this.securityGroup],
      minSize: props.minSize ?? 1,
      maxSize: props.maxSize,
      cooldown: props.cooldown ?? Duration.seconds(300),
      userData: config ? UserData.forCloudConfig(config) : undefined,
    });
    this.scaling = scaling._applyTo(this.group, 'scaling', props.services);
    props.services?.allowFrom(this.group, props.serviceAccess);
    this.node.addValidation({
      validate: () => {
        const inbound = this.securityGroup.ruleSummaries.filter((r) => r.direction === 'ingress');
        const pools = this.group.attachedPools;
        return [
          ...inbound.map((r) => `workers must accept no inbound traffic, but ${this.securityGroup.node.path} lets in ${r.port} from ${r.peer}; workers only connect out to the services`),
          ...pools.map((p) => `workers must not serve a load balancer, but ${this.group.node.path} joins pool ${p.node.path}; use an ApiTier for servers behind a load balancer`),
        ];
      },
    });
  }
}
