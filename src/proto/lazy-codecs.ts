/**
 * protobufjs generates each message type's code with `new Function` when the
 * type is first (de)serialized: `Type.setup` makes all five of encode, decode,
 * verify, fromObject and toObject at once. gRPC uses two per direction
 * (fromObject + encode to send, decode + toObject to receive) and never
 * verify, and code made by `new Function` is compiled at every start (no code
 * cache keeps it): the generation was ≈ 10 % of a daemon's start. So each of
 * the five is generated on its own first call, by protobufjs's own generators
 * with the arguments `setup` gives them; what they produce is unchanged.
 * Types with a custom wrapper (google.protobuf.Any and the like) keep the
 * original setup.
 */
import protobuf from 'protobufjs/light.js';

type Generated = (...args: unknown[]) => unknown;
/** A generator: given a type, code that, called with its scope, makes the function. */
type Generator = (type: protobuf.Type) => (scope: Record<string, unknown>) => Generated;

/** protobufjs's own parts (exported by protobufjs/light, not in its type declarations). */
interface ProtobufInternals {
  readonly encoder: Generator;
  readonly decoder: Generator;
  readonly verifier: Generator;
  readonly converter: { readonly fromObject: Generator; readonly toObject: Generator };
  readonly wrappers: Record<string, unknown>;
  readonly Writer: unknown;
  readonly Reader: unknown;
  readonly util: unknown;
}

const LAZY = Symbol.for('shoal.lazyCodecs');
const FUNCTIONS = ['encode', 'decode', 'verify', 'fromObject', 'toObject'] as const;

/** Installs the per-function generation once per protobufjs copy. */
export function generateCodecsOnFirstUse(): void {
  const pb = protobuf as unknown as ProtobufInternals;
  const proto = protobuf.Type.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[LAZY] === true) return;
  if (typeof pb.encoder !== 'function' || typeof pb.decoder !== 'function' || typeof pb.verifier !== 'function' || typeof pb.converter?.fromObject !== 'function') {
    return; // another protobufjs shape: its own setup stays
  }
  const originalSetup = proto['setup'] as (this: protobuf.Type) => protobuf.Type;
  proto[LAZY] = true;
  proto['setup'] = function lazySetup(this: protobuf.Type): protobuf.Type {
    return setUpLazily(this, originalSetup);
  };
}

/** What setup does, each function made on its first call. */
function setUpLazily(type: protobuf.Type, originalSetup: (this: protobuf.Type) => protobuf.Type): protobuf.Type {
  const pb = protobuf as unknown as ProtobufInternals;
  if (pb.wrappers[type.fullName] !== undefined) return originalSetup.call(type);
  const self = type as unknown as Record<string, Generated>;
  // Set up already (setup runs again when the type's constructor is made, from inside fromObject):
  // keep what was generated. A change to the type's fields deletes encode/decode/verify (protobufjs's
  // clearCache), and then all five are made again, as the original setup would.
  if (FUNCTIONS.every((name) => Object.hasOwn(type, name))) return type;
  let types: unknown[] | null = null;
  // As setup: each field resolved, its type (or null) at the field's position.
  const fieldTypes = (): unknown[] => (types ??= type.fieldsArray.map((f) => f.resolve().resolvedType));
  const lazily = (name: string, make: () => Generated): void => {
    self[name] = function firstCall(this: unknown, ...args: unknown[]): unknown {
      const fn = make();
      self[name] = fn;
      return fn.apply(this, args);
    };
  };
  lazily('encode', () => pb.encoder(type)({ Writer: pb.Writer, types: fieldTypes(), util: pb.util }));
  lazily('decode', () => pb.decoder(type)({ Reader: pb.Reader, types: fieldTypes(), util: pb.util }));
  lazily('verify', () => pb.verifier(type)({ types: fieldTypes(), util: pb.util }));
  lazily('fromObject', () => pb.converter.fromObject(type)({ types: fieldTypes(), util: pb.util }));
  lazily('toObject', () => pb.converter.toObject(type)({ types: fieldTypes(), util: pb.util }));
  return type;
}
