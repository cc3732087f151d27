/**
 * Read-only memory mapping of whole files through libc `mmap` (Deno FFI,
 * needs --allow-ffi), with a plain read as the fallback.
 *
 * @module
 */

/** A file's bytes, mapped or read. */
export interface MappedFile {
  /** The whole file. For a mapping, a zero-copy view; invalid after close(). */
  bytes: Uint8Array;
  /** True when memory-mapped, false when read into memory. */
  mapped: boolean;
  /** Unmaps (a mapping) or drops (a read) the bytes; views must not be used afterwards. */
  close(): void;
}

/** Options of {@linkcode mapFile}. */
export interface MapFileOptions {
  /** Try mmap (default true); false always reads. */
  mmap?: boolean;
  /** Where the one-time fallback note goes; `null` for none. Default console.error. */
  log?: ((line: string) => void) | null;
}

const _SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
} as const;

type _Libc = Deno.DynamicLibrary<typeof _SYMBOLS>["symbols"];

let _libc: _Libc | null | undefined;
let _why = "";
let _told = false;

/** libc through FFI, or null (with `_why`) when FFI is not allowed or not available. */
function _loadLibc(): _Libc | null {
  if (_libc !== undefined) return _libc;
  _libc = null;
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    _why = "FFI is not allowed (run with --allow-ffi to memory-map them)";
    return null;
  }
  const name = Deno.build.os === "linux"
    ? "libc.so.6"
    : Deno.build.os === "darwin"
    ? "libSystem.B.dylib"
    : null;
  if (!name) {
    _why = `memory mapping is not implemented on ${Deno.build.os}`;
    return null;
  }
  try {
    _libc = Deno.dlopen(name, _SYMBOLS).symbols;
  } catch (e) {
    _why = `cannot load ${name} (${e instanceof Error ? e.message : e})`;
  }
  return _libc;
}

/**
 * True when {@linkcode mapFile} can memory-map in this process.
 *
 * @example
 * ```ts
 * console.log(canMapFiles() ? "mmap" : "read");
 * ```
 */
export function canMapFiles(): boolean {
  return _loadLibc() !== null;
}

const _PROT_READ = 1;
const _MAP_PRIVATE = 2;

/**
 * Maps `path` read-only into memory (libc `mmap`, MAP_PRIVATE) and returns a
 * zero-copy view of the whole file. When FFI is not permitted or mmap fails
 * it reads the file instead and says so once per process through `log`.
 * A mapping stays valid if the file is later replaced by rename (prep's
 * atomic swap), not if it is truncated in place.
 *
 * @example
 * ```ts
 * const f = mapFile("data/att_faces/s1/1.pgm");
 * console.log(f.mapped, f.bytes.length); // true 10318 (false, with a note, without --allow-ffi)
 * f.close();
 * ```
 */
export function mapFile(path: string, options: MapFileOptions = {}): MappedFile {
  const log = options.log === undefined ? console.error : options.log;
  const libc = options.mmap === false ? null : _loadLibc();
  const size = Deno.statSync(path).size;
  if (libc && size > 0) {
    const fd = libc.open(new TextEncoder().encode(path + "\0"), 0);
    if (fd >= 0) {
      const ptr = libc.mmap(null, BigInt(size), _PROT_READ, _MAP_PRIVATE, fd, 0n);
      libc.close(fd);
      const addr = ptr === null ? 0n : BigInt(Deno.UnsafePointer.value(ptr));
      if (ptr !== null && addr !== 0xffffffffffffffffn) {
        const bytes = new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(ptr, size));
        let open = true;
        return {
          bytes,
          mapped: true,
          close() {
            if (open) libc.munmap(ptr, BigInt(size));
            open = false;
          },
        };
      }
    }
    _why = `mmap of ${path} failed`;
  }
  if (options.mmap !== false && !_told && _why) {
    _told = true;
    log?.(`Reading dataset shards into memory: ${_why}`);
  }
  const bytes = Deno.readFileSync(path);
  return { bytes, mapped: false, close() {} };
}
