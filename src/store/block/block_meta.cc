#include "store/block/block_meta.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>
#include <ctime>

namespace rubato::store::block {
namespace {

constexpr const char* kFormat = "rubato-block";

// RFC 3339 in UTC with all nine digits, so a time survives a round trip exactly.
std::string Rfc3339(uint64_t ns) {
  std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>(ns % 1'000'000'000));
  return buf;
}

// Reads what Rfc3339 writes ("Z" only; 0-9 fraction digits). False when malformed.
bool ParseRfc3339(std::string_view s, uint64_t* ns) {
  auto digits = [&](size_t at, size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  std::tm tm{};
  int year, mon, day, hour, min, sec;
  if (!digits(0, 4, &year) || s.size() < 20 || s[4] != '-' || !digits(5, 2, &mon) || s[7] != '-' ||
      !digits(8, 2, &day) || s[10] != 'T' || !digits(11, 2, &hour) || s[13] != ':' || !digits(14, 2, &min) ||
      s[16] != ':' || !digits(17, 2, &sec)) {
    return false;
  }
  if (year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return false;
  size_t at = 19;
  uint64_t frac = 0;
  if (s[at] == '.') {
    size_t n = 0;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++n) {
      if (n >= 9) return false;
      frac = frac * 10 + static_cast<uint64_t>(s[at] - '0');
    }
    if (n == 0) return false;
    for (; n < 9; ++n) frac *= 10;
  }
  if (at + 1 != s.size() || s[at] != 'Z') return false;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  std::time_t t = timegm(&tm);
  if (t < 0) return false;
  *ns = static_cast<uint64_t>(t) * 1'000'000'000 + frac;
  return true;
}

using Value = rapidjson::Value;

Status Bad(const char* field, const char* why) {
  return Status::InvalidArgument(std::string("meta.json: field \"") + field + "\": " + why);
}

Status GetString(const Value& doc, const char* field, std::string* out) {
  auto it = doc.FindMember(field);
  if (it == doc.MemberEnd()) return Bad(field, "missing");
  if (!it->value.IsString()) return Bad(field, "not a string");
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return Status::Ok();
}

Status GetUint(const Value& doc, const char* field, uint64_t* out, bool optional = false) {
  auto it = doc.FindMember(field);
  if (it == doc.MemberEnd()) return optional ? Status::Ok() : Bad(field, "missing");
  if (!it->value.IsUint64()) return Bad(field, "not a non-negative integer");
  *out = it->value.GetUint64();
  return Status::Ok();
}

Status GetTime(const Value& doc, const char* field, uint64_t* out) {
  std::string s;
  if (Status st = GetString(doc, field, &s); !st.ok()) return st;
  if (!ParseRfc3339(s, out)) return Bad(field, "not an RFC 3339 UTC time");
  return Status::Ok();
}

Status GetTraceId(const Value& doc, const char* field, model::TraceId* out) {
  std::string s;
  if (Status st = GetString(doc, field, &s); !st.ok()) return st;
  auto id = model::TraceId::FromHex(s);
  if (!id.ok()) return Bad(field, "not a 32-digit hex trace ID");
  *out = *id;
  return Status::Ok();
}

Status GetStrings(const Value& doc, const char* field, std::vector<std::string>* out, bool optional) {
  auto it = doc.FindMember(field);
  if (it == doc.MemberEnd()) return optional ? Status::Ok() : Bad(field, "missing");
  if (!it->value.IsArray()) return Bad(field, "not an array");
  for (const Value& v : it->value.GetArray()) {
    if (!v.IsString()) return Bad(field, "holds a non-string");
    out->emplace_back(v.GetString(), v.GetStringLength());
  }
  return Status::Ok();
}

// The run table: every run non-empty, row groups adding up to the block's.
// Version 2 also places each run's bloom filter, back to back over the whole
// `bloom` object; version 3 has one filter object for all runs.
Status GetRuns(const Value& doc, BlockMeta* m) {
  auto it = doc.FindMember("runs");
  if (it == doc.MemberEnd()) return m->version == 2 ? Bad("runs", "missing (version 2)") : Status::Ok();
  if (!it->value.IsArray() || it->value.Empty()) return Bad("runs", "not a non-empty array");
  const bool v2 = m->version == 2;
  uint64_t groups = 0, bloom_end = 0;
  for (const Value& v : it->value.GetArray()) {
    if (!v.IsObject()) return Bad("runs", "holds a non-object");
    RunMeta r;
    std::vector<Status> fields = {GetUint(v, "rowGroups", &r.row_groups), GetUint(v, "dataShift", &r.data_shift)};
    if (v2) {
      fields.push_back(GetUint(v, "bloomOffset", &r.bloom_offset));
      fields.push_back(GetUint(v, "bloomBytes", &r.bloom_bytes));
    } else if (v.HasMember("bloomOffset") || v.HasMember("bloomBytes")) {
      return Bad("runs", "bloomOffset and bloomBytes are only in version 2");
    }
    for (const Status& s : fields) {
      if (!s.ok()) return Status::InvalidArgument("meta.json: field \"runs\", run " + std::to_string(m->runs.size()) + ": " + s.message().substr(sizeof("meta.json: ") - 1));
    }
    if (r.row_groups == 0) return Bad("runs", "a run without row groups");
    if (v2 && (r.bloom_offset != bloom_end || r.bloom_bytes == 0)) return Bad("runs", "bloom filters not back to back");
    if (r.data_shift > m->data_bytes) return Bad("runs", "dataShift past the data object");
    groups += r.row_groups;
    bloom_end += r.bloom_bytes;
    m->runs.push_back(r);
  }
  if (groups != m->row_groups) return Bad("runs", "row groups do not add up to rowGroups");
  if (v2 && bloom_end != m->bloom_bytes) return Bad("runs", "bloom filters do not add up to bloomBytes");
  return Status::Ok();
}

}  // namespace

std::string BlockMeta::ToJson() const {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  auto str = [&](const char* key, const std::string& v) {
    w.Key(key);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto num = [&](const char* key, uint64_t v) {
    w.Key(key);
    w.Uint64(v);
  };
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    w.Key(key);
    w.StartArray();
    for (const std::string& s : v) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
  };
  w.StartObject();
  str("format", kFormat);
  num("version", version);
  str("blockID", block_id);
  str("tenantID", tenant);
  str("minTime", Rfc3339(min_time));
  str("maxTime", Rfc3339(max_time));
  str("minTraceID", min_trace_id.ToHex());
  str("maxTraceID", max_trace_id.ToHex());
  num("traces", traces);
  num("spans", spans);
  num("rowGroups", row_groups);
  num("dataBytes", data_bytes);
  num("indexBytes", index_bytes);
  num("bloomBytes", bloom_bytes);
  num("compactionLevel", compaction_level);
  num("walSeqEnd", wal_seq_end);
  list("compactedFrom", compacted_from);
  str("createdAt", Rfc3339(created_at));
  list("dedicatedColumns", dedicated_columns);
  if (!runs.empty()) {
    w.Key("runs");
    w.StartArray();
    for (const RunMeta& r : runs) {
      w.StartObject();
      num("rowGroups", r.row_groups);
      num("dataShift", r.data_shift);
      if (version == 2) {
        num("bloomOffset", r.bloom_offset);
        num("bloomBytes", r.bloom_bytes);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  std::string out(buf.GetString(), buf.GetSize());
  out.push_back('\n');
  return out;
}

Result<BlockMeta> BlockMeta::Parse(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return Status::InvalidArgument("meta.json: not JSON (error at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) return Status::InvalidArgument("meta.json: not a JSON object");
  BlockMeta m;
  std::string format;
  if (Status s = GetString(doc, "format", &format); !s.ok()) return s;
  if (format != kFormat) return Bad("format", "not \"rubato-block\"");
  uint64_t version = 0;
  if (Status s = GetUint(doc, "version", &version); !s.ok()) return s;
  if (version < 1 || version > 3) return Bad("version", "unsupported (this reader knows versions 1 to 3)");
  m.version = static_cast<uint32_t>(version);
  uint64_t level = 0;
  for (Status s : {GetString(doc, "blockID", &m.block_id), GetString(doc, "tenantID", &m.tenant),
                   GetTime(doc, "minTime", &m.min_time), GetTime(doc, "maxTime", &m.max_time),
                   GetTraceId(doc, "minTraceID", &m.min_trace_id), GetTraceId(doc, "maxTraceID", &m.max_trace_id),
                   GetUint(doc, "traces", &m.traces), GetUint(doc, "spans", &m.spans),
                   GetUint(doc, "rowGroups", &m.row_groups), GetUint(doc, "dataBytes", &m.data_bytes),
                   GetUint(doc, "indexBytes", &m.index_bytes), GetUint(doc, "bloomBytes", &m.bloom_bytes),
                   GetUint(doc, "compactionLevel", &level), GetUint(doc, "walSeqEnd", &m.wal_seq_end, true),
                   GetStrings(doc, "compactedFrom", &m.compacted_from, true),
                   GetTime(doc, "createdAt", &m.created_at),
                   GetStrings(doc, "dedicatedColumns", &m.dedicated_columns, false)}) {
    if (!s.ok()) return s;
  }
  if (level > UINT32_MAX) return Bad("compactionLevel", "out of range");
  m.compaction_level = static_cast<uint32_t>(level);
  if (m.block_id.empty()) return Bad("blockID", "empty");
  if (m.max_trace_id < m.min_trace_id) return Bad("maxTraceID", "below minTraceID");
  if (m.traces > m.spans) return Bad("traces", "more traces than spans");
  if (m.version >= 2) {
    if (Status s = GetRuns(doc, &m); !s.ok()) return s;
  } else if (doc.HasMember("runs")) {
    return Bad("runs", "only in versions 2 and 3");
  }
  return m;
}

}  // namespace rubato::store::block
