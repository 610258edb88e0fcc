// Catch2's main for the native core tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "store/StoredData.h"

namespace {
// The native tests check stored data as the full and staff cores do: with their staff tables.
const bool kStaffTablesChecked = (leadoutbox::registerStaffTablesCheck(&leadoutbox::checkStaffTables), true);
}  // namespace
