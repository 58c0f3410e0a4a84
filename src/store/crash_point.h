// Crash points for the crash test (tests/e2e/crash): when the environment
// variable RUBATO_CRASH_POINT is "<name>" or "<name>:<n>", the process kills
// itself with SIGKILL the n-th time (default 1st) it reaches that point, so
// the test can kill -9 at the exact seams of a cut or a compaction as well
// as at random moments. Unset (always, outside that test), it costs a load.
#pragma once

namespace rubato::store {

void CrashPoint(const char* name);

}  // namespace rubato::store
