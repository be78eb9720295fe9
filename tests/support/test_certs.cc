// Copyright 2026 The Barrage Authors.

#include "tests/support/test_certs.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace barrage::testing {

TestCerts::~TestCerts() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestCerts::Pem(const std::string& name) const {
  std::ifstream in(Path(name));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::Status TestCerts::Make() {
  char tmpl[] = "/tmp/barrage-certs-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
  dir_ = tmpl;
  const std::string d = dir_;
  // One shell script, so a failure names its step in the output.
  const std::string script = absl::StrCat(
      "set -e; cd ", d, "\n",
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=barrage-test-ca",
      " -keyout ca.key -out ca.pem\n",
      "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key",
      " -out server.csr\n",
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext\n",
      "printf 'subjectAltName=DNS:wrong.example\\n' > wrong.ext\n",
      "printf 'extendedKeyUsage=clientAuth\\n' > client.ext\n",
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2",
      " -extfile server.ext -out server.pem\n",
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days -1",
      " -extfile server.ext -out expired.pem\n",
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2",
      " -extfile wrong.ext -out wrong.pem\n",
      "openssl req -newkey rsa:2048 -nodes -subj /CN=barrage-client -keyout client.key",
      " -out client.csr\n",
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2",
      " -extfile client.ext -out client.pem\n");
  const std::string cmd = absl::StrCat("sh -c '", "exec >", d, "/make.log 2>&1; sh ", d,
                                       "/make.sh'");
  {
    std::ofstream out(d + "/make.sh");
    out << script;
  }
  if (std::system(cmd.c_str()) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("openssl cannot make the test certificates; see ", d, "/make.log"));
  }
  return absl::OkStatus();
}

}  // namespace barrage::testing
