/**
 * The machinery of the hardening fuzz test (`fuzz.test.ts`): a seeded PRNG, candidate values
 * tagged with what they must do, shared fixtures, and the case runner that classifies each case.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  App,
  ErrorCode,
  Flavor,
  heatFiles,
  Image,
  INetwork,
  Listener,
  ListenerProtocol,
  LoadBalancer,
  LoadBalancerProvider,
  Network,
  Pool,
  ScaleoutError,
  SecurityGroup,
  Server,
  Stack,
  VirtualNetwork,
} from '../../src';
import { heatOf, terraformOf } from '../util/synth';
import { seededRandom } from '../../src/simulate/trace';

/** mulberry32, the library's seedable PRNG (uniform in [0, 1)). */
export const mulberry32 = seededRandom;

/** FNV-1a of a string, so each construct gets its own stream from one fixed seed. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Candidates

/**
 * What a candidate value must do when it is the only change to a valid base:
 * - `ok`: be accepted (and, with other changes, may still be refused by a cross-prop rule);
 * - `bad`: be refused at construction, whatever else changes;
 * - `maybe`: depends on the other props (a cross-prop rule), either outcome is fine.
 */
export type Tag = 'ok' | 'bad' | 'maybe';

/** Builds a candidate value in a case's fixtures. */
export type Maker = (env: Env) => unknown;

/** One value to feed to a prop. */
export interface Candidate {
  readonly label: string;
  readonly tag: Tag;
  readonly make: Maker;
}

/** A candidate that leaves the prop out (undefined). */
export const OMITTED: unique symbol = Symbol('omitted');

/** A plain value, or a maker of one (called in each case's fresh stack). */
type ValueOrMaker = Maker | string | number | boolean | symbol | null | object;

const cand =
  (tag: Tag) =>
  (label: string, make: ValueOrMaker): Candidate => ({ label, tag, make: typeof make === 'function' ? (make as Maker) : () => make });
export const ok = cand('ok');
export const bad = cand('bad');
export const maybe = cand('maybe');

/** Wrong types a string prop can receive from plain JavaScript. */
export function wrongForString(): Candidate[] {
  return [bad('null', null), bad('42', 42), bad('NaN', NaN), bad('{}', () => ({})), bad('[]', () => []), bad('true', true)];
}

/** Options of `names`. */
export interface NameOptions {
  readonly max?: number;
  readonly required?: boolean;
  /** Whether spaces and non-ASCII letters are allowed (free text). */
  readonly free?: boolean;
  /** Whether spaces are allowed (default: `free`). */
  readonly spaces?: boolean;
  readonly extraOk?: readonly string[];
  readonly extraBad?: readonly unknown[];
  /**
   * How the service measures the length: 'characters' (code points, Nova/Neutron/Octavia) or
   * 'bytes' (UTF-8, Swift container names). Free names get multi-byte candidates at the limit.
   * @default 'characters'
   */
  readonly measure?: 'characters' | 'bytes';
}

/** Candidates of a name or description prop. */
export function names(options: NameOptions = {}): Candidate[] {
  const max = options.max ?? 255;
  const free = options.free ?? true;
  const tagFree = free ? ok : bad;
  const tagSpaces = options.spaces ?? free ? ok : bad;
  return [
    options.required ? bad('undefined', OMITTED) : ok('omitted', OMITTED),
    ok("'web'", 'web'),
    ok(`${max} chars`, 'n'.repeat(max)),
    tagSpaces("'my name 1'", 'my name 1'),
    tagFree('unicode', 'ünïcødé-✓'),
    ...(options.extraOk ?? []).map((s) => ok(JSON.stringify(s), s)),
    bad("''", ''),
    bad("'   '", '   '),
    bad("' web' (a leading space)", ' web'),
    bad("'web ' (a trailing space)", 'web '),
    ...(free ? multiByte(max, options.measure ?? 'characters') : []),
    bad(`${max + 1} chars`, 'n'.repeat(max + 1)),
    bad('10000 chars', 'n'.repeat(10000)),
    bad("'${var.x}' inside", 'a${var.x}'),
    bad("'%{if}' inside", 'a%{ if true }b'),
    ...wrongForString(),
    ...(options.extraBad ?? []).map((v) => bad(JSON.stringify(v), v as ValueOrMaker)),
  ];
}

/**
 * Names at the length limit as the service measures it: in code points, `max` emoji (2 UTF-16
 * units each) pass and one more fails; in UTF-8 bytes, `max / 2` two-byte letters pass and one
 * more fails.
 */
function multiByte(max: number, measure: 'characters' | 'bytes'): Candidate[] {
  if (measure === 'bytes') {
    const n = Math.floor(max / 2);
    return [ok(`${n} two-byte letters (${n * 2} bytes)`, 'é'.repeat(n)), bad(`${n + 1} two-byte letters (${(n + 1) * 2} bytes)`, 'é'.repeat(n + 1))];
  }
  return [ok(`${max} emoji (${max * 2} UTF-16 units)`, '😀'.repeat(max)), bad(`${max + 1} emoji`, '😀'.repeat(max + 1))];
}

/** Candidates of an integer prop in [min, max]. */
export function ints(min: number, max: number, required = false): Candidate[] {
  return [
    required ? bad('undefined', OMITTED) : ok('omitted', OMITTED),
    ok(String(min), min),
    ok(String(max), max),
    ok('middle', Math.floor((min + max) / 2)),
    bad(String(min - 1), min - 1),
    bad(String(max + 1), max + 1),
    bad('NaN', NaN),
    bad('Infinity', Infinity),
    bad('-Infinity', -Infinity),
    bad(`${min}.5`, min + 0.5),
    bad(`'${min}' (a string)`, String(min)),
    bad('null', null),
    bad('{}', () => ({})),
    bad('true', true),
    bad('1e300', 1e300),
    ...(min <= 0 && max >= 0 ? [maybe('-0', -0)] : []),
  ];
}

/** Candidates of an optional boolean prop. */
export function bools(): Candidate[] {
  return [ok('omitted', OMITTED), ok('true', true), ok('false', false), bad("'true'", 'true'), bad("'false'", 'false'), bad('1', 1), bad('0', 0), bad('null', null), bad('{}', () => ({}))];
}

/** Candidates of the whole props object (`__props`): the constructor receives exactly this. */
export function wholeProps(optional: boolean): Candidate[] {
  return [
    optional ? ok('no props', OMITTED) : bad('no props', OMITTED),
    bad('null props', null),
    bad("props 'x'", 'x'),
    bad('props 42', 42),
    bad('props []', () => []),
  ];
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export const IMAGE = (): Image => Image.fromName('ubuntu-22.04');
export const FLAVOR = (): Flavor => Flavor.fromName('m1.small', { vcpus: 1 });
export const CERT = 'https://barbican.example.com:9311/v1/containers/0b5c1c6a-5f7a-4e4e-9d6e-1f2a3b4c5d6e';

const LISTENER_PORTS: Record<string, number> = { HTTP: 80, HTTPS: 443, TCP: 8443, UDP: 53, TERMINATED_HTTPS: 8444 };

/** Valid constructs a case may need, created on first use in the case's stack. */
export class Env {
  private readonly memo = new Map<string, unknown>();

  constructor(public readonly stack: Stack) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  /** A VirtualNetwork 10.0.0.0/24 ('Net'). */
  public get net(): VirtualNetwork {
    return this.once('net', () => new VirtualNetwork(this.stack, 'Net', { externalNetworkName: 'public', cidr: '10.0.0.0/24' }));
  }

  /** An existing network by name ('Imported'). */
  public get importedNet(): INetwork {
    return this.once('importedNet', () => Network.fromName(this.stack, 'Imported', 'private'));
  }

  /** Another security group ('OtherSg'). */
  public get otherSg(): SecurityGroup {
    return this.once('otherSg', () => new SecurityGroup(this.stack, 'OtherSg'));
  }

  /** Host props of a service or server on `net`. */
  public get host(): { image: Image; flavor: Flavor; networks: INetwork[] } {
    return { image: IMAGE(), flavor: FLAVOR(), networks: [this.net.network] };
  }

  /** A web server on `net` ('Web'). */
  public get web(): Server {
    return this.once('web', () => new Server(this.stack, 'Web', this.host));
  }

  /** A second web server ('Web2'). */
  public get web2(): Server {
    return this.once('web2', () => new Server(this.stack, 'Web2', this.host));
  }

  /** A load balancer on `net` ('Lb'). */
  public get lb(): LoadBalancer {
    return this.once('lb', () => new LoadBalancer(this.stack, 'Lb', { vipSubnet: this.net.subnet }));
  }

  /** An OVN load balancer on `net` ('LbOvn'). */
  public get lbOvn(): LoadBalancer {
    return this.once('lbOvn', () => new LoadBalancer(this.stack, 'LbOvn', { vipSubnet: this.net.subnet, provider: LoadBalancerProvider.OVN }));
  }

  /** A listener of `lb` for one protocol, on its own port. */
  public listener(protocol: keyof typeof LISTENER_PORTS): Listener {
    return this.once(`listener_${protocol}`, () =>
      this.lb.addListener(`L${protocol}`, {
        protocol: protocol === 'TERMINATED_HTTPS' ? ListenerProtocol.terminatedHttps(CERT) : ListenerProtocol[protocol as 'HTTP'],
        port: LISTENER_PORTS[protocol],
      }),
    );
  }

  /** The default pool of `listener(protocol)`, with `web` as member on 8080. */
  public pool(protocol: keyof typeof LISTENER_PORTS): Pool {
    return this.once(`pool_${protocol}`, () => {
      const pool = this.listener(protocol).addPool('Pool');
      pool.addMember(this.web, 8080);
      return pool;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Specs and cases

/** Props after mutation: a plain object, or (when `__props` was mutated) exactly that value. */
export type Props = any;

/**
 * The props minus the keys a spec's `build` uses to drive the case (a rule to add, who to let
 * in): those are not constructor props, and the constructor refuses unknown keys. Anything that
 * is not a plain object (a replaced `__props`) is passed through unchanged.
 */
export function without(p: Props, keys: readonly string[]): Props {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return p;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(p)) if (!keys.includes(k)) out[k] = p[k];
  return out;
}

/** How one construct constructor (or value-class factory) is fuzzed. */
export interface Spec {
  readonly name: string;
  /** Path of the construct under test: every refusal must name it. */
  readonly subject: string;
  /** Props (and method arguments) an error may name, by their first segment. */
  readonly knownProps: readonly string[];
  /** Candidate values per prop; `__props` replaces the whole props object. */
  readonly props: Readonly<Record<string, readonly Candidate[]>>;
  /**
   * Misspelled keys: each is added alone to the base props and must be refused with
   * SO_UNKNOWN_PROP (a typo must never silently keep a default).
   */
  readonly unknownKeys?: readonly string[];
  /**
   * Keys set on Object.prototype (to values the construct would refuse) while the base case is
   * built: it must build and render as if they were not there (only own properties are props).
   */
  readonly polluted?: ReadonlyArray<readonly [string, unknown]>;
  /** A valid set of props (the required ones), given the fixtures. */
  base(env: Env): Record<string, unknown>;
  /** Builds the stack: calls `props(env)` once fixtures exist, constructs the subject with them. */
  build(app: App, props: (env: Env) => Props): Stack;
}

/** One case: the props changed from the base, and to what. */
export type Mutation = readonly [string, Candidate];

/** The cases of a spec: every candidate alone (the sweep), then random combinations. */
export function casesOf(spec: Spec, seed: number, randomCases: number): Mutation[][] {
  const cases: Mutation[][] = [[]];
  for (const [prop, candidates] of Object.entries(spec.props)) {
    for (const c of candidates) cases.push([[prop, c]]);
  }
  for (const key of spec.unknownKeys ?? []) cases.push([[`__unknown:${key}`, bad(`unknown key '${key}'`, 1)]]);
  for (const [key, value] of spec.polluted ?? []) cases.push([[`__polluted:${key}`, ok(`Object.prototype.${key} = ${JSON.stringify(value)}`, value as never)]]);
  const rand = mulberry32(seed ^ hashOf(spec.name));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const keys = Object.keys(spec.props).filter((k) => k !== '__props');
  for (let i = 0; i < randomCases; i++) {
    const count = Math.min(keys.length, 2 + Math.floor(rand() * 3));
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(keys));
    cases.push(
      [...chosen].map((k) => {
        const list = spec.props[k];
        const bads = list.filter((c) => c.tag === 'bad');
        const goods = list.filter((c) => c.tag !== 'bad');
        // Mostly valid values, so combinations reach cross-prop rules and synthesis.
        return [k, rand() < 0.25 && bads.length > 0 ? pick(bads) : pick(goods.length > 0 ? goods : list)] as const;
      }),
    );
  }
  return cases;
}

/** Applies the mutations to the base props. */
function propsFor(spec: Spec, mutations: readonly Mutation[]): (env: Env) => Props {
  return (env) => {
    const whole = mutations.find(([k]) => k === '__props');
    if (whole) {
      const v = whole[1].make(env);
      return v === OMITTED ? undefined : v;
    }
    const props: Record<string, unknown> = { ...spec.base(env) };
    for (const [k, c] of mutations) {
      if (k.startsWith('__polluted:')) continue;
      if (k.startsWith('__unknown:')) {
        props[k.slice('__unknown:'.length)] = c.make(env);
        continue;
      }
      const v = c.make(env);
      if (v === OMITTED) delete props[k];
      else props[k] = v;
    }
    return props;
  };
}

const CODES: readonly string[] = Object.values(ErrorCode);

/**
 * Render-time refusals that are documented limits of one target (the other target renders the
 * stack): the prop a `SO_UNSUPPORTED` error names, and why.
 */
export const TARGET_LIMITS: ReadonlyMap<string, string> = new Map([
  ['maxRetriesDown', 'HealthMonitor: Heat has no max_retries_down'],
  ['versioned', 'ObjectContainer: Heat cannot turn Swift versioning on'],
  ['sensitive', 'Stack output: Heat cannot hide an output'],
  ['hosting.volumeType', 'Database on Trove: Heat cannot name a volume type / Terraform needs one'],
  ['hosting.volumeSizeGiB', 'Database on Trove: Heat caps the volume at 150 GiB'],
  ['network', 'Subnet.fromId/fromName without a network: Heat cannot look the network up'],
]);

/** What one case did. */
export type Outcome =
  | { kind: 'refused'; code: string }
  | { kind: 'rendered'; heat: Record<string, string>; terraformDir: string }
  | { kind: 'target-limited'; limit: string }
  | { kind: 'cross-construct' }
  | { kind: 'failed'; why: string };

function describeCase(spec: Spec, index: number, mutations: readonly Mutation[]): string {
  const what = mutations.length === 0 ? 'base props' : mutations.map(([k, c]) => `${k}=${c.label}`).join(', ');
  return `${spec.name} #${index} [${what}]`;
}

/** Why a thrown value is not an acceptable refusal of `spec`'s input, or undefined when it is. */
function badRefusal(spec: Spec, e: unknown): string | undefined {
  if (!(e instanceof ScaleoutError)) {
    const err = e as Error | undefined;
    return `threw ${err?.constructor?.name ?? typeof e} instead of a ScaleoutError: ${String(err?.message ?? e).split('\n')[0]}`;
  }
  if (!CODES.includes(e.code)) return `unknown error code ${e.code}: ${e.message}`;
  if (!e.message.includes(spec.subject)) return `message does not name the construct path ${spec.subject}: ${e.message}`;
  if (!e.message.includes(`'${e.prop}'`)) return `message does not quote its prop '${e.prop}': ${e.message}`;
  const root = e.prop.split(/[.[]/)[0];
  if (e.code === ErrorCode.UNKNOWN_PROP && (spec.unknownKeys ?? []).includes(root)) return undefined;
  if (!spec.knownProps.includes(root)) return `names prop '${e.prop}', not one of ${spec.knownProps.join(', ')}: ${e.message}`;
  return undefined;
}

/** An acceptable render-time refusal (a documented target limit or a tree validation), or undefined. */
function renderRefusal(e: unknown): string | undefined {
  if (!(e instanceof ScaleoutError)) return undefined;
  if (e.code === ErrorCode.UNSUPPORTED && TARGET_LIMITS.has(e.prop)) return e.prop;
  if (e.code === ErrorCode.USAGE && e.prop === 'validation') return 'validation';
  return undefined;
}

/** Runs one case and classifies it. */
export function runCase(spec: Spec, index: number, mutations: readonly Mutation[]): Outcome & { label: string } {
  const label = describeCase(spec, index, mutations);
  const app = new App();
  let stack: Stack;
  const polluted = mutations.filter(([k]) => k.startsWith('__polluted:')).map(([k, c]) => [k.slice('__polluted:'.length), c.make(undefined as never)] as const);
  try {
    for (const [k, v] of polluted) (Object.prototype as Record<string, unknown>)[k] = v;
    try {
      stack = spec.build(app, propsFor(spec, mutations));
    } finally {
      for (const [k] of polluted) delete (Object.prototype as Record<string, unknown>)[k];
    }
  } catch (e) {
    const why = badRefusal(spec, e);
    if (why) return { kind: 'failed', why: `${label}: ${why}`, label };
    if (mutations.length === 1 && mutations[0][1].tag === 'ok') {
      return { kind: 'failed', why: `${label}: a valid value was refused: ${(e as Error).message}`, label };
    }
    return { kind: 'refused', code: (e as ScaleoutError).code, label };
  }
  const badOnes = mutations.filter(([, c]) => c.tag === 'bad');
  if (badOnes.length > 0) {
    return { kind: 'failed', why: `${label}: accepted ${badOnes.map(([k, c]) => `${k}=${c.label}`).join(', ')}`, label };
  }
  const errors: Array<[string, unknown]> = [];
  let heat: Record<string, string> | undefined;
  let terraformDir: string | undefined;
  try {
    heat = heatFiles(heatOf(stack));
  } catch (e) {
    errors.push(['Heat', e]);
  }
  try {
    terraformDir = terraformOf(stack).directory;
  } catch (e) {
    errors.push(['Terraform', e]);
  }
  if (errors.length === 0) return { kind: 'rendered', heat: heat!, terraformDir: terraformDir!, label };
  if (terraformDir) removeSynthesis(terraformDir);
  const limits = errors.map(([, e]) => renderRefusal(e));
  if (limits.every((l) => l !== undefined) && errors.length === 1) {
    return limits[0] === 'validation' ? { kind: 'cross-construct', label } : { kind: 'target-limited', limit: limits[0]!, label };
  }
  const why = errors.map(([target, e]) => `${target}: ${e instanceof Error ? e.message.split('\n').slice(0, 4).join(' | ') : String(e)}`).join('; ');
  return { kind: 'failed', why: `${label}: did not render to both targets: ${why}`, label };
}

/** Deletes the temporary cdktf output folder of a synthesized stack (`<outdir>/stacks/<name>`). */
export function removeSynthesis(directory: string): void {
  fs.rmSync(path.dirname(path.dirname(directory)), { recursive: true, force: true });
}
