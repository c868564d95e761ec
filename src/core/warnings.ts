import { IConstruct } from 'constructs';
import { ErrorCode, propError } from './errors';

/** The construct-metadata type Scaleout warnings are recorded under (`node.metadata`). */
export const WARNING_METADATA_TYPE = 'scaleout:warning';
/** The construct-metadata type an acknowledgement is recorded under. */
export const ACKNOWLEDGEMENT_METADATA_TYPE = 'scaleout:acknowledge';

/** One warning: where it was raised, its stable id and what it says. */
export interface ConstructWarning {
  /** Path of the construct the warning is about. */
  readonly path: string;
  /** Stable id of the kind of warning, e.g. `scaleout:desired-capacity`; acknowledge by this id. */
  readonly id: string;
  /** The warning text. */
  readonly message: string;
}

interface WarningData {
  readonly id: string;
  readonly message: string;
}

interface AcknowledgementData {
  readonly id: string;
  readonly reason: string;
}

const WARNING_ID = /^scaleout:[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Warnings about legal but surprising choices (a fixed desired capacity that every stack update
 * resets, a cooldown that has no effect). They are recorded as construct metadata of type
 * `scaleout:warning`, never thrown, so synthesis goes on; list them with `Warnings.of(app)`.
 * Each has a stable id; `Warnings.acknowledge(scope, id, reason)` silences one kind of warning on a
 * construct and everything below it, with the reason kept in the tree.
 */
export class Warnings {
  /** Records a warning of kind `id` on `scope` (the same text twice on one construct is recorded once). */
  public static add(scope: IConstruct, id: string, message: string): void {
    if (!WARNING_ID.test(id)) throw new Error(`internal: warning id '${id}' must look like 'scaleout:kebab-case'`);
    const known = scope.node.metadata.some((m) => m.type === WARNING_METADATA_TYPE && (m.data as WarningData).message === message);
    if (!known) scope.node.addMetadata(WARNING_METADATA_TYPE, { id, message } satisfies WarningData, { stackTrace: false });
  }

  /**
   * Acknowledges every warning of kind `id` on `scope` and below it: it is no longer listed by
   * `Warnings.of` nor printed. The reason is required, so a reviewer sees why.
   */
  public static acknowledge(scope: IConstruct, id: string, reason: string): void {
    if (typeof id !== 'string' || !WARNING_ID.test(id)) {
      throw propError(scope, ErrorCode.FORMAT, 'id', id, "must be a warning id like 'scaleout:desired-capacity'", 'copy it from the warning');
    }
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw propError(scope, ErrorCode.REQUIRED, 'reason', reason, `must say why warning '${id}' is acknowledged`, 'pass a sentence');
    }
    scope.node.addMetadata(ACKNOWLEDGEMENT_METADATA_TYPE, { id, reason } satisfies AcknowledgementData, { stackTrace: false });
  }

  /** Every warning recorded on `root` and the constructs below it, in construct-tree order, less the acknowledged ones. */
  public static of(root: IConstruct): ConstructWarning[] {
    return root.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === WARNING_METADATA_TYPE)
        .map((m) => m.data as WarningData)
        .filter((w) => !Warnings.isAcknowledged(c, w.id))
        .map((w) => ({ path: c.node.path, id: w.id, message: w.message })),
    );
  }

  /** True when warning `id` is acknowledged on `construct` or one of its scopes. */
  public static isAcknowledged(construct: IConstruct, id: string): boolean {
    return construct.node.scopes.some((s) => s.node.metadata.some((m) => m.type === ACKNOWLEDGEMENT_METADATA_TYPE && (m.data as AcknowledgementData).id === id));
  }

  private constructor() {}
}
