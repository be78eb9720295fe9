// Copyright 2026 The Barrage Authors.
//
// Text renderings of a scenario's plan for `barrage validate` and
// `barrage plan`. Pure: values in, text out (golden-file tested).
#ifndef BARRAGE_CONTROLLER_CLI_PLAN_PRINTER_H_
#define BARRAGE_CONTROLLER_CLI_PLAN_PRINTER_H_

#include <cstdint>
#include <string>

#include "common/scenario/scenario.h"
#include "controller/run/load_splitter.h"

namespace barrage {

// The normalized plan: every default resolved, rates in one unit, the
// expected request count of each stage.
std::string RenderPlan(const Scenario& scenario);

// The per-agent split: per stage each agent's rate or VUs and arrivals, with
// totals per stage and per agent, and (closed-model plans) each agent's
// peak VUs: the connections it must hold. `max_in_flight` > 0: the agents'
// limit, said under the table.
std::string RenderSplit(const Scenario& scenario, const SplitPlan& plan,
                        int64_t max_in_flight = 0);

// "200/min (3.333/s)", "16.5/s", "1000/h (0.278/s)".
std::string DescribeRate(Rational per_second);

}  // namespace barrage

#endif  // BARRAGE_CONTROLLER_CLI_PLAN_PRINTER_H_
