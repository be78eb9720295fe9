// Copyright 2026 The Barrage Authors.

#include "agent/engine/json_scan.h"

#include <cstdint>

namespace barrage {
namespace {

// A cursor over the text. Every method leaves `pos` after what it read and
// returns false on malformed text (the scan then finds nothing).
class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++pos_;
    return true;
  }
  size_t pos() const { return pos_; }

  // A string at the cursor (the opening quote next): its raw contents
  // between the quotes, and whether they hold escapes.
  bool RawString(absl::string_view& raw, bool& escaped) {
    if (!Eat('"')) return false;
    const size_t start = pos_;
    escaped = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        raw = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        escaped = true;
        ++pos_;
      }
      ++pos_;
    }
    return false;
  }

  // Skips one value of any kind.
  bool SkipValue() {
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '"') {
      absl::string_view raw;
      bool escaped;
      return RawString(raw, escaped);
    }
    if (c == '{' || c == '[') {
      // Nesting by counting brackets outside strings: the walk needs only
      // the value's end.
      int depth = 0;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (d == '"') {
          absl::string_view raw;
          bool escaped;
          if (!RawString(raw, escaped)) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') {
          ++depth;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const char d = text_[pos_];
      if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\t' || d == '\n' ||
          d == '\r') {
        break;
      }
      ++pos_;
    }
    return pos_ > start;
  }

  // Moves into field `name` of the object at the cursor.
  bool EnterField(absl::string_view name, std::string& scratch) {
    if (!Eat('{')) return false;
    if (Eat('}')) return false;
    while (true) {
      absl::string_view key;
      bool escaped;
      if (!RawString(key, escaped)) return false;
      if (!Eat(':')) return false;
      if (escaped) {
        if (!Unescape(key, scratch)) return false;
        key = scratch;
      }
      if (key == name) {
        SkipSpace();
        return true;
      }
      if (!SkipValue()) return false;
      if (!Eat(',')) return false;
    }
  }

  // Moves into element `index` of the array at the cursor.
  bool EnterIndex(int64_t index) {
    if (!Eat('[')) return false;
    if (Eat(']')) return false;
    for (int64_t i = 0;; ++i) {
      if (i == index) {
        SkipSpace();
        return true;
      }
      if (!SkipValue()) return false;
      if (!Eat(',')) return false;
    }
  }

  // JSON string escapes into `out` (cleared first), \u as UTF-8.
  static bool Unescape(absl::string_view raw, std::string& out) {
    out.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out.push_back(raw[i]);
        continue;
      }
      if (++i >= raw.size()) return false;
      switch (raw[i]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(raw, i + 1, cp)) return false;
          i += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < raw.size() && raw[i + 1] == '\\' &&
              raw[i + 2] == 'u') {
            uint32_t low = 0;
            if (Hex4(raw, i + 3, low) && low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            }
          }
          AppendUtf8(cp, out);
          break;
        }
        default: return false;
      }
    }
    return true;
  }

 private:
  static bool Hex4(absl::string_view raw, size_t at, uint32_t& cp) {
    if (at + 4 > raw.size()) return false;
    cp = 0;
    for (size_t k = at; k < at + 4; ++k) {
      const char c = raw[k];
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      cp = cp * 16 + d;
    }
    return true;
  }
  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<absl::string_view> ScanJson(absl::string_view body, const JsonPath& path,
                                          std::string& scratch) {
  Scanner s(body);
  for (const JsonPathPart& part : path.parts) {
    const bool entered = part.is_index ? s.EnterIndex(part.index)
                                       : s.EnterField(part.field, scratch);
    if (!entered) return std::nullopt;
  }
  s.SkipSpace();
  if (s.Peek('"')) {
    absl::string_view raw;
    bool escaped;
    if (!s.RawString(raw, escaped)) return std::nullopt;
    if (!escaped) return raw;
    if (!Scanner::Unescape(raw, scratch)) return std::nullopt;
    return absl::string_view(scratch);
  }
  const size_t start = s.pos();
  if (!s.SkipValue()) return std::nullopt;
  return body.substr(start, s.pos() - start);
}

}  // namespace barrage
