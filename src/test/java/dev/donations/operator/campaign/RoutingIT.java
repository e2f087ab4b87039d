package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.route.BackendTrafficPolicy;
import dev.donations.operator.campaign.route.HttpRoute;
import dev.donations.operator.campaign.route.TraefikMiddleware;
import dev.donations.operator.metrics.CampaignMetrics;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Routes on every provider, validated by the API server with the providers' real CRDs installed
 * (src/test/resources/crds), and the fallback switch: when every site pod is gone the route's
 * backend moves to the fallback Service, with the FallbackActive condition, an Event and the
 * metric, and it comes back once the pods are ready again. One campaign moves through the providers
 * as ops would change its class; the CRDs of Envoy Gateway and Traefik arrive while the operator
 * runs.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class RoutingIT extends CampaignIntegrationTest {

  static final String NS = "routing";
  static final String CLASS = "routes";
  static final String OUTAGE_TAINT = "donations.dev/test-outage";
  static final List<String> GATEWAY_API = List.of("/crds/gateway-api-v1.6.3-standard.yaml");
  static final String ENVOY =
      "/crds/envoy-gateway-v1.9.1-gateway.envoyproxy.io_backendtrafficpolicies.yaml";
  static final String TRAEFIK = "/crds/traefik-v3.7.13-traefik.io_middlewares.yaml";

  @Inject MeterRegistry registry;

  @BeforeAll
  static void setUp() {
    prepare(NS);
    GATEWAY_API.forEach(RoutingIT::install);
    updateClass(cls -> {});
  }

  @AfterAll
  static void tearDown() {
    client.resources(CharityCampaign.class).inNamespace(NS).delete();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client
                    .resources(CharityCampaign.class)
                    .inNamespace(NS)
                    .list()
                    .getItems()
                    .isEmpty());
    for (String file : List.of(ENVOY, TRAEFIK, GATEWAY_API.get(0))) {
      client
          .load(RoutingIT.class.getResourceAsStream(file))
          .items()
          .forEach(crd -> client.resource(crd).delete());
    }
  }

  @Test
  void theRouteFollowsTheProviderAndTheSitesReadiness() {
    // ingress-nginx: an Ingress, and the fallback behind it while no site pod is ready.
    CharityCampaign relay = campaign(NS, "relay", "relay.routing.example.org");
    relay.getSpec().className = CLASS;
    client.resource(relay).create();
    awaitPhase(client, NS, "relay", Phase.Ready);
    assertThat(ingressBackend()).isEqualTo("relay-site");
    assertThat(fallbackGauge()).isEqualTo(0.0);
    outage(
        () -> assertThat(ingressBackend()).isEqualTo("relay-fallback"),
        () -> assertThat(ingressBackend()).isEqualTo("relay-site"));

    // Traefik, before its CRD is installed: the route exists, the condition names what is missing.
    updateClass(cls -> gateway(cls, RouteProvider.Traefik));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      condition(
                          get(client, NS, "relay"), Conditions.ROUTE_READY, c -> c.getReason()))
                  .isEqualTo("RouteApiMissing");
              assertThat(
                      condition(
                          get(client, NS, "relay"), Conditions.ROUTE_READY, c -> c.getMessage()))
                  .contains(TraefikMiddleware.CRD);
              assertThat(route()).isNotNull();
              assertThat(client.network().v1().ingresses().inNamespace(NS).withName("relay").get())
                  .as("the Ingress is gone")
                  .isNull();
              assertThat(get(client, NS, "relay").getStatus().phase)
                  .as("no wait installs the CRD: Failed, not Degraded")
                  .isEqualTo(Phase.Failed);
            });
    install(TRAEFIK);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TraefikMiddleware middleware =
                  client
                      .resources(TraefikMiddleware.class)
                      .inNamespace(NS)
                      .withName("relay-fallback")
                      .get();
              assertThat(middleware).isNotNull();
              assertThat(middleware.getSpec().errors)
                  .containsEntry("status", List.of("500", "502", "503", "504"));
              assertThat(route().getSpec().rules.get(0).get("filters").toString())
                  .contains("ExtensionRef", "relay-fallback");
              assertThat(
                      condition(
                          get(client, NS, "relay"), Conditions.ROUTE_READY, c -> c.getReason()))
                  .isEqualTo("WaitingForGateway");
            });
    // No Gateway controller runs here: a route nobody has accepted yet does not hold Ready back.
    awaitPhase(client, NS, "relay", Phase.Ready);
    assertThat(routeBackend()).isEqualTo("relay-site");
    String converged = route().getMetadata().getResourceVersion();
    outage(
        () -> assertThat(routeBackend()).isEqualTo("relay-fallback"),
        () -> assertThat(routeBackend()).isEqualTo("relay-site"));
    assertThat(route().getMetadata().getResourceVersion()).isNotEqualTo(converged);

    // A converged route is not written again when the campaign is reconciled.
    awaitPhase(client, NS, "relay", Phase.Ready);
    String settled = route().getMetadata().getResourceVersion();
    updateClass(
        cls -> {
          gateway(cls, RouteProvider.Traefik);
          cls.getMetadata().setLabels(Map.of("touched", "yes"));
        });
    client
        .resources(CharityCampaign.class)
        .inNamespace(NS)
        .withName("relay")
        .edit(
            c -> {
              c.getSpec().fallback.message = "Back soon";
              return c;
            });
    awaitPhase(client, NS, "relay", Phase.Ready);
    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(settled);

    // Envoy Gateway: the Middleware goes, a BackendTrafficPolicy with the page comes.
    install(ENVOY);
    updateClass(cls -> gateway(cls, RouteProvider.EnvoyGateway));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              BackendTrafficPolicy policy =
                  client
                      .resources(BackendTrafficPolicy.class)
                      .inNamespace(NS)
                      .withName("relay-fallback")
                      .get();
              assertThat(policy).isNotNull();
              assertThat(policy.getSpec().targetRefs.get(0))
                  .containsEntry("kind", "HTTPRoute")
                  .containsEntry("name", "relay");
              assertThat(
                      client
                          .resources(TraefikMiddleware.class)
                          .inNamespace(NS)
                          .withName("relay-fallback")
                          .get())
                  .isNull();
              assertThat(route().getSpec().rules.get(0)).doesNotContainKey("filters");
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(NS)
                          .withName("relay-fallback")
                          .get()
                          .getData()
                          .get("response.body"))
                  .contains("Back soon");
            });

    // Plain Gateway API while keeping the Ingress: both exist, the policy is gone.
    updateClass(
        cls -> {
          gateway(cls, RouteProvider.GatewayAPI);
          cls.getSpec().ingress.keepIngress = true;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      client
                          .resources(BackendTrafficPolicy.class)
                          .inNamespace(NS)
                          .withName("relay-fallback")
                          .get())
                  .isNull();
              assertThat(client.network().v1().ingresses().inNamespace(NS).withName("relay").get())
                  .isNotNull();
              assertThat(route()).isNotNull();
            });

    // Back to ingress-nginx: the route goes.
    updateClass(cls -> {});
    await().atMost(Duration.ofSeconds(30)).until(() -> route() == null);
    assertThat(ingressBackend()).isEqualTo("relay-site");
  }

  /**
   * Every kwok node gets a NoExecute taint: the site's pods are evicted and their replacements
   * cannot be scheduled, so the site has no ready endpoint until the taint goes.
   */
  private void outage(Runnable whileDown, Runnable afterwards) {
    taintNodes(true);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                whileDown.run();
                CharityCampaign c = get(client, NS, "relay");
                assertThat(condition(c, Conditions.FALLBACK_ACTIVE, x -> x.getStatus()))
                    .isEqualTo("True");
                assertThat(condition(c, Conditions.FALLBACK_ACTIVE, x -> x.getReason()))
                    .isEqualTo("NoReadyEndpoints");
                assertThat(fallbackGauge()).isEqualTo(1.0);
              });
      assertThat(events("NoReadyEndpoints"))
          .anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    } finally {
      taintNodes(false);
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              afterwards.run();
              assertThat(
                      condition(
                          get(client, NS, "relay"), Conditions.FALLBACK_ACTIVE, x -> x.getStatus()))
                  .isEqualTo("False");
              assertThat(fallbackGauge()).isEqualTo(0.0);
            });
    assertThat(events("SiteServing")).isNotEmpty();
  }

  private static void taintNodes(boolean on) {
    for (Node node : client.nodes().withLabel("type", "kwok").list().getItems()) {
      client
          .nodes()
          .withName(node.getMetadata().getName())
          .edit(
              n -> {
                List<Taint> taints =
                    new java.util.ArrayList<>(
                        n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
                taints.removeIf(t -> OUTAGE_TAINT.equals(t.getKey()));
                if (on) {
                  taints.add(
                      new TaintBuilder()
                          .withKey(OUTAGE_TAINT)
                          .withValue("true")
                          .withEffect("NoExecute")
                          .build());
                }
                n.getSpec().setTaints(taints);
                return n;
              });
    }
  }

  private static List<Event> events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(
            e -> "relay".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  private double fallbackGauge() {
    Gauge gauge =
        registry
            .find(CampaignMetrics.FALLBACK_ACTIVE)
            .tag("namespace", NS)
            .tag("campaign", "relay")
            .gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  private static HttpRoute route() {
    return client.resources(HttpRoute.class).inNamespace(NS).withName("relay").get();
  }

  private static String routeBackend() {
    @SuppressWarnings("unchecked")
    var refs = (List<Map<String, Object>>) route().getSpec().rules.get(0).get("backendRefs");
    return (String) refs.get(0).get("name");
  }

  private static String ingressBackend() {
    Ingress ingress = client.network().v1().ingresses().inNamespace(NS).withName("relay").get();
    return ingress
        .getSpec()
        .getRules()
        .get(0)
        .getHttp()
        .getPaths()
        .get(0)
        .getBackend()
        .getService()
        .getName();
  }

  private static void gateway(CampaignClass cls, RouteProvider provider) {
    cls.getSpec().ingress.provider = provider;
    cls.getSpec().ingress.gateway = new GatewayRefSpec();
    cls.getSpec().ingress.gateway.name = "public";
    cls.getSpec().ingress.gateway.namespace = "gateways";
    cls.getSpec().ingress.gateway.https = false;
  }

  /** The class "routes": the local class with the given routing. */
  private static void updateClass(Consumer<CampaignClass> change) {
    CampaignClass cls =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    cls.getMetadata().setName(CLASS);
    change.accept(cls);
    client.resource(cls).forceConflicts().serverSideApply();
  }

  private static void install(String file) {
    for (HasMetadata crd : client.load(RoutingIT.class.getResourceAsStream(file)).items()) {
      client.resource(crd).forceConflicts().serverSideApply();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.load(RoutingIT.class.getResourceAsStream(file)).items().stream()
                    .allMatch(
                        crd ->
                            dev.donations.operator.campaign.route.RouteApis.established(
                                client
                                    .apiextensions()
                                    .v1()
                                    .customResourceDefinitions()
                                    .withName(crd.getMetadata().getName())
                                    .get())));
  }
}
