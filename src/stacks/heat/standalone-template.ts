import type { IConstruct } from 'constructs';
import type { HeatContext } from '../../core/context';
import type { OpenStackRelease } from '../../core/release';
import { toYaml } from './heat-synthesizer';
import { HotDocument } from './hot-document';

/** How to build a standalone HOT template (one that is not a Scaleout stack's main template). */
export interface StandaloneHeatOptions {
  /** The naming root: logical names are construct paths below it (use the Scaleout stack, so names match the Heat target). */
  readonly root: IConstruct;
  /** The release the template is written for. */
  readonly release: OpenStackRelease;
  /** The template's `description`. */
  readonly description: string;
  /**
   * Called once per nested template with its file name and YAML text, when the template is
   * finished; returns the name the parent template uses for it (for example a path that carries
   * a hash of the text).
   * @default - the file name itself
   */
  readonly placeFile?: (fileName: string, text: string) => string;
}

/** A standalone HOT template with its environment and nested templates. */
export interface StandaloneHeatTemplate {
  /** The template, as a plain object. */
  readonly template: Record<string, unknown>;
  /** The template as YAML text. */
  readonly templateText: string;
  /** Parameter values the constructs set for the environment (`setEnvironmentParameter`). */
  readonly environmentParameters: Readonly<Record<string, unknown>>;
  /** Nested templates, keyed by the name the template uses for them (see `placeFile`). */
  readonly files: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Builds a HOT template outside of a Heat stack synthesis: `build` adds resources, parameters and
 * outputs to the context exactly as a construct's `_toHeat` does. The Terraform target uses it to
 * embed what only Heat can do (an autoscaling group with its policies and alarms) in an
 * `openstack_orchestration_stack_v1`; the same rendering code serves both targets, with the
 * embedded template's parameters standing in for the main template's references.
 */
export function renderStandaloneHeat(options: StandaloneHeatOptions, build: (ctx: HeatContext) => void): StandaloneHeatTemplate {
  const files = new Map<string, Record<string, unknown>>();
  const environmentParameters = new Map<string, unknown>();
  const placeFile = options.placeFile;
  const doc = new HotDocument(
    {
      root: options.root,
      release: options.release,
      files,
      environmentParameters,
      placeFile: placeFile ? (name, document) => placeFile(name, toYaml(document)) : undefined,
    },
    options.description,
    true,
  );
  build(doc);
  const template = doc.document();
  return {
    template,
    templateText: toYaml(template),
    environmentParameters: Object.fromEntries(environmentParameters),
    files: Object.fromEntries(files),
  };
}
