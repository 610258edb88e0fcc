// The one way the core parses JSON: without exceptions, through a single parser instantiation.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace leadoutbox {

// Parses `text`; a discarded value (is_discarded()) when it is not valid JSON or not
// valid UTF-8. Every caller goes through here so the wasm holds one copy of the parser.
inline nlohmann::json parseJson(std::string_view text) {
  return nlohmann::json::parse(text.data(), text.data() + text.size(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace leadoutbox
