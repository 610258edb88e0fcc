// Validation of lead input: the rules a form shows and the core enforces before storing anything.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/Result.h"
#include "form/FormDefinition.h"
#include "lead/Lead.h"

namespace leadoutbox {

// Parses `json` (an object of the definition's field values by name, optional "consent"
// {terms, marketing} and "attribution" {utm_source…, referrer, landingPath}; nothing else)
// and checks every rule of `form`. On success returns the normalized Lead carrying `id`,
// `createdAt` and the form's id and version: the four column fields in their members, the
// others in `custom`, the consent record stamped with the definition's consent id and
// version and `createdAt`. On failure an kInvalidLead status whose fieldErrors name every
// failing field ("_" for the object itself) and whose field() is the first of them in form
// order (then "consent", "attribution", then unknown keys).
Result<Lead> validateLead(std::string_view json, std::string_view id, std::int64_t createdAt,
                          const FormDefinition& form);
// The same against the built-in default definition (name, email, optional phone, message).
Result<Lead> validateLead(std::string_view json, std::string_view id, std::int64_t createdAt);

// The attribution keys a lead may carry, and their caps in bytes.
inline constexpr std::size_t kAttributionMaxBytes = 500;
inline constexpr std::size_t kAttributionUrlMaxBytes = 2000;  // referrer, landingPath

// True for a canonical UUID: 8-4-4-4-12 hex digits (any case).
bool isUuid(std::string_view s);

// True for an email address a lead form accepts: ASCII local part of RFC 5322 atoms
// joined by dots, and a host name of at least two labels with an alphabetic TLD.
bool isEmailAddress(std::string_view s);

}  // namespace leadoutbox
