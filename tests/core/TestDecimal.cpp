#include "money/Decimal.h"

#include <QByteArray>
#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QVariant>

#include <limits>

using llamadesk::Decimal;
using llamadesk::RoundingMode;

Q_DECLARE_METATYPE(llamadesk::RoundingMode)

namespace {

// "overflow" in a table means the operation must fail (checked: nullopt, operator: invalid).
const char kOverflow[] = "overflow";
const QString kMax = QStringLiteral("99999999999999999999.999999999999999999");

const RoundingMode kModes[] = {RoundingMode::HalfEven, RoundingMode::HalfUp, RoundingMode::HalfDown,
                               RoundingMode::Down,     RoundingMode::Up,     RoundingMode::Floor,
                               RoundingMode::Ceiling};
const char* const kModeNames[] = {"HalfEven", "HalfUp", "HalfDown", "Down",
                                  "Up",       "Floor",  "Ceiling"};

const char* modeName(RoundingMode mode) {
    return kModeNames[static_cast<int>(mode)];
}

struct BinaryCase {
    const char* a;
    const char* b;
    const char* expected;
};

struct MulCase {
    const char* a;
    const char* b;
    RoundingMode mode;
    const char* expected;
};

struct DivCase {
    const char* a;
    const char* b;
    int scale;
    RoundingMode mode;
    const char* expected;
};

struct RoundCase {
    const char* value;
    int scale;
    const char* expected[7];
};

struct ParseRoundCase {
    const char* text;
    int scale;
    RoundingMode mode;
    const char* expected;
};

// Expected values below were computed independently with exact rational arithmetic.
const BinaryCase kAddCases[] = {
    {"0", "0", "0"},
    {"1", "2", "3"},
    {"0.1", "0.2", "0.3"},
    {"-1.5", "1.5", "0"},
    {"-0.000000000000000001", "0.000000000000000001", "0"},
    {"123456789.123456789", "987654321.987654321", "1111111111.11111111"},
    {"-5", "3", "-2"},
    {"5", "-3", "2"},
    {"-5", "-3", "-8"},
    {"18.446744073709551615", "0.000000000000000001", "18.446744073709551616"},
    {"-18.446744073709551616", "-0.000000000000000001", "-18.446744073709551617"},
    {"999999999999.999999999999999999", "999999999999.999999999999999999",
     "1999999999999.999999999999999998"},
    {"99999999999999999999.999999999999999998", "0.000000000000000001",
     "99999999999999999999.999999999999999999"},
    {"99999999999999999999.999999999999999999", "0.000000000000000001", "overflow"},
    {"-99999999999999999999.999999999999999999", "-0.000000000000000001", "overflow"},
    {"99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
     "overflow"},
    {"-99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999",
     "overflow"},
    {"99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999", "0"},
    {"50000000000000000000", "50000000000000000000", "overflow"},
    {"-50000000000000000000", "-50000000000000000000", "overflow"},
    {"85070591730234615865.843651857942052864", "85070591730234615865.843651857942052864",
     "overflow"},
};
const BinaryCase kSubCases[] = {
    {"0", "0", "0"},
    {"3", "5", "-2"},
    {"0.3", "0.1", "0.2"},
    {"-1", "-1", "0"},
    {"1", "0.000000000000000001", "0.999999999999999999"},
    {"0", "18.446744073709551616", "-18.446744073709551616"},
    {"18.446744073709551616", "18.446744073709551617", "-0.000000000000000001"},
    {"99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999", "0"},
    {"-99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
     "overflow"},
    {"99999999999999999999.999999999999999999", "-0.000000000000000001", "overflow"},
    {"-99999999999999999999.999999999999999999", "0.000000000000000001", "overflow"},
    {"-99999999999999999999.999999999999999998", "0.000000000000000001",
     "-99999999999999999999.999999999999999999"},
};
const MulCase kMulCases[] = {
    {"0", "123.45", RoundingMode::HalfEven, "0"},
    {"2", "3", RoundingMode::HalfEven, "6"},
    {"-2", "3", RoundingMode::HalfEven, "-6"},
    {"-2", "-3", RoundingMode::HalfEven, "6"},
    {"1.5", "1.5", RoundingMode::HalfEven, "2.25"},
    {"0.1", "0.1", RoundingMode::HalfEven, "0.01"},
    {"1234.5678", "0.0001", RoundingMode::HalfEven, "0.12345678"},
    {"0.000000001", "0.000000001", RoundingMode::HalfEven, "0.000000000000000001"},
    {"0.000000001", "0.0000000001", RoundingMode::HalfEven, "0"},
    {"3000.12", "1.2345678", RoundingMode::HalfEven, "3703.851548136"},
    {"0.333333333333333333", "3", RoundingMode::HalfEven, "0.999999999999999999"},
    {"123456789012.123456789012345678", "0.000001234567890123", RoundingMode::HalfEven,
     "152415.787532057625516008"},
    {"999999999999.999999999999999999", "99999999.99999999", RoundingMode::HalfEven,
     "99999999999999989999.9999999999"},
    {"9999999999.999999999", "9999999999.999999999", RoundingMode::HalfEven,
     "99999999999999999980.000000000000000001"},
    {"18.446744073709551616", "18.446744073709551616", RoundingMode::HalfEven,
     "340.282366920938463463"},
    {"-18.446744073709551615", "18.446744073709551617", RoundingMode::HalfEven,
     "-340.282366920938463463"},
    {"99999999999999999999", "1", RoundingMode::HalfEven, "99999999999999999999"},
    {"99999999999999999999.999999999999999999", "1", RoundingMode::HalfEven,
     "99999999999999999999.999999999999999999"},
    {"99999999999999999999.999999999999999999", "-1", RoundingMode::HalfEven,
     "-99999999999999999999.999999999999999999"},
    {"99999999999999999999.999999999999999999", "0.5", RoundingMode::HalfEven,
     "50000000000000000000"},
    {"99999999999999999999.999999999999999999", "0.000000000000000001", RoundingMode::HalfEven,
     "100"},
    {"99999999999999999999.999999999999999999", "1.000000000000000001", RoundingMode::HalfEven,
     "overflow"},
    {"10000000000", "10000000000", RoundingMode::HalfEven, "overflow"},
    {"-10000000000", "10000000000", RoundingMode::HalfEven, "overflow"},
    {"9999999999.99999999", "10", RoundingMode::HalfEven, "99999999999.9999999"},
    {"99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
     RoundingMode::HalfEven, "overflow"},
    {"0.000000000000000001", "0.000000000000000001", RoundingMode::HalfEven, "0"},
    {"1.000000000000000001", "1.000000000000000001", RoundingMode::HalfEven,
     "1.000000000000000002"},
    {"12345678901234567890.123456789012345678", "0.000000000000000007", RoundingMode::HalfEven,
     "86.419752308641975231"},
    {"0.000000000000000005", "0.1", RoundingMode::HalfEven, "0"},
    {"-0.000000000000000005", "0.1", RoundingMode::HalfEven, "0"},
    {"0.000000000000000015", "0.1", RoundingMode::HalfEven, "0.000000000000000002"},
    {"0.000000000000000007", "0.1", RoundingMode::HalfEven, "0.000000000000000001"},
    {"-0.000000000000000003", "0.1", RoundingMode::HalfEven, "0"},
    {"0.000000000000000005", "0.1", RoundingMode::HalfUp, "0.000000000000000001"},
    {"-0.000000000000000005", "0.1", RoundingMode::HalfUp, "-0.000000000000000001"},
    {"0.000000000000000015", "0.1", RoundingMode::HalfUp, "0.000000000000000002"},
    {"0.000000000000000007", "0.1", RoundingMode::HalfUp, "0.000000000000000001"},
    {"-0.000000000000000003", "0.1", RoundingMode::HalfUp, "0"},
    {"0.000000000000000005", "0.1", RoundingMode::HalfDown, "0"},
    {"-0.000000000000000005", "0.1", RoundingMode::HalfDown, "0"},
    {"0.000000000000000015", "0.1", RoundingMode::HalfDown, "0.000000000000000001"},
    {"0.000000000000000007", "0.1", RoundingMode::HalfDown, "0.000000000000000001"},
    {"-0.000000000000000003", "0.1", RoundingMode::HalfDown, "0"},
    {"0.000000000000000005", "0.1", RoundingMode::Down, "0"},
    {"-0.000000000000000005", "0.1", RoundingMode::Down, "0"},
    {"0.000000000000000015", "0.1", RoundingMode::Down, "0.000000000000000001"},
    {"0.000000000000000007", "0.1", RoundingMode::Down, "0"},
    {"-0.000000000000000003", "0.1", RoundingMode::Down, "0"},
    {"0.000000000000000005", "0.1", RoundingMode::Up, "0.000000000000000001"},
    {"-0.000000000000000005", "0.1", RoundingMode::Up, "-0.000000000000000001"},
    {"0.000000000000000015", "0.1", RoundingMode::Up, "0.000000000000000002"},
    {"0.000000000000000007", "0.1", RoundingMode::Up, "0.000000000000000001"},
    {"-0.000000000000000003", "0.1", RoundingMode::Up, "-0.000000000000000001"},
    {"0.000000000000000005", "0.1", RoundingMode::Floor, "0"},
    {"-0.000000000000000005", "0.1", RoundingMode::Floor, "-0.000000000000000001"},
    {"0.000000000000000015", "0.1", RoundingMode::Floor, "0.000000000000000001"},
    {"0.000000000000000007", "0.1", RoundingMode::Floor, "0"},
    {"-0.000000000000000003", "0.1", RoundingMode::Floor, "-0.000000000000000001"},
    {"0.000000000000000005", "0.1", RoundingMode::Ceiling, "0.000000000000000001"},
    {"-0.000000000000000005", "0.1", RoundingMode::Ceiling, "0"},
    {"0.000000000000000015", "0.1", RoundingMode::Ceiling, "0.000000000000000002"},
    {"0.000000000000000007", "0.1", RoundingMode::Ceiling, "0.000000000000000001"},
    {"-0.000000000000000003", "0.1", RoundingMode::Ceiling, "0"},
    {"99999999999999999999.999999999999999999", "0.999999999999999999", RoundingMode::Up,
     "99999999999999999900"},
    {"49999999999999999999.999999999999999999", "2.000000000000000001", RoundingMode::Down,
     "overflow"},
};
const DivCase kDivCases[] = {
    {"1", "3", 18, RoundingMode::HalfEven, "0.333333333333333333"},
    {"2", "3", 18, RoundingMode::HalfEven, "0.666666666666666667"},
    {"-2", "3", 18, RoundingMode::HalfEven, "-0.666666666666666667"},
    {"1", "3", 2, RoundingMode::HalfEven, "0.33"},
    {"10", "4", 0, RoundingMode::HalfEven, "2"},
    {"10", "4", 0, RoundingMode::HalfUp, "3"},
    {"14", "4", 0, RoundingMode::HalfEven, "4"},
    {"-10", "4", 0, RoundingMode::HalfEven, "-2"},
    {"-10", "4", 0, RoundingMode::HalfUp, "-3"},
    {"1", "8", 2, RoundingMode::HalfEven, "0.12"},
    {"1", "8", 2, RoundingMode::HalfUp, "0.13"},
    {"1", "8", 2, RoundingMode::HalfDown, "0.12"},
    {"-1", "8", 2, RoundingMode::Floor, "-0.13"},
    {"-1", "8", 2, RoundingMode::Ceiling, "-0.12"},
    {"1", "8", 2, RoundingMode::Down, "0.12"},
    {"1", "8", 2, RoundingMode::Up, "0.13"},
    {"100", "7", 18, RoundingMode::Down, "14.285714285714285714"},
    {"100", "7", 18, RoundingMode::Up, "14.285714285714285715"},
    {"0", "7", 5, RoundingMode::Up, "0"},
    {"7", "7", 0, RoundingMode::HalfEven, "1"},
    {"1", "0.000000000000000001", 18, RoundingMode::HalfEven, "1000000000000000000"},
    {"12345678901234567890", "0.000000000000000001", 18, RoundingMode::HalfEven, "overflow"},
    {"99999999999999999999", "0.5", 18, RoundingMode::HalfEven, "overflow"},
    {"1", "99999999999999999999", 18, RoundingMode::HalfEven, "0"},
    {"99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999", 18,
     RoundingMode::HalfEven, "1"},
    {"99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999", 0,
     RoundingMode::HalfEven, "-1"},
    {"99999999999999999999.999999999999999999", "1", 18, RoundingMode::HalfEven,
     "99999999999999999999.999999999999999999"},
    {"99999999999999999999.999999999999999999", "1", 0, RoundingMode::HalfEven, "overflow"},
    {"99999999999999999999.999999999999999999", "1", 0, RoundingMode::Down, "99999999999999999999"},
    {"99999999999999999999.999999999999999999", "3", 18, RoundingMode::HalfEven,
     "33333333333333333333.333333333333333333"},
    {"99999999999999999999.999999999999999999", "18.446744073709551616", 18, RoundingMode::HalfEven,
     "5421010862427522170.037264004349708557"},
    {"99999999999999999999.999999999999999999", "18.446744073709551615", 18, RoundingMode::Up,
     "5421010862427522170.331137592055280435"},
    {"99999999999999999999.999999999999999999", "34028236692093846346.374607431768211455", 18,
     RoundingMode::HalfEven, "2.93873587705571877"},
    {"12345678901234567890.123456789012345678", "98765432109876543.210987654321098765", 18,
     RoundingMode::HalfEven, "124.999998860937500014"},
    {"12345678901234567890.123456789012345678", "98765432109876543.210987654321098765", 18,
     RoundingMode::Down, "124.999998860937500014"},
    {"0.000000000000000001", "99999999999999999999.999999999999999999", 18, RoundingMode::Up,
     "0.000000000000000001"},
    {"0.000000000000000001", "99999999999999999999.999999999999999999", 18, RoundingMode::HalfEven,
     "0"},
    {"-0.000000000000000001", "3", 18, RoundingMode::Floor, "-0.000000000000000001"},
    {"-0.000000000000000001", "3", 0, RoundingMode::Floor, "-1"},
    {"0.000000000000000001", "3", 0, RoundingMode::Ceiling, "1"},
    {"3000.5", "1234.5678", 8, RoundingMode::HalfEven, "2.4304052"},
    {"1", "1.000000000000000001", 18, RoundingMode::HalfEven, "0.999999999999999999"},
    {"1", "1.000000000000000001", 18, RoundingMode::Down, "0.999999999999999999"},
    {"36893488147419103232", "18446744073709551616.000000000000000001", 18, RoundingMode::HalfEven,
     "2"},
    {"85070591730234615865.843651857942052864", "18446744073709551617", 18, RoundingMode::HalfEven,
     "4.611686018427387904"},
    {"5", "0", 2, RoundingMode::HalfEven, "overflow"},
    {"0", "0", 2, RoundingMode::HalfEven, "overflow"},
    {"1", "0.00000000000000001", 18, RoundingMode::HalfEven, "100000000000000000"},
    {"10000000000000000000", "0.1", 18, RoundingMode::HalfEven, "overflow"},
    {"10000000000000000000", "0.1", 0, RoundingMode::HalfEven, "overflow"},
    {"50", "0.000000000000000001", 18, RoundingMode::HalfEven, "50000000000000000000"},
    // A partial remainder whose top limb equals the divisor's: the quotient digit estimate takes
    // its "largest digit" branch.
    {"1240543707219278.771268885604661655", "18.446744073709551619", 18, RoundingMode::HalfEven,
     "67250009121518.179714974116478976"},
    {"1240543707219278.771268885604661655", "18.446744073709551619", 18, RoundingMode::Down,
     "67250009121518.179714974116478975"},
    {"1240543707219278.771268885604661655", "18.446744073709551619", 18, RoundingMode::Up,
     "67250009121518.179714974116478976"},
    {"1206103153307505.250609137432066455", "18.446745173221179399", 18, RoundingMode::HalfEven,
     "65382979055751.489270966183264256"},
    {"1206103153307505.250609137432066455", "18.446745173221179399", 18, RoundingMode::Down,
     "65382979055751.489270966183264255"},
    {"1206103153307505.250609137432066455", "18.446745173221179399", 18, RoundingMode::Up,
     "65382979055751.489270966183264256"},
};
// Expected results in the order HalfEven, HalfUp, HalfDown, Down, Up, Floor, Ceiling.
const RoundCase kRoundCases[] = {
    {"2.5", 0, {"2", "3", "2", "2", "3", "2", "3"}},
    {"-2.5", 0, {"-2", "-3", "-2", "-2", "-3", "-3", "-2"}},
    {"1.5", 0, {"2", "2", "1", "1", "2", "1", "2"}},
    {"-1.5", 0, {"-2", "-2", "-1", "-1", "-2", "-2", "-1"}},
    {"0.125", 2, {"0.12", "0.13", "0.12", "0.12", "0.13", "0.12", "0.13"}},
    {"-0.125", 2, {"-0.12", "-0.13", "-0.12", "-0.12", "-0.13", "-0.13", "-0.12"}},
    {"0.135", 2, {"0.14", "0.14", "0.13", "0.13", "0.14", "0.13", "0.14"}},
    {"1.005", 2, {"1", "1.01", "1", "1", "1.01", "1", "1.01"}},
    {"2.4999", 0, {"2", "2", "2", "2", "3", "2", "3"}},
    {"2.5001", 0, {"3", "3", "3", "2", "3", "2", "3"}},
    {"-2.5001", 0, {"-3", "-3", "-3", "-2", "-3", "-3", "-2"}},
    {"0", 0, {"0", "0", "0", "0", "0", "0", "0"}},
    {"7", 0, {"7", "7", "7", "7", "7", "7", "7"}},
    {"0.5", 0, {"0", "1", "0", "0", "1", "0", "1"}},
    {"-0.5", 0, {"0", "-1", "0", "0", "-1", "-1", "0"}},
    {"0.000000000000000001",
     17,
     {"0", "0", "0", "0", "0.00000000000000001", "0", "0.00000000000000001"}},
    {"-0.000000000000000001",
     17,
     {"0", "0", "0", "0", "-0.00000000000000001", "-0.00000000000000001", "0"}},
    {"0.000000000000000005",
     17,
     {"0", "0.00000000000000001", "0", "0", "0.00000000000000001", "0", "0.00000000000000001"}},
    {"-0.000000000000000015",
     17,
     {"-0.00000000000000002", "-0.00000000000000002", "-0.00000000000000001",
      "-0.00000000000000001", "-0.00000000000000002", "-0.00000000000000002",
      "-0.00000000000000001"}},
    {"123.456789",
     4,
     {"123.4568", "123.4568", "123.4568", "123.4567", "123.4568", "123.4567", "123.4568"}},
    {"99999999999999999999.5",
     0,
     {"overflow", "overflow", "99999999999999999999", "99999999999999999999", "overflow",
      "99999999999999999999", "overflow"}},
    {"99999999999999999999.999999999999999999",
     0,
     {"overflow", "overflow", "overflow", "99999999999999999999", "overflow",
      "99999999999999999999", "overflow"}},
    {"-99999999999999999999.999999999999999999",
     0,
     {"overflow", "overflow", "overflow", "-99999999999999999999", "overflow", "overflow",
      "-99999999999999999999"}},
    {"99999999999999999999.999999999999999999",
     17,
     {"overflow", "overflow", "overflow", "99999999999999999999.99999999999999999", "overflow",
      "99999999999999999999.99999999999999999", "overflow"}},
    {"99999999999999999999.999999999999999999",
     18,
     {"99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
      "99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
      "99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999",
      "99999999999999999999.999999999999999999"}},
    {"-1234.5678",
     18,
     {"-1234.5678", "-1234.5678", "-1234.5678", "-1234.5678", "-1234.5678", "-1234.5678",
      "-1234.5678"}},
};
const ParseRoundCase kParseRoundCases[] = {
    {"1.23456789012345678901234567890", 18, RoundingMode::HalfEven, "1.234567890123456789"},
    {"1.23456789012345678951234567890", 18, RoundingMode::Down, "1.234567890123456789"},
    {"0.125", 2, RoundingMode::HalfEven, "0.12"},
    {"0.125", 2, RoundingMode::HalfUp, "0.13"},
    {"-0.125", 2, RoundingMode::Floor, "-0.13"},
    {"-0.125", 2, RoundingMode::HalfDown, "-0.12"},
    {"1.0000000000000000005", 18, RoundingMode::HalfEven, "1"},
    {"1.0000000000000000005", 18, RoundingMode::HalfUp, "1.000000000000000001"},
    {"1.00000000000000000050001", 18, RoundingMode::HalfEven, "1.000000000000000001"},
    {"1.0000000000000000015", 18, RoundingMode::HalfEven, "1.000000000000000002"},
    {"99999999999999999999.9999999999999999995", 18, RoundingMode::HalfUp, "error"},
    {"99999999999999999999.9999999999999999995", 18, RoundingMode::Down,
     "99999999999999999999.999999999999999999"},
    {"99999999999999999999.5", 0, RoundingMode::HalfEven, "error"},
    {"99999999999999999999.5", 0, RoundingMode::HalfDown, "99999999999999999999"},
    {"3000.123456789", 2, RoundingMode::Down, "3000.12"},
    {"-0.0000000000000000001", 18, RoundingMode::Floor, "-0.000000000000000001"},
    {"-0.0000000000000000001", 18, RoundingMode::HalfEven, "0"},
    {"12", 5, RoundingMode::HalfEven, "12"},
    {"0.999", 2, RoundingMode::HalfUp, "1"},
    {"-0.995", 2, RoundingMode::HalfEven, "-1"},
    {"2.5", 0, RoundingMode::HalfEven, "2"},
    {"3.5", 0, RoundingMode::HalfEven, "4"},
    {"+7.000000000000000000000000009", 0, RoundingMode::Ceiling, "8"},
    {"0.00000000000000000000000000000001", 18, RoundingMode::Up, "0.000000000000000001"},
};

const ParseRoundCase kBadScaleCases[] = {
    {"1.5", 19, RoundingMode::HalfEven, "error"},
    {"1.5", -1, RoundingMode::HalfEven, "error"},
    {"1e5", 2, RoundingMode::HalfEven, "error"},
    {".5", 2, RoundingMode::HalfEven, "error"},
};

// Test data helper: "invalid" is Decimal::invalid(), anything else must parse.
Decimal dec(const char* text) {
    if (qstrcmp(text, "invalid") == 0)
        return Decimal::invalid();
    const Result<Decimal> r = Decimal::parse(QByteArrayView(text));
    if (!r.ok())
        qFatal("Bad test data \"%s\": %s", text, qPrintable(r.error()));
    return *r;
}

Decimal dec(const QString& text) {
    return dec(text.toLatin1().constData());
}

QString text(const std::optional<Decimal>& d) {
    return d ? d->toString() : QString::fromLatin1(kOverflow);
}

QString text(const Decimal& d) {
    return d.isValid() ? d.toString() : QString::fromLatin1(kOverflow);
}

const Decimal kUlp = Decimal::fromScaled(1, 18);

enum class Op { Add, Sub, Mul, Div, Neg, Abs, Round, PlusAssign, MinusAssign, Min, Max };

} // namespace

Q_DECLARE_METATYPE(Op)

namespace llamadesk {
// Lets QCOMPARE print Decimal values on failure.
char* toString(const Decimal& d) {
    return qstrdup(d.toUtf8().constData());
}
} // namespace llamadesk

class TestDecimal : public QObject {
    Q_OBJECT

private slots:
    void backendMatchesBuild();
    void defaultIsZero();
    void roundTrip_data();
    void roundTrip();
    void bytesReadAsText_data();
    void bytesReadAsText();
    void parseInvalid_data();
    void parseInvalid();
    void parseRounded_data();
    void parseRounded();
    void fromInt_data();
    void fromInt();
    void fromScaled_data();
    void fromScaled();
    void add_data();
    void add();
    void sub_data();
    void sub();
    void mul_data();
    void mul();
    void div_data();
    void div();
    void round_data();
    void round();
    void invalidValue();
    void invalidPropagates_data();
    void invalidPropagates();
    void compare_data();
    void compare();
    void minMax_data();
    void minMax();
    void scaleAndDigits_data();
    void scaleAndDigits();
    void fitsPrecision_data();
    void fitsPrecision();
    void toStringPadded_data();
    void toStringPadded();
    void toInt64_data();
    void toInt64();
    void hashAndVariant();
    void mulDivRoundTrip_data();
    void mulDivRoundTrip();
};

void TestDecimal::backendMatchesBuild() {
    // The portable test target must really run the fallback, and the normal one the fast path.
#if defined(LLAMADESK_DECIMAL_PORTABLE) || !defined(__SIZEOF_INT128__)
    QVERIFY(!Decimal::usesNativeInt128());
#else
    QVERIFY(Decimal::usesNativeInt128());
#endif
}

void TestDecimal::defaultIsZero() {
    const Decimal zero;
    QVERIFY(zero.isValid());
    QVERIFY(zero.isZero());
    QCOMPARE(zero.sign(), 0);
    QCOMPARE(zero.toString(), QStringLiteral("0"));
    QCOMPARE(zero, Decimal::fromInt(0));
    QCOMPARE(int(sizeof(Decimal)), 16);
}

void TestDecimal::roundTrip_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("canonical");

    const auto row = [](const char* input, const char* canonical) {
        QTest::newRow(input) << QString::fromLatin1(input) << QString::fromLatin1(canonical);
    };
    row("0", "0");
    row("-0", "0");
    row("+0", "0");
    row("+1", "1");
    row("-0.000", "0");
    row("0.000000000000000000", "0");
    row("007.50", "7.5");
    row("1", "1");
    row("-1", "-1");
    row("12.3", "12.3");
    row("-0.5", "-0.5");
    row("0.1", "0.1");
    row("0.100", "0.1");
    row("-100.000100", "-100.0001");
    row("1000000", "1000000");
    row("0.000000000000000001", "0.000000000000000001");
    row("-0.000000000000000001", "-0.000000000000000001");
    row("999999999999.999999999999999999", "999999999999.999999999999999999");
    row("-999999999999.999999999999999999", "-999999999999.999999999999999999");
    row("999999999999999999.99", "999999999999999999.99");
    row("-999999999999999999.99", "-999999999999999999.99");
    row("99999999999999999999.999999999999999999", "99999999999999999999.999999999999999999");
    row("-99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999");
    row("1.10000000000000000000000", "1.1");
    row("3.14159265358979323800000", "3.141592653589793238");
    row("000000000000000000000000000099", "99");
    row("18.446744073709551615", "18.446744073709551615");
    row("18.446744073709551616", "18.446744073709551616");
    row("-18.446744073709551616", "-18.446744073709551616");
    row("18446744073709551615", "18446744073709551615");
    row("18446744073709551616", "18446744073709551616");
    row("9223372036854775807", "9223372036854775807");
    row("-9223372036854775808", "-9223372036854775808");
    row("9999999999999999999", "9999999999999999999");
    row("10000000000000000000", "10000000000000000000");
    row("12345678901234567890.123456789012345678", "12345678901234567890.123456789012345678");
    row("-85070591730234615865.843651857942052864", "-85070591730234615865.843651857942052864");
}

void TestDecimal::roundTrip() {
    QFETCH(QString, input);
    QFETCH(QString, canonical);

    const Result<Decimal> parsed = Decimal::parse(input);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->toString(), canonical);
    QCOMPARE(parsed->toUtf8(), canonical.toUtf8());

    const QByteArray utf8 = input.toUtf8();
    const Result<Decimal> fromBytes = Decimal::parse(QByteArrayView(utf8));
    QVERIFY2(fromBytes.ok(), qPrintable(fromBytes.error()));
    QCOMPARE(*fromBytes, *parsed);

    const Result<Decimal> again = Decimal::parse(canonical);
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QCOMPARE(*again, *parsed);

    // Nothing to round at 18 digits, whatever the mode.
    for (RoundingMode mode : kModes) {
        const Result<Decimal> rounded = Decimal::parse(input, Decimal::kScale, mode);
        QVERIFY2(rounded.ok(), qPrintable(rounded.error()));
        QCOMPARE(*rounded, *parsed);
    }
}

void TestDecimal::bytesReadAsText_data() {
    // Bytes (what the vault and the importers hand over) and UTF-16 text are read by one parser
    // over two character types: every shape of number, with every character in turn replaced
    // by one that is not a digit, must give the same value or the same error both ways.
    QTest::addColumn<int>("intDigits");
    QTest::addColumn<int>("fracDigits");
    for (const int intDigits : {1, 2, 7, 8, 9, 11, 12, 16, 19, 20, 21})
        for (const int fracDigits : {-1, 0, 1, 7, 8, 9, 10, 16, 17, 18, 19, 26})
            QTest::addRow("%d.%d", intDigits, fracDigits) << intDigits << fracDigits;
}

void TestDecimal::bytesReadAsText() {
    QFETCH(int, intDigits);
    QFETCH(int, fracDigits); // -1: no decimal point; 0: a point and nothing after it
    QString number;
    for (int i = 0; i < intDigits; ++i)
        number += QLatin1Char(char('0' + (i * 7 + 3) % 10)); // never a leading zero
    if (fracDigits >= 0) {
        number += QLatin1Char('.');
        for (int i = 0; i < fracDigits; ++i)
            number += QLatin1Char(char('0' + (i * 3 + 1) % 10));
    }
    const auto same = [](const QString& text) {
        const QByteArray utf8 = text.toUtf8();
        const Result<Decimal> fromText = Decimal::parse(text);
        const Result<Decimal> fromBytes = Decimal::parse(QByteArrayView(utf8));
        QCOMPARE(fromBytes.ok(), fromText.ok());
        if (fromText.ok())
            QCOMPARE(*fromBytes, *fromText);
        else if (utf8.size() == text.size()) // positions and characters name the same thing
            QCOMPARE(fromBytes.error(), fromText.error());
        for (RoundingMode mode : kModes) {
            const Result<Decimal> t = Decimal::parse(text, 2, mode);
            const Result<Decimal> b = Decimal::parse(QByteArrayView(utf8), 2, mode);
            QCOMPARE(b.ok(), t.ok());
            if (t.ok())
                QCOMPARE(*b, *t);
        }
    };
    for (const QString& sign : {QString(), QStringLiteral("-"), QStringLiteral("+0000")}) {
        const QString clean = sign + number;
        same(clean);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(clean));
        const Result<Decimal> parsed = Decimal::parse(clean);
        // A point needs digits after it; at most 20 integer and 18 fractional digits.
        const bool fits = intDigits <= 20 && fracDigits != 0 && fracDigits <= 18;
        QCOMPARE(parsed.ok(), fits);
        if (fits) // the value is the digits: compare with the canonical text
            QCOMPARE(parsed->toString().remove(QLatin1Char('-')),
                     fracDigits <= 0 ? QString(number).remove(QLatin1Char('.')) : number);
        for (qsizetype at = sign.size(); at < clean.size(); ++at) {
            for (const QChar bad :
                 {QChar(u'/'), QChar(u':'), QChar(u'a'), QChar(u' '), QChar(u'.'), QChar(0x00b9)}) {
                QString text = clean;
                text[at] = bad;
                same(text);
                if (QTest::currentTestFailed())
                    QFAIL(qPrintable(text));
            }
        }
    }
}

void TestDecimal::parseInvalid_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("position"); // 1-based; 0 when the message has no position
    QTest::addColumn<QString>("fragment");
    QTest::addColumn<bool>("roundingParseAccepts");

    const auto row = [](const char* name, const QString& input, int position, const char* fragment,
                        bool roundingParseAccepts = false) {
        QTest::newRow(name) << input << position << QString::fromUtf8(fragment)
                            << roundingParseAccepts;
    };
    row("empty", QString(), 0, "empty");
    row("minus only", QStringLiteral("-"), 2, "end of the text");
    row("plus only", QStringLiteral("+"), 2, "end of the text");
    row("trailing point", QStringLiteral("1."), 3, "end of the text");
    row("leading point", QStringLiteral(".5"), 1, "before the decimal point");
    row("signed leading point", QStringLiteral("-.5"), 2, "before the decimal point");
    row("point only", QStringLiteral("."), 1, "before the decimal point");
    row("exponent", QStringLiteral("1e5"), 2, "'e'");
    row("negative exponent", QStringLiteral("1.5E-5"), 4, "'E'");
    row("decimal comma", QStringLiteral("1,0"), 2, "','");
    row("thousands separator", QStringLiteral("1,000.5"), 2, "','");
    row("underscore", QStringLiteral("1_000"), 2, "'_'");
    row("leading space", QStringLiteral(" 1"), 1, "' '");
    row("trailing space", QStringLiteral("1 "), 2, "' '");
    row("tab", QStringLiteral("\t1"), 1, "U+0009");
    row("newline", QStringLiteral("1.5\n"), 4, "U+000A");
    row("double minus", QStringLiteral("--1"), 2, "'-'");
    row("plus minus", QStringLiteral("+-1"), 2, "'-'");
    row("two points", QStringLiteral("1.2.3"), 4, "'.'");
    row("percent", QStringLiteral("12.5%"), 5, "'%'");
    row("hex", QStringLiteral("0x10"), 2, "'x'");
    row("nan", QStringLiteral("NaN"), 1, "'N'");
    row("infinity", QStringLiteral("-inf"), 2, "'i'");
    row("19 fractional digits", QStringLiteral("0.0000000000000000001"), 21, "18 fractional", true);
    row("19 fractional digits, last non-zero", QStringLiteral("1.1234567890123456789"), 21,
        "18 fractional", true);
    row("non-zero after zeros", QStringLiteral("-0.0000000000000000001000"), 22, "18 fractional",
        true);
    row("21 integer digits", QStringLiteral("100000000000000000000"), 21, "20 integer digits");
    row("21 integer digits negative", QStringLiteral("-123456789012345678901"), 22,
        "20 integer digits");
    row("21 integer digits after zeros", QStringLiteral("000100000000000000000000"), 24,
        "20 integer digits");
    row("arabic-indic digits", QString::fromUtf8("\u0661\u0662\u0663"), 1, "U+0661");
    row("arabic-indic digit inside", QString::fromUtf8("1\u0662"), 2, "U+0662");
    row("fullwidth digit", QString::fromUtf8("\uFF11"), 1, "U+FF11");
    row("devanagari fraction", QString::fromUtf8("1.\u0967"), 3, "U+0967");
    row("no-break space", QString::fromUtf8("1\u00A0000"), 2, "U+00A0");
    row("unicode minus", QString::fromUtf8("\u22121"), 1, "U+2212");
}

void TestDecimal::parseInvalid() {
    QFETCH(QString, input);
    QFETCH(int, position);
    QFETCH(QString, fragment);
    QFETCH(bool, roundingParseAccepts);

    const QRegularExpression where(QStringLiteral("position %1\\b").arg(position));

    const Result<Decimal> r = Decimal::parse(input);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(fragment), qPrintable(r.error()));
    if (position > 0)
        QVERIFY2(r.error().contains(where), qPrintable(r.error()));

    // The byte path reports the same position (the first bad character is also the first
    // non-ASCII byte, so byte and character positions agree).
    const QByteArray utf8 = input.toUtf8();
    const Result<Decimal> fromBytes = Decimal::parse(QByteArrayView(utf8));
    QVERIFY(!fromBytes.ok());
    if (position > 0)
        QVERIFY2(fromBytes.error().contains(where), qPrintable(fromBytes.error()));

    const Result<Decimal> rounded = Decimal::parse(input, Decimal::kScale, RoundingMode::HalfEven);
    QCOMPARE(rounded.ok(), roundingParseAccepts);
}

void TestDecimal::parseRounded_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("scale");
    QTest::addColumn<RoundingMode>("mode");
    QTest::addColumn<QString>("expected"); // "error" when parsing must fail

    const auto add = [](const ParseRoundCase& c) {
        QTest::addRow("%s@%d %s", c.text, c.scale, modeName(c.mode))
            << QString::fromLatin1(c.text) << c.scale << c.mode << QString::fromLatin1(c.expected);
    };
    for (const ParseRoundCase& c : kParseRoundCases)
        add(c);
    for (const ParseRoundCase& c : kBadScaleCases)
        add(c);
}

void TestDecimal::parseRounded() {
    QFETCH(QString, input);
    QFETCH(int, scale);
    QFETCH(RoundingMode, mode);
    QFETCH(QString, expected);

    const Result<Decimal> r = Decimal::parse(input, scale, mode);
    const QByteArray utf8 = input.toUtf8();
    const Result<Decimal> fromBytes = Decimal::parse(QByteArrayView(utf8), scale, mode);
    if (expected == QLatin1String("error")) {
        QVERIFY(!r.ok());
        QVERIFY(!r.error().isEmpty());
        QVERIFY(!fromBytes.ok());
        return;
    }
    QVERIFY2(r.ok(), qPrintable(r.error()));
    QCOMPARE(r->toString(), expected);
    QVERIFY2(fromBytes.ok(), qPrintable(fromBytes.error()));
    QCOMPARE(*fromBytes, *r);
    QVERIFY(r->scale() <= scale);
}

void TestDecimal::fromInt_data() {
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("zero") << qint64(0) << QStringLiteral("0");
    QTest::newRow("one") << qint64(1) << QStringLiteral("1");
    QTest::newRow("minus one") << qint64(-1) << QStringLiteral("-1");
    QTest::newRow("million") << qint64(1000000) << QStringLiteral("1000000");
    QTest::newRow("max") << std::numeric_limits<qint64>::max()
                         << QStringLiteral("9223372036854775807");
    QTest::newRow("min") << std::numeric_limits<qint64>::min()
                         << QStringLiteral("-9223372036854775808");
}

void TestDecimal::fromInt() {
    QFETCH(qint64, value);
    QFETCH(QString, expected);

    const Decimal d = Decimal::fromInt(value);
    QCOMPARE(d.toString(), expected);
    QCOMPARE(d.scale(), 0);
    QCOMPARE(d.toInt64(), std::optional<qint64>(value));
}

void TestDecimal::fromScaled_data() {
    QTest::addColumn<qint64>("value");
    QTest::addColumn<int>("scale");
    QTest::addColumn<QString>("expected");

    QTest::newRow("cents") << qint64(1234) << 2 << QStringLiteral("12.34");
    QTest::newRow("negative tenths") << qint64(-5) << 1 << QStringLiteral("-0.5");
    QTest::newRow("whole cents") << qint64(100) << 2 << QStringLiteral("1");
    QTest::newRow("one unit") << qint64(1) << 18 << QStringLiteral("0.000000000000000001");
    QTest::newRow("satoshis") << qint64(2100000000000000) << 8 << QStringLiteral("21000000");
    QTest::newRow("max wei") << std::numeric_limits<qint64>::max() << 18
                             << QStringLiteral("9.223372036854775807");
    QTest::newRow("min at scale 0")
        << std::numeric_limits<qint64>::min() << 0 << QStringLiteral("-9223372036854775808");
    QTest::newRow("zero") << qint64(0) << 18 << QStringLiteral("0");
    QTest::newRow("scale 19") << qint64(7) << 19 << QString::fromLatin1(kOverflow);
    QTest::newRow("scale -1") << qint64(7) << -1 << QString::fromLatin1(kOverflow);
}

void TestDecimal::fromScaled() {
    QFETCH(qint64, value);
    QFETCH(int, scale);
    QFETCH(QString, expected);

    QCOMPARE(text(Decimal::fromScaled(value, scale)), expected);
}

void TestDecimal::add_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<QString>("expected");
    for (const BinaryCase& c : kAddCases)
        QTest::addRow("%s + %s", c.a, c.b)
            << dec(c.a) << dec(c.b) << QString::fromLatin1(c.expected);
}

void TestDecimal::add() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(QString, expected);

    QCOMPARE(text(a.checkedAdd(b)), expected);
    QCOMPARE(text(b.checkedAdd(a)), expected);
    QCOMPARE(text(a + b), expected);
    Decimal acc = a;
    acc += b;
    QCOMPARE(text(acc), expected);
    if (expected != QLatin1String(kOverflow)) {
        // Subtraction undoes it exactly.
        QCOMPARE(dec(expected) - b, a);
        QCOMPARE(dec(expected) - a, b);
    } else {
        QVERIFY(!(a + b).isValid());
    }
}

void TestDecimal::sub_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<QString>("expected");
    for (const BinaryCase& c : kSubCases)
        QTest::addRow("%s - %s", c.a, c.b)
            << dec(c.a) << dec(c.b) << QString::fromLatin1(c.expected);
}

void TestDecimal::sub() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(QString, expected);

    QCOMPARE(text(a.checkedSub(b)), expected);
    QCOMPARE(text(a - b), expected);
    Decimal acc = a;
    acc -= b;
    QCOMPARE(text(acc), expected);
    if (expected != QLatin1String(kOverflow)) {
        QCOMPARE(b - a, -dec(expected));
        QCOMPARE(dec(expected) + b, a);
    }
}

void TestDecimal::mul_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<RoundingMode>("mode");
    QTest::addColumn<QString>("expected");
    for (const MulCase& c : kMulCases) {
        QTest::addRow("%s * %s %s", c.a, c.b, modeName(c.mode))
            << dec(c.a) << dec(c.b) << c.mode << QString::fromLatin1(c.expected);
    }
}

void TestDecimal::mul() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(RoundingMode, mode);
    QFETCH(QString, expected);

    QCOMPARE(text(a.checkedMul(b, mode)), expected);
    QCOMPARE(text(b.checkedMul(a, mode)), expected);
    if (mode == RoundingMode::HalfEven) {
        QCOMPARE(text(a * b), expected);
        QCOMPARE(text(a.checkedMul(b)), expected);
    }
}

void TestDecimal::div_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<int>("scale");
    QTest::addColumn<RoundingMode>("mode");
    QTest::addColumn<QString>("expected");
    for (const DivCase& c : kDivCases) {
        QTest::addRow("%s / %s @%d %s", c.a, c.b, c.scale, modeName(c.mode))
            << dec(c.a) << dec(c.b) << c.scale << c.mode << QString::fromLatin1(c.expected);
    }
    QTest::newRow("scale 19") << dec("1") << dec("3") << 19 << RoundingMode::HalfEven
                              << QString::fromLatin1(kOverflow);
    QTest::newRow("scale -1") << dec("1") << dec("3") << -1 << RoundingMode::HalfEven
                              << QString::fromLatin1(kOverflow);
}

void TestDecimal::div() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(int, scale);
    QFETCH(RoundingMode, mode);
    QFETCH(QString, expected);

    QCOMPARE(text(a.checkedDiv(b, scale, mode)), expected);
    QCOMPARE(text(a.divided(b, scale, mode)), expected);
}

void TestDecimal::round_data() {
    QTest::addColumn<Decimal>("value");
    QTest::addColumn<int>("scale");
    QTest::addColumn<RoundingMode>("mode");
    QTest::addColumn<QString>("expected");
    for (const RoundCase& c : kRoundCases) {
        for (int m = 0; m < 7; ++m) {
            QTest::addRow("%s@%d %s", c.value, c.scale, kModeNames[m])
                << dec(c.value) << c.scale << kModes[m] << QString::fromLatin1(c.expected[m]);
        }
    }
    QTest::newRow("scale 19") << dec("1.5") << 19 << RoundingMode::HalfEven
                              << QString::fromLatin1(kOverflow);
    QTest::newRow("scale -1") << dec("1.5") << -1 << RoundingMode::HalfEven
                              << QString::fromLatin1(kOverflow);
}

void TestDecimal::round() {
    QFETCH(Decimal, value);
    QFETCH(int, scale);
    QFETCH(RoundingMode, mode);
    QFETCH(QString, expected);

    const Decimal rounded = value.round(scale, mode);
    QCOMPARE(text(rounded), expected);
    if (rounded.isValid()) {
        QVERIFY(rounded.scale() <= scale);
        QCOMPARE(rounded.round(scale, mode), rounded); // idempotent
    }
}

void TestDecimal::invalidValue() {
    const Decimal bad = Decimal::invalid();
    QVERIFY(!bad.isValid());
    QVERIFY(!bad.isZero());
    QVERIFY(!bad.isNegative());
    QVERIFY(!bad.isPositive());
    QCOMPARE(bad.sign(), 0);
    QCOMPARE(bad.scale(), 0);
    QCOMPARE(bad.integerDigits(), 0);
    QVERIFY(!bad.fitsPrecision(38, 18));
    QVERIFY(!bad.toInt64());
    QCOMPARE(bad.toString(), QStringLiteral("invalid"));
    QCOMPARE(bad.toString(2), QStringLiteral("invalid"));
    QCOMPARE(bad.toUtf8(), QByteArray("invalid"));
    // The text of an invalid value never parses back into a number.
    QVERIFY(!Decimal::parse(bad.toString()).ok());
    QVERIFY(Decimal::maxValue().isValid());
    QVERIFY(Decimal::minValue().isValid());
    QCOMPARE(Decimal::maxValue().toString(), kMax);
    QCOMPARE(Decimal::minValue(), -Decimal::maxValue());
}

void TestDecimal::invalidPropagates_data() {
    QTest::addColumn<Decimal>("x");
    QTest::addColumn<Decimal>("y");
    QTest::addColumn<Op>("op");

    const Decimal overflowed = Decimal::maxValue() + kUlp;
    const Decimal divByZero = Decimal::fromInt(1).divided(Decimal(), 2, RoundingMode::HalfEven);
    const Decimal mulOverflow = Decimal::maxValue() * Decimal::fromInt(2);
    const Decimal roundOverflow = Decimal::maxValue().round(0, RoundingMode::Up);
    const Decimal y = dec("1.5");
    const struct {
        const char* name;
        Op op;
    } ops[] = {{"+", Op::Add},       {"-", Op::Sub},         {"*", Op::Mul},
               {"/", Op::Div},       {"neg", Op::Neg},       {"abs", Op::Abs},
               {"round", Op::Round}, {"+=", Op::PlusAssign}, {"-=", Op::MinusAssign},
               {"min", Op::Min},     {"max", Op::Max}};
    const struct {
        const char* name;
        Decimal value;
    } sources[] = {{"invalid()", Decimal::invalid()},
                   {"add overflow", overflowed},
                   {"division by zero", divByZero},
                   {"mul overflow", mulOverflow},
                   {"round overflow", roundOverflow}};
    for (const auto& source : sources) {
        for (const auto& o : ops) {
            QTest::addRow("%s %s 1.5", source.name, o.name) << source.value << y << o.op;
            const bool unary = o.op == Op::Neg || o.op == Op::Abs || o.op == Op::Round;
            if (!unary)
                QTest::addRow("1.5 %s %s", o.name, source.name) << y << source.value << o.op;
        }
    }
}

void TestDecimal::invalidPropagates() {
    QFETCH(Decimal, x);
    QFETCH(Decimal, y);
    QFETCH(Op, op);

    QVERIFY(!x.isValid() || !y.isValid());

    Decimal result;
    std::optional<Decimal> checked;
    bool hasChecked = true;
    switch (op) {
    case Op::Add:
        result = x + y;
        checked = x.checkedAdd(y);
        break;
    case Op::Sub:
        result = x - y;
        checked = x.checkedSub(y);
        break;
    case Op::Mul:
        result = x * y;
        checked = x.checkedMul(y);
        break;
    case Op::Div:
        result = x.divided(y, 18, RoundingMode::HalfEven);
        checked = x.checkedDiv(y, 18, RoundingMode::HalfEven);
        break;
    case Op::Neg:
        result = -x;
        hasChecked = false;
        break;
    case Op::Abs:
        result = x.abs();
        hasChecked = false;
        break;
    case Op::Round:
        result = x.round(2, RoundingMode::HalfEven);
        hasChecked = false;
        break;
    case Op::PlusAssign:
        result = x;
        result += y;
        hasChecked = false;
        break;
    case Op::MinusAssign:
        result = x;
        result -= y;
        hasChecked = false;
        break;
    case Op::Min:
        result = Decimal::min(x, y);
        hasChecked = false;
        break;
    case Op::Max:
        result = Decimal::max(x, y);
        hasChecked = false;
        break;
    }
    QVERIFY(!result.isValid());
    QCOMPARE(result, Decimal::invalid());
    if (hasChecked)
        QVERIFY(!checked.has_value());
    // And it keeps propagating through a later chain, even one that would cancel it out.
    const Decimal chained = (result - result) * Decimal() + Decimal::fromInt(1);
    QVERIFY(!chained.isValid());
}

void TestDecimal::compare_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<int>("expected");

    const auto row = [](const char* a, const char* b, int expected) {
        QTest::addRow("%s vs %s", a, b) << dec(a) << dec(b) << expected;
    };
    row("1", "2", -1);
    row("2", "1", 1);
    row("1.0", "1", 0);
    row("-1", "1", -1);
    row("-2", "-1", -1);
    row("0", "-0", 0);
    row("0.000000000000000001", "0", 1);
    row("-0.000000000000000001", "0", -1);
    row("0.1", "0.099999999999999999", 1);
    row("18.446744073709551616", "18.446744073709551615", 1);
    row("-18.446744073709551616", "-18.446744073709551615", -1);
    row("-18.446744073709551616", "18.446744073709551615", -1);
    row("99999999999999999999.999999999999999999", "-99999999999999999999.999999999999999999", 1);
    row("99999999999999999999.999999999999999999", "99999999999999999999.999999999999999998", 1);
    row("invalid", "-99999999999999999999.999999999999999999", -1);
    row("invalid", "0", -1);
    row("invalid", "invalid", 0);
}

void TestDecimal::compare() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(int, expected);

    QCOMPARE(a.compare(b), expected);
    QCOMPARE(b.compare(a), -expected);
    QCOMPARE(a == b, expected == 0);
    QCOMPARE(a != b, expected != 0);
    QCOMPARE(a < b, expected < 0);
    QCOMPARE(a <= b, expected <= 0);
    QCOMPARE(a > b, expected > 0);
    QCOMPARE(a >= b, expected >= 0);
    QCOMPARE(b<a, expected> 0);
}

void TestDecimal::minMax_data() {
    QTest::addColumn<Decimal>("a");
    QTest::addColumn<Decimal>("b");
    QTest::addColumn<QString>("min");
    QTest::addColumn<QString>("max");

    const auto row = [](const char* a, const char* b, const char* min, const char* max) {
        QTest::addRow("%s, %s", a, b)
            << dec(a) << dec(b) << QString::fromLatin1(min) << QString::fromLatin1(max);
    };
    row("1", "2", "1", "2");
    row("2", "1", "1", "2");
    row("-3.5", "0.5", "-3.5", "0.5");
    row("7", "7.0", "7", "7");
    row("invalid", "1", kOverflow, kOverflow);
    row("1", "invalid", kOverflow, kOverflow);
}

void TestDecimal::minMax() {
    QFETCH(Decimal, a);
    QFETCH(Decimal, b);
    QFETCH(QString, min);
    QFETCH(QString, max);

    QCOMPARE(text(Decimal::min(a, b)), min);
    QCOMPARE(text(Decimal::max(a, b)), max);
}

void TestDecimal::scaleAndDigits_data() {
    QTest::addColumn<Decimal>("value");
    QTest::addColumn<int>("scale");
    QTest::addColumn<int>("integerDigits");

    const auto row = [](const char* value, int scale, int integerDigits) {
        QTest::newRow(value) << dec(value) << scale << integerDigits;
    };
    row("0", 0, 0);
    row("1", 0, 1);
    row("0.5", 1, 0);
    row("-12.30", 1, 2);
    row("1.250", 2, 1);
    row("100", 0, 3);
    row("-99.99", 2, 2);
    row("0.000000000000000001", 18, 0);
    row("9999999999999999999", 0, 19);
    row("10000000000000000000", 0, 20);
    row("18446744073709551616", 0, 20);
    row("99999999999999999999.999999999999999999", 18, 20);
    row("-99999999999999999999.999999999999999999", 18, 20);
}

void TestDecimal::scaleAndDigits() {
    QFETCH(Decimal, value);
    QFETCH(int, scale);
    QFETCH(int, integerDigits);

    QCOMPARE(value.scale(), scale);
    QCOMPARE(value.integerDigits(), integerDigits);
}

void TestDecimal::fitsPrecision_data() {
    QTest::addColumn<Decimal>("value");
    QTest::addColumn<int>("precision");
    QTest::addColumn<int>("scale");
    QTest::addColumn<bool>("fits");

    const auto row = [](const char* value, int precision, int scale, bool fits) {
        QTest::addRow("%s in (%d,%d)", value, precision, scale)
            << dec(value) << precision << scale << fits;
    };
    row("999999999999.999999999999999999", 30, 18, true);
    row("-999999999999.999999999999999999", 30, 18, true);
    row("1000000000000", 30, 18, false);
    row("0.000000000000000001", 30, 18, true);
    row("0", 30, 18, true);
    row("99999999999999999999.999999999999999999", 30, 18, false);

    row("999999999999999999.99", 20, 2, true);
    row("-999999999999999999.99", 20, 2, true);
    row("1000000000000000000", 20, 2, false);
    row("12.30", 20, 2, true);
    row("0.001", 20, 2, false);

    row("123456789012.12345678", 20, 8, true);
    row("999999999999.99999999", 20, 8, true);
    row("1234567890123", 20, 8, false);
    row("0.000000001", 20, 8, false);

    row("1234.123456", 10, 6, true);
    row("-9999.999999", 10, 6, true);
    row("12345.1", 10, 6, false);
    row("0.1234567", 10, 6, false);

    row("9.99", 3, 2, true);
    row("-1.5", 3, 2, true);
    row("0.01", 3, 2, true);
    row("10", 3, 2, false);
    row("0.999", 3, 2, false);

    row("1", 0, 0, false);
    row("1", 5, 6, false);
    row("1", 5, -1, false);
    row("invalid", 30, 18, false);
}

void TestDecimal::fitsPrecision() {
    QFETCH(Decimal, value);
    QFETCH(int, precision);
    QFETCH(int, scale);
    QFETCH(bool, fits);

    QCOMPARE(value.fitsPrecision(precision, scale), fits);
}

void TestDecimal::toStringPadded_data() {
    QTest::addColumn<Decimal>("value");
    QTest::addColumn<int>("minFractionDigits");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char* value, int digits, const char* expected) {
        QTest::addRow("%s pad %d", value, digits)
            << dec(value) << digits << QString::fromLatin1(expected);
    };
    row("12.3", 2, "12.30");
    row("12", 2, "12.00");
    row("0", 2, "0.00");
    row("-0.5", 3, "-0.500");
    row("1.23456", 2, "1.23456");
    row("7", 0, "7");
    row("7", -3, "7");
    row("1", 18, "1.000000000000000000");
    row("1", 25, "1.000000000000000000");
    row("0.000000000000000001", 2, "0.000000000000000001");
    row("-99999999999999999999.999999999999999999", 2, "-99999999999999999999.999999999999999999");
}

void TestDecimal::toStringPadded() {
    QFETCH(Decimal, value);
    QFETCH(int, minFractionDigits);
    QFETCH(QString, expected);

    const QString padded = value.toString(minFractionDigits);
    QCOMPARE(padded, expected);
    const Result<Decimal> back = Decimal::parse(padded);
    QVERIFY2(back.ok(), qPrintable(back.error()));
    QCOMPARE(*back, value);
}

void TestDecimal::toInt64_data() {
    QTest::addColumn<Decimal>("value");
    QTest::addColumn<RoundingMode>("mode");
    QTest::addColumn<bool>("fits");
    QTest::addColumn<qint64>("expected");

    const auto row = [](const char* value, RoundingMode mode, bool fits, qint64 expected) {
        QTest::addRow("%s %s", value, modeName(mode)) << dec(value) << mode << fits << expected;
    };
    const qint64 max = std::numeric_limits<qint64>::max();
    const qint64 min = std::numeric_limits<qint64>::min();
    row("12.7", RoundingMode::Down, true, 12);
    row("12.7", RoundingMode::HalfEven, true, 13);
    row("-12.7", RoundingMode::Down, true, -12);
    row("-12.5", RoundingMode::HalfEven, true, -12);
    row("-12.5", RoundingMode::Floor, true, -13);
    row("0.9", RoundingMode::Down, true, 0);
    row("9223372036854775807", RoundingMode::Down, true, max);
    row("9223372036854775807.4", RoundingMode::HalfEven, true, max);
    row("9223372036854775807.5", RoundingMode::HalfUp, false, 0);
    row("9223372036854775808", RoundingMode::Down, false, 0);
    row("-9223372036854775808", RoundingMode::Down, true, min);
    row("-9223372036854775808.5", RoundingMode::Down, true, min);
    row("-9223372036854775808.5", RoundingMode::HalfUp, false, 0);
    row("18446744073709551616", RoundingMode::Down, false, 0);
    row("99999999999999999999.999999999999999999", RoundingMode::Down, false, 0);
    row("invalid", RoundingMode::Down, false, 0);
}

void TestDecimal::toInt64() {
    QFETCH(Decimal, value);
    QFETCH(RoundingMode, mode);
    QFETCH(bool, fits);
    QFETCH(qint64, expected);

    const std::optional<qint64> v = value.toInt64(mode);
    QCOMPARE(v.has_value(), fits);
    if (fits)
        QCOMPARE(*v, expected);
}

void TestDecimal::hashAndVariant() {
    const Decimal a = dec("1.50");
    const Decimal b = dec("+01.5");
    const Decimal c = dec("-1.5");
    QCOMPARE(a, b);
    QCOMPARE(qHash(a), qHash(b));
    QCOMPARE(qHash(a, 42), qHash(b, 42));
    QVERIFY(qHash(a) != qHash(c));

    QSet<Decimal> set{a, b, c, Decimal(), dec("-0")};
    QCOMPARE(set.size(), 3);
    QHash<Decimal, int> byValue;
    byValue.insert(a, 1);
    QCOMPARE(byValue.value(dec("1.500000000000000000"), 0), 1);

    const QVariant v = QVariant::fromValue(a);
    QVERIFY(v.canConvert<Decimal>());
    QCOMPARE(v.value<Decimal>(), a);
    QVERIFY(v == QVariant::fromValue(b));
    QVERIFY(v != QVariant::fromValue(c));
}

void TestDecimal::mulDivRoundTrip_data() {
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<qint64>("aLimit"); // |a| < aLimit * 10^-9
    QTest::addColumn<qint64>("bLimit"); // 0 < b < bLimit * 10^-9

    // Operands with at most 9 fractional digits have exact products, so a division must give
    // the other operand back exactly in every mode. Wide divisors exercise the two-limb path.
    QTest::newRow("small") << 1u << qint64(1000000000000000) << qint64(100000000000000000);
    QTest::newRow("tiny") << 2u << qint64(1000000) << qint64(1000000);
    QTest::newRow("wide divisor") << 3u << qint64(100000000000) << qint64(9000000000000000000);
    QTest::newRow("wide both") << 4u << qint64(4000000000000000000) << qint64(9000000000000000000);
}

void TestDecimal::mulDivRoundTrip() {
    QFETCH(quint32, seed);
    QFETCH(qint64, aLimit);
    QFETCH(qint64, bLimit);

    QRandomGenerator rng(seed);
    for (int i = 0; i < 2000; ++i) {
        const Decimal a = Decimal::fromScaled(rng.bounded(-aLimit + 1, aLimit), 9);
        const Decimal b = Decimal::fromScaled(rng.bounded(qint64(1), bLimit), 9);
        const std::optional<Decimal> product = a.checkedMul(b, RoundingMode::Down);
        QVERIFY(product.has_value());
        QCOMPARE(a.checkedMul(b, RoundingMode::Up), product); // exact: no rounding happened
        for (RoundingMode mode : kModes) {
            QCOMPARE(product->checkedDiv(b, 18, mode), std::optional<Decimal>(a));
            if (!a.isZero())
                QCOMPARE(product->checkedDiv(a, 18, mode), std::optional<Decimal>(b));
        }

        // Inexact quotients: truncation must bracket the true quotient.
        const Decimal x = a.abs();
        const Decimal y = b;
        const Decimal q = x.divided(y, 18, RoundingMode::Down);
        QVERIFY(q.isValid());
        QVERIFY(*q.checkedMul(y, RoundingMode::Down) <= x);
        QVERIFY(*(q + kUlp).checkedMul(y, RoundingMode::Up) > x);
        QCOMPARE(x.divided(y, 18, RoundingMode::Floor), q);
        const Decimal up = x.divided(y, 18, RoundingMode::Up);
        QVERIFY(up == q || up == q + kUlp);
    }
}

QTEST_GUILESS_MAIN(TestDecimal)
#include "TestDecimal.moc"
