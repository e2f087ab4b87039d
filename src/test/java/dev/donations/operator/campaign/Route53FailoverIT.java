package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.FailoverClassSpec;
import dev.donations.operator.api.v1alpha1.Route53FailoverSpec;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.TagResourceType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Route 53 failover on moto behind the AWS front, which keeps Route 53's CallerReference promises
 * and refuses to delete a health check a record still names: the records, the health check and the
 * bucket named after the host that a user would look at, how they follow changes, and how they go.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Route53FailoverIT extends CampaignIntegrationTest {

  static final String NS = "dns";
  static final String CLASS = "local-route53";
  static final String LB = "lb-a.eu-west-1.elb.amazonaws.com";
  static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  static String zoneId;

  @BeforeAll
  static void setUp() {
    prepare(NS);
    try (Route53Client r53 = cluster.route53()) {
      zoneId =
          r53.createHostedZone(
                  b ->
                      b.name("dns.example.org")
                          .callerReference("route53-failover-it-" + System.nanoTime()))
              .hostedZone()
              .id()
              .replace("/hostedzone/", "");
    }
    applyClass(CLASS, spec -> {});
  }

  static void applyClass(String name, java.util.function.Consumer<Route53FailoverSpec> change) {
    CampaignClass cls =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    cls.getMetadata().setName(name);
    if (change != null) {
      Route53FailoverSpec spec = new Route53FailoverSpec();
      spec.hostedZoneId = zoneId;
      spec.loadBalancerDnsName = LB;
      spec.loadBalancerHostedZoneId = "Z32O12XQLNTSW2";
      change.accept(spec);
      cls.getSpec().fallback.failover = new FailoverClassSpec();
      cls.getSpec().fallback.failover.route53 = spec;
    }
    client.resource(cls).forceConflicts().serverSideApply();
  }

  @Test
  @Order(1)
  void primaryToTheLoadBalancerSecondaryToTheHostBucketFollowingChangesAndGoneWithTheCampaign() {
    CharityCampaign c = campaign(NS, "ballot", "ballot.dns.example.org");
    c.getSpec().className = CLASS;
    client.resource(c).create();
    c = awaitPhase(client, NS, "ballot", Phase.Ready);
    String healthCheckId = c.getStatus().failover.route53.healthCheckId;
    assertThat(c.getStatus().failover.route53.hostedZoneId).isEqualTo(zoneId);
    assertThat(condition(c, "FallbackReady", x -> x.getMessage()))
        .contains(healthCheckId, "ballot.dns.example.org");

    try (Route53Client r53 = cluster.route53();
        S3Client s3 = cluster.s3()) {
      HealthCheck check = r53.getHealthCheck(b -> b.healthCheckId(healthCheckId)).healthCheck();
      var config = check.healthCheckConfig();
      assertThat(config.typeAsString()).isEqualTo("HTTPS");
      assertThat(config.fullyQualifiedDomainName()).isEqualTo("ballot.dns.example.org");
      assertThat(config.resourcePath()).isEqualTo("/");
      assertThat(config.port()).isEqualTo(443);
      assertThat(config.requestInterval()).isEqualTo(30);
      assertThat(config.failureThreshold()).isEqualTo(3);
      assertThat(config.enableSNI()).isTrue();
      assertThat(check.callerReference()).isEqualTo(CampaignNames.healthCheckReference(c, 1));
      assertThat(
              r53.listTagsForResource(
                      b -> b.resourceType(TagResourceType.HEALTHCHECK).resourceId(healthCheckId))
                  .resourceTagSet()
                  .tags())
          .extracting(t -> t.key() + "=" + t.value())
          .contains("donations.dev/campaign=dns/ballot");

      List<ResourceRecordSet> records = records(r53, "ballot.dns.example.org");
      assertThat(records)
          .extracting(
              r ->
                  r.failoverAsString()
                      + " "
                      + r.aliasTarget().dnsName()
                      + " "
                      + r.aliasTarget().hostedZoneId()
                      + " "
                      + r.aliasTarget().evaluateTargetHealth()
                      + " "
                      + r.healthCheckId())
          .containsExactlyInAnyOrder(
              "PRIMARY " + LB + " Z32O12XQLNTSW2 false " + healthCheckId,
              "SECONDARY s3-website-eu-west-1.amazonaws.com Z1BKCTXD74EZPE false null");
      String page =
          client
              .configMaps()
              .inNamespace(NS)
              .withName("ballot-fallback")
              .get()
              .getData()
              .get("index.html");
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket("ballot.dns.example.org").key("index.html"))
                  .asUtf8String())
          .isEqualTo(page);
      assertThat(
              s3.getBucketWebsite(b -> b.bucket("ballot.dns.example.org")).indexDocument().suffix())
          .isEqualTo("index.html");

      // Converged: touching the class reconciles the campaign, and nothing is written to Route 53.
      Map<String, Integer> before = cluster.awsRequests("route53");
      client
          .resources(CampaignClass.class)
          .withName(CLASS)
          .patch(
              MERGE,
              "{\"metadata\":{\"annotations\":{\"donations.dev/touched\":\""
                  + System.nanoTime()
                  + "\"}}}");
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(CloudFrontFailoverIT.writes(cluster.awsRequests("route53"), before))
          .as("Route 53 writes of a converged campaign")
          .isZero();

      // The class's path and threshold change the same health check; a new host moves records and
      // bucket.
      applyClass(
          CLASS,
          spec -> {
            spec.healthCheckPath = "/healthz";
            spec.failureThreshold = 2;
          });
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                var updated =
                    r53.getHealthCheck(b -> b.healthCheckId(healthCheckId))
                        .healthCheck()
                        .healthCheckConfig();
                assertThat(updated.resourcePath()).isEqualTo("/healthz");
                assertThat(updated.failureThreshold()).isEqualTo(2);
              });
      client
          .resources(CharityCampaign.class)
          .inNamespace(NS)
          .withName("ballot")
          .patch(MERGE, "{\"spec\":{\"site\":{\"host\":\"vote.dns.example.org\"}}}");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(records(r53, "vote.dns.example.org")).hasSize(2);
                assertThat(records(r53, "ballot.dns.example.org")).isEmpty();
                assertThat(bucketExists(s3, "vote.dns.example.org")).isTrue();
                assertThat(bucketExists(s3, "ballot.dns.example.org")).isFalse();
                assertThat(
                        r53.getHealthCheck(b -> b.healthCheckId(healthCheckId))
                            .healthCheck()
                            .healthCheckConfig()
                            .fullyQualifiedDomainName())
                    .isEqualTo("vote.dns.example.org");
              });

      // Status loses failover (a crash between create and the status write): found again, nothing
      // doubled.
      client
          .resources(CharityCampaign.class)
          .inNamespace(NS)
          .withName("ballot")
          .subresource("status")
          .patch(MERGE, "{\"status\":{\"failover\":null}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          java.util.Optional.ofNullable(
                                  get(client, NS, "ballot").getStatus().failover)
                              .map(f -> f.route53)
                              .map(r -> r.healthCheckId)
                              .orElse(null))
                      .isEqualTo(healthCheckId));
      CharityCampaign ballot = c;
      assertThat(ourHealthChecks(r53, ballot)).hasSize(1);

      // Deleted with the campaign: records first (the front refuses to delete a health check in
      // use), then the rest.
      Map<String, Integer> errorsBefore = cluster.awsErrors("route53");
      client.resources(CharityCampaign.class).inNamespace(NS).withName("ballot").delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> get(client, NS, "ballot") == null);
      assertThat(records(r53, "vote.dns.example.org")).isEmpty();
      assertThat(ourHealthChecks(r53, ballot)).isEmpty();
      assertThat(bucketExists(s3, "vote.dns.example.org")).isFalse();
      assertThat(CloudFrontFailoverIT.writes(cluster.awsErrors("route53"), errorsBefore))
          .as("Route 53 refusals while deleting")
          .isZero();
    }
  }

  @Test
  @Order(2)
  void aHostBucketNameTakenByAnotherAccountIsReportedAndLeftAlone() {
    try (StsClient sts =
        StsClient.builder()
            .region(Region.EU_WEST_1)
            .endpointOverride(cluster.awsEndpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "testing", "testing")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      var credentials =
          sts.assumeRole(
                  b ->
                      b.roleArn("arn:aws:iam::111111111111:role/squatter")
                          .roleSessionName("squatter"))
              .credentials();
      try (S3Client other =
          S3Client.builder()
              .region(Region.EU_WEST_1)
              .endpointOverride(cluster.awsEndpoint())
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsSessionCredentials.create(
                          credentials.accessKeyId(),
                          credentials.secretAccessKey(),
                          credentials.sessionToken())))
              .httpClientBuilder(UrlConnectionHttpClient.builder())
              .build()) {
        other.createBucket(
            b ->
                b.bucket("taken.dns.example.org")
                    .createBucketConfiguration(x -> x.locationConstraint("eu-west-1")));
      }
    }
    CharityCampaign c = campaign(NS, "taken", "taken.dns.example.org");
    c.getSpec().className = CLASS;
    client.resource(c).create();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              CharityCampaign now = get(client, NS, "taken");
              assertThat(condition(now, "FallbackReady", x -> x.getStatus())).isEqualTo("False");
              assertThat(condition(now, "FallbackReady", x -> x.getReason()))
                  .isEqualTo("HostBucketTaken");
              assertThat(condition(now, "FallbackReady", x -> x.getMessage()))
                  .contains(
                      "taken.dns.example.org",
                      "belongs to another AWS account",
                      "BucketAlreadyExists");
            });
    try (Route53Client r53 = cluster.route53();
        S3Client s3 = cluster.s3()) {
      assertThat(records(r53, "taken.dns.example.org")).isEmpty();
      client.resources(CharityCampaign.class).inNamespace(NS).withName("taken").delete();
      await().atMost(Duration.ofSeconds(90)).until(() -> get(client, NS, "taken") == null);
      assertThat(bucketExists(s3, "taken.dns.example.org"))
          .as("the other account's bucket")
          .isTrue();
    }
  }

  @Test
  @Order(3)
  void aClassThatDropsRoute53RemovesRecordsHealthCheckAndBucket() {
    String cls = "local-route53-dropped";
    applyClass(cls, spec -> {});
    CharityCampaign c = campaign(NS, "poll", "poll.dns.example.org");
    c.getSpec().className = cls;
    client.resource(c).create();
    CharityCampaign ready = awaitPhase(client, NS, "poll", Phase.Ready);
    applyClass(cls, null);
    try (Route53Client r53 = cluster.route53();
        S3Client s3 = cluster.s3()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(records(r53, "poll.dns.example.org")).isEmpty();
                assertThat(ourHealthChecks(r53, ready)).isEmpty();
                assertThat(bucketExists(s3, "poll.dns.example.org")).isFalse();
                CharityCampaign now = get(client, NS, "poll");
                assertThat(now.getStatus().failover).isNull();
                assertThat(condition(now, "FallbackReady", x -> x.getStatus())).isEqualTo("True");
              });
    }
    client.resources(CharityCampaign.class).inNamespace(NS).withName("poll").delete();
    await().atMost(Duration.ofSeconds(90)).until(() -> get(client, NS, "poll") == null);
  }

  private static List<ResourceRecordSet> records(Route53Client r53, String host) {
    return r53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
        .filter(r -> r.name().replaceAll("\\.$", "").equals(host) && r.setIdentifier() != null)
        .toList();
  }

  private static List<HealthCheck> ourHealthChecks(Route53Client r53, CharityCampaign c) {
    return r53.listHealthChecks().healthChecks().stream()
        .filter(h -> h.callerReference().startsWith(CampaignNames.failover(c) + "-"))
        .toList();
  }

  private static boolean bucketExists(S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }
}
