// Included by the targets that open stores: they check stored data as the full core does.
#pragma once

#include "store/StoredData.h"

namespace leadoutbox::fuzz {

// As bindings/StoreBindings.cpp registers it for the full and staff cores: the staff
// tables' rows are checked at open too. (Only in targets that link the store: the check
// pulls in SQLite.)
inline const bool kStaffTablesChecked = (registerStaffTablesCheck(&checkStaffTables), true);

}  // namespace leadoutbox::fuzz
