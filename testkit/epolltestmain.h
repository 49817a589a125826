#pragma once

#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QTest>

// The main() of a test suite whose code runs on the server's epoll loop, as lifeline-server
// and the benchmarks' load workers run: the dispatcher has to be in place before the
// application object exists, which QTEST_GUILESS_MAIN gives no room for.
#define LIFELINE_EPOLL_TEST_MAIN(TestObject)                                                       \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        QCoreApplication::setEventDispatcher(new lifeline::server::EpollEventDispatcher);          \
        QCoreApplication app(argc, argv);                                                          \
        TestObject test;                                                                           \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&test, argc, argv);                                                    \
    }
