// Post-JS: the file-system calls web/src/volume.js makes, as Module['files'] under quoted names.
// Closure (ADVANCED) renames every member of Emscripten's FS and IDBFS and drops the ones
// nothing calls; only quoted names survive. Add a call here before volume.js uses it.
Module['files'] = {
  'mkdirTree': (path) => FS.mkdirTree(path),
  // The tenant folder is an IDBFS mount; volume.js writes IndexedDB itself, in IDBFS's layout.
  'mountIdbfs': (dir) => FS.mount(IDBFS, {}, dir),
  'unmount': (dir) => FS.unmount(dir),
  'exists': (path) => FS.analyzePath(path).exists,
  'stat': (path) => {
    var st = FS.stat(path);
    return { 'mtime': st.mtime, 'mode': st.mode, 'size': st.size };
  },
  'isDir': (mode) => FS.isDir(mode),
  'readdir': (dir) => FS.readdir(dir),
  // A copy of exactly the file's bytes.
  'readFile': (path) => FS.readFile(path),
  // `bytes` becomes the file; MEMFS keeps the buffer itself, without a copy.
  'writeFileOwned': (path, bytes) => FS.writeFile(path, bytes, { canOwn: true }),
  'writeFile': (path, bytes) => FS.writeFile(path, bytes),
  // A copy of `length` bytes at `offset` (fewer at the end of the file).
  'readAt': (path, offset, length) => {
    var stream = FS.open(path, 'r');
    try {
      var out = new Uint8Array(Math.max(0, Math.min(length, stream.node.usedBytes - offset)));
      FS.read(stream, out, 0, out.length, offset);
      return out;
    } finally {
      FS.close(stream);
    }
  },
  // Writes `bytes` at `offset` of an existing file, extending it if needed.
  'writeAt': (path, bytes, offset) => {
    var stream = FS.open(path, 'r+');
    try {
      FS.write(stream, bytes, 0, bytes.length, offset);
    } finally {
      FS.close(stream);
    }
  },
  'unlink': (path) => FS.unlink(path),
};
