#pragma once

#include <QLocale>

namespace lifeline {

/// Installs the SDK's translations of its own texts (the message and details of every
/// ChatError) for `locale` into the application, replacing what an earlier call installed.
/// They are built into the library: no file has to be found. English is the source language;
/// its plural forms are installed with every locale. Returns false when the SDK has no
/// translation for the locale's languages (its texts stay English), or before a
/// QCoreApplication exists. A ChatError is worded when it is made: install the translations
/// before the calls whose errors should be translated, and again when the language changes.
bool installTranslations(const QLocale &locale = QLocale());

/// Removes what installTranslations() installed.
void removeTranslations();

} // namespace lifeline
