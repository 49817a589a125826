#include "loggingcategories_p.h"

namespace lifeline::harness {

Q_LOGGING_CATEGORY(lcHarness, "lifeline.harness", QtInfoMsg)

} // namespace lifeline::harness
