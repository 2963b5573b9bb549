#include "tests/reports/render/html_check.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace r1eval::reports::render::testing {
namespace {

const std::set<std::string, std::less<>> kVoidElements = {"area",  "base", "br",   "col",    "embed", "hr", "img",
                                                          "input", "link", "meta", "source", "track", "wbr"};

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == ':'; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A character reference at html[pos] ('&'): &name; &#digits; &#xhex;
bool valid_reference(std::string_view html, std::size_t pos) {
  std::size_t i = pos + 1;
  if (i < html.size() && html[i] == '#') {
    ++i;
    const bool hex = i < html.size() && (html[i] == 'x' || html[i] == 'X');
    if (hex) ++i;
    const std::size_t start = i;
    while (i < html.size() && (hex ? std::isxdigit(static_cast<unsigned char>(html[i])) != 0
                                   : std::isdigit(static_cast<unsigned char>(html[i])) != 0)) {
      ++i;
    }
    return i > start && i < html.size() && html[i] == ';';
  }
  const std::size_t start = i;
  while (i < html.size() && std::isalnum(static_cast<unsigned char>(html[i])) != 0) ++i;
  return i > start && i < html.size() && html[i] == ';';
}

}  // namespace

HtmlCheck check_html(std::string_view html) {
  HtmlCheck result;
  std::vector<std::string> open;
  const auto fail = [&](std::size_t pos, const std::string& what) {
    result.error = what + " at offset " + std::to_string(pos);
    return result;
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      if (!valid_reference(html, i)) return fail(i, "bare '&'");
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) return fail(i, "unterminated comment");
      i = end + 3;
      continue;
    }
    if (html.substr(i, 2) == "<!") {
      const std::size_t end = html.find('>', i);
      if (end == std::string_view::npos) return fail(i, "unterminated declaration");
      i = end + 1;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    if (j >= html.size() || std::isalpha(static_cast<unsigned char>(html[j])) == 0) return fail(i, "bare '<'");
    const std::size_t name_start = j;
    while (j < html.size() && is_name_char(html[j])) ++j;
    const std::string name = lower(html.substr(name_start, j - name_start));
    if (closing) {
      while (j < html.size() && std::isspace(static_cast<unsigned char>(html[j])) != 0) ++j;
      if (j >= html.size() || html[j] != '>') return fail(i, "malformed end tag </" + name);
      if (open.empty() || open.back() != name) {
        return fail(i, "end tag </" + name + "> does not close <" + (open.empty() ? "nothing" : open.back()) + ">");
      }
      open.pop_back();
      i = j + 1;
      continue;
    }
    bool self_closing = false;
    while (true) {
      while (j < html.size() && std::isspace(static_cast<unsigned char>(html[j])) != 0) ++j;
      if (j >= html.size()) return fail(i, "unterminated tag <" + name);
      if (html[j] == '>') break;
      if (html.substr(j, 2) == "/>") {
        self_closing = true;
        ++j;
        break;
      }
      const std::size_t attribute_start = j;
      while (j < html.size() && html[j] != '=' && html[j] != '>' && html[j] != '/' &&
             std::isspace(static_cast<unsigned char>(html[j])) == 0) {
        ++j;
      }
      const std::string attribute = lower(html.substr(attribute_start, j - attribute_start));
      if (attribute.empty()) return fail(j, "malformed attribute in <" + name);
      std::string value;
      if (j < html.size() && html[j] == '=') {
        ++j;
        if (j >= html.size() || (html[j] != '"' && html[j] != '\'')) return fail(j, "unquoted attribute value");
        const char quote = html[j];
        const std::size_t end = html.find(quote, j + 1);
        if (end == std::string_view::npos) return fail(j, "unterminated attribute value");
        value = std::string(html.substr(j + 1, end - j - 1));
        if (value.find('<') != std::string::npos) return fail(j, "'<' inside an attribute value");
        j = end + 1;
      }
      result.attributes.emplace_back(attribute, value);
    }
    ++result.elements[name];
    const bool in_svg = std::find(open.begin(), open.end(), "svg") != open.end() || name == "svg";
    if (self_closing && !in_svg && kVoidElements.count(name) == 0) {
      return fail(i, "<" + name + "/> outside SVG (HTML ignores the slash)");
    }
    i = j + 1;
    if (self_closing || kVoidElements.count(name) != 0) continue;
    open.push_back(name);
    if (name == "style" || name == "script") {  // raw text up to the end tag
      const std::size_t end = html.find("</" + name, i);
      if (end == std::string_view::npos) return fail(i, "unterminated <" + name + ">");
      i = end;
    }
  }
  if (!open.empty()) return fail(html.size(), "unclosed <" + open.back() + ">");
  return result;
}

}  // namespace r1eval::reports::render::testing
