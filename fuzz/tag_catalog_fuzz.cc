// libFuzzer target for a block's `catalog` object (query/search/
// tag_catalog_file.h). The input is the object's body: the target adds the
// magic, version and a valid CRC, so that the fuzzer explores the parser
// behind the checksum (a damaged object fails at the CRC; a buggy writer's
// would not). A catalog that parses must encode back to a body that parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "query/search/tag_catalog_file.h"
#include "store/block/encoding.h"
#include "store/wal/crc32c.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rubato;
  std::string object("RBKC\x01", 5);
  object.append(reinterpret_cast<const char*>(data), size);
  store::block::PutFixed<uint32_t>(&object, store::wal::Crc32c(0, object));
  auto catalog = query::search::DecodeCatalog(object);
  if (!catalog.ok()) return 0;
  std::string again = query::search::EncodeCatalog(*catalog);
  if (!query::search::DecodeCatalog(again).ok()) std::abort();
  return 0;
}
