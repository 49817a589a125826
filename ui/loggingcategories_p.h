#pragma once

#include <QLoggingCategory>

namespace lifeline::ui {

Q_DECLARE_LOGGING_CATEGORY(lcUi)

} // namespace lifeline::ui
