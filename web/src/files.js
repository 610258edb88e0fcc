// The core's files as JS sees them: copies in and out of the wasm module's memory.

/**
 * The core's in-memory files (bindings/StoreBindings.cpp). A view from fileView looks into
 * wasm memory and is valid only until the next call into the module: every use copies
 * out of it or into it at once.
 */
export function memoryFiles(core) {
  const list = (dir) => {
    const lines = core.fileList(dir);
    return lines ? lines.split('\n') : [];
  };
  return {
    list,
    exists: (path) => core.fileSize(path) >= 0,
    /** Bytes in the file, or -1 when there is none. */
    size: (path) => core.fileSize(path),
    /** A copy of `length` bytes at `offset` (fewer at the end), or of the whole file. */
    read: (path, offset = 0, length = Math.max(0, core.fileSize(path) - offset)) => core.fileView(path, offset, length, false).slice(),
    /** Writes `bytes` at `offset`, creating or extending the file as needed. */
    write: (path, bytes, offset = 0) => core.fileView(path, offset, bytes.length, true).set(bytes),
    /** Makes `bytes` the whole file. */
    replace: (path, bytes) => {
      core.fileRemove(path);
      core.fileView(path, 0, bytes.length, true).set(bytes);
    },
    remove: (path) => core.fileRemove(path),
    /** Removes every file under `dir`. */
    removeAll: (dir) => {
      for (const path of list(dir)) core.fileRemove(path);
    },
  };
}
