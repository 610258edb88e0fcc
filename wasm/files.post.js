// Post-JS: the file-system calls web/src/volume.js makes, as Module['files'] under quoted names.
// Closure (ADVANCED) renames every member of Emscripten's FS and IDBFS and drops the ones
// nothing calls; only quoted names survive. Add a call here before volume.js uses it.
Module['files'] = {
  'mkdirTree': (path) => FS.mkdirTree(path),
  // Mounts `dir` on IDBFS, which names its IndexedDB database after the mount point.
  'mountIdbfs': (dir) => FS.mount(IDBFS, {}, dir),
  // IDBFS's cached IDBDatabase for the mount at `dir`, created the way IDBFS expects it.
  'idbfsDatabase': (dir, callback) => IDBFS.getDB(dir, callback),
  'unmount': (dir) => FS.unmount(dir),
  'exists': (path) => FS.analyzePath(path).exists,
  'stat': (path) => {
    var st = FS.stat(path);
    return { 'mtime': st.mtime, 'mode': st.mode };
  },
  'isDir': (mode) => FS.isDir(mode),
  'readdir': (dir) => FS.readdir(dir),
  'readFile': (path) => FS.readFile(path),
  'writeFile': (path, data) => FS.writeFile(path, data),
  'utime': (path, atime, mtime) => FS.utime(path, atime, mtime),
  'unlink': (path) => FS.unlink(path),
};
