package dev.donations.operator.campaign.route;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a campaign's route points at its site or at its fallback, from the site Service's
 * EndpointSlices. With no ready endpoint the fallback takes over at once: visitors get the page
 * instead of a 503. It hands back only after the site has had ready endpoints for a whole
 * hold-down, so a site whose pods flap does not flap the route. Gateway API leaves "no ready
 * endpoints" to implementations (a 503, at best); this makes the fallback work on every
 * implementation and on ingress-nginx alike.
 *
 * <p>When the site became ready again is kept in memory: a new leader starts the hold-down afresh,
 * which costs visitors at most one more hold-down of the fallback page.
 */
public class FallbackSwitch {

  private final Duration holdDown;
  private final Map<String, Instant> readySince = new ConcurrentHashMap<>();

  public FallbackSwitch(Duration holdDown) {
    this.holdDown = holdDown;
  }

  /**
   * @param campaign namespace/name
   * @param slices the site Service's EndpointSlices
   * @param wasActive whether the fallback was active after the last reconcile; empty for a campaign
   *     that never had a decision (a new one, or one from before this operator version)
   */
  public RouteTarget decide(
      String campaign, Collection<EndpointSlice> slices, Optional<Boolean> wasActive, Instant now) {
    int ready = readyEndpoints(slices);
    if (ready == 0) {
      readySince.remove(campaign);
      return new RouteTarget(
          true,
          "NoReadyEndpoints",
          "the site has no ready pod: the route sends visitors to the fallback page",
          0,
          Optional.empty());
    }
    if (!wasActive.orElse(false)) {
      readySince.remove(campaign);
      return serving(ready);
    }
    Instant since = readySince.computeIfAbsent(campaign, k -> now);
    Instant until = since.plus(holdDown);
    if (!now.isBefore(until)) {
      readySince.remove(campaign);
      return serving(ready);
    }
    return new RouteTarget(
        true,
        "HoldDown",
        "the site has "
            + ready
            + " ready endpoint(s) again; the route goes back to it once they have stayed ready for "
            + holdDown.toSeconds()
            + "s",
        ready,
        Optional.of(until));
  }

  /** A campaign is gone. */
  public void forget(String campaign) {
    readySince.remove(campaign);
  }

  private static RouteTarget serving(int ready) {
    return new RouteTarget(
        false,
        "SiteServing",
        "the route sends visitors to the site (" + ready + " ready endpoint(s))",
        ready,
        Optional.empty());
  }

  /**
   * Ready endpoints across slices; an endpoint whose readiness is unknown counts as ready, as the
   * API says.
   */
  static int readyEndpoints(Collection<EndpointSlice> slices) {
    return (int)
        slices.stream()
            .filter(s -> s.getEndpoints() != null)
            .flatMap(s -> s.getEndpoints().stream())
            .filter(FallbackSwitch::ready)
            .map(e -> e.getAddresses() == null ? "" : String.join(",", e.getAddresses()))
            .distinct()
            .count();
  }

  private static boolean ready(Endpoint e) {
    return e.getConditions() == null
        || !Objects.equals(e.getConditions().getReady(), Boolean.FALSE);
  }
}
