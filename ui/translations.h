#pragma once

class QCoreApplication;
class QLocale;
class QString;

namespace lifeline::ui {

// The app's translations, embedded in lifeline_ui under :/i18n so that the app and the tests
// load the same .qm files, and with them the SDK's (lifeline::installTranslations()).
//
// English is the source language, but its plural forms ("%n message(s)") need a translation
// too: the English one is always installed, and the chosen language's goes on top of it.
//
// Installing sends QEvent::LanguageChange: every widget then sets its texts again (see the
// changeEvent() of each panel), so a language applies without a restart.
class Translations
{
public:
    // The locale for a language setting (AppConfig::language()): empty means the system's.
    // The one place that turns the setting into a locale, for main() and the window alike.
    static QLocale localeFor(const QString &language);
    // Replaces what an earlier call installed; does nothing when locale is installed already,
    // so that the window applying the settings after main() costs no second LanguageChange.
    // False when the locale's language has no translation; the English texts are shown then.
    static bool install(QCoreApplication *app, const QLocale &locale);
    // Removes the translators install() put in, leaving the others alone.
    static void remove(QCoreApplication *app);
};

} // namespace lifeline::ui
