/**
 * The Terraform CDK engine Scaleout renders with: the user's own copy of `cdktf` (0.21) or of its
 * maintained fork `cdktn` (0.24), both peer dependencies. The engine is loaded on first use only,
 * so a Heat-only program never loads either. The published JavaScript (see scripts/build.ts)
 * requires every engine symbol through `engineModule()`, the generated L1 bindings included, so
 * one build serves both engines.
 */
import Module from 'module';
import * as path from 'path';
import type * as Cdktf from 'cdktf';

/**
 * The engine's module (cdktf and cdktn have the same API).
 * @internal
 */
export type EngineModule = typeof Cdktf;

/** The engines Scaleout can render with, in the order they are looked for. */
export const ENGINE_NAMES = ['cdktf', 'cdktn'] as const;
/** One of the engines. */
export type EngineName = (typeof ENGINE_NAMES)[number];

interface Selected {
  readonly name: EngineName | 'custom';
  readonly module: EngineModule;
}

let selected: Selected | undefined;

function tryRequire(name: EngineName): EngineModule | undefined {
  try {
    // A variable module name keeps the build's engine rewrite away from this one place.
    const id: string = name;
    deferArchiver(id);
    return require(id) as EngineModule;
  } catch (e) {
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`'${name}'`)) return undefined;
    throw e;
  }
}

/**
 * cdktf 0.21 (and cdktn) require `archiver` when they load (`lib/private/fs.js`, for zipping
 * directory assets), which is about half of the engine's loading time; Scaleout never zips. When
 * Scaleout is the first to load the engine, `archiver` is put in the module cache as a stand-in
 * that loads the real module on first use (a call, or a property read), so an app that zips still
 * gets the real `archiver`.
 */
function deferArchiver(engine: string): void {
  let entry: string;
  try {
    if (require.cache[require.resolve(engine)]) return;
    entry = require.resolve('archiver', { paths: [path.dirname(require.resolve(`${engine}/package.json`))] });
  } catch {
    return;
  }
  if (require.cache[entry]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[entry];
      real = require(entry) as object;
    }
    return real;
  };
  const standIn = new Proxy(function archiver() {}, {
    apply: (_target, thisArg, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, thisArg, args),
    construct: (_target, args) => Reflect.construct(load() as new (...a: unknown[]) => object, args),
    get: (_target, key) => Reflect.get(load(), key),
    has: (_target, key) => Reflect.has(load(), key),
  });
  const cached = new Module(entry, module);
  cached.filename = entry;
  cached.loaded = true;
  cached.exports = standIn;
  require.cache[entry] = cached;
}

/**
 * Picks the engine explicitly, before any Terraform rendering: `useEngine(require('cdktn'))`.
 * Only needed when both `cdktf` and `cdktn` are installed and the app uses `cdktn`.
 */
export function useEngine(module: unknown): void {
  if (typeof module !== 'object' || module === null || typeof (module as Partial<EngineModule>).TerraformStack !== 'function') {
    throw new Error(`useEngine: 'module' must be the cdktf or cdktn module (require('cdktn')), got ${typeof module} [SO_USAGE]`);
  }
  if (selected && selected.module !== module) {
    throw new Error(`useEngine: Scaleout already renders with ${selected.name}; call useEngine() before the first Terraform stack is rendered [SO_USAGE]`);
  }
  const name = ENGINE_NAMES.find((n) => tryRequire(n) === module) ?? 'custom';
  selected = { name, module: module as EngineModule };
}

/**
 * The engine module, loaded on first call: `cdktf` when installed, else `cdktn`.
 * @internal
 */
export function engineModule(): EngineModule {
  if (!selected) {
    for (const name of ENGINE_NAMES) {
      const module = tryRequire(name);
      if (module) {
        selected = { name, module };
        break;
      }
    }
    if (!selected) {
      throw new Error(
        "Scaleout: rendering to Terraform needs a Terraform CDK engine, and neither 'cdktf' nor 'cdktn' is installed; run `npm i cdktf` (or `npm i cdktn`) in your app [SO_USAGE]",
      );
    }
  }
  return selected.module;
}

/** The name of the engine in use (loading it if needed). */
export function engineName(): string {
  engineModule();
  return selected!.name;
}

/** True when the engine is already loaded (so a value may be a token of it); never loads it. */
export function engineLoaded(): boolean {
  return selected !== undefined;
}
