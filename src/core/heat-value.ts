/**
 * HOT intrinsic functions as typed values. A property of a generated Heat L1 interface accepts
 * either a literal of its type or one of these function calls.
 */
export type HeatIntrinsic =
  | { readonly get_param: string | ReadonlyArray<string | number> }
  | { readonly get_resource: string }
  | { readonly get_attr: ReadonlyArray<unknown> }
  | { readonly get_file: string }
  | { readonly str_replace: { readonly template: unknown; readonly params: Record<string, unknown> } }
  | { readonly list_join: ReadonlyArray<unknown> }
  | { readonly str_split: ReadonlyArray<unknown> }
  | { readonly if: ReadonlyArray<unknown> }
  | { readonly equals: ReadonlyArray<unknown> }
  | { readonly not: unknown }
  | { readonly and: ReadonlyArray<unknown> }
  | { readonly or: ReadonlyArray<unknown> }
  | { readonly yaql: { readonly expression: string; readonly data: unknown } }
  | { readonly map_merge: ReadonlyArray<unknown> }
  | { readonly repeat: Record<string, unknown> }
  | { readonly digest: ReadonlyArray<unknown> };

/** A literal of type T, or a HOT intrinsic function call that yields one. */
export type HeatValue<T> = T | HeatIntrinsic;
