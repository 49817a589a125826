#include "loggingcategories_p.h"

Q_LOGGING_CATEGORY(lcConnection, "lifeline.connection", QtInfoMsg)
