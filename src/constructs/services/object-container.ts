import { checkProps } from '../../core/props';
import { OBJECT_CONTAINER_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import type { ObjectstorageContainerV1 } from '../../../.gen/providers/openstack/objectstorage-container-v1';
import type { HeatContext, TerraformContext } from '../../core/context';
import { ErrorCode, propError, usageError } from '../../core/errors';
import { fitName, HEAT_STACK_NAME_ALLOWANCE, logicalNameOf } from '../../core/names';

/**
 * Swift's limit on a container name: 256 **bytes** of UTF-8, not characters. The proxy compares
 * `len()` of the WSGI path string, which holds the raw bytes (swift/common/constraints.py,
 * `MAX_CONTAINER_NAME_LENGTH`; checked in swift/proxy/controllers/container.py,
 * `ContainerController.PUT`): 128 two-byte characters already reach it.
 */
export const SWIFT_CONTAINER_NAME_MAX_BYTES = 256;
import { Resource } from '../../core/resource';
import { Stack } from '../../core/stack';
import { requireBoolean, requireName } from '../../core/validate';
import { Value } from '../../core/value';
import { L1 } from '../../stacks/terraform/l1';

/** Properties of an `ObjectContainer`. */
export interface ObjectContainerProps {
  /**
   * Name of the Swift container (at most 256 bytes of UTF-8, no `/`). Container names are unique in
   * a project, so two stacks must not use the same one: a fixed name ties the template to one
   * deployment per project.
   * @default - '<deployed stack name>-<logical name>'. Heat builds it when the stack is created,
   * from `OS::stack_name` (so two stacks created from one template get two containers, and
   * deleting one never purges the other's); Terraform, which has no deployed-stack name, uses the
   * Scaleout `stackName`
   */
  readonly containerName?: string;
  /**
   * Let anyone on the internet read objects by name (ACL `.r:*`). Off by default: the
   * application reads and writes with its own credentials.
   * @default false
   */
  readonly publicRead?: boolean;
  /**
   * Also let anyone list the container's objects (ACL `.rlistings`); needs `publicRead`.
   * @default false
   */
  readonly publicListing?: boolean;
  /**
   * Keep old versions of overwritten objects (Swift object versioning). Terraform sets
   * `versioning`; Heat's `OS::Swift::Container` has no way to turn it on, so rendering a versioned
   * container to Heat fails with an error rather than dropping it.
   * @default false
   */
  readonly versioned?: boolean;
  /**
   * Delete the objects when the container is deleted (Heat `PurgeOnDelete`, Terraform
   * `force_destroy`). When false, deleting the stack fails while the container holds objects,
   * which keeps the data safe.
   * @default false
   */
  readonly purgeOnDelete?: boolean;
}

/**
 * A Swift container for files every server must see (uploaded or generated images, shared
 * assets), so none is stranded on one server's disk.
 *
 * @example
 * const files = new ObjectContainer(this, 'Images', {});
 * config.substitute('@@CONTAINER@@', files.containerName);
 */
export class ObjectContainer extends Resource {
  /** The container name. */
  public readonly containerName: Value;
  /** Whether anyone may read objects. */
  public readonly publicRead: boolean;
  /** Whether anyone may list objects. */
  public readonly publicListing: boolean;
  /** Whether object versioning is on. */
  public readonly versioned: boolean;
  private readonly purgeOnDelete: boolean;
  /** The given name, or undefined for the default. */
  private readonly givenName?: string;
  /** The Terraform name: the given one, or '<stackName>-<logical name>'. */
  private readonly terraformName: string;

  constructor(scope: Construct, id: string, containerProps: ObjectContainerProps = {}) {
    super(scope, id);
    const props = checkProps(this, containerProps, OBJECT_CONTAINER_PROPS, { fix: 'pass { containerName, publicRead, ... } or nothing', optional: true });
    requireName(this, 'containerName', props.containerName, {
      maxLength: SWIFT_CONTAINER_NAME_MAX_BYTES,
      measure: 'bytes',
      pattern: /^[^/]+$/,
      patternText: "any characters but '/'",
    });
    for (const flag of ['publicRead', 'publicListing', 'versioned', 'purgeOnDelete'] as const) requireBoolean(this, flag, props[flag]);
    if (props.publicListing && !props.publicRead) {
      throw propError(this, ErrorCode.CONFLICT, 'publicListing', props.publicListing, 'needs publicRead: true', 'set publicRead: true as well, or drop publicListing');
    }
    this.publicRead = props.publicRead ?? false;
    this.publicListing = props.publicListing ?? false;
    this.versioned = props.versioned ?? false;
    this.purgeOnDelete = props.purgeOnDelete ?? false;
    const stack = Stack.of(this);
    this.givenName = props.containerName;
    this.terraformName = props.containerName ?? fitName(`${stack.stackName}-${logicalNameOf(this, stack.root)}`, SWIFT_CONTAINER_NAME_MAX_BYTES, 'bytes');
    this.containerName = Value.of(
      (ctx) => this.heatName(ctx),
      () => this.terraformName,
      `container name of ${this.node.path}`,
    );
  }

  /**
   * The Heat name: the given one, or `<OS::stack_name>-<logical name>` joined when the stack is
   * created, so each stack made from the template owns its own container.
   */
  private heatName(ctx: HeatContext): string | { list_join: [string, unknown[]] } {
    return this.givenName ?? { list_join: ['-', [{ get_param: 'OS::stack_name' }, fitName(ctx.logicalId(this), SWIFT_CONTAINER_NAME_MAX_BYTES - 1 - HEAT_STACK_NAME_ALLOWANCE, 'bytes')]] };
  }

  /** The read ACL, or undefined when the container is private. */
  private get readAcl(): string | undefined {
    if (!this.publicRead) return undefined;
    return this.publicListing ? '.r:*,.rlistings' : '.r:*';
  }

  public _toHeat(ctx: HeatContext): void {
    if (this.versioned) {
      throw usageError(
        this,
        ErrorCode.UNSUPPORTED,
        'versioned',
        "cannot be rendered to Heat: OS::Swift::Container has no versioning property; drop 'versioned' for the Heat target, or turn versioning on after deploying (swift post -H 'X-Versions-Enabled: true' <container>)",
      );
    }
    ctx.addResource(this, 'OS::Swift::Container', {
      name: this.heatName(ctx),
      'X-Container-Read': this.readAcl,
      PurgeOnDelete: this.purgeOnDelete,
    });
  }

  public _toTerraform(ctx: TerraformContext): ObjectstorageContainerV1 {
    const name = ctx.logicalId(this);
    return ctx.named(
      new L1.ObjectstorageContainerV1(ctx.scope, name, {
        name: this.terraformName,
        containerRead: this.readAcl,
        forceDestroy: this.purgeOnDelete,
        versioning: this.versioned ? true : undefined,
      }),
      name,
    );
  }
}
