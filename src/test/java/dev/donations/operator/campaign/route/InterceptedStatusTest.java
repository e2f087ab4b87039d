package dev.donations.operator.campaign.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Which answers of a running site each provider turns into the fallback page, read from the objects
 * the operator writes the way each proxy reads them (single codes and ranges).
 */
class InterceptedStatusTest {

  /** WordPress without its database (500), and a site overwhelmed, restarting or timing out. */
  static final Set<Integer> MUST_REACH_THE_PAGE = Set.of(500, 502, 503, 504);

  final CharityCampaign campaign = TestCampaigns.campaign();

  @Test
  void everyProviderAnswersTheSameServerErrorsWithThePage() {
    Set<Integer> ingressNginx = ingressNginx();
    Set<Integer> traefik = traefik();
    Set<Integer> envoyGateway = envoyGateway();
    assertThat(ingressNginx)
        .as("ingress-nginx custom-http-errors")
        .containsAll(MUST_REACH_THE_PAGE);
    assertThat(traefik).as("Traefik errors status").containsAll(MUST_REACH_THE_PAGE);
    assertThat(envoyGateway).as("Envoy Gateway responseOverride").containsAll(MUST_REACH_THE_PAGE);
    assertThat(traefik).as("Traefik like ingress-nginx").isEqualTo(ingressNginx);
    assertThat(envoyGateway).as("Envoy Gateway like ingress-nginx").isEqualTo(ingressNginx);
  }

  @Test
  void theDonorGetsThePageWith503WhateverTheSiteAnswered() {
    var middleware =
        FallbackErrorsMiddleware.build(new RouteDependentsTest().resolved(RouteProvider.Traefik))
            .getSpec()
            .errors;
    @SuppressWarnings("unchecked")
    Map<String, Object> rewrites = (Map<String, Object>) middleware.get("statusRewrites");
    for (int code : traefik()) {
      assertThat(
              rewrites.entrySet().stream()
                  .filter(e -> codes(e.getKey()).contains(code))
                  .map(Map.Entry::getValue)
                  .toList())
          .as("Traefik's rewrite of %d", code)
          .containsExactly(503);
    }
    var policy =
        FallbackResponsePolicy.build(
            new RouteDependentsTest().resolved(RouteProvider.EnvoyGateway));
    assertThat(policy.getSpec().responseOverride)
        .allSatisfy(o -> assertThat(o.get("response").toString()).contains("statusCode=503"));
  }

  private Set<Integer> ingressNginx() {
    String annotation =
        SiteIngress.build(TestCampaigns.resolved(campaign), RouteDependentsTest.SITE)
            .getMetadata()
            .getAnnotations()
            .get("nginx.ingress.kubernetes.io/custom-http-errors");
    Set<Integer> codes = new TreeSet<>();
    Arrays.stream(annotation.split(","))
        .map(String::trim)
        .map(Integer::valueOf)
        .forEach(codes::add);
    return codes;
  }

  @SuppressWarnings("unchecked")
  private Set<Integer> traefik() {
    var errors =
        FallbackErrorsMiddleware.build(new RouteDependentsTest().resolved(RouteProvider.Traefik))
            .getSpec()
            .errors;
    Set<Integer> codes = new TreeSet<>();
    ((List<String>) errors.get("status")).forEach(s -> codes.addAll(codes(s)));
    return codes;
  }

  @SuppressWarnings("unchecked")
  private Set<Integer> envoyGateway() {
    var policy =
        FallbackResponsePolicy.build(
            new RouteDependentsTest().resolved(RouteProvider.EnvoyGateway));
    Set<Integer> codes = new TreeSet<>();
    for (Map<String, Object> override : policy.getSpec().responseOverride) {
      var match = (Map<String, Object>) override.get("match");
      for (Map<String, Object> sc : (List<Map<String, Object>>) match.get("statusCodes")) {
        if ("Range".equals(sc.get("type"))) {
          var range = (Map<String, Object>) sc.get("range");
          IntStream.rangeClosed((Integer) range.get("start"), (Integer) range.get("end"))
              .forEach(codes::add);
        } else {
          codes.add((Integer) sc.get("value"));
        }
      }
    }
    return codes;
  }

  /** Traefik's spelling: "500" or "502-504". */
  private static Set<Integer> codes(String spec) {
    Set<Integer> codes = new TreeSet<>();
    String[] bounds = spec.split("-");
    int from = Integer.parseInt(bounds[0].trim());
    int to = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : from;
    IntStream.rangeClosed(from, to).forEach(codes::add);
    return codes;
  }
}
