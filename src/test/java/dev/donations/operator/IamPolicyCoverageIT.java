package dev.donations.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.donations.operator.aws.AwsCallMetrics;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.LocalClusterResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every AWS call the operator made in this run (its own call metrics) is allowed by
 * docs/aws-iam-policy.json. Runs after every other in-process test, in the default build and in the
 * long profile (which runs the failover and throttling suites), so every AWS action any suite calls
 * is checked.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalClusterResource.class, restrictToAnnotatedClass = false)
@Order(Integer.MAX_VALUE)
class IamPolicyCoverageIT {

  /** Where an SDK operation's IAM action is not named like the operation. */
  static final Map<String, String> IAM_ACTION_OF =
      Map.of(
          "s3:HeadBucket", "s3:ListBucket",
          "s3:ListObjectsV2", "s3:ListBucket",
          "s3:HeadObject", "s3:GetObject",
          "s3:PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
          // CloudFront authorizes CreateDistributionWithTags as CreateDistribution (plus
          // TagResource for the tags).
          "cloudfront:CreateDistributionWithTags", "cloudfront:CreateDistribution");

  @Inject MeterRegistry registry;

  @Test
  void everyAwsCallOfTheRunIsAllowedByTheIamPolicy() throws IOException {
    JsonNode policy =
        new ObjectMapper()
            .readTree(LocalCluster.get().repo().resolve("docs/aws-iam-policy.json").toFile());
    Set<String> allowed = new TreeSet<>();
    policy
        .path("Statement")
        .forEach(
            statement -> {
              JsonNode actions = statement.path("Action");
              if (actions.isArray()) {
                actions.forEach(a -> allowed.add(a.asText()));
              } else {
                allowed.add(actions.asText());
              }
            });
    Set<String> called = new TreeSet<>();
    registry
        .find(AwsCallMetrics.METER)
        .meters()
        .forEach(
            meter -> {
              String prefix =
                  switch (meter.getId().getTag("service")) {
                    case "Rds" -> "rds";
                    case "Efs" -> "elasticfilesystem";
                    case "S3" -> "s3";
                    case "CloudFront" -> "cloudfront";
                    case "Route53" -> "route53";
                    case "Ec2" -> "ec2";
                    default ->
                        throw new IllegalStateException(
                            "a service the policy does not cover: " + meter.getId());
                  };
              String operation = prefix + ":" + meter.getId().getTag("operation");
              called.add(IAM_ACTION_OF.getOrDefault(operation, operation));
            });
    System.out.println("AWS actions the run used: " + called);
    System.out.println(
        "in the policy but not used by the run: "
            + allowed.stream().filter(a -> !called.contains(a)).toList());
    assertThat(called).as("AWS actions of the run").hasSizeGreaterThan(10);
    assertThat(allowed).as("docs/aws-iam-policy.json").containsAll(called);
  }
}
