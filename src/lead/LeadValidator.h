// Validation of lead input: the rules a form shows and the core enforces before storing anything.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/Result.h"
#include "lead/Lead.h"

namespace leadoutbox {

// Parses `json` (an object with name, email, optional phone, message; nothing else)
// and checks every rule. On success returns the normalized Lead carrying `id` and
// `createdAt`; on failure an kInvalidLead status whose fieldErrors name every failing
// field ("_" for the object itself) and whose field() is the first of them in form order.
Result<Lead> validateLead(std::string_view json, std::string_view id, std::int64_t createdAt);

// True for a canonical UUID: 8-4-4-4-12 hex digits (any case).
bool isUuid(std::string_view s);

// True for an email address a lead form accepts: ASCII local part of RFC 5322 atoms
// joined by dots, and a host name of at least two labels with an alphabetic TLD.
bool isEmailAddress(std::string_view s);

}  // namespace leadoutbox
