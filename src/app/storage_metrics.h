// Exposes the storage engine's state and counters on /metrics.
#pragma once

#include "metrics/registry.h"
#include "store/trace_db.h"

namespace rubato::app {

void RegisterStorageMetrics(metrics::Registry* registry, const store::TraceDb* db);

}  // namespace rubato::app
