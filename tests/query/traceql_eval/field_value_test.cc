// Edge cases of value comparison and arithmetic (field_value.h) that the
// dataset cannot reach: overflow, division by zero, NaN, durations.
#include "query/traceql/field_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rubato::query::traceql {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(TraceqlFieldValue, IntegerArithmeticStaysExact) {
  Value r = Arithmetic(BinaryOp::kAdd, Value::Int(kMax - 1), Value::Int(1));
  ASSERT_EQ(r.kind, VKind::kInt);
  EXPECT_EQ(r.i, kMax);
  r = Arithmetic(BinaryOp::kPow, Value::Int(3), Value::Int(39));
  ASSERT_EQ(r.kind, VKind::kInt);
  EXPECT_EQ(r.i, 4052555153018976267);
  r = Arithmetic(BinaryOp::kDiv, Value::Int(-7), Value::Int(2));
  ASSERT_EQ(r.kind, VKind::kInt);
  EXPECT_EQ(r.i, -3);  // truncates toward zero
  r = Arithmetic(BinaryOp::kMod, Value::Int(-7), Value::Int(2));
  EXPECT_EQ(r.i, -1);
  EXPECT_EQ(Arithmetic(BinaryOp::kMod, Value::Int(kMin), Value::Int(-1)).i, 0);
}

TEST(TraceqlFieldValue, OverflowContinuesInFloatingPoint) {
  Value r = Arithmetic(BinaryOp::kAdd, Value::Int(kMax), Value::Int(1));
  ASSERT_EQ(r.kind, VKind::kFloat);
  EXPECT_EQ(r.f, 9223372036854775808.0);
  r = Arithmetic(BinaryOp::kDiv, Value::Int(kMin), Value::Int(-1));
  ASSERT_EQ(r.kind, VKind::kFloat);
  EXPECT_EQ(r.f, 9223372036854775808.0);
  r = Arithmetic(BinaryOp::kPow, Value::Int(2), Value::Int(64));
  ASSERT_EQ(r.kind, VKind::kFloat);
  EXPECT_EQ(r.f, 18446744073709551616.0);
  r = Arithmetic(BinaryOp::kPow, Value::Int(2), Value::Int(-1));
  ASSERT_EQ(r.kind, VKind::kFloat);
  EXPECT_EQ(r.f, 0.5);
  r = Negate(Value::Int(kMin));
  ASSERT_EQ(r.kind, VKind::kFloat);
  EXPECT_EQ(r.f, 9223372036854775808.0);
}

TEST(TraceqlFieldValue, UndefinedResultsAreMissing) {
  EXPECT_EQ(Arithmetic(BinaryOp::kDiv, Value::Int(1), Value::Int(0)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kMod, Value::Int(1), Value::Int(0)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kDiv, Value::Float(1), Value::Float(0)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kMod, Value::Float(5), Value::Int(2)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kPow, Value::Float(-8), Value::Float(1.0 / 3)).kind, VKind::kMissing);  // NaN
  EXPECT_EQ(Arithmetic(BinaryOp::kMul, Value::Float(1e308), Value::Float(10)).kind, VKind::kMissing);  // inf
  EXPECT_EQ(Arithmetic(BinaryOp::kAdd, Value::String("a"), Value::Int(1)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kAdd, Value::Missing(), Value::Int(1)).kind, VKind::kMissing);
  EXPECT_EQ(Arithmetic(BinaryOp::kMul, Value::Duration(kMax), Value::Float(4)).kind, VKind::kMissing);
  EXPECT_EQ(Negate(Value::String("a")).kind, VKind::kMissing);
}

TEST(TraceqlFieldValue, Durations) {
  Value r = Arithmetic(BinaryOp::kAdd, Value::Duration(5), Value::Duration(7));
  ASSERT_EQ(r.kind, VKind::kDuration);
  EXPECT_EQ(r.i, 12);
  r = Arithmetic(BinaryOp::kMul, Value::Duration(5), Value::Float(1.5));
  ASSERT_EQ(r.kind, VKind::kDuration);
  EXPECT_EQ(r.i, 8);  // 7.5 rounds to 8
  r = Arithmetic(BinaryOp::kDiv, Value::Duration(3), Value::Duration(4));
  ASSERT_EQ(r.kind, VKind::kFloat);  // a ratio
  EXPECT_EQ(r.f, 0.75);
  // Durations compare with numbers as nanoseconds.
  EXPECT_TRUE(CompareValues(BinaryOp::kEq, Value::Duration(1'000'000), Value::Int(1'000'000), nullptr));
  EXPECT_TRUE(CompareValues(BinaryOp::kLt, Value::Float(0.5), Value::Duration(1), nullptr));
}

TEST(TraceqlFieldValue, ComparisonsAcrossTypes) {
  EXPECT_TRUE(CompareValues(BinaryOp::kEq, Value::Int(kMax), Value::Int(kMax), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kEq, Value::Int(kMax), Value::Int(kMax - 1), nullptr));  // not via double
  EXPECT_FALSE(CompareValues(BinaryOp::kEq, Value::Float(NAN), Value::Float(NAN), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kNeq, Value::Float(NAN), Value::Float(1), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kLt, Value::Bool(false), Value::Bool(true), nullptr));
  EXPECT_TRUE(CompareValues(BinaryOp::kNeq, Value::Status(1), Value::Status(2), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kNeq, Value::Status(1), Value::Kind(2), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kGt, Value::Kind(3), Value::Kind(2), nullptr));
  EXPECT_FALSE(CompareValues(BinaryOp::kEq, Value::Missing(), Value::Missing(), nullptr));
}

TEST(TraceqlFieldValue, GroupIdentity) {
  EXPECT_TRUE(SameValue(Value::Float(0.0), Value::Float(-0.0)));
  EXPECT_EQ(HashValue(Value::Float(0.0)), HashValue(Value::Float(-0.0)));
  EXPECT_TRUE(SameValue(Value::Float(NAN), Value::Float(NAN)));
  EXPECT_FALSE(SameValue(Value::Int(1), Value::Float(1)));
  EXPECT_TRUE(SameValue(Value::Missing(), Value::Missing()));
  model::SpanId id = *model::SpanId::FromHex("00000000000000ab");
  Value hex = Value::Hex(id);
  EXPECT_TRUE(SameValue(hex, Value::String("00000000000000ab")));
  EXPECT_EQ(HashValue(hex), HashValue(Value::String("00000000000000ab")));
}

}  // namespace
}  // namespace rubato::query::traceql
