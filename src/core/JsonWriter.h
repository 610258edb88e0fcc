// writeJson: compact JSON text for a JsonValue, always valid JSON and valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/JsonValue.h"

namespace leadoutbox {

// Compact output (no spaces), object members in key order. Strings are written as UTF-8,
// escaping '"', '\\' and control characters below U+0020 (\b \f \n \r \t, else \u00xx);
// each ill-formed UTF-8 subpart becomes U+FFFD, as nlohmann's error_handler_t::replace did.
std::string writeJson(const JsonValue& value);

// The pieces, for callers that assemble JSON text themselves.
void appendJsonString(std::string& out, std::string_view text);
void appendJsonInteger(std::string& out, std::int64_t n);
// `n` in decimal: the core's one integer formatter, used instead of std::to_string, whose
// int and int64 forms link two of libc++'s itoa routines and a digit table (wasm size).
std::string integerText(std::int64_t n);

}  // namespace leadoutbox
