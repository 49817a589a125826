#include "loggingcategories_p.h"

namespace lifeline::ui {

Q_LOGGING_CATEGORY(lcUi, "lifeline.ui", QtInfoMsg)

} // namespace lifeline::ui
