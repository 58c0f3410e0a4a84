// jemalloc's settings for the server, read by jemalloc at start-up from this
// symbol (the MALLOC_CONF environment variable still overrides them). Without
// jemalloc in the process (sanitizer builds) nothing reads it.
//
// Measured in 10-minute full-rate runs (bench/server/run, docs/performance.md):
// - jemalloc's defaults keep freed pages 10 s: RSS flat but high, ~271 MB
//   mean, because the head frees a cut's request buffers 16-25 times a second;
// - a 1 s decay done by background threads (not by the threads that free)
//   lowered it to 215 MB at first, but it crept to 250 over the run;
// - two arenas instead of eight (four per core) as well: 213-239 MB per-minute
//   means, max 289, the same rate within noise. Fewer arenas leave fewer
//   half-empty slabs behind.
extern "C" {
// The name and type are jemalloc's interface.
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,narenas:2";
}
