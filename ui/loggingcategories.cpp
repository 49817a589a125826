#include "loggingcategories_p.h"

Q_LOGGING_CATEGORY(lcUi, "lifeline.ui", QtInfoMsg)
