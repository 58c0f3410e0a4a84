// libFuzzer target for the block readers' parsers (docs/format/block.md):
// a block on disk can be damaged, so every parser must answer with an error,
// never crash or allocate without bound. The first byte picks the parser:
// meta.json, an index page, the index's tail (page directory and footer),
// the bloom filter (version 1), the striped filter (version 3: header, then a
// lookup in the stripe it names), or a column chunk.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/block/block_meta.h"
#include "store/block/bloom.h"
#include "store/block/chunk.h"
#include "store/block/index.h"
#include "store/block/striped_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using namespace rubato::store::block;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
      (void)BlockMeta::Parse(in);
      break;
    case 1:
      (void)DecodeIndexPage(in, rubato::model::TraceId());
      break;
    case 2: {
      uint64_t need_from = 0;
      (void)PageDirectory::Parse(in, in.size(), &need_from);
      break;
    }
    case 3:
      (void)Bloom::Parse(std::string(in));
      break;
    case 4: {
      auto filter = StripedFilter::Parse(in, in.size());
      if (!filter.ok()) break;
      const uint64_t hash = in.size() >= 8 ? TraceFilterHash(rubato::model::TraceId()) ^ in[7] : 0;
      std::vector<uint32_t> runs;
      (void)filter->RunsThatMayHold(in.substr(filter->StripeOffset(hash), filter->stripe_bytes()), hash, &runs);
      break;
    }
    default:
      if (in.size() >= 2) (void)DecodeChunk(static_cast<uint16_t>(in[0] | in[1] << 8), in.substr(2));
      break;
  }
  return 0;
}
