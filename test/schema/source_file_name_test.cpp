#include "schema/source_file_name.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

namespace cdc {

TEST_CASE("equal source file names are one interned string, however and wherever made") {
  SourceFileName a("mysql-bin.000001");
  SourceFileName b(std::string("mysql-bin.") + "000001");
  CHECK(a == b);
  CHECK(&a.str() == &b.str());
  CHECK(a.str() == "mysql-bin.000001");
  CHECK(a.size() == 16);
  CHECK_FALSE(a.empty());
  CHECK(SourceFileName().empty());
  CHECK(SourceFileName() == SourceFileName(""));
  CHECK_FALSE(a == SourceFileName("mysql-bin.000002"));

  // Threads interning the same names at once all get the same strings.
  std::vector<std::vector<const std::string*>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&seen, t] {
      for (int i = 0; i < 2000; ++i) {
        seen[t].push_back(&SourceFileName("racing-bin." + std::to_string(i % 50)).str());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 1; t < seen.size(); ++t) CHECK(seen[t] == seen[0]);
  CHECK(*seen[0][7] == "racing-bin.7");
}

TEST_CASE("source file names order as their text") {
  CHECK(SourceFileName("a.000009") < SourceFileName("a.000010"));
  CHECK(SourceFileName("b.000001") > SourceFileName("a.000002"));
  CHECK((SourceFileName("x") <=> SourceFileName(std::string("x"))) == 0);
}

}  // namespace cdc
