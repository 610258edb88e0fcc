// parseJson: strict RFC 8259 parsing of untrusted text into a JsonValue, without exceptions.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/JsonValue.h"
#include "core/Result.h"

namespace leadoutbox {

// Arrays and objects nest at most this deep, so hostile input cannot exhaust the stack.
constexpr int kJsonMaxDepth = 64;

// Parses exactly one JSON value, surrounded by optional white space. Returns it, or
// kInvalidArgument naming the byte offset when the text is not JSON: bad grammar, ill-formed
// UTF-8, a lone \u surrogate, nesting deeper than kJsonMaxDepth, or anything after the value.
// A key that appears twice keeps its last value, as JSON.parse and nlohmann do.
Result<JsonValue> parseJson(std::string_view text);

// Parses the one JSON value that starts at byte `pos` of `text` (after optional white space)
// and sits `depth` arrays/objects deep in its document; moves `pos` just past it. For reading
// a large document piece by piece, one piece's tree alive at a time (FeedPage reads its
// changes array so). Errors as parseJson's, offsets counted from the start of `text`; on
// error `pos` is unchanged.
Result<JsonValue> parseJsonAt(std::string_view text, std::size_t& pos, int depth);

}  // namespace leadoutbox
