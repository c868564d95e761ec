import { ScaleoutError } from '../../src';

/** Runs `fn`, expects it to throw a ScaleoutError, and returns it (fails the test otherwise). */
export function errorOf(fn: () => unknown): ScaleoutError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScaleoutError);
    return e as ScaleoutError;
  }
  throw new Error('expected the call to throw');
}
