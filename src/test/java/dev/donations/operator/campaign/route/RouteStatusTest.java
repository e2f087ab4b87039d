package dev.donations.operator.campaign.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RouteReady from what the cluster serves and what the Gateway's controller reports. */
class RouteStatusTest {

  final ResolvedCampaign resolved =
      RouteDependentsTest.resolve(
              TestCampaigns.campaign(),
              RouteDependentsTest.gatewayClass(RouteProvider.EnvoyGateway))
          .resolved()
          .orElseThrow();

  Condition routeReady(List<String> missing, Optional<HttpRoute> route) {
    return RouteStatus.routeReady(
        resolved,
        new RouteObservation(RouteDependentsTest.SITE, missing, route),
        3,
        List.of(),
        "2026-12-01T12:00:00Z");
  }

  static HttpRoute route(String gatewayNamespace, String accepted, String reason) {
    HttpRoute route = new HttpRoute();
    route.setStatus(new HttpRoute.Status());
    route.getStatus().parents =
        List.of(
            Map.of(
                "parentRef", Map.of("name", "public", "namespace", gatewayNamespace),
                "controllerName", "gateway.envoyproxy.io/gatewayclass-controller",
                "conditions",
                    List.of(
                        Map.of(
                            "type",
                            "Accepted",
                            "status",
                            accepted,
                            "reason",
                            reason,
                            "message",
                            "listener says so"))));
    return route;
  }

  @Test
  void aProviderWhoseCrdsAreMissingSaysWhichAndWhatToDo() {
    Condition c = routeReady(List.of(BackendTrafficPolicy.CRD), Optional.empty());
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("RouteApiMissing");
    assertThat(c.getMessage())
        .contains(
            "provider EnvoyGateway",
            "backendtrafficpolicies.gateway.envoyproxy.io",
            "install EnvoyGateway");
  }

  @Test
  void aRouteNoControllerHasSeenIsUnknownAndOneTheGatewayRefusedIsFalse() {
    assertThat(routeReady(List.of(), Optional.of(new HttpRoute())).getStatus())
        .isEqualTo("Unknown");
    Condition refused =
        routeReady(List.of(), Optional.of(route("gateways", "False", "NotAllowedByListeners")));
    assertThat(refused.getStatus()).isEqualTo("False");
    assertThat(refused.getMessage())
        .contains("did not accept", "NotAllowedByListeners", "listener says so");
    Condition accepted = routeReady(List.of(), Optional.of(route("gateways", "True", "Accepted")));
    assertThat(accepted.getStatus()).isEqualTo("True");
    assertThat(
            routeReady(List.of(), Optional.of(route("elsewhere", "True", "Accepted"))).getStatus())
        .as("another Gateway's acceptance is not ours")
        .isEqualTo("Unknown");
  }
}
