// CRC32C (Castagnoli, the iSCSI/ext4 polynomial 0x1EDC6F41, reflected 0x82F63B78):
// the checksum of every WAL record. Hardware (SSE4.2 crc32 instruction) when
// the CPU has it, checked once at run time; a slicing-by-8 table otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rubato::store::wal {

// Extends `crc` (the CRC32C of earlier bytes, 0 for none) with `n` more bytes,
// so Crc32c(Crc32c(0, a), b) == CRC32C of a followed by b.
uint32_t Crc32c(uint32_t crc, const void* data, size_t n);
inline uint32_t Crc32c(uint32_t crc, std::string_view s) { return Crc32c(crc, s.data(), s.size()); }

// The two implementations, exposed so tests can check they agree.
uint32_t Crc32cPortable(uint32_t crc, const void* data, size_t n);
uint32_t Crc32cHardware(uint32_t crc, const void* data, size_t n);  // only if HaveHardwareCrc32c()
bool HaveHardwareCrc32c();

}  // namespace rubato::store::wal
