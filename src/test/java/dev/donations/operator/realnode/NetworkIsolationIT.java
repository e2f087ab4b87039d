package dev.donations.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.EgressSpec;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tenant NetworkPolicies the operator writes, enforced on the real nodes by
 * kube-network-policies: two campaigns in two namespaces, and real connections from their pods,
 * from a pod in the ingress controller's namespace and from the proxies' host. Every connection is
 * tried for real; a refused one is one the enforcer dropped (a time-out), told apart from a port
 * that is reachable but closed (a reset).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class NetworkIsolationIT {

  static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  static final String NS_A = "iso-a-" + SUFFIX;
  static final String NS_B = "iso-b-" + SUFFIX;
  static final String NAME = "appeal";
  static final String CLASS = "isolation";

  /** The local class's ingress controller namespace, where a proxy pod stands in. */
  static final String PROXY_NS = "ingress-nginx";

  static final String PROXY_POD = "proxy-probe-" + SUFFIX;

  /** The host's address on the nodes' network: the proxies there, the API server, the AWS front. */
  static final String HOST = "10.88.0.1";

  static LocalCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void setUp() {
    cluster = LocalCluster.get();
    assertThat(Integer.parseInt(cluster.env("LOCAL_REAL_NODES")))
        .as("the test bed runs real nodes with NetworkPolicies enforced")
        .isGreaterThanOrEqualTo(1);
    client = cluster.adminClient();
    CampaignClass cls =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    cls.getMetadata().setName(CLASS);
    // "Payment providers": the host's address on TCP 443, where nothing listens (a reset proves
    // that the policy let the connection through).
    cls.getSpec().egress = new EgressSpec();
    cls.getSpec().egress.httpsCidrs = List.of(HOST + "/32");
    client.resource(cls).forceConflicts().serverSideApply();
    for (String ns : List.of(NS_A, NS_B)) {
      RealNode.namespace(client, ns);
      CharityCampaign campaign = CampaignFixtures.campaign(ns, NAME, NAME + "." + ns + ".local");
      campaign.getSpec().className = CLASS;
      client.resource(campaign).forceConflicts().serverSideApply();
    }
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(PROXY_NS)
                .addToAnnotations("scheduler.alpha.kubernetes.io/node-selector", RealNode.LABEL)
                .addToAnnotations(
                    "scheduler.alpha.kubernetes.io/defaultTolerations",
                    "[{\"key\":\""
                        + RealNode.TAINT
                        + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]")
                .endMetadata()
                .build())
        .serverSideApply();
    client.resource(probePod(PROXY_NS, PROXY_POD)).serverSideApply();
  }

  @AfterAll
  static void tearDown() {
    if (client == null) {
      return;
    }
    client.pods().inNamespace(PROXY_NS).withName(PROXY_POD).withGracePeriod(0).delete();
    for (String ns : List.of(NS_A, NS_B)) {
      client.resources(CharityCampaign.class).inNamespace(ns).withName(NAME).delete();
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                CampaignFixtures.get(client, NS_A, NAME) == null
                    && CampaignFixtures.get(client, NS_B, NAME) == null);
    client.namespaces().withName(NS_A).delete();
    client.namespaces().withName(NS_B).delete();
    client.resources(CampaignClass.class).withName(CLASS).delete();
    client.close();
  }

  @Test
  void eachTenantReachesWhatItNeedsAndNothingOfTheOther() throws Exception {
    for (String ns : List.of(NS_A, NS_B)) {
      // Ready means the site pods answered their probes, which needs their database: the policy
      // lets each site reach its own database through enforcement.
      await()
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                CharityCampaign c = CampaignFixtures.get(client, ns, NAME);
                return c != null && c.getStatus() != null && c.getStatus().phase == Phase.Ready;
              });
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> running(PROXY_NS, PROXY_POD));
    Pod siteA = pod(NS_A, "site");
    Pod fallbackA = pod(NS_A, "fallback");
    Pod siteB = pod(NS_B, "site");
    Pod fallbackB = pod(NS_B, "fallback");
    Pod proxy = client.pods().inNamespace(PROXY_NS).withName(PROXY_POD).get();
    String[] dbA = database(NS_A);
    String[] dbB = database(NS_B);
    String api = String.valueOf(new java.net.URL(client.getMasterUrl().toString()).getPort());

    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, String> seen = new LinkedHashMap<>();
    // Must pass.
    check(seen, expected, "A's site to its database", siteA, dbA[0], dbA[1], "open");
    check(seen, expected, "A's site to DNS", siteA, "dns", "", "open");
    check(seen, expected, "A's site to the class's HTTPS blocks", siteA, HOST, "443", "reset");
    check(seen, expected, "the proxy pod to A's site", proxy, ip(siteA), "8080", "open");
    check(seen, expected, "the proxy pod to A's fallback", proxy, ip(fallbackA), "8080", "open");
    check(seen, expected, "the proxy pod to B's site", proxy, ip(siteB), "8080", "open");
    expected.put("the proxies' host to A's site", "open");
    seen.put("the proxies' host to A's site", fromHost(ip(siteA), 8080));
    expected.put("the proxies' host to A's fallback", "open");
    seen.put("the proxies' host to A's fallback", fromHost(ip(fallbackA), 8080));
    // Must be refused.
    check(seen, expected, "A's site to B's site", siteA, ip(siteB), "8080", "refused");
    check(seen, expected, "A's site to B's fallback", siteA, ip(fallbackB), "8080", "refused");
    check(seen, expected, "A's site to B's database", siteA, dbB[0], dbB[1], "refused");
    check(seen, expected, "A's site to the API server", siteA, HOST, api, "refused");
    check(seen, expected, "A's site to A's fallback", siteA, ip(fallbackA), "8080", "refused");
    check(seen, expected, "B's site to A's database", siteB, dbA[0], dbA[1], "refused");
    check(seen, expected, "A's fallback to A's site", fallbackA, ip(siteA), "8080", "refused");
    check(seen, expected, "A's fallback to A's database", fallbackA, dbA[0], dbA[1], "refused");
    check(seen, expected, "A's fallback to DNS", fallbackA, "dns", "", "refused");
    check(seen, expected, "A's fallback to the HTTPS blocks", fallbackA, HOST, "443", "refused");

    List<String> table = new ArrayList<>();
    expected.forEach(
        (what, want) ->
            table.add(
                String.format(
                    "%-45s expected %-8s got %-8s %s",
                    what, want, seen.get(what), want.equals(seen.get(what)) ? "ok" : "WRONG")));
    System.out.println("real-node: isolation matrix\n  " + String.join("\n  ", table));
    assertThat(seen).as(String.join("\n", table)).isEqualTo(expected);
  }

  /** Tries one connection from a pod: open, reset (reachable, nothing listens) or refused. */
  private static void check(
      Map<String, String> seen,
      Map<String, String> expected,
      String what,
      Pod from,
      String address,
      String port,
      String want)
      throws Exception {
    expected.put(what, want);
    seen.put(what, connect(from, address, port));
  }

  static String connect(Pod from, String address, String port) throws Exception {
    String script =
        "dns".equals(address)
            // A name that only the cluster's DNS knows; no answer within the time-out is refused.
            ? "timeout 5 getent hosts kubernetes.default.svc.cluster.local >/dev/null && echo open"
                + " || echo refused"
            : "out=$(timeout 4 bash -c 'exec 3<>/dev/tcp/"
                + address
                + "/"
                + port
                + "' 2>&1); rc=$?; if [ $rc = 0 ]; then echo open; elif [ $rc = 124 ]; then echo"
                + " refused; elif echo \"$out\" | grep -q 'Connection refused'; then echo reset;"
                + " else echo \"other: $out\"; fi";
    return RealNode.exec(client, from, "bash", "-c", script).trim();
  }

  /** A connection from the host, as Traefik and the ingress stand-in make them. */
  static String fromHost(String address, int port) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(address, port), 4000);
      return "open";
    } catch (java.net.SocketTimeoutException e) {
      return "refused";
    } catch (java.io.IOException e) {
      return "reset";
    }
  }

  private static Pod pod(String ns, String component) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/component", component)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus().getPodIP() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no running " + component + " pod in " + ns));
  }

  private static String ip(Pod pod) {
    return pod.getStatus().getPodIP();
  }

  /** The database's host and port, from the Secret the operator wrote for the site. */
  private static String[] database(String ns) {
    Map<String, String> data =
        client.secrets().inNamespace(ns).withName(NAME + "-db").get().getData();
    return new String[] {decode(data.get("host")), decode(data.get("port"))};
  }

  private static String decode(String value) {
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  private static boolean running(String ns, String name) {
    Pod p = client.pods().inNamespace(ns).withName(name).get();
    return p != null && "Running".equals(p.getStatus().getPhase());
  }

  /** A pod that only waits, from the site image (it has bash): the proxy's stand-in. */
  private static Pod probePod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(0L)
        .withAutomountServiceAccountToken(false)
        .addNewContainer()
        .withName("probe")
        .withImage("localhost/donation-site:1.0.0")
        .withImagePullPolicy("Never")
        .withCommand("sleep", "3600")
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(33L)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }
}
