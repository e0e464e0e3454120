#pragma once
// Scripts from the disk, for `atcoap script` (docs/SCRIPTS.md). The one part of the script
// module that touches files; the parser itself only sees a SourceLoader.

#include <string>

#include "script/parser.hpp"

namespace atcoap::script {

/// Reads a regular file whole, refusing one larger than kMaxFileBytes after reading one byte
/// past the bound (a device or a pipe cannot make it read without end).
class FileLoader final : public SourceLoader {
  public:
    Result<std::string, std::string> load(const std::string& path) override;
};

}  // namespace atcoap::script
