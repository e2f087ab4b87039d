package dev.donations.operator.campaign.fallback;

/**
 * nginx configuration of the default backend: every path answers 503 with the page and Retry-After,
 * so browsers and crawlers see an outage rather than an empty success; /healthz answers 200 for
 * probes.
 */
public final class FallbackNginxConfig {

  public static final int PORT = 8080;
  public static final String PAGE_DIR = "/usr/share/nginx/fallback";
  public static final int RETRY_AFTER_SECONDS = 30;

  private FallbackNginxConfig() {}

  public static String render() {
    return """
        server {
          listen %1$d;
          server_name _;
          location = /healthz {
            access_log off;
            default_type text/plain;
            return 200 "ok\\n";
          }
          location / {
            return 503;
          }
          error_page 502 503 504 =503 /index.html;
          location = /index.html {
            internal;
            root %2$s;
            add_header Retry-After %3$d always;
            add_header Cache-Control "no-store" always;
          }
        }
        """
        .formatted(PORT, PAGE_DIR, RETRY_AFTER_SECONDS);
  }
}
