package dev.donations.operator.campaign.route;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The answers of a running site that every provider replaces with the fallback page, in each
 * provider's own spelling, so the providers cannot drift apart.
 */
final class InterceptedStatus {

  /**
   * 500: WordPress without its database answers it ("Error establishing a database connection")
   * until the readiness probe takes the pod out, and so does a PHP fatal error; 502, 503, 504: the
   * site is overwhelmed, restarting or timing out. The same codes as the CloudFront failover. 501
   * and 505 are answers about the request, not the site's health.
   */
  static final List<Integer> CODES = List.of(500, 502, 503, 504);

  /**
   * What visitors get with the page, whatever the site answered: 503, as from the fallback itself.
   */
  static final int PAGE_STATUS = 503;

  private InterceptedStatus() {}

  /** ingress-nginx's {@code custom-http-errors}: the codes, comma-separated. */
  static String commaSeparated() {
    return CODES.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** Traefik's errors {@code status}: one entry per code (an entry may also be a range). */
  static List<String> asStrings() {
    return CODES.stream().map(String::valueOf).toList();
  }

  /** Traefik's {@code statusRewrites}: each intercepted code answered with the page's status. */
  static Map<String, Object> rewrittenToPageStatus() {
    Map<String, Object> rewrites = new LinkedHashMap<>();
    CODES.forEach(code -> rewrites.put(String.valueOf(code), PAGE_STATUS));
    return rewrites;
  }
}
