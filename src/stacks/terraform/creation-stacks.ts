/**
 * The engine's creation stacks, and how Scaleout leaves them out when the app's stack traces are off.
 *
 * cdktf 0.21 (and cdktn) capture a complete stack trace for every token and complex attribute they
 * create, whatever the app's options: `captureStackTrace` in `lib/tokens/private/stack-trace.js`
 * is called unconditionally by the constructors of `Intrinsic` (`tokens/private/intrinsic.js`,
 * behind every attribute reference and `dependsOn`), `ComplexResolvable`
 * (`complex-computed-list.js`, behind every complex attribute of an L1) and `Lazy`. It raises
 * `Error.stackTraceLimit` to `Number.MAX_SAFE_INTEGER`, captures into a plain object and reads its
 * `stack` at once, so every capture walks and formats the whole stack (about 0.2 ms each, tens of
 * thousands of times in a large stack); the text is only ever shown in a token resolution error
 * ("Object creation stack"). The engine's own switch, `new App({ stackTraces: false })` (`app.js`,
 * the context key `@cdktf/disable_stack_trace_in_metadata`), only affects annotations
 * (`annotations.js`), not these captures.
 *
 * So when the app's stack traces are off, Scaleout renders with `Error.stackTraceLimit` made an
 * accessor that reads 0 and ignores writes: V8 captures a stack only when that property holds a
 * number (`GetStackTraceLimit`, which reads it without calling accessors), so the engine records
 * an empty creation stack at almost no cost. Errors created meanwhile have no stack either; one
 * that leaves the window gets a one-line stack saying how to get the full one.
 */

/** cdktf's (and cdktn's) context key for `new App({ stackTraces: false })`. */
export const DISABLE_STACK_TRACE_CONTEXT = '@cdktf/disable_stack_trace_in_metadata';

/** Runs `fn` with no stack traces captured (see above); `Error.stackTraceLimit` is restored after. */
export function withoutCreationStacks<T>(fn: () => T): T {
  const previous = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  if (previous && !previous.configurable) return fn();
  Object.defineProperty(Error, 'stackTraceLimit', { get: () => 0, set: () => undefined, configurable: true, enumerable: previous?.enumerable ?? true });
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && e.stack === undefined) {
      Object.defineProperty(e, 'stack', {
        value: `${String(e)}\n    at <stack traces off while rendering to Terraform: synthesizeTerraform(..., { stackTraces: true }) or new App({ stackTraces: true }) shows them>`,
        writable: true,
        configurable: true,
      });
    }
    throw e;
  } finally {
    if (previous) Object.defineProperty(Error, 'stackTraceLimit', previous);
    else delete (Error as { stackTraceLimit?: number }).stackTraceLimit;
  }
}
