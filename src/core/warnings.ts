import { IConstruct } from 'constructs';

/** The construct-metadata type Scaleout warnings are recorded under (`node.metadata`). */
export const WARNING_METADATA_TYPE = 'scaleout:warning';

/** One warning: where it was raised and what it says. */
export interface ConstructWarning {
  /** Path of the construct the warning is about. */
  readonly path: string;
  /** The warning text. */
  readonly message: string;
}

/**
 * Warnings about legal but surprising choices (a fixed desired capacity that every stack update
 * resets, a cooldown that has no effect). They are recorded as construct metadata of type
 * `scaleout:warning`, never thrown, so synthesis goes on; list them with `Warnings.of(app)`.
 */
export class Warnings {
  /** Records a warning on `scope` (the same text twice on one construct is recorded once). */
  public static add(scope: IConstruct, message: string): void {
    const known = scope.node.metadata.some((m) => m.type === WARNING_METADATA_TYPE && m.data === message);
    if (!known) scope.node.addMetadata(WARNING_METADATA_TYPE, message, { stackTrace: false });
  }

  /** Every warning recorded on `root` and the constructs below it, in construct-tree order. */
  public static of(root: IConstruct): ConstructWarning[] {
    return root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === WARNING_METADATA_TYPE).map((m) => ({ path: c.node.path, message: String(m.data) })));
  }

  private constructor() {}
}
