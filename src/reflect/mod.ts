/**
 * What a live value references, found by reflection without running user code: own string and
 * symbol keys read through descriptors (never a getter, never a Proxy trap), array elements,
 * Map and Set entries, typed-array buffers, boxed values. The one referent rule of `sizeof`,
 * `muppy.getReferents` and `refgraph`.
 *
 * @module
 */
export {
  apply,
  brand,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isArray,
  isInteger,
  objectEntries,
  objectIs,
  objectKeys,
  ownKeys,
  SafeMap,
  SafeSet,
} from "./intrinsics.ts";
export {
  className,
  describeKey,
  isObjectLike,
  type Referent,
  type ReferentKind,
  referentName,
  type ReferentOptions,
  referents,
  type ReferentSink,
  typeTag,
  type Via,
  visitReferents,
} from "./referents.ts";
