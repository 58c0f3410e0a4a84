#include "workload/generator.h"

namespace rubato::workload {
struct Generator::State {};
Generator::Generator(Options options) : options_(options), state_(new State) {}
Generator::~Generator() { delete state_; }
void Generator::Next(model::Batch* batch) { batch->Clear(); }
}  // namespace rubato::workload
