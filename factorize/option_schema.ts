/**
 * Options declared once, as data. Each model's options (type, range, default,
 * one-line doc) are a schema: it checks what a library call, `deno task train`
 * and a `--config` file pass, types the library's options object, and writes
 * the `--help` text and the README's option table, so none of them can drift.
 *
 * @module
 */

/**
 * The value types of an option; "object" is a library-only value (or callback) the schema does
 * not look into (null counts as not given).
 */
export type OptionType =
  | "integer"
  | "number"
  | "string"
  | "boolean"
  | "integer[]"
  | "number[]"
  | "string[]"
  | "object";

/** One option. */
export interface OptionSpec {
  /** Its value type. */
  readonly type: OptionType;
  /** One line for `--help` and the README. */
  readonly doc: string;
  /** The value when it is not given (absent: undefined, or an error when `required`). */
  readonly default?: unknown;
  /** Whether it must be given. */
  readonly required?: boolean;
  /** Lowest number (of the option or of each list item). */
  readonly min?: number;
  /** Highest number (of the option or of each list item). */
  readonly max?: number;
  /** Whether `min` and `max` themselves are out of range. */
  readonly exclusive?: boolean;
  /** The allowed strings (of the option or of each list item). */
  readonly oneOf?: readonly string[];
  /** Strings a number option takes besides numbers (alphaH's "same"). */
  readonly also?: readonly string[];
  /** Whether null is a value (meaning what the doc says). */
  readonly nullable?: boolean;
}

/** A model's options by name. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** An "object" option whose TypeScript type is `T` (a graph, matrices, a snapshot). */
export interface ObjectSpec<T> extends OptionSpec {
  /** Its type "object". */
  readonly type: "object";
  /** Carries `T` for {@linkcode OptionsOf}; never set. */
  readonly value?: T;
}

/**
 * Declares an "object" option of type `T`.
 *
 * @example
 * ```ts
 * const spec = objectOption<Float32Array | null>("Observed entries (1) and missing ones (0).");
 * console.log(spec.type); // object
 * ```
 */
export function objectOption<T>(doc: string): ObjectSpec<T> {
  return { type: "object", doc };
}

/** The TypeScript type of one option's value. */
export type OptionValue<S> = S extends { type: "object"; value?: infer T } ? T
  : (
    | (S extends { type: "string"; oneOf: readonly (infer V)[] } ? V
      : S extends { type: "string[]"; oneOf: readonly (infer V)[] } ? V[]
      : S extends { type: "integer" | "number"; also: readonly (infer V)[] } ? number | V
      : S extends { type: "integer" | "number" } ? number
      : S extends { type: "string" } ? string
      : S extends { type: "boolean" } ? boolean
      : S extends { type: "string[]" } ? string[]
      : number[])
    | (S extends { nullable: true } ? null : never)
  );

/** The options object a schema describes: required options required, the others optional. */
export type OptionsOf<S> =
  & { -readonly [K in keyof S as S[K] extends { required: true } ? K : never]: OptionValue<S[K]> }
  & { -readonly [K in keyof S as S[K] extends { required: true } ? never : K]?: OptionValue<S[K]> };

/** The options after {@linkcode resolveOptions}: defaults filled in. */
export type ResolvedOf<S> =
  & {
    -readonly [K in keyof S as S[K] extends { required: true } | { default: unknown } ? K : never]:
      OptionValue<S[K]>;
  }
  & {
    -readonly [K in keyof S as S[K] extends { required: true } | { default: unknown } ? never : K]:
      | OptionValue<S[K]>
      | undefined;
  };

/**
 * A bad option: its message names the option and what it takes. Tasks exit 2 on
 * it (and only on it).
 */
export class OptionError extends RangeError {
  /** "OptionError". */
  override name = "OptionError";
}

/**
 * How an option is named in messages by default: `Option <key>`.
 *
 * @example
 * ```ts
 * console.log(optionName("maxIter")); // Option maxIter
 * ```
 */
export function optionName(key: string): string {
  return `Option ${key}`;
}

/** How {@linkcode resolveOptions} names things and reads values. */
export interface ResolveOptions {
  /** What the options belong to, for the unknown-option message: "NMF". */
  what: string;
  /** How an option is named in messages. Default `Option <name>`. */
  name?: (key: string) => string;
  /**
   * Take text as the command line gives it: numbers and booleans from strings, lists
   * from comma-separated strings (or a single number). Default false.
   */
  text?: boolean;
}

function _show(v: unknown): string {
  return typeof v === "string" ? `"${v}"` : Array.isArray(v) ? `[${v}]` : String(v);
}

/**
 * What a spec takes, in words: "an integer >= 1", "one of mu, cd".
 *
 * @example
 * ```ts
 * console.log(describeOption({ type: "number", min: 0, max: 1, doc: "" })); // a number in [0, 1]
 * ```
 */
export function describeOption(spec: OptionSpec): string {
  const { min, max } = spec;
  const lo = min !== undefined && min !== -Infinity;
  const hi = max !== undefined && max !== Infinity;
  const range = lo && hi
    ? spec.exclusive ? ` in (${min}, ${max})` : ` in [${min}, ${max}]`
    : lo
    ? ` ${spec.exclusive ? ">" : ">="} ${min}`
    : hi
    ? ` ${spec.exclusive ? "<" : "<="} ${max}`
    : "";
  const base = {
    integer: `an integer${range}`,
    number: `a number${range}`,
    string: spec.oneOf ? `one of ${spec.oneOf.join(", ")}` : "a non-empty string",
    boolean: "true or false",
    "integer[]": `a list of integers${range}`,
    "number[]": `a list of numbers${range}`,
    "string[]": spec.oneOf ? `a list of ${spec.oneOf.join(", ")}` : "a list of non-empty strings",
    object: "an object",
  }[spec.type];
  const also = spec.also ? ` or ${spec.also.map((s) => `"${s}"`).join(", ")}` : "";
  return base + also + (spec.nullable ? " or null" : "");
}

const _BAD = Symbol("bad");

/** The value of one scalar of `type` (read from text when `text`), or _BAD when `spec` refuses it. */
function _scalar(spec: OptionSpec, type: string, v: unknown, text: boolean): unknown {
  if (type === "integer" || type === "number") {
    if (typeof v === "string" && spec.also?.includes(v)) return v;
    const x = text && typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (typeof x !== "number" || Number.isNaN(x)) return _BAD;
    if (type === "integer" && !Number.isInteger(x)) return _BAD;
    const { min = -Infinity, max = Infinity } = spec;
    return (spec.exclusive ? x > min && x < max : x >= min && x <= max) ? x : _BAD;
  }
  if (type === "string") {
    return typeof v === "string" && v !== "" && (!spec.oneOf || spec.oneOf.includes(v)) ? v : _BAD;
  }
  if (type === "boolean") {
    if (typeof v === "boolean") return v;
    return text && (v === "true" || v === "false") ? v === "true" : _BAD;
  }
  return (typeof v === "object" && v !== null) || typeof v === "function" ? v : _BAD;
}

/**
 * Checks `values` against `schema` and fills in the defaults. Throws an
 * {@linkcode OptionError} naming the option: unknown, missing, or of the
 * wrong type or range. Undefined values count as not given, and so does null
 * for an "object" option.
 *
 * @example
 * ```ts
 * const schema = {
 *   rank: { type: "integer", min: 1, required: true, doc: "Components." },
 *   tol: { type: "number", min: 0, default: 1e-4, doc: "Tolerance." },
 * } as const;
 * console.log(resolveOptions(schema, { rank: 5 }, { what: "NMF" })); // { rank: 5, tol: 0.0001 }
 * try {
 *   resolveOptions(schema, { rank: 0 }, { what: "NMF" });
 * } catch (e) {
 *   console.log((e as Error).message); // Option rank must be an integer >= 1, got 0
 * }
 * ```
 */
export function resolveOptions<S extends OptionSchema>(
  schema: S,
  values: unknown,
  options: ResolveOptions,
): ResolvedOf<S> {
  const { what, text = false } = options;
  const name = options.name ?? optionName;
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new OptionError(`${what} options must be an object`);
  }
  const given = values as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in schema) && given[key] !== undefined) {
      throw new OptionError(
        `Unknown ${what} option ${name(key).replace(/^Option /, "")} ` +
          `(known: ${Object.keys(schema).join(", ")})`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const v = given[key];
    if (v === undefined || (v === null && spec.type === "object")) {
      if (spec.required) {
        throw new OptionError(`${name(key)} is required: ${describeOption(spec)}. ${spec.doc}`);
      }
      out[key] = spec.default;
      continue;
    }
    const bad = () =>
      new OptionError(`${name(key)} must be ${describeOption(spec)}, got ${_show(v)}`);
    if (v === null) {
      if (!spec.nullable) throw bad();
      out[key] = null;
    } else if (spec.type.endsWith("[]")) {
      const item = spec.type.slice(0, -2);
      const list = text && typeof v === "string"
        ? (v.trim() === "" ? [] : v.split(",").map((s) => s.trim()))
        : text && typeof v === "number"
        ? [v]
        : v;
      const items = Array.isArray(list) ? list.map((x) => _scalar(spec, item, x, text)) : [_BAD];
      if (items.includes(_BAD)) throw bad();
      out[key] = items;
    } else {
      const value = _scalar(spec, spec.type, v, text);
      if (value === _BAD) throw bad();
      out[key] = value;
    }
  }
  return out as ResolvedOf<S>;
}
