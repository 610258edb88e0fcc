// A 64-bit digest of one in-memory file, path and bytes: how the persistence layer knows stored files are the ones it saved.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leadoutbox {

// A 64-bit hash of `data` from `seed`: each 8-byte word (the last zero-padded) multiplied,
// rotated and mixed in, then MurmurHash3's final mix. Small rather than fast (it ships in
// every core); about 1 GB/s in the browser's wasm.
std::uint64_t digest64(std::string_view data, std::uint64_t seed);

// digest64 of `bytes`, seeded with digest64 of `path`: the same file under another path has
// another digest. Not cryptographic: it finds accidental change (a damaged or partly written
// record, a record lost or left over), not a same-origin script that rewrites both the
// files and the digest saved beside them.
std::uint64_t fileDigest(std::string_view path, std::string_view bytes);

// The digest of MemoryFiles file `path`, its top 52 bits as a number JS holds exactly
// (0 to 2^52 - 1); -1 when there is no such file.
double fileDigest52(const std::string& path);

}  // namespace leadoutbox
