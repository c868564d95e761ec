import { yaml } from '../../core/js-yaml';
import type { HeatContext, TerraformContext } from '../../core/context';
import type { IConstruct } from 'constructs';
import type { Value } from '../../core/value';
import { validateCloudConfig, validateUserDataText } from './user-data-checks';

/** A file that cloud-init writes. */
export interface CloudConfigFile {
  /** Absolute path on the server. */
  readonly path: string;
  /** File content. May contain placeholders (see `CloudConfig.substitute`). */
  readonly content: string;
  /**
   * Octal permissions, e.g. '0644'.
   * @default '0644'
   */
  readonly permissions?: string;
  /**
   * Owner, 'user:group'.
   * @default 'root:root'
   */
  readonly owner?: string;
}

/**
 * A small typed builder for cloud-init `#cloud-config` documents: packages, files and commands.
 *
 * @example
 * new CloudConfig().addPackages('nginx').addFile({ path: '/etc/app.conf', content: 'db=@@db_host@@' })
 *   .addRunCommands('systemctl restart nginx').substitute('@@db_host@@', database.host)
 */
export class CloudConfig {
  private readonly packages: string[] = [];
  private readonly files: CloudConfigFile[] = [];
  private readonly commands: Array<string | string[]> = [];
  private readonly substitutions = new Map<string, Value>();
  private upgrade = false;

  /** Packages to install with the distribution's package manager. */
  public addPackages(...names: string[]): this {
    for (const n of names) if (!this.packages.includes(n)) this.packages.push(n);
    return this;
  }

  /** A file to write. */
  public addFile(file: CloudConfigFile): this {
    // Own properties only (checked with the rest when a server or group takes the user data).
    const own = (k: string): unknown => (file !== null && typeof file === 'object' && Object.prototype.hasOwnProperty.call(file, k) ? (file as unknown as Record<string, unknown>)[k] : undefined);
    const extra = file !== null && typeof file === 'object' ? Object.keys(file).filter((k) => !['path', 'content', 'permissions', 'owner'].includes(k)) : [];
    this.files.push({ path: own('path'), content: own('content'), permissions: own('permissions'), owner: own('owner'), _raw: file, _extra: extra } as never);
    return this;
  }

  /** Commands to run once, at first boot, in order. A string runs in a shell; an array runs as argv. */
  public addRunCommands(...commands: Array<string | string[]>): this {
    this.commands.push(...commands);
    return this;
  }

  /** Upgrade installed packages at first boot. */
  public upgradePackages(): this {
    this.upgrade = true;
    return this;
  }

  /**
   * Replaces `placeholder` everywhere in the document by a value known only at deploy time
   * (an address, a generated password): `str_replace` in HOT, an interpolation in Terraform.
   */
  public substitute(placeholder: string, value: Value): this {
    this.substitutions.set(placeholder, value);
    return this;
  }

  /** The `#cloud-config` text, placeholders still in place. */
  public render(): string {
    const doc: Record<string, unknown> = {};
    if (this.packages.length > 0 || this.upgrade) doc.package_update = true;
    if (this.upgrade) doc.package_upgrade = true;
    if (this.packages.length > 0) doc.packages = [...this.packages];
    if (this.files.length > 0) {
      doc.write_files = this.files.map((f) => ({
        path: f.path,
        permissions: f.permissions ?? '0644',
        owner: f.owner ?? 'root:root',
        content: f.content,
      }));
    }
    if (this.commands.length > 0) doc.runcmd = [...this.commands];
    return `#cloud-config\n${yaml.dump(doc, { lineWidth: -1, noRefs: true, quotingType: "'" })}`;
  }

  /** @internal A copy, so a construct can add to it without changing the user's document. */
  public _copy(): CloudConfig {
    const copy = new CloudConfig();
    copy.packages.push(...this.packages);
    copy.files.push(...this.files);
    copy.commands.push(...this.commands);
    for (const [k, v] of this.substitutions) copy.substitutions.set(k, v);
    copy.upgrade = this.upgrade;
    return copy;
  }

  /** @internal */
  public get _substitutions(): ReadonlyMap<string, Value> {
    return this.substitutions;
  }

  /** @internal Throws a ScaleoutError (at `scope`, prop `prop`) for a bad package, file, command or substitution. */
  public _validate(scope: IConstruct, prop: string): void {
    validateCloudConfig(scope, prop, { packages: this.packages, files: this.files as never, commands: this.commands, substitutions: this.substitutions });
  }
}

/** @internal A final step added after what the user data runs (see `UserData._followedBy`). */
export interface FinalStep {
  /** Shell lines placed right after a shell script's `set -eu` (e.g. an EXIT trap). */
  readonly shellPrelude: readonly string[];
  /** Where a cloud-config document writes `script` (mode 0700), run by its last `runcmd` entry. */
  readonly scriptPath: string;
  /** The script a cloud-config document runs last. */
  readonly script: string;
}

/** What a server runs at first boot. */
export class UserData {
  /** A cloud-init `#cloud-config` document. */
  public static forCloudConfig(config: CloudConfig): UserData {
    if (!(config instanceof CloudConfig)) {
      return new UserData(() => '', new Map(), (scope, prop) => validateUserDataText(scope, prop, 'config', config, 'a CloudConfig', 'pass new CloudConfig()...'));
    }
    return new UserData(
      () => config.render(),
      config._substitutions,
      (scope, prop) => config._validate(scope, prop),
      (step) => UserData.forCloudConfig(config._copy().addFile({ path: step.scriptPath, content: step.script, permissions: '0700' }).addRunCommands(['/bin/sh', step.scriptPath])),
    );
  }

  /** A shell script (cloud-init runs it once at first boot). */
  public static forShellScript(...lines: string[]): UserData {
    return new UserData(
      () => `#!/bin/sh\nset -eu\n${lines.join('\n')}\n`,
      new Map(),
      (scope, prop) => lines.forEach((l, i) => validateUserDataText(scope, `${prop}.lines[${i}]`, 'line', l, 'a string', 'pass each line of the script as a string')),
      (step) => UserData.forShellScript(...step.shellPrelude, ...lines),
    );
  }

  /** Raw user data, passed through unchanged. */
  public static custom(text: string): UserData {
    return new UserData(() => text, new Map(), (scope, prop) => validateUserDataText(scope, prop, 'text', text, 'a string', 'pass the user data as text'));
  }

  private constructor(
    private readonly text: () => string,
    private readonly substitutions: ReadonlyMap<string, Value>,
    private readonly check: (scope: IConstruct, prop: string) => void,
    private readonly followedBy?: (step: FinalStep) => UserData,
  ) {}

  /**
   * @internal The same user data with `step` run once the user's own part has run: prepended to a
   * shell script, appended to a cloud-config document; undefined for `custom` user data, whose
   * format is unknown.
   */
  public _followedBy(step: FinalStep): UserData | undefined {
    return this.followedBy?.(step);
  }

  /** Throws a ScaleoutError at `scope` when the content is invalid (called by every construct that takes user data). */
  public validate(scope: IConstruct, prop: string): void {
    this.check(scope, prop);
  }

  /** The text with placeholders in place. */
  public render(): string {
    return this.text();
  }

  /** @internal The user data in HOT: a string, or `str_replace` when values are substituted. */
  public _heat(ctx: HeatContext): unknown {
    const template = this.text();
    if (this.substitutions.size === 0) return template;
    const params: Record<string, unknown> = {};
    for (const [k, v] of this.substitutions) params[k] = v._heat(ctx);
    return { str_replace: { template, params } };
  }

  /**
   * @internal The user data in Terraform: literal text with `${`/`%{` escaped (so a shell
   * script's `${VAR}` is not read as an interpolation) and placeholders replaced by references.
   */
  public _terraform(ctx: TerraformContext): string {
    let out = escapeTerraformTemplate(this.text());
    for (const [k, v] of this.substitutions) out = out.split(escapeTerraformTemplate(k)).join(String(v._terraform(ctx)));
    return out;
  }
}

/** Escapes Terraform template sequences in literal text. */
export function escapeTerraformTemplate(text: string): string {
  // A function replacement: in a replacement string, `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
