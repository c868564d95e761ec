/**
 * The OpenStack release a stack targets. It decides the HOT `heat_template_version` and which
 * resource types exist, so a stack refuses what its cloud does not have (for example
 * `OS::Aodh::PrometheusAlarm` before 2024.1).
 */
export class OpenStackRelease {
  /**
   * 2022.2 "Zed": Heat 19.0.0, Debian 12's `python3-heat`, the release the bundled Heat schema was
   * dumped from and that validates the examples in CI.
   */
  public static readonly V2022_2 = new OpenStackRelease('2022.2', 'Zed', '2021-04-16', 2022.2);
  /**
   * The name this library gave Zed (2022.2) by mistake: the same release object as `V2022_2`, so
   * a stack that used it renders and validates exactly as before.
   * @deprecated use `OpenStackRelease.V2022_2` (Heat 19.0.0 is Zed, not 2023.1 "Antelope").
   */
  public static readonly V2023_1 = OpenStackRelease.V2022_2;
  /** 2023.2 "Bobcat". */
  public static readonly V2023_2 = new OpenStackRelease('2023.2', 'Bobcat', '2021-04-16', 2023.2);
  /** 2024.1 "Caracal": adds `OS::Aodh::PrometheusAlarm`. */
  public static readonly V2024_1 = new OpenStackRelease('2024.1', 'Caracal', '2021-04-16', 2024.1);
  /** 2024.2 "Dalmatian". */
  public static readonly V2024_2 = new OpenStackRelease('2024.2', 'Dalmatian', '2021-04-16', 2024.2);
  /**
   * 2025.1 "Epoxy": Heat 24.0.0, Debian 13's `python3-heat`; checked against its own bundled dump,
   * and the examples are validated by its Heat in CI too.
   */
  public static readonly V2025_1 = new OpenStackRelease('2025.1', 'Epoxy', '2021-04-16', 2025.1);

  /** Every release Scaleout knows, oldest first. */
  public static readonly ALL: readonly OpenStackRelease[] = [
    OpenStackRelease.V2022_2,
    OpenStackRelease.V2023_2,
    OpenStackRelease.V2024_1,
    OpenStackRelease.V2024_2,
    OpenStackRelease.V2025_1,
  ];

  /**
   * Looks a release up by its number, e.g. `'2024.1'`. `'2023.1'` (deprecated) is the old name of
   * `'2022.2'`.
   */
  public static of(version: string): OpenStackRelease | undefined {
    if (version === '2023.1') return OpenStackRelease.V2022_2;
    return OpenStackRelease.ALL.find((r) => r.version === version);
  }

  private constructor(
    /** Release number, e.g. `2022.2`. */
    public readonly version: string,
    /** Code name, e.g. `Zed`. */
    public readonly codeName: string,
    /** The newest `heat_template_version` this release's Heat accepts. */
    public readonly heatTemplateVersion: string,
    private readonly order: number,
  ) {}

  /** True when this release is `other` or newer. */
  public isAtLeast(other: OpenStackRelease): boolean {
    return this.order >= other.order;
  }

  /**
   * The release whose bundled Heat schema checks templates for this release (the newest not after
   * it): `2022.2` (a full dump of Heat 19.0.0, Zed), `2024.1` (the Zed dump plus
   * `OS::Aodh::PrometheusAlarm`, `schemas/heat/2024.1/overlay.json`) for 2024.1 and 2024.2, and
   * `2025.1` (a full dump of Heat 24.0.0, Debian 13's `python3-heat`) from 2025.1 on. 2023.1 and
   * 2023.2 are checked against the Zed dump.
   */
  public get schemaRelease(): string {
    if (this.isAtLeast(OpenStackRelease.V2025_1)) return '2025.1';
    return this.isAtLeast(OpenStackRelease.V2024_1) ? '2024.1' : '2022.2';
  }

  public toString(): string {
    return `${this.version} (${this.codeName})`;
  }
}
