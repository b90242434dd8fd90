#pragma once

#include <QString>
#include <QTemporaryDir>

namespace testsupport {

// Path of the directory that holds the test executables (helper processes live there too).
QString binaryDir();

// A fresh temporary folder that is removed when the object goes away.
class ScratchDir {
public:
    ScratchDir();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

} // namespace testsupport
