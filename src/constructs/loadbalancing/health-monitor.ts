import { checkProps } from '../../core/props';
import { HEALTH_MONITOR_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { LbMonitorV2 } from '../../../.gen/providers/openstack/lb-monitor-v2';
import type { HeatContext, TerraformContext } from '../../core/context';
import { Duration } from '../../core/duration';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { Resource } from '../../core/resource';
import { isUnresolved, requireConstructOf, requireDefined, requireInstance, requireInt, requireName } from '../../core/validate';
import { LoadBalancerProvider } from './load-balancer';
import type { Pool } from './pool';
import { L1 } from '../../stacks/terraform/l1';

/** How a health monitor probes members. Every value exists in both Heat and Terraform. */
export class HealthMonitorType {
  /** An HTTP request; healthy when the status is one of `expectedCodes`. */
  public static readonly HTTP = new HealthMonitorType('HTTP', true);
  /** An HTTP request over TLS (the certificate is not verified). */
  public static readonly HTTPS = new HealthMonitorType('HTTPS', true);
  /** A TCP connection. */
  public static readonly TCP = new HealthMonitorType('TCP', false);
  /**
   * An ICMP echo. Members must answer ICMP from the load balancer: Scaleout adds the rule for
   * static members (`pool.addMember`); other members (autoscaling groups) must allow it themselves.
   */
  public static readonly PING = new HealthMonitorType('PING', false);
  /**
   * A UDP packet, for UDP pools. Octavia refuses a delay below its
   * `udp_connect_min_interval_health_monitor` setting (3 seconds unless the cloud changed it).
   */
  public static readonly UDP_CONNECT = new HealthMonitorType('UDP-CONNECT', false);

  private constructor(
    /** The Octavia name. */
    public readonly name: 'HTTP' | 'HTTPS' | 'TCP' | 'PING' | 'UDP-CONNECT',
    /** True when the probe is an HTTP request (path, method and codes apply). */
    public readonly isHttp: boolean,
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** The HTTP method of an HTTP(S) probe. */
export class HttpMethod {
  public static readonly GET = new HttpMethod('GET');
  public static readonly HEAD = new HttpMethod('HEAD');
  public static readonly POST = new HttpMethod('POST');
  public static readonly PUT = new HttpMethod('PUT');
  public static readonly DELETE = new HttpMethod('DELETE');
  public static readonly TRACE = new HttpMethod('TRACE');
  public static readonly OPTIONS = new HttpMethod('OPTIONS');
  public static readonly CONNECT = new HttpMethod('CONNECT');
  public static readonly PATCH = new HttpMethod('PATCH');

  private constructor(
    /** The method name. */
    public readonly name: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'TRACE' | 'OPTIONS' | 'CONNECT' | 'PATCH',
  ) {}

  public toString(): string {
    return this.name;
  }
}

/** Options of a health monitor added with `pool.addHealthMonitor`. */
export interface HealthMonitorOptions {
  /** How members are probed. */
  readonly type: HealthMonitorType;
  /**
   * Time between two probes of a member (whole seconds, at least 1).
   * @default Duration.seconds(10)
   */
  readonly delay?: Duration;
  /**
   * How long a probe waits for an answer (whole seconds, at least 1 and less than `delay`).
   * Heat's schema allows 0, which would fail every probe.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * Successful probes in a row before a member is ONLINE again (1-10); also the failures in a row
   * before it is marked down when `maxRetriesDown` is not set.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Failed probes in a row before a member is marked ERROR (1-10). Terraform only: Heat's
   * `OS::Octavia::HealthMonitor` has no such property, so the Heat target refuses it.
   * @default - Octavia's default (3)
   */
  readonly maxRetriesDown?: number;
  /**
   * Path of the HTTP(S) probe; starts with '/'. HTTP and HTTPS types only.
   * @default '/'
   */
  readonly urlPath?: string;
  /**
   * Status codes that mean healthy: one code ('200'), a list ('200,202') or a range ('200-204').
   * HTTP and HTTPS types only.
   * @default '200'
   */
  readonly expectedCodes?: string;
  /**
   * Method of the HTTP(S) probe. HTTP and HTTPS types only.
   * @default HttpMethod.GET
   */
  readonly httpMethod?: HttpMethod;
}

/** Properties of a `HealthMonitor`. */
export interface HealthMonitorProps extends HealthMonitorOptions {
  /** The pool whose members are probed. */
  readonly pool: Pool;
}

/**
 * Monitor types the OVN provider supports (it also has SCTP, which Scaleout does not model):
 * OVN's health checks are layer-4 connection checks, never HTTP requests or ICMP echoes.
 */
const OVN_MONITOR_TYPES = ['TCP', 'UDP-CONNECT'];
/** Monitor types Octavia accepts on a UDP pool. */
const UDP_POOL_MONITOR_TYPES = ['UDP-CONNECT', 'TCP', 'HTTP'];
const MAX_SECONDS = 2147483647;

/**
 * Probes the members of a pool and takes failing ones out of rotation. One per pool.
 */
export class HealthMonitor extends Resource {
  /** The pool. */
  public readonly pool: Pool;
  /** The probe type. */
  public readonly type: HealthMonitorType;
  /** Seconds between probes. */
  public readonly delaySeconds: number;
  /** Seconds a probe waits. */
  public readonly timeoutSeconds: number;
  private readonly props: HealthMonitorProps;

  constructor(scope: Construct, id: string, monitorProps: HealthMonitorProps) {
    super(scope, id);
    const props = checkProps(this, monitorProps, HEALTH_MONITOR_PROPS, { fix: 'use pool.addHealthMonitor(id, { type })' });
    requireDefined(this, 'pool', props.pool, 'use pool.addHealthMonitor(id, options)');
    requireConstructOf(this, 'pool', props.pool, '_registerHealthMonitor', 'a Pool', 'use pool.addHealthMonitor(id, options)');
    const typeFix = 'use HealthMonitorType.HTTP, .HTTPS, .TCP, .PING or .UDP_CONNECT';
    requireDefined(this, 'type', props.type, typeFix);
    requireInstance(this, 'type', props.type, HealthMonitorType, typeFix);
    for (const prop of ['delay', 'timeout'] as const) {
      requireInstance(this, prop, props[prop], Duration, 'use Duration.seconds(n)');
    }
    this.delaySeconds = (props.delay ?? Duration.seconds(10)).validate(this, 'delay', 1, MAX_SECONDS);
    this.timeoutSeconds = (props.timeout ?? Duration.seconds(5)).validate(this, 'timeout', 1, MAX_SECONDS);
    if (this.timeoutSeconds >= this.delaySeconds) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'timeout',
        `${this.timeoutSeconds}s`,
        `must be less than 'delay' (${this.delaySeconds}s), or probes would overlap`,
        'shorten the timeout or lengthen the delay',
      );
    }
    requireInt(this, 'maxRetries', props.maxRetries, 1, 10);
    requireInt(this, 'maxRetriesDown', props.maxRetriesDown, 1, 10);
    this.validateHttpProps(props);
    const poolProtocol = props.pool.protocol.name;
    if (props.type.name === 'UDP-CONNECT' && poolProtocol !== 'UDP') {
      throw propError(this, ErrorCode.CONFLICT, 'type', props.type.name, `needs a UDP pool, but ${props.pool.node.path} is ${poolProtocol}`, 'use HealthMonitorType.TCP or .HTTP');
    }
    if (poolProtocol === 'UDP' && !UDP_POOL_MONITOR_TYPES.includes(props.type.name)) {
      throw propError(this, ErrorCode.CONFLICT, 'type', props.type.name, `cannot probe the UDP pool ${props.pool.node.path}; Octavia accepts ${UDP_POOL_MONITOR_TYPES.join(', ')} there`, 'use HealthMonitorType.UDP_CONNECT');
    }
    const provider = props.pool.listener.loadBalancer.provider;
    if (LoadBalancerProvider._isOvn(provider) && !OVN_MONITOR_TYPES.includes(props.type.name)) {
      throw propError(
        this,
        ErrorCode.UNSUPPORTED,
        'type',
        props.type.name,
        `is not supported by the ${provider!.name} provider of ${props.pool.listener.loadBalancer.node.path}, whose health monitors are ${OVN_MONITOR_TYPES.join(' and ')} only`,
        poolProtocol === 'UDP' ? 'use HealthMonitorType.UDP_CONNECT' : 'use HealthMonitorType.TCP',
      );
    }
    this.props = props;
    this.pool = props.pool;
    this.type = props.type;
    props.pool._registerHealthMonitor(this);
  }

  private validateHttpProps(props: HealthMonitorOptions): void {
    if (!props.type.isHttp) {
      for (const prop of ['urlPath', 'expectedCodes', 'httpMethod'] as const) {
        if (props[prop] !== undefined) {
          throw propError(this, ErrorCode.CONFLICT, prop, String(props[prop]), `applies to HTTP and HTTPS monitors only, not ${props.type.name}`, `remove '${prop}' or use HealthMonitorType.HTTP`);
        }
      }
      return;
    }
    if (props.urlPath !== undefined && !isUnresolved(props.urlPath)) {
      requireName(this, 'urlPath', props.urlPath, { maxLength: 2048 });
      if (!/^\/[^\s]*$/.test(props.urlPath)) {
        throw propError(this, ErrorCode.FORMAT, 'urlPath', props.urlPath, "must start with '/' and contain no spaces", "write it like '/healthz'");
      }
    }
    if (props.expectedCodes !== undefined && !isUnresolved(props.expectedCodes)) validateExpectedCodes(this, props.expectedCodes);
    requireInstance(this, 'httpMethod', props.httpMethod, HttpMethod, 'use HttpMethod.GET or HttpMethod.HEAD');
  }

  /** The HTTP fields written for HTTP(S) monitors (Octavia's defaults, spelled out). */
  private get http(): { urlPath?: string; expectedCodes?: string; httpMethod?: HttpMethod['name'] } {
    if (!this.type.isHttp) return {};
    return {
      urlPath: this.props.urlPath ?? '/',
      expectedCodes: this.props.expectedCodes ?? '200',
      httpMethod: (this.props.httpMethod ?? HttpMethod.GET).name,
    };
  }

  public _toHeat(ctx: HeatContext): void {
    if (this.props.maxRetriesDown !== undefined) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'maxRetriesDown',
        `cannot be expressed in Heat: OS::Octavia::HealthMonitor of OpenStack ${ctx.release.toString()} has no max_retries_down property; remove it for the Heat target (members are then marked down after 'maxRetries' failures) or deploy with Terraform`,
      );
    }
    const http = this.http;
    ctx.addResource(this, 'OS::Octavia::HealthMonitor', {
      pool: this.pool._heatPoolId(ctx),
      type: this.type.name,
      delay: this.delaySeconds,
      timeout: this.timeoutSeconds,
      max_retries: this.props.maxRetries ?? 3,
      url_path: http.urlPath,
      expected_codes: http.expectedCodes,
      http_method: http.httpMethod,
    });
  }

  public _toTerraform(ctx: TerraformContext): LbMonitorV2 {
    const http = this.http;
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.LbMonitorV2(ctx.scope, name, {
        poolId: this.pool._terraformPoolId(ctx),
        type: this.type.name,
        delay: this.delaySeconds,
        timeout: this.timeoutSeconds,
        maxRetries: this.props.maxRetries ?? 3,
        maxRetriesDown: this.props.maxRetriesDown,
        urlPath: http.urlPath,
        expectedCodes: http.expectedCodes,
        httpMethod: http.httpMethod,
      }),
      name,
    );
  }
}

/** '200', '200,202' or '200-204', every code an HTTP status (100-599), a range low to high. */
function validateExpectedCodes(scope: Construct, codes: string): void {
  const fail = (problem: string): never => {
    throw propError(scope, ErrorCode.FORMAT, 'expectedCodes', codes, problem, "write one code ('200'), a list ('200,202') or a range ('200-204')");
  };
  if (typeof codes !== 'string') fail('must be a string');
  const range = /^(\d{3})-(\d{3})$/.exec(codes);
  const list = /^\d{3}(,\d{3})*$/.test(codes) ? codes.split(',') : undefined;
  if (!range && !list) fail('must be one HTTP status code, a comma-separated list of codes or a range low-high');
  const values = range ? [range[1], range[2]] : list!;
  if (values.some((v) => Number(v) < 100 || Number(v) > 599)) fail('must only hold HTTP status codes between 100 and 599');
  if (range && Number(range[1]) > Number(range[2])) fail('must be a range whose first code is not above its last');
}
