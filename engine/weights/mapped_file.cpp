#include "engine/weights/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "engine/weights/load_error.h"

namespace r1eval::engine::weights {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw LoadError(fmt::format("{}: cannot open the file ({}).", path.string(), std::strerror(errno)));
  }
  // Size from the open descriptor, not from the path, so a file replaced in between cannot mislead the mapping.
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw LoadError(fmt::format("{}: cannot read the file size ({}).", path.string(), std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) throw LoadError(fmt::format("{}: is not a regular file.", path.string()));
  size_ = static_cast<std::size_t>(info.st_size);
  if (size_ == 0) return;  // mmap rejects length 0; an empty span is the right view of an empty file
  void* mapping = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (mapping == MAP_FAILED) {
    throw LoadError(fmt::format("{}: cannot memory-map the file ({}).", path.string(), std::strerror(errno)));
  }
  data_ = mapping;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() noexcept {
  if (data_ != nullptr) ::munmap(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace r1eval::engine::weights
