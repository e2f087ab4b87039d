package dev.donations.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tenant stack on a real node: real pods from the locally built images, a real MariaDB behind
 * the emulated RDS, the EFS CSI node plugin, kube-proxy's Services. What a visitor and a campaign
 * owner feel.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPodsIT {

  /**
   * A namespace and host of their own for each run, so a run on a bed that stays up starts from
   * nothing.
   */
  static final String NS = "real-pods-" + UUID.randomUUID().toString().substring(0, 6);

  static final String NAME = "song-request";
  static final String HOST = "donate." + NS + ".local";
  static final String TITLE = "Song requests on a real node";
  static final Duration POD_START = Duration.ofMinutes(5);

  static LocalCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void applyTheCampaign() {
    cluster = LocalCluster.get();
    assertThat(cluster.env("LOCAL_REAL_NODE"))
        .as("the test bed runs a real node (hack/local-cluster.sh up --real-node)")
        .isEqualTo(RealNode.NAME);
    client = cluster.adminClient();
    CampaignFixtures.applyLocalClass(cluster, client);
    RealNode.namespace(client, NS);
    CharityCampaign campaign = CampaignFixtures.campaign(NS, NAME, HOST);
    campaign.getSpec().site.title = TITLE;
    campaign.getSpec().fallback = new dev.donations.operator.api.v1alpha1.FallbackSpec();
    campaign.getSpec().fallback.title = "Song requests are very popular right now";
    client.resource(campaign).forceConflicts().serverSideApply();
  }

  /**
   * The campaign goes (its final snapshot taken), so runs on a bed that stays up do not fill the
   * node.
   */
  @AfterAll
  static void deleteTheCampaign() {
    IngressStandIn.stop(cluster);
    if (client != null) {
      client.resources(CharityCampaign.class).inNamespace(NS).withName(NAME).delete();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> CampaignFixtures.get(client, NS, NAME) == null);
      client.namespaces().withName(NS).delete();
      client.close();
    }
  }

  @Test
  @Order(1)
  void sitePodsBecomeReadyOnTheRealNodeThroughTheirProbes() {
    long t0 = System.nanoTime();
    await()
        .atMost(POD_START)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                CampaignFixtures.get(client, NS, NAME).getStatus() != null
                    && CampaignFixtures.get(client, NS, NAME).getStatus().phase == Phase.Ready);
    System.out.printf(
        "real-node: campaign Ready %.1f s after apply%n", (System.nanoTime() - t0) / 1e9);
    List<Pod> pods = sitePods();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getNodeName()).matches(RealNode.NAMES);
              assertThat(p.getStatus().getContainerStatuses())
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.getReady()).isTrue();
                        assertThat(s.getRestartCount())
                            .as("no restarts: probes and start-up work")
                            .isZero();
                      });
              assertThat(
                      p.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
                  .isEqualTo("/healthz");
            });
  }

  @Test
  @Order(2)
  void theFrontPageIsServedThroughTheSiteService() throws Exception {
    Http page = Http.get(serviceIp(NAME + "-site"), 80, HOST, "/");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains(TITLE).doesNotContain("install.php");
    Http health = Http.get(serviceIp(NAME + "-site"), 80, HOST, "/healthz");
    assertThat(health.status()).isEqualTo(200);
  }

  @Test
  @Order(3)
  void aDonationIsARowInTheCampaignsDatabase() throws Exception {
    String donor = "it-" + UUID.randomUUID().toString().substring(0, 8);
    Http answer =
        Http.postJson(
            serviceIp(NAME + "-site"),
            80,
            HOST,
            "/wp-json/donations/v1/donate",
            "{\"amount_cents\": 500, \"currency\": \"EUR\", \"donor\": \"" + donor + "\"}");
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(answer.body());
    assertThat(id.find()).as(answer.body()).isTrue();
    try (Connection db = database();
        var query =
            db.prepareStatement(
                "SELECT amount_cents, currency, donor FROM wp_donations WHERE id = ?")) {
      query.setLong(1, Long.parseLong(id.group(1)));
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getInt(1)).isEqualTo(500);
        assertThat(row.getString(2)).isEqualTo("EUR");
        assertThat(row.getString(3)).isEqualTo(donor);
      }
    }
  }

  @Test
  @Order(4)
  void theDatabaseAllowsTheConnectionBudgetAndNoMore() throws Exception {
    var budget = CampaignFixtures.get(client, NS, NAME).getStatus().connectionBudget;
    try (Connection db = database();
        ResultSet r = db.createStatement().executeQuery("SELECT @@max_connections")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1))
          .as("max_connections of the parameter group, applied to the real server")
          .isEqualTo(budget.configuredMaxConnections);
    }
  }

  @Test
  @Order(5)
  void podsRunAsWwwDataAndShareTheUploadsDirectory() throws Exception {
    List<Pod> pods = sitePods();
    assertThat(pods).hasSizeGreaterThanOrEqualTo(2);
    for (Pod p : pods) {
      assertThat(RealNode.exec(client, p, "id", "-u").trim()).isEqualTo("33");
    }
    String file = "/var/www/html/web/app/uploads/it-" + UUID.randomUUID() + ".txt";
    RealNode.exec(
        client,
        pods.get(0),
        "sh",
        "-c",
        "echo written-by-" + pods.get(0).getMetadata().getName() + " > " + file);
    assertThat(RealNode.exec(client, pods.get(1), "cat", file).trim())
        .isEqualTo("written-by-" + pods.get(0).getMetadata().getName());
  }

  @Test
  @Order(6)
  void theFallbackServiceAnswersWithTheCampaignsPage() throws Exception {
    Http page = Http.get(serviceIp(NAME + "-fallback"), 80, HOST, "/any/path");
    assertThat(page.status()).isEqualTo(503);
    assertThat(page.header("Retry-After")).isEqualTo("30");
    assertThat(page.body()).contains("Song requests are very popular right now");
  }

  @Test
  @Order(7)
  void theFrontPageRendersInABrowser() throws Exception {
    int port = IngressStandIn.start(cluster);
    Path shot = Path.of("target/real-node-front-page.png");
    Files.deleteIfExists(shot);
    // Every other host name fails to resolve, so the browser reaches nothing beyond the stand-in.
    String rules = "MAP " + HOST + " 127.0.0.1:" + port + ", MAP * ~NOTFOUND";
    List<String> browser =
        List.of(
            "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--host-resolver-rules=" + rules,
            "--window-size=1280,900");
    String dom =
        Processes.run(
            Duration.ofSeconds(60), concat(browser, "--dump-dom", "http://" + HOST + "/"));
    assertThat(dom).contains("<title>" + TITLE).doesNotContain("install.php");
    Processes.run(
        Duration.ofSeconds(60),
        concat(browser, "--screenshot=" + shot.toAbsolutePath(), "http://" + HOST + "/"));
    BufferedImage image = ImageIO.read(shot.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    assertThat(colours.size())
        .as("a rendered page (text, theme), not a blank or error screen: " + shot)
        .isGreaterThan(20);
  }

  @Test
  @Order(8)
  void whenEverySitePodIsGoneVisitorsGetTheFallbackPageThroughTheIngress() throws Exception {
    int port = IngressStandIn.start(cluster);
    assertThat(Http.get("127.0.0.1", port, HOST, "/").status()).isEqualTo(200);
    client
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/component", "site")
        .withGracePeriod(0)
        .delete();
    List<String> answers = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    boolean sawFallback = false;
    while (System.nanoTime() < deadline) {
      Http answer = Http.get("127.0.0.1", port, HOST, "/");
      boolean fallback =
          answer.status() == 503
              && answer.body().contains("Song requests are very popular right now");
      if (fallback) {
        sawFallback = true;
        assertThat(answer.header("Retry-After")).isEqualTo("30");
      } else {
        assertThat(answer.status())
            .as(
                "every answer is the site or the fallback page, never an error page; got %s %s: %s",
                answer.status(),
                answer.headers(),
                answer.body().substring(0, Math.min(400, answer.body().length())))
            .isEqualTo(200);
        if (sawFallback) {
          break; // the site is back
        }
      }
      answers.add(String.valueOf(answer.status()));
      Thread.sleep(100);
    }
    System.out.printf(
        "real-node: answers while the site pods were replaced: %s%n", summarize(answers));
    assertThat(sawFallback).as("the fallback page answered while no site pod was ready").isTrue();
    assertThat(Http.get("127.0.0.1", port, HOST, "/").status())
        .as("the site is back")
        .isEqualTo(200);
  }

  private static String summarize(List<String> answers) {
    StringBuilder out = new StringBuilder();
    String last = null;
    int run = 0;
    for (String a : answers) {
      if (a.equals(last)) {
        run++;
        continue;
      }
      if (last != null) {
        out.append(run).append("x").append(last).append(' ');
      }
      last = a;
      run = 1;
    }
    return last == null ? "" : out.append(run).append("x").append(last).toString();
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static List<Pod> sitePods() {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/component", "site")
        .list()
        .getItems()
        .stream()
        .filter(
            p ->
                p.getMetadata().getDeletionTimestamp() == null
                    && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  private static String serviceIp(String name) {
    return client.services().inNamespace(NS).withName(name).get().getSpec().getClusterIP();
  }

  /**
   * The campaign's database, with the credentials of the Secret the operator wrote for the site.
   */
  private static Connection database() throws Exception {
    Secret secret = client.secrets().inNamespace(NS).withName(NAME + "-db").get();
    String url =
        "jdbc:mariadb://"
            + value(secret, "host")
            + ":"
            + value(secret, "port")
            + "/"
            + value(secret, "database");
    return DriverManager.getConnection(url, value(secret, "username"), value(secret, "password"));
  }

  private static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
