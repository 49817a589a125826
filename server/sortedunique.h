#pragma once

#include <QStringList>

#include <algorithm>

namespace lifeline::server {

// list in order with each entry once: the form presence lists are kept in, so that two of them
// can be compared and merged in O(N).
inline QStringList sortedUnique(QStringList list)
{
    list.sort();
    list.erase(std::unique(list.begin(), list.end()), list.end());
    return list;
}

} // namespace lifeline::server
