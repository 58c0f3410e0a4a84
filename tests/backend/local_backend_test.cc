// LocalBackend (src/store/backend/): objects as files under a root, ranged
// reads through a bounded descriptor cache, listing, deletion, keys that try
// to leave the root, and write failures (a full or read-only file system).
#include "store/backend/local_backend.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace rubato::store::backend {
namespace {

namespace fs = std::filesystem;

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("rubato_backend_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

std::string Bytes(size_t n, char seed = 'a') {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i % 23);
  return s;
}

TEST_F(LocalBackendTest, PutThenReadAndReadRange) {
  LocalBackend b(root_.string());  // the root does not exist yet: created on first write
  std::string data = Bytes(10000);
  ASSERT_TRUE(b.Put("t1/block/data", data).ok());
  EXPECT_TRUE(fs::exists(root_ / "t1" / "block" / "data"));
  EXPECT_EQ(b.Read("t1/block/data").value(), data);
  EXPECT_EQ(b.ReadRange("t1/block/data", 0, 10000).value(), data);
  EXPECT_EQ(b.ReadRange("t1/block/data", 1234, 100).value(), data.substr(1234, 100));
  EXPECT_EQ(b.ReadRange("t1/block/data", 10000, 0).value(), "");
  ASSERT_TRUE(b.Put("t1/block/empty", "").ok());
  EXPECT_EQ(b.Read("t1/block/empty").value(), "");
}

TEST_F(LocalBackendTest, MissingAndShort) {
  LocalBackend b(root_.string());
  EXPECT_EQ(b.Read("t1/nothing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(b.ReadRange("t1/nothing", 0, 1).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(b.Put("t1/x", "12345").ok());
  EXPECT_EQ(b.Read("t1/x/y").status().code(), StatusCode::kNotFound);  // a file is not a folder
  auto past = b.ReadRange("t1/x", 3, 3);
  EXPECT_EQ(past.status().code(), StatusCode::kInternal);
  EXPECT_NE(past.status().message().find("short read"), std::string::npos) << past.status().message();
  // A length that would overflow must not be allocated.
  EXPECT_EQ(b.ReadRange("t1/x", 1, UINT64_MAX).status().code(), StatusCode::kInternal);
  EXPECT_EQ(b.ReadRange("t1/x", UINT64_MAX, 2).status().code(), StatusCode::kInternal);
}

TEST_F(LocalBackendTest, StreamingWriter) {
  LocalBackend b(root_.string());
  auto w = b.Create("t1/blk/data");
  ASSERT_TRUE(w.ok()) << w.status().message();
  std::string want;
  for (size_t n : {10u, 0u, 3u << 20, 700u, 1u << 20, 5u}) {  // small, large and exact-buffer appends
    std::string part = Bytes(n, static_cast<char>('a' + want.size() % 7));
    ASSERT_TRUE((*w)->Append(part).ok());
    want += part;
  }
  EXPECT_EQ((*w)->bytes_written(), want.size());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(b.Read("t1/blk/data").value(), want);
  EXPECT_FALSE((*w)->Append("x").ok());

  // Abandoned without Close: not left behind.
  {
    auto partial = b.Create("t1/blk/index");
    ASSERT_TRUE(partial.ok());
    ASSERT_TRUE((*partial)->Append("partial").ok());
  }
  EXPECT_EQ(b.Read("t1/blk/index").status().code(), StatusCode::kNotFound);
}

TEST_F(LocalBackendTest, List) {
  LocalBackend b(root_.string());
  EXPECT_TRUE(b.List("").value().empty());  // no root yet
  ASSERT_TRUE(b.Put("t2/b1/meta.json", "{}").ok());
  ASSERT_TRUE(b.Put("t1/b2/data", "d").ok());
  ASSERT_TRUE(b.Put("t1/b1/data", "d").ok());
  ASSERT_TRUE(b.Put("t1/b1/index", "i").ok());
  EXPECT_EQ(b.List("").value(), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(b.List("t1").value(), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(b.List("t1/b1").value(), (std::vector<std::string>{"data", "index"}));
  EXPECT_TRUE(b.List("t3").value().empty());
  EXPECT_TRUE(b.List("t1/b1/data").value().empty());
}

TEST_F(LocalBackendTest, DeleteAndDeletePrefix) {
  LocalBackend b(root_.string());
  ASSERT_TRUE(b.Put("t1/b1/data", "abcdef").ok());
  ASSERT_TRUE(b.Put("t1/b1/meta.json", "{}").ok());
  ASSERT_TRUE(b.Put("t1/b2/data", "xyz").ok());
  EXPECT_EQ(b.ReadRange("t1/b1/data", 1, 2).value(), "bc");  // caches a descriptor
  EXPECT_EQ(b.open_files(), 1u);
  ASSERT_TRUE(b.Delete("t1/b1/data").ok());
  EXPECT_EQ(b.open_files(), 0u);
  EXPECT_EQ(b.ReadRange("t1/b1/data", 1, 2).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(b.Delete("t1/b1/data").ok());  // already gone
  EXPECT_TRUE(b.Delete("t9/none").ok());
  // The same key written again is read afresh, not through a stale descriptor.
  ASSERT_TRUE(b.Put("t1/b1/data", "new content").ok());
  EXPECT_EQ(b.ReadRange("t1/b1/data", 0, 3).value(), "new");

  EXPECT_EQ(b.ReadRange("t1/b2/data", 0, 3).value(), "xyz");
  ASSERT_TRUE(b.DeletePrefix("t1/b1").ok());
  EXPECT_FALSE(fs::exists(root_ / "t1" / "b1"));
  EXPECT_EQ(b.List("t1").value(), std::vector<std::string>{"b2"});
  EXPECT_EQ(b.ReadRange("t1/b2/data", 0, 3).value(), "xyz");  // a sibling's cached descriptor stays valid
  ASSERT_TRUE(b.DeletePrefix("t1").ok());
  EXPECT_EQ(b.ReadRange("t1/b2/data", 0, 3).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(b.DeletePrefix("t1").ok());  // already gone
  EXPECT_EQ(b.DeletePrefix("").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::exists(root_));
}

TEST_F(LocalBackendTest, KeysCannotLeaveTheRoot) {
  LocalBackend b((root_ / "inner").string());
  for (std::string key : std::vector<std::string>{"../escape", "/etc/passwd", "a/../../b", "a//b", "a/", "..", "a/./b", ".", std::string("a\0b", 3)}) {
    EXPECT_EQ(b.Put(key, "x").code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.Read(key).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.ReadRange(key, 0, 1).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.Create(key).status().code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.Delete(key).code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.DeletePrefix(key).code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(b.List(key).status().code(), StatusCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(b.Put("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(root_ / "escape"));
}

TEST_F(LocalBackendTest, DescriptorCacheIsBoundedAndThreadSafe) {
  LocalBackend b(root_.string(), /*max_open_files=*/3);
  const int kObjects = 10;
  std::vector<std::string> contents;
  for (int i = 0; i < kObjects; ++i) {
    contents.push_back(Bytes(4096, static_cast<char>('a' + i)));
    ASSERT_TRUE(b.Put("t/o" + std::to_string(i), contents.back()).ok());
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3000; ++i) {
        int o = (i * 7 + t) % kObjects;
        uint64_t off = static_cast<uint64_t>((i * 13) % 4000);
        auto r = b.ReadRange("t/o" + std::to_string(o), off, 96);
        if (!r.ok() || *r != contents[o].substr(off, 96)) ++wrong;
        if (b.open_files() > 3) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(b.open_files(), 3u);
}

TEST_F(LocalBackendTest, RootThatIsNotAFolderIsUnavailable) {
  LocalBackend b("/dev/null/rubato");
  Status s = b.Put("t/x", "data");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_NE(s.message().find(std::strerror(ENOTDIR)), std::string::npos) << s.message();
  EXPECT_EQ(b.Create("t/x").status().code(), StatusCode::kUnavailable);
}

// A 1 MiB tmpfs: needs CAP_SYS_ADMIN (root in a privileged container).
class FullFileSystemTest : public LocalBackendTest {
 protected:
  void SetUp() override {
    LocalBackendTest::SetUp();
    fs::create_directories(root_);
    if (::mount("tmpfs", root_.c_str(), "tmpfs", 0, "size=1m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(root_.c_str(), MNT_DETACH);
    LocalBackendTest::TearDown();
  }
  bool mounted_ = false;
};

TEST_F(FullFileSystemTest, PutAndStreamingWriteReportNoSpace) {
  LocalBackend b(root_.string());
  ASSERT_TRUE(b.Put("t/small", "fits").ok());
  Status put = b.Put("t/huge", Bytes(2 << 20));
  EXPECT_EQ(put.code(), StatusCode::kUnavailable);
  EXPECT_NE(put.message().find(std::strerror(ENOSPC)), std::string::npos) << put.message();

  auto w = b.Create("t/stream");
  ASSERT_TRUE(w.ok()) << w.status().message();
  Status s;
  for (int i = 0; i < 8 && s.ok(); ++i) s = (*w)->Append(Bytes(300 << 10));
  if (s.ok()) s = (*w)->Close();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find(std::strerror(ENOSPC)), std::string::npos) << s.message();
  (*w).reset();  // abandoned: the partial object goes away and frees its space
  EXPECT_EQ(b.Read("t/stream").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(b.Delete("t/huge").ok());
  EXPECT_TRUE(b.Put("t/after", Bytes(100 << 10)).ok());  // space is back
}

TEST_F(FullFileSystemTest, ReadOnlyFileSystemIsUnavailable) {
  LocalBackend b(root_.string());
  ASSERT_TRUE(b.Put("t/a", "x").ok());
  if (::mount("tmpfs", root_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m") != 0) {
    GTEST_SKIP() << "cannot remount read-only: " << std::strerror(errno);
  }
  Status s = b.Put("t/b", "x");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find(std::strerror(EROFS)), std::string::npos) << s.message();
  EXPECT_EQ(b.Create("t/c").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(b.Read("t/a").value(), "x");
}

}  // namespace
}  // namespace rubato::store::backend
