#pragma once

#include <QLoggingCategory>

namespace lifeline::harness {

Q_DECLARE_LOGGING_CATEGORY(lcHarness)

} // namespace lifeline::harness
