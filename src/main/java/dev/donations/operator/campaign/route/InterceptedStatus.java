package dev.donations.operator.campaign.route;

import java.util.List;

/** The answers of a running site that every provider replaces with the fallback page. */
final class InterceptedStatus {

  /**
   * 502, 503, 504: the site is overwhelmed, restarting or timing out; 500 is WordPress's own error.
   */
  static final List<Integer> CODES = List.of(502, 503, 504);

  /** The same as one range, as Traefik and ingress-nginx's annotation spell it. */
  static final String RANGE = "502-504";

  /**
   * What visitors get with the page, whatever the site answered: 503, as from the fallback itself.
   */
  static final int PAGE_STATUS = 503;

  private InterceptedStatus() {}
}
