#include "loggingcategories_p.h"

Q_LOGGING_CATEGORY(lcConnection, "lifeline.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutbox, "lifeline.outbox", QtInfoMsg)
