package dev.donations.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A campaign behind a real Gateway API implementation: Traefik v3.7.13 (hack/gateway) serves the
 * operator's HTTPRoute and errors Middleware, and reports on the route. When every site pod is gone
 * the operator points the route at the fallback Service and Traefik follows; visitors get the page,
 * then the site again.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class GatewayTrafficIT {

  static final String NS = "gateway-" + UUID.randomUUID().toString().substring(0, 6);
  static final String NAME = "relay";
  static final String HOST = "relay." + NS + ".local";
  static final String CLASS = "traefik";
  static final String PAGE_TITLE = "The relay is very popular right now";

  static LocalCluster cluster;
  static KubernetesClient client;
  static int port;

  @BeforeAll
  static void setUp() throws Exception {
    cluster = LocalCluster.get();
    assertThat(cluster.env("LOCAL_REAL_NODE"))
        .as("the test bed runs a real node")
        .isEqualTo(RealNode.NAME);
    client = cluster.adminClient();
    port = TraefikGateway.start(cluster);
    CampaignClass cls =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    cls.getMetadata().setName(CLASS);
    cls.getSpec().ingress.provider = RouteProvider.Traefik;
    cls.getSpec().ingress.gateway = new GatewayRefSpec();
    cls.getSpec().ingress.gateway.name = TraefikGateway.NAME;
    cls.getSpec().ingress.gateway.namespace = TraefikGateway.NAMESPACE;
    cls.getSpec().ingress.gateway.https = false;
    client.resource(cls).forceConflicts().serverSideApply();
    RealNode.namespace(client, NS);
    CharityCampaign campaign = CampaignFixtures.campaign(NS, NAME, HOST);
    campaign.getSpec().className = CLASS;
    campaign.getSpec().fallback = new dev.donations.operator.api.v1alpha1.FallbackSpec();
    campaign.getSpec().fallback.title = PAGE_TITLE;
    client.resource(campaign).forceConflicts().serverSideApply();
  }

  @AfterAll
  static void tearDown() {
    if (client != null) {
      client.resources(CharityCampaign.class).inNamespace(NS).withName(NAME).delete();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> CampaignFixtures.get(client, NS, NAME) == null);
      client.namespaces().withName(NS).delete();
      client.resources(CampaignClass.class).withName(CLASS).delete();
    }
    TraefikGateway.stop(cluster);
    if (client != null) {
      client.close();
    }
  }

  @Test
  void traefikServesTheRouteAndTheFallbackWhileEverySitePodIsReplaced() throws Exception {
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              CharityCampaign c = CampaignFixtures.get(client, NS, NAME);
              assertThat(c.getStatus()).isNotNull();
              assertThat(c.getStatus().phase).isEqualTo(Phase.Ready);
              // Traefik, a real controller, accepted the route for its Gateway and resolved its
              // backend.
              assertThat(
                      Conditions.find(c.getStatus().conditions, Conditions.ROUTE_READY)
                          .orElseThrow()
                          .getReason())
                  .isEqualTo("Accepted");
            });
    System.out.printf(
        "real-node: campaign behind Traefik Ready and its route Accepted %.1f s after apply%n",
        (System.nanoTime() - t0) / 1e9);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(Http.get("127.0.0.1", port, HOST, "/").status()).isEqualTo(200));
    assertThat(Http.get("127.0.0.1", port, HOST, "/").body()).doesNotContain(PAGE_TITLE);

    long killed = System.nanoTime();
    client
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/component", "site")
        .withGracePeriod(0)
        .delete();
    List<String> answers = new ArrayList<>();
    double firstFallback = -1;
    double back = -1;
    while (System.nanoTime() - killed < Duration.ofMinutes(3).toNanos()) {
      Http answer = Http.get("127.0.0.1", port, HOST, "/");
      boolean fallback = answer.status() == 503 && answer.body().contains(PAGE_TITLE);
      if (fallback) {
        if (firstFallback < 0) {
          firstFallback = (System.nanoTime() - killed) / 1e9;
        }
      } else {
        assertThat(answer.status())
            .as(
                "every answer is the site or the fallback page; got %s: %s",
                answer.status(), answer.body().substring(0, Math.min(300, answer.body().length())))
            .isEqualTo(200);
        if (firstFallback >= 0) {
          back = (System.nanoTime() - killed) / 1e9;
          break;
        }
      }
      answers.add(String.valueOf(answer.status()));
      Thread.sleep(50);
    }
    System.out.printf(
        "real-node: through Traefik, the fallback page %.2f s after every site pod was deleted, the site again at %.1f s (%d answers)%n",
        firstFallback, back, answers.size());
    assertThat(firstFallback)
        .as("the fallback page answered while no site pod was ready")
        .isGreaterThanOrEqualTo(0);
    assertThat(back).as("the site came back").isGreaterThan(0);
    // The operator moved the route (Traefik's Middleware alone would not): a Warning when the pods
    // went.
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("NoReadyEndpoints");
              assertThat(e.getType()).isEqualTo("Warning");
            });
  }
}
