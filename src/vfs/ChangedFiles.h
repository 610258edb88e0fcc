// The set of files the page-group VFS changed since the persistence layer last took them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadoutbox {

// Records that `path` was written, created or removed; "<path>#<n>" records that only
// block n of it was written (see GroupedFile).
void noteChangedFile(const std::string& path);

// Returns the recorded paths inside folder `dir` (sorted) and forgets them. Paths
// elsewhere stay recorded, so tenants sharing one module do not take each other's.
std::vector<std::string> takeChangedFiles(std::string_view dir);

}  // namespace leadoutbox
