#pragma once

#include <QObject>
#include <QString>

#include <cstdio>
#include <cstdlib>

namespace lifeline::testkit {

// The part of a window called `name`, found in its object tree the way accessibility tools and
// screenshot scripts find it, so that the window needs no accessors for tests. A part that is
// missing ends the program with a message: the window no longer has what the caller checks.
template<typename Part> Part *windowPart(const QObject &window, const char *name)
{
    Part *part = window.findChild<Part *>(QString::fromLatin1(name));
    if (!part) {
        std::fprintf(stderr, "%s has no %s called \"%s\"\n", qUtf8Printable(window.objectName()),
                     Part::staticMetaObject.className(), name);
        std::abort();
    }
    return part;
}

} // namespace lifeline::testkit
