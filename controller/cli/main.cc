// Copyright 2026 The Barrage Authors.
//
// `barrage`: the command-line interface. Wiring only; see commands.h.

#include <iostream>
#include <string>
#include <vector>

#include "controller/cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return barrage::RunCli(args, std::cout, std::cerr);
}
