/**
 * `Annotations`: assertions over what the construct tree reports, in the shape of AWS CDK's
 * `Annotations` (`aws-cdk-lib/assertions`). Warnings are Scaleout's (`Warnings.of`, with stable
 * ids), cdktf's (`Annotations.of(node).addWarning`) and the policy pack's; errors are failed
 * construct validations (`node.addValidation`), cdktf's error annotations and the policy pack's.
 */
import { IConstruct } from 'constructs';
import { Warnings } from '../core/warnings';
import { isMatcher, matchPattern, renderValue } from './match';

/** One annotation of the construct tree. */
export interface Annotation {
  /** Path of the construct it is on. */
  readonly path: string;
  /** warning or error. */
  readonly level: 'warning' | 'error';
  /** A stable id when the source has one (`scaleout:desired-capacity`, a policy rule id). */
  readonly id?: string;
  /** The text. */
  readonly message: string;
}

/** Construct-metadata types under which the policy pack records findings outside a cdktf app. */
export const POLICY_WARNING_METADATA_TYPE = 'scaleout:policy-warning';
/** See `POLICY_WARNING_METADATA_TYPE`. */
export const POLICY_ERROR_METADATA_TYPE = 'scaleout:policy-error';

// cdktf's AnnotationMetadataEntryType values (cdktf/lib/annotations.d.ts), read as plain strings so
// that this module does not load cdktf.
const CDKTF_WARN = '@cdktf/warn';
const CDKTF_ERROR = '@cdktf/error';

/** Assertions over the warnings and errors of a construct tree. */
export class Annotations {
  /** The annotations of `scope` and everything below it (a Scaleout stack, an app, a cdktf stack). */
  public static fromStack(scope: IConstruct): Annotations {
    const list: Annotation[] = [];
    for (const w of Warnings.of(scope)) list.push({ path: w.path, level: 'warning', id: w.id, message: w.message });
    for (const c of scope.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === CDKTF_WARN || m.type === CDKTF_ERROR) {
          list.push({ path: c.node.path, level: m.type === CDKTF_WARN ? 'warning' : 'error', message: String(m.data) });
        } else if (m.type === POLICY_WARNING_METADATA_TYPE || m.type === POLICY_ERROR_METADATA_TYPE) {
          const d = m.data as { id: string; message: string };
          list.push({ path: c.node.path, level: m.type === POLICY_WARNING_METADATA_TYPE ? 'warning' : 'error', id: d.id, message: d.message });
        }
      }
      for (const message of c.node.validate()) list.push({ path: c.node.path, level: 'error', message });
    }
    return new Annotations(list);
  }

  private constructor(private readonly list: readonly Annotation[]) {}

  /** Every annotation, in construct-tree order. */
  public get all(): readonly Annotation[] {
    return this.list;
  }

  /**
   * Warnings on construct `path` (`'*'` for any) matching `match`: a string is the exact message,
   * a matcher tests the message, an object pattern tests `{ path, id, message }`.
   */
  public findWarning(path: string, match: unknown): Annotation[] {
    return this.find('warning', path, match);
  }

  /** Errors on construct `path` (`'*'` for any) matching `match` (as in `findWarning`). */
  public findError(path: string, match: unknown): Annotation[] {
    return this.find('error', path, match);
  }

  /** Asserts a matching warning exists. */
  public hasWarning(path: string, match: unknown): void {
    this.assertSome('warning', path, match);
  }

  /** Asserts no matching warning exists. */
  public hasNoWarning(path: string, match: unknown): void {
    this.assertNone('warning', path, match);
  }

  /** Asserts a matching error exists. */
  public hasError(path: string, match: unknown): void {
    this.assertSome('error', path, match);
  }

  /** Asserts no matching error exists. */
  public hasNoError(path: string, match: unknown): void {
    this.assertNone('error', path, match);
  }

  private find(level: Annotation['level'], path: string, match: unknown): Annotation[] {
    return this.list.filter((a) => a.level === level && (path === '*' || a.path === path) && matchPattern(...subject(match, a)).isSuccess);
  }

  private assertSome(level: Annotation['level'], path: string, match: unknown): void {
    if (this.find(level, path, match).length > 0) return;
    const onPath = this.list.filter((a) => a.level === level && (path === '*' || a.path === path));
    const listed = onPath.length === 0 ? 'there are none' : `there are:\n${onPath.map((a) => `  ${a.path}: ${a.id ? `[${a.id}] ` : ''}${a.message}`).join('\n')}`;
    throw new Error(`expected ${level === 'error' ? 'an' : 'a'} ${level} on ${path === '*' ? 'any construct' : path} matching ${describe(match)}, but ${listed}`);
  }

  private assertNone(level: Annotation['level'], path: string, match: unknown): void {
    const found = this.find(level, path, match);
    if (found.length > 0) {
      throw new Error(`expected no ${level} on ${path === '*' ? 'any construct' : path} matching ${describe(match)}, but found:\n${found.map((a) => `  ${a.path}: ${a.message}`).join('\n')}`);
    }
  }
}

function subject(match: unknown, a: Annotation): [unknown, unknown] {
  if (typeof match === 'string' || isMatcher(match)) return [match, a.message];
  return [match, { path: a.path, id: a.id, message: a.message }];
}

function describe(match: unknown): string {
  return isMatcher(match) ? `a ${match.name} matcher` : renderValue(match);
}
