#pragma once

#include <QString>

namespace llamadesk::cli {

// Console helpers for secrets: no echo, nothing kept longer than needed.
namespace terminal {
bool stdinIsInteractive();
// Prints `prompt` on stderr and reads one line from the terminal without echo.
// Returns false when there is no terminal or input ended.
bool readSecret(const QString& prompt, QString* secret);
void printError(const QString& line);
void printOut(const QString& text);
} // namespace terminal

} // namespace llamadesk::cli
