#pragma once

class QCoreApplication;
class QLocale;

// The app's translations, embedded in lifeline_ui under :/i18n so that the app and the tests
// load the same .qm files.
//
// English is the source language, but its plural forms ("%n message(s)") need a translation
// too: the English one is always installed, and the chosen language's goes on top of it.
class Translations
{
public:
    // Replaces what an earlier call installed. False when the locale's language has no
    // translation; the English texts are shown then.
    static bool install(QCoreApplication *app, const QLocale &locale);
    // Removes the translators install() put in, leaving the others alone.
    static void remove(QCoreApplication *app);
};
