// Copyright 2026 The Barrage Authors.
//
// FlagSet: the command-line flags of one program or command (barrage-agent,
// barrage-controller, each `barrage` command), parsed from its arguments and
// rendered as its --help text.
//
//   FlagSet flags("barrage plan FILE [flags]");
//   int64_t agents = 0;
//   flags.Int("agents", &agents, 0, 1, 10'000, "N", "number of equal agents");
//   absl::StatusOr<std::vector<std::string>> files = flags.Parse(args);
//
// Names are dashed ("tls-cert") and given without the leading "--". Each
// definition binds a flag to a variable the caller owns, sets it to the
// default at once and overwrites it during Parse; the variable must outlive
// Parse. Durations, rates and other structured values are string flags the
// caller parses after Parse.
//
// Accepted forms: `--name value`, `--name=value` (a value may be empty or
// start with '-'); bools as `--name`, `--name=true` or `--name=false`;
// `-x` and `-x value` for a flag with a short name. A repeatable flag collects
// every value in order; any other flag given twice is an error. `--` ends the
// flags: everything after it is positional. A lone "-" is positional.
// `--help` and `-h` are always defined: Parse stops there (help_requested()).
//
// Not thread-safe; a FlagSet is built, parsed and read on one thread.
#ifndef BARRAGE_COMMON_UTIL_FLAGS_H_
#define BARRAGE_COMMON_UTIL_FLAGS_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace barrage {

class FlagSet {
 public:
  // `usage` is the synopsis Help() prints after "usage: ", like
  // "barrage run FILE [flags]"; `description`, when not empty, is printed
  // under it.
  explicit FlagSet(std::string usage, std::string description = "");

  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // Definitions. `placeholder` names the value in Help() ("ADDR", "N");
  // `help` is one line. Defining a name twice is a programming error (the
  // second definition is ignored).
  void String(absl::string_view name, std::string* value,
              std::string default_value, absl::string_view placeholder,
              absl::string_view help);
  // A decimal integer in [min, max]. A default outside the range means "not
  // given" and is left out of Help() (say what it means in `help`).
  void Int(absl::string_view name, int64_t* value, int64_t default_value,
           int64_t min, int64_t max, absl::string_view placeholder,
           absl::string_view help);
  // Defaults to false.
  void Bool(absl::string_view name, bool* value, absl::string_view help);
  // May be given any number of times; defaults to no values.
  void Repeated(absl::string_view name, std::vector<std::string>* values,
                absl::string_view placeholder, absl::string_view help);

  // Lets `-c` stand for the already defined flag `name`.
  void Short(char c, absl::string_view name);

  // Parses `args` (without the program or command name) into the bound
  // variables; returns the positional arguments in order. Call it once. Errors are
  // InvalidArgument naming the flag: an unknown flag (with the closest
  // defined name as "did you mean --x?"), a missing value, an int that is
  // not a whole number or out of range, a bool other than true/false, a
  // non-repeatable flag given twice.
  absl::StatusOr<std::vector<std::string>> Parse(
      const std::vector<std::string>& args);

  // After Parse: whether `--help` or `-h` was given.
  bool help_requested() const { return help_requested_; }
  // After Parse: whether the flag `name` was given at least once.
  bool Given(absl::string_view name) const;

  // "usage: USAGE\n\n", the description, "flags:\n", then one line per
  // flag in definition order (--help last): "  -q, --quiet" or
  // "      --controller ADDR", padded to align, its help, "(repeatable)",
  // and "(default X)" unless the default is empty, false or out of range.
  std::string Help() const;

 private:
  enum class Kind { kString, kInt, kBool, kRepeated };
  struct Flag {
    std::string name;
    Kind kind;
    char short_name = 0;
    std::string placeholder;
    std::string help;
    std::string default_text;  // "" = not shown
    int64_t min = 0;
    int64_t max = 0;
    std::string* string_value = nullptr;
    int64_t* int_value = nullptr;
    bool* bool_value = nullptr;
    std::vector<std::string>* repeated_value = nullptr;
    bool given = false;
  };

  Flag* Add(absl::string_view name, Kind kind, absl::string_view placeholder,
            absl::string_view help);
  Flag* Find(absl::string_view name);
  const Flag* Find(absl::string_view name) const;
  Flag* FindShort(char c);
  absl::Status UnknownFlag(absl::string_view name) const;
  // Stores one occurrence of `flag` ("--name" spelled as `spelling`).
  absl::Status Set(Flag& flag, absl::string_view spelling,
                   absl::string_view value);

  const std::string usage_;
  const std::string description_;
  std::vector<Flag> flags_;
  bool help_requested_ = false;
};

// For a program's main(): parses argv[1..] into `flags`, refusing positional
// arguments; prints the help (--help) or, when `version` is true after the
// parse, VersionLine(program) to `out`; prints an error with a "see
// 'PROGRAM --help'" hint to `err`. Returns the exit code main() returns
// (kExitPassed after help or version, kExitUsage after an error), or
// nullopt to go on.
std::optional<int> ParseMainFlags(FlagSet& flags, absl::string_view program,
                                  const bool& version, int argc, char** argv,
                                  std::ostream& out, std::ostream& err);

}  // namespace barrage

#endif  // BARRAGE_COMMON_UTIL_FLAGS_H_
