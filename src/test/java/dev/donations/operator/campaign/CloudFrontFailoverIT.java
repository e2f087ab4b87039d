package dev.donations.operator.campaign;

import static dev.donations.operator.campaign.CampaignFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.CloudFrontFailoverSpec;
import dev.donations.operator.api.v1alpha1.FailoverClassSpec;
import dev.donations.operator.testbed.LocalClusterResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * CloudFront failover on moto behind the AWS front, which makes distributions take time to deploy,
 * checks ETags and refuses to delete an enabled one, as CloudFront does: the distribution a user
 * would look at, how it follows the class and the campaign, and how it goes.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudFrontFailoverIT extends CampaignIntegrationTest {

  static final String NS = "edge";
  static final String CLASS = "local-cloudfront";
  static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  static final String CERTIFICATE =
      "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

  @BeforeAll
  static void setUp() {
    prepare(NS);
    applyClass(CLASS, "lb-a.elb.local.example", CERTIFICATE);
  }

  /** A copy of the local class with CloudFront failover in front of the given load balancer. */
  static void applyClass(String name, String loadBalancer, String certificate) {
    CampaignClass cls =
        client
            .getKubernetesSerialization()
            .unmarshal(
                cluster.renderSample("samples/local/campaignclass.yaml"), CampaignClass.class);
    cls.getMetadata().setName(name);
    if (loadBalancer != null) {
      cls.getSpec().fallback.failover = new FailoverClassSpec();
      cls.getSpec().fallback.failover.cloudFront = new CloudFrontFailoverSpec();
      cls.getSpec().fallback.failover.cloudFront.originDomainName = loadBalancer;
      cls.getSpec().fallback.failover.cloudFront.acmCertificateArn = certificate;
    }
    client.resource(cls).forceConflicts().serverSideApply();
  }

  @Test
  @Order(1)
  void aClassWithoutFailoverCreatesAndCallsNothingOfIt() {
    Map<String, Integer> cloudFrontBefore = cluster.awsRequests("cloudfront");
    Map<String, Integer> route53Before = cluster.awsRequests("route53");
    client.resource(campaign(NS, "plain", "plain.edge.example.org")).create();
    CharityCampaign c = awaitPhase(client, NS, "plain", Phase.Ready);
    assertThat(c.getStatus().failover).isNull();
    delete(c);
    assertThat(cluster.awsRequests("cloudfront"))
        .as("CloudFront calls for a class without failover")
        .isEqualTo(cloudFrontBefore);
    assertThat(cluster.awsRequests("route53"))
        .as("Route 53 calls for a class without failover")
        .isEqualTo(route53Before);
    try (CloudFrontClient cf = cluster.cloudFront()) {
      assertThat(byComment(cf, CampaignNames.failover(c))).isEmpty();
    }
  }

  @Test
  @Order(2)
  void theDistributionFailsOverToTheBucketFollowsChangesAndGoesBeforeTheBucket() {
    CharityCampaign c = campaign(NS, "relay", "relay.edge.example.org");
    c.getSpec().className = CLASS;
    client.resource(c).create();
    c = awaitPhase(client, NS, "relay", Phase.Ready);
    String id = c.getStatus().failover.cloudFront.distributionId;
    String bucket = c.getStatus().fallbackBucket;
    String website = bucket + ".s3-website-eu-west-1.amazonaws.com";

    try (CloudFrontClient cf = cluster.cloudFront()) {
      Distribution d = cf.getDistribution(b -> b.id(id)).distribution();
      var config = d.distributionConfig();
      assertThat(config.comment()).isEqualTo(CampaignNames.failover(c));
      assertThat(config.callerReference()).isEqualTo(CampaignNames.failover(c));
      assertThat(config.enabled()).isTrue();
      assertThat(config.origins().items())
          .extracting(
              o ->
                  o.id()
                      + " "
                      + o.domainName()
                      + " "
                      + o.customOriginConfig().originProtocolPolicyAsString())
          .containsExactly(
              "load-balancer lb-a.elb.local.example https-only",
              "fallback-website " + website + " http-only");
      var group = config.originGroups().items().get(0);
      assertThat(config.defaultCacheBehavior().targetOriginId()).isEqualTo(group.id());
      assertThat(group.members().items())
          .extracting(m -> m.originId())
          .containsExactly("load-balancer", "fallback-website");
      assertThat(group.failoverCriteria().statusCodes().items())
          .containsExactly(500, 502, 503, 504);
      assertThat(config.defaultCacheBehavior().cachePolicyId())
          .isEqualTo("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
      assertThat(config.defaultCacheBehavior().originRequestPolicyId())
          .isEqualTo("216adef6-5c7f-47e4-b989-5492eafa07d3");
      assertThat(config.aliases().items()).containsExactly("relay.edge.example.org");
      assertThat(config.viewerCertificate().acmCertificateArn()).isEqualTo(CERTIFICATE);
      assertThat(config.priceClassAsString()).isEqualTo("PriceClass_100");
      assertThat(cf.listTagsForResource(b -> b.resource(d.arn())).tags().items())
          .extracting(t -> t.key() + "=" + t.value())
          .contains(
              "donations.dev/campaign=edge/relay",
              "app.kubernetes.io/managed-by=donation-operator");
      assertThat(c.getStatus().failover.cloudFront.domainName).isEqualTo(d.domainName());
      assertThat(condition(c, "FallbackReady", x -> x.getMessage()))
          .contains(id, "relay.edge.example.org", d.domainName());

      // Converged: touching the class reconciles the campaign, and nothing is written to
      // CloudFront.
      Map<String, Integer> before = cluster.awsRequests("cloudfront");
      long generation = get(client, NS, "relay").getMetadata().getGeneration();
      client
          .resources(CampaignClass.class)
          .withName(CLASS)
          .patch(
              MERGE,
              "{\"metadata\":{\"annotations\":{\"donations.dev/touched\":\""
                  + System.nanoTime()
                  + "\"}}}");
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(writes(cluster.awsRequests("cloudfront"), before))
          .as("CloudFront writes of a converged campaign")
          .isZero();
      assertThat(get(client, NS, "relay").getMetadata().getGeneration()).isEqualTo(generation);

      // A new load balancer in the class, then a new host: the same distribution follows both.
      applyClass(CLASS, "lb-b.elb.local.example", CERTIFICATE);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          cf.getDistribution(b -> b.id(id))
                              .distribution()
                              .distributionConfig()
                              .origins()
                              .items()
                              .get(0)
                              .domainName())
                      .isEqualTo("lb-b.elb.local.example"));
      client
          .resources(CharityCampaign.class)
          .inNamespace(NS)
          .withName("relay")
          .patch(MERGE, "{\"spec\":{\"site\":{\"host\":\"relay-two.edge.example.org\"}}}");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          cf.getDistribution(b -> b.id(id))
                              .distribution()
                              .distributionConfig()
                              .aliases()
                              .items())
                      .containsExactly("relay-two.edge.example.org"));
      assertThat(byComment(cf, CampaignNames.failover(c))).hasSize(1);

      // Deleting: disabled first, deleted once deployed, and the bucket it reads only after it.
      Map<String, Integer> errorsBefore = cluster.awsErrors("cloudfront");
      AtomicBoolean bucketWentFirst = new AtomicBoolean();
      CharityCampaign relay = c;
      client.resources(CharityCampaign.class).inNamespace(NS).withName("relay").delete();
      try (var s3 = cluster.s3()) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () -> {
                  boolean distribution = !byComment(cf, CampaignNames.failover(relay)).isEmpty();
                  if (distribution && !bucketExists(s3, bucket)) {
                    bucketWentFirst.set(true);
                  }
                  return get(client, NS, "relay") == null;
                });
        assertThat(bucketExists(s3, bucket)).isFalse();
      }
      assertThat(bucketWentFirst)
          .as("the bucket was deleted while the distribution still read it")
          .isFalse();
      assertThat(byComment(cf, CampaignNames.failover(c))).isEmpty();
      // (A GetDistribution of the recorded id answers 404 once it is gone; that is how its absence
      // shows.)
      assertThat(writes(cluster.awsErrors("cloudfront"), errorsBefore))
          .as("CloudFront refusals while deleting (DistributionNotDisabled, PreconditionFailed)")
          .isZero();
    }
  }

  @Test
  @Order(3)
  void aLostStatusWriteFindsTheDistributionAgainAndAClassThatDropsFailoverRemovesIt() {
    String cls = "local-cloudfront-dropped";
    applyClass(cls, "lb-c.elb.local.example", null);
    CharityCampaign c = campaign(NS, "quiet", "quiet.edge.example.org");
    c.getSpec().className = cls;
    client.resource(c).create();
    c = awaitPhase(client, NS, "quiet", Phase.Ready);
    String id = c.getStatus().failover.cloudFront.distributionId;
    assertThat(condition(c, "FallbackReady", x -> x.getMessage()))
        .contains("no acmCertificateArn", "default certificate");

    try (CloudFrontClient cf = cluster.cloudFront()) {
      assertThat(
              cf.getDistribution(b -> b.id(id))
                  .distribution()
                  .distributionConfig()
                  .aliases()
                  .quantity())
          .isZero();

      // Status loses the distribution (as after a crash between create and the status write): found
      // by its Comment.
      client
          .resources(CharityCampaign.class)
          .inNamespace(NS)
          .withName("quiet")
          .subresource("status")
          .patch(MERGE, "{\"status\":{\"failover\":null}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          Optional.ofNullable(get(client, NS, "quiet").getStatus().failover)
                              .map(f -> f.cloudFront)
                              .map(x -> x.distributionId)
                              .orElse(null))
                      .isEqualTo(id));
      CharityCampaign quiet = c;
      assertThat(byComment(cf, CampaignNames.failover(quiet))).hasSize(1);

      applyClass(cls, null, null);
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(byComment(cf, CampaignNames.failover(quiet))).isEmpty();
                CharityCampaign now = get(client, NS, "quiet");
                assertThat(now.getStatus().failover).isNull();
                assertThat(condition(now, "FallbackReady", x -> x.getStatus())).isEqualTo("True");
              });
    }
    delete(c);
  }

  private static void delete(CharityCampaign c) {
    client
        .resources(CharityCampaign.class)
        .inNamespace(NS)
        .withName(c.getMetadata().getName())
        .delete();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> get(client, NS, c.getMetadata().getName()) == null);
  }

  static List<DistributionSummary> byComment(CloudFrontClient cf, String comment) {
    return cf.listDistributions().distributionList().items().stream()
        .filter(d -> comment.equals(d.comment()))
        .toList();
  }

  private static boolean bucketExists(
      software.amazon.awssdk.services.s3.S3Client s3, String bucket) {
    try {
      s3.headBucket(b -> b.bucket(bucket));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    }
  }

  /** Calls that change something, between two snapshots of the front's counters. */
  static int writes(Map<String, Integer> after, Map<String, Integer> before) {
    return after.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("Get") && !e.getKey().startsWith("List"))
        .mapToInt(e -> e.getValue() - before.getOrDefault(e.getKey(), 0))
        .sum();
  }
}
