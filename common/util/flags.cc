// Copyright 2026 The Barrage Authors.

#include "common/util/flags.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/util/closest_word.h"
#include "common/util/exit_codes.h"
#include "common/util/version.h"

namespace barrage {
namespace {

// Strict decimal: an optional '-' and digits only ("+3", " 3", "3.0" are not).
bool IsWholeNumber(absl::string_view text) {
  absl::ConsumePrefix(&text, "-");
  return !text.empty() &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

}  // namespace

FlagSet::FlagSet(std::string usage, std::string description)
    : usage_(std::move(usage)), description_(std::move(description)) {}

FlagSet::Flag* FlagSet::Add(absl::string_view name, Kind kind,
                            absl::string_view placeholder,
                            absl::string_view help) {
  if (Find(name) != nullptr || name == "help") return nullptr;
  Flag flag;
  flag.name = std::string(name);
  flag.kind = kind;
  flag.placeholder = std::string(placeholder);
  flag.help = std::string(help);
  flags_.push_back(std::move(flag));
  return &flags_.back();
}

void FlagSet::String(absl::string_view name, std::string* value,
                     std::string default_value, absl::string_view placeholder,
                     absl::string_view help) {
  Flag* flag = Add(name, Kind::kString, placeholder, help);
  if (flag == nullptr) return;
  flag->string_value = value;
  flag->default_text = default_value;
  *value = std::move(default_value);
}

void FlagSet::Int(absl::string_view name, int64_t* value,
                  int64_t default_value, int64_t min, int64_t max,
                  absl::string_view placeholder, absl::string_view help) {
  Flag* flag = Add(name, Kind::kInt, placeholder, help);
  if (flag == nullptr) return;
  flag->int_value = value;
  flag->min = min;
  flag->max = max;
  if (default_value >= min && default_value <= max) {
    flag->default_text = absl::StrCat(default_value);
  }
  *value = default_value;
}

void FlagSet::Bool(absl::string_view name, bool* value,
                   absl::string_view help) {
  Flag* flag = Add(name, Kind::kBool, "", help);
  if (flag == nullptr) return;
  flag->bool_value = value;
  *value = false;
}

void FlagSet::Repeated(absl::string_view name, std::vector<std::string>* values,
                       absl::string_view placeholder, absl::string_view help) {
  Flag* flag = Add(name, Kind::kRepeated, placeholder, help);
  if (flag == nullptr) return;
  flag->repeated_value = values;
  values->clear();
}

void FlagSet::Short(char c, absl::string_view name) {
  Flag* flag = Find(name);
  if (flag != nullptr && c != 'h' && FindShort(c) == nullptr) {
    flag->short_name = c;
  }
}

FlagSet::Flag* FlagSet::Find(absl::string_view name) {
  for (Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const FlagSet::Flag* FlagSet::Find(absl::string_view name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

FlagSet::Flag* FlagSet::FindShort(char c) {
  for (Flag& f : flags_) {
    if (f.short_name == c) return &f;
  }
  return nullptr;
}

bool FlagSet::Given(absl::string_view name) const {
  const Flag* flag = Find(name);
  return flag != nullptr && flag->given;
}

absl::Status FlagSet::UnknownFlag(absl::string_view spelling) const {
  absl::string_view name = spelling;
  std::string hint;
  if (absl::ConsumePrefix(&name, "--")) {
    std::vector<absl::string_view> names;
    for (const Flag& f : flags_) names.push_back(f.name);
    if (std::string closest = ClosestWord(name, names); !closest.empty()) {
      hint = absl::StrCat(" (did you mean --", closest, "?)");
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown flag ", spelling, hint));
}

absl::Status FlagSet::Set(Flag& flag, absl::string_view spelling,
                          absl::string_view value) {
  if (flag.given && flag.kind != Kind::kRepeated) {
    return absl::InvalidArgumentError(absl::StrCat(spelling, " given twice"));
  }
  flag.given = true;
  switch (flag.kind) {
    case Kind::kString:
      *flag.string_value = std::string(value);
      return absl::OkStatus();
    case Kind::kRepeated:
      flag.repeated_value->emplace_back(value);
      return absl::OkStatus();
    case Kind::kBool:
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat(spelling, ": '", value, "' is not true or false"));
      }
      *flag.bool_value = value == "true";
      return absl::OkStatus();
    case Kind::kInt: {
      if (!IsWholeNumber(value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(spelling, ": '", value, "' is not a whole number"));
      }
      int64_t n = 0;
      // A whole number SimpleAtoi refuses overflows int64: out of range too.
      if (!absl::SimpleAtoi(value, &n) || n < flag.min || n > flag.max) {
        return absl::InvalidArgumentError(
            absl::StrCat(spelling, ": '", value, "' is not from ", flag.min,
                         " to ", flag.max));
      }
      *flag.int_value = n;
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> FlagSet::Parse(
    const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      positional.insert(positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional.emplace_back(arg);
      continue;
    }
    Flag* flag = nullptr;
    absl::string_view value;
    bool has_value = false;
    if (absl::ConsumePrefix(&arg, "--")) {
      const size_t eq = arg.find('=');
      if (eq != absl::string_view::npos) {
        value = arg.substr(eq + 1);
        has_value = true;
        arg = arg.substr(0, eq);
      }
      flag = Find(arg);
      if (flag == nullptr) return UnknownFlag(absl::StrCat("--", arg));
    } else {
      flag = arg.size() == 2 ? FindShort(arg[1]) : nullptr;
      if (flag == nullptr) return UnknownFlag(arg);
    }
    const std::string spelling = absl::StrCat("--", flag->name);
    if (!has_value) {
      if (flag->kind == Kind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat(spelling, " needs a value (", flag->placeholder, ")"));
      }
    }
    if (absl::Status s = Set(*flag, spelling, value); !s.ok()) return s;
  }
  return positional;
}

std::string FlagSet::Help() const {
  auto left = [](const Flag& f) {
    std::string s = f.short_name != 0
                        ? absl::StrCat("  -", std::string(1, f.short_name), ", --")
                        : std::string("      --");
    absl::StrAppend(&s, f.name);
    if (!f.placeholder.empty()) absl::StrAppend(&s, " ", f.placeholder);
    return s;
  };
  Flag help;
  help.name = "help";
  help.short_name = 'h';
  help.kind = Kind::kBool;
  help.help = "print this help and exit";
  std::vector<const Flag*> all;
  for (const Flag& f : flags_) all.push_back(&f);
  all.push_back(&help);
  size_t width = 0;
  for (const Flag* f : all) width = std::max(width, left(*f).size());
  std::string out = absl::StrCat("usage: ", usage_, "\n\n");
  if (!description_.empty()) absl::StrAppend(&out, description_, "\n\n");
  absl::StrAppend(&out, "flags:\n");
  for (const Flag* f : all) {
    std::string line = left(*f);
    line.resize(width + 2, ' ');
    absl::StrAppend(&line, f->help);
    if (f->kind == Kind::kRepeated) absl::StrAppend(&line, " (repeatable)");
    if (!f->default_text.empty()) {
      absl::StrAppend(&line, " (default ", f->default_text, ")");
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::optional<int> ParseMainFlags(FlagSet& flags, absl::string_view program,
                                  const bool& version, int argc, char** argv,
                                  std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::vector<std::string>> positional =
      flags.Parse(std::vector<std::string>(argv + 1, argv + argc));
  if (positional.ok() && !positional->empty()) {
    positional = absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", positional->front(), "'"));
  }
  if (!positional.ok()) {
    err << program << ": " << positional.status().message() << "\nsee '" << program
        << " --help'\n";
    return kExitUsage;
  }
  if (flags.help_requested()) {
    out << flags.Help();
    return kExitPassed;
  }
  if (version) {
    out << VersionLine(program) << "\n";
    return kExitPassed;
  }
  return std::nullopt;
}

}  // namespace barrage
