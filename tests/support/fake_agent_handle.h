// Copyright 2026 The Barrage Authors.
//
// FakeAgentHandle: records the ControllerMessages sent to an agent.
#ifndef BARRAGE_TESTS_SUPPORT_FAKE_AGENT_HANDLE_H_
#define BARRAGE_TESTS_SUPPORT_FAKE_AGENT_HANDLE_H_

#include <mutex>
#include <vector>

#include "controller/run/agent_handle.h"

namespace barrage::testing {

class FakeAgentHandle final : public AgentHandle {
 public:
  void Send(const v1::ControllerMessage& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back(m);
  }
  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  std::vector<v1::ControllerMessage> sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }
  bool closed() {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::ControllerMessage> sent_;
  bool closed_ = false;
};

inline v1::Hello MakeHello(const std::string& id, int capacity = 1) {
  v1::Hello h;
  h.set_agent_id(id);
  h.set_capacity(capacity);
  h.set_workers(1);
  h.set_histogram_digits(3);
  return h;
}

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_FAKE_AGENT_HANDLE_H_
