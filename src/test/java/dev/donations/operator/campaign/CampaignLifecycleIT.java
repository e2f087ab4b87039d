package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.aws.AwsCallMetrics;
import dev.donations.operator.metrics.CampaignMetrics;
import dev.donations.operator.testbed.AuditLog;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * A campaign's whole life on the local control plane and moto: create, converge, change, stay
 * still.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
class CampaignLifecycleIT extends CampaignIntegrationTest {

  @Inject AwsCallMetrics awsCalls;
  @Inject CampaignMetrics campaignMetrics;

  @BeforeAll
  static void setUp() {
    prepare(null);
  }

  @Test
  void theSampleCampaignBecomesReadyWithTheWholeStack() throws Exception {
    client
        .load(
            new ByteArrayInputStream(
                cluster
                    .renderSample("samples/local/charitycampaign.yaml")
                    .getBytes(StandardCharsets.UTF_8)))
        .forceConflicts()
        .serverSideApply();
    CharityCampaign c = awaitPhase(client, "radio-gaga", "song-request", Phase.Ready);
    String ns = "radio-gaga";

    // Status: every condition True, the URLs and the database, and no secret anywhere in it.
    assertThat(c.getStatus().conditions)
        .extracting(x -> x.getType() + "=" + x.getStatus())
        .containsExactly(
            "DatabaseReady=True",
            "StorageReady=True",
            "SiteReady=True",
            "NetworkReady=True",
            "FallbackReady=True",
            "RouteReady=True",
            "FallbackActive=False",
            "Ready=True",
            "ConnectionBudget=True",
            "PeakWindows=True");
    assertThat(c.getStatus().conditions)
        .allSatisfy(
            x -> assertThat(x.getObservedGeneration()).isEqualTo(c.getMetadata().getGeneration()));
    assertThat(c.getStatus().siteUrl).isEqualTo("http://donate.radio-gaga.local/");
    assertThat(c.getStatus().database.secretName).isEqualTo("song-request-db");

    // RDS: deterministic identifier, encrypted, protected, tagged, the class's default size.
    DBInstance db;
    try (var rds = cluster.rds()) {
      db =
          rds.describeDBInstances(b -> b.dbInstanceIdentifier(c.getStatus().database.identifier))
              .dbInstances()
              .get(0);
    }
    assertThat(db.dbInstanceIdentifier()).isEqualTo(CampaignNames.databaseIdentifier(c));
    assertThat(db.storageEncrypted()).isTrue();
    assertThat(db.deletionProtection()).isTrue();
    assertThat(db.dbInstanceClass()).isEqualTo("db.t4g.medium");
    assertThat(db.tagList())
        .anySatisfy(
            t ->
                assertThat(t.key() + "=" + t.value())
                    .isEqualTo("donations.dev/campaign=radio-gaga/song-request"));

    // The connection Secret points at that instance; its password is nowhere in the campaign.
    Secret secret = client.secrets().inNamespace(ns).withName("song-request-db").get();
    assertThat(secret.getData()).containsKeys("host", "port", "database", "username", "password");
    assertThat(decode(secret, "host")).isEqualTo(db.endpoint().address());
    String password = decode(secret, "password");
    assertThat(password).hasSize(32);
    assertThat(client.getKubernetesSerialization().asJson(get(client, ns, "song-request")))
        .doesNotContain(password);
    assertThat(client.secrets().inNamespace(ns).withName("song-request-wp-salts").get().getData())
        .hasSize(8);

    // EFS: one file system, a mount target per class subnet, the campaign's access point, the
    // volume.
    try (var efs = cluster.efs()) {
      var fs =
          efs.describeFileSystems(b -> b.creationToken(CampaignNames.fileSystemToken(c)))
              .fileSystems();
      assertThat(fs).hasSize(1);
      assertThat(fs.get(0).encrypted()).isTrue();
      assertThat(
              efs.describeMountTargets(b -> b.fileSystemId(fs.get(0).fileSystemId()))
                  .mountTargets())
          .hasSize(3);
      var ap =
          efs.describeAccessPoints(b -> b.fileSystemId(fs.get(0).fileSystemId())).accessPoints();
      assertThat(ap).hasSize(1);
      assertThat(ap.get(0).rootDirectory().path()).isEqualTo("/campaigns/radio-gaga/song-request");
      assertThat(ap.get(0).posixUser().uid()).isEqualTo(33L);
      PersistentVolume pv =
          client.persistentVolumes().withName(CampaignNames.uploadsVolume(c)).get();
      assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("efs.csi.aws.com");
      assertThat(pv.getSpec().getCsi().getVolumeHandle())
          .isEqualTo(fs.get(0).fileSystemId() + "::" + ap.get(0).accessPointId());
    }
    var pvc =
        client.persistentVolumeClaims().inNamespace(ns).withName("song-request-uploads").get();
    assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");

    // The site: Bedrock env from the Secrets, the uploads volume, restricted, two pods available.
    Deployment site =
        client.apps().deployments().inNamespace(ns).withName("song-request-site").get();
    assertThat(site.getStatus().getAvailableReplicas()).isEqualTo(2);
    var container = site.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("localhost/donation-site:1.0.0");
    assertThat(container.getEnv())
        .extracting(EnvVar::getName)
        .contains(
            "DB_HOST",
            "DB_NAME",
            "DB_USER",
            "DB_PASSWORD",
            "WP_HOME",
            "WP_SITEURL",
            "AUTH_KEY",
            "NONCE_SALT");
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("DB_PASSWORD"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("song-request-db"));
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("WP_HOME"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("http://donate.radio-gaga.local"));
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/www/html/web/app/uploads"));
    assertThat(site.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
        .isTrue();
    HorizontalPodAutoscaler hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName("song-request-site")
            .get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(6);
    assertThat(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName("song-request-site")
                .get())
        .isNotNull();
    assertThat(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName("song-request-fallback")
                .get())
        .as("a node drain never takes both fallback pods")
        .isNotNull();
    assertThat(client.services().inNamespace(ns).withName("song-request-site").get()).isNotNull();

    // The fallback: two nginx pods, the Ingress routing errors to them, the same page on S3.
    Deployment fallback =
        client.apps().deployments().inNamespace(ns).withName("song-request-fallback").get();
    assertThat(fallback.getStatus().getAvailableReplicas()).isEqualTo(2);
    Ingress ingress =
        client.network().v1().ingresses().inNamespace(ns).withName("song-request").get();
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/default-backend", "song-request-fallback")
        .containsEntry("nginx.ingress.kubernetes.io/custom-http-errors", "500,502,503,504");
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("donate.radio-gaga.local");
    ConfigMap page = client.configMaps().inNamespace(ns).withName("song-request-fallback").get();
    assertThat(page.getData().get("index.html"))
        .contains("Song requests are very popular right now", "text SONG to 4333");
    try (var s3 = cluster.s3()) {
      String bucket = c.getStatus().fallbackBucket;
      assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("index.html")).asUtf8String())
          .isEqualTo(page.getData().get("index.html"));
      var website = s3.getBucketWebsite(b -> b.bucket(bucket));
      assertThat(website.indexDocument().suffix()).isEqualTo("index.html");
      assertThat(website.errorDocument().key()).isEqualTo("index.html");
      assertThat(s3.getBucketPolicy(b -> b.bucket(bucket)).policy())
          .contains("arn:aws:s3:::" + bucket + "/index.html")
          .doesNotContain(bucket + "/*");
    }
    assertThat(c.getStatus().fallbackUrl)
        .endsWith("/" + c.getStatus().fallbackBucket + "/index.html");

    // Network: site pods reachable only from the ingress controller; egress to DNS, and to the
    // database's real port (the test bed's MariaDB listens on a random one) in the subnets of the
    // class's DB subnet group only (moto's three blocks of 10.42.0.0/16); no NFS, no wide rule.
    NetworkPolicy sitePolicy =
        client.network().v1().networkPolicies().inNamespace(ns).withName("song-request-site").get();
    assertThat(
            sitePolicy
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(sitePolicy.getSpec().getEgress())
        .flatExtracting(r -> r.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .containsExactlyInAnyOrder(53, 53, c.getStatus().database.port);
    assertThat(sitePolicy.getSpec().getEgress())
        .filteredOn(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() != 53))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getTo())
                    .hasSize(3)
                    .allSatisfy(
                        peer -> assertThat(peer.getIpBlock().getCidr()).startsWith("10.42.")));
    NetworkPolicy fallbackPolicy =
        client
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(ns)
            .withName("song-request-fallback")
            .get();
    assertThat(fallbackPolicy.getSpec().getPolicyTypes()).contains("Egress");
    assertThat(fallbackPolicy.getSpec().getEgress()).isEmpty();

    // Everything the campaign owns carries the standard labels.
    assertThat(site.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "donation-operator")
        .containsEntry("app.kubernetes.io/instance", "song-request")
        .containsEntry("app.kubernetes.io/part-of", "charity-campaign");
  }

  @Test
  void aConvergedCampaignWritesNothingOnAnotherReconcile() {
    String ns = "still-water";
    restrictedNamespace(client, ns);
    client.resource(campaign(ns, "calm", "calm.example.org")).serverSideApply();
    awaitPhase(client, ns, "calm", Phase.Ready);
    // Let the last events of convergence (status of pods, pollers' first rounds) settle.
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);

    AuditLog audit = new AuditLog(cluster.auditLog());
    long mark = audit.mark();
    long awsWrites = awsCalls.mutatingCalls();
    long reconciles = campaignMetrics.reconciles(ns + "/calm");
    // Touching the class makes the operator reconcile every campaign of the class.
    client
        .resources(CampaignClass.class)
        .withName("local")
        .edit(
            cls -> {
              var annotations = new java.util.HashMap<String, String>();
              if (cls.getMetadata().getAnnotations() != null) {
                annotations.putAll(cls.getMetadata().getAnnotations());
              }
              annotations.put("donations.dev/touched", String.valueOf(System.nanoTime()));
              cls.getMetadata().setAnnotations(annotations);
              return cls;
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> campaignMetrics.reconciles(ns + "/calm") > reconciles);
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);

    List<String> writes =
        audit.writesSince(mark, LocalClusterResource.OPERATOR_USER).stream()
            .filter(
                w ->
                    w.contains(" " + ns + "/")
                        || w.endsWith(" " + CampaignNames.uploadsVolume(get(client, ns, "calm"))))
            .toList();
    assertThat(writes).as("Kubernetes writes by the operator on a no-op reconcile").isEmpty();
    assertThat(awsCalls.mutatingCalls() - awsWrites)
        .as("mutating AWS calls on a no-op reconcile")
        .isZero();
  }

  @Test
  void aChangedSpecIsRolledOutAndTheS3PageUpdated() {
    String ns = "changes";
    restrictedNamespace(client, ns);
    client.resource(campaign(ns, "grow", "grow.example.org")).serverSideApply();
    CharityCampaign before = awaitPhase(client, ns, "grow", Phase.Ready);
    String hashBefore =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("grow-fallback")
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("donations.dev/page-sha256");

    client
        .resources(CharityCampaign.class)
        .inNamespace(ns)
        .withName("grow")
        .edit(
            c -> {
              c.getSpec().scaling.maxReplicas = 8;
              c.getSpec().scaling.minReplicas = 3;
              c.getSpec().fallback.message = "The phone lines are open: call 0800-GIVE.";
              return c;
            });

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              CharityCampaign c = get(client, ns, "grow");
              assertThat(c.getStatus().observedGeneration)
                  .isEqualTo(c.getMetadata().getGeneration());
              assertThat(c.getStatus().phase).isEqualTo(Phase.Ready);
              assertThat(c.getStatus().readyReplicas).isEqualTo(3);
            });
    var hpa =
        client
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName("grow-site")
            .get();
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    String page =
        client
            .configMaps()
            .inNamespace(ns)
            .withName("grow-fallback")
            .get()
            .getData()
            .get("index.html");
    assertThat(page).contains("The phone lines are open: call 0800-GIVE.");
    try (var s3 = cluster.s3()) {
      assertThat(
              s3.getObjectAsBytes(
                      b -> b.bucket(before.getStatus().fallbackBucket).key("index.html"))
                  .asUtf8String())
          .isEqualTo(page);
    }
    String hashAfter =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("grow-fallback")
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get("donations.dev/page-sha256");
    assertThat(hashAfter).isNotEqualTo(hashBefore);
  }

  private static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }
}
