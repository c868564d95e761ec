/**
 * The engine's creation stacks, and how Scaleout leaves them out when the app's stack traces are off.
 *
 * cdktf 0.21 (and cdktn) capture a complete stack trace for every token and complex attribute they
 * create, whatever the app's options: `captureStackTrace` in `lib/tokens/private/stack-trace.js`
 * is called unconditionally by the constructors of `Intrinsic` (`tokens/private/intrinsic.js`,
 * behind every attribute reference and `dependsOn`), `ComplexResolvable`
 * (`complex-computed-list.js`, behind every complex attribute of an L1) and `Lazy`. It raises
 * `Error.stackTraceLimit` to `Number.MAX_SAFE_INTEGER`, captures into a plain object and reads its
 * `stack` at once, so every capture formats the whole stack; the text is only ever shown in a
 * token resolution error ("Object creation stack"). The engine's own switch, `new App({
 * stackTraces: false })` (`app.js`, the context key `@cdktf/disable_stack_trace_in_metadata`),
 * only affects annotations (`annotations.js`), not these captures.
 *
 * So when the app's stack traces are off, Scaleout renders with a stack-trace formatter that
 * returns an empty text for such captures (plain objects, never `Error`s): the engine then records
 * an empty creation stack. Errors keep their usual stack: V8 formats an error's stack when it is
 * first read, and one read inside the window is formatted by the formatter that was in place.
 */

/** cdktf's (and cdktn's) context key for `new App({ stackTraces: false })`. */
export const DISABLE_STACK_TRACE_CONTEXT = '@cdktf/disable_stack_trace_in_metadata';

type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Node's default format: `String(error)`, then one `    at <frame>` line per frame. */
function nodeDefault(error: Error, frames: NodeJS.CallSite[]): string {
  let head: string;
  try {
    head = String(error);
  } catch {
    head = '<error>';
  }
  return frames.length === 0 ? head : `${head}\n    at ${frames.join('\n    at ')}`;
}

/**
 * Runs `fn` with the creation stacks the engine captures into plain objects left empty; an
 * `Error`'s stack read meanwhile is formatted as before (by the app's own formatter, if any).
 */
export function withoutCreationStacks<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace as Formatter | undefined;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (error instanceof Error) return previous ? previous(error, frames) : nodeDefault(error, frames);
    return '';
  };
  try {
    return fn();
  } finally {
    (Error as { prepareStackTrace?: Formatter }).prepareStackTrace = previous;
  }
}
