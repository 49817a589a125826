#include <lifeline/translations.h>

#include "loggingcategories_p.h"

#include <QCoreApplication>
#include <QTranslator>

namespace lifeline {

namespace {

const auto TranslatorName = QStringLiteral("lifeline-sdk-translator");
// Where core/CMakeLists.txt builds the .qm files into the library.
const auto Directory = QStringLiteral(":/lifeline/i18n");
const auto BaseName = QStringLiteral("lifeline_core");
const auto Prefix = QStringLiteral("_");

// Installs a translator for `locale` from the library; null when there is none.
QTranslator *load(QCoreApplication *app, const QLocale &locale)
{
    auto *translator = new QTranslator(app);
    translator->setObjectName(TranslatorName);
    if (translator->load(locale, BaseName, Prefix, Directory)
        && QCoreApplication::installTranslator(translator))
        return translator;
    delete translator;
    return nullptr;
}

} // namespace

bool installTranslations(const QLocale &locale)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return false;
    removeTranslations();
    // The source language's plural forms first: a later translator is asked first, so the
    // chosen language wins wherever it has a text.
    load(app, QLocale(QLocale::English));
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return true;
    // load() walks the locale's UI languages; when it lands on English, that is installed.
    QTranslator *chosen = load(app, locale);
    if (chosen && chosen->language().startsWith(QLatin1String("en"))) {
        QCoreApplication::removeTranslator(chosen);
        delete chosen;
        chosen = nullptr;
    }
    if (!chosen)
        qCInfo(lcConnection, "the SDK has no translation for %s", qUtf8Printable(locale.name()));
    return chosen != nullptr;
}

void removeTranslations()
{
    QCoreApplication *app = QCoreApplication::instance();
    if (!app)
        return;
    const auto translators
        = app->findChildren<QTranslator *>(TranslatorName, Qt::FindDirectChildrenOnly);
    for (QTranslator *translator : translators) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
    }
}

} // namespace lifeline
