#include "pdf.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <ctime>
#include <limits>
#include <memory>
#include <mutex>

#include "text.h"

namespace kumo::metadata {
namespace {

thread_local std::string t_poppler_message;

void CaptureError(const std::string& message, void*) {
  if (t_poppler_message.empty()) t_poppler_message = message;
}

std::string Utf8(const poppler::ustring& s) {
  poppler::byte_array b = s.to_utf8();
  std::string out(b.begin(), b.end());
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

std::string Rfc3339Utc(time_t t) {
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string ReadPdf(std::string_view data, unsigned text_pages, size_t text_limit,
                    Attributes& attrs) {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&CaptureError, nullptr); });
  t_poppler_message.clear();
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    attrs.AddError("pdf", "too large");
    return {};
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(data.data(), static_cast<int>(data.size())));
  if (!doc) {
    attrs.AddError("pdf", t_poppler_message.empty()
                              ? "cannot open the document"
                              : "cannot open the document: " + t_poppler_message);
    return {};
  }
  if (doc->is_locked()) {
    attrs.AddError("pdf", "the document is encrypted");
    return {};
  }
  int pages = doc->pages();
  attrs.Set("pages", int64_t{pages});
  attrs.SetNonEmpty("title", Utf8(doc->get_title()));
  attrs.SetNonEmpty("author", Utf8(doc->get_author()));
  time_t created = doc->get_creation_date_t();
  if (created > 0) attrs.SetNonEmpty("created", Rfc3339Utc(created));
  std::string text;
  for (int i = 0; i < pages && i < static_cast<int>(text_pages) && text.size() < text_limit; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) continue;
    if (!text.empty()) text += '\n';
    text += Utf8(page->text());
  }
  return TruncateUtf8(text, text_limit);
}

}  // namespace kumo::metadata
