package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.FallbackSpec;

/**
 * Renders the fallback page from the campaign's words. The same bytes go into the ConfigMap that
 * nginx serves and into the S3 bucket, so the page looks the same whether the pods or the whole
 * cluster are down.
 */
public final class FallbackPage {

  private FallbackPage() {}

  public static String render(FallbackSpec spec) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"refresh\" content=\"60\">\n")
        .append("<title>")
        .append(escape(spec.title))
        .append("</title>\n")
        .append(
            "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;")
        .append(
            "line-height:1.5;color:#222}h1{font-size:1.8rem}.donate{background:#f4f4f4;padding:1rem;")
        .append("border-radius:.5rem}</style>\n</head>\n<body>\n")
        .append("<h1>")
        .append(escape(spec.title))
        .append("</h1>\n")
        .append("<p>")
        .append(escape(spec.message))
        .append("</p>\n");
    if (spec.donateInstructions != null && !spec.donateInstructions.isBlank()) {
      html.append("<div class=\"donate\"><p>")
          .append(escape(spec.donateInstructions))
          .append("</p></div>\n");
    }
    html.append("<p><small>This page reloads every minute.</small></p>\n</body>\n</html>\n");
    return html.toString();
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
