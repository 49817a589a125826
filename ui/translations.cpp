#include "translations.h"

#include "loggingcategories_p.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace {

const auto TranslatorName = QStringLiteral("lifeline-translator");
const auto Directory = QStringLiteral(":/i18n");
const auto BaseName = QStringLiteral("lifeline");
const auto Prefix = QStringLiteral("_");

bool installTranslator(QTranslator *translator)
{
    translator->setObjectName(TranslatorName);
    if (QCoreApplication::installTranslator(translator))
        return true;
    delete translator;
    return false;
}

} // namespace

bool Translations::install(QCoreApplication *app, const QLocale &locale)
{
    remove(app);

    // The plural forms of the source language first: a later translator is asked first, so the
    // chosen language wins wherever it has a text.
    auto *english = new QTranslator(app);
    if (english->load(QLocale(QLocale::English), BaseName, Prefix, Directory))
        installTranslator(english);
    else
        delete english;

    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    auto *translator = new QTranslator(app);
    // load() walks the locale's UI languages; when it lands on English, that is installed already.
    if (!translator->load(locale, BaseName, Prefix, Directory)
        || translator->language().startsWith(QLatin1String("en"))) {
        qCInfo(lcUi) << "no translation for" << locale.name();
        delete translator;
        return false;
    }
    return installTranslator(translator);
}

void Translations::remove(QCoreApplication *app)
{
    const auto installed
        = app->findChildren<QTranslator *>(TranslatorName, Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : installed) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}
