#pragma once

#include <lifeline/enums.h>

#include <QObject>

class QSystemTrayIcon;
class QTimer;
namespace lifeline {
class ConnectionManager;
}

namespace lifeline::ui {

// The link's state in the system tray (colour and shape), and a notice when it has been down
// long enough to matter, then another when it is back. Short drops say nothing: the user
// would learn of a problem that solved itself.
class TrayNotifier : public QObject
{
    Q_OBJECT
    // Whether the "connection lost" notice is out and "connection is back" has not followed.
    Q_PROPERTY(bool downNoticeShown READ isDownNoticeShown NOTIFY noticeShown)
public:
    explicit TrayNotifier(lifeline::ConnectionManager *connection, QObject *parent = nullptr);
    ~TrayNotifier() override;

    bool isDownNoticeShown() const { return m_downNoticeShown; }
    // How long the link must be down before the notice; default 10 s.
    int downNoticeDelay() const { return m_downNoticeDelay; }
    void setDownNoticeDelay(int ms);
    // Null where the platform has no tray (offscreen, some Wayland desktops).
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // Says the tray's tooltip again in the language installed now (a QObject gets no
    // LanguageChange event; the window calls this).
    void retranslate();

Q_SIGNALS:
    // A notice went out, shown in the tray if there is one.
    void noticeShown(const QString &title, const QString &text);

private:
    static bool isUp(lifeline::ConnectionStatus status);
    void onStatusChanged(lifeline::ConnectionStatus status);
    void onDownTooLong();
    void notify(const QString &text);
    void updateIcon(lifeline::ConnectionStatus status);

    lifeline::ConnectionManager *m_connection;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer *m_downTimer;
    int m_downNoticeDelay = 10000;
    bool m_downNoticeShown = false;
};

} // namespace lifeline::ui
