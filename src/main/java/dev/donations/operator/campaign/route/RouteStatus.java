package dev.donations.operator.campaign.route;

import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.NeedsChange;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The campaign's RouteReady and FallbackActive conditions. RouteReady says whether the route exists
 * and the Gateway's controller accepted it; FallbackActive whether visitors get the fallback page
 * because the site has no ready pod. Pure, like the rest of status.
 */
public final class RouteStatus {

  private RouteStatus() {}

  public static Condition routeReady(
      ResolvedCampaign resolved,
      RouteObservation observed,
      long gen,
      List<Condition> before,
      String now) {
    ResolvedCampaign.Routing routing = resolved.site().routing();
    String name = CampaignNames.ingress(resolved.campaign());
    if (!routing.provider().gateway()) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          true,
          "IngressWritten",
          "Ingress "
              + name
              + " (class "
              + routing.ingressClassName()
              + ") routes "
              + resolved.site().host()
              + "; ingress-nginx is retired: plan a move to a Gateway (docs/routing.md)",
          gen,
          before,
          now);
    }
    if (!observed.missingCrds().isEmpty()) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          false,
          NeedsChange.ROUTE_API_MISSING,
          "class "
              + resolved.className()
              + " uses provider "
              + routing.provider()
              + " but the CRD(s) "
              + String.join(", ", observed.missingCrds())
              + " are not installed; install "
              + (observed.missingCrds().contains(HttpRoute.CRD)
                  ? "Gateway API"
                  : routing.provider().toString())
              + " or change the class's spec.ingress.provider",
          gen,
          before,
          now);
    }
    ResolvedCampaign.Gateway gateway = routing.gateway();
    String gatewayName = gateway.namespace() + "/" + gateway.name();
    if (observed.route().isEmpty()) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          false,
          "Creating",
          "creating HTTPRoute " + name,
          gen,
          before,
          now);
    }
    Optional<Map<String, Object>> accepted =
        parentCondition(observed.route().get(), gateway, resolved, "Accepted");
    if (accepted.isEmpty()) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          Conditions.UNKNOWN,
          "WaitingForGateway",
          "HTTPRoute "
              + name
              + " is attached to Gateway "
              + gatewayName
              + "; no controller has accepted it yet",
          gen,
          before,
          now);
    }
    if (!Conditions.TRUE.equals(accepted.get().get("status"))) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          false,
          "RouteNotAccepted",
          "Gateway "
              + gatewayName
              + " did not accept HTTPRoute "
              + name
              + ": "
              + accepted.get().get("reason")
              + " "
              + Objects.toString(accepted.get().get("message"), ""),
          gen,
          before,
          now);
    }
    Optional<Map<String, Object>> refs =
        parentCondition(observed.route().get(), gateway, resolved, "ResolvedRefs");
    if (refs.isPresent() && !Conditions.TRUE.equals(refs.get().get("status"))) {
      return Conditions.of(
          Conditions.ROUTE_READY,
          false,
          "RefsNotResolved",
          "Gateway "
              + gatewayName
              + " cannot resolve the backends of HTTPRoute "
              + name
              + ": "
              + refs.get().get("reason")
              + " "
              + Objects.toString(refs.get().get("message"), ""),
          gen,
          before,
          now);
    }
    return Conditions.of(
        Conditions.ROUTE_READY,
        true,
        "Accepted",
        "HTTPRoute "
            + name
            + " for "
            + resolved.site().host()
            + " is accepted by Gateway "
            + gatewayName,
        gen,
        before,
        now);
  }

  public static Condition fallbackActive(
      RouteObservation observed, long gen, List<Condition> before, String now) {
    RouteTarget target = observed.target();
    return Conditions.of(
        Conditions.FALLBACK_ACTIVE,
        target.fallback(),
        target.reason(),
        target.message(),
        gen,
        before,
        now);
  }

  /** The named condition the Gateway's controller set for our parentRef, if any. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> parentCondition(
      HttpRoute route, ResolvedCampaign.Gateway gateway, ResolvedCampaign resolved, String type) {
    if (route.getStatus() == null || route.getStatus().parents == null) {
      return Optional.empty();
    }
    String routeNamespace = resolved.campaign().getMetadata().getNamespace();
    return route.getStatus().parents.stream()
        .filter(
            p ->
                p.get("parentRef") instanceof Map<?, ?> ref
                    && gateway.name().equals(ref.get("name"))
                    && gateway
                        .namespace()
                        .equals(
                            ref.get("namespace") == null ? routeNamespace : ref.get("namespace")))
        .filter(p -> p.get("conditions") instanceof List<?>)
        .flatMap(p -> ((List<Map<String, Object>>) p.get("conditions")).stream())
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }
}
