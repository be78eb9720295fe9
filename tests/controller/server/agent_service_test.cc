// Copyright 2026 The Barrage Authors.

#include "controller/server/agent_service.h"

#include <catch2/catch_test_macros.hpp>

namespace barrage {
namespace {

TEST_CASE("an agent certificate names exactly one agent id") {
  CHECK(CertificateAllows("agent-a", "agent-a"));
  CHECK_FALSE(CertificateAllows("agent-a", "agent-b"));
  CHECK_FALSE(CertificateAllows("agent-a", "agent-a2"));
  CHECK_FALSE(CertificateAllows("agent-a", ""));
  CHECK_FALSE(CertificateAllows("", "agent-a"));
}

TEST_CASE("a fleet certificate PREFIX* names every id with that prefix and more") {
  CHECK(CertificateAllows("rel-barrage-agent-*", "rel-barrage-agent-7f9c4-x2k8q"));
  CHECK(CertificateAllows("rel-barrage-agent-*", "rel-barrage-agent-1"));
  CHECK_FALSE(CertificateAllows("rel-barrage-agent-*", "rel-barrage-agent-"));
  CHECK_FALSE(CertificateAllows("rel-barrage-agent-*", "other-barrage-agent-1"));
  CHECK_FALSE(CertificateAllows("rel-barrage-agent-*", "rel-barrage-agen"));
  // Only a trailing '*' makes a fleet; anywhere else it is a literal name.
  CHECK_FALSE(CertificateAllows("*-agent", "a-agent"));
  CHECK(CertificateAllows("*", "any-id"));
}

}  // namespace
}  // namespace barrage
