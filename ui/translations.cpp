#include "translations.h"

#include "loggingcategories_p.h"

#include <lifeline/translations.h>

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <QTranslator>
#include <QVariant>

namespace lifeline::ui {

namespace {

const auto TranslatorName = QStringLiteral("lifeline-translator");
const auto Directory = QStringLiteral(":/i18n");
const auto BaseName = QStringLiteral("lifeline");
const auto Prefix = QStringLiteral("_");
// What install() put in, kept on the application so that remove() and a repeated install()
// agree with it whoever calls them.
const char *const InstalledProperty = "lifelineTranslationLocale";
const char *const TranslatedProperty = "lifelineTranslated";

bool installTranslator(QTranslator *translator)
{
    translator->setObjectName(TranslatorName);
    if (QCoreApplication::installTranslator(translator))
        return true;
    delete translator;
    return false;
}

// load() walks the UI languages, so two locales with the same name can still load different
// files; they are the same for install() only if those lists are the same.
QString keyOf(const QLocale &locale)
{
    return locale.name() + QLatin1Char('|') + locale.uiLanguages().join(QLatin1Char(','));
}

bool loadChosen(QCoreApplication *app, const QLocale &locale)
{
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    auto *translator = new QTranslator(app);
    // load() walks the locale's UI languages; when it lands on English, that is installed already.
    if (!translator->load(locale, BaseName, Prefix, Directory)
        || translator->language().startsWith(QLatin1String("en"))) {
        qCInfo(lcUi, "no translation for %s", qUtf8Printable(locale.name()));
        delete translator;
        return false;
    }
    return installTranslator(translator);
}

} // namespace

QLocale Translations::localeFor(const QString &language)
{
    // Not QLocale(): that is the default locale, which is the system's only until someone
    // calls QLocale::setDefault().
    return language.isEmpty() ? QLocale::system() : QLocale(language);
}

bool Translations::install(QCoreApplication *app, const QLocale &locale)
{
    const QVariant installed = app->property(InstalledProperty);
    if (installed.isValid() && installed.toString() == keyOf(locale))
        return app->property(TranslatedProperty).toBool();
    remove(app);

    // The plural forms of the source language first: a later translator is asked first, so the
    // chosen language wins wherever it has a text.
    auto *english = new QTranslator(app);
    if (english->load(QLocale(QLocale::English), BaseName, Prefix, Directory))
        installTranslator(english);
    else
        delete english;

    // The SDK's texts (every ChatError the window shows) come with their own catalogue.
    lifeline::installTranslations(locale);
    const bool translated = loadChosen(app, locale);
    app->setProperty(InstalledProperty, keyOf(locale));
    app->setProperty(TranslatedProperty, translated);
    return translated;
}

void Translations::remove(QCoreApplication *app)
{
    const auto installed
        = app->findChildren<QTranslator *>(TranslatorName, Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : installed) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
    lifeline::removeTranslations();
    app->setProperty(InstalledProperty, QVariant());
    app->setProperty(TranslatedProperty, QVariant());
}

} // namespace lifeline::ui
