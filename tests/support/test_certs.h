// Copyright 2026 The Barrage Authors.
//
// TestCerts: a private test CA and certificates it signed, made with the
// openssl CLI in a temporary directory that the destructor removes. For TLS
// tests on loopback only: every server certificate shares one key.
//
//   ca.pem                the CA (trust it with ca_pem / ca_file)
//   server.pem            for IP 127.0.0.1 and DNS localhost, valid 2 days
//   expired.pem           the same names, expired yesterday
//   wrong.pem             for DNS wrong.example only
//   server.key            the key of all three
//   client.pem/.key       a client certificate (clientAuth), for mTLS
#ifndef BARRAGE_TESTS_SUPPORT_TEST_CERTS_H_
#define BARRAGE_TESTS_SUPPORT_TEST_CERTS_H_

#include <string>

#include "absl/status/status.h"

namespace barrage::testing {

class TestCerts {
 public:
  TestCerts() = default;
  ~TestCerts();
  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;

  // FailedPrecondition when openssl is missing or refuses (tests skip).
  absl::Status Make();

  // The file's path in the directory ("ca.pem", ...).
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // The file's contents ("" when unreadable).
  std::string Pem(const std::string& name) const;

 private:
  std::string dir_;
};

}  // namespace barrage::testing

#endif  // BARRAGE_TESTS_SUPPORT_TEST_CERTS_H_
