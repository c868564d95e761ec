import { checkProps } from '../../core/props';
import { SCALABLE_WEB_APP_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { requireDefined, requireName } from '../../core/validate';
import type { Value } from '../../core/value';
import type { Flavor, Image } from '../compute/image';
import type { IKeyPair } from '../compute/key-pair';
import type { ISubnet } from '../network/network';
import { VirtualNetwork } from '../network/network';
import { ApiTier, ApiTierOptions } from './api-tier';
import { ServicesTier, ServicesTierOptions } from './services-tier';
import { WorkerTier, WorkerTierOptions } from './worker-tier';

/** Placeholder for the API's internal URL in the workers' cloud-init document (`ScalableWebApp` fills it). */
export const API_URL_PLACEHOLDER = '@@API_URL@@';

/** Where a tier of a `ScalableWebApp` runs, when it differs from the app's defaults. */
export interface TierPlacementOptions {
  /**
   * Image of the tier's servers.
   * @default - the app's `image`
   */
  readonly image?: Image;
  /**
   * Flavor of the tier's servers.
   * @default - the app's `flavor`
   */
  readonly flavor?: Flavor;
}

/** The services tier of a `ScalableWebApp`. */
export interface WebAppServicesOptions extends ServicesTierOptions, TierPlacementOptions {}

/** The API tier of a `ScalableWebApp`. */
export interface WebAppApiOptions extends ApiTierOptions, TierPlacementOptions {}

/** The worker tier of a `ScalableWebApp`. */
export interface WebAppWorkerOptions extends WorkerTierOptions, TierPlacementOptions {}

/** Properties of a `ScalableWebApp`. */
export interface ScalableWebAppProps {
  /** Default image of every server (Debian or Ubuntu with cloud-init: the services are installed with apt). */
  readonly image: Image;
  /** Default flavor of every server, with its vCPU count (CPU scaling needs it). */
  readonly flavor: Flavor;
  /** External network the router's gateway and the public floating IP are on, e.g. `public`. */
  readonly externalNetworkName: string;
  /**
   * CIDR of the network the app creates. Not with `subnet`.
   * @default '10.0.0.0/24'
   */
  readonly cidr?: string;
  /**
   * An existing subnet to run on instead of creating a network (`Subnet.fromName(this, 'Subnet',
   * name, Network.fromName(...))`); its network must be routed to `externalNetworkName`. Give the
   * subnet's CIDR to the API tier as `api.memberAccessPeer`, since the stack cannot look it up.
   * @default - a new `VirtualNetwork` ('Network') with `cidr`
   */
  readonly subnet?: ISubnet;
  /**
   * Key pair injected into every server.
   * @default - no key pair
   */
  readonly keyPair?: IKeyPair;
  /**
   * The services tier.
   * @default - PostgreSQL; a RabbitMQ broker when there are workers; no cache, no container
   */
  readonly services?: WebAppServicesOptions;
  /** The API (web) tier; `maxSize` is required. */
  readonly api: WebAppApiOptions;
  /**
   * A worker tier that consumes the message queue. `@@API_URL@@` in its `cloudConfig` becomes the
   * API's internal URL. The workers reach it through the load balancer's VIP, which the API's
   * `allowedCidrs` also restrict: with workers, the subnet's CIDR is added to a restricted
   * `allowedCidrs` (`api.allowInternalClients`, default true here; false keeps the list as given).
   * @default - no worker tier
   */
  readonly workers?: WebAppWorkerOptions;
}

/**
 * The whole scale-out shape in one construct: a network (or an existing subnet), a
 * `ServicesTier` (database, queue, optional cache and container), an `ApiTier` behind a load
 * balancer and a floating IP, and optionally a `WorkerTier`. The services open their ports to
 * the API and worker groups only; the listener is the only public entry.
 *
 * Each tier takes its own options (`services`, `api`, `workers`), including its image and flavor.
 */
export class ScalableWebApp extends Construct {
  /** The network the app created (undefined with `subnet`). */
  public readonly network?: VirtualNetwork;
  /** The subnet every tier runs on. */
  public readonly subnet: ISubnet;
  /** The services tier. */
  public readonly services: ServicesTier;
  /** The API tier. */
  public readonly api: ApiTier;
  /** The worker tier (undefined without `workers`). */
  public readonly workers?: WorkerTier;

  constructor(scope: Construct, id: string, props: ScalableWebAppProps) {
    super(scope, id);
    props = checkProps(this, props, SCALABLE_WEB_APP_PROPS, { fix: 'pass { image, flavor, externalNetworkName, cidr, api: { maxSize } }' });
    requireDefined(this, 'image', props?.image, "use Image.fromName('ubuntu-22.04')");
    requireDefined(this, 'flavor', props.flavor, "use Flavor.fromName('m1.small', { vcpus: 1 })");
    requireDefined(this, 'externalNetworkName', props.externalNetworkName, "name the provider network floating IPs come from, e.g. 'public'");
    requireName(this, 'externalNetworkName', props.externalNetworkName);
    requireDefined(this, 'api', props.api, 'give at least the API tier\'s cap: api: { maxSize: 10 }');
    if (props.subnet !== undefined && props.cidr !== undefined) {
      throw propError(this, ErrorCode.CONFLICT, 'cidr', props.cidr, "cannot be given together with 'subnet' (an existing subnet has its own CIDR)", "drop 'cidr', or drop 'subnet' to create a network");
    }
    if (props.subnet !== undefined) {
      this.subnet = props.subnet;
    } else {
      this.network = new VirtualNetwork(this, 'Network', { externalNetworkName: props.externalNetworkName, cidr: props.cidr ?? '10.0.0.0/24' });
      this.subnet = this.network.subnet;
    }
    const place = (o: TierPlacementOptions | undefined) => ({ image: o?.image ?? props.image, flavor: o?.flavor ?? props.flavor, keyPair: props.keyPair });
    const networks = [this.subnet.network];

    this.services = new ServicesTier(this, 'Services', {
      ...props.services,
      ...place(props.services),
      messageQueue: props.services?.messageQueue ?? props.workers !== undefined,
      networks,
    });
    this.api = new ApiTier(this, 'Api', {
      ...props.api,
      ...place(props.api),
      keyPair: props.api.keyPair ?? props.keyPair,
      // The workers call the API's internal URL (the VIP): keep them inside a restricted allowedCidrs.
      allowInternalClients: props.api.allowInternalClients ?? props.workers !== undefined,
      subnet: this.subnet,
      externalNetworkName: props.externalNetworkName,
      services: this.services,
    });
    if (props.workers !== undefined) {
      const config = props.workers.cloudConfig;
      if (config?.render().includes(API_URL_PLACEHOLDER)) config.substitute(API_URL_PLACEHOLDER, this.api.internalUrl);
      this.workers = new WorkerTier(this, 'Workers', {
        ...props.workers,
        ...place(props.workers),
        keyPair: props.workers.keyPair ?? props.keyPair,
        networks,
        services: this.services,
      });
    }
  }

  /** The API's public URL. */
  public get url(): Value {
    return this.api.url;
  }
}
