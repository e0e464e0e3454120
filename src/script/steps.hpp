#pragma once
// One step's line to its Action (docs/SCRIPTS.md, "Steps"), and the variables the steps before
// it define. Private to the parser: include lines are read by parser.cpp, every other step here.

#include <set>
#include <string>
#include <string_view>

#include "script/lexer.hpp"
#include "script/parser.hpp"
#include "script/script.hpp"

namespace atcoap::script::detail {

/// The variables a step may use: those defined before the run (`defined`) and those the steps
/// before it set or capture.
class Scope {
  public:
    explicit Scope(const IsDefined& defined) : defined_(defined) {}
    bool has(std::string_view name) const;
    void add(const std::string& name) { names_.insert(name); }
    /// An "undefined variable" error at the first reference nothing defines.
    std::optional<lex::Error> check(const lex::Text& text) const;

  private:
    const IsDefined& defined_;
    std::set<std::string, std::less<>> names_;
};

/// `keyword` and what follows it on the line (not `include`: the parser reads those).
Result<Action, lex::Error> parse_step(lex::Piece keyword, lex::Piece arguments, Scope& scope);

/// A pattern's source to a Pattern: compiled (no variables), or checked with each variable
/// replaced by a quoted "0"; its named groups in the order of their index. Errors at `column`.
Result<Pattern, lex::Error> compile_pattern(const lex::Text& source, int column);

}  // namespace atcoap::script::detail
