package dev.donations.operator.campaign.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.CampaignResolver;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each provider's objects say, for the site serving and for the fallback in its place. */
class RouteDependentsTest {

  static final RouteTarget SITE = new RouteTarget(false, "SiteServing", "", 2, Optional.empty());
  static final RouteTarget FALLBACK =
      new RouteTarget(true, "NoReadyEndpoints", "", 0, Optional.empty());

  final CharityCampaign campaign = TestCampaigns.campaign();

  static CampaignClass gatewayClass(RouteProvider provider) {
    CampaignClass cls = TestCampaigns.campaignClass();
    cls.getSpec().ingress.provider = provider;
    cls.getSpec().ingress.gateway = new GatewayRefSpec();
    cls.getSpec().ingress.gateway.name = "public";
    cls.getSpec().ingress.gateway.namespace = "gateways";
    cls.getSpec().ingress.gateway.sectionName = "https";
    return cls;
  }

  static CampaignResolver.Resolution resolve(CharityCampaign c, CampaignClass cls) {
    return CampaignResolver.resolve(
        c,
        Optional.of(cls),
        List.of(),
        Optional.empty(),
        TestCampaigns.DEFAULTS,
        TestCampaigns.NOW);
  }

  ResolvedCampaign resolved(RouteProvider provider) {
    return resolve(campaign, gatewayClass(provider)).resolved().orElseThrow();
  }

  @Test
  void theIngressPointsAtTheSiteOrAtTheFallbackAndKeepsIngressNginxErrorPages() {
    ResolvedCampaign resolved = TestCampaigns.resolved(campaign);
    var ingress = SiteIngress.build(resolved, SITE);
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/default-backend", "song-request-fallback")
        .containsEntry("nginx.ingress.kubernetes.io/custom-http-errors", "500,502,503,504")
        // A request that cannot reach a pod goes to the next one within seconds, then the page.
        .containsEntry("nginx.ingress.kubernetes.io/proxy-connect-timeout", "2")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream", "error timeout")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-tries", "3")
        .containsEntry("nginx.ingress.kubernetes.io/proxy-next-upstream-timeout", "6");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls()).isEmpty();
    var backend =
        ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
    assertThat(backend.getName()).isEqualTo("song-request-site");
    var down =
        SiteIngress.build(resolved, FALLBACK)
            .getSpec()
            .getRules()
            .get(0)
            .getHttp()
            .getPaths()
            .get(0)
            .getBackend()
            .getService();
    assertThat(down.getName()).isEqualTo("song-request-fallback");
    assertThat(down.getPort().getNumber()).isEqualTo(80);
    campaign.getSpec().site.tlsSecretName = "donate-tls";
    var tls = SiteIngress.build(TestCampaigns.resolved(campaign), SITE);
    assertThat(tls.getSpec().getTls())
        .singleElement()
        .satisfies(t -> assertThat(t.getSecretName()).isEqualTo("donate-tls"));
  }

  @Test
  void theHttpRouteAttachesToTheClassGatewayAndSwitchesItsBackend() {
    HttpRoute route = SiteRoute.build(resolved(RouteProvider.GatewayAPI), SITE);
    assertThat(route.getMetadata().getName()).isEqualTo("song-request");
    assertThat(route.getSpec().parentRefs)
        .containsExactly(
            Map.of(
                "group",
                "gateway.networking.k8s.io",
                "kind",
                "Gateway",
                "name",
                "public",
                "namespace",
                "gateways",
                "sectionName",
                "https"));
    assertThat(route.getSpec().hostnames).containsExactly("donate.example.org");
    Map<String, Object> rule = route.getSpec().rules.get(0);
    assertThat(rule).doesNotContainKey("filters");
    assertThat(rule.get("backendRefs"))
        .isEqualTo(
            List.of(
                Map.of(
                    "group",
                    "",
                    "kind",
                    "Service",
                    "name",
                    "song-request-site",
                    "port",
                    80,
                    "weight",
                    1)));
    Map<String, Object> down =
        SiteRoute.build(resolved(RouteProvider.GatewayAPI), FALLBACK).getSpec().rules.get(0);
    assertThat(down.get("backendRefs"))
        .isEqualTo(
            List.of(
                Map.of(
                    "group",
                    "",
                    "kind",
                    "Service",
                    "name",
                    "song-request-fallback",
                    "port",
                    80,
                    "weight",
                    1)));
  }

  @Test
  void withTraefikTheRuleCarriesTheErrorsMiddleware() {
    ResolvedCampaign resolved = resolved(RouteProvider.Traefik);
    Map<String, Object> rule = SiteRoute.build(resolved, SITE).getSpec().rules.get(0);
    assertThat(rule.get("filters"))
        .isEqualTo(
            List.of(
                Map.of(
                    "type",
                    "ExtensionRef",
                    "extensionRef",
                    Map.of(
                        "group",
                        "traefik.io",
                        "kind",
                        "Middleware",
                        "name",
                        "song-request-fallback"))));
    TraefikMiddleware middleware = FallbackErrorsMiddleware.build(resolved);
    assertThat(middleware.getMetadata().getName()).isEqualTo("song-request-fallback");
    assertThat(middleware.getSpec().errors)
        .containsEntry("status", List.of("500", "502", "503", "504"))
        .containsEntry("service", Map.of("name", "song-request-fallback", "port", 80))
        .containsEntry("query", "/")
        .containsEntry("statusRewrites", Map.of("500", 503, "502", 503, "503", 503, "504", 503));
  }

  @Test
  void withEnvoyGatewayAPolicyOnTheRouteAnswersErrorsWithThePage() {
    ResolvedCampaign resolved = resolved(RouteProvider.EnvoyGateway);
    BackendTrafficPolicy policy = FallbackResponsePolicy.build(resolved);
    assertThat(policy.getSpec().targetRefs)
        .containsExactly(
            Map.of(
                "group", "gateway.networking.k8s.io", "kind", "HTTPRoute", "name", "song-request"));
    Map<String, Object> override = policy.getSpec().responseOverride.get(0);
    assertThat(override.get("match"))
        .isEqualTo(
            Map.of(
                "statusCodes",
                List.of(
                    Map.of("type", "Value", "value", 500),
                    Map.of("type", "Value", "value", 502),
                    Map.of("type", "Value", "value", 503),
                    Map.of("type", "Value", "value", 504))));
    assertThat(override.get("response").toString())
        .contains("ConfigMap", "song-request-fallback", "statusCode=503");
    // Envoy reads the body as a format string: a literal % must be doubled.
    assertThat(FallbackResponsePolicy.body("width: 100%; %REQ(x)%"))
        .isEqualTo("width: 100%%; %%REQ(x)%%");
    var page = new dev.donations.operator.campaign.fallback.FallbackPageConfigMap();
    assertThat(page.getClass()).isNotNull();
  }

  @Test
  void aCampaignCertificateIsRefusedWhereTheGatewayHoldsTheCertificateUnlessTheIngressIsKept() {
    campaign.getSpec().site.tlsSecretName = "donate-tls";
    var refused = resolve(campaign, gatewayClass(RouteProvider.GatewayAPI));
    assertThat(refused.resolved()).isEmpty();
    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo("TlsAtGateway");
              assertThat(p.message())
                  .contains("Gateway gateways/public", "remove spec.site.tlsSecretName");
            });
    CampaignClass migrating = gatewayClass(RouteProvider.GatewayAPI);
    migrating.getSpec().ingress.keepIngress = true;
    ResolvedCampaign kept = resolve(campaign, migrating).resolved().orElseThrow();
    assertThat(kept.site().routing().ingress()).isTrue();
    // While both serve, both proxies may reach the pods.
    assertThat(kept.site().routing().proxyNamespaces())
        .containsExactly("ingress-nginx", "gateways");
  }

  @Test
  void theGatewaysProxiesAloneMayReachThePodsOnceTheIngressIsGone() {
    CampaignClass cls = gatewayClass(RouteProvider.EnvoyGateway);
    cls.getSpec().ingress.gateway.proxyNamespace = "envoy-gateway-system";
    ResolvedCampaign.Routing routing =
        resolve(campaign, cls).resolved().orElseThrow().site().routing();
    assertThat(routing.ingress()).isFalse();
    assertThat(routing.proxyNamespaces()).containsExactly("envoy-gateway-system");
    assertThat(TestCampaigns.resolved(campaign).site().routing().proxyNamespaces())
        .containsExactly("ingress-nginx");
  }
}
